//! Reads news from files: plain text, Markdown, HTML, RSS/Atom, WARC, JSON Lines; extracts main text and metadata.
//!
//! Every reader turns its input into [`Document`]s. Bad input never stops a run: a file (or a
//! line or record of a container) that cannot be read becomes one [`Skipped`] naming it and the
//! reason, and everything else is still read. Containers (JSONL, WARC, gzip) are streamed; a
//! single page or text larger than [`MAX_DOCUMENT_BYTES`] is skipped rather than loaded.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use crosscheck_model::Document;
pub use crosscheck_model::Skipped;
use rayon::prelude::*;

mod encoding;
mod feed;
mod html;
mod jsonl;
mod text;
mod warc;

pub use feed::parse_feed;
pub use html::document_from_html;
pub use text::document_from_text;

/// The largest single page or text read; larger ones are skipped with a reason.
pub const MAX_DOCUMENT_BYTES: u64 = 20 * 1024 * 1024;

/// How many leading bytes are read to recognise a format.
const SNIFF_BYTES: usize = 8192;

/// Documents read from a set of inputs, and the inputs that could not be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ingested {
    pub documents: Vec<Document>,
    pub skipped: Vec<Skipped>,
}

impl Ingested {
    fn skip(&mut self, source: String, reason: String) {
        self.skipped.push(Skipped { source, reason });
    }

    fn extend(&mut self, other: Ingested) {
        self.documents.extend(other.documents);
        self.skipped.extend(other.skipped);
    }
}

/// The input formats, recognised by file name or, failing that, by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Text,
    Html,
    Feed,
    Warc,
    Jsonl,
}

/// Reads files and folders (recursively, in sorted order, hidden entries left out), files in
/// parallel. Document ids are made unique across the run by suffixing repeats with `~2`, `~3`, ….
/// With `progress`, a progress bar is drawn on stderr when stderr is a terminal.
pub fn read_paths(paths: &[PathBuf], progress: bool) -> Ingested {
    let mut out = Ingested::default();
    let mut files = Vec::new();
    let mut seen_dirs = HashSet::new();
    for path in paths {
        collect_files(path, &mut files, &mut seen_dirs, &mut out);
    }
    let bar = (progress && std::io::IsTerminal::is_terminal(&std::io::stderr())).then(|| {
        let bar = indicatif::ProgressBar::new(files.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} reading {pos}/{len} files [{bar:30}] {elapsed_precise} {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar
    });
    let results: Vec<Ingested> = files
        .par_iter()
        .map(|f| {
            let r = read_file(f);
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            r
        })
        .collect();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    for r in results {
        out.extend(r);
    }
    make_ids_unique(&mut out.documents);
    out
}

/// Reads one file in any supported format (a folder is read as by [`read_paths`]).
pub fn read_path(path: &Path) -> Ingested {
    if path.is_dir() {
        return read_paths(&[path.to_path_buf()], false);
    }
    let mut out = read_file(path);
    make_ids_unique(&mut out.documents);
    out
}

fn collect_files(
    path: &Path,
    files: &mut Vec<PathBuf>,
    seen_dirs: &mut HashSet<PathBuf>,
    out: &mut Ingested,
) {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            out.skip(path.display().to_string(), io_reason(&e));
            return;
        }
    };
    if !meta.is_dir() {
        files.push(path.to_path_buf());
        return;
    }
    // A symbolic link back up the tree would otherwise be walked forever.
    if !seen_dirs.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())) {
        return;
    }
    let entries = match std::fs::read_dir(path) {
        Ok(rd) => rd,
        Err(e) => {
            out.skip(path.display().to_string(), io_reason(&e));
            return;
        }
    };
    let mut children: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    children.sort();
    for child in children {
        collect_files(&child, files, seen_dirs, out);
    }
}

/// The domain of a URL without its `www.`: the outlet of a page that does not name its site.
pub(crate) fn domain_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    url.host_str()
        .map(|h| h.trim_start_matches("www.").to_string())
}

/// The file name without directories and without format and compression extensions
/// (`html/001.html.gz` → `001`).
pub(crate) fn stem_of(source: &str) -> String {
    let name = source.rsplit(['/', '\\']).next().unwrap_or(source);
    let name = name.split('#').next().unwrap_or(name);
    let mut stem = name;
    for _ in 0..2 {
        if let Some((head, ext)) = stem.rsplit_once('.') {
            if (!head.is_empty() && format_of_extension(ext).is_some()) || ext == "gz" {
                stem = head;
            }
        }
    }
    if stem.is_empty() {
        name.to_string()
    } else {
        stem.to_string()
    }
}

fn format_of_extension(ext: &str) -> Option<Format> {
    match ext.to_ascii_lowercase().as_str() {
        "txt" | "text" | "md" | "markdown" => Some(Format::Text),
        "html" | "htm" | "xhtml" | "shtml" => Some(Format::Html),
        "rss" | "atom" | "xml" | "rdf" => Some(Format::Feed),
        "warc" => Some(Format::Warc),
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        _ => None,
    }
}

