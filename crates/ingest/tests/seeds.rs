//! The real seed corpus: five versions of one story as plain text.

use std::path::PathBuf;

use crosscheck_ingest::{read_path, read_paths};
use crosscheck_model::{BlockKind, Document};

fn seeds() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/seeds"
    ));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: ../shared not found");
        None
    }
}

fn kinds(doc: &Document) -> Vec<BlockKind> {
    doc.blocks.iter().map(|b| b.kind).collect()
}

fn texts_of(doc: &Document, kind: BlockKind) -> Vec<&str> {
    doc.blocks
        .iter()
        .filter(|b| b.kind == kind)
        .map(|b| doc.block_text(b))
        .collect()
}

#[test]
fn rewrites_have_standfirst_double_headline_and_subheading() {
    let Some(dir) = seeds() else { return };
    let got = read_paths(&[dir], false);
    assert!(got.skipped.is_empty(), "{:?}", got.skipped);
    let ids: Vec<&str> = got.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "000_e14b40fe97945b92",
            "001_52c7171d80aebe89",
            "002_df7d6ac8fc2cfb1e",
            "003_4deae88c4963caf2",
            "004_da30db888d785527"
        ]
    );
    for doc in &got.documents[1..] {
        let k = kinds(doc);
        assert_eq!(
            k[..4],
            [
                BlockKind::Standfirst,
                BlockKind::Headline,
                BlockKind::Headline,
                BlockKind::Subheading
            ],
            "{}",
            doc.id
        );
        assert!(
            k[4..].iter().all(|&k| k == BlockKind::Paragraph),
            "{}: {k:?}",
            doc.id
        );
        let headlines = texts_of(doc, BlockKind::Headline);
        assert_eq!(headlines[0], headlines[1]);
        assert_eq!(doc.title.as_deref(), Some(headlines[0]));
        assert!(!doc.text.contains("**"), "{}", doc.id);
        for b in &doc.blocks {
            assert_eq!(doc.block_text(b), doc.block_text(b).trim());
        }
    }
    let d4 = &got.documents[4];
    assert_eq!(
        d4.title.as_deref(),
        Some("Putin Signals Willingness for Talks with Ukraine Amid Ongoing Conflict")
    );
    assert_eq!(
        texts_of(d4, BlockKind::Subheading),
        ["Russian President's comments mark a potential shift in dialogue dynamics"]
    );
}

#[test]
fn digest_has_headline_subheadings_and_paragraphs() {
    let Some(dir) = seeds() else { return };
    let got = read_path(&dir.join("000_e14b40fe97945b92.txt"));
    assert!(got.skipped.is_empty());
    let doc = &got.documents[0];
    assert_eq!(
        doc.source,
        dir.join("000_e14b40fe97945b92.txt").display().to_string()
    );
    assert_eq!(
        doc.title.as_deref(),
        Some("Putin proposes direct talks with Ukraine for the first time")
    );
    assert_eq!(kinds(doc)[0], BlockKind::Headline);
    let subs = texts_of(doc, BlockKind::Subheading);
    for expected in [
        "What's the story",
        "Ceasefire discussions",
        "Putin and Zelensky express willingness for more ceasefires",
        "Diplomatic efforts",
        "Firm position",
    ] {
        assert!(subs.contains(&expected), "{expected} not in {subs:?}");
    }
    let paragraphs = texts_of(doc, BlockKind::Paragraph);
    assert!(
        paragraphs.contains(&"\"We are ready for any conversation about how to achieve this.\"")
    );
    assert!(
        paragraphs.iter().all(|p| p.ends_with(['.', '"'])),
        "{paragraphs:?}"
    );
}
