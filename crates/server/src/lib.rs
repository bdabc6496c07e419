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
//! them run beside a writer). A POST is read and extracted off the runtime
//! threads (`spawn_blocking`, at most one extraction per core; extraction
//! itself is bounded per document), then stored in one short transaction by
//! the ingest engine; a separate analysis engine re-analyses in the
//! background every [`REFRESH`], or at once after a POST, when articles
//! arrived from anywhere (a POST, or `corroborate ingest` in another
//! process). A POST waits up to [`ANALYSIS_WAIT`] for that analysis, so a
//! slow analysis delays answers but never blocks other requests.
//!
//! Safety (`security.rs`): every response carries a Content-Security-Policy
//! without inline script, `nosniff`, `frame-ancestors 'none'` and a
//! referrer policy; the `Host` header must name this server (loopback
//! names, the bind address, `--allow-host`); writes from another site's
//! page (`Origin`, `Sec-Fetch-Site`) are refused; HTML and plain-text
//! bodies, which a browser form could send, need no `Origin` or the token;
//! bound beyond loopback, every write needs the token.
//!
//! ```no_run
//! corroborate_server::run(std::path::Path::new("corroborate.db"), "127.0.0.1:8080".parse().unwrap()).unwrap();
//! ```
#![deny(missing_docs)]

mod api;
mod openapi;
mod security;
pub mod ui;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use corroborate_engine::{Engine, Kind, Prepared, Preparer};
use corroborate_store::Storage;
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

/// How long a POST waits for the analysis that places its articles before
/// answering without their stories (`"analysis": "pending"`).
pub const ANALYSIS_WAIT: Duration = Duration::from_secs(5);

/// How the server may be reached and written to.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// Bearer token that writes must carry (`Authorization: Bearer …`).
    /// Without one, writes are accepted from loopback binds only.
    pub token: Option<String>,
    /// Host names (besides the loopback names and the bind address) that
    /// requests may name in their `Host` header.
    pub allowed_hosts: Vec<String>,
    /// Publish POSTed articles to this queue instead of storing them (the
    /// workers extract and place them; this server only reads the store).
    pub queue: Option<corroborate_queue::QueueConfig>,
}

/// Shared state: an ingest engine (short writes), an analysis engine (the
/// background refresh), a pool of reader connections, and a limit on
/// extractions running at once. Three separate SQLite connections: a slow
/// analysis never holds the lock a POST needs to store its articles, and
/// reads never wait for either (WAL).
pub struct AppState {
    writer: Mutex<Engine>,
    analyst: Mutex<Engine>,
    readers: Vec<Mutex<Box<dyn Storage>>>,
    next: AtomicUsize,
    db: PathBuf,
    pub(crate) preparer: Preparer,
    /// The queue POSTs go to, when serving with `--queue`.
    pub(crate) queue: Option<corroborate_queue::Queue>,
    /// Counters and latencies (`GET /metrics`).
    pub(crate) metrics: Arc<corroborate_queue::metrics::Metrics>,
    /// Extractions running at once (one per core): more requests wait
    /// asynchronously, never on a runtime thread.
    extract_slots: tokio::sync::Semaphore,
    /// The arrival number the stored analysis covers, after each analysis.
    analyzed: tokio::sync::watch::Sender<i64>,
    /// Wakes the background analysis now.
    kick: tokio::sync::Notify,
    pub(crate) guard: security::Guard,
}

impl AppState {
    /// Opens the store at `db` for serving on loopback without a token.
    pub fn open(db: &Path) -> Result<Arc<Self>, corroborate_engine::Error> {
        Self::open_with(db, security::Guard::loopback(), None)
    }

    fn open_with(
        db: &Path,
        guard: security::Guard,
        queue: Option<corroborate_queue::Queue>,
    ) -> Result<Arc<Self>, corroborate_engine::Error> {
        let spec = db.to_string_lossy();
        let writer = Engine::open_db(&spec)?;
        let analyst = Engine::open_db(&spec)?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let n = cores.clamp(2, 8);
        let readers = (0..n)
            .map(|_| corroborate_store::open(&spec, None).map(Mutex::new))
            .collect::<Result<Vec<_>, _>>()?;
        let analyzed = analyst.store().analyzed_through()?;
        Ok(Arc::new(AppState {
            writer: Mutex::new(writer),
            analyst: Mutex::new(analyst),
            readers,
            next: AtomicUsize::new(0),
            db: db.to_path_buf(),
            preparer: Preparer::new(corroborate_engine::DEFAULT_MAX_SIZE),
            extract_slots: tokio::sync::Semaphore::new(cores),
            analyzed: tokio::sync::watch::Sender::new(analyzed),
            kick: tokio::sync::Notify::new(),
            guard,
            queue,
            metrics: Arc::default(),
        }))
    }

