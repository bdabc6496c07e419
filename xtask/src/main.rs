//! `cargo xtask bench-serve [--shared DIR] [--articles N]`: HTTP load on a
//! store of N articles (default 10,000) built from the real pages in
//! ../shared/bench, measured with `wrk` on loopback: requests/s and latency
//! percentiles for the story list and a story report. `--keep STORE.db`
//! builds the store there once and reuses it on later runs.
//!
//! `cargo xtask bench-e2e [--shared DIR] [--repeat N]`: end-to-end
//! throughput of `analyze` (ingest, extract, dedup, cluster, cross-check,
//! store) over every real page in ../shared/bench/extract-trafilatura,
//! ../shared/bench/dates-htmldate and the seeds, single-threaded and with
//! all cores. Each configuration runs in its own child process so that its
//! peak RSS (VmHWM) is its own. Prints a Markdown table for BENCHMARKS.md.

mod cluster_bench;
mod crosscheck_bench;
mod distributed_bench;
mod extract_bench;
mod fuzz;
mod hostile_bench;
mod incremental_bench;
mod layout;
mod pairs_bench;
mod stance_bench;
mod stream_bench;

use anyhow::{bail, Context, Result};
use corroborate_store::Storage;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub(crate) fn inputs(shared: &Path) -> Result<Vec<PathBuf>> {
    let dirs = [
        shared.join("bench/extract-trafilatura/html"),
        shared.join("bench/dates-htmldate/html"),
        shared.join("seeds"),
    ];
    for d in &dirs {
        if !d.is_dir() {
            bail!("{} is absent: the benchmark reads the shared data next to the repo (pass --shared DIR)", d.display());
        }
    }
    Ok(dirs.to_vec())
}

/// Bytes the pipeline reads after decompression.
fn content_bytes(dirs: &[PathBuf]) -> Result<(usize, u64)> {
    let (mut files, mut bytes) = (0, 0u64);
    for d in dirs {
        for e in std::fs::read_dir(d)? {
            let p = e?.path();
            let raw = std::fs::read(&p)?;
            files += 1;
            bytes += if p.extension().is_some_and(|x| x == "gz") {
                let mut out = Vec::new();
                flate2::read::MultiGzDecoder::new(&raw[..]).read_to_end(&mut out)?;
                out.len() as u64
            } else {
                raw.len() as u64
            };
        }
    }
    Ok((files, bytes))
}

pub(crate) fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// One measured run in this process: prints a JSON line.
fn one(shared: &Path, threads: usize) -> Result<()> {
    let dirs = inputs(shared)?;
    let dir = tempfile::tempdir()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let start = Instant::now();
    let (summary, stories) = pool.install(|| -> Result<_> {
        let mut engine = corroborate_engine::Engine::open(&dir.path().join("bench.db"))?;
        let summary = engine.ingest(
            &dirs,
            &corroborate_engine::NoProgress,
            &Default::default(),
            &mut |_| {},
        )?;
        let t_ingest = start.elapsed();
        let reports = engine.analyze()?;
        Ok(((summary, t_ingest), reports.len()))
    })?;
    let secs = start.elapsed().as_secs_f64();
    // `analyze` run again by a cold process on the analysed store (a
    // desk re-running it): every article's annotations are stored.
    let again = Instant::now();
    pool.install(|| -> Result<()> {
        let mut engine = corroborate_engine::Engine::open(&dir.path().join("bench.db"))?;
        engine.analyze_full(&corroborate_engine::NoProgress)?;
        Ok(())
    })?;
    let again = again.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "threads": threads, "seconds": secs, "ingest_seconds": summary.1.as_secs_f64(), "again_seconds": again,
            "articles": summary.0.added, "failed": summary.0.failed, "stories": stories, "peak_rss_kib": peak_rss_kib(),
        })
    );
    Ok(())
}

/// Builds a store of `n` articles: the extracted texts of the real pages,
/// cycled, each cycle dated a day later and marked as an update so that every
/// article is distinct (later cycles are near-copies, as wire updates are).
fn build_store(shared: &Path, db: &Path, n: usize) -> Result<usize> {
    build_store_at(shared, &db.to_string_lossy(), n)
}

