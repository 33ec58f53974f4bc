//! Plain text and Markdown: recovers the layout (standfirst, headline, subheadings, paragraphs)
//! from line shapes, since these files carry no markup for it.

use crosscheck_model::{BlockKind, Document};

/// Longest line still taken for a heading: real headlines and subheadings are short, body
/// paragraphs of news are rarely under this.
const MAX_HEADING_CHARS: usize = 120;
const MAX_HEADING_WORDS: usize = 18;

/// Builds a document from plain text or Markdown.
///
/// Layout rules, applied to every file alike:
/// - each non-empty line is a block; when the text is hard-wrapped (every line ends near one
///   margin), the lines of a blank-line-separated paragraph are joined first;
/// - Markdown emphasis (`**`, `__`), heading marks (`#`) and link syntax are stripped;
/// - a short line without final punctuation is a heading: the first one at the top is the
///   headline (and an immediate repeat of it is kept as a second headline block, so that later
///   stages can flag the duplicate), later ones are subheadings;
/// - a first line that is longer than the title-like line after it is a standfirst;
/// - right after the headline, one sentence clearly shorter than the body paragraphs is the
///   subheading (the "dek" many sites print under the headline).
///
/// `title` is the headline.
pub fn document_from_text(text: &str, id: &str, source: &str) -> Document {
    let lines = logical_lines(text);
    let kinds = classify(&lines);
    let mut doc = Document::from_blocks(
        id,
        source,
        lines
            .iter()
            .zip(&kinds)
            .map(|(line, kind)| (*kind, line.text.as_str())),
    );
    doc.title = doc
        .blocks
        .iter()
        .find(|b| b.kind == BlockKind::Headline)
        .map(|b| doc.block_text(b).to_string());
    doc
}

struct Line {
    text: String,
    /// Markdown heading level (`#` count), when the line was marked as one.
    md_heading: Option<usize>,
}

fn logical_lines(text: &str) -> Vec<Line> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: Vec<&str> = text.lines().map(|l| l.trim_end()).collect();
    let wrap = wrap_margin(&raw);
    let mut out: Vec<Line> = Vec::new();
    let mut pending: Option<String> = None;
    for line in &raw {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if let Some(p) = pending.take() {
                push_line(&mut out, &p);
            }
            continue;
        }
        match pending.as_mut() {
            Some(p) => {
                p.push(' ');
                p.push_str(trimmed);
            }
            None => pending = Some(trimmed.to_string()),
        }
        // A line that reaches the wrap margin continues on the next line; a shorter one ends
        // its paragraph (or is a heading).
        let continues = wrap
            .is_some_and(|w| line.chars().count() * 10 >= w * 6 && !is_markdown_heading(trimmed));
        if !continues {
            if let Some(p) = pending.take() {
                push_line(&mut out, &p);
            }
        }
    }
    if let Some(p) = pending.take() {
        push_line(&mut out, &p);
    }
    out
}

/// The right margin of hard-wrapped text, or `None` when lines are whole paragraphs.
fn wrap_margin(lines: &[&str]) -> Option<usize> {
    let lens: Vec<usize> = lines
        .iter()
        .map(|l| l.chars().count())
        .filter(|&n| n > 0)
        .collect();
    let max = *lens.iter().max()?;
    if max > 100 || lens.len() < 4 {
        return None;
    }
    // Wrapped prose puts most lines close to the margin; a list of short headings does not.
    let near = lens.iter().filter(|&&n| n * 10 >= max * 8).count();
    let has_blank = lines.iter().any(|l| l.trim().is_empty());
    (has_blank && near * 2 >= lens.len()).then_some(max)
}

fn is_markdown_heading(line: &str) -> bool {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    (1..=6).contains(&hashes) && line[hashes..].starts_with(' ')
}

