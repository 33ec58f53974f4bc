//! Main-text extraction, scored exactly as the Scrapinghub article-extraction benchmark does.
//!
//! The benchmark's metric: tokens are the `\w+` matches of a text (case kept); a page's true
//! and predicted texts become bags (multisets) of 4-token shingles (a text of fewer than four
//! tokens is one shingle of all of them); true positives, false positives and false negatives
//! are counted on the bags and divided by their sum, so every page weighs the same. Precision
//! is the mean of `tp / (tp + fp)` over pages with any prediction, recall the mean of
//! `tp / (tp + fn)` over pages with any truth, and F1 = 2PR / (P + R) of those two means.
//!
//! A benchmark folder holds `html/<id>.html.gz` (or `.html`) and `ground-truth.json`
//! (`{id: {"articleBody": ..., "url": ...}}`, optionally a `date`/`datePublished` per page, in
//! which case date accuracy is reported too).

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use crosscheck_model::{BlockKind, Document};
use once_cell::sync::Lazy;
use rayon::prelude::*;
use regex::Regex;
use serde::{Deserialize, Serialize};

/// Shingle length of the benchmark.
const SHINGLE: usize = 4;

#[derive(Debug, Deserialize)]
struct Truth {
    #[serde(default, rename = "articleBody")]
    article_body: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default, alias = "datePublished", alias = "published")]
    date: Option<String>,
}

/// The score of one page.
#[derive(Debug, Clone, Serialize)]
pub struct PageScore {
    pub id: String,
    /// Shares of the page's shingle matches: tp + fp + fn = 1 (all 0 when both texts are empty).
    pub tp: f64,
    pub fp: f64,
    pub fn_: f64,
    /// Why extraction produced nothing, when it did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Whether the extracted date equals the true one, where the truth has a date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_correct: Option<bool>,
}

impl PageScore {
    pub fn precision(&self) -> Option<f64> {
        (self.tp + self.fp > 0.0).then(|| self.tp / (self.tp + self.fp))
    }

    pub fn recall(&self) -> Option<f64> {
        (self.tp + self.fn_ > 0.0).then(|| self.tp / (self.tp + self.fn_))
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (
            self.precision().unwrap_or(0.0),
            self.recall().unwrap_or(0.0),
        );
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }
}

/// The benchmark's figures for one extractor run.
#[derive(Debug, Clone, Serialize)]
pub struct ExtractionReport {
    pub pages: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Wall-clock seconds of decompressing and extracting every page, on all cores.
    pub seconds: f64,
    pub pages_per_second: f64,
    pub threads: usize,
    /// Pages whose ground truth has a date, and how many of those we got right.
    pub dated_pages: usize,
    pub dates_correct: usize,
    /// Every page's score, in id order.
    pub per_page: Vec<PageScore>,
}

impl ExtractionReport {
    pub fn date_accuracy(&self) -> Option<f64> {
        (self.dated_pages > 0).then(|| self.dates_correct as f64 / self.dated_pages as f64)
    }

    /// The `n` pages with the lowest F1, worst first.
    pub fn worst(&self, n: usize) -> Vec<&PageScore> {
        let mut pages: Vec<&PageScore> = self.per_page.iter().collect();
        pages.sort_by(|a, b| a.f1().total_cmp(&b.f1()).then_with(|| a.id.cmp(&b.id)));
        pages.truncate(n);
        pages
    }
}

/// The `\w+` tokens of a text, case kept.
pub fn tokens(text: &str) -> Vec<&str> {
    static WORD: Lazy<Regex> = Lazy::new(|| Regex::new(r"\w+").expect("valid regex"));
    WORD.find_iter(text).map(|m| m.as_str()).collect()
}

