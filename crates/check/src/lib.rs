//! Cross-checks claims across the versions of a story: corroboration by independent families,
//! contradictions, single-source claims.
//!
//! Claims are compared by their canonical slots and values, never by word overlap of whole
//! sentences (a wrong name or number changes one word, so overlap stays high). Two claims with
//! the same slot are about the same thing when their sentences are aligned (a
//! [`SentenceLink`]), when the slot names one specific thing (`war start`, `us president`), or
//! when the sentences around them share enough content words. Values are compared through the
//! ranges their hedges allow, so rounding and transliteration never read as contradictions.

mod context;
mod explain;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crosscheck_claims::{
    date_range, duration_range_years, fractional_year, name_key, quantity_range, role_parts,
    same_person,
};
use crosscheck_model::{
    Claim, ClaimKind, Document, Evidence, Family, Finding, FindingKind, LinkKind, Sentence,
    SentenceLink,
};

use context::{Context, Relation};

/// Findings for one story whose member documents are `docs` (with `sentences[i]` the sentences
/// of `docs[i]`), given the story's sentence alignment, copy families and claims.
pub fn cross_check(
    docs: &[&Document],
    sentences: &[Vec<Sentence>],
    links: &[SentenceLink],
    families: &[Family],
    claims: &[Claim],
) -> Vec<Finding> {
    if docs.len() < 2 {
        return Vec::new();
    }
    let mut story = Story::new(docs, sentences, links, families);
    let items = story.items(claims);
    story.context.prepare(&items);
    for it in items.iter().filter(|it| it.claim.kind == ClaimKind::Place) {
        story
            .places
            .entry((it.doc, it.claim.sentence))
            .or_default()
            .insert(it.value.clone());
    }
    let mut findings = Vec::new();
    let mut groups: BTreeMap<(Class, String), Vec<usize>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        if let Some(class) = Class::of(it.claim.kind) {
            groups.entry((class, it.slot.clone())).or_default().push(i);
        }
    }
    for ((class, slot), members) in &groups {
        compare_group(&story, &items, *class, slot, members, &mut findings);
    }
    mentions(&story, &items, &mut findings);
    one_word_edits(&story, &items, &mut findings);
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(kind_rank(a.kind).cmp(&kind_rank(b.kind)))
            .then(a.slot.cmp(&b.slot))
            .then(a.explanation.cmp(&b.explanation))
    });
    findings
}

fn kind_rank(k: FindingKind) -> u8 {
    match k {
        FindingKind::Contradiction => 0,
        FindingKind::Unsupported => 1,
        FindingKind::SingleSource => 2,
        FindingKind::Corroborated => 3,
    }
}

/// A sentence of the story: document index, sentence index.
type SentenceAt = (usize, usize);

/// What the story's structure says about its documents.
pub(crate) struct Story<'a> {
    pub docs: &'a [&'a Document],
    index: HashMap<&'a str, usize>,
    pub family: Vec<usize>,
    family_size: HashMap<usize, usize>,
    pub family_count: usize,
    /// Aligned sentence pairs (both directions), with how close the alignment is.
    links: HashMap<(SentenceAt, SentenceAt), LinkKind>,
    /// Documents that share sentences with another document: rewrites or their sources.
    linked_docs: Vec<bool>,
    /// The date each document is read against: its own, else the story's median date.
    pub reference: Vec<Option<chrono::NaiveDate>>,
    /// Documents without a date of their own, read against the story's median date.
    pub assumed: Vec<bool>,
    pub context: Context<'a>,
    /// The places each sentence names.
    places: HashMap<(usize, usize), BTreeSet<String>>,
}

