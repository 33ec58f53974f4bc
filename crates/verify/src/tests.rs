//! Real sentences from FRANK's validation articles (CNN/DailyMail), each checked as written and
//! with one planted edit.

use super::*;
use crosscheck_model::BlockKind;

const COPELAND: &str = "The Indiana Pacers' Chris Copeland and his wife were stabbed during an early-morning argument after they left a popular New York club  on Wednesday, according to reports. Copeland, 31, and his wife, Katrine Saltare, 28, were talking in the street just before 4am when a 22-year-old man, Shezoy Bleary, interrupted them,  the New York Post reported. When Copeland, who used to play for the New York Knicks, told the man to back off, the suspect allegedly pulled out a knife and plunged it into the athlete's abdomen and elbow. He then turned on Saltare, stabbing her in the breast, buttocks and arm, sources told the Post. Another woman, Catherine Somani, 23, was also stabbed in the abdomen as she apparently tried to break up the fight, WABC reported. She knew the attacker. Murdock, from Brooklyn, was arrested at the scene along with two fellow NBA players, Pero Antić and Thabo Sefolosha of the Atlanta Hawks. Copeland and his wife were both listed in stable condition at Bellevue Hospital, while Somani was rushed to Lenox Hill Hospital. Their injuries are not thought to be life threatening.";

const MOON: &str = "After struggling to hit the big time in Australia, bubbly blonde Natalia Moon followed her dreams and moved to the Philippines in 2012. She became fluent in the local language, Tagalog, in the hope of becoming a star. The risk paid off as the 23-year-old, who promotes herself as 'the Barbie from Down Under', landed a major role in 2014 playing a catty maid, also named Natalia, in the new sitcom 'Ismol Family'. With the support of her strong fan base, Ms Moon will attend the Golden Screen TV Awards on April 26 where she is nominated for Outstanding Breakthrough Performance By An Actress.";

fn doc(id: &str, text: &str) -> Document {
    Document::from_blocks(id, id, [(BlockKind::Paragraph, text)])
}

fn check(source: &str, claim: &str) -> Verification {
    verify(&[doc("source", source)], &doc("claim", claim), None)
}

fn kinds(v: &Verification) -> Vec<ReasonKind> {
    v.sentences
        .iter()
        .flat_map(|s| s.reasons.iter().map(|r| r.kind))
        .collect()
}

#[test]
fn faithful_sentences_and_paraphrases_are_supported() {
    for claim in [
        "Copeland, 31, and his wife, Katrine Saltare, 28, were talking in the street just before 4am when a 22-year-old man interrupted them.",
        // The PTB-tokenised, lower-cased style of FRANK's summaries.
        "copeland , 31 , and his wife , katrine saltare , 28 , were talking in the street just before 4 am when a 22-year-old man , shezoy bleary , interrupted them .",
        "Another woman, Catherine Somani, 23, was stabbed in the abdomen while trying to break up the fight.",
        "Natalia Moon moved to the Philippines in 2012 after struggling to hit the big time in Australia.",
    ] {
        let v = check(COPELAND_AND_MOON.as_str(), claim);
        assert!(v.supported, "{claim}: {v:#?}");
        assert_eq!(v.flagged().count(), 0);
    }
}

static COPELAND_AND_MOON: once_cell::sync::Lazy<String> =
    once_cell::sync::Lazy::new(|| format!("{COPELAND} {MOON}"));

#[test]
fn a_number_from_elsewhere_in_the_article_is_a_contradiction() {
    // 23 is Somani's age, given two sentences later: bag-of-words overlap cannot see it.
    let v = check(
        COPELAND,
        "Copeland, 23, and his wife, Katrine Saltare, 28, were talking in the street just before 4am when a 22-year-old man interrupted them.",
    );
    assert!(!v.supported);
    let s = &v.sentences[0];
    assert_eq!(s.status, Status::Contradicted);
    let r = s
        .reasons
        .iter()
        .find(|r| r.kind == ReasonKind::ValueMismatch)
        .expect("value mismatch");
    assert_eq!(r.words, ["23"]);
    assert!(r.message.contains("31"), "{}", r.message);
    assert!(s.evidence[0].text.starts_with("Copeland, 31"), "{v:#?}");
}

