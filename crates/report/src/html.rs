//! The self-contained HTML report: one file with inline CSS and a few lines of JS, rendered
//! entirely on the server side so that it opens fast, offline, and as a mail attachment.
//!
//! Everything that comes from an article (text, titles, outlets, ids, URLs, explanations that
//! quote articles) goes through [`escape_html`] or [`safe_url`]; the page's Content Security
//! Policy only lets the report's own script run, as a second line of defence.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use base64::Engine as _;
use crosscheck_model::{Analysis, BlockKind, FindingKind, LinkKind, Span};
use sha2::Digest as _;

use crate::view::{
    self, around, clip, copy_direction, defect_name, display_name, family_letter, kind_name,
    label_list, sentence_notes, severity_name, SentenceNotes, StoryView,
};

/// Escapes text for HTML element content and quoted attribute values. Control characters other
/// than tab and newline are dropped: they are invalid in HTML and only ever noise in articles.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

/// The URL when it is an absolute `http:` or `https:` URL without white space or control
/// characters; anything else (`javascript:`, `data:`, relative paths) must not become a link.
/// The result still needs [`escape_html`] inside an attribute.
pub fn safe_url(url: &str) -> Option<&str> {
    let u = url.trim();
    if u.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let b = u.as_bytes();
    let prefix = if b.len() > 7 && b[..7].eq_ignore_ascii_case(b"http://") {
        7
    } else if b.len() > 8 && b[..8].eq_ignore_ascii_case(b"https://") {
        8
    } else {
        return None;
    };
    // A host must follow the scheme.
    if matches!(b[prefix], b'/' | b'?' | b'#') {
        return None;
    }
    Some(u)
}

/// The report's stylesheet; pages that embed [`html_story_section`] need it.
pub const HTML_STYLE: &str = include_str!("report.css");
/// The report's script (finding activation and highlighting); pages that embed
/// [`html_story_section`] need it.
pub const HTML_SCRIPT: &str = include_str!("report.js");

/// The whole analysis as one self-contained HTML page.
pub fn html(a: &Analysis) -> String {
    let mut body = String::new();
    let total_findings: usize = a.stories.iter().map(|s| s.findings.len()).sum();
    let _ = write!(
        body,
        "<header class=\"top\"><h1>crosscheck report</h1><p>{} {} · {} {} · {} {}{}</p></header>\n<main>\n",
        a.documents.len(),
        plural(a.documents.len(), "document", "documents"),
        a.stories.len(),
        plural(a.stories.len(), "story", "stories"),
        total_findings,
        plural(total_findings, "finding", "findings"),
        if a.skipped.is_empty() {
            String::new()
        } else {
            format!(
                " · <a href=\"#skipped\">{} {} skipped</a>",
                a.skipped.len(),
                plural(a.skipped.len(), "input", "inputs")
            )
        }
    );
    overview(&mut body, a);
    legend(&mut body);
    for i in 0..a.stories.len() {
        story_section(&mut body, a, i);
    }
    skipped(&mut body, a);
    body.push_str("</main>\n");
    page(
        "crosscheck report",
        &body,
        (!a.stories.is_empty()).then_some(1),
    )
}

/// One story as a complete self-contained page (the web UI's story view); `None` when
/// `story_index` is out of range.
pub fn html_story(a: &Analysis, story_index: usize) -> Option<String> {
    let sa = a.stories.get(story_index)?;
    let mut body = String::from("<main>\n");
    legend(&mut body);
    story_section(&mut body, a, story_index);
    body.push_str("</main>\n");
    Some(page(
        &format!("crosscheck: {}", sa.story.title),
        &body,
        Some(story_index + 1),
    ))
}

/// One story as an HTML fragment (a `<section>`), for pages that bring their own layout and
/// include [`HTML_STYLE`] and [`HTML_SCRIPT`]; `None` when `story_index` is out of range.
pub fn html_story_section(a: &Analysis, story_index: usize) -> Option<String> {
    a.stories.get(story_index)?;
    let mut out = String::new();
    story_section(&mut out, a, story_index);
    Some(out)
}

