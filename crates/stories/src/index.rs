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
/// How many words a story's centroid keeps: as many as a document's vector. Keeping 96 or 128
/// agreed less with the labels on three of the four benchmark sets and as well on the fourth
/// (a long centroid collects the stray words of single members, which let unrelated articles
/// score against it), and costs more to score (bench/RESULTS.md).
pub const CENTROID_TERMS: usize = 64;
/// How many of its heaviest words a new document looks up in the inverted index.
const QUERY_TERMS: usize = 12;
/// How many of the latest postings of a word are read. The query words are a document's
/// rarest, whose lists are mostly short; at a million articles, though, many are full, and
/// stories far back in the stream that merely share a common name crowd out the versions of
/// the same event. At 1M, reading 32 took about 8% more CPU than 16 and agreed less with the
/// labels (0.974 against 0.978), 64 took 11% more than 32 (0.972); at 100k, 16 agrees a little
/// less than 32 (0.9866 against 0.9875), and FRANK and 10k are the same (bench/RESULTS.md).
const RECENT_POSTINGS: usize = 16;
/// Postings kept per word: when a list reaches this length, its oldest postings beyond the
/// latest [`RECENT_POSTINGS`] go at once, which bounds memory however common a word is.
const KEPT_POSTINGS: usize = 2 * RECENT_POSTINGS;
/// Candidate stories (by number of query words their centroid holds) that are scored in full.
/// Scoring 16 was slower and agreed less with the labels at scale (bench/RESULTS.md): a story
/// that shares few of a document's rarest words and still scores best is more often a wrong
/// match than a reworded version.
const MAX_CANDIDATES: usize = 8;
/// Documents placed against one snapshot of the index (see `StoryIndex::place_batch`): large
/// enough to keep the threads busy, small enough that few of its candidates change under it.
const PLACE_BATCH: usize = 64;
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
/// Unrelated articles assumed to lie behind every index (see `StoryIndex::vector`).
const BACKGROUND_DOCS: u64 = 50;

/// What scoring reads of a story, kept small so that the candidates of a document cost few
/// cache lines: the embeddings are kept apart, and the members are found from
/// `StoryIndex::story_of` when asked for.
struct StoryEntry {
    /// The centroid, the sum of the members' unit vectors over at most [`CENTROID_TERMS`]
    /// words: the terms sorted, and their weights beside them. Scoring reads the terms of many
    /// stories and only few of their weights.
    terms: Vec<u32>,
    weights: Vec<f32>,
    size: u32,
    days: Option<(i32, i32)>,
}

/// The sum of the lead embeddings of a story's members that had one, and their number.
struct EmbeddingSum {
    sum: Vec<f32>,
    count: u32,
}

/// Stories built one document at a time.
///
/// Documents are numbered in insertion order; stories in order of creation. Deterministic: the
/// same documents inserted in the same order give the same stories and ids.
#[derive(Default)]
pub struct StoryIndex {
    df: DfTable,
    observed: u64,
    stories: Vec<StoryEntry>,
    /// Per story, where any member had a lead embedding.
    embeddings: Vec<Option<EmbeddingSum>>,
    /// Story of each document.
    story_of: Vec<u32>,
    ids: Vec<Box<str>>,
    titles: Vec<Box<str>>,
    fingerprints: Vec<u64>,
    /// Per word that any centroid gained (numbered in its place in `df`), the stories whose
    /// centroid gained it, oldest first, at most the latest [`KEPT_POSTINGS`].
    postings: Vec<Vec<u32>>,
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
    /// [`StoryIndex::add_batch`]), placed in order.
    pub fn add_features(
        &mut self,
        items: Vec<(&str, &DocFeatures, Option<Vec<f32>>)>,
    ) -> Vec<usize> {
        for (_, f, _) in &items {
            self.observe(f);
        }
        let mut out = Vec::with_capacity(items.len());
        let mut items = items.into_iter();
        loop {
            let batch: Vec<_> = items.by_ref().take(PLACE_BATCH).collect();
            if batch.is_empty() {
                return out;
            }
            out.extend(self.place_batch(batch));
        }
    }

