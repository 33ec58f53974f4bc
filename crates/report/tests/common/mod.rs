//! Analyses to render in tests: the real seed articles with structure computed here by simple
//! exact-word rules, and findings written by hand against their real text (the stage crates
//! own the real analysis; these tests only need realistic input for the renderers).

#![allow(dead_code)]

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crosscheck_model::{
    Analysis, BlockKind, Claim, ClaimKind, Defect, DefectKind, Document, Evidence, Family, Finding,
    FindingKind, LinkKind, Sentence, SentenceLink, SentenceRef, Severity, Skipped, Span, Story,
    StoryAnalysis,
};

pub fn seeds_dir() -> Option<PathBuf> {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/seeds"
    ));
    if dir.is_dir() {
        Some(dir.to_path_buf())
    } else {
        eprintln!("skipping: ../shared not found");
        None
    }
}

fn is_sentence_end(line: &str) -> bool {
    line.trim_end_matches(['*', '"', '”', '\''])
        .ends_with(['.', '!', '?', ':'])
}

/// A seed file as a document: a first line repeated as the next-but-one marks the sites'
/// "standfirst, headline twice, subheading" layout; otherwise the first line is the headline
/// and lines without closing punctuation are subheadings.
pub fn seed_document(path: &Path) -> Document {
    let text = std::fs::read_to_string(path).expect("seed is readable");
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut blocks: Vec<(BlockKind, &str)> = Vec::new();
    if lines.len() > 3 && lines[1] == lines[2] {
        blocks.push((BlockKind::Standfirst, lines[0]));
        blocks.push((BlockKind::Headline, lines[1]));
        blocks.push((BlockKind::Headline, lines[2]));
        blocks.push((BlockKind::Subheading, lines[3]));
        blocks.extend(lines[4..].iter().map(|l| (BlockKind::Paragraph, *l)));
    } else {
        for (i, l) in lines.iter().enumerate() {
            let kind = if i == 0 {
                BlockKind::Headline
            } else if is_sentence_end(l) {
                BlockKind::Paragraph
            } else {
                BlockKind::Subheading
            };
            blocks.push((kind, l));
        }
    }
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let stem = path.file_stem().unwrap().to_string_lossy().to_string();
    let mut doc = Document::from_blocks(stem, format!("seeds/{name}"), blocks);
    doc.title = doc
        .blocks
        .iter()
        .find(|b| b.kind == BlockKind::Headline)
        .map(|b| doc.block_text(b).trim_matches('*').to_string());
    doc.language = Some("en".into());
    doc
}

fn words(text: &str) -> HashSet<String> {
    crosscheck_text::content_words(text).collect()
}

/// Sentence links by word overlap: equal folded text is verbatim, a Jaccard overlap of content
/// words of at least 0.6 near-verbatim.
fn links(docs: &[&Document], sentences: &[Vec<Sentence>]) -> Vec<SentenceLink> {
    let mut out = Vec::new();
    for i in 0..docs.len() {
        for j in i + 1..docs.len() {
            for (si, s) in sentences[i].iter().enumerate() {
                let a = docs[i].slice(s.span);
                let wa = words(a);
                for (sj, t) in sentences[j].iter().enumerate() {
                    let b = docs[j].slice(t.span);
                    let (kind, score) = if crosscheck_text::fold(a) == crosscheck_text::fold(b) {
                        (LinkKind::Verbatim, 1.0)
                    } else {
                        let wb = words(b);
                        let inter = wa.intersection(&wb).count() as f32;
                        let union = wa.union(&wb).count().max(1) as f32;
                        if wa.len() < 4 || inter / union < 0.6 {
                            continue;
                        }
                        (LinkKind::NearVerbatim, inter / union)
                    };
                    out.push(SentenceLink {
                        a: SentenceRef {
                            doc: docs[i].id.clone(),
                            sentence: si,
                        },
                        b: SentenceRef {
                            doc: docs[j].id.clone(),
                            sentence: sj,
                        },
                        score,
                        kind,
                    });
                }
            }
        }
    }
    out
}