/// [`build_store`] into any store (`db`: an SQLite path or a PostgreSQL URL).
fn build_store_at(shared: &Path, db: &str, n: usize) -> Result<usize> {
    use corroborate_model::{Format, Hints, RawDocument};
    let dirs = inputs(shared)?;
    let articles = corroborate_engine::extract_inputs(&dirs, u64::MAX, &mut |_| {});
    let base: Vec<_> = articles
        .into_iter()
        .filter(|a| a.text.split_whitespace().count() >= 30)
        .collect();
    if base.is_empty() {
        bail!("no usable pages under {}", shared.display());
    }
    let mut engine = corroborate_engine::Engine::open_db(db)?;
    let mut batch = Vec::new();
    for i in 0..n {
        let a = &base[i % base.len()];
        let cycle = i / base.len();
        let day = 1 + (i % 28);
        let hints = Hints {
            title: Some(format!(
                "{}{}",
                a.title.clone().unwrap_or_else(|| "Untitled".into()),
                if cycle > 0 {
                    format!(" (update {cycle})")
                } else {
                    String::new()
                }
            )),
            published: Some(format!("2024-{:02}-{day:02}", 1 + cycle % 12)),
            outlet: Some(
                a.site
                    .clone()
                    .unwrap_or_else(|| format!("Outlet {}", i % 97)),
            ),
            url: a.url.clone(),
            ..Hints::default()
        };
        let text = if cycle > 0 {
            format!("{}\n\nUpdate {cycle}: this article was revised.", a.text)
        } else {
            a.text.clone()
        };
        batch.push(RawDocument::new(
            format!("bench#{i}"),
            Format::Text,
            text,
            hints,
        ));
        if batch.len() == 512 {
            engine.ingest_documents(std::mem::take(&mut batch))?;
        }
    }
    engine.ingest_documents(batch)?;
    let t = Instant::now();
    let stories = engine.analyze()?.len();
    eprintln!(
        "analysed {n} articles into {stories} stories in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    Ok(stories)
}

/// Runs wrk and returns (requests/s, p50 ms, p99 ms).
fn wrk(url: &str, seconds: u32) -> Result<(f64, f64, f64)> {
    let out = std::process::Command::new("wrk")
        .args(["-t2", "-c32", &format!("-d{seconds}s"), "--latency", url])
        .output()
        .context("running wrk (install it: apt-get install wrk)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let ms = |s: &str| -> f64 {
        let (num, unit) = s.trim().split_at(
            s.trim()
                .find(|c: char| c.is_alphabetic())
                .unwrap_or(s.len()),
        );
        let v: f64 = num.parse().unwrap_or(f64::NAN);
        match unit {
            "us" => v / 1000.0,
            "s" => v * 1000.0,
            _ => v,
        }
    };
    let line = |prefix: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(prefix))
            .map(|l| l.split_whitespace().last().unwrap_or("").to_string())
    };
    let rps = line("Requests/sec:")
        .and_then(|v| v.parse().ok())
        .context(format!("wrk output: {text}"))?;
    let p50 = line("50%").map(|v| ms(&v)).unwrap_or(f64::NAN);
    let p99 = line("99%").map(|v| ms(&v)).unwrap_or(f64::NAN);
    if text.contains("Non-2xx") {
        bail!("wrk saw errors: {text}");
    }
    Ok((rps, p50, p99))
}

