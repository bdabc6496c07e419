//! `cargo xtask bench-incremental [--articles 1000,20000] [--postgres URL]`:
//! adding one article to a store of N analysed articles and seeing its
//! story's updated report, as a running server does (the engine warmed up
//! once, then: store the article, analyse incrementally, read the report of
//! its story). Stores are built from the real pages of ../shared/bench like
//! bench-serve's (cycled, each cycle a day later and marked as an update);
//! each added article is a real page with a sentence of its own, so it
//! joins that page's story. SQLite always; PostgreSQL with --postgres URL
//! (a schema of its own, dropped afterwards).

use anyhow::{Context, Result};
use corroborate_model::{Format, Hints, RawDocument};
use std::path::Path;
use std::time::Instant;

/// Added articles measured per store (`BENCH_ADDS` overrides, for
/// profiling the adds).
fn adds() -> usize {
    std::env::var("BENCH_ADDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40)
}

pub fn run(shared: &Path, sizes: &[usize], postgres: Option<String>) -> Result<()> {
    let dirs = crate::inputs(shared)?;
    let pages: Vec<_> = corroborate_engine::extract_inputs(&dirs, u64::MAX, &mut |_| {})
        .into_iter()
        .filter(|a| a.text.split_whitespace().count() >= 30)
        .collect();
    println!("| store | articles | stories | warm-up s | warm state, peak RSS MiB | store bytes / article | add one: median ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut medians: Vec<(String, usize, f64)> = Vec::new();
    for &n in sizes {
        let dir = tempfile::tempdir()?;
        let sqlite = dir.path().join("inc.db").to_string_lossy().into_owned();
        let mut backends = vec![("SQLite".to_string(), sqlite, None)];
        if let Some(url) = &postgres {
            let schema = format!("bench_inc_{n}_{}", std::process::id());
            let sep = if url.contains('?') { '&' } else { '?' };
            backends.push((
                "PostgreSQL".to_string(),
                format!("{url}{sep}schema={schema}"),
                Some((url.clone(), schema)),
            ));
        }
        for (name, db, cleanup) in backends {
            let stories = crate::build_store_at(shared, &db, n)?;
            let (warm_rss, bytes) = (warm_state_rss(&db)?, store_bytes(&db, cleanup.as_ref())?);
            let t = Instant::now();
            let mut engine = corroborate_engine::Engine::open_db(&db)?;
            engine.warm_up()?;
            let warm = t.elapsed().as_secs_f64();
            let adds = adds();
            let mut times = Vec::with_capacity(adds);
            let mut parts: Vec<(f64, f64)> = Vec::with_capacity(adds);
            for k in 0..adds {
                let page = &pages[(k * 7919) % pages.len()];
                let doc = RawDocument::new(
                    format!("added#{k}"),
                    Format::Text,
                    format!(
                        "{}\n\nAdded note {k} for the incremental bench run {n}.",
                        page.text
                    ),
                    Hints {
                        title: page.title.clone(),
                        outlet: Some(format!("Bench Outlet {k}")),
                        ..Hints::default()
                    },
                );
                let id = doc.id.clone();
                let t = Instant::now();
                engine.ingest_documents(vec![doc])?;
                let t_ingest = t.elapsed().as_secs_f64() * 1e3;
                let rebuilt = engine.analyze()?.len();
                if k < 3 || rebuilt > 3 {
                    eprintln!(
                        "  add {k}: {rebuilt} stories rebuilt in {:.0} ms",
                        t.elapsed().as_secs_f64() * 1e3
                    );
                }
                let t_analyze = t.elapsed().as_secs_f64() * 1e3 - t_ingest;
                parts.push((t_ingest, t_analyze));
                let story = engine
                    .store()
                    .story_of(id.as_str())?
                    .context("the added article has no story")?;
                let report = engine
                    .store()
                    .report(story.as_str())?
                    .context("no report")?;
                anyhow::ensure!(report.articles.iter().any(|a| a.id == id));
                times.push(t.elapsed().as_secs_f64() * 1e3);
            }
            times.sort_by(f64::total_cmp);
            let median = times[times.len() / 2];
            let p99 = times[(times.len() * 99 / 100).min(times.len() - 1)];
            println!(
                "| {name} | {n} | {stories} | {warm:.1} | {:.0} | {:.0} | {median:.0} | {p99:.0} | {:.0} |",
                warm_rss as f64 / 1024.0,
                bytes as f64 / n as f64,
                times[times.len() - 1]
            );
            let mid = |mut v: Vec<f64>| {
                v.sort_by(f64::total_cmp);
                v[v.len() / 2]
            };
            eprintln!(
                "  {name} {n}: medians: store the article {:.1} ms, analyse {:.1} ms, the rest (read its story's report) {:.1} ms",
                mid(parts.iter().map(|p| p.0).collect()),
                mid(parts.iter().map(|p| p.1).collect()),
                median - mid(parts.iter().map(|p| p.0 + p.1).collect())
            );
            medians.push((name, n, median));
            drop(engine);
            if let Some((url, schema)) = cleanup {
                let mut c = postgres::Client::connect(&url, postgres::NoTls)?;
                c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))?;
            }
        }
    }
    for name in ["SQLite", "PostgreSQL"] {
        let m: Vec<&(String, usize, f64)> = medians.iter().filter(|x| x.0 == name).collect();
        if let (Some(first), Some(last)) = (m.first(), m.last()) {
            if first.1 != last.1 {
                println!(
                    "\n{name}: median at {} articles / at {} = {:.2}",
                    last.1,
                    first.1,
                    last.2 / first.2
                );
            }
        }
    }
    Ok(())
}

/// Peak RSS (KiB) of a process of its own that opens the store and warms
/// an engine up on it (what a server holds), as `bench-warm-one` reports.
fn warm_state_rss(db: &str) -> Result<u64> {
    let out = std::process::Command::new(std::env::current_exe()?)
        .args(["bench-warm-one", "--db", db])
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "warm-up failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    v["peak_rss_kib"].as_u64().context("no peak_rss_kib")
}

/// `cargo xtask bench-warm-one --db DB`: warms an engine up on the store
/// and prints its peak RSS as a JSON line.
pub fn warm_one(db: &str) -> Result<()> {
    let t = Instant::now();
    let mut engine = corroborate_engine::Engine::open_db(db)?;
    engine.warm_up()?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({"peak_rss_kib": crate::peak_rss_kib(), "seconds": secs})
    );
    Ok(())
}

/// The store's size on disk: the SQLite file and its WAL, or the
/// PostgreSQL schema's tables with their indexes and TOAST.
fn store_bytes(db: &str, pg: Option<&(String, String)>) -> Result<u64> {
    if let Some((url, schema)) = pg {
        let mut c = postgres::Client::connect(url, postgres::NoTls)?;
        let row = c.query_one(
            "SELECT COALESCE(SUM(pg_total_relation_size(format('%I.%I', schemaname, tablename)::regclass)), 0)::BIGINT FROM pg_tables WHERE schemaname = $1",
            &[schema],
        )?;
        return Ok(row.get::<_, i64>(0) as u64);
    }
    let size = |p: String| std::fs::metadata(p).map_or(0, |m| m.len());
    Ok(size(db.to_string()) + size(format!("{db}-wal")))
}
