//! The JSON API (`schema/openapi.yaml`).

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use crosscheck_model::Document;
use serde_json::{Map, Value};

use crate::library::Outcome;
use crate::{ApiError, Shared};

type Params = Query<HashMap<String, String>>;

/// A numeric query parameter within `[min, max]`, or `default` when absent.
pub(crate) fn param(
    q: &HashMap<String, String>,
    name: &str,
    default: usize,
    min: usize,
    max: usize,
) -> Result<usize, ApiError> {
    match q.get(name) {
        None => Ok(default),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::field(
                StatusCode::BAD_REQUEST,
                name,
                format!("{name} must be a whole number from {min} to {max}"),
            )),
        },
    }
}

pub(crate) fn id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().ok().filter(|&n| n > 0).ok_or_else(|| {
        ApiError::field(
            StatusCode::BAD_REQUEST,
            "id",
            "id must be a positive integer",
        )
    })
}

fn not_found(what: &str) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, format!("no such {what}"))
}

pub async fn status(State(app): State<Shared>) -> Result<Json<Value>, ApiError> {
    let counts = app.read(|s| s.counts()).await?;
    Ok(Json(serde_json::json!({
        "ready": app.writer.ready.load(std::sync::atomic::Ordering::SeqCst),
        "articles": counts.articles,
        "stories": counts.stories,
        "stale_stories": counts.stale,
    })))
}

pub async fn stories(State(app): State<Shared>, Query(q): Params) -> Result<Response, ApiError> {
    let limit = param(&q, "limit", 50, 1, 500)?;
    let offset = param(&q, "offset", 0, 0, usize::MAX >> 1)?;
    let stories = app.read(move |s| s.stories(limit, offset)).await?;
    Ok(
        Json(serde_json::json!({ "stories": stories, "limit": limit, "offset": offset }))
            .into_response(),
    )
}

pub async fn story(
    State(app): State<Shared>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let id = id(&raw)?;
    match app.read(move |s| s.story(id)).await? {
        Some(detail) => Ok(Json(detail).into_response()),
        None => Err(not_found("story")),
    }
}

pub async fn outlets(State(app): State<Shared>) -> Result<Response, ApiError> {
    let outlets = app.read(|s| s.outlets()).await?;
    Ok(Json(serde_json::json!({ "outlets": outlets })).into_response())
}

pub async fn outlet(
    State(app): State<Shared>,
    Path(raw): Path<String>,
    Query(q): Params,
) -> Result<Response, ApiError> {
    let id = id(&raw)?;
    let latest = param(&q, "articles", 100, 0, 10_000)?;
    match app.read(move |s| s.outlet(id, latest)).await? {
        Some(detail) => Ok(Json(detail).into_response()),
        None => Err(not_found("outlet")),
    }
}

pub async fn article(
    State(app): State<Shared>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let id = id(&raw)?;
    match app.read(move |s| s.article(id)).await? {
        Some((summary, document)) => Ok(Json(serde_json::json!({
            "article": summary,
            "document": document,
        }))
        .into_response()),
        None => Err(not_found("article")),
    }
}

pub async fn search(State(app): State<Shared>, Query(q): Params) -> Result<Response, ApiError> {
    let Some(query) = q.get("q").cloned() else {
        return Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "q",
            "q (the search words) is required",
        ));
    };
    let limit = param(&q, "limit", 50, 1, 500)?;
    let results = app.read(move |s| s.search(&query, limit)).await?;
    Ok(Json(results).into_response())
}

const FIELDS: [&str; 7] = ["text", "html", "url", "outlet", "title", "published", "id"];

/// `POST /api/articles`: one article as JSON. Answers 201 once it is committed, 200 when it
/// duplicates a stored article.
pub async fn post_article(
    State(app): State<Shared>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    if let Some(ct) = headers.get(header::CONTENT_TYPE) {
        let ct = ct.to_str().unwrap_or("");
        if !ct
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("application/json")
        {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "the body must be application/json",
            ));
        }
    }
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is larger than {} bytes", app.max_body),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > app.max_body as u64) {
        return Err(too_large());
    }
    let bytes = axum::body::to_bytes(body, app.max_body)
        .await
        .map_err(|_| too_large())?;
    let doc = document_from_request(&bytes)?;
    let outcome = app
        .writer
        .write(vec![doc])
        .await
        .map_err(|e| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, e))?
        .pop()
        .ok_or_else(|| ApiError::internal("the writer returned no outcome"))?;
    let status = match &outcome {
        Outcome::Added { .. } => StatusCode::CREATED,
        Outcome::Duplicate { .. } => StatusCode::OK,
        Outcome::Failed { reason } => return Err(ApiError::internal(reason)),
    };
    let mut resp = (status, Json(&outcome)).into_response();
    if let Outcome::Added { added, .. } = &outcome {
        if let Ok(v) = HeaderValue::from_str(&format!("/api/articles/{}", added.article)) {
            resp.headers_mut().insert(header::LOCATION, v);
        }
    }
    Ok(resp)
}