    /// A reader connection.
    pub(crate) fn reader(&self) -> Result<MutexGuard<'_, Box<dyn Storage>>, ApiError> {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        self.readers[i]
            .lock()
            .map_err(|_| ApiError::Internal("reader lock poisoned".into()))
    }

    /// The ingest engine (short writes only).
    pub(crate) fn writer(&self) -> Result<MutexGuard<'_, Engine>, ApiError> {
        self.writer
            .lock()
            .map_err(|_| ApiError::Internal("writer lock poisoned".into()))
    }

    /// Reads and extracts a POSTed body off the runtime threads, at most
    /// one extraction per core at a time.
    pub(crate) async fn prepare(
        self: &Arc<Self>,
        kind: Kind,
        body: axum::body::Bytes,
    ) -> Result<Prepared, ApiError> {
        let _slot = self
            .extract_slots
            .acquire()
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            state.preparer.prepare("POST /api/articles", kind, &body)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("extraction failed: {e}")))
    }

    /// Waits (up to `wait`) until the analysis covers arrival number
    /// `seq`; `false` when it did not in time.
    pub(crate) async fn analysed_through(&self, seq: i64, wait: Duration) -> bool {
        let mut rx = self.analyzed.subscribe();
        self.kick.notify_one();
        tokio::time::timeout(wait, rx.wait_for(|&done| done >= seq))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// Analyses what arrived since the last analysis, if anything did.
    /// With a queue, the workers' story assigner analyses; the server only
    /// follows.
    fn refresh(&self) -> Result<(), corroborate_engine::Error> {
        let Ok(mut engine) = self.analyst.lock() else {
            return Ok(());
        };
        if self.queue.is_none() {
            let t = std::time::Instant::now();
            if engine.refresh()? {
                self.metrics.time("analyze", t);
            }
        }
        let through = engine.store().analyzed_through()?;
        self.analyzed.send_replace(through);
        Ok(())
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
    /// A write without the token it needs, or from another site's page.
    #[error("{0}")]
    Forbidden(String),
    /// A `Host` header this server does not answer to (DNS rebinding).
    #[error("{0}")]
    MisdirectedHost(String),
    /// A method the route does not take.
    #[error("method not allowed here")]
    MethodNotAllowed,
    /// A service the request needs (the queue) did not answer.
    #[error("unavailable: {0}")]
    Unavailable(String),
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
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::MisdirectedHost(_) => (StatusCode::MISDIRECTED_REQUEST, "misdirected_host"),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
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
        .route("/api/stories/{id}/tables/{table}", get(api::story_table))
        .route("/api/articles", post(api::post_article))
        .route("/api/articles/{id}", get(api::article))
        .route("/api/search", get(api::search))
        .route("/api/queue", get(api::queue_status))
        .route("/metrics", get(api::metrics))
        .route("/", get(ui::index))
        .route("/stories/{id}", get(ui::story))
        .route("/articles/{id}", get(ui::article))
        .route("/assets/app.css", get(ui::css))
        .route("/assets/app.js", get(ui::js))
        .fallback(ui::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_POST))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::check,
        ))
        .with_state(state)
}

/// Serves on an already bound listener until `shutdown` resolves, analysing
/// in the background what arrives (every [`REFRESH`], or at once after a POST).
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let refresher = state.clone();
    let task = tokio::spawn(async move {
        let mut tick = tokio::time::interval(REFRESH);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = refresher.kick.notified() => {}
            }
            let s = refresher.clone();
            match tokio::task::spawn_blocking(move || s.refresh()).await {
                Ok(Err(e)) => {
                    tracing::error!(target: "server", error = %e, "background analysis failed")
                }
                Err(e) => {
                    tracing::error!(target: "server", error = %e, "background analysis panicked")
                }
                Ok(Ok(())) => {}
            }
        }
    });
    let result = axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await;
    task.abort();
    result
}

/// Serves the store at `db` on `addr` until Ctrl-C, on loopback without a
/// token (see [`run_with`]).
pub fn run(db: &Path, addr: SocketAddr) -> std::io::Result<()> {
    run_with(db, addr, ServeOptions::default())
}

/// Serves the store at `db` on `addr` until Ctrl-C. Bound beyond loopback,
/// writes need `options.token`.
pub fn run_with(db: &Path, addr: SocketAddr, options: ServeOptions) -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let queue = match options.queue.clone() {
        Some(c) => Some(
            rt.block_on(corroborate_queue::Queue::connect(c))
                .map_err(std::io::Error::other)?,
        ),
        None => None,
    };
    let guard = security::Guard::new(addr, options);
    let state = AppState::open_with(db, guard, queue).map_err(std::io::Error::other)?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        tracing::info!(target: "server", %addr, "listening");
        eprintln!(
            "corroborate: serving {} on http://{} (web UI at /, API at /api, OpenAPI at /openapi.json)",
            state.db().display(),
            listener.local_addr()?
        );
        if let Some(warning) = state.guard.warning() {
            eprintln!("corroborate: {warning}");
        }
        serve_on(listener, state, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
    })
}