impl<'a> Story<'a> {
    fn new(
        docs: &'a [&'a Document],
        sentences: &'a [Vec<Sentence>],
        links: &[SentenceLink],
        families: &[Family],
    ) -> Self {
        let index: HashMap<&str, usize> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), i))
            .collect();
        let mut family: Vec<Option<usize>> = vec![None; docs.len()];
        for (fi, f) in families.iter().enumerate() {
            for m in &f.members {
                if let Some(&d) = index.get(m.as_str()) {
                    family[d].get_or_insert(fi);
                }
            }
        }
        // A document no family lists is a family of its own.
        let family: Vec<usize> = family
            .into_iter()
            .enumerate()
            .map(|(d, f)| f.unwrap_or(families.len() + d))
            .collect();
        let mut family_size = HashMap::new();
        for f in &family {
            *family_size.entry(*f).or_insert(0) += 1;
        }
        let mut link_map = HashMap::new();
        let mut linked_docs = vec![false; docs.len()];
        for l in links {
            let (Some(&a), Some(&b)) = (index.get(l.a.doc.as_str()), index.get(l.b.doc.as_str()))
            else {
                continue;
            };
            if a == b {
                continue;
            }
            linked_docs[a] = true;
            linked_docs[b] = true;
            link_map.insert(((a, l.a.sentence), (b, l.b.sentence)), l.kind);
            link_map.insert(((b, l.b.sentence), (a, l.a.sentence)), l.kind);
        }
        let own: Vec<Option<chrono::NaiveDate>> = docs.iter().map(|d| d.published_date()).collect();
        // Versions of one story appear within days of each other: an undated one was most
        // likely written when the others were, and the median resists one stray date.
        let mut dated: Vec<chrono::NaiveDate> = own.iter().flatten().copied().collect();
        dated.sort();
        let median = dated.get(dated.len() / 2).copied();
        Story {
            docs,
            family_count: family_size.len(),
            index,
            family,
            family_size,
            links: link_map,
            linked_docs,
            assumed: own
                .iter()
                .map(|d| d.is_none() && median.is_some())
                .collect(),
            reference: own.into_iter().map(|d| d.or(median)).collect(),
            context: Context::new(docs, sentences),
            places: HashMap::new(),
        }
    }

    fn link(&self, a: (usize, usize), b: (usize, usize)) -> Option<LinkKind> {
        self.links.get(&(a, b)).copied()
    }

    /// How strongly two claims' sentences are about the same thing.
    fn relation(&self, a: &Item, b: &Item) -> Relation {
        if a.doc == b.doc && a.claim.sentence == b.claim.sentence {
            return Relation::Same;
        }
        if self
            .link((a.doc, a.claim.sentence), (b.doc, b.claim.sentence))
            .is_some()
        {
            return Relation::Aligned;
        }
        self.context.relation(a, b)
    }

    /// A document is a rewrite when it shares a family or aligned sentences with another.
    fn is_rewrite(&self, d: usize) -> bool {
        self.family_size[&self.family[d]] > 1 || self.linked_docs[d]
    }

    /// The outlet a reader knows a version by; the document id where the outlet is unknown,
    /// and both where the story holds two versions from one outlet.
    pub fn label(&self, d: usize) -> String {
        let doc = self.docs[d];
        match &doc.outlet {
            Some(o)
                if self
                    .docs
                    .iter()
                    .filter(|x| x.outlet.as_ref() == Some(o))
                    .count()
                    > 1 =>
            {
                format!("{o} ({})", doc.id)
            }
            Some(o) => o.clone(),
            None => doc.id.clone(),
        }
    }

    pub fn evidence(&self, it: &Item) -> Evidence {
        let doc = self.docs[it.doc];
        let span = it.claim.span;
        Evidence {
            doc: doc.id.clone(),
            sentence: it.claim.sentence,
            span,
            chars: doc.char_span(span),
            value: it.display(),
            text: it.claim.text.clone(),
        }
    }

    /// Claims of the story's documents with story-wide names: surnames resolved to the one full
    /// name the story uses, role titles without a country given the country other versions give
    /// the same person, and repeats within a document (copied paragraphs) dropped.
    fn items(&self, claims: &'a [Claim]) -> Vec<Item<'a>> {
        let mut people: BTreeSet<&str> = BTreeSet::new();
        for c in claims {
            match c.kind {
                ClaimKind::Person | ClaimKind::Role => {
                    people.insert(&c.value);
                }
                ClaimKind::Quote | ClaimKind::Attribution => {
                    people.insert(&c.slot);
                }
                _ => {}
            }
        }
        let full_name = |v: &str| -> String {
            if v.contains(' ') {
                return v.to_string();
            }
            let mut full = people
                .iter()
                .filter(|p| p.contains(' ') && same_person(p, v));
            match (full.next(), full.next()) {
                (Some(f), None) => f.to_string(),
                _ => v.to_string(),
            }
        };
        let mut countries: HashMap<(String, String), BTreeSet<String>> = HashMap::new();
        for c in claims.iter().filter(|c| c.kind == ClaimKind::Role) {
            if let (Some(country), title) = role_parts(&c.slot) {
                countries
                    .entry((full_name(&c.value), title.to_string()))
                    .or_default()
                    .insert(country.to_string());
            }
        }
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for c in claims {
            let Some(&doc) = self.index.get(c.doc.as_str()) else {
                continue;
            };
            let (slot, value) = match c.kind {
                ClaimKind::Person => (c.slot.clone(), full_name(&c.value)),
                ClaimKind::Role => {
                    let person = full_name(&c.value);
                    let slot = match role_parts(&c.slot) {
                        (None, title) => {
                            match countries.get(&(person.clone(), title.to_string())) {
                                Some(cs) if cs.len() == 1 => format!(
                                    "{} {title}",
                                    cs.iter().next().unwrap_or(&String::new())
                                ),
                                _ => c.slot.clone(),
                            }
                        }
                        _ => c.slot.clone(),
                    };
                    (slot, person)
                }
                ClaimKind::Quote | ClaimKind::Attribution => (full_name(&c.slot), c.value.clone()),
                // "50 years ago" in an undated version: a date once read against the story's.
                ClaimKind::Duration if c.slot == AGO && self.reference[doc].is_some() => {
                    ("date".to_string(), c.value.clone())
                }
                _ => (c.slot.clone(), c.value.clone()),
            };
            let key = (
                doc,
                c.kind,
                slot.clone(),
                value.clone(),
                c.qualifier.clone(),
            );
            if !seen.insert(key) {
                continue;
            }
            out.push(Item {
                index: out.len(),
                claim: c,
                doc,
                family: self.family[doc],
                slot,
                value,
            });
        }
        out
    }
}

