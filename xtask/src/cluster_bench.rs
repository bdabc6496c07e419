//! `cargo xtask bench-cluster [--threshold T] [--window N]`: online story
//! clustering on ../shared/bench/cluster-mstream (issue 4). Parameters are
//! fixed once and applied to News.jsonl and News-T.jsonl in file order, as
//! the protocol says; prints pairwise precision / recall / F1, B-cubed F1,
//! NMI, ARI, the number of clusters and documents per second. With
//! `BENCH_DUMP=DIR`, each set's final labels go to `DIR/<set>.pred`, one
//! per line, for error analysis.

use anyhow::{bail, Result};
use corroborate_engine::{cluster_jsonl, sample_profile, ClusterEvent, ClusterFields, Overrides};
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

fn pairs(n: usize) -> f64 {
    (n * n.saturating_sub(1) / 2) as f64
}

/// Scores predicted clusters against gold ones (both in document order).
pub fn score(gold: &[u64], pred: &[usize]) -> [f64; 7] {
    let n = gold.len() as f64;
    let mut joint: HashMap<(u64, usize), usize> = HashMap::new();
    let mut g: HashMap<u64, usize> = HashMap::new();
    let mut p: HashMap<usize, usize> = HashMap::new();
    for (a, b) in gold.iter().zip(pred) {
        *joint.entry((*a, *b)).or_default() += 1;
        *g.entry(*a).or_default() += 1;
        *p.entry(*b).or_default() += 1;
    }
    let tp: f64 = joint.values().map(|&v| pairs(v)).sum();
    let (gp, pp): (f64, f64) = (
        g.values().map(|&v| pairs(v)).sum(),
        p.values().map(|&v| pairs(v)).sum(),
    );
    let (pr, re) = (tp / pp.max(1.0), tp / gp.max(1.0));
    let f1 = 2.0 * pr * re / (pr + re).max(f64::MIN_POSITIVE);
    let (mut bp, mut br) = (0.0, 0.0);
    for (a, b) in gold.iter().zip(pred) {
        let j = joint[&(*a, *b)] as f64;
        bp += j / p[b] as f64;
        br += j / g[a] as f64;
    }
    let (bp, br) = (bp / n, br / n);
    let b3 = 2.0 * bp * br / (bp + br).max(f64::MIN_POSITIVE);
    let mi: f64 = joint
        .iter()
        .map(|(&(a, b), &v)| v as f64 / n * (v as f64 * n / (g[&a] * p[&b]) as f64).ln())
        .sum();
    let h = |m: &dyn Fn() -> Vec<usize>| {
        -m().iter()
            .map(|&v| v as f64 / n * (v as f64 / n).ln())
            .sum::<f64>()
    };
    let (hg, hp) = (
        h(&|| g.values().copied().collect()),
        h(&|| p.values().copied().collect()),
    );
    let nmi = mi / (hg * hp).sqrt().max(f64::MIN_POSITIVE);
    let expected = gp * pp / pairs(gold.len());
    let ari = (tp - expected) / ((gp + pp) / 2.0 - expected);
    [pr, re, f1, b3, nmi, ari, p.len() as f64]
}

/// News.jsonl as another stream sorted by topic, the way News-T was made
/// ("16 batches sorted by topic"): each gold story goes to one of 16
/// batches, the batches come in order, and within a batch the titles are
/// shuffled. `seed` picks the assignment and the shuffle, deterministically.
/// The titles and gold stories are News's; only the order is new, so order
/// rules can be checked on neighbours other than News-T's.
fn topic_stream(news: &str, seed: u64) -> Result<String> {
    let mix = |mut x: u64| {
        x ^= x >> 30;
        x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x ^= x >> 27;
        x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^ (x >> 31)
    };
    let mut keyed: Vec<((u64, u64), &str)> = Vec::new();
    for (i, line) in news.lines().enumerate() {
        let story = serde_json::from_str::<serde_json::Value>(line)?["clusterNo"]
            .as_u64()
            .unwrap_or(0);
        let batch = mix(seed.wrapping_mul(1_000_003) ^ story) % 16;
        keyed.push(((batch, mix(seed ^ mix(i as u64))), line));
    }
    keyed.sort_unstable();
    Ok(keyed.iter().map(|(_, l)| format!("{l}\n")).collect())
}

