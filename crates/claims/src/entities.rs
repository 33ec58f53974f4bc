//! People, organisations and places mentioned in a sentence, and the roles people are given.

use crosscheck_text::{MONTHS, WEEKDAYS};
use std::collections::HashMap;
use std::sync::LazyLock;

use crate::lexicon::{demonym, title_at, EntityType, GAZ, HONORIFICS, NOT_NAMES, ORG_SUFFIXES};
use crate::names::{canonical_name, lookup, name_key};
use crate::words::Word;

/// One mention: words `[first, last]` of the sentence.
#[derive(Debug, Clone)]
pub(crate) struct Mention {
    pub first: usize,
    pub last: usize,
    pub ty: EntityType,
    pub canon: String,
}

/// A role given to a person mention.
#[derive(Debug, Clone)]
pub(crate) struct RoleMention {
    /// First word of the role phrase (`former`, the country, or the title).
    pub first: usize,
    pub last: usize,
    pub country: Option<String>,
    pub title: &'static str,
    pub former: bool,
    pub person: String,
}

/// The full names a document uses, by surname key, so that a later bare surname resolves to
/// the same canonical value (`Zelensky` → `volodymyr zelensky`).
#[derive(Debug, Default)]
pub(crate) struct DocNames {
    by_surname: HashMap<String, Option<String>>,
}

impl DocNames {
    pub fn add(&mut self, canon: &str) {
        let Some((_, surname)) = canon.rsplit_once(' ') else {
            return;
        };
        let e = self
            .by_surname
            .entry(surname.to_string())
            .or_insert_with(|| Some(canon.to_string()));
        if e.as_deref() != Some(canon) {
            // Two people share the surname: a bare surname stays ambiguous.
            *e = None;
        }
    }

    fn full(&self, key: &str) -> Option<&str> {
        self.by_surname.get(key).and_then(|v| v.as_deref())
    }
}

/// Gazetteer people by surname key.
static KNOWN_SURNAMES: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    GAZ.by_key
        .values()
        .filter(|(_, ty)| *ty == EntityType::Person)
        .filter_map(|(canon, _)| {
            let key = name_key(canon);
            Some((key.rsplit_once(' ')?.1.to_string(), *canon))
        })
        .collect()
});

const PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "den", "da", "del", "di", "bin", "al", "la", "le", "du",
];

/// Words that make a capitalised run a place ("Fort Carson", "Orange County").
const PLACE_PREFIXES: &[&str] = &[
    "fort", "mount", "lake", "port", "saint", "st", "cape", "san", "santa", "los", "las", "el",
];
const PLACE_SUFFIXES: &[&str] = &[
    "city",
    "county",
    "island",
    "islands",
    "street",
    "road",
    "avenue",
    "province",
    "region",
    "valley",
    "river",
    "bay",
    "beach",
    "park",
    "square",
    "district",
    "peninsula",
    "mountains",
    "heights",
    "strip",
    "viaduct",
    "bridge",
    "tunnel",
    "shore",
    "shores",
    "coast",
    "harbour",
    "harbor",
    "port",
    "pier",
    "quay",
    "canal",
    "hall",
    "station",
    "airport",
    "stadium",
    "market",
];

const SPEECH_AFTER: &[&str] = &[
    "said", "says", "told", "added", "insisted", "wrote", "tweeted",
];

fn is_separator(w: &Word) -> bool {
    NOT_NAMES.contains(&w.fold.as_str())
        || MONTHS.contains(&w.fold.as_str())
        || WEEKDAYS.contains(&w.fold.as_str())
        || HONORIFICS.contains(&w.fold.as_str())
        || demonym(&w.fold).is_some()
        || w.text
            .chars()
            .all(|c| c.is_numeric() || c == ',' || c == '.')
}

fn title_len(words: &[Word], i: usize) -> Option<(&'static str, usize)> {
    let folded: Vec<&str> = words[i..(i + 4).min(words.len())]
        .iter()
        .enumerate()
        .take_while(|(k, w)| *k == 0 || w.joined())
        .map(|(_, w)| w.fold.as_str())
        .collect();
    title_at(&folded)
}

/// Resolves a name run to its canonical value: a document's full name or a well-known person
/// for a bare surname, the gazetteer name, or the name's key.
fn person_canon(key: &str, names: &DocNames) -> String {
    if !key.contains(' ') {
        if let Some(full) = names.full(key) {
            return full.to_string();
        }
        if let Some(full) = KNOWN_SURNAMES.get(key) {
            return (*full).to_string();
        }
    }
    canonical_name(key)
}

