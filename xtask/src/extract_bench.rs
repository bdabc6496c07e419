//! `cargo xtask bench-extract`: extraction quality and speed against the
//! peers, on the same pages, in the same run (issue 3).
//!
//! - ../shared/bench/extract-trafilatura: main text from HTML, scored as the
//!   trafilatura project scores it (snippets that must / must not appear);
//!   trafilatura 2.2.0 runs on the same pages.
//! - The same pages as plain text (inscriptis renders each page as a text
//!   browser would), cleaned by our text extractor; "keep every line" is the
//!   floor.
//! - ../shared/bench/dates-htmldate: publication date accuracy; htmldate
//!   (extensive mode) runs on the same pages.
//! - Speed: extraction only, pages in memory, one thread; peak RSS.
//!
//! Peers run in a throwaway virtualenv under target/bench-venv, created here
//! from PyPI ([`PEERS`]); pass --no-peers to skip them.

use anyhow::{bail, Result};
use corroborate_extract::ArticleExtractor;
use corroborate_model::{Extractor, Format, Hints, RawDocument};
use serde_json::Value;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

mod dates;
use dates::{dates_section, unlabeled_dates};

/// Peer packages, pinned where the issue names a version.
const PEERS: &[&str] = &[
    "trafilatura==2.2.0",
    "lxml_html_clean",
    "htmldate",
    "inscriptis",
];

#[derive(Default, Debug, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
    tn: usize,
    empty: usize,
}

