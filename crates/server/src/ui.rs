//! The web UI: server-rendered pages that work without JavaScript. Every value that comes from
//! an article (titles, outlets, URLs, claims) is escaped; the story page reuses the report's
//! renderer.

use std::collections::HashMap;
use std::fmt::Write as _;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine as _;
use crosscheck_model::Analysis;
use crosscheck_report::{escape_html as esc, safe_url, HTML_SCRIPT, HTML_STYLE};
use crosscheck_store::{ArticleSummary, OutletPoint, StorySummary};
use sha2::Digest as _;

use crate::api::{id, param};
use crate::{ApiError, Shared};

const PAGE_SIZE: usize = 50;

const CSS: &str = "body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
nav{background:#1d2b3a;padding:.6em 1em;display:flex;gap:1.2em;align-items:center;flex-wrap:wrap}
nav a{color:#fff;text-decoration:none;font-weight:600}nav form{margin-left:auto}
nav input{padding:.3em;border-radius:4px;border:0;min-width:16em}
.wrap{max-width:1100px;margin:0 auto;padding:1em}
table{border-collapse:collapse;width:100%;background:#fff}th,td{padding:.35em .6em;border-bottom:1px solid #e3e3e3;text-align:left;vertical-align:top}
th{background:#f0f2f5;font-size:.85em}td.n{text-align:right;font-variant-numeric:tabular-nums}
.bad{color:#b00020;font-weight:600}.muted{color:#666;font-size:.9em}
.bar{display:inline-block;height:.8em;background:#4a7bb7}.bar.copy{background:#d08a2e}
.pager{margin:1em 0;display:flex;gap:1em}";

struct Page {
    title: String,
    body: String,
    script: Option<&'static str>,
    style: Option<&'static str>,
}

impl Page {
    fn new(title: impl Into<String>) -> Page {
        Page {
            title: title.into(),
            body: String::new(),
            script: None,
            style: None,
        }
    }

    fn render(self, query: &str) -> Response {
        let mut csp = String::from(
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self'",
        );
        if let Some(script) = self.script {
            let hash =
                base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script));
            let _ = write!(csp, "; script-src 'sha256-{hash}'");
        }
        let mut out = String::with_capacity(self.body.len() + 4096);
        out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
        out.push_str(&esc(&self.title));
        out.push_str(" · crosscheck</title>\n<style>\n");
        out.push_str(CSS);
        if let Some(style) = self.style {
            out.push_str(style);
        }
        out.push_str("</style>\n</head>\n<body>\n<nav><a href=\"/\">crosscheck</a><a href=\"/\">Stories</a><a href=\"/outlets\">Outlets</a>");
        let _ = write!(
            out,
            "<form action=\"/search\" method=\"get\" role=\"search\"><input type=\"search\" name=\"q\" value=\"{}\" placeholder=\"Search titles and claims\" aria-label=\"Search titles and claims\"></form></nav>\n<div class=\"wrap\">\n",
            esc(query)
        );
        out.push_str(&self.body);
        out.push_str("</div>\n");
        if let Some(script) = self.script {
            out.push_str("<script>");
            out.push_str(script);
            out.push_str("</script>\n");
        }
        out.push_str("</body>\n</html>\n");
        let mut resp = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], out).into_response();
        if let Ok(v) = HeaderValue::from_str(&csp) {
            resp.headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, v);
        }
        resp.headers_mut().insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        resp
    }
}

/// An HTML error page with the API error's status.
fn error_page(e: ApiError) -> Response {
    let mut page = Page::new("Error");
    let _ = write!(
        page.body,
        "<h1>{}</h1><p>{}</p>",
        e.status.as_u16(),
        esc(&e.message)
    );
    let mut resp = page.render("");
    *resp.status_mut() = e.status;
    resp
}

fn count(v: Option<i64>) -> String {
    v.map_or_else(|| "…".to_string(), |n| n.to_string())
}

fn stories_table(out: &mut String, stories: &[StorySummary]) {
    out.push_str("<table><thead><tr><th>Story</th><th>Versions</th><th>Families</th><th>Contradictions</th><th>Single-source</th><th>Updated</th></tr></thead><tbody>\n");
    for s in stories {
        let contradictions = match s.contradictions {
            Some(n) if n > 0 => format!("<span class=\"bad\">{n}</span>"),
            other => count(other),
        };
        let _ = writeln!(
            out,
            "<tr><td><a href=\"/stories/{}\">{}</a>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"muted\">{}</td></tr>",
            s.id,
            esc(if s.title.is_empty() { "(untitled)" } else { &s.title }),
            if s.analysed { "" } else { " <span class=\"muted\">(analysing)</span>" },
            s.versions,
            count(s.families),
            contradictions,
            count(s.single_source),
            esc(s.updated_at.get(..16).unwrap_or(&s.updated_at)).replace('T', " ")
        );
    }
    out.push_str("</tbody></table>\n");
}

pub async fn index(
    State(app): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let page_no = match param(&q, "page", 1, 1, 1_000_000) {
        Ok(p) => p,
        Err(e) => return error_page(e),
    };
    let offset = (page_no - 1) * PAGE_SIZE;
    let read = app
        .read(move |s| Ok((s.stories(PAGE_SIZE + 1, offset)?, s.counts()?)))
        .await;
    let (mut stories, counts) = match read {
        Ok(r) => r,
        Err(e) => return error_page(e),
    };
    let more = stories.len() > PAGE_SIZE;
    stories.truncate(PAGE_SIZE);
    let mut page = Page::new("Latest stories");
    let _ = writeln!(
        page.body,
        "<h1>Latest stories</h1><p class=\"muted\">{} articles in {} stories{}.</p>",
        counts.articles,
        counts.stories,
        if counts.stale > 0 {
            format!(", {} being analysed", counts.stale)
        } else {
            String::new()
        }
    );
    if stories.is_empty() {
        page.body.push_str("<p>No stories yet. Add articles with <code>crosscheck ingest</code>, <code>POST /api/articles</code> or a feed.</p>");
    } else {
        stories_table(&mut page.body, &stories);
    }
    page.body.push_str("<div class=\"pager\">");
    if page_no > 1 {
        let _ = write!(page.body, "<a href=\"/?page={}\">← newer</a>", page_no - 1);
    }
    if more {
        let _ = write!(page.body, "<a href=\"/?page={}\">older →</a>", page_no + 1);
    }
    page.body.push_str("</div>");
    page.render("")
}

fn articles_table(out: &mut String, articles: &[ArticleSummary]) {
    out.push_str("<table><thead><tr><th>Title</th><th>Outlet</th><th>Published</th><th>Words</th></tr></thead><tbody>\n");
    for a in articles {
        let title = esc(a.title.as_deref().unwrap_or(&a.doc_id));
        let title = match a.url.as_deref().and_then(safe_url) {
            Some(u) => format!(
                "<a href=\"{}\" rel=\"noopener noreferrer\">{title}</a>",
                esc(u)
            ),
            None => title,
        };
        let outlet = match (a.outlet_id, a.outlet.as_deref()) {
            (Some(id), Some(name)) => format!("<a href=\"/outlets/{id}\">{}</a>", esc(name)),
            _ => "-".to_string(),
        };
        let _ = writeln!(
            out,
            "<tr><td>{title}</td><td>{outlet}</td><td class=\"muted\">{}</td><td class=\"n\">{}</td></tr>",
            esc(a.published.as_deref().unwrap_or("-")),
            a.words
        );
    }
    out.push_str("</tbody></table>\n");
}

pub async fn story(State(app): State<Shared>, Path(raw): Path<String>) -> Response {
    let id = match id(&raw) {
        Ok(id) => id,
        Err(e) => return error_page(e),
    };
    let read = app
        .read(move |s| Ok((s.story(id)?, s.story_input(id)?)))
        .await;
    let (detail, input) = match read {
        Ok((Some(d), input)) => (d, input),
        Ok((None, _)) => return error_page(ApiError::new(StatusCode::NOT_FOUND, "no such story")),
        Err(e) => return error_page(e),
    };
    if let Some(into) = detail.story.merged_into {
        return Redirect::to(&format!("/stories/{into}")).into_response();
    }
    let mut page = Page::new(detail.story.title.clone());
    let _ = writeln!(
        page.body,
        "<h1>{}</h1><p class=\"muted\">{} versions · {} copy families · {} contradictions · {} single-source claims</p>",
        esc(&detail.story.title),
        detail.story.versions,
        count(detail.story.families),
        count(detail.story.contradictions),
        count(detail.story.single_source)
    );
    articles_table(&mut page.body, &detail.articles);
    match detail.analysis {
        None => page
            .body
            .push_str("<p><em>Being analysed: reload in a moment.</em></p>"),
        Some(sa) => {
            if !detail.story.analysed {
                page.body.push_str("<p class=\"muted\">New versions joined since this analysis; it is being redone.</p>");
            }
            let members: std::collections::HashSet<&str> =
                sa.story.documents.iter().map(String::as_str).collect();
            let documents = input
                .map(|i| i.documents)
                .unwrap_or_default()
                .into_iter()
                .filter(|d| members.contains(d.id.as_str()))
                .collect();
            let analysis = Analysis {
                documents,
                stories: vec![sa],
                skipped: Vec::new(),
            };
            if let Some(section) = crosscheck_report::html_story_section(&analysis, 0) {
                page.body.push_str(&section);
                page.style = Some(HTML_STYLE);
                page.script = Some(HTML_SCRIPT);
            }
        }
    }
    page.render("")
}

pub async fn outlets(State(app): State<Shared>) -> Response {
    let outlets = match app.read(|s| s.outlets()).await {
        Ok(o) => o,
        Err(e) => return error_page(e),
    };
    let mut page = Page::new("Outlets");
    page.body.push_str("<h1>Outlets</h1><table><thead><tr><th>Outlet</th><th>Articles</th><th>Last article</th></tr></thead><tbody>\n");
    for o in outlets {
        let _ = writeln!(
            page.body,
            "<tr><td><a href=\"/outlets/{}\">{}</a></td><td class=\"n\">{}</td><td class=\"muted\">{}</td></tr>",
            o.id,
            esc(&o.name),
            o.articles,
            esc(o.last_ingested.as_deref().unwrap_or("-"))
        );
    }
    page.body.push_str("</tbody></table>\n");
    page.render("")
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "…".into(), |v| format!("{:.0}%", v * 100.0))
}

