//! What every renderer needs to know about a story beyond the raw analysis: short labels for
//! versions and families, findings in reading order, and what was found about each sentence.

use std::collections::{BTreeMap, HashMap};

use crosscheck_model::{
    Analysis, Defect, DefectKind, Document, Evidence, Finding, FindingKind, LinkKind, Severity,
    Span, StoryAnalysis,
};

/// Byte → character offset conversion for one text, in O(log n) per lookup.
pub(crate) struct CharIndex {
    /// Byte offset of each character start.
    starts: Vec<usize>,
}

impl CharIndex {
    pub(crate) fn new(text: &str) -> Self {
        CharIndex {
            starts: text.char_indices().map(|(i, _)| i).collect(),
        }
    }

    /// Characters that start before `byte`; well defined for any byte, even one past the end or
    /// inside a character.
    pub(crate) fn chars_before(&self, byte: usize) -> usize {
        self.starts.partition_point(|&s| s < byte)
    }

    pub(crate) fn span(&self, span: Span) -> (usize, usize) {
        (self.chars_before(span.start), self.chars_before(span.end))
    }
}

/// The text of `span` when it is a valid range of `doc`'s text.
pub(crate) fn slice(doc: &Document, span: Span) -> Option<&str> {
    if span.start > span.end {
        return None;
    }
    doc.text.get(span.start..span.end)
}

/// The name a person recognises a version by: its outlet, else the file name of its source.
pub(crate) fn display_name(doc: &Document) -> &str {
    if let Some(o) = doc.outlet.as_deref().filter(|o| !o.trim().is_empty()) {
        return o;
    }
    let source = doc.source.as_str();
    let base = source.split('#').next().unwrap_or(source);
    base.rsplit(['/', '\\'])
        .find(|s| !s.is_empty())
        .unwrap_or(source)
}

/// The date part of `published`, for display.
pub(crate) fn date(doc: &Document) -> Option<&str> {
    let p = doc.published.as_deref()?;
    Some(p.get(..10).unwrap_or(p))
}

/// `A`, `B`, … `Z`, `AA`, `AB`, …
pub(crate) fn family_letter(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

pub(crate) fn kind_name(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Corroborated => "corroborated",
        FindingKind::Contradiction => "contradiction",
        FindingKind::SingleSource => "single source",
        FindingKind::Unsupported => "unsupported",
    }
}

pub(crate) fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
    }
}

/// Reading order of finding kinds: what needs a fact-checker's attention first.
fn kind_rank(kind: FindingKind) -> u8 {
    match kind {
        FindingKind::Contradiction => 0,
        FindingKind::Unsupported => 1,
        FindingKind::SingleSource => 2,
        FindingKind::Corroborated => 3,
    }
}

/// One version of a story as shown in reports.
pub(crate) struct Version<'a> {
    pub doc: &'a Document,
    /// `V1`, `V2`, … by position in the story.
    pub label: String,
    /// Index into `StoryView::families`, when a family lists this version.
    pub family: Option<usize>,
}

pub(crate) struct StoryView<'a> {
    pub sa: &'a StoryAnalysis,
    /// Member documents present in the analysis, in story order.
    pub versions: Vec<Version<'a>>,
    /// Position in `versions` by document id.
    pub by_id: HashMap<&'a str, usize>,
    /// Finding indices in reading order: contradictions, unsupported, single source,
    /// corroborated; more severe first, then as found.
    pub finding_order: Vec<usize>,
}

impl<'a> StoryView<'a> {
    pub(crate) fn new(analysis: &'a Analysis, sa: &'a StoryAnalysis) -> Self {
        let docs: HashMap<&str, &Document> = analysis
            .documents
            .iter()
            .map(|d| (d.id.as_str(), d))
            .collect();
        let mut family_of: HashMap<&str, usize> = HashMap::new();
        for (fi, f) in sa.families.iter().enumerate() {
            for m in &f.members {
                family_of.entry(m.as_str()).or_insert(fi);
            }
        }
        let mut versions = Vec::new();
        let mut by_id = HashMap::new();
        for id in &sa.story.documents {
            let Some(&doc) = docs.get(id.as_str()) else {
                continue;
            };
            if by_id.contains_key(id.as_str()) {
                continue;
            }
            by_id.insert(doc.id.as_str(), versions.len());
            versions.push(Version {
                doc,
                label: format!("V{}", versions.len() + 1),
                family: family_of.get(id.as_str()).copied(),
            });
        }
        let mut finding_order: Vec<usize> = (0..sa.findings.len()).collect();
        finding_order.sort_by_key(|&i| {
            let f = &sa.findings[i];
            (kind_rank(f.kind), std::cmp::Reverse(f.severity), i)
        });
        StoryView {
            sa,
            versions,
            by_id,
            finding_order,
        }
    }

