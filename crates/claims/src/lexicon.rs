//! The word lists extraction relies on: a modest gazetteer of places and organisations with their
//! aliases, demonyms, role titles and units. Transliteration variants need no entry of their own:
//! [`crate::names::name_key`] already folds them together, so each entry lists only genuinely
//! different names (Kiev → Kyiv, America → US).

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::names::name_key;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntityType {
    Country,
    Place,
    Org,
    Person,
}

/// (canonical, type, surface variants). The canonical value is what claims carry.
const GAZETTEER: &[(&str, EntityType, &[&str])] = {
    use EntityType::*;
    &[
        (
            "us",
            Country,
            &[
                "U.S.",
                "US",
                "USA",
                "U.S.A.",
                "United States",
                "United States of America",
                "America",
                "Washington",
            ],
        ),
        (
            "uk",
            Country,
            &["U.K.", "UK", "United Kingdom", "Britain", "Great Britain"],
        ),
        (
            "russia",
            Country,
            &["Russia", "Russian Federation", "Moscow"],
        ),
        ("ukraine", Country, &["Ukraine"]),
        ("kyiv", Place, &["Kyiv", "Kiev"]),
        ("kharkiv", Place, &["Kharkiv", "Kharkov"]),
        ("odesa", Place, &["Odesa", "Odessa"]),
        (
            "zaporizhzhia",
            Place,
            &["Zaporizhzhia", "Zaporizhia", "Zaporozhye"],
        ),
        ("luhansk", Place, &["Luhansk", "Lugansk"]),
        ("lviv", Place, &["Lviv", "Lvov"]),
        ("mykolaiv", Place, &["Mykolaiv", "Nikolaev"]),
        ("donetsk", Place, &["Donetsk"]),
        ("sumy", Place, &["Sumy"]),
        ("mariupol", Place, &["Mariupol"]),
        ("kherson", Place, &["Kherson"]),
        ("dnipro", Place, &["Dnipro", "Dnipropetrovsk"]),
        ("crimea", Place, &["Crimea"]),
        ("donbas", Place, &["Donbas", "Donbass"]),
        ("belarus", Country, &["Belarus"]),
        (
            "china",
            Country,
            &["China", "Beijing", "People's Republic of China"],
        ),
        ("france", Country, &["France"]),
        ("germany", Country, &["Germany"]),
        ("italy", Country, &["Italy"]),
        ("spain", Country, &["Spain"]),
        ("poland", Country, &["Poland"]),
        ("turkey", Country, &["Turkey", "Türkiye"]),
        ("israel", Country, &["Israel"]),
        ("palestine", Country, &["Palestine"]),
        ("gaza", Place, &["Gaza", "Gaza Strip"]),
        ("iran", Country, &["Iran"]),
        ("iraq", Country, &["Iraq"]),
        ("syria", Country, &["Syria"]),
        ("afghanistan", Country, &["Afghanistan"]),
        ("pakistan", Country, &["Pakistan"]),
        ("india", Country, &["India"]),
        ("japan", Country, &["Japan"]),
        ("north korea", Country, &["North Korea", "DPRK"]),
        ("south korea", Country, &["South Korea"]),
        ("canada", Country, &["Canada"]),
        ("mexico", Country, &["Mexico"]),
        ("brazil", Country, &["Brazil"]),
        ("australia", Country, &["Australia"]),
        ("egypt", Country, &["Egypt"]),
        ("saudi arabia", Country, &["Saudi Arabia"]),
        ("libya", Country, &["Libya"]),
        ("nigeria", Country, &["Nigeria"]),
        ("south africa", Country, &["South Africa"]),
        ("ireland", Country, &["Ireland"]),
        ("scotland", Country, &["Scotland"]),
        ("wales", Country, &["Wales"]),
        ("england", Country, &["England"]),
        ("netherlands", Country, &["Netherlands", "Holland"]),
        ("belgium", Country, &["Belgium"]),
        ("sweden", Country, &["Sweden"]),
        ("norway", Country, &["Norway"]),
        ("finland", Country, &["Finland"]),
        ("denmark", Country, &["Denmark"]),
        ("greece", Country, &["Greece"]),
        ("hungary", Country, &["Hungary"]),
        ("georgia", Country, &["Georgia"]),
        ("switzerland", Country, &["Switzerland"]),
        ("austria", Country, &["Austria"]),
        ("portugal", Country, &["Portugal"]),
        ("london", Place, &["London"]),
        ("paris", Place, &["Paris"]),
        ("berlin", Place, &["Berlin"]),
        ("brussels", Place, &["Brussels"]),
        ("new york", Place, &["New York", "New York City", "NYC"]),
        ("los angeles", Place, &["Los Angeles", "LA"]),
        ("istanbul", Place, &["Istanbul"]),
        ("geneva", Place, &["Geneva"]),
        ("jerusalem", Place, &["Jerusalem"]),
        ("mumbai", Place, &["Mumbai", "Bombay"]),
        ("europe", Place, &["Europe"]),
        ("africa", Place, &["Africa"]),
        ("asia", Place, &["Asia"]),
        ("middle east", Place, &["Middle East"]),
        ("kremlin", Org, &["Kremlin"]),
        ("white house", Org, &["White House"]),
        ("pentagon", Org, &["Pentagon"]),
        ("nato", Org, &["NATO", "Nato"]),
        ("un", Org, &["UN", "U.N.", "United Nations"]),
        ("eu", Org, &["EU", "E.U.", "European Union"]),
        ("interfax", Org, &["Interfax"]),
        ("tass", Org, &["TASS", "Tass"]),
        ("ria novosti", Org, &["RIA Novosti", "RIA"]),
        ("reuters", Org, &["Reuters"]),
        ("associated press", Org, &["Associated Press", "AP"]),
        ("afp", Org, &["AFP", "Agence France-Presse"]),
        ("bbc", Org, &["BBC"]),
        ("cnn", Org, &["CNN"]),
        ("fbi", Org, &["FBI"]),
        ("cia", Org, &["CIA"]),
        ("congress", Org, &["Congress"]),
        ("parliament", Org, &["Parliament"]),
        ("police", Org, &["Police"]),
        (
            "vladimir putin",
            Person,
            &["Vladimir Putin", "Wladimir Putin"],
        ),
        (
            "volodymyr zelensky",
            Person,
            &[
                "Volodymyr Zelensky",
                "Volodymyr Zelenskyy",
                "Vladimir Zelensky",
            ],
        ),
        (
            "muammar gaddafi",
            Person,
            &[
                "Muammar Gaddafi",
                "Muammar Qaddafi",
                "Moammar Gadhafi",
                "Muammar al-Gaddafi",
            ],
        ),
    ]
};