fn bad(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::field(StatusCode::BAD_REQUEST, field, message)
}

fn string_field(
    obj: &Map<String, Value>,
    name: &str,
    max_chars: usize,
) -> Result<Option<String>, ApiError> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.chars().count() > max_chars => Err(bad(
            name,
            format!("{name} is longer than {max_chars} characters"),
        )),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(bad(name, format!("{name} must be a string"))),
    }
}

/// Validates the request body and builds the document, naming the first field that is wrong.
pub(crate) fn document_from_request(bytes: &[u8]) -> Result<Document, ApiError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the body is not valid JSON: {e}"),
        )
    })?;
    let Value::Object(obj) = value else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "the body must be a JSON object",
        ));
    };
    if let Some(unknown) = obj.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(bad(
            unknown,
            format!(
                "unknown field {unknown:?}; known fields: {}",
                FIELDS.join(", ")
            ),
        ));
    }
    let text = string_field(&obj, "text", usize::MAX)?;
    let html = string_field(&obj, "html", usize::MAX)?;
    let url = string_field(&obj, "url", 4096)?;
    let outlet = string_field(&obj, "outlet", 200)?;
    let title = string_field(&obj, "title", 1000)?;
    let published = string_field(&obj, "published", 64)?;
    let id = string_field(&obj, "id", 200)?;

    if let Some(u) = &url {
        if crosscheck_report::safe_url(u).is_none() {
            return Err(bad(
                "url",
                "url must be an absolute http:// or https:// URL",
            ));
        }
    }
    if let Some(p) = &published {
        let ok = chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d").is_ok()
            || chrono::DateTime::parse_from_rfc3339(p).is_ok();
        if !ok {
            return Err(bad(
                "published",
                "published must be a date (2025-04-21) or an RFC 3339 date-time",
            ));
        }
    }
    if let Some(i) = &id {
        if i.trim().is_empty() || i.chars().any(char::is_control) {
            return Err(bad(
                "id",
                "id must be non-empty and without control characters",
            ));
        }
    }
    let (field, mut doc) = match (text, html) {
        (Some(_), Some(_)) => return Err(bad("html", "give text or html, not both")),
        (None, None) => return Err(bad("text", "one of text or html is required")),
        (Some(text), None) => {
            let doc_id = id.clone().unwrap_or_else(|| "api".into());
            (
                "text",
                crosscheck_ingest::document_from_text(&text, &doc_id, "api"),
            )
        }
        (None, Some(html)) => {
            let doc_id = id.clone().unwrap_or_else(|| "api".into());
            let doc = crosscheck_ingest::document_from_html(
                html.as_bytes(),
                url.as_deref(),
                &doc_id,
                "api",
            )
            .map_err(|e| ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "html", e))?;
            ("html", doc)
        }
    };
    if doc.text.trim().is_empty() {
        return Err(ApiError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            field,
            format!("no article text found in {field}"),
        ));
    }
    if id.is_none() {
        // Named by content, so the same text posted twice gets the same id.
        doc.id = format!("api-{}", &crosscheck_store::content_hash(&doc.text)[..16]);
    }
    if let Some(u) = url {
        doc.url = Some(u);
    }
    if outlet.is_some() {
        doc.outlet = outlet;
    }
    if doc.outlet.is_none() {
        doc.outlet = doc.url.as_deref().and_then(host_of);
    }
    if title.is_some() {
        doc.title = title;
    }
    if published.is_some() {
        doc.published = published;
    }
    Ok(doc)
}

/// The host of an absolute http(s) URL, without a `www.` prefix: the outlet when none is given.
pub(crate) fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}
