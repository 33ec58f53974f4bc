mod common;

use crosscheck_report::{markdown, terminal};

#[test]
fn terminal_summary_snapshot() {
    let Some(a) = common::seed_analysis() else {
        return;
    };
    let plain = terminal(&a, false);
    assert!(!plain.contains('\u{1b}'));
    insta::assert_snapshot!("terminal_plain", plain);
    let colored = terminal(&a, true);
    assert!(colored.contains("\u{1b}[1;31m✗\u{1b}[0m"));
    insta::assert_snapshot!("terminal_color", colored);
}

#[test]
fn terminal_sections_come_in_order() {
    let Some(a) = common::seed_analysis() else {
        return;
    };
    let plain = terminal(&a, false);
    let pos = |s: &str| plain.find(s).unwrap_or_else(|| panic!("{s} missing"));
    let order = [
        "Versions",
        "Families",
        "Corroborated (2)",
        "Contradictions (2)",
        "Single source (2)",
        "Repeated inside an article",
    ];
    for w in order.windows(2) {
        assert!(pos(w[0]) < pos(w[1]), "{} before {}", w[0], w[1]);
    }
    assert!(plain.contains("\"donald trump\" (V2, V5) vs \"joe biden\" (V3)"));
    assert!(plain.contains("role: russian president: \"vladimir putin\" (V1–V5), 3 families"));
}

#[test]
fn markdown_summary_snapshot() {
    let Some(a) = common::seed_analysis() else {
        return;
    };
    insta::assert_snapshot!("markdown", markdown(&a));
}

#[test]
fn hostile_text_is_inert_in_terminal_and_markdown() {
    let Some(a) = common::hostile_analysis() else {
        return;
    };
    let plain = terminal(&a, false);
    assert!(!plain.contains('\u{1b}') && !plain.contains('\u{7}'));
    let colored = terminal(&a, true);
    // Only the report's own SGR sequences: every escape starts `ESC [` and ends in `m`.
    for (i, _) in colored.match_indices('\u{1b}') {
        let rest = &colored[i + 1..];
        assert!(rest.starts_with('['), "foreign escape sequence at {i}");
        let end = rest.find('m').unwrap();
        assert!(rest[1..end].chars().all(|c| c.is_ascii_digit() || c == ';'));
    }
    let md = markdown(&a);
    // Every markup character from the article is backslash-escaped.
    for (i, _) in md.match_indices(['<', '>', '[', ']']) {
        assert_eq!(
            &md[i - 1..i],
            "\\",
            "unescaped markup at {:?}",
            &md[i.saturating_sub(30)..i + 1]
        );
    }
    assert!(md.contains("\\<script\\>window.\\_\\_pwned=1\\</script\\>"));
}
