//! Tests of the HTML templates.

use super::*;
use crate::format_number as num;
use corroborate_model::{Annotations, DateMention, Figure, StoryReport};

#[test]
fn highlights_nest_and_escape() {
    let text = "Ana said “<b>About 3,000</b> homes” on Monday.";
    let n = text.chars().count();
    let start = text.chars().position(|c| c == '<').unwrap();
    let a = Annotations {
        statements: vec![corroborate_model::Statement {
            start,
            end: n - 12,
            text: String::new(),
            direct: true,
            speaker: None,
            cue: None,
            channel: None,
            date: None,
            hedges: vec![],
            continues: false,
        }],
        figures: vec![Figure {
            start: start + 3,
            end: start + 14,
            text: String::new(),
            value: 3000.0,
            low: None,
            high: None,
            ..Figure::default()
        }],
        dates: vec![DateMention {
            start: n - 10,
            end: n - 1,
            text: String::new(),
            value: "2025-03-10".into(),
        }],
    };
    let html = highlight(text, &a).into_string();
    assert!(!html.contains("<b>"), "text is escaped: {html}");
    assert_eq!(html.matches("<mark").count(), 3, "{html}");
    assert_eq!(html.matches("</mark>").count(), 3);
    let q = html.find("class=\"quote\"").unwrap();
    let f = html.find("class=\"figure\"").unwrap();
    let close = html.find("</mark>").unwrap();
    assert!(q < f && f < close, "figure nested inside the quote: {html}");
}

#[test]
fn only_web_urls_become_links() {
    assert!(url_markup("https://news.example/a?b=1&c=2")
        .into_string()
        .contains("<a href=\"https://news.example/a?b=1&amp;c=2\""));
    for bad in [
        "javascript:alert(document.domain)//",
        " JavaScript:x",
        "data:text/html,<b>",
        "vbscript:x",
    ] {
        let h = url_markup(bad).into_string();
        assert!(!h.contains("<a "), "{h}");
        assert!(!h.contains("<b>"), "{h}");
    }
}

#[test]
fn numbers_read_well() {
    assert_eq!(num(12100.000000001), "12,100");
    assert_eq!(num(1.5), "1.5");
    assert_eq!(num(-2000.0), "-2,000");
}

/// The fictional fire story (crates/model/testdata/report.json) with a
/// hostile title, summary and outlet.
fn hostile_report() -> StoryReport {
    let mut r: StoryReport =
        serde_json::from_str(include_str!("../../../model/testdata/report.json"))
            .expect("fixture parses");
    r.title = "Pier <script>alert(1)</script> reopens".into();
    r.summary = "A \"quoted\" & <b>bold</b> summary".into();
    r.articles[0].outlet = Some("The <i>Courier</i>".into());
    r.articles[0].url = Some("javascript:alert(document.domain)//".into());
    r
}

#[test]
fn story_pages_escape_every_value() {
    let r = hostile_report();
    let tables = ["claims", "figures"];
    for html in [
        story_document(&r, &Default::default()),
        page(
            &r.title,
            "<q>",
            story_body(&r, &Default::default(), Target::Server { tables: &tables }),
        ),
    ] {
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(!html.contains("<b>bold"), "{html}");
        assert!(!html.contains("<i>Courier"), "{html}");
        assert!(!html.contains("href=\"javascript:"), "{html}");
        assert!(html.contains("Pier &lt;script&gt;"), "{html}");
        assert_eq!(html.matches("<table class=\"matrix\">").count(), 1);
        assert_eq!(html.matches("<tr id=").count(), r.claims.len());
    }
}

#[test]
fn the_standalone_report_links_inside_itself() {
    let r = hostile_report();
    let html = story_document(&r, &Default::default());
    assert!(!html.contains("<script"), "no script in a file");
    assert!(!html.contains("href=\"/"), "no server links in a file");
    assert!(html.contains("<style>"), "styles inlined");
    // Every claim links to a source listed in the same file.
    for c in &r.claims {
        let anchor = format!("#a-{}", c.carriers[0].article.as_str());
        assert!(html.contains(&format!("href=\"{anchor}\"")), "{anchor}");
        assert!(
            html.contains(&format!("id=\"{}\"", &anchor[1..])),
            "{anchor}"
        );
    }
}

#[test]
fn the_server_story_page_offers_its_tables() {
    let r = hostile_report();
    let tables = ["claims", "figures"];
    let html =
        story_body(&r, &Default::default(), Target::Server { tables: &tables }).into_string();
    let csv = format!("/api/stories/{}/tables/figures.csv", r.id.as_str());
    assert!(html.contains(&csv), "{html}");
    assert!(html.contains(&format!(
        "/articles/{}#s-",
        r.claims[0].carriers[0].article.as_str()
    )));
}

#[test]
fn highlight_keeps_text_whole() {
    let text = "Plain & simple <text>, no marks.";
    let a = Annotations::default();
    assert_eq!(
        highlight(text, &a).into_string(),
        "Plain &amp; simple &lt;text&gt;, no marks."
    );
}
