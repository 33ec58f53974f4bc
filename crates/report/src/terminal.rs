//! The compact per-story summary for a terminal.

use std::fmt::Write as _;

use crosscheck_model::{Analysis, Finding, FindingKind};

use crate::view::{
    clip, date, defects_by_version, display_name, family_letter, label_list, StoryView,
};

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, t: &str) -> String {
        self.paint("1", t)
    }
    fn dim(&self, t: &str) -> String {
        self.paint("2", t)
    }
    fn red(&self, t: &str) -> String {
        self.paint("1;31", t)
    }
    fn green(&self, t: &str) -> String {
        self.paint("32", t)
    }
    fn yellow(&self, t: &str) -> String {
        self.paint("33", t)
    }
    fn magenta(&self, t: &str) -> String {
        self.paint("35", t)
    }
    fn cyan(&self, t: &str) -> String {
        self.paint("36", t)
    }
}

/// Article text made safe for a terminal: one line, at most `max` characters, and no control
/// characters (an escape sequence in an article must not reach the terminal).
fn t(text: &str, max: usize) -> String {
    clip(text, max)
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

/// A compact summary of every story: versions, families, corroborated facts with family counts,
/// contradictions, single-source and unsupported claims, in-article repeats. ANSI colours only
/// when `color` is true.
pub fn terminal(a: &Analysis, color: bool) -> String {
    let st = Style { color };
    let mut out = String::new();
    if a.stories.is_empty() {
        let _ = writeln!(
            out,
            "No stories found in {} {}.",
            a.documents.len(),
            if a.documents.len() == 1 {
                "document"
            } else {
                "documents"
            }
        );
    }
    for (si, sa) in a.stories.iter().enumerate() {
        let v = StoryView::new(a, sa);
        if si > 0 {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "{} {}",
            st.bold(&format!("Story {}/{}:", si + 1, a.stories.len())),
            st.bold(&t(&sa.story.title, 100))
        );
        let count = |k: FindingKind| sa.findings.iter().filter(|f| f.kind == k).count();
        let _ = writeln!(
            out,
            "  {} {}, {} independent {}: {} corroborated, {} contradicted, {} single-source, {} unsupported, {} {}",
            v.versions.len(),
            if v.versions.len() == 1 { "version" } else { "versions" },
            v.family_count(),
            if v.family_count() == 1 { "family" } else { "families" },
            count(FindingKind::Corroborated),
            count(FindingKind::Contradiction),
            count(FindingKind::SingleSource),
            count(FindingKind::Unsupported),
            sa.defects.len(),
            if sa.defects.len() == 1 { "repeat" } else { "repeats" }
        );

        out.push_str(&st.bold("Versions"));
        out.push('\n');
        for x in &v.versions {
            let _ = writeln!(
                out,
                "  {} {:<28} {:<10} {:<4} {}",
                st.cyan(&format!("{:<4}", x.label)),
                t(display_name(x.doc), 28),
                date(x.doc).map_or_else(|| "-".to_string(), |d| t(d, 10)),
                x.family.map_or_else(|| "-".to_string(), family_letter),
                st.dim(&t(x.doc.title.as_deref().unwrap_or(""), 60))
            );
        }

        out.push_str(&st.bold("Families"));
        out.push('\n');
        for fi in 0..sa.families.len() {
            let members = v.family_members(fi);
            if members.is_empty() {
                continue;
            }
            let src = v.likely_source(fi);
            let list: Vec<String> = members
                .iter()
                .map(|&m| {
                    if Some(m) == src && members.len() > 1 {
                        format!("{} (source)", v.versions[m].label)
                    } else {
                        v.versions[m].label.clone()
                    }
                })
                .collect();
            let _ = writeln!(out, "  {:<4} {}", family_letter(fi), list.join(", "));
        }

        section(&mut out, &st, &v, FindingKind::Corroborated, "Corroborated");
        section(
            &mut out,
            &st,
            &v,
            FindingKind::Contradiction,
            "Contradictions",
        );
        section(
            &mut out,
            &st,
            &v,
            FindingKind::SingleSource,
            "Single source",
        );
        section(&mut out, &st, &v, FindingKind::Unsupported, "Unsupported");

        if !sa.defects.is_empty() {
            out.push_str(&st.bold("Repeated inside an article"));
            out.push('\n');
            for (pos, list, single) in defects_by_version(&v) {
                let detail = single.map_or_else(String::new, |e| format!(": {}", t(e, 100)));
                let _ = writeln!(
                    out,
                    "  {} {} {}{}",
                    st.yellow("!"),
                    st.cyan(&format!("{:<4}", v.versions[pos].label)),
                    list,
                    detail
                );
            }
        }
    }
    if !a.skipped.is_empty() {
        out.push('\n');
        out.push_str(&st.bold(&format!("Skipped {} inputs", a.skipped.len())));
        out.push('\n');
        for s in &a.skipped {
            let _ = writeln!(out, "  {}: {}", t(&s.source, 80), t(&s.reason, 100));
        }
    }
    out
}

fn section(out: &mut String, st: &Style, v: &StoryView, kind: FindingKind, title: &str) {
    let findings: Vec<&Finding> = v.findings_of(kind).collect();
    if findings.is_empty() {
        return;
    }
    let _ = writeln!(out, "{} ({})", st.bold(title), findings.len());
    for f in findings {
        let values = v.values(f);
        let stated: Vec<String> = values
            .iter()
            .map(|(value, labels)| format!("\"{}\" ({})", t(value, 60), label_list(labels)))
            .collect();
        let line = match kind {
            FindingKind::Corroborated => format!(
                "  {} {}: {}, {} {}",
                st.green("✓"),
                t(&f.slot, 60),
                stated.join(", "),
                f.families,
                if f.families == 1 {
                    "family"
                } else {
                    "families"
                }
            ),
            FindingKind::Contradiction => format!(
                "  {} {}: {}",
                st.red("✗"),
                t(&f.slot, 60),
                stated.join(" vs ")
            ),
            FindingKind::SingleSource => format!(
                "  {} {}: {}",
                st.yellow("•"),
                t(&f.slot, 60),
                stated.join(", ")
            ),
            FindingKind::Unsupported => format!(
                "  {} {}: {}",
                st.magenta("?"),
                t(&f.slot, 60),
                stated.join(", ")
            ),
        };
        out.push_str(&line);
        out.push('\n');
        if kind != FindingKind::Corroborated && !f.explanation.trim().is_empty() {
            let _ = writeln!(out, "      {}", st.dim(&t(&f.explanation, 140)));
        }
    }
}
