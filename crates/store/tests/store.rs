//! The library file: schema, batches, dedup, merges, analyses, search, outlet figures.

use std::collections::BTreeMap;

use crosscheck_model::{
    BlockKind, Claim, ClaimKind, Defect, DefectKind, Document, Evidence, Finding, FindingKind,
    LinkKind, Sentence, SentenceLink, SentenceRef, Severity, Story, StoryAnalysis,
};
use crosscheck_store::{DuplicateBy, Store, SCHEMA_VERSION};

fn doc(id: &str, url: Option<&str>, outlet: &str, published: &str, body: &[&str]) -> Document {
    let mut d = Document::from_blocks(
        id,
        format!("{id}.txt"),
        body.iter().map(|b| (BlockKind::Paragraph, *b)),
    );
    d.url = url.map(str::to_string);
    d.outlet = Some(outlet.to_string());
    d.title = Some(format!("Title of {id}"));
    d.published = Some(published.to_string());
    d
}

fn one_sentence_per_block(d: &Document) -> Vec<Sentence> {
    d.blocks
        .iter()
        .enumerate()
        .map(|(i, b)| Sentence {
            block: i,
            span: b.span,
        })
        .collect()
}

#[test]
fn schema_is_versioned_and_reopening_keeps_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.db");
    {
        let mut store = Store::open(&path).unwrap();
        let w = store.writer().unwrap();
        let s = w.open_story("A story").unwrap();
        w.add_article(&doc("a", None, "Daily", "2025-04-21", &["Text a."]), s)
            .unwrap();
        w.commit().unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.counts().unwrap().articles, 1);
    let reader = Store::open_reader(&path).unwrap();
    assert_eq!(reader.counts().unwrap().stories, 1);
    drop((store, reader));
    // A library written by a newer build is refused rather than misread.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    assert!(matches!(
        Store::open(&path),
        Err(crosscheck_store::Error::NewerSchema { .. })
    ));
}

#[test]
fn an_uncommitted_batch_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.db");
    let mut store = Store::open(&path).unwrap();
    {
        let w = store.writer().unwrap();
        let s = w.open_story("A").unwrap();
        w.add_article(&doc("a", None, "Daily", "2025-04-21", &["Text a."]), s)
            .unwrap();
        // Dropped without commit.
    }
    let c = store.counts().unwrap();
    assert_eq!((c.articles, c.stories), (0, 0));
}

#[test]
fn duplicates_by_url_and_by_folded_text_and_unique_ids() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("lib.db")).unwrap();
    let w = store.writer().unwrap();
    let s = w.open_story("A").unwrap();
    let first = doc(
        "a",
        Some("https://x.example/1"),
        "X",
        "2025-04-21",
        &["Putin proposes talks."],
    );
    w.add_article(&first, s).unwrap();
    let same_url = doc(
        "b",
        Some(" https://x.example/1#top"),
        "X",
        "2025-04-21",
        &["Other words."],
    );
    assert_eq!(
        w.duplicate_of(&same_url).unwrap().unwrap().by,
        DuplicateBy::Url
    );
    let same_text = doc(
        "c",
        None,
        "Y",
        "2025-04-21",
        &["**PUTIN** proposes   talks!"],
    );
    assert_eq!(
        w.duplicate_of(&same_text).unwrap().unwrap().by,
        DuplicateBy::Content
    );
    let fresh = doc("a", None, "Y", "2025-04-21", &["Zelensky answers."]);
    assert!(w.duplicate_of(&fresh).unwrap().is_none());
    // The id "a" is taken: the new article gets a suffixed one.
    let added = w.add_article(&fresh, s).unwrap();
    assert_eq!(added.doc_id, "a~2");
    // A failed item is undone alone.
    let failed = w.item(|w| {
        w.open_story("doomed")?;
        w.add_article(&first, s)
    });
    assert!(failed.is_err());
    w.commit().unwrap();
    let c = store.counts().unwrap();
    assert_eq!((c.articles, c.stories), (2, 1));
    let detail = store.story(s).unwrap().unwrap();
    assert_eq!(detail.story.versions, 2);
    assert!(!detail.story.analysed);
}

#[test]
fn merging_moves_members_and_keeps_a_pointer() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("lib.db")).unwrap();
    let w = store.writer().unwrap();
    let s1 = w.open_story("One").unwrap();
    let s2 = w.open_story("Two").unwrap();
    w.add_article(&doc("a", None, "X", "2025-04-21", &["A."]), s1)
        .unwrap();
    w.add_article(&doc("b", None, "X", "2025-04-21", &["B."]), s2)
        .unwrap();
    w.add_article(&doc("c", None, "X", "2025-04-21", &["C."]), s2)
        .unwrap();
    w.merge_story(s2, s1).unwrap();
    w.commit().unwrap();
    let listed = store.stories(10, 0).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].id, listed[0].versions), (s1, 3));
    assert_eq!(
        store.story(s2).unwrap().unwrap().story.merged_into,
        Some(s1)
    );
    assert_eq!(store.stale_stories(10).unwrap(), vec![s1]);
}

