//! The versioned JSON report; its schema is `schema/report.schema.json`. Field names are stable
//! within a schema version: any change a reader could trip over bumps [`SCHEMA_VERSION`].

use std::collections::{BTreeMap, HashMap};

use crosscheck_model::{
    Analysis, BlockKind, ClaimKind, DefectKind, Document, FindingKind, LinkKind, Severity, Span,
};
use serde::Serialize;

use crate::view::{CharIndex, StoryView};

/// The version of the JSON report's schema (`schema_version` in every report).
pub const SCHEMA_VERSION: &str = "1";

#[derive(Serialize)]
struct Report<'a> {
    schema_version: &'static str,
    generator: Generator,
    documents: Vec<Doc<'a>>,
    stories: Vec<StoryOut<'a>>,
    skipped: Vec<SkippedOut<'a>>,
}

#[derive(Serialize)]
struct Generator {
    name: &'static str,
    version: &'static str,
}

/// Byte offsets into the document's `text` (for Rust, Go, Python bytes) and character offsets
/// (Unicode scalar values: Python str, most editors).
#[derive(Serialize)]
struct Offsets {
    byte_start: usize,
    byte_end: usize,
    char_start: usize,
    char_end: usize,
}

#[derive(Serialize)]
struct Doc<'a> {
    id: &'a str,
    source: &'a str,
    url: Option<&'a str>,
    outlet: Option<&'a str>,
    title: Option<&'a str>,
    authors: &'a [String],
    published: Option<&'a str>,
    language: Option<&'a str>,
    words: usize,
    text: &'a str,
    blocks: Vec<BlockOut>,
}

#[derive(Serialize)]
struct BlockOut {
    kind: BlockKind,
    #[serde(flatten)]
    span: Offsets,
}

#[derive(Serialize)]
struct StoryOut<'a> {
    id: &'a str,
    title: &'a str,
    documents: &'a [String],
    summary: Summary,
    sentences: BTreeMap<&'a str, Vec<SentenceOut>>,
    links: Vec<LinkOut<'a>>,
    families: Vec<FamilyOut<'a>>,
    defects: Vec<DefectOut<'a>>,
    claims: Vec<ClaimOut<'a>>,
    findings: Vec<FindingOut<'a>>,
}

#[derive(Serialize)]
struct Summary {
    versions: usize,
    families: usize,
    contradictions: usize,
    unsupported: usize,
    single_source: usize,
    corroborated: usize,
    defects: usize,
}

#[derive(Serialize)]
struct SentenceOut {
    block: usize,
    #[serde(flatten)]
    span: Offsets,
}

#[derive(Serialize)]
struct SentenceRefOut<'a> {
    doc: &'a str,
    sentence: usize,
}

#[derive(Serialize)]
struct LinkOut<'a> {
    a: SentenceRefOut<'a>,
    b: SentenceRefOut<'a>,
    score: f32,
    kind: LinkKind,
}

#[derive(Serialize)]
struct FamilyOut<'a> {
    id: usize,
    members: &'a [String],
    likely_source: Option<&'a str>,
}

#[derive(Serialize)]
struct DefectOut<'a> {
    doc: &'a str,
    kind: DefectKind,
    explanation: &'a str,
    spans: Vec<Offsets>,
}

#[derive(Serialize)]
struct ClaimOut<'a> {
    doc: &'a str,
    sentence: usize,
    kind: ClaimKind,
    slot: &'a str,
    value: &'a str,
    qualifier: Option<&'a str>,
    text: &'a str,
    #[serde(flatten)]
    span: Offsets,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    kind: FindingKind,
    severity: Severity,
    slot: &'a str,
    explanation: &'a str,
    families: usize,
    evidence: Vec<EvidenceOut<'a>>,
}

#[derive(Serialize)]
struct EvidenceOut<'a> {
    doc: &'a str,
    sentence: usize,
    value: &'a str,
    text: &'a str,
    #[serde(flatten)]
    span: Offsets,
}

#[derive(Serialize)]
struct SkippedOut<'a> {
    source: &'a str,
    reason: &'a str,
}

/// Character offsets for spans of every document, built once per report.
struct Indexes<'a> {
    by_id: HashMap<&'a str, CharIndex>,
}

impl<'a> Indexes<'a> {
    fn new(docs: &'a [Document]) -> Self {
        Indexes {
            by_id: docs
                .iter()
                .map(|d| (d.id.as_str(), CharIndex::new(&d.text)))
                .collect(),
        }
    }

