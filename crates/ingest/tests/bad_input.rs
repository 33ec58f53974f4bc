//! Bad input never stops a run: each bad file (or line, or record) is one skip with a reason,
//! and everything else is still read.

use std::io::Write;
use std::path::{Path, PathBuf};

use crosscheck_ingest::{parse_feed, read_path, read_paths};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn a_folder_of_bad_files_gives_one_skip_each_and_keeps_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    // A PNG named as text, and one named as a picture.
    let png =
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00";
    std::fs::write(p("photo.txt"), png).unwrap();
    std::fs::write(p("photo.png"), png).unwrap();
    std::fs::write(p("empty.txt"), b"").unwrap();
    std::fs::write(p("blank.md"), b"\n\n   \n").unwrap();
    let page = gzip(&std::fs::read(data("article.html")).unwrap());
    std::fs::write(p("cut.html.gz"), &page[..page.len() / 2]).unwrap();
    std::fs::write(
        p("not-gzip.html.gz"),
        b"\x1f\x8bthis is not deflate data at all",
    )
    .unwrap();
    std::fs::copy(data("bad/broken.rss"), p("broken.rss")).unwrap();
    std::fs::write(p("fake.warc"), b"<html><body>not a warc</body></html>").unwrap();
    std::fs::write(
        p("good.txt"),
        "Talks in London\n\nOfficials will meet on Wednesday.\n",
    )
    .unwrap();
    std::fs::create_dir(p("sub")).unwrap();
    std::fs::copy(data("article.html"), p("sub/page.html")).unwrap();
    // Hidden files are not news.
    std::fs::write(p(".DS_Store"), png).unwrap();

    let got = read_paths(&[dir.path().to_path_buf(), p("missing.txt")], false);
    let ids: Vec<&str> = got.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["good", "page"]);

    let reason = |name: &str| -> String {
        let hits: Vec<_> = got
            .skipped
            .iter()
            .filter(|s| s.source.ends_with(name))
            .collect();
        assert_eq!(hits.len(), 1, "{name}: {:?}", got.skipped);
        hits[0].reason.clone()
    };
    assert!(reason("photo.txt").contains("binary"));
    assert!(reason("photo.png").contains("binary"));
    assert!(reason("empty.txt").contains("empty"));
    assert!(reason("blank.md").contains("no text"));
    assert!(reason("cut.html.gz").contains("truncated"));
    assert!(!reason("not-gzip.html.gz").is_empty());
    assert!(reason("broken.rss").contains("malformed feed"));
    assert!(reason("fake.warc").contains("not a WARC"));
    assert!(!reason("missing.txt").is_empty());
    assert_eq!(got.skipped.len(), 9, "{:?}", got.skipped);
}

#[test]
fn truncated_warc_keeps_the_records_before_the_cut() {
    let got = read_path(&data("bad/truncated.warc"));
    let ids: Vec<&str> = got.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["truncated#3"]);
    assert_eq!(got.skipped.len(), 1, "{:?}", got.skipped);
    assert!(got.skipped[0].source.ends_with("truncated.warc#4"));
    assert!(got.skipped[0].reason.contains("bad WARC record"));
}

#[test]
fn warc_cut_inside_a_body_keeps_the_records_before_the_cut() {
    let raw = std::fs::read(data("crawl.warc")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.warc");
    // Half-way through the fourth record's body.
    let fourth = raw.len() - 700;
    std::fs::write(&path, &raw[..fourth]).unwrap();
    let got = read_path(&path);
    let ids: Vec<&str> = got.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["cut#3"]);
    assert_eq!(got.skipped.len(), 1, "{:?}", got.skipped);
    assert!(got.skipped[0].source.ends_with("cut.warc#4"));
    assert!(got.skipped[0].reason.contains("truncated"));
}

#[test]
fn warc_with_a_malformed_header_is_one_skip() {
    let got = read_path(&data("bad/bad-header.warc"));
    assert!(got.documents.is_empty());
    assert_eq!(got.skipped.len(), 1, "{:?}", got.skipped);
    assert!(got.skipped[0].source.ends_with("bad-header.warc#1"));
}

#[test]
fn truncated_gzip_jsonl_keeps_the_lines_before_the_cut() {
    let mut lines = String::new();
    for i in 0..2000 {
        lines.push_str(&format!(
            "{{\"id\": \"n{i}\", \"text\": \"Officials said talk number {i} would go ahead as planned on Wednesday in London.\"}}\n"
        ));
    }
    let gz = gzip(lines.as_bytes());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.jsonl.gz");
    std::fs::write(&path, &gz[..gz.len() * 3 / 4]).unwrap();
    let got = read_path(&path);
    assert!(got.documents.len() > 100, "{}", got.documents.len());
    assert!(got.documents.len() < 2000);
    assert_eq!(got.skipped.len(), 1, "{:?}", got.skipped);
    assert!(got.skipped[0].reason.contains("truncated"));
}

#[test]
fn non_utf8_text_is_decoded_not_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin.txt");
    let text = "Café talks\n\nThe café owners in Zaporizhzhia said they would reopen à la fin de la semaine, après les réparations.\n";
    let bytes: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    std::fs::write(&path, bytes).unwrap();
    let got = read_path(&path);
    assert!(got.skipped.is_empty(), "{:?}", got.skipped);
    assert_eq!(got.documents[0].title.as_deref(), Some("Café talks"));
    assert!(got.documents[0].text.contains("après les réparations"));
}

#[test]
fn html_without_an_article_is_a_skip_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nothing.html");
    std::fs::write(
        &path,
        "<html><head><title>x</title></head><body><nav></nav></body></html>",
    )
    .unwrap();
    let got = read_path(&path);
    assert!(got.documents.is_empty());
    assert_eq!(got.skipped.len(), 1);
}

#[test]
fn parse_feed_rejects_what_is_not_a_feed() {
    assert!(parse_feed(b"", "x.rss").is_err());
    assert!(parse_feed(b"{\"not\": \"a feed\"}", "x.rss").is_err());
    assert!(parse_feed(
        &std::fs::read(data("bad/broken.rss")).unwrap(),
        "broken.rss"
    )
    .is_err());
}

#[test]
fn oversized_single_documents_are_skipped_not_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.txt");
    let line = "Officials said the talks would go ahead as planned on Wednesday in London.\n";
    let size = crosscheck_ingest::MAX_DOCUMENT_BYTES as usize + line.len();
    std::fs::write(&path, line.repeat(size / line.len() + 1)).unwrap();
    let got = read_path(&path);
    assert!(got.documents.is_empty());
    assert_eq!(got.skipped.len(), 1);
    assert!(
        got.skipped[0].reason.contains("larger than 20 MB"),
        "{:?}",
        got.skipped
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "Talks\n\nOfficials met in London.\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    let got = read_paths(&[dir.path().to_path_buf()], false);
    assert_eq!(got.documents.len(), 1);
    assert!(got.skipped.is_empty(), "{:?}", got.skipped);
}
