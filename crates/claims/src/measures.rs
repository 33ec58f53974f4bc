//! Quantities with what they count, calendar dates, relative times and durations.

use chrono::{Datelike, Duration, NaiveDate};
use crosscheck_model::ClaimKind;
use crosscheck_text::{MONTHS, WEEKDAYS};

use crate::numbers::{duration_range, format_number, number_at, qualifier_before};
use crate::words::Word;

/// A claim found in a sentence, with byte offsets into the sentence.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    pub kind: ClaimKind,
    pub slot: String,
    pub value: String,
    pub qualifier: Option<String>,
}

const MONTH_ABBR: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month(w: &Word) -> Option<u32> {
    if !w.cap {
        return None;
    }
    let f = w.fold.trim_end_matches('.');
    MONTHS
        .iter()
        .position(|m| *m == f)
        .or_else(|| {
            MONTH_ABBR
                .iter()
                .position(|m| *m == f && f != "may" && f != "mar")
        })
        .map(|i| i as u32 + 1)
}

fn day_number(w: &Word) -> Option<u32> {
    let f = w.fold.as_str();
    let digits = f
        .strip_suffix("st")
        .or_else(|| f.strip_suffix("nd"))
        .or_else(|| f.strip_suffix("rd"))
        .or_else(|| f.strip_suffix("th"))
        .unwrap_or(f);
    let d: u32 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year(w: &Word) -> Option<i32> {
    if w.fold.len() != 4 || !w.fold.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let y: i32 = w.fold.parse().ok()?;
    (1800..=2100).contains(&y).then_some(y)
}

/// Time units: the ISO 8601 designator and how many years one unit is.
fn time_unit(w: &str) -> Option<(&'static str, f64)> {
    Some(match w.trim_end_matches('s') {
        "year" => ("Y", 1.0),
        "decade" => ("0Y", 10.0),
        "month" => ("M", 1.0 / 12.0),
        "week" => ("W", 7.0 / 365.25),
        "day" => ("D", 1.0 / 365.25),
        "hour" => ("TH", 1.0 / 8766.0),
        "minute" => ("TM", 1.0 / 525_960.0),
        _ => return None,
    })
}

/// An ISO 8601 duration (`P3Y`, `PT30H`; decades as ten years).
fn iso_duration(n: f64, unit: &str) -> String {
    match unit {
        "0Y" => format!("P{}Y", format_number(n * 10.0)),
        u if u.starts_with('T') => format!("PT{}{}", format_number(n), &u[1..]),
        u => format!("P{}{}", format_number(n), u),
    }
}

/// How many years an ISO duration value written by [`extract`](crate::extract) spans.
pub fn duration_years(value: &str) -> Option<(f64, f64)> {
    let rest = value.strip_prefix('P')?;
    let (time, rest) = match rest.strip_prefix('T') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let unit = rest.chars().last()?;
    let n: f64 = rest.get(..rest.len() - unit.len_utf8())?.parse().ok()?;
    let per = match (time, unit) {
        (false, 'Y') => 1.0,
        (false, 'M') => 1.0 / 12.0,
        (false, 'W') => 7.0 / 365.25,
        (false, 'D') => 1.0 / 365.25,
        (true, 'H') => 1.0 / 8766.0,
        (true, 'M') => 1.0 / 525_960.0,
        _ => return None,
    };
    Some((n, per))
}

/// The span of years (as fractional years) a duration with its hedge allows.
pub fn duration_range_years(value: &str, qualifier: Option<&str>) -> Option<(f64, f64)> {
    let (n, per) = duration_years(value)?;
    let (lo, hi) = duration_range(n, qualifier);
    Some((lo.max(0.0) * per, hi * per))
}

/// A date value (`2022`, `2022-02`, `2022-02-24`, `2025-W16`) as a span of fractional years.
pub fn date_range(value: &str) -> Option<(f64, f64)> {
    let mut parts = value.split('-');
    let y: f64 = parts.next()?.parse().ok()?;
    match (parts.next(), parts.next()) {
        (None, _) => Some((y, y + 1.0)),
        (Some(w), None) if w.starts_with('W') => {
            let w: f64 = w[1..].parse().ok()?;
            let s = y + (w - 1.0) * 7.0 / 365.25;
            Some((s, s + 7.0 / 365.25))
        }
        (Some(m), None) => {
            let m: f64 = m.parse().ok()?;
            let s = y + (m - 1.0) / 12.0;
            Some((s, s + 1.0 / 12.0))
        }
        (Some(m), Some(d)) => {
            let date = NaiveDate::from_ymd_opt(y as i32, m.parse().ok()?, d.parse().ok()?)?;
            let s = fractional_year(date);
            Some((s, s + 1.0 / 365.25))
        }
    }
}

pub fn fractional_year(d: NaiveDate) -> f64 {
    d.year() as f64 + d.ordinal0() as f64 / 365.25
}

fn iso_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

/// Nouns naming events whose dates and durations articles state, with a canonical name: the
/// war and the invasion of one story are the same event.
fn event(w: &str) -> Option<&'static str> {
    Some(match w {
        "war" | "wars" | "conflict" | "invasion" | "hostilities" | "fighting" => "war",
        "election" | "elections" | "vote" | "referendum" => "election",
        "ceasefire" | "truce" | "armistice" => "ceasefire",
        "talks" | "negotiations" | "summit" => "talks",
        "pandemic" | "outbreak" | "epidemic" => "pandemic",
        "lockdown" | "siege" | "occupation" | "annexation" | "crisis" | "protests" | "strike" => {
            return match w {
                "lockdown" => Some("lockdown"),
                "siege" => Some("siege"),
                "occupation" => Some("occupation"),
                "annexation" => Some("annexation"),
                "crisis" => Some("crisis"),
                "protests" => Some("protests"),
                _ => None,
            }
        }
        _ => return None,
    })
}