    /// Offsets of `span` in document `doc`; character offsets are those of the characters
    /// starting before each byte offset, so a span from an unknown document or off a character
    /// boundary still gets well-defined (if approximate) character offsets.
    fn offsets(&self, doc: &str, span: Span) -> Offsets {
        let (char_start, char_end) = match self.by_id.get(doc) {
            Some(idx) => idx.span(span),
            None => (span.start, span.end),
        };
        Offsets {
            byte_start: span.start,
            byte_end: span.end,
            char_start,
            char_end,
        }
    }
}

/// The whole analysis as JSON following `schema/report.schema.json`, pretty-printed.
pub fn json(a: &Analysis) -> String {
    let idx = Indexes::new(&a.documents);
    let report = Report {
        schema_version: SCHEMA_VERSION,
        generator: Generator {
            name: "crosscheck",
            version: env!("CARGO_PKG_VERSION"),
        },
        documents: a
            .documents
            .iter()
            .map(|d| Doc {
                id: &d.id,
                source: &d.source,
                url: d.url.as_deref(),
                outlet: d.outlet.as_deref(),
                title: d.title.as_deref(),
                authors: &d.authors,
                published: d.published.as_deref(),
                language: d.language.as_deref(),
                words: d.word_count(),
                text: &d.text,
                blocks: d
                    .blocks
                    .iter()
                    .map(|b| BlockOut {
                        kind: b.kind,
                        span: idx.offsets(&d.id, b.span),
                    })
                    .collect(),
            })
            .collect(),
        stories: a.stories.iter().map(|sa| story(a, sa, &idx)).collect(),
        skipped: a
            .skipped
            .iter()
            .map(|s| SkippedOut {
                source: &s.source,
                reason: &s.reason,
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_else(|e| {
        format!(
            "{{\"schema_version\":\"{SCHEMA_VERSION}\",\"error\":{:?}}}",
            e.to_string()
        )
    });
    out.push('\n');
    out
}

fn story<'a>(
    a: &'a Analysis,
    sa: &'a crosscheck_model::StoryAnalysis,
    idx: &Indexes,
) -> StoryOut<'a> {
    let view = StoryView::new(a, sa);
    let count = |k: FindingKind| sa.findings.iter().filter(|f| f.kind == k).count();
    StoryOut {
        id: &sa.story.id,
        title: &sa.story.title,
        documents: &sa.story.documents,
        summary: Summary {
            versions: view.versions.len(),
            families: view.family_count(),
            contradictions: count(FindingKind::Contradiction),
            unsupported: count(FindingKind::Unsupported),
            single_source: count(FindingKind::SingleSource),
            corroborated: count(FindingKind::Corroborated),
            defects: sa.defects.len(),
        },
        sentences: sa
            .sentences
            .iter()
            .map(|(doc, s)| {
                (
                    doc.as_str(),
                    s.iter()
                        .map(|s| SentenceOut {
                            block: s.block,
                            span: idx.offsets(doc, s.span),
                        })
                        .collect(),
                )
            })
            .collect(),
        links: sa
            .links
            .iter()
            .map(|l| LinkOut {
                a: SentenceRefOut {
                    doc: &l.a.doc,
                    sentence: l.a.sentence,
                },
                b: SentenceRefOut {
                    doc: &l.b.doc,
                    sentence: l.b.sentence,
                },
                // NaN is not JSON; a similarity that is not a number is no similarity.
                score: if l.score.is_finite() { l.score } else { 0.0 },
                kind: l.kind,
            })
            .collect(),
        families: sa
            .families
            .iter()
            .map(|f| FamilyOut {
                id: f.id,
                members: &f.members,
                likely_source: f.likely_source.as_deref(),
            })
            .collect(),
        defects: sa
            .defects
            .iter()
            .map(|d| DefectOut {
                doc: &d.doc,
                kind: d.kind,
                explanation: &d.explanation,
                spans: d.spans.iter().map(|&s| idx.offsets(&d.doc, s)).collect(),
            })
            .collect(),
        claims: sa
            .claims
            .iter()
            .map(|c| ClaimOut {
                doc: &c.doc,
                sentence: c.sentence,
                kind: c.kind,
                slot: &c.slot,
                value: &c.value,
                qualifier: c.qualifier.as_deref(),
                text: &c.text,
                span: idx.offsets(&c.doc, c.span),
            })
            .collect(),
        findings: sa
            .findings
            .iter()
            .map(|f| FindingOut {
                kind: f.kind,
                severity: f.severity,
                slot: &f.slot,
                explanation: &f.explanation,
                families: f.families,
                evidence: f
                    .evidence
                    .iter()
                    .map(|e| EvidenceOut {
                        doc: &e.doc,
                        sentence: e.sentence,
                        value: &e.value,
                        text: &e.text,
                        span: idx.offsets(&e.doc, e.span),
                    })
                    .collect(),
            })
            .collect(),
    }
}
