//! Words of a sentence with their offsets, the unit every extractor walks over.

use std::sync::LazyLock;

use crosscheck_text::fold_word;
use regex::Regex;

/// Abbreviations with inner dots (`U.S.`), numbers with separators (`3,000`, `2.5`), and words
/// with inner apostrophes or hyphens (`Ukraine's`, `30-hour`).
static WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\p{Lu}\.){2,}|[\p{L}\p{N}]+(?:[.,]\p{N}+)*(?:['’‐-][\p{L}\p{N}]+)*").unwrap()
});

#[derive(Debug, Clone)]
pub(crate) struct Word<'a> {
    /// Byte offsets into the sentence.
    pub start: usize,
    pub end: usize,
    /// End of the word without a possessive `'s`.
    pub base_end: usize,
    pub text: &'a str,
    /// Folded, possessive dropped.
    pub fold: String,
    pub cap: bool,
    pub possessive: bool,
    /// The characters between the previous word and this one.
    pub gap: &'a str,
}

impl Word<'_> {
    pub fn base(&self) -> &str {
        &self.text[..self.base_end - self.start]
    }

    /// Whether only white space separates this word from the previous one.
    pub fn joined(&self) -> bool {
        self.gap.chars().all(char::is_whitespace)
    }
}

pub(crate) fn words(s: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut prev = 0;
    for m in WORD.find_iter(s) {
        let text = m.as_str();
        let (base, possessive) = match text.strip_suffix("'s").or_else(|| text.strip_suffix("’s"))
        {
            Some(b) if !b.is_empty() => (b, true),
            _ => (text, false),
        };
        out.push(Word {
            start: m.start(),
            end: m.end(),
            base_end: m.start() + base.len(),
            text,
            fold: fold_word(base),
            cap: text.chars().next().is_some_and(char::is_uppercase),
            possessive,
            gap: &s[prev..m.start()],
        });
        prev = m.end();
    }
    out
}

/// Title Case headlines capitalise every word, so capitals say nothing about names there.
pub(crate) fn is_title_case(words: &[Word]) -> bool {
    let long: Vec<&Word> = words
        .iter()
        .filter(|w| w.text.chars().count() > 3)
        .collect();
    long.len() >= 3 && long.iter().filter(|w| w.cap).count() * 10 >= long.len() * 8
}
