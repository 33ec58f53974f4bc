//! Inside one story: which sentences of different versions say the same thing, which versions
//! copied from each other (families), and what is broken inside single versions (defects).

use crosscheck_model::{
    BlockKind, Defect, DefectKind, Document, Family, LinkKind, Sentence, SentenceEmbedder,
    SentenceLink, SentenceRef, Span,
};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::features::{content_terms, fnv64, fnv_extend, term_hash};

/// Word-bigram Dice at or above which two sentences are the same text with a few words
/// edited, added or dropped: one changed word in a twenty-word sentence breaks two of its
/// nineteen bigrams (Dice 0.89), four scattered changes bring it near 0.6.
const NEAR_VERBATIM_DICE: f32 = 0.6;
/// IDF-weighted cosine of content words at or above which two sentences state the same content
/// in other words. Rewrites keep a sentence's names, numbers and key nouns but swap most verbs
/// and connectives, and the story-level IDF already discounts the names every version repeats:
/// on hand-read rewritten news sentences, pairs stating the same fact score from about 0.35 up,
/// while sentences that merely share the story's topic stay below.
const PARAPHRASE_COSINE: f32 = 0.35;
/// A paraphrase shares at least this many content words, so two short sentences do not pair up
/// on a single name.
const MIN_SHARED_WORDS: usize = 3;
/// With an embedder, sentences this close in embedding space are paraphrases when they also
/// share some content (half the lexical bar), since embeddings alone pair sentences on topic.
const EMBED_COSINE: f32 = 0.8;
/// Two versions form a family when their story-specific overlap is at least this many times
/// the story's median pair overlap: they share much more with each other than versions of the
/// same event usually do.
const FAMILY_RATIO: f32 = 2.0;
/// Share of the shorter version's sentences found verbatim or near-verbatim in the other that
/// makes two versions one family whatever the rest of the story looks like.
const COPY_SHARE: f32 = 0.5;
/// A likely source contains (links to) at least this share of each other member's sentences.
const SOURCE_COVERAGE: f32 = 0.9;

/// What [`structure`] finds in one story.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Structure {
    pub links: Vec<SentenceLink>,
    /// Every document is in exactly one family; independent versions are families of one.
    pub families: Vec<Family>,
    pub defects: Vec<Defect>,
}

struct Sent {
    doc: usize,
    idx: usize,
    fold_hash: u64,
    tokens: usize,
    bigrams: Vec<u64>,
    terms: Vec<u32>,
}

/// Aligns sentences across the versions of one story, groups the versions into copy families
/// and lists the defects inside each. `sentences[i]` is `crosscheck_text::segment(docs[i])`.
pub fn structure(
    docs: &[&Document],
    sentences: &[Vec<Sentence>],
    embedder: Option<&dyn SentenceEmbedder>,
) -> Structure {
    let n = docs.len().min(sentences.len());
    let mut sents: Vec<Sent> = Vec::new();
    for d in 0..n {
        for (idx, s) in sentences[d].iter().enumerate() {
            let Some(text) = docs[d].text.get(s.span.start..s.span.end) else {
                continue;
            };
            sents.push(sentence_features(d, idx, text));
        }
    }
    let idf = sentence_idf(&sents);
    let embeddings = embed_sentences(docs, sentences, &sents, embedder);
    let links = align(docs, &sents, &idf, embeddings.as_deref());
    let families = families(docs, &sents, &links);
    let defects = docs[..n]
        .iter()
        .zip(sentences)
        .flat_map(|(d, s)| defects(d, s))
        .collect();
    Structure {
        links,
        families,
        defects,
    }
}

fn sentence_features(doc: usize, idx: usize, text: &str) -> Sent {
    let toks = crosscheck_text::tokens(text);
    let mut fold_hash = fnv64(b"");
    let mut hashes = Vec::with_capacity(toks.len());
    for t in &toks {
        fold_hash = fnv_extend(fold_hash, t.norm.as_bytes());
        fold_hash = fnv_extend(fold_hash, b" ");
        hashes.push(u64::from(term_hash(&t.norm)));
    }
    let mut bigrams: Vec<u64> = hashes.windows(2).map(|w| w[0] << 32 | w[1]).collect();
    bigrams.sort_unstable();
    bigrams.dedup();
    let mut terms = Vec::new();
    content_terms(text, &mut terms);
    terms.sort_unstable();
    terms.dedup();
    Sent {
        doc,
        idx,
        fold_hash,
        tokens: toks.len(),
        bigrams,
        terms,
    }
}

