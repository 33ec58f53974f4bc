//! Comparison keys for words, so that a summary and its source compare slot by slot whatever
//! their spelling conventions: Penn-Treebank tokenised text (`-LRB-`, `did n't`, ` 's`), case,
//! inflection, number words and digit separators.

use once_cell::sync::Lazy;
use regex::Regex;
use rust_stemmers::{Algorithm, Stemmer};

use crosscheck_model::Span;
use crosscheck_text::{MONTHS, WEEKDAYS};

static STEMMER: Lazy<Stemmer> = Lazy::new(|| Stemmer::create(Algorithm::English));

/// Clitics that PTB tokenisation splits off the word they belong to.
static CLITIC: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?i) (n't|'s|'re|'ve|'ll|'d|'m)\b").expect("valid regex"));

/// Undoes Penn-Treebank tokenisation (and the `\'` escaping of some corpora) so that a
/// tokenised summary reads like its untokenised source.
pub fn detokenize(text: &str) -> String {
    let mut t = text.replace("\\'", "'");
    for (from, to) in [
        ("-LRB-", "("),
        ("-RRB-", ")"),
        ("-LSB-", "["),
        ("-RSB-", "]"),
        ("-LCB-", "{"),
        ("-RCB-", "}"),
        ("-lrb-", "("),
        ("-rrb-", ")"),
        ("-lsb-", "["),
        ("-rsb-", "]"),
        ("``", "\""),
        ("''", "\""),
        ("`", "'"),
    ] {
        if t.contains(from) {
            t = t.replace(from, to);
        }
    }
    CLITIC.replace_all(&t, "$1").into_owned()
}

/// What a word is, for the comparison of slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A function word, or a generator's placeholder for an unknown word (`UNK`, which states
    /// nothing checkable): used in word n-grams, never compared alone.
    Stop,
    Content,
    /// A number, an ordinal or a calendar word (month, weekday): a value that must match.
    Value,
    /// A negation: its presence must agree between claim and source.
    Negation,
}

/// One word of a text: its comparison key and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub key: String,
    pub class: Class,
    /// Byte span in the text the words were read from.
    pub span: Span,
    /// Written with a capital letter.
    pub capital: bool,
}

const NUMBER_WORDS: &[(&str, &str)] = &[
    ("one", "1"),
    ("two", "2"),
    ("three", "3"),
    ("four", "4"),
    ("five", "5"),
    ("six", "6"),
    ("seven", "7"),
    ("eight", "8"),
    ("nine", "9"),
    ("ten", "10"),
    ("eleven", "11"),
    ("twelve", "12"),
    ("twenty", "20"),
    ("thirty", "30"),
    ("forty", "40"),
    ("fifty", "50"),
    ("hundred", "100"),
    ("thousand", "1000"),
    ("million", "1000000"),
    ("billion", "1000000000"),
    ("first", "1st"),
    ("second", "2nd"),
    ("third", "3rd"),
    ("fourth", "4th"),
    ("fifth", "5th"),
];

const NEGATIONS: &[&str] = &[
    "not", "no", "never", "nobody", "nothing", "none", "neither", "nor",
];

/// The words of `text` with their keys. `text` should already be [`detokenize`]d where it may
/// be PTB-tokenised; spans are byte offsets into `text` as given.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    for tok in crosscheck_text::tokens(text) {
        let surface = &text[tok.span.start..tok.span.end];
        let capital = surface.chars().next().is_some_and(char::is_uppercase);
        let mut norm = tok.norm.as_str();
        if let Some(base) = norm.strip_suffix("'s") {
            norm = base;
        }
        let norm = norm.trim_end_matches('\'');
        let negated = norm.strip_suffix("n't");
        let base = negated.unwrap_or(norm);
        for part in base.split('-').filter(|p| !p.is_empty()) {
            match split_unit(part) {
                Some((number, unit)) => {
                    push(&mut out, &number.replace(',', ""), tok.span, false);
                    push(&mut out, unit, tok.span, false);
                }
                None if part.starts_with(|c: char| c.is_ascii_digit()) => {
                    push(&mut out, &part.replace(',', ""), tok.span, false)
                }
                None => push(&mut out, part, tok.span, capital),
            }
        }
        if negated.is_some() {
            push(&mut out, "not", tok.span, false);
        }
    }
    out
}

/// `8pm` → (`8`, `pm`), `5km` → (`5`, `km`), so that `8 pm` and `8pm` agree; ordinals (`19th`)
/// stay whole.
fn split_unit(part: &str) -> Option<(&str, &str)> {
    let digits = part.find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))?;
    let (number, unit) = part.split_at(digits);
    let ordinal = matches!(unit, "st" | "nd" | "rd" | "th");
    (!number.is_empty() && !ordinal && unit.chars().all(|c| c.is_alphabetic()))
        .then_some((number, unit))
}

