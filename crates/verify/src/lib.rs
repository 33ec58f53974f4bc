//! Checks one text (a summary or rewrite) against its sources: unsupported and contradicted
//! sentences.
//!
//! Each sentence of the checked text is aligned to the source window (one sentence, or two
//! adjacent ones) that covers most of its content words, and then compared with it slot by
//! slot: numbers and dates, names, negation, who did what to whom. Plain word overlap with the
//! whole source cannot see a wrong name or number that the article uses elsewhere; the
//! comparison against the *aligned* window can.
//!
//! Score of one sentence (see [`Verification`]):
//!
//! ```text
//! score = coverage − W_NOVEL · novel_words − W_ERROR · errors − W_SPLICE · novel_trigrams
//!         + W_STYLE · max(0, text_novel_trigrams − STYLE_KNEE)
//! ```
//!
//! `coverage` is the share of the sentence's content words found in its aligned window,
//! `novel_words` the share found in no source at all, `errors` the number of kinds of slot
//! error found (a value or name the aligned window gives differently, a value no source gives,
//! a negation the window lacks, two participants swapped around the verb), `novel_trigrams`
//! the share of the sentence's word trigrams that no source contains: a sentence stitched from
//! fragments of different source sentences has many. The last term is the same for every
//! sentence of one text: a text that rewords most of its source (more than `STYLE_KNEE` of its
//! trigrams are new) is a paraphrase, and is held to a lower word-coverage bar in proportion;
//! its slots are checked all the same. A sentence is supported when its score reaches
//! [`THRESHOLD`]; the text is supported when every sentence is.
//!
//! The weights are round numbers and the threshold was fitted once, on the FRANK validation
//! split (the best lower of the balanced accuracies on its CNN/DM and BBC halves), and frozen:
//! see `bench/RESULTS.md`.

mod norm;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crosscheck_model::{Document, Evidence, SentenceEmbedder, Span};
use norm::{Class, Word};

pub use norm::detokenize;

/// Weight of the share of content words found in no source.
pub const W_NOVEL: f32 = 1.0;
/// Weight of each kind of slot error.
pub const W_ERROR: f32 = 0.5;
/// Weight of the share of the sentence's word trigrams found in no source.
pub const W_SPLICE: f32 = 0.5;
/// Share of new trigrams above which a text counts as a paraphrase of its sources.
pub const STYLE_KNEE: f32 = 0.3;
/// How much each point of rewording above the knee lowers the coverage bar.
pub const W_STYLE: f32 = 2.0;
/// Decision threshold on the sentence score (see the crate documentation).
pub const THRESHOLD: f32 = 0.77;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Supported,
    /// The sources do not state it (words or values found in no source, too little overlap).
    Unsupported,
    /// The aligned source sentence states a different value, name, polarity or role.
    Contradicted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    /// Content words missing from the aligned source sentence.
    LowSupport,
    /// Words found in no source at all.
    NotInSource,
    /// A number or date the aligned source sentence does not give (but the sources mention).
    ValueMismatch,
    /// A number or date found in no source.
    ValueNotInSource,
    /// A name the sources use elsewhere but not in the aligned sentence.
    NameMismatch,
    /// A negation the aligned source sentence lacks.
    Negation,
    /// Two participants in the opposite order around the same verb.
    RoleSwap,
}

impl ReasonKind {
    /// Whether this reason says the source states something else (rather than nothing).
    pub fn contradicts(self) -> bool {
        matches!(
            self,
            ReasonKind::ValueMismatch
                | ReasonKind::NameMismatch
                | ReasonKind::Negation
                | ReasonKind::RoleSwap
        )
    }

