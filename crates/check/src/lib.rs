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
    date_range, duration_range_years, fractional_year, quantity_range, role_parts, same_person,
};
use crosscheck_model::{
    Claim, ClaimKind, Document, Evidence, Family, Finding, FindingKind, LinkKind, Sentence,
    SentenceLink, Severity,
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

/// What the story's structure says about its documents.
pub(crate) struct Story<'a> {
    pub docs: &'a [&'a Document],
    pub sentences: &'a [Vec<Sentence>],
    index: HashMap<&'a str, usize>,
    pub family: Vec<usize>,
    family_size: HashMap<usize, usize>,
    pub family_count: usize,
    /// Aligned sentence pairs (both directions), with how close the alignment is.
    links: HashMap<((usize, usize), (usize, usize)), LinkKind>,
    /// Documents that share sentences with another document: rewrites or their sources.
    linked_docs: Vec<bool>,
    /// The date each document is read against: its own, else the story's latest.
    pub reference: Vec<Option<chrono::NaiveDate>>,
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
        let index: HashMap<&str, usize> = docs.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
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
            let (Some(&a), Some(&b)) = (index.get(l.a.doc.as_str()), index.get(l.b.doc.as_str())) else {
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
        let latest = own.iter().flatten().max().copied();
        Story {
            docs,
            sentences,
            family_count: family_size.len(),
            index,
            family,
            family_size,
            links: link_map,
            linked_docs,
            reference: own.into_iter().map(|d| d.or(latest)).collect(),
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
        if self.link((a.doc, a.claim.sentence), (b.doc, b.claim.sentence)).is_some() {
            return Relation::Aligned;
        }
        self.context.relation(a, b)
    }

    /// A document is a rewrite when it shares a family or aligned sentences with another.
    fn is_rewrite(&self, d: usize) -> bool {
        self.family_size[&self.family[d]] > 1 || self.linked_docs[d]
    }

    pub fn label(&self, d: usize) -> String {
        let doc = self.docs[d];
        match &doc.outlet {
            Some(o) => format!("{} ({o})", doc.id),
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
            let mut full = people.iter().filter(|p| p.contains(' ') && same_person(p, v));
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
                        (None, title) => match countries.get(&(person.clone(), title.to_string())) {
                            Some(cs) if cs.len() == 1 => format!("{} {title}", cs.iter().next().unwrap_or(&String::new())),
                            _ => c.slot.clone(),
                        },
                        _ => c.slot.clone(),
                    };
                    (slot, person)
                }
                ClaimKind::Quote | ClaimKind::Attribution => (full_name(&c.slot), c.value.clone()),
                _ => (c.slot.clone(), c.value.clone()),
            };
            let key = (doc, c.kind, slot.clone(), value.clone(), c.qualifier.clone());
            if !seen.insert(key) {
                continue;
            }
            out.push(Item {
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
        Class::Quote => Some(quotes_agree(story, a, b)),
        Class::Attribution => Some(a.value == b.value),
    }
}

fn overlap(a: (f64, f64), b: (f64, f64)) -> bool {
    a.0 <= b.1 + 1e-9 && b.0 <= a.1 + 1e-9
}

/// The span of fractional years a time claim places its event's start (or date) in.
fn time_span(story: &Story, it: &Item) -> Option<(f64, f64)> {
    match it.claim.kind {
        ClaimKind::Date => date_range(&it.value),
        ClaimKind::Duration if it.slot.ends_with(" start") => {
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
            return Some(overlap(ra, rb));
        }
    }
    if let (Some(ra), Some(rb)) = (time_span(story, a), time_span(story, b)) {
        return Some(overlap(ra, rb));
    }
    // Unresolved relative dates ("monday", "last week") compare only as words.
    let plain = |it: &Item| it.claim.kind == ClaimKind::Date && date_range(&it.value).is_none();
    (plain(a) && plain(b)).then(|| a.value == b.value)
}

