use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into [`Document::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// What a block of an article is. Layout matters to later stages: a headline printed twice is a
/// defect, a standfirst is a summary and not a separate claim source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// The summary line some sites print above the headline.
    Standfirst,
    Headline,
    Subheading,
    Paragraph,
}

/// One block (paragraph, headline, …) of a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    pub span: Span,
}

/// One article, as read from any source format.
///
/// `text` holds the blocks joined by a blank line (`"\n\n"`); each block's span points into it.
/// Once built, `text` never changes, so offsets stay valid through every later stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable identifier, unique within one run (file stem, JSONL `id`, feed item id, URL …).
    pub id: String,
    /// Where it was read from: a file path, with `#line` / `#item` / `#record` suffixes for
    /// containers.
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Site name, or the domain of `url` when the page does not name its site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// ISO 8601: a date (`2025-04-21`) or a date-time with offset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// BCP 47 language tag where known (`en`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    pub text: String,
    pub blocks: Vec<Block>,
}

impl Document {
    /// Builds a document from its blocks, joining them with blank lines and recording offsets.
    pub fn from_blocks<'a>(
        id: impl Into<String>,
        source: impl Into<String>,
        blocks: impl IntoIterator<Item = (BlockKind, &'a str)>,
    ) -> Self {
        let mut text = String::new();
        let mut out = Vec::new();
        for (kind, block) in blocks {
            let block = block.trim();
            if block.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            let start = text.len();
            text.push_str(block);
            out.push(Block {
                kind,
                span: Span::new(start, text.len()),
            });
        }
        Document {
            id: id.into(),
            source: source.into(),
            url: None,
            outlet: None,
            title: None,
            authors: Vec::new(),
            published: None,
            language: None,
            text,
            blocks: out,
        }
    }

    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.start..span.end]
    }

    pub fn block_text(&self, block: &Block) -> &str {
        self.slice(block.span)
    }

    /// The body paragraphs, without standfirst, headlines and subheadings.
    pub fn paragraphs(&self) -> impl Iterator<Item = &Block> {
        self.blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Paragraph)
    }

    pub fn word_count(&self) -> usize {
        self.text.split_whitespace().count()
    }

    /// The publication date, when `published` starts with a valid `YYYY-MM-DD`.
    pub fn published_date(&self) -> Option<chrono::NaiveDate> {
        let p = self.published.as_deref()?;
        chrono::NaiveDate::parse_from_str(p.get(..10)?, "%Y-%m-%d").ok()
    }

    /// Character (Unicode scalar) offsets of a byte span.
    pub fn char_span(&self, span: Span) -> (usize, usize) {
        let start = self.text[..span.start].chars().count();
        (
            start,
            start + self.text[span.start..span.end].chars().count(),
        )
    }

    /// The outlet, or the source when the outlet is unknown; for display.
    pub fn outlet_or_source(&self) -> &str {
        self.outlet.as_deref().unwrap_or(&self.source)
    }
}

/// One sentence of a document: its position in the document's sentence list is its index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// Index of the block this sentence lies in.
    pub block: usize,
    pub span: Span,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_joined_with_stable_offsets() {
        let doc = Document::from_blocks(
            "d",
            "d.txt",
            [
                (BlockKind::Headline, "  Héadline "),
                (BlockKind::Paragraph, ""),
                (BlockKind::Paragraph, "Body «text»."),
            ],
        );
        assert_eq!(doc.blocks.len(), 2);
        assert_eq!(doc.block_text(&doc.blocks[0]), "Héadline");
        assert_eq!(doc.block_text(&doc.blocks[1]), "Body «text».");
        assert_eq!(doc.text, "Héadline\n\nBody «text».");
        assert_eq!(doc.char_span(doc.blocks[1].span), (10, 22));
        assert_eq!(doc.paragraphs().count(), 1);
    }

    #[test]
    fn published_date_accepts_dates_and_datetimes() {
        let mut doc = Document::from_blocks("d", "d", [(BlockKind::Paragraph, "x")]);
        doc.published = Some("2025-04-21T10:00:00+02:00".into());
        assert_eq!(
            doc.published_date(),
            chrono::NaiveDate::from_ymd_opt(2025, 4, 21)
        );
        doc.published = Some("April 2025".into());
        assert_eq!(doc.published_date(), None);
    }
}
