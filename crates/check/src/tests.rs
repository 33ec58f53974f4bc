//! Each finding kind on real sentences (FRANK's CNN/DailyMail and BBC articles, the seed
//! corpus), as versions of a story would carry them: copied, edited, rounded, respelt.

use crosscheck_model::{
    BlockKind, Document, Family, Finding, FindingKind, LinkKind, Sentence, SentenceLink,
    SentenceRef, Severity,
};

use crate::cross_check;

struct Case {
    docs: Vec<Document>,
    links: Vec<SentenceLink>,
    families: Vec<Family>,
}

impl Case {
    fn new(versions: &[&[&str]]) -> Self {
        let docs = versions
            .iter()
            .enumerate()
            .map(|(i, paras)| {
                Document::from_blocks(
                    format!("v{i}"),
                    format!("v{i}.txt"),
                    paras.iter().map(|p| (BlockKind::Paragraph, *p)),
                )
            })
            .collect();
        Case {
            docs,
            links: Vec::new(),
            families: Vec::new(),
        }
    }

    fn dated(mut self, date: &str) -> Self {
        for d in &mut self.docs {
            d.published = Some(date.into());
        }
        self
    }

    fn dated_one(mut self, doc: usize, date: &str) -> Self {
        self.docs[doc].published = Some(date.into());
        self
    }

    fn outlet(mut self, doc: usize, outlet: &str) -> Self {
        self.docs[doc].outlet = Some(outlet.into());
        self
    }

    fn link(mut self, a: (usize, usize), b: (usize, usize), kind: LinkKind) -> Self {
        let r = |(d, s): (usize, usize)| SentenceRef {
            doc: format!("v{d}"),
            sentence: s,
        };
        self.links.push(SentenceLink {
            a: r(a),
            b: r(b),
            score: 0.9,
            kind,
        });
        self
    }

    fn family(mut self, members: &[usize]) -> Self {
        self.families.push(Family {
            id: self.families.len(),
            members: members.iter().map(|m| format!("v{m}")).collect(),
            likely_source: None,
        });
        self
    }

    fn run(&self) -> Vec<Finding> {
        let refs: Vec<&Document> = self.docs.iter().collect();
        let sentences: Vec<Vec<Sentence>> =
            refs.iter().map(|d| crosscheck_text::segment(d)).collect();
        let claims: Vec<_> = refs
            .iter()
            .zip(&sentences)
            .flat_map(|(d, s)| crosscheck_claims::extract(d, s))
            .collect();
        cross_check(&refs, &sentences, &self.links, &self.families, &claims)
    }
}

fn find<'a>(f: &'a [Finding], kind: FindingKind, slot: &str) -> Vec<&'a Finding> {
    f.iter()
        .filter(|x| x.kind == kind && x.slot == slot)
        .collect()
}

fn contradictions(f: &[Finding]) -> Vec<&Finding> {
    f.iter()
        .filter(|x| x.kind == FindingKind::Contradiction)
        .collect()
}

const CRASH: &str = "Near Fort Carson, the Colorado State Patrol responded to a series of rush-hour crashes involving a total of nearly 20 cars.";

#[test]
fn corroborated_by_independent_families_with_evidence() {
    let f = Case::new(&[
        &[CRASH],
        &["The Colorado State Patrol said rush-hour crashes near Fort Carson involved a total of nearly 20 cars."],
        &["A series of rush-hour crashes near Fort Carson involved nearly 20 cars, the Colorado State Patrol said."],
    ])
    .family(&[0])
    .family(&[1, 2])
    .run();
    let c = find(&f, FindingKind::Corroborated, "quantity: car");
    assert_eq!(c.len(), 1, "{f:#?}");
    assert_eq!(c[0].families, 2);
    assert_eq!(c[0].evidence.len(), 3);
    let e = &c[0].evidence[0];
    assert_eq!(e.text, "nearly 20 cars");
    assert_eq!(&CRASH[e.span.start..e.span.end], "nearly 20 cars");
    assert_eq!(e.chars, (e.span.start, e.span.end));
    assert!(contradictions(&f).is_empty(), "{f:#?}");
}

#[test]
fn a_changed_number_in_aligned_sentences_is_a_contradiction() {
    let edited = CRASH.replace("nearly 20", "50");
    let f = Case::new(&[&[CRASH], &[&edited]])
        .link((0, 0), (1, 0), LinkKind::NearVerbatim)
        .run();
    let c = find(&f, FindingKind::Contradiction, "quantity: car");
    assert_eq!(c.len(), 1, "{f:#?}");
    assert_eq!(c[0].severity, Severity::High);
    assert_eq!(c[0].evidence.len(), 2);
    assert!(c[0].explanation.contains("nearly 20 cars") && c[0].explanation.contains("50 cars"));
}