/// A claim placed in its story.
pub(crate) struct Item<'a> {
    /// Position in the story's item list.
    pub index: usize,
    pub claim: &'a Claim,
    pub doc: usize,
    pub family: usize,
    pub slot: String,
    pub value: String,
}

impl Item<'_> {
    pub fn display(&self) -> String {
        let v = match self.claim.kind {
            ClaimKind::Role if self.claim.qualifier.is_some() => {
                return format!("{} (former)", self.value);
            }
            ClaimKind::Duration => explain::duration_words(&self.value),
            _ => self.value.clone(),
        };
        match &self.claim.qualifier {
            Some(q) => format!("{q} {v}"),
            None => v,
        }
    }

    fn former(&self) -> bool {
        self.claim.kind == ClaimKind::Role && self.claim.qualifier.as_deref() == Some("former")
    }
}

/// Kinds compared value against value within a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Role,
    Quantity,
    Time,
    Quote,
    Attribution,
}

impl Class {
    fn of(kind: ClaimKind) -> Option<Class> {
        Some(match kind {
            ClaimKind::Role => Class::Role,
            ClaimKind::Quantity => Class::Quantity,
            ClaimKind::Date | ClaimKind::Duration => Class::Time,
            ClaimKind::Quote => Class::Quote,
            ClaimKind::Attribution => Class::Attribution,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Class::Role => "role",
            Class::Quantity => "quantity",
            Class::Time => "time",
            Class::Quote => "quote",
            Class::Attribution => "attribution",
        }
    }
}

/// Whether two values of one slot can both be true: `Some(true)` agree, `Some(false)` cannot
/// both hold, `None` cannot tell.
fn compatible(story: &Story, class: Class, a: &Item, b: &Item) -> Option<bool> {
    match class {
        Class::Role => Some(same_person(&a.value, &b.value) && a.former() == b.former()),
        Class::Quantity => {
            let (x, y) = (a.value.parse::<f64>().ok()?, b.value.parse::<f64>().ok()?);
            let ra = quantity_range(x, a.claim.qualifier.as_deref());
            let rb = quantity_range(y, b.claim.qualifier.as_deref());
            Some(overlap(ra, rb))
        }
        Class::Time => time_compatible(story, a, b),
        Class::Quote => quotes_agree(story, a, b),
        Class::Attribution => Some(a.value == b.value),
    }
}

fn overlap(a: (f64, f64), b: (f64, f64)) -> bool {
    a.0 <= b.1 + 1e-9 && b.0 <= a.1 + 1e-9
}

/// Overlap of half-open spans of time: one day ends where the next begins, and Wednesday is
/// not Thursday.
fn overlap_open(a: (f64, f64), b: (f64, f64)) -> bool {
    a.0 < b.1 - 1e-9 && b.0 < a.1 - 1e-9
}

/// The slot claims give a time before an article's date when the article has no date.
const AGO: &str = "time ago";

/// The span of fractional years a time claim places its event's start (or date) in.
fn time_span(story: &Story, it: &Item) -> Option<(f64, f64)> {
    match it.claim.kind {
        ClaimKind::Date => date_range(&it.value),
        ClaimKind::Duration if it.slot.ends_with(" start") || it.slot == "date" => {
            let r = fractional_year(story.reference[it.doc]?);
            let (lo, hi) = duration_range_years(&it.value, it.claim.qualifier.as_deref())?;
            Some((r - hi, r - lo))
        }
        _ => None,
    }
}

fn time_compatible(story: &Story, a: &Item, b: &Item) -> Option<bool> {
    if a.claim.kind == ClaimKind::Duration && b.claim.kind == ClaimKind::Duration {
        // Elapsed times or lengths compare directly when both are read against the same date
        // (or neither has one: versions of one story appear within days of each other).
        if story.reference[a.doc] == story.reference[b.doc] {
            let ra = duration_range_years(&a.value, a.claim.qualifier.as_deref())?;
            let rb = duration_range_years(&b.value, b.claim.qualifier.as_deref())?;
            return Some(overlap_open(ra, rb));
        }
    }
    if let (Some(ra), Some(rb)) = (time_span(story, a), time_span(story, b)) {
        return Some(overlap_open(ra, rb));
    }
    // Unresolved relative dates ("monday", "last week") compare only as words, or a weekday
    // against the day another version resolved it to.
    let plain = |it: &Item| it.claim.kind == ClaimKind::Date && date_range(&it.value).is_none();
    match (plain(a), plain(b)) {
        (true, true) => Some(crosscheck_text::fold(&a.value) == crosscheck_text::fold(&b.value)),
        (true, false) if b.claim.kind == ClaimKind::Date => same_weekday(&a.value, &b.value),
        (false, true) if a.claim.kind == ClaimKind::Date => same_weekday(&b.value, &a.value),
        _ => None,
    }
}

/// Whether a weekday name ("thursday") names the weekday of an ISO day ("2025-03-13").
fn same_weekday(name: &str, iso: &str) -> Option<bool> {
    use chrono::Datelike;
    let day = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok()?;
    let wd: chrono::Weekday = crosscheck_text::fold(name).parse().ok()?;
    Some(day.weekday() == wd)
}

/// Quotations agree when one is (a part of) the other; when the other version carries one's
/// words without quotation marks they are two quotations side by side, and nothing can be told.
fn quotes_agree(story: &Story, a: &Item, b: &Item) -> Option<bool> {
    let contains = |x: &str, y: &str| format!(" {x} ").contains(&format!(" {y} "));
    if contains(&a.value, &b.value) || contains(&b.value, &a.value) {
        return Some(true);
    }
    let unquoted = contains(&story.context.folded(b.doc, b.claim.sentence), &a.value)
        || contains(&story.context.folded(a.doc, a.claim.sentence), &b.value);
    (!unquoted).then_some(false)
}

/// Whether a slot names one specific thing in a story, so that any two claims on it are about
/// the same thing wherever they stand.
fn specific(class: Class, slot: &str) -> bool {
    match class {
        Class::Role => role_parts(slot).0.is_some(),
        Class::Time => slot.ends_with(" start"),
        Class::Quantity | Class::Quote | Class::Attribution => false,
    }
}

/// Whether two claims of a group are about the same thing.
fn about_same(story: &Story, class: Class, slot: &str, a: &Item, b: &Item) -> Option<Relation> {
    let rel = story.relation(a, b);
    if specific(class, slot) {
        return Some(rel);
    }
    if rel == Relation::Related && matches!(class, Class::Quantity | Class::Time) {
        // Figures for different places ("7 injured in Kharkiv", "20 in Zaporizhzhia") are
        // about different things however alike the sentences read.
        let places = |it: &Item| story.places.get(&(it.doc, it.claim.sentence));
        if let (Some(pa), Some(pb)) = (places(a), places(b)) {
            if pa.is_disjoint(pb) {
                return None;
            }
        }
    }
    (rel > Relation::Unrelated).then_some(rel)
}

struct Dsu(Vec<usize>);

impl Dsu {
    fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut x = x;
        while self.0[x] != r {
            let n = self.0[x];
            self.0[x] = r;
            x = n;
        }
        r
    }
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.0[a.max(b)] = a.min(b);
        }
    }
}

