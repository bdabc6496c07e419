//! Server: the HTTP JSON API over a corroborate store (axum on tokio).
//!
//! Endpoints: `GET /health`, `GET /api/stories`, `GET /api/stories/{id}`
//! (the same JSON as `corroborate report --format json`), and
//! `GET /api/articles/{id}`. Errors are JSON `{"code", "message"}` with the
//! status from one table ([`ApiError::status`]). The web UI and ingestion by
//! POST come with a later issue.
//!
//! ```no_run
//! let engine = corroborate_engine::Engine::open(std::path::Path::new("corroborate.db")).unwrap();
//! corroborate_server::run(engine, "127.0.0.1:8080".parse().unwrap()).unwrap();
//! ```
#![deny(missing_docs)]

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use corroborate_engine::Engine;
use serde_json::json;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

/// Shared state: the engine behind a mutex (SQLite has one writer anyway).
pub type AppState = Arc<Mutex<Engine>>;

/// API errors, each with one code and one status.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No such story or article.
    #[error("{0} not found")]
    NotFound(String),
    /// The store failed.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// The one table mapping errors to HTTP.
    pub fn status(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status();
        (
            status,
            Json(json!({ "code": code, "message": self.to_string() })),
        )
            .into_response()
    }
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(e.to_string())
}

/// The router over `state`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/api/stories", get(stories))
        .route("/api/stories/{id}", get(story))
        .route("/api/articles/{id}", get(article))
        .fallback(|| async { ApiError::NotFound("route".into()) })
        .with_state(state)
}

async fn health(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let engine = state.lock().map_err(internal)?;
    let articles = engine.store().article_count().map_err(internal)?;
    Ok(Json(json!({ "status": "ok", "articles": articles })))
}

async fn stories(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let engine = state.lock().map_err(internal)?;
    let list = engine.store().stories().map_err(internal)?;
    Ok(Json(json!({ "stories": list })))
}

async fn story(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let engine = state.lock().map_err(internal)?;
    match engine.store().report(&id).map_err(internal)? {
        Some(r) => Ok(Json(r).into_response()),
        None => Err(ApiError::NotFound(format!("story {id}"))),
    }
}

async fn article(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let engine = state.lock().map_err(internal)?;
    let store = engine.store();
    match store.article(&id).map_err(internal)? {
        Some(a) => {
            let annotations = corroborate_engine::annotate_article(&a);
            let story = store.story_of(&id).map_err(internal)?;
            Ok(
                Json(json!({ "article": a, "story": story, "annotations": annotations }))
                    .into_response(),
            )
        }
        None => Err(ApiError::NotFound(format!("article {id}"))),
    }
}

/// Serves on an already bound listener until `shutdown` resolves.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Serves `engine` on `addr` until Ctrl-C.
pub fn run(engine: Engine, addr: SocketAddr) -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        tracing::info!(target: "server", %addr, "listening");
        eprintln!("corroborate: serving on http://{}", listener.local_addr()?);
        serve_on(listener, Arc::new(Mutex::new(engine)), async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
    })
}
