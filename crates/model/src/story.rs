use serde::{Deserialize, Serialize};

use crate::Span;

/// A group of documents that report the same event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    /// Deterministic id derived from the story's content (stable across runs on the same input).
    pub id: String,
    /// A representative headline.
    pub title: String,
    /// Ids of the member documents, in input order.
    pub documents: Vec<String>,
}

/// A sentence of one document, by document id and sentence index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SentenceRef {
    pub doc: String,
    pub sentence: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// Same words after normalising case, punctuation and markup.
    Verbatim,
    /// Mostly the same words: a few edited, added or dropped.
    NearVerbatim,
    /// Same content, reworded.
    Paraphrase,
}

/// Two sentences of different versions of a story that say the same thing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentenceLink {
    pub a: SentenceRef,
    pub b: SentenceRef,
    /// Similarity in `[0, 1]`.
    pub score: f32,
    pub kind: LinkKind,
}

/// Versions of a story that copied from each other (or from one common source): for
/// corroboration they count as one source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Family {
    pub id: usize,
    /// Member document ids.
    pub members: Vec<String>,
    /// The member the others most likely derive from, where dates or containment tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likely_source: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefectKind {
    RepeatedParagraph,
    RepeatedSentence,
    RepeatedHeadline,
    Boilerplate,
}

/// A defect inside one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Defect {
    pub doc: String,
    pub kind: DefectKind,
    /// The first occurrence, then each repeat (for boilerplate: the offending spans).
    pub spans: Vec<Span>,
    /// Short description for people.
    pub explanation: String,
}
