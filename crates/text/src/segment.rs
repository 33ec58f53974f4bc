use crosscheck_model::{Document, Sentence, Span};

/// The sentences of a document, block by block: no sentence crosses a block boundary, and each
/// span is trimmed of surrounding white space and Markdown emphasis markers.
pub fn segment(doc: &Document) -> Vec<Sentence> {
    let lang = doc.language.as_deref().unwrap_or("en");
    let lang = lang.split(['-', '_']).next().unwrap_or("en");
    let mut out = Vec::new();
    for (i, block) in doc.blocks.iter().enumerate() {
        for span in segment_text(lang, doc.block_text(block)) {
            out.push(Sentence {
                block: i,
                span: Span::new(block.span.start + span.start, block.span.start + span.end),
            });
        }
    }
    out
}

/// Sentence spans (byte offsets into `text`) of one block of text in language `lang`.
pub fn segment_text(lang: &str, text: &str) -> Vec<Span> {
    sentencex::get_sentence_boundaries(lang, text)
        .into_iter()
        .filter_map(|b| trim(text, b.start_byte, b.end_byte))
        .collect()
}

fn trim(text: &str, start: usize, end: usize) -> Option<Span> {
    let is_edge = |c: char| c.is_whitespace() || c == '*' || c == '_';
    let s = &text[start..end];
    let lead = s.len() - s.trim_start_matches(is_edge).len();
    let body = s.trim_matches(is_edge);
    if !body.chars().any(char::is_alphanumeric) {
        return None;
    }
    Some(Span::new(start + lead, start + lead + body.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crosscheck_model::BlockKind;

    #[test]
    fn sentences_stay_inside_blocks_with_offsets() {
        let doc = Document::from_blocks(
            "d",
            "d",
            [
                (BlockKind::Headline, "**Putin Signals Willingness for Talks**"),
                (
                    BlockKind::Paragraph,
                    "Mr. Peskov said so. Zelensky accused Russian forces of breaching the ceasefire almost 3,000 times.",
                ),
            ],
        );
        let s = segment(&doc);
        let texts: Vec<&str> = s.iter().map(|s| doc.slice(s.span)).collect();
        assert_eq!(
            texts,
            [
                "Putin Signals Willingness for Talks",
                "Mr. Peskov said so.",
                "Zelensky accused Russian forces of breaching the ceasefire almost 3,000 times."
            ]
        );
        assert_eq!(s[0].block, 0);
        assert_eq!(s[2].block, 1);
    }
}