/// Compares the claims of one slot: clusters of agreeing claims about the same thing, the
/// contradictions between clusters, and the clusters only one family states.
fn compare_group(
    story: &Story,
    items: &[Item],
    class: Class,
    slot: &str,
    members: &[usize],
    out: &mut Vec<Finding>,
) {
    let n = members.len();
    let mut dsu = Dsu((0..n).collect());
    let mut conflicts: Vec<(usize, usize, Relation)> = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = (&items[members[i]], &items[members[j]]);
            let Some(rel) = about_same(story, class, slot, a, b) else {
                if same_words(story, class, a, b) {
                    dsu.union(i, j);
                }
                continue;
            };
            match compatible(story, class, a, b) {
                Some(true) => dsu.union(i, j),
                Some(false) if conflict_worth(class, slot, a, b, rel) => {
                    conflicts.push((i, j, rel))
                }
                _ => {}
            }
        }
    }
    let mut clusters: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &m) in members.iter().enumerate() {
        let r = dsu.find(i);
        clusters.entry(r).or_default().push(m);
    }
    // One finding per pair of disagreeing clusters, with the strongest relation seen.
    let mut pairs: BTreeMap<(usize, usize), Relation> = BTreeMap::new();
    for (i, j, rel) in conflicts {
        let (ri, rj) = (dsu.find(i), dsu.find(j));
        if ri == rj {
            continue;
        }
        let key = (ri.min(rj), ri.max(rj));
        let e = pairs.entry(key).or_insert(rel);
        *e = (*e).max(rel);
    }
    let mut in_conflict = BTreeSet::new();
    for ((ra, rb), rel) in &pairs {
        let (a, b) = (&clusters[ra], &clusters[rb]);
        in_conflict.insert(*ra);
        in_conflict.insert(*rb);
        if let Some(f) = explain::contradiction(story, items, class, slot, a, b, *rel) {
            out.push(f);
        }
    }
    for (root, cluster) in &clusters {
        let fams: BTreeSet<usize> = cluster.iter().map(|&i| items[i].family).collect();
        if fams.len() >= 2 {
            out.push(explain::corroborated(
                story,
                items,
                class,
                slot,
                cluster,
                fams.len(),
            ));
        } else if !in_conflict.contains(root) && class != Class::Attribution {
            if let Some(f) = lone(story, items, class, slot, cluster) {
                out.push(f);
            }
        }
    }
}

