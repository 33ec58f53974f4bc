//! Direct quotations with their speakers, and attributions of what was said or reported.

use crate::entities::Mention;
use crate::lexicon::EntityType;
use crate::words::Word;

/// A quotation: outer span with the marks, inner span without, both byte offsets into the
/// sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct QuoteSpan {
    pub start: usize,
    pub end: usize,
    pub inner_start: usize,
    pub inner_end: usize,
}

fn pair(
    s: &str,
    open: usize,
    open_len: usize,
    close: Option<usize>,
    close_len: usize,
) -> QuoteSpan {
    match close {
        Some(c) => QuoteSpan {
            start: open,
            end: c + close_len,
            inner_start: open + open_len,
            inner_end: c,
        },
        // A quotation that runs past the sentence (it continues in the next one).
        None => QuoteSpan {
            start: open,
            end: s.len(),
            inner_start: open + open_len,
            inner_end: s.len(),
        },
    }
}

/// Quotations in a sentence: “curly”, "straight", «guillemets» and ‘single curly’ (an
/// apostrophe inside a word is not a closing mark). An unmatched mark opens a quotation that runs
/// to the end of the sentence, or closes one that started before it.
pub(crate) fn quote_spans(s: &str) -> Vec<QuoteSpan> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut straight_open: Option<usize> = None;
    let mut k = 0;
    while k < chars.len() {
        let (at, c) = chars[k];
        let inside = |p: usize| out.iter().any(|q: &QuoteSpan| q.start <= p && p < q.end);
        match c {
            '“' | '«' | '„' if !inside(at) => {
                let closer = if c == '«' { '»' } else { '”' };
                let close = chars[k + 1..]
                    .iter()
                    .find(|(_, x)| *x == closer)
                    .map(|(p, _)| *p);
                out.push(pair(s, at, c.len_utf8(), close, closer.len_utf8()));
                k = close.map_or(chars.len(), |p| {
                    chars.iter().position(|(q, _)| *q == p).unwrap_or(k) + 1
                });
                continue;
            }
            '”' | '»' if !inside(at) && out.is_empty() => {
                out.push(QuoteSpan {
                    start: 0,
                    end: at + c.len_utf8(),
                    inner_start: 0,
                    inner_end: at,
                });
            }
            '‘' if !inside(at) && (k == 0 || !chars[k - 1].1.is_alphanumeric()) => {
                let close = chars[k + 1..]
                    .iter()
                    .enumerate()
                    .find(|(j, (_, x))| {
                        *x == '’'
                            && !chars
                                .get(k + 2 + j)
                                .is_some_and(|(_, n)| n.is_alphanumeric())
                    })
                    .map(|(_, (p, _))| *p);
                if let Some(p) = close {
                    out.push(pair(s, at, c.len_utf8(), Some(p), '’'.len_utf8()));
                    k = chars.iter().position(|(q, _)| *q == p).unwrap_or(k) + 1;
                    continue;
                }
            }
            // Straight single quotes, as British papers use them: opening after a space or
            // the start, closing before one, so that apostrophes inside words stay apart.
            '\'' if !inside(at)
                && (k == 0 || !chars[k - 1].1.is_alphanumeric())
                && chars.get(k + 1).is_some_and(|(_, n)| n.is_alphanumeric()) =>
            {
                let close = chars[k + 1..]
                    .iter()
                    .enumerate()
                    .find(|(j, (_, x))| {
                        *x == '\''
                            && !chars[k + *j].1.is_whitespace()
                            && !chars
                                .get(k + 2 + j)
                                .is_some_and(|(_, n)| n.is_alphanumeric())
                    })
                    .map(|(_, (p, _))| *p);
                if let Some(p) = close {
                    out.push(pair(s, at, 1, Some(p), 1));
                    k = chars.iter().position(|(q, _)| *q == p).unwrap_or(k) + 1;
                    continue;
                }
            }
            '"' if !inside(at) => match straight_open.take() {
                Some(o) => out.push(pair(s, o, 1, Some(at), 1)),
                None => straight_open = Some(at),
            },
            _ => {}
        }
        k += 1;
    }
    if let Some(o) = straight_open {
        let opens = s[o + 1..]
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace());
        if opens {
            out.push(pair(s, o, 1, None, 1));
        } else {
            out.push(QuoteSpan {
                start: 0,
                end: o + 1,
                inner_start: 0,
                inner_end: o,
            });
        }
    }
    out.sort_by_key(|q| q.start);
    out
}

