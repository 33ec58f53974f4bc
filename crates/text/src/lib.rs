//! Text primitives every matching stage agrees on: sentences with offsets ([`segment`]), word
//! tokens with offsets ([`tokens`]), and the folding that makes two surface forms compare equal
//! ([`fold`]: case, diacritics, curly quotes, dashes, Markdown emphasis).

mod calendar;
mod fold;
mod segment;
mod stopwords;
mod tokens;

pub use calendar::{MONTHS, WEEKDAYS};
pub use fold::{fold, fold_word};
pub use segment::{segment, segment_text};
pub use stopwords::is_stopword;
pub use tokens::{content_words, tokens, Token};
