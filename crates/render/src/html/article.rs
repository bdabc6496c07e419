//! An article's page: its body with quotes, figures and dates marked, and
//! the lines removed as boilerplate.

use super::{truncate, url_markup};
use crate::format_day as day;
use corroborate_model::{Annotations, Timestamp};
use maud::{html, Markup};

/// What an article page shows.
#[derive(Debug, Clone, Copy)]
pub struct ArticleView<'a> {
    /// Headline.
    pub title: Option<&'a str>,
    /// Outlet or site.
    pub site: Option<&'a str>,
    /// Author line.
    pub author: Option<&'a str>,
    /// Publication time.
    pub published: &'a Option<Timestamp>,
    /// Stored address.
    pub url: Option<&'a str>,
    /// The story it belongs to, if placed.
    pub story: Option<&'a str>,
    /// The main text.
    pub text: &'a str,
    /// Its annotations (char offsets into `text`).
    pub annotations: &'a Annotations,
    /// Lines removed as page furniture.
    pub boilerplate: &'a [String],
}

/// The article page's body.
pub fn article_body(a: &ArticleView) -> Markup {
    let n = a.annotations;
    html! {
        nav.crumbs aria-label="Breadcrumb" {
            a href="/" { "Stories" }
            @if let Some(s) = a.story { " › " a href={ "/stories/" (s) } { "story " (s) } }
        }
        h1 { (a.title.unwrap_or("Untitled")) }
        p.meta {
            (a.site.unwrap_or("unknown outlet")) " · " (day(a.published))
            @if let Some(x) = a.author { " · " (x) }
            @if let Some(u) = a.url { " · " (url_markup(u)) }
        }
        p.legend {
            mark.quote { "direct quote" } " "
            mark.reported { "reported speech" } " "
            mark.figure { "figure" } " "
            mark.date { "date" }
            " · " (n.statements.len()) " statements, " (n.figures.len()) " figures, " (n.dates.len()) " dates"
        }
        article.body { (highlight(a.text, n)) }
        details.removed {
            summary { "Removed as boilerplate (" (a.boilerplate.len()) " lines)" }
            ul { @for l in a.boilerplate { li { (truncate(l, 300)) } } }
        }
    }
}

/// One marked span.
struct Tag {
    class: &'static str,
    id: Option<String>,
    title: String,
}

enum Node {
    Text(String),
    Mark(Tag, Vec<Node>),
}

/// The spans to mark, by start and then longest first.
fn spans(a: &Annotations) -> Vec<(usize, usize, Tag)> {
    let mut spans = Vec::new();
    for s in &a.statements {
        let who = s
            .speaker
            .as_ref()
            .map_or("unattributed", |x| x.name.as_str());
        let hedges: String = s.hedges.iter().map(|h| format!(" · {h}")).collect();
        let tag = Tag {
            class: if s.direct { "quote" } else { "reported" },
            id: Some(format!("s-{}", s.start)),
            title: format!("{who}{hedges}"),
        };
        spans.push((s.start, s.end, tag));
    }
    for f in &a.figures {
        let title = f.what.clone().or(f.unit.clone()).unwrap_or_default();
        let tag = Tag {
            class: "figure",
            id: None,
            title,
        };
        spans.push((f.start, f.end, tag));
    }
    for d in &a.dates {
        let tag = Tag {
            class: "date",
            id: None,
            title: d.value.clone(),
        };
        spans.push((d.start, d.end, tag));
    }
    spans.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)));
    spans
}

/// Highlights statements, figures and dates in `text` (char offsets),
/// keeping marks properly nested: a span that would cross another is
/// dropped.
pub fn highlight(text: &str, a: &Annotations) -> Markup {
    let chars: Vec<char> = text.chars().collect();
    let piece = |from: usize, to: usize| Node::Text(chars[from..to].iter().collect());
    // Open marks: their end, their tag, what they hold so far.
    let mut stack: Vec<(usize, Tag, Vec<Node>)> = Vec::new();
    let mut root: Vec<Node> = Vec::new();
    let mut pos = 0;
    let close =
        |stack: &mut Vec<(usize, Tag, Vec<Node>)>, root: &mut Vec<Node>, pos: &mut usize| {
            let (end, tag, mut kids) = stack.pop().expect("an open mark");
            kids.push(piece(*pos, end));
            *pos = end;
            let node = Node::Mark(tag, kids);
            match stack.last_mut() {
                Some(parent) => parent.2.push(node),
                None => root.push(node),
            }
        };
    for (start, end, tag) in spans(a) {
        if start >= end || end > chars.len() || start < pos {
            continue;
        }
        while stack.last().is_some_and(|top| top.0 <= start) {
            close(&mut stack, &mut root, &mut pos);
        }
        if stack.last().is_some_and(|top| end > top.0) {
            continue; // would cross the open span
        }
        let text = piece(pos, start);
        match stack.last_mut() {
            Some(parent) => parent.2.push(text),
            None => root.push(text),
        }
        pos = start;
        stack.push((end, tag, Vec::new()));
    }
    while !stack.is_empty() {
        close(&mut stack, &mut root, &mut pos);
    }
    root.push(piece(pos, chars.len()));
    render(&root)
}

fn render(nodes: &[Node]) -> Markup {
    html! {
        @for n in nodes {
            @match n {
                Node::Text(t) => (t),
                Node::Mark(tag, kids) => {
                    mark class=(tag.class) id=[tag.id.as_deref()] title=(tag.title) { (render(kids)) }
                }
            }
        }
    }
}