/// Quotations agree when one is (a part of) the other, or when the other version carries the
/// same words without quotation marks.
fn quotes_agree(story: &Story, a: &Item, b: &Item) -> bool {
    let contains = |x: &str, y: &str| format!(" {x} ").contains(&format!(" {y} "));
    if contains(&a.value, &b.value) || contains(&b.value, &a.value) {
        return true;
    }
    contains(&story.context.folded(b.doc, b.claim.sentence), &a.value)
        || contains(&story.context.folded(a.doc, a.claim.sentence), &b.value)
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
                continue;
            };
            match compatible(story, class, a, b) {
                Some(true) => dsu.union(i, j),
                Some(false) if conflict_worth(class, slot, a, b, rel) => conflicts.push((i, j, rel)),
                _ => {}
            }
        }
    }
    let mut clusters: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        let r = dsu.find(i);
        clusters.entry(r).or_default().push(members[i]);
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
            out.push(explain::corroborated(story, items, class, slot, cluster, fams.len()));
        } else if !in_conflict.contains(root) && class != Class::Attribution {
            if let Some(f) = lone(story, items, class, slot, cluster) {
                out.push(f);
            }
        }
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
        // One article giving two figures for one slot usually means two things (two attacks,
        // two places); only a specific slot makes that an inconsistency.
        _ => a.doc != b.doc || specific(class, slot),
    }
}

/// A cluster that only one family states: unsupported where it is a rewrite's addition,
/// single-source otherwise.
fn lone(story: &Story, items: &[Item], class: Class, slot: &str, cluster: &[usize]) -> Option<Finding> {
    let first = &items[cluster[0]];
    let fam = first.family;
    let docs: BTreeSet<usize> = cluster.iter().map(|&i| items[i].doc).collect();
    let siblings = story.family_size[&fam];
    if siblings > 1 && docs.len() < siblings {
        return Some(explain::lone(story, items, class, slot, cluster, FindingKind::Unsupported));
    }
    // In a story with one family every claim has one source: nothing to single out.
    if story.family_count < 2 {
        return None;
    }
    Some(explain::lone(story, items, class, slot, cluster, FindingKind::SingleSource))
}

/// Names (people, organisations, places) that only one version mentions, when that version is a
/// rewrite of others: a detail the rewriting added.
fn mentions(story: &Story, items: &[Item], out: &mut Vec<Finding>) {
    let mut by_value: BTreeMap<(ClaimKind, &str), Vec<usize>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        if matches!(it.claim.kind, ClaimKind::Person | ClaimKind::Organization | ClaimKind::Place) {
            by_value.entry((it.claim.kind, it.value.as_str())).or_default().push(i);
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
        if !story.is_rewrite(d) {
            continue;
        }
        // A bare surname another version spells out in full is the same person.
        if *kind == ClaimKind::Person
            && people.iter().any(|p| p != value && same_person(p, value) && by_value[&(ClaimKind::Person, *p)].iter().any(|&i| items[i].doc != d))
        {
            continue;
        }
        out.push(explain::unsupported_mention(story, &items[list[0]]));
    }
}

/// Aligned sentences that differ in one name or date: the classic one-word edit that word
/// overlap cannot see.
fn one_word_edits(story: &Story, items: &[Item], out: &mut Vec<Finding>) {
    let mut by_sentence: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (i, it) in items.iter().enumerate() {
        by_sentence.entry((it.doc, it.claim.sentence)).or_default().push(i);
    }
    let mut pairs: Vec<(&(usize, usize), &(usize, usize))> = story
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
        for kind in [ClaimKind::Person, ClaimKind::Place, ClaimKind::Organization, ClaimKind::Date] {
            let only = |x: &[usize], y: &[usize]| -> Vec<usize> {
                x.iter()
                    .copied()
                    .filter(|&i| items[i].claim.kind == kind)
                    .filter(|&i| {
                        !y.iter().any(|&j| {
                            items[j].claim.kind == kind
                                && (items[j].value == items[i].value
                                    || (kind == ClaimKind::Person && same_person(&items[j].value, &items[i].value)))
                        })
                    })
                    .collect()
            };
            let (oa, ob) = (only(ca, cb), only(cb, ca));
            if oa.len() == 1 && ob.len() == 1 {
                out.push(explain::edit(story, &items[oa[0]], &items[ob[0]], kind));
            }
        }
    }
}

#[cfg(test)]
mod tests;
