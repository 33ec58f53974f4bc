//! The embedder against reference vectors from an independent numpy BERT
//! (`scripts/reference_embeddings.py`), plus loading failures that need no model.
//!
//! Tests that need the model look in `$CROSSCHECK_MODEL` or the default location and skip with a
//! message when it is not installed (`scripts/get-model.sh` installs it).

use crosscheck_embed::{default_model_dir, load_optional, missing_files, Embedder};
use crosscheck_model::SentenceEmbedder;

#[derive(serde::Deserialize)]
struct Reference {
    max_seq_length: usize,
    sentences: Vec<RefSentence>,
}

#[derive(serde::Deserialize)]
struct RefSentence {
    text: String,
    tokens: usize,
    vector: Vec<f32>,
}

fn reference() -> Reference {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/reference.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn model() -> Option<Embedder> {
    let dir = default_model_dir();
    if !missing_files(&dir).is_empty() {
        eprintln!(
            "skipping: no sentence model in {} (install it with scripts/get-model.sh)",
            dir.display()
        );
        return None;
    }
    Some(Embedder::load(&dir).expect("model present but failed to load"))
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

#[test]
fn matches_numpy_reference_when_batched() {
    let Some(embedder) = model() else { return };
    let reference = reference();
    assert_eq!(embedder.max_tokens(), reference.max_seq_length);
    // One call embeds every sentence in shared batches, while the reference ran each alone.
    let texts: Vec<&str> = reference
        .sentences
        .iter()
        .map(|s| s.text.as_str())
        .collect();
    let got = embedder.embed_uncached(&texts).unwrap();
    let mut worst = 0.0f32;
    for (s, v) in reference.sentences.iter().zip(&got) {
        let diff = max_abs_diff(v, &s.vector);
        worst = worst.max(diff);
        assert!(
            diff < 1e-5,
            "{:?} ({} tokens): max |rust - numpy| = {diff:e}",
            s.text,
            s.tokens
        );
    }
    eprintln!("max |rust - numpy| over the reference sentences: {worst:e}");
}

#[test]
fn each_sentence_alone_matches_too() {
    let Some(embedder) = model() else { return };
    for s in reference().sentences {
        let got = embedder.embed_uncached(&[&s.text]).unwrap();
        assert!(max_abs_diff(&got[0], &s.vector) < 1e-5, "{:?}", s.text);
    }
}

#[test]
fn batching_changes_no_bit_of_any_vector() {
    let Some(embedder) = model() else { return };
    let texts: Vec<String> = reference().sentences.into_iter().map(|s| s.text).collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let default = embedder.embed_uncached(&texts).unwrap();
    // One sentence per batch, spread over the threads.
    let single = embedder
        .with_batch_tokens(1)
        .embed_uncached(&texts)
        .unwrap();
    assert_eq!(default, single);
}

#[test]
fn vectors_are_unit_length_in_input_order_and_cached() {
    let Some(embedder) = model() else { return };
    let reference = reference();
    // Repeats and an order different from length order exercise the dedup and the reordering.
    let order = [8, 0, 7, 0, 3, 8, 1];
    let texts: Vec<&str> = order
        .iter()
        .map(|&i| reference.sentences[i].text.as_str())
        .collect();
    let first = embedder.embed(&texts).unwrap();
    let second = embedder.embed(&texts).unwrap();
    assert_eq!(first, second);
    for (&i, v) in order.iter().zip(&first) {
        assert!((dot(v, v) - 1.0).abs() < 1e-5);
        assert!(max_abs_diff(v, &reference.sentences[i].vector) < 1e-5);
    }
    assert_eq!(embedder.embed(&[]).unwrap(), Vec::<Vec<f32>>::new());
}

#[test]
fn paraphrases_score_above_unrelated_sentences() {
    let Some(embedder) = model() else { return };
    let v = embedder
        .embed(&[
            "The minister resigned on Tuesday after three days of protests.",
            "After three days of demonstrations, the minister stepped down on Tuesday.",
            "Heavy rain is expected across the north of the country this weekend.",
        ])
        .unwrap();
    let paraphrase = dot(&v[0], &v[1]);
    let unrelated = dot(&v[0], &v[2]);
    assert!(
        paraphrase > 0.6 && unrelated < 0.3,
        "paraphrase {paraphrase}, unrelated {unrelated}"
    );
}

#[test]
fn untrusted_text_does_not_break_it() {
    let Some(embedder) = model() else { return };
    let long = "word ".repeat(5000);
    let texts = [
        "\u{0}\u{feff}\u{202e}",
        "🙂🙂🙂",
        "    ",
        long.as_str(),
        "日本語の文です。",
    ];
    let v = embedder.embed(&texts).unwrap();
    assert_eq!(v.len(), texts.len());
    assert!(v.iter().all(|v| v.iter().all(|x| x.is_finite())));
}

#[test]
fn missing_or_broken_model_is_reported_not_panicked() {
    let dir = tempfile::tempdir().unwrap();
    let err = Embedder::load(dir.path()).err().unwrap().to_string();
    assert!(
        err.contains("config.json") && err.contains("model.safetensors"),
        "{err}"
    );
    assert!(load_optional(Some(dir.path())).is_none());

    for name in ["config.json", "tokenizer.json", "model.safetensors"] {
        std::fs::write(dir.path().join(name), "not what it should be").unwrap();
    }
    let err = format!("{:#}", Embedder::load(dir.path()).err().unwrap());
    assert!(err.contains("config.json"), "{err}");
    assert!(load_optional(Some(dir.path())).is_none());
}
