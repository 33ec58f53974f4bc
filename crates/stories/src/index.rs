//! Incremental story clustering.
//!
//! Each document becomes a unit TF-IDF vector over its most informative content words (at most
//! [`PROFILE_TERMS`]). A story is the mean of its members' vectors (its centroid, truncated to
//! its [`CENTROID_TERMS`] heaviest words). A new document joins the story whose centroid it is
//! most similar to, when that cosine-like score reaches [`JOIN_SCORE`], and opens a new story
//! otherwise: the dot product with the mean of unit vectors is the *average* similarity to the
//! members, so a story grows by average linkage and one stray resemblance cannot chain two
//! events together, which single linkage does.
//!
//! Candidates come from an inverted index from words to the stories whose centroid holds them;
//! only the most recent postings of a word are read, which bounds the work per document however
//! large the corpus (versions of one event appear close together in a news stream).

use crosscheck_model::{Document, SentenceEmbedder, Story};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::features::{fnv64, fnv_extend, DocFeatures};

/// How many words a document's vector keeps. Long articles have hundreds of distinct content
/// words; the top-ranked ones (names, places, repeated topic words) carry the event, and a fixed
/// size bounds memory and time per document.
pub const PROFILE_TERMS: usize = 64;
/// How many words a story's centroid keeps.
pub const CENTROID_TERMS: usize = 128;
/// How many of its heaviest words a new document looks up in the inverted index.
const QUERY_TERMS: usize = 24;
/// How many of the latest postings of a word are read.
const RECENT_POSTINGS: usize = 256;
/// Candidate stories (by number of query words their centroid holds) that are scored in full.
const MAX_CANDIDATES: usize = 32;
/// Average TF-IDF cosine to a story's members needed to join it. Unrelated news articles score
/// a few hundredths (they share only common words, which IDF discounts), while a rewrite or a
/// summary of the same report shares its names, places and topic words and scores several
/// tenths against the original; 0.15 sits well above the first, and still admits abstractive
/// summaries that keep only a handful of the article's words.
pub const JOIN_SCORE: f32 = 0.15;
/// Cosine between a document's lead embedding and the story's mean lead embedding that confirms
/// a grey-zone match.
const EMBED_COSINE: f32 = 0.75;
/// Versions of one news event are published within days of each other; a dated article more
/// than this many days away from every dated member of a story does not join it.
pub const MAX_DAY_GAP: i32 = 7;
/// Unrelated articles assumed to lie behind every index (see `StoryIndex::idf`).
const BACKGROUND_DOCS: u64 = 50;

struct StoryEntry {
    /// Sum of member unit vectors, (term, weight) sorted by term.
    centroid: Vec<(u32, f32)>,
    members: Vec<u32>,
    days: Option<(i32, i32)>,
    embedding: Option<Vec<f32>>,
    embedded: u32,
}

/// Stories built one document at a time.
///
/// Documents are numbered in insertion order; stories in order of creation. Deterministic: the
/// same documents inserted in the same order give the same stories and ids.
#[derive(Default)]
pub struct StoryIndex {
    df: FxHashMap<u32, u32>,
    observed: u64,
    stories: Vec<StoryEntry>,
    /// Story of each document.
    story_of: Vec<u32>,
    ids: Vec<Box<str>>,
    titles: Vec<Box<str>>,
    fingerprints: Vec<u64>,
    postings: FxHashMap<u32, Vec<u32>>,
    counts: Vec<u16>,
}

