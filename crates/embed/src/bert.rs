//! The BERT encoder's forward pass on the CPU, for sentence embeddings.
//!
//! candle reads the weights (`model.safetensors`, any float type); the forward pass is our own
//! because candle's generic `BertModel` ran at 55 sentences/s on the 2-core benchmark machine
//! against a target of 150 (see bench/RESULTS.md). What makes this one faster:
//! - no padding: the sentences of a batch are stacked row-wise for the dense layers, and
//!   attention runs within each sentence, so no work is spent on pad tokens or masks;
//! - the dense layers use weights packed once at load for a register-tiled kernel
//!   ([`crate::matmul`]), with the query, key and value projections fused into one product,
//!   and both attention products of each head run on the same kernel;
//! - bias and residual are written into the output before the product accumulates into it,
//!   buffers are reused from batch to batch, and `exp`/`erf` are vectorisable polynomial and rational approximations;
//! - one batch runs on one core, and batches run in parallel, so cores never wait on each other
//!   inside a layer.

use std::path::Path;

use anyhow::{bail, Context};
use candle_core::{DType, Device, Tensor};
use std::collections::HashMap;

use crate::math;
use crate::matmul::{self, PackedWeight, Rows};

/// The fields of a Hugging Face BERT `config.json` that the forward pass needs.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Config {
    hidden_size: usize,
    num_attention_heads: usize,
    num_hidden_layers: usize,
    intermediate_size: usize,
    #[serde(default = "default_eps")]
    layer_norm_eps: f64,
    #[serde(default = "default_act")]
    hidden_act: String,
    pub max_position_embeddings: usize,
    vocab_size: usize,
    #[serde(default = "default_type_vocab")]
    type_vocab_size: usize,
    #[serde(default = "default_position_type")]
    position_embedding_type: String,
}

fn default_eps() -> f64 {
    1e-12
}

fn default_type_vocab() -> usize {
    2
}

fn default_act() -> String {
    "gelu".into()
}

fn default_position_type() -> String {
    "absolute".into()
}

#[derive(Debug, Clone, Copy)]
enum Activation {
    Gelu,
    GeluTanh,
}

struct Norm {
    gamma: Vec<f32>,
    beta: Vec<f32>,
}

struct Layer {
    qkv: PackedWeight,
    qkv_bias: Vec<f32>,
    attention_out: PackedWeight,
    attention_out_bias: Vec<f32>,
    attention_norm: Norm,
    intermediate: PackedWeight,
    intermediate_bias: Vec<f32>,
    output: PackedWeight,
    output_bias: Vec<f32>,
    output_norm: Norm,
}

/// A loaded encoder: immutable, shared by all threads.
pub struct Encoder {
    hidden: usize,
    heads: usize,
    eps: f32,
    activation: Activation,
    vocab: usize,
    max_positions: usize,
    word: Vec<f32>,
    position: Vec<f32>,
    /// Row 0 of the token-type table: sentences are embedded as single segments.
    token_type: Vec<f32>,
    embedding_norm: Norm,
    layers: Vec<Layer>,
}

/// Buffers of one thread's forward passes, kept between batches.
#[derive(Default)]
pub struct Workspace {
    x: Vec<f32>,
    qkv: Vec<f32>,
    context: Vec<f32>,
    attended: Vec<f32>,
    intermediate: Vec<f32>,
    scores: Vec<f32>,
    panels: Vec<f32>,
}

/// The tensors of a safetensors file, taken out one by one with shape checks.
struct Tensors<'a> {
    map: HashMap<String, Tensor>,
    prefix: &'static str,
    path: &'a Path,
}

