//! Summary fact checking on FRANK-style pairs (Pagnoni et al., NAACL 2021).
//!
//! Each item is a news article (`source`), a machine-written summary of it (`claim`) and the
//! human label `factual` (no annotator found an error in any sentence). The field's metric is
//! balanced accuracy (the mean of the recalls of the factual and the non-factual class),
//! reported per `dataset` because CNN/DM and BBC (XSum) have very different base rates.
//!
//! crosscheck is scored at its default decision (`crosscheck_verify::THRESHOLD`, fixed in code).
//! Each published baseline is scored at *its* best threshold on the same items, an oracle
//! advantage for them.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crosscheck_model::{BlockKind, Document, SentenceEmbedder};

/// One labelled pair.
#[derive(Debug, Clone, Deserialize)]
pub struct Item {
    pub id: String,
    pub dataset: String,
    pub source: String,
    pub claim: String,
    pub factual: bool,
}

/// Reads a JSONL file of items; lines that are blank are skipped, malformed ones are errors
/// (a benchmark must not silently shrink).
pub fn read_items(path: &Path) -> Result<Vec<Item>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).with_context(|| format!("{}:{}", path.display(), i + 1))
        })
        .collect()
}

/// Baseline scores by item id and metric name. Numeric fields are metrics; `id`, `split` and
/// null scores are left out.
pub fn read_baselines(path: &Path) -> Result<HashMap<String, BTreeMap<String, f64>>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("{}:{}", path.display(), i + 1))?;
        let Some(obj) = value.as_object() else {
            anyhow::bail!("{}:{}: not an object", path.display(), i + 1);
        };
        let Some(id) = obj.get("id").and_then(|v| v.as_str()) else {
            anyhow::bail!("{}:{}: no id", path.display(), i + 1);
        };
        let scores = obj
            .iter()
            .filter_map(|(k, v)| v.as_f64().map(|x| (k.clone(), x)))
            .collect();
        out.insert(id.to_string(), scores);
    }
    Ok(out)
}

/// Mean of the recall on positives and the recall on negatives; 0.5 when a class is absent
/// (no information either way).
pub fn balanced_accuracy(decisions: &[(bool, bool)]) -> f64 {
    let recall = |class: bool| {
        let (hit, all) = decisions
            .iter()
            .filter(|(_, label)| *label == class)
            .fold((0usize, 0usize), |(h, a), (pred, _)| {
                (h + usize::from(*pred == class), a + 1)
            });
        if all == 0 {
            0.5
        } else {
            hit as f64 / all as f64
        }
    };
    (recall(true) + recall(false)) / 2.0
}

/// The best balanced accuracy any threshold reaches when "score ≥ threshold" means factual,
/// and that threshold.
pub fn oracle_balanced_accuracy(scored: &[(f64, bool)]) -> (f64, f64) {
    let mut sorted: Vec<(f64, bool)> = scored
        .iter()
        .copied()
        .filter(|(s, _)| s.is_finite())
        .collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let pos = sorted.iter().filter(|(_, l)| *l).count();
    let neg = sorted.len() - pos;
    if pos == 0 || neg == 0 {
        return (0.5, f64::NEG_INFINITY);
    }
    // Sweep the threshold upwards: everything below it is predicted non-factual.
    let (mut tp, mut tn) = (pos, 0usize);
    let mut best = (0.5, f64::NEG_INFINITY);
    let mut i = 0;
    while i <= sorted.len() {
        let threshold = sorted.get(i).map_or(f64::INFINITY, |x| x.0);
        let bacc = (tp as f64 / pos as f64 + tn as f64 / neg as f64) / 2.0;
        if bacc > best.0 {
            best = (bacc, threshold);
        }
        if i == sorted.len() {
            break;
        }
        // Move every item with this exact score below the threshold together.
        let mut j = i;
        while j < sorted.len() && sorted[j].0 == threshold {
            if sorted[j].1 {
                tp -= 1;
            } else {
                tn += 1;
            }
            j += 1;
        }
        i = j;
    }
    best
}

