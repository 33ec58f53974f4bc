//! Adding articles to a library: dedup, incremental story assignment, and re-analysis of the
//! stories that changed. Shared by `crosscheck ingest` and the service, so both file articles
//! exactly the same way.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crosscheck_model::{Document, Story};
use crosscheck_pipeline::Options;
use crosscheck_store::{content_hash, normalize_url, Added, Duplicate, DuplicateBy, Store};
use crosscheck_stories::StoryIndex;
use serde::Serialize;

/// Articles indexed at once when the index is rebuilt: bounds the documents held in memory.
const LOAD_CHUNK: usize = 2000;

/// What happened to one incoming article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    Added {
        #[serde(flatten)]
        added: Added,
        new_story: bool,
    },
    Duplicate {
        #[serde(flatten)]
        of: Duplicate,
    },
    Failed {
        reason: String,
    },
}

/// The story index over a library's articles, kept in step with the store.
///
/// The index numbers its stories in order of creation; `stories` maps those numbers to store
/// story ids. Rebuilt from the stored articles in ingest order, the index reproduces the same
/// stories, since it is deterministic.
pub struct Library {
    index: StoryIndex,
    stories: HashMap<usize, i64>,
}

impl Library {
    /// Rebuilds the story index from every stored article. Where the index now joins articles
    /// that the store holds in separate stories (the clustering changed since they were
    /// stored), the store's stories are merged to match, in one transaction.
    pub fn load(store: &mut Store) -> crosscheck_store::Result<Library> {
        let mut index = StoryIndex::new();
        let mut stored: Vec<i64> = Vec::new();
        let mut chunk: Vec<Document> = Vec::with_capacity(LOAD_CHUNK);
        store.for_each_document(|_, story, doc| {
            chunk.push(doc);
            stored.push(story);
            if chunk.len() == LOAD_CHUNK {
                index.add_batch(&chunk, None);
                chunk.clear();
            }
        })?;
        index.add_batch(&chunk, None);
        let mut lib = Library {
            index,
            stories: HashMap::new(),
        };
        let mut merges: BTreeSet<(i64, i64)> = BTreeSet::new();
        for (n, &story) in stored.iter().enumerate() {
            let target = *lib.stories.entry(lib.index.story_of(n)).or_insert(story);
            if target != story {
                merges.insert((story, target));
            }
        }
        if !merges.is_empty() {
            let w = store.writer()?;
            for (from, into) in merges {
                w.merge_story(from, into)?;
            }
            w.commit()?;
        }
        Ok(lib)
    }

    /// Stores `docs` in one transaction, in order: duplicates (by URL or text, also within the
    /// batch) are reported and skipped; each new article joins the story the index puts it in
    /// or opens one. Returns one outcome per document and the stories that changed. On error
    /// nothing is stored and the index is rebuilt from the store.
    pub fn ingest(
        &mut self,
        store: &mut Store,
        docs: &[Document],
    ) -> crosscheck_store::Result<(Vec<Outcome>, BTreeSet<i64>)> {
        match self.try_ingest(store, docs) {
            Ok(done) => Ok(done),
            Err(e) => {
                // The index may hold articles the failed transaction never stored.
                *self = Library::load(store)?;
                Err(e)
            }
        }
    }

