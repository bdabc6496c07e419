//! JSON API handlers.

use crate::{ApiError, AppState};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use corroborate_engine::Kind;
use corroborate_store::StoryFilter;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

fn params(p: Params) -> Result<HashMap<String, String>, ApiError> {
    p.map(|Query(q)| q)
        .map_err(|e| ApiError::BadRequest(e.body_text()))
}

/// 405 with the JSON error body every other error has.
pub(crate) async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

fn number(
    q: &HashMap<String, String>,
    key: &str,
    default: usize,
    max: usize,
) -> Result<usize, ApiError> {
    match q.get(key) {
        None => Ok(default),
        Some(v) => Some(v)
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|n| (1..=max).contains(n) || (key == "offset" && *n <= max))
            .ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "{key} must be an integer from {} to {max}, not {v:?}",
                    usize::from(key != "offset")
                ))
            }),
    }
}

fn date(q: &HashMap<String, String>, key: &str) -> Result<Option<String>, ApiError> {
    let Some(v) = q.get(key).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let ok = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok()
        || chrono::DateTime::parse_from_rfc3339(v).is_ok();
    if ok {
        Ok(Some(v.clone()))
    } else {
        Err(ApiError::BadRequest(format!(
            "{key} must be a date like 2025-03-14, not {v:?}"
        )))
    }
}

/// A search parameter must hold a word: `q=*` would otherwise list every
/// story on one endpoint and nothing on the other.
fn words(v: Option<String>, key: &str) -> Result<Option<String>, ApiError> {
    match v {
        Some(t) if !t.chars().any(char::is_alphanumeric) => Err(ApiError::BadRequest(format!(
            "{key} must contain a word (letters or digits), not {t:?}"
        ))),
        other => Ok(other),
    }
}

/// Story filters from query parameters (shared with the UI).
pub(crate) fn filter(q: &HashMap<String, String>) -> Result<StoryFilter, ApiError> {
    let text = |k: &str| {
        q.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    Ok(StoryFilter {
        text: words(text("q"), "q")?,
        outlet: text("outlet"),
        entity: words(text("entity"), "entity")?,
        status: match text("status").as_deref() {
            None => None,
            Some(
                s @ ("confirmed" | "attributed_only" | "disputed" | "contested" | "unattributed"),
            ) => {
                Some(s.to_string())
            }
            Some(other) => {
                return Err(ApiError::BadRequest(format!(
                    "status must be confirmed, attributed_only, disputed, contested or unattributed, not {other:?}"
                )))
            }
        },
        from: date(q, "from")?,
        to: date(q, "to")?,
        limit: number(q, "limit", 50, 200)?,
        offset: number(q, "offset", 0, 1_000_000)?,
    })
}

pub(crate) async fn health(State(s): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let r = s.reader()?;
    Ok(Json(
        json!({ "status": "ok", "articles": r.article_count()?, "stories": r.search_stories(&StoryFilter { limit: 1, ..StoryFilter::default() })?.0 }),
    ))
}

/// One page of the story list (`GET /api/stories`).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub(crate) struct StoryPage {
    /// Stories matching in all.
    total: usize,
    /// Page size.
    limit: usize,
    /// This page's first story.
    offset: usize,
    /// The page.
    stories: Vec<StoryListItem>,
}

/// A story of the list, with what matched in it when asked for.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub(crate) struct StoryListItem {
    #[serde(flatten)]
    summary: corroborate_store::StorySummary,
    /// With `q` and `snippets=true`: what matched in this story.
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    hit: Option<corroborate_store::StoryMatch>,
}

pub(crate) async fn stories(
    State(s): State<Arc<AppState>>,
    p: Params,
) -> Result<Json<StoryPage>, ApiError> {
    let q = params(p)?;
    let f = filter(&q)?;
    let r = s.reader()?;
    let (total, list) = r.search_stories(&f)?;
    // With words to search and `snippets=true`: what matched in each story
    // of the page (opt-in: it reads the stories' texts).
    let snippets = match q.get("snippets").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(v) => {
            return Err(ApiError::BadRequest(format!(
                "snippets must be true or false, not {v:?}"
            )))
        }
    };
    let mut hits = vec![None; list.len()];
    if let (Some(text), true) = (&f.text, snippets) {
        let ids: Vec<&str> = list.iter().map(|s| s.id.as_str()).collect();
        hits = r.story_matches(text, &ids)?.into_iter().map(Some).collect();
    }
    let stories = list
        .into_iter()
        .zip(hits)
        .map(|(summary, hit)| StoryListItem { summary, hit })
        .collect();
    Ok(Json(StoryPage {
        total,
        limit: f.limit,
        offset: f.offset,
        stories,
    }))
}

