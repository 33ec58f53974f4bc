//! Writes the reports of the seed articles (with hand-written findings, as in the tests) to look
//! at them: report.html, story-1.html (the first story alone), report.md, report.json and
//! report.txt. `cargo run -p crosscheck-report --example seed_report -- OUT_DIR [--hostile]`;
//! `--hostile` adds the crafted hostile article.

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "target/report".into()));
    let hostile = args.any(|a| a == "--hostile");
    let analysis = if hostile {
        common::hostile_analysis()
    } else {
        common::seed_analysis()
    };
    let Some(a) = analysis else {
        std::process::exit(2);
    };
    std::fs::create_dir_all(&dir).expect("output folder");
    for (name, text) in [
        ("report.html", crosscheck_report::html(&a)),
        ("report.md", crosscheck_report::markdown(&a)),
        ("report.json", crosscheck_report::json(&a)),
        ("report.txt", crosscheck_report::terminal(&a, false)),
        (
            "story-1.html",
            crosscheck_report::html_story(&a, 0).unwrap_or_default(),
        ),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("writable output");
        println!("{}", path.display());
    }
}