fn push_line(out: &mut Vec<Line>, raw: &str) {
    let (md_heading, body) = if is_markdown_heading(raw) {
        let hashes = raw.chars().take_while(|&c| c == '#').count();
        (Some(hashes), raw[hashes..].trim_start())
    } else {
        (None, raw)
    };
    let text = strip_markdown(body);
    if !text.trim().is_empty() {
        out.push(Line {
            text: text.trim().to_string(),
            md_heading,
        });
    }
}

/// Removes inline Markdown that is not part of the words: emphasis marks and link targets.
fn strip_markdown(s: &str) -> String {
    let s = s.trim_end_matches(|c: char| c == '#' || c.is_whitespace());
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("**").or_else(|| rest.strip_prefix("__")) {
            rest = r;
            continue;
        }
        // `[text](target)` keeps only the text.
        if rest.starts_with('[') {
            if let Some(close) = rest.find("](") {
                if let Some(end) = rest[close..].find(')') {
                    let label = &rest[1..close];
                    if !label.contains('[') {
                        out.push_str(label);
                        rest = &rest[close + end + 1..];
                        continue;
                    }
                }
            }
        }
        let c = rest.chars().next().unwrap_or_default();
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Ends like a sentence: final punctuation, possibly inside closing quotes or brackets.
fn ends_like_sentence(s: &str) -> bool {
    let core = s.trim_end_matches(|c: char| {
        matches!(
            c,
            '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '*' | '_' | ' '
        )
    });
    core.ends_with(['.', '!', '?', ';', ',', ':', '…'])
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

fn is_heading_like(line: &Line) -> bool {
    if line.md_heading.is_some() {
        return true;
    }
    let t = &line.text;
    t.chars().count() <= MAX_HEADING_CHARS
        && word_count(t) <= MAX_HEADING_WORDS
        && !ends_like_sentence(t)
        && t.chars().any(char::is_alphabetic)
        && !t.starts_with(['-', '*', '•', '>'])
}

/// A headline may end in `?` or `!`, unlike other headings.
fn is_headline_like(line: &Line) -> bool {
    if is_heading_like(line) {
        return true;
    }
    let t = line.text.trim_end_matches(['"', '\'', '”', '’']);
    (t.ends_with('?') || t.ends_with('!'))
        && t.chars().count() <= MAX_HEADING_CHARS
        && word_count(t) <= MAX_HEADING_WORDS
}

fn normalised(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Counts sentence breaks: a final punctuation mark followed by a space and a capital letter.
fn sentence_count(s: &str) -> usize {
    let chars: Vec<char> = s.chars().collect();
    let mut n = 1;
    for i in 0..chars.len().saturating_sub(2) {
        if matches!(chars[i], '.' | '!' | '?') && chars[i + 1] == ' ' && chars[i + 2].is_uppercase()
        {
            n += 1;
        }
    }
    n
}

fn classify(lines: &[Line]) -> Vec<BlockKind> {
    let mut kinds = vec![BlockKind::Paragraph; lines.len()];
    if lines.is_empty() {
        return kinds;
    }

    // Markdown that marks its headings says everything: `#` is the headline, deeper ones are
    // subheadings.
    if lines.iter().any(|l| l.md_heading.is_some()) {
        let top = lines.iter().filter_map(|l| l.md_heading).min().unwrap_or(1);
        let mut seen_headline: Option<String> = None;
        for (i, line) in lines.iter().enumerate() {
            match line.md_heading {
                Some(level) if level == top => match &seen_headline {
                    None => {
                        seen_headline = Some(normalised(&line.text));
                        kinds[i] = BlockKind::Headline;
                    }
                    Some(h) if *h == normalised(&line.text) => kinds[i] = BlockKind::Headline,
                    Some(_) => kinds[i] = BlockKind::Subheading,
                },
                Some(_) => kinds[i] = BlockKind::Subheading,
                None => {}
            }
        }
        if let Some(first_heading) = lines.iter().position(|l| l.md_heading.is_some()) {
            if first_heading == 1
                && kinds[1] == BlockKind::Headline
                && lines[0].text.chars().count() > lines[1].text.chars().count()
            {
                kinds[0] = BlockKind::Standfirst;
            }
        }
        return kinds;
    }

    // The headline is the first title-like line, or the second when the first is a longer
    // summary printed above it (a standfirst).
    let headline = if is_headline_like(&lines[0]) {
        Some(0)
    } else if lines.len() > 1
        && is_headline_like(&lines[1])
        && lines[0].text.chars().count() > lines[1].text.chars().count()
    {
        kinds[0] = BlockKind::Standfirst;
        Some(1)
    } else {
        None
    };

    let mut body_start = 0;
    if let Some(h) = headline {
        kinds[h] = BlockKind::Headline;
        let key = normalised(&lines[h].text);
        let mut next = h + 1;
        while next < lines.len() && normalised(&lines[next].text) == key {
            kinds[next] = BlockKind::Headline;
            next += 1;
        }
        body_start = next;
        if next < lines.len() && !is_heading_like(&lines[next]) && is_dek(lines, next) {
            kinds[next] = BlockKind::Subheading;
            body_start = next + 1;
        }
    }

    for i in body_start..lines.len() {
        // A heading needs a body after it; a short closing line ("Reporting by ...") is not one.
        if is_heading_like(&lines[i]) && i + 1 < lines.len() {
            kinds[i] = BlockKind::Subheading;
        }
    }
    kinds
}

/// The line under a headline is a dek when it is one sentence clearly shorter than the body
/// paragraphs that follow.
fn is_dek(lines: &[Line], i: usize) -> bool {
    let line = &lines[i].text;
    if sentence_count(line) > 1 {
        return false;
    }
    let mut body: Vec<usize> = lines[i + 1..]
        .iter()
        .filter(|l| !is_heading_like(l))
        .map(|l| l.text.chars().count())
        .collect();
    if body.len() < 2 {
        return false;
    }
    body.sort_unstable();
    let median = body[body.len() / 2];
    line.chars().count() * 10 < median * 7
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(doc: &Document) -> Vec<BlockKind> {
        doc.blocks.iter().map(|b| b.kind).collect()
    }

    #[test]
    fn hard_wrapped_paragraphs_are_joined() {
        let text = "A headline about the ceasefire\n\n\
            The first paragraph is wrapped at a margin of about sixty\n\
            characters, as plain-text mail and old wire copy are, and it\n\
            goes on for a while.\n\n\
            The second paragraph is wrapped the same way and it also has\n\
            several lines that reach the margin before it finally ends\n\
            here.\n";
        let doc = document_from_text(text, "d", "d.txt");
        assert_eq!(
            kinds(&doc),
            [
                BlockKind::Headline,
                BlockKind::Paragraph,
                BlockKind::Paragraph
            ]
        );
        assert!(doc
            .block_text(&doc.blocks[1])
            .ends_with("goes on for a while."));
    }

    #[test]
    fn markdown_headings_links_and_emphasis() {
        let text = "# Talks in **London**\n\nSee [the report](https://example.org/x) for more.\n\n## Reactions\n\nKyiv welcomed it.\n";
        let doc = document_from_text(text, "d", "d.md");
        assert_eq!(doc.title.as_deref(), Some("Talks in London"));
        assert_eq!(
            kinds(&doc),
            [
                BlockKind::Headline,
                BlockKind::Paragraph,
                BlockKind::Subheading,
                BlockKind::Paragraph
            ]
        );
        assert_eq!(doc.block_text(&doc.blocks[1]), "See the report for more.");
    }

    #[test]
    fn sentence_punctuation_inside_quotes() {
        assert!(ends_like_sentence("\"We are ready.\""));
        assert!(ends_like_sentence("he said: “no.”"));
        assert!(!ends_like_sentence("Ceasefire discussions"));
    }
}
