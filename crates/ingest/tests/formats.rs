//! Every supported format, read from small real-looking fixtures.

use std::io::Write;
use std::path::{Path, PathBuf};

use crosscheck_ingest::{document_from_html, parse_feed, read_path, read_paths, Ingested};
use crosscheck_model::{BlockKind, Document};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn only_doc(got: &Ingested) -> &Document {
    assert!(got.skipped.is_empty(), "{:?}", got.skipped);
    assert_eq!(got.documents.len(), 1);
    &got.documents[0]
}

fn paragraphs(doc: &Document) -> Vec<&str> {
    doc.paragraphs().map(|b| doc.block_text(b)).collect()
}

fn check_offsets(doc: &Document) {
    for b in &doc.blocks {
        assert!(b.span.end <= doc.text.len());
        assert!(doc.text.is_char_boundary(b.span.start) && doc.text.is_char_boundary(b.span.end));
        assert!(!doc.block_text(b).is_empty());
    }
}

#[test]
fn html_page_main_text_and_metadata() {
    let got = read_path(&data("article.html"));
    let doc = only_doc(&got);
    check_offsets(doc);
    assert_eq!(doc.id, "article");
    assert_eq!(doc.blocks[0].kind, BlockKind::Headline);
    assert_eq!(
        doc.title.as_deref(),
        Some("Putin offers direct talks with Kyiv for the first time since 2022")
    );
    assert_eq!(doc.outlet.as_deref(), Some("The Daily Ledger"));
    assert_eq!(doc.authors, ["Anna Kovalenko"]);
    assert_eq!(doc.published.as_deref(), Some("2025-04-22"));
    assert_eq!(doc.language.as_deref(), Some("en"));
    assert_eq!(
        doc.url.as_deref(),
        Some("https://www.dailyledger.example/world/2025/04/22/putin-direct-talks")
    );
    let paras = paragraphs(doc);
    assert!(paras
        .iter()
        .any(|p| p.starts_with("Russian President Vladimir Putin said on Monday")));
    assert!(paras.iter().any(|p| p.contains("almost 3,000 violations")));
    assert!(doc
        .blocks
        .iter()
        .any(|b| b.kind == BlockKind::Subheading && doc.block_text(b) == "Easter truce"));
    // Navigation, related links and the footer are boilerplate.
    for junk in [
        "Subscribe",
        "Ten things to do",
        "All rights reserved",
        "Privacy policy",
    ] {
        assert!(!doc.text.contains(junk), "{junk} kept");
    }
    // The page's own <h1> is not repeated under the headline.
    assert_eq!(
        doc.blocks
            .iter()
            .filter(|b| doc.block_text(b).starts_with("Putin offers direct talks"))
            .count(),
        1
    );
}

#[test]
fn html_url_gives_outlet_when_the_page_names_none() {
    let html = std::fs::read(data("undeclared-latin1.htm")).unwrap();
    let doc = document_from_html(
        &html,
        Some("https://www.journal.example/cafe"),
        "x",
        "x.htm",
    )
    .unwrap();
    assert_eq!(doc.outlet.as_deref(), Some("journal.example"));
    assert_eq!(doc.url.as_deref(), Some("https://www.journal.example/cafe"));
}

#[test]
fn windows_1252_pages_decode_with_and_without_a_declaration() {
    let declared = read_path(&data("windows-1252.html"));
    let doc = only_doc(&declared);
    assert!(doc
        .text
        .contains("“We cleaned the glass, we fixed the door, and we opened,”"));
    assert!(doc.text.contains("€1.2 million"));
    assert!(doc.text.contains("centre of Zaporizhzhia"));
    assert_eq!(
        doc.title.as_deref(),
        Some("Café owners in Zaporizhzhia reopen after strike")
    );

    let guessed = read_path(&data("undeclared-latin1.htm"));
    let doc = only_doc(&guessed);
    assert!(doc.text.contains("small café near"), "{}", doc.text);
    assert!(!doc.text.contains('\u{fffd}'));
}

