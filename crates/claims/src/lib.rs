//! Extracts checkable claims from sentences: people and roles, quantities, dates and durations,
//! quotations, places.
//!
//! Every claim carries a canonical `slot` and `value` that compare across documents: names fold
//! spelling and transliteration variants ([`canonical_name`]), numbers are plain decimals with
//! their hedge kept apart in `qualifier`, dates are ISO 8601 (partial where the text is), and
//! durations ISO 8601 periods. [`quantity_range`], [`duration_range_years`] and [`date_range`]
//! turn values back into the spans they allow, so that a checker can tell a rounding from a
//! contradiction.

mod entities;
mod lexicon;
mod measures;
mod names;
mod numbers;
mod quotes;
mod words;

use crosscheck_model::{Claim, ClaimKind, Document, Sentence, Span};

use entities::{DocNames, Mention};
use lexicon::EntityType;

pub use lexicon::role_parts;
pub use measures::{date_range, duration_range_years, duration_years, fractional_year};
pub use names::{canonical_name, name_key, same_person};
pub use numbers::{duration_range, quantity_range};

/// The claims of a document, sentence by sentence, in reading order.
pub fn extract(doc: &Document, sentences: &[Sentence]) -> Vec<Claim> {
    let reference = doc.published_date();
    let texts: Vec<&str> = sentences
        .iter()
        .map(|s| doc.text.get(s.span.start..s.span.end).unwrap_or(""))
        .collect();
    let parsed: Vec<(Vec<words::Word>, bool)> = texts
        .iter()
        .map(|t| {
            let w = words::words(t);
            let tc = words::is_title_case(&w);
            (w, tc)
        })
        .collect();

    // First pass: the full names the document uses, so bare surnames resolve to them.
    let mut names = DocNames::default();
    let empty = DocNames::default();
    for (w, title_case) in &parsed {
        if *title_case {
            continue;
        }
        for m in entities::mentions(w, false, &empty) {
            if m.ty == EntityType::Person {
                names.add(&m.canon);
            }
        }
    }

    let mut out = Vec::new();
    let mut bare_roles: Vec<(usize, Option<String>)> = Vec::new();
    let mut prev_person: Option<String> = None;
    for (si, (sentence, (w, title_case))) in sentences.iter().zip(&parsed).enumerate() {
        let s = texts[si];
        let base = sentence.span.start;
        let mut push = |start: usize, end: usize, kind, slot: String, value: String, qualifier| {
            let span = Span::new(base + start, base + end);
            out.push(Claim {
                doc: doc.id.clone(),
                sentence: si,
                span,
                kind,
                slot,
                value,
                qualifier,
                text: doc.text[span.start..span.end].to_string(),
            });
            out.len() - 1
        };
        let mentions = entities::mentions(w, *title_case, &names);
        for m in &mentions {
            let kind = match m.ty {
                EntityType::Person => ClaimKind::Person,
                EntityType::Org => ClaimKind::Organization,
                EntityType::Country | EntityType::Place => ClaimKind::Place,
            };
            push(
                w[m.first].start,
                w[m.last].base_end,
                kind,
                String::new(),
                m.canon.clone(),
                None,
            );
        }
        for r in entities::roles(w, &mentions) {
            let slot = match &r.country {
                Some(c) => format!("{c} {}", r.title),
                None => r.title.to_string(),
            };
            let idx = push(
                w[r.first].start,
                w[r.last].base_end,
                ClaimKind::Role,
                slot,
                r.person.clone(),
                r.former.then(|| "former".to_string()),
            );
            if r.country.is_none() {
                bare_roles.push((idx, sole_country_before(w, &mentions, r.first)));
            }
        }
        for f in measures::measures(w, reference) {
            push(f.start, f.end, f.kind, f.slot, f.value, f.qualifier);
        }
        let first_person = mentions
            .iter()
            .find(|m| m.ty == EntityType::Person)
            .map(|m| m.canon.clone());
        let subject = first_person.clone().or_else(|| prev_person.clone());
        for q in quotes::quotes(s, w, &mentions, subject.as_deref()) {
            let value = crosscheck_text::fold(&s[q.span.inner_start..q.span.inner_end]);
            if value.is_empty() {
                continue;
            }
            push(
                q.span.start,
                q.span.end,
                ClaimKind::Quote,
                q.speaker,
                value,
                None,
            );
        }
        for a in quotes::attributions(w, &mentions, subject.as_deref()) {
            push(
                w[a.first].start,
                w[a.last].base_end,
                ClaimKind::Attribution,
                a.speaker,
                a.source,
                None,
            );
        }
        if first_person.is_some() {
            prev_person = first_person;
        }
    }
    resolve_bare_roles(&mut out, bare_roles);
    out
}

/// The one country a sentence names shortly before word `before`, if it names exactly one and
/// names it as a source ("pressure from the U.S., with former President Donald Trump warning"
/// makes Trump's title a US one). A place something happens in or to ("In Ukraine, President
/// Putin said") says nothing about whose title it is.
fn sole_country_before(w: &[words::Word], mentions: &[Mention], before: usize) -> Option<String> {
    let mut countries = mentions.iter().filter(|m| m.ty == EntityType::Country);
    let first = countries.next()?;
    if countries.any(|m| m.canon != first.canon) || first.last >= before || before - first.last > 5
    {
        return None;
    }
    let mut p = first.first.checked_sub(1)?;
    if w[p].fold == "the" {
        p = p.checked_sub(1)?;
    }
    matches!(w[p].fold.as_str(), "from" | "by" | "of").then(|| first.canon.clone())
}

/// Gives a title written without its country ("President Zelensky") the country the same
/// person's same title has elsewhere in the document, else the sentence's sole country.
fn resolve_bare_roles(claims: &mut [Claim], bare: Vec<(usize, Option<String>)>) {
    for (idx, fallback) in bare {
        let (title, person) = (claims[idx].slot.clone(), claims[idx].value.clone());
        let from_doc = claims
            .iter()
            .filter(|c| c.kind == ClaimKind::Role && same_person(&c.value, &person))
            .find_map(|c| match role_parts(&c.slot) {
                (Some(country), t) if t == title => Some(country.to_string()),
                _ => None,
            });
        if let Some(country) = from_doc.or(fallback) {
            claims[idx].slot = format!("{country} {title}");
        }
    }
}

#[cfg(test)]
mod tests;