impl Counts {
    fn p(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
    fn r(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.p(), self.r());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn acc(&self) -> f64 {
        (self.tp + self.tn) as f64 / (self.tp + self.tn + self.fp + self.fn_).max(1) as f64
    }
    fn row(&self, name: &str) -> String {
        format!(
            "| {name} | {:.3} | {:.3} | {:.3} | {:.3} | {} |",
            self.p(),
            self.r(),
            self.f1(),
            self.acc(),
            self.empty
        )
    }
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn score(cases: &[Value], outputs: &HashMap<String, String>) -> Counts {
    let mut c = Counts::default();
    for case in cases {
        let id = case["id"].as_str().unwrap_or_default();
        let text = norm(outputs.get(id).map(String::as_str).unwrap_or(""));
        if text.is_empty() {
            c.empty += 1;
        }
        for w in case["with"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !text.is_empty() && text.contains(&norm(w)) {
                c.tp += 1;
            } else {
                c.fn_ += 1;
            }
        }
        for w in case["without"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !text.is_empty() && text.contains(&norm(w)) {
                c.fp += 1;
            } else {
                c.tn += 1;
            }
        }
    }
    c
}

pub(crate) fn gunzip(path: &Path) -> Result<String> {
    let raw = std::fs::read(path)?;
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(&raw[..]).read_to_end(&mut out)?;
    // The same decoding as ingestion (HTTP charset absent: <meta>, BOM, UTF-8, detection).
    Ok(corroborate_ingest::decode(&out, Format::Html, None)
        .unwrap_or_else(|_| String::from_utf8_lossy(&out).into_owned()))
}

fn load(dir: &Path) -> Result<(Vec<Value>, Vec<String>)> {
    // The dates set writes NaN (Python's JSON) for pages with no known date.
    let raw = std::fs::read_to_string(dir.join("cases.json"))?.replace(": NaN", ": null");
    let cases: Vec<Value> = serde_json::from_str(&raw)?;
    let pages = cases
        .iter()
        .map(|c| gunzip(&dir.join(c["file"].as_str().unwrap_or_default())))
        .collect::<Result<_>>()?;
    Ok((cases, pages))
}

fn venv(root: &Path) -> Result<PathBuf> {
    let dir = root.join("target/bench-venv");
    let py = dir.join("bin/python");
    if !py.exists() {
        eprintln!("creating {} with {}", dir.display(), PEERS.join(" "));
        let ok = std::process::Command::new("python3")
            .args(["-m", "venv"])
            .arg(&dir)
            .status()?
            .success();
        if !ok {
            bail!("python3 -m venv failed");
        }
    }
    let ok = std::process::Command::new(dir.join("bin/pip"))
        .args(["install", "-q"])
        .args(PEERS)
        .status()?
        .success();
    if !ok {
        bail!("pip install {} failed", PEERS.join(" "));
    }
    Ok(py)
}

fn peer(py: &Path, script: &Path, dir: &Path, mode: &str) -> Result<Vec<Value>> {
    let out = tempfile::NamedTempFile::new()?;
    let t = Instant::now();
    let ok = std::process::Command::new(py)
        .arg(script)
        .arg(dir.join("cases.json"))
        .arg(dir)
        .arg(mode)
        .arg(out.path())
        .status()?
        .success();
    if !ok {
        bail!("peer run {mode} failed");
    }
    eprintln!("peer {mode}: {:.1} s", t.elapsed().as_secs_f64());
    read_jsonl(out.path())
}

/// One JSON value per line.
fn read_jsonl(path: &Path) -> Result<Vec<Value>> {
    Ok(std::fs::read_to_string(path)?
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?)
}

/// When the environment variable `var` names a file, writes `texts` there
/// as JSON lines (`id`, `text`), in the order of `cases`.
fn dump_texts(var: &str, cases: &[Value], texts: &HashMap<String, String>) -> Result<()> {
    let Some(path) = std::env::var_os(var) else {
        return Ok(());
    };
    let mut out = String::new();
    for case in cases {
        let id = case["id"].as_str().unwrap_or_default();
        out.push_str(&serde_json::json!({"id": id, "text": texts.get(id)}).to_string());
        out.push('\n');
    }
    std::fs::write(path, out)?;
    Ok(())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Outlet templates on and off: the pages stored through the engine (an
/// in-memory store, one batch, so each site's pages learn from each
/// other), scored by site group. A site needs 5 pages or more before a
/// template can form.
fn templates_on_off(cases: &[Value], docs: &[RawDocument]) -> Result<()> {
    let texts = |on: bool| -> Result<HashMap<String, String>> {
        let mut engine = corroborate_engine::Engine::with_config(
            Box::new(corroborate_store::Store::open_in_memory()?),
            corroborate_engine::EngineConfig {
                outlet_templates: on,
                ..Default::default()
            },
        )?;
        engine.ingest_documents(docs.to_vec())?;
        let by_doc: HashMap<String, String> = engine
            .store()
            .articles()?
            .into_iter()
            .map(|a| (a.article.id.0, a.article.text))
            .collect();
        Ok(cases
            .iter()
            .zip(docs)
            .map(|(c, d)| {
                let text = by_doc.get(d.id.as_str()).cloned().unwrap_or_default();
                (c["id"].as_str().unwrap_or_default().to_string(), text)
            })
            .collect())
    };
    let (off, on) = (texts(false)?, texts(true)?);
    let site = |c: &Value| {
        let url = c["url"].as_str().unwrap_or_default();
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        rest.split('/')
            .next()
            .unwrap_or_default()
            .trim_start_matches("www.")
            .to_string()
    };
    let mut pages_of: HashMap<String, usize> = HashMap::new();
    for c in cases {
        *pages_of.entry(site(c)).or_default() += 1;
    }
    println!("\n### Outlet templates on / off (HTML pages grouped by site)\n\n| site group | sites | pages | F1 off | F1 on | precision off | precision on |\n|---|---|---|---|---|---|---|");
    for (name, pages) in [
        ("5 pages or more", 5..usize::MAX),
        ("2-4 pages", 2..5),
        ("one page", 1..2),
    ] {
        let keep = |n: usize| pages.contains(&n);
        let group: Vec<Value> = cases
            .iter()
            .filter(|c| keep(pages_of[&site(c)]))
            .cloned()
            .collect();
        let sites = pages_of.values().filter(|n| keep(**n)).count();
        let (a, b) = (score(&group, &off), score(&group, &on));
        println!(
            "| {name} | {sites} | {} | {:.3} | {:.3} | {:.3} | {:.3} |",
            group.len(),
            a.f1(),
            b.f1(),
            a.p(),
            b.p()
        );
    }
    Ok(())
}

/// A bench page as a document, with its URL as the hint.
fn html_doc(case: &Value, html: &str) -> RawDocument {
    let hints = Hints {
        url: case["url"].as_str().map(str::to_string),
        ..Hints::default()
    };
    RawDocument::new("bench", Format::Html, html.to_string(), hints)
}

/// Extraction speed over documents in memory, one thread: the first pass
/// (which pays for start-up: compiling the phrase automata, building
/// their lazy DFA states) and the passes after it (steady state).
struct Speed {
    first_mean: f64,
    first_median: f64,
    mean: f64,
    median: f64,
}

/// Times `extract` over `docs`: one first pass, then `passes` more.
/// The article, or an empty one where extraction refused the page (over a
/// work limit): scored as finding nothing, as a user would see it.
fn extract_or_empty(extractor: &ArticleExtractor, doc: &RawDocument) -> corroborate_model::Article {
    extractor.extract(doc).unwrap_or_else(|e| {
        eprintln!("{}: {e}", doc.source);
        corroborate_model::Article::bare(doc.id.clone(), doc.source.clone(), "")
    })
}

fn speed(extractor: &ArticleExtractor, docs: &[RawDocument], passes: usize) -> Speed {
    let time = |doc: &RawDocument| {
        let s = Instant::now();
        let _ = std::hint::black_box(extractor.extract(doc));
        s.elapsed().as_secs_f64()
    };
    let first: Vec<f64> = docs.iter().map(time).collect();
    let after: Vec<f64> = (0..passes).flat_map(|_| docs.iter().map(time)).collect();
    let rate = |t: &[f64]| t.len() as f64 / t.iter().sum::<f64>();
    Speed {
        first_mean: rate(&first),
        first_median: 1.0 / median(first.clone()),
        mean: rate(&after),
        median: 1.0 / median(after),
    }
}

impl std::fmt::Display for Speed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.0} (mean), {:.0} (1 / median); first pass, with start-up: {:.0} (mean), {:.0} (1 / median)",
            self.mean, self.median, self.first_mean, self.first_median
        )
    }
}