    pub(crate) fn version(&self, doc_id: &str) -> Option<&Version<'a>> {
        self.by_id.get(doc_id).map(|&i| &self.versions[i])
    }

    /// `V2`, or the raw id for a document the story does not list.
    pub(crate) fn label(&self, doc_id: &str) -> String {
        self.version(doc_id)
            .map_or_else(|| doc_id.to_string(), |v| v.label.clone())
    }

    /// Number of distinct families among the versions (a version no family lists counts as its
    /// own).
    pub(crate) fn family_count(&self) -> usize {
        let mut seen = std::collections::HashSet::new();
        for (i, v) in self.versions.iter().enumerate() {
            seen.insert(v.family.map_or(usize::MAX - i, |f| f));
        }
        seen.len()
    }

    /// Family members as version positions, with the likely source first where known.
    pub(crate) fn family_members(&self, family: usize) -> Vec<usize> {
        let f = &self.sa.families[family];
        let mut out: Vec<usize> = f
            .members
            .iter()
            .filter_map(|m| self.by_id.get(m.as_str()).copied())
            .collect();
        out.sort_unstable();
        out.dedup();
        if let Some(src) = f
            .likely_source
            .as_deref()
            .and_then(|s| self.by_id.get(s).copied())
        {
            if let Some(pos) = out.iter().position(|&v| v == src) {
                out.remove(pos);
                out.insert(0, src);
            }
        }
        out
    }

    pub(crate) fn likely_source(&self, family: usize) -> Option<usize> {
        let src = self.sa.families[family].likely_source.as_deref()?;
        self.by_id.get(src).copied()
    }

    /// The findings of one kind, in reading order.
    pub(crate) fn findings_of(&self, kind: FindingKind) -> impl Iterator<Item = &'a Finding> + '_ {
        self.finding_order
            .iter()
            .map(|&i| &self.sa.findings[i])
            .filter(move |f| f.kind == kind)
    }

    /// Values of a finding with the versions stating each, in first-seen order. A value is
    /// shown as canonicalised when that reads as the words themselves (`donald trump`), else as
    /// first written (`over three years` rather than `P3Y`).
    pub(crate) fn values(&self, f: &Finding) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(&str, String, Vec<String>)> = Vec::new();
        for e in &f.evidence {
            let label = self.label(&e.doc);
            match out.iter_mut().find(|(v, _, _)| *v == e.value) {
                Some((_, _, labels)) => {
                    if !labels.contains(&label) {
                        labels.push(label);
                    }
                }
                None => {
                    let readable = e.value.is_empty()
                        || e.text.to_lowercase().contains(&e.value.to_lowercase());
                    let shown = if readable || e.text.trim().is_empty() {
                        e.value.clone()
                    } else {
                        e.text.clone()
                    };
                    out.push((&e.value, shown, vec![label]));
                }
            }
        }
        out.into_iter().map(|(_, shown, l)| (shown, l)).collect()
    }

    /// The sentence around an evidence span, as (before, evidence, after); the evidence's own
    /// words when its sentence or span does not fit the text.
    pub(crate) fn context(&self, e: &Evidence) -> (String, String, String) {
        let fallback = || (String::new(), e.text.clone(), String::new());
        let Some(x) = self.version(&e.doc) else {
            return fallback();
        };
        let Some(s) = self
            .sa
            .sentences
            .get(&e.doc)
            .and_then(|s| s.get(e.sentence))
        else {
            return fallback();
        };
        let (a, b) = (s.span.start.min(e.span.start), s.span.end.max(e.span.end));
        match (
            slice(x.doc, Span::new(a, e.span.start.max(a))),
            slice(x.doc, e.span),
            slice(x.doc, Span::new(e.span.end.min(b), b)),
        ) {
            (Some(before), Some(mid), Some(after)) if !mid.is_empty() => {
                (before.to_string(), mid.to_string(), after.to_string())
            }
            _ => fallback(),
        }
    }
}

