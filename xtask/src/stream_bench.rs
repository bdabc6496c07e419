//! `cargo xtask bench-stream [--articles N]`: throughput of dedup and story
//! clustering together (the engine's [`StoryStream`], the code `analyze`
//! runs) on a stream of N full articles (default 100,000), issue 4.
//!
//! The stream is built from every real page in ../shared/bench
//! (extract-trafilatura and dates-htmldate, extracted here once, untimed)
//! plus the 120 MEANTIME articles, cycled with varied timestamps: cycle `c`
//! is dated `c × 3` days after the first plus 0–72 hours of jitter per
//! article, so the stream is only roughly in time order. Two streams:
//!
//! - **new-words**: from the second cycle on, each word of four letters or
//!   more is suffixed with the cycle number with probability 0.3 (a
//!   deterministic hash), so cycles are new articles on old subjects: no
//!   copies, every article goes through the full clustering path, and
//!   every cycle coins tens of thousands of new words (the vocabulary ends
//!   in the millions, far beyond a real stream's).
//! - **variants**: the same, but a rewritten word takes one of 8 suffixes,
//!   so the vocabulary stops growing (at about nine times the sources').
//! - **copies**: the cycles as they are, with the last paragraph dropped
//!   from odd cycles: a flood of identical and trimmed copies.
//!
//! Only `StoryStream::push` is timed. Per-article time is reported per
//! tenth of the stream so that growth with stream length shows; peak RSS is
//! the process's (the source texts included).

use anyhow::{bail, Result};
use corroborate_engine::StoryStream;
use corroborate_extract::ArticleExtractor;
use corroborate_model::{Article, ArticleId, Extractor, Format, Hints, RawDocument, Timestamp};
use std::path::Path;
use std::time::{Duration, Instant};

struct Source {
    title: String,
    text: String,
    /// As extraction found it (detected for MEANTIME's plain text).
    language: Option<String>,
}

fn sources(shared: &Path) -> Result<Vec<Source>> {
    let extractor = ArticleExtractor::default();
    let mut out = Vec::new();
    for set in ["extract-trafilatura", "dates-htmldate"] {
        let dir = shared.join("bench").join(set);
        let raw = std::fs::read_to_string(dir.join("cases.json"))?.replace(": NaN", ": null");
        let cases: Vec<serde_json::Value> = serde_json::from_str(&raw)?;
        for c in &cases {
            let html =
                crate::extract_bench::gunzip(&dir.join(c["file"].as_str().unwrap_or_default()))?;
            let hints = Hints {
                url: c["url"].as_str().map(str::to_string),
                ..Hints::default()
            };
            let Ok(a) = extractor.extract(&RawDocument::new("bench", Format::Html, html, hints))
            else {
                continue;
            };
            if !a.text.trim().is_empty() {
                out.push(Source {
                    title: a.title.unwrap_or_default(),
                    text: a.text,
                    language: a.language,
                });
            }
        }
    }
    let meantime = std::fs::read_to_string(shared.join("bench/meantime/articles.jsonl"))?;
    for line in meantime.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let text = v["text"].as_str().unwrap_or_default().to_string();
        out.push(Source {
            title: v["title"].as_str().unwrap_or_default().to_string(),
            language: corroborate_extract::detect_language(&text),
            text,
        });
    }
    Ok(out)
}

fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn hash(s: &str, salt: u64) -> u64 {
    s.bytes()
        .fold(mix(salt), |h, b| mix(h ^ u64::from(b)).rotate_left(5))
}