const START_CUES: &[&str] = &[
    "since",
    "start",
    "began",
    "begun",
    "begin",
    "beginning",
    "onset",
    "outbreak",
    "escalated",
    "launched",
    "started",
    "invaded",
    "erupted",
    "broke",
];

/// The event nearest to word `at`, and whether the sentence speaks of its start.
fn event_near(words: &[Word], at: usize) -> Option<(&'static str, bool)> {
    let e = words
        .iter()
        .enumerate()
        .filter_map(|(i, w)| event(&w.fold).map(|e| (i.abs_diff(at), e)))
        .filter(|(d, _)| *d <= 8)
        .min_by_key(|(d, _)| *d)?
        .1;
    let start = words.iter().any(|w| START_CUES.contains(&w.fold.as_str()));
    Some((e, start))
}

/// Units of length, area, weight and volume written joined to their number ("a 10-mile
/// stretch"), in the singular such compounds take.
const MEASURE_UNITS: &[&str] = &[
    "millimetre",
    "millimeter",
    "centimetre",
    "centimeter",
    "metre",
    "meter",
    "kilometre",
    "kilometer",
    "inch",
    "foot",
    "yard",
    "mile",
    "hectare",
    "acre",
    "gram",
    "kilogram",
    "tonne",
    "ton",
    "pound",
    "litre",
    "liter",
    "gallon",
    "storey",
    "story",
    "lane",
];

/// The plural a unit takes after a number, so both spellings share the slot's lemma.
fn unit_plural(unit: &str) -> String {
    match unit {
        "foot" => "feet".into(),
        "inch" => "inches".into(),
        _ => match unit.strip_suffix('y') {
            Some(stem) => format!("{stem}ies"),
            None => format!("{unit}s"),
        },
    }
}

fn date_slot(words: &[Word], at: usize) -> String {
    match event_near(words, at) {
        Some((e, true)) => format!("{e} start"),
        Some((e, false)) => format!("{e} date"),
        None => "date".into(),
    }
}