pub(crate) async fn story(
    State(s): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    match s.reader()?.report(&id)? {
        Some(r) => Ok(Json(r).into_response()),
        None => Err(ApiError::NotFound(format!("story {id}"))),
    }
}

/// One of a story's tables (`claims`, `carriers`, `figures`, `timeline`,
/// `sources`): CSV with `?format=csv` or `Accept: text/csv`, NDJSON with
/// `?format=ndjson` or `Accept: application/x-ndjson`, else a JSON array of
/// row objects. CSV and NDJSON come as downloads named after the story.
pub(crate) async fn story_table(
    State(s): State<Arc<AppState>>,
    Path((id, table)): Path<(String, String)>,
    headers: HeaderMap,
    p: Params,
) -> Result<Response, ApiError> {
    use corroborate_engine::export::{self, Table};
    let q = params(p)?;
    let t = Table::parse(table.trim_end_matches(".csv").trim_end_matches(".ndjson")).ok_or_else(
        || {
            ApiError::NotFound(format!(
                "table {table:?} (tables: claims, carriers, figures, timeline, sources)"
            ))
        },
    )?;
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let format = match q.get("format").map(String::as_str) {
        Some(f @ ("csv" | "ndjson" | "json")) => f,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "format must be csv, ndjson or json, not {other:?}"
            )))
        }
        None if table.ends_with(".csv") || accept.contains("text/csv") => "csv",
        None if table.ends_with(".ndjson") || accept.contains("application/x-ndjson") => "ndjson",
        None => "json",
    };
    let Some(r) = s.reader()?.report(&id)? else {
        return Err(ApiError::NotFound(format!("story {id}")));
    };
    let file = |ext: &str| {
        format!(
            "attachment; filename=\"{}-{}.{ext}\"",
            r.id.as_str(),
            t.name()
        )
    };
    Ok(match format {
        "csv" => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, file("csv")),
            ],
            export::to_csv(&r, t),
        )
            .into_response(),
        "ndjson" => (
            [
                (header::CONTENT_TYPE, "application/x-ndjson".to_string()),
                (header::CONTENT_DISPOSITION, file("ndjson")),
            ],
            export::to_ndjson(&r, t),
        )
            .into_response(),
        _ => {
            let rows = export::objects(&r, t);
            Json(json!({ "story": r.id, "table": t.name(), "columns": t.columns(), "rows": rows }))
                .into_response()
        }
    })
}

pub(crate) async fn article(
    State(s): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let r = s.reader()?;
    let Some(a) = r.article(&id)? else {
        return Err(ApiError::NotFound(format!("article {id}")));
    };
    let annotations = corroborate_engine::article_annotations(r.as_ref(), &a)?;
    let story = r.story_of(&id)?;
    Ok(Json(json!({ "article": a, "story": story, "annotations": annotations })).into_response())
}

pub(crate) async fn search(
    State(s): State<Arc<AppState>>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    let q = params(p)?;
    let text = q
        .get("q")
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::BadRequest("q is required".into()))?;
    words(Some(text.to_string()), "q")?;
    let limit = number(&q, "limit", 20, 100)?;
    let hits = s.reader()?.search(text, limit)?;
    Ok(Json(
        json!({ "query": text, "articles": hits.articles, "claims": hits.claims }),
    ))
}