/// Demonyms and adjectives that name a country or body in a role ("Russian President").
const DEMONYMS: &[(&str, &str)] = &[
    ("american", "us"),
    ("russian", "russia"),
    ("ukrainian", "ukraine"),
    ("british", "uk"),
    ("french", "france"),
    ("german", "germany"),
    ("chinese", "china"),
    ("israeli", "israel"),
    ("palestinian", "palestine"),
    ("iranian", "iran"),
    ("turkish", "turkey"),
    ("syrian", "syria"),
    ("iraqi", "iraq"),
    ("afghan", "afghanistan"),
    ("indian", "india"),
    ("pakistani", "pakistan"),
    ("japanese", "japan"),
    ("italian", "italy"),
    ("spanish", "spain"),
    ("polish", "poland"),
    ("canadian", "canada"),
    ("australian", "australia"),
    ("mexican", "mexico"),
    ("brazilian", "brazil"),
    ("egyptian", "egypt"),
    ("saudi", "saudi arabia"),
    ("libyan", "libya"),
    ("nigerian", "nigeria"),
    ("belarusian", "belarus"),
    ("georgian", "georgia"),
    ("hungarian", "hungary"),
    ("dutch", "netherlands"),
    ("irish", "ireland"),
    ("scottish", "scotland"),
    ("welsh", "wales"),
    ("english", "england"),
    ("european", "eu"),
    ("greek", "greece"),
    ("swedish", "sweden"),
    ("norwegian", "norway"),
    ("finnish", "finland"),
    ("danish", "denmark"),
    ("austrian", "austria"),
    ("swiss", "switzerland"),
    ("portuguese", "portugal"),
    ("belgian", "belgium"),
    ("north korean", "north korea"),
    ("south korean", "south korea"),
];

