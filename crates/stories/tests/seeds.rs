//! The five seed versions of one April 2025 story: one story, families {001, 004} and
//! {002, 003} with 000 alone, headlines printed twice, repeated paragraphs in 003 and 004;
//! unrelated real articles stay out of the story.

use std::io::Read;
use std::path::{Path, PathBuf};

use crosscheck_model::{BlockKind, DefectKind, Document, LinkKind};

fn shared() -> Option<PathBuf> {
    let p = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    p.exists().then(|| p.to_path_buf())
}

fn seeds(shared: &Path) -> Vec<Document> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(shared.join("corpus/seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|f| crosscheck_ingest::read_path(f).documents)
        .collect()
}

/// A few Scrapinghub benchmark articles: their ground-truth text, one block per line.
fn unrelated(shared: &Path, n: usize) -> Vec<Document> {
    let dir = shared.join("bench/extraction/scrapinghub");
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("ground-truth.json")).unwrap())
            .unwrap();
    let mut ids: Vec<&String> = truth.as_object().unwrap().keys().collect();
    ids.sort();
    ids.into_iter()
        .filter(|id| dir.join("html").join(format!("{id}.html.gz")).exists())
        .take(n)
        .map(|id| {
            // The page itself is read too, so the test fails loudly if the benchmark is broken.
            let mut html = String::new();
            let gz = std::fs::File::open(dir.join("html").join(format!("{id}.html.gz"))).unwrap();
            flate2::read::GzDecoder::new(gz)
                .read_to_string(&mut html)
                .unwrap();
            assert!(!html.is_empty());
            let body = truth[id]["articleBody"].as_str().unwrap_or("");
            Document::from_blocks(
                id.as_str(),
                "scrapinghub",
                body.lines().map(|l| (BlockKind::Paragraph, l)),
            )
        })
        .collect()
}

fn short(id: &str) -> &str {
    &id[..3.min(id.len())]
}

#[test]
fn seeds_form_one_story_apart_from_unrelated_news() {
    let Some(shared) = shared() else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let seeds = seeds(&shared);
    assert_eq!(seeds.len(), 5);
    let others = unrelated(&shared, 40);
    assert_eq!(others.len(), 40);
    // Seeds in the middle of the stream, so that both earlier and later news could attract them.
    let mut docs = others[..20].to_vec();
    docs.extend(seeds.iter().cloned());
    docs.extend(others[20..].iter().cloned());
    let stories = crosscheck_stories::cluster(&docs, None);
    let seed_ids: Vec<&str> = seeds.iter().map(|d| d.id.as_str()).collect();
    let story = stories
        .iter()
        .find(|s| s.documents.iter().any(|d| d == seed_ids[0]))
        .unwrap();
    assert_eq!(story.documents, seed_ids, "{stories:#?}");
    assert!(!story.title.is_empty());
    // Same input, same stories and ids.
    assert_eq!(crosscheck_stories::cluster(&docs, None), stories);
}

#[test]
fn incremental_index_places_each_new_version() {
    let Some(shared) = shared() else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let seeds = seeds(&shared);
    let others = unrelated(&shared, 30);
    // One document at a time, word statistics growing as they come.
    let mut index = crosscheck_stories::StoryIndex::new();
    let before: Vec<usize> = others[..15].iter().map(|d| index.add(d)).collect();
    let placed: Vec<usize> = seeds.iter().map(|d| index.add(d)).collect();
    let after: Vec<usize> = others[15..].iter().map(|d| index.add(d)).collect();
    assert!(placed.iter().all(|&s| s == placed[0]), "{placed:?}");
    assert!(!before.contains(&placed[0]) && !after.contains(&placed[0]));
    let stories = index.stories();
    assert_eq!(stories[placed[0]].documents.len(), 5);
    assert_eq!(index.len(), 35);
}