pub fn run(shared: &Path, root: &Path, peers: bool) -> Result<()> {
    let main_dir = shared.join("bench/extract-trafilatura");
    let dates_dir = shared.join("bench/dates-htmldate");
    if !main_dir.is_dir() || !dates_dir.is_dir() {
        bail!(
            "{} or {} is absent (pass --shared DIR)",
            main_dir.display(),
            dates_dir.display()
        );
    }
    let (cases, pages) = load(&main_dir)?;
    let extractor = ArticleExtractor::with_now(chrono::Utc::now());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "## Extraction benchmark ({} pages, {cores} cores, one thread used)\n",
        pages.len()
    );
    let peers_script = root.join("xtask/peers/extract_peers.py");
    let py = if peers { Some(venv(root)?) } else { None };
    let peer = |dir: &Path, mode: &str| match &py {
        Some(py) => peer(py, &peers_script, dir, mode).map(Some),
        None => Ok(None),
    };
    // Ours, HTML: extraction only, pages in memory, one thread.
    let docs: Vec<RawDocument> = cases
        .iter()
        .zip(&pages)
        .map(|(case, html)| html_doc(case, html))
        .collect();
    let html_speed = speed(&extractor, &docs, 2);
    // One extraction of every page serves the text, language and date
    // sections alike.
    let articles: Vec<corroborate_model::Article> = docs
        .iter()
        .map(|doc| extract_or_empty(&extractor, doc))
        .collect();
    let langs: HashMap<String, String> = cases
        .iter()
        .zip(&articles)
        .map(|(case, a)| {
            (
                case["id"].as_str().unwrap_or_default().to_string(),
                a.language.clone().unwrap_or_else(|| "?".into()),
            )
        })
        .collect();
    let peer_speed = html_section(&cases, &articles, &langs, peer(&main_dir, "trafilatura")?)?;
    templates_on_off(&cases, &docs)?;
    // Plain text: the pages as a text browser shows them. BENCH_TEXT=FILE
    // reads a rendering made earlier (the peer script's `text` mode), so the
    // text path can be scored with --no-peers.
    let text_rows = match std::env::var_os("BENCH_TEXT") {
        Some(file) => Some(read_jsonl(Path::new(&file))?),
        None => peer(&main_dir, "text")?,
    };
    if let Some(rows) = text_rows {
        text_section(&extractor, &cases, &langs, &rows)?;
    }
    println!(
        "\n### Speed (HTML, extraction only, one thread)\n\n| system | pages/s (mean) | pages/s (1 / median page) |\n|---|---|---|\n| corroborate (after a first pass) | {:.0} | {:.0} |\n| corroborate (first pass, with start-up) | {:.0} | {:.0} |",
        html_speed.mean, html_speed.median, html_speed.first_mean, html_speed.first_median
    );
    if let Some((mean, med)) = peer_speed {
        println!("| trafilatura 2.2.0 | {mean:.0} | {med:.0} |");
    }
    dates_section(&extractor, &dates_dir, peer(&dates_dir, "htmldate")?)?;
    if let Some(rows) = peer(&main_dir, "htmldate")? {
        unlabeled_dates(&cases, &articles, &rows);
    }
    println!(
        "\nPeak RSS of this process: {:.0} MiB",
        crate::peak_rss_kib() as f64 / 1024.0
    );
    Ok(())
}