impl Tensors<'_> {
    fn take(&mut self, name: &str, shape: &[usize]) -> anyhow::Result<Vec<f32>> {
        let full = format!("{}{name}", self.prefix);
        let tensor = self
            .map
            .remove(&full)
            .with_context(|| format!("{}: no tensor {full}", self.path.display()))?;
        if tensor.dims() != shape {
            bail!(
                "{}: {full} has shape {:?}, expected {shape:?}",
                self.path.display(),
                tensor.dims()
            );
        }
        Ok(tensor
            .to_dtype(DType::F32)?
            .flatten_all()?
            .to_vec1::<f32>()?)
    }

    /// Layer norms are saved as `weight`/`bias`, or `gamma`/`beta` in older checkpoints.
    fn norm(&mut self, base: &str, size: usize) -> anyhow::Result<Norm> {
        let old = self
            .map
            .contains_key(&format!("{}{base}.gamma", self.prefix));
        let (g, b) = if old {
            ("gamma", "beta")
        } else {
            ("weight", "bias")
        };
        Ok(Norm {
            gamma: self.take(&format!("{base}.{g}"), &[size])?,
            beta: self.take(&format!("{base}.{b}"), &[size])?,
        })
    }

    fn linear(&mut self, base: &str, outputs: usize, inputs: usize) -> anyhow::Result<Vec<f32>> {
        self.take(&format!("{base}.weight"), &[outputs, inputs])
    }
}

impl Encoder {
    /// Loads the weights at `path` for `config`, failing with a message that names the file and
    /// the tensor at fault.
    pub fn load(config: &Config, path: &Path) -> anyhow::Result<Self> {
        let h = config.hidden_size;
        let heads = config.num_attention_heads;
        if h == 0 || heads == 0 || !h.is_multiple_of(heads) {
            bail!("hidden size {h} is not a multiple of {heads} attention heads");
        }
        if config.type_vocab_size == 0 {
            bail!("the model has no token type embeddings");
        }
        if config.position_embedding_type != "absolute" {
            bail!(
                "position embeddings {:?} are not supported (only absolute)",
                config.position_embedding_type
            );
        }
        let activation = match config.hidden_act.as_str() {
            "gelu" => Activation::Gelu,
            "gelu_new" | "gelu_pytorch_tanh" => Activation::GeluTanh,
            other => bail!("activation {other:?} is not supported"),
        };
        let bytes = std::fs::read(path).with_context(|| path.display().to_string())?;
        let map = candle_core::safetensors::load_buffer(&bytes, &Device::Cpu)
            .with_context(|| format!("{}: not a safetensors file", path.display()))?;
        let prefix = if map.contains_key("embeddings.word_embeddings.weight") {
            ""
        } else if map.contains_key("bert.embeddings.word_embeddings.weight") {
            "bert."
        } else {
            bail!("{}: no BERT word embeddings", path.display());
        };
        let mut t = Tensors { map, prefix, path };

        let (vocab, positions, inter) = (
            config.vocab_size,
            config.max_position_embeddings,
            config.intermediate_size,
        );
        let word = t.take("embeddings.word_embeddings.weight", &[vocab, h])?;
        let position = t.take("embeddings.position_embeddings.weight", &[positions, h])?;
        let types = config.type_vocab_size;
        let mut token_type = t.take("embeddings.token_type_embeddings.weight", &[types, h])?;
        token_type.truncate(h);
        let embedding_norm = t.norm("embeddings.LayerNorm", h)?;

        let mut layers = Vec::with_capacity(config.num_hidden_layers);
        for i in 0..config.num_hidden_layers {
            let base = format!("encoder.layer.{i}");
            let mut qkv = Vec::with_capacity(3 * h * h);
            let mut qkv_bias = Vec::with_capacity(3 * h);
            for part in ["query", "key", "value"] {
                qkv.extend(t.linear(&format!("{base}.attention.self.{part}"), h, h)?);
                qkv_bias.extend(t.take(&format!("{base}.attention.self.{part}.bias"), &[h])?);
            }
            let attention_out = t.linear(&format!("{base}.attention.output.dense"), h, h)?;
            let intermediate = t.linear(&format!("{base}.intermediate.dense"), inter, h)?;
            let output = t.linear(&format!("{base}.output.dense"), h, inter)?;
            layers.push(Layer {
                qkv: PackedWeight::from_linear(&qkv, 3 * h, h),
                qkv_bias,
                attention_out: PackedWeight::from_linear(&attention_out, h, h),
                attention_out_bias: t.take(&format!("{base}.attention.output.dense.bias"), &[h])?,
                attention_norm: t.norm(&format!("{base}.attention.output.LayerNorm"), h)?,
                intermediate: PackedWeight::from_linear(&intermediate, inter, h),
                intermediate_bias: t.take(&format!("{base}.intermediate.dense.bias"), &[inter])?,
                output: PackedWeight::from_linear(&output, h, inter),
                output_bias: t.take(&format!("{base}.output.dense.bias"), &[h])?,
                output_norm: t.norm(&format!("{base}.output.LayerNorm"), h)?,
            });
        }
        Ok(Self {
            hidden: h,
            heads,
            eps: config.layer_norm_eps as f32,
            activation,
            vocab,
            max_positions: positions,
            word,
            position,
            token_type,
            embedding_norm,
            layers,
        })
    }

