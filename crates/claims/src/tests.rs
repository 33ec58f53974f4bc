//! Extraction on real sentences from the FRANK benchmark's news articles (CNN/DailyMail, BBC)
//! and the seed corpus.

use crosscheck_model::{BlockKind, Claim, ClaimKind, Document};

use crate::extract;

fn claims_dated(paragraphs: &[&str], published: Option<&str>) -> (Document, Vec<Claim>) {
    let mut doc = Document::from_blocks(
        "d",
        "d.txt",
        paragraphs.iter().map(|p| (BlockKind::Paragraph, *p)),
    );
    doc.published = published.map(str::to_string);
    let sentences = crosscheck_text::segment(&doc);
    let claims = extract(&doc, &sentences);
    (doc, claims)
}

fn claims(paragraphs: &[&str]) -> Vec<Claim> {
    claims_dated(paragraphs, None).1
}

/// (slot, value, qualifier) of the claims of one kind.
fn of(claims: &[Claim], kind: ClaimKind) -> Vec<(String, String, Option<String>)> {
    claims
        .iter()
        .filter(|c| c.kind == kind)
        .map(|c| (c.slot.clone(), c.value.clone(), c.qualifier.clone()))
        .collect()
}

fn t(slot: &str, value: &str, q: Option<&str>) -> (String, String, Option<String>) {
    (slot.into(), value.into(), q.map(str::to_string))
}

#[test]
fn roles_with_country_title_and_former() {
    let c = claims(&[
        "Michelle Obama's Twitter audience is 25 per cent fake, according to StatusPeople, along with 21 per cent of Vice President Joe Biden's.",
        "'We are aware that Chris Copeland was injured early this morning in New York City,' Indiana Pacers President Larry Bird said in a statement to DailyMail.com on Wednesday.",
        "Still, former astronaut John Grunsfeld said it's an exciting time.",
        "As pressure mounts from the U.S., with former President Donald Trump warning of potential withdrawal from peace talks if progress is not made, the prospect for productive negotiations remains fraught.",
        "Kremlin spokesman Dmitry Peskov was later quoted by Interfax as saying so.",
    ]);
    let roles = of(&c, ClaimKind::Role);
    assert!(
        roles.contains(&t("vice president", "joe biden", None)),
        "{roles:?}"
    );
    assert!(
        roles.contains(&t("indiana pacers president", "lari bird", None)),
        "{roles:?}"
    );
    assert!(
        roles.contains(&t("us president", "donald trump", Some("former"))),
        "{roles:?}"
    );
    assert!(
        roles.contains(&t("kremlin spokesperson", "dmitri peskov", None)),
        "{roles:?}"
    );
    // A country that is only where something happens gives no title its country.
    let c = claims(&["In Ukraine, President Putin said nothing."]);
    assert_eq!(
        of(&c, ClaimKind::Role),
        [t("president", "vladimir putin", None)]
    );
    // "astronaut" is an occupation, not a role title the checker compares.
    assert_eq!(roles.len(), 4, "{roles:?}");
}

#[test]
fn spokesman_and_spokesperson_are_one_role() {
    let a = of(
        &claims(&["Kremlin spokesman Dmitry Peskov said so."]),
        ClaimKind::Role,
    );
    let b = of(
        &claims(&["Kremlin spokesperson Dmitriy Peskov said so."]),
        ClaimKind::Role,
    );
    assert_eq!(a, b);
}

#[test]
fn surnames_link_to_the_full_name_in_the_document() {
    let c = claims(&[
        "Russian President Vladimir Putin has recently communicated a readiness to engage in direct discussions with Ukraine’s leader Volodymyr Zelensky.",
        "In response, President Zelenskyy did not directly address Putin's comments.",
    ]);
    let people: Vec<String> = of(&c, ClaimKind::Person).into_iter().map(|x| x.1).collect();
    assert_eq!(
        people,
        [
            "vladimir putin",
            "volodymyr zelensky",
            "volodymyr zelensky",
            "vladimir putin"
        ]
    );
    // The bare title takes the country the document gives the same person's title.
    let roles = of(&c, ClaimKind::Role);
    assert!(
        roles.contains(&t("ukraine leader", "volodymyr zelensky", None)),
        "{roles:?}"
    );
    assert!(
        roles.contains(&t("president", "volodymyr zelensky", None)),
        "{roles:?}"
    );
}

#[test]
fn places_merge_aliases_and_transliterations() {
    let c = claims(&[
        "Overnight reports emerged detailing drone strikes in Odessa, Kharkov and Kiev.",
        "Multiple attacks were reported across Odesa, Kharkiv, Kyiv and the United States.",
    ]);
    let places: Vec<String> = of(&c, ClaimKind::Place).into_iter().map(|x| x.1).collect();
    assert_eq!(
        places,
        ["odesa", "kharkiv", "kyiv", "odesa", "kharkiv", "kyiv", "us"]
    );
}