/// IDF of content words over the story's sentences: words every version repeats (the story's
/// main names) weigh less than the details a sentence adds.
fn sentence_idf(sents: &[Sent]) -> FxHashMap<u32, f32> {
    let mut df: FxHashMap<u32, u32> = FxHashMap::default();
    for s in sents {
        for &t in &s.terms {
            *df.entry(t).or_default() += 1;
        }
    }
    let n = sents.len().max(1) as f32;
    df.into_iter()
        .map(|(t, d)| (t, (1.0 + n / d as f32).ln()))
        .collect()
}

fn embed_sentences(
    docs: &[&Document],
    sentences: &[Vec<Sentence>],
    sents: &[Sent],
    embedder: Option<&dyn SentenceEmbedder>,
) -> Option<Vec<Vec<f32>>> {
    let e = embedder?;
    let texts: Vec<&str> = sents
        .iter()
        .map(|s| docs[s.doc].slice(sentences[s.doc][s.idx].span))
        .collect();
    e.embed(&texts).ok().filter(|v| v.len() == sents.len())
}

fn weighted_cosine(a: &[u32], b: &[u32], idf: &FxHashMap<u32, f32>) -> (f32, usize) {
    let w = |t: &u32| idf.get(t).copied().unwrap_or(1.0);
    let (mut i, mut j, mut shared, mut n) = (0, 0, 0.0f32, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += w(&a[i]).powi(2);
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let na: f32 = a.iter().map(|t| w(t).powi(2)).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|t| w(t).powi(2)).sum::<f32>().sqrt();
    if na == 0.0 || nb == 0.0 {
        return (0.0, n);
    }
    (shared / (na * nb), n)
}

fn dice(a: &[u64], b: &[u64]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * n as f32 / (a.len() + b.len()) as f32
}

/// How two sentences of different versions relate, if they do.
fn classify(
    a: &Sent,
    b: &Sent,
    idf: &FxHashMap<u32, f32>,
    emb: Option<(&[f32], &[f32])>,
) -> Option<(f32, LinkKind)> {
    if a.tokens > 0 && a.fold_hash == b.fold_hash && a.tokens == b.tokens {
        return Some((1.0, LinkKind::Verbatim));
    }
    let d = dice(&a.bigrams, &b.bigrams);
    if d >= NEAR_VERBATIM_DICE {
        return Some((d, LinkKind::NearVerbatim));
    }
    let (cos, shared) = weighted_cosine(&a.terms, &b.terms, idf);
    if shared >= MIN_SHARED_WORDS && cos >= PARAPHRASE_COSINE {
        return Some((cos, LinkKind::Paraphrase));
    }
    if let Some((ea, eb)) = emb {
        let e: f32 = ea.iter().zip(eb).map(|(x, y)| x * y).sum();
        if e >= EMBED_COSINE && cos >= PARAPHRASE_COSINE / 2.0 {
            return Some((e.min(1.0), LinkKind::Paraphrase));
        }
    }
    None
}

