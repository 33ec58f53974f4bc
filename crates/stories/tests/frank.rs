//! FRANK stories: 149 news articles, each with six short rewrites (five machine summaries and
//! a human reference, PTB-tokenised, some wrong). Every text must land with its own article.

use std::collections::HashMap;
use std::path::Path;

use crosscheck_model::{BlockKind, Document};

fn load() -> Option<(Vec<Document>, Vec<String>)> {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/bench/stories/frank-stories-valid.jsonl"
    ));
    let text = std::fs::read_to_string(path).ok()?;
    let mut docs = Vec::new();
    let mut gold = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        // Ids are line numbers: the file's own ids embed the gold label.
        docs.push(Document::from_blocks(
            format!("line{i}"),
            "frank",
            [(BlockKind::Paragraph, v["text"].as_str()?)],
        ));
        gold.push(v["story"].as_str()?.to_string());
    }
    Some((docs, gold))
}

/// Adjusted Rand index of two labelings.
fn ari(gold: &[String], pred: &[usize]) -> f64 {
    let c2 = |n: usize| (n * n.saturating_sub(1)) as f64 / 2.0;
    let mut cells: HashMap<(&str, usize), usize> = HashMap::new();
    let mut rows: HashMap<&str, usize> = HashMap::new();
    let mut cols: HashMap<usize, usize> = HashMap::new();
    for (g, &p) in gold.iter().zip(pred) {
        *cells.entry((g, p)).or_default() += 1;
        *rows.entry(g).or_default() += 1;
        *cols.entry(p).or_default() += 1;
    }
    let both: f64 = cells.values().map(|&n| c2(n)).sum();
    let a: f64 = rows.values().map(|&n| c2(n)).sum();
    let b: f64 = cols.values().map(|&n| c2(n)).sum();
    let expected = a * b / c2(gold.len());
    (both - expected) / ((a + b) / 2.0 - expected)
}

#[test]
fn frank_rewrites_join_their_article() {
    let Some((docs, gold)) = load() else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let stories = crosscheck_stories::cluster(&docs, None);
    let mut pred = vec![usize::MAX; docs.len()];
    for (s, story) in stories.iter().enumerate() {
        for id in &story.documents {
            let i: usize = id.trim_start_matches("line").parse().unwrap();
            pred[i] = s;
        }
    }
    assert!(pred.iter().all(|&p| p != usize::MAX));
    let score = ari(&gold, &pred);
    eprintln!("FRANK stories: {} predicted, ARI {score:.4}", stories.len());
    assert!(score >= 0.90, "ARI {score:.4}");
}

#[test]
fn stories_do_not_depend_on_the_number_of_threads() {
    let Some((docs, _)) = load() else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| crosscheck_stories::cluster(&docs, None))
    };
    let one = run(1);
    assert_eq!(one, run(3));
    // Placing in parallel batches must neither drop nor duplicate a document.
    assert_eq!(
        one.iter().map(|s| s.documents.len()).sum::<usize>(),
        docs.len()
    );
}
