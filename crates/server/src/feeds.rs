//! Feed monitoring: each feed is polled on its own schedule with a conditional GET
//! (ETag / Last-Modified), backs off exponentially while it fails, and its new items go through
//! the writer like any POSTed article. Items that carry only a summary are replaced by their
//! page's article text.
//!
//! The HTTP client is `ureq`: blocking, small (no async runtime of its own, one TLS stack:
//! rustls with the Mozilla roots bundled through webpki-roots), which suits a handful of polls a
//! minute run on tokio's blocking pool; real feeds are https, so TLS is built in.

use std::path::PathBuf;
use std::time::Duration;

use crosscheck_model::Document;
use crosscheck_store::{FeedState, Store};

use crate::writer::Writer;

/// A feed to monitor and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub url: String,
    pub every: Duration,
}

/// Largest feed or page body read.
const MAX_BODY: u64 = 10 * 1024 * 1024;
/// Back-off never waits longer than this between two polls of a failing feed.
const MAX_BACKOFF: Duration = Duration::from_secs(6 * 3600);
/// An item with fewer words than this is taken for a summary, and its page is fetched.
const SUMMARY_WORDS: usize = 120;

/// Reads a feed list: OPML (every `xmlUrl`) or text, one feed a line as `URL [MINUTES]`, `#`
/// starting a comment. Feeds without their own interval are polled every `default_every`.
pub fn parse_list(text: &str, default_every: Duration) -> Result<Vec<Feed>, String> {
    let mut feeds = Vec::new();
    if text.trim_start().starts_with('<') {
        let lower = text.to_ascii_lowercase();
        let mut rest = 0;
        while let Some(at) = lower[rest..].find("xmlurl=") {
            let start = rest + at + "xmlurl=".len();
            let quote = text[start..]
                .chars()
                .next()
                .filter(|c| *c == '"' || *c == '\'');
            let Some(q) = quote else {
                rest = start;
                continue;
            };
            let Some(len) = text[start + 1..].find(q) else {
                break;
            };
            let url = text[start + 1..start + 1 + len]
                .replace("&amp;", "&")
                .replace("&quot;", "\"")
                .replace("&apos;", "'");
            feeds.push(Feed {
                url,
                every: default_every,
            });
            rest = start + 1 + len;
        }
    } else {
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let mut parts = line.split_whitespace();
            let url = parts.next().unwrap_or_default().to_string();
            let every = match parts.next() {
                Some(m) => match m.parse::<u64>() {
                    Ok(m) if m > 0 => Duration::from_secs(m * 60),
                    _ => return Err(format!("line {}: interval must be whole minutes", n + 1)),
                },
                None => default_every,
            };
            feeds.push(Feed { url, every });
        }
    }
    for f in &feeds {
        if crosscheck_report::safe_url(&f.url).is_none() {
            return Err(format!("not an http(s) URL: {}", f.url));
        }
    }
    Ok(feeds)
}

/// How long to wait before the next poll after `failures` failures in a row.
pub fn next_delay(every: Duration, failures: i64) -> Duration {
    let factor = 1u32 << failures.clamp(0, 10) as u32;
    every.saturating_mul(factor).min(MAX_BACKOFF.max(every))
}

