//! WARC archives: every HTML response becomes a document. Records are streamed one at a time.

use std::cell::Cell;
use std::io::{BufRead, Read};
use std::rc::Rc;

use warc::{RecordType, WarcHeader, WarcReader};

use crate::encoding::content_type_charset;
use crate::{Ingested, MAX_DOCUMENT_BYTES};

/// Reads the HTML pages of a WARC file.
///
/// `response` records holding an HTTP response with an HTML body, and `resource` records of
/// type `text/html`, become documents: the URL from `WARC-Target-URI`, the publication date
/// from the page or else from `WARC-Date`. A record that cannot be parsed ends the file (the
/// format has no way to find the next record reliably) with one skip naming the record.
pub(crate) fn read_warc(reader: impl BufRead, source: &str, out: &mut Ingested) {
    let stem = crate::stem_of(source);
    let pos = Rc::new(Cell::new(0u64));
    let mut reader = WarcReader::new(Counting {
        inner: reader,
        pos: Rc::clone(&pos),
    });
    let mut records = reader.stream_records();
    let mut n = 0usize;
    // Where the last record read ends (body and its closing CRLF CRLF).
    let mut end_of_last = 0u64;
    loop {
        let Some(next) = records.next_item() else {
            // The reader ends quietly inside a cut-off header; bytes left over tell.
            if pos.get() > end_of_last {
                out.skip(
                    format!("{source}#{}", n + 1),
                    "bad WARC record: truncated header (unexpected end of data)".into(),
                );
            }
            return;
        };
        n += 1;
        let where_ = format!("{source}#{n}");
        let mut record = match next {
            Ok(r) => r,
            // The reader finds a cut-off body only when it moves past it to the next record.
            Err(warc::Error::UnexpectedEOB) => {
                out.skip(
                    format!("{source}#{}", n - 1),
                    "bad WARC record: truncated (unexpected end of data)".into(),
                );
                return;
            }
            Err(e) => {
                out.skip(where_, format!("bad WARC record: {e}"));
                return;
            }
        };
        end_of_last = pos.get() + record.content_length() + 4;
        let kind = record.warc_type().clone();
        if !matches!(kind, RecordType::Response | RecordType::Resource) {
            continue;
        }
        let content_type = record
            .header(WarcHeader::ContentType)
            .map(|c| c.to_ascii_lowercase())
            .unwrap_or_default();
        let target = record.header(WarcHeader::TargetURI).map(|u| {
            u.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        });
        let warc_date = record
            .date()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let is_http = content_type.starts_with("application/http");
        if !is_http && !content_type.starts_with("text/html") {
            continue;
        }
        let expected = record.content_length().min(MAX_DOCUMENT_BYTES + 1);
        let mut body = Vec::new();
        // Crawls are mostly images, scripts and styles: read only their HTTP headers.
        let head = (&mut record).take(HTTP_HEAD_BYTES).read_to_end(&mut body);
        if head.is_ok() && is_http && declares_non_html(&body) {
            continue;
        }
        if let Err(e) = head.and_then(|_| {
            (&mut record)
                .take(MAX_DOCUMENT_BYTES + 1 - body.len() as u64)
                .read_to_end(&mut body)
        }) {
            out.skip(where_, format!("bad WARC record: {}", crate::io_reason(&e)));
            return;
        }
        if (body.len() as u64) < expected {
            out.skip(
                where_,
                "bad WARC record: truncated (unexpected end of data)".into(),
            );
            return;
        }
        if body.len() as u64 > MAX_DOCUMENT_BYTES {
            out.skip(where_, "record larger than 20 MB".into());
            continue;
        }
        let (payload, charset) = if is_http {
            match http_payload(&body) {
                HttpPayload::Html { body, charset } => (body, charset),
                HttpPayload::NotHtml => continue,
                HttpPayload::Bad(reason) => {
                    out.skip(where_, reason);
                    continue;
                }
            }
        } else {
            (body, content_type_charset(&content_type))
        };
        let id = format!("{stem}#{n}");
        match crate::html::document_from_html_with_charset(
            &payload,
            charset,
            target.as_deref(),
            &id,
            &where_,
        ) {
            Ok(mut doc) => {
                if doc.published.is_none() {
                    doc.published = Some(warc_date);
                }
                out.documents.push(doc);
            }
            Err(reason) => out.skip(where_, reason),
        }
    }
}