#[test]
fn quantities_with_hedges_and_what_they_count() {
    let c = claims(&[
        "Near Fort Carson, the Colorado State Patrol responded to a series of rush-hour crashes involving a total of nearly 20 cars.",
        "That would represent more than 46,000 people.",
        "Following the announcement, a deadly strike on an apartment building in Zaporizhzhia resulted in one fatality and over 20 injuries, including children.",
        "In Kharkiv, a substantial drone attack injured at least seven people.",
        "Zelensky accused Russian forces of breaching the ceasefire almost 3,000 times.",
        "Michelle Obama's Twitter audience is 25 per cent fake.",
        "The two nations talked.",
    ]);
    let q = of(&c, ClaimKind::Quantity);
    assert_eq!(
        q,
        [
            t("car", "20", Some("nearly")),
            t("people", "46000", Some("more than")),
            t("people killed", "1", None),
            t("people injured", "20", Some("over")),
            t("people injured", "7", Some("at least")),
            t("times", "3000", Some("almost")),
            t("percent", "25", None),
        ]
    );
}

#[test]
fn durations_and_dates_resolve_against_the_article_date() {
    let (doc, c) = claims_dated(
        &[
            "It is important to note that no formal communications between the two nations have taken place since the onset of the full-scale invasion almost two years ago.",
            "These are a continuation of last week's Paris meeting, where the US and European states explored ways to end the war that has been going on for over three years.",
            "The last meaningful communications were early in the full-scale invasion, which began in February 2022.",
            "During an interview with Russian state media on Monday, Putin emphasized that Russia has “always been receptive” to peace proposals.",
            "Julia moved to the Spanish island with her husband following his death seven years ago.",
            "Zelensky reiterated his call for a 30-day halt on strikes.",
        ],
        Some("2025-04-22"),
    );
    let d = of(&c, ClaimKind::Duration);
    assert!(d.contains(&t("war start", "P2Y", Some("almost"))), "{d:?}");
    assert!(d.contains(&t("war start", "P3Y", Some("over"))), "{d:?}");
    assert!(d.contains(&t("halt length", "P30D", None)), "{d:?}");
    let dates = of(&c, ClaimKind::Date);
    assert!(
        dates.contains(&t("war start", "2022-02", None)),
        "{dates:?}"
    );
    // 22 April 2025 is a Tuesday: "on Monday" is the day before, "last week" the ISO week before.
    assert!(dates.contains(&t("date", "2025-04-21", None)), "{dates:?}");
    assert!(dates.contains(&t("date", "2025-W16", None)), "{dates:?}");
    assert!(dates.contains(&t("date", "2018-04", None)), "{dates:?}");
    // Offsets point at the words.
    let ago = c.iter().find(|c| c.value == "P2Y").unwrap();
    assert_eq!(doc.slice(ago.span), "almost two years ago");
}

#[test]
fn quotations_with_their_speakers() {
    let c = claims(&[
        "\"We are not talking about little green men,\" Stofan said at the panel.",
        "\"Very sad to say that one of my absolute all-time heroes has just passed away,\" Yankovic wrote on Twitter.",
        "'You can say I’m hooked,' Josh Hatfield, 27, told the Post, adding that he's been to the clinic about 20 times so far.",
        "In a Monday interview with Russian state TV, Putin expressed that Russia has \"always looked positively on any peace initiatives,\" and expressed hope that Ukrainian representatives would reciprocate.",
        "Those around Mr Carney dismiss any notion of \"tension\" with the Prime Minister.",
        "In his nightly video address, Zelenskyy reiterated that Ukraine is awaiting an unequivocal response from Moscow.",
        "\"We are ready for any conversation about how to achieve this.\"",
    ]);
    let q = of(&c, ClaimKind::Quote);
    assert_eq!(
        q,
        [
            t("stofan", "we are not talking about little green men", None),
            t(
                "iankovic",
                "very sad to say that one of my absolute all-time heroes has just passed away",
                None
            ),
            t("josh hatfield", "you can say i'm hooked", None),
            t(
                "vladimir putin",
                "always looked positively on any peace initiatives",
                None
            ),
            t(
                "volodymyr zelensky",
                "we are ready for any conversation about how to achieve this",
                None
            ),
        ]
    );
}

#[test]
fn attributions_of_reports() {
    let c = claims(&[
        "\"When the president said it was possible to discuss the issue, the president had in mind negotiations,\" Kremlin spokesman Dmitry Peskov was later quoted by Interfax as saying.",
        "Michelle Obama's Twitter audience is 25 per cent fake, according to StatusPeople.",
    ]);
    let a = of(&c, ClaimKind::Attribution);
    assert_eq!(
        a,
        [
            t("dmitri peskov", "interfax", None),
            t(
                &crate::canonical_name("Michelle Obama"),
                "statuspeople",
                None
            )
        ]
    );
    let q = of(&c, ClaimKind::Quote);
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].0, "dmitri peskov");
}