    /// Counts a document's words into the document frequencies, without placing it.
    pub fn observe(&mut self, f: &DocFeatures) {
        self.observed += 1;
        self.df.reserve(f.terms.len());
        self.df.touch(&f.terms);
        for &(t, _) in &f.terms {
            self.df.count(t);
        }
    }

    /// Places a document whose words were already [`observe`](StoryIndex::observe)d, with an
    /// optional unit-length embedding of its lead ([`lead_text`]). Returns its story index.
    pub fn insert(&mut self, id: &str, f: &DocFeatures, embedding: Option<Vec<f32>>) -> usize {
        self.place_batch(vec![(id, f, embedding)])[0]
    }

    /// The document weighted, on its way to a story.
    fn pending<'a>(&self, id: &'a str, f: &'a DocFeatures, emb: Option<Vec<f32>>) -> Pending<'a> {
        let v = self.vector(f);
        Pending {
            id,
            f,
            query: query_terms(&v),
            v,
            emb,
        }
    }

    /// Places documents in order, as if one at a time, but with the expensive part (weighting
    /// their words, reading postings and scoring candidate stories) done in parallel against
    /// the index as it was before the batch. What that snapshot cannot know, the stories that
    /// earlier documents of the batch opened or changed, is then checked exactly and in order,
    /// through a small index of those stories' words. The outcome depends only on the
    /// documents and their order, never on the number of threads.
    fn place_batch(&mut self, items: Vec<(&str, &DocFeatures, Option<Vec<f32>>)>) -> Vec<usize> {
        let this = &*self;
        let (docs, snapshot): (Vec<Pending>, Vec<Vec<(f32, u32)>>) = items
            .into_par_iter()
            .map(|(id, f, e)| {
                let d = this.pending(id, f, e);
                let snap = this.snapshot_candidates(&d);
                (d, snap)
            })
            .unzip();
        let mut changed = BatchChanges::new(&docs);
        let mut new_postings: Vec<(u32, u32)> = Vec::new();
        let mut out = Vec::with_capacity(docs.len());
        for (k, (d, snap)) in docs.into_iter().zip(snapshot).enumerate() {
            let mut best = snap
                .into_iter()
                .find(|(_, s)| !changed.contains(*s))
                .map(|(score, s)| (score, s as usize));
            let cands = COUNTER.with(|c| {
                let mut c = c.borrow_mut();
                c.postings.extend(changed.stories_sharing(k));
                c.most_shared()
            });
            if !cands.is_empty() {
                let probe = DocProbe::new(&d.v);
                for s in cands {
                    let s = s as usize;
                    if let Some(score) = self.score(s, &probe, d.f.day, d.emb.as_deref()) {
                        if better(score, s, best) {
                            best = Some((score, s));
                        }
                    }
                }
            }
            let (s, gained) = self.place(d.id, d.f, &d.v, d.emb, best.map(|b| b.1));
            new_postings.extend(gained.iter().map(|&t| (t, s as u32)));
            // A story's first change in the batch indexes all its words, later ones only those
            // its centroid gained.
            if changed.insert(s as u32) {
                changed.index_words(s as u32, &self.stories[s].terms);
            } else {
                changed.index_words(s as u32, &gained);
            }
            out.push(s);
        }
        // Only the next batch's snapshot reads the postings.
        self.post(new_postings);
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
        let s = match best {
            Some(s) => s,
            None => {
                self.stories.push(StoryEntry {
                    terms: Vec::new(),
                    weights: Vec::new(),
                    size: 0,
                    days: None,
                });
                self.embeddings.push(None);
                self.stories.len() - 1
            }
        };
        let gained = self.join(s, v, f.day, embedding);
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
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); self.stories.len()];
        for (doc, &s) in self.story_of.iter().enumerate() {
            members[s as usize].push(doc as u32);
        }
        members.iter().map(|m| self.story(m)).collect()
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
        self.df.touch(&f.terms);
        let mut v: Vec<(u32, f32)> = f
            .terms
            .iter()
            .map(|&(t, tf)| {
                let idf = (ln_n - ln_half(self.df.get(t))).max(0.01);
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
        let cands = COUNTER.with(|c| {
            let mut c = c.borrow_mut();
            // The postings are copied out first, in a loop without unpredictable branches, so
            // that their cache misses overlap instead of following one another through the
            // counting loop's mispredictions (most lists are not in the caches).
            for &t in &d.query {
                if let Some(p) = self.postings.get(self.df.list(t) as usize) {
                    c.postings
                        .extend_from_slice(&p[p.len().saturating_sub(RECENT_POSTINGS)..]);
                }
            }
            c.most_shared()
        });
        // The same for the candidates' centroids.
        std::hint::black_box(
            cands
                .iter()
                .map(|&s| first_of_each_line(&self.stories[s as usize].terms))
                .fold(0, |a, b| a ^ b),
        );
        let probe = DocProbe::new(&d.v);
        let mut found: Vec<(f32, u32)> = cands
            .into_iter()
            .filter_map(|s| {
                self.score(s as usize, &probe, d.f.day, d.emb.as_deref())
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
        probe: &DocProbe,
        day: Option<i32>,
        emb: Option<&[f32]>,
    ) -> Option<f32> {
        let st = &self.stories[s];
        if let (Some(d), Some((lo, hi))) = (day, st.days) {
            if d < lo - MAX_DAY_GAP || d > hi + MAX_DAY_GAP {
                return None;
            }
        }
        let score = probe.dot(&st.terms, &st.weights) / st.size as f32;
        let confirmed = score >= JOIN_SCORE
            // Between half the bar and the bar, an embedder (when given) may still confirm a
            // rewrite with little lexical overlap.
            || (score >= JOIN_SCORE / 2.0
                && match (emb, &self.embeddings[s]) {
                    (Some(a), Some(b)) => dot(a, &b.sum) / b.count as f32 >= EMBED_COSINE,
                    _ => false,
                });
        confirmed.then_some(score)
    }

    fn join(
        &mut self,
        s: usize,
        v: &[(u32, f32)],
        day: Option<i32>,
        emb: Option<Vec<f32>>,
    ) -> Vec<u32> {
        if let Some(e) = emb {
            match &mut self.embeddings[s] {
                Some(b) => {
                    b.sum.iter_mut().zip(&e).for_each(|(a, b)| *a += b);
                    b.count += 1;
                }
                None => self.embeddings[s] = Some(EmbeddingSum { sum: e, count: 1 }),
            }
        }
        let st = &mut self.stories[s];
        st.size += 1;
        if let Some(d) = day {
            st.days = Some(st.days.map_or((d, d), |(lo, hi)| (lo.min(d), hi.max(d))));
        }
        let mut merged = Vec::with_capacity(st.terms.len() + v.len());
        let mut new_terms = Vec::new();
        let (old_t, old_w) = (&st.terms, &st.weights);
        let (mut i, mut j) = (0, 0);
        while i < old_t.len() || j < v.len() {
            if j == v.len() || (i < old_t.len() && old_t[i] < v[j].0) {
                merged.push((old_t[i], old_w[i]));
                i += 1;
            } else if i == old_t.len() || v[j].0 < old_t[i] {
                merged.push(v[j]);
                new_terms.push(v[j].0);
                j += 1;
            } else {
                merged.push((old_t[i], old_w[i] + v[j].1));
                i += 1;
                j += 1;
            }
        }
        keep_heaviest(&mut merged, CENTROID_TERMS);
        st.terms.clear();
        st.terms.extend(merged.iter().map(|x| x.0));
        st.weights.clear();
        st.weights.extend(merged.iter().map(|x| x.1));
        new_terms.retain(|t| st.terms.binary_search(t).is_ok());
        new_terms
    }

    /// Appends `(word, story)` postings in order. Every word was observed, so it has a place
    /// in `df`, which holds the number of its list: finding a query word's postings probes the
    /// slot that weighting it has just read, still in the cache, instead of a map of its own.
    fn post(&mut self, new: Vec<(u32, u32)>) {
        for (t, s) in new {
            let slot = self.df.slot_mut(t);
            if slot.list == NONE {
                slot.list = self.postings.len() as u32;
                self.postings.push(Vec::with_capacity(4));
            }
            let list = &mut self.postings[slot.list as usize];
            // Only the latest postings are read; older ones go, in bulk.
            if list.len() == KEPT_POSTINGS {
                list.drain(..KEPT_POSTINGS - RECENT_POSTINGS);
            }
            list.push(s);
        }
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

/// The stories changed by the documents placed so far in a batch, and an index of their words
/// restricted to the words that documents of the batch look up: the rest can never count.
struct BatchChanges {
    changed: FxHashSet<u32>,
    /// Each query word of the batch -> its slot.
    slots: FxHashMap<u32, u32>,
    /// Per document of the batch, the slots of its query words.
    doc_slots: Vec<Vec<u32>>,
    /// Per slot, the newest entry; each entry is (story, older entry), so that a word's
    /// stories are a linked list in one vector.
    latest: Vec<u32>,
    entries: Vec<(u32, u32)>,
}

impl BatchChanges {
    fn new(docs: &[Pending]) -> Self {
        let mut slots: FxHashMap<u32, u32> = FxHashMap::default();
        let doc_slots = docs
            .iter()
            .map(|d| {
                d.query
                    .iter()
                    .map(|&t| {
                        let next = slots.len() as u32;
                        *slots.entry(t).or_insert(next)
                    })
                    .collect()
            })
            .collect();
        BatchChanges {
            changed: FxHashSet::default(),
            latest: vec![NONE; slots.len()],
            slots,
            doc_slots,
            entries: Vec::new(),
        }
    }

    fn contains(&self, s: u32) -> bool {
        self.changed.contains(&s)
    }

    /// Marks `s` changed; whether it is the first change in the batch.
    fn insert(&mut self, s: u32) -> bool {
        self.changed.insert(s)
    }

    fn index_words(&mut self, s: u32, words: &[u32]) {
        for &t in words {
            if let Some(&q) = self.slots.get(&t) {
                let older =
                    std::mem::replace(&mut self.latest[q as usize], self.entries.len() as u32);
                self.entries.push((s, older));
            }
        }
    }

    /// The changed stories among the latest postings of the query words of the batch's
    /// document `k`, found as the snapshot finds the others (once per shared word).
    fn stories_sharing(&self, k: usize) -> impl Iterator<Item = u32> + '_ {
        self.doc_slots[k].iter().flat_map(move |&q| {
            let mut e = self.latest[q as usize];
            std::iter::from_fn(move || {
                let &(s, older) = self.entries.get(e as usize)?;
                e = older;
                Some(s)
            })
            .take(RECENT_POSTINGS)
        })
    }
}

const NONE: u32 = u32::MAX;

/// The top bits of a multiplicative hash: a table index for `32 - shift` bits.
fn spread(x: u32, shift: u32) -> usize {
    (x.wrapping_mul(0x9e37_79b9) >> shift) as usize
}

/// Document frequencies by term in one open-addressed table, at most half full, and the number
/// of each term's posting list. Every word of every document is looked up, mostly words the
/// caches do not hold; a lookup here is one memory access where a general hash map makes
/// several.
#[derive(Default)]
struct DfTable {
    slots: Vec<DfSlot>,
    len: usize,
    shift: u32,
}

#[derive(Clone, Copy)]
struct DfSlot {
    term: u32,
    /// Document frequency; 0 marks an empty place.
    df: u32,
    /// The term's list in `StoryIndex::postings`, or [`NONE`].
    list: u32,
}

impl DfSlot {
    const EMPTY: DfSlot = DfSlot {
        term: 0,
        df: 0,
        list: NONE,
    };
}

impl DfTable {
    fn get(&self, t: u32) -> u32 {
        self.slot(t).df
    }

    /// The term's posting list, or [`NONE`].
    fn list(&self, t: u32) -> u32 {
        self.slot(t).list
    }

    fn slot(&self, t: u32) -> DfSlot {
        if self.slots.is_empty() {
            return DfSlot::EMPTY;
        }
        self.slots[self.place(t)]
    }

    /// The place of an observed term.
    fn slot_mut(&mut self, t: u32) -> &mut DfSlot {
        let i = self.place(t);
        debug_assert!(self.slots[i].df > 0, "term {t} was never observed");
        &mut self.slots[i]
    }

    /// Reads the first place of each term, in a loop without branches, so that their cache
    /// misses overlap rather than follow one another through the lookups' mispredictions.
    fn touch(&self, terms: &[(u32, u32)]) {
        if !self.slots.is_empty() {
            let first = |t: u32| self.slots[spread(t, self.shift)].df;
            std::hint::black_box(terms.iter().fold(0, |a, &(t, _)| a ^ first(t)));
        }
    }

    fn place(&self, t: u32) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = spread(t, self.shift);
        loop {
            let slot = self.slots[i];
            if slot.df == 0 || slot.term == t {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// Makes room for `extra` new terms.
    fn reserve(&mut self, extra: usize) {
        if (self.len + extra) * 2 <= self.slots.len() {
            return;
        }
        let bits = ((self.len + extra) * 2)
            .next_power_of_two()
            .trailing_zeros()
            .max(10);
        let old = std::mem::replace(&mut self.slots, vec![DfSlot::EMPTY; 1 << bits]);
        self.shift = 32 - bits;
        for slot in old {
            if slot.df > 0 {
                let i = self.place(slot.term);
                self.slots[i] = slot;
            }
        }
    }

    /// Counts one more document with term `t`; room must have been reserved.
    fn count(&mut self, t: u32) {
        let i = self.place(t);
        let slot = &mut self.slots[i];
        if slot.df == 0 {
            slot.term = t;
            self.len += 1;
        }
        slot.df = slot.df.saturating_add(1);
    }
}

/// A document's vector, laid out for dot products with many centroids: a bitmap of its terms
/// that most centroid terms fail at once, and an open-addressed table of its weights for those
/// that pass.
struct DocProbe {
    bits: [u64; PROBE_BITS / 64],
    terms: [u32; PROBE_SLOTS],
    /// 0 marks an empty place: every weight of a unit TF-IDF vector is positive.
    weights: [f32; PROBE_SLOTS],
}

const PROBE_BITS: usize = 2048;
const PROBE_SLOTS: usize = 256;
// A vector holds at most a quarter of the table, so probes end soon.
const _: () = assert!(PROFILE_TERMS * 4 <= PROBE_SLOTS);

impl DocProbe {
    fn new(v: &[(u32, f32)]) -> Self {
        let mut p = DocProbe {
            bits: [0; PROBE_BITS / 64],
            terms: [0; PROBE_SLOTS],
            weights: [0.0; PROBE_SLOTS],
        };
        for &(t, w) in v {
            let b = Self::bit(t);
            p.bits[b / 64] |= 1 << (b % 64);
            let i = p.place(t);
            p.terms[i] = t;
            p.weights[i] = w;
        }
        p
    }

    fn bit(t: u32) -> usize {
        spread(t, 32 - PROBE_BITS.trailing_zeros())
    }

    fn place(&self, t: u32) -> usize {
        // Other bits of the hash than the bitmap's, so that a false hit there is no more
        // likely to collide here.
        let mut i = t.wrapping_mul(0x85eb_ca6b) as usize >> 24;
        while self.weights[i] != 0.0 && self.terms[i] != t {
            i = (i + 1) % PROBE_SLOTS;
        }
        i
    }

    fn weight(&self, t: u32) -> f32 {
        let b = Self::bit(t);
        if self.bits[b / 64] & (1 << (b % 64)) == 0 {
            return 0.0;
        }
        self.weights[self.place(t)]
    }

    /// The dot product with a sparse vector (`terms` sorted, `weights` beside them). Matching
    /// terms are added in term order, as a merge of the two sorted vectors would, so the sum is
    /// the same to the last bit.
    fn dot(&self, terms: &[u32], weights: &[f32]) -> f32 {
        let mut s = 0.0f32;
        for (&t, &w) in terms.iter().zip(weights) {
            let mine = self.weight(t);
            if mine != 0.0 {
                s += mine * w;
            }
        }
        s
    }
}

/// Counts, for one document, how many of its query words' postings name each story, in a
/// small open-addressed table: a count per story in an array outgrew the caches at a million
/// articles.
struct StoryCounter {
    /// The postings read for the document.
    postings: Vec<u32>,
    /// Story at each place; [`NONE`] marks an empty one.
    stories: Vec<u32>,
    counts: Vec<u16>,
    /// The places filled, to read and clear them.
    filled: Vec<u32>,
    /// The candidates ranked, those named more than once first.
    ranked: Vec<u64>,
}

/// Postings read for one document, at most.
const MAX_POSTINGS_READ: usize = QUERY_TERMS * RECENT_POSTINGS;
const COUNTER_BITS: u32 = (MAX_POSTINGS_READ * 2).next_power_of_two().trailing_zeros();

impl StoryCounter {
    fn new() -> Self {
        StoryCounter {
            postings: Vec::with_capacity(MAX_POSTINGS_READ),
            stories: vec![NONE; 1 << COUNTER_BITS],
            counts: vec![0; 1 << COUNTER_BITS],
            filled: Vec::with_capacity(MAX_POSTINGS_READ),
            ranked: Vec::with_capacity(MAX_POSTINGS_READ),
        }
    }

    /// The [`MAX_CANDIDATES`] stories named most often in `self.postings` (ties to the newer
    /// story, for determinism), unordered. Empties `self.postings`.
    fn most_shared(&mut self) -> Vec<u32> {
        // More distinct stories than places would never find an empty one.
        debug_assert!(self.postings.len() <= MAX_POSTINGS_READ);
        let mask = self.stories.len() - 1;
        // A posting's story is new to the table about as often as not: the table records
        // which it was instead of branching on it. Only a collision, rare in a table this
        // sparse, takes a branch.
        self.filled.resize(self.postings.len(), 0);
        let mut added = 0;
        for &s in &self.postings {
            let mut i = spread(s, 32 - COUNTER_BITS);
            while (self.stories[i] != NONE) & (self.stories[i] != s) {
                i = (i + 1) & mask;
            }
            let new = self.stories[i] == NONE;
            self.stories[i] = s;
            self.filled[added] = i as u32;
            added += usize::from(new);
            self.counts[i] = self.counts[i].saturating_add(1);
        }
        self.postings.clear();
        self.filled.truncate(added);
        // Ranked by one integer, count above story, inverted so that the most shared come
        // first. Most stories are named once: those go to the back of the buffer (the place is
        // chosen without a branch) and are only ranked when fewer than MAX_CANDIDATES stories
        // are named more.
        let ranked = &mut self.ranked;
        ranked.resize(added, 0);
        let mut more = 0;
        for (k, &i) in self.filled.iter().enumerate() {
            let i = i as usize;
            let (count, story) = (std::mem::take(&mut self.counts[i]), self.stories[i]);
            self.stories[i] = NONE;
            let place = if count > 1 {
                more
            } else {
                added - 1 - (k - more)
            };
            ranked[place] = !(u64::from(count) << 32 | u64::from(story));
            more += usize::from(count > 1);
        }
        self.filled.clear();
        let (named_more, named_once) = ranked.split_at_mut(more);
        let mut found: Vec<u32> = Vec::with_capacity(MAX_CANDIDATES);
        for part in [named_more, named_once] {
            let best = smallest(part, MAX_CANDIDATES - found.len());
            found.extend(best.iter().map(|&r| !r as u32));
        }
        found
    }
}

/// The `n` smallest values of `v`, unordered.
fn smallest(v: &mut [u64], n: usize) -> &[u64] {
    if n > 0 && v.len() > n {
        v.select_nth_unstable(n - 1);
    }
    &v[..n.min(v.len())]
}

thread_local! {
    static COUNTER: RefCell<StoryCounter> = RefCell::new(StoryCounter::new());
    /// Weights being ranked by `weight_cut`, reused.
    static RANKED: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

/// One value from each 64-byte cache line of `v`, combined: reading them asks for every line
/// at once.
fn first_of_each_line(v: &[u32]) -> u32 {
    v.iter().step_by(16).fold(0, |a, &x| a ^ x)
}

fn query_terms(v: &[(u32, f32)]) -> Vec<u32> {
    let mut q = v.to_vec();
    keep_heaviest(&mut q, QUERY_TERMS);
    q.iter().map(|x| x.0).collect()
}

/// Whether `score` for story `s` beats `best`; ties go to the older story.
fn better(score: f32, s: usize, best: Option<(f32, usize)>) -> bool {
    best.is_none_or(|(b, bs)| score > b || (score == b && s < bs))
}

/// Logarithms of counts, looked up: computing two of them per word and document was a visible
/// part of clustering time. Document frequencies reach the hundreds of thousands at a million
/// articles, where a table of 4 096 left the logarithm 1.3% of the time; the larger table is
/// filled a block at a time, when first needed, so that a small run does not pay for it.
const LN_BLOCK: usize = 4096;
const LN_DF_BLOCKS: usize = 16;
const LN_TF_TABLE: usize = 4096;

/// ln(k + 0.5).
fn ln_half(k: u32) -> f32 {
    static BLOCKS: [OnceLock<Box<[f32]>>; LN_DF_BLOCKS] = [const { OnceLock::new() }; LN_DF_BLOCKS];
    let i = k as usize;
    match BLOCKS.get(i / LN_BLOCK) {
        Some(table) => table.get_or_init(|| {
            let base = i / LN_BLOCK * LN_BLOCK;
            (base..base + LN_BLOCK)
                .map(|j| (j as f32 + 0.5).ln())
                .collect()
        })[i % LN_BLOCK],
        None => (k as f32 + 0.5).ln(),
    }
}

/// ln(k) for k >= 1.
fn ln_count(k: u32) -> f32 {
    static TABLE: OnceLock<Box<[f32]>> = OnceLock::new();
    TABLE
        .get_or_init(|| (0..LN_TF_TABLE).map(|k| (k.max(1) as f32).ln()).collect())
        .get(k as usize)
        .copied()
        .unwrap_or_else(|| (k.max(1) as f32).ln())
}

/// Keeps the `n` heaviest entries of `v`, which is sorted by term (ties go to the smaller
/// term, for determinism); the order stays. Only the weights are ranked, so the entries need no
/// sorting back.
fn keep_heaviest(v: &mut Vec<(u32, f32)>, n: usize) {
    let Some((cut, mut ties)) = weight_cut(v, n) else {
        return;
    };
    // Every entry is written back in place and only a kept one is stepped past: which entries
    // pass the cut is what the words of news make least predictable, and a branch on it
    // mispredicted about every other time.
    let mut len = 0;
    for k in 0..v.len() {
        let x = v[k];
        let w = x.1.to_bits();
        let tie = (w == cut) & (ties > 0);
        ties -= usize::from(tie);
        v[len] = x;
        len += usize::from((w > cut) | tie);
    }
    v.truncate(len);
}

/// The bits of the `n`-th heaviest weight of `v` and how many entries of exactly that weight
/// are among the `n` heaviest; `None` when `v` has no more than `n` entries.
fn weight_cut(v: &[(u32, f32)], n: usize) -> Option<(u32, usize)> {
    if v.len() <= n || n == 0 {
        return None;
    }
    debug_assert!(v.iter().all(|x| x.1 > 0.0), "weights rank by their bits");
    RANKED.with(|w| {
        let mut w = w.borrow_mut();
        w.clear();
        w.extend(v.iter().map(|x| x.1.to_bits()));
        let (_, &mut cut, heavier) = w.select_nth_unstable(v.len() - n);
        let above = heavier.iter().filter(|&&x| x > cut).count();
        Some((cut, n - above))
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-random numbers without a random-number dependency.
    fn xorshift(mut x: u32) -> impl FnMut() -> u32 {
        move || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        }
    }

    /// `keep_heaviest` as first written: rank everything, then sort back by term.
    fn reference_keep_heaviest(v: &mut Vec<(u32, f32)>, n: usize) {
        if v.len() > n {
            v.select_nth_unstable_by(n - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            v.truncate(n);
        }
        v.sort_unstable_by_key(|x| x.0);
    }

    #[test]
    fn heaviest_entries_are_kept_in_order_with_ties_to_the_smaller_term() {
        // Few distinct weights, so that many entries tie at the cut; all positive, as TF-IDF
        // weights are.
        let mut next = xorshift(12345);
        for len in [0, 1, 5, 12, 13, 64, 65, 200] {
            for n in [1, 4, 12, 64] {
                let mut v: Vec<(u32, f32)> = (0..len)
                    .map(|_| (next(), (next() % 5 + 1) as f32))
                    .collect();
                v.sort_unstable_by_key(|e| e.0);
                v.dedup_by_key(|e| e.0);
                let mut expected = v.clone();
                reference_keep_heaviest(&mut expected, n);
                keep_heaviest(&mut v, n);
                assert_eq!(v, expected, "len {len} n {n}");
            }
        }
    }

    #[test]
    fn probe_dot_products_match_a_merge_of_the_sorted_vectors() {
        let doc: Vec<(u32, f32)> = (0..64u32)
            .map(|i| (i * 7919, 0.1 + i as f32 / 97.0))
            .collect();
        let probe = DocProbe::new(&doc);
        let terms: Vec<u32> = (0..128u32).map(|i| i * 3001).collect();
        let weights: Vec<f32> = (0..128).map(|i| 1.0 / (1.0 + i as f32)).collect();
        let mut expected = 0.0f32;
        for (&t, &w) in terms.iter().zip(&weights) {
            if let Ok(k) = doc.binary_search_by_key(&t, |e| e.0) {
                expected += doc[k].1 * w;
            }
        }
        assert!(expected > 0.0);
        assert_eq!(probe.dot(&terms, &weights).to_bits(), expected.to_bits());
    }

    #[test]
    fn most_shared_stories_are_the_most_named_then_the_newest() {
        let mut next = xorshift(99);
        let mut counter = StoryCounter::new();
        // At most what one document reads: many stories named more than once, nearly all
        // named once, a few named many times.
        for (len, range) in [
            (0, 10),
            (5, 10),
            (40, 30),
            (MAX_POSTINGS_READ, 300),
            (MAX_POSTINGS_READ, 1 << 20),
            (MAX_POSTINGS_READ, 20),
        ] {
            let postings: Vec<u32> = (0..len).map(|_| next() % range).collect();
            let mut counts: FxHashMap<u32, u64> = FxHashMap::default();
            for &s in &postings {
                *counts.entry(s).or_default() += 1;
            }
            let mut expected: Vec<(u64, u32)> = counts.into_iter().map(|(s, c)| (c, s)).collect();
            expected.sort_unstable_by(|a, b| b.cmp(a));
            let mut expected: Vec<u32> =
                expected.iter().take(MAX_CANDIDATES).map(|e| e.1).collect();
            expected.sort_unstable();
            counter.postings.extend(&postings);
            let mut found = counter.most_shared();
            found.sort_unstable();
            assert_eq!(found, expected, "{len} postings below {range}");
        }
    }

    #[test]
    fn document_frequencies_and_list_numbers_survive_growth() {
        let term = |k: u32| k.wrapping_mul(2_654_435_761);
        let mut df = DfTable::default();
        for round in 1..=3u32 {
            for k in 0..5000u32 {
                df.reserve(1);
                df.count(term(k));
                // Numbered while the table is small, so that it grows several times after.
                if round == 1 && k < 10 {
                    df.slot_mut(term(k)).list = k;
                }
            }
            assert_eq!(df.get(term(7)), round);
        }
        for k in 0..10 {
            assert_eq!(df.list(term(k)), k);
        }
        assert_eq!(df.list(term(10)), NONE);
        assert_eq!(df.get(1), 0);
    }
}
