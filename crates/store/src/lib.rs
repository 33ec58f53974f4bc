//! SQLite library of articles, stories and findings.
//!
//! One file holds every article (the full [`Document`] as JSON plus indexed columns), the story
//! each article belongs to, and each story's latest [`StoryAnalysis`] with the rows that search
//! and outlet figures need (claims, findings, per-article statistics).
//!
//! Writes go through a [`Writer`]: one `BEGIN IMMEDIATE` transaction per batch, so readers see a
//! batch whole or not at all. A story's analysis is stored separately and tagged with the story
//! revision it covers; a story whose revision moved on is *stale* until it is analysed again, so
//! a crash between an ingest and its analysis loses nothing: the story is simply analysed later.

mod read;
mod schema;
mod stats;

use std::path::Path;

use crosscheck_model::{Document, StoryAnalysis};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use sha2::{Digest, Sha256};

pub use read::{
    ArticleStats, ArticleSummary, ClaimHit, Counts, FeedState, OutletArticle, OutletDetail,
    OutletPoint, OutletSummary, SearchResults, StoryDetail, StoryInput, StorySummary,
};
pub use schema::VERSION as SCHEMA_VERSION;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("library has schema version {found}, this build supports up to {supported}")]
    NewerSchema { found: i64, supported: i64 },
    #[error("stored JSON is unreadable: {0}")]
    Json(#[from] serde_json::Error),
}

pub type Result<T> = std::result::Result<T, Error>;

/// An open library. Cheap to open; open one per thread (connections are not shared).
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) a library and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        let mut conn = Connection::open(path)?;
        schema::configure(&conn)?;
        schema::migrate(&mut conn)?;
        Ok(Store { conn })
    }

    /// Opens an existing, migrated library for reading only.
    pub fn open_reader(path: &Path) -> Result<Store> {
        let conn = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > schema::VERSION {
            return Err(Error::NewerSchema {
                found,
                supported: schema::VERSION,
            });
        }
        Ok(Store { conn })
    }

    /// Starts a write batch. Nothing it writes is visible to readers until [`Writer::commit`].
    pub fn writer(&mut self) -> Result<Writer<'_>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        Ok(Writer { tx, now: now() })
    }

    /// Stores the analysis of story `story` as of membership `revision`. Returns false, storing
    /// nothing, when members joined since (the story stays stale and must be analysed again).
    pub fn save_analysis(
        &mut self,
        story: i64,
        revision: i64,
        analysis: &StoryAnalysis,
    ) -> Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: Option<i64> = tx
            .query_row("SELECT revision FROM stories WHERE id = ?1", [story], |r| {
                r.get(0)
            })
            .optional()?;
        if current != Some(revision) {
            return Ok(false);
        }
        stats::replace_analysis(&tx, story, revision, analysis)?;
        tx.commit()?;
        Ok(true)
    }

    /// Remembers a feed's conditional-GET validators and error count.
    pub fn save_feed(&self, feed: &FeedState) -> Result<()> {
        self.conn.execute(
            "INSERT INTO feeds(url, etag, last_modified, failures, last_polled, last_error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(url) DO UPDATE SET etag = ?2, last_modified = ?3, failures = ?4,
                 last_polled = ?5, last_error = ?6",
            params![
                feed.url,
                feed.etag,
                feed.last_modified,
                feed.failures,
                feed.last_polled,
                feed.last_error
            ],
        )?;
        Ok(())
    }
}

/// Why an incoming article was not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateBy {
    Url,
    Content,
}

/// An article already in the library that an incoming one duplicates.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Duplicate {
    pub article: i64,
    pub story: i64,
    pub by: DuplicateBy,
}

/// A stored article: its row id, the (possibly renamed) document id and its story.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Added {
    pub article: i64,
    pub doc_id: String,
    pub story: i64,
}

/// One write batch: a single transaction. Dropping it without [`Writer::commit`] rolls back.
pub struct Writer<'a> {
    tx: rusqlite::Transaction<'a>,
    now: String,
}