/// Role titles, folded, with their canonical form. Multi-word titles come before their parts so
/// that the longest match wins.
const TITLES: &[(&str, &str)] = &[
    ("prime minister", "prime minister"),
    ("deputy prime minister", "deputy prime minister"),
    ("foreign minister", "foreign minister"),
    ("foreign secretary", "foreign minister"),
    ("defence minister", "defence minister"),
    ("defense minister", "defence minister"),
    ("defence secretary", "defence minister"),
    ("defense secretary", "defence minister"),
    ("interior minister", "interior minister"),
    ("home secretary", "interior minister"),
    ("finance minister", "finance minister"),
    ("secretary of state", "secretary of state"),
    ("secretary general", "secretary general"),
    ("secretary-general", "secretary general"),
    ("press secretary", "spokesperson"),
    ("vice president", "vice president"),
    ("vice-president", "vice president"),
    ("chief executive", "chief executive"),
    ("chief of staff", "chief of staff"),
    ("managing director", "managing director"),
    ("executive director", "executive director"),
    (
        "foreign ministry spokesman",
        "foreign ministry spokesperson",
    ),
    (
        "foreign ministry spokeswoman",
        "foreign ministry spokesperson",
    ),
    (
        "foreign ministry spokesperson",
        "foreign ministry spokesperson",
    ),
    ("president-elect", "president-elect"),
    ("president", "president"),
    ("premier", "prime minister"),
    ("pm", "prime minister"),
    ("chancellor", "chancellor"),
    ("minister", "minister"),
    ("spokesman", "spokesperson"),
    ("spokeswoman", "spokesperson"),
    ("spokesperson", "spokesperson"),
    ("leader", "leader"),
    ("king", "king"),
    ("queen", "queen"),
    ("prince", "prince"),
    ("pope", "pope"),
    ("governor", "governor"),
    ("mayor", "mayor"),
    ("senator", "senator"),
    ("sen.", "senator"),
    ("ceo", "chief executive"),
    ("chairman", "chair"),
    ("chairwoman", "chair"),
    ("chair", "chair"),
    ("ambassador", "ambassador"),
    ("envoy", "envoy"),
    ("general", "general"),
    ("gen.", "general"),
    ("commander", "commander"),
    ("manager", "manager"),
    ("coach", "coach"),
    ("captain", "captain"),
    ("director", "director"),
    ("judge", "judge"),
    ("adviser", "adviser"),
    ("advisor", "adviser"),
];

/// Honorifics: they mark the next capitalised words as a person without giving a role.
pub(crate) const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady",
];

/// Words that make a capitalised run an organisation when they end it.
pub(crate) const ORG_SUFFIXES: &[&str] = &[
    "agency",
    "ministry",
    "department",
    "council",
    "party",
    "bank",
    "company",
    "corp",
    "corporation",
    "inc",
    "ltd",
    "plc",
    "university",
    "committee",
    "commission",
    "club",
    "fc",
    "police",
    "army",
    "navy",
    "force",
    "forces",
    "parliament",
    "congress",
    "senate",
    "chamber",
    "court",
    "office",
    "service",
    "group",
    "news",
    "times",
    "post",
    "association",
    "federation",
    "league",
    "foundation",
    "institute",
    "organisation",
    "organization",
    "union",
    "assembly",
    "government",
    "network",
    "guard",
    "school",
    "hospital",
    "airlines",
    "airways",
    "media",
    "tv",
    "radio",
    "journal",
    "telegraph",
    "guardian",
    "herald",
    "tribune",
    "gazette",
    "daily",
    "mail",
    "express",
    // Venues, competitions and events: named like people, never people.
    "center",
    "centre",
    "stadium",
    "arena",
    "garden",
    "gardens",
    "oval",
    "cup",
    "championship",
    "championships",
    "slam",
    "open",
    "games",
    "olympics",
    "trophy",
    "awards",
    "festival",
    "prize",
    "series",
    "tournament",
    "conference",
    "summit",
];

