//! Structure-aware HTML: the fuzzer chooses a shape (nesting depth, runs of
//! one tag, attribute counts, text) rather than bytes, so it reaches the
//! pages that cost the most: 100,000 nested elements, a tag repeated
//! 50,000 times, an element with thousands of attributes, unclosed
//! paragraphs. Extraction must neither panic nor overflow the stack, and
//! libFuzzer's -timeout bounds the time each page may take.
#![no_main]

use arbitrary::Arbitrary;
use corroborate_extract::ArticleExtractor;
use corroborate_model::{Extractor, Format, Hints, RawDocument};
use libfuzzer_sys::fuzz_target;

const TAGS: &[&str] = &[
    "div", "p", "span", "a", "li", "ul", "table", "tr", "td", "article", "section", "b", "i",
    "script", "style", "noscript", "template", "svg", "math", "select", "option", "pre", "h1",
    "blockquote", "font", "frameset", "textarea", "title", "iframe", "form", "nav", "aside",
];

#[derive(Arbitrary, Debug)]
enum Piece {
    /// `depth` nested copies of a tag around the rest (closed or not).
    Nest { tag: u8, depth: u32, closed: bool },
    /// A tag repeated `count` times side by side.
    Run { tag: u8, count: u16, text: String },
    /// One element with many attributes.
    Attrs { tag: u8, count: u16, value: String },
    /// Text as given (may hold markup).
    Text(String),
    /// A stray end tag.
    End { tag: u8 },
}

#[derive(Arbitrary, Debug)]
struct Page {
    pieces: Vec<Piece>,
}

fn tag(i: u8) -> &'static str {
    TAGS[i as usize % TAGS.len()]
}

fn render(page: &Page) -> String {
    let mut open = String::new();
    let mut close = Vec::new();
    for p in page.pieces.iter().take(16) {
        match p {
            Piece::Nest { tag: t, depth, closed } => {
                let (t, d) = (tag(*t), (*depth % 120_000) as usize);
                open.push_str(&format!("<{t}>").repeat(d));
                if *closed {
                    close.push(format!("</{t}>").repeat(d));
                }
            }
            Piece::Run { tag: t, count, text } => {
                let t = tag(*t);
                let one = format!("<{t}>{}</{t}>", text.chars().take(40).collect::<String>());
                open.push_str(&one.repeat((*count as usize) % 60_000));
            }
            Piece::Attrs { tag: t, count, value } => {
                let t = tag(*t);
                open.push_str(&format!("<{t}"));
                let v: String = value.chars().take(20).collect();
                for i in 0..(*count as usize % 20_000) {
                    open.push_str(&format!(" a{i}=\"{v}\""));
                }
                open.push('>');
            }
            Piece::Text(s) => open.push_str(s),
            Piece::End { tag: t } => open.push_str(&format!("</{}>", tag(*t))),
        }
    }
    close.reverse();
    format!("<html><body>{open}{}</body></html>", close.concat())
}

fuzz_target!(|page: Page| {
    let html = render(&page);
    let raw = RawDocument::new("fuzz.html", Format::Html, html, Hints::default());
    let _ = ArticleExtractor::default().extract(&raw);
});