#[test]
fn rounding_is_at_most_a_low_conflict() {
    let a = "Zelensky accused Russian forces of breaching the ceasefire almost 3,000 times.";
    let b = "Zelensky accused Russian forces of breaching the ceasefire 2,900 times.";
    let c = "Zelensky accused Russian forces of breaching the ceasefire 3,100 times.";
    let f = Case::new(&[&[a], &[b], &[c]])
        .link((0, 0), (1, 0), LinkKind::NearVerbatim)
        .link((0, 0), (2, 0), LinkKind::NearVerbatim)
        .link((1, 0), (2, 0), LinkKind::NearVerbatim)
        .run();
    for x in contradictions(&f) {
        assert!(x.severity <= Severity::Low, "{x:#?}");
    }
}

#[test]
fn different_people_in_one_role_conflict_but_respellings_do_not() {
    let a = "Michelle Obama's Twitter audience is 25 per cent fake, according to StatusPeople, along with 21 per cent of Vice President Joe Biden's.";
    let b = "Michelle Obama's Twitter audience is 25 per cent fake, according to StatusPeople, along with 21 per cent of Vice President Mike Pence's.";
    let f = Case::new(&[&[a], &[b]]).run();
    let c = find(&f, FindingKind::Contradiction, "role: vice president");
    assert_eq!(c.len(), 1, "{f:#?}");
    assert_eq!(c[0].severity, Severity::High);

    let f = Case::new(&[
        &["Ukrainian President Volodymyr Zelenskyy said drone strikes hit Odesa and Kyiv."],
        &["Ukrainian President Volodymyr Zelensky said drone strikes hit Odessa and Kiev."],
    ])
    .link((0, 0), (1, 0), LinkKind::NearVerbatim)
    .run();
    assert!(contradictions(&f).is_empty(), "{f:#?}");
    assert_eq!(
        find(&f, FindingKind::Corroborated, "role: ukraine president").len(),
        1,
        "{f:#?}"
    );
}

#[test]
fn former_and_current_holders_in_one_passage_conflict() {
    let f = Case::new(&[
        &["As pressure mounts from the U.S., with former President Donald Trump warning of potential withdrawal from peace talks if progress is not made, the prospect for productive negotiations remains fraught."],
        &["The urgency for progress in negotiations is underscored by statements from US President Joe Biden, who expressed optimism about potential agreements by week's end while warning of reevaluating US involvement if talks stall."],
    ])
    .run();
    let c = find(&f, FindingKind::Contradiction, "role: us president");
    assert_eq!(c.len(), 1, "{f:#?}");
    assert!(c[0].explanation.contains("Joe Biden") && c[0].explanation.contains("Donald Trump"));
}

#[test]
fn relative_times_are_resolved_against_the_article_date() {
    let a = "The last meaningful communications between Russia and Ukraine were early in the full-scale invasion, which began in February 2022.";
    let b = "It is important to note that no formal communications between the two nations have taken place since the onset of the full-scale invasion almost two years ago.";
    let c = "No formal talks have taken place since the onset of the full-scale invasion over three years ago.";
    let f = Case::new(&[&[a], &[b], &[c]]).dated("2025-04-22").run();
    let x = find(&f, FindingKind::Contradiction, "time: war start");
    assert_eq!(x.len(), 1, "{f:#?}");
    assert!(
        x[0].explanation.contains("almost two years ago"),
        "{}",
        x[0].explanation
    );
    // February 2022 and "over three years ago" from April 2025 agree.
    let ok = find(&f, FindingKind::Corroborated, "time: war start");
    assert_eq!(ok.len(), 1, "{f:#?}");
    assert_eq!(ok[0].families, 2);
    // Read against 2024 instead, "almost two years ago" fits February 2022.
    let f = Case::new(&[&[a], &[b]]).dated("2024-01-10").run();
    assert!(
        find(&f, FindingKind::Contradiction, "time: war start").is_empty(),
        "{f:#?}"
    );
}