const PERSON_NOUNS: &[&str] = &[
    "people",
    "person",
    "persons",
    "civilians",
    "civilian",
    "children",
    "child",
    "soldiers",
    "troops",
    "men",
    "man",
    "women",
    "woman",
    "residents",
    "passengers",
    "victims",
    "migrants",
    "refugees",
    "officers",
    "students",
    "workers",
    "fighters",
    "militants",
    "patients",
    "adults",
    "babies",
    "boys",
    "girls",
    "others",
    "police",
    "members",
    "fans",
    "players",
    "voters",
];

fn casualty(w: &str) -> Option<&'static str> {
    if w.starts_with("kill")
        || w.starts_with("fatal")
        || w.starts_with("death")
        || w.starts_with("dead")
        || w == "died"
        || w == "die"
        || w == "dying"
        || w == "lives"
        || w == "bodies"
    {
        Some("killed")
    } else if w.starts_with("injur")
        || w.starts_with("wound")
        || w == "hurt"
        || w == "hospitalised"
        || w == "hospitalized"
    {
        Some("injured")
    } else {
        None
    }
}

fn lemma(w: &str) -> String {
    if PERSON_NOUNS.contains(&w) || w == "times" || w.ends_with("ss") || w.len() <= 3 {
        return w.to_string();
    }
    if let Some(s) = w.strip_suffix("ies") {
        return format!("{s}y");
    }
    w.strip_suffix('s').unwrap_or(w).to_string()
}

const SKIP_BEFORE_UNIT: &[&str] = &[
    "more",
    "other",
    "additional",
    "further",
    "new",
    "of",
    "extra",
];
const DEFINITE: &[&str] = &[
    "the", "these", "those", "its", "his", "her", "their", "our", "both", "all",
];

