//! How long one story takes to cross-check: segmentation, alignment, families, defects, claims
//! and findings, for all documents in a folder treated as one story.
//!
//! `cargo run --release -p crosscheck-pipeline --example story_speed -- ../shared/corpus/seeds`

use std::path::PathBuf;
use std::time::Instant;

use crosscheck_model::Story;

fn main() {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "../shared/corpus/seeds".into()),
    );
    let ingested = crosscheck_ingest::read_paths(&[dir], false);
    let docs: Vec<_> = ingested.documents.iter().collect();
    let story = Story {
        id: "bench".into(),
        title: String::new(),
        documents: docs.iter().map(|d| d.id.clone()).collect(),
    };
    let opts = crosscheck_pipeline::Options::default();
    let runs = 50;
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let analysis = crosscheck_pipeline::analyze_story(story.clone(), &docs, &opts);
            std::hint::black_box(analysis);
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let words: usize = docs.iter().map(|d| d.word_count()).sum();
    println!(
        "{} documents, {} words: one story cross-checked in {:.2} ms median, {:.2} ms p90, {:.2} ms max over {} runs ({} threads)",
        docs.len(),
        words,
        times[runs / 2],
        times[runs * 9 / 10],
        times[runs - 1],
        runs,
        rayon::current_num_threads()
    );
}
