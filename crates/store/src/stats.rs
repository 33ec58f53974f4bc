//! Rows extracted from a story's analysis: findings and claims for search, and per-article
//! figures for outlet pages.

use std::collections::{HashMap, HashSet};

use crosscheck_model::{DefectKind, FindingKind, LinkKind, StoryAnalysis};
use rusqlite::{params, Transaction};

use crate::Result;

struct Member {
    article: i64,
    /// Publication date where known, else the ingest time: what decides which of two linked
    /// sentences is the copy.
    order: (String, i64),
}

pub(crate) fn replace_analysis(
    tx: &Transaction<'_>,
    story: i64,
    revision: i64,
    analysis: &StoryAnalysis,
) -> Result<()> {
    let mut members: HashMap<String, Member> = HashMap::new();
    {
        let mut stmt = tx.prepare(
            "SELECT id, doc_id, coalesce(published, ingested_at) FROM articles WHERE story_id = ?1",
        )?;
        let rows = stmt.query_map([story], |r| {
            let id: i64 = r.get(0)?;
            Ok((
                r.get::<_, String>(1)?,
                Member {
                    article: id,
                    order: (r.get(2)?, id),
                },
            ))
        })?;
        for row in rows {
            let (doc, m) = row?;
            members.insert(doc, m);
        }
    }
    for table in ["findings", "claims", "article_stats"] {
        tx.execute(&format!("DELETE FROM {table} WHERE story_id = ?1"), [story])?;
    }

    let count =
        |kind: FindingKind| analysis.findings.iter().filter(|f| f.kind == kind).count() as i64;
    {
        let mut insert = tx.prepare(
            "INSERT INTO findings(story_id, kind, severity, slot, explanation, families)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for f in &analysis.findings {
            insert.execute(params![
                story,
                enum_name(&f.kind),
                enum_name(&f.severity),
                f.slot,
                f.explanation,
                f.families as i64
            ])?;
        }
    }
    {
        let mut insert = tx.prepare(
            "INSERT INTO claims(story_id, article_id, kind, slot, value, text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for c in &analysis.claims {
            if let Some(m) = members.get(&c.doc) {
                insert.execute(params![
                    story,
                    m.article,
                    enum_name(&c.kind),
                    c.slot,
                    c.value,
                    c.text
                ])?;
            }
        }
    }
    {
        let mut insert = tx.prepare(
            "INSERT INTO article_stats(article_id, story_id, text_bytes, copied_bytes,
                 contradictions, single_source, repeated_paragraphs)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for s in article_stats(analysis, &members) {
            insert.execute(params![
                s.article,
                story,
                s.text_bytes,
                s.copied_bytes,
                s.contradictions,
                s.single_source,
                s.repeated_paragraphs
            ])?;
        }
    }
    tx.execute(
        "UPDATE stories SET analysed_revision = ?2, analysis = ?3, title = ?4, families = ?5,
             corroborated = ?6, contradictions = ?7, single_source = ?8
         WHERE id = ?1",
        params![
            story,
            revision,
            serde_json::to_string(analysis)?,
            analysis.story.title,
            analysis.families.len() as i64,
            count(FindingKind::Corroborated),
            count(FindingKind::Contradiction),
            count(FindingKind::SingleSource),
        ],
    )?;
    Ok(())
}

struct Stats {
    article: i64,
    text_bytes: i64,
    copied_bytes: i64,
    contradictions: i64,
    single_source: i64,
    repeated_paragraphs: i64,
}

/// Per article: how much of its text is copied (a sentence linked verbatim or near-verbatim to
/// a sentence of an earlier version), and how many contradictions, single-source claims and
/// repeated paragraphs touch it.
fn article_stats(analysis: &StoryAnalysis, members: &HashMap<String, Member>) -> Vec<Stats> {
    let mut copied: HashSet<(&str, usize)> = HashSet::new();
    for link in &analysis.links {
        if link.kind == LinkKind::Paraphrase || link.a.doc == link.b.doc {
            continue;
        }
        let (Some(a), Some(b)) = (members.get(&link.a.doc), members.get(&link.b.doc)) else {
            continue;
        };
        let later = if a.order <= b.order { &link.b } else { &link.a };
        copied.insert((later.doc.as_str(), later.sentence));
    }
    let mut out = Vec::new();
    for (doc, sentences) in &analysis.sentences {
        let Some(m) = members.get(doc) else { continue };
        let mut text_bytes = 0;
        let mut copied_bytes = 0;
        for (i, s) in sentences.iter().enumerate() {
            text_bytes += s.span.len() as i64;
            if copied.contains(&(doc.as_str(), i)) {
                copied_bytes += s.span.len() as i64;
            }
        }
        let touches = |kind: FindingKind| {
            analysis
                .findings
                .iter()
                .filter(|f| f.kind == kind && f.evidence.iter().any(|e| &e.doc == doc))
                .count() as i64
        };
        out.push(Stats {
            article: m.article,
            text_bytes,
            copied_bytes,
            contradictions: touches(FindingKind::Contradiction),
            single_source: touches(FindingKind::SingleSource),
            repeated_paragraphs: analysis
                .defects
                .iter()
                .filter(|d| &d.doc == doc && d.kind == DefectKind::RepeatedParagraph)
                .count() as i64,
        });
    }
    out
}

/// The serde name of a unit enum variant (`single_source`), as stored and searched.
pub(crate) fn enum_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
