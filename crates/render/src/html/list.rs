//! The story list: search results with what matched, filters as a GET
//! form (every view is a URL to share), and a pager.

use super::truncate;
use maud::{html, Markup, PreEscaped};
use std::collections::HashMap;

/// One story in the list.
#[derive(Debug, Clone, Default)]
pub struct ListItem {
    /// Story id.
    pub id: String,
    /// Story title.
    pub title: String,
    /// Number of articles.
    pub articles: usize,
    /// First and last day (RFC 3339 text), if dated.
    pub start: Option<String>,
    /// Last day.
    pub end: Option<String>,
    /// Outlets carrying it.
    pub outlets: Vec<String>,
    /// A search snippet with matches in `[brackets]`, or "".
    pub snippet: String,
    /// A matching claim, if any.
    pub claim: Option<String>,
}

/// The list page's content.
#[derive(Debug, Clone, Copy)]
pub struct ListView<'a> {
    /// Stories matching in all.
    pub total: usize,
    /// The search words.
    pub search: &'a str,
    /// The request's query parameters (the filters and the page).
    pub query: &'a HashMap<String, String>,
    /// This page's first story, and the page size.
    pub offset: usize,
    /// Stories per page.
    pub limit: usize,
    /// The stories on this page.
    pub items: &'a [ListItem],
}

const FILTERS: [&str; 6] = ["q", "outlet", "entity", "status", "from", "to"];

/// The story list's body.
pub fn story_list(v: &ListView) -> Markup {
    let filtered = FILTERS
        .iter()
        .any(|k| v.query.get(*k).is_some_and(|x| !x.trim().is_empty()));
    html! {
        h1 { "Stories" }
        p #count.meta {
            (v.total) (if v.total == 1 { " story" } else { " stories" }) " "
            @if !v.search.is_empty() { "matching “" (v.search) "”" }
        }
        (filters_form(v.query))
        @if v.items.is_empty() && filtered {
            p #none { "No stories match. Try fewer words or filters." }
        } @else if v.items.is_empty() {
            p #none { "No stories yet. Run " code { "corroborate analyze PATH" } ", or POST articles to " code { "/api/articles" } "." }
        }
        ul #stories.stories { @for st in v.items { (item(st)) } }
        (pager(v))
    }
}

fn item(st: &ListItem) -> Markup {
    let span = if st.start == st.end {
        day(&st.start)
    } else {
        format!("{} – {}", day(&st.start), day(&st.end))
    };
    html! {
        li.story {
            a href={ "/stories/" (st.id) } { (st.title) }
            div.meta {
                span { (crate::plural(st.articles, "article", "articles")) } " · "
                span { (span) } " · "
                span.outlets { (st.outlets.join(", ")) }
            }
            @if !st.snippet.is_empty() { p.snippet { (snippet(&st.snippet)) } }
            @if let Some(c) = &st.claim { p.claim-hit { "Claim: " (snippet(&truncate(c, 240))) } }
        }
    }
}

fn day(t: &Option<String>) -> String {
    t.as_deref()
        .map(|s| s.chars().take(10).collect())
        .unwrap_or_else(|| "undated".into())
}

/// A search snippet with its matches (`[word]`, from FTS5) marked: the
/// text is escaped first, then the brackets become marks.
fn snippet(s: &str) -> Markup {
    let escaped = html! { (s) }.into_string();
    PreEscaped(escaped.replace('[', "<mark>").replace(']', "</mark>"))
}

/// The story filters, as a GET form.
fn filters_form(q: &HashMap<String, String>) -> Markup {
    let v = |k: &str| q.get(k).map(String::as_str).unwrap_or("").to_string();
    let status = v("status");
    let statuses = [
        ("", "any"),
        ("confirmed", "confirmed"),
        ("attributed_only", "attributed only"),
        ("disputed", "disputed"),
        ("contested", "contested"),
        ("unattributed", "unattributed"),
    ];
    html! {
        form.filters action="/" method="get" aria-label="Filter stories" {
            input type="hidden" name="q" value=(v("q"));
            label { "Outlet " input name="outlet" value=(v("outlet")) autocomplete="off"; }
            label { "Person or organisation " input name="entity" value=(v("entity")) autocomplete="off"; }
            label { "Claim status " select name="status" {
                @for (value, label) in statuses {
                    option value=(value) selected[status == value] { (label) }
                }
            } }
            label { "From " input type="date" name="from" value=(v("from")); }
            label { "To " input type="date" name="to" value=(v("to")); }
            button type="submit" { "Filter" } " " a href="/" { "Clear" }
        }
    }
}

/// Previous and next links, keeping every other parameter.
fn pager(v: &ListView) -> Markup {
    let shown = v.items.len();
    let link = |offset: usize| {
        let mut params: Vec<(&str, String)> = v
            .query
            .iter()
            .filter(|(k, _)| *k != "offset")
            .map(|(k, x)| (k.as_str(), x.clone()))
            .collect();
        params.sort();
        params.push(("offset", offset.to_string()));
        let pairs: Vec<String> = params
            .iter()
            .map(|(k, x)| format!("{}={}", urlencode(k), urlencode(x)))
            .collect();
        format!("/?{}", pairs.join("&"))
    };
    let more = v.offset + shown < v.total;
    html! {
        @if more || v.offset > 0 {
            nav.pager aria-label="Pages" {
                @if v.offset > 0 { a href=(link(v.offset.saturating_sub(v.limit))) { "Previous" } " " }
                @if more { a href=(link(v.offset + v.limit)) { "Next" } }
            }
        }
    }
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