    pub fn hidden_size(&self) -> usize {
        self.hidden
    }

    /// The last hidden states of `sentences` (token ids, special tokens included), one row of
    /// [`Self::hidden_size`] floats per token, the sentences one after another.
    pub fn forward<'w>(
        &self,
        sentences: &[&[u32]],
        ws: &'w mut Workspace,
    ) -> anyhow::Result<&'w [f32]> {
        for ids in sentences {
            if ids.len() > self.max_positions {
                bail!(
                    "{} tokens exceed the model's {} positions",
                    ids.len(),
                    self.max_positions
                );
            }
            if let Some(id) = ids.iter().find(|&&id| id as usize >= self.vocab) {
                bail!(
                    "token id {id} is outside the model's vocabulary of {}",
                    self.vocab
                );
            }
        }
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU has the features `forward_avx2` is compiled for.
            unsafe { self.forward_avx2(sentences, ws) };
            return Ok(&ws.x);
        }
        self.forward_in(sentences, ws);
        Ok(&ws.x)
    }

    /// The same code compiled for AVX2, so that the element-wise loops are vectorised eight
    /// floats wide.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn forward_avx2(&self, sentences: &[&[u32]], ws: &mut Workspace) {
        self.forward_in(sentences, ws);
    }

    #[inline(always)]
    fn forward_in(&self, sentences: &[&[u32]], ws: &mut Workspace) {
        let h = self.hidden;
        let lens: Vec<usize> = sentences.iter().map(|s| s.len()).collect();
        let rows: usize = lens.iter().sum();

        resize(&mut ws.x, rows * h);
        let tokens = sentences.iter().flat_map(|ids| ids.iter().enumerate());
        for (row, (pos, &id)) in ws.x.chunks_exact_mut(h).zip(tokens) {
            let word = &self.word[id as usize * h..][..h];
            let position = &self.position[pos * h..][..h];
            for (((x, &w), &p), &t) in row.iter_mut().zip(word).zip(position).zip(&self.token_type)
            {
                *x = w + p + t;
            }
            let norm = &self.embedding_norm;
            math::layer_norm(row, &norm.gamma, &norm.beta, self.eps);
        }

        for layer in &self.layers {
            fill_rows(&mut ws.qkv, rows, &layer.qkv_bias, None);
            layer.qkv.matmul_acc(&ws.x, rows, &mut ws.qkv);
            self.attention(&lens, ws);

            fill_rows(
                &mut ws.attended,
                rows,
                &layer.attention_out_bias,
                Some(&ws.x),
            );
            let context = &ws.context;
            layer
                .attention_out
                .matmul_acc(context, rows, &mut ws.attended);
            self.normalise_rows(&mut ws.attended, &layer.attention_norm);

            let inter = layer.intermediate.outputs();
            fill_rows(&mut ws.intermediate, rows, &layer.intermediate_bias, None);
            layer
                .intermediate
                .matmul_acc(&ws.attended, rows, &mut ws.intermediate);
            for row in ws.intermediate.chunks_exact_mut(inter) {
                match self.activation {
                    Activation::Gelu => math::gelu_in_place(row),
                    Activation::GeluTanh => math::gelu_tanh_in_place(row),
                }
            }

            fill_rows(&mut ws.x, rows, &layer.output_bias, Some(&ws.attended));
            layer.output.matmul_acc(&ws.intermediate, rows, &mut ws.x);
            self.normalise_rows(&mut ws.x, &layer.output_norm);
        }
    }

    #[inline(always)]
    fn normalise_rows(&self, x: &mut [f32], norm: &Norm) {
        for row in x.chunks_exact_mut(self.hidden) {
            math::layer_norm(row, &norm.gamma, &norm.beta, self.eps);
        }
    }

    /// Scaled dot-product attention of every head, within each sentence, from the fused
    /// query/key/value rows in `ws.qkv` into `ws.context`. Both products of a head run on the
    /// dense layers' kernel, with the keys and values packed into its panel order.
    #[inline(always)]
    fn attention(&self, lens: &[usize], ws: &mut Workspace) {
        let h = self.hidden;
        let d = h / self.heads;
        let scale = 1.0 / (d as f32).sqrt();
        ws.context.clear();
        ws.context.resize(ws.qkv.len() / 3, 0.0);
        let mut first = 0;
        for &len in lens {
            let sentence = &ws.qkv[first * 3 * h..][..len * 3 * h];
            let token = |j: usize| &sentence[j * 3 * h..][..3 * h];
            for head in 0..self.heads {
                let (query, key, value) = (head * d, h + head * d, 2 * h + head * d);
                // Scores: queries · keysᵀ, len × len.
                ws.panels.clear();
                matmul::pack_columns(d, len, &mut ws.panels, |j| &token(j)[key..]);
                ws.scores.clear();
                ws.scores.resize(len * len, 0.0);
                let queries = Rows {
                    data: &sentence[query..],
                    rows: len,
                    stride: 3 * h,
                };
                matmul::matmul_panels_acc(queries, d, &ws.panels, len, &mut ws.scores, len);
                for row in ws.scores.chunks_exact_mut(len) {
                    math::softmax_in_place(row, scale);
                }
                // Context: probabilities · values, len × d.
                ws.panels.clear();
                matmul::pack_rows(len, d, &mut ws.panels, |j| &token(j)[value..]);
                let probs = Rows {
                    data: &ws.scores,
                    rows: len,
                    stride: len,
                };
                let out = &mut ws.context[first * h + head * d..];
                matmul::matmul_panels_acc(probs, len, &ws.panels, d, out, h);
            }
            first += len;
        }
    }
}