fn ratio(v: Option<f64>) -> String {
    v.map_or_else(|| "…".into(), |v| format!("{v:.2}"))
}

fn series_table(out: &mut String, series: &[OutletPoint]) {
    out.push_str("<table><thead><tr><th>Month</th><th>Articles</th><th>Original vs copied text</th><th>Contradictions / article</th><th>Single-source claims / article</th><th>Repeated paragraphs</th></tr></thead><tbody>\n");
    for p in series {
        let bar = match p.original_share {
            Some(share) => {
                let orig = (share * 120.0).round() as u32;
                format!(
                    "<span class=\"bar\" style=\"width:{orig}px\"></span><span class=\"bar copy\" style=\"width:{}px\"></span> {}",
                    120 - orig.min(120),
                    pct(Some(share))
                )
            }
            None => "…".into(),
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{bar}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&p.period),
            p.articles,
            ratio(p.contradictions_per_article),
            ratio(p.single_source_per_article),
            p.repeated_paragraphs
        );
    }
    out.push_str("</tbody></table>\n");
}

pub async fn outlet(State(app): State<Shared>, Path(raw): Path<String>) -> Response {
    let id = match id(&raw) {
        Ok(id) => id,
        Err(e) => return error_page(e),
    };
    let detail = match app.read(move |s| s.outlet(id, 100)).await {
        Ok(Some(d)) => d,
        Ok(None) => return error_page(ApiError::new(StatusCode::NOT_FOUND, "no such outlet")),
        Err(e) => return error_page(e),
    };
    let mut page = Page::new(detail.outlet.name.clone());
    let _ = writeln!(
        page.body,
        "<h1>{}</h1><p class=\"muted\">{} articles. Original text is the share of an article's sentences not found verbatim or nearly so in an earlier version of its story (blue: original, orange: copied).</p><h2>By month</h2>",
        esc(&detail.outlet.name),
        detail.outlet.articles
    );
    series_table(&mut page.body, &detail.series);
    page.body.push_str("<h2>Latest articles</h2><table><thead><tr><th>Title</th><th>Published</th><th>Original</th><th>Contradictions</th><th>Single-source</th><th>Repeated paragraphs</th></tr></thead><tbody>\n");
    for a in &detail.articles {
        let s = a.stats.as_ref();
        let _ = writeln!(
            page.body,
            "<tr><td><a href=\"/stories/{}\">{}</a></td><td class=\"muted\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            a.article.story_id,
            esc(a.article.title.as_deref().unwrap_or(&a.article.doc_id)),
            esc(a.article.published.as_deref().unwrap_or("-")),
            pct(s.and_then(|s| s.original_share)),
            count(s.map(|s| s.contradictions)),
            count(s.map(|s| s.single_source)),
            count(s.map(|s| s.repeated_paragraphs))
        );
    }
    page.body.push_str("</tbody></table>\n");
    page.render("")
}

