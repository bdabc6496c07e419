//! Report rendering for people: plain text, Markdown, and HTML (the web
//! UI's pages and the standalone report, one set of templates in [`html`]).
//! A crate of its own so that the engine holds no presentation: the CLI
//! and the web UI depend on it, the engine does not.
//! JSON is the serde form of [`StoryReport`] and needs no code here.

pub mod html;
mod text;

use text::text;

use corroborate_model::{ClaimStatus, StoryReport};
use std::fmt::Write;

/// Output formats of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// Plain text for a terminal.
    Text,
    /// Markdown.
    Markdown,
    /// JSON (the report schema, docs/report.md).
    Json,
    /// A standalone HTML page.
    Html,
}

fn status(s: ClaimStatus) -> &'static str {
    match s {
        ClaimStatus::Confirmed => "confirmed",
        ClaimStatus::AttributedOnly => "attributed only",
        ClaimStatus::Disputed => "disputed",
        ClaimStatus::Unattributed => "unattributed",
        ClaimStatus::Contested => "contested",
    }
}

/// How one article carries a claim: " [reports; allegedly, claimed]" (its
/// stance, then its hedges), or "" when neither is known.
fn how(x: &corroborate_model::ClaimCarrier) -> String {
    let hedges = x.hedges.join(", ");
    match (x.stance.map(|s| s.as_str()), hedges.is_empty()) {
        (None, true) => String::new(),
        (None, false) => format!(" [{hedges}]"),
        (Some(s), true) => format!(" [{s}]"),
        (Some(s), false) => format!(" [{s}; {hedges}]"),
    }
}

/// A timeline entry's date in words (its TIMEX3 value for reports stored
/// before entries had labels).
pub fn timeline_label(t: &corroborate_model::TimelineEntry) -> &str {
    if t.label.is_empty() {
        &t.date
    } else {
        &t.label
    }
}

/// A number for people: thousands separated, one decimal when not whole.
pub fn format_number(x: f64) -> String {
    let x = if (x - x.round()).abs() < 1e-6 {
        x.round()
    } else {
        x
    };
    if x.fract() == 0.0 && x.abs() < 1e15 {
        let s = format!("{}", x as i64);
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 && c.is_ascii_digit() {
                out.push(',');
            }
            out.push(c);
        }
        out
    } else {
        format!("{x:.1}")
    }
}

fn short(id: &str) -> &str {
    &id[..8.min(id.len())]
}

/// `YYYY-MM-DD`, or "undated".
pub fn format_day(t: &Option<corroborate_model::Timestamp>) -> String {
    t.map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "undated".into())
}

/// Renders one report.
pub fn render(r: &StoryReport, format: ReportFormat) -> String {
    match format {
        ReportFormat::Json => serde_json::to_string_pretty(r).unwrap_or_default(),
        ReportFormat::Text => text(r, false),
        ReportFormat::Markdown => text(r, true),
        ReportFormat::Html => html::story_document(r, &Default::default()),
    }
}

/// Each article's outlet label, looked up once per report (a scan of the
/// articles per carrier would cost carriers × articles).
type Names<'a> = std::collections::HashMap<&'a corroborate_model::ArticleId, String>;

fn outlet_names(r: &StoryReport) -> Names<'_> {
    r.articles
        .iter()
        .map(|a| {
            (
                &a.id,
                corroborate_model::outlet_label(a.outlet.as_deref(), &a.source),
            )
        })
        .collect()
}

fn outlet_of(names: &Names<'_>, id: &corroborate_model::ArticleId) -> String {
    names
        .get(id)
        .cloned()
        .unwrap_or_else(|| short(id.as_str()).to_string())
}

/// `1 article`, `2 articles`: `one` or `many` after the count.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A story's dates as a reader says them: one day, a range, or undated.
fn span_text(r: &StoryReport) -> String {
    match (&r.span.start, &r.span.end) {
        (None, None) => "undated".to_string(),
        (a, b) if format_day(a) == format_day(b) => format_day(a),
        (a, b) => format!("{} to {}", format_day(a), format_day(b)),
    }
}

/// Escapes article text for Markdown: every character that could start
/// markup inline (emphasis, code, links, autolinks, raw HTML, tables) gets
/// a backslash, so the text renders as written.
pub fn escape_markdown(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '!' | '#' | '&' | '~'
        ) {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

/// A source's URL after its title: an autolink in Markdown only when it is
/// http(s); any other scheme is shown as escaped text.
fn url_text(u: &str, md: bool) -> String {
    let web = u
        .split_once(':')
        .is_some_and(|(s, _)| matches!(s.to_ascii_lowercase().as_str(), "http" | "https"));
    if !md || (web && !u.contains(['<', '>', ' '])) {
        format!(" <{u}>")
    } else {
        format!(" ({})", escape_markdown(u))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fictional fire story (crates/model/testdata/report.json) cut to its first
    /// article, with a hostile title, summary, outlet and URL.
    fn report(title: &str, url: &str) -> StoryReport {
        let mut r: StoryReport =
            serde_json::from_str(include_str!("../../model/testdata/report.json"))
                .expect("fixture parses");
        r.articles.truncate(1);
        r.title = title.into();
        r.summary = "See <javascript:alert(1)> and [x](javascript:alert(2)) **now**".into();
        let a = &mut r.articles[0];
        a.outlet = Some("The *Courier*".into());
        a.url = Some(url.into());
        a.title = Some(title.into());
        r
    }

    #[test]
    fn an_article_without_an_outlet_is_named_by_its_file_in_sources_as_in_claims() {
        let mut r = report("Pier reopens", "https://example.org/pier");
        r.articles[0].outlet = None;
        r.articles[0].source = "feeds/harbour-desk.txt".into();
        let text = render(&r, ReportFormat::Text);
        let sources = text.split("Sources").nth(1).expect("a Sources section");
        assert!(sources.contains(" · harbour-desk.txt · "), "{text}");
        assert!(!sources.contains(" · ? · "), "{text}");
    }

    #[test]
    fn markdown_escapes_article_text_and_links_only_web_urls() {
        let md = render(
            &report("Pier <b>reopens</b>", "javascript:alert(document.domain)//"),
            ReportFormat::Markdown,
        );
        // Every `<` is escaped (no autolink, no raw HTML), and the page's
        // link syntax too.
        let bare = |c: char| {
            md.char_indices()
                .any(|(i, x)| x == c && !md[..i].ends_with('\\'))
        };
        assert!(!bare('<'), "{md}");
        assert!(md.contains("\\[x\\](javascript"), "{md}");
        assert!(md.contains("\\<b\\>reopens"), "{md}");
        assert!(md.contains("The \\*Courier\\*"), "{md}");
        let web = render(
            &report("Pier", "https://courier.example/pier"),
            ReportFormat::Markdown,
        );
        assert!(web.contains("<https://courier.example/pier>"), "{web}");
        // Plain text stays as written.
        let text = render(
            &report("Pier <b>reopens</b>", "https://x.example"),
            ReportFormat::Text,
        );
        assert!(text.contains("Pier <b>reopens</b>"), "{text}");
    }
}
