//! Ingestion of unknown bytes (charset, JSONL, WARC, HTML, text) reports
//! or reads, never panics; every document read is extracted.
#![no_main]

use corroborate_extract::ArticleExtractor;
use corroborate_ingest::{IngestorBuilder, Kind};
use corroborate_model::Extractor;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let ingestor = IngestorBuilder::new().max_size(1 << 20).build();
    let extractor = ArticleExtractor::default();
    ingestor.read_bytes("fuzz", Kind::sniff(data), data, &mut |item| {
        if let Ok(doc) = item {
            let _ = extractor.extract(&doc);
        }
    });
});
