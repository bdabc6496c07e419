//! Tests of the `dom` module.

use super::*;

/// Each entry of the class-token table matches a token built to its
/// shape, and layout names that merely contain a furniture word do not.
#[test]
fn furniture_class_table_matches_by_shape() {
    for w in corroborate_lexicon::words("mul", "furniture-classes") {
        let token = match (w.strip_prefix('*'), w.strip_suffix('*')) {
            (Some(inner), Some(_)) => format!("x{inner}y"),
            (Some(end), None) => format!("x{end}"),
            (None, Some(start)) => format!("{start}y"),
            (None, None) => w.to_string(),
        };
        assert!(furniture_token(&token), "{w}: {token}");
    }
    for layout in [
        "sticky-sidebar-relative",
        "hidden-xs",
        "documentcontent__sharingcontainer",
        "print-full",
        "main-content",
        "headline",
    ] {
        assert!(!furniture_token(layout), "{layout}");
    }
}

/// The body of `html` starts with its lead (`lead`), holds none of
/// `gone`, and both paragraphs of the marked body.
fn assert_lead(html: &str, lead: &str, gone: &[&str]) {
    let t = text_of(html);
    assert!(t.starts_with(lead), "{t}");
    for g in gone {
        assert!(!t.contains(g), "{g}: {t}");
    }
    assert_eq!(t.matches(PROSE).count(), 2);
}

