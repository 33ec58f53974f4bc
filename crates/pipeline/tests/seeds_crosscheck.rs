//! The whole pipeline on the seed corpus: five real versions of one April 2025 story whose
//! rewrites drifted. The findings a reader must see are there, and spelling variants are not
//! reported as contradictions.

use std::path::Path;

use crosscheck_model::{Analysis, Document, Finding, FindingKind, Story};
use crosscheck_pipeline::{analyze_story, Options};

fn seeds() -> Option<Analysis> {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/seeds"
    ));
    if !dir.is_dir() {
        eprintln!("skipping: ../shared not found");
        return None;
    }
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let documents: Vec<_> = paths
        .iter()
        .flat_map(|p| crosscheck_ingest::read_path(p).documents)
        .collect();
    assert_eq!(documents.len(), 5, "the five seeds read");
    // The five seeds are one story by construction; cross-check them as one whatever the
    // clustering makes of them (its own tests judge it).
    let story = Story {
        id: "seeds".into(),
        title: "Putin proposes direct talks with Ukraine".into(),
        documents: documents.iter().map(|d| d.id.clone()).collect(),
    };
    let refs: Vec<&Document> = documents.iter().collect();
    let analysis = analyze_story(story, &refs, &Options::default());
    Some(Analysis {
        documents,
        stories: vec![analysis],
        skipped: Vec::new(),
    })
}

fn findings(a: &Analysis) -> Vec<&Finding> {
    a.stories.iter().flat_map(|s| &s.findings).collect()
}

/// Which seed (`"000"` … `"004"`) a piece of evidence comes from.
fn seed(doc: &str) -> &str {
    doc.get(..3).unwrap_or(doc)
}

fn docs_with(f: &Finding, pred: impl Fn(&str) -> bool) -> Vec<&str> {
    f.evidence
        .iter()
        .filter(|e| pred(&e.text))
        .map(|e| seed(&e.doc))
        .collect()
}

fn contradiction<'a>(a: &Analysis, all: &[&'a Finding], slot: &str) -> &'a Finding {
    all.iter()
        .copied()
        .find(|f| f.kind == FindingKind::Contradiction && f.slot == slot)
        .unwrap_or_else(|| panic!("no contradiction on {slot} in {}: {all:#?}", stories(a)))
}

/// The stories' members and families, for failure messages.
fn stories(a: &Analysis) -> String {
    a.stories
        .iter()
        .map(|s| {
            let fams: Vec<&Vec<String>> = s.families.iter().map(|f| &f.members).collect();
            format!(
                "{:?} families {fams:?} links {}",
                s.story.documents,
                s.links.len()
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[test]
fn seeds_cross_check() {
    let Some(a) = seeds() else { return };
    let all = findings(&a);

    // Who is the US leader pressing for progress: Biden (002) or "former President" Trump.
    let role = contradiction(&a, &all, "role: us president");
    assert_eq!(docs_with(role, |t| t.contains("Joe Biden")), ["002"]);
    let trump = docs_with(role, |t| t.contains("Donald Trump"));
    assert!(
        trump.contains(&"001") && trump.contains(&"004"),
        "{role:#?}"
    );

    // When the war began: "almost two years ago" (004) against "over three years" (000).
    let war = contradiction(&a, &all, "time: war start");
    assert!(
        docs_with(war, |t| t.contains("almost two years ago")).contains(&"004"),
        "{war:#?}"
    );
    assert!(
        docs_with(war, |t| t.contains("over three years")).contains(&"000"),
        "{war:#?}"
    );

    // Putin quoted with different words.
    let quote = contradiction(&a, &all, "quote: vladimir putin");
    assert_eq!(
        docs_with(quote, |t| t.contains("always been receptive")),
        ["004"]
    );
    let other = docs_with(quote, |t| t.contains("always looked positively"));
    assert!(
        other.contains(&"002") && other.contains(&"003"),
        "{quote:#?}"
    );

    // "almost 3,000" ceasefire breaches: 004 alone states it.
    let lone = all
        .iter()
        .find(|f| {
            f.kind == FindingKind::SingleSource
                && f.evidence.iter().any(|e| e.text.contains("3,000"))
        })
        .unwrap_or_else(|| panic!("no single-source finding for 3,000: {all:#?}"));
    assert!(
        lone.evidence.iter().all(|e| seed(&e.doc) == "004"),
        "{lone:#?}"
    );
    assert_eq!(lone.families, 1);

    // Spelling and transliteration variants are never contradictions.
    for f in all.iter().filter(|f| f.kind == FindingKind::Contradiction) {
        let keys: std::collections::BTreeSet<String> = f
            .evidence
            .iter()
            .map(|e| crosscheck_claims_key(&e.text))
            .collect();
        assert!(keys.len() > 1, "sides differ only in spelling: {f:#?}");
        for e in &f.evidence {
            let t = e.text.to_lowercase();
            assert!(
                !(t == "odesa" || t == "odessa" || t.starts_with("zelensk")),
                "a spelling variant reported as a contradiction: {f:#?}"
            );
        }
    }

    // Every evidence span points at its words.
    for f in &all {
        for e in &f.evidence {
            let doc = a.document(&e.doc).expect("evidence names a document");
            assert_eq!(doc.slice(e.span), e.text);
            assert_eq!(doc.char_span(e.span), e.chars);
        }
    }
}

/// Evidence texts compared as names are: folded and transliteration-normalised.
fn crosscheck_claims_key(text: &str) -> String {
    crosscheck_claims::name_key(text)
}