fn shingles<'a>(tokens: &'a [&'a str]) -> HashMap<&'a [&'a str], usize> {
    let mut bag = HashMap::new();
    if tokens.is_empty() {
        return bag;
    }
    if tokens.len() < SHINGLE {
        bag.insert(tokens, 1);
        return bag;
    }
    for w in tokens.windows(SHINGLE) {
        *bag.entry(w).or_insert(0) += 1;
    }
    bag
}

/// The page's `(tp, fp, fn)` on bags of 4-token shingles, normalised to sum to 1.
pub fn shingle_match(truth: &str, prediction: &str) -> (f64, f64, f64) {
    let (t, p) = (tokens(truth), tokens(prediction));
    let (tb, pb) = (shingles(&t), shingles(&p));
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (k, &tc) in &tb {
        let pc = pb.get(k).copied().unwrap_or(0);
        tp += tc.min(pc);
        fn_ += tc.saturating_sub(pc);
    }
    for (k, &pc) in &pb {
        fp += pc.saturating_sub(tb.get(k).copied().unwrap_or(0));
    }
    let sum = (tp + fp + fn_) as f64;
    if sum == 0.0 {
        return (0.0, 0.0, 0.0);
    }
    (tp as f64 / sum, fp as f64 / sum, fn_ as f64 / sum)
}

/// The article body of an extracted page: its text without the headline that
/// [`crosscheck_ingest::document_from_html`] puts first (the benchmark's truth is the body only).
pub fn body_text(doc: &Document) -> String {
    doc.blocks
        .iter()
        .skip_while(|b| b.kind == BlockKind::Headline)
        .map(|b| doc.block_text(b))
        .collect::<Vec<_>>()
        .join("\n")
}

fn read_page(path: &Path) -> std::io::Result<Vec<u8>> {
    let raw = std::fs::read(path)?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::with_capacity(raw.len() * 4);
        flate2::read::MultiGzDecoder::new(&raw[..]).read_to_end(&mut out)?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

fn page_path(dir: &Path, id: &str) -> Option<PathBuf> {
    ["html.gz", "html"]
        .iter()
        .map(|ext| dir.join("html").join(format!("{id}.{ext}")))
        .find(|p| p.is_file())
}

/// Runs the extractor over every page of the benchmark in `dir` and scores it.
pub fn evaluate(dir: &Path) -> anyhow::Result<ExtractionReport> {
    let truth_path = dir.join("ground-truth.json");
    let truth: HashMap<String, Truth> = serde_json::from_slice(
        &std::fs::read(&truth_path).with_context(|| format!("reading {}", truth_path.display()))?,
    )
    .with_context(|| format!("parsing {}", truth_path.display()))?;
    let mut ids: Vec<&String> = truth.keys().collect();
    ids.sort();
    let pages: Vec<(&String, PathBuf)> = ids
        .into_iter()
        .map(|id| {
            page_path(dir, id)
                .map(|p| (id, p))
                .with_context(|| format!("no html/{id}.html.gz in {}", dir.display()))
        })
        .collect::<anyhow::Result<_>>()?;

    let start = Instant::now();
    let extracted: Vec<Result<Document, String>> = pages
        .par_iter()
        .map(|(id, path)| {
            let html = read_page(path).map_err(|e| e.to_string())?;
            crosscheck_ingest::document_from_html(
                &html,
                truth[*id].url.as_deref(),
                id,
                &path.display().to_string(),
            )
        })
        .collect();
    let seconds = start.elapsed().as_secs_f64();

    let per_page: Vec<PageScore> = pages
        .par_iter()
        .zip(extracted.par_iter())
        .map(|((id, _), doc)| {
            let t = &truth[*id];
            let (prediction, error, date) = match doc {
                Ok(d) => (body_text(d), None, d.published_date()),
                Err(e) => (String::new(), Some(e.clone()), None),
            };
            let (tp, fp, fn_) = shingle_match(&t.article_body, &prediction);
            let date_correct = t
                .date
                .as_deref()
                .and_then(|d| d.get(..10))
                .map(|truth_day| {
                    date.is_some_and(|d| d.format("%Y-%m-%d").to_string() == truth_day)
                });
            PageScore {
                id: (*id).clone(),
                tp,
                fp,
                fn_,
                error,
                date_correct,
            }
        })
        .collect();

    let mean = |xs: Vec<f64>| {
        if xs.is_empty() {
            0.0
        } else {
            xs.iter().sum::<f64>() / xs.len() as f64
        }
    };
    let precision = mean(per_page.iter().filter_map(PageScore::precision).collect());
    let recall = mean(per_page.iter().filter_map(PageScore::recall).collect());
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    let dated_pages = per_page.iter().filter(|p| p.date_correct.is_some()).count();
    let dates_correct = per_page
        .iter()
        .filter(|p| p.date_correct == Some(true))
        .count();
    Ok(ExtractionReport {
        pages: per_page.len(),
        precision,
        recall,
        f1,
        seconds,
        pages_per_second: per_page.len() as f64 / seconds.max(1e-9),
        threads: rayon::current_num_threads(),
        dated_pages,
        dates_correct,
        per_page,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingles_are_bags_and_case_sensitive() {
        // Truth has the shingle "a b c d" twice, the prediction once: one tp, one fn.
        let (tp, fp, fn_) = shingle_match("a b c d a b c d", "a b c d");
        assert!((tp - 1.0 / 5.0).abs() < 1e-12);
        assert_eq!(fp, 0.0);
        assert!((fn_ - 4.0 / 5.0).abs() < 1e-12);
        let (tp, _, _) = shingle_match("One two three four", "one two three four");
        assert_eq!(tp, 0.0);
    }

    #[test]
    fn short_texts_are_one_shingle_and_empty_is_nothing() {
        assert_eq!(shingle_match("Hi there", "Hi, there!"), (1.0, 0.0, 0.0));
        assert_eq!(shingle_match("", ""), (0.0, 0.0, 0.0));
        let empty_prediction = PageScore {
            id: "x".into(),
            tp: 0.0,
            fp: 0.0,
            fn_: 1.0,
            error: None,
            date_correct: None,
        };
        assert_eq!(empty_prediction.precision(), None);
        assert_eq!(empty_prediction.recall(), Some(0.0));
    }

    #[test]
    fn tokens_are_unicode_words() {
        assert_eq!(
            tokens("Zelenskyy's «truce» 30-hour"),
            ["Zelenskyy", "s", "truce", "30", "hour"]
        );
    }

    /// Quality gate: the published Python trafilatura reaches F1 0.958 on this benchmark.
    #[test]
    fn scrapinghub_f1_at_least_0_955() {
        let dir = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/bench/extraction/scrapinghub"
        ));
        if !dir.is_dir() {
            eprintln!("skipping: ../shared not found");
            return;
        }
        let report = evaluate(dir).unwrap();
        assert_eq!(report.pages, 181);
        assert!(report.f1 >= 0.955, "F1 {:.4}", report.f1);
        assert!(report.per_page.iter().all(|p| p.error.is_none()));
    }
}
