//! Golden files: each page under `testdata/` (fictional pages written for
//! these tests: HTML with JSON-LD, a German blog with a comment form, a
//! French news page, text scraped from a page) is extracted and its
//! metadata, body and removed lines compared with the snapshot beside it
//! in `tests/snapshots/`. Review a change with `cargo insta review`.

use corroborate_extract::ArticleExtractor;
use corroborate_model::{Extractor, Format, Hints, RawDocument};
use std::fmt::Write as _;

/// The crawl time the pages are read at: dates after it are refused and
/// relative dates count back from it, so snapshots do not age.
const CRAWLED: &str = "2024-12-31T12:00:00Z";

fn render(path: &std::path::Path) -> String {
    let content = std::fs::read_to_string(path).expect("testdata page");
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some("html") => Format::Html,
        _ => Format::Text,
    };
    let raw = RawDocument::new(
        path.file_name().unwrap().to_string_lossy().as_ref(),
        format,
        content,
        Hints::default(),
    );
    let now = CRAWLED.parse().expect("crawl time");
    let a = ArticleExtractor::with_now(now)
        .extract(&raw)
        .expect("a small page is never refused");
    let mut out = String::new();
    let field = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    writeln!(out, "title: {}", field(&a.title)).unwrap();
    writeln!(out, "author: {}", field(&a.author)).unwrap();
    writeln!(out, "site: {}", field(&a.site)).unwrap();
    writeln!(out, "url: {}", field(&a.url)).unwrap();
    let published = a.published.map(|t| t.to_rfc3339());
    writeln!(out, "published: {}", field(&published)).unwrap();
    writeln!(out, "language: {}", field(&a.language)).unwrap();
    writeln!(out, "republished_from: {}", field(&a.republished_from)).unwrap();
    writeln!(out, "\n--- text\n{}", a.text).unwrap();
    writeln!(out, "\n--- removed").unwrap();
    for line in &a.boilerplate {
        writeln!(out, "{line}").unwrap();
    }
    out
}

#[test]
fn golden_pages() {
    insta::glob!("../testdata", "*.{html,txt}", |path| {
        insta::assert_snapshot!(render(path));
    });
}
