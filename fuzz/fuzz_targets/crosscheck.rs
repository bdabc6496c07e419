//! Claim, quantity, date and quote annotation never panics on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let published = chrono::DateTime::from_timestamp(1_734_400_000, 0);
    let _ = corroborate_crosscheck::annotate(&text, published);
});
