//! HTML extraction never panics, whatever the markup.
#![no_main]

use corroborate_extract::ArticleExtractor;
use corroborate_model::{Extractor, Format, Hints, RawDocument};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let page = String::from_utf8_lossy(data).into_owned();
    let raw = RawDocument::new("fuzz.html", Format::Html, page, Hints::default());
    let _ = ArticleExtractor::default().extract(&raw);
});
