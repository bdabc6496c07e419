//! `cargo xtask bench-hostile [--articles N,N,...]`: the cost of the worst
//! input, in three tables for BENCHMARKS.md.
//!
//! 1. Extraction of hostile pages made here (deep nesting, a page over the
//!    element limit, thousands of attributes, long runs of one tag): median
//!    of 5 runs each, and what came out (text bytes or the refusal).
//! 2. Analysis (dedup, clustering, cross-checking, reports) of one story of
//!    N near-identical articles (paragraphs shuffled, a word changed), the
//!    shape that was quadratic: time per article at each N and its ratio to
//!    the smallest N.
//! 3. The slowest documents of the fuzz corpus (`fuzz/corpus/extract_html`,
//!    after `cargo xtask fuzz`): count, median, p99 and max per document.

use anyhow::Result;
use corroborate_extract::ArticleExtractor;
use corroborate_model::{Article, Extractor, Format, Hints, RawDocument};
use std::path::Path;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn hostile_pages() -> Vec<(String, String)> {
    let nested = |d: usize| {
        format!(
            "<html><body>{}Deep text.{}</body></html>",
            "<div>".repeat(d),
            "</div>".repeat(d)
        )
    };
    let mut pages: Vec<(String, String)> = [1_000, 5_000, 20_000, 100_000]
        .into_iter()
        .map(|d| {
            (
                format!("{d} nested <div> ({} KB)", nested(d).len() / 1000),
                nested(d),
            )
        })
        .collect();
    let wide = format!("<html><body>{}</body></html>", "<i>x</i>".repeat(210_000));
    pages.push((format!("210,000 <i> ({} KB)", wide.len() / 1000), wide));
    let attrs: String = (0..20_000).map(|i| format!(" a{i}=\"v\"")).collect();
    let attrs = format!("<html><body><p{attrs}>Text with attributes.</p></body></html>");
    pages.push((
        format!("20,000 attributes ({} KB)", attrs.len() / 1000),
        attrs,
    ));
    let run = format!("<html><body>{}</body></html>", "<p>para ".repeat(50_000));
    pages.push((
        format!("50,000 unclosed <p> ({} KB)", run.len() / 1000),
        run,
    ));
    let tables = format!(
        "<html><body>{}x</body></html>",
        "<table><tr><td>".repeat(20_000)
    );
    pages.push((
        format!("20,000 nested tables ({} KB)", tables.len() / 1000),
        tables,
    ));
    pages
}

fn extraction_table() {
    let extractor = ArticleExtractor::default();
    println!("| page | median ms (5 runs) | result |");
    println!("|---|---|---|");
    for (name, html) in hostile_pages() {
        let doc = RawDocument::new("bench.html", Format::Html, html, Hints::default());
        let mut times = Vec::new();
        let mut outcome = String::new();
        for _ in 0..5 {
            let t = Instant::now();
            let r = extractor.extract(&doc);
            times.push(t.elapsed());
            outcome = match r {
                Ok(a) => format!("{} bytes of text", a.text.len()),
                Err(e) => format!("refused: {}", e.code()),
            };
        }
        println!(
            "| {name} | {:.1} | {outcome} |",
            median(times).as_secs_f64() * 1e3
        );
    }
}

/// `n` near-identical articles of one fictional story.
fn story(n: usize) -> Vec<Article> {
    const PARAS: &[&str] = &[
        "Flooding closed the main ferry pier in Norhaven on Sunday after the river rose four metres overnight, harbour officials said.",
        "\"We have never seen water this high in March,\" said harbour master Elin Vasko, who ordered the pier shut at dawn.",
        "About 1,200 residents were evacuated from the lower town, according to the regional council, while volunteers said more than 1,500 had left.",
        "The regional weather office said the rain would ease by Tuesday but warned that the river could rise again later in the week.",
        "Ferry operator Bluewake said it had cancelled all crossings until Wednesday and would refund tickets.",
        "Police said two people were taken to hospital with minor injuries after their car was swept off a road near the pier.",
        "Mayor Tomas Reyl told reporters the town would ask the national government for emergency funds.",
        "The council said shelters at the sports hall and two schools had room for 900 people.",
    ];
    const WORDS: &[&str] = &["quickly", "again", "also", "later", "early", "overnight"];
    let mut state = 7u64;
    let mut next = move |m: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % m
    };
    let extractor = ArticleExtractor::default();
    (0..n)
        .map(|i| {
            let mut ps: Vec<String> = PARAS.iter().map(|p| p.to_string()).collect();
            for k in (1..ps.len()).rev() {
                ps.swap(k, next(k + 1));
            }
            let j = next(ps.len());
            ps[j] = ps[j].replacen(" said", &format!(" said {}", WORDS[next(WORDS.len())]), 1);
            let text = format!(
                "Floods shut Norhaven ferry pier\n\n{}\n\nReport {i}.\n",
                ps.join("\n\n")
            );
            let doc = RawDocument::new(format!("{i:05}.txt"), Format::Text, text, Hints::default());
            extractor
                .extract(&doc)
                .expect("a short text is never refused")
        })
        .collect()
}

fn story_table(sizes: &[usize]) {
    println!(
        "\n| articles in one story | analysis s | µs per article | per-article ratio to {} |",
        sizes[0]
    );
    println!("|---|---|---|---|");
    let mut base = None;
    for &n in sizes {
        let articles = story(n);
        let t = Instant::now();
        let reports = corroborate_engine::analyze_articles(&articles);
        let s = t.elapsed().as_secs_f64();
        let per = s * 1e6 / n as f64;
        let b = *base.get_or_insert(per);
        let biggest = reports.iter().map(|r| r.articles.len()).max().unwrap_or(0);
        println!(
            "| {n} (largest story {biggest}) | {s:.2} | {per:.0} | {:.2} |",
            per / b
        );
    }
}

fn fuzz_corpus_table(root: &Path) -> Result<()> {
    let dir = root.join("fuzz/corpus/extract_html");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!(
            "\n(no fuzz corpus at {}: run `cargo xtask fuzz extract_html` first)",
            dir.display()
        );
        return Ok(());
    };
    let extractor = ArticleExtractor::default();
    let mut times: Vec<(Duration, String, usize)> = Vec::new();
    for e in entries {
        let path = e?.path();
        let bytes = std::fs::read(&path)?;
        let page = String::from_utf8_lossy(&bytes).into_owned();
        let doc = RawDocument::new("fuzz.html", Format::Html, page, Hints::default());
        let t = Instant::now();
        let _ = extractor.extract(&doc);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        times.push((t.elapsed(), name, bytes.len()));
    }
    if times.is_empty() {
        return Ok(());
    }
    times.sort();
    let at = |q: f64| {
        times[((times.len() - 1) as f64 * q) as usize]
            .0
            .as_secs_f64()
            * 1e3
    };
    let (max, name, size) = times.last().cloned().unwrap_or_default();
    println!("\n| fuzz corpus (extract_html) | documents | median ms | p99 ms | max ms (document, bytes) |");
    println!("|---|---|---|---|---|");
    println!(
        "| {} | {} | {:.2} | {:.2} | {:.1} ({name}, {size}) |",
        dir.display(),
        times.len(),
        at(0.5),
        at(0.99),
        max.as_secs_f64() * 1e3
    );
    Ok(())
}

pub fn run(root: &Path, sizes: &[usize]) -> Result<()> {
    extraction_table();
    story_table(sizes);
    fuzz_corpus_table(root)?;
    println!(
        "\npeak RSS of this run: {} MiB",
        crate::peak_rss_kib() / 1024
    );
    Ok(())
}
