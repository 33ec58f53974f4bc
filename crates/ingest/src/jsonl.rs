//! JSON Lines: one article per line, read as a stream.

use std::io::{BufRead, Read};

use crosscheck_model::{BlockKind, Document, Skipped};
use serde::Deserialize;

use crate::{Ingested, MAX_DOCUMENT_BYTES};

#[derive(Deserialize)]
struct Article {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    html: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    outlet: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default, alias = "date")]
    published: Option<String>,
    #[serde(default)]
    language: Option<String>,
}

/// Reads articles from JSON Lines; a bad line is skipped with its `file:line` and the rest read.
pub(crate) fn read_jsonl(mut reader: impl BufRead, source: &str, out: &mut Ingested) {
    let stem = crate::stem_of(source);
    let mut line = Vec::new();
    let mut n = 0usize;
    loop {
        n += 1;
        line.clear();
        let read = Read::by_ref(&mut reader)
            .take(MAX_DOCUMENT_BYTES + 1)
            .read_until(b'\n', &mut line);
        match read {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                out.skip(format!("{source}:{n}"), crate::io_reason(&e));
                break;
            }
        }
        if line.len() as u64 > MAX_DOCUMENT_BYTES && line.last() != Some(&b'\n') {
            out.skip(format!("{source}:{n}"), "line longer than 20 MB".into());
            // Move past the rest of the oversized line.
            if let Err(e) = skip_line(&mut reader) {
                out.skip(format!("{source}:{}", n + 1), crate::io_reason(&e));
                break;
            }
            continue;
        }
        let trimmed = line.trim_ascii();
        if trimmed.is_empty() {
            continue;
        }
        let where_ = format!("{source}:{n}");
        match article(trimmed, &stem, n, &where_) {
            Ok(doc) => out.documents.push(doc),
            Err(reason) => out.skipped.push(Skipped {
                source: where_,
                reason,
            }),
        }
    }
}

fn skip_line(reader: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        if let Some(pos) = buf.iter().position(|&b| b == b'\n') {
            reader.consume(pos + 1);
            return Ok(());
        }
        let len = buf.len();
        reader.consume(len);
    }
}

fn article(line: &[u8], stem: &str, n: usize, source: &str) -> Result<Document, String> {
    let a: Article =
        serde_json::from_slice(line).map_err(|e| format!("malformed JSON line: {e}"))?;
    let id = match &a.id {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s.clone(),
        Some(serde_json::Value::Number(num)) => num.to_string(),
        _ => format!("{stem}#{n}"),
    };
    let mut doc = match (&a.html, &a.text) {
        (Some(html), _) if !html.trim().is_empty() => {
            crate::html::document_from_html(html.as_bytes(), a.url.as_deref(), &id, source)?
        }
        (_, Some(text)) if !text.trim().is_empty() => {
            let mut doc = crate::text::document_from_text(text, &id, source);
            if let Some(title) = a.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                if doc.title.as_deref() != Some(title) {
                    doc = with_headline(&doc, title);
                }
            }
            doc
        }
        _ => return Err("no `text` or `html` field with content".into()),
    };
    if let Some(url) = a.url {
        doc.url = Some(url);
    }
    if let Some(outlet) = a.outlet.filter(|o| !o.trim().is_empty()) {
        doc.outlet = Some(outlet);
    } else if doc.outlet.is_none() {
        doc.outlet = doc.url.as_deref().and_then(crate::domain_of);
    }
    if let Some(title) = a.title.filter(|t| !t.trim().is_empty()) {
        doc.title = Some(title.trim().to_string());
    }
    if let Some(p) = a.published.filter(|p| !p.trim().is_empty()) {
        doc.published = Some(p.trim().to_string());
    }
    if let Some(l) = a.language.filter(|l| !l.trim().is_empty()) {
        doc.language = Some(l);
    }
    Ok(doc)
}

/// The same document with `title` as its headline, when the text itself did not start with it.
fn with_headline(doc: &Document, title: &str) -> Document {
    let blocks = doc.blocks.iter().map(|b| {
        // The text's own guess of a headline is demoted: the given title is the headline.
        let kind = match b.kind {
            BlockKind::Headline => BlockKind::Subheading,
            k => k,
        };
        (kind, doc.block_text(b))
    });
    let mut out = Document::from_blocks(
        doc.id.clone(),
        doc.source.clone(),
        std::iter::once((BlockKind::Headline, title)).chain(blocks),
    );
    out.title = Some(title.to_string());
    out
}