impl StoryIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of documents inserted.
    pub fn len(&self) -> usize {
        self.story_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.story_of.is_empty()
    }

    /// Number of stories so far.
    pub fn story_count(&self) -> usize {
        self.stories.len()
    }

    /// Adds one document (counting it into the word statistics first) and returns the index of
    /// its story in [`StoryIndex::stories`].
    pub fn add(&mut self, doc: &Document) -> usize {
        let f = DocFeatures::from_document(doc);
        self.observe(&f);
        self.insert(&doc.id, &f, None)
    }

    /// Adds documents as one batch: features are computed in parallel and all of the batch is
    /// counted into the word statistics before any is placed, so IDF is as good for the first
    /// document of the batch as for the last. Returns each document's story index.
    pub fn add_batch(
        &mut self,
        docs: &[Document],
        embedder: Option<&dyn SentenceEmbedder>,
    ) -> Vec<usize> {
        let feats: Vec<DocFeatures> = docs.par_iter().map(DocFeatures::from_document).collect();
        let embeddings = embed_leads(docs, embedder);
        let items: Vec<(&str, &DocFeatures, Option<Vec<f32>>)> = docs
            .iter()
            .zip(&feats)
            .zip(embeddings)
            .map(|((d, f), e)| (d.id.as_str(), f, e))
            .collect();
        self.add_features(items)
    }

    /// Adds already featurised documents `(id, features, lead embedding)` as one batch (see
    /// [`StoryIndex::add_batch`]); their vectors are weighted in parallel, then placed in order.
    pub fn add_features(
        &mut self,
        items: Vec<(&str, &DocFeatures, Option<Vec<f32>>)>,
    ) -> Vec<usize> {
        for (_, f, _) in &items {
            self.observe(f);
        }
        let vectors: Vec<Vec<(u32, f32)>> =
            items.par_iter().map(|(_, f, _)| self.vector(f)).collect();
        items
            .into_iter()
            .zip(vectors)
            .map(|((id, f, e), v)| self.place(id, f, v, e))
            .collect()
    }

    /// Counts a document's words into the document frequencies, without placing it.
    pub fn observe(&mut self, f: &DocFeatures) {
        self.observed += 1;
        for &(t, _) in &f.terms {
            *self.df.entry(t).or_insert(0) += 1;
        }
    }

    /// Places a document whose words were already [`observe`](StoryIndex::observe)d, with an
    /// optional unit-length embedding of its lead ([`lead_text`]). Returns its story index.
    pub fn insert(&mut self, id: &str, f: &DocFeatures, embedding: Option<Vec<f32>>) -> usize {
        let v = self.vector(f);
        self.place(id, f, v, embedding)
    }

    fn place(
        &mut self,
        id: &str,
        f: &DocFeatures,
        v: Vec<(u32, f32)>,
        embedding: Option<Vec<f32>>,
    ) -> usize {
        let me = self.story_of.len() as u32;
        let best = self.best_story(&v, f.day, embedding.as_deref());
        let s = match best {
            Some(s) => s,
            None => {
                self.stories.push(StoryEntry {
                    centroid: Vec::new(),
                    members: Vec::new(),
                    days: None,
                    embedding: None,
                    embedded: 0,
                });
                self.stories.len() - 1
            }
        };
        self.join(s, me, &v, f.day, embedding);
        self.story_of.push(s as u32);
        self.ids.push(id.into());
        self.titles.push(f.title.as_str().into());
        self.fingerprints.push(f.fingerprint);
        s
    }

    /// The story index of document `doc` (insertion number).
    pub fn story_of(&self, doc: usize) -> usize {
        self.story_of[doc] as usize
    }

    /// The stories so far, in order of creation, members in insertion order.
    pub fn stories(&self) -> Vec<Story> {
        self.stories
            .iter()
            .map(|s| self.story(&s.members))
            .collect()
    }

    fn story(&self, members: &[u32]) -> Story {
        let first = members[0] as usize;
        let mut h = fnv64(self.ids[first].as_bytes()) ^ self.fingerprints[first].rotate_left(17);
        for &m in &members[1..] {
            h = fnv_extend(h, &self.fingerprints[m as usize].to_le_bytes());
        }
        Story {
            id: format!("s{h:016x}"),
            title: self.title_of(members),
            documents: members
                .iter()
                .map(|&i| self.ids[i as usize].to_string())
                .collect(),
        }
    }

    /// The title most members share (compared folded), the earliest on ties.
    fn title_of(&self, members: &[u32]) -> String {
        let mut seen: FxHashMap<String, (usize, std::cmp::Reverse<u32>)> = FxHashMap::default();
        for &i in members {
            let t = &self.titles[i as usize];
            if !t.is_empty() {
                let e = seen
                    .entry(crosscheck_text::fold(t))
                    .or_insert((0, std::cmp::Reverse(i)));
                e.0 += 1;
            }
        }
        seen.values()
            .max()
            .map(|&(_, std::cmp::Reverse(i))| self.titles[i as usize].to_string())
            .unwrap_or_default()
    }

    fn idf(&self, term: u32) -> f32 {
        let df = self.df.get(&term).copied().unwrap_or(0) as f64;
        // A small index cannot tell a story's own words from common ones: five versions of one
        // event share their names in every document, which plain IDF would weigh as nothing.
        // Counting BACKGROUND_DOCS unrelated articles that lack the word keeps shared names
        // weighty until the index has seen enough news to know better.
        let n = (self.observed + BACKGROUND_DOCS) as f64;
        // BM25's IDF, floored so that a word in nearly every document still weighs a little
        // rather than nothing or less.
        (((n - df + 0.5) / (df + 0.5)).ln_1p().max(0.01)) as f32
    }

    /// The document's unit TF-IDF vector over its heaviest words, sorted by term.
    fn vector(&self, f: &DocFeatures) -> Vec<(u32, f32)> {
        let mut v: Vec<(u32, f32)> = f
            .terms
            .iter()
            .map(|&(t, tf)| (t, (1.0 + (tf as f32).ln()) * self.idf(t)))
            .collect();
        keep_heaviest(&mut v, PROFILE_TERMS);
        let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
        if norm > 0.0 {
            for x in &mut v {
                x.1 /= norm;
            }
        }
        v
    }

    fn best_story(
        &mut self,
        v: &[(u32, f32)],
        day: Option<i32>,
        emb: Option<&[f32]>,
    ) -> Option<usize> {
        let mut query: Vec<&(u32, f32)> = v.iter().collect();
        query.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        query.truncate(QUERY_TERMS);
        if self.counts.len() < self.stories.len() {
            self.counts.resize(self.stories.len(), 0);
        }
        let mut touched: Vec<u32> = Vec::new();
        for &&(t, _) in &query {
            if let Some(p) = self.postings.get(&t) {
                for &s in &p[p.len().saturating_sub(RECENT_POSTINGS)..] {
                    let c = &mut self.counts[s as usize];
                    if *c == 0 {
                        touched.push(s);
                    }
                    *c = c.saturating_add(1);
                }
            }
        }
        let mut cands: Vec<(u16, u32)> = touched
            .iter()
            .map(|&s| (std::mem::take(&mut self.counts[s as usize]), s))
            .collect();
        cands.sort_unstable_by(|a, b| b.cmp(a));
        cands.truncate(MAX_CANDIDATES);
        let mut best: Option<(f32, usize)> = None;
        for (_, s) in cands {
            let st = &self.stories[s as usize];
            if let (Some(d), Some((lo, hi))) = (day, st.days) {
                if d < lo - MAX_DAY_GAP || d > hi + MAX_DAY_GAP {
                    continue;
                }
            }
            let score = dot_sparse(v, &st.centroid) / st.members.len() as f32;
            let confirmed = score >= JOIN_SCORE
                // Between half the bar and the bar, an embedder (when given) may still confirm a
                // rewrite with little lexical overlap.
                || (score >= JOIN_SCORE / 2.0
                    && match (emb, &st.embedding) {
                        (Some(a), Some(b)) => dot(a, b) / st.embedded as f32 >= EMBED_COSINE,
                        _ => false,
                    });
            // Ties go to the older story, so the outcome never depends on hash order.
            if confirmed
                && best.is_none_or(|(b, bs)| score > b || (score == b && (s as usize) < bs))
            {
                best = Some((score, s as usize));
            }
        }
        best.map(|b| b.1)
    }

    fn join(
        &mut self,
        s: usize,
        doc: u32,
        v: &[(u32, f32)],
        day: Option<i32>,
        emb: Option<Vec<f32>>,
    ) {
        let st = &mut self.stories[s];
        st.members.push(doc);
        if let Some(d) = day {
            st.days = Some(st.days.map_or((d, d), |(lo, hi)| (lo.min(d), hi.max(d))));
        }
        if let Some(e) = emb {
            match &mut st.embedding {
                Some(sum) => sum.iter_mut().zip(&e).for_each(|(a, b)| *a += b),
                None => st.embedding = Some(e),
            }
            st.embedded += 1;
        }
        let old = std::mem::take(&mut st.centroid);
        let mut merged = Vec::with_capacity(old.len() + v.len());
        let mut new_terms = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < old.len() || j < v.len() {
            if j == v.len() || (i < old.len() && old[i].0 < v[j].0) {
                merged.push(old[i]);
                i += 1;
            } else if i == old.len() || v[j].0 < old[i].0 {
                merged.push(v[j]);
                new_terms.push(v[j].0);
                j += 1;
            } else {
                merged.push((old[i].0, old[i].1 + v[j].1));
                i += 1;
                j += 1;
            }
        }
        keep_heaviest(&mut merged, CENTROID_TERMS);
        st.centroid = merged;
        for t in new_terms {
            if st.centroid.binary_search_by_key(&t, |x| x.0).is_ok() {
                self.postings.entry(t).or_default().push(s as u32);
            }
        }
    }
}

