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
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use corroborate_model::{ArticleRef, ClaimStatus, FigureGroup, StoryReport};
pub use corroborate_render::escape_html as esc;
use corroborate_render::{format_day as ts_day, format_number as num};
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

const CSS: &str = include_str!("../assets/app.css");
const JS: &str = include_str!("../assets/app.js");

fn page(title: &str, search: &str, body: &str) -> Html<String> {
    Html(format!(
        r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t} · corroborate</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/">corroborate</a>
  <form class="search" role="search" action="/" method="get">
    <label for="q" class="visually-hidden">Search stories</label>
    <input id="q" name="q" type="search" value="{s}" placeholder="Search stories, claims, people (press /)" autocomplete="off">
    <button type="submit">Search</button>
  </form>
</header>
<div id="live" class="live" role="status" aria-live="polite"></div>
<main id="main" tabindex="-1">
{body}
</main>
</body>
</html>"##,
        t = esc(title),
        s = esc(search),
    ))
}

/// A stored URL for the article page: a link only when it is http(s)
/// (never `javascript:` or `data:`), else plain text.
fn url_html(u: &str) -> String {
    let scheme = u
        .split_once(':')
        .map(|(s, _)| s.trim().to_ascii_lowercase());
    if matches!(scheme.as_deref(), Some("http" | "https")) {
        format!(
            " · <a href=\"{0}\" rel=\"noopener noreferrer\">{0}</a>",
            esc(u)
        )
    } else {
        format!(" · <span class=\"url\">{}</span>", esc(u))
    }
}

fn day(t: &Option<String>) -> String {
    t.as_deref()
        .map(|s| s.chars().take(10).collect())
        .unwrap_or_else(|| "undated".into())
}

fn error_page(e: ApiError) -> Response {
    let (status, _) = e.status();
    let body = format!(
        "<h1>{}</h1><p>{}</p><p><a href=\"/\">All stories</a></p>",
        status.as_u16(),
        esc(&e.to_string())
    );
    (status, page(&status.to_string(), "", &body)).into_response()
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
    let mut b = String::new();
    let _ = write!(
        b,
        "<h1>Stories</h1><p class=\"meta\" id=\"count\">{total} {} {}</p>",
        if total == 1 { "story" } else { "stories" },
        if search.is_empty() {
            String::new()
        } else {
            format!("matching “{}”", esc(&search))
        }
    );
    filters_form(&mut b, &q);
    let filtered = ["q", "outlet", "entity", "status", "from", "to"]
        .iter()
        .any(|k| q.get(*k).is_some_and(|v| !v.trim().is_empty()));
    if stories.is_empty() && filtered {
        b.push_str("<p id=\"none\">No stories match. Try fewer words or filters.</p>");
    } else if stories.is_empty() {
        b.push_str("<p id=\"none\">No stories yet. Run <code>corroborate analyze PATH</code>, or POST articles to <code>/api/articles</code>.</p>");
    }
    b.push_str("<ul class=\"stories\" id=\"stories\">");
    for (st, hit) in stories.iter().zip(&hits) {
        let _ = write!(
            b,
            "<li class=\"story\"><a href=\"/stories/{id}\">{title}</a><div class=\"meta\"><span>{n} article{pl}</span> · <span>{span}</span> · <span class=\"outlets\">{outlets}</span></div>",
            id = esc(st.id.as_str()),
            title = esc(&st.title),
            n = st.articles,
            pl = if st.articles == 1 { "" } else { "s" },
            span = if st.start == st.end { day(&st.start) } else { format!("{} – {}", day(&st.start), day(&st.end)) },
            outlets = esc(&st.outlets.join(", ")),
        );
        if !hit.snippet.is_empty() {
            let _ = write!(b, "<p class=\"snippet\">{}</p>", snippet_html(&hit.snippet));
        }
        if let Some(c) = &hit.claim {
            let _ = write!(
                b,
                "<p class=\"claim-hit\">Claim: {}</p>",
                snippet_html(&truncate(c, 240))
            );
        }
        b.push_str("</li>");
    }
    b.push_str("</ul>");
    if filter.offset + stories.len() < total || filter.offset > 0 {
        let link = |offset: usize| {
            let mut params: Vec<(String, String)> = q
                .iter()
                .filter(|(k, _)| *k != "offset")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            params.sort();
            params.push(("offset".into(), offset.to_string()));
            params
                .iter()
                .map(|(k, v)| format!("{}={}", esc(k), esc(&urlencode(v))))
                .collect::<Vec<_>>()
                .join("&amp;")
        };
        b.push_str("<nav class=\"pager\" aria-label=\"Pages\">");
        if filter.offset > 0 {
            let _ = write!(
                b,
                "<a href=\"/?{}\">Previous</a> ",
                link(filter.offset.saturating_sub(filter.limit))
            );
        }
        if filter.offset + stories.len() < total {
            let _ = write!(
                b,
                "<a href=\"/?{}\">Next</a>",
                link(filter.offset + filter.limit)
            );
        }
        b.push_str("</nav>");
    }
    page("Stories", &search, &b).into_response()
}