/// One table row per detected language with at least 5 pages (the rest
/// pooled as "other"), largest first: `cells` gives the row's cells after
/// the language and page count.
fn by_language(
    title: &str,
    header: &str,
    cases: &[Value],
    langs: &HashMap<String, String>,
    cells: &dyn Fn(&[Value]) -> String,
) {
    let lang_of = |c: &Value| {
        langs
            .get(c["id"].as_str().unwrap_or_default())
            .cloned()
            .unwrap_or_else(|| "?".into())
    };
    let mut sizes: HashMap<String, usize> = HashMap::new();
    for c in cases {
        *sizes.entry(lang_of(c)).or_default() += 1;
    }
    let group = |c: &Value| {
        let l = lang_of(c);
        if sizes[&l] >= 5 {
            l
        } else {
            "other".to_string()
        }
    };
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    for c in cases {
        let g = group(c);
        match groups.iter_mut().find(|(k, _)| *k == g) {
            Some((_, v)) => v.push(c.clone()),
            None => groups.push((g, vec![c.clone()])),
        }
    }
    groups.sort_by_key(|(k, v)| (k == "other", std::cmp::Reverse(v.len())));
    let columns = header.matches('|').count() + 1;
    println!(
        "\n{title}\n\n| language | pages | {header} |\n|{}",
        "---|".repeat(columns + 2)
    );
    for (lang, cs) in &groups {
        println!("| {lang} | {} | {} |", cs.len(), cells(cs));
    }
}

/// A peer's rows as id → text.
fn peer_texts(rows: &[Value]) -> HashMap<String, String> {
    rows.iter()
        .map(|r| {
            let field = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (field("id"), field("text"))
        })
        .collect()
}

/// Main text from HTML, ours and the peer's (its rows, when it ran): the
/// peer's speed (pages/s mean, 1 / median page).
fn html_section(
    cases: &[Value],
    articles: &[corroborate_model::Article],
    langs: &HashMap<String, String>,
    peer_rows: Option<Vec<Value>>,
) -> Result<Option<(f64, f64)>> {
    let mut meta = String::new();
    let ours: HashMap<String, String> = cases
        .iter()
        .zip(articles)
        .map(|(case, a)| {
            let id = case["id"].as_str().unwrap_or_default().to_string();
            meta.push_str(
                &serde_json::json!({"id": id, "title": a.title, "author": a.author, "site": a.site,
                    "url": a.url, "language": a.language, "published": a.published,
                    "republished_from": a.republished_from})
                .to_string(),
            );
            meta.push('\n');
            (id, a.text.clone())
        })
        .collect();
    // BENCH_META_DUMP=FILE: the metadata found on each page.
    if let Some(path) = std::env::var_os("BENCH_META_DUMP") {
        std::fs::write(path, meta)?;
    }
    // BENCH_DUMP=FILE writes our text per page to compare page by page
    // with a peer's output.
    dump_texts("BENCH_DUMP", cases, &ours)?;
    println!("### Main text from HTML\n\n| system | precision | recall | F1 | accuracy | empty |\n|---|---|---|---|---|---|");
    println!("{}", score(cases, &ours).row("corroborate"));
    let peer = peer_rows.as_ref().map(|rows| peer_texts(rows));
    if let Some(peer) = &peer {
        println!("{}", score(cases, peer).row("trafilatura 2.2.0"));
    }
    halves(
        cases,
        &[
            ("corroborate", &ours),
            (
                "trafilatura 2.2.0",
                peer.as_ref().unwrap_or(&HashMap::new()),
            ),
        ],
    );
    by_language(
        "HTML main text F1 by language (as detected)",
        "corroborate | trafilatura",
        cases,
        langs,
        &|cs| {
            let theirs = peer
                .as_ref()
                .map_or("—".to_string(), |p| format!("{:.3}", score(cs, p).f1()));
            format!("{:.3} | {theirs}", score(cs, &ours).f1())
        },
    );
    let Some(rows) = peer_rows else {
        return Ok(None);
    };
    let secs: Vec<f64> = rows.iter().filter_map(|r| r["seconds"].as_f64()).collect();
    Ok(Some((
        secs.len() as f64 / secs.iter().sum::<f64>(),
        1.0 / median(secs),
    )))
}

