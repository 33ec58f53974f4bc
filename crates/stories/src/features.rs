//! Compact lexical features of a document: hashed content words with counts.
//!
//! Clustering runs over millions of articles, so words become 32-bit hashes and the folding of
//! plain ASCII words skips the allocation `crosscheck_text::fold_word` makes; the words are the
//! same as `crosscheck_text::content_words` yields (a test checks it).

use crosscheck_model::Document;
use std::sync::OnceLock;

/// A stable 64-bit FNV-1a hash: ids derived from it stay the same across runs and platforms.
pub(crate) fn fnv64(bytes: &[u8]) -> u64 {
    fnv_extend(0xcbf2_9ce4_8422_2325, bytes)
}

pub(crate) fn fnv_extend(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

pub(crate) fn term_hash(word: &str) -> u32 {
    fold32(fnv64(word.as_bytes()))
}

fn fold32(h: u64) -> u32 {
    (h ^ (h >> 32)) as u32
}

/// Words that may be stop words: `crosscheck_text::is_stopword` scans a list, far too slow once
/// per token over millions of articles, so its answers for these candidates (a superset of its
/// list) are looked up by hash instead. Filtering through `is_stopword` keeps the two in step:
/// a candidate it rejects is content here too.
const STOPWORD_CANDIDATES: &str = "a about above after again against all also am an and any are \
    as at be because been before being below between both but by can could did do does doing \
    down during each few for from further had has have having he her here hers herself him \
    himself his how i if in into is it it's its itself just me more most my myself no nor not now \
    of off on once only or other our ours ourselves out over own said same she should so some \
    such than that the their theirs them themselves then there these they this those through to \
    too under until up very was we were what when where which while who whom why will with \
    would you your yours yourself yourselves says say mr mrs ms s t may might must shall upon \
    within without via per yet however though although";

fn stopword_hashes() -> &'static rustc_hash::FxHashSet<u32> {
    static SET: OnceLock<rustc_hash::FxHashSet<u32>> = OnceLock::new();
    SET.get_or_init(|| {
        STOPWORD_CANDIDATES
            .split_whitespace()
            .filter(|w| crosscheck_text::is_stopword(w))
            .map(term_hash)
            .collect()
    })
}

fn is_content(word: &str, hash: u32) -> bool {
    if word.chars().nth(1).is_none() {
        return false;
    }
    // Every English stop word is at most ten bytes long.
    word.len() > 10 || !stopword_hashes().contains(&hash)
}

const LOWER_OR_DIGIT: u8 = 1;
const UPPER: u8 = 2;
/// ASCII letters and digits by byte; 0 for everything else (non-ASCII bytes included).
static ASCII_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_uppercase() {
            UPPER
        } else if c.is_ascii_alphanumeric() {
            LOWER_OR_DIGIT
        } else {
            0
        };
        b += 1;
    }
    t
};

/// Calls `f` with each folded word token of `text`, splitting exactly as
/// `crosscheck_text::tokens` does. Works on bytes where the text is ASCII (most news text is),
/// and folds words without allocating unless they hold letters beyond ASCII.
pub(crate) fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut buf = String::new();
    let mut i = 0;
    while i < n {
        let b = bytes[i];
        if b < 0x80 {
            if !b.is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
        } else {
            let c = next_char(text, i);
            if !c.is_alphanumeric() {
                i += c.len_utf8();
                continue;
            }
        }
        let start = i;
        let mut end = i;
        // Whether the word is ASCII apart from curly apostrophes, which fold to '\''.
        let mut simple = true;
        let mut upper = false;
        loop {
            while let Some(&class) = bytes.get(end).map(|&b| &ASCII_CLASS[b as usize]) {
                if class == 0 {
                    break;
                }
                upper |= class == UPPER;
                end += 1;
            }
            if end >= n {
                break;
            }
            let c = next_char(text, end);
            if c.is_alphanumeric() {
                simple = false;
                end += c.len_utf8();
                continue;
            }
            let after = end + c.len_utf8();
            let next = (after < n).then(|| next_char(text, after));
            let joiner = match c {
                '\'' | '’' | '-' | '‐' => true,
                // The character before is a digit exactly when its last byte is one.
                ',' | '.' => {
                    bytes[end - 1].is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit())
                }
                _ => false,
            };
            if joiner && next.is_some_and(char::is_alphanumeric) {
                simple &= c != '‐';
                end = after;
            } else {
                break;
            }
        }
        let word = &text[start..end];
        if !simple {
            f(&crosscheck_text::fold_word(word));
        } else if !upper && word.is_ascii() {
            f(word);
        } else {
            buf.clear();
            for c in word.chars() {
                buf.push(if c == '’' {
                    '\''
                } else {
                    c.to_ascii_lowercase()
                });
            }
            f(&buf);
        }
        i = end;
    }
}

fn next_char(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or(' ')
}

/// The hashed content words of `text`, in order.
pub(crate) fn content_terms(text: &str, out: &mut Vec<u32>) {
    for_each_word(text, |w| push_content(w, out));
}

fn push_content(w: &str, out: &mut Vec<u32>) {
    if w.len() < 2 {
        return;
    }
    // The stem is a prefix of the word, so one pass of the hash gives both.
    let stem_len = stem(w).len();
    let h_stem = fnv64(&w.as_bytes()[..stem_len]);
    let h_word = fnv_extend(h_stem, &w.as_bytes()[stem_len..]);
    if is_content(w, fold32(h_word)) {
        out.push(fold32(h_stem));
    }
}

