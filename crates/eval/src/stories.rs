//! Story clustering against gold labels: adjusted Rand index and pairwise precision, recall and
//! F1, the usual measures for a flat clustering.
//!
//! Input is JSON Lines, one article per line: `text`, optional `id`, `title`, `published`, and
//! the gold `story` label. The file is streamed in batches, so memory stays bounded by the story
//! index, not by the corpus.

use std::borrow::Cow;
use std::io::BufRead;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use crosscheck_model::SentenceEmbedder;
use crosscheck_stories::{lead_text, DocFeatures, StoryIndex};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Lines read and clustered together: all of a batch counts into word statistics before any of
/// it is placed (see `StoryIndex::add_batch`).
const BATCH: usize = 20_000;
/// The room made up front for a batch's lines: about what 20 000 news articles take.
const BATCH_BYTES: usize = 64 << 20;

#[derive(Debug, Clone, Serialize)]
pub struct StoriesReport {
    pub articles: usize,
    /// Lines that were not a JSON object with a `text` string.
    pub skipped: usize,
    /// Articles with a gold `story` label (the metrics are over these).
    pub labelled: usize,
    pub gold_stories: usize,
    pub predicted_stories: usize,
    pub adjusted_rand_index: f64,
    pub pairwise_precision: f64,
    pub pairwise_recall: f64,
    pub pairwise_f1: f64,
    pub seconds: f64,
    pub articles_per_second: f64,
    /// The embedder used, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

/// Fields borrow from the line where JSON escapes allow.
#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow)]
    text: Cow<'a, str>,
    #[serde(default, borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    title: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    published: Option<Cow<'a, str>>,
    #[serde(default)]
    story: Option<serde_json::Value>,
}

struct Parsed {
    id: String,
    features: DocFeatures,
    lead: Option<String>,
    story: Option<String>,
}

/// Clusters the articles of a JSONL file and scores the result against its `story` labels.
pub fn evaluate(
    path: &Path,
    embedder: Option<&dyn SentenceEmbedder>,
) -> anyhow::Result<StoriesReport> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let size = file.metadata().map_or(0, |m| m.len());
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    let started = Instant::now();
    let mut index = StoryIndex::new();
    let mut gold_ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut gold: Vec<Option<u32>> = Vec::new();
    let mut skipped = 0;
    let mut line_no = 0usize;
    // One buffer for every batch's lines: a fresh one per batch costs as much in page faults
    // as the parsing. It is sized up front: growing it while reading copies what was read
    // and touches fresh pages, and nothing else runs meanwhile.
    let mut lines = Lines::default();
    lines
        .buf
        .reserve(usize::try_from(size).unwrap_or(usize::MAX).min(BATCH_BYTES));
    let mut current = read_batch(&mut reader, &mut line_no, &mut lines, embedder)?;
    // Placing a batch is sequential; reading and featurising the next one runs beside it.
    while !current.is_empty() {
        let mut place = |batch: Vec<Option<Parsed>>| {
            let mut skipped = 0;
            let parsed: Vec<Parsed> = batch
                .into_iter()
                .filter_map(|p| {
                    skipped += usize::from(p.is_none());
                    p
                })
                .collect();
            let embeddings = embed(&parsed, embedder);
            let items = parsed
                .iter()
                .zip(embeddings)
                .map(|(p, e)| (p.id.as_str(), &p.features, e))
                .collect();
            index.add_features(items);
            for p in parsed {
                gold.push(p.story.map(|s| {
                    let n = gold_ids.len() as u32;
                    *gold_ids.entry(s).or_insert(n)
                }));
            }
            skipped
        };
        let (placed, next) = rayon::join(
            || place(std::mem::take(&mut current)),
            || read_batch(&mut reader, &mut line_no, &mut lines, embedder),
        );
        skipped += placed;
        current = next?;
    }
    let predicted: Vec<u32> = (0..index.len()).map(|i| index.story_of(i) as u32).collect();
    let seconds = started.elapsed().as_secs_f64();
    let pairs: Vec<(u32, u32)> = gold
        .iter()
        .zip(&predicted)
        .filter_map(|(g, &p)| g.map(|g| (g, p)))
        .collect();
    let m = pair_metrics(&pairs);
    let mut distinct: Vec<u32> = predicted.clone();
    distinct.sort_unstable();
    distinct.dedup();
    Ok(StoriesReport {
        articles: index.len(),
        skipped,
        labelled: pairs.len(),
        gold_stories: gold_ids.len(),
        predicted_stories: distinct.len(),
        adjusted_rand_index: m.ari,
        pairwise_precision: m.precision,
        pairwise_recall: m.recall,
        pairwise_f1: m.f1,
        seconds,
        articles_per_second: index.len() as f64 / seconds.max(1e-9),
        model: embedder.map(|e| e.name().to_string()),
    })
}

/// A batch of lines in one buffer rather than a string per line.
#[derive(Default)]
struct Lines {
    buf: Vec<u8>,
    ends: Vec<usize>,
}