fn push(out: &mut Vec<Word>, part: &str, span: Span, capital: bool) {
    let (key, class) = if let Some((_, digits)) = NUMBER_WORDS.iter().find(|(w, _)| *w == part) {
        (digits.to_string(), Class::Value)
    } else if part.starts_with(|c: char| c.is_ascii_digit()) || is_calendar_word(part) {
        (part.to_string(), Class::Value)
    } else if NEGATIONS.contains(&part) {
        ("not".to_string(), Class::Negation)
    } else if crosscheck_text::is_stopword(part) || part.chars().count() < 2 || part == "unk" {
        (part.to_string(), Class::Stop)
    } else {
        (STEMMER.stem(part).into_owned(), Class::Content)
    };
    out.push(Word {
        key,
        class,
        span,
        capital,
    });
}

/// Extra sentence breaks inside a span that the segmenter left whole: scraped text that lost
/// the space after a full stop (`Cenotaph.Anzac`) and PTB text whose stops stand alone
/// (`in 2012 . she moved`). Returns sub-spans of `span`, trimmed.
pub fn split_glued(text: &str, span: Span) -> Vec<Span> {
    let s = &text[span.start..span.end];
    let bytes = s.as_bytes();
    let mut cuts = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        if !matches!(b, b'.' | b'!' | b'?') || i == 0 || i + 1 >= bytes.len() {
            continue;
        }
        let prev = bytes[i - 1];
        let mut j = i + 1;
        if matches!(bytes[j], b'"' | b'\'') && j + 1 < bytes.len() {
            j += 1;
        }
        let next = bytes[j];
        let glued = (prev.is_ascii_lowercase() || prev.is_ascii_digit() || prev == b')')
            && next.is_ascii_uppercase()
            && !is_initialism(bytes, i);
        let standalone = prev == b' '
            && next == b' '
            && bytes.get(j + 1).is_some_and(|c| c.is_ascii_alphanumeric());
        if glued || standalone {
            cuts.push(span.start + j);
        }
    }
    let mut out = Vec::new();
    let mut start = span.start;
    for cut in cuts.into_iter().chain([span.end]) {
        let piece = &text[start..cut];
        let lead = piece.len() - piece.trim_start().len();
        let body = piece.trim();
        if body.chars().any(char::is_alphanumeric) {
            out.push(Span::new(start + lead, start + lead + body.len()));
        }
        start = cut;
    }
    out
}

/// `U.S.` or `e.g.`: a single letter before the stop that follows another stop.
fn is_initialism(bytes: &[u8], stop: usize) -> bool {
    stop >= 2 && (bytes[stop - 2] == b'.' || !bytes[stop - 2].is_ascii_alphanumeric())
}

/// Month and weekday names are values to compare; "may" is left out as it is mostly the verb.
fn is_calendar_word(word: &str) -> bool {
    (word != "may" && MONTHS.contains(&word)) || WEEKDAYS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        words(&detokenize(text))
            .into_iter()
            .map(|w| w.key)
            .collect()
    }

    #[test]
    fn ptb_and_plain_text_get_the_same_keys() {
        assert_eq!(
            keys("Chris Copeland -LRB- 31 -RRB- did n't play for the Knicks ' last 3,000 games"),
            keys("chris copeland (31) didn't play for the knicks' last 3000 games")
        );
        assert_eq!(
            keys("Angelina Jolie 's character"),
            keys("angelina jolie's character")
        );
        assert_eq!(keys("two players stabbed"), keys("2 player stabbing"));
        assert_eq!(
            keys("the 26-year-old left at 8pm"),
            keys("the 26 year old left at 8 pm")
        );
        assert_eq!(keys("his 19th goal"), ["his", "19th", "goal"]);
    }

    #[test]
    fn classes_mark_values_and_negations() {
        let w = words("He never scored 17 goals in April for the club");
        let class = |k: &str| w.iter().find(|w| w.key == k).map(|w| w.class);
        assert_eq!(class("not"), Some(Class::Negation));
        assert_eq!(class("17"), Some(Class::Value));
        assert_eq!(class("april"), Some(Class::Value));
        assert_eq!(class("goal"), Some(Class::Content));
        assert_eq!(class("the"), Some(Class::Stop));
    }

    #[test]
    fn glued_and_standalone_stops_split() {
        let text = "up to 400 people took part.Anzac Day commemorates the U.S. forces. in 2012 . she moved";
        let spans = split_glued(text, Span::new(0, text.len()));
        let parts: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(
            parts,
            [
                "up to 400 people took part.",
                "Anzac Day commemorates the U.S. forces. in 2012 .",
                "she moved"
            ]
        );
    }
}