#[test]
fn rss_items_prefer_full_content_over_summary() {
    let got = read_path(&data("world.rss"));
    assert!(got.skipped.is_empty(), "{:?}", got.skipped);
    assert_eq!(got.documents.len(), 2);
    let first = &got.documents[0];
    check_offsets(first);
    assert_eq!(first.id, "world#1");
    assert!(first.source.ends_with("world.rss#1"));
    assert_eq!(
        first.title.as_deref(),
        Some("Zelensky demands \"clear answer\" from Moscow on strikes")
    );
    assert_eq!(first.blocks[0].kind, BlockKind::Headline);
    assert_eq!(first.outlet.as_deref(), Some("Wire World News"));
    assert_eq!(first.authors, ["Maria Petrenko"]);
    assert_eq!(first.published.as_deref(), Some("2025-04-21T21:40:00Z"));
    assert_eq!(
        first.url.as_deref(),
        Some("https://wire.example/world/zelensky-clear-answer")
    );
    assert_eq!(first.language.as_deref(), Some("en-gb"));
    // content:encoded, converted from HTML, not the one-line description.
    assert!(first
        .text
        .contains("waiting for a clear answer from Moscow"));
    assert!(!first.text.contains("<em>"));
    assert!(!first.text.contains("repeated his offer"));
    assert!(first
        .blocks
        .iter()
        .any(|b| b.kind == BlockKind::Subheading && first.block_text(b) == "Offer stands"));

    let second = &got.documents[1];
    assert_eq!(second.id, "world#2");
    assert_eq!(
        paragraphs(second),
        ["Officials from Ukraine, the United States and Europe will meet in London on Wednesday, following last week's meeting in Paris."]
    );
}

#[test]
fn atom_entries_with_content_or_summary() {
    let bytes = std::fs::read(data("world.atom")).unwrap();
    let docs = parse_feed(&bytes, "feeds/world.atom").unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].id, "world#1");
    assert_eq!(docs[0].outlet.as_deref(), Some("Kyiv Monitor"));
    assert_eq!(docs[0].published.as_deref(), Some("2025-04-22T02:30:00Z"));
    assert_eq!(
        docs[0].url.as_deref(),
        Some("https://monitor.example/2025/04/22/odesa-drones")
    );
    assert_eq!(paragraphs(&docs[0]).len(), 2);
    // The feed's author stands in for an entry that names none.
    assert_eq!(docs[0].authors, ["Kyiv Monitor desk"]);
    assert_eq!(docs[1].authors, ["Iryna Shevchenko"]);
    assert!(docs[1]
        .text
        .contains("bilateral talks on not striking civilian targets"));
    // Updated stands in for a missing published date.
    assert_eq!(docs[1].published.as_deref(), Some("2025-04-22T08:10:00Z"));
}

#[test]
fn feeds_are_recognised_by_content_under_any_name() {
    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("export.xml");
    std::fs::copy(data("world.atom"), &xml).unwrap();
    let no_ext = dir.path().join("latest");
    std::fs::copy(data("world.rss"), &no_ext).unwrap();
    let got = read_paths(&[dir.path().to_path_buf()], false);
    assert!(got.skipped.is_empty(), "{:?}", got.skipped);
    let ids: Vec<&str> = got.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["export#1", "export#2", "latest#1", "latest#2"]);
}

#[test]
fn jsonl_lines_become_documents_and_bad_lines_are_reported() {
    let got = read_path(&data("articles.jsonl"));
    let ids: Vec<&str> = got.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["wire-1", "2", "articles#6"]);

    let wire = &got.documents[0];
    check_offsets(wire);
    assert_eq!(
        wire.title.as_deref(),
        Some("Putin open to direct talks with Ukraine")
    );
    assert_eq!(wire.blocks[0].kind, BlockKind::Headline);
    assert_eq!(wire.outlet.as_deref(), Some("Wire"));
    assert_eq!(wire.published.as_deref(), Some("2025-04-21"));
    assert_eq!(paragraphs(wire).len(), 2);

    let html = &got.documents[1];
    assert_eq!(
        html.title.as_deref(),
        Some("Easter truce broken, both sides say")
    );
    assert_eq!(html.outlet.as_deref(), Some("ledger.example"));
    assert!(html.text.contains("almost 3,000 times"));
    assert!(!html.text.contains("Home | World"));

    assert_eq!(got.skipped.len(), 2, "{:?}", got.skipped);
    assert!(got.skipped[0].source.ends_with("articles.jsonl:3"));
    assert!(got.skipped[0].reason.contains("malformed JSON"));
    assert!(got.skipped[1].source.ends_with("articles.jsonl:4"));
    assert!(got.skipped[1].reason.contains("no `text` or `html`"));
}