/// Cuts the text before an evidence span to its last `max` characters and the text after it to
/// its first, so that a quoted sentence stays short around what matters.
pub(crate) fn around(before: &str, after: &str, max: usize) -> (String, String) {
    let mut b = before.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = b.chars().count();
    if n > max {
        b = format!("…{}", b.chars().skip(n - max + 1).collect::<String>());
    }
    if before.ends_with(char::is_whitespace) && !b.is_empty() {
        b.push(' ');
    }
    let mut a = clip(after, max);
    if after.starts_with(char::is_whitespace) && !a.is_empty() {
        a.insert(0, ' ');
    }
    (b, a)
}

/// How one sentence relates to the rest of the story.
#[derive(Default)]
pub(crate) struct SentenceNotes {
    /// Findings whose evidence lies in this sentence: (finding index, kind, families).
    pub findings: Vec<(usize, FindingKind, usize)>,
    /// Other versions with the same or nearly the same words: (version position, kind).
    pub copies: Vec<(usize, LinkKind)>,
    /// Explanations of in-article repeats this sentence is a repeat of.
    pub repeats: Vec<String>,
}

impl SentenceNotes {
    pub(crate) fn strongest(&self) -> Option<FindingKind> {
        self.findings
            .iter()
            .map(|&(_, k, _)| k)
            .min_by_key(|&k| kind_rank(k))
    }
}

/// What was found about each sentence of each version: `notes[version][sentence]`.
pub(crate) fn sentence_notes(view: &StoryView) -> Vec<BTreeMap<usize, SentenceNotes>> {
    let sa = view.sa;
    let mut notes: Vec<BTreeMap<usize, SentenceNotes>> =
        view.versions.iter().map(|_| BTreeMap::new()).collect();
    for (fi, f) in sa.findings.iter().enumerate() {
        for e in &f.evidence {
            if let Some(&v) = view.by_id.get(e.doc.as_str()) {
                let n = &mut notes[v].entry(e.sentence).or_default().findings;
                if !n.iter().any(|&(i, _, _)| i == fi) {
                    n.push((fi, f.kind, f.families));
                }
            }
        }
    }
    for l in &sa.links {
        let (Some(&a), Some(&b)) = (
            view.by_id.get(l.a.doc.as_str()),
            view.by_id.get(l.b.doc.as_str()),
        ) else {
            continue;
        };
        if a == b {
            continue;
        }
        notes[a]
            .entry(l.a.sentence)
            .or_default()
            .copies
            .push((b, l.kind));
        notes[b]
            .entry(l.b.sentence)
            .or_default()
            .copies
            .push((a, l.kind));
    }
    for n in notes.iter_mut().flat_map(|m| m.values_mut()) {
        n.copies.sort_by_key(|&(v, k)| (v, k as u8));
        n.copies.dedup_by_key(|c| c.0);
    }
    for d in &sa.defects {
        let Some(&v) = view.by_id.get(d.doc.as_str()) else {
            continue;
        };
        let Some(sents) = sa.sentences.get(&d.doc) else {
            continue;
        };
        for rep in d.spans.iter().skip(1) {
            for (si, s) in sents.iter().enumerate() {
                if s.span.start < rep.end && rep.start < s.span.end {
                    let r = &mut notes[v].entry(si).or_default().repeats;
                    if !r.contains(&d.explanation) {
                        r.push(d.explanation.clone());
                    }
                }
            }
        }
    }
    notes
}

/// Which way a copy went between version `this` and the linked version `other`, for people:
/// `Some(true)` when `other` is the likely source (family source, or published earlier),
/// `Some(false)` when `this` is, `None` when nothing tells.
pub(crate) fn copy_direction(view: &StoryView, this: usize, other: usize) -> Option<bool> {
    let (tv, ov) = (&view.versions[this], &view.versions[other]);
    if let (Some(tf), Some(of)) = (tv.family, ov.family) {
        if tf == of {
            match view.likely_source(tf) {
                Some(s) if s == other => return Some(true),
                Some(s) if s == this => return Some(false),
                _ => {}
            }
        }
    }
    let (Some(td), Some(od)) = (tv.doc.published.as_deref(), ov.doc.published.as_deref()) else {
        return None;
    };
    match od.cmp(td) {
        std::cmp::Ordering::Less => Some(true),
        std::cmp::Ordering::Greater => Some(false),
        std::cmp::Ordering::Equal => None,
    }
}

