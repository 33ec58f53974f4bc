use unicode_normalization::UnicodeNormalization;

/// Folds a word for comparison: lower case, no diacritics, typographic apostrophes made plain.
pub fn fold_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            '’' | '‘' | '`' | '´' => out.push('\''),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Folds a whole text for comparison: the folded word tokens joined by single spaces, so that
/// punctuation, quotes, Markdown and white space differences vanish.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for t in crate::tokens(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&t.norm);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_marks_quotes_and_markup() {
        assert_eq!(
            fold("**Ukraine’s** leader, “Zelenskyy” — in Kyïv!"),
            fold("ukraine's leader \"zelenskyy\" - in kyiv")
        );
        assert_eq!(fold_word("Zaporizhzhia"), "zaporizhzhia");
        assert_eq!(fold_word("Résumé"), "resume");
    }
}