impl Writer<'_> {
    /// The article already stored with the same URL or the same text, if any.
    pub fn duplicate_of(&self, doc: &Document) -> Result<Option<Duplicate>> {
        if let Some(url) = doc.url.as_deref().map(normalize_url) {
            let hit = self
                .tx
                .query_row(
                    "SELECT id, story_id FROM articles WHERE url = ?1",
                    [&url],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((article, story)) = hit {
                return Ok(Some(Duplicate {
                    article,
                    story,
                    by: DuplicateBy::Url,
                }));
            }
        }
        let hit = self
            .tx
            .query_row(
                "SELECT id, story_id FROM articles WHERE content_hash = ?1",
                [content_hash(&doc.text)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(hit.map(|(article, story)| Duplicate {
            article,
            story,
            by: DuplicateBy::Content,
        }))
    }

    /// Opens a new, empty story.
    pub fn open_story(&self, title: &str) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO stories(title, created_at, updated_at) VALUES (?1, ?2, ?2)",
            params![title, self.now],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Stores `doc` as a member of `story` and marks the story stale. A document id already
    /// taken gets a `~n` suffix, so ids stay unique across ingests. Call
    /// [`Writer::duplicate_of`] first: a duplicate URL or text is refused by constraint.
    pub fn add_article(&self, doc: &Document, story: i64) -> Result<Added> {
        let doc_id = self.free_doc_id(&doc.id)?;
        let outlet = match doc
            .outlet
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
        {
            Some(name) => {
                self.tx.execute(
                    "INSERT INTO outlets(name) VALUES (?1) ON CONFLICT(name) DO NOTHING",
                    [name],
                )?;
                Some(
                    self.tx
                        .query_row("SELECT id FROM outlets WHERE name = ?1", [name], |r| {
                            r.get::<_, i64>(0)
                        })?,
                )
            }
            None => None,
        };
        let json = if doc_id == doc.id {
            serde_json::to_string(doc)?
        } else {
            let mut renamed = doc.clone();
            renamed.id = doc_id.clone();
            serde_json::to_string(&renamed)?
        };
        self.tx.execute(
            "INSERT INTO articles(doc_id, url, content_hash, outlet_id, title, published,
                 ingested_at, words, story_id, document)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                doc_id,
                doc.url.as_deref().map(normalize_url),
                content_hash(&doc.text),
                outlet,
                doc.title,
                doc.published,
                self.now,
                doc.word_count() as i64,
                story,
                json
            ],
        )?;
        let article = self.tx.last_insert_rowid();
        self.tx.execute(
            "UPDATE stories SET revision = revision + 1, versions = versions + 1,
                 updated_at = ?2 WHERE id = ?1",
            params![story, self.now],
        )?;
        Ok(Added {
            article,
            doc_id,
            story,
        })
    }

    /// Moves every member of story `from` into story `into` (an article bridged them). `from`
    /// keeps its row, pointing at `into`, so links to it still resolve.
    pub fn merge_story(&self, from: i64, into: i64) -> Result<()> {
        if from == into {
            return Ok(());
        }
        let moved = self.tx.execute(
            "UPDATE articles SET story_id = ?2 WHERE story_id = ?1",
            params![from, into],
        )?;
        for table in ["findings", "claims", "article_stats"] {
            self.tx
                .execute(&format!("DELETE FROM {table} WHERE story_id = ?1"), [from])?;
        }
        self.tx.execute(
            "UPDATE stories SET merged_into = ?2 WHERE merged_into = ?1",
            params![from, into],
        )?;
        self.tx.execute(
            "UPDATE stories SET merged_into = ?2, versions = 0, analysis = NULL,
                 families = NULL, contradictions = NULL, single_source = NULL,
                 corroborated = NULL, revision = revision + 1,
                 analysed_revision = revision + 1, updated_at = ?3
             WHERE id = ?1",
            params![from, into, self.now],
        )?;
        self.tx.execute(
            "UPDATE stories SET versions = versions + ?2, revision = revision + 1,
                 updated_at = ?3 WHERE id = ?1",
            params![into, moved as i64, self.now],
        )?;
        Ok(())
    }

    /// Runs `f` as one item of the batch: if it fails, only its own writes are undone.
    pub fn item<T>(&self, f: impl FnOnce(&Writer<'_>) -> Result<T>) -> Result<T> {
        self.tx.execute_batch("SAVEPOINT item")?;
        match f(self) {
            Ok(v) => {
                self.tx.execute_batch("RELEASE item")?;
                Ok(v)
            }
            Err(e) => {
                self.tx.execute_batch("ROLLBACK TO item; RELEASE item")?;
                Err(e)
            }
        }
    }

    /// Makes the whole batch visible and durable.
    pub fn commit(self) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }

    fn free_doc_id(&self, wanted: &str) -> Result<String> {
        let wanted = if wanted.trim().is_empty() {
            "article"
        } else {
            wanted
        };
        let taken = |id: &str| -> Result<bool> {
            Ok(self
                .tx
                .query_row("SELECT 1 FROM articles WHERE doc_id = ?1", [id], |_| Ok(()))
                .optional()?
                .is_some())
        };
        if !taken(wanted)? {
            return Ok(wanted.to_string());
        }
        let mut n = 2;
        loop {
            let id = format!("{wanted}~{n}");
            if !taken(&id)? {
                return Ok(id);
            }
            n += 1;
        }
    }
}

/// The dedup key of an article's text: SHA-256 of its folded words, so copies that differ only
/// in case, punctuation, quotes, markup or white space count as the same text.
pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(crosscheck_text::fold(text).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// URLs are compared without surrounding space and without a `#fragment`, which never names a
/// different page.
pub fn normalize_url(url: &str) -> String {
    let url = url.trim();
    url.split_once('#').map_or(url, |(u, _)| u).to_string()
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