    /// Whether this reason is a slot error (counted in the score), not a coverage note.
    fn is_error(self) -> bool {
        !matches!(self, ReasonKind::LowSupport | ReasonKind::NotInSource)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub kind: ReasonKind,
    /// The words of the checked sentence concerned.
    pub words: Vec<String>,
    /// One sentence for people.
    pub message: String,
}

/// The verdict on one sentence of the checked text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceVerdict {
    /// Index into `crosscheck_text::segment(claim)`.
    pub sentence: usize,
    /// Byte offsets into the checked document's text (a part of the segment when the segmenter
    /// left glued sentences whole).
    pub span: Span,
    pub text: String,
    pub score: f32,
    pub status: Status,
    /// Share of content words found in the aligned source window.
    pub coverage: f32,
    /// Share of content words found in no source.
    pub novel_words: f32,
    /// Share of word trigrams found in no source.
    pub novel_trigrams: f32,
    pub reasons: Vec<Reason>,
    /// The aligned source sentences.
    pub evidence: Vec<Evidence>,
}

/// The verdict on a whole text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verification {
    /// Id of the checked document.
    pub claim: String,
    pub sentences: Vec<SentenceVerdict>,
    /// Share of the text's word trigrams found in no source (its rewording rate).
    pub novel_trigrams: f32,
    /// The lowest sentence score (1 when the text has no sentence to check).
    pub score: f32,
    pub threshold: f32,
    /// Every sentence scores at least the threshold.
    pub supported: bool,
}

impl Verification {
    /// The sentences that are not supported, in text order.
    pub fn flagged(&self) -> impl Iterator<Item = &SentenceVerdict> {
        self.sentences
            .iter()
            .filter(|s| s.status != Status::Supported)
    }
}

/// Word keys interned as small integers, so sets and trigrams compare cheaply.
#[derive(Default)]
struct Vocab {
    ids: HashMap<String, u32>,
}

impl Vocab {
    fn intern(&mut self, key: &str) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(key.to_string()).or_insert(next)
    }

    fn get(&self, key: &str) -> Option<u32> {
        self.ids.get(key).copied()
    }
}

struct SourceSentence {
    doc: usize,
    /// Index into `crosscheck_text::segment` of its document.
    sentence: usize,
    span: Span,
    /// Detokenised text; word spans point into it.
    text: String,
    words: Vec<Word>,
    ids: Vec<u32>,
    set: HashSet<u32>,
}

struct Sources<'a> {
    docs: &'a [Document],
    sentences: Vec<SourceSentence>,
    vocab: Vocab,
    /// Every key any source uses.
    known: HashSet<u32>,
    trigrams: HashSet<[u32; 3]>,
    /// Keys written with a capital inside a sentence: names.
    names: HashSet<u32>,
}

impl<'a> Sources<'a> {
    fn new(docs: &'a [Document]) -> Self {
        let mut vocab = Vocab::default();
        let mut sentences = Vec::new();
        // Per key: occurrences inside sentences written with a capital, and without.
        let mut case: HashMap<u32, [u32; 2]> = HashMap::new();
        for (d, doc) in docs.iter().enumerate() {
            for (i, s) in crosscheck_text::segment(doc).iter().enumerate() {
                for span in norm::split_glued(&doc.text, s.span) {
                    let text = detokenize(doc.slice(span));
                    let words = norm::words(&text);
                    let ids: Vec<u32> = words.iter().map(|w| vocab.intern(&w.key)).collect();
                    for (k, w) in words.iter().enumerate().skip(1) {
                        if w.class == Class::Content {
                            case.entry(ids[k]).or_default()[usize::from(!w.capital)] += 1;
                        }
                    }
                    sentences.push(SourceSentence {
                        doc: d,
                        sentence: i,
                        span,
                        set: ids.iter().copied().collect(),
                        text,
                        words,
                        ids,
                    });
                }
            }
        }
        // A name is written with a capital inside sentences more often than not: that keeps
        // out the common words that headlines and captions capitalise.
        let names = case
            .into_iter()
            .filter(|(_, [upper, lower])| upper > lower)
            .map(|(id, _)| id)
            .collect();
        let known = sentences
            .iter()
            .flat_map(|s| s.ids.iter().copied())
            .collect();
        let trigrams = sentences
            .iter()
            .flat_map(|s| s.ids.windows(3).map(|w| [w[0], w[1], w[2]]))
            .collect();
        Sources {
            docs,
            sentences,
            vocab,
            known,
            trigrams,
            names,
        }
    }

