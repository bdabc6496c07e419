//! `cargo xtask bench-e2e [--shared DIR] [--repeat N]`: end-to-end
//! throughput of `analyze` (ingest, extract, dedup, cluster, cross-check,
//! store) over every real page in ../shared/bench/extract-trafilatura,
//! ../shared/bench/dates-htmldate and the seeds, single-threaded and with
//! all cores. Each configuration runs in its own child process so that its
//! peak RSS (VmHWM) is its own. Prints a Markdown table for BENCHMARKS.md.

use anyhow::{bail, Context, Result};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn inputs(shared: &Path) -> Result<Vec<PathBuf>> {
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

fn peak_rss_kib() -> u64 {
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
    println!(
        "{}",
        serde_json::json!({
            "threads": threads, "seconds": secs, "ingest_seconds": summary.1.as_secs_f64(),
            "articles": summary.0.added, "failed": summary.0.failed, "stories": stories, "peak_rss_kib": peak_rss_kib(),
        })
    );
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let shared = PathBuf::from(flag("--shared").unwrap_or_else(|| "../shared".into()));
    match args.first().map(String::as_str) {
        Some("bench-e2e-one") => one(&shared, flag("--threads").context("--threads")?.parse()?),
        Some("bench-e2e") => {
            let repeat: usize = flag("--repeat").map_or(Ok(3), |r| r.parse())?;
            let dirs = inputs(&shared)?;
            let (files, bytes) = content_bytes(&dirs)?;
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            println!(
                "corpus: {files} files, {:.1} MB after decompression; {cores} cores\n",
                bytes as f64 / 1e6
            );
            println!(
                "| threads | articles | stories | median s | articles/s | MB/s | peak RSS MiB |"
            );
            println!("|---|---|---|---|---|---|---|");
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
                        .arg(&shared)
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
                    "| {threads} | {n} | {} | {secs:.2} | {:.0} | {:.1} | {:.0} |",
                    m["stories"],
                    n as f64 / secs,
                    bytes as f64 / 1e6 / secs,
                    m["peak_rss_kib"].as_f64().unwrap() / 1024.0
                );
            }
            Ok(())
        }
        _ => {
            eprintln!("usage: cargo xtask bench-e2e [--shared DIR] [--repeat N]");
            std::process::exit(2)
        }
    }
}