/// `keep`: a store file to reuse when it exists (built and kept there
/// otherwise), so that repeated runs skip the build; its size wins over `n`.
fn bench_serve(shared: &Path, n: usize, keep: Option<PathBuf>) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let db = keep.unwrap_or_else(|| dir.path().join("serve.db"));
    let (n, stories) = if db.exists() {
        // Articles an earlier run POSTed are analysed first, so that no
        // background analysis runs under the measured load.
        let reports = corroborate_engine::Engine::open(&db)?.analyze()?;
        let store = corroborate_store::Store::open_existing(&db, None)?;
        (store.max_seq()? as usize, reports.len())
    } else {
        (n, build_store(shared, &db, n)?)
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse()?;
    let db2 = db.clone();
    std::thread::spawn(move || corroborate_server::run(&db2, addr));
    let t = Instant::now();
    while std::net::TcpStream::connect(addr).is_err() {
        if t.elapsed().as_secs() > 30 {
            bail!("server did not start");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // The server warms its analysis state up in the background at start
    // (the stored articles pushed again, no writes); one POST that waits
    // for its story makes sure that is over before anything is measured.
    let t = Instant::now();
    let nonce = run_nonce();
    let warm = format!(
        r#"{{"title":"Warm-up {nonce}","text":"The harbour council of Norhaven met for the warm-up run {nonce} to discuss the ferry timetable, officials said."}}"#
    );
    while !http_post(addr, "/api/articles?wait=30", &warm)?.contains("\"analysis\":\"done\"") {
        if t.elapsed().as_secs() > 600 {
            bail!("the server's analysis never caught up");
        }
    }
    println!(
        "server warm (first POST placed) after {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let store = corroborate_store::Store::open(&db)?;
    let biggest = store
        .stories()?
        .into_iter()
        .max_by_key(|s| s.articles)
        .context("no story")?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("store: {n} articles, {stories} stories; server and wrk (2 threads, 32 connections, 10 s) share {cores} cores\n");
    println!("| endpoint | requests/s | p50 ms | p99 ms |");
    println!("|---|---|---|---|");
    for (name, path) in [
        (
            "GET /api/stories (first page of 50)".to_string(),
            "/api/stories".to_string(),
        ),
        (
            "GET /api/stories?q=government (search)".to_string(),
            "/api/stories?q=government".to_string(),
        ),
        (
            format!("GET /api/stories/{{id}} ({} articles)", biggest.articles),
            format!("/api/stories/{}", biggest.id),
        ),
        ("GET / (story list page)".to_string(), "/".to_string()),
        (
            "GET /api/stories?q=government&snippets=true".to_string(),
            "/api/stories?q=government&snippets=true".to_string(),
        ),
        (
            "GET /?q=government (search page, snippets)".to_string(),
            "/?q=government".to_string(),
        ),
        (
            "GET /api/stories?q=ministry&status=attributed_only".to_string(),
            "/api/stories?q=ministry&status=attributed_only".to_string(),
        ),
        (
            format!(
                "GET /stories/{{id}} (story page, {} articles)",
                biggest.articles
            ),
            format!("/stories/{}", biggest.id),
        ),
    ] {
        let (rps, p50, p99) = wrk(&format!("http://{addr}{path}"), 10)?;
        println!("| {name} | {rps:.0} | {p50:.2} | {p99:.2} |");
    }
    post_under_read_load(addr)
}

/// POSTs of new articles, one after another, while wrk reads search pages:
/// each POST's latency (it waits up to 5 s for the analysis that places its
/// article) and whether its article was placed in time.
fn post_under_read_load(addr: std::net::SocketAddr) -> Result<()> {
    for (what, path) in [
        ("stored (?wait=0)", "/api/articles?wait=0"),
        (
            "placed in its story (default: waits up to 5 s)",
            "/api/articles",
        ),
    ] {
        let url = format!("http://{addr}/api/stories?q=government");
        let reader = std::thread::spawn(move || wrk(&url, 25));
        std::thread::sleep(std::time::Duration::from_secs(1));
        let mut times = Vec::new();
        let mut placed = 0;
        let posts = 10;
        // A run's own words, so that a store kept from an earlier run
        // (--keep) takes these as new articles, not as ones it holds.
        let run = run_nonce();
        for i in 0..posts {
            let body = format!(
                r#"{{"title":"Bench post {i} {path} {run}","text":"The harbour council of Norhaven met on day {i} of bench run {run} to discuss repairs to the ferry pier and its budget ({path}), officials said."}}"#
            );
            let t = Instant::now();
            let reply = http_post(addr, path, &body)?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
            placed += usize::from(reply.contains("\"analysis\":\"done\""));
        }
        let (rps, _, p99) = reader.join().map_err(|_| anyhow::anyhow!("wrk thread"))??;
        times.sort_by(f64::total_cmp);
        println!(
            "\nPOST /api/articles until {what}, under read load ({rps:.0} searches/s, their p99 {p99:.1} ms): {posts} POSTs one after another, median {:.0} ms, max {:.0} ms; {placed} answered with their story",
            times[times.len() / 2],
            times[times.len() - 1],
        );
    }
    Ok(())
}

/// A number of this run's own (nanoseconds since the epoch): POSTed words
/// that a store kept from an earlier run (--keep) does not hold yet.
fn run_nonce() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// One HTTP/1.1 POST of JSON on loopback; the response as text.
fn http_post(addr: std::net::SocketAddr, path: &str, body: &str) -> Result<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr)?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(60)))?;
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    Ok(out)
}