pub async fn search(
    State(app): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let query = q.get("q").cloned().unwrap_or_default();
    let mut page = Page::new(format!("Search: {query}"));
    if query.trim().is_empty() {
        page.body.push_str(
            "<h1>Search</h1><p>Type words from a title or a claim in the search box.</p>",
        );
        return page.render("");
    }
    let needle = query.clone();
    let results = match app.read(move |s| s.search(&needle, 50)).await {
        Ok(r) => r,
        Err(e) => return error_page(e),
    };
    let _ = writeln!(
        page.body,
        "<h1>Search: {}</h1><h2>Articles ({})</h2>",
        esc(&query),
        results.articles.len()
    );
    if !results.articles.is_empty() {
        page.body.push_str("<table><thead><tr><th>Title</th><th>Outlet</th><th>Published</th></tr></thead><tbody>\n");
        for a in &results.articles {
            let _ = writeln!(
                page.body,
                "<tr><td><a href=\"/stories/{}\">{}</a></td><td>{}</td><td class=\"muted\">{}</td></tr>",
                a.story_id,
                esc(a.title.as_deref().unwrap_or(&a.doc_id)),
                esc(a.outlet.as_deref().unwrap_or("-")),
                esc(a.published.as_deref().unwrap_or("-"))
            );
        }
        page.body.push_str("</tbody></table>\n");
    }
    let _ = writeln!(page.body, "<h2>Claims ({})</h2>", results.claims.len());
    if !results.claims.is_empty() {
        page.body.push_str("<table><thead><tr><th>Claim</th><th>Kind</th><th>Value</th><th>Article</th></tr></thead><tbody>\n");
        for c in &results.claims {
            let _ = writeln!(
                page.body,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td><a href=\"/stories/{}\">{}</a></td></tr>",
                esc(&c.text),
                esc(&c.kind),
                esc(&c.value),
                c.story_id,
                esc(c.title.as_deref().unwrap_or("(untitled)"))
            );
        }
        page.body.push_str("</tbody></table>\n");
    }
    page.render(&query)
}
