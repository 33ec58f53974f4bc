//! Runs crosscheck's stages in order over a set of documents:
//! documents → stories → alignments → claims → findings.
//!
//! This crate owns no analysis of its own: it only sequences the stage crates, in parallel over
//! stories, so that the CLI, the store and the server all run exactly the same pipeline.

use std::sync::Arc;

use crosscheck_model::{Analysis, Document, SentenceEmbedder, Story, StoryAnalysis};
use rayon::prelude::*;

/// How to run the pipeline.
#[derive(Clone, Default)]
pub struct Options {
    /// Sentence embeddings for paraphrase matching; without them matching is lexical only.
    pub embedder: Option<Arc<dyn SentenceEmbedder>>,
}

impl Options {
    fn embedder(&self) -> Option<&dyn SentenceEmbedder> {
        self.embedder.as_deref()
    }
}

/// Groups `documents` into stories and cross-checks each story.
pub fn analyze(documents: Vec<Document>, opts: &Options) -> Analysis {
    let stories = crosscheck_stories::cluster(&documents, opts.embedder());
    let by_id: std::collections::HashMap<&str, &Document> =
        documents.iter().map(|d| (d.id.as_str(), d)).collect();
    let stories = stories
        .into_par_iter()
        .map(|story| {
            let members: Vec<&Document> = story
                .documents
                .iter()
                .filter_map(|id| by_id.get(id.as_str()).copied())
                .collect();
            analyze_story(story, &members, opts)
        })
        .collect();
    Analysis {
        documents,
        stories,
        skipped: Vec::new(),
    }
}

/// Aligns, extracts claims from and cross-checks one story whose member documents are `docs`.
pub fn analyze_story(story: Story, docs: &[&Document], opts: &Options) -> StoryAnalysis {
    let sentences: Vec<_> = docs
        .par_iter()
        .map(|d| crosscheck_text::segment(d))
        .collect();
    let structure = crosscheck_stories::structure(docs, &sentences, opts.embedder());
    let claims: Vec<_> = docs
        .par_iter()
        .zip(&sentences)
        .flat_map_iter(|(d, s)| crosscheck_claims::extract(d, s))
        .collect();
    let findings = crosscheck_check::cross_check(
        docs,
        &sentences,
        &structure.links,
        &structure.families,
        &claims,
    );
    StoryAnalysis {
        sentences: docs.iter().map(|d| d.id.clone()).zip(sentences).collect(),
        story,
        links: structure.links,
        families: structure.families,
        defects: structure.defects,
        claims,
        findings,
    }
}