fn main() -> Result<()> {
    // RUST_LOG=engine=debug shows each incremental analysis's steps.
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .init();
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let shared = PathBuf::from(flag("--shared").unwrap_or_else(|| "../shared".into()));
    match args.first().map(String::as_str) {
        Some("bench-serve") => bench_serve(
            &shared,
            flag("--articles").map_or(Ok(10_000), |v| v.parse())?,
            flag("--keep").map(PathBuf::from),
        ),
        Some("bench-cluster") => cluster_bench::run(
            &shared,
            &corroborate_engine::Overrides {
                join_threshold: flag("--threshold").map(|v| v.parse()).transpose()?,
                window: flag("--window").map(|v| v.parse()).transpose()?,
                merge_threshold: flag("--merge").map(|v| v.parse()).transpose()?,
                size_prior: flag("--size-prior").map(|v| v.parse()).transpose()?,
                split_threshold: flag("--split").map(|v| v.parse()).transpose()?,
                sequence_split_threshold: flag("--sequence-split")
                    .map(|v| v.parse())
                    .transpose()?,
            },
            flag("--topic-streams").map_or(Ok(0), |v| v.parse())?,
        ),
        Some("bench-pairs") => pairs_bench::run(&shared),
        Some("bench-distributed") => {
            distributed_bench::bench(&shared, flag("--articles").map_or(Ok(5000), |v| v.parse())?)
        }
        Some("gen-feed") => distributed_bench::gen_feed(
            flag("--articles").map_or(Ok(1000), |v| v.parse())?,
            Path::new(&flag("--out").context("--out FILE")?),
        ),
        Some("bench-warm-one") => incremental_bench::warm_one(&flag("--db").context("--db")?),
        Some("bench-incremental") => incremental_bench::run(
            &shared,
            &flag("--articles")
                .unwrap_or_else(|| "1000,20000".into())
                .split(',')
                .map(str::parse)
                .collect::<Result<Vec<usize>, _>>()?,
            flag("--postgres"),
        ),
        Some("train-stance") => stance_bench::train(
            &shared,
            stance_bench::TrainFlags {
                rounds: flag("--rounds").map_or(Ok(300), |v| v.parse())?,
                leaves: flag("--leaves").map_or(Ok(15), |v| v.parse())?,
                min_leaf: flag("--min-leaf").map_or(Ok(40), |v| v.parse())?,
                power: flag("--class-power").map_or(Ok(0.5), |v| v.parse())?,
                features_per_tree: flag("--features-per-tree").map_or(Ok(0.5), |v| v.parse())?,
            },
        ),
        Some("bench-stance") => stance_bench::bench(&shared),
        Some("bench-hostile") => {
            let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
            let sizes: Vec<usize> = flag("--articles")
                .unwrap_or_else(|| "1000,2000,5000,10000".into())
                .split(',')
                .map(|n| n.trim().parse())
                .collect::<Result<_, _>>()?;
            hostile_bench::run(&root, &sizes)
        }
        Some("bench-text") => extract_bench::text_speed(Path::new(
            args.get(1)
                .context("usage: cargo xtask bench-text FILE.jsonl")?,
        )),
        Some("bench-html") => extract_bench::html_speed(
            &shared,
            flag("--pages").map_or(Ok(usize::MAX), |v| v.parse())?,
        ),
        Some("bench-stream-one") => stream_bench::one(
            &shared,
            flag("--articles").map_or(Ok(100_000), |v| v.parse())?,
            &flag("--mode").context("--mode")?,
        ),
        Some("bench-stream") => stream_bench::run(
            &shared,
            flag("--articles").map_or(Ok(100_000), |v| v.parse())?,
        ),
        Some("bench-extract") => {
            let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
            extract_bench::run(&shared, &root, !args.iter().any(|a| a == "--no-peers"))
        }
        Some("fuzz") => {
            let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
            let seconds = flag("--seconds").map_or(Ok(60), |v| v.parse())?;
            // Every argument that is neither a flag nor a flag's value.
            let targets: Vec<String> = args
                .windows(2)
                .filter(|w| !w[0].starts_with("--") && !w[1].starts_with("--"))
                .map(|w| w[1].clone())
                .collect();
            fuzz::run(&root, seconds, &targets)
        }
        Some("check-layout") => layout::run(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")),
        Some("bench-crosscheck") => crosscheck_bench::run(&shared, flag("--only").as_deref()),
        Some("bench-e2e-one") => one(&shared, flag("--threads").context("--threads")?.parse()?),
        Some("bench-e2e") => bench_e2e(&shared, flag("--repeat").map_or(Ok(3), |r| r.parse())?),
        _ => {
            eprintln!("usage: cargo xtask bench-e2e [--shared DIR] [--repeat N]\n       cargo xtask bench-serve [--shared DIR] [--articles N] [--keep STORE.db]\n       cargo xtask bench-extract [--shared DIR] [--no-peers]\n       cargo xtask bench-html [--shared DIR] [--pages N]\n       cargo xtask bench-text FILE.jsonl\n       cargo xtask bench-cluster [--shared DIR] [--threshold T] [--window N (0 = none)] [--merge M] [--size-prior P] [--split S] [--sequence-split Q] [--topic-streams N]\n       cargo xtask bench-crosscheck [--shared DIR] [--only quotes|quantities|timex|claims|story]\n       cargo xtask bench-pairs [--shared DIR]\n       cargo xtask bench-incremental [--shared DIR] [--articles 1000,20000] [--postgres URL]\n       cargo xtask train-stance [--shared DIR] [--rounds N (300)] [--leaves L (15)] [--min-leaf M (40)] [--features-per-tree F (0.5)] [--class-power P (0.5)]\n       cargo xtask bench-stance [--shared DIR]\n       cargo xtask bench-stream [--shared DIR] [--articles N]\n       cargo xtask bench-hostile [--articles 1000,2000,5000,10000]\n       cargo xtask check-layout\n       cargo xtask fuzz [--seconds N (60)] [extract_html|extract_html_structure|extract_text|decode|crosscheck ...]");
            std::process::exit(2)
        }
    }
}

/// `cargo xtask bench-e2e`: `analyze` of the bench corpora from a fresh
/// store, `repeat` times per thread count, by a process of its own each
/// time (peak memory is the process's): the median run.
fn bench_e2e(shared: &Path, repeat: usize) -> Result<()> {
    let dirs = inputs(shared)?;
    let (files, bytes) = content_bytes(&dirs)?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "corpus: {files} files, {:.1} MB after decompression; {cores} cores\n",
        bytes as f64 / 1e6
    );
    println!(
        "| threads | articles | stories | median s | articles/s | MB/s | peak RSS MiB | analyse again, cold: s |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let me = std::env::current_exe()?;
    for threads in [1, cores] {
        let mut runs = Vec::new();
        for _ in 0..repeat {
            let out = std::process::Command::new(&me)
                .args([
                    "bench-e2e-one",
                    "--threads",
                    &threads.to_string(),
                    "--shared",
                ])
                .arg(shared)
                .output()?;
            if !out.status.success() {
                bail!("run failed: {}", String::from_utf8_lossy(&out.stderr));
            }
            runs.push(serde_json::from_slice::<serde_json::Value>(&out.stdout)?);
        }
        runs.sort_by(|a, b| {
            a["seconds"]
                .as_f64()
                .unwrap()
                .total_cmp(&b["seconds"].as_f64().unwrap())
        });
        let m = &runs[runs.len() / 2];
        let secs = m["seconds"].as_f64().unwrap();
        let n = m["articles"].as_u64().unwrap();
        println!(
            "| {threads} | {n} | {} | {secs:.2} | {:.0} | {:.1} | {:.0} | {:.2} |",
            m["stories"],
            n as f64 / secs,
            bytes as f64 / 1e6 / secs,
            m["peak_rss_kib"].as_f64().unwrap() / 1024.0,
            m["again_seconds"].as_f64().unwrap_or(f64::NAN)
        );
    }
    Ok(())
}
