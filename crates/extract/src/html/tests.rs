//! Tests of this module.
/// Extraction with the default budget; these pages are never refused.
fn run(html: &str, url: Option<&str>) -> Found {
    extract(
        html,
        url,
        chrono::Utc::now(),
        None,
        &Deadline::new(limits::DEFAULT_BUDGET),
    )
    .expect("a small page is never refused")
}

use super::*;

#[test]
fn metadata_and_body() {
    let html = r#"<!doctype html><html lang="en-GB"><head>
<title>Bridge reopens | The Valley Courier</title>
<meta property="og:site_name" content="The Valley Courier">
<meta name="author" content="Mira Olsen">
<meta property="article:published_time" content="2024-03-02T09:15:00+01:00">
<link rel="canonical" href="https://courier.example/news/bridge-reopens">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Bridge reopens after two years of repairs</h1>
<p>The old stone bridge over the Valley river reopened on Saturday after two years of repairs, the county council said.</p>
<p>Engineers replaced three of the five arches and reinforced the foundations, which had been undermined by floods in 2021.</p>
<p>“It is good to have the town joined up again,” said shop owner Lena Berg, whose business lost a third of its customers.</p>
</article>
<aside><h3>Related</h3><a href="/x">Five walks along the river</a></aside>
<footer>Copyright 2024 The Valley Courier. All rights reserved.</footer>
</body></html>"#;
    let f = run(html, None);
    assert_eq!(
        f.title.as_deref(),
        Some("Bridge reopens after two years of repairs")
    );
    assert_eq!(f.author.as_deref(), Some("Mira Olsen"));
    assert_eq!(f.site.as_deref(), Some("The Valley Courier"));
    assert_eq!(
        f.url.as_deref(),
        Some("https://courier.example/news/bridge-reopens")
    );
    assert_eq!(f.language.as_deref(), Some("en"));
    assert_eq!(
        f.published.unwrap().to_rfc3339(),
        "2024-03-02T09:15:00+00:00"
    );
    assert!(f.text.contains("reopened on Saturday"));
    assert!(f.text.contains("Lena Berg"));
    assert!(!f.text.contains("Five walks"));
    assert!(!f.text.contains("All rights reserved"));
}

#[test]
fn a_page_left_inside_an_unclosed_noscript_is_read() {
    // `<noscript><div>` never closes: the parser puts the whole page
    // inside the noscript element, which a browser still shows.
    let para = "The old stone bridge over the Valley river reopened on Saturday after two years of repairs, the county council said.";
    let more = "Engineers replaced three of the five arches and reinforced the foundations against the spring floods.";
    let html = format!(
        r#"<html><body><noscript><div id="nojs"></noscript><div id="page"><ul><li><a href="/">Home</a></li></ul><div><p>{para}</p><p>{more}</p></div></div></body></html>"#
    );
    let f = run(&html, None);
    assert!(f.text.contains("reopened on Saturday"), "{f:?}");
    // A small noscript notice is still furniture.
    let html = format!(
        r#"<html><body><noscript><p>Please enable JavaScript to view the comments.</p></noscript><article><p>{para}</p><p>{para}</p></article></body></html>"#
    );
    let f = run(&html, None);
    assert!(!f.text.contains("JavaScript"), "{f:?}");
}

#[test]
fn short_blocks_after_the_last_paragraph_are_the_pages() {
    let html = r#"<html><body><article><h1>Bridge reopens</h1>
<p>The old stone bridge over the Valley river reopened on Saturday after two years of repairs, the county council said.</p>
<p>Engineers replaced three of the five arches and reinforced the foundations.</p>
<p>Valley river</p><p>County council</p><p>Bridges</p>
</article></body></html>"#;
    let f = run(html, None);
    assert!(f.text.contains("reinforced the foundations"), "{}", f.text);
    assert!(!f.text.contains("Bridges"), "{}", f.text);
    assert!(f.boilerplate.iter().any(|b| b == "County council"));
}

#[test]
fn url_day_wins_only_where_the_stamp_can_be_that_local_day() {
    let page = |stamp: &str| {
        format!(
            r#"<html><head><meta property="article:published_time" content="{stamp}"></head>
<body><article><p>The council met on the harbour plan and voted to delay it by a year, officials said.</p></article></body></html>"#
        )
    };
    let url = Some("https://paper.example/2020/07/08/harbour-plan");
    let day = |stamp: &str| {
        run(&page(stamp), url)
            .published
            .map(|t| t.format("%Y-%m-%d").to_string())
    };
    // 03:00 UTC on the 9th is the evening of the 8th in the Americas.
    assert_eq!(day("2020-07-09T03:00:00Z").as_deref(), Some("2020-07-08"));
    // 10:04 UTC on the 9th is the 9th everywhere newsrooms are.
    assert_eq!(day("2020-07-09T10:04:00Z").as_deref(), Some("2020-07-09"));
}

#[test]
fn garbage_never_panics() {
    for s in [
        "",
        "<",
        "<html><body></body></html>",
        "<<<>>>&&&",
        "plain words only",
    ] {
        let _ = run(s, Some("not a url"));
    }
}
