//! Canonical values for names, so that spelling and transliteration variants of one person or
//! place compare equal within and across documents.

use crosscheck_text::fold_word;

use crate::lexicon::{EntityType, GAZ};

/// A matching key for a name: folded (case, diacritics), possessive and punctuation dropped,
/// `y` read as `i` and doubled letters collapsed — the usual differences between
/// transliterations (Zelensky / Zelenskyy / Zelenskiy, Odesa / Odessa, Dmitry / Dmitriy).
pub fn name_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split(|c: char| c.is_whitespace() || c == '-' || c == '‐') {
        let w = fold_word(word);
        let w = w
            .strip_suffix("'s")
            .or_else(|| w.strip_suffix('\''))
            .unwrap_or(&w);
        let mut prev = None;
        let mut any = false;
        for c in w.chars().filter(|c| c.is_alphanumeric()) {
            let c = if c == 'y' { 'i' } else { c };
            if prev == Some(c) && c.is_alphabetic() {
                continue;
            }
            if !any && !out.is_empty() {
                out.push(' ');
            }
            any = true;
            out.push(c);
            prev = Some(c);
        }
    }
    out
}

/// The canonical value of a name as claims carry it: the gazetteer's name where the name is
/// known (`"Kiev"` → `"kyiv"`, `"U.S."` → `"us"`), otherwise its [`name_key`].
pub fn canonical_name(name: &str) -> String {
    let key = name_key(name);
    match GAZ.by_key.get(&key) {
        Some((canon, _)) => (*canon).to_string(),
        None => key,
    }
}

pub(crate) fn lookup(key: &str) -> Option<(&'static str, EntityType)> {
    GAZ.by_key.get(key).copied()
}

/// Whether two canonical person values can name the same person: equal, or equal surnames where
/// one of them is the surname alone or the first names share an initial (`"trump"` and
/// `"donald trump"`; not `"joe biden"` and `"hunter biden"`).
pub fn same_person(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (Some(la), Some(lb)) = (a.rsplit(' ').next(), b.rsplit(' ').next()) else {
        return false;
    };
    if la != lb {
        return false;
    }
    let fa = a.len() > la.len();
    let fb = b.len() > lb.len();
    if !fa || !fb {
        return true;
    }
    a.chars().next() == b.chars().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliteration_variants_share_a_key() {
        assert_eq!(name_key("Zelensky"), name_key("Zelenskyy"));
        assert_eq!(name_key("Zelenskiy"), name_key("Zelensky"));
        assert_eq!(name_key("Odessa"), name_key("Odesa"));
        assert_eq!(name_key("Dmitriy Peskov"), name_key("Dmitry Peskov"));
        assert_eq!(name_key("Putin's"), "putin");
        assert_ne!(name_key("Biden"), name_key("Trump"));
    }

    #[test]
    fn aliases_map_to_one_canonical_value() {
        for v in ["Kiev", "Kyiv", "KYIV"] {
            assert_eq!(canonical_name(v), "kyiv");
        }
        for v in ["U.S.", "US", "United States", "America"] {
            assert_eq!(canonical_name(v), "us");
        }
        assert_eq!(canonical_name("Kharkov"), canonical_name("Kharkiv"));
        assert_eq!(canonical_name("Odessa"), "odesa");
        assert_eq!(
            canonical_name("Volodymyr Zelenskyy"),
            canonical_name("Volodymyr Zelensky")
        );
    }

    #[test]
    fn surnames_match_full_names_but_not_relatives() {
        assert!(same_person("trump", "donald trump"));
        assert!(same_person("d trump", "donald trump"));
        assert!(!same_person("joe biden", "hunter biden"));
        assert!(!same_person("joe biden", "donald trump"));
    }
}