/// Reads and featurises the next batch of lines (`None` for a line that is not an article).
fn read_batch(
    reader: &mut impl BufRead,
    line_no: &mut usize,
    lines: &mut Lines,
    embedder: Option<&dyn SentenceEmbedder>,
) -> anyhow::Result<Vec<Option<Parsed>>> {
    let Lines { buf, ends } = lines;
    buf.clear();
    ends.clear();
    for _ in 0..BATCH {
        if reader.read_until(b'\n', buf)? == 0 {
            break;
        }
        ends.push(buf.len());
    }
    let base = *line_no;
    *line_no += ends.len();
    Ok((0..ends.len())
        .into_par_iter()
        .map(|i| {
            let start = if i == 0 { 0 } else { ends[i - 1] };
            parse(&buf[start..ends[i]], base + i + 1, embedder.is_some())
        })
        .collect())
}

fn embed(parsed: &[Parsed], embedder: Option<&dyn SentenceEmbedder>) -> Vec<Option<Vec<f32>>> {
    let none = || vec![None; parsed.len()];
    let Some(e) = embedder else {
        return none();
    };
    let leads: Vec<&str> = parsed
        .iter()
        .map(|p| p.lead.as_deref().unwrap_or(""))
        .collect();
    match e.embed(&leads) {
        Ok(v) if v.len() == parsed.len() => v.into_iter().map(Some).collect(),
        _ => none(),
    }
}

fn parse(line: &[u8], line_no: usize, want_lead: bool) -> Option<Parsed> {
    let line = line.trim_ascii();
    if line.is_empty() {
        return None;
    }
    let l: Line = serde_json::from_slice(line).ok()?;
    let day = l
        .published
        .as_deref()
        .and_then(|p| p.get(..10))
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .and_then(|d| {
            d.signed_duration_since(chrono::NaiveDate::default())
                .num_days()
                .try_into()
                .ok()
        });
    let title = l.title.as_deref().unwrap_or("");
    let features = DocFeatures::from_parts(title, &l.text, day);
    let story = l.story.map(|s| match s {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    });
    Some(Parsed {
        id: l
            .id
            .map_or_else(|| format!("line {line_no}"), Cow::into_owned),
        lead: want_lead.then(|| lead_text(l.title.as_deref(), &l.text)),
        features,
        story,
    })
}

/// Agreement of two labelings of the same items, counted over item pairs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairMetrics {
    pub ari: f64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

fn choose2(n: u64) -> f64 {
    (n as f64) * (n.saturating_sub(1) as f64) / 2.0
}

/// Adjusted Rand index (Hubert and Arabie) and pairwise precision/recall/F1 of `(gold,
/// predicted)` label pairs.
pub fn pair_metrics(pairs: &[(u32, u32)]) -> PairMetrics {
    let mut cells: FxHashMap<(u32, u32), u64> = FxHashMap::default();
    let mut rows: FxHashMap<u32, u64> = FxHashMap::default();
    let mut cols: FxHashMap<u32, u64> = FxHashMap::default();
    for &(g, p) in pairs {
        *cells.entry((g, p)).or_default() += 1;
        *rows.entry(g).or_default() += 1;
        *cols.entry(p).or_default() += 1;
    }
    let same_both: f64 = cells.values().map(|&n| choose2(n)).sum();
    let same_gold: f64 = rows.values().map(|&n| choose2(n)).sum();
    let same_pred: f64 = cols.values().map(|&n| choose2(n)).sum();
    let total = choose2(pairs.len() as u64);
    let expected = if total > 0.0 {
        same_gold * same_pred / total
    } else {
        0.0
    };
    let max = (same_gold + same_pred) / 2.0;
    let ari = if (max - expected).abs() < f64::EPSILON {
        1.0
    } else {
        (same_both - expected) / (max - expected)
    };
    let precision = if same_pred > 0.0 {
        same_both / same_pred
    } else {
        1.0
    };
    let recall = if same_gold > 0.0 {
        same_both / same_gold
    } else {
        1.0
    };
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    PairMetrics {
        ari,
        precision,
        recall,
        f1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_match_hand_counts() {
        // Gold {0,1,2},{3,4}; predicted {0,1},{2,3,4}: 2 of the 4 gold pairs found, 2 of 4
        // predicted pairs right; ARI of this textbook case is 1/6.
        let m = pair_metrics(&[(0, 0), (0, 0), (0, 1), (1, 1), (1, 1)]);
        assert!((m.precision - 0.5).abs() < 1e-9);
        assert!((m.recall - 0.5).abs() < 1e-9);
        assert!((m.ari - 1.0 / 6.0).abs() < 1e-9, "{}", m.ari);
        let perfect = pair_metrics(&[(0, 5), (0, 5), (1, 7)]);
        assert_eq!(perfect.ari, 1.0);
    }

    #[test]
    fn frank_stories_cluster_with_high_agreement() {
        let path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/bench/stories/frank-stories-valid.jsonl"
        ));
        if !path.exists() {
            eprintln!("skipping: ../shared not found");
            return;
        }
        let r = evaluate(path, None).unwrap();
        assert_eq!(r.articles, 1043);
        assert_eq!(r.gold_stories, 149);
        assert!(r.adjusted_rand_index >= 0.90, "{r:?}");
    }
}
