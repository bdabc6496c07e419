//! `cargo xtask gen-feed` and `cargo xtask bench-distributed`: the
//! distributed path (NATS JetStream workers over PostgreSQL) measured on a
//! generated feed of fictional news and on the real pages of ../shared.

use anyhow::{Context, Result};
use corroborate_queue::testing::TestQueue;
use corroborate_store::testing::PgSchema;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Writes the generated feed of `n` articles to `path`.
pub fn gen_feed(n: usize, path: &Path) -> Result<()> {
    let events = corroborate_worker::testing::write_feed(path, n)?;
    eprintln!("{n} articles about {events} events in {}", path.display());
    Ok(())
}

/// A stream and a schema of the benchmark's own, and its workers.
struct Rig {
    bin: PathBuf,
    queue: TestQueue,
    schema: PgSchema,
    pg: postgres::Client,
    workers: Vec<Child>,
}

impl Rig {
    fn new(bin: &Path, tag: &str) -> Result<Rig> {
        let queue = corroborate_queue::testing::queue(tag).context("NATS not reachable")?;
        let schema =
            corroborate_store::testing::pg_schema(tag).context("PostgreSQL not reachable")?;
        drop(corroborate_store::PgStore::open(&schema.url)?);
        let mut pg = postgres::Client::connect(corroborate_store::testing::PG, postgres::NoTls)?;
        let name = schema.url.rsplit_once("schema=").map_or("", |p| p.1);
        pg.batch_execute(&format!("SET search_path TO {name}"))?;
        Ok(Rig {
            bin: bin.to_path_buf(),
            queue,
            schema,
            pg,
            workers: Vec::new(),
        })
    }

    fn queue_args(&self) -> [String; 6] {
        let c = &self.queue.config;
        [
            "--queue".into(),
            c.url.clone(),
            "--stream".into(),
            c.stream.clone(),
            "--subject".into(),
            c.subject.clone(),
        ]
    }