/// `overrides`: settings under test (the flags of `bench-cluster`), over
/// the defaults of the profile chosen for each stream; `topic_streams`:
/// extra streams built from News.
pub fn run(shared: &Path, overrides: &Overrides, topic_streams: u64) -> Result<()> {
    let dir = shared.join("bench/cluster-mstream");
    if !dir.is_dir() {
        bail!("{} is absent (pass --shared DIR)", dir.display());
    }
    println!("overrides of the chosen profile's defaults: {overrides:?}\n");
    println!("| set | profile | pairwise P | R | F1 | B-cubed F1 | NMI | ARI | clusters | docs/s |\n|---|---|---|---|---|---|---|---|---|---|");
    let news = std::fs::read_to_string(dir.join("News.jsonl"))?;
    let mut sets = vec!["News".to_string(), "News-T".to_string()];
    sets.extend((1..=topic_streams).map(|seed| format!("News-topics-{seed}")));
    for set in &sets {
        let text = match set.strip_prefix("News-topics-") {
            Some(seed) => topic_stream(&news, seed.parse()?)?,
            None => std::fs::read_to_string(dir.join(format!("{set}.jsonl")))?,
        };
        let gold: Vec<u64> = text
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l)
                    .map(|v| v["clusterNo"].as_u64().unwrap_or(0))
            })
            .collect::<Result<_, _>>()?;
        let mut fields = ClusterFields {
            id: "Id".into(),
            text: "textCleaned".into(),
            ..ClusterFields::default()
        };
        // The profile as `corroborate cluster` chooses it, from the stream.
        let (profile, _) = sample_profile(text.as_bytes(), &fields)?;
        fields.config = overrides.apply(profile.config());
        let mut n = 0;
        let (mut merges, mut splits) = (0, 0);
        let t = Instant::now();
        let clusterer = cluster_jsonl(
            text.as_bytes(),
            set,
            &fields,
            &mut |event| {
                match event {
                    ClusterEvent::Assigned { .. } => n += 1,
                    ClusterEvent::Merged { .. } => merges += 1,
                    ClusterEvent::Split { .. } => splits += 1,
                }
                Ok(())
            },
            &mut |i| eprintln!("{i}"),
        )?;
        // Final labels: each record's story after the online merges and
        // splits.
        let pred: Vec<usize> = (0..n).map(|d| clusterer.story_of_doc(d)).collect();
        let secs = t.elapsed().as_secs_f64();
        if let Ok(d) = std::env::var("BENCH_DUMP") {
            std::fs::write(
                format!("{d}/{set}.pred"),
                pred.iter().map(|p| format!("{p}\n")).collect::<String>(),
            )?;
        }
        eprintln!("{set}: {merges} online merges, {splits} splits");
        let [p, r, f1, b3, nmi, ari, k] = score(&gold, &pred);
        println!(
            "| {set} | {} | {p:.3} | {r:.3} | {f1:.3} | {b3:.3} | {nmi:.3} | {ari:.3} | {k} | {:.0} |",
            profile.name(),
            pred.len() as f64 / secs
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn perfect_and_split_clusterings() {
        let gold = [1, 1, 2, 2];
        let [p, r, f1, b3, nmi, ari, k] = super::score(&gold, &[0, 0, 1, 1]);
        assert_eq!((p, r, f1, b3, k), (1.0, 1.0, 1.0, 1.0, 2.0));
        assert!((nmi - 1.0).abs() < 1e-9 && (ari - 1.0).abs() < 1e-9);
        let [p, r, ..] = super::score(&gold, &[0, 1, 2, 3]);
        assert_eq!((p, r), (0.0, 0.0));
    }
}