    fn try_ingest(
        &mut self,
        store: &mut Store,
        docs: &[Document],
    ) -> crosscheck_store::Result<(Vec<Outcome>, BTreeSet<i64>)> {
        let w = store.writer()?;
        // First the duplicates: of stored articles, or of an earlier article of this batch.
        enum Plan {
            Stored(Duplicate),
            Earlier(usize, DuplicateBy),
            New,
        }
        let mut plans = Vec::with_capacity(docs.len());
        let mut urls: HashMap<String, usize> = HashMap::new();
        let mut hashes: HashMap<String, usize> = HashMap::new();
        for (i, doc) in docs.iter().enumerate() {
            if let Some(of) = w.duplicate_of(doc)? {
                plans.push(Plan::Stored(of));
                continue;
            }
            let url = doc.url.as_deref().map(normalize_url);
            let hash = content_hash(&doc.text);
            if let Some(&j) = url.as_ref().and_then(|u| urls.get(u)) {
                plans.push(Plan::Earlier(j, DuplicateBy::Url));
            } else if let Some(&j) = hashes.get(&hash) {
                plans.push(Plan::Earlier(j, DuplicateBy::Content));
            } else {
                if let Some(u) = url {
                    urls.insert(u, i);
                }
                hashes.insert(hash, i);
                plans.push(Plan::New);
            }
        }
        // The new articles go into the index as one batch, so that its word statistics cover
        // the whole batch before any article is placed.
        let fresh: Vec<usize> = (0..docs.len())
            .filter(|&i| matches!(plans[i], Plan::New))
            .collect();
        let owned: Vec<Document>;
        let batch: &[Document] = if fresh.len() == docs.len() {
            docs
        } else {
            owned = fresh.iter().map(|&i| docs[i].clone()).collect();
            &owned
        };
        let keys = self.index.add_batch(batch, None);

        let mut outcomes: Vec<Outcome> = Vec::with_capacity(docs.len());
        let mut touched = BTreeSet::new();
        let mut phantom = false;
        let mut keys = keys.into_iter();
        for (doc, plan) in docs.iter().zip(plans) {
            let outcome = match plan {
                Plan::Stored(of) => Outcome::Duplicate { of },
                Plan::Earlier(j, by) => match &outcomes[j] {
                    Outcome::Added { added, .. } => Outcome::Duplicate {
                        of: Duplicate {
                            article: added.article,
                            story: added.story,
                            by,
                        },
                    },
                    other => other.clone(),
                },
                Plan::New => {
                    let key = keys.next().expect("one story index per new article");
                    let known = self.stories.get(&key).copied();
                    let stored = w.item(|w| {
                        let story = match known {
                            Some(id) => id,
                            None => w.open_story(&story_title(doc))?,
                        };
                        w.add_article(doc, story)
                    });
                    match stored {
                        Ok(added) => {
                            self.stories.insert(key, added.story);
                            touched.insert(added.story);
                            Outcome::Added {
                                added,
                                new_story: known.is_none(),
                            }
                        }
                        Err(e) => {
                            phantom = true;
                            Outcome::Failed {
                                reason: e.to_string(),
                            }
                        }
                    }
                }
            };
            outcomes.push(outcome);
        }
        w.commit()?;
        if phantom {
            // The index holds articles that were not stored.
            *self = Library::load(store)?;
        }
        Ok((outcomes, touched))
    }
}

/// A new story's provisional title, until its analysis names it.
fn story_title(doc: &Document) -> String {
    let title = doc
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| doc.blocks.first().map(|b| doc.block_text(b)))
        .unwrap_or(&doc.id);
    let title: String = title.chars().take(200).collect();
    title.trim().to_string()
}

/// Analyses story `id` as stored now and stores the result. Returns false when the story is
/// gone or changed while it was being analysed (it stays stale, to be analysed again).
pub fn analyze_story(store: &mut Store, id: i64, opts: &Options) -> anyhow::Result<bool> {
    let Some(input) = store.story_input(id)? else {
        return Ok(false);
    };
    if input.documents.is_empty() {
        return Ok(false);
    }
    let refs: Vec<&Document> = input.documents.iter().collect();
    let story = Story {
        id: format!("{id}"),
        title: input.title.clone(),
        documents: input.documents.iter().map(|d| d.id.clone()).collect(),
    };
    let analysis = crosscheck_pipeline::analyze_story(story, &refs, opts);
    Ok(store.save_analysis(id, input.revision, &analysis)?)
}

/// Opens the library at `path` and analyses every stale story; returns how many were stored.
pub fn analyze_stale(path: &Path, opts: &Options) -> anyhow::Result<usize> {
    let mut store = Store::open(path)?;
    let mut done = 0;
    loop {
        let ids = store.stale_stories(64)?;
        let mut progressed = false;
        for id in ids {
            if analyze_story(&mut store, id, opts)? {
                done += 1;
                progressed = true;
            }
        }
        if !progressed {
            return Ok(done);
        }
    }
}