#[test]
fn jsonl_gz_is_streamed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("batch.jsonl.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::default(),
    );
    for i in 0..500 {
        writeln!(
            gz,
            "{}",
            serde_json::json!({"id": format!("a{i}"), "text": format!("Report number {i} says the talks went on.")})
        )
        .unwrap();
    }
    gz.finish().unwrap();
    let got = read_path(&path);
    assert!(got.skipped.is_empty());
    assert_eq!(got.documents.len(), 500);
    assert_eq!(got.documents[499].id, "a499");
}

#[test]
fn warc_html_responses_become_documents() {
    let got = read_path(&data("crawl.warc"));
    assert!(got.skipped.is_empty(), "{:?}", got.skipped);
    assert_eq!(got.documents.len(), 2);
    let page = &got.documents[0];
    check_offsets(page);
    assert_eq!(page.id, "crawl#3");
    assert!(page.source.ends_with("crawl.warc#3"));
    assert_eq!(
        page.url.as_deref(),
        Some("https://www.dailyledger.example/world/2025/04/22/putin-direct-talks")
    );
    assert_eq!(page.published.as_deref(), Some("2025-04-22"));
    assert!(page.text.contains("almost 3,000 violations"));

    // Chunked transfer and a charset given only in the HTTP header; no date in the page, so
    // the crawl date stands in.
    let cafe = &got.documents[1];
    assert_eq!(cafe.id, "crawl#4");
    assert_eq!(
        cafe.url.as_deref(),
        Some("https://journal.example/cafe-reopens")
    );
    assert!(cafe.text.contains("€1.2 million"), "{}", cafe.text);
    assert_eq!(cafe.published.as_deref(), Some("2025-04-23T11:30:00Z"));
}

#[test]
fn warc_gz_with_one_gzip_member_per_record() {
    let raw = std::fs::read(data("crawl.warc")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl.warc.gz");
    let mut out = std::fs::File::create(&path).unwrap();
    // Split at record starts, as crawlers write them.
    let starts: Vec<usize> = raw
        .windows(10)
        .enumerate()
        .filter(|(i, w)| *w == b"WARC/1.0\r\n" && (*i == 0 || raw[i - 4..*i] == *b"\r\n\r\n"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(starts.len(), 5);
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(raw.len());
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&raw[s..e]).unwrap();
        out.write_all(&gz.finish().unwrap()).unwrap();
    }
    drop(out);
    let got = read_path(&path);
    assert!(got.skipped.is_empty(), "{:?}", got.skipped);
    let ids: Vec<&str> = got.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["crawl#3", "crawl#4"]);
}

#[test]
fn gzipped_html_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.html.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(&std::fs::read(data("article.html")).unwrap())
        .unwrap();
    gz.finish().unwrap();
    let md = dir.path().join("notes.md");
    std::fs::write(
        &md,
        "# Talks in London\n\nOfficials will meet on **Wednesday**.\n\n## Background\n\nA week ago they met in Paris.\n",
    )
    .unwrap();
    let got = read_paths(&[dir.path().to_path_buf()], true);
    assert!(got.skipped.is_empty(), "{:?}", got.skipped);
    let ids: Vec<&str> = got.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["notes", "page"]);
    assert_eq!(got.documents[0].title.as_deref(), Some("Talks in London"));
    assert!(got.documents[0].text.contains("meet on Wednesday."));
    assert!(got.documents[1].text.contains("almost 3,000 violations"));
}

#[test]
fn scrapinghub_pages_when_present() {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/bench/extraction/scrapinghub/html"
    ));
    if !dir.is_dir() {
        eprintln!("skipping: ../shared not found");
        return;
    }
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    pages.truncate(8);
    let got = read_paths(&pages, false);
    assert!(got.skipped.is_empty(), "{:?}", got.skipped);
    assert_eq!(got.documents.len(), 8);
    for doc in &got.documents {
        check_offsets(doc);
        assert!(doc.word_count() > 50, "{}: {}", doc.id, doc.text);
        assert!(doc.outlet.is_some(), "{}", doc.id);
        assert!(!doc.text.contains("<p>"), "{}", doc.id);
    }
}