const SPEECH: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "stated",
    "states",
    "noted",
    "notes",
    "remarked",
    "emphasized",
    "emphasised",
    "stressed",
    "insisted",
    "claimed",
    "declared",
    "announced",
    "warned",
    "wrote",
    "writes",
    "tweeted",
    "posted",
    "explained",
    "argued",
    "asked",
    "replied",
    "responded",
    "continued",
    "quoted",
    "saying",
    "condemned",
    "called",
    "described",
    "urged",
    "demanded",
    "acknowledged",
    "admitted",
    "referenced",
    "expressed",
    "confirmed",
    "denied",
    "reiterated",
    "highlighted",
    "clarified",
    "suggested",
    "revealed",
    "branded",
    "dubbed",
    "termed",
    "labelled",
    "labeled",
    "vowed",
    "promised",
    "pledged",
    "recalled",
    "according",
    "joked",
    "conceded",
    "cautioned",
    "accused",
    "told",
    "describing",
    "calling",
];

/// Verbs after which even a few quoted words are someone's words, not scare quotes.
const AFTER_SHORT: &[&str] = &["said", "says", "told", "added", "wrote", "asked"];

fn is_speech(w: &Word) -> bool {
    SPEECH.contains(&w.fold.as_str())
}

fn is_pronoun(w: &Word) -> bool {
    matches!(w.fold.as_str(), "he" | "she")
}

/// The person or body nearest to speech verb `v`: the subject just before it, or the name just
/// after it (`said Peskov`); a pronoun stands for `prev`.
fn speaker_of(
    words: &[Word],
    mentions: &[Mention],
    v: usize,
    outside: &dyn Fn(usize) -> bool,
    prev: Option<&str>,
) -> Option<String> {
    let can_speak = |m: &&Mention| m.ty != EntityType::Place && outside(m.first);
    let before = mentions
        .iter()
        .filter(can_speak)
        .filter(|m| m.last < v && v - m.last <= 6)
        .max_by_key(|m| (m.ty == EntityType::Person, m.last));
    let pronoun = (v.saturating_sub(3)..v)
        .rev()
        .find(|&k| is_pronoun(&words[k]) && outside(k));
    if let Some(p) = pronoun {
        if before.is_none_or(|m| m.last < p) {
            return prev.map(str::to_string);
        }
    }
    if let Some(m) = before {
        return Some(m.canon.clone());
    }
    mentions
        .iter()
        .filter(can_speak)
        .find(|m| m.first > v && m.first - v <= 3)
        .map(|m| m.canon.clone())
}

/// A quotation with its speaker, when one can be told.
pub(crate) struct Quote {
    pub span: QuoteSpan,
    pub speaker: String,
}