/// A complete page around `body`; `first_story` is the number of the story a keyboard user can
/// skip to.
fn page(title: &str, body: &str, first_story: Option<usize>) -> String {
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(HTML_SCRIPT));
    let mut out = String::with_capacity(body.len() + HTML_STYLE.len() + HTML_SCRIPT.len() + 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // Nothing may load from the network, and only the report's own script may run.
    let _ = writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{hash}'; img-src data:; base-uri 'none'; form-action 'none'\">"
    );
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"crosscheck\">\n<title>");
    push_escaped(&mut out, &clip(title, 120));
    out.push_str("</title>\n<style>\n");
    out.push_str(HTML_STYLE);
    out.push_str("</style>\n</head>\n<body>\n");
    if let Some(n) = first_story {
        let _ = writeln!(
            out,
            "<a class=\"skip\" href=\"#s{n}\">Skip to the story</a>"
        );
    }
    out.push_str(body);
    out.push_str("<p id=\"live\" class=\"sr\" aria-live=\"polite\"></p>\n<script>");
    out.push_str(HTML_SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

fn plural<'s>(n: usize, one: &'s str, many: &'s str) -> &'s str {
    if n == 1 {
        one
    } else {
        many
    }
}

fn count_kind(sa: &crosscheck_model::StoryAnalysis, kind: FindingKind) -> usize {
    sa.findings.iter().filter(|f| f.kind == kind).count()
}

/// A count for the overview table; zeros fade so that what was found stands out.
fn cell(n: usize) -> String {
    if n == 0 {
        "<span class=\"zero\">0</span>".to_string()
    } else {
        format!("<b>{n}</b>")
    }
}

fn overview(out: &mut String, a: &Analysis) {
    out.push_str(
        "<section class=\"overview\" aria-labelledby=\"ov-h\"><h2 id=\"ov-h\">Stories</h2>\n",
    );
    if a.stories.is_empty() {
        out.push_str("<p>No stories were found in the input.</p></section>\n");
        return;
    }
    out.push_str("<div class=\"tablewrap\"><table><thead><tr><th scope=\"col\">#</th><th scope=\"col\">Story</th><th scope=\"col\">Versions</th><th scope=\"col\">Families</th><th scope=\"col\" class=\"k-contradiction\">Contradictions</th><th scope=\"col\" class=\"k-unsupported\">Unsupported</th><th scope=\"col\" class=\"k-single_source\">Single source</th><th scope=\"col\" class=\"k-corroborated\">Corroborated</th><th scope=\"col\">Repeats</th></tr></thead><tbody>\n");
    for (i, sa) in a.stories.iter().enumerate() {
        let v = StoryView::new(a, sa);
        let _ = writeln!(
            out,
            "<tr><td>{n}</td><td><a href=\"#s{n}\">{title}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            v.versions.len(),
            v.family_count(),
            cell(count_kind(sa, FindingKind::Contradiction)),
            cell(count_kind(sa, FindingKind::Unsupported)),
            cell(count_kind(sa, FindingKind::SingleSource)),
            cell(count_kind(sa, FindingKind::Corroborated)),
            cell(sa.defects.len()),
            n = i + 1,
            title = escape_html(&story_title(&v)),
        );
    }
    out.push_str("</tbody></table></div></section>\n");
}

fn legend(out: &mut String) {
    out.push_str(concat!(
        "<details class=\"legend\" open><summary>How to read the versions</summary><ul>",
        "<li><span class=\"s k-contradiction\">contradicted</span>: another version gives a different value</li>",
        "<li><span class=\"s k-unsupported\">unsupported</span>: a rewrite states it, nothing else supports it</li>",
        "<li><span class=\"s k-single_source\">single source</span>: only one copy family states it</li>",
        "<li><span class=\"s k-corroborated\">corroborated</span>: independent families agree (<sup class=\"tag\">✓3</sup> = 3 families)</li>",
        "<li><span class=\"s cp\">copied</span>: same words as another version (<sup class=\"tag\">⇐V2</sup> = copied from V2)</li>",
        "<li><span class=\"s rep\">repeated</span>: printed twice in the same article</li>",
        "<li>Activate a finding to highlight <mark class=\"demo\">its evidence</mark> in every version; Esc clears.</li>",
        "</ul></details>\n"
    ));
}

fn skipped(out: &mut String, a: &Analysis) {
    if a.skipped.is_empty() {
        return;
    }
    out.push_str("<section id=\"skipped\" class=\"skipped\" aria-labelledby=\"sk-h\"><h2 id=\"sk-h\">Inputs that could not be read</h2><ul>\n");
    for s in &a.skipped {
        out.push_str("<li><code>");
        push_escaped(out, &s.source);
        out.push_str("</code>: ");
        push_escaped(out, &s.reason);
        out.push_str("</li>\n");
    }
    out.push_str("</ul></section>\n");
}

fn story_title(v: &StoryView) -> String {
    let t = v.sa.story.title.trim();
    if !t.is_empty() {
        return t.to_string();
    }
    v.versions
        .first()
        .map_or_else(|| v.sa.story.id.clone(), |x| version_title(x.doc))
}

fn version_title(doc: &crosscheck_model::Document) -> String {
    if let Some(t) = doc.title.as_deref().filter(|t| !t.trim().is_empty()) {
        return t.trim().to_string();
    }
    doc.blocks
        .iter()
        .find(|b| b.kind == BlockKind::Headline)
        .and_then(|b| view::slice(doc, b.span))
        .unwrap_or("(untitled)")
        .to_string()
}

/// A hue per family, spread around the colour wheel so neighbouring letters differ.
fn family_hue(family: usize) -> usize {
    (family * 137 + 200) % 360
}

fn family_badge(out: &mut String, v: &StoryView, version: usize) {
    match v.versions[version].family {
        Some(f) => {
            let _ = write!(
                out,
                "<span class=\"fam\" style=\"--h:{}\" title=\"copy family {l}\">family {l}</span>",
                family_hue(f),
                l = family_letter(f)
            );
        }
        None => out.push_str("<span class=\"fam none\">no family</span>"),
    }
}

fn story_section(out: &mut String, a: &Analysis, si: usize) {
    let sa = &a.stories[si];
    let v = StoryView::new(a, sa);
    let n = si + 1;
    let _ = write!(
        out,
        "<section class=\"story\" id=\"s{n}\" aria-labelledby=\"s{n}-h\">\n<h2 id=\"s{n}-h\"><span class=\"snum\">Story {n}</span> "
    );
    push_escaped(out, &story_title(&v));
    out.push_str("</h2>\n<p class=\"stats\">");
    let mut stats = vec![
        format!(
            "{} {}",
            v.versions.len(),
            plural(v.versions.len(), "version", "versions")
        ),
        format!(
            "{} independent {}",
            v.family_count(),
            plural(v.family_count(), "family", "families")
        ),
    ];
    for (kind, one, many) in [
        (
            FindingKind::Contradiction,
            "contradiction",
            "contradictions",
        ),
        (
            FindingKind::Unsupported,
            "unsupported claim",
            "unsupported claims",
        ),
        (
            FindingKind::SingleSource,
            "single-source claim",
            "single-source claims",
        ),
        (
            FindingKind::Corroborated,
            "corroborated fact",
            "corroborated facts",
        ),
    ] {
        let c = count_kind(sa, kind);
        if c > 0 {
            stats.push(format!(
                "<span class=\"k-{}\">{c} {}</span>",
                kind_class(kind),
                plural(c, one, many)
            ));
        }
    }
    if !sa.defects.is_empty() {
        stats.push(format!(
            "{} in-article {}",
            sa.defects.len(),
            plural(sa.defects.len(), "repeat", "repeats")
        ));
    }
    out.push_str(&stats.join(" · "));
    out.push_str("</p>\n<div class=\"grid\">\n<div class=\"side\">\n");
    findings_list(out, &v, si);
    defects_list(out, &v, si);
    families_svg(out, &v, si);
    out.push_str("</div>\n");
    versions(out, &v, si);
    out.push_str("</div>\n</section>\n");
}

fn kind_class(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Corroborated => "corroborated",
        FindingKind::Contradiction => "contradiction",
        FindingKind::SingleSource => "single_source",
        FindingKind::Unsupported => "unsupported",
    }
}