/// Blocks printed twice in one document.
fn defects(doc: &Document) -> Vec<Defect> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, b) in doc.blocks.iter().enumerate() {
        let key = crosscheck_text::fold(doc.block_text(b));
        match seen.get(&key) {
            Some(&first) => {
                let kind = if b.kind == BlockKind::Headline {
                    DefectKind::RepeatedHeadline
                } else {
                    DefectKind::RepeatedParagraph
                };
                out.push(Defect {
                    doc: doc.id.clone(),
                    kind,
                    spans: vec![doc.blocks[first].span, b.span],
                    explanation: format!("Block {} repeats block {}.", i + 1, first + 1),
                });
            }
            None => {
                seen.insert(key, i);
            }
        }
    }
    out
}

pub struct Builder {
    pub docs: Vec<Document>,
    pub sentences: Vec<Vec<Sentence>>,
    pub findings: Vec<Finding>,
    pub claims: Vec<Claim>,
}

impl Builder {
    pub fn new(docs: Vec<Document>) -> Self {
        let sentences = docs.iter().map(crosscheck_text::segment).collect();
        Builder {
            docs,
            sentences,
            findings: Vec::new(),
            claims: Vec::new(),
        }
    }

    pub fn pos(&self, id_prefix: &str) -> usize {
        self.docs
            .iter()
            .position(|d| d.id.starts_with(id_prefix))
            .unwrap_or_else(|| panic!("no document {id_prefix}"))
    }

    /// Evidence for the first occurrence of `needle` in the document whose id starts with
    /// `doc`.
    pub fn evidence(&self, doc: &str, needle: &str, value: &str) -> Evidence {
        let d = &self.docs[self.pos(doc)];
        let start = d
            .text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in {}", d.id));
        let span = Span::new(start, start + needle.len());
        let sentence = self.sentences[self.pos(doc)]
            .iter()
            .position(|s| s.span.start <= start && start < s.span.end)
            .unwrap_or(0);
        Evidence {
            doc: d.id.clone(),
            sentence,
            span,
            chars: d.char_span(span),
            value: value.into(),
            text: needle.into(),
        }
    }

    pub fn finding(
        &mut self,
        kind: FindingKind,
        severity: Severity,
        slot: &str,
        families: usize,
        explanation: &str,
        evidence: Vec<Evidence>,
    ) {
        let claim_kind = match slot.split(':').next().unwrap_or("") {
            "role" => ClaimKind::Role,
            "quantity" => ClaimKind::Quantity,
            "date" => ClaimKind::Date,
            "duration" => ClaimKind::Duration,
            "quote" => ClaimKind::Quote,
            _ => ClaimKind::Attribution,
        };
        for e in &evidence {
            self.claims.push(Claim {
                doc: e.doc.clone(),
                sentence: e.sentence,
                span: e.span,
                kind: claim_kind,
                slot: slot.split(": ").nth(1).unwrap_or(slot).to_string(),
                value: e.value.clone(),
                qualifier: None,
                text: e.text.clone(),
            });
        }
        self.findings.push(Finding {
            kind,
            severity,
            slot: slot.into(),
            explanation: explanation.into(),
            families,
            evidence,
        });
    }

    /// One story of all documents, with `families` given as lists of id prefixes, the first
    /// of each the likely source.
    pub fn build(self, title: &str, families: &[&[&str]]) -> Analysis {
        let refs: Vec<&Document> = self.docs.iter().collect();
        let links = links(&refs, &self.sentences);
        let defects = self.docs.iter().flat_map(defects).collect();
        let families = families
            .iter()
            .enumerate()
            .map(|(i, members)| {
                let ids: Vec<String> = members
                    .iter()
                    .map(|p| self.docs[self.pos(p)].id.clone())
                    .collect();
                Family {
                    id: i,
                    likely_source: (ids.len() > 1).then(|| ids[0].clone()),
                    members: ids,
                }
            })
            .collect();
        let story = StoryAnalysis {
            story: Story {
                id: "story-1".into(),
                title: title.into(),
                documents: self.docs.iter().map(|d| d.id.clone()).collect(),
            },
            sentences: self
                .docs
                .iter()
                .map(|d| d.id.clone())
                .zip(self.sentences)
                .collect(),
            links,
            families,
            defects,
            claims: self.claims,
            findings: self.findings,
        };
        Analysis {
            documents: self.docs,
            stories: vec![story],
            skipped: Vec::new(),
        }
    }
}

