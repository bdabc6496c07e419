//! Server: the HTTP API and the web UI over a corroborate store (axum on tokio).
//!
//! API under `/api` (documented by `GET /openapi.json`, kept true by a test):
//! list and search stories, a story's report (the same JSON as `corroborate
//! report --format json`), an article with its annotations, ingestion by
//! POST with the CLI's validation, full-text search, and `GET /health`.
//! Errors are JSON `{"code", "message"}` with the status from one table
//! ([`ApiError::status`]). The web UI ([`ui`]) is server-rendered HTML with a
//! little JavaScript, served by the same router; no CDN, nothing fetched at
//! run time.
//!
//! Concurrency: reads go through a small pool of SQLite connections (WAL lets
//! them run beside a writer); writes (POST, re-analysis) go through the one
//! [`Engine`]. A background task re-analyses every [`REFRESH`] when articles
//! arrived from anywhere (a POST, or `corroborate ingest` in another
//! process), so new articles appear in their stories without a restart.
//!
//! ```no_run
//! corroborate_server::run(std::path::Path::new("corroborate.db"), "127.0.0.1:8080".parse().unwrap()).unwrap();
//! ```
#![deny(missing_docs)]

mod api;
mod openapi;
pub mod ui;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use corroborate_engine::Engine;
use corroborate_store::Store;
use serde_json::json;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// How often the server checks for articles that arrived since the last analysis.
pub const REFRESH: Duration = Duration::from_secs(2);

/// Largest POST body accepted, in bytes.
pub const MAX_POST: usize = 4 * 1024 * 1024;

/// Shared state: one writer engine and a pool of reader connections.
pub struct AppState {
    engine: Mutex<Engine>,
    readers: Vec<Mutex<Store>>,
    next: AtomicUsize,
    db: PathBuf,
}

impl AppState {
    /// Opens the store at `db` for serving.
    pub fn open(db: &Path) -> Result<Arc<Self>, corroborate_engine::Error> {
        let engine = Engine::open(db)?;
        let n = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(2, 8);
        let readers = (0..n)
            .map(|_| Store::open(db).map(Mutex::new))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Arc::new(AppState {
            engine: Mutex::new(engine),
            readers,
            next: AtomicUsize::new(0),
            db: db.to_path_buf(),
        }))
    }

    /// A reader connection.
    pub(crate) fn reader(&self) -> Result<MutexGuard<'_, Store>, ApiError> {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        self.readers[i]
            .lock()
            .map_err(|_| ApiError::Internal("reader lock poisoned".into()))
    }

    /// The writer engine.
    pub(crate) fn engine(&self) -> Result<MutexGuard<'_, Engine>, ApiError> {
        self.engine
            .lock()
            .map_err(|_| ApiError::Internal("engine lock poisoned".into()))
    }

    /// The store file served.
    pub fn db(&self) -> &Path {
        &self.db
    }
}

/// API errors, each with one code and one status.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Malformed request: bad parameters, malformed body.
    #[error("{0}")]
    BadRequest(String),
    /// No such story, article or route.
    #[error("{0} not found")]
    NotFound(String),
    /// The body is over [`MAX_POST`].
    #[error("request body over the limit of {MAX_POST} bytes")]
    PayloadTooLarge,
    /// A content type this API does not take.
    #[error("unsupported content type {0:?} (use application/json, application/x-ndjson, text/html or text/plain)")]
    UnsupportedMediaType(String),
    /// Well-formed but holds no article.
    #[error("{0}")]
    Unprocessable(String),
    /// The store failed.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// The one table mapping errors to HTTP.
    pub fn status(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::UnsupportedMediaType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            ApiError::Unprocessable(_) => (StatusCode::UNPROCESSABLE_ENTITY, "unprocessable"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status();
        if status.is_server_error() {
            tracing::error!(target: "server", error = %self, "request failed");
        }
        (
            status,
            Json(json!({ "code": code, "message": self.to_string() })),
        )
            .into_response()
    }
}

impl From<corroborate_store::Error> for ApiError {
    fn from(e: corroborate_store::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<corroborate_engine::Error> for ApiError {
    fn from(e: corroborate_engine::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

/// The router over `state`: API, OpenAPI document and web UI.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/health", get(api::health))
        .route("/openapi.json", get(|| async { Json(openapi::document()) }))
        .route("/api/stories", get(api::stories))
        .route("/api/stories/{id}", get(api::story))
        .route("/api/articles", post(api::post_article))
        .route("/api/articles/{id}", get(api::article))
        .route("/api/search", get(api::search))
        .route("/", get(ui::index))
        .route("/stories/{id}", get(ui::story))
        .route("/articles/{id}", get(ui::article))
        .route("/assets/app.css", get(ui::css))
        .route("/assets/app.js", get(ui::js))
        .fallback(ui::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_POST))
        .with_state(state)
}

/// Serves on an already bound listener until `shutdown` resolves, refreshing
/// the analysis in the background.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let refresher = state.clone();
    let task = tokio::spawn(async move {
        let mut tick = tokio::time::interval(REFRESH);
        loop {
            tick.tick().await;
            let s = refresher.clone();
            let done =
                tokio::task::spawn_blocking(move || s.engine().ok().map(|mut e| e.refresh())).await;
            if let Ok(Some(Err(e))) = done {
                tracing::error!(target: "server", error = %e, "background analysis failed");
            }
        }
    });
    let result = axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await;
    task.abort();
    result
}

/// Serves the store at `db` on `addr` until Ctrl-C.
pub fn run(db: &Path, addr: SocketAddr) -> std::io::Result<()> {
    let state = AppState::open(db).map_err(std::io::Error::other)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        tracing::info!(target: "server", %addr, "listening");
        eprintln!(
            "corroborate: serving {} on http://{}",
            state.db().display(),
            listener.local_addr()?
        );
        serve_on(listener, state, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
    })
}