#[test]
fn differently_worded_quotations_of_one_speaker() {
    let a = "In a Monday interview with Russian state TV, Putin expressed that Russia has \"always looked positively on any peace initiatives,\" and expressed hope that Ukrainian representatives would reciprocate.";
    let b = "During an interview with Russian state media on Monday, Putin emphasized that Russia has “always been receptive” to peace proposals, expressing hope that Ukraine's leadership would reciprocate this sentiment.";
    let f = Case::new(&[&[a], &[b]])
        .link((0, 0), (1, 0), LinkKind::Paraphrase)
        .run();
    let x = find(&f, FindingKind::Contradiction, "quote: vladimir putin");
    assert_eq!(x.len(), 1, "{f:#?}");
    // A shortened quotation is the same quotation.
    let c = "\"We are not talking about little green men,\" Stofan said at the panel.";
    let d = "\"We are not talking about little green men,\" Stofan said at the panel, adding \"We are talking about little microbes.\"";
    let f = Case::new(&[&[c], &[d]]).run();
    assert!(contradictions(&f).is_empty(), "{f:#?}");
}

#[test]
fn single_source_and_unsupported_details() {
    let base = "Zelensky accused Russian forces of breaching the ceasefire.";
    let detail = "Zelensky accused Russian forces of breaching the ceasefire almost 3,000 times.";
    // Three independent versions; only one gives the figure.
    let f = Case::new(&[&[base], &[detail], &[base]]).run();
    let s = find(&f, FindingKind::SingleSource, "quantity: times");
    assert_eq!(s.len(), 1, "{f:#?}");
    assert_eq!(s[0].evidence[0].doc, "v1");
    assert_eq!(s[0].severity, Severity::Low);
    // The same figure added by one copy of a family: a rewrite's addition weighs more.
    let f = Case::new(&[&[base], &[detail], &[base]])
        .family(&[0, 1])
        .run();
    let u = find(&f, FindingKind::SingleSource, "quantity: times");
    assert_eq!(u.len(), 1, "{f:#?}");
    assert_eq!(u[0].severity, Severity::Medium);
    assert!(u[0].explanation.contains("added in rewriting"));
}

#[test]
fn a_name_only_a_rewrite_has_is_unsupported() {
    let a = "The urgency for progress in negotiations is underscored by statements from the US.";
    let b = "The urgency for progress in negotiations is underscored by statements from US President Joe Biden.";
    let f = Case::new(&[&[a], &[b]])
        .link((0, 0), (1, 0), LinkKind::NearVerbatim)
        .run();
    let u = find(&f, FindingKind::Unsupported, "person");
    assert_eq!(u.len(), 1, "{f:#?}");
    assert!(u[0].explanation.contains("Joe Biden"));
}

#[test]
fn a_one_word_place_edit_in_aligned_sentences() {
    let a = "As dialogues appear to gain momentum, overnight reports emerged detailing drone strikes in Odessa, resulting in injuries.";
    let b = "As dialogues appear to gain momentum, overnight reports emerged detailing drone strikes in Kharkiv, resulting in injuries.";
    let f = Case::new(&[&[a], &[b]])
        .link((0, 0), (1, 0), LinkKind::NearVerbatim)
        .run();
    let x = find(&f, FindingKind::Contradiction, "aligned place");
    assert_eq!(x.len(), 1, "{f:#?}");
    assert!(x[0].explanation.contains("Odessa") && x[0].explanation.contains("Kharkiv"));
}

#[test]
fn one_document_has_nothing_to_cross_check() {
    assert!(Case::new(&[&[CRASH]]).run().is_empty());
}

// The fictional Harbor Bridge story of `examples/harbor-bridge`: a rewrite (CityWire Now, undated)
// of a rewrite (Harbour Daily), and independent reporting (Bay Observer) of the wire.
const DAILY_SHUT: &str = "Port Alder shut the Harbor Bridge to traffic on Thursday after a 40-centimetre crack was found in one of the main steel girders of the 38-year-old crossing.";
const CITY_SHUT: &str = "Port Alder shut the Harbor Bridge to traffic on Thursday after a 40-centimetre crack was found in one of the main steel girders of the crossing.";
const DAILY_MAYOR: &str = "Mayor Elena Marsh said the bridge would stay closed for at least three weeks while engineers examine the damage.";
const CITY_MAYOR: &str = "Mayor David Okafor said the bridge would stay closed for at least three weeks while engineers examine the damage.";
const DAILY_OPENED: &str = "The bridge opened in 1987 and is used by roughly 52,000 vehicles every day travelling between the harbour district and the northern suburbs.";
const CITY_OPENED: &str = "The bridge opened more than 50 years ago and is used by roughly 25,000 vehicles every day travelling between the harbour district and the northern suburbs.";