pub fn seed_documents(dir: &Path) -> Vec<Document> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("seeds dir")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths.iter().map(|p| seed_document(p)).collect()
}

/// Adds the findings a fact-checker would write down for the seeds.
pub fn seed_findings(b: &mut Builder) {
    let ev = vec![
        b.evidence("001", "former President Donald Trump", "donald trump"),
        b.evidence("002", "US President Joe Biden", "joe biden"),
        b.evidence("004", "former President Donald Trump", "donald trump"),
    ];
    b.finding(
        FindingKind::Contradiction,
        Severity::High,
        "role: us president",
        2,
        "Versions disagree on who leads the US: V3 names Joe Biden as president, V2 and V5 name Donald Trump.",
        ev,
    );
    let ev = vec![
        b.evidence("000", "over three years", "P3Y"),
        b.evidence("004", "almost two years ago", "P2Y"),
    ];
    b.finding(
        FindingKind::Contradiction,
        Severity::Medium,
        "duration: full-scale war so far",
        2,
        "V1 says the war has gone on for over three years, V5 that it began almost two years ago.",
        ev,
    );
    let ev = vec![b.evidence("004", "almost 3,000 times", "3000")];
    b.finding(
        FindingKind::SingleSource,
        Severity::Medium,
        "quantity: ceasefire violations",
        1,
        "Only V5 gives a number of ceasefire violations.",
        ev,
    );
    let ev = vec![b.evidence("002", "over 20 injuries", "20")];
    b.finding(
        FindingKind::SingleSource,
        Severity::Low,
        "quantity: injured in zaporizhzhia",
        1,
        "Only V3 counts the injured in Zaporizhzhia.",
        ev,
    );
    let ev = vec![
        b.evidence("000", "Russian President Vladimir Putin", "vladimir putin"),
        b.evidence("001", "Russian President Vladimir Putin", "vladimir putin"),
        b.evidence("002", "Russian President Vladimir Putin", "vladimir putin"),
        b.evidence("003", "President Vladimir Putin", "vladimir putin"),
        b.evidence("004", "President Vladimir Putin", "vladimir putin"),
    ];
    b.finding(
        FindingKind::Corroborated,
        Severity::Info,
        "role: russian president",
        3,
        "All versions name Vladimir Putin as Russia's president.",
        ev,
    );
    let ev = vec![
        b.evidence("000", "30-hour Easter truce", "PT30H"),
        b.evidence("001", "30-hour", "PT30H"),
        b.evidence("004", "30-hour Easter truce", "PT30H"),
    ];
    b.finding(
        FindingKind::Corroborated,
        Severity::Info,
        "duration: easter truce",
        2,
        "The Easter truce lasted 30 hours, say two independent families.",
        ev,
    );
}

pub const SEED_FAMILIES: &[&[&str]] = &[&["000"], &["001", "004"], &["002", "003"]];

/// The seeds as one analysed story, or `None` (after saying so) when `../shared` is absent.
pub fn seed_analysis() -> Option<Analysis> {
    let dir = seeds_dir()?;
    let mut b = Builder::new(seed_documents(&dir));
    seed_findings(&mut b);
    Some(b.build(
        "Putin proposes direct talks with Ukraine for the first time",
        SEED_FAMILIES,
    ))
}

pub const PWN: &str = "<script>window.__pwned=1</script>";