/// For each sentence and each other version, its best counterpart there (if any qualifies);
/// links found from both sides are reported once.
fn align(
    docs: &[&Document],
    sents: &[Sent],
    idf: &FxHashMap<u32, f32>,
    emb: Option<&[Vec<f32>]>,
) -> Vec<SentenceLink> {
    let mut by_term: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    let mut by_fold: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (i, s) in sents.iter().enumerate() {
        for &t in &s.terms {
            by_term.entry(t).or_default().push(i as u32);
        }
        by_fold.entry(s.fold_hash).or_default().push(i as u32);
    }
    let mut best: FxHashMap<(u32, usize), (f32, u32, LinkKind)> = FxHashMap::default();
    let mut shared: FxHashMap<u32, u32> = FxHashMap::default();
    for (i, s) in sents.iter().enumerate() {
        shared.clear();
        for &t in &s.terms {
            for &j in &by_term[&t] {
                if sents[j as usize].doc != s.doc {
                    *shared.entry(j).or_default() += 1;
                }
            }
        }
        for &j in &by_fold[&s.fold_hash] {
            if sents[j as usize].doc != s.doc {
                shared.entry(j).or_insert(u32::MAX);
            }
        }
        let mut cands: Vec<u32> = shared
            .iter()
            .filter(|(_, &c)| c >= 2)
            .map(|(&j, _)| j)
            .collect();
        cands.sort_unstable();
        for j in cands {
            let o = &sents[j as usize];
            let e = emb.map(|e| (e[i].as_slice(), e[j as usize].as_slice()));
            if let Some((score, kind)) = classify(s, o, idf, e) {
                let slot = best.entry((i as u32, o.doc)).or_insert((-1.0, j, kind));
                if score > slot.0 {
                    *slot = (score, j, kind);
                }
            }
        }
    }
    let mut pairs: FxHashMap<(u32, u32), (f32, LinkKind)> = FxHashMap::default();
    for (&(i, _), &(score, j, kind)) in &best {
        let key = if i < j { (i, j) } else { (j, i) };
        pairs.insert(key, (score, kind));
    }
    let mut keys: Vec<(u32, u32)> = pairs.keys().copied().collect();
    keys.sort_unstable();
    keys.into_iter()
        .map(|(i, j)| {
            let (score, kind) = pairs[&(i, j)];
            let (a, b) = (&sents[i as usize], &sents[j as usize]);
            SentenceLink {
                a: SentenceRef {
                    doc: docs[a.doc].id.clone(),
                    sentence: a.idx,
                },
                b: SentenceRef {
                    doc: docs[b.doc].id.clone(),
                    sentence: b.idx,
                },
                score,
                kind,
            }
        })
        .collect()
}