/// The same value on the same slot in sentences that share a few words (the claims' own words
/// count here): a long quotation repeated word for word, or "a 30-hour Easter truce" in two
/// versions, is one fact even where the sentences around it were rewritten.
///
/// Hedges may differ where they allow the same figure ("about 40 centimetres", "a
/// 40-centimetre crack"), and the words next to the claims may be all two rewrites share
/// ("which opened in 1987"), unless the sentences name different places.
fn same_words(story: &Story, class: Class, a: &Item, b: &Item) -> bool {
    if a.value != b.value {
        return false;
    }
    let same_hedge = a.claim.qualifier == b.claim.qualifier;
    match class {
        Class::Quote => same_hedge,
        Class::Quantity | Class::Time => {
            let hedges_meet = same_hedge
                || (class == Class::Quantity
                    && overlap(
                        quantity_range(1.0, a.claim.qualifier.as_deref()),
                        quantity_range(1.0, b.claim.qualifier.as_deref()),
                    ));
            let places = |it: &Item| story.places.get(&(it.doc, it.claim.sentence));
            let elsewhere =
                matches!((places(a), places(b)), (Some(pa), Some(pb)) if pa.is_disjoint(pb));
            hedges_meet
                && (story.context.loosely_related(a, b)
                    || (!elsewhere && story.context.near_share(a, b)))
        }
        Class::Role | Class::Attribution => false,
    }
}

