//! Times claim extraction and cross-checking of one story: the text files given are its
//! versions (one paragraph a line), each its own family, no alignment. Prints the median of 50
//! runs of each stage and the findings' count.
//!
//! cargo run --release -p crosscheck-check --example time_story -- ../shared/corpus/seeds/*.txt
//!
//! With `REPEAT=n` in the environment each file counts n times (a story of many versions).

use std::time::{Duration, Instant};

use crosscheck_model::{BlockKind, Document};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let repeat: usize = std::env::var("REPEAT")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let docs: Vec<Document> = (0..repeat)
        .flat_map(|r| paths.iter().map(move |p| (r, p)))
        .filter_map(|(r, path)| {
            let text = std::fs::read_to_string(path).ok()?;
            Some(Document::from_blocks(
                format!("{path}#{r}"),
                path.clone(),
                text.lines().map(|l| (BlockKind::Paragraph, l)),
            ))
        })
        .collect();
    let refs: Vec<&Document> = docs.iter().collect();
    let sentences: Vec<_> = refs.iter().map(|d| crosscheck_text::segment(d)).collect();
    let (mut extract, mut check) = (Vec::new(), Vec::new());
    let mut found = 0;
    for _ in 0..50 {
        let t = Instant::now();
        let claims: Vec<_> = refs
            .iter()
            .zip(&sentences)
            .flat_map(|(d, s)| crosscheck_claims::extract(d, s))
            .collect();
        extract.push(t.elapsed());
        let t = Instant::now();
        found = crosscheck_check::cross_check(&refs, &sentences, &[], &[], &claims).len();
        check.push(t.elapsed());
    }
    println!(
        "{} documents: extract {:?}, cross_check {:?} (median of 50), {found} findings",
        docs.len(),
        median(extract),
        median(check)
    );
}