    fn evidence(&self, i: usize) -> Evidence {
        let s = &self.sentences[i];
        let doc = &self.docs[s.doc];
        Evidence {
            doc: doc.id.clone(),
            sentence: s.sentence,
            span: s.span,
            chars: doc.char_span(s.span),
            value: String::new(),
            text: doc.slice(s.span).to_string(),
        }
    }
}

/// One sentence of the checked text, read into keys.
struct ClaimSentence {
    sentence: usize,
    span: Span,
    /// Detokenised text; word spans point into it.
    text: String,
    words: Vec<Word>,
    /// Key ids; keys no source uses get ids past the vocabulary, equal keys equal ids.
    ids: Vec<u32>,
    /// Positions of the words compared one by one (content words and values).
    content: Vec<usize>,
}

/// Checks `claim` against `sources`. With an embedder, sentence similarity helps pick the
/// aligned source window; the comparison itself stays lexical.
pub fn verify(
    sources: &[Document],
    claim: &Document,
    embedder: Option<&dyn SentenceEmbedder>,
) -> Verification {
    let src = Sources::new(sources);
    let mut unknown: HashMap<String, u32> = HashMap::new();
    let base = src.vocab.ids.len() as u32;
    let mut claims = Vec::new();
    for (i, s) in crosscheck_text::segment(claim).iter().enumerate() {
        for span in norm::split_glued(&claim.text, s.span) {
            let text = detokenize(claim.slice(span));
            let words = norm::words(&text);
            let ids = words
                .iter()
                .map(|w| {
                    src.vocab.get(&w.key).unwrap_or_else(|| {
                        let next = base + unknown.len() as u32;
                        *unknown.entry(w.key.clone()).or_insert(next)
                    })
                })
                .collect();
            let content = (0..words.len())
                .filter(|&k| matches!(words[k].class, Class::Content | Class::Value))
                .collect();
            claims.push(ClaimSentence {
                sentence: i,
                span,
                text,
                words,
                ids,
                content,
            });
        }
    }

    let similarity = embedder.and_then(|e| similarities(e, &src, &claims));
    let novel_trigrams: Vec<f32> = claims.iter().map(|c| novel_trigram_rate(&src, c)).collect();
    let (all_novel, all_trigrams) = claims.iter().fold((0usize, 0usize), |(n, t), c| {
        let tri = c.ids.len().saturating_sub(2);
        let novel = c
            .ids
            .windows(3)
            .filter(|w| !src.trigrams.contains(&[w[0], w[1], w[2]]))
            .count();
        (n + novel, t + tri)
    });
    let text_novel = if all_trigrams == 0 {
        0.0
    } else {
        all_novel as f32 / all_trigrams as f32
    };
    let style = W_STYLE * (text_novel - STYLE_KNEE).max(0.0);

    let mut verdicts = Vec::new();
    for (ci, c) in claims.iter().enumerate() {
        if c.content.is_empty() {
            continue;
        }
        let sim = similarity.as_ref().map(|m| m[ci].as_slice());
        let window = align(&src, c, sim);
        verdicts.push(judge(&src, claim, c, &window, novel_trigrams[ci], style));
    }
    let score = verdicts
        .iter()
        .map(|v| v.score)
        .fold(f32::INFINITY, f32::min);
    let score = if score.is_finite() { score } else { 1.0 };
    Verification {
        claim: claim.id.clone(),
        sentences: verdicts,
        novel_trigrams: text_novel,
        score,
        threshold: THRESHOLD,
        supported: score >= THRESHOLD,
    }
}