pub(crate) async fn post_article(
    State(s): State<Arc<AppState>>,
    headers: HeaderMap,
    p: Params,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let q = params(p)?;
    // How long to wait for the analysis that places the articles: 0 answers
    // as soon as they are stored.
    let wait = match q.get("wait") {
        None => crate::ANALYSIS_WAIT,
        Some(v) => v
            .parse::<u64>()
            .ok()
            .filter(|n| v.bytes().all(|b| b.is_ascii_digit()) && *n <= 30)
            .map(std::time::Duration::from_secs)
            .ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "wait must be whole seconds from 0 to 30, not {v:?}"
                ))
            })?,
    };
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge
        } else {
            ApiError::BadRequest(e.body_text())
        }
    })?;
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mime = ctype.split(';').next().unwrap_or("").trim().to_string();
    let kind = match mime.as_str() {
        "application/json" => Kind::Json,
        "application/x-ndjson" | "application/jsonl" | "application/jsonlines" => Kind::Jsonl,
        "text/html" | "application/xhtml+xml" => Kind::Html,
        "text/plain" => Kind::Text,
        _ => return Err(ApiError::UnsupportedMediaType(mime)),
    };
    if let Some(queue) = s.queue.clone() {
        return queue_article(&s, &queue, kind, body).await;
    }
    // Read and extract off the runtime threads and off the store's lock;
    // then one short write.
    let prepared = s.prepare(kind, body).await?;
    let state = s.clone();
    let (posted, seq) = tokio::task::spawn_blocking(move || -> Result<_, ApiError> {
        let mut writer = state.writer()?;
        let posted = writer.store_prepared(prepared)?;
        let seq = writer.store().max_seq()?;
        Ok((posted, seq))
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))??;
    s.metrics.count("stored", posted.summary.added as u64);
    // The background analysis places the articles; wait for it a while.
    let placed = posted.summary.added == 0 || s.analysed_through(seq, wait).await;
    let articles: Vec<Value> = {
        let r = s.reader()?;
        posted
            .articles
            .iter()
            .map(|id| Ok(json!({ "id": id, "story": r.story_of(id.as_str())? })))
            .collect::<Result<_, ApiError>>()?
    };
    if posted.articles.is_empty() {
        return Err(no_article(&posted.issues));
    }
    let status = if posted.summary.added > 0 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(json!({
            "ingest": posted.summary,
            "articles": articles,
            "issues": posted.issues,
            "analysis": if placed { "done" } else { "pending" },
        })),
    )
        .into_response())
}

/// The error for a body that held no article: 400 when it could not be
/// read at all, else 422 with the reading's problems.
fn no_article(issues: &[String]) -> ApiError {
    let msg = issues.join("; ");
    if msg.contains("malformed JSON") || msg.contains("invalid UTF-8") {
        ApiError::BadRequest(msg)
    } else if msg.is_empty() {
        ApiError::Unprocessable("no article in the body".into())
    } else {
        ApiError::Unprocessable(msg)
    }
}

/// A POST on a server started with `--queue`: the body is read (the same
/// validation and errors), its documents published to the queue, and the
/// answer is 202 Accepted with their ids; workers extract and place them.
async fn queue_article(
    s: &Arc<AppState>,
    queue: &corroborate_queue::Queue,
    kind: Kind,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (docs, issues, warnings) = s.preparer.read("POST /api/articles", kind, &body);
    if docs.is_empty() {
        return Err(no_article(&issues));
    }
    let published = queue.publish(&docs).await.map_err(|e| {
        s.metrics.error("queue");
        ApiError::Unavailable(e.to_string())
    })?;
    s.metrics.count("published", published.published as u64);
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({
            "queued": published,
            "articles": ids,
            "issues": issues,
            "warnings": warnings,
            "analysis": "queued",
        })),
    )
        .into_response())
}

/// `GET /api/queue`: the queue's status (server started with `--queue`).
pub(crate) async fn queue_status(State(s): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let queue = s.queue.clone().ok_or_else(|| {
        ApiError::NotFound("queue (this server was started without --queue)".into())
    })?;
    let status = queue
        .status(20)
        .await
        .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    s.metrics.set_lag(status.depth);
    Ok(Json(
        serde_json::to_value(status).map_err(|e| ApiError::Internal(e.to_string()))?,
    ))
}

/// `GET /metrics`: Prometheus text exposition.
pub(crate) async fn metrics(State(s): State<Arc<AppState>>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            corroborate_queue::metrics::Metrics::CONTENT_TYPE,
        )],
        s.metrics.render(),
    )
        .into_response()
}