/// The HTTP client feeds are polled with: statuses are answers, not errors (a 304 is normal).
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        .http_status_as_error(false)
        .user_agent(concat!("crosscheck/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// Starts one polling task per feed on the current tokio runtime.
pub fn start(feeds: Vec<Feed>, db: PathBuf, writer: Writer) {
    let agent = agent();
    for feed in feeds {
        let (db, writer, agent) = (db.clone(), writer.clone(), agent.clone());
        tokio::spawn(async move {
            loop {
                let failures = poll_once(&feed, &db, &writer, &agent).await;
                tokio::time::sleep(next_delay(feed.every, failures)).await;
            }
        });
    }
}

/// Polls a feed once and stores its new items; returns its failure count after this poll.
pub async fn poll_once(
    feed: &Feed,
    db: &std::path::Path,
    writer: &Writer,
    agent: &ureq::Agent,
) -> i64 {
    let (url, db2, agent2) = (feed.url.clone(), db.to_path_buf(), agent.clone());
    let polled = tokio::task::spawn_blocking(move || fetch_new_items(&url, &db2, &agent2))
        .await
        .unwrap_or_else(|e| Polled {
            error: Some(format!("poller panicked: {e}")),
            ..Polled::default()
        });
    let Polled {
        mut state,
        docs,
        error,
    } = polled;
    if !docs.is_empty() {
        match writer.write(docs).await {
            Ok(outcomes) => {
                let added = outcomes
                    .iter()
                    .filter(|o| matches!(o, crate::Outcome::Added { .. }))
                    .count();
                if added > 0 {
                    eprintln!("crosscheck: {}: {added} new articles", feed.url);
                }
            }
            Err(e) => eprintln!("crosscheck: {}: {e}", feed.url),
        }
    }
    state.url = feed.url.clone();
    state.last_polled = Some(chrono::Utc::now().to_rfc3339());
    match error {
        None => {
            state.failures = 0;
            state.last_error = None;
        }
        Some(e) => {
            eprintln!("crosscheck: feed {}: {e}", feed.url);
            state.failures += 1;
            state.last_error = Some(e);
        }
    }
    let failures = state.failures;
    let db = db.to_path_buf();
    let _ = tokio::task::spawn_blocking(move || Store::open(&db).and_then(|s| s.save_feed(&state)))
        .await;
    failures
}

/// One poll's result: the feed's validators to remember, its new items, and what failed.
#[derive(Default)]
struct Polled {
    state: FeedState,
    docs: Vec<Document>,
    error: Option<String>,
}

/// Conditional GET of the feed, then the items whose URL is not stored yet, with pages fetched
/// for items that only carry a summary.
fn fetch_new_items(url: &str, db: &std::path::Path, agent: &ureq::Agent) -> Polled {
    let failed = |state: FeedState, error: String| Polled {
        state,
        docs: Vec::new(),
        error: Some(error),
    };
    let store = match Store::open(db) {
        Ok(s) => s,
        Err(e) => return failed(FeedState::default(), e.to_string()),
    };
    let mut state = match store.feed(url) {
        Ok(s) => s,
        Err(e) => return failed(FeedState::default(), e.to_string()),
    };
    let mut req = agent.get(url);
    if let Some(etag) = &state.etag {
        req = req.header("If-None-Match", etag);
    }
    if let Some(lm) = &state.last_modified {
        req = req.header("If-Modified-Since", lm);
    }
    let mut resp = match req.call() {
        Ok(r) => r,
        Err(e) => return failed(state, e.to_string()),
    };
    let status = resp.status().as_u16();
    if status == 304 {
        return Polled {
            state,
            ..Polled::default()
        };
    }
    if !(200..300).contains(&status) {
        return failed(state, format!("HTTP {status}"));
    }
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (etag, last_modified) = (header("etag"), header("last-modified"));
    let body = match resp.body_mut().with_config().limit(MAX_BODY).read_to_vec() {
        Ok(b) => b,
        Err(e) => return failed(state, e.to_string()),
    };
    let items = match crosscheck_ingest::parse_feed(&body, url) {
        Ok(items) => items,
        Err(e) => return failed(state, e),
    };
    state.etag = etag;
    state.last_modified = last_modified;
    let mut docs = Vec::new();
    for mut item in items {
        if let Some(link) = item.url.clone() {
            if store.url_known(&link).unwrap_or(false) {
                continue;
            }
            // Feed item numbers shift as items come and go; the link names the article.
            item.id = link.clone();
            if item.word_count() < SUMMARY_WORDS {
                if let Some(page) = fetch_page(agent, &link, &item) {
                    item = page;
                }
            }
        }
        docs.push(item);
    }
    Polled {
        state,
        docs,
        error: None,
    }
}

/// The article at `link`, keeping the feed item's metadata where the page lacks it; `None`
/// when the page cannot be had or holds less text than the item.
fn fetch_page(agent: &ureq::Agent, link: &str, item: &Document) -> Option<Document> {
    crosscheck_report::safe_url(link)?;
    let mut resp = agent.get(link).call().ok()?;
    if !resp.status().is_success() {
        return None;
    }
    let body = resp
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_vec()
        .ok()?;
    let mut page =
        crosscheck_ingest::document_from_html(&body, Some(link), &item.id, &item.source).ok()?;
    if page.word_count() <= item.word_count() {
        return None;
    }
    page.url = Some(link.to_string());
    if page.title.is_none() {
        page.title = item.title.clone();
    }
    if page.published.is_none() {
        page.published = item.published.clone();
    }
    if page.outlet.is_none() {
        page.outlet = item.outlet.clone();
    }
    Some(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_and_opml_lists() {
        let every = Duration::from_secs(600);
        let txt = "# news\nhttps://a.example/rss 5\n\nhttp://127.0.0.1:9/feed.xml # local\n";
        let feeds = parse_list(txt, every).unwrap();
        assert_eq!(feeds.len(), 2);
        assert_eq!(feeds[0].every, Duration::from_secs(300));
        assert_eq!(feeds[1].url, "http://127.0.0.1:9/feed.xml");
        assert_eq!(feeds[1].every, every);
        let opml = r#"<?xml version="1.0"?><opml><body><outline text="A" xmlUrl="https://a.example/rss?x=1&amp;y=2"/><outline text="B" xmlURL='https://b.example/atom'/></body></opml>"#;
        let feeds = parse_list(opml, every).unwrap();
        let urls: Vec<_> = feeds.iter().map(|f| f.url.as_str()).collect();
        assert_eq!(
            urls,
            ["https://a.example/rss?x=1&y=2", "https://b.example/atom"]
        );
        assert!(parse_list("ftp://x/y", every).is_err());
        assert!(parse_list("https://x/y soon", every).is_err());
    }

    #[test]
    fn backs_off_exponentially_up_to_a_cap() {
        let every = Duration::from_secs(60);
        assert_eq!(next_delay(every, 0), every);
        assert_eq!(next_delay(every, 3), Duration::from_secs(480));
        assert_eq!(next_delay(every, 40), MAX_BACKOFF);
        // A feed polled less often than the cap is never polled more often for failing.
        let daily = Duration::from_secs(86_400);
        assert_eq!(next_delay(daily, 5), daily);
    }
}