/// Cosine similarity of each claim sentence to each source sentence, or `None` when the
/// embedder fails (the check then stays lexical).
fn similarities(
    embedder: &dyn SentenceEmbedder,
    src: &Sources,
    claims: &[ClaimSentence],
) -> Option<Vec<Vec<f32>>> {
    let mut texts: Vec<&str> = claims.iter().map(|c| c.text.as_str()).collect();
    texts.extend(src.sentences.iter().map(|s| s.text.as_str()));
    let vectors = embedder.embed(&texts).ok()?;
    if vectors.len() != texts.len() {
        return None;
    }
    let (claim_vecs, source_vecs) = vectors.split_at(claims.len());
    Some(
        claim_vecs
            .iter()
            .map(|c| {
                source_vecs
                    .iter()
                    .map(|s| c.iter().zip(s).map(|(a, b)| a * b).sum())
                    .collect()
            })
            .collect(),
    )
}

fn novel_trigram_rate(src: &Sources, c: &ClaimSentence) -> f32 {
    let total = c.ids.len().saturating_sub(2);
    if total == 0 {
        return novel_word_rate(src, c);
    }
    let novel = c
        .ids
        .windows(3)
        .filter(|w| !src.trigrams.contains(&[w[0], w[1], w[2]]))
        .count();
    novel as f32 / total as f32
}

fn novel_word_rate(src: &Sources, c: &ClaimSentence) -> f32 {
    let keys: HashSet<u32> = c.content.iter().map(|&k| c.ids[k]).collect();
    if keys.is_empty() {
        return 0.0;
    }
    keys.iter().filter(|k| !src.known.contains(k)).count() as f32 / keys.len() as f32
}

/// Weight of sentence similarity against word coverage (in words) when an embedder is given.
const W_SIMILARITY: f32 = 0.5;
/// Share of a source sentence's content words a claim sentence must repeat to count as a
/// near-verbatim copy of it.
const NEAR_VERBATIM: f32 = 0.8;
/// What a two-sentence window pays, in words covered, against a single sentence.
const PAIR_COST: f32 = 0.5;

/// The source window (indices of one sentence, or two adjacent sentences of one document)
/// that covers most of the claim sentence's content words.
fn align(src: &Sources, c: &ClaimSentence, sim: Option<&[f32]>) -> Vec<usize> {
    let keys: HashSet<u32> = c.content.iter().map(|&k| c.ids[k]).collect();
    let covered = |set: &dyn Fn(u32) -> bool| keys.iter().filter(|&&k| set(k)).count();
    let mut best: (f32, Vec<usize>) = (f32::NEG_INFINITY, Vec::new());
    for (i, s) in src.sentences.iter().enumerate() {
        let sim_i = sim.map_or(0.0, |m| m[i]);
        let single = covered(&|k| s.set.contains(&k)) as f32 + W_SIMILARITY * sim_i;
        if single > best.0 {
            best = (single, vec![i]);
        }
        if let Some(next) = src.sentences.get(i + 1).filter(|n| n.doc == s.doc) {
            let sim_pair = sim.map_or(0.0, |m| m[i].max(m[i + 1]));
            // A second sentence must earn its place: it has to cover at least one more word.
            let pair = covered(&|k| s.set.contains(&k) || next.set.contains(&k)) as f32
                + W_SIMILARITY * sim_pair
                - PAIR_COST;
            if pair > best.0 {
                best = (pair, vec![i, i + 1]);
            }
        }
    }
    best.1
}