fn plural(w: &str) -> bool {
    (w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us")) || PERSON_NOUNS.contains(&w)
}

/// Words that cannot be what a number counts: adverbs, and the prepositions and conjunctions
/// the stop word list leaves out.
fn noun_like(w: &str) -> bool {
    !w.ends_with("ly")
        && !crosscheck_text::is_stopword(w)
        && !matches!(
            w,
            "despite"
                | "including"
                | "since"
                | "until"
                | "following"
                | "according"
                | "like"
                | "unlike"
                | "among"
                | "amid"
                | "towards"
                | "toward"
                | "across"
                | "behind"
                | "beyond"
                | "near"
                | "ago"
                | "later"
                | "earlier"
                | "apiece"
                | "each"
        )
}

fn is_word(w: &Word) -> bool {
    w.fold
        .chars()
        .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
}

/// Resolves a weekday to the date it most likely means in an article published on `reference`:
/// the last such day, or the next one when the sentence speaks of the future.
fn weekday_date(reference: NaiveDate, wd: u32, future: bool) -> Option<NaiveDate> {
    let today = reference.weekday().num_days_from_monday();
    let back = (today as i64 - wd as i64).rem_euclid(7);
    if future && back != 0 {
        reference.checked_add_signed(Duration::days(7 - back))
    } else {
        reference.checked_sub_signed(Duration::days(back))
    }
}

/// Quantities, dates and durations in one sentence.
pub(crate) fn measures(words: &[Word], reference: Option<NaiveDate>) -> Vec<Found> {
    let mut out = Vec::new();
    let future = words.iter().any(|w| {
        matches!(
            w.fold.as_str(),
            "will" | "next" | "upcoming" | "coming" | "scheduled" | "tomorrow"
        )
    });
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let mut push =
            |first: usize, last: usize, kind, slot: String, value: String, q: Option<String>| {
                out.push(Found {
                    start: words[first].start,
                    end: words[last].base_end,
                    kind,
                    slot,
                    value,
                    qualifier: q,
                })
            };
        // Month [day] [year] / day Month [year].
        if let Some(m) = month(w) {
            let day_before = i.checked_sub(1).and_then(|p| day_number(&words[p]));
            let day_after = words.get(i + 1).filter(|x| x.joined()).and_then(day_number);
            let mut last = i;
            let day = day_after.or(day_before);
            if day_after.is_some() {
                last = i + 1;
            }
            let y = words.get(last + 1).and_then(year);
            if y.is_some() {
                last += 1;
            }
            let first = if day_before.is_some() && day_after.is_none() {
                i - 1
            } else {
                i
            };
            if w.fold == "may" && day.is_none() && y.is_none() {
                i += 1;
                continue;
            }
            let y = y.or_else(|| {
                // A month without a year is the latest such month by the article's date.
                reference.map(|r| {
                    if m > r.month() + 1 {
                        r.year() - 1
                    } else {
                        r.year()
                    }
                })
            });
            let value = match (y, day) {
                (Some(y), Some(d)) => format!("{y}-{m:02}-{d:02}"),
                (Some(y), None) => format!("{y}-{m:02}"),
                (None, Some(d)) => format!("--{m:02}-{d:02}"),
                (None, None) => format!("--{m:02}"),
            };
            push(
                first,
                last,
                ClaimKind::Date,
                date_slot(words, i),
                value,
                None,
            );
            i = last + 1;
            continue;
        }
        if let Some(wd) = WEEKDAYS.iter().position(|d| *d == w.fold).filter(|_| w.cap) {
            let value = reference
                .and_then(|r| weekday_date(r, wd as u32, future))
                .map_or_else(|| WEEKDAYS[wd].to_string(), |d| d.to_string());
            push(i, i, ClaimKind::Date, date_slot(words, i), value, None);
            i += 1;
            continue;
        }
        if let Some(found) = relative_day(words, i, reference) {
            let (last, value) = found;
            push(i, last, ClaimKind::Date, date_slot(words, i), value, None);
            i = last + 1;
            continue;
        }
        if let Some(y) = year(w) {
            // "2000 people" counts; "in 2021 despite" is a year.
            let unit_follows = words
                .get(i + 1)
                .is_some_and(|n| n.joined() && is_word(n) && !n.cap && plural(&n.fold));
            if !unit_follows {
                push(
                    i,
                    i,
                    ClaimKind::Date,
                    date_slot(words, i),
                    y.to_string(),
                    None,
                );
                i += 1;
                continue;
            }
        }
        // "30-hour truce", "two-year-old".
        if let Some((num, unit)) = w.fold.split_once('-') {
            let n = crate::numbers::number_at(&crate::words::words(num), 0)
                .filter(|(_, k)| *k == 1)
                .map(|(v, _)| v);
            if let (Some(n), Some((u, _))) = (n, time_unit(unit.trim_end_matches("-old"))) {
                let (q, first) = match qualifier_before(words, i) {
                    Some((q, f)) => (Some(q), f),
                    None => (None, i),
                };
                if unit.ends_with("-old") {
                    push(
                        first,
                        i,
                        ClaimKind::Quantity,
                        "age".into(),
                        format_number(n),
                        q,
                    );
                } else {
                    // The noun may stand in quotes: a 30-hour "Easter truce".
                    let near = |x: &&Word| {
                        x.gap
                            .chars()
                            .all(|c| c.is_whitespace() || matches!(c, '"' | '“' | '‘'))
                    };
                    let noun = words.get(i + 1).filter(|x| near(x) && is_word(x));
                    let (slot, last) = match noun {
                        Some(x) => {
                            // "a 30-hour Easter truce": the event may sit one word further.
                            let e = event(&x.fold).or_else(|| {
                                words.get(i + 2).filter(near).and_then(|y| event(&y.fold))
                            });
                            match e {
                                Some(e) => (
                                    format!("{e} length"),
                                    i + 1 + usize::from(event(&x.fold).is_none()),
                                ),
                                None => (format!("{} length", lemma(&x.fold)), i + 1),
                            }
                        }
                        None => ("duration".into(), i),
                    };
                    push(
                        first,
                        last,
                        ClaimKind::Duration,
                        slot,
                        iso_duration(n, u),
                        q,
                    );
                }
                i += 1;
                continue;
            }
            // "a 40-centimetre crack" states what "a crack 40 centimetres long" does.
            if let Some(n) = n.filter(|_| MEASURE_UNITS.contains(&unit)) {
                let (q, first) = match qualifier_before(words, i) {
                    Some((q, f)) => (Some(q), f),
                    None => (None, i),
                };
                push(
                    first,
                    i,
                    ClaimKind::Quantity,
                    lemma(&unit_plural(unit)),
                    format_number(n),
                    q,
                );
                i += 1;
                continue;
            }
        }
        let Some((value, n)) = number_at(words, i) else {
            i += 1;
            continue;
        };
        let (q, first) = match qualifier_before(words, i) {
            Some((q, f)) => (Some(q), f),
            None => (None, i),
        };
        let mut last = i + n - 1;
        let after = words.get(last + 1);
        let currency = match w.gap.chars().last() {
            Some('$') => Some("usd"),
            Some('£') => Some("gbp"),
            Some('€') => Some("eur"),
            _ => None,
        };
        let percent = after.is_some_and(|a| a.gap.trim_start().starts_with('%'))
            || after.is_some_and(|a| a.fold == "percent")
            || (after.is_some_and(|a| a.fold == "per")
                && words.get(last + 2).is_some_and(|a| a.fold == "cent"));
        if let Some(c) = currency {
            push(
                first,
                last,
                ClaimKind::Quantity,
                format!("money ({c})"),
                format_number(value),
                q,
            );
            i = last + 1;
            continue;
        }
        if percent {
            if after.is_some_and(|a| a.fold == "percent") {
                last += 1;
            } else if after.is_some_and(|a| a.fold == "per") {
                last += 2;
            }
            push(
                first,
                last,
                ClaimKind::Quantity,
                "percent".into(),
                format_number(value),
                q,
            );
            i = last + 1;
            continue;
        }
        // The unit: the next word, past "more", "of" and the like.
        let mut u = last + 1;
        while words
            .get(u)
            .is_some_and(|x| x.joined() && SKIP_BEFORE_UNIT.contains(&x.fold.as_str()))
        {
            u += 1;
        }
        let Some(mut unit) = words
            .get(u)
            .filter(|x| x.joined() && is_word(x) && !x.cap && noun_like(&x.fold))
        else {
            i = last + 1;
            continue;
        };
        // "two fellow inmates", "almost 400 senior appearances": the counted noun is the
        // plural after a modifier.
        if !plural(&unit.fold) && time_unit(&unit.fold).is_none() {
            if let Some(next) = words.get(u + 1).filter(|x| {
                x.joined() && is_word(x) && !x.cap && plural(&x.fold) && noun_like(&x.fold)
            }) {
                u += 1;
                unit = next;
            }
        }
        if let Some((iso_unit, _)) = time_unit(&unit.fold) {
            let ago = words.get(u + 1).is_some_and(|x| x.fold == "ago");
            let old = words.get(u + 1).is_some_and(|x| x.fold == "old");
            let end = if ago || old { u + 1 } else { u };
            let value_s = iso_duration(value, iso_unit);
            if old {
                push(
                    first,
                    end,
                    ClaimKind::Quantity,
                    "age".into(),
                    format_number(value),
                    q,
                );
            } else if let Some((e, _)) = event_near(words, i) {
                // "going on for over three years", "the past two years": time elapsed since
                // the event began, not how long it lasted.
                let spell = first
                    .checked_sub(1)
                    .is_some_and(|p| matches!(words[p].fold.as_str(), "for" | "past" | "last"));
                let ongoing = ago
                    || (spell
                        && words.iter().any(|x| {
                            matches!(
                                x.fold.as_str(),
                                "since" | "ongoing" | "raging" | "lasted" | "going" | "been"
                            )
                        }));
                let slot = if ongoing {
                    format!("{e} start")
                } else {
                    format!("{e} length")
                };
                push(first, end, ClaimKind::Duration, slot, value_s, q);
            } else if ago {
                match reference {
                    Some(r) => {
                        let (_, per) =
                            crate::measures::duration_years(&value_s).unwrap_or((value, 1.0));
                        let days = (value * per * 365.25).round() as i64;
                        // "a billion years ago" lies before any calendar date.
                        let Some(d) =
                            Duration::try_days(days).and_then(|x| r.checked_sub_signed(x))
                        else {
                            i = end + 1;
                            continue;
                        };
                        let v = if per >= 1.0 / 12.0 {
                            format!("{}-{:02}", d.year(), d.month())
                        } else {
                            d.to_string()
                        };
                        push(first, end, ClaimKind::Date, "date".into(), v, q);
                    }
                    None => push(
                        first,
                        end,
                        ClaimKind::Duration,
                        "time ago".into(),
                        value_s,
                        q,
                    ),
                }
            } else {
                push(
                    first,
                    end,
                    ClaimKind::Duration,
                    "duration".into(),
                    value_s,
                    q,
                );
            }
            i = end + 1;
            continue;
        }
        let small_definite = value <= 10.0
            && first > 0
            && q.is_none()
            && DEFINITE.contains(&words[first - 1].fold.as_str());
        let vague_one = value == 1.0
            && !PERSON_NOUNS.contains(&unit.fold.as_str())
            && casualty(&unit.fold).is_none();
        if small_definite || vague_one || crosscheck_text::is_stopword(&unit.fold) {
            i = last + 1;
            continue;
        }
        let window = |lo: usize, hi: usize| {
            words[lo..hi.min(words.len())]
                .iter()
                .find_map(|x| casualty(&x.fold))
        };
        let slot = if let Some(c) = casualty(&unit.fold) {
            format!("people {c}")
        } else if PERSON_NOUNS.contains(&unit.fold.as_str()) {
            match window(first.saturating_sub(5), u + 5) {
                Some(c) => format!("people {c}"),
                None => lemma(&unit.fold),
            }
        } else {
            lemma(&unit.fold)
        };
        push(first, u, ClaimKind::Quantity, slot, format_number(value), q);
        i = u + 1;
    }
    out
}

