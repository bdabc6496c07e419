//! Tests of the `ui` module.

use super::*;
use corroborate_model::{Annotations, DateMention, Figure};

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
    let html = highlight(text, &a);
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
    assert!(url_html("https://news.example/a?b=1&c=2")
        .contains("<a href=\"https://news.example/a?b=1&amp;c=2\""));
    for bad in [
        "javascript:alert(document.domain)//",
        " JavaScript:x",
        "data:text/html,<b>",
        "vbscript:x",
    ] {
        let h = url_html(bad);
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