/// Recognises a format from a file's first bytes.
pub(crate) fn sniff(head: &[u8]) -> Option<Format> {
    if head.starts_with(b"WARC/") {
        return Some(Format::Warc);
    }
    let text = String::from_utf8_lossy(&head[..head.len().min(2048)]).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with("<?xml") || text.starts_with("<rss") || text.starts_with("<feed") {
        if text.contains("<rss") || text.contains("<feed") || text.contains("<rdf:rdf") {
            return Some(Format::Feed);
        }
        if text.contains("<html") {
            return Some(Format::Html);
        }
        return None;
    }
    if text.starts_with("<!doctype html")
        || text.starts_with("<html")
        || text.starts_with("<head")
        || text.starts_with("<body")
        || (text.starts_with("<!--") && text.contains("<html"))
    {
        return Some(Format::Html);
    }
    if text.starts_with('{') {
        return Some(Format::Jsonl);
    }
    None
}

/// Opens a file for streaming, undoing gzip compression (recognised by its magic bytes),
/// and returns its first bytes for sniffing along with a reader over the whole content.
fn open(path: &Path) -> std::io::Result<(Vec<u8>, Box<dyn BufRead + Send>)> {
    let mut file = BufReader::with_capacity(64 * 1024, File::open(path)?);
    let gz = file.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let mut inner: Box<dyn Read + Send> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    (&mut inner)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)?;
    let reader = BufReader::with_capacity(64 * 1024, Cursor::new(head.clone()).chain(inner));
    Ok((head, Box::new(reader)))
}

/// Turns an I/O error into a reason a person understands.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => "truncated file (unexpected end of data)".into(),
        std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData => {
            format!("corrupt data: {e}")
        }
        _ => e.to_string(),
    }
}

fn read_all(reader: &mut dyn BufRead) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_reason(&e))?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(format!(
            "larger than {} MB: not a single article",
            MAX_DOCUMENT_BYTES / (1024 * 1024)
        ));
    }
    Ok(bytes)
}

fn read_file(path: &Path) -> Ingested {
    let mut out = Ingested::default();
    let source = path.display().to_string();
    let (head, mut reader) = match open(path) {
        Ok(r) => r,
        Err(e) => {
            out.skip(source, io_reason(&e));
            return out;
        }
    };
    if head.is_empty() {
        out.skip(source, "empty file".into());
        return out;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let by_name = name
        .rsplit_once('.')
        .and_then(|(_, ext)| format_of_extension(ext));
    let format = match (by_name, sniff(&head)) {
        // `.xml` names many things: trust the content.
        (Some(Format::Feed), sniffed) if name.ends_with(".xml") => sniffed,
        (Some(Format::Feed), Some(Format::Html)) => Some(Format::Html),
        (Some(f), _) => Some(f),
        (None, sniffed) => sniffed.or_else(|| {
            (!name.contains('.') && !encoding::is_binary(&head)).then_some(Format::Text)
        }),
    };
    let Some(format) = format else {
        let reason = if encoding::is_binary(&head) {
            "binary file, not a supported format".to_string()
        } else {
            "unsupported file type".to_string()
        };
        out.skip(source, reason);
        return out;
    };
    let stem = stem_of(&source);
    match format {
        Format::Jsonl => jsonl::read_jsonl(reader, &source, &mut out),
        Format::Warc => {
            if head.starts_with(b"WARC/") {
                warc::read_warc(reader, &source, &mut out);
            } else {
                out.skip(source, "not a WARC file (no WARC/ version line)".into());
            }
        }
        Format::Text | Format::Html | Format::Feed => {
            let bytes = match read_all(&mut reader) {
                Ok(b) => b,
                Err(reason) => {
                    out.skip(source, reason);
                    return out;
                }
            };
            let result = match format {
                Format::Text => encoding::decode_text(&bytes)
                    .map(|t| vec![document_from_text(&t, &stem, &source)]),
                Format::Html => document_from_html(&bytes, None, &stem, &source).map(|d| vec![d]),
                _ => parse_feed(&bytes, &source),
            };
            match result {
                Ok(docs) if docs.iter().all(|d| d.blocks.is_empty()) => {
                    out.skip(source, "no text".into())
                }
                Ok(docs) => out
                    .documents
                    .extend(docs.into_iter().filter(|d| !d.blocks.is_empty())),
                Err(reason) => out.skip(source, reason),
            }
        }
    }
    out
}

fn make_ids_unique(docs: &mut [Document]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for doc in docs.iter_mut() {
        let count = seen.entry(doc.id.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            let mut n = *count;
            let mut candidate = format!("{}~{n}", doc.id);
            while seen.contains_key(&candidate) {
                n += 1;
                candidate = format!("{}~{n}", doc.id);
            }
            seen.insert(candidate.clone(), 1);
            doc.id = candidate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_drop_format_and_compression_extensions() {
        assert_eq!(stem_of("a/b/001_x.txt"), "001_x");
        assert_eq!(stem_of("html/abc.html.gz"), "abc");
        assert_eq!(stem_of("crawl.warc.gz#3"), "crawl");
        assert_eq!(stem_of("notes.v2.txt"), "notes.v2");
        assert_eq!(stem_of(".txt"), ".txt");
    }

    #[test]
    fn repeated_ids_get_suffixes() {
        let mk = |id: &str| Document::from_blocks(id, "s", []);
        let mut docs = vec![mk("a"), mk("a"), mk("a~2"), mk("a")];
        make_ids_unique(&mut docs);
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "a~2", "a~2~2", "a~3"]);
    }
}