/// A light English stemmer: drops the possessive and the inflections that rewrites change most
/// (`cats`/`cat`, `appointed`/`appoints`, `cities`/`city` meet at a common prefix). The stem is
/// always a prefix of the word.
/// Long enough stems only, so that short words are not mangled into each other.
pub(crate) fn stem(w: &str) -> &str {
    let w = w.strip_suffix("'s").unwrap_or(w);
    if !w.is_ascii() {
        return w;
    }
    if let Some(s) = w.strip_suffix("ies").filter(|s| s.len() >= 3) {
        return s;
    }
    if let Some(s) = w.strip_suffix('y').filter(|s| s.len() >= 3) {
        return s;
    }
    let w = match w.strip_suffix('s') {
        Some(s) if s.len() >= 3 && !s.ends_with('s') && !s.ends_with('u') && !s.ends_with('i') => s,
        _ => w,
    };
    for suffix in ["ing", "ed", "e"] {
        if let Some(s) = w.strip_suffix(suffix).filter(|s| s.len() >= 4) {
            return s;
        }
    }
    w
}

/// What clustering knows about one document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocFeatures {
    /// Hashed content words with their counts, sorted by hash.
    pub terms: Vec<(u32, u32)>,
    /// Publication day (days since 1970-01-01) when known.
    pub day: Option<i32>,
    /// The folded title (or first headline), for naming stories.
    pub title: String,
    /// A hash of the folded text, for content-derived story ids.
    pub fingerprint: u64,
}

impl DocFeatures {
    pub fn from_document(doc: &Document) -> Self {
        let title = doc
            .title
            .clone()
            .or_else(|| {
                doc.blocks
                    .iter()
                    .find(|b| b.kind == crosscheck_model::BlockKind::Headline)
                    .map(|b| doc.block_text(b).to_string())
            })
            .unwrap_or_default();
        let day = doc.published_date().map(|d| {
            (d - chrono_epoch())
                .num_days()
                .clamp(i32::MIN as i64, i32::MAX as i64) as i32
        });
        Self::from_parts(&title, &doc.text, day)
    }

    /// Features of a text with an optional title and publication day.
    pub fn from_parts(title: &str, text: &str, day: Option<i32>) -> Self {
        let mut hashes = Vec::with_capacity(text.len() / 8);
        content_terms(title, &mut hashes);
        let mut fp = fnv64(title.trim().as_bytes());
        for_each_word(text, |w| {
            fp = fnv_extend(fp, w.as_bytes());
            fp = fnv_extend(fp, b" ");
            push_content(w, &mut hashes);
        });
        hashes.sort_unstable();
        let mut terms: Vec<(u32, u32)> = Vec::with_capacity(hashes.len());
        for h in hashes {
            match terms.last_mut() {
                Some((t, n)) if *t == h => *n += 1,
                _ => terms.push((h, 1)),
            }
        }
        DocFeatures {
            terms,
            day,
            title: title.trim().chars().take(200).collect(),
            fingerprint: fp,
        }
    }
}

fn chrono_epoch() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_meet() {
        for (a, b) in [
            ("cats", "cat"),
            ("appointed", "appoints"),
            ("ceasefires", "ceasefire"),
            ("countries", "country"),
            ("cities", "city"),
            ("ukraine's", "ukraine"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} {b}");
            // `push_content` hashes the stem and the word in one pass.
            assert!(a.starts_with(stem(a)) && b.starts_with(stem(b)));
        }
        assert_ne!(stem("bus"), stem("bu"));
    }

    #[test]
    fn content_words_match_the_shared_ones_on_real_text() {
        let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");
        let Ok(entries) = std::fs::read_dir(format!("{shared}/corpus/seeds")) else {
            eprintln!("skipping: ../shared not found");
            return;
        };
        let mut texts: Vec<String> = entries
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        // Over a thousand news articles with curly quotes, accents, numbers and dashes.
        let frank = format!("{shared}/bench/stories/frank-stories-valid.jsonl");
        for line in std::fs::read_to_string(frank).unwrap_or_default().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            texts.push(v["text"].as_str().unwrap_or_default().to_string());
        }
        for text in &texts {
            assert_terms_match_the_shared_content_words(text);
        }
    }

    fn assert_terms_match_the_shared_content_words(text: &str) {
        let mut hashed = Vec::new();
        content_terms(text, &mut hashed);
        let expected: Vec<u32> = crosscheck_text::content_words(text)
            .map(|w| term_hash(stem(&w)))
            .collect();
        assert_eq!(hashed, expected);
    }

    #[test]
    fn words_match_the_shared_tokeniser() {
        let text = "Ukraine’s 30-hour truce: almost 3,000 violations (2.5%), \"end\". Zelenskyy's \
                    Kyïv — the War has been going on for over three years; it's 'quoted' co-op- x \
                    ÉTÉ Straße ﬁne 1.5.x a‐b ’twas rock’n’roll O’Neill’s 2’ 3,a x, 4.5.6 ñ1 ǅ";
        let mut ours = Vec::new();
        for_each_word(text, |w| ours.push(w.to_string()));
        let theirs: Vec<String> = crosscheck_text::tokens(text)
            .into_iter()
            .map(|t| t.norm)
            .collect();
        assert_eq!(ours, theirs);
        assert_terms_match_the_shared_content_words(text);
    }
}
