//! The one data model every stage of crosscheck reads and writes.
//!
//! Data flows one way: sources → [`Document`] → [`Story`] → [`SentenceLink`] → [`Claim`] →
//! [`Finding`] → reports and store. Each stage crate produces values of these types and consumes
//! only these types, never another stage's internals.
//!
//! Offsets: every [`Span`] is a pair of *byte* offsets into [`Document::text`], always on UTF-8
//! character boundaries. [`Document::char_span`] converts to character offsets for consumers that
//! count characters (JSON reports, browsers).

mod analysis;
mod claim;
mod document;
mod embed;
mod finding;
mod story;

pub use analysis::{Analysis, Skipped, StoryAnalysis};
pub use claim::{Claim, ClaimKind};
pub use document::{Block, BlockKind, Document, Sentence, Span};
pub use embed::SentenceEmbedder;
pub use finding::{Evidence, Finding, FindingKind, Severity};
pub use story::{Defect, DefectKind, Family, LinkKind, SentenceLink, SentenceRef, Story};