/// Suffixes about 30% of the longer words: with the cycle number when
/// `coin` (every cycle coins new words), else with one of 8 variants.
fn rewrite(text: &str, cycle: u64, coin: bool) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(word);
        if word.chars().count() > 3 && hash(word, cycle) % 10 < 3 {
            let variant = if coin {
                cycle
            } else {
                hash(word, cycle + 99) % 8
            };
            out.push_str(&format!("x{variant}"));
        }
        word.clear();
    };
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            word.push(ch);
        } else {
            flush(&mut word, &mut out);
            out.push(ch);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn drop_last_paragraph(text: &str) -> String {
    let text = text.trim_end();
    match text.rfind("\n\n") {
        Some(i) => text[..i].to_string(),
        None => text.to_string(),
    }
}

fn article(i: usize, s: &Source, title: String, text: String, time: Timestamp) -> Article {
    Article {
        id: ArticleId(format!("s{i}")),
        source: String::new(),
        url: None,
        title: Some(title),
        published: Some(time),
        author: None,
        site: None,
        language: s.language.clone(),
        text,
        republished_from: None,
        boilerplate: Vec::new(),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Runs each stream in its own process (so that each peak RSS is its own)
/// and prints the table.
pub fn run(shared: &Path, n: usize) -> Result<()> {
    if !shared.join("bench/meantime").is_dir() || !shared.join("bench/extract-trafilatura").is_dir()
    {
        bail!("../shared/bench is absent (pass --shared DIR)");
    }
    println!("| stream | articles/s (whole stream) | µs/article, first tenth | median tenth | last tenth | last/first | stories | copies | merges | peak RSS MiB |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for mode in ["new-words", "variants", "copies"] {
        let out = std::process::Command::new(std::env::current_exe()?)
            .args([
                "bench-stream-one",
                "--mode",
                mode,
                "--articles",
                &n.to_string(),
            ])
            .arg("--shared")
            .arg(shared)
            .stderr(std::process::Stdio::inherit())
            .output()?;
        if !out.status.success() {
            bail!("bench-stream-one --mode {mode} failed");
        }
        print!("{}", String::from_utf8_lossy(&out.stdout));
    }
    Ok(())
}

/// One stream, in this process: prints its table row.
pub fn one(shared: &Path, n: usize, mode: &str) -> Result<()> {
    let t = Instant::now();
    let src = sources(shared)?;
    let chars: usize = src.iter().map(|s| s.text.chars().count()).sum();
    eprintln!(
        "{} source articles ({} chars on average), extracted in {:.1} s; stream of {n} articles, {} cycles\n",
        src.len(),
        chars / src.len().max(1),
        t.elapsed().as_secs_f64(),
        n.div_ceil(src.len().max(1))
    );
    let base = chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")?.to_utc();
    {
        let mut stream = StoryStream::default();
        let (mut stories, mut copies, mut merges) = (0usize, 0usize, 0usize);
        let tenth = (n / 10).max(1);
        let mut spent = Duration::ZERO;
        let mut tenths: Vec<f64> = Vec::new();
        let mut in_tenth = Duration::ZERO;
        for i in 0..n {
            let (cycle, k) = ((i / src.len()) as u64, i % src.len());
            let s = &src[k];
            let (title, text) = match (mode, cycle) {
                (_, 0) => (s.title.clone(), s.text.clone()),
                ("new-words", c) => (rewrite(&s.title, c, true), rewrite(&s.text, c, true)),
                ("variants", c) => (rewrite(&s.title, c, false), rewrite(&s.text, c, false)),
                (_, c) if c % 2 == 1 => (s.title.clone(), drop_last_paragraph(&s.text)),
                _ => (s.title.clone(), s.text.clone()),
            };
            let jitter = mix(i as u64) % (72 * 60);
            let time = base
                + chrono::Duration::days(3 * cycle as i64)
                + chrono::Duration::minutes(jitter as i64);
            let a = article(i, s, title, text, time);
            let t = Instant::now();
            let p = stream.push(&a);
            let dt = t.elapsed();
            spent += dt;
            in_tenth += dt;
            stories = stories.max(p.story + 1);
            copies += usize::from(p.copy.is_some());
            merges += usize::from(p.merged.is_some());
            if (i + 1) % tenth == 0 {
                tenths.push(in_tenth.as_secs_f64() * 1e6 / tenth as f64);
                in_tenth = Duration::ZERO;
            }
        }
        let (first, last) = (tenths[0], tenths[tenths.len() - 1]);
        println!(
            "| {mode} | {:.0} | {first:.0} | {:.0} | {last:.0} | {:.2} | {stories} | {copies} | {merges} | {:.0} |",
            n as f64 / spent.as_secs_f64(),
            median(tenths.clone()),
            last / first,
            crate::peak_rss_kib() as f64 / 1024.0
        );
    }
    Ok(())
}
