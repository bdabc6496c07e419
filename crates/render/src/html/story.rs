//! A story's page: summary, the claim × outlet matrix, figure charts, the
//! timeline, and the sources with copies folded under their original.

use super::chart::{chart, Sources};
use super::{outlet_name, truncate, url_markup, Target};
use crate::{format_day as day, format_number as num, timeline_label};
use corroborate_model::{ArticleId, ArticleRef, Claim, ClaimCarrier, StoryReport};
use maud::{html, Markup};
use std::collections::{HashMap, HashSet};

/// Above this many outlets the matrix shows the outlets that carry the most
/// claims and folds the rest into one "other outlets" column, which a
/// checkbox (keyboard reachable, no script needed) unfolds.
const SHOWN_OUTLETS: usize = 6;

/// Each article's outlet, looked up once per page.
type Outlets<'a> = HashMap<&'a ArticleId, String>;

/// A story's page body, naming related stories by their titles (id →
/// title; an id without one is shown as the id).
pub fn story_body(r: &StoryReport, titles: &HashMap<String, String>, t: Target) -> Markup {
    let outlets: Outlets = r.articles.iter().map(|a| (&a.id, outlet_name(a))).collect();
    let columns = matrix_columns(r, &outlets);
    let span = if r.span.start == r.span.end {
        day(&r.span.start)
    } else {
        format!("{} – {}", day(&r.span.start), day(&r.span.end))
    };
    html! {
        @if t.server() {
            nav.crumbs aria-label="Breadcrumb" { a href="/" { "Stories" } }
        }
        h1 { (r.title) }
        p.meta { (span) " · " (r.articles.len()) " articles · " (columns.len()) " outlets" }
        p.summary { (r.summary) }
        @if let Target::Server { tables } = t { (downloads(r, tables)) }
        (matrix(r, &outlets, &columns, t))
        (figures(r, &outlets))
        (timeline(r))
        (sources(r, t))
        (related(r, titles, t))
    }
}

/// Where a claim's carrier links: its sentence on the article page, or its
/// source in a standalone file.
fn carrier_href(t: Target, x: &ClaimCarrier) -> String {
    if t.server() {
        format!("/articles/{}#s-{}", x.article.as_str(), x.start)
    } else {
        format!("#a-{}", x.article.as_str())
    }
}

/// Links to the story's tables as CSV (and NDJSON), for a spreadsheet.
fn downloads(r: &StoryReport, tables: &[&str]) -> Markup {
    let id = r.id.as_str();
    html! {
        p.downloads {
            "Download tables (CSV): "
            @for (i, n) in tables.iter().enumerate() {
                @if i > 0 { " · " }
                a href={ "/api/stories/" (id) "/tables/" (n) ".csv" } download { (n) }
                " "
                a.alt href={ "/api/stories/" (id) "/tables/" (n) ".ndjson" } download
                    aria-label={ (n) " as NDJSON" } { "ndjson" }
            }
        }
    }
}

/// Matrix columns: outlets with at least one original article, those that
/// carry the most claims first (ties: the order they reported in).
fn matrix_columns(r: &StoryReport, outlets: &Outlets) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    for a in r.articles.iter().filter(|a| !is_copy(a)) {
        let o = outlets[&a.id].clone();
        if seen.insert(o.clone()) {
            columns.push(o);
        }
    }
    let mut carried: HashMap<&str, usize> = HashMap::new();
    for c in &r.claims {
        let mut here: Vec<&str> = c
            .carriers
            .iter()
            .filter_map(|x| outlets.get(&x.article).map(String::as_str))
            .collect();
        here.sort_unstable();
        here.dedup();
        for o in here {
            *carried.entry(o).or_default() += 1;
        }
    }
    let count = |c: &String| carried.get(c.as_str()).copied().unwrap_or(0);
    // A stable sort: ties keep the order they reported in.
    columns.sort_by_key(|c| std::cmp::Reverse(count(c)));
    columns
}

fn is_copy(a: &ArticleRef) -> bool {
    a.copy_of.as_ref().is_some_and(|c| c.article.is_some())
}