/// A search snippet with its matches (`[word]`, from FTS5) marked.
fn snippet_html(snippet: &str) -> String {
    esc(snippet).replace('[', "<mark>").replace(']', "</mark>")
}

/// The story filters, as a GET form: every view is a URL to share.
fn filters_form(b: &mut String, q: &HashMap<String, String>) {
    let v = |k: &str| esc(q.get(k).map(String::as_str).unwrap_or(""));
    let status = q.get("status").map(String::as_str).unwrap_or("");
    let option = |value: &str, label: &str| {
        format!(
            "<option value=\"{value}\"{}>{label}</option>",
            if status == value { " selected" } else { "" }
        )
    };
    let _ = write!(
        b,
        "<form class=\"filters\" action=\"/\" method=\"get\" aria-label=\"Filter stories\">\
<input type=\"hidden\" name=\"q\" value=\"{q}\">\
<label>Outlet <input name=\"outlet\" value=\"{outlet}\" autocomplete=\"off\"></label>\
<label>Person or organisation <input name=\"entity\" value=\"{entity}\" autocomplete=\"off\"></label>\
<label>Claim status <select name=\"status\">{any}{c}{a}{d}{k}{u}</select></label>\
<label>From <input type=\"date\" name=\"from\" value=\"{from}\"></label>\
<label>To <input type=\"date\" name=\"to\" value=\"{to}\"></label>\
<button type=\"submit\">Filter</button> <a href=\"/\">Clear</a></form>",
        q = v("q"),
        outlet = v("outlet"),
        entity = v("entity"),
        from = v("from"),
        to = v("to"),
        any = option("", "any"),
        c = option("confirmed", "confirmed"),
        a = option("attributed_only", "attributed only"),
        d = option("disputed", "disputed"),
        k = option("contested", "contested"),
        u = option("unattributed", "unattributed"),
    );
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The outlet's name, or, when no record or page named it, the host of
/// its address marked as guessed (a file name only as the last resort).
fn outlet_name(a: &ArticleRef) -> String {
    match (&a.outlet, a.url.as_deref().and_then(host_of)) {
        (None, Some(host)) => format!("{host} (guessed)"),
        _ => corroborate_model::outlet_label(a.outlet.as_deref(), &a.source),
    }
}

/// The host of an http(s) URL, without `www.`.
fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#', ':']).next()?.trim();
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

fn status_label(s: ClaimStatus) -> (&'static str, &'static str) {
    match s {
        ClaimStatus::Confirmed => ("confirmed", "Confirmed"),
        ClaimStatus::AttributedOnly => ("attributed", "Attributed only"),
        ClaimStatus::Disputed => ("disputed", "Disputed"),
        ClaimStatus::Unattributed => ("unattributed", "Unattributed"),
        ClaimStatus::Contested => ("contested", "Contested"),
    }
}

/// How an outlet's carriers of one claim show in its cell: the strongest
/// stance among them (disputes, then asserts, then reports) as a mark, a
/// class and words for screen readers.
fn stance_mark(
    here: &[&corroborate_model::ClaimCarrier],
) -> (&'static str, &'static str, &'static str) {
    use corroborate_model::Stance;
    let has = |s: Stance| here.iter().any(|x| x.stance == Some(s));
    if has(Stance::Disputes) {
        ("✕", "disputes", "disputes")
    } else if has(Stance::Asserts) {
        ("▲", "asserts", "asserts")
    } else if has(Stance::Reports) {
        ("●", "reports", "reports")
    } else {
        ("●", "carries", "carries")
    }
}

/// One figure group as an SVG chart: a row per stated value, a bar for a
/// range, a dot for an exact value, an arrow for an open bound.
fn chart(g: &FigureGroup, r: &StoryReport) -> String {
    // Copies repeat their original's figures: chart the originals only.
    let is_copy = |id: &corroborate_model::ArticleId| {
        r.articles
            .iter()
            .any(|a| &a.id == id && a.copy_of.as_ref().is_some_and(|c| c.article.is_some()))
    };
    let values: Vec<&corroborate_model::FigureValue> =
        g.values.iter().filter(|v| !is_copy(&v.article)).collect();
    let values = if values.is_empty() {
        g.values.iter().collect()
    } else {
        values
    };
    const W: f64 = 640.0;
    const LABEL: f64 = 190.0;
    const ROW: f64 = 26.0;
    let lo = g
        .values
        .iter()
        .map(|v| v.low.unwrap_or(v.value).min(v.value))
        .fold(f64::INFINITY, f64::min);
    let hi = g
        .values
        .iter()
        .map(|v| v.high.unwrap_or(v.value).max(v.value))
        .fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if (hi - lo).abs() < f64::EPSILON {
        (lo * 0.9 - 1.0, hi * 1.1 + 1.0)
    } else {
        (lo, hi)
    };
    let pad = (hi - lo) * 0.08;
    // The axis ends on round numbers (13,067 reads as 14,000).
    let (lo, hi) = (nice((lo - pad).max(0.0), false), nice(hi + pad, true));
    let x = |v: f64| LABEL + (v - lo) / (hi - lo) * (W - LABEL - 20.0);
    let h = ROW * values.len() as f64 + 24.0;
    let mut s = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {W} {h}\" width=\"100%\" height=\"{h}\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-label=\"{}: {}\">",
        esc(&g.what),
        esc(&g.span(num).unwrap_or_else(|| {
            g.values.iter().map(|v| v.text.as_str()).collect::<Vec<_>>().join("; ")
        }))
    );
    for (i, v) in values.iter().enumerate() {
        let y = 8.0 + ROW * i as f64;
        let cy = y + ROW / 2.0 - 4.0;
        let outlet = r
            .articles
            .iter()
            .find(|a| a.id == v.article)
            .map(outlet_name)
            .unwrap_or_default();
        // The row says who stated it and what they counted.
        let _ = write!(
            s,
            "<text x=\"0\" y=\"{:.1}\" class=\"lbl\">{}</text>",
            cy + 4.0,
            esc(&truncate(&format!("{outlet}: {}", v.text), 30))
        );
        let tip = format!(
            "{} — {}{}",
            v.text,
            outlet,
            v.attributed_to
                .as_deref()
                .map(|a| format!(", attributed to {a}"))
                .unwrap_or_default()
        );
        let _ = write!(s, "<g class=\"val\"><title>{}</title>", esc(&tip));
        match (v.low, v.high) {
            (Some(l), Some(h)) if (h - l).abs() > f64::EPSILON => {
                let _ = write!(s, "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"8\" rx=\"4\" class=\"range\"/>", x(l), cy - 4.0, (x(h) - x(l)).max(2.0));
            }
            (Some(l), None) => {
                let _ = write!(s, "<line x1=\"{:.1}\" y1=\"{cy:.1}\" x2=\"{:.1}\" y2=\"{cy:.1}\" class=\"open\"/><path d=\"M{:.1} {:.1} l8 4 l-8 4 z\" class=\"arrow\"/>", x(l), W - 28.0, W - 28.0, cy - 4.0);
            }
            (None, Some(h)) => {
                let _ = write!(s, "<line x1=\"{:.1}\" y1=\"{cy:.1}\" x2=\"{:.1}\" y2=\"{cy:.1}\" class=\"open\"/><path d=\"M{:.1} {:.1} l-8 4 l8 4 z\" class=\"arrow\"/>", LABEL + 8.0, x(h), LABEL + 8.0, cy - 4.0);
            }
            _ => {}
        }
        let _ = write!(
            s,
            "<circle cx=\"{:.1}\" cy=\"{cy:.1}\" r=\"5\" class=\"dot\"/>",
            x(v.value)
        );
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"num\">{}</text></g>",
            (x(v.value) + 9.0).min(W - 70.0),
            cy - 7.0,
            esc(&num(v.value))
        );
    }
    let _ = write!(
        s,
        "<text x=\"{LABEL}\" y=\"{:.1}\" class=\"axis\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" class=\"axis\" text-anchor=\"end\">{}</text></svg>",
        h - 4.0,
        num(axis(lo)),
        W - 20.0,
        h - 4.0,
        num(axis(hi))
    );
    s
}

