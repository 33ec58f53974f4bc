//! Embedding throughput on real news sentences: the seed articles plus FRANK's validation
//! articles and summaries, segmented as the pipeline does.
//!
//!   cargo run --release -p crosscheck-embed --example bench -- [MODEL_DIR] [MAX_SENTENCES] [BATCH_TOKENS]
//!
//! Threads follow RAYON_NUM_THREADS (default: all cores). Prints sentences per second for a
//! first pass, then the time of a second, cached pass over the same sentences.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crosscheck_embed::{default_model_dir, Embedder};
use crosscheck_model::SentenceEmbedder;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().map_or_else(default_model_dir, PathBuf::from);
    let limit: usize = args.next().map_or(Ok(2000), |s| s.parse())?;
    let batch: usize = args
        .next()
        .map_or(Ok(crosscheck_embed::DEFAULT_BATCH_TOKENS), |s| s.parse())?;
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");

    let mut texts: Vec<String> = Vec::new();
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(shared.join("corpus/seeds"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    seeds.sort();
    for path in seeds {
        texts.push(std::fs::read_to_string(path)?);
    }
    let frank = std::fs::read_to_string(shared.join("bench/factcheck/frank-valid.jsonl"))?;
    let mut seen_sources = std::collections::HashSet::new();
    for line in frank.lines() {
        let item: serde_json::Value = serde_json::from_str(line)?;
        for field in ["source", "claim"] {
            if let Some(text) = item[field].as_str() {
                if field == "claim" || seen_sources.insert(text.to_string()) {
                    texts.push(text.to_string());
                }
            }
        }
    }
    let mut sentences: Vec<String> = Vec::new();
    for text in &texts {
        for span in crosscheck_text::segment_text("en", text) {
            sentences.push(text[span.start..span.end].to_string());
        }
    }
    sentences.truncate(limit);
    let refs: Vec<&str> = sentences.iter().map(String::as_str).collect();
    let chars: usize = refs.iter().map(|s| s.chars().count()).sum();
    let tokenizer =
        tokenizers::Tokenizer::from_file(dir.join("tokenizer.json")).map_err(anyhow::Error::msg)?;
    let mut tokens = 0;
    for s in &refs {
        let encoding = tokenizer.encode(*s, true).map_err(anyhow::Error::msg)?;
        // The shipped tokenizer pads to a fixed length: count the real tokens only.
        tokens += encoding
            .get_attention_mask()
            .iter()
            .filter(|&&m| m == 1)
            .count();
    }

    let t = Instant::now();
    let embedder = Embedder::load(&dir)?.with_batch_tokens(batch);
    let load = t.elapsed().as_secs_f64();

    // The first pass runs the model on every distinct sentence; the second is served from
    // the cache, as repeated sentences are within one run.
    let t = Instant::now();
    let vectors = embedder.embed(&refs).map_err(anyhow::Error::msg)?;
    let cold = t.elapsed().as_secs_f64();
    assert_eq!(vectors.len(), refs.len());
    let t = Instant::now();
    embedder.embed(&refs).map_err(anyhow::Error::msg)?;
    let warm = t.elapsed().as_secs_f64();

    println!(
        "model {} | threads {} | batch {} tokens | {} sentences, {:.0} chars and {:.1} tokens avg | load {:.2}s",
        embedder.name(),
        rayon::current_num_threads(),
        batch,
        refs.len(),
        chars as f64 / refs.len().max(1) as f64,
        tokens as f64 / refs.len().max(1) as f64,
        load
    );
    println!(
        "model: {:.2}s, {:.0} sentences/s | cached repeat: {:.4}s",
        cold,
        refs.len() as f64 / cold,
        warm
    );
    Ok(())
}
