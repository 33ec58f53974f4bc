//! Load generator for `bench/load.sh`.
//!
//! ```text
//! loadgen populate DB SHARED N        fill a library with N articles made from real texts
//! loadgen reads URL SECONDS THREADS   GET mix against a running server, bounded in time
//! loadgen writes URL TOKEN SECONDS THREADS START
//!                                     POST new articles, bounded in time
//! ```
//!
//! Articles are recombined from the real news texts in `../shared` (FRANK's articles and the
//! Scrapinghub benchmark's article bodies): each *event* takes sentences of one text, a few of
//! another, and an invented person and place, and appears in 1 to 8 versions (sentences
//! dropped, outlets and dates differing), so the library has stories of realistic sizes.
//! Only loopback URLs are accepted: this tool never sends traffic anywhere else.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crosscheck_model::{BlockKind, Document};
use crosscheck_server::Library;
use crosscheck_store::Store;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: deterministic, so a populate run is reproducible.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn sentences(text: &str) -> Vec<String> {
    text.split_inclusive(['.', '!', '?'])
        .map(|s| s.trim().to_string())
        .filter(|s| s.split_whitespace().count() >= 5)
        .collect()
}

fn corpus(shared: &Path) -> Vec<Vec<String>> {
    let mut texts = Vec::new();
    if let Ok(frank) = std::fs::read_to_string(shared.join("bench/factcheck/frank-valid.jsonl")) {
        let mut seen = std::collections::HashSet::new();
        for line in frank.lines() {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                if let Some(s) = v["source"].as_str() {
                    if seen.insert(s.to_string()) {
                        texts.push(sentences(s));
                    }
                }
            }
        }
    }
    if let Ok(gt) =
        std::fs::read_to_string(shared.join("bench/extraction/scrapinghub/ground-truth.json"))
    {
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(&gt) {
            for v in map.values() {
                if let Some(s) = v["articleBody"].as_str() {
                    texts.push(sentences(s));
                }
            }
        }
    }
    texts.retain(|t| t.len() >= 8);
    texts
}

const SYLLABLES: [&str; 16] = [
    "ka", "lor", "ven", "mi", "dra", "tos", "bel", "quin", "ar", "sel", "ur", "tam", "no", "vik",
    "ell", "zor",
];
const OUTLETS: usize = 40;

fn word(rng: &mut Rng, parts: usize) -> String {
    let mut w: String = (0..parts)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect();
    if let Some(first) = w.get(..1) {
        w = first.to_uppercase() + &w[1..];
    }
    w
}

/// The `n`-th generated article (deterministic in `n`).
fn article(texts: &[Vec<String>], n: usize) -> Document {
    let event = n / 4;
    let version = n % 4;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (event as u64 + 1).wrapping_mul(0x1000_0000_01B3));
    let a = &texts[rng.below(texts.len())];
    let b = &texts[rng.below(texts.len())];
    let person = format!("{} {}", word(&mut rng, 2), word(&mut rng, 3));
    let place = word(&mut rng, 3);
    let count = 10 + rng.below(90);
    let start = rng.below(a.len().saturating_sub(8));
    let mut body: Vec<String> = a[start..(start + 8).min(a.len())].to_vec();
    body.extend(b.iter().take(2).cloned());
    body.insert(
        0,
        format!(
            "{person}, the mayor of {place}, said on Monday that {count} people were affected."
        ),
    );
    let day = (event * 7919) % 2000;
    // Each version drops a different sentence, so no two versions have the same text.
    if version > 0 && body.len() > 3 {
        body.remove(version.min(body.len() - 1));
    }
    let title = format!("{place}: {person} speaks after {count} affected");
    let paragraphs: Vec<String> = body.chunks(2).map(|c| c.join(" ")).collect();
    let mut doc = Document::from_blocks(
        format!("gen-{n}"),
        "loadgen",
        std::iter::once((BlockKind::Headline, title.as_str())).chain(
            paragraphs
                .iter()
                .map(|p| (BlockKind::Paragraph, p.as_str())),
        ),
    );
    let outlet = (event * 3 + version * 11) % OUTLETS;
    doc.title = Some(title);
    doc.outlet = Some(format!("outlet{outlet}.example"));
    doc.url = Some(format!("https://outlet{outlet}.example/{event}/{version}"));
    let date = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()
        + chrono::Days::new(day as u64 + version as u64 % 2);
    doc.published = Some(date.format("%Y-%m-%d").to_string());
    doc
}

