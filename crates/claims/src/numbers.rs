//! Numbers as written (digits, number words, multipliers) with the hedges in front of them, and
//! the ranges those hedges allow.

use crate::words::Word;

const ONES: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: &[&str] = &[
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

fn multiplier(w: &str) -> Option<f64> {
    Some(match w {
        "hundred" => 1e2,
        "thousand" | "k" => 1e3,
        "million" | "m" | "mn" => 1e6,
        "billion" | "bn" | "b" => 1e9,
        "trillion" | "tn" => 1e12,
        _ => return None,
    })
}

fn small_word(w: &str) -> Option<f64> {
    if let Some(i) = ONES.iter().position(|x| *x == w) {
        return Some(i as f64);
    }
    if let Some(i) = TENS.iter().position(|x| !x.is_empty() && *x == w) {
        return Some(i as f64 * 10.0);
    }
    let (t, o) = w.split_once('-')?;
    let t = TENS.iter().position(|x| !x.is_empty() && *x == t)?;
    let o = ONES[1..10].iter().position(|x| *x == o)? + 1;
    Some((t * 10 + o) as f64)
}

fn digits(w: &str) -> Option<f64> {
    if !w.chars().next()?.is_ascii_digit()
        || !w
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    // Thousands separators only in groups of three: "3,000" but not "1,5".
    if w.contains(',')
        && !w
            .split(',')
            .skip(1)
            .all(|g| g.split('.').next().is_some_and(|g| g.len() == 3))
    {
        return None;
    }
    w.replace(',', "").parse().ok()
}

/// A number starting at word `i`: its value and how many words it spans (`"3,000"`,
/// `"two million"`, `"twenty-five"`, `"a dozen"`, `"2.5 bn"`).
pub(crate) fn number_at(words: &[Word], i: usize) -> Option<(f64, usize)> {
    let w = words.get(i)?;
    let (mut value, mut n) = if let Some(v) = digits(&w.fold) {
        (v, 1)
    } else if let Some(v) = small_word(&w.fold) {
        (v, 1)
    } else if matches!(w.fold.as_str(), "a" | "one")
        && words
            .get(i + 1)
            .is_some_and(|x| x.fold == "dozen" || x.fold == "hundred" || x.fold == "thousand")
    {
        (1.0, 1)
    } else if w.fold == "dozen" {
        (12.0, 1)
    } else {
        return None;
    };
    while let Some(next) = words.get(i + n) {
        if !next.joined() {
            break;
        }
        if next.fold == "dozen" {
            value *= 12.0;
        } else if let Some(m) = multiplier(&next.fold) {
            // "m" and "b" only glued to digits ("2.5bn"), never as separate words.
            if next.fold.len() <= 2 && !next.gap.is_empty() {
                break;
            }
            value *= m;
        } else if let Some(v) = small_word(&next.fold)
            .filter(|_| multiplier(&words[i + n - 1].fold).is_some_and(|m| m >= 100.0))
        {
            // "three hundred twenty": the smaller part after a multiplier adds.
            value += v;
        } else {
            break;
        }
        n += 1;
    }
    Some((value, n))
}

/// Hedges, longest first, as folded word sequences.
const QUALIFIERS: &[&str] = &[
    "no fewer than",
    "no more than",
    "more than",
    "fewer than",
    "less than",
    "at least",
    "at most",
    "up to",
    "as many as",
    "as few as",
    "just over",
    "just under",
    "well over",
    "close to",
    "in excess of",
    "upwards of",
    "an estimated",
    "almost",
    "nearly",
    "about",
    "around",
    "approximately",
    "roughly",
    "some",
    "over",
    "under",
    "estimated",
    "exactly",
    "only",
    "just",
];

/// The hedge written just before word `i`, and the index of its first word.
pub(crate) fn qualifier_before(words: &[Word], i: usize) -> Option<(String, usize)> {
    for q in QUALIFIERS {
        let parts: Vec<&str> = q.split(' ').collect();
        if parts.len() > i {
            continue;
        }
        let s = i - parts.len();
        if parts.iter().zip(&words[s..i]).all(|(p, w)| *p == w.fold) {
            return Some((q.to_string(), s));
        }
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hedge {
    Exact,
    Almost,
    About,
    Over,
    AtLeast,
    Under,
    UpTo,
}

fn hedge(q: Option<&str>) -> Hedge {
    match q.unwrap_or("") {
        "almost" | "nearly" | "close to" | "just under" => Hedge::Almost,
        "about" | "around" | "approximately" | "roughly" | "some" | "estimated"
        | "an estimated" => Hedge::About,
        "over" | "more than" | "in excess of" | "upwards of" | "just over" | "well over" => {
            Hedge::Over
        }
        "at least" | "no fewer than" => Hedge::AtLeast,
        "under" | "fewer than" | "less than" => Hedge::Under,
        "up to" | "at most" | "no more than" | "as many as" => Hedge::UpTo,
        _ => Hedge::Exact,
    }
}

/// The values a hedged count allows: `"almost"` 3,000 is a little under 3,000, `"over"` 20 is
/// more than 20 but not wildly so (writers round down to the nearest convenient figure).
pub fn quantity_range(value: f64, qualifier: Option<&str>) -> (f64, f64) {
    match hedge(qualifier) {
        Hedge::Exact => (value, value),
        Hedge::Almost => (value * 0.8, value),
        Hedge::About => (value * 0.8, value * 1.2),
        Hedge::Over => (value, value * 2.0),
        Hedge::AtLeast => (value, value * 3.0),
        Hedge::Under => (value * 0.5, value),
        Hedge::UpTo => (0.0, value),
    }
}

/// The spans a hedged length of time allows, in the same unit: `"over three years"` is
/// between three and four, `"almost two years"` between one and a half and two.
pub fn duration_range(value: f64, qualifier: Option<&str>) -> (f64, f64) {
    let slack = (value * 0.25).max(0.5);
    match hedge(qualifier) {
        Hedge::Exact => (value - slack, value + 1.0),
        Hedge::Almost => (value - slack, value),
        Hedge::About => (value - slack, value + slack),
        Hedge::Over | Hedge::AtLeast => (value, value + 1.0),
        Hedge::Under | Hedge::UpTo => (0.0, value),
    }
}

/// A number as claims write it: no trailing `.0`.
pub(crate) fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::words;

    fn parse(s: &str) -> Option<(f64, usize)> {
        number_at(&words(s), 0)
    }

    #[test]
    fn numbers_in_digits_and_words() {
        assert_eq!(parse("3,000 times"), Some((3000.0, 1)));
        assert_eq!(parse("2.5bn pounds"), Some((2.5e9, 2)));
        assert_eq!(parse("two million people"), Some((2e6, 2)));
        assert_eq!(parse("twenty-five cases"), Some((25.0, 1)));
        assert_eq!(parse("three hundred twenty men"), Some((320.0, 3)));
        assert_eq!(parse("a dozen people"), Some((12.0, 2)));
        assert_eq!(parse("1,5 litres"), None);
        assert_eq!(parse("times"), None);
    }

    #[test]
    fn hedges_widen_ranges() {
        let (lo, hi) = quantity_range(3000.0, Some("almost"));
        assert!(lo < 2900.0 && hi == 3000.0);
        let over3 = duration_range(3.0, Some("over"));
        let almost2 = duration_range(2.0, Some("almost"));
        assert!(almost2.1 < over3.0);
        assert_eq!(format_number(3000.0), "3000");
        assert_eq!(format_number(2.5), "2.5");
    }
}
