//! Times the renderers on a large story: 50 versions of about 2 000 words each, made of the
//! real seed paragraphs in a different order per version, with every repeated sentence linked
//! as a verbatim copy and findings whose evidence lies in every version.
//!
//! `cargo run --release -p crosscheck-report --example render_bench -- [VERSIONS] [WORDS] [OUT.html]`

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::time::Instant;

use crosscheck_model::{
    Analysis, BlockKind, Document, Evidence, Family, Finding, FindingKind, LinkKind, SentenceLink,
    SentenceRef, Severity, Span, Story, StoryAnalysis,
};

fn main() {
    let mut args = std::env::args().skip(1);
    let versions: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50);
    let words: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let out = args.next();
    let Some(dir) = common::seeds_dir() else {
        std::process::exit(2);
    };
    let seeds = common::seed_documents(&dir);
    let paragraphs: Vec<&str> = seeds
        .iter()
        .flat_map(|d| d.paragraphs().map(|b| d.block_text(b)))
        .collect();

    let docs: Vec<Document> = (0..versions)
        .map(|v| {
            let mut blocks = vec![(
                BlockKind::Headline,
                seeds[v % seeds.len()].title.as_deref().unwrap_or("Talks"),
            )];
            let mut n = 0;
            let mut i = v * 7;
            while n < words {
                let p = paragraphs[i % paragraphs.len()];
                n += p.split_whitespace().count();
                blocks.push((BlockKind::Paragraph, p));
                i += 3;
            }
            let mut d =
                Document::from_blocks(format!("v{v:02}"), format!("bench/v{v:02}.txt"), blocks);
            d.outlet = Some(format!("Outlet {v}"));
            d.published = Some(format!("2025-04-{:02}", 1 + v % 28));
            d
        })
        .collect();
    let sentences: Vec<_> = docs.iter().map(crosscheck_text::segment).collect();

    // Every sentence printed in several versions is linked to its first printing.
    let mut first: HashMap<String, (usize, usize)> = HashMap::new();
    let mut links = Vec::new();
    for (di, d) in docs.iter().enumerate() {
        for (si, s) in sentences[di].iter().enumerate() {
            let key = crosscheck_text::fold(d.slice(s.span));
            match first.get(&key) {
                Some(&(fd, fs)) if fd != di => links.push(SentenceLink {
                    a: SentenceRef {
                        doc: docs[fd].id.clone(),
                        sentence: fs,
                    },
                    b: SentenceRef {
                        doc: d.id.clone(),
                        sentence: si,
                    },
                    score: 1.0,
                    kind: LinkKind::Verbatim,
                }),
                Some(_) => {}
                None => {
                    first.insert(key, (di, si));
                }
            }
        }
    }
    let evidence = |needle: &str, value: &str| -> Vec<Evidence> {
        docs.iter()
            .enumerate()
            .filter_map(|(di, d)| {
                let start = d.text.find(needle)?;
                let span = Span::new(start, start + needle.len());
                let sentence = sentences[di]
                    .iter()
                    .position(|s| s.span.contains(span))
                    .unwrap_or(0);
                Some(Evidence {
                    doc: d.id.clone(),
                    sentence,
                    span,
                    chars: d.char_span(span),
                    value: value.into(),
                    text: needle.into(),
                })
            })
            .collect()
    };
    let mut findings = Vec::new();
    for (kind, needle, value) in [
        (
            FindingKind::Corroborated,
            "Vladimir Putin",
            "vladimir putin",
        ),
        (FindingKind::Corroborated, "Dmitry Peskov", "dmitry peskov"),
        (FindingKind::Contradiction, "Donald Trump", "donald trump"),
        (FindingKind::Contradiction, "Joe Biden", "joe biden"),
        (FindingKind::SingleSource, "3,000", "3000"),
        (FindingKind::Corroborated, "30-hour", "PT30H"),
        (FindingKind::SingleSource, "Zaporizhzhia", "zaporizhzhia"),
    ] {
        findings.push(Finding {
            kind,
            severity: Severity::Medium,
            slot: format!("bench: {needle}"),
            explanation: format!("Where the versions mention {needle}."),
            families: 5,
            evidence: evidence(needle, value),
        });
    }
    let families = (0..5)
        .map(|f| Family {
            id: f,
            members: docs
                .iter()
                .skip(f)
                .step_by(5)
                .map(|d| d.id.clone())
                .collect(),
            likely_source: Some(docs[f].id.clone()),
        })
        .collect();
    let story = StoryAnalysis {
        story: Story {
            id: "bench".into(),
            title: "Benchmark story".into(),
            documents: docs.iter().map(|d| d.id.clone()).collect(),
        },
        sentences: docs
            .iter()
            .map(|d| d.id.clone())
            .zip(sentences.iter().cloned())
            .collect(),
        links,
        families,
        defects: Vec::new(),
        claims: Vec::new(),
        findings,
    };
    let total_words: usize = docs.iter().map(Document::word_count).sum();
    let a = Analysis {
        documents: docs,
        stories: vec![story],
        skipped: Vec::new(),
    };
    println!(
        "{} versions, {} words, {} sentences, {} links, {} evidence spans",
        versions,
        total_words,
        sentences.iter().map(Vec::len).sum::<usize>(),
        a.stories[0].links.len(),
        a.stories[0]
            .findings
            .iter()
            .map(|f| f.evidence.len())
            .sum::<usize>()
    );
    type Render = fn(&Analysis) -> String;
    let renderers: [(&str, Render); 4] = [
        ("html", crosscheck_report::html),
        ("json", crosscheck_report::json),
        ("markdown", crosscheck_report::markdown),
        ("terminal", |a| crosscheck_report::terminal(a, true)),
    ];
    for (name, render) in renderers {
        let mut best = f64::MAX;
        let mut size = 0;
        for _ in 0..5 {
            let t = Instant::now();
            let s = render(&a);
            best = best.min(t.elapsed().as_secs_f64());
            size = s.len();
        }
        println!(
            "{name:<9} {:>8.1} ms (best of 5)  {:>9} bytes",
            best * 1e3,
            size
        );
    }
    if let Some(path) = out {
        std::fs::write(&path, crosscheck_report::html(&a)).expect("writable output");
        println!("wrote {path}");
    }
}