/// The claim × outlet matrix: one row per claim, one column per outlet
/// (see [`matrix_columns`] and [`SHOWN_OUTLETS`]).
fn matrix(r: &StoryReport, outlets: &Outlets, columns: &[String], t: Target) -> Markup {
    let folded = columns.len() > SHOWN_OUTLETS;
    let others = columns.len().saturating_sub(SHOWN_OUTLETS);
    html! {
        section #claims aria-labelledby="claims-h" {
            h2 #claims-h { "Claims " span.count { (r.claims.len()) } }
            @if r.claims.is_empty() {
                p { "No attributed claims found." }
            } @else {
                @if folded {
                    p.fold {
                        input #all-outlets type="checkbox";
                        label for="all-outlets" { "Show all " (columns.len()) " outlets" }
                        " "
                        span.meta { "(shown: the " (SHOWN_OUTLETS) " that carry the most claims; the other " (others) " are counted in one column)" }
                    }
                }
                div.scroll tabindex="0" role="region" aria-label="Claim by outlet matrix" {
                    table.matrix {
                        thead { tr {
                            th scope="col" { "Claim" }
                            th scope="col" { "Status" }
                            @for (i, c) in columns.iter().enumerate() {
                                th.outlet.minor[i >= SHOWN_OUTLETS] scope="col" { (c) }
                            }
                            @if folded { th.others scope="col" { "Other " (others) " outlets" } }
                        } }
                        tbody {
                            @for c in &r.claims { (claim_row(c, outlets, columns, t)) }
                        }
                    }
                }
                p.legend {
                    span.reports { "●" } " reports the claim (relays it as someone's) · "
                    span.asserts { "▲" } " asserts it · "
                    span.disputes { "✕" } " disputes it · ring: first to report · – does not carry it · hedges as each outlet worded them"
                }
            }
        }
    }
}

/// One row of the matrix.
fn claim_row(c: &Claim, outlets: &Outlets, columns: &[String], t: Target) -> Markup {
    let (cls, label) = status_label(c.status);
    let who = [
        c.speaker.clone(),
        Some(c.channel_phrase().trim().to_string()).filter(|x| !x.is_empty()),
        Some(c.date_phrase().trim().to_string()).filter(|x| !x.is_empty()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    // Carriers by outlet, grouped once (not a pass over the carriers per
    // column).
    let mut by_outlet: HashMap<&str, Vec<&ClaimCarrier>> = HashMap::new();
    for x in &c.carriers {
        if let Some(o) = outlets.get(&x.article) {
            by_outlet.entry(o.as_str()).or_default().push(x);
        }
    }
    let cells: Vec<Vec<&ClaimCarrier>> = columns
        .iter()
        .map(|col| by_outlet.remove(col.as_str()).unwrap_or_default())
        .collect();
    let others = cells
        .iter()
        .skip(SHOWN_OUTLETS)
        .filter(|h| !h.is_empty())
        .count();
    html! {
        tr id=(c.id) {
            th.claim scope="row" {
                a href=(carrier_href(t, &c.carriers[0])) { (truncate(&c.text, 220)) }
                div.who { (who) }
            }
            td { span.badge.(cls) { (label) } }
            @for (i, (col, here)) in columns.iter().zip(&cells).enumerate() {
                (cell(c, col, here, i >= SHOWN_OUTLETS, t))
            }
            @if columns.len() > SHOWN_OUTLETS {
                td.cell.others { (others) " of " (columns.len() - SHOWN_OUTLETS) }
            }
        }
    }
}

/// One outlet's cell in a claim's row.
fn cell(c: &Claim, col: &str, here: &[&ClaimCarrier], minor: bool, t: Target) -> Markup {
    if here.is_empty() {
        return html! { td.cell.no.minor[minor] { span aria-label="does not carry" { "–" } } };
    }
    let mut hedges: Vec<&str> = here
        .iter()
        .flat_map(|x| x.hedges.iter().map(String::as_str))
        .collect();
    hedges.dedup();
    let first = here.iter().any(|x| x.article == c.first_reported_by);
    let (mark, class, words) = stance_mark(here);
    html! {
        td.cell.yes.(class).first[first].minor[minor] title={ (col) ": " (words) } {
            a href=(carrier_href(t, here[0])) aria-label={ (col) ": " (words) } { (mark) }
            @if !hedges.is_empty() { span.hedge { (hedges.join(", ")) } }
        }
    }
}

/// A claim status's CSS class and words.
fn status_label(s: corroborate_model::ClaimStatus) -> (&'static str, &'static str) {
    use corroborate_model::ClaimStatus::*;
    match s {
        Confirmed => ("confirmed", "Confirmed"),
        AttributedOnly => ("attributed", "Attributed only"),
        Disputed => ("disputed", "Disputed"),
        Unattributed => ("unattributed", "Unattributed"),
        Contested => ("contested", "Contested"),
    }
}

/// How an outlet's carriers of one claim show in its cell: the strongest
/// stance among them (disputes, then asserts, then reports) as a mark, a
/// class and words for screen readers.
fn stance_mark(here: &[&ClaimCarrier]) -> (&'static str, &'static str, &'static str) {
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

/// Each figure group: its span in words, then its chart.
fn figures(r: &StoryReport, outlets: &Outlets) -> Markup {
    let src = Sources {
        outlets,
        copies: r
            .articles
            .iter()
            .filter(|a| is_copy(a))
            .map(|a| &a.id)
            .collect(),
    };
    html! {
        section #figures aria-labelledby="figures-h" {
            h2 #figures-h { "Figures " span.count { (r.figures.len()) } }
            @for g in &r.figures {
                figure.fig.disagree[g.disagree] {
                    figcaption {
                        strong { (g.what) @if let Some(u) = &g.unit { " (" (u) ")" } }
                        @if let Some(s) = g.span(num) { ": " (s) }
                        @if g.disagree { " " span.badge.disputed { "sources disagree" } }
                    }
                    (chart(g, &src))
                }
            }
        }
    }
}

fn timeline(r: &StoryReport) -> Markup {
    html! {
        section #timeline aria-labelledby="timeline-h" {
            h2 #timeline-h { "Timeline" }
            ol.timeline {
                @for t in &r.timeline {
                    li {
                        time datetime=(t.date) { (timeline_label(t)) }
                        @if t.inferred {
                            span.badge title="no article states this date: a relative or yearless date in an undated article, resolved against the story's date" { "inferred" }
                        }
                        span.event { (truncate(&t.event, 240)) }
                        span.n { (crate::plural(t.articles.len(), "article", "articles")) }
                    }
                }
            }
        }
    }
}

/// Sources, copies folded under their original.
fn sources(r: &StoryReport, t: Target) -> Markup {
    let mut copies: HashMap<&ArticleId, Vec<&ArticleRef>> = HashMap::new();
    for a in r.articles.iter().filter(|a| is_copy(a)) {
        if let Some(of) = a.copy_of.as_ref().and_then(|c| c.article.as_ref()) {
            copies.entry(of).or_default().push(a);
        }
    }
    html! {
        section #sources aria-labelledby="sources-h" {
            h2 #sources-h { "Sources" }
            ul.sources {
                @for a in r.articles.iter().filter(|a| !is_copy(a)) {
                    li id={ "a-" (a.id.as_str()) } {
                        (article_link(a, a.title.as_deref().unwrap_or(&a.source), t))
                        @if let Some(d) = a.copy_of.as_ref().and_then(|c| c.declared.as_deref()) {
                            " " span.badge.attributed { "republished from " (d) }
                        }
                        div.meta { (outlet_name(a)) " · " (day(&a.published)) }
                        @if let Some(own) = copies.get(&a.id) { (copy_list(own, t)) }
                    }
                }
            }
        }
    }
}