/// `x` rounded to two significant digits, up or down.
fn nice(x: f64, up: bool) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return x.max(0.0);
    }
    let step = 10f64.powf(x.log10().floor() - 1.0);
    let n = x / step;
    (if up { n.ceil() } else { n.floor() }) * step
}

/// Axis labels: whole numbers unless the scale is small.
fn axis(x: f64) -> f64 {
    if x.abs() >= 10.0 {
        x.round()
    } else {
        (x * 10.0).round() / 10.0
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// Links to the story's tables as CSV (and NDJSON), for a spreadsheet.
fn downloads(b: &mut String, r: &StoryReport) {
    let id = esc(r.id.as_str());
    let links: Vec<String> = corroborate_engine::export::Table::ALL
        .iter()
        .map(|t| {
            let n = t.name();
            format!(
                "<a href=\"/api/stories/{id}/tables/{n}.csv\" download>{n}</a> <a class=\"alt\" href=\"/api/stories/{id}/tables/{n}.ndjson\" download aria-label=\"{n} as NDJSON\">ndjson</a>"
            )
        })
        .collect();
    let _ = write!(
        b,
        "<p class=\"downloads\">Download tables (CSV): {}</p>",
        links.join(" · ")
    );
}

/// Above this many outlets the matrix shows the outlets that carry the most
/// claims and folds the rest into one "other outlets" column, which a
/// checkbox (keyboard reachable, no script needed) unfolds.
const SHOWN_OUTLETS: usize = 6;

/// Matrix columns: outlets with at least one original article, those that
/// carry the most claims first (ties: the order they reported in).
fn matrix_columns(
    r: &StoryReport,
    outlets_of: &HashMap<&corroborate_model::ArticleId, String>,
) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for a in r
        .articles
        .iter()
        .filter(|a| a.copy_of.as_ref().is_none_or(|c| c.article.is_none()))
    {
        let o = outlet_name(a);
        if seen.insert(o.clone()) {
            columns.push(o);
        }
    }
    let mut carried: HashMap<&str, usize> = HashMap::new();
    for c in &r.claims {
        let mut here: Vec<&str> = c
            .carriers
            .iter()
            .filter_map(|x| outlets_of.get(&x.article).map(String::as_str))
            .collect();
        here.sort_unstable();
        here.dedup();
        for o in here {
            *carried.entry(o).or_default() += 1;
        }
    }
    let counts: Vec<usize> = columns
        .iter()
        .map(|c| carried.get(c.as_str()).copied().unwrap_or(0))
        .collect();
    let mut order: Vec<usize> = (0..columns.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(counts[i])); // stable: ties keep their order
    order.into_iter().map(|i| columns[i].clone()).collect()
}

/// The claim × outlet matrix: one row per claim, one column per outlet
/// (see [`matrix_columns`] and [`SHOWN_OUTLETS`]).
fn matrix(
    b: &mut String,
    r: &StoryReport,
    outlets_of: &HashMap<&corroborate_model::ArticleId, String>,
    columns: &[String],
) {
    let _ = write!(b, "<section id=\"claims\" aria-labelledby=\"claims-h\"><h2 id=\"claims-h\">Claims <span class=\"count\">{}</span></h2>", r.claims.len());
    if r.claims.is_empty() {
        b.push_str("<p>No attributed claims found.</p></section>");
        return;
    }
    let folded = columns.len() > SHOWN_OUTLETS;
    if folded {
        let _ = write!(
            b,
            "<p class=\"fold\"><input type=\"checkbox\" id=\"all-outlets\"><label for=\"all-outlets\">Show all {} outlets</label> <span class=\"meta\">(shown: the {} that carry the most claims; the other {} are counted in one column)</span></p>",
            columns.len(),
            SHOWN_OUTLETS,
            columns.len() - SHOWN_OUTLETS
        );
    }
    b.push_str("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Claim by outlet matrix\"><table class=\"matrix\"><thead><tr><th scope=\"col\">Claim</th><th scope=\"col\">Status</th>");
    for (i, c) in columns.iter().enumerate() {
        let minor = if i >= SHOWN_OUTLETS { " minor" } else { "" };
        let _ = write!(
            b,
            "<th scope=\"col\" class=\"outlet{minor}\">{}</th>",
            esc(c)
        );
    }
    if folded {
        let _ = write!(
            b,
            "<th scope=\"col\" class=\"others\">Other {} outlets</th>",
            columns.len() - SHOWN_OUTLETS
        );
    }
    b.push_str("</tr></thead><tbody>");
    for c in &r.claims {
        claim_row(b, c, outlets_of, columns, folded);
    }
    b.push_str("</tbody></table></div><p class=\"legend\"><span class=\"reports\">●</span> reports the claim (relays it as someone's) · <span class=\"asserts\">▲</span> asserts it · <span class=\"disputes\">✕</span> disputes it · ring: first to report · – does not carry it · hedges as each outlet worded them</p></section>");
}

/// One row of the matrix.
fn claim_row(
    b: &mut String,
    c: &corroborate_model::Claim,
    outlets_of: &HashMap<&corroborate_model::ArticleId, String>,
    columns: &[String],
    folded: bool,
) {
    let (cls, label) = status_label(c.status);
    let first = &c.carriers[0];
    let who = [
        c.speaker.clone(),
        Some(c.channel_phrase().trim().to_string()).filter(|x| !x.is_empty()),
        Some(c.date_phrase().trim().to_string()).filter(|x| !x.is_empty()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let _ = write!(
        b,
        "<tr id=\"{id}\"><th scope=\"row\" class=\"claim\"><a href=\"/articles/{a}#s-{st}\">{text}</a><div class=\"who\">{who}</div></th><td><span class=\"badge {cls}\">{label}</span></td>",
        id = esc(&c.id),
        a = esc(first.article.as_str()),
        st = first.start,
        text = esc(&truncate(&c.text, 220)),
        who = esc(&who),
    );
    let mut others = 0;
    for (i, col) in columns.iter().enumerate() {
        let here: Vec<&corroborate_model::ClaimCarrier> = c
            .carriers
            .iter()
            .filter(|x| outlets_of.get(&x.article) == Some(col))
            .collect();
        let minor = if i >= SHOWN_OUTLETS { " minor" } else { "" };
        if here.is_empty() {
            let _ = write!(
                b,
                "<td class=\"cell no{minor}\"><span aria-label=\"does not carry\">–</span></td>"
            );
            continue;
        }
        others += usize::from(i >= SHOWN_OUTLETS);
        let mut hedges: Vec<&str> = here
            .iter()
            .flat_map(|x| x.hedges.iter().map(String::as_str))
            .collect();
        hedges.dedup();
        let first_mark = if here.iter().any(|x| x.article == c.first_reported_by) {
            " first"
        } else {
            ""
        };
        let (mark, class, words) = stance_mark(&here);
        let _ = write!(
            b,
            "<td class=\"cell yes {class}{first_mark}{minor}\" title=\"{col_t}: {words}\"><a href=\"/articles/{}#s-{}\" aria-label=\"{}: {words}\">{mark}</a>{}</td>",
            esc(here[0].article.as_str()),
            here[0].start,
            esc(col),
            if hedges.is_empty() { String::new() } else { format!("<span class=\"hedge\">{}</span>", esc(&hedges.join(", "))) },
            col_t = esc(col),
        );
    }
    if folded {
        let _ = write!(
            b,
            "<td class=\"cell others\">{others} of {}</td>",
            columns.len() - SHOWN_OUTLETS
        );
    }
    b.push_str("</tr>");
}

/// Renders a story page from its report, naming related stories by their
/// titles (id → title; an id without one is shown as the id).
pub fn story_html(r: &StoryReport, titles: &HashMap<String, String>) -> String {
    let mut b = String::new();
    let outlets_of: HashMap<&corroborate_model::ArticleId, String> =
        r.articles.iter().map(|a| (&a.id, outlet_name(a))).collect();
    let copies: Vec<&ArticleRef> = r
        .articles
        .iter()
        .filter(|a| a.copy_of.as_ref().is_some_and(|c| c.article.is_some()))
        .collect();
    let columns = matrix_columns(r, &outlets_of);
    let span = if r.span.start == r.span.end {
        ts_day(&r.span.start)
    } else {
        format!("{} – {}", ts_day(&r.span.start), ts_day(&r.span.end))
    };
    let _ = write!(
        b,
        "<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><a href=\"/\">Stories</a></nav><h1>{}</h1><p class=\"meta\">{span} · {} articles · {} outlets</p><p class=\"summary\">{}</p>",
        esc(&r.title),
        r.articles.len(),
        columns.len(),
        esc(&r.summary)
    );
    downloads(&mut b, r);

    matrix(&mut b, r, &outlets_of, &columns);

    // Figures.
    let _ = write!(b, "<section id=\"figures\" aria-labelledby=\"figures-h\"><h2 id=\"figures-h\">Figures <span class=\"count\">{}</span></h2>", r.figures.len());
    for g in &r.figures {
        let unit = g
            .unit
            .as_deref()
            .map(|u| format!(" ({u})"))
            .unwrap_or_default();
        let _ =
            write!(
            b,
            "<figure class=\"fig{}\"><figcaption><strong>{}{}</strong>{}{}</figcaption>{}</figure>",
            if g.disagree { " disagree" } else { "" },
            esc(&g.what),
            esc(&unit),
            g.span(num).map(|s| format!(": {}", esc(&s))).unwrap_or_default(),
            if g.disagree { " <span class=\"badge disputed\">sources disagree</span>" } else { "" },
            chart(g, r)
        );
    }
    b.push_str("</section>");

    // Timeline.
    let _ = write!(b, "<section id=\"timeline\" aria-labelledby=\"timeline-h\"><h2 id=\"timeline-h\">Timeline</h2><ol class=\"timeline\">");
    for t in &r.timeline {
        let _ = write!(
            b,
            "<li><time datetime=\"{d}\">{}</time>{}<span class=\"event\">{}</span><span class=\"n\">{} article{}</span></li>",
            esc(corroborate_render::timeline_label(t)),
            if t.inferred { "<span class=\"badge\" title=\"no article states this date: a relative or yearless date in an undated article, resolved against the story's date\">inferred</span>" } else { "" },
            esc(&truncate(&t.event, 240)),
            t.articles.len(),
            if t.articles.len() == 1 { "" } else { "s" },
            d = esc(&t.date),
        );
    }
    b.push_str("</ol></section>");

    // Sources, copies collapsed under their original.
    b.push_str("<section id=\"sources\" aria-labelledby=\"sources-h\"><h2 id=\"sources-h\">Sources</h2><ul class=\"sources\">");
    for a in r
        .articles
        .iter()
        .filter(|a| !copies.iter().any(|c| c.id == a.id))
    {
        let own: Vec<&&ArticleRef> = copies
            .iter()
            .filter(|c| c.copy_of.as_ref().and_then(|x| x.article.as_ref()) == Some(&a.id))
            .collect();
        let declared = a
            .copy_of
            .as_ref()
            .and_then(|c| c.declared.clone())
            .map(|d| {
                format!(
                    " <span class=\"badge attributed\">republished from {}</span>",
                    esc(&d)
                )
            })
            .unwrap_or_default();
        let _ = write!(
            b,
            "<li><a href=\"/articles/{}\">{}</a>{declared}<div class=\"meta\">{} · {}</div>",
            esc(a.id.as_str()),
            esc(a.title.as_deref().unwrap_or(&a.source)),
            esc(&outlet_name(a)),
            ts_day(&a.published)
        );
        if !own.is_empty() {
            let _ = write!(
                b,
                "<details class=\"copies\"><summary>{} cop{}</summary><ul>",
                own.len(),
                if own.len() == 1 { "y" } else { "ies" }
            );
            for c in own {
                let cp = c.copy_of.as_ref().expect("a copy");
                let _ = write!(
                    b,
                    "<li><a href=\"/articles/{}\">{}</a> <span class=\"meta\">{} · {:.0}% shared · {}</span></li>",
                    esc(c.id.as_str()),
                    esc(&outlet_name(c)),
                    ts_day(&c.published),
                    cp.overlap * 100.0,
                    esc(&cp.evidence.join(", "))
                );
            }
            b.push_str("</ul></details>");
        }
        b.push_str("</li>");
    }
    b.push_str("</ul></section>");
    if !r.related.is_empty() {
        b.push_str("<section id=\"related\"><h2>Related stories</h2><ul>");
        for rel in &r.related {
            let _ = write!(
                b,
                "<li><a href=\"/stories/{}\">{}</a> <span class=\"meta\">{}</span></li>",
                esc(rel.id.as_str()),
                esc(titles
                    .get(rel.id.as_str())
                    .map_or(rel.id.as_str(), String::as_str)),
                esc(&rel.reason)
            );
        }
        b.push_str("</ul></section>");
    }
    if !r.merged.is_empty() {
        b.push_str("<section id=\"merged\"><h2>Merged stories</h2><ul>");
        for m in &r.merged {
            let _ = write!(
                b,
                "<li>{} <span class=\"meta\">{}</span></li>",
                esc(m.id.as_str()),
                esc(&m.reason)
            );
        }
        b.push_str("</ul></section>");
    }
    b
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
        Ok(Some((r, titles))) => page(&r.title, "", &story_html(&r, &titles)).into_response(),
        Ok(None) => error_page(ApiError::NotFound(format!("story {id}"))),
        Err(e) => error_page(e),
    }
}

/// Highlights statements, figures and dates in `text` (char offsets),
/// keeping tags properly nested: a span that would cross another is dropped.
pub fn highlight(text: &str, a: &corroborate_model::Annotations) -> String {
    let mut spans: Vec<(usize, usize, String, String)> = Vec::new();
    for s in &a.statements {
        let cls = if s.direct { "quote" } else { "reported" };
        let who = s
            .speaker
            .as_ref()
            .map(|x| x.name.clone())
            .unwrap_or_else(|| "unattributed".into());
        spans.push((
            s.start,
            s.end,
            format!("mark class=\"{cls}\" id=\"s-{}\"", s.start),
            format!(
                "{who}{}",
                s.hedges
                    .iter()
                    .map(|h| format!(" · {h}"))
                    .collect::<String>()
            ),
        ));
    }
    for f in &a.figures {
        spans.push((
            f.start,
            f.end,
            "mark class=\"figure\"".into(),
            f.what.clone().or(f.unit.clone()).unwrap_or_default(),
        ));
    }
    for d in &a.dates {
        spans.push((
            d.start,
            d.end,
            "mark class=\"date\"".into(),
            d.value.clone(),
        ));
    }
    spans.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)));
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut stack: Vec<usize> = Vec::new(); // end offsets of open tags
    let mut pos = 0;
    let flush = |out: &mut String, from: usize, to: usize| {
        out.push_str(&esc(&chars[from..to].iter().collect::<String>()))
    };
    for (start, end, tag, title) in spans {
        if start >= end || end > chars.len() || start < pos {
            continue;
        }
        while let Some(&top) = stack.last() {
            if top <= start {
                flush(&mut out, pos, top);
                pos = top;
                out.push_str("</mark>");
                stack.pop();
            } else {
                break;
            }
        }
        if stack.last().is_some_and(|&top| end > top) {
            continue; // would cross the open span
        }
        flush(&mut out, pos, start);
        pos = start;
        let _ = write!(out, "<{tag} title=\"{}\">", esc(&title));
        stack.push(end);
    }
    while let Some(top) = stack.pop() {
        flush(&mut out, pos, top);
        pos = top;
        out.push_str("</mark>");
    }
    flush(&mut out, pos, chars.len());
    out
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
    let mut b = String::new();
    let _ = write!(
        b,
        "<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><a href=\"/\">Stories</a>{}</nav><h1>{}</h1><p class=\"meta\">{} · {}{}{}</p>",
        story.as_ref().map(|s| format!(" › <a href=\"/stories/{0}\">story {0}</a>", esc(s.as_str()))).unwrap_or_default(),
        esc(a.title.as_deref().unwrap_or("Untitled")),
        esc(a.site.as_deref().unwrap_or("unknown outlet")),
        ts_day(&a.published),
        a.author.as_deref().map(|x| format!(" · {}", esc(x))).unwrap_or_default(),
        a.url.as_deref().map(url_html).unwrap_or_default(),
    );
    let _ = write!(
        b,
        "<p class=\"legend\"><mark class=\"quote\">direct quote</mark> <mark class=\"reported\">reported speech</mark> <mark class=\"figure\">figure</mark> <mark class=\"date\">date</mark> · {} statements, {} figures, {} dates</p><article class=\"body\">{}</article>",
        ann.statements.len(),
        ann.figures.len(),
        ann.dates.len(),
        highlight(&a.text, &ann)
    );
    let _ = write!(
        b,
        "<details class=\"removed\"><summary>Removed as boilerplate ({} lines)</summary><ul>",
        a.boilerplate.len()
    );
    for l in &a.boilerplate {
        let _ = write!(b, "<li>{}</li>", esc(&truncate(l, 300)));
    }
    b.push_str("</ul></details>");
    page(a.title.as_deref().unwrap_or("Article"), "", &b).into_response()
}

pub(crate) async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        CSS,
    )
}

pub(crate) async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        JS,
    )
}

/// Unknown routes: JSON under `/api`, a page elsewhere.
pub(crate) async fn not_found(uri: axum::http::Uri) -> Response {
    let e = ApiError::NotFound(format!("route {}", uri.path()));
    if uri.path().starts_with("/api/") {
        e.into_response()
    } else {
        let _ = StatusCode::NOT_FOUND;
        error_page(e)
    }
}

#[cfg(test)]
mod tests;
