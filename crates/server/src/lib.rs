//! HTTP service over a crosscheck library: feed monitoring, a server-rendered web UI and a JSON
//! API (`schema/openapi.yaml`).
//!
//! Reads run on a small pool of read-only SQLite connections (WAL lets them run beside the
//! writer); every write goes through the single writer thread ([`writer`]), which answers a
//! POST only after its transaction committed. Stories are re-analysed in the background, only
//! those an article joined.

mod api;
pub mod feeds;
pub mod library;
mod ui;
pub mod writer;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use crosscheck_pipeline::Options;
use crosscheck_store::Store;

pub use library::{analyze_stale, analyze_story, Library, Outcome};

/// How to run the service.
pub struct Config {
    pub db: PathBuf,
    pub listen: SocketAddr,
    /// Bearer token for writes (and for reads too when `private`); without one, writes are
    /// refused.
    pub token: Option<String>,
    pub private: bool,
    /// Largest accepted request body, in bytes.
    pub max_body: usize,
    /// Feeds to monitor.
    pub feeds: Vec<feeds::Feed>,
    /// How stories are analysed; `None` stores articles without analysing them.
    pub analysis: Option<Options>,
}

/// Default largest request body: far above any real article, small enough to refuse abuse.
pub const DEFAULT_MAX_BODY: usize = 4 * 1024 * 1024;

pub(crate) struct App {
    /// Held open for the server's lifetime: while a connection is open, SQLite keeps the WAL
    /// files that read-only connections need.
    _anchor: Mutex<Store>,
    db: PathBuf,
    readers: Mutex<Vec<Store>>,
    token: Option<String>,
    private: bool,
    max_body: usize,
    writer: writer::Writer,
}

pub(crate) type Shared = Arc<App>;

/// A JSON error: `{"error": "...", "field": "..."}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: String,
    field: Option<String>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            field: None,
        }
    }

    pub(crate) fn field(status: StatusCode, field: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            field: Some(field.to_string()),
        }
    }

    pub(crate) fn internal(e: impl std::fmt::Display) -> Self {
        eprintln!("crosscheck: internal error: {e}");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = serde_json::json!({ "error": self.message });
        if let Some(f) = self.field {
            body["field"] = serde_json::Value::String(f);
        }
        let mut resp = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                "Bearer".parse().expect("static header"),
            );
        }
        resp
    }
}

impl App {
    /// Runs `f` on a pooled read connection, off the async workers.
    pub(crate) async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Store) -> crosscheck_store::Result<T> + Send + 'static,
    ) -> Result<T, ApiError> {
        let app = self.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = app.readers.lock().map_err(ApiError::internal)?.pop();
            let store = match pooled {
                Some(s) => s,
                None => Store::open_reader(&app.db).map_err(ApiError::internal)?,
            };
            let out = f(&store).map_err(ApiError::internal);
            if let Ok(mut pool) = app.readers.lock() {
                pool.push(store);
            }
            out
        })
        .await
        .map_err(ApiError::internal)?
    }
}

fn authorized(app: &App, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = app.token.as_deref() else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "writes are disabled: start the server with --token",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(g) if constant_time_eq(g.as_bytes(), token.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "wrong bearer token",
        )),
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "missing Authorization: Bearer <token>",
        )),
    }
}

/// Compares without an early exit, so response time does not leak how much of a guess matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn require_token(State(app): State<Shared>, req: Request, next: Next) -> Response {
    match authorized(&app, req.headers()) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

async fn require_token_if_private(State(app): State<Shared>, req: Request, next: Next) -> Response {
    if app.private {
        if let Err(e) = authorized(&app, req.headers()) {
            return e.into_response();
        }
    }
    next.run(req).await
}

async fn healthz(State(app): State<Shared>) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "ok": true,
        "ready": app.writer.ready.load(std::sync::atomic::Ordering::SeqCst),
    }))
}

/// Opens the library, starts the writer, analyser and feed pollers, and returns the router.
pub fn app(config: &Config) -> anyhow::Result<Router> {
    // Create or migrate the library before any reader opens it.
    let anchor = Store::open(&config.db)?;
    let writer = writer::Writer::start(config.db.clone(), config.analysis.clone())?;
    let app = Arc::new(App {
        _anchor: Mutex::new(anchor),
        db: config.db.clone(),
        readers: Mutex::new(Vec::new()),
        token: config.token.clone(),
        private: config.private,
        max_body: config.max_body,
        writer,
    });
    if !config.feeds.is_empty() {
        feeds::start(config.feeds.clone(), config.db.clone(), app.writer.clone());
    }
    let reads = Router::new()
        .route("/", get(ui::index))
        .route("/stories/{id}", get(ui::story))
        .route("/outlets", get(ui::outlets))
        .route("/outlets/{id}", get(ui::outlet))
        .route("/search", get(ui::search))
        .route("/api/status", get(api::status))
        .route("/api/stories", get(api::stories))
        .route("/api/stories/{id}", get(api::story))
        .route("/api/outlets", get(api::outlets))
        .route("/api/outlets/{id}", get(api::outlet))
        .route("/api/articles/{id}", get(api::article))
        .route("/api/search", get(api::search))
        .route_layer(axum::middleware::from_fn_with_state(
            app.clone(),
            require_token_if_private,
        ));
    let writes = Router::new()
        .route("/api/articles", post(api::post_article))
        .route_layer(axum::middleware::from_fn_with_state(
            app.clone(),
            require_token,
        ));
    Ok(Router::new()
        .merge(reads)
        .merge(writes)
        .route("/healthz", get(healthz))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "no such page") })
        // The body limit is enforced by the handlers that read bodies, with a JSON answer.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .with_state(app))
}

/// Runs the service on a new multi-threaded runtime until Ctrl-C or SIGTERM.
pub fn run(config: Config) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(serve(config))
}

/// Runs the service until Ctrl-C or SIGTERM. Prints `listening on http://ADDR` once bound.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let router = app(&config)?;
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown())
        .await?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
