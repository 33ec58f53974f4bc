use serde::{Deserialize, Serialize};

use crate::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    Person,
    Organization,
    Place,
    /// A role given to a person: slot = the role, value = the person.
    Role,
    /// A number with its unit: slot = what it counts, value = the normalised number.
    Quantity,
    /// A calendar date or period: slot = the event, value = ISO date or partial date.
    Date,
    /// A relative time or duration, resolved against the article's date where possible.
    Duration,
    /// A direct quotation: slot = the speaker, value = the normalised quoted words.
    Quote,
    /// Who said or reported something: slot = the speaker, value = the source named.
    Attribution,
}

/// One checkable statement found in one sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub doc: String,
    /// Index into the document's sentence list.
    pub sentence: usize,
    /// The words the claim was read from.
    pub span: Span,
    pub kind: ClaimKind,
    /// What the claim is about, canonicalised (`"us president"`, `"ceasefire violations"`,
    /// `"war start"`); empty for bare mentions of people, organisations and places.
    pub slot: String,
    /// The canonical value (`"donald trump"`, `"3000"`, `"2022-02"`, `"P3Y"`): two claims with
    /// equal slot and value say the same thing.
    pub value: String,
    /// Hedge or precision marker as written (`"almost"`, `"over"`, `"about"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    /// The surface form as written.
    pub text: String,
}
