mod common;

use crosscheck_model::Analysis;
use crosscheck_report::{html, html_story, html_story_section, HTML_SCRIPT, HTML_STYLE};

/// Tags the report may contain; anything else came from article text.
const TAGS: &[&str] = &[
    "html", "head", "meta", "title", "style", "body", "script", "a", "header", "h1", "h2", "h3",
    "h4", "p", "main", "section", "div", "table", "thead", "tbody", "tr", "th", "td", "details",
    "summary", "ul", "ol", "li", "span", "sup", "mark", "button", "q", "b", "time", "article",
    "svg", "defs", "marker", "path", "g", "rect", "text", "tspan", "code",
];
const VOID: &[&str] = &["meta"];

/// Parses the page as the tags it contains and checks that every tag is one the report writes,
/// that they nest properly, that no attribute is an event handler and that every link stays in
/// the page or goes to http(s). Returns the attributes seen, as (tag, name, value).
fn check_markup(page: &str) -> Vec<(String, String, String)> {
    // The report's own stylesheet and script are constants; cut them out before scanning.
    let mut text = page.to_string();
    for (open, close, content) in [
        ("<style>\n", "</style>", HTML_STYLE),
        ("<script>", "</script>", HTML_SCRIPT),
    ] {
        if let Some(i) = text.find(open) {
            assert_eq!(
                &text[i + open.len()..i + open.len() + content.len()],
                content
            );
            assert_eq!(
                text.matches(close).count(),
                1,
                "{close} appears more than once"
            );
            text.replace_range(i + open.len()..i + open.len() + content.len(), "");
        }
    }
    let mut stack: Vec<String> = Vec::new();
    let mut attrs = Vec::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find('<') {
        let end = rest[i..].find('>').expect("unclosed tag") + i;
        let tag = &rest[i + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with("!DOCTYPE") {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack
                .pop()
                .unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(open, name, "</{name}> closes <{open}>");
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let name_end = tag.find(char::is_whitespace).unwrap_or(tag.len());
        let name = &tag[..name_end];
        assert!(TAGS.contains(&name), "unexpected tag <{tag}>");
        let mut a = &tag[name_end..];
        loop {
            a = a.trim_start();
            if a.is_empty() {
                break;
            }
            let n_end = a
                .find(|c: char| c == '=' || c.is_whitespace())
                .unwrap_or(a.len());
            let attr = &a[..n_end];
            a = &a[n_end..];
            let mut value = "";
            if let Some(v) = a.strip_prefix("=\"") {
                let close = v.find('"').expect("unterminated attribute value");
                value = &v[..close];
                a = &v[close + 1..];
            }
            assert!(
                !attr.to_ascii_lowercase().starts_with("on"),
                "event handler attribute {attr} in <{tag}>"
            );
            assert!(
                attr.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
                "odd attribute name {attr:?} in <{tag}>"
            );
            if attr == "href" {
                assert!(
                    value.starts_with('#')
                        || value.starts_with("http://")
                        || value.starts_with("https://"),
                    "link to {value}"
                );
            }
            attrs.push((name.to_string(), attr.to_string(), value.to_string()));
        }
        if !self_closing && !VOID.contains(&name) {
            stack.push(name.to_string());
        }
    }
    assert!(stack.is_empty(), "unclosed tags: {stack:?}");
    attrs
}

#[test]
fn hostile_article_text_stays_text() {
    let Some(a) = common::hostile_analysis() else {
        return;
    };
    let page = html(&a);
    let attrs = check_markup(&page);
    assert_eq!(
        page.matches("<script").count(),
        1,
        "only the report's own script"
    );
    assert!(!page.contains('\u{1b}') && !page.contains('\u{7}'));
    // The hostile words are shown, as text.
    assert!(page.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;"));
    assert!(page.contains("onerror=&quot;window.__pwned=1&quot;"));
    // A `javascript:` URL never becomes a link, not even an escaped one.
    assert!(!attrs
        .iter()
        .any(|(_, n, v)| n == "href" && v.contains("javascript")));
    // Only the report's own script may run, even if escaping ever failed.
    let csp = attrs
        .iter()
        .find(|(_, n, v)| n == "content" && v.contains("script-src"))
        .map(|(_, _, v)| v.clone())
        .expect("a Content-Security-Policy");
    assert!(csp.contains("default-src 'none'"));
    let script_src = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap();
    assert!(script_src.starts_with("script-src 'sha256-") && !script_src.contains("unsafe"));
    // Evidence with broken offsets is skipped or falls back, and the page still renders.
    assert!(page.contains("bad offsets"));

    for i in 0..a.stories.len() {
        check_markup(&html_story(&a, i).unwrap());
        let section = html_story_section(&a, i).unwrap();
        assert!(!section.contains("<script"));
        check_markup(&section);
    }
}

#[test]
fn seed_report_shows_versions_findings_and_evidence() {
    let Some(a) = common::seed_analysis() else {
        return;
    };
    let page = html(&a);
    check_markup(&page);
    let columns: Vec<&str> = page.split("<article class=\"ver\"").skip(1).collect();
    assert_eq!(columns.len(), 5);

    // Finding 0 is the contradiction about the US president.
    let button = page
        .split("<button type=\"button\" class=\"fbtn\" data-f=\"1-0\"")
        .nth(1)
        .expect("a button for the contradiction");
    let button = &button[..button.find("</button>").unwrap()];
    assert!(button.contains("contradiction") && button.contains("us president"));
    assert!(button.contains("joe biden") && button.contains("donald trump"));
    let marked: Vec<usize> = (0..5)
        .filter(|&i| columns[i].contains("data-f=\"1-0\""))
        .collect();
    assert_eq!(marked, [1, 2, 4], "evidence marked in V2, V3 and V5");
    let mark = &columns[2][columns[2].find("data-f=\"1-0\">").unwrap()..];
    let mark = &mark[..mark.find("</mark>").unwrap()];
    assert!(mark.ends_with("</span>US President Joe Biden"), "{mark}");
    for e in 0..3 {
        assert!(page.contains(&format!("href=\"#m-1-0-{e}\"")));
        assert_eq!(page.matches(&format!("id=\"m-1-0-{e}\"")).count(), 1);
    }
    // The evidence sentence is coloured as contradicted, with why in its title.
    let trump = columns[1]
        .find("former President Donald Trump")
        .expect("V2 quotes Trump");
    let sentence_open = columns[1][..trump].rfind("<span class=\"s").unwrap();
    let tag = &columns[1][sentence_open..trump];
    assert!(tag.contains("k-contradiction"), "{tag}");
    assert!(tag.contains("Contradicted by another version: role: us president"));
    // 003 prints two paragraphs twice: the repeats are marked, the first printing is not.
    assert!(columns[3].contains("s rep"));
    let first = columns[3].find("Putin&#39;s remarks appeared").unwrap();
    assert!(!columns[3][..first].contains("s rep\""));
    // The families drawing names every version and shows the copy arrows.
    let svg = &page[page.find("<svg").unwrap()..page.find("</svg>").unwrap()];
    for v in 1..=5 {
        assert!(svg.contains(&format!("href=\"#v1-{v}\"")));
    }
    assert_eq!(svg.matches("marker-end").count(), 2);
    assert!(page.contains("family B · 2 versions"));
}

#[test]
fn empty_and_out_of_range_render_without_panicking() {
    let empty = Analysis {
        documents: Vec::new(),
        stories: Vec::new(),
        skipped: Vec::new(),
    };
    let page = html(&empty);
    check_markup(&page);
    assert!(page.contains("No stories were found"));
    assert!(html_story(&empty, 0).is_none());
    assert!(html_story_section(&empty, 3).is_none());
}

#[test]
fn every_in_page_link_has_its_target() {
    let Some(a) = common::hostile_analysis() else {
        return;
    };
    for page in [html(&a), html_story(&a, 0).unwrap()] {
        let mut links = 0;
        for part in page.split("href=\"#").skip(1) {
            let id = &part[..part.find('"').unwrap()];
            assert!(
                page.contains(&format!("id=\"{id}\"")),
                "dangling link #{id}"
            );
            links += 1;
        }
        assert!(links >= 20);
        // The evidence with unusable offsets and the one in no document are listed, unlinked.
        assert_eq!(page.matches("class=\"nolink\"").count(), 2);
    }
}