/// Keeps the `n` heaviest entries (ties by term, for determinism), sorted by term.
fn keep_heaviest(v: &mut Vec<(u32, f32)>, n: usize) {
    if v.len() > n {
        v.select_nth_unstable_by(n - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(n);
    }
    v.sort_unstable_by_key(|x| x.0);
}

fn dot_sparse(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Embeds each document's lead, where an embedder is given.
fn embed_leads(
    docs: &[Document],
    embedder: Option<&dyn SentenceEmbedder>,
) -> Vec<Option<Vec<f32>>> {
    let Some(embedder) = embedder else {
        return vec![None; docs.len()];
    };
    let leads: Vec<String> = docs.iter().map(lead).collect();
    let refs: Vec<&str> = leads.iter().map(String::as_str).collect();
    match embedder.embed(&refs) {
        Ok(v) if v.len() == docs.len() => v.into_iter().map(Some).collect(),
        _ => vec![None; docs.len()],
    }
}

/// The title and the first few hundred characters of the body: where a news text states its
/// event, and about what a sentence embedder reads.
pub fn lead_text(title: Option<&str>, body: &str) -> String {
    let mut s = title.unwrap_or("").trim().to_string();
    if !s.is_empty() {
        s.push_str(". ");
    }
    let cut = body.char_indices().nth(600).map_or(body.len(), |(i, _)| i);
    s.push_str(body[..cut].trim());
    s
}

fn lead(doc: &Document) -> String {
    let body = doc
        .paragraphs()
        .map(|b| doc.block_text(b))
        .collect::<Vec<_>>()
        .join(" ");
    let body = if body.is_empty() { &doc.text } else { &body };
    lead_text(doc.title.as_deref(), body)
}

/// Groups documents into stories. Deterministic: ids and order depend only on the input.
pub fn cluster(docs: &[Document], embedder: Option<&dyn SentenceEmbedder>) -> Vec<Story> {
    let mut index = StoryIndex::new();
    index.add_batch(docs, embedder);
    index.stories()
}