/// In-article defects summed up per version, for summaries where a scraped page's dozen
/// repeats would drown the findings: (version position, `"repeated headline, repeated
/// paragraph ×5"`, the explanation when the version has a single defect).
pub(crate) fn defects_by_version<'a>(v: &StoryView<'a>) -> Vec<(usize, String, Option<&'a str>)> {
    let mut out = Vec::new();
    for (pos, x) in v.versions.iter().enumerate() {
        let mine: Vec<&Defect> = v.sa.defects.iter().filter(|d| d.doc == x.doc.id).collect();
        if mine.is_empty() {
            continue;
        }
        let mut kinds: Vec<(&str, usize)> = Vec::new();
        for d in &mine {
            let name = defect_name(d.kind);
            match kinds.iter_mut().find(|(k, _)| *k == name) {
                Some((_, n)) => *n += 1,
                None => kinds.push((name, 1)),
            }
        }
        let list: Vec<String> = kinds
            .iter()
            .map(|&(k, n)| {
                if n == 1 {
                    k.to_string()
                } else {
                    format!("{k} ×{n}")
                }
            })
            .collect();
        let single = (mine.len() == 1).then(|| mine[0].explanation.as_str());
        out.push((pos, list.join(", "), single));
    }
    out
}

pub(crate) fn defect_name(kind: DefectKind) -> &'static str {
    match kind {
        DefectKind::RepeatedParagraph => "repeated paragraph",
        DefectKind::RepeatedSentence => "repeated sentence",
        DefectKind::RepeatedHeadline => "repeated headline",
        DefectKind::Boilerplate => "boilerplate",
    }
}

/// Version labels for people, runs of three or more shortened: `V1–V5, V7, V9`.
pub(crate) fn label_list(labels: &[String]) -> String {
    let number = |l: &String| l.strip_prefix('V').and_then(|n| n.parse::<usize>().ok());
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < labels.len() {
        let mut j = i;
        if let Some(start) = number(&labels[i]) {
            while j + 1 < labels.len() && number(&labels[j + 1]) == Some(start + (j + 1 - i)) {
                j += 1;
            }
        }
        if j - i >= 2 {
            out.push(format!("{}–{}", labels[i], labels[j]));
        } else {
            out.extend(labels[i..=j].iter().cloned());
        }
        i = j + 1;
    }
    out.join(", ")
}

/// Cuts `text` to at most `max` characters, marking the cut.
pub(crate) fn clip(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crosscheck_model::BlockKind;

    #[test]
    fn char_index_counts_characters_and_tolerates_bad_offsets() {
        let idx = CharIndex::new("Kyïv – «x»");
        assert_eq!(idx.span(Span::new(0, 5)), (0, 4));
        assert_eq!(idx.chars_before(1000), 10);
        // Inside the two-byte ï: counts the characters that start before it.
        assert_eq!(idx.chars_before(3), 3);
    }

    #[test]
    fn family_letters_continue_past_z() {
        assert_eq!(family_letter(0), "A");
        assert_eq!(family_letter(25), "Z");
        assert_eq!(family_letter(26), "AA");
        assert_eq!(family_letter(27), "AB");
        assert_eq!(family_letter(26 * 27), "AAA");
    }

    #[test]
    fn display_name_prefers_outlet_then_file_name() {
        let mut d = Document::from_blocks("x", "/a/b/c.txt#3", [(BlockKind::Paragraph, "t")]);
        assert_eq!(display_name(&d), "c.txt");
        d.outlet = Some("Reuters".into());
        assert_eq!(display_name(&d), "Reuters");
    }

    #[test]
    fn around_keeps_the_words_next_to_the_evidence() {
        assert_eq!(
            around("one two three ", " four five", 100),
            ("one two three ".to_string(), " four five".to_string())
        );
        assert_eq!(
            around("one two three ", " four five", 6),
            ("…three ".to_string(), " four…".to_string())
        );
    }

    #[test]
    fn label_lists_shorten_runs() {
        let l = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            label_list(&l(&["V1", "V2", "V3", "V5", "V6", "x"])),
            "V1–V3, V5, V6, x"
        );
        assert_eq!(label_list(&l(&["V2", "V5"])), "V2, V5");
    }

    #[test]
    fn clip_keeps_short_text_and_marks_cuts() {
        assert_eq!(clip("a  b\nc", 10), "a b c");
        assert_eq!(clip("abcdef", 4), "abc…");
    }
}