#[test]
fn a_swapped_name_is_a_contradiction() {
    let v = check(
        COPELAND,
        "Another woman, Katrine Saltare, 23, was also stabbed in the abdomen as she apparently tried to break up the fight.",
    );
    assert!(!v.supported);
    assert_eq!(v.sentences[0].status, Status::Contradicted);
    assert!(kinds(&v).contains(&ReasonKind::NameMismatch), "{v:#?}");
}

#[test]
fn a_changed_date_is_flagged() {
    // 2014 is in the article, but as the year of her role, not of her move.
    let v = check(
        MOON,
        "Natalia Moon moved to the Philippines in 2014 after struggling to hit the big time in Australia.",
    );
    assert!(!v.supported);
    assert!(kinds(&v).contains(&ReasonKind::ValueMismatch), "{v:#?}");
    // A day the article never gives.
    let v = check(
        COPELAND,
        "The Indiana Pacers' Chris Copeland and his wife were stabbed after they left a popular New York club on Friday.",
    );
    assert!(!v.supported);
    assert!(kinds(&v).contains(&ReasonKind::ValueNotInSource), "{v:#?}");
}

#[test]
fn swapped_roles_around_the_verb_are_flagged() {
    let v = check(
        COPELAND,
        "Sefolosha, from Brooklyn, was arrested at the scene along with Murdock.",
    );
    assert!(!v.supported, "{v:#?}");
    assert!(kinds(&v).contains(&ReasonKind::RoleSwap), "{v:#?}");
}

#[test]
fn flipped_negation_is_flagged() {
    let v = check(
        COPELAND,
        "Their injuries are thought to be life threatening.",
    );
    assert!(!v.supported, "{v:#?}");
    assert_eq!(v.sentences[0].status, Status::Contradicted);
    let v = check(
        COPELAND,
        "Copeland and his wife were not listed in stable condition at Bellevue Hospital.",
    );
    assert!(!v.supported);
    assert!(kinds(&v).contains(&ReasonKind::Negation));
}

#[test]
fn words_from_no_source_are_unsupported() {
    let v = check(
        COPELAND,
        "Copeland, who used to play for the New York Knicks, was drafted by the Chicago Bulls in 2009.",
    );
    assert!(!v.supported);
    let s = &v.sentences[0];
    assert_eq!(s.status, Status::Unsupported);
    assert!(s.novel_words > 0.0);
    let r = s
        .reasons
        .iter()
        .find(|r| r.kind == ReasonKind::NotInSource)
        .expect("not in source");
    assert!(r.words.iter().any(|w| w == "Bulls"), "{r:?}");
}

#[test]
fn several_sources_and_offsets() {
    let sources = [doc("a", MOON), doc("b", COPELAND)];
    let claim = doc(
        "c",
        "Natalia Moon moved to the Philippines in 2012. Copeland, 31, and his wife were talking in the street.",
    );
    let v = verify(&sources, &claim, None);
    assert!(v.supported, "{v:#?}");
    assert_eq!(v.sentences.len(), 2);
    let e = &v.sentences[1].evidence[0];
    assert_eq!(e.doc, "b");
    assert_eq!(&sources[1].text[e.span.start..e.span.end], e.text);
    assert_eq!(
        &claim.text[v.sentences[1].span.start..v.sentences[1].span.end],
        v.sentences[1].text
    );
}

#[test]
fn empty_and_odd_input_does_not_panic() {
    let v = verify(&[], &doc("c", "Copeland was stabbed."), None);
    assert!(!v.supported);
    let v = check(COPELAND, "");
    assert!(v.supported);
    assert!(v.sentences.is_empty());
    let v = check("", "…!? -LRB- -RRB- ''");
    assert!(v.sentences.is_empty());
    let _ = check("Ünïcödé . . . 3,0.0", "ünicode 3,000 — 'quoted' n't 's");
}

/// An embedder that knows nothing: alignment must still work through word overlap.
struct Constant;

impl SentenceEmbedder for Constant {
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        Ok(texts.iter().map(|_| vec![1.0, 0.0]).collect())
    }
    fn name(&self) -> &str {
        "constant"
    }
}

#[test]
fn an_uninformative_embedder_changes_nothing() {
    let claim = doc(
        "c",
        "Copeland, 23, and his wife, Katrine Saltare, 28, were talking in the street.",
    );
    let sources = [doc("s", COPELAND)];
    let plain = verify(&sources, &claim, None);
    let embedded = verify(&sources, &claim, Some(&Constant));
    assert_eq!(plain, embedded);
}
