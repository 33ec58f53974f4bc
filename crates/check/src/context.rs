//! Whether two sentences are about the same thing, judged by the content words around the
//! claims (stemmed, so "warned" meets "warning"), not by the claims' own words.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crosscheck_model::{Document, Sentence};
use rust_stemmers::{Algorithm, Stemmer};

use crate::Item;

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// How closely two claims' sentences relate; ordered from weakest to strongest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Relation {
    Unrelated,
    /// Not aligned, but the sentences share enough content words.
    Related,
    /// The alignment links the two sentences.
    Aligned,
    /// One sentence.
    Same,
}

/// Content stems with digits dropped: numbers are values, not context.
fn stems(text: &str) -> HashSet<String> {
    crosscheck_text::content_words(text)
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .map(|w| STEMMER.stem(&w).into_owned())
        .collect()
}

/// Whether two texts share a content word (by stem).
pub(crate) fn share_content_word(a: &str, b: &str) -> bool {
    let sa = stems(a);
    stems(b).iter().any(|w| sa.contains(w))
}

pub(crate) struct Context<'a> {
    docs: &'a [&'a Document],
    sentences: &'a [Vec<Sentence>],
    stems: HashMap<(usize, usize), HashSet<String>>,
    folded: HashMap<(usize, usize), String>,
    /// The stems of each item's own words, by item index.
    own: Vec<HashSet<String>>,
}

/// Below these the shared words are what any two sentences of one story share (the names of its
/// protagonists, "war", "talks").
const MIN_SHARED: usize = 4;
const MIN_OVERLAP: f64 = 0.25;
const MIN_SHARED_LOOSE: usize = 3;
/// Words on either side of a claim that say what it is about.
const NEAR: usize = 4;

impl<'a> Context<'a> {
    pub fn new(docs: &'a [&'a Document], sentences: &'a [Vec<Sentence>]) -> Self {
        Context {
            docs,
            sentences,
            stems: HashMap::new(),
            folded: HashMap::new(),
            own: Vec::new(),
        }
    }

    fn text(&self, doc: usize, sentence: usize) -> &'a str {
        self.sentences
            .get(doc)
            .and_then(|s| s.get(sentence))
            .and_then(|s| self.docs[doc].text.get(s.span.start..s.span.end))
            .unwrap_or("")
    }

    /// Computes the stems and folded text of every sentence that holds a claim, once.
    pub fn prepare(&mut self, items: &[Item]) {
        self.own = items.iter().map(|it| stems(&it.claim.text)).collect();
        for it in items {
            let key = (it.doc, it.claim.sentence);
            if self.stems.contains_key(&key) {
                continue;
            }
            let text = self.text(it.doc, it.claim.sentence);
            self.stems.insert(key, stems(text));
            self.folded.insert(key, crosscheck_text::fold(text));
        }
    }

    pub fn folded(&self, doc: usize, sentence: usize) -> String {
        self.folded
            .get(&(doc, sentence))
            .cloned()
            .unwrap_or_default()
    }

    /// Whether the two sentences, claims' words included, share a few content words.
    pub fn loosely_related(&self, a: &Item, b: &Item) -> bool {
        match (
            self.stems.get(&(a.doc, a.claim.sentence)),
            self.stems.get(&(b.doc, b.claim.sentence)),
        ) {
            (Some(sa), Some(sb)) => sa.intersection(sb).count() >= MIN_SHARED_LOOSE,
            _ => false,
        }
    }

    /// Whether the few words on either side of the two claims share a content word (by
    /// stem, the claims' own words aside): "which opened in 1987" and "which was opened in
    /// 1987", "a crack about 40 centimetres long" and "a 40-centimetre crack".
    pub fn near_share(&self, a: &Item, b: &Item) -> bool {
        let (na, nb) = (self.near(a), self.near(b));
        let (oa, ob) = (&self.own[a.index], &self.own[b.index]);
        na.iter()
            .any(|w| nb.contains(w) && !oa.contains(w) && !ob.contains(w))
    }

    fn near(&self, it: &Item) -> HashSet<String> {
        let Some(s) = self
            .sentences
            .get(it.doc)
            .and_then(|s| s.get(it.claim.sentence))
        else {
            return HashSet::new();
        };
        let text = self.docs[it.doc].text.as_str();
        let before = text.get(s.span.start..it.claim.span.start).unwrap_or("");
        let after = text.get(it.claim.span.end..s.span.end).unwrap_or("");
        let before: Vec<&str> = before.split_whitespace().collect();
        let before = before[before.len().saturating_sub(NEAR)..].join(" ");
        let after = after
            .split_whitespace()
            .take(NEAR)
            .collect::<Vec<_>>()
            .join(" ");
        stems(&before).into_iter().chain(stems(&after)).collect()
    }

    /// Related when the sentences, less the claims' own words, share enough content.
    pub fn relation(&self, a: &Item, b: &Item) -> Relation {
        let (Some(sa), Some(sb)) = (
            self.stems.get(&(a.doc, a.claim.sentence)),
            self.stems.get(&(b.doc, b.claim.sentence)),
        ) else {
            return Relation::Unrelated;
        };
        let (oa, ob) = (&self.own[a.index], &self.own[b.index]);
        let shared = sa
            .iter()
            .filter(|w| sb.contains(*w) && !oa.contains(*w) && !ob.contains(*w))
            .count();
        let smaller = sa.len().min(sb.len()).max(1);
        if shared >= MIN_SHARED && shared as f64 / smaller as f64 >= MIN_OVERLAP {
            Relation::Related
        } else {
            Relation::Unrelated
        }
    }
}
