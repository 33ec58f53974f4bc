//! RSS and Atom feeds: one document per item.

use crosscheck_model::{BlockKind, Document};

use crate::html::{clean, html_blocks};

/// Parses an RSS, Atom or JSON feed into one document per item.
///
/// Each item's full content (`content:encoded`, Atom `content`) is used when present, else its
/// summary; HTML in it becomes text blocks under the item's title as headline. The outlet is
/// the feed's title. Ids are `<stem of source>#<n>`, `n` counting items from 1. Items with no
/// text at all are left out.
pub fn parse_feed(bytes: &[u8], source: &str) -> Result<Vec<Document>, String> {
    let feed = feed_rs::parser::parse(bytes).map_err(|e| format!("malformed feed: {e}"))?;
    let outlet = feed
        .title
        .as_ref()
        .map(|t| clean(&text_of(&t.content)))
        .filter(|t| !t.is_empty());
    let feed_authors: Vec<String> = feed
        .authors
        .iter()
        .map(|p| clean(p.name.as_deref().unwrap_or_default()))
        .filter(|n| !n.is_empty())
        .collect();
    let stem = crate::stem_of(source);
    let mut docs = Vec::new();
    for (n, entry) in feed.entries.iter().enumerate() {
        let n = n + 1;
        let body_html = entry
            .content
            .as_ref()
            .and_then(|c| c.body.as_deref())
            .filter(|b| !b.trim().is_empty())
            .or_else(|| entry.summary.as_ref().map(|s| s.content.as_str()))
            .unwrap_or("");
        let title = entry
            .title
            .as_ref()
            .map(|t| clean(&text_of(&t.content)))
            .unwrap_or_default();
        let body = html_blocks(body_html);
        if body.is_empty() && title.is_empty() {
            continue;
        }
        let headline = (!title.is_empty()).then_some((BlockKind::Headline, title.as_str()));
        let mut doc = Document::from_blocks(
            format!("{stem}#{n}"),
            format!("{source}#{n}"),
            headline
                .into_iter()
                .chain(body.iter().map(|(k, t)| (*k, t.as_str()))),
        );
        doc.title = (!title.is_empty()).then_some(title);
        doc.url = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(entry.links.first())
            .map(|l| l.href.clone());
        doc.outlet = outlet.clone();
        doc.authors = entry
            .authors
            .iter()
            .map(|p| clean(p.name.as_deref().unwrap_or_default()))
            .filter(|n| !n.is_empty())
            .collect();
        if doc.authors.is_empty() {
            doc.authors = feed_authors.clone();
        }
        doc.published = entry
            .published
            .or(entry.updated)
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        doc.language = entry.language.clone().or_else(|| feed.language.clone());
        docs.push(doc);
    }
    Ok(docs)
}

/// Titles may carry markup or entities; keep their words only.
fn text_of(s: &str) -> String {
    if s.contains('<') || s.contains('&') {
        html_blocks(s)
            .into_iter()
            .map(|(_, t)| t)
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        s.to_string()
    }
}