/// Whether a disagreement is worth a reader's attention at all.
fn conflict_worth(class: Class, slot: &str, a: &Item, b: &Item, rel: Relation) -> bool {
    match class {
        Class::Role => {
            let same = same_person(&a.value, &b.value);
            match (a.former(), b.former()) {
                // Two former holders of a title are history, not a disagreement.
                (true, true) => false,
                // The same person current in one version, former in another; or different
                // people for the title in passages about the same thing.
                (true, false) | (false, true) => same || rel != Relation::Unrelated,
                (false, false) => !same,
            }
        }
        Class::Quote => {
            // Versions of one quotation share some of its words, or stand in aligned sentences.
            rel >= Relation::Aligned || context::share_content_word(&a.value, &b.value)
        }
        // A story's passages name many days (found on Wednesday, closed on Thursday): two
        // dates for something unnamed differ only where one sentence was edited.
        Class::Time if !specific(class, slot) => a.doc != b.doc && rel >= Relation::Aligned,
        // One article giving two figures for one slot usually means two things (two attacks,
        // two places); only a specific slot makes that an inconsistency.
        _ => a.doc != b.doc || specific(class, slot),
    }
}

/// A cluster that only one family states: a single-source claim, and a rewrite's own addition
/// where the document's family siblings (its source or fellow copies) lack it.
fn lone(
    story: &Story,
    items: &[Item],
    class: Class,
    slot: &str,
    cluster: &[usize],
) -> Option<Finding> {
    let first = &items[cluster[0]];
    let docs: BTreeSet<usize> = cluster.iter().map(|&i| items[i].doc).collect();
    let siblings = story.family_size[&first.family];
    let added = siblings > 1 && docs.len() < siblings;
    // In a story with one family every claim has one source: only additions stand out.
    // Relative dates no article date resolves ("on Monday") cannot be checked by anyone.
    if (story.family_count < 2 && !added)
        || (first.claim.kind == ClaimKind::Date && date_range(&first.value).is_none())
    {
        return None;
    }
    Some(explain::lone(story, items, class, slot, cluster, added))
}

