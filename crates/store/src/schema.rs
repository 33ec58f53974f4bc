//! Schema migrations, versioned with `PRAGMA user_version`: migration `n` takes a library from
//! version `n` to `n + 1`, inside one transaction, so a library is never left half-migrated.

use rusqlite::Connection;

use crate::Error;

const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE outlets(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE stories(
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- Bumped whenever a member joins; the stored analysis covers `analysed_revision`.
    revision INTEGER NOT NULL DEFAULT 1,
    analysed_revision INTEGER NOT NULL DEFAULT 0,
    versions INTEGER NOT NULL DEFAULT 0,
    families INTEGER,
    contradictions INTEGER,
    single_source INTEGER,
    corroborated INTEGER,
    analysis TEXT,
    -- A story that a bridging article merged into another keeps its row, so old links resolve.
    merged_into INTEGER REFERENCES stories(id)
);
CREATE INDEX stories_updated ON stories(updated_at DESC, id DESC) WHERE merged_into IS NULL;
CREATE INDEX stories_stale ON stories(id) WHERE analysed_revision < revision;

CREATE TABLE articles(
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL UNIQUE,
    url TEXT UNIQUE,
    content_hash TEXT NOT NULL UNIQUE,
    outlet_id INTEGER REFERENCES outlets(id),
    title TEXT,
    published TEXT,
    ingested_at TEXT NOT NULL,
    words INTEGER NOT NULL,
    story_id INTEGER NOT NULL REFERENCES stories(id),
    document TEXT NOT NULL
);
CREATE INDEX articles_story ON articles(story_id, id);
CREATE INDEX articles_outlet ON articles(outlet_id, id);

CREATE TABLE article_stats(
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    story_id INTEGER NOT NULL REFERENCES stories(id),
    text_bytes INTEGER NOT NULL,
    copied_bytes INTEGER NOT NULL,
    contradictions INTEGER NOT NULL,
    single_source INTEGER NOT NULL,
    repeated_paragraphs INTEGER NOT NULL
);
CREATE INDEX article_stats_story ON article_stats(story_id);

CREATE TABLE findings(
    id INTEGER PRIMARY KEY,
    story_id INTEGER NOT NULL REFERENCES stories(id),
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    slot TEXT NOT NULL,
    explanation TEXT NOT NULL,
    families INTEGER NOT NULL
);
CREATE INDEX findings_story ON findings(story_id);

CREATE TABLE claims(
    id INTEGER PRIMARY KEY,
    story_id INTEGER NOT NULL REFERENCES stories(id),
    article_id INTEGER NOT NULL REFERENCES articles(id),
    kind TEXT NOT NULL,
    slot TEXT NOT NULL,
    value TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX claims_story ON claims(story_id);

CREATE VIRTUAL TABLE articles_fts USING fts5(title, content='articles', content_rowid='id');
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title) VALUES (new.id, coalesce(new.title, ''));
END;

CREATE VIRTUAL TABLE claims_fts USING fts5(text, slot, value, content='claims', content_rowid='id');
CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN
    INSERT INTO claims_fts(rowid, text, slot, value) VALUES (new.id, new.text, new.slot, new.value);
END;
CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims BEGIN
    INSERT INTO claims_fts(claims_fts, rowid, text, slot, value)
        VALUES ('delete', old.id, old.text, old.slot, old.value);
END;

CREATE TABLE feeds(
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    last_polled TEXT,
    last_error TEXT
);
"#,
    // Outlet pages sum their figures by month: an index covering the outlet's dates.
    "CREATE INDEX articles_outlet_period ON articles(outlet_id, published, ingested_at);",
];

/// The schema version this build writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

pub(crate) fn configure(conn: &Connection) -> Result<(), Error> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // WAL lets readers run beside the one writer; FULL syncs the WAL on every commit so an
    // acknowledged write survives power loss, not only a killed process.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(())
}

pub(crate) fn migrate(conn: &mut Connection) -> Result<(), Error> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current > VERSION {
        return Err(Error::NewerSchema {
            found: current,
            supported: VERSION,
        });
    }
    for (n, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", n as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}