#[test]
fn title_case_headlines_only_name_known_entities() {
    let c = claims(&[
        "Putin Opens Door to Direct Talks with Ukraine Amid Ongoing Conflict",
        "Upcoming Talks In London Follow Paris Meeting",
    ]);
    let names: Vec<(ClaimKind, String)> = c.iter().map(|c| (c.kind, c.value.clone())).collect();
    assert_eq!(
        names,
        [
            (ClaimKind::Person, "vladimir putin".to_string()),
            (ClaimKind::Place, "ukraine".to_string()),
            (ClaimKind::Place, "london".to_string()),
            (ClaimKind::Place, "paris".to_string()),
        ]
    );
}

#[test]
fn bad_input_yields_no_claims_and_no_panic() {
    for text in [
        "",
        "\"",
        "“",
        "‘'",
        "3,",
        "-- 2,000,00 $ %",
        "May",
        "the 30-",
        "Mr",
        "'x",
    ] {
        let _ = claims(&[text]);
    }
    // Far-off dates resolved against extreme article dates.
    for date in ["9999-12-31", "0001-01-01"] {
        let _ = claims_dated(
            &["It began a billion years ago, 1e400 times, last year, on Sunday, next week."],
            Some(date),
        );
    }
    assert_eq!(crate::duration_years("P€"), None);
    assert_eq!(crate::duration_years("P"), None);
}

/// Every FRANK article (CNN/DailyMail, BBC): no panic, every span on its words, and the kinds of
/// claims real news carries all turn up.
#[test]
fn benchmark_articles_extract_cleanly() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/bench/factcheck/frank-valid.jsonl"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let mut sources = std::collections::BTreeSet::new();
    for line in text.lines() {
        let row: serde_json::Value = serde_json::from_str(line).expect("valid JSONL");
        if let Some(s) = row["source"].as_str() {
            sources.insert(s.to_string());
        }
    }
    let mut kinds = std::collections::BTreeMap::new();
    // And the article bodies of the extraction benchmark (news and blogs, several languages).
    let truth = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/bench/extraction/scrapinghub/ground-truth.json"
    );
    if let Ok(text) = std::fs::read_to_string(truth) {
        let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        for page in v.as_object().into_iter().flat_map(|o| o.values()) {
            if let Some(body) = page["articleBody"].as_str() {
                sources.insert(body.to_string());
            }
        }
    }
    for (i, source) in sources.iter().enumerate() {
        let (doc, claims) =
            claims_dated(&source.split("\n").collect::<Vec<_>>(), Some("2016-05-01"));
        for c in &claims {
            assert_eq!(doc.slice(c.span), c.text, "article {i}");
            assert!(!c.value.is_empty(), "article {i}: {c:?}");
            *kinds.entry(c.kind).or_insert(0) += 1;
        }
    }
    for kind in [
        ClaimKind::Person,
        ClaimKind::Organization,
        ClaimKind::Place,
        ClaimKind::Role,
        ClaimKind::Quantity,
        ClaimKind::Date,
        ClaimKind::Duration,
        ClaimKind::Quote,
        ClaimKind::Attribution,
    ] {
        assert!(
            kinds.get(&kind).copied().unwrap_or(0) > 0,
            "no {kind:?} in {kinds:?}"
        );
    }
}

#[test]
fn structures_and_places_are_no_people() {
    // Sentences of the fictional story in `examples/harbor-bridge`.
    let c = claims(&[
        "A similar crack forced the closure of the Millbrook Viaduct in 2019 for four months.",
        "North Shore residents face a detour of about 35 minutes via the coast road, the Gazette calculated.",
        "The Port Alder Chamber of Commerce said 240 shops depend on traffic from the bridge.",
        "Mayor Elena Marsh told a news conference the bridge would be closed for at least three weeks.",
    ]);
    let people = of(&c, ClaimKind::Person);
    assert_eq!(people, [t("", "elena marsh", None)], "{c:#?}");
    let places = of(&c, ClaimKind::Place);
    assert!(
        places.contains(&t("", "milbrok viaduct", None)),
        "{places:?}"
    );
    assert!(places.contains(&t("", "north shore", None)), "{places:?}");
    let orgs = of(&c, ClaimKind::Organization);
    assert!(
        orgs.contains(&t("", "port alder chamber of comerce", None)),
        "{orgs:?}"
    );
}

#[test]
fn joined_measures_count_like_written_out_ones() {
    let c = claims(&[
        "Inspectors found a crack about 40 centimetres long in a main girder during a routine check on Wednesday, the transport department said.",
        "Port Alder closed the Harbor Bridge to all traffic on Thursday after inspectors found a 40-centimetre crack in one of its main steel girders, city officials said.",
    ]);
    let q = of(&c, ClaimKind::Quantity);
    assert!(q.contains(&t("centimetre", "40", Some("about"))), "{q:?}");
    assert!(q.contains(&t("centimetre", "40", None)), "{q:?}");
}