fn judge(
    src: &Sources,
    claim: &Document,
    c: &ClaimSentence,
    window: &[usize],
    novel_trigrams: f32,
    style: f32,
) -> SentenceVerdict {
    let in_window = |id: u32| window.iter().any(|&i| src.sentences[i].set.contains(&id));
    let surface = |k: usize| c.text[c.words[k].span.start..c.words[k].span.end].to_string();
    let mut keys_seen = HashSet::new();
    let content: Vec<usize> = c
        .content
        .iter()
        .copied()
        .filter(|&k| keys_seen.insert(c.ids[k]))
        .collect();
    let n = content.len().max(1) as f32;
    let missing: Vec<usize> = content
        .iter()
        .copied()
        .filter(|&k| !in_window(c.ids[k]))
        .collect();
    let novel: Vec<usize> = missing
        .iter()
        .copied()
        .filter(|&k| !src.known.contains(&c.ids[k]))
        .collect();
    let coverage = 1.0 - missing.len() as f32 / n;
    let novel_words = novel.len() as f32 / n;

    let mut reasons = Vec::new();
    let mut add = |kind: ReasonKind, ks: &[usize], message: String| {
        if !ks.is_empty() {
            reasons.push(Reason {
                kind,
                words: ks.iter().map(|&k| surface(k)).collect(),
                message,
            });
        }
    };
    let words_of = |ks: &[usize]| {
        ks.iter()
            .map(|&k| surface(k))
            .collect::<Vec<_>>()
            .join(", ")
    };

    // A value or name counts as wrong only when the aligned window gives another one in its
    // place (a substitution); one that is merely absent is a coverage matter.
    let claim_ids: HashSet<u32> = c.ids.iter().copied().collect();
    let claim_ids = &claim_ids;
    let window_others = |wanted: &dyn Fn(&Word, u32) -> bool| -> Vec<String> {
        let mut seen = HashSet::new();
        window
            .iter()
            .flat_map(|&i| {
                let s = &src.sentences[i];
                s.words
                    .iter()
                    .zip(&s.ids)
                    .filter(|&(w, &id)| wanted(w, id) && !claim_ids.contains(&id))
                    .map(move |(w, &id)| (id, s.text[w.span.start..w.span.end].to_string()))
            })
            .filter(|(id, _)| seen.insert(*id))
            .map(|(_, text)| text)
            .collect()
    };

    let is_value = |k: usize| c.words[k].class == Class::Value;
    let other_values = window_others(&|w, _| w.class == Class::Value);
    let wrong_values: Vec<usize> = if other_values.is_empty() {
        Vec::new()
    } else {
        missing
            .iter()
            .copied()
            .filter(|&k| is_value(k) && src.known.contains(&c.ids[k]))
            .collect()
    };
    add(
        ReasonKind::ValueMismatch,
        &wrong_values,
        format!(
            "{}: the aligned source sentence gives {}",
            words_of(&wrong_values),
            other_values.join(", ")
        ),
    );
    let new_values: Vec<usize> = novel.iter().copied().filter(|&k| is_value(k)).collect();
    add(
        ReasonKind::ValueNotInSource,
        &new_values,
        format!("{} found in no source", words_of(&new_values)),
    );

    let mixed_case = c.text.chars().any(char::is_lowercase) && c.words.iter().any(|w| w.capital);
    let is_name = |k: usize| {
        c.words[k].class == Class::Content
            && (src.names.contains(&c.ids[k]) || (mixed_case && k > 0 && c.words[k].capital))
    };
    let other_names = window_others(&|w, id| w.class == Class::Content && src.names.contains(&id));
    let wrong_names: Vec<usize> = if other_names.is_empty() {
        Vec::new()
    } else {
        missing
            .iter()
            .copied()
            .filter(|&k| is_name(k) && src.known.contains(&c.ids[k]))
            .collect()
    };
    add(
        ReasonKind::NameMismatch,
        &wrong_names,
        format!(
            "{}: the aligned source sentence names {}",
            words_of(&wrong_names),
            other_names.join(", ")
        ),
    );

    let negation: Vec<usize> = (0..c.words.len())
        .filter(|&k| c.words[k].class == Class::Negation)
        .collect();
    let window_negated = window.iter().any(|&i| {
        src.sentences[i]
            .words
            .iter()
            .any(|w| w.class == Class::Negation)
    });
    if !window_negated {
        add(
            ReasonKind::Negation,
            &negation,
            "negated, but the aligned source sentence is not".to_string(),
        );
    }
    // The two say the same words but for the polarity: a dropped "not". Only a near-verbatim
    // pair tells: in a longer source sentence the negation may belong to another clause.
    let dropped_negation =
        window_negated && negation.is_empty() && missing.is_empty() && window.len() == 1 && {
            let s = &src.sentences[window[0]];
            let content: HashSet<u32> = s
                .words
                .iter()
                .zip(&s.ids)
                .filter(|(w, _)| matches!(w.class, Class::Content | Class::Value))
                .map(|(_, &id)| id)
                .collect();
            let shared = content.iter().filter(|id| claim_ids.contains(id)).count();
            shared as f32 >= NEAR_VERBATIM * content.len() as f32
        };

    let swap = role_swap(src, c, window, &is_name);
    add(
        ReasonKind::RoleSwap,
        &swap,
        format!(
            "{} in the opposite roles from the aligned source sentence",
            words_of(&swap)
        ),
    );

    let unsupported_words: Vec<usize> = missing
        .iter()
        .copied()
        .filter(|k| src.known.contains(&c.ids[*k]))
        .collect();
    add(
        ReasonKind::NotInSource,
        &novel,
        format!("{} found in no source", words_of(&novel)),
    );
    add(
        ReasonKind::LowSupport,
        &unsupported_words,
        format!(
            "{} used in the sources, but not in the aligned sentence",
            words_of(&unsupported_words)
        ),
    );

    if dropped_negation {
        reasons.push(Reason {
            kind: ReasonKind::Negation,
            words: Vec::new(),
            message: "not negated, but the aligned source sentence is".to_string(),
        });
    }
    let errors = reasons.iter().filter(|r| r.kind.is_error()).count();
    let contradicted = reasons.iter().any(|r| r.kind.contradicts());
    let score =
        coverage - W_NOVEL * novel_words - W_ERROR * errors as f32 - W_SPLICE * novel_trigrams
            + style;
    let status = if score >= THRESHOLD {
        Status::Supported
    } else if contradicted {
        Status::Contradicted
    } else {
        Status::Unsupported
    };
    SentenceVerdict {
        sentence: c.sentence,
        span: c.span,
        text: claim.slice(c.span).to_string(),
        score,
        status,
        coverage,
        novel_words,
        novel_trigrams,
        reasons,
        evidence: window.iter().map(|&i| src.evidence(i)).collect(),
    }
}

