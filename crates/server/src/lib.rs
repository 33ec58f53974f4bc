//! HTTP service: feed monitoring, web UI, JSON API over the store.