fn kind_heading(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Contradiction => "Contradictions",
        FindingKind::Unsupported => "Unsupported",
        FindingKind::SingleSource => "Single source",
        FindingKind::Corroborated => "Corroborated",
    }
}

fn findings_list(out: &mut String, v: &StoryView, si: usize) {
    let n = si + 1;
    let _ = writeln!(
        out,
        "<section class=\"findings\" aria-labelledby=\"s{n}-fh\"><h3 id=\"s{n}-fh\">Findings</h3>"
    );
    if v.sa.findings.is_empty() {
        out.push_str("<p class=\"muted\">No checkable claims were cross-checked in this story.</p></section>\n");
        return;
    }
    let mut number = 0;
    for kind in [
        FindingKind::Contradiction,
        FindingKind::Unsupported,
        FindingKind::SingleSource,
        FindingKind::Corroborated,
    ] {
        let items: Vec<usize> = v
            .finding_order
            .iter()
            .copied()
            .filter(|&i| v.sa.findings[i].kind == kind)
            .collect();
        if items.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "<h4 class=\"k-{}\">{} <span class=\"count\">{}</span></h4>\n<ol class=\"flist\" start=\"{}\">\n",
            kind_class(kind),
            kind_heading(kind),
            items.len(),
            number + 1
        );
        for fi in items {
            number += 1;
            finding_item(out, v, si, fi);
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</section>\n");
}

fn finding_item(out: &mut String, v: &StoryView, si: usize, fi: usize) {
    let f = &v.sa.findings[fi];
    let id = format!("{}-{}", si + 1, fi);
    let _ = write!(
        out,
        "<li class=\"finding k-{}\" id=\"f-{id}\"><button type=\"button\" class=\"fbtn\" data-f=\"{id}\" aria-pressed=\"false\"><span class=\"badge\">{}</span>",
        kind_class(f.kind),
        kind_name(f.kind),
    );
    if f.severity > crosscheck_model::Severity::Info {
        let _ = write!(
            out,
            " <span class=\"sev sev-{s}\">{s}</span>",
            s = severity_name(f.severity)
        );
    }
    out.push_str(" <span class=\"slot\">");
    push_escaped(out, &f.slot);
    out.push_str("</span>");
    let values = v.values(f);
    if !values.is_empty() {
        out.push_str("<span class=\"vals\">");
        for (i, (value, labels)) in values.iter().enumerate() {
            if i > 0 {
                out.push_str(if f.kind == FindingKind::Contradiction {
                    " <span class=\"vs\">vs</span> "
                } else {
                    " · "
                });
            }
            out.push_str("<q>");
            push_escaped(out, &clip(value, 80));
            out.push_str("</q> <span class=\"who\">");
            push_escaped(out, &label_list(labels));
            out.push_str("</span>");
        }
        out.push_str("</span>");
    }
    if f.families > 0 {
        let _ = write!(
            out,
            "<span class=\"fams\">{} independent {}</span>",
            f.families,
            plural(f.families, "family", "families")
        );
    }
    out.push_str("</button>");
    if !f.explanation.trim().is_empty() {
        out.push_str("<p class=\"expl\">");
        push_escaped(out, &f.explanation);
        out.push_str("</p>");
    }
    // A long list of versions saying the same thing would push the next findings off screen.
    const SHOWN: usize = 6;
    out.push_str("<ul class=\"evl\">");
    for (ei, e) in f.evidence.iter().enumerate() {
        if ei == SHOWN && f.evidence.len() > SHOWN + 1 {
            let _ = write!(
                out,
                "<li class=\"more\"><details><summary>{} more</summary><ul>",
                f.evidence.len() - SHOWN
            );
        }
        let label = v.label(&e.doc);
        let name = v
            .version(&e.doc)
            .map_or(e.doc.as_str(), |x| display_name(x.doc));
        // Link only to evidence that is drawn in a version.
        let linked = evidence_span(v, e).is_some();
        if linked {
            let _ = write!(
                out,
                "<li><a class=\"evlink\" data-f=\"{id}\" href=\"#m-{id}-{ei}\"><b>"
            );
        } else {
            out.push_str("<li><span class=\"nolink\"><b>");
        }
        push_escaped(out, &label);
        out.push_str("</b> ");
        push_escaped(out, &clip(name, 40));
        let (before, mid, after) = v.context(e);
        let (before, after) = around(&before, &after, 70);
        out.push_str(if linked { "</a> <q>" } else { "</span> <q>" });
        push_escaped(out, &before);
        out.push_str("<b>");
        push_escaped(out, &clip(&mid, 120));
        out.push_str("</b>");
        push_escaped(out, &after);
        out.push_str("</q></li>");
    }
    if f.evidence.len() > SHOWN + 1 {
        out.push_str("</ul></details></li>");
    }
    out.push_str("</ul></li>\n");
}

fn defects_list(out: &mut String, v: &StoryView, si: usize) {
    if v.sa.defects.is_empty() {
        return;
    }
    let n = si + 1;
    let _ = writeln!(
        out,
        "<section class=\"defects\" aria-labelledby=\"s{n}-dh\"><h3 id=\"s{n}-dh\">Repeated inside an article</h3><ul>"
    );
    for d in &v.sa.defects {
        out.push_str("<li>");
        match v.by_id.get(d.doc.as_str()) {
            Some(&pos) => {
                let _ = write!(out, "<a href=\"#v{n}-{}\"><b>", pos + 1);
                push_escaped(out, &v.versions[pos].label);
                out.push_str("</b> ");
                push_escaped(out, &clip(display_name(v.versions[pos].doc), 40));
                out.push_str("</a>");
            }
            None => push_escaped(out, &d.doc),
        }
        let _ = write!(out, " <span class=\"dk\">{}</span> ", defect_name(d.kind));
        push_escaped(out, &d.explanation);
        out.push_str("</li>\n");
    }
    out.push_str("</ul></section>\n");
}

/// Copy families as boxes of version nodes, with arrows from each family's likely source.
fn families_svg(out: &mut String, v: &StoryView, si: usize) {
    const BOX_W: usize = 196;
    const GAP: usize = 12;
    const NODE_H: usize = 24;
    const ROW_H: usize = 30;
    const HEAD: usize = 24;
    const PER_ROW: usize = 3;
    let n = si + 1;
    // Families in order, then versions no family lists, each drawn as its own box.
    let mut groups: Vec<(Option<usize>, Vec<usize>)> = (0..v.sa.families.len())
        .map(|f| (Some(f), v.family_members(f)))
        .filter(|(_, m)| !m.is_empty())
        .collect();
    for (i, x) in v.versions.iter().enumerate() {
        if x.family.is_none() {
            groups.push((None, vec![i]));
        }
    }
    if groups.is_empty() {
        return;
    }
    let box_h = |g: &(Option<usize>, Vec<usize>)| HEAD + g.1.len() * ROW_H + 6;
    let cols = groups.len().min(PER_ROW);
    let width = cols * BOX_W + (cols + 1) * GAP;
    let mut row_tops = Vec::new();
    let mut height = GAP;
    for row in groups.chunks(PER_ROW) {
        row_tops.push(height);
        height += row.iter().map(box_h).max().unwrap_or(0) + GAP;
    }
    let mut desc = String::from("Copy families: ");
    for (gi, (f, members)) in groups.iter().enumerate() {
        if gi > 0 {
            desc.push_str("; ");
        }
        let src = f.and_then(|f| v.likely_source(f));
        let _ = write!(
            desc,
            "{}: {}",
            f.map_or_else(|| "no family".to_string(), family_letter),
            members
                .iter()
                .map(|&m| if Some(m) == src {
                    format!("{} (source)", v.versions[m].label)
                } else {
                    v.versions[m].label.clone()
                })
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let _ = write!(
        out,
        "<section class=\"families\" aria-labelledby=\"s{n}-gh\"><h3 id=\"s{n}-gh\">Copy families</h3>\n<svg class=\"famsvg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{}\"><defs><marker id=\"arr{n}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"#475569\"/></marker></defs>\n",
        escape_html(&desc)
    );
    for (gi, g) in groups.iter().enumerate() {
        let (f, members) = g;
        let x = GAP + (gi % PER_ROW) * (BOX_W + GAP);
        let y = row_tops[gi / PER_ROW];
        let hue = f.map_or(0, family_hue);
        let (stroke, fill) = match f {
            Some(_) => (format!("hsl({hue},45%,45%)"), format!("hsl({hue},60%,96%)")),
            None => ("#94a3b8".to_string(), "#f8fafc".to_string()),
        };
        let _ = write!(
            out,
            "<g><rect x=\"{x}\" y=\"{y}\" width=\"{BOX_W}\" height=\"{}\" rx=\"8\" fill=\"{fill}\" stroke=\"{stroke}\"/><text x=\"{}\" y=\"{}\" class=\"fh\" fill=\"{stroke}\">{}</text>",
            box_h(g),
            x + 10,
            y + 16,
            match f {
                Some(f) if members.len() > 1 => format!("family {} · {} versions", family_letter(*f), members.len()),
                Some(f) => format!("family {} · original", family_letter(*f)),
                None => "no family".to_string(),
            }
        );
        let src = f.and_then(|f| v.likely_source(f));
        for (mi, &m) in members.iter().enumerate() {
            let ny = y + HEAD + mi * ROW_H;
            let nx = x + 22;
            let is_src = Some(m) == src;
            let _ = write!(out, "<a href=\"#v{n}-{}\"><title>", m + 1);
            push_escaped(out, &v.versions[m].label);
            out.push(' ');
            push_escaped(out, display_name(v.versions[m].doc));
            if is_src {
                out.push_str(" (likely source)");
            }
            let _ = write!(
                out,
                "</title><rect x=\"{nx}\" y=\"{ny}\" width=\"{}\" height=\"{NODE_H}\" rx=\"5\" fill=\"#fff\" stroke=\"{stroke}\" stroke-width=\"{}\"/><text x=\"{}\" y=\"{}\" class=\"fn\"><tspan font-weight=\"700\">",
                BOX_W - 32,
                if is_src { 2 } else { 1 },
                nx + 7,
                ny + 16
            );
            push_escaped(out, &v.versions[m].label);
            out.push_str("</tspan> ");
            push_escaped(
                out,
                &clip(
                    display_name(v.versions[m].doc),
                    if is_src { 12 } else { 17 },
                ),
            );
            if is_src {
                out.push_str(" ★");
            }
            out.push_str("</text></a>");
            if let Some(s) = src.filter(|&s| s != m) {
                let sy = y + HEAD + members.iter().position(|&x| x == s).unwrap_or(0) * ROW_H;
                let _ = write!(
                    out,
                    "<path d=\"M{nx},{} H{} V{} H{}\" fill=\"none\" stroke=\"#475569\" stroke-width=\"1.2\" marker-end=\"url(#arr{n})\"/>",
                    sy + NODE_H / 2,
                    x + 10,
                    ny + NODE_H / 2,
                    nx - 1
                );
            }
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n<p class=\"muted small\">★ likely source; arrows point from the source to the versions that copy it. Versions in one family count as one source.</p></section>\n");
}

fn versions(out: &mut String, v: &StoryView, si: usize) {
    let n = si + 1;
    let notes = sentence_notes(v);
    let mut evidence: Vec<Vec<(Span, usize, usize)>> = vec![Vec::new(); v.versions.len()];
    for (fi, f) in v.sa.findings.iter().enumerate() {
        for (ei, e) in f.evidence.iter().enumerate() {
            let Some(&pos) = v.by_id.get(e.doc.as_str()) else {
                continue;
            };
            if let Some(span) = evidence_span(v, e) {
                evidence[pos].push((span, fi, ei));
            }
        }
    }
    let _ = write!(
        out,
        "<section class=\"versions\" aria-labelledby=\"s{n}-vh\"><h3 id=\"s{n}-vh\">Versions side by side</h3>\n<div class=\"vers\">\n"
    );
    for (pos, x) in v.versions.iter().enumerate() {
        let doc = x.doc;
        let vid = format!("v{n}-{}", pos + 1);
        let _ = write!(
            out,
            "<article class=\"ver\" id=\"{vid}\" aria-labelledby=\"{vid}-h\"><header class=\"ver-h\"><div class=\"vline\"><span class=\"vlabel\">"
        );
        push_escaped(out, &x.label);
        out.push_str("</span> ");
        family_badge(out, v, pos);
        if let Some(f) = x.family {
            if v.likely_source(f) == Some(pos) && v.family_members(f).len() > 1 {
                out.push_str(" <span class=\"srcmark\" title=\"likely source of its family\">★ source</span>");
            }
        }
        let _ = write!(out, "</div><h4 id=\"{vid}-h\" class=\"outlet\">");
        push_escaped(out, display_name(doc));
        out.push_str("</h4><div class=\"vtitle\">");
        push_escaped(out, &version_title(doc));
        out.push_str("</div><div class=\"vmeta\">");
        let mut meta = Vec::new();
        if let Some(d) = view::date(doc) {
            meta.push(format!("<time>{}</time>", escape_html(d)));
        }
        meta.push(format!("{} words", doc.word_count()));
        if let Some(url) = doc.url.as_deref().and_then(safe_url) {
            meta.push(format!(
                "<a href=\"{}\" rel=\"noopener noreferrer nofollow\" title=\"{}\">original</a>",
                escape_html(url),
                escape_html(url)
            ));
        }
        out.push_str(&meta.join(" · "));
        let _ = write!(
            out,
            "</div></header>\n<div class=\"ver-b\" tabindex=\"0\" aria-label=\"Text of {}\">\n",
            escape_html(&x.label)
        );
        let mut ev = std::mem::take(&mut evidence[pos]);
        ev.sort();
        render_body(out, v, &notes[pos], pos, si, &ev);
        out.push_str("</div></article>\n");
    }
    out.push_str("</div></section>\n");
}

/// Where an evidence span is drawn: its own span, or its whole sentence when the span does not
/// fit the text; `None` when neither does (a stage's bug must not break the page).
fn evidence_span(v: &StoryView, e: &crosscheck_model::Evidence) -> Option<Span> {
    let doc = v.version(&e.doc)?.doc;
    if view::slice(doc, e.span).is_some_and(|s| !s.is_empty()) {
        return Some(e.span);
    }
    v.sa.sentences
        .get(&doc.id)
        .and_then(|s| s.get(e.sentence))
        .map(|s| s.span)
        .filter(|&s| view::slice(doc, s).is_some_and(|t| !t.is_empty()))
}

/// Writes one version's text block by block, wrapping annotated sentences in `<span class="s">`
/// and evidence in `<mark>`. Text is cut at every sentence and evidence boundary, so marks nest
/// inside sentences even when the stages' spans overlap or cross sentences.
fn render_body(
    out: &mut String,
    v: &StoryView,
    notes: &BTreeMap<usize, SentenceNotes>,
    pos: usize,
    si: usize,
    evidence: &[(Span, usize, usize)],
) {
    let doc = v.versions[pos].doc;
    let text = doc.text.as_str();
    let mut sentences: Vec<(Span, usize)> =
        v.sa.sentences
            .get(&doc.id)
            .map(|s| {
                s.iter()
                    .enumerate()
                    .filter(|(_, s)| view::slice(doc, s.span).is_some())
                    .map(|(i, s)| (s.span, i))
                    .collect()
            })
            .unwrap_or_default();
    sentences.sort();
    let whole = [crosscheck_model::Block {
        kind: BlockKind::Paragraph,
        span: Span::new(0, text.len()),
    }];
    let blocks = if doc.blocks.is_empty() {
        &whole[..]
    } else {
        &doc.blocks[..]
    };
    let mut anchored: HashSet<(usize, usize)> = HashSet::new();
    for block in blocks {
        let (bs, be) = (block.span.start, block.span.end);
        if view::slice(doc, block.span).is_none() || bs == be {
            continue;
        }
        let tag = match block.kind {
            BlockKind::Standfirst => "<p class=\"b-sf\">",
            BlockKind::Headline => "<p class=\"b-hl\">",
            BlockKind::Subheading => "<p class=\"b-sh\">",
            BlockKind::Paragraph => "<p>",
        };
        out.push_str(tag);
        let mut cuts = vec![bs, be];
        for &(s, _) in &sentences {
            cuts.push(s.start.clamp(bs, be));
            cuts.push(s.end.clamp(bs, be));
        }
        for &(s, _, _) in evidence {
            cuts.push(s.start.clamp(bs, be));
            cuts.push(s.end.clamp(bs, be));
        }
        cuts.retain(|&c| text.is_char_boundary(c));
        cuts.sort_unstable();
        cuts.dedup();
        let mut open_sentence: Option<usize> = None;
        let mut open_marks: Vec<(usize, usize)> = Vec::new();
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let sentence = sentences
                .iter()
                .rev()
                .find(|(s, _)| s.start <= a && b <= s.end)
                .map(|&(_, i)| i)
                .filter(|i| notes.contains_key(i));
            let marks: Vec<(usize, usize)> = evidence
                .iter()
                .filter(|(s, _, _)| s.start <= a && b <= s.end)
                .map(|&(_, f, e)| (f, e))
                .collect();
            if sentence != open_sentence {
                if !open_marks.is_empty() {
                    out.push_str("</mark>");
                    open_marks.clear();
                }
                if let Some(prev) = open_sentence {
                    close_sentence(out, v, &notes[&prev], pos);
                }
                if let Some(s) = sentence {
                    open_sentence_tag(out, v, &notes[&s], pos);
                }
                open_sentence = sentence;
            }
            if marks != open_marks {
                if !open_marks.is_empty() {
                    out.push_str("</mark>");
                }
                if !marks.is_empty() {
                    let fids: Vec<String> = dedup_findings(&marks)
                        .iter()
                        .map(|f| format!("{}-{f}", si + 1))
                        .collect();
                    let first_kind = v.sa.findings[marks[0].0].kind;
                    let _ = write!(
                        out,
                        "<mark class=\"ev k-{}\" data-f=\"{}\">",
                        kind_class(first_kind),
                        fids.join(" ")
                    );
                }
                open_marks = marks.clone();
            }
            for &(f, e) in &marks {
                if anchored.insert((f, e)) {
                    let _ = write!(
                        out,
                        "<span class=\"anchor\" id=\"m-{}-{f}-{e}\"></span>",
                        si + 1
                    );
                }
            }
            push_escaped(out, &text[a..b]);
        }
        if !open_marks.is_empty() {
            out.push_str("</mark>");
        }
        if let Some(prev) = open_sentence {
            close_sentence(out, v, &notes[&prev], pos);
        }
        out.push_str("</p>\n");
    }
}

fn dedup_findings(marks: &[(usize, usize)]) -> Vec<usize> {
    let mut f: Vec<usize> = marks.iter().map(|&(f, _)| f).collect();
    f.sort_unstable();
    f.dedup();
    f
}

fn is_copy(kind: LinkKind) -> bool {
    matches!(kind, LinkKind::Verbatim | LinkKind::NearVerbatim)
}

fn open_sentence_tag(out: &mut String, v: &StoryView, n: &SentenceNotes, pos: usize) {
    let mut classes = vec!["s".to_string()];
    if let Some(k) = n.strongest() {
        classes.push(format!("k-{}", kind_class(k)));
    }
    if n.copies.iter().any(|&(_, k)| is_copy(k)) {
        classes.push("cp".into());
    }
    if !n.repeats.is_empty() {
        classes.push("rep".into());
    }
    let mut title: Vec<String> = Vec::new();
    for &(fi, kind, fams) in &n.findings {
        let slot = &v.sa.findings[fi].slot;
        title.push(match kind {
            FindingKind::Corroborated => format!(
                "Corroborated by {fams} independent {}: {slot}",
                plural(fams, "family", "families")
            ),
            FindingKind::Contradiction => format!("Contradicted by another version: {slot}"),
            FindingKind::SingleSource => format!("Single source: {slot}"),
            FindingKind::Unsupported => format!("Unsupported: {slot}"),
        });
    }
    for &(other, kind) in &n.copies {
        let who = format!(
            "{} ({})",
            v.versions[other].label,
            display_name(v.versions[other].doc)
        );
        title.push(match (is_copy(kind), copy_direction(v, pos, other)) {
            (true, Some(true)) => format!("Copied from {who}"),
            (true, Some(false)) => format!("Copied by {who}"),
            (true, None) => format!("Same words as {who}"),
            (false, _) => format!("Reworded in {who}"),
        });
    }
    for r in &n.repeats {
        title.push(format!("Repeated inside this article: {r}"));
    }
    let _ = write!(
        out,
        "<span class=\"{}\" title=\"{}\">",
        classes.join(" "),
        escape_html(&title.join("\n"))
    );
}

fn close_sentence(out: &mut String, v: &StoryView, n: &SentenceNotes, pos: usize) {
    let mut tags: Vec<String> = Vec::new();
    match n.strongest() {
        Some(FindingKind::Corroborated) => {
            let fams = n
                .findings
                .iter()
                .filter(|f| f.1 == FindingKind::Corroborated)
                .map(|f| f.2)
                .max()
                .unwrap_or(0);
            tags.push(format!("✓{fams}"));
        }
        Some(FindingKind::Contradiction) => tags.push("≠".into()),
        Some(FindingKind::SingleSource) => tags.push("1 source".into()),
        Some(FindingKind::Unsupported) => tags.push("?".into()),
        None => {}
    }
    let sources: Vec<&str> = n
        .copies
        .iter()
        .filter(|&&(o, k)| is_copy(k) && copy_direction(v, pos, o) == Some(true))
        .map(|&(o, _)| v.versions[o].label.as_str())
        .collect();
    if !sources.is_empty() {
        tags.push(format!("⇐{}", sources.join(",")));
    }
    if !n.repeats.is_empty() {
        tags.push("×2".into());
    }
    if !tags.is_empty() {
        out.push_str("<sup class=\"tag\" aria-hidden=\"true\">");
        push_escaped(out, &tags.join(" "));
        out.push_str("</sup>");
    }
    out.push_str("</span>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_text_and_attributes() {
        assert_eq!(
            escape_html("<a href='x' onclick=\"y\">&\u{0}\u{1b}[31m</a>"),
            "&lt;a href=&#39;x&#39; onclick=&quot;y&quot;&gt;&amp;[31m&lt;/a&gt;"
        );
    }

    #[test]
    fn only_http_urls_become_links() {
        assert_eq!(
            safe_url(" https://example.org/a?b=1 "),
            Some("https://example.org/a?b=1")
        );
        assert_eq!(safe_url("HTTP://example.org"), Some("HTTP://example.org"));
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>",
            "vbscript:x",
            "//example.org",
            "/relative",
            "http://",
            "https:///x",
            "http://exa mple.org",
            "http://example.org/\u{0}",
            "java\nscript:alert(1)",
        ] {
            assert_eq!(safe_url(bad), None, "{bad}");
        }
    }
}