/// Main text from the pages rendered as plain text (`rows`: id, text).
fn text_section(
    extractor: &ArticleExtractor,
    cases: &[Value],
    langs: &HashMap<String, String>,
    rows: &[Value],
) -> Result<()> {
    let texts: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap_or_default().to_string(),
                r["text"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let all: HashMap<String, String> = texts.iter().cloned().collect();
    let docs: Vec<RawDocument> = texts
        .iter()
        .map(|(_, text)| RawDocument::new("bench", Format::Text, text.clone(), Hints::default()))
        .collect();
    let text_speed = speed(extractor, &docs, 3);
    let cleaned: HashMap<String, String> = texts
        .iter()
        .zip(&docs)
        .map(|((id, _), doc)| (id.clone(), extract_or_empty(extractor, doc).text))
        .collect();
    // BENCH_TEXT_DUMP=FILE: the same for the plain-text path.
    dump_texts("BENCH_TEXT_DUMP", cases, &cleaned)?;
    println!("\n### Main text from the same pages as plain text (inscriptis)\n\n| system | precision | recall | F1 | accuracy | empty |\n|---|---|---|---|---|---|");
    println!("{}", score(cases, &cleaned).row("corroborate (text)"));
    println!("{}", score(cases, &all).row("keep every line"));
    halves(cases, &[("corroborate (text)", &cleaned)]);
    by_language(
        "Plain-text main text F1 by language (as detected from the HTML)",
        "corroborate (text)",
        cases,
        langs,
        &|cs| format!("{:.3}", score(cs, &cleaned).f1()),
    );
    println!("\nText speed, documents/s, one thread: {text_speed}");
    Ok(())
}

/// F1 of each system on each by-site half of the pages (see [`half`]):
/// a change that gains on one half and loses on the other overfits.
fn halves(cases: &[Value], systems: &[(&str, &HashMap<String, String>)]) {
    let part = |p: char| -> Vec<Value> { cases.iter().filter(|c| half(c) == p).cloned().collect() };
    let (a, b) = (part('A'), part('B'));
    println!(
        "\n| system | F1 sites A ({} pages) | F1 sites B ({} pages) |\n|---|---|---|",
        a.len(),
        b.len()
    );
    for (name, out) in systems.iter().filter(|(_, out)| !out.is_empty()) {
        println!(
            "| {name} | {:.3} | {:.3} |",
            score(&a, out).f1(),
            score(&b, out).f1()
        );
    }
}

/// Dev pages split by site (a hash of the URL's host) into halves A and
/// B: a rule that gains on one half and loses on the other overfits.
fn half(c: &Value) -> char {
    let url = c["url"].as_str().unwrap_or_default();
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split('/').next().unwrap_or_default();
    let host = host.trim_start_matches("www.");
    let h = host.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    if h % 2 == 0 {
        'A'
    } else {
        'B'
    }
}

/// `cargo xtask bench-text FILE.jsonl`: plain-text extraction speed over
/// the `text` field of each line (one thread, documents in memory), for
/// profiling the text path without the peers.
pub fn text_speed(path: &Path) -> Result<()> {
    let texts: Vec<String> = std::fs::read_to_string(path)?
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l)
                .map(|v| v["text"].as_str().unwrap_or_default().to_string())
        })
        .collect::<Result<_, _>>()?;
    let extractor = ArticleExtractor::default();
    let docs: Vec<RawDocument> = texts
        .iter()
        .map(|t| RawDocument::new("bench", Format::Text, t.clone(), Hints::default()))
        .collect();
    println!(
        "{} documents × 3, documents/s: {}\npeak RSS {:.0} MiB",
        docs.len(),
        speed(&extractor, &docs, 3),
        crate::peak_rss_kib() as f64 / 1024.0
    );
    Ok(())
}

/// `cargo xtask bench-html [--pages N]`: HTML extraction speed over the
/// first N pages of extract-trafilatura (one thread, pages in memory), for
/// profiling the HTML path without the peers.
pub fn html_speed(shared: &Path, pages: usize) -> Result<()> {
    let dir = shared.join("bench/extract-trafilatura");
    if !dir.is_dir() {
        bail!("{} is absent", dir.display());
    }
    let (cases, html) = load(&dir)?;
    let docs: Vec<RawDocument> = cases
        .iter()
        .zip(html)
        .take(pages)
        .map(|(case, html)| html_doc(case, &html))
        .collect();
    println!(
        "{} pages × 2, pages/s: {}\npeak RSS {:.0} MiB",
        docs.len(),
        speed(&ArticleExtractor::default(), &docs, 2),
        crate::peak_rss_kib() as f64 / 1024.0
    );
    Ok(())
}
