//! A Markdown summary for pasting into a ticket or a newsroom chat.

use std::fmt::Write as _;

use crosscheck_model::{Analysis, FindingKind};

use crate::html::safe_url;
use crate::view::{
    around, clip, date, defects_by_version, display_name, family_letter, label_list, StoryView,
};

/// Article text made inert in Markdown: one line, at most `max` characters, every character
/// that Markdown or embedded HTML could read as markup backslash-escaped.
fn md(text: &str, max: usize) -> String {
    md_inline(&clip(text, max))
}

/// Escapes like [`md`] without shortening or trimming, for parts of one line.
fn md_inline(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_control() {
            if c == '\n' || c == '\t' {
                out.push(' ');
            }
            continue;
        }
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '['
                | ']'
                | '<'
                | '>'
                | '#'
                | '|'
                | '~'
                | '!'
                | '('
                | ')'
                | '{'
                | '}'
                | '&'
                | '$'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A URL fit for `[text](url)`: only http(s), with the characters that would end the link
/// percent-encoded.
fn md_url(url: &str) -> Option<String> {
    let u = safe_url(url)?;
    Some(
        u.replace('(', "%28")
            .replace(')', "%29")
            .replace('<', "%3C")
            .replace('>', "%3E"),
    )
}

/// The analysis as a Markdown summary: per story its versions, then contradictions, unsupported
/// and single-source claims, corroborated facts, copy families and in-article repeats.
pub fn markdown(a: &Analysis) -> String {
    let mut out = String::from("# crosscheck report\n\n");
    let findings: usize = a.stories.iter().map(|s| s.findings.len()).sum();
    let _ = writeln!(
        out,
        "{} {}, {} {}, {} {}{}.",
        a.documents.len(),
        if a.documents.len() == 1 {
            "document"
        } else {
            "documents"
        },
        a.stories.len(),
        if a.stories.len() == 1 {
            "story"
        } else {
            "stories"
        },
        findings,
        if findings == 1 { "finding" } else { "findings" },
        if a.skipped.is_empty() {
            String::new()
        } else {
            format!(", {} inputs skipped", a.skipped.len())
        }
    );
    for (si, sa) in a.stories.iter().enumerate() {
        let v = StoryView::new(a, sa);
        let _ = writeln!(out, "\n## {}. {}\n", si + 1, md(&sa.story.title, 160));
        let _ = writeln!(
            out,
            "{} {} from {} independent copy {}.\n",
            v.versions.len(),
            if v.versions.len() == 1 {
                "version"
            } else {
                "versions"
            },
            v.family_count(),
            if v.family_count() == 1 {
                "family"
            } else {
                "families"
            }
        );
        out.push_str("| Version | Outlet | Title | Date | Family |\n|---|---|---|---|---|\n");
        for x in &v.versions {
            let outlet = md(display_name(x.doc), 40);
            let outlet = match x.doc.url.as_deref().and_then(md_url) {
                Some(u) => format!("[{outlet}]({u})"),
                None => outlet,
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                x.label,
                outlet,
                md(x.doc.title.as_deref().unwrap_or(""), 80),
                date(x.doc).map_or_else(String::new, |d| md(d, 10)),
                x.family.map_or_else(|| "-".to_string(), family_letter)
            );
        }
        for (kind, title) in [
            (FindingKind::Contradiction, "Contradictions"),
            (FindingKind::Unsupported, "Unsupported claims"),
            (FindingKind::SingleSource, "Single-source claims"),
            (FindingKind::Corroborated, "Corroborated facts"),
        ] {
            let fs: Vec<_> = v.findings_of(kind).collect();
            if fs.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n### {title} ({})\n", fs.len());
            for f in fs {
                let values: Vec<String> = v
                    .values(f)
                    .iter()
                    .map(|(value, labels)| format!("“{}” ({})", md(value, 60), label_list(labels)))
                    .collect();
                let sep = if kind == FindingKind::Contradiction {
                    " vs "
                } else {
                    ", "
                };
                let _ = write!(out, "- **{}**: {}", md(&f.slot, 60), values.join(sep));
                if kind == FindingKind::Corroborated {
                    let _ = write!(out, ", {} independent families", f.families);
                }
                out.push('\n');
                if kind != FindingKind::Corroborated {
                    if !f.explanation.trim().is_empty() {
                        let _ = writeln!(out, "  {}", md(&f.explanation, 240));
                    }
                    for e in &f.evidence {
                        let (before, mid, after) = v.context(e);
                        let (before, after) = around(&before, &after, 90);
                        let _ = writeln!(
                            out,
                            "  - {}: “{}**{}**{}”",
                            v.label(&e.doc),
                            md_inline(&before),
                            md(&mid, 120),
                            md_inline(&after)
                        );
                    }
                }
            }
        }
        let multi: Vec<usize> = (0..sa.families.len())
            .filter(|&f| v.family_members(f).len() > 1)
            .collect();
        if !multi.is_empty() {
            out.push_str("\n### Copy families\n\n");
            for f in multi {
                let src = v.likely_source(f);
                let members: Vec<String> = v
                    .family_members(f)
                    .iter()
                    .map(|&m| {
                        if Some(m) == src {
                            format!("{} (likely source)", v.versions[m].label)
                        } else {
                            v.versions[m].label.clone()
                        }
                    })
                    .collect();
                let _ = writeln!(out, "- Family {}: {}", family_letter(f), members.join(", "));
            }
        }
        if !sa.defects.is_empty() {
            out.push_str("\n### Repeated inside an article\n\n");
            for (pos, list, single) in defects_by_version(&v) {
                let _ = write!(out, "- {}: {list}", v.versions[pos].label);
                if let Some(e) = single {
                    let _ = write!(out, ": {}", md(e, 200));
                }
                out.push('\n');
            }
        }
    }
    if !a.skipped.is_empty() {
        out.push_str("\n## Skipped inputs\n\n");
        for s in &a.skipped {
            let _ = writeln!(out, "- {}: {}", md(&s.source, 200), md(&s.reason, 200));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_article_text_is_inert() {
        assert_eq!(
            md("<b>**x**</b> [y](javascript:z)", 100),
            "\\<b\\>\\*\\*x\\*\\*\\</b\\> \\[y\\]\\(javascript:z\\)"
        );
        assert_eq!(md_url("javascript:alert(1)"), None);
        assert_eq!(
            md_url("https://e.org/a_(b)").as_deref(),
            Some("https://e.org/a_%28b%29")
        );
    }
}