/// "yesterday", "last week", "this year" …: the last word's index and the resolved value.
fn relative_day(words: &[Word], i: usize, reference: Option<NaiveDate>) -> Option<(usize, String)> {
    let w = words[i].fold.as_str();
    let next = words
        .get(i + 1)
        .filter(|x| x.joined())
        .map(|x| x.fold.as_str());
    let (offset_days, unit, last) = match (w, next) {
        ("yesterday", _) => (-1, "day", i),
        ("today" | "tonight", _) => (0, "day", i),
        ("tomorrow", _) => (1, "day", i),
        ("last", Some("night")) => (-1, "day", i + 1),
        ("last" | "this" | "next", Some(u @ ("week" | "weekend" | "month" | "year"))) => {
            let sign = match w {
                "last" => -1,
                "this" => 0,
                _ => 1,
            };
            let days = match u {
                "week" | "weekend" => 7,
                "month" => 30,
                _ => 365,
            };
            (sign * days, if u == "weekend" { "week" } else { u }, i + 1)
        }
        _ => return None,
    };
    let value = match reference {
        None => words[i..=last]
            .iter()
            .map(|x| x.fold.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        Some(r) => {
            let d = r.checked_add_signed(Duration::days(offset_days))?;
            match unit {
                "day" => d.to_string(),
                "week" => iso_week(d),
                "month" => format!("{}-{:02}", d.year(), d.month()),
                _ => d.year().to_string(),
            }
        }
    };
    Some((last, value))
}
