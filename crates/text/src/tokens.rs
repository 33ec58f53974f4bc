use crosscheck_model::Span;

use crate::{fold_word, is_stopword};

/// A word token: its byte span in the text it came from and its folded form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub norm: String,
}

/// Word tokens: runs of letters and digits, keeping inner apostrophes, hyphens and the digit
/// separators of numbers (`Ukraine's`, `30-hour`, `3,000`, `2.5`) together.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        while end < chars.len() {
            let c = chars[end].1;
            if c.is_alphanumeric() {
                end += 1;
                continue;
            }
            let joins_next = chars.get(end + 1).is_some_and(|n| n.1.is_alphanumeric());
            let prev = chars[end - 1].1;
            let joiner = match c {
                '\'' | '’' | '-' | '‐' => true,
                ',' | '.' => {
                    prev.is_ascii_digit()
                        && chars.get(end + 1).is_some_and(|n| n.1.is_ascii_digit())
                }
                _ => false,
            };
            if joiner && joins_next {
                end += 1;
            } else {
                break;
            }
        }
        let s = chars[start].0;
        let e = chars.get(end).map_or(text.len(), |c| c.0);
        out.push(Token {
            span: Span::new(s, e),
            norm: fold_word(&text[s..e]),
        });
        i = end;
    }
    out
}

/// The folded tokens of `text` that carry content: no stop words, no one-letter words.
pub fn content_words(text: &str) -> impl Iterator<Item = String> {
    tokens(text)
        .into_iter()
        .map(|t| t.norm)
        .filter(|w| w.chars().count() > 1 && !is_stopword(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_numbers_and_inner_punctuation() {
        let text = "Ukraine’s 30-hour truce: almost 3,000 violations (2.5%), \"end\".";
        let norms: Vec<String> = tokens(text).into_iter().map(|t| t.norm).collect();
        assert_eq!(
            norms,
            [
                "ukraine's",
                "30-hour",
                "truce",
                "almost",
                "3,000",
                "violations",
                "2.5",
                "end"
            ]
        );
        let t = &tokens(text)[0];
        assert_eq!(&text[t.span.start..t.span.end], "Ukraine’s");
    }

    #[test]
    fn content_words_drop_stopwords() {
        let words: Vec<String> =
            content_words("The war has been going on for over three years").collect();
        assert_eq!(words, ["war", "going", "three", "years"]);
    }
}