/// Counts the bytes the WARC reader takes, to tell a clean end from a cut-off record.
struct Counting<R> {
    inner: R,
    pos: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos.set(self.pos.get() + n as u64);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.inner.consume(amt);
        self.pos.set(self.pos.get() + amt as u64);
    }
}

/// Enough of an HTTP response to hold its headers.
const HTTP_HEAD_BYTES: u64 = 64 * 1024;

/// True when complete HTTP headers say the body is not a page to read: an error or redirect
/// status, or a content type other than HTML.
fn declares_non_html(head: &[u8]) -> bool {
    let mut headers = [httparse::EMPTY_HEADER; 96];
    let mut response = httparse::Response::new(&mut headers);
    if !matches!(response.parse(head), Ok(httparse::Status::Complete(_))) {
        return false;
    }
    if response.code.is_some_and(|c| !(200..300).contains(&c)) {
        return true;
    }
    response
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-type"))
        .is_some_and(|h| {
            !String::from_utf8_lossy(h.value)
                .to_ascii_lowercase()
                .contains("html")
        })
}

enum HttpPayload {
    Html {
        body: Vec<u8>,
        charset: Option<&'static encoding_rs::Encoding>,
    },
    NotHtml,
    Bad(String),
}

/// Splits an HTTP response into headers and body, undoing chunked transfer and gzip/deflate
/// content encoding.
fn http_payload(raw: &[u8]) -> HttpPayload {
    let mut headers = [httparse::EMPTY_HEADER; 96];
    let mut response = httparse::Response::new(&mut headers);
    let header_len = match response.parse(raw) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return HttpPayload::Bad("truncated HTTP headers".into()),
        Err(e) => return HttpPayload::Bad(format!("bad HTTP response: {e}")),
    };
    if response.code.is_some_and(|c| !(200..300).contains(&c)) {
        return HttpPayload::NotHtml;
    }
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).to_ascii_lowercase())
    };
    let content_type = header("content-type").unwrap_or_default();
    let mut body = raw[header_len..].to_vec();
    if header("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        match dechunk(&body) {
            Some(b) => body = b,
            None => return HttpPayload::Bad("bad chunked HTTP body".into()),
        }
    }
    match header("content-encoding").as_deref().map(str::trim) {
        Some("gzip") | Some("x-gzip") => {
            let mut out = Vec::new();
            if let Err(e) = flate2::read::MultiGzDecoder::new(&body[..])
                .take(MAX_DOCUMENT_BYTES + 1)
                .read_to_end(&mut out)
            {
                return HttpPayload::Bad(format!("bad gzip HTTP body: {e}"));
            }
            body = out;
        }
        Some("deflate") => {
            let mut out = Vec::new();
            if let Err(e) = flate2::read::ZlibDecoder::new(&body[..])
                .take(MAX_DOCUMENT_BYTES + 1)
                .read_to_end(&mut out)
            {
                return HttpPayload::Bad(format!("bad deflate HTTP body: {e}"));
            }
            body = out;
        }
        _ => {}
    }
    let html = if content_type.is_empty() {
        crate::sniff(&body) == Some(crate::Format::Html)
    } else {
        content_type.contains("html")
    };
    if !html {
        return HttpPayload::NotHtml;
    }
    HttpPayload::Html {
        body,
        charset: content_type_charset(&content_type),
    }
}

/// Undoes HTTP/1.1 chunked transfer coding; `None` when the framing is broken.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    loop {
        let eol = data.windows(2).position(|w| w == b"\r\n")?;
        let size_field = std::str::from_utf8(&data[..eol]).ok()?;
        let size_hex = size_field.split(';').next()?.trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        data = &data[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        let chunk = data.get(..size)?;
        out.extend_from_slice(chunk);
        data = data.get(size..)?;
        data = data.strip_prefix(b"\r\n").unwrap_or(data);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies_are_joined() {
        assert_eq!(
            dechunk(b"5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n").as_deref(),
            Some(&b"hello world"[..])
        );
        assert_eq!(dechunk(b"zz\r\nhello"), None);
    }
}
