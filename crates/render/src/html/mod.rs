//! HTML for people: the web UI's pages and the CLI's standalone report,
//! from one set of [maud] templates. Escaping is by construction: every
//! spliced value is escaped unless it is wrapped in `PreEscaped`, which only
//! the highlighter uses, on text it escaped itself.
//!
//! The same story body serves both readers; a [`Target`] says where links
//! go (the server's article and story pages, or anchors inside one file).

mod article;
mod chart;
mod list;
mod story;

pub use article::{article_body, highlight, ArticleView};
pub use list::{story_list, ListItem, ListView};
pub use story::story_body;

use maud::{html, Markup, DOCTYPE};

/// The stylesheet of every page (served by the web UI, inlined in a
/// standalone report).
pub const CSS: &str = include_str!("../../assets/app.css");
/// The web UI's one script (keyboard shortcuts, live updates).
pub const JS: &str = include_str!("../../assets/app.js");

/// Where a page is read, which decides where its links go.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// The web UI: articles and stories are pages of the server, and each
    /// story offers its tables for download under these names.
    Server {
        /// Export table names (`/api/stories/{id}/tables/{name}.csv`).
        tables: &'a [&'a str],
    },
    /// One HTML file: claims link to their source in the file, sources to
    /// their web address.
    Standalone,
}

impl Target<'_> {
    fn server(self) -> bool {
        matches!(self, Target::Server { .. })
    }
}

/// A web UI page: the header with the search box, then `body`.
pub fn page(title: &str, search: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                (head_start(title))
                link rel="icon" href="data:,";
                link rel="stylesheet" href="/assets/app.css";
                script src="/assets/app.js" defer {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    a.brand href="/" { "corroborate" }
                    form.search role="search" action="/" method="get" {
                        label.visually-hidden for="q" { "Search stories" }
                        input #q name="q" type="search" value=(search)
                            placeholder="Search stories, claims, people (press /)" autocomplete="off";
                        button type="submit" { "Search" }
                    }
                }
                div #live.live role="status" aria-live="polite" {}
                main #main tabindex="-1" { (body) }
            }
        }
    }
    .into_string()
}

/// What every page's head starts with.
fn head_start(title: &str) -> Markup {
    html! {
        meta charset="utf-8";
        meta name="viewport" content="width=device-width, initial-scale=1";
        title { (title) " · corroborate" }
    }
}

/// An error page's body.
pub fn error_body(code: u16, message: &str) -> Markup {
    html! {
        h1 { (code) }
        p { (message) }
        p { a href="/" { "All stories" } }
    }
}

/// A story's report as one self-contained HTML file (styles inlined, no
/// script, nothing fetched): the CLI's `report --format html`.
pub fn story_document(
    r: &corroborate_model::StoryReport,
    titles: &std::collections::HashMap<String, String>,
) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                (head_start(&r.title))
                style { (maud::PreEscaped(CSS)) }
            }
            body {
                main #main { (story_body(r, titles, Target::Standalone)) }
            }
        }
    }
    .into_string()
}

/// A stored URL as a link only when it is http(s) (never `javascript:` or
/// `data:`), else as plain text.
pub fn url_markup(u: &str) -> Markup {
    html! {
        @if is_web(u) {
            a href=(u) rel="noopener noreferrer" { (u) }
        } @else {
            span.url { (u) }
        }
    }
}

fn is_web(u: &str) -> bool {
    let scheme = u
        .split_once(':')
        .map(|(s, _)| s.trim().to_ascii_lowercase());
    matches!(scheme.as_deref(), Some("http" | "https"))
}

/// At most `n` characters, with an ellipsis when cut.
pub fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// The outlet's name, or, when no record or page named it, the host of
/// its address marked as guessed (a file name only as the last resort).
pub fn outlet_name(a: &corroborate_model::ArticleRef) -> String {
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

#[cfg(test)]
mod tests;