/// An article crafted to break a report: markup, event handlers, `javascript:` links, a closing
/// style tag and broken markup in every field a renderer shows.
pub fn hostile_document() -> Document {
    let blocks = [
        (BlockKind::Headline, "<img src=x onerror=\"window.__pwned=1\"> Putin talks </style><script>window.__pwned=1</script>"),
        (BlockKind::Paragraph, "President Vladimir Putin <script>window.__pwned=1</script> said talks are possible. <img src=x onerror=window.__pwned=1> Ukraine's leader answered."),
        (BlockKind::Paragraph, "Read <a href=\"javascript:window.__pwned=1\">this</a> and </textarea></title></style><div><b>unclosed <!-- ]]> <svg onload=window.__pwned=1> &amp; &#x3C;script&#x3E; \u{1b}[31m end."),
        (BlockKind::Paragraph, "\"'><iframe srcdoc=\"<script>window.__pwned=1</script>\"></iframe> The US president, Donald Trump, warned again."),
    ];
    let mut doc = Document::from_blocks(
        "\"><script>window.__pwned=1</script>",
        "evil/\"><svg onload=window.__pwned=1>.txt",
        blocks,
    );
    doc.url = Some("javascript:window.__pwned=1//https://example.org/".into());
    doc.outlet = Some("</style><script>window.__pwned=1</script>\u{1b}]0;pwned\u{7}".into());
    doc.title = Some("<img src=x onerror=\"window.__pwned=1\">".into());
    doc.published = Some("<b>2025</b>".into());
    doc.authors = vec!["<script>alert(1)</script>".into()];
    doc
}

/// The seeds plus the hostile article in one story, with findings and a defect that quote the
/// hostile text.
pub fn hostile_analysis() -> Option<Analysis> {
    let dir = seeds_dir()?;
    let mut docs = seed_documents(&dir);
    docs.push(hostile_document());
    let mut b = Builder::new(docs);
    seed_findings(&mut b);
    let ev = vec![
        b.evidence(
            "\"><script>",
            "<script>window.__pwned=1</script>",
            "<script>window.__pwned=1</script>",
        ),
        b.evidence(
            "001",
            "Russian President Vladimir Putin",
            "</style><svg onload=window.__pwned=1>",
        ),
    ];
    b.finding(
        FindingKind::Unsupported,
        Severity::High,
        "quote: <img src=x onerror=window.__pwned=1>",
        1,
        "Says </style><script>window.__pwned=1</script> with <a href=\"javascript:window.__pwned=1\">x</a>",
        ev,
    );
    let mut a = b.build(
        "<script>window.__pwned=1</script> Putin </title></style> talks",
        SEED_FAMILIES,
    );
    let hostile = a.documents.last().unwrap().clone();
    let sa = &mut a.stories[0];
    sa.families.push(Family {
        id: 3,
        members: vec![hostile.id.clone()],
        likely_source: Some("\"><img src=x onerror=window.__pwned=1>".into()),
    });
    sa.defects.push(Defect {
        doc: hostile.id.clone(),
        kind: DefectKind::Boilerplate,
        spans: vec![hostile.blocks[2].span, hostile.blocks[2].span],
        explanation: "<img src=x onerror=window.__pwned=1> boilerplate".into(),
    });
    // Offsets from a buggy stage must not break the page: off a character boundary, past the
    // end, reversed.
    sa.findings.push(Finding {
        kind: FindingKind::SingleSource,
        severity: Severity::Low,
        slot: "quantity: bad offsets".into(),
        explanation: "Evidence with broken offsets.".into(),
        families: 1,
        evidence: vec![
            Evidence {
                doc: hostile.id.clone(),
                sentence: 999,
                span: Span::new(hostile.text.len() - 2, hostile.text.len() + 50),
                chars: (0, 0),
                value: "x".into(),
                text: "x".into(),
            },
            Evidence {
                doc: "no such document".into(),
                sentence: 0,
                span: Span { start: 9, end: 3 },
                chars: (0, 0),
                value: "y".into(),
                text: "y".into(),
            },
        ],
    });
    a.skipped.push(Skipped {
        source: "evil/<script>window.__pwned=1</script>.html".into(),
        reason: "</style><img src=x onerror=window.__pwned=1>".into(),
    });
    Some(a)
}
