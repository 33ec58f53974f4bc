//! The service in-process on a loopback port, driven over real HTTP.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crosscheck_server::{app, Config, DEFAULT_MAX_BODY};
use serde_json::{json, Value};

const TOKEN: &str = "test-token-123";

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipping: ../shared not found");
        None
    }
}

fn seeds(shared: &Path) -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(shared.join("corpus/seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

struct Server {
    base: String,
    _dir: tempfile::TempDir,
    db: PathBuf,
    rt: tokio::runtime::Runtime,
}

fn start(token: Option<&str>, private: bool, max_body: usize) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lib.db");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let config = Config {
        db: db.clone(),
        listen: listener.local_addr().unwrap(),
        token: token.map(str::to_string),
        private,
        max_body,
        feeds: Vec::new(),
        analysis: Some(Default::default()),
    };
    {
        let _guard = rt.enter();
        let router = app(&config).unwrap();
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        rt.spawn(async move { axum::serve(listener, router).await });
    }
    Server {
        base,
        _dir: dir,
        db,
        rt,
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

fn get(s: &Server, path: &str, token: Option<&str>) -> (u16, String) {
    let mut req = agent().get(format!("{}{path}", s.base));
    if let Some(t) = token {
        req = req.header("Authorization", format!("Bearer {t}"));
    }
    let mut resp = req.call().unwrap();
    (
        resp.status().as_u16(),
        resp.body_mut().read_to_string().unwrap(),
    )
}

fn get_json(s: &Server, path: &str) -> Value {
    let (status, body) = get(s, path, None);
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn post(s: &Server, body: &str, token: Option<&str>) -> (u16, Value) {
    let mut req = agent()
        .post(format!("{}/api/articles", s.base))
        .header("Content-Type", "application/json");
    if let Some(t) = token {
        req = req.header("Authorization", format!("Bearer {t}"));
    }
    let mut resp = req.send(body).unwrap();
    let status = resp.status().as_u16();
    let text = resp.body_mut().read_to_string().unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn wait_analysed(s: &Server) {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let st = get_json(s, "/api/status");
        if st["ready"] == true && st["stale_stories"] == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "analysis did not finish: {st}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn posted_seeds_form_one_analysed_story_with_ui_and_search() {
    let Some(shared) = shared() else { return };
    let s = start(Some(TOKEN), false, DEFAULT_MAX_BODY);
    // A library that already holds other news, as a running service does: word statistics
    // then tell the story's own words from common ones.
    let frank = std::fs::read_to_string(shared.join("bench/factcheck/frank-valid.jsonl")).unwrap();
    let mut background = std::collections::BTreeSet::new();
    for line in frank.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        background.insert(v["source"].as_str().unwrap().to_string());
    }
    let background: Vec<String> = background.into_iter().take(40).collect();
    for text in &background {
        let (status, out) = post(&s, &json!({ "text": text }).to_string(), Some(TOKEN));
        assert_eq!(status, 201, "{out}");
    }
    let seeds = seeds(&shared);
    let mut stories = std::collections::BTreeMap::new();
    for (i, (stem, text)) in seeds.iter().enumerate() {
        let body = json!({
            "text": text,
            "id": stem,
            "url": format!("https://outlet{i}.example/news/{stem}"),
            "published": "2025-04-21",
        });
        let (status, out) = post(&s, &body.to_string(), Some(TOKEN));
        assert_eq!(status, 201, "{out}");
        assert_eq!(out["status"], "added");
        assert_eq!(out["doc_id"], stem.as_str());
        stories.insert(stem.clone(), out["story"].as_i64().unwrap());
    }
    // The four rewrites of one wire report join one story as they arrive.
    let rewrites: std::collections::BTreeSet<i64> = stories
        .iter()
        .filter(|(stem, _)| !stem.starts_with("000"))
        .map(|(_, &id)| id)
        .collect();
    assert_eq!(rewrites.len(), 1, "{stories:?}");
    let id = *rewrites.iter().next().unwrap();
    // The same text again, under another URL: a duplicate by content.
    let again = json!({ "text": seeds[1].1, "url": "https://elsewhere.example/copy" });
    let (status, out) = post(&s, &again.to_string(), Some(TOKEN));
    assert_eq!(
        (status, out["status"].as_str(), out["by"].as_str()),
        (200, Some("duplicate"), Some("content"))
    );
    // A known URL with other text: a duplicate by URL.
    let same_url = json!({ "text": "Entirely different words here.", "url": "https://outlet2.example/news/002_df7d6ac8fc2cfb1e#comments" });
    let (status, out) = post(&s, &same_url.to_string(), Some(TOKEN));
    assert_eq!((status, out["by"].as_str()), (200, Some("url")));

    wait_analysed(&s);
    let listed = get_json(&s, "/api/stories?limit=500");
    let listed = listed["stories"].as_array().unwrap();
    let total: i64 = listed.iter().map(|s| s["versions"].as_i64().unwrap()).sum();
    assert_eq!(total, 45, "every stored article is in exactly one story");
    let detail = get_json(&s, &format!("/api/stories/{id}"));
    assert_eq!(detail["story"]["analysed"], true);
    assert!(detail["story"]["versions"].as_i64().unwrap() >= 4);
    let analysis = &detail["analysis"];
    assert!(
        analysis["claims"].as_array().is_some_and(|c| !c.is_empty()),
        "claims extracted"
    );
    assert!(
        analysis["links"].as_array().is_some_and(|l| !l.is_empty()),
        "rewrites aligned"
    );
    assert_eq!(
        detail["articles"].as_array().unwrap().len() as i64,
        detail["story"]["versions"].as_i64().unwrap()
    );

    // Outlet figures exist once analysed.
    let outlets = get_json(&s, "/api/outlets");
    let outlet_id = outlets["outlets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "outlet2.example")
        .expect("the outlet is the URL's host")["id"]
        .as_i64()
        .unwrap();
    let outlet = get_json(&s, &format!("/api/outlets/{outlet_id}"));
    assert_eq!(outlet["series"][0]["period"], "2025-04");
    assert!(
        outlet["series"][0]["original_share"].is_number(),
        "{outlet}"
    );

    // Search finds the story by a title word and by a claim.
    let found = get_json(&s, "/api/search?q=Putin");
    assert!(
        !found["articles"].as_array().unwrap().is_empty()
            || !found["claims"].as_array().unwrap().is_empty()
    );
    let found = get_json(&s, "/api/search?q=Zelensky%20%22%29%28");
    assert!(
        found["claims"].is_array(),
        "FTS syntax in a query is not an error"
    );

    for page in [
        "/",
        &format!("/stories/{id}"),
        "/outlets",
        &format!("/outlets/{outlet_id}"),
        "/search?q=Putin",
    ] {
        let (status, html) = get(&s, page, None);
        assert_eq!(status, 200, "{page}");
        assert!(html.starts_with("<!DOCTYPE html>"), "{page}");
    }
    let (_, story_page) = get(&s, &format!("/stories/{id}"), None);
    assert!(story_page.contains("Putin"));
    drop(s.rt);
}

#[test]
fn article_text_is_escaped_in_every_page() {
    let s = start(Some(TOKEN), false, DEFAULT_MAX_BODY);
    let evil = "<script>alert(1)</script>";
    let body = json!({
        "title": evil,
        "outlet": "<b>Evil & Co</b>",
        "text": format!("{evil}\n\nThe mayor said on Monday that 40 people attended the <img src=x onerror=alert(2)> meeting in Springfield."),
    });
    let (status, out) = post(&s, &body.to_string(), Some(TOKEN));
    assert_eq!(status, 201, "{out}");
    wait_analysed(&s);
    let story = out["story"].as_i64().unwrap();
    for page in [
        "/".to_string(),
        format!("/stories/{story}"),
        "/outlets".into(),
        "/outlets/1".into(),
        "/search?q=script".into(),
    ] {
        let (status, html) = get(&s, &page, None);
        assert_eq!(status, 200, "{page}");
        assert!(!html.contains("<script>alert"), "{page} leaks a script tag");
        assert!(!html.contains("<img src=x"), "{page} leaks an img tag");
        assert!(!html.contains("<b>Evil"), "{page} leaks markup");
    }
    let (_, index) = get(&s, "/", None);
    assert!(index.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn writes_need_the_token_and_bad_input_names_the_field() {
    let s = start(Some(TOKEN), false, 2048);
    let ok = json!({ "text": "A short article about the harbour opening." }).to_string();
    assert_eq!(post(&s, &ok, None).0, 401);
    assert_eq!(post(&s, &ok, Some("wrong")).0, 401);
    let cases = [
        (json!({ "text": "x", "colour": "red" }), 400, "colour"),
        (json!({ "text": 3 }), 400, "text"),
        (json!({}), 400, "text"),
        (json!({ "text": "x", "html": "<p>x</p>" }), 400, "html"),
        (
            json!({ "text": "x", "url": "javascript:alert(1)" }),
            400,
            "url",
        ),
        (
            json!({ "text": "x", "published": "yesterday" }),
            400,
            "published",
        ),
        (json!({ "text": "x", "id": "" }), 400, "id"),
        (json!({ "text": "   \n\n  " }), 422, "text"),
    ];
    for (body, status, field) in cases {
        let (got, out) = post(&s, &body.to_string(), Some(TOKEN));
        assert_eq!(
            (got, out["field"].as_str()),
            (status, Some(field)),
            "{body}: {out}"
        );
        assert!(out["error"].is_string());
    }
    let (got, out) = post(&s, "{not json", Some(TOKEN));
    assert_eq!(got, 400, "{out}");
    let (got, out) = post(&s, "[1,2]", Some(TOKEN));
    assert_eq!(got, 400, "{out}");
    let big = json!({ "text": "word ".repeat(1000) }).to_string();
    let (got, out) = post(&s, &big, Some(TOKEN));
    assert_eq!(got, 413, "{out}");
    // Nothing of the refused requests was stored.
    assert_eq!(get_json(&s, "/api/status")["articles"], 0);
    assert_eq!(post(&s, &ok, Some(TOKEN)).0, 201);
    assert_eq!(get_json(&s, "/api/status")["articles"], 1);

    let (status, body) = get(&s, "/api/stories?limit=0", None);
    assert_eq!(status, 400);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["field"],
        "limit"
    );
    assert_eq!(get(&s, "/api/stories/abc", None).0, 400);
    assert_eq!(get(&s, "/api/stories/999", None).0, 404);
    assert_eq!(get(&s, "/stories/999", None).0, 404);
}

#[test]
fn without_a_token_writes_are_refused_and_private_hides_reads() {
    let open = start(None, false, DEFAULT_MAX_BODY);
    let body = json!({ "text": "Anything." }).to_string();
    assert_eq!(post(&open, &body, Some("guess")).0, 403);

    let private = start(Some(TOKEN), true, DEFAULT_MAX_BODY);
    for path in ["/", "/api/stories", "/api/status", "/search?q=x"] {
        assert_eq!(get(&private, path, None).0, 401, "{path}");
        assert_eq!(get(&private, path, Some(TOKEN)).0, 200, "{path}");
    }
    assert_eq!(get(&private, "/healthz", None).0, 200);
}

#[test]
fn concurrent_posts_are_each_stored_once() {
    let s = start(Some(TOKEN), false, DEFAULT_MAX_BODY);
    let s = Arc::new(s);
    let acked = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let (s, acked) = (s.clone(), acked.clone());
            std::thread::spawn(move || {
                for i in 0..10 {
                    // Every article twice: one of the two is a duplicate, whichever lands second.
                    let text = format!("Report {t}-{i}: the council of town {t} approved budget line {i} on Tuesday.");
                    for _ in 0..2 {
                        let (status, _) = post(&s, &json!({ "text": text }).to_string(), Some(TOKEN));
                        assert!(status == 201 || status == 200);
                        if status == 201 {
                            acked.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(acked.load(Ordering::SeqCst), 80);
    assert_eq!(get_json(&s, "/api/status")["articles"], 80);
    let store = crosscheck_store::Store::open_reader(&s.db).unwrap();
    assert_eq!(store.counts().unwrap().articles, 80);
}
