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
//!
//! Placing is as if one document at a time, but runs in small batches: reading postings and
//! scoring candidates is done for the whole batch in parallel against the index as it stood
//! before it, and only the stories that the batch itself changed are rescored in order (see
//! `StoryIndex::place_batch`). Results do not depend on the number of threads.

use crosscheck_model::{Document, SentenceEmbedder, Story};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;
use std::sync::OnceLock;

use crate::features::{fnv64, fnv_extend, DocFeatures};

/// How many words a document's vector keeps. Long articles have hundreds of distinct content
/// words; the top-ranked ones (names, places, repeated topic words) carry the event, and a fixed
/// size bounds memory and time per document.
pub const PROFILE_TERMS: usize = 64;
/// How many words a story's centroid keeps.
pub const CENTROID_TERMS: usize = 128;
/// How many of its heaviest words a new document looks up in the inverted index.
const QUERY_TERMS: usize = 12;
/// How many of the latest postings of a word are read.
const RECENT_POSTINGS: usize = 128;
/// Candidate stories (by number of query words their centroid holds) that are scored in full.
const MAX_CANDIDATES: usize = 16;
/// Documents placed against one snapshot of the index (see `StoryIndex::place_batch`): large
/// enough to keep the threads busy, small enough that few of its candidates change under it.
const PLACE_BATCH: usize = 64;
/// Shards of the inverted index, updated in parallel.
const POSTING_SHARDS: usize = 16;
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
    /// Word -> stories whose centroid gained it, oldest first; [`POSTING_SHARDS`] maps by word.
    postings: Vec<FxHashMap<u32, Vec<u32>>>,
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
        let mut pending: Vec<Pending> = items
            .into_par_iter()
            .map(|(id, f, e)| {
                let v = self.vector(f);
                Pending {
                    id,
                    f,
                    query: query_terms(&v),
                    v,
                    emb: e,
                }
            })
            .collect();
        let mut out = Vec::with_capacity(pending.len());
        while !pending.is_empty() {
            let rest = pending.split_off(pending.len().min(PLACE_BATCH));
            out.extend(self.place_batch(pending));
            pending = rest;
        }
        out
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
        let doc = Pending {
            id,
            f,
            query: query_terms(&v),
            v,
            emb: embedding,
        };
        self.place_batch(vec![doc])[0]
    }

    /// Places documents in order, as if one at a time, but with the expensive part (reading
    /// postings and scoring candidate stories) done in parallel against the index as it was
    /// before the batch. What that snapshot cannot know, the stories that earlier documents of
    /// the batch opened or changed, is then checked exactly and in order, through a small
    /// index of those stories' words. The outcome depends only on the documents and their
    /// order, never on the number of threads.
    fn place_batch(&mut self, docs: Vec<Pending>) -> Vec<usize> {
        let this = &*self;
        let snapshot: Vec<Vec<(f32, u32)>> = docs
            .par_iter()
            .map(|d| this.snapshot_candidates(d))
            .collect();
        let mut changed: FxHashSet<u32> = FxHashSet::default();
        // The words of the changed stories, as linked lists in one vector (no allocation per
        // word): `latest[word]` is the newest entry, each entry (story, older entry).
        let mut latest: FxHashMap<u32, u32> = FxHashMap::default();
        let mut entries: Vec<(u32, u32)> = Vec::new();
        let mut counts: FxHashMap<u32, u16> = FxHashMap::default();
        let mut new_postings: Vec<(u32, u32)> = Vec::new();
        let mut out = Vec::with_capacity(docs.len());
        for (d, snap) in docs.into_iter().zip(snapshot) {
            let mut best = snap
                .into_iter()
                .find(|(_, s)| !changed.contains(s))
                .map(|(score, s)| (score, s as usize));
            // The changed stories are found as the snapshot finds the others: by how many of
            // the document's query words they hold.
            counts.clear();
            for t in &d.query {
                let mut e = latest.get(t).copied().unwrap_or(u32::MAX);
                for _ in 0..RECENT_POSTINGS {
                    let Some(&(s, older)) = entries.get(e as usize) else {
                        break;
                    };
                    let c = counts.entry(s).or_insert(0);
                    *c = c.saturating_add(1);
                    e = older;
                }
            }
            let cands = most_shared(counts.iter().map(|(&s, &c)| (c, s)).collect());
            for (_, s) in cands {
                let s = s as usize;
                if let Some(score) = self.score(s, &d.v, d.f.day, d.emb.as_deref()) {
                    if better(score, s, best) {
                        best = Some((score, s));
                    }
                }
            }
            let (s, gained) = self.place(d.id, d.f, &d.v, d.emb, best.map(|b| b.1));
            // A story's first change in the batch indexes all its words, later ones only those
            // its centroid gained.
            new_postings.extend(gained.iter().map(|&t| (t, s as u32)));
            let words = if changed.insert(s as u32) {
                self.stories[s].centroid.iter().map(|x| x.0).collect()
            } else {
                gained
            };
            for t in words {
                let older = latest.insert(t, entries.len() as u32).unwrap_or(u32::MAX);
                entries.push((s as u32, older));
            }
            out.push(s);
        }
        // Only the next batch's snapshot reads the postings.
        self.post(&new_postings);
        out
    }

    /// Joins the document to story `best`, or opens a new story when there is none. Returns the
    /// story and the words its centroid gained.
    fn place(
        &mut self,
        id: &str,
        f: &DocFeatures,
        v: &[(u32, f32)],
        embedding: Option<Vec<f32>>,
        best: Option<usize>,
    ) -> (usize, Vec<u32>) {
        let me = self.story_of.len() as u32;
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
        let gained = self.join(s, me, v, f.day, embedding);
        self.story_of.push(s as u32);
        self.ids.push(id.into());
        self.titles.push(f.title.as_str().into());
        self.fingerprints.push(f.fingerprint);
        (s, gained)
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

    /// The document's unit TF-IDF vector over its heaviest words, sorted by term.
    fn vector(&self, f: &DocFeatures) -> Vec<(u32, f32)> {
        // A small index cannot tell a story's own words from common ones: five versions of one
        // event share their names in every document, which plain IDF would weigh as nothing.
        // Counting BACKGROUND_DOCS unrelated articles that lack the word keeps shared names
        // weighty until the index has seen enough news to know better.
        let n = (self.observed + BACKGROUND_DOCS) as f32;
        // BM25's IDF, ln(1 + (n - df + 0.5) / (df + 0.5)), is ln(n + 1) - ln(df + 0.5); it is
        // floored so that a word in nearly every document still weighs a little rather than
        // nothing or less.
        let ln_n = (n + 1.0).ln();
        let mut v: Vec<(u32, f32)> = f
            .terms
            .iter()
            .map(|&(t, tf)| {
                let df = self.df.get(&t).copied().unwrap_or(0);
                let idf = (ln_n - ln_half(df)).max(0.01);
                (t, (1.0 + ln_count(tf)) * idf)
            })
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

    /// The stories the document may join, as the index stands, best first: the candidates are
    /// the stories that hold most of its query words among the latest postings.
    fn snapshot_candidates(&self, d: &Pending) -> Vec<(f32, u32)> {
        let cands = COUNTS.with(|counts| {
            let mut counts = counts.borrow_mut();
            if counts.len() < self.stories.len() {
                counts.resize(self.stories.len(), 0);
            }
            let mut touched: Vec<u32> = Vec::new();
            for t in &d.query {
                if let Some(p) = self.postings.get(shard_of(*t)).and_then(|m| m.get(t)) {
                    for &s in &p[p.len().saturating_sub(RECENT_POSTINGS)..] {
                        let c = &mut counts[s as usize];
                        if *c == 0 {
                            touched.push(s);
                        }
                        *c = c.saturating_add(1);
                    }
                }
            }
            most_shared(
                touched
                    .iter()
                    .map(|&s| (std::mem::take(&mut counts[s as usize]), s))
                    .collect(),
            )
        });
        let mut found: Vec<(f32, u32)> = cands
            .into_iter()
            .filter_map(|(_, s)| {
                self.score(s as usize, &d.v, d.f.day, d.emb.as_deref())
                    .map(|score| (score, s))
            })
            .collect();
        // Ties go to the older story, so the outcome never depends on hash order.
        found.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        found
    }

    /// The document's score against story `s`, when it is good enough to join it.
    fn score(
        &self,
        s: usize,
        v: &[(u32, f32)],
        day: Option<i32>,
        emb: Option<&[f32]>,
    ) -> Option<f32> {
        let st = &self.stories[s];
        if let (Some(d), Some((lo, hi))) = (day, st.days) {
            if d < lo - MAX_DAY_GAP || d > hi + MAX_DAY_GAP {
                return None;
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
        confirmed.then_some(score)
    }

    fn join(
        &mut self,
        s: usize,
        doc: u32,
        v: &[(u32, f32)],
        day: Option<i32>,
        emb: Option<Vec<f32>>,
    ) -> Vec<u32> {
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
        new_terms.retain(|&t| st.centroid.binary_search_by_key(&t, |x| x.0).is_ok());
        new_terms
    }

    /// Appends `(word, story)` postings in order. The postings are split by word into shards
    /// that are filled in parallel, each in the given order, so the lists are the same as if
    /// they were appended one by one.
    fn post(&mut self, new: &[(u32, u32)]) {
        if self.postings.is_empty() {
            self.postings
                .resize_with(POSTING_SHARDS, FxHashMap::default);
        }
        self.postings
            .par_iter_mut()
            .enumerate()
            .for_each(|(k, shard)| {
                for &(t, s) in new {
                    if shard_of(t) == k {
                        shard
                            .entry(t)
                            .or_insert_with(|| Vec::with_capacity(4))
                            .push(s);
                    }
                }
            });
    }
}

/// A document on its way into the index.
struct Pending<'a> {
    id: &'a str,
    f: &'a DocFeatures,
    /// Unit TF-IDF vector, sorted by term.
    v: Vec<(u32, f32)>,
    /// Its heaviest terms, looked up in the inverted index.
    query: Vec<u32>,
    emb: Option<Vec<f32>>,
}

thread_local! {
    /// Per-story counts of query words, reused across documents (all zero between uses).
    static COUNTS: RefCell<Vec<u16>> = const { RefCell::new(Vec::new()) };
}

fn shard_of(term: u32) -> usize {
    // Terms are hashes already; the top bits pick the shard, FxHash in the shard mixes the rest.
    (term >> 28) as usize % POSTING_SHARDS
}

fn query_terms(v: &[(u32, f32)]) -> Vec<u32> {
    let mut q: Vec<(u32, f32)> = v.to_vec();
    keep_heaviest(&mut q, QUERY_TERMS);
    q.into_iter().map(|x| x.0).collect()
}

/// Whether `score` for story `s` beats `best`; ties go to the older story.
fn better(score: f32, s: usize, best: Option<(f32, usize)>) -> bool {
    best.is_none_or(|(b, bs)| score > b || (score == b && s < bs))
}

/// Logarithms of small counts, looked up: computing two of them per word and document was a
/// visible part of clustering time.
const LN_TABLE: usize = 4096;

fn ln_tables() -> &'static (Vec<f32>, Vec<f32>) {
    static TABLES: OnceLock<(Vec<f32>, Vec<f32>)> = OnceLock::new();
    TABLES.get_or_init(|| {
        let half = (0..LN_TABLE).map(|k| (k as f32 + 0.5).ln()).collect();
        let count = (0..LN_TABLE).map(|k| (k.max(1) as f32).ln()).collect();
        (half, count)
    })
}

/// ln(k + 0.5).
fn ln_half(k: u32) -> f32 {
    ln_tables()
        .0
        .get(k as usize)
        .copied()
        .unwrap_or_else(|| (k as f32 + 0.5).ln())
}

/// ln(k) for k >= 1.
fn ln_count(k: u32) -> f32 {
    ln_tables()
        .1
        .get(k as usize)
        .copied()
        .unwrap_or_else(|| (k.max(1) as f32).ln())
}

/// The [`MAX_CANDIDATES`] stories holding most query words, from `(count, story)` pairs (ties
/// by story, for determinism); unordered.
fn most_shared(mut cands: Vec<(u16, u32)>) -> Vec<(u16, u32)> {
    if cands.len() > MAX_CANDIDATES {
        cands.select_nth_unstable_by(MAX_CANDIDATES - 1, |a, b| b.cmp(a));
        cands.truncate(MAX_CANDIDATES);
    }
    cands
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
    // Advancing both cursors by comparison results rather than by a three-way branch: the
    // order of the terms is unpredictable, their equality rare.
    while i < a.len() && j < b.len() {
        let (ta, wa) = a[i];
        let (tb, wb) = b[j];
        if ta == tb {
            s += wa * wb;
        }
        i += usize::from(ta <= tb);
        j += usize::from(tb <= ta);
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
