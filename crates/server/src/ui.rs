//! The web UI: server-rendered HTML pages over the same store and report
//! JSON as the API, one stylesheet and one small script, all compiled into
//! the binary (no CDN, nothing fetched at run time).
//!
//! Pages: the story list with search (`/`), a story (`/stories/{id}`: summary,
//! claim × outlet matrix, figure charts, timeline, sources with copies
//! collapsed) and an article (`/articles/{id}`: the body with quotes, figures
//! and dates highlighted, and the boilerplate that was removed). Every chart
//! and table has fixed geometry in the HTML, so nothing shifts as it loads.

use crate::{api, ApiError, AppState};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use corroborate_render::html::{self as view, ArticleView, ListItem, ListView};
use std::collections::HashMap;
use std::sync::Arc;

/// The export tables a story page offers for download.
fn table_names() -> Vec<&'static str> {
    corroborate_engine::export::Table::ALL
        .iter()
        .map(|t| t.name())
        .collect()
}

fn error_page(e: ApiError) -> Response {
    let (status, _) = e.status();
    let body = view::error_body(status.as_u16(), &e.to_string());
    let html = view::page(&status.to_string(), "", body);
    (status, Html(html)).into_response()
}

/// `GET /`: the story list, with search and filters.
pub(crate) async fn index(
    State(s): State<Arc<AppState>>,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let q = match q {
        Ok(Query(q)) => q,
        Err(e) => return error_page(ApiError::BadRequest(e.body_text())),
    };
    let filter = match api::filter(&q) {
        Ok(f) => f,
        Err(e) => return error_page(e),
    };
    let search = filter.text.clone().unwrap_or_default();
    let result = s.reader().and_then(|r| {
        let list = r.search_stories(&filter)?;
        // What matched, per story on the page: a snippet and a claim.
        let ids: Vec<&str> = list.1.iter().map(|s| s.id.as_str()).collect();
        let hits = if search.is_empty() {
            vec![corroborate_store::StoryMatch::default(); ids.len()]
        } else {
            r.story_matches(&search, &ids)?
        };
        Ok((list, hits))
    });
    let ((total, stories), hits) = match result {
        Ok(v) => v,
        Err(e) => return error_page(e),
    };
    let items: Vec<ListItem> = stories
        .into_iter()
        .zip(hits)
        .map(|(st, hit)| ListItem {
            id: st.id.as_str().to_string(),
            title: st.title,
            articles: st.articles,
            start: st.start,
            end: st.end,
            outlets: st.outlets,
            snippet: hit.snippet,
            claim: hit.claim,
        })
        .collect();
    let list = ListView {
        total,
        search: &search,
        query: &q,
        offset: filter.offset,
        limit: filter.limit,
        items: &items,
    };
    Html(view::page("Stories", &search, view::story_list(&list))).into_response()
}

/// `GET /stories/{id}`.
pub(crate) async fn story(State(s): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let found = s.reader().and_then(|store| {
        let Some(r) = store.report(&id)? else {
            return Ok(None);
        };
        let ids: Vec<&str> = r.related.iter().map(|x| x.id.as_str()).collect();
        let titles = store.story_titles(&ids)?;
        Ok(Some((r, titles)))
    });
    match found {
        Ok(Some((r, titles))) => {
            let tables = table_names();
            let target = view::Target::Server { tables: &tables };
            let body = view::story_body(&r, &titles, target);
            Html(view::page(&r.title, "", body)).into_response()
        }
        Ok(None) => error_page(ApiError::NotFound(format!("story {id}"))),
        Err(e) => error_page(e),
    }
}

/// `GET /articles/{id}`.
pub(crate) async fn article(State(s): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let r = match s.reader() {
        Ok(r) => r,
        Err(e) => return error_page(e),
    };
    let (a, story) = match (r.article(&id), r.story_of(&id)) {
        (Ok(Some(a)), Ok(story)) => (a, story),
        (Ok(None), _) => return error_page(ApiError::NotFound(format!("article {id}"))),
        (Err(e), _) | (_, Err(e)) => return error_page(e.into()),
    };
    let ann = match corroborate_engine::article_annotations(r.as_ref(), &a) {
        Ok(ann) => ann,
        Err(e) => return error_page(e.into()),
    };
    drop(r);
    let v = ArticleView {
        title: a.title.as_deref(),
        site: a.site.as_deref(),
        author: a.author.as_deref(),
        published: &a.published,
        url: a.url.as_deref(),
        story: story.as_ref().map(|s| s.as_str()),
        text: &a.text,
        annotations: &ann,
        boilerplate: &a.boilerplate,
    };
    let title = a.title.as_deref().unwrap_or("Article");
    Html(view::page(title, "", view::article_body(&v))).into_response()
}

pub(crate) async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        view::CSS,
    )
}

pub(crate) async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        view::JS,
    )
}

/// Unknown routes: JSON under `/api`, a page elsewhere.
pub(crate) async fn not_found(uri: axum::http::Uri) -> Response {
    let e = ApiError::NotFound(format!("route {}", uri.path()));
    if uri.path().starts_with("/api/") {
        e.into_response()
    } else {
        error_page(e)
    }
}
