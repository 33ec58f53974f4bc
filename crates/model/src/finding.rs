use serde::{Deserialize, Serialize};

use crate::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Versions from independent families state the same fact.
    Corroborated,
    /// Versions give the same slot different values.
    Contradiction,
    /// Only one family states it.
    SingleSource,
    /// A rewrite states it and neither another version nor its source supports it.
    Unsupported,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
}

/// One side of a finding: where in which document a value is stated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub doc: String,
    pub sentence: usize,
    /// Byte offsets into the document's text.
    pub span: Span,
    /// Character offsets of the same span.
    pub chars: (usize, usize),
    /// The value this evidence states (for contradictions, each side's value).
    pub value: String,
    /// The words of the span.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub severity: Severity,
    /// What the finding is about, e.g. `"role: us president"`.
    pub slot: String,
    /// One or two sentences for people.
    pub explanation: String,
    /// Independent families behind the finding (for contradictions: behind all sides).
    pub families: usize,
    pub evidence: Vec<Evidence>,
}
