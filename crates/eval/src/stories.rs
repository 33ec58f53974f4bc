//! Story clustering against gold labels: adjusted Rand index and pairwise precision, recall and
//! F1, the usual measures for a flat clustering.
//!
//! Input is JSON Lines, one article per line: `text`, optional `id`, `title`, `published`, and
//! the gold `story` label. The file is streamed in batches, so memory stays bounded by the story
//! index, not by the corpus.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use crosscheck_model::SentenceEmbedder;
use crosscheck_stories::{lead_text, DocFeatures, StoryIndex};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Lines read and clustered together: all of a batch counts into word statistics before any of
/// it is placed (see `StoryIndex::add_batch`). Each batch is read and featurised while the one
/// before is placed, but the first is featurised, and the last placed, with nothing beside it:
/// 2 500 lines rather than 20 000 made 10 000 articles about 7% faster (median of 25 alternating
/// runs) and 1M no slower, with the same agreement to three decimals (FRANK, a single batch
/// either way, is unchanged).
const BATCH: usize = 2_500;

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
    let started = Instant::now();
    let mut index = StoryIndex::new();
    let mut gold_ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut gold: Vec<Option<u32>> = Vec::new();
    let mut skipped = 0;
    let mut lines = LineReader::new(file);
    let mut current = lines.read_batch(embedder)?;
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
            || lines.read_batch(embedder),
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

/// Reads JSON lines in chunks, each parsed while the next is read. Reading a whole batch
/// before parsing any of it kept the other threads idle for about 8% of a 10 000-article run,
/// and a fresh buffer for all of it doubled the reading time in page faults; two chunk
/// buffers, used in turn, stay mapped.
struct LineReader<R> {
    inner: R,
    /// The chunk being parsed and the one being read; each starts with the unfinished last
    /// line of the one before.
    chunks: [Vec<u8>; 2],
    eof: bool,
    /// Lines read so far, to name articles without an id.
    line_no: usize,
}

/// Bytes asked of the file for each chunk read while the one before is parsed.
const READ_CHUNK: u64 = 2 << 20;
/// Bytes asked of the file when nothing can be parsed until they arrive (at the start, or
/// within a line longer than the chunk): reading FRANK's 740 KB before parsing any of it kept
/// the other thread idle for 0.7-0.9 ms, 5% of the run.
const FIRST_READ: u64 = 128 << 10;

impl<R: Read + Send> LineReader<R> {
    fn new(inner: R) -> Self {
        LineReader {
            inner,
            chunks: Default::default(),
            eof: false,
            line_no: 0,
        }
    }

    /// Appends the next `size` bytes of the input to `chunk`; whether the input has ended.
    fn read_chunk(inner: &mut R, chunk: &mut Vec<u8>, size: u64) -> std::io::Result<bool> {
        // Room for the whole chunk at once: grown step by step as it is read, the buffer was
        // copied and its fresh pages faulted in again at each step, which made reading FRANK's
        // 740 KB take 1.4-3.8 ms instead of 0.7-0.9 ms.
        chunk.reserve(size as usize);
        Ok(inner.take(size).read_to_end(chunk)? == 0)
    }

    /// Reads and featurises the next [`BATCH`] lines (`None` for a line that is not an
    /// article); fewer at the end of the input.
    fn read_batch(
        &mut self,
        embedder: Option<&dyn SentenceEmbedder>,
    ) -> anyhow::Result<Vec<Option<Parsed>>> {
        let mut out = Vec::with_capacity(BATCH);
        // How much of the current chunk is known to hold no newline: a line longer than a
        // chunk is searched once, not again after each chunk added to it.
        let mut searched = 0;
        while out.len() < BATCH {
            let [current, next] = &mut self.chunks;
            let mut ends: Vec<usize> = memchr::memchr_iter(b'\n', &current[searched..])
                .map(|i| searched + i + 1)
                .take(BATCH - out.len())
                .collect();
            if ends.is_empty() && !self.eof {
                searched = current.len();
                self.eof = Self::read_chunk(&mut self.inner, current, FIRST_READ)?;
                continue;
            }
            // At the end of the input, a last line may lack its newline.
            let whole = ends.last().copied().unwrap_or(0);
            if self.eof && ends.len() < BATCH - out.len() && whole < current.len() {
                ends.push(current.len());
            }
            let Some(&taken) = ends.last() else {
                break;
            };
            let base = self.line_no;
            self.line_no += ends.len();
            let lines = &current[..taken];
            let inner = &mut self.inner;
            let eof = self.eof;
            let (parsed, read) = rayon::join(
                || {
                    (0..ends.len())
                        .into_par_iter()
                        .map(|i| {
                            let start = if i == 0 { 0 } else { ends[i - 1] };
                            parse(&lines[start..ends[i]], base + i + 1, embedder.is_some())
                        })
                        .collect::<Vec<_>>()
                },
                || {
                    next.clear();
                    next.extend_from_slice(&current[taken..]);
                    if eof {
                        Ok(true)
                    } else {
                        Self::read_chunk(inner, next, READ_CHUNK)
                    }
                },
            );
            out.extend(parsed);
            self.eof = read?;
            self.chunks.swap(0, 1);
            searched = 0;
        }
        Ok(out)
    }
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
        .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
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

    /// Lines that span chunks, blank and broken lines, and a last line without its newline all
    /// come out once, in order, split into batches of at most [`BATCH`].
    #[test]
    fn lines_across_chunks_come_out_once_in_order() {
        let total = 3 * BATCH + 1_234;
        let mut input = String::new();
        let (mut expected, mut broken) = (Vec::new(), 0);
        for n in 1..=total {
            match n % 1_000 {
                0 | 500 => {
                    input.push_str(if n % 1_000 == 0 { "\n" } else { "{not json\n" });
                    broken += 1;
                }
                // Lines of very different lengths, the first longer than a chunk.
                k => {
                    let words = match n {
                        1 => 600_000,
                        _ if k == 1 => 60_000,
                        _ => k % 97 + 1,
                    };
                    let text = "word ".repeat(words);
                    let id = if k % 3 == 0 {
                        format!("line {n}")
                    } else {
                        format!("a{n}")
                    };
                    let field = if k % 3 == 0 {
                        String::new()
                    } else {
                        format!(r#""id": "{id}", "#)
                    };
                    input.push_str(&format!(r#"{{{field}"text": "{text}"}}"#));
                    if n < total {
                        input.push('\n');
                    }
                    expected.push(id);
                }
            }
        }
        assert!(input.len() as u64 > 3 * READ_CHUNK);
        // The last line lacks its newline.
        assert!(!input.ends_with('\n'));
        let mut reader = LineReader::new(std::io::Cursor::new(input.into_bytes()));
        let (mut ids, mut skipped, mut sizes) = (Vec::new(), 0, Vec::new());
        loop {
            let batch = reader.read_batch(None).unwrap();
            if batch.is_empty() {
                break;
            }
            sizes.push(batch.len());
            for p in batch {
                match p {
                    Some(p) => ids.push(p.id),
                    None => skipped += 1,
                }
            }
        }
        assert_eq!(sizes, [BATCH, BATCH, BATCH, 1_234]);
        assert_eq!(skipped, broken);
        assert_eq!(ids, expected);
    }
}
