//! Crash safety of the real `crosscheck serve` process: SIGKILL in the middle of many concurrent
//! POSTs, restart on the same library, and every acknowledged article is there exactly once, in
//! a whole story.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const TOKEN: &str = "crash-test-token";

fn frank_articles() -> Option<Vec<String>> {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/bench/factcheck/frank-valid.jsonl"
    ));
    let Ok(text) = std::fs::read_to_string(&p) else {
        eprintln!("skipping: ../shared not found");
        return None;
    };
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let source = v["source"].as_str().unwrap().to_string();
        if seen.insert(source.clone()) {
            out.push(source);
        }
    }
    Some(out)
}

struct Server {
    child: Child,
    base: String,
}

fn spawn(db: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args([
            "serve",
            "--no-model",
            "--listen",
            "127.0.0.1:0",
            "--token",
            TOKEN,
            "--db",
        ])
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    let s = Server { child, base };
    let deadline = Instant::now() + Duration::from_secs(120);
    while get(&s, "/healthz")
        .map(|v| v["ready"] != true)
        .unwrap_or(true)
    {
        assert!(Instant::now() < deadline, "server never became ready");
        std::thread::sleep(Duration::from_millis(50));
    }
    s
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

fn get(s: &Server, path: &str) -> Result<Value, ureq::Error> {
    let mut resp = agent().get(format!("{}{path}", s.base)).call()?;
    Ok(serde_json::from_str(&resp.body_mut().read_to_string()?).unwrap_or(Value::Null))
}

#[test]
fn sigkill_during_concurrent_posts_loses_no_acknowledged_article() {
    let Some(articles) = frank_articles() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let mut server = spawn(&db);
    let base = server.base.clone();

    // doc id → text, for every POST answered 201.
    let acked: Arc<Mutex<HashMap<String, (i64, String)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let articles = Arc::new(articles);
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let (acked, stop, articles, base) =
                (acked.clone(), stop.clone(), articles.clone(), base.clone());
            std::thread::spawn(move || {
                let agent = agent();
                // Bounded: each worker posts its share of the articles at most once.
                for (i, text) in articles.iter().enumerate().skip(w).step_by(8) {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let id = format!("frank-{i}");
                    let body = json!({ "text": text, "id": id, "url": format!("https://news.example/{i}") });
                    let resp = agent
                        .post(format!("{base}/api/articles"))
                        .header("Authorization", format!("Bearer {TOKEN}"))
                        .header("Content-Type", "application/json")
                        .send(body.to_string());
                    let Ok(mut resp) = resp else { return }; // the server is gone
                    let status = resp.status().as_u16();
                    let Ok(answer) = resp.body_mut().read_to_string() else { return };
                    if status == 201 {
                        let v: Value = serde_json::from_str(&answer).unwrap();
                        assert_eq!(v["doc_id"], id.as_str());
                        acked
                            .lock()
                            .unwrap()
                            .insert(id, (v["article"].as_i64().unwrap(), text.clone()));
                    }
                }
            })
        })
        .collect();

    let deadline = Instant::now() + Duration::from_secs(120);
    while acked.lock().unwrap().len() < 40 {
        assert!(Instant::now() < deadline, "too few POSTs acknowledged");
        std::thread::sleep(Duration::from_millis(5));
    }
    server.child.kill().unwrap(); // SIGKILL: no chance to flush or shut down
    server.child.wait().unwrap();
    stop.store(true, Ordering::SeqCst);
    for w in workers {
        w.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 40);
    assert!(
        acked.len() < articles.len(),
        "the kill must land while POSTs are still coming"
    );

    let mut server = spawn(&db);
    // Every acknowledged article is stored, with its text.
    for (id, (article, text)) in &acked {
        let v = get(&server, &format!("/api/articles/{article}")).unwrap();
        assert_eq!(v["article"]["doc_id"], id.as_str(), "article {article}");
        assert_eq!(
            v["document"]["text"].as_str().map(str::len),
            Some(
                crosscheck_ingest::document_from_text(text, id, "api")
                    .text
                    .len()
            )
        );
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();

    // Exactly once, and every story whole: its member count matches its members.
    let store = crosscheck_store::Store::open(&db).unwrap();
    let mut per_id: HashMap<String, usize> = HashMap::new();
    let mut per_story: HashMap<i64, i64> = HashMap::new();
    store
        .for_each_document(|_, story, doc| {
            *per_id.entry(doc.id.clone()).or_default() += 1;
            *per_story.entry(story).or_default() += 1;
        })
        .unwrap();
    for id in acked.keys() {
        assert_eq!(per_id.get(id), Some(&1), "{id} stored once");
    }
    eprintln!(
        "{} acknowledged before the kill; {} stored in all",
        acked.len(),
        per_id.len()
    );
    assert!(per_id.values().all(|&n| n == 1));
    let stories = store.stories(100_000, 0).unwrap();
    assert_eq!(stories.len(), per_story.len(), "no story without members");
    for s in &stories {
        assert_eq!(
            per_story.get(&s.id).copied(),
            Some(s.versions),
            "story {} is whole",
            s.id
        );
        if let Some(d) = store.story(s.id).unwrap() {
            if let Some(a) = d.analysis {
                let members: Vec<&str> = d.articles.iter().map(|a| a.doc_id.as_str()).collect();
                assert!(a
                    .story
                    .documents
                    .iter()
                    .all(|doc| members.contains(&doc.as_str())));
            }
        }
    }
}