#[test]
fn aligned_edits_ignore_case_and_what_slots_already_report() {
    let f = Case::new(&[&[CITY_SHUT, CITY_MAYOR], &[DAILY_SHUT, DAILY_MAYOR]])
        .dated_one(1, "2025-03-14")
        .outlet(1, "Harbour Daily")
        .link((0, 0), (1, 0), LinkKind::NearVerbatim)
        .link((0, 1), (1, 1), LinkKind::NearVerbatim)
        .family(&[0, 1])
        .run();
    // "Thursday" undated and "Thursday" read as 2025-03-13 are one day.
    assert!(
        find(&f, FindingKind::Contradiction, "aligned date").is_empty(),
        "{f:#?}"
    );
    assert!(
        find(&f, FindingKind::Contradiction, "time: date").is_empty(),
        "{f:#?}"
    );
    // The mayor's name is one role contradiction, not also an aligned-person one.
    let role = find(&f, FindingKind::Contradiction, "role: mayor");
    assert_eq!(role.len(), 1, "{f:#?}");
    assert!(
        find(&f, FindingKind::Contradiction, "aligned person").is_empty(),
        "{f:#?}"
    );
    // Nor does either name come back as a detail only one version mentions.
    assert!(
        f.iter()
            .all(|x| x.kind != FindingKind::Unsupported || x.slot != "person"),
        "{f:#?}"
    );
    assert!(
        role[0].explanation.contains("Harbour Daily says"),
        "{}",
        role[0].explanation
    );
    assert!(
        !role[0].explanation.contains("the number of"),
        "{}",
        role[0].explanation
    );
}

#[test]
fn equal_values_in_rewritten_sentences_are_one_corroborated_fact() {
    let f = Case::new(&[
        &[
            "Inspectors found a crack about 40 centimetres long in a main girder during a routine check on Wednesday, the transport department said.",
            "The Chamber of Commerce said 240 shops rely on customers who cross the bridge, which was opened in 1987.",
        ],
        &[
            "Port Alder closed the Harbor Bridge to all traffic on Thursday after inspectors found a 40-centimetre crack in one of its main steel girders, city officials said.",
            "The bridge, which opened in 1987, carries about 52,000 vehicles a day between the harbour district and the northern suburbs.",
        ],
        &[
            "Port Alder closed the Harbor Bridge to all traffic on Thursday after inspectors found a 40-centimetre crack in one of its main steel girders, city officials said.",
            "The bridge, which opened in 1987, carries about 52,000 vehicles a day between the harbour district and the northern suburbs.",
        ],
    ])
    .dated("2025-03-14")
    .family(&[0])
    .family(&[1, 2])
    .link((1, 0), (2, 0), LinkKind::NearVerbatim)
    .link((1, 1), (2, 1), LinkKind::NearVerbatim)
    .run();
    for (slot, value) in [("time: date", "1987"), ("quantity: centimetre", "40")] {
        let c: Vec<_> = find(&f, FindingKind::Corroborated, slot)
            .into_iter()
            .filter(|x| x.evidence.iter().any(|e| e.doc == "v0"))
            .collect();
        assert_eq!(c.len(), 1, "{slot}: {f:#?}");
        assert_eq!(c[0].families, 2, "{slot}");
        let lone = find(&f, FindingKind::SingleSource, slot);
        assert!(
            !lone
                .iter()
                .any(|x| x.evidence.iter().any(|e| e.text.contains(value))),
            "{slot}: {f:#?}"
        );
    }
    // Different figures still stand apart: 240 shops are no vehicles.
    assert!(contradictions(&f).is_empty(), "{f:#?}");
}

#[test]
fn undated_versions_are_read_against_the_story_date() {
    let f = Case::new(&[&[CITY_OPENED], &[DAILY_OPENED], &[DAILY_OPENED]])
        .dated_one(1, "2025-03-14")
        .dated_one(2, "2025-03-15")
        .link((0, 0), (1, 0), LinkKind::NearVerbatim)
        .family(&[0, 1])
        .run();
    let x = find(&f, FindingKind::Contradiction, "time: date");
    assert_eq!(x.len(), 1, "{f:#?}");
    assert!(
        x[0].explanation.contains("more than 50 years ago")
            && x[0].explanation.contains("1987")
            && x[0].explanation.contains("v0 has no date"),
        "{}",
        x[0].explanation
    );
    // Without any dated version there is nothing to read "50 years ago" against.
    let f = Case::new(&[&[CITY_OPENED], &[DAILY_OPENED]])
        .link((0, 0), (1, 0), LinkKind::NearVerbatim)
        .run();
    assert!(
        find(&f, FindingKind::Contradiction, "time: date").is_empty(),
        "{f:#?}"
    );
}