/// An article's link: its page on the server, its web address in a file.
fn article_link(a: &ArticleRef, text: &str, t: Target) -> Markup {
    html! {
        @if t.server() {
            a href={ "/articles/" (a.id.as_str()) } { (text) }
        } @else if let Some(u) = &a.url {
            (text) " " (url_markup(u))
        } @else {
            (text)
        }
    }
}

fn copy_list(own: &[&ArticleRef], t: Target) -> Markup {
    html! {
        details.copies {
            summary { (own.len()) (if own.len() == 1 { " copy" } else { " copies" }) }
            ul {
                @for c in own {
                    @let cp = c.copy_of.as_ref().expect("a copy");
                    li {
                        (article_link(c, &outlet_name(c), t))
                        " "
                        span.meta { (day(&c.published)) " · " (format!("{:.0}", cp.overlap * 100.0)) "% shared · " (cp.evidence.join(", ")) }
                    }
                }
            }
        }
    }
}

/// Related and merged stories.
fn related(r: &StoryReport, titles: &HashMap<String, String>, t: Target) -> Markup {
    html! {
        @if !r.related.is_empty() {
            section #related {
                h2 { "Related stories" }
                ul { @for rel in &r.related {
                    @let title = titles.get(rel.id.as_str()).map_or(rel.id.as_str(), String::as_str);
                    li {
                        @if t.server() { a href={ "/stories/" (rel.id.as_str()) } { (title) } } @else { (title) }
                        " " span.meta { (rel.reason) }
                    }
                } }
            }
        }
        @if !r.merged.is_empty() {
            section #merged {
                h2 { "Merged stories" }
                ul { @for m in &r.merged { li { (m.id.as_str()) " " span.meta { (m.reason) } } } }
            }
        }
    }
}
