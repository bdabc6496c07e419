//! Plain-text extraction never panics, whatever the lines.
#![no_main]

use corroborate_extract::ArticleExtractor;
use corroborate_model::{Extractor, Format, Hints, RawDocument};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let page = String::from_utf8_lossy(data).into_owned();
    let raw = RawDocument::new("fuzz.txt", Format::Text, page, Hints::default());
    let _ = ArticleExtractor::default().extract(&raw);
    // The classifier only sorts the input's lines: it invents none.
    let text = corroborate_extract::text::clean(&raw.content);
    assert!(text.paragraphs.len() + text.removed.len() <= raw.content.lines().count());
});
