//! End to end: `crosscheck analyze` on the seed articles plus crafted hostile articles writes an
//! HTML report, which `tests/e2e/report.mjs` then opens in headless Chromium: the US-leader
//! contradiction is listed, activating it (click, keyboard) highlights the evidence in both
//! versions, and nothing from article text runs.
//!
//! The browser part needs `node`, `tests/e2e/node_modules` (`npm ci --prefix tests/e2e`) and
//! `/usr/bin/chromium` (`apt-get install -y chromium`); without them it says so and skips.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Why the browser check cannot run here, if it cannot.
fn browser_missing(root: &Path) -> Option<String> {
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some("node is not installed".into());
    }
    if !root.join("tests/e2e/node_modules/playwright-core").is_dir() {
        return Some("tests/e2e/node_modules is missing (npm ci --prefix tests/e2e)".into());
    }
    let chromium = std::env::var_os("CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if !chromium.exists() {
        return Some(format!(
            "{} is missing (apt-get install -y chromium)",
            chromium.display()
        ));
    }
    None
}

#[test]
fn html_report_is_safe_and_usable_in_a_browser() {
    let root = root();
    let seeds = root.join("../shared/corpus/seeds");
    if !seeds.is_dir() {
        eprintln!("skipping: ../shared not found");
        return;
    }
    let fixtures = root.join("tests/e2e/fixtures");
    let dir = tempfile::tempdir().expect("temp dir");
    let report = dir.path().join("report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .arg("analyze")
        .arg(&seeds)
        .arg(fixtures.join("hostile-article.txt"))
        .arg(fixtures.join("hostile-page.html"))
        .args(["--no-model", "--format", "html", "-o"])
        .arg(&report)
        .output()
        .expect("crosscheck runs");
    // Exit 1 means some input was skipped; the report still covers the rest.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "crosscheck analyze failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&report).expect("report written");

    // String-level: the hostile text is there, escaped, and the only script is the report's.
    assert!(html.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;"));
    assert_eq!(html.matches("<script").count(), 1);
    assert_eq!(html.matches("</style>").count(), 1);
    assert!(!html.contains("href=\"javascript"));
    assert!(html.contains("Biden") && html.contains("Trump"));

    if let Some(why) = browser_missing(&root) {
        eprintln!("skipping the browser check: {why}");
        return;
    }
    let browser = Command::new("node")
        .arg(root.join("tests/e2e/report.mjs"))
        .arg(&report)
        .arg("--hostile")
        .current_dir(&root)
        .output()
        .expect("node runs");
    let log = String::from_utf8_lossy(&browser.stdout);
    eprintln!("{log}{}", String::from_utf8_lossy(&browser.stderr));
    assert!(browser.status.success(), "browser checks failed:\n{log}");
}