fn populate(db: &Path, shared: &Path, n: usize) -> anyhow::Result<()> {
    let texts = corpus(shared);
    anyhow::ensure!(!texts.is_empty(), "no texts under {}", shared.display());
    let mut store = Store::open(db)?;
    let mut lib = Library::load(&mut store)?;
    let have = store.counts()?.articles as usize;
    let started = Instant::now();
    let mut done = have;
    while done < n {
        let batch: Vec<Document> = (done..(done + 5000).min(n))
            .map(|i| article(&texts, i))
            .collect();
        lib.ingest(&mut store, &batch)?;
        done += batch.len();
        eprintln!("{done} articles, {:.1} s", started.elapsed().as_secs_f64());
    }
    let secs = started.elapsed().as_secs_f64();
    let counts = store.counts()?;
    println!(
        "populate: {} articles in {} stories; {} new articles in {secs:.1} s ({:.0} articles/s, one transaction per 5000)",
        counts.articles,
        counts.stories,
        n.saturating_sub(have),
        n.saturating_sub(have) as f64 / secs.max(1e-9)
    );
    Ok(())
}

fn loopback(url: &str) -> anyhow::Result<()> {
    let ok = ["http://127.", "http://localhost:", "http://[::1]:"]
        .iter()
        .any(|p| url.starts_with(p));
    anyhow::ensure!(ok, "only loopback URLs are allowed, not {url}");
    Ok(())
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

/// Runs `threads` workers for `seconds`, each calling `request` (which returns success) in a
/// loop; prints throughput and latency percentiles in milliseconds.
fn drive(
    label: &str,
    seconds: u64,
    threads: usize,
    request: impl Fn(usize, u64) -> bool + Send + Sync + 'static,
) {
    let request = Arc::new(request);
    let stop = Arc::new(AtomicBool::new(false));
    let errors = Arc::new(AtomicU64::new(0));
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let workers: Vec<_> = (0..threads)
        .map(|t| {
            let (request, stop, errors, latencies) = (
                request.clone(),
                stop.clone(),
                errors.clone(),
                latencies.clone(),
            );
            std::thread::spawn(move || {
                let mut mine = Vec::new();
                let mut i = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let t0 = Instant::now();
                    if !request(t, i) {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                    mine.push(t0.elapsed().as_micros() as u64);
                    i += 1;
                }
                latencies.lock().unwrap().extend(mine);
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::SeqCst);
    for w in workers {
        let _ = w.join();
    }
    let secs = started.elapsed().as_secs_f64();
    let mut l = latencies.lock().unwrap().clone();
    l.sort_unstable();
    println!(
        "{label}: {} requests in {secs:.1} s = {:.0}/s with {threads} connections; latency ms p50 {:.2} p90 {:.2} p99 {:.2} max {:.2}; {} errors",
        l.len(),
        l.len() as f64 / secs,
        percentile(&l, 0.5),
        percentile(&l, 0.9),
        percentile(&l, 0.99),
        percentile(&l, 1.0),
        errors.load(Ordering::Relaxed)
    );
}

fn reads(url: String, seconds: u64, threads: usize) -> anyhow::Result<()> {
    loopback(&url)?;
    let a = agent();
    let mut resp = a.get(format!("{url}/api/status")).call()?;
    let status: serde_json::Value = serde_json::from_str(&resp.body_mut().read_to_string()?)?;
    let stories = status["stories"].as_u64().unwrap_or(1).max(1);
    let articles = status["articles"].as_u64().unwrap_or(1).max(1);
    println!("reads against {articles} articles in {stories} stories");
    let listing: serde_json::Value = serde_json::from_str(
        &a.get(format!("{url}/api/stories?limit=500"))
            .call()?
            .body_mut()
            .read_to_string()?,
    )?;
    let ids: Vec<i64> = listing["stories"]
        .as_array()
        .map(|s| s.iter().filter_map(|s| s["id"].as_i64()).collect())
        .unwrap_or_default();
    anyhow::ensure!(!ids.is_empty(), "no stories to read");
    let ids = Arc::new(ids);
    let agents: Vec<ureq::Agent> = (0..threads).map(|_| agent()).collect();
    let agents = Arc::new(agents);
    let base = url.clone();
    drive("reads (mix)", seconds, threads, move |t, i| {
        let mut rng = Rng((t as u64 + 1) * 1_000_003 + i);
        let id = ids[rng.below(ids.len())];
        let path = match rng.below(10) {
            0..=2 => format!("/api/stories/{id}"),
            3 => "/api/stories?limit=50".to_string(),
            4..=5 => format!("/api/articles/{}", 1 + rng.below(articles as usize)),
            6 => "/".to_string(),
            7 => format!("/stories/{id}"),
            8 => format!("/api/outlets/{}?articles=20", 1 + rng.below(OUTLETS)),
            _ => "/api/search?q=speaks%20affected&limit=20".to_string(),
        };
        agents[t]
            .get(format!("{base}{path}"))
            .call()
            .map(|mut r| r.status().is_success() && r.body_mut().read_to_vec().is_ok())
            .unwrap_or(false)
    });
    let base = url;
    let agents2: Vec<ureq::Agent> = (0..threads).map(|_| agent()).collect();
    let ids2: Vec<i64> = {
        let listing: serde_json::Value = serde_json::from_str(
            &agent()
                .get(format!("{base}/api/stories?limit=500"))
                .call()?
                .body_mut()
                .read_to_string()?,
        )?;
        listing["stories"]
            .as_array()
            .map(|s| s.iter().filter_map(|s| s["id"].as_i64()).collect())
            .unwrap_or_default()
    };
    drive(
        "reads (GET /api/stories/{id} only)",
        seconds,
        threads,
        move |t, i| {
            let id = ids2[(t * 7919 + i as usize) % ids2.len()];
            agents2[t]
                .get(format!("{base}/api/stories/{id}"))
                .call()
                .map(|mut r| r.status().is_success() && r.body_mut().read_to_vec().is_ok())
                .unwrap_or(false)
        },
    );
    Ok(())
}

fn writes(
    url: String,
    token: String,
    seconds: u64,
    threads: usize,
    start: usize,
    shared: &Path,
) -> anyhow::Result<()> {
    loopback(&url)?;
    let texts = Arc::new(corpus(shared));
    anyhow::ensure!(!texts.is_empty(), "no texts under {}", shared.display());
    let agents: Vec<ureq::Agent> = (0..threads).map(|_| agent()).collect();
    drive(
        "writes (POST /api/articles)",
        seconds,
        threads,
        move |t, i| {
            let n = start + i as usize * threads + t;
            let doc = article(&texts, n);
            let body = serde_json::json!({
                "text": doc.text,
                "title": doc.title,
                "url": doc.url,
                "outlet": doc.outlet,
                "published": doc.published,
                "id": doc.id,
            });
            agents[t]
                .post(format!("{url}/api/articles"))
                .header("Authorization", format!("Bearer {token}"))
                .header("Content-Type", "application/json")
                .send(body.to_string())
                .map(|r| r.status().as_u16() == 201)
                .unwrap_or(false)
        },
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).cloned().unwrap_or_default();
    let num = |i: usize| -> anyhow::Result<u64> { Ok(arg(i).parse()?) };
    match arg(0).as_str() {
        "populate" => populate(Path::new(&arg(1)), Path::new(&arg(2)), num(3)? as usize),
        "reads" => reads(arg(1), num(2)?.min(600), num(3)? as usize),
        "writes" => writes(arg(1), arg(2), num(3)?.min(600), num(4)? as usize, num(5)? as usize, Path::new(&arg(6))),
        _ => anyhow::bail!("usage: loadgen populate DB SHARED N | reads URL SECONDS THREADS | writes URL TOKEN SECONDS THREADS START SHARED"),
    }
}