/// Mentions in one sentence. `names` holds the document's full names (collected by a first
/// pass over the document); in Title Case sentences only known names are taken.
pub(crate) fn mentions(words: &[Word], title_case: bool, names: &DocNames) -> Vec<Mention> {
    let n = words.len();
    let mut out = Vec::new();
    let mut i = 0;
    'outer: while i < n {
        if !words[i].cap {
            i += 1;
            continue;
        }
        // Gazetteer entries, longest first, on joined words.
        for len in (1..=GAZ.max_words.min(n - i)).rev() {
            let span = &words[i..i + len];
            if span[1..].iter().any(|w| !w.joined()) || span[..len - 1].iter().any(|w| w.possessive)
            {
                continue;
            }
            let text: Vec<&str> = span.iter().map(|w| w.base()).collect();
            if let Some((canon, ty)) = lookup(&name_key(&text.join(" "))) {
                // "US" and "UK" spelled in capitals only; "us" the pronoun is not a country.
                if len == 1
                    && span[0].base().len() <= 3
                    && span[0].base().to_uppercase() != span[0].base()
                {
                    break;
                }
                out.push(Mention {
                    first: i,
                    last: i + len - 1,
                    ty,
                    canon: canon.to_string(),
                });
                i += len;
                continue 'outer;
            }
        }
        if let Some((_, tl)) = title_len(words, i) {
            i += tl;
            continue;
        }
        if is_separator(&words[i]) {
            i += 1;
            continue;
        }
        // A run of capitalised words (with name particles) joined by spaces.
        let mut j = i + 1;
        while j < n && words[j].joined() && !words[j - 1].possessive {
            let w = &words[j];
            let particle = PARTICLES.contains(&w.fold.as_str())
                && words.get(j + 1).is_some_and(|x| x.cap && x.joined());
            if !(w.cap || particle) || is_separator(w) || title_len(words, j).is_some() {
                break;
            }
            if lookup(&name_key(w.base())).is_some() && !particle {
                break;
            }
            j += 1;
        }
        let run = &words[i..j];
        if title_case {
            // Capitals mean nothing here: only names the document or the gazetteer knows.
            for (k, w) in run.iter().enumerate() {
                let key = name_key(w.base());
                if names.full(&key).is_some() || KNOWN_SURNAMES.contains_key(&key) {
                    out.push(Mention {
                        first: i + k,
                        last: i + k,
                        ty: EntityType::Person,
                        canon: person_canon(&key, names),
                    });
                }
            }
            i = j;
            continue;
        }
        let text: Vec<&str> = run.iter().map(|w| w.base()).collect();
        let key = name_key(&text.join(" "));
        let last_fold = run[run.len() - 1].fold.as_str();
        let prev = i.checked_sub(1).map(|p| &words[p]);
        let titled = prev.is_some_and(|p| {
            HONORIFICS.contains(&p.fold.as_str())
                || (i.saturating_sub(4)..i)
                    .any(|s| title_len(words, s).is_some_and(|(_, l)| s + l == i))
        });
        let speaks = words
            .get(j)
            .is_some_and(|w| SPEECH_AFTER.contains(&w.fold.as_str()) && w.joined());
        let known =
            !key.contains(' ') && (names.full(&key).is_some() || KNOWN_SURNAMES.contains_key(&key));
        // "Indiana Pacers President Larry Bird": a name right before a title and a name is the
        // body the title belongs to.
        let heads_title = j < n
            && words[j].joined()
            && !words[j - 1].possessive
            && title_len(words, j)
                .is_some_and(|(_, l)| words.get(j + l).is_some_and(|x| x.cap && x.joined()));
        let reported = i >= 2 && words[i - 2].fold == "according" && words[i - 1].fold == "to";
        let first_fold = run[0].fold.as_str();
        let placed = i > 0
            && matches!(
                words[i - 1].fold.as_str(),
                "in" | "near" | "outside" | "across"
            );
        // "the Gazette", "Chamber of Commerce": a name behind an article or inside an
        // "X of Y" name is an institution or a place, never a person.
        let prev_fold = prev.map(|p| p.fold.as_str());
        let of_name = prev_fold == Some("of") && i >= 2 && words[i - 2].cap && words[i].joined();
        let institution = (prev_fold == Some("the") || of_name) && !known && !titled;
        let ty = if (ORG_SUFFIXES.contains(&last_fold) && run.len() > 1)
            || heads_title
            || reported
            || (institution && !PLACE_SUFFIXES.contains(&last_fold))
        {
            Some(EntityType::Org)
        } else if (run.len() > 1
            && (PLACE_PREFIXES.contains(&first_fold) || PLACE_SUFFIXES.contains(&last_fold)))
            || (placed && run.len() == 1 && !known)
        {
            Some(EntityType::Place)
        } else if run.len() >= 2 || known || titled || speaks {
            Some(EntityType::Person)
        } else {
            None
        };
        // "Chamber of Commerce": one name with the mention before "of".
        if of_name && ty.is_some() {
            if let Some(m) = out
                .last_mut()
                .filter(|m| m.last + 2 == i && m.ty != EntityType::Person)
            {
                let whole: Vec<&str> = words[m.first..j].iter().map(|w| w.base()).collect();
                m.last = j - 1;
                m.ty = EntityType::Org;
                m.canon = canonical_name(&name_key(&whole.join(" ")));
                i = j;
                continue;
            }
        }
        if let Some(ty) = ty {
            let canon = if ty == EntityType::Person {
                person_canon(&key, names)
            } else {
                canonical_name(&key)
            };
            out.push(Mention {
                first: i,
                last: j - 1,
                ty,
                canon,
            });
        }
        i = j;
    }
    out
}

