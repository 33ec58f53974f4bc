//! Findings as people read them: what disagrees or agrees, the values, and which versions say so.

use std::collections::BTreeSet;

use crosscheck_claims::quantity_range;
use crosscheck_model::{ClaimKind, Finding, FindingKind, Severity};

use crate::context::Relation;
use crate::{Class, Item, Story};

/// `P3Y` → `3 years`, `PT30H` → `30 hours`.
pub(crate) fn duration_words(iso: &str) -> String {
    let Some(rest) = iso.strip_prefix('P') else {
        return iso.to_string();
    };
    let (time, rest) = match rest.strip_prefix('T') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let Some(unit) = rest.chars().last() else {
        return iso.to_string();
    };
    let n = &rest[..rest.len() - unit.len_utf8()];
    let word = match (time, unit) {
        (false, 'Y') => "year",
        (false, 'M') => "month",
        (false, 'W') => "week",
        (false, 'D') => "day",
        (true, 'H') => "hour",
        (true, 'M') => "minute",
        _ => return iso.to_string(),
    };
    let plural = if n == "1" { "" } else { "s" };
    format!("{n} {word}{plural}")
}

fn slot_label(class: Class, slot: &str) -> String {
    format!("{}: {slot}", class.name())
}

/// The versions behind a list of items, one label each, in story order.
fn who(story: &Story, items: &[Item], list: &[usize]) -> String {
    let docs: BTreeSet<usize> = list.iter().map(|&i| items[i].doc).collect();
    docs.into_iter()
        .map(|d| story.label(d))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One evidence per document: the first claim each document states it in.
fn evidence(story: &Story, items: &[Item], list: &[usize]) -> Vec<crosscheck_model::Evidence> {
    let mut seen = BTreeSet::new();
    let mut sorted: Vec<usize> = list.to_vec();
    sorted.sort_by_key(|&i| {
        (
            items[i].doc,
            items[i].claim.sentence,
            items[i].claim.span.start,
        )
    });
    sorted
        .into_iter()
        .filter(|&i| seen.insert(items[i].doc))
        .map(|i| story.evidence(&items[i]))
        .collect()
}

/// The distinct wordings of a list as the articles write them, joined.
fn values(items: &[Item], list: &[usize]) -> String {
    let mut seen = BTreeSet::new();
    let mut out: Vec<String> = Vec::new();
    for &i in list {
        let text = items[i]
            .claim
            .text
            .trim_matches(|c: char| "\"“”‘’'«», ".contains(c));
        if seen.insert(crosscheck_text::fold(text)) {
            out.push(format!("“{text}”"));
        }
    }
    const SHOWN: usize = 4;
    let more = out.len().saturating_sub(SHOWN);
    out.truncate(SHOWN);
    let mut s = out.join(" / ");
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s
}

/// "v1 says" / "v1, v2 say".
fn says(story: &Story, items: &[Item], list: &[usize]) -> String {
    let docs: BTreeSet<usize> = list.iter().map(|&i| items[i].doc).collect();
    let verb = if docs.len() == 1 { "says" } else { "say" };
    format!("{} {verb} {}", who(story, items, list), values(items, list))
}

/// How an undated version's relative times were read, when any of `list` comes from one.
fn assumption(story: &Story, items: &[Item], list: &[usize]) -> String {
    let undated: BTreeSet<usize> = list
        .iter()
        .map(|&i| items[i].doc)
        .filter(|&d| story.assumed[d])
        .collect();
    let Some(date) = undated.first().and_then(|&d| story.reference[d]) else {
        return String::new();
    };
    let names: Vec<String> = undated.iter().map(|&d| story.label(d)).collect();
    format!(
        " ({} has no date; read as of {date}, the story's median date.)",
        names.join(", ")
    )
}

/// "vehicle" → "vehicles": the counted noun of a quantity slot, for a sentence.
fn plural(noun: &str) -> String {
    if noun.contains(' ') || noun.ends_with('s') {
        return noun.to_string();
    }
    match noun.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'o', 'u']) => format!("{stem}ies"),
        _ if noun.ends_with("ch") || noun.ends_with("sh") || noun.ends_with('x') => {
            format!("{noun}es")
        }
        _ => format!("{noun}s"),
    }
}

/// What a slot is about, as a phrase: "the number of vehicles", "when the war began".
fn subject(class: Class, slot: &str) -> String {
    match class {
        Class::Role => format!("who holds the title “{slot}”"),
        Class::Quantity => match slot {
            "percent" => "the percentage".to_string(),
            "age" => "the age".to_string(),
            _ if slot.starts_with("money") => "the amount of money".to_string(),
            _ => format!("the number of {}", plural(slot)),
        },
        Class::Time => {
            let (event, aspect) = slot.rsplit_once(' ').unwrap_or(("", slot));
            match aspect {
                "start" => format!("when the {event} began"),
                "length" => format!("how long the {event} lasts"),
                "date" if !event.is_empty() => format!("the date of the {event}"),
                "duration" => "how long it takes".to_string(),
                _ => "the date".to_string(),
            }
        }
        Class::Quote => format!("the words quoted from {slot}"),
        Class::Attribution => format!("who reported what {slot} said"),
    }
}