/// Two names on either side of a verb in the claim that stand the other way round around the
/// same verb in one aligned source sentence (`A beat B` against `B beat A`). Returns the
/// claim's positions of the two names.
fn role_swap(
    src: &Sources,
    c: &ClaimSentence,
    window: &[usize],
    is_name: &dyn Fn(usize) -> bool,
) -> Vec<usize> {
    // Only words used once on each side have an unambiguous order.
    let once_in_claim = |k: usize| c.ids.iter().filter(|&&x| x == c.ids[k]).count() == 1;
    let names: Vec<usize> = (0..c.words.len())
        .filter(|&k| is_name(k) && once_in_claim(k))
        .collect();
    for &i in window {
        let s = &src.sentences[i];
        let first = |id: u32| {
            let mut at = s.ids.iter().enumerate().filter(|(_, &x)| x == id);
            match (at.next(), at.next()) {
                (Some((p, _)), None) => Some(p),
                _ => None,
            }
        };
        for (x, &a) in names.iter().enumerate() {
            for &b in &names[x + 1..] {
                if c.ids[a] == c.ids[b] {
                    continue;
                }
                let (Some(sa), Some(sb)) = (first(c.ids[a]), first(c.ids[b])) else {
                    continue;
                };
                if sb >= sa {
                    continue;
                }
                let verb_between = (a + 1..b).any(|v| {
                    c.words[v].class == Class::Content
                        && !is_name(v)
                        && once_in_claim(v)
                        && first(c.ids[v]).is_some_and(|sv| sb < sv && sv < sa)
                });
                if verb_between {
                    return vec![a, b];
                }
            }
        }
    }
    Vec::new()
}