/// Quotations of a sentence and who said them. `prev` is the person the previous sentences were
/// about: quotation-only sentences and pronouns refer to them.
pub(crate) fn quotes(
    s: &str,
    words: &[Word],
    mentions: &[Mention],
    prev: Option<&str>,
) -> Vec<Quote> {
    let spans = quote_spans(s);
    if spans.is_empty() {
        return Vec::new();
    }
    let in_quote = |k: usize| {
        spans
            .iter()
            .any(|q| words[k].start >= q.inner_start && words[k].end <= q.inner_end)
    };
    let outside = |k: usize| !in_quote(k);
    let mut out = Vec::new();
    for q in &spans {
        let qwords: Vec<usize> = (0..words.len())
            .filter(|&k| words[k].start >= q.inner_start && words[k].end <= q.inner_end)
            .collect();
        let (Some(&qa), Some(&qb)) = (qwords.first(), qwords.last()) else {
            continue;
        };
        let verbs: Vec<usize> = (0..words.len())
            .filter(|&k| outside(k) && is_speech(&words[k]))
            .collect();
        let short = qwords.len() <= 3;
        // A quotation cut by the sentence boundary may belong to words outside the sentence:
        // only a verb right next to it names its speaker.
        let partial = q.inner_start == 0 || q.inner_end == s.len();
        let near = |v: &usize| {
            if *v < qa {
                qa - v <= 6
            } else {
                v - qb <= 3 && (!short || AFTER_SHORT.contains(&words[*v].fold.as_str()))
            }
        };
        let mut candidates: Vec<usize> = verbs
            .into_iter()
            .filter(|v| !(short || partial) || near(v))
            .collect();
        candidates.sort_by_key(|&v| if v < qa { qa - v } else { v - qb });
        // The nearest verb with a speaker: "Putin expressed that Russia has "…," and expressed
        // hope" has its speaker at the first verb, not the nearer second.
        let found = candidates
            .iter()
            .find_map(|&v| speaker_of(words, mentions, v, &outside, prev));
        let speaker = match found {
            Some(s) => Some(s),
            None if !candidates.is_empty() => None,
            None => {
                let covered = q.end - q.start;
                // A sentence that is only a quotation continues the previous speaker's words.
                (!short && !partial && covered * 10 >= s.len() * 7)
                    .then(|| prev.map(str::to_string))
                    .flatten()
            }
        };
        if let Some(speaker) = speaker {
            out.push(Quote { span: *q, speaker });
        }
    }
    out
}

/// An attribution: who said something (`slot`) and the outlet or source named (`value`),
/// with the words' index range.
pub(crate) struct Attribution {
    pub first: usize,
    pub last: usize,
    pub speaker: String,
    pub source: String,
}

/// `according to X`, `quoted by X`, `speaking to X`, `told X`, `X reported`.
pub(crate) fn attributions(
    words: &[Word],
    mentions: &[Mention],
    subject: Option<&str>,
) -> Vec<Attribution> {
    let mut out = Vec::new();
    let mention_at = |k: usize| {
        let k = if words.get(k).is_some_and(|w| w.fold == "the") {
            k + 1
        } else {
            k
        };
        mentions.iter().find(|m| m.first == k)
    };
    for (k, w) in words.iter().enumerate() {
        let next = words.get(k + 1).map(|x| x.fold.as_str());
        let source = match (w.fold.as_str(), next) {
            ("according", Some("to"))
            | ("quoted", Some("by"))
            | ("speaking" | "talking", Some("to")) => mention_at(k + 2),
            ("told", _) | ("interview", Some("with")) => {
                mention_at(k + 1 + usize::from(next == Some("with")))
                    .filter(|m| m.ty == EntityType::Org)
            }
            ("reported" | "reports", _) => mentions
                .iter()
                .find(|m| m.last + 1 == k && m.ty == EntityType::Org),
            _ => None,
        };
        let Some(src) = source else { continue };
        let speaker = mentions
            .iter()
            .filter(|m| m.ty == EntityType::Person && m.canon != src.canon)
            .min_by_key(|m| m.first.abs_diff(k))
            .map(|m| m.canon.clone())
            .or_else(|| subject.map(str::to_string))
            .unwrap_or_else(|| "report".into());
        out.push(Attribution {
            first: k.min(src.first),
            last: src.last.max(k),
            speaker,
            source: src.canon.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inner(s: &str) -> Vec<&str> {
        quote_spans(s)
            .into_iter()
            .map(|q| &s[q.inner_start..q.inner_end])
            .collect()
    }

    #[test]
    fn finds_straight_curly_and_open_quotes() {
        assert_eq!(
            inner("Putin said Russia has “always been receptive” to peace proposals."),
            ["always been receptive"]
        );
        assert_eq!(inner(r#"He said "yes" and "no"."#), ["yes", "no"]);
        assert_eq!(
            inner("Ukraine’s leader said ‘we will win’."),
            ["we will win"]
        );
        assert_eq!(
            inner(r#""We are ready for talks. "#),
            ["We are ready for talks. "]
        );
        assert!(inner("Ukraine’s leader didn’t say.").is_empty());
    }
}
