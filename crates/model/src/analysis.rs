use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Claim, Defect, Document, Family, Finding, Sentence, SentenceLink, Story};

/// Everything crosscheck found in one story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryAnalysis {
    pub story: Story,
    /// Each member document's sentences, by document id.
    pub sentences: BTreeMap<String, Vec<Sentence>>,
    pub links: Vec<SentenceLink>,
    pub families: Vec<Family>,
    pub defects: Vec<Defect>,
    pub claims: Vec<Claim>,
    pub findings: Vec<Finding>,
}

/// An input that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    /// File path, with `:line` or `#record` for a part of a container.
    pub source: String,
    pub reason: String,
}

/// The result of one run over a set of inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub documents: Vec<Document>,
    pub stories: Vec<StoryAnalysis>,
    pub skipped: Vec<Skipped>,
}

impl Analysis {
    pub fn document(&self, id: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id)
    }
}