/// One item's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct ItemResult {
    pub id: String,
    pub dataset: String,
    pub factual: bool,
    pub score: f32,
    pub supported: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct BaselineResult {
    pub metric: String,
    /// Items of the dataset that have a score for this metric.
    pub items: usize,
    pub balanced_accuracy: f64,
    pub threshold: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DatasetResult {
    pub dataset: String,
    pub items: usize,
    pub factual: usize,
    /// crosscheck at its fixed default threshold.
    pub balanced_accuracy: f64,
    /// Best over thresholds of crosscheck's own score: what a tuned threshold would add.
    pub oracle_balanced_accuracy: f64,
    /// Sorted best first.
    pub baselines: Vec<BaselineResult>,
}

impl DatasetResult {
    pub fn best_baseline(&self) -> Option<&BaselineResult> {
        self.baselines.first()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub pairs: usize,
    pub seconds: f64,
    pub pairs_per_second: f64,
    pub threshold: f32,
    pub datasets: Vec<DatasetResult>,
    pub items: Vec<ItemResult>,
}

/// The article as a document: one paragraph block per non-empty line.
pub fn document(id: &str, text: &str) -> Document {
    Document::from_blocks(id, id, text.lines().map(|l| (BlockKind::Paragraph, l)))
}

/// Runs `crosscheck_verify::verify` over every item (in parallel) and scores it per dataset
/// beside the baselines (`baselines` may be empty).
pub fn evaluate(
    items: &[Item],
    baselines: &HashMap<String, BTreeMap<String, f64>>,
    embedder: Option<&dyn SentenceEmbedder>,
) -> Report {
    let start = Instant::now();
    let results: Vec<ItemResult> = items
        .par_iter()
        .map(|item| {
            let source = document(&format!("{}#source", item.id), &item.source);
            let claim = document(&format!("{}#claim", item.id), &item.claim);
            let v = crosscheck_verify::verify(std::slice::from_ref(&source), &claim, embedder);
            ItemResult {
                id: item.id.clone(),
                dataset: item.dataset.clone(),
                factual: item.factual,
                score: v.score,
                supported: v.supported,
            }
        })
        .collect();
    let seconds = start.elapsed().as_secs_f64();

    let mut names: Vec<&str> = results.iter().map(|r| r.dataset.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let datasets = names
        .into_iter()
        .map(|name| {
            let rs: Vec<&ItemResult> = results.iter().filter(|r| r.dataset == name).collect();
            let decisions: Vec<(bool, bool)> =
                rs.iter().map(|r| (r.supported, r.factual)).collect();
            let own: Vec<(f64, bool)> =
                rs.iter().map(|r| (f64::from(r.score), r.factual)).collect();
            let mut metrics: Vec<&str> = rs
                .iter()
                .filter_map(|r| baselines.get(&r.id))
                .flat_map(|m| m.keys().map(String::as_str))
                .collect();
            metrics.sort_unstable();
            metrics.dedup();
            let mut base: Vec<BaselineResult> = metrics
                .into_iter()
                .map(|metric| {
                    let scored: Vec<(f64, bool)> = rs
                        .iter()
                        .filter_map(|r| {
                            let s = baselines.get(&r.id)?.get(metric)?;
                            Some((*s, r.factual))
                        })
                        .collect();
                    let (bacc, threshold) = oracle_balanced_accuracy(&scored);
                    BaselineResult {
                        metric: metric.to_string(),
                        items: scored.len(),
                        balanced_accuracy: bacc,
                        threshold,
                    }
                })
                .collect();
            base.sort_by(|a, b| b.balanced_accuracy.total_cmp(&a.balanced_accuracy));
            DatasetResult {
                dataset: name.to_string(),
                items: rs.len(),
                factual: rs.iter().filter(|r| r.factual).count(),
                balanced_accuracy: balanced_accuracy(&decisions),
                oracle_balanced_accuracy: oracle_balanced_accuracy(&own).0,
                baselines: base,
            }
        })
        .collect();
    Report {
        pairs: results.len(),
        seconds,
        pairs_per_second: results.len() as f64 / seconds.max(1e-9),
        threshold: crosscheck_verify::THRESHOLD,
        datasets,
        items: results,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balanced_accuracy_weighs_classes_equally() {
        let d = [
            (true, true),
            (false, false),
            (false, false),
            (false, false),
            (true, false),
        ];
        assert!((balanced_accuracy(&d) - (1.0 + 0.75) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn oracle_threshold_separates_and_handles_ties() {
        let scored = [
            (0.1, false),
            (0.2, false),
            (0.5, true),
            (0.5, false),
            (0.9, true),
        ];
        let (bacc, t) = oracle_balanced_accuracy(&scored);
        // At 0.5: both positives kept, two of three negatives rejected.
        assert!((bacc - (1.0 + 2.0 / 3.0) / 2.0).abs() < 1e-12);
        assert_eq!(t, 0.5);
        let separable = [(0.1, false), (0.9, true)];
        assert_eq!(oracle_balanced_accuracy(&separable).0, 1.0);
    }

    /// The quality gate: at its fixed default threshold, crosscheck beats every published
    /// baseline (each at its own best threshold) on both halves of FRANK's validation split.
    #[test]
    fn beats_published_baselines_on_frank_valid() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/bench/factcheck"
        );
        let items_path = Path::new(dir).join("frank-valid.jsonl");
        let baselines_path = Path::new(dir).join("frank-valid-baselines.jsonl");
        if !items_path.exists() || !baselines_path.exists() {
            eprintln!("skipping: ../shared not found");
            return;
        }
        let items = read_items(&items_path).expect("items");
        let baselines = read_baselines(&baselines_path).expect("baselines");
        let report = evaluate(&items, &baselines, None);
        for dataset in ["cnndm", "bbc"] {
            let d = report
                .datasets
                .iter()
                .find(|d| d.dataset == dataset)
                .expect("dataset present");
            let best = d.best_baseline().expect("baselines present");
            eprintln!(
                "{dataset}: crosscheck {:.3}, best baseline {} {:.3}",
                d.balanced_accuracy, best.metric, best.balanced_accuracy
            );
            assert!(
                d.balanced_accuracy > best.balanced_accuracy,
                "{dataset}: {:.3} does not beat {} {:.3}",
                d.balanced_accuracy,
                best.metric,
                best.balanced_accuracy
            );
        }
    }
}