fn analysis_of(story: i64, docs: &[&Document]) -> StoryAnalysis {
    let sentences: BTreeMap<String, Vec<Sentence>> = docs
        .iter()
        .map(|d| (d.id.clone(), one_sentence_per_block(d)))
        .collect();
    let ev = |d: &Document, i: usize, value: &str| Evidence {
        doc: d.id.clone(),
        sentence: i,
        span: d.blocks[i].span,
        chars: d.char_span(d.blocks[i].span),
        value: value.into(),
        text: d.block_text(&d.blocks[i]).into(),
    };
    StoryAnalysis {
        story: Story {
            id: story.to_string(),
            title: "Putin proposes talks".into(),
            documents: docs.iter().map(|d| d.id.clone()).collect(),
        },
        sentences,
        // b copies a's first sentence; a is earlier.
        links: vec![SentenceLink {
            a: SentenceRef {
                doc: docs[0].id.clone(),
                sentence: 0,
            },
            b: SentenceRef {
                doc: docs[1].id.clone(),
                sentence: 0,
            },
            score: 1.0,
            kind: LinkKind::Verbatim,
        }],
        families: vec![],
        defects: vec![Defect {
            doc: docs[1].id.clone(),
            kind: DefectKind::RepeatedParagraph,
            spans: vec![docs[1].blocks[1].span, docs[1].blocks[2].span],
            explanation: "repeated".into(),
        }],
        claims: vec![Claim {
            doc: docs[1].id.clone(),
            sentence: 1,
            span: docs[1].blocks[1].span,
            kind: ClaimKind::Quantity,
            slot: "ceasefire hours".into(),
            value: "30".into(),
            qualifier: None,
            text: "a 30-hour Easter truce".into(),
        }],
        findings: vec![Finding {
            kind: FindingKind::Contradiction,
            severity: Severity::High,
            slot: "quantity: ceasefire hours".into(),
            explanation: "30 or 32 hours".into(),
            families: 2,
            evidence: vec![ev(docs[0], 1, "32"), ev(docs[1], 1, "30")],
        }],
    }
}

#[test]
fn analyses_are_stored_per_revision_with_search_and_outlet_figures() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("lib.db")).unwrap();
    let a = doc(
        "a",
        None,
        "Wire",
        "2025-04-20",
        &["Putin proposes talks.", "A 32-hour truce."],
    );
    let b = doc(
        "b",
        None,
        "Copycat",
        "2025-04-21",
        &[
            "Putin proposes talks.",
            "A 30-hour Easter truce.",
            "A 30-hour Easter truce.",
        ],
    );
    let w = store.writer().unwrap();
    let s = w.open_story("Putin").unwrap();
    w.add_article(&a, s).unwrap();
    w.add_article(&b, s).unwrap();
    w.commit().unwrap();
    let revision = store.story_revision(s).unwrap().unwrap();
    let input = store.story_input(s).unwrap().unwrap();
    assert_eq!(input.documents.len(), 2);
    let analysis = analysis_of(s, &[&a, &b]);

    // An analysis of an older membership is refused.
    assert!(!store.save_analysis(s, revision - 1, &analysis).unwrap());
    assert!(store.save_analysis(s, revision, &analysis).unwrap());
    let detail = store.story(s).unwrap().unwrap();
    assert!(detail.story.analysed);
    assert_eq!(detail.story.contradictions, Some(1));
    assert_eq!(detail.analysis.as_ref(), Some(&analysis));
    assert!(store.stale_stories(10).unwrap().is_empty());

    let hits = store.search("easter TRUCE", 10).unwrap();
    assert_eq!(hits.claims.len(), 1);
    assert_eq!(hits.claims[0].value, "30");
    assert_eq!(store.search("Title of", 10).unwrap().articles.len(), 2);
    assert!(store
        .search("\"unbalanced ( AND", 10)
        .unwrap()
        .claims
        .is_empty());

    let outlets = store.outlets().unwrap();
    let copycat = outlets.iter().find(|o| o.name == "Copycat").unwrap();
    let detail = store.outlet(copycat.id, 10).unwrap().unwrap();
    assert_eq!(detail.series.len(), 1);
    let p = &detail.series[0];
    assert_eq!(p.period, "2025-04");
    // b's first sentence (21 of its 21 + 23 + 23 sentence bytes) is copied from the earlier a.
    let text = (b.blocks[0].span.len() + b.blocks[1].span.len() + b.blocks[2].span.len()) as f64;
    let expected = 1.0 - b.blocks[0].span.len() as f64 / text;
    assert!((p.original_share.unwrap() - expected).abs() < 1e-9);
    assert_eq!(p.contradictions_per_article, Some(1.0));
    assert_eq!(p.repeated_paragraphs, 1);
    let wire = outlets.iter().find(|o| o.name == "Wire").unwrap();
    let wire = store.outlet(wire.id, 10).unwrap().unwrap();
    assert_eq!(wire.series[0].original_share, Some(1.0));

    // A new member makes the story stale again, and re-analysis replaces the rows.
    let w = store.writer().unwrap();
    w.add_article(&doc("c", None, "Wire", "2025-04-22", &["Third."]), s)
        .unwrap();
    w.commit().unwrap();
    assert_eq!(store.stale_stories(10).unwrap(), vec![s]);
    let revision = store.story_revision(s).unwrap().unwrap();
    assert!(store.save_analysis(s, revision, &analysis).unwrap());
    assert_eq!(store.search("easter truce", 10).unwrap().claims.len(), 1);
}

#[test]
fn feed_state_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("lib.db")).unwrap();
    let mut f = store.feed("https://x.example/rss").unwrap();
    assert_eq!(f.failures, 0);
    f.etag = Some("\"abc\"".into());
    f.failures = 2;
    store.save_feed(&f).unwrap();
    assert_eq!(store.feed("https://x.example/rss").unwrap(), f);
}