/// Names (people, organisations, places) that only one version mentions, when that version is a
/// rewrite of others: a detail the rewriting added.
fn mentions(story: &Story, items: &[Item], out: &mut Vec<Finding>) {
    let mut by_value: BTreeMap<(ClaimKind, &str), Vec<usize>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        if matches!(
            it.claim.kind,
            ClaimKind::Person | ClaimKind::Organization | ClaimKind::Place
        ) {
            by_value
                .entry((it.claim.kind, it.value.as_str()))
                .or_default()
                .push(i);
        }
    }
    let people: Vec<&str> = by_value
        .keys()
        .filter(|(k, _)| *k == ClaimKind::Person)
        .map(|(_, v)| *v)
        .collect();
    for ((kind, value), list) in &by_value {
        let docs: BTreeSet<usize> = list.iter().map(|&i| items[i].doc).collect();
        if docs.len() != 1 {
            continue;
        }
        let d = items[list[0]].doc;
        // An outlet naming itself ("the Gazette calculated") or its home ground adds no
        // detail. Values are name keys, so the outlet's name is keyed the same way.
        let own_name = story.docs[d]
            .outlet
            .as_deref()
            .is_some_and(|o| format!(" {} ", name_key(o)).contains(&format!(" {value} ")));
        // A name a contradiction already quotes ("Mayor David Okafor") is reported there.
        let disputed = list.iter().any(|&i| {
            let it = &items[i];
            out.iter().any(|f| {
                f.kind == FindingKind::Contradiction
                    && f.evidence.iter().any(|e| {
                        e.doc == story.docs[d].id
                            && e.sentence == it.claim.sentence
                            && e.text.contains(&it.claim.text)
                    })
            })
        });
        if !story.is_rewrite(d) || own_name || disputed {
            continue;
        }
        // "Chamber of Commerce" where another version writes "Port Alder Chamber of Commerce".
        if *kind != ClaimKind::Person
            && by_value.iter().any(|((k, v), l)| {
                k == kind
                    && v.ends_with(&format!(" {value}"))
                    && l.iter().any(|&i| items[i].doc != d)
            })
        {
            continue;
        }
        // A bare surname another version spells out in full is the same person.
        if *kind == ClaimKind::Person
            && people.iter().any(|p| {
                p != value
                    && same_person(p, value)
                    && by_value[&(ClaimKind::Person, *p)]
                        .iter()
                        .any(|&i| items[i].doc != d)
            })
        {
            continue;
        }
        out.push(explain::unsupported_mention(story, &items[list[0]]));
    }
}

/// Whether a contradiction already found rests on both claims' sentences.
fn covered(story: &Story, findings: &[Finding], a: &Item, b: &Item) -> bool {
    let at =
        |it: &Item, e: &Evidence| e.doc == story.docs[it.doc].id && e.sentence == it.claim.sentence;
    findings.iter().any(|f| {
        f.kind == FindingKind::Contradiction
            && f.evidence.iter().any(|e| at(a, e))
            && f.evidence.iter().any(|e| at(b, e))
    })
}

/// Aligned sentences that differ in one name or date: the classic one-word edit that word
/// overlap cannot see.
fn one_word_edits(story: &Story, items: &[Item], out: &mut Vec<Finding>) {
    let mut by_sentence: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (i, it) in items.iter().enumerate() {
        by_sentence
            .entry((it.doc, it.claim.sentence))
            .or_default()
            .push(i);
    }
    let mut pairs: Vec<(&SentenceAt, &SentenceAt)> = story
        .links
        .iter()
        .filter(|(_, k)| **k == LinkKind::NearVerbatim)
        .map(|((a, b), _)| (a, b))
        .filter(|(a, b)| a < b)
        .collect();
    pairs.sort();
    for (a, b) in pairs {
        let (Some(ca), Some(cb)) = (by_sentence.get(a), by_sentence.get(b)) else {
            continue;
        };
        for kind in [
            ClaimKind::Person,
            ClaimKind::Place,
            ClaimKind::Organization,
            ClaimKind::Date,
        ] {
            let only = |x: &[usize], y: &[usize]| -> Vec<usize> {
                x.iter()
                    .copied()
                    .filter(|&i| items[i].claim.kind == kind)
                    .filter(|&i| {
                        !y.iter().any(|&j| {
                            items[j].claim.kind == kind
                                && (items[j].value == items[i].value
                                    || (kind == ClaimKind::Person
                                        && same_person(&items[j].value, &items[i].value)))
                        })
                    })
                    .collect()
            };
            let (oa, ob) = (only(ca, cb), only(cb, ca));
            if oa.len() != 1 || ob.len() != 1 {
                continue;
            }
            let (x, y) = (&items[oa[0]], &items[ob[0]]);
            // The same word in other letters ("thursday", "Thursday"), or one day written two
            // ways, is no edit; nor is a difference a slot finding already reports.
            let same_surface =
                crosscheck_text::fold(&x.claim.text) == crosscheck_text::fold(&y.claim.text);
            let same_time = kind == ClaimKind::Date && time_compatible(story, x, y) == Some(true);
            if !same_surface && !same_time && !covered(story, out, x, y) {
                out.push(explain::edit(story, x, y, kind));
            }
        }
    }
}

#[cfg(test)]
mod tests;