/// Capitalised words that are never names besides months and weekdays: holidays and common
/// sentence openers.
pub(crate) const NOT_NAMES: &[&str] = &[
    "easter",
    "christmas",
    "ramadan",
    "however",
    "meanwhile",
    "additionally",
    "following",
    "speaking",
    "while",
    "although",
    "despite",
    "during",
    "after",
    "before",
    "since",
    "in",
    "on",
    "at",
    "as",
    "but",
    "and",
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "our",
    "both",
    "each",
    "with",
    "when",
    "where",
    "what",
    "who",
    "why",
    "how",
    "if",
    "yet",
    "so",
    "for",
    "from",
    "to",
    "by",
    "of",
    "said",
    "says",
    "mr",
    "mrs",
    "ms",
    "dr",
    "today",
    "yesterday",
    "tomorrow",
    "there",
    "here",
    "not",
    "no",
    "all",
    "some",
    "many",
    "most",
    "more",
    "other",
    "another",
    "new",
    "former",
    "last",
    "first",
    "one",
    "two",
    "three",
    "upcoming",
    "under",
    "over",
    "about",
    "breaking",
    "update",
    "watch",
    "read",
    "photo",
    "video",
    "image",
    "getty",
    "images",
    "click",
    "share",
    "advertisement",
];

pub(crate) struct Gazetteer {
    /// name_key of a surface variant → (canonical, type); keys may span several words.
    pub by_key: HashMap<String, (&'static str, EntityType)>,
    /// Longest variant, in words.
    pub max_words: usize,
}

pub(crate) static GAZ: LazyLock<Gazetteer> = LazyLock::new(|| {
    let mut by_key = HashMap::new();
    let mut max_words = 1;
    for (canon, ty, variants) in GAZETTEER {
        by_key.insert(name_key(canon), (*canon, *ty));
        for v in *variants {
            max_words = max_words.max(v.split_whitespace().count());
            by_key.insert(name_key(v), (*canon, *ty));
        }
    }
    Gazetteer { by_key, max_words }
});

static DEMONYM_MAP: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| DEMONYMS.iter().copied().collect());

/// The country a demonym names (`"Russian"` → `"russia"`), given the folded word.
pub(crate) fn demonym(folded: &str) -> Option<&'static str> {
    DEMONYM_MAP.get(folded).copied()
}

/// The canonical title starting at `words[0]` (folded words) and how many words it spans.
pub(crate) fn title_at(words: &[&str]) -> Option<(&'static str, usize)> {
    let first = words.first()?;
    TITLE_PARTS
        .get(first)?
        .iter()
        .filter(|(parts, _)| {
            words.len() >= parts.len() && parts.iter().zip(words).all(|(p, w)| p == w)
        })
        .map(|(parts, canon)| (*canon, parts.len()))
        .max_by_key(|(_, n)| *n)
}

/// Titles by their first word, each split into words.
type TitleIndex = HashMap<&'static str, Vec<(Vec<&'static str>, &'static str)>>;

static TITLE_PARTS: LazyLock<TitleIndex> = LazyLock::new(|| {
    let mut m: TitleIndex = HashMap::new();
    for (surface, canon) in TITLES {
        let parts: Vec<&str> = surface.split(' ').collect();
        m.entry(parts[0]).or_default().push((parts, *canon));
    }
    m
});

/// Splits a role slot into its country or body and its canonical title
/// (`"us president"` → `(Some("us"), "president")`, `"prime minister"` → `(None, "prime minister")`).
pub fn role_parts(slot: &str) -> (Option<&str>, &str) {
    let is_title = |t: &str| TITLES.iter().any(|(_, canon)| *canon == t);
    if is_title(slot) {
        return (None, slot);
    }
    slot.match_indices(' ')
        .map(|(i, _)| (&slot[..i], &slot[i + 1..]))
        .find(|(_, title)| is_title(title))
        .map_or((None, slot), |(country, title)| (Some(country), title))
}