/// The country (or body) a word range names, as the qualifier of a role: a demonym, a country
/// or organisation mention (possibly possessive).
fn country_before(words: &[Word], mentions: &[Mention], end: usize) -> Option<(String, usize)> {
    if let Some(m) = mentions.iter().find(|m| m.last + 1 == end) {
        if matches!(
            m.ty,
            EntityType::Country | EntityType::Org | EntityType::Place
        ) {
            return Some((m.canon.clone(), m.first));
        }
    }
    let w = words.get(end.checked_sub(1)?)?;
    if let Some(c) = demonym(&w.fold) {
        if end >= 2 {
            let two = format!("{} {}", words[end - 2].fold, w.fold);
            if let Some(c2) = demonym(&two) {
                return Some((c2.to_string(), end - 2));
            }
        }
        return Some((c.to_string(), end - 1));
    }
    None
}

fn is_former(w: &Word) -> bool {
    matches!(w.fold.as_str(), "former" | "ex" | "then")
}

/// Roles given to the person mentions of a sentence: `[former] [country] TITLE NAME` and
/// `NAME, [the] [former] [country] TITLE [of COUNTRY],`.
pub(crate) fn roles(words: &[Word], mentions: &[Mention]) -> Vec<RoleMention> {
    let mut out = Vec::new();
    for m in mentions.iter().filter(|m| m.ty == EntityType::Person) {
        if let Some(r) = role_before(words, mentions, m) {
            out.push(r);
        } else if let Some(r) = role_after(words, mentions, m) {
            out.push(r);
        }
    }
    out
}

fn role_before(words: &[Word], mentions: &[Mention], m: &Mention) -> Option<RoleMention> {
    let p = m.first;
    if !words[p].joined() {
        return None;
    }
    let (title, ts) = (p.saturating_sub(4)..p)
        .find_map(|s| title_len(words, s).and_then(|(t, l)| (s + l == p).then_some((t, s))))?;
    let mut first = ts;
    let mut country = None;
    if ts > 0 && words[ts].joined() {
        if let Some((c, cs)) = country_before(words, mentions, ts) {
            country = Some(c);
            first = cs;
        }
    }
    let mut former = false;
    if first > 0 && is_former(&words[first - 1]) && words[first].joined() {
        former = true;
        first -= 1;
    }
    Some(RoleMention {
        first,
        last: m.last,
        country,
        title,
        former,
        person: m.canon.clone(),
    })
}

fn role_after(words: &[Word], mentions: &[Mention], m: &Mention) -> Option<RoleMention> {
    let mut k = m.last + 1;
    if !words.get(k)?.gap.contains(',') {
        return None;
    }
    if words.get(k)?.fold == "the" {
        k += 1;
    }
    let former = words.get(k).is_some_and(is_former);
    if former {
        k += 1;
    }
    let mut country = None;
    if let Some(cm) = mentions
        .iter()
        .find(|c| c.first == k && c.ty != EntityType::Person)
    {
        country = Some(cm.canon.clone());
        k = cm.last + 1;
    } else if let Some(c) = words.get(k).and_then(|w| demonym(&w.fold)) {
        country = Some(c.to_string());
        k += 1;
    }
    let (title, tl) = title_len(words, k)?;
    let mut last = k + tl - 1;
    if words.get(last + 1).is_some_and(|w| w.fold == "of") {
        if let Some(cm) = mentions
            .iter()
            .find(|c| c.first == last + 2 && c.ty != EntityType::Person)
        {
            country = country.or(Some(cm.canon.clone()));
            last = cm.last;
        }
    }
    // The appositive must close (comma, end, or a verb follows) to be about this person.
    let closes = words.get(last + 1).is_none_or(|w| !w.joined());
    closes.then(|| RoleMention {
        first: m.first,
        last,
        country,
        title,
        former,
        person: m.canon.clone(),
    })
}
