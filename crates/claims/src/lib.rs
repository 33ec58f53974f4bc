//! Extracts checkable claims from sentences: people and roles, quantities, dates and durations, quotations, places.
