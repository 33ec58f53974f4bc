//! Feed monitoring against a real RSS feed served on loopback, made from the seed articles.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use crosscheck_server::feeds::{self, Feed};
use crosscheck_server::writer::Writer;
use crosscheck_store::Store;

#[derive(Default)]
struct Fixture {
    base: String,
    texts: Vec<String>,
    /// How many items the feed lists now (grows to simulate a new article).
    items: usize,
    feed_requests: usize,
    not_modified: usize,
    page_requests: usize,
}

type Shared = Arc<Mutex<Fixture>>;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn paragraphs(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Item 1 carries its full text; items 2 and 3 only a one-line summary and a link.
fn rss(f: &Fixture) -> String {
    let mut items = String::new();
    for i in 0..f.items {
        let paras = paragraphs(&f.texts[i]);
        let link = format!("{}/articles/{i}.html", f.base);
        let body = if i == 0 {
            let html: String = paras[1..]
                .iter()
                .map(|p| format!("<p>{}</p>", esc(p)))
                .collect();
            format!("<content:encoded><![CDATA[{html}]]></content:encoded>")
        } else {
            format!("<description>{}</description>", esc(paras[2]))
        };
        items.push_str(&format!(
            "<item><title>{}</title><link>{link}</link><guid>{link}</guid><pubDate>Mon, 21 Apr 2025 10:0{i}:00 GMT</pubDate>{body}</item>\n",
            esc(paras[0])
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Loopback News</title><link>{}/</link><description>Test feed</description>\n{items}</channel></rss>\n",
        f.base
    )
}

async fn feed(State(f): State<Shared>, headers: HeaderMap) -> Response {
    let mut f = f.lock().unwrap();
    f.feed_requests += 1;
    let etag = format!("\"v{}\"", f.items);
    if headers.get("if-none-match").and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        f.not_modified += 1;
        return StatusCode::NOT_MODIFIED.into_response();
    }
    (
        [
            ("content-type", "application/rss+xml"),
            ("etag", etag.as_str()),
        ],
        rss(&f),
    )
        .into_response()
}

async fn page(State(f): State<Shared>, Path(name): Path<String>) -> Response {
    let mut f = f.lock().unwrap();
    f.page_requests += 1;
    let Some(i) = name
        .strip_suffix(".html")
        .and_then(|n| n.parse::<usize>().ok())
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(text) = f.texts.get(i) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let paras = paragraphs(text);
    let body: String = paras[1..]
        .iter()
        .map(|p| format!("<p>{}</p>\n", esc(p)))
        .collect();
    let html = format!(
        "<!DOCTYPE html><html><head><title>{t}</title><meta property=\"og:site_name\" content=\"Loopback News\"></head><body><nav><a href=\"/\">Home</a></nav><article><h1>{t}</h1>\n{body}</article><footer>Copyright</footer></body></html>",
        t = esc(paras[0])
    );
    ([("content-type", "text/html; charset=utf-8")], html).into_response()
}

async fn broken() -> StatusCode {
    StatusCode::INTERNAL_SERVER_ERROR
}

#[test]
fn polls_with_conditional_get_fetches_summaries_and_backs_off() {
    let shared = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    let Ok(entries) = std::fs::read_dir(shared.join("corpus/seeds")) else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    // The three rewrites 001–003 of one wire report.
    let texts: Vec<String> = files[1..4]
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let fixture: Shared = Arc::new(Mutex::new(Fixture {
        base: base.clone(),
        texts,
        items: 2,
        ..Fixture::default()
    }));
    let app = Router::new()
        .route("/feed.xml", get(feed))
        .route("/broken.xml", get(broken))
        .route("/articles/{name}", get(page))
        .with_state(fixture.clone());
    {
        let _g = rt.enter();
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        rt.spawn(async move { axum::serve(listener, app).await });
    }

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("feeds.db");
    drop(Store::open(&db).unwrap());
    let writer = Writer::start(db.clone(), None).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !writer.ready.load(std::sync::atomic::Ordering::SeqCst) {
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(10));
    }
    let agent = feeds::agent();
    let good = Feed {
        url: format!("{base}/feed.xml"),
        every: Duration::from_secs(60),
    };
    let articles = |db: &std::path::Path| {
        let mut docs = Vec::new();
        Store::open_reader(db)
            .unwrap()
            .for_each_document(|_, story, d| docs.push((story, d)))
            .unwrap();
        docs
    };

    // First poll: both items stored; the summary-only one with its page's full text.
    assert_eq!(
        rt.block_on(feeds::poll_once(&good, &db, &writer, &agent)),
        0
    );
    let docs = articles(&db);
    assert_eq!(docs.len(), 2);
    assert_eq!(
        fixture.lock().unwrap().page_requests,
        1,
        "only the summary item's page is fetched"
    );
    let summary_item = docs
        .iter()
        .find(|(_, d)| d.url.as_deref() == Some(&format!("{base}/articles/1.html")))
        .unwrap();
    assert!(
        summary_item.1.word_count() > 200,
        "full article, not the one-line summary"
    );
    assert_eq!(summary_item.1.id, format!("{base}/articles/1.html"));
    let state = Store::open_reader(&db).unwrap().feed(&good.url).unwrap();
    assert_eq!(state.etag.as_deref(), Some("\"v2\""));

    // Second poll: the feed is unchanged and answers 304; nothing is fetched or stored.
    assert_eq!(
        rt.block_on(feeds::poll_once(&good, &db, &writer, &agent)),
        0
    );
    {
        let f = fixture.lock().unwrap();
        assert_eq!(
            (f.feed_requests, f.not_modified, f.page_requests),
            (2, 1, 1)
        );
    }
    assert_eq!(articles(&db).len(), 2);

    // A new item appears: only its page is fetched, and only it is stored.
    fixture.lock().unwrap().items = 3;
    assert_eq!(
        rt.block_on(feeds::poll_once(&good, &db, &writer, &agent)),
        0
    );
    let docs = articles(&db);
    assert_eq!(docs.len(), 3);
    assert_eq!(fixture.lock().unwrap().page_requests, 2);

    // A failing feed counts its failures, and its polls back off.
    let bad = Feed {
        url: format!("{base}/broken.xml"),
        every: Duration::from_secs(60),
    };
    assert_eq!(rt.block_on(feeds::poll_once(&bad, &db, &writer, &agent)), 1);
    assert_eq!(rt.block_on(feeds::poll_once(&bad, &db, &writer, &agent)), 2);
    let state = Store::open_reader(&db).unwrap().feed(&bad.url).unwrap();
    assert_eq!(state.last_error.as_deref(), Some("HTTP 500"));
    assert_eq!(
        feeds::next_delay(bad.every, state.failures),
        Duration::from_secs(240)
    );
}
