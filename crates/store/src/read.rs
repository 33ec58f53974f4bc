//! Queries behind the web UI and the JSON API.

use crosscheck_model::{Document, StoryAnalysis};
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use crate::{Result, Store};

#[derive(Debug, Clone, Serialize)]
pub struct StorySummary {
    pub id: i64,
    pub title: String,
    /// Member articles.
    pub versions: i64,
    /// Copy families; `None` until the story has been analysed.
    pub families: Option<i64>,
    pub contradictions: Option<i64>,
    pub single_source: Option<i64>,
    pub corroborated: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    /// False while members joined after the stored analysis (it is being redone).
    pub analysed: bool,
    /// Set when a bridging article merged this story into another: look there.
    pub merged_into: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleSummary {
    pub id: i64,
    pub doc_id: String,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub outlet_id: Option<i64>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub ingested_at: String,
    pub words: i64,
    pub story_id: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct StoryDetail {
    pub story: StorySummary,
    pub articles: Vec<ArticleSummary>,
    /// The latest stored analysis (it may cover fewer members than `articles` while stale).
    pub analysis: Option<StoryAnalysis>,
}

/// What analysing a story needs: its members as of one membership revision.
#[derive(Debug, Clone)]
pub struct StoryInput {
    pub id: i64,
    pub revision: i64,
    pub title: String,
    pub documents: Vec<Document>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutletSummary {
    pub id: i64,
    pub name: String,
    pub articles: i64,
    pub last_ingested: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleStats {
    /// Share of the article's sentence text not copied from an earlier version, in `[0, 1]`.
    pub original_share: Option<f64>,
    pub contradictions: i64,
    pub single_source: i64,
    pub repeated_paragraphs: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutletArticle {
    pub article: ArticleSummary,
    /// `None` until the article's story has been analysed.
    pub stats: Option<ArticleStats>,
}

/// One period (a month, by publication date, else ingest date) of an outlet's figures.
#[derive(Debug, Clone, Serialize)]
pub struct OutletPoint {
    pub period: String,
    pub articles: i64,
    pub analysed: i64,
    /// Original text over all analysed text of the period.
    pub original_share: Option<f64>,
    pub contradictions_per_article: Option<f64>,
    pub single_source_per_article: Option<f64>,
    pub repeated_paragraphs: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutletDetail {
    pub outlet: OutletSummary,
    pub series: Vec<OutletPoint>,
    /// The latest articles, newest first.
    pub articles: Vec<OutletArticle>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimHit {
    pub story_id: i64,
    pub article_id: i64,
    pub title: Option<String>,
    pub kind: String,
    pub slot: String,
    pub value: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub query: String,
    pub articles: Vec<ArticleSummary>,
    pub claims: Vec<ClaimHit>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Counts {
    pub articles: i64,
    pub stories: i64,
    /// Stories whose stored analysis is missing or older than their members.
    pub stale: i64,
}

/// A feed's conditional-GET validators and error history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FeedState {
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub failures: i64,
    pub last_polled: Option<String>,
    pub last_error: Option<String>,
}

const STORY_COLUMNS: &str = "id, title, versions, families, contradictions, single_source,
    corroborated, created_at, updated_at, analysed_revision = revision, merged_into";

fn story_row(r: &Row<'_>) -> rusqlite::Result<StorySummary> {
    Ok(StorySummary {
        id: r.get(0)?,
        title: r.get(1)?,
        versions: r.get(2)?,
        families: r.get(3)?,
        contradictions: r.get(4)?,
        single_source: r.get(5)?,
        corroborated: r.get(6)?,
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
        analysed: r.get(9)?,
        merged_into: r.get(10)?,
    })
}

const ARTICLE_COLUMNS: &str = "a.id, a.doc_id, a.url, o.name, a.outlet_id, a.title, a.published,
    a.ingested_at, a.words, a.story_id";

fn article_row(r: &Row<'_>) -> rusqlite::Result<ArticleSummary> {
    Ok(ArticleSummary {
        id: r.get(0)?,
        doc_id: r.get(1)?,
        url: r.get(2)?,
        outlet: r.get(3)?,
        outlet_id: r.get(4)?,
        title: r.get(5)?,
        published: r.get(6)?,
        ingested_at: r.get(7)?,
        words: r.get(8)?,
        story_id: r.get(9)?,
    })
}

/// Turns free text into an FTS5 query that cannot be a syntax error: every word quoted, all
/// required.
fn fts_query(q: &str) -> Option<String> {
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| format!("\"{w}\""))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

impl Store {
    /// Stories, most recently updated first.
    pub fn stories(&self, limit: usize, offset: usize) -> Result<Vec<StorySummary>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {STORY_COLUMNS} FROM stories WHERE merged_into IS NULL
             ORDER BY updated_at DESC, id DESC
             LIMIT ?1 OFFSET ?2"
        ))?;
        let rows = stmt.query_map(params![limit as i64, offset as i64], story_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn story(&self, id: i64) -> Result<Option<StoryDetail>> {
        let tx = self.conn.unchecked_transaction()?;
        let row = tx
            .prepare_cached(&format!(
                "SELECT {STORY_COLUMNS}, analysis FROM stories WHERE id = ?1"
            ))?
            .query_row([id], |r| {
                Ok((story_row(r)?, r.get::<_, Option<String>>(11)?))
            })
            .optional()?;
        let Some((story, analysis)) = row else {
            return Ok(None);
        };
        let articles = self.articles_where("a.story_id = ?1 ORDER BY a.id", id)?;
        let analysis = analysis
            .map(|json| serde_json::from_str(&json))
            .transpose()?;
        tx.finish()?;
        Ok(Some(StoryDetail {
            story,
            articles,
            analysis,
        }))
    }

    /// A story's members as one consistent snapshot, for analysing it.
    pub fn story_input(&self, id: i64) -> Result<Option<StoryInput>> {
        let tx = self.conn.unchecked_transaction()?;
        let head = tx
            .query_row(
                "SELECT revision, title FROM stories WHERE id = ?1",
                [id],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()?;
        let Some((revision, title)) = head else {
            return Ok(None);
        };
        let mut stmt =
            tx.prepare_cached("SELECT document FROM articles WHERE story_id = ?1 ORDER BY id")?;
        let jsons = stmt
            .query_map([id], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        tx.finish()?;
        let documents = jsons
            .iter()
            .map(|j| serde_json::from_str(j))
            .collect::<serde_json::Result<_>>()?;
        Ok(Some(StoryInput {
            id,
            revision,
            title,
            documents,
        }))
    }

    /// A story's membership revision (bumped by every join and merge).
    pub fn story_revision(&self, id: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT revision FROM stories WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    /// Stories whose analysis is missing or out of date, oldest first.
    pub fn stale_stories(&self, limit: usize) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM stories WHERE analysed_revision < revision ORDER BY id LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn article(&self, id: i64) -> Result<Option<(ArticleSummary, Document)>> {
        let row = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ARTICLE_COLUMNS}, a.document FROM articles a
                 LEFT JOIN outlets o ON o.id = a.outlet_id WHERE a.id = ?1"
            ))?
            .query_row([id], |r| Ok((article_row(r)?, r.get::<_, String>(10)?)))
            .optional()?;
        match row {
            Some((summary, json)) => Ok(Some((summary, serde_json::from_str(&json)?))),
            None => Ok(None),
        }
    }

    /// Calls `f` with every stored article (row id, story id, document) in ingest order,
    /// streaming, so a large library is never held in memory at once.
    pub fn for_each_document(&self, mut f: impl FnMut(i64, i64, Document)) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, story_id, document FROM articles ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let doc: Document = serde_json::from_str(&r.get::<_, String>(2)?)?;
            f(r.get(0)?, r.get(1)?, doc);
        }
        Ok(())
    }

    /// Whether an article with this URL is stored (checked before fetching a page).
    pub fn url_known(&self, url: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM articles WHERE url = ?1")?
            .query_row([crate::normalize_url(url)], |_| Ok(()))
            .optional()?
            .is_some())
    }

    pub fn counts(&self) -> Result<Counts> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM stories WHERE merged_into IS NULL),
                    (SELECT count(*) FROM stories WHERE analysed_revision < revision)",
            [],
            |r| {
                Ok(Counts {
                    articles: r.get(0)?,
                    stories: r.get(1)?,
                    stale: r.get(2)?,
                })
            },
        )?)
    }

    pub fn outlets(&self) -> Result<Vec<OutletSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.id, o.name, count(a.id), max(a.ingested_at) FROM outlets o
             LEFT JOIN articles a ON a.outlet_id = o.id GROUP BY o.id ORDER BY count(a.id) DESC, o.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(OutletSummary {
                id: r.get(0)?,
                name: r.get(1)?,
                articles: r.get(2)?,
                last_ingested: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// An outlet's figures by month and its latest `latest` articles.
    pub fn outlet(&self, id: i64, latest: usize) -> Result<Option<OutletDetail>> {
        let tx = self.conn.unchecked_transaction()?;
        let outlet = tx
            .query_row(
                "SELECT o.id, o.name, count(a.id), max(a.ingested_at) FROM outlets o
                 LEFT JOIN articles a ON a.outlet_id = o.id WHERE o.id = ?1 GROUP BY o.id",
                [id],
                |r| {
                    Ok(OutletSummary {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        articles: r.get(2)?,
                        last_ingested: r.get(3)?,
                    })
                },
            )
            .optional()?;
        let Some(outlet) = outlet else {
            return Ok(None);
        };
        // Periods are months of the publication date, else of the ingest date; summed in SQL
        // over an index that covers them, so a large outlet costs one index range scan.
        let mut stmt = tx.prepare_cached(
            "SELECT CASE WHEN a.published GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]*'
                         THEN substr(a.published, 1, 7) ELSE substr(a.ingested_at, 1, 7) END AS period,
                    count(*), count(s.article_id), coalesce(sum(s.text_bytes), 0),
                    coalesce(sum(s.copied_bytes), 0), coalesce(sum(s.contradictions), 0),
                    coalesce(sum(s.single_source), 0), coalesce(sum(s.repeated_paragraphs), 0)
             FROM articles a LEFT JOIN article_stats s ON s.article_id = a.id
             WHERE a.outlet_id = ?1 GROUP BY period ORDER BY period",
        )?;
        let per = |n: i64, d: i64| (d > 0).then(|| n as f64 / d as f64);
        let series = stmt
            .query_map([id], |r| {
                let (analysed, text, copied): (i64, i64, i64) = (r.get(2)?, r.get(3)?, r.get(4)?);
                Ok(OutletPoint {
                    period: r.get(0)?,
                    articles: r.get(1)?,
                    analysed,
                    original_share: (text > 0).then(|| 1.0 - copied as f64 / text as f64),
                    contradictions_per_article: per(r.get(5)?, analysed),
                    single_source_per_article: per(r.get(6)?, analysed),
                    repeated_paragraphs: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT {ARTICLE_COLUMNS}, s.text_bytes, s.copied_bytes, s.contradictions,
                 s.single_source, s.repeated_paragraphs
             FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id
             LEFT JOIN article_stats s ON s.article_id = a.id
             WHERE a.outlet_id = ?1 ORDER BY a.id DESC LIMIT ?2"
        ))?;
        let articles = stmt
            .query_map(params![id, latest as i64], |r| {
                let text: Option<i64> = r.get(10)?;
                let stats = match text {
                    Some(text) => {
                        let copied: i64 = r.get(11)?;
                        Some(ArticleStats {
                            original_share: (text > 0).then(|| 1.0 - copied as f64 / text as f64),
                            contradictions: r.get(12)?,
                            single_source: r.get(13)?,
                            repeated_paragraphs: r.get(14)?,
                        })
                    }
                    None => None,
                };
                Ok(OutletArticle {
                    article: article_row(r)?,
                    stats,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        tx.finish()?;
        Ok(Some(OutletDetail {
            outlet,
            series,
            articles,
        }))
    }

    /// Articles whose title, and claims whose words, slot or value, contain every word of `q`,
    /// newest first: FTS5 walks its index in rowid order and stops at `limit`, so a common word
    /// costs no more than a rare one.
    pub fn search(&self, q: &str, limit: usize) -> Result<SearchResults> {
        let mut out = SearchResults {
            query: q.to_string(),
            articles: Vec::new(),
            claims: Vec::new(),
        };
        let Some(fts) = fts_query(q) else {
            return Ok(out);
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles_fts f JOIN articles a ON a.id = f.rowid
             LEFT JOIN outlets o ON o.id = a.outlet_id
             WHERE articles_fts MATCH ?1 ORDER BY f.rowid DESC LIMIT ?2"
        ))?;
        out.articles = stmt
            .query_map(params![fts, limit as i64], article_row)?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.story_id, c.article_id, a.title, c.kind, c.slot, c.value, c.text
             FROM claims_fts f JOIN claims c ON c.id = f.rowid JOIN articles a ON a.id = c.article_id
             WHERE claims_fts MATCH ?1 ORDER BY f.rowid DESC LIMIT ?2",
        )?;
        out.claims = stmt
            .query_map(params![fts, limit as i64], |r| {
                Ok(ClaimHit {
                    story_id: r.get(0)?,
                    article_id: r.get(1)?,
                    title: r.get(2)?,
                    kind: r.get(3)?,
                    slot: r.get(4)?,
                    value: r.get(5)?,
                    text: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(out)
    }

    pub fn feed(&self, url: &str) -> Result<FeedState> {
        Ok(self
            .conn
            .query_row(
                "SELECT url, etag, last_modified, failures, last_polled, last_error
                 FROM feeds WHERE url = ?1",
                [url],
                |r| {
                    Ok(FeedState {
                        url: r.get(0)?,
                        etag: r.get(1)?,
                        last_modified: r.get(2)?,
                        failures: r.get(3)?,
                        last_polled: r.get(4)?,
                        last_error: r.get(5)?,
                    })
                },
            )
            .optional()?
            .unwrap_or_else(|| FeedState {
                url: url.to_string(),
                ..FeedState::default()
            }))
    }

    fn articles_where(&self, clause: &str, arg: i64) -> Result<Vec<ArticleSummary>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id
             WHERE {clause}"
        ))?;
        let rows = stmt.query_map([arg], article_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