    fn publish(&self, paths: &[PathBuf]) -> Result<()> {
        let o = Command::new(&self.bin)
            .args(["-q", "ingest"])
            .args(paths)
            .args(self.queue_args())
            .output()?;
        anyhow::ensure!(
            o.status.code() != Some(1),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        Ok(())
    }

    fn start_workers(&mut self, n: usize) -> Result<()> {
        for w in 0..n {
            let child = Command::new(&self.bin)
                .args([
                    "--db",
                    &self.schema.url,
                    "-q",
                    "worker",
                    "--name",
                    &format!("b{w}"),
                ])
                .args(self.queue_args())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()?;
            self.workers.push(child);
        }
        Ok(())
    }

    /// (stored or staged, placed).
    fn counts(&mut self) -> Result<(i64, i64)> {
        let row = self.pg.query_one(
            "SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM staged), (SELECT count(*) FROM memberships)",
            &[],
        )?;
        Ok((row.get(0), row.get(1)))
    }
}

impl Drop for Rig {
    fn drop(&mut self) {
        for c in &mut self.workers {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Publishes `paths` (`expected` documents), runs `workers` workers, and
/// returns the seconds until all were staged and until all were placed.
fn throughput(
    bin: &Path,
    tag: &str,
    paths: &[PathBuf],
    expected: i64,
    workers: usize,
) -> Result<(f64, f64)> {
    let mut rig = Rig::new(bin, tag)?;
    rig.publish(paths)?;
    let start = Instant::now();
    rig.start_workers(workers)?;
    let mut staged_at = None;
    loop {
        let (stored, placed) = rig.counts()?;
        if staged_at.is_none() && stored >= expected {
            staged_at = Some(start.elapsed().as_secs_f64());
        }
        if placed >= expected {
            return Ok((staged_at.unwrap_or_default(), start.elapsed().as_secs_f64()));
        }
        anyhow::ensure!(
            start.elapsed() < Duration::from_secs(1800),
            "timed out at {placed} placed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The documents of `paths`, read as `ingest` reads them.
fn documents(paths: &[PathBuf]) -> Result<Vec<corroborate_model::RawDocument>> {
    let preparer = corroborate_engine::Preparer::new(corroborate_engine::DEFAULT_MAX_SIZE);
    let mut docs = Vec::new();
    preparer.read_paths(
        paths,
        &corroborate_engine::NoProgress,
        &corroborate_engine::Cancel::default(),
        &mut |d| docs.push(d),
        &mut |_| {},
    )?;
    Ok(docs)
}

/// Publish-to-placed latency of `docs` published at `rate` a second, with
/// 2 workers: (p50, p99, max) in ms.
fn latency(
    bin: &Path,
    tag: &str,
    docs: &[corroborate_model::RawDocument],
    rate: usize,
) -> Result<(f64, f64, f64)> {
    let mut rig = Rig::new(bin, tag)?;
    rig.start_workers(2)?;
    std::thread::sleep(Duration::from_secs(2));
    let secs = docs.len() / rate.max(1) + 1;
    let rt = tokio::runtime::Runtime::new()?;
    let queue = rt.block_on(corroborate_queue::Queue::connect(rig.queue.config.clone()))?;
    let mut sent: Vec<(String, Instant)> = Vec::new();
    let mut seen: std::collections::HashMap<String, Instant> = std::collections::HashMap::new();
    let start = Instant::now();
    let tick = Duration::from_secs_f64(1.0 / rate as f64);
    let mut next = 0;
    while seen.len() < docs.len() {
        // Publish what is due (one tick at a time), then look for placements.
        while next < docs.len() && start.elapsed() >= tick * next as u32 {
            rt.block_on(queue.publish(std::slice::from_ref(&docs[next])))?;
            sent.push((docs[next].id.as_str().to_string(), Instant::now()));
            next += 1;
        }
        let waiting: Vec<&str> = sent
            .iter()
            .filter(|(id, _)| !seen.contains_key(id))
            .map(|(id, _)| id.as_str())
            .collect();
        if !waiting.is_empty() {
            let now = Instant::now();
            for r in rig.pg.query(
                "SELECT article_id FROM memberships WHERE article_id = ANY($1)",
                &[&waiting],
            )? {
                seen.insert(r.get(0), now);
            }
        }
        anyhow::ensure!(
            start.elapsed() < Duration::from_secs(secs as u64 * 10 + 60),
            "timed out"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut ms: Vec<f64> = sent
        .iter()
        .map(|(id, t)| seen[id].duration_since(*t).as_secs_f64() * 1000.0)
        .collect();
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 * q) as usize).min(ms.len() - 1)];
    Ok((at(0.5), at(0.99), at(1.0)))
}

/// `cargo xtask bench-distributed [--articles N]`: builds the release
/// binary; then (1) throughput: a generated feed of N fictional JSONL
/// articles, and the real HTML pages of ../shared/bench (when present),
/// are published to a stream of their own and placed by 1, then 2 workers
/// over a fresh PostgreSQL schema each: articles/s staged (workers) and
/// placed (the story assigner, the design's ceiling); (2) latency: 2
/// workers under a steady feed of 100 articles/s for 30 s, from publish to
/// placed in a story (its report rebuilt in the same transaction), p50 /
/// p99 / max. Needs NATS at 127.0.0.1:4222 and PostgreSQL at 127.0.0.1:5432.
pub fn bench(shared: &Path, n: usize) -> Result<()> {
    let status = Command::new("cargo")
        .args(["build", "--release", "-q", "-p", "corroborate"])
        .status()?;
    anyhow::ensure!(status.success(), "release build failed");
    let bin = std::env::current_dir()?.join("target/release/corroborate");
    let dir = tempfile::tempdir()?;
    let feed = dir.path().join("feed.jsonl");
    corroborate_worker::testing::write_feed(&feed, n.max(3000))?;
    let small = dir.path().join("small.jsonl");
    corroborate_worker::testing::write_feed(&small, n)?;
    let html: Vec<PathBuf> = [
        "bench/extract-trafilatura/html",
        "bench/dates-htmldate/html",
        "seeds",
    ]
    .iter()
    .map(|p| shared.join(p))
    .filter(|p| p.exists())
    .collect();
    let pages = if html.is_empty() {
        eprintln!("skipped the HTML runs: no pages under {}", shared.display());
        0
    } else {
        // Distinct documents, as the store counts them.
        let scratch = dir.path().join("count.db");
        let o = Command::new(&bin)
            .args([
                "--db",
                scratch.to_str().unwrap_or_default(),
                "-q",
                "ingest",
                "--json",
            ])
            .args(&html)
            .output()?;
        let v: serde_json::Value = serde_json::from_slice(&o.stdout)?;
        v["ingest"]["added"].as_i64().unwrap_or(0)
    };
    println!("| input | workers | articles | staged/s | placed/s | total s |");
    println!("|---|---|---|---|---|---|");
    for workers in [1usize, 2] {
        let (s, p) = throughput(
            &bin,
            &format!("gen{workers}"),
            std::slice::from_ref(&small),
            n as i64,
            workers,
        )?;
        println!(
            "| generated JSONL | {workers} | {n} | {:.0} | {:.0} | {p:.1} |",
            n as f64 / s,
            n as f64 / p
        );
        if pages > 0 {
            let (s, p) = throughput(&bin, &format!("html{workers}"), &html, pages, workers)?;
            println!(
                "| HTML pages of ../shared | {workers} | {pages} | {:.0} | {:.0} | {p:.1} |",
                pages as f64 / s,
                pages as f64 / p
            );
        }
    }
    println!();
    let generated: Vec<_> = documents(&[feed])?.into_iter().take(3000).collect();
    let (p50, p99, max) = latency(&bin, "lat_gen", &generated, 100)?;
    println!("publish -> placed in its story, 2 workers, generated JSONL at 100 articles/s for 30 s: p50 {p50:.0} ms, p99 {p99:.0} ms, max {max:.0} ms");
    if pages > 0 {
        let mut seen = std::collections::HashSet::new();
        let real: Vec<_> = documents(&html)?
            .into_iter()
            .filter(|d| seen.insert(d.id.clone()))
            .collect();
        let (p50, p99, max) = latency(&bin, "lat_html", &real, 100)?;
        println!("publish -> placed in its story, 2 workers, the {} HTML pages at 100 articles/s: p50 {p50:.0} ms, p99 {p99:.0} ms, max {max:.0} ms", real.len());
    }
    Ok(())
}