fn text_of(html: &str) -> String {
    let doc = Document::from(html);
    extract(&doc, &text_lengths(&doc))
        .blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

const PROSE: &str = "The council voted on Tuesday to rebuild the harbour wall before winter, \
    after storms in March flooded twelve shops on the quay and closed the ferry for a week. \
    Work starts in September and should take four months, the harbour master told residents \
    at a meeting in the town hall, where several shop owners asked for compensation.";

#[test]
fn fixtures_are_long_enough_to_be_an_article() {
    // Two paragraphs of PROSE make an article in the tests below.
    assert!(2 * PROSE.len() >= MIN_CHARS && PROSE.len() < MIN_CHARS);
}

#[test]
fn marked_body_wins_over_a_larger_listing() {
    let html = format!(
        r#"<html><body>
        <div class="teasers"><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p></div>
        <div class="entry-content"><p>First paragraph. {PROSE}</p><p>Second paragraph. {PROSE}</p></div>
        </body></html>"#
    );
    let t = text_of(&html);
    assert!(t.starts_with("First paragraph."), "{t}");
    assert!(t.contains("Second paragraph."));
    assert_eq!(t.matches(PROSE).count(), 2);
}

#[test]
fn the_lead_between_headline_and_marked_body_is_kept() {
    let html = format!(
        r#"<html><body>
        <p class="promo">Read our other stories about the harbour and the ferry this week.</p>
        <article><header><h1>Harbour wall to be rebuilt</h1></header>
        <p class="chapo">The town will spend two million euros on the wall that failed in the March storms.</p>
        <div class="byline">By Mira Olsen</div>
        <div itemprop="articleBody"><p>{PROSE}</p><p>{PROSE}</p></div>
        </article></body></html>"#
    );
    assert_lead(
        &html,
        "The town will spend",
        &["other stories", "Mira Olsen"],
    );
}

#[test]
fn the_standfirst_below_the_headline_in_its_header_is_kept() {
    let html = format!(
        r#"<html><body><main>
        <header><span class="kicker">Harbour</span><h1>Harbour wall to be rebuilt</h1>
        <div class="teaser"><p>The town will spend two million euros on the wall that failed in the March storms.</p></div>
        <div class="author">By Mira Olsen, reporter on the coast for ten years and counting now.</div></header>
        <div itemprop="articleBody"><p>{PROSE}</p><p>{PROSE}</p></div>
        </main></body></html>"#
    );
    assert_lead(
        &html,
        "The town will spend",
        &["Mira Olsen", "Harbour wall"],
    );
}

#[test]
fn a_lead_named_by_the_markup_three_levels_up_is_kept() {
    // Bootstrap rows: the teaser and the body each sit two wrappers
    // deep; the teaser is one sentence without a full stop.
    let html = format!(
        r#"<html><body><div class="article">
        <div class="row"><div class="col"><div class="header"><h3 itemprop="headline">Harbour wall to be rebuilt</h3></div></div></div>
        <div class="row"><div class="col"><div class="teaser-text" itemprop="description"><p>What was rumoured for weeks is now confirmed by the town council</p></div></div></div>
        <div class="row"><div class="col"><div itemprop="articleBody"><p>{PROSE}</p><p>{PROSE}</p></div></div></div>
        </div></body></html>"#
    );
    assert_lead(&html, "What was rumoured", &[]);
}

#[test]
fn the_standfirst_in_a_page_header_far_above_the_body_is_kept() {
    let html = format!(
        r#"<html><body><div class="page">
        <header><h1>Harbour wall to be rebuilt</h1><div><p>The town will spend two million euros on the wall that failed in the March storms.</p></div></header>
        <aside><p>Our newsletter brings you the harbour news every single morning of the week.</p></aside>
        <main><div class="grid"><div class="col"><div itemprop="articleBody"><p>{PROSE}</p><p>{PROSE}</p></div></div></div></main>
        </div></body></html>"#
    );
    let t = text_of(&html);
    assert!(t.starts_with("The town will spend"), "{t}");
    assert!(!t.contains("newsletter"), "{t}");
}

#[test]
fn ruby_readings_are_not_text() {
    let para = "<p><ruby>子<rp>(</rp><rt>こ</rt><rp>)</rp></ruby>どもの<ruby>教育<rt>きょういく</rt></ruby>について、<ruby>市<rt>し</rt></ruby>は新しい計画を発表しました。港の近くに新しい学校を建てる予定です。</p>";
    let html = format!(
        "<html><body><article>{}</article></body></html>",
        para.repeat(8)
    );
    let t = text_of(&html);
    assert!(t.starts_with("子どもの教育について、市は"), "{t}");
    assert!(!t.contains("きょういく"), "{t}");
}

#[test]
fn furniture_inside_the_body_is_left_out() {
    let html = format!(
        r#"<html><body><article>
        <p>{PROSE}</p>
        <div class="share-buttons">Share this article on Facebook</div>
        <p style="display: none">Hidden teaser text</p>
        <ul><li><a href="/a">Five walks along the river</a></li><li><a href="/b">Ten best cafés</a></li></ul>
        <p>The new wall will be two metres higher, the <a href="/c">engineers' report</a> says, and will cost less than expected.</p>
        <p>{PROSE}</p>
        <div class="author-box">About the author: Mira writes about the coast.</div>
        <section id="comments"><p>Great article, thanks!</p></section>
        </article></body></html>"#
    );
    let t = text_of(&html);
    assert!(t.contains(PROSE));
    assert!(t.contains("engineers' report says"), "{t}");
    for gone in [
        "Share this",
        "Hidden teaser",
        "Five walks",
        "About the author",
        "Great article",
    ] {
        assert!(!t.contains(gone), "{gone} kept in {t}");
    }
}

#[test]
fn inline_elements_join_words_and_blocks_split_lines() {
    let html = format!(
        r#"<html><body><article><p>{PROSE} It was <b>very</b> <i>cold</i>, resi<span>dents</span> said.</p><h2>Costs</h2><p>{PROSE}</p></article></body></html>"#
    );
    let t = text_of(&html);
    assert!(t.contains("It was very cold, residents said."), "{t}");
    assert!(t.contains("\nCosts\n"), "{t}");
}

#[test]
fn nested_link_lists_and_their_titles_go() {
    // The inner list takes its title, which sits before the outer div:
    // a regression (the outer div's start index ran past the end).
    let html = format!(
        r#"<html><body><article><p>{PROSE}</p><h3>More on this</h3>
        <div><div><ul><li><a href="/1">One story</a></li><li><a href="/2">Another story</a></li></ul></div></div>
        <p>{PROSE}</p></article></body></html>"#
    );
    let t = text_of(&html);
    assert_eq!(t.matches(PROSE).count(), 2, "{t}");
    assert!(
        !t.contains("More on this") && !t.contains("One story"),
        "{t}"
    );
}

/// Random tag soup: nested and unclosed elements, furniture names,
/// links and lists, inline text split anywhere.
fn soup() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = prop_oneof![
        Just("<div>".to_string()),
        Just("</div>".to_string()),
        Just("<article>".to_string()),
        Just("</article>".to_string()),
        Just(r#"<div class="entry-content">"#.to_string()),
        Just(r#"<div class="share-bar sidebar">"#.to_string()),
        Just(r#"<section id="comments">"#.to_string()),
        Just("</section>".to_string()),
        Just("<ul><li><a href=x>".to_string()),
        Just("</a></li>".to_string()),
        Just("</ul>".to_string()),
        Just("<h3>".to_string()),
        Just("</h3>".to_string()),
        Just("<p>".to_string()),
        Just("</p>".to_string()),
        Just("<b>".to_string()),
        Just("</b>".to_string()),
        Just("<script>var x = 1;</script>".to_string()),
        Just(r#"<p hidden>"#.to_string()),
        Just("<br>".to_string()),
        "[a-z]{1,8}( [a-z]{1,8}){0,12}[.]? ?",
    ];
    proptest::collection::vec(piece, 0..80).prop_map(|v| v.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    /// Never panics, and never invents text: every word kept is in the
    /// page's text.
    #[test]
    fn blocks_come_from_the_page(body in soup()) {
        let html = format!("<html><body>{body}</body></html>");
        let doc = Document::from(html.as_str());
        let all: String = doc
            .select("body")
            .text()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let e = extract(&doc, &text_lengths(&doc));
        for b in &e.blocks {
            proptest::prop_assert!(b.link_chars <= b.text.len());
            for w in b.text.split_whitespace() {
                proptest::prop_assert!(all.contains(w), "{w:?} not in the page");
            }
        }
        clean_for_readability(&doc, &text_lengths(&doc));
    }
}

#[test]
fn too_little_text_under_a_marker_tries_the_next() {
    let html = format!(
        r#"<html><body><div class="entry-content"><p>Short.</p></div><main><p>{PROSE}</p><p>{PROSE}</p></main></body></html>"#
    );
    let doc = Document::from(html.as_str());
    let e = extract(&doc, &text_lengths(&doc));
    assert_eq!(e.rank, Some(4));
    let short = Document::from("<html><body><p>Too short</p></body></html>");
    assert!(extract(&short, &text_lengths(&short)).rank.is_none());
}

#[test]
fn cleaning_keeps_a_wrapper_that_holds_the_page() {
    let html = format!(
        r#"<html><body><form id="aspnetForm"><div class="content has-sidebar"><p>{PROSE}</p><p>{PROSE}</p></div>
        <div class="sidebar"><p>Other news</p></div></form></body></html>"#
    );
    let doc = Document::from(html.as_str());
    clean_for_readability(&doc, &text_lengths(&doc));
    let t = doc.select("body").text().to_string();
    assert!(t.contains(PROSE));
    assert!(!t.contains("Other news"));
}

/// `DOM_DEBUG=page.html cargo test -p corroborate-extract --release dom_debug -- --ignored --nocapture`
/// prints which body was chosen and its blocks.
#[cfg(test)]
#[test]
#[ignore]
fn dom_debug() {
    let Some(path) = std::env::var_os("DOM_DEBUG") else {
        return;
    };
    let html = std::fs::read_to_string(path).unwrap();
    let doc = Document::from(html.as_str());
    let e = extract(&doc, &text_lengths(&doc));
    println!("rank {:?}, {} chars", e.rank, e.chars());
    for b in &e.blocks {
        println!("[{}/{}] {}", b.link_chars, b.text.len(), b.text);
    }
    if std::env::var_os("DOM_DEBUG_PAGE").is_some() {
        println!(
            "--- page lines\n{}",
            page_lines(&Document::from(html.as_str()))
        );
    }
}