#[test]
fn seeds_structure() {
    let Some(shared) = shared() else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let seeds = seeds(&shared);
    let refs: Vec<&Document> = seeds.iter().collect();
    let sentences: Vec<_> = seeds.iter().map(crosscheck_text::segment).collect();
    let st = crosscheck_stories::structure(&refs, &sentences, None);

    let mut fams: Vec<Vec<&str>> = st
        .families
        .iter()
        .map(|f| f.members.iter().map(|m| short(m)).collect())
        .collect();
    fams.sort();
    assert_eq!(fams, [vec!["000"], vec!["001", "004"], vec!["002", "003"]]);

    for d in &seeds {
        let heads: Vec<_> = st
            .defects
            .iter()
            .filter(|x| x.doc == d.id && x.kind == DefectKind::RepeatedHeadline)
            .collect();
        let expected = usize::from(short(&d.id) != "000");
        assert_eq!(heads.len(), expected, "{}", d.id);
        for h in heads {
            assert_eq!(h.spans.len(), 2);
            assert_eq!(d.slice(h.spans[0]), d.slice(h.spans[1]));
        }
        let paras: Vec<_> = st
            .defects
            .iter()
            .filter(|x| x.doc == d.id && x.kind == DefectKind::RepeatedParagraph)
            .collect();
        match short(&d.id) {
            "003" | "004" => {
                assert!(!paras.is_empty(), "{}", d.id);
                for p in paras {
                    assert_eq!(
                        crosscheck_text::fold(d.slice(p.spans[0])),
                        crosscheck_text::fold(d.slice(p.spans[1]))
                    );
                    assert!(p.spans[0].end <= p.spans[1].start);
                }
            }
            _ => assert!(paras.is_empty(), "{}: {paras:?}", d.id),
        }
        assert!(!st
            .defects
            .iter()
            .any(|x| x.doc == d.id && x.kind == DefectKind::Boilerplate));
    }

    // Links: within range, between different versions, and the copied families are linked
    // more densely than the rest.
    let by_id = |id: &str| seeds.iter().position(|d| d.id == id).unwrap();
    let mut count = [[0usize; 5]; 5];
    for l in &st.links {
        assert!((0.0..=1.0).contains(&l.score));
        assert_ne!(l.a.doc, l.b.doc);
        let (a, b) = (by_id(&l.a.doc), by_id(&l.b.doc));
        assert!(l.a.sentence < sentences[a].len() && l.b.sentence < sentences[b].len());
        count[a][b] += 1;
        count[b][a] += 1;
    }
    eprintln!("{count:?}");
    // The members of each family are aligned with each other.
    assert!(count[1][4] > 0 && count[2][3] > 0, "{count:?}");
    let kinds = |k: LinkKind| st.links.iter().filter(|l| l.kind == k).count();
    eprintln!(
        "verbatim {} near {} paraphrase {}",
        kinds(LinkKind::Verbatim),
        kinds(LinkKind::NearVerbatim),
        kinds(LinkKind::Paraphrase)
    );
    // 001 and 003 print nearly the same headline ("Putin Opens Door to (Direct) Talks with
    // Ukraine Amid Ongoing ...").
    assert!(kinds(LinkKind::NearVerbatim) > 0);
}

#[test]
fn boilerplate_and_repeated_sentences_are_found() {
    let doc = Document::from_blocks(
        "d",
        "d",
        [
            (BlockKind::Headline, "Storm hits the coast"),
            (
                BlockKind::Paragraph,
                "The storm reached the coast on Monday night with winds of 120 kilometres an hour. \
                 Sign up for our daily newsletter.",
            ),
            (BlockKind::Paragraph, "Scroll down for video"),
            (
                BlockKind::Paragraph,
                "Officials said 3,000 homes lost power. The storm reached the coast on Monday \
                 night with winds of 120 kilometres an hour.",
            ),
            (
                BlockKind::Paragraph,
                "Residents who wanted to sign up as volunteers were told to wait until the \
                 roads had been cleared by the emergency services.",
            ),
        ],
    );
    let sentences = crosscheck_text::segment(&doc);
    let d = crosscheck_stories::defects(&doc, &sentences);
    let boiler: Vec<&str> = d
        .iter()
        .filter(|x| x.kind == DefectKind::Boilerplate)
        .flat_map(|x| x.spans.iter().map(|s| doc.slice(*s)))
        .collect();
    assert_eq!(
        boiler,
        ["Sign up for our daily newsletter.", "Scroll down for video"]
    );
    let rep: Vec<_> = d
        .iter()
        .filter(|x| x.kind == DefectKind::RepeatedSentence)
        .collect();
    assert_eq!(rep.len(), 1);
    assert_eq!(rep[0].spans.len(), 2);
    assert!(doc.slice(rep[0].spans[1]).starts_with("The storm reached"));
}