/// Sets the length of a buffer whose every element is written before it is read: shrinking or
/// growing it never needs to clear the old contents.
#[inline(always)]
fn resize(buffer: &mut Vec<f32>, len: usize) {
    buffer.truncate(len);
    buffer.resize(len, 0.0);
}

/// Sets `out` to `rows` copies of `bias`, plus `residual` row by row when given: the dense
/// products then accumulate into it.
#[inline(always)]
fn fill_rows(out: &mut Vec<f32>, rows: usize, bias: &[f32], residual: Option<&[f32]>) {
    let n = bias.len();
    resize(out, rows * n);
    for (i, row) in out.chunks_exact_mut(n).enumerate() {
        match residual {
            Some(res) => {
                for ((o, &b), &r) in row.iter_mut().zip(bias).zip(&res[i * n..][..n]) {
                    *o = b + r;
                }
            }
            None => row.copy_from_slice(bias),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::tests::erf_reference;
    use crate::matmul::tests::values;

    /// A small random BERT, written as safetensors the way Hugging Face names the tensors.
    struct Tiny {
        config: Config,
        tensors: HashMap<String, (Vec<usize>, Vec<f32>)>,
    }

    fn tiny(hidden: usize, heads: usize) -> Tiny {
        let config: Config = serde_json::from_value(serde_json::json!({
            "hidden_size": hidden, "num_attention_heads": heads, "num_hidden_layers": 2,
            "intermediate_size": 3 * hidden, "max_position_embeddings": 12, "vocab_size": 20,
            "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu"
        }))
        .unwrap();
        let mut tensors = HashMap::new();
        let mut seed = 0;
        let mut add = |name: String, shape: Vec<usize>| {
            seed += 1;
            let n = shape.iter().product();
            // Scaled like trained weights, so that activations stay in a realistic range.
            let scale = if name.contains("LayerNorm.weight") {
                0.2
            } else {
                0.5
            };
            let mut v: Vec<f32> = values(n, seed).iter().map(|x| x * scale).collect();
            if name.contains("LayerNorm.weight") {
                v.iter_mut().for_each(|x| *x += 1.0);
            }
            tensors.insert(name, (shape, v));
        };
        let (h, i) = (hidden, 3 * hidden);
        add("embeddings.word_embeddings.weight".into(), vec![20, h]);
        add("embeddings.position_embeddings.weight".into(), vec![12, h]);
        add("embeddings.token_type_embeddings.weight".into(), vec![2, h]);
        for part in ["weight", "bias"] {
            add(format!("embeddings.LayerNorm.{part}"), vec![h]);
        }
        for l in 0..2 {
            let b = format!("encoder.layer.{l}");
            for (name, out, inp) in [
                ("attention.self.query", h, h),
                ("attention.self.key", h, h),
                ("attention.self.value", h, h),
                ("attention.output.dense", h, h),
                ("intermediate.dense", i, h),
                ("output.dense", h, i),
            ] {
                add(format!("{b}.{name}.weight"), vec![out, inp]);
                add(format!("{b}.{name}.bias"), vec![out]);
            }
            for norm in ["attention.output.LayerNorm", "output.LayerNorm"] {
                for part in ["weight", "bias"] {
                    add(format!("{b}.{norm}.{part}"), vec![h]);
                }
            }
        }
        Tiny { config, tensors }
    }

    impl Tiny {
        fn save(&self, path: &Path) {
            let tensors: HashMap<String, Tensor> = self
                .tensors
                .iter()
                .map(|(k, (shape, v))| {
                    let t = Tensor::from_vec(v.clone(), shape.as_slice(), &Device::Cpu).unwrap();
                    (k.clone(), t)
                })
                .collect();
            candle_core::safetensors::save(&tensors, path).unwrap();
        }

        fn w(&self, name: &str) -> Vec<f64> {
            self.tensors[name].1.iter().map(|&x| f64::from(x)).collect()
        }

        /// The textbook forward pass in f64, one sentence at a time.
        fn reference(&self, ids: &[u32]) -> Vec<Vec<f64>> {
            let h = self.config.hidden_size;
            let heads = self.config.num_attention_heads;
            let d = h / heads;
            let linear = |x: &[Vec<f64>], name: &str| -> Vec<Vec<f64>> {
                let (w, b) = (
                    self.w(&format!("{name}.weight")),
                    self.w(&format!("{name}.bias")),
                );
                let inputs = x[0].len();
                x.iter()
                    .map(|row| {
                        (0..b.len())
                            .map(|o| {
                                b[o] + (0..inputs).map(|k| row[k] * w[o * inputs + k]).sum::<f64>()
                            })
                            .collect()
                    })
                    .collect()
            };
            let norm = |x: Vec<Vec<f64>>, name: &str| -> Vec<Vec<f64>> {
                let (g, b) = (
                    self.w(&format!("{name}.weight")),
                    self.w(&format!("{name}.bias")),
                );
                x.into_iter()
                    .map(|row| {
                        let mean = row.iter().sum::<f64>() / h as f64;
                        let var = row.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / h as f64;
                        let inv = 1.0 / (var + 1e-12).sqrt();
                        (0..h)
                            .map(|c| (row[c] - mean) * inv * g[c] + b[c])
                            .collect()
                    })
                    .collect()
            };
            let add = |a: &[Vec<f64>], b: &[Vec<f64>]| -> Vec<Vec<f64>> {
                a.iter()
                    .zip(b)
                    .map(|(x, y)| x.iter().zip(y).map(|(p, q)| p + q).collect())
                    .collect()
            };
            let (word, pos, typ) = (
                self.w("embeddings.word_embeddings.weight"),
                self.w("embeddings.position_embeddings.weight"),
                self.w("embeddings.token_type_embeddings.weight"),
            );
            let x: Vec<Vec<f64>> = ids
                .iter()
                .enumerate()
                .map(|(p, &id)| {
                    (0..h)
                        .map(|c| word[id as usize * h + c] + pos[p * h + c] + typ[c])
                        .collect()
                })
                .collect();
            let mut x = norm(x, "embeddings.LayerNorm");
            for l in 0..self.config.num_hidden_layers {
                let b = format!("encoder.layer.{l}");
                let q = linear(&x, &format!("{b}.attention.self.query"));
                let k = linear(&x, &format!("{b}.attention.self.key"));
                let v = linear(&x, &format!("{b}.attention.self.value"));
                let mut ctx = vec![vec![0.0; h]; ids.len()];
                for head in 0..heads {
                    let cols = head * d..(head + 1) * d;
                    for i in 0..ids.len() {
                        let scores: Vec<f64> = (0..ids.len())
                            .map(|j| {
                                cols.clone().map(|c| q[i][c] * k[j][c]).sum::<f64>()
                                    / (d as f64).sqrt()
                            })
                            .collect();
                        let max = scores.iter().cloned().fold(f64::MIN, f64::max);
                        let e: Vec<f64> = scores.iter().map(|s| (s - max).exp()).collect();
                        let total: f64 = e.iter().sum();
                        for c in cols.clone() {
                            ctx[i][c] = (0..ids.len()).map(|j| e[j] / total * v[j][c]).sum();
                        }
                    }
                }
                let attended = norm(
                    add(&linear(&ctx, &format!("{b}.attention.output.dense")), &x),
                    &format!("{b}.attention.output.LayerNorm"),
                );
                let inter: Vec<Vec<f64>> = linear(&attended, &format!("{b}.intermediate.dense"))
                    .into_iter()
                    .map(|row| {
                        row.into_iter()
                            .map(|u| 0.5 * u * (1.0 + erf_reference(u / 2f64.sqrt())))
                            .collect()
                    })
                    .collect();
                x = norm(
                    add(&linear(&inter, &format!("{b}.output.dense")), &attended),
                    &format!("{b}.output.LayerNorm"),
                );
            }
            x
        }
    }

    #[test]
    fn matches_a_textbook_forward_pass_batched_or_alone() {
        // Head sizes of 16 (the vectorised path) and 6 (the narrow path).
        for (hidden, heads) in [(32, 2), (18, 3)] {
            let model = tiny(hidden, heads);
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("model.safetensors");
            model.save(&path);
            let encoder = Encoder::load(&model.config, &path).unwrap();
            let sentences: [&[u32]; 3] = [&[1, 5, 7, 2], &[1, 19, 3, 3, 8, 0, 11, 12, 2], &[1, 2]];
            let mut ws = Workspace::default();
            let batched = encoder.forward(&sentences, &mut ws).unwrap().to_vec();
            let mut first = 0;
            for ids in sentences {
                let want = model.reference(ids);
                let got = &batched[first * hidden..(first + ids.len()) * hidden];
                first += ids.len();
                for (g, w) in got.iter().zip(want.iter().flatten()) {
                    assert!(
                        (f64::from(*g) - w).abs() < 1e-4,
                        "{hidden}/{heads}: {g} vs {w}"
                    );
                }
                // A sentence's states do not depend on the batch around it, to the bit.
                let alone = encoder.forward(&[ids], &mut ws).unwrap();
                assert_eq!(alone, got);
            }
        }
    }

    #[test]
    fn bad_weights_and_inputs_are_errors_that_name_the_problem() {
        let model = tiny(32, 2);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.safetensors");

        let mut broken = tiny(32, 2);
        broken.tensors.insert(
            "encoder.layer.1.output.dense.weight".into(),
            (vec![32, 7], vec![0.0; 224]),
        );
        broken
            .tensors
            .remove("encoder.layer.0.attention.self.key.bias");
        broken.save(&path);
        let err = format!("{:#}", Encoder::load(&model.config, &path).err().unwrap());
        assert!(
            err.contains("encoder.layer.0.attention.self.key.bias"),
            "{err}"
        );

        broken.tensors = model.tensors.clone();
        broken.tensors.insert(
            "encoder.layer.1.output.dense.weight".into(),
            (vec![32, 7], vec![0.0; 224]),
        );
        broken.save(&path);
        let err = format!("{:#}", Encoder::load(&model.config, &path).err().unwrap());
        assert!(
            err.contains("encoder.layer.1.output.dense.weight") && err.contains("[32, 7]"),
            "{err}"
        );

        std::fs::write(&path, b"\x00\x01 not safetensors").unwrap();
        let err = format!("{:#}", Encoder::load(&model.config, &path).err().unwrap());
        assert!(err.contains("not a safetensors file"), "{err}");

        model.save(&path);
        let encoder = Encoder::load(&model.config, &path).unwrap();
        let mut ws = Workspace::default();
        let err = encoder
            .forward(&[&[1, 20]], &mut ws)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("token id 20"), "{err}");
        let err = encoder
            .forward(&[&[1; 13]], &mut ws)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("13 tokens"), "{err}");
    }
}