fn severity(class: Class, items: &[Item], a: &[usize], b: &[usize], rel: Relation) -> Severity {
    let aligned = rel >= Relation::Aligned;
    match class {
        Class::Role => {
            // Different people for one role is the error a reader must see; the same person
            // called current and former is a lesser one.
            let same = crosscheck_claims::same_person(&items[a[0]].value, &items[b[0]].value);
            if !same || aligned {
                Severity::High
            } else {
                Severity::Medium
            }
        }
        Class::Quantity => {
            let range = |l: &[usize]| {
                let it = &items[l[0]];
                let v = it.value.parse::<f64>().unwrap_or(0.0);
                quantity_range(v, it.claim.qualifier.as_deref())
            };
            let (ra, rb) = (range(a), range(b));
            let gap = (ra.0 - rb.1).max(rb.0 - ra.1).max(0.0);
            let scale = ra.1.max(rb.1).max(1.0);
            if gap / scale <= 0.1 {
                // Rounding-sized differences ("2,900" against "3,000").
                Severity::Low
            } else if aligned {
                Severity::High
            } else {
                Severity::Medium
            }
        }
        Class::Time | Class::Quote => {
            if aligned {
                Severity::High
            } else {
                Severity::Medium
            }
        }
        Class::Attribution => Severity::Low,
    }
}

pub(crate) fn contradiction(
    story: &Story,
    items: &[Item],
    class: Class,
    slot: &str,
    a: &[usize],
    b: &[usize],
    rel: Relation,
) -> Option<Finding> {
    // The side stated first in story order leads.
    let first = |l: &[usize]| {
        l.iter()
            .map(|&i| (items[i].doc, items[i].claim.sentence))
            .min()
    };
    let (a, b) = if first(a) <= first(b) { (a, b) } else { (b, a) };
    let how = match rel {
        Relation::Same => " within one sentence",
        Relation::Aligned => " in matching sentences",
        Relation::Related => " in passages about the same thing",
        Relation::Unrelated => "",
    };
    let both: Vec<usize> = a.iter().chain(b).copied().collect();
    let families: BTreeSet<usize> = a.iter().chain(b).map(|&i| items[i].family).collect();
    let mut ev = evidence(story, items, a);
    ev.extend(evidence(story, items, b));
    Some(Finding {
        kind: FindingKind::Contradiction,
        severity: severity(class, items, a, b, rel),
        slot: slot_label(class, slot),
        explanation: format!(
            "Versions disagree{how} on {}: {}; {}.{}",
            subject(class, slot),
            says(story, items, a),
            says(story, items, b),
            assumption(story, items, &both)
        ),
        families: families.len(),
        evidence: ev,
    })
}

pub(crate) fn corroborated(
    story: &Story,
    items: &[Item],
    class: Class,
    slot: &str,
    cluster: &[usize],
    families: usize,
) -> Finding {
    Finding {
        kind: FindingKind::Corroborated,
        severity: Severity::Info,
        slot: slot_label(class, slot),
        explanation: format!(
            "Confirmed on {} by {families} independent families: {}.{}",
            subject(class, slot),
            says(story, items, cluster),
            assumption(story, items, cluster)
        ),
        families,
        evidence: evidence(story, items, cluster),
    }
}

pub(crate) fn lone(
    story: &Story,
    items: &[Item],
    class: Class,
    slot: &str,
    cluster: &[usize],
    added: bool,
) -> Finding {
    let stated = says(story, items, cluster);
    let explanation = if added {
        format!(
            "Only {stated}, on {}; the other versions in its copy family do not, so it was added in rewriting.",
            subject(class, slot)
        )
    } else {
        format!(
            "Only {stated}, on {}; no independent version confirms it.",
            subject(class, slot)
        )
    };
    let checkable = matches!(class, Class::Quantity | Class::Quote | Class::Time);
    Finding {
        kind: FindingKind::SingleSource,
        severity: if added && checkable {
            Severity::Medium
        } else {
            Severity::Low
        },
        slot: slot_label(class, slot),
        explanation,
        families: 1,
        evidence: evidence(story, items, cluster),
    }
}

fn kind_word(kind: ClaimKind) -> &'static str {
    match kind {
        ClaimKind::Person => "person",
        ClaimKind::Organization => "organisation",
        ClaimKind::Place => "place",
        ClaimKind::Date => "date",
        _ => "value",
    }
}

pub(crate) fn unsupported_mention(story: &Story, it: &Item) -> Finding {
    Finding {
        kind: FindingKind::Unsupported,
        severity: Severity::Low,
        slot: kind_word(it.claim.kind).to_string(),
        explanation: format!(
            "Only {} mentions the {} “{}”; no other version of this story does.",
            story.label(it.doc),
            kind_word(it.claim.kind),
            it.claim.text
        ),
        families: 1,
        evidence: vec![story.evidence(it)],
    }
}

pub(crate) fn edit(story: &Story, a: &Item, b: &Item, kind: ClaimKind) -> Finding {
    let families: BTreeSet<usize> = [a.family, b.family].into_iter().collect();
    Finding {
        kind: FindingKind::Contradiction,
        severity: Severity::Medium,
        slot: format!("aligned {}", kind_word(kind)),
        explanation: format!(
            "Nearly identical sentences name a different {}: {} has “{}”, {} has “{}”.",
            kind_word(kind),
            story.label(a.doc),
            a.claim.text,
            story.label(b.doc),
            b.claim.text
        ),
        families: families.len(),
        evidence: vec![story.evidence(a), story.evidence(b)],
    }
}
