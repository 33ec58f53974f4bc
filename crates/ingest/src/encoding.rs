//! Bytes to text: byte-order marks and declared charsets first, then UTF-8, then a guess.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use once_cell::sync::Lazy;
use regex::bytes::Regex;

/// How far into a page a `<meta charset>` is looked for; the HTML standard's prescan reads
/// 1024 bytes, real pages put long `<head>`s first, so we look a little further.
const META_PRESCAN_BYTES: usize = 4096;

/// True for content that is not text: NUL bytes, or many control characters, in its head.
pub(crate) fn is_binary(bytes: &[u8]) -> bool {
    if Encoding::for_bom(bytes).is_some() {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    controls * 20 > head.len()
}

/// The charset a page declares in its first bytes (`<meta charset>` or `http-equiv`).
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    static META: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r#"(?i-u)<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#)
            .expect("valid regex")
    });
    let head = &bytes[..bytes.len().min(META_PRESCAN_BYTES)];
    let label = META.captures(head)?.get(1)?.as_bytes();
    Encoding::for_label(label)
}

/// The charset from a `Content-Type` header value such as `text/html; charset=ISO-8859-1`.
pub(crate) fn content_type_charset(content_type: &str) -> Option<&'static Encoding> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset=")?;
    let label = lower[at + 8..]
        .trim_start_matches(['"', '\''])
        .split(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
        .next()?;
    Encoding::for_label(label.as_bytes())
}

/// Decodes a web page: BOM, then the charset the transport declared, then the page's own
/// declaration, then UTF-8 when the bytes are valid UTF-8, then chardetng's guess.
pub(crate) fn decode_html(
    bytes: &[u8],
    declared: Option<&'static Encoding>,
    url: Option<&str>,
) -> String {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
    }
    // A page cannot declare UTF-16 in ASCII-compatible bytes; browsers read it as UTF-8.
    let declared = declared.or_else(|| meta_charset(bytes)).map(|e| {
        if e == UTF_16LE || e == UTF_16BE {
            UTF_8
        } else {
            e
        }
    });
    match declared {
        Some(enc) if enc != UTF_8 => enc.decode_without_bom_handling(bytes).0.into_owned(),
        _ => match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => guess(bytes, url)
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
        },
    }
}

/// Decodes a plain-text file: BOM, UTF-8, else chardetng's guess. Fails on binary content.
pub(crate) fn decode_text(bytes: &[u8]) -> Result<String, String> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return Ok(enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned());
    }
    if is_binary(bytes) {
        return Err("binary content, not text".into());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => {
            let (text, _, malformed) = guess(bytes, None).decode(bytes);
            if malformed {
                Err("undecodable text: no character encoding fits".into())
            } else {
                Ok(text.into_owned())
            }
        }
    }
}

fn guess(bytes: &[u8], url: Option<&str>) -> &'static Encoding {
    let tld = url
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(str::to_string))
        .and_then(|h| h.rsplit('.').next().map(str::to_ascii_lowercase));
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(tld.as_deref().map(str::as_bytes), Utf8Detection::Deny)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset_wins_over_guessing() {
        let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head><body>caf\xe9</body></html>";
        assert!(decode_html(page, None, None).contains("café"));
        assert_eq!(
            content_type_charset("text/html; charset=\"windows-1251\""),
            Encoding::for_label(b"windows-1251")
        );
    }

    #[test]
    fn utf16_with_bom_is_not_binary() {
        let bytes: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("hi".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert!(!is_binary(&bytes));
        assert_eq!(decode_text(&bytes).unwrap(), "hi");
    }
}