/// Groups versions into copy families: pairs whose story-specific shared vocabulary stands far
/// above the story's typical pair, or that share most sentences near-verbatim.
fn families(docs: &[&Document], sents: &[Sent], links: &[SentenceLink]) -> Vec<Family> {
    let n = docs.len();
    if n == 0 {
        return Vec::new();
    }
    let index: FxHashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    // Each version's distinct content words, weighted by how few versions use them: words all
    // versions share say "same event", words only two share say "same text".
    let mut vocab: Vec<FxHashSet<u32>> = vec![FxHashSet::default(); n];
    for s in sents {
        vocab[s.doc].extend(s.terms.iter().copied());
    }
    let mut df: FxHashMap<u32, u32> = FxHashMap::default();
    for v in &vocab {
        for &t in v {
            *df.entry(t).or_default() += 1;
        }
    }
    let w = |t: &u32| (n as f32 / df[t] as f32).ln();
    let norms: Vec<f32> = vocab
        .iter()
        .map(|v| v.iter().map(|t| w(t).powi(2)).sum::<f32>().sqrt())
        .collect();
    let mut pairs: Vec<(usize, usize, f32)> = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let shared: f32 = vocab[i]
                .iter()
                .filter(|t| vocab[j].contains(t))
                .map(|t| w(t).powi(2))
                .sum();
            let s = if norms[i] > 0.0 && norms[j] > 0.0 {
                shared / (norms[i] * norms[j])
            } else {
                0.0
            };
            pairs.push((i, j, s));
        }
    }
    // Sentence coverage: the share of a version's sentences linked to another version, all
    // links and near-verbatim ones only.
    let mut sent_count = vec![0usize; n];
    for s in sents {
        sent_count[s.doc] += 1;
    }
    let mut covered: FxHashMap<(usize, usize), FxHashSet<usize>> = FxHashMap::default();
    let mut copied: FxHashMap<(usize, usize), FxHashSet<usize>> = FxHashMap::default();
    for l in links {
        let (Some(&a), Some(&b)) = (index.get(l.a.doc.as_str()), index.get(l.b.doc.as_str()))
        else {
            continue;
        };
        for (x, sx, y) in [(a, l.a.sentence, b), (b, l.b.sentence, a)] {
            covered.entry((x, y)).or_default().insert(sx);
            if l.kind != LinkKind::Paraphrase {
                copied.entry((x, y)).or_default().insert(sx);
            }
        }
    }
    let share = |m: &FxHashMap<(usize, usize), FxHashSet<usize>>, x: usize, y: usize| {
        m.get(&(x, y)).map_or(0, |s| s.len()) as f32 / sent_count[x].max(1) as f32
    };
    let median = {
        let mut v: Vec<f32> = pairs.iter().map(|p| p.2).collect();
        v.sort_unstable_by(f32::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for &(i, j, s) in &pairs {
        let relative = n >= 3 && median > 0.0 && s >= FAMILY_RATIO * median;
        let copy = share(&copied, i, j).max(share(&copied, j, i)) >= COPY_SHARE;
        if relative || copy {
            let (a, b) = (find(&mut parent, i), find(&mut parent, j));
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut slot: FxHashMap<usize, usize> = FxHashMap::default();
    for i in 0..n {
        let r = find(&mut parent, i);
        let g = *slot.entry(r).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    groups
        .into_iter()
        .enumerate()
        .map(|(id, members)| Family {
            id,
            likely_source: likely_source(docs, &members, |x, y| share(&covered, x, y)),
            members: members.iter().map(|&i| docs[i].id.clone()).collect(),
        })
        .collect()
}

/// The earliest-dated member when dates tell; else the member that contains nearly all of every
/// other member while they do not contain it (trimmed copies of a wire text).
fn likely_source(
    docs: &[&Document],
    members: &[usize],
    coverage: impl Fn(usize, usize) -> f32,
) -> Option<String> {
    if members.len() < 2 {
        return None;
    }
    let dates: Vec<_> = members.iter().map(|&i| docs[i].published_date()).collect();
    if dates.iter().all(Option::is_some) {
        let min = dates.iter().min().copied().flatten();
        let earliest: Vec<usize> = members
            .iter()
            .zip(&dates)
            .filter(|(_, d)| **d == min)
            .map(|(&i, _)| i)
            .collect();
        if earliest.len() == 1 {
            return Some(docs[earliest[0]].id.clone());
        }
    }
    let containers: Vec<usize> = members
        .iter()
        .copied()
        .filter(|&c| {
            members.iter().all(|&o| {
                o == c || (coverage(o, c) >= SOURCE_COVERAGE && coverage(c, o) < SOURCE_COVERAGE)
            })
        })
        .collect();
    (containers.len() == 1).then(|| docs[containers[0]].id.clone())
}

/// Phrases that mark site furniture rather than reporting.
const BOILERPLATE: &[&str] = &[
    "scroll down for video",
    "sign up",
    "subscribe",
    "newsletter",
    "click here",
    "read more",
    "cookie",
    "cookies",
    "all rights reserved",
    "follow us",
    "share this",
    "advertisement",
    "related articles",
    "download the app",
    "privacy policy",
    "terms of service",
    "listen to this article",
    "watch the video",
    "continue reading",
];

/// Repeated headlines, paragraphs and sentences, and boilerplate, inside one document.
pub fn defects(doc: &Document, sentences: &[Sentence]) -> Vec<Defect> {
    let mut out = Vec::new();
    let folded: Vec<String> = doc
        .blocks
        .iter()
        .map(|b| crosscheck_text::fold(doc.block_text(b)))
        .collect();
    let mut in_repeat = vec![false; doc.blocks.len()];
    // Headlines printed more than once.
    let mut seen: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (i, b) in doc.blocks.iter().enumerate() {
        if b.kind == BlockKind::Headline && !folded[i].is_empty() {
            seen.entry(&folded[i]).or_default().push(i);
        }
    }
    let mut heads: Vec<Vec<usize>> = seen.into_values().filter(|v| v.len() > 1).collect();
    heads.sort();
    for h in heads {
        for &i in &h {
            in_repeat[i] = true;
        }
        out.push(Defect {
            doc: doc.id.clone(),
            kind: DefectKind::RepeatedHeadline,
            spans: h.iter().map(|&i| doc.blocks[i].span).collect(),
            explanation: format!("The headline is printed {} times.", h.len()),
        });
    }
    out.extend(repeated_paragraphs(doc, &folded, &mut in_repeat));
    out.extend(repeated_sentences(doc, sentences, &in_repeat));
    out.extend(boilerplate(doc, sentences));
    out
}

/// Runs of consecutive paragraphs that appear again later, reported as one defect per run.
fn repeated_paragraphs(doc: &Document, folded: &[String], in_repeat: &mut [bool]) -> Vec<Defect> {
    let mut first: FxHashMap<&str, usize> = FxHashMap::default();
    let mut earlier: Vec<Option<usize>> = vec![None; folded.len()];
    for (i, f) in folded.iter().enumerate() {
        // Very short blocks (a dateline, "Ceasefire discussions") legitimately recur.
        if in_repeat[i] || f.split(' ').count() < 5 {
            continue;
        }
        match first.get(f.as_str()) {
            Some(&j) => earlier[i] = Some(j),
            None => {
                first.insert(f, i);
            }
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < folded.len() {
        let Some(j) = earlier[i] else {
            i += 1;
            continue;
        };
        // Extend the run while the next block repeats the block after the original.
        let mut len = 1;
        while i + len < folded.len() && earlier[i + len] == Some(j + len) && j + len < i {
            len += 1;
        }
        for k in 0..len {
            in_repeat[i + k] = true;
            in_repeat[j + k] = true;
        }
        let span = |a: usize| Span::new(doc.blocks[a].span.start, doc.blocks[a + len - 1].span.end);
        out.push(Defect {
            doc: doc.id.clone(),
            kind: DefectKind::RepeatedParagraph,
            spans: vec![span(j), span(i)],
            explanation: if len == 1 {
                "A paragraph is printed twice.".to_string()
            } else {
                format!("{len} consecutive paragraphs are printed twice.")
            },
        });
        i += len;
    }
    out
}

fn repeated_sentences(doc: &Document, sentences: &[Sentence], in_repeat: &[bool]) -> Vec<Defect> {
    let mut groups: FxHashMap<String, Vec<Span>> = FxHashMap::default();
    let mut order: Vec<String> = Vec::new();
    for s in sentences {
        if in_repeat.get(s.block).copied().unwrap_or(false) {
            continue;
        }
        let Some(text) = doc.text.get(s.span.start..s.span.end) else {
            continue;
        };
        let f = crosscheck_text::fold(text);
        // A sentence of a few words ("He declined.") can recur naturally.
        if f.split(' ').count() < 6 {
            continue;
        }
        let g = groups.entry(f.clone()).or_default();
        if g.is_empty() {
            order.push(f);
        }
        g.push(s.span);
    }
    order
        .into_iter()
        .filter_map(|f| {
            let spans = groups.remove(&f)?;
            (spans.len() > 1).then(|| Defect {
                doc: doc.id.clone(),
                kind: DefectKind::RepeatedSentence,
                explanation: format!("A sentence is printed {} times.", spans.len()),
                spans,
            })
        })
        .collect()
}

fn boilerplate(doc: &Document, sentences: &[Sentence]) -> Vec<Defect> {
    let mut spans = Vec::new();
    let mut found: Vec<&str> = Vec::new();
    for s in sentences {
        let Some(text) = doc.text.get(s.span.start..s.span.end) else {
            continue;
        };
        let f = crosscheck_text::fold(text);
        let words: Vec<&str> = f.split(' ').collect();
        for phrase in BOILERPLATE {
            let p: Vec<&str> = phrase.split(' ').collect();
            let Some(at) = words.windows(p.len()).position(|w| w == p.as_slice()) else {
                continue;
            };
            // Site furniture is short, or opens with its call to action; a long sentence that
            // merely mentions "sign up" is reporting.
            if words.len() <= 12 || (at <= 2 && words.len() <= 30) {
                spans.push(s.span);
                if !found.contains(phrase) {
                    found.push(phrase);
                }
                break;
            }
        }
    }
    if spans.is_empty() {
        return Vec::new();
    }
    vec![Defect {
        doc: doc.id.clone(),
        kind: DefectKind::Boilerplate,
        explanation: format!(
            "{} line(s) of site furniture ({}) inside the article text.",
            spans.len(),
            found
                .iter()
                .map(|p| format!("\"{p}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        spans,
    }]
}
