//! `cargo bench -p corroborate-engine`: throughput of each stage on the
//! bundled sample corpus (examples/), in memory, no store. Plain harness so
//! that it needs no extra dependency; prints median time per iteration and
//! documents per second. The end-to-end benchmark on real pages is
//! `cargo xtask bench-e2e` (see BENCHMARKS.md).

use corroborate_engine::{analyze_articles, extract_inputs};
use std::time::Instant;

fn median<F: FnMut()>(iters: usize, mut f: F) -> f64 {
    let mut t: Vec<f64> = (0..iters)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64()
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

fn main() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let articles = extract_inputs(std::slice::from_ref(&examples), u64::MAX, &mut |i| {
        panic!("{i}")
    });
    let n = articles.len() as f64;
    let extract = median(50, || {
        std::hint::black_box(extract_inputs(
            std::slice::from_ref(&examples),
            u64::MAX,
            &mut |_| {},
        ));
    });
    let analyze = median(50, || {
        std::hint::black_box(analyze_articles(&articles));
    });
    println!(
        "extract (read+decode+extract) examples/: {:.3} ms/iter, {:.0} docs/s",
        extract * 1e3,
        n / extract
    );
    println!(
        "analyze (dedup+cluster+crosscheck):      {:.3} ms/iter, {:.0} docs/s",
        analyze * 1e3,
        n / analyze
    );
}
