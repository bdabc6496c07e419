//! CheckThat 2020 claim retrieval: MAP@5 and friends for BM25, the embedder
//! and both.

use super::*;

/// MAP@5, MAP@1, MRR and R@5 of one ranking against the relevant set.
pub(super) fn retrieval_scores(ranked: &[&str], rel: &HashSet<String>) -> [f64; 4] {
    let ap = |k: usize| {
        let mut hits = 0.0;
        let mut s = 0.0;
        for (i, d) in ranked.iter().take(k).enumerate() {
            if rel.contains(*d) {
                hits += 1.0;
                s += hits / (i + 1) as f64;
            }
        }
        s / rel.len() as f64
    };
    let mrr = ranked
        .iter()
        .position(|d| rel.contains(*d))
        .map_or(0.0, |i| 1.0 / (i + 1) as f64);
    let r5 = ranked.iter().take(5).filter(|d| rel.contains(**d)).count() as f64 / rel.len() as f64;
    [ap(5), ap(1), mrr, r5]
}

/// Embeds `texts`, reusing the vectors of an earlier run of the same texts
/// (bench-out/cache, keyed by a hash of the texts): embedding the 10,375
/// claims takes minutes on two cores.
pub(crate) fn embed_cached(
    model: &corroborate_embed::Embedder,
    texts: &[&str],
) -> Result<Vec<Vec<f32>>> {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    texts.hash(&mut h);
    let cache = Path::new("bench-out/cache").join(format!("minilm-{:016x}.f32", h.finish()));
    if let Ok(raw) = std::fs::read(&cache) {
        let floats: Vec<f32> = raw
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        if !floats.is_empty() && floats.len().is_multiple_of(texts.len()) {
            let dims = floats.len() / texts.len();
            println!("{} embeddings from {}", texts.len(), cache.display());
            return Ok(floats.chunks(dims).map(<[f32]>::to_vec).collect());
        }
    }
    let t = Instant::now();
    let vecs = model.embed(texts)?;
    println!(
        "embedded {} texts in {:.1} s ({:.0} texts/s)",
        texts.len(),
        t.elapsed().as_secs_f64(),
        texts.len() as f64 / t.elapsed().as_secs_f64()
    );
    let bytes: Vec<u8> = vecs
        .iter()
        .flatten()
        .flat_map(|x| x.to_le_bytes())
        .collect();
    if std::fs::create_dir_all("bench-out/cache").is_ok() {
        let _ = std::fs::write(&cache, bytes);
    }
    Ok(vecs)
}

/// The model, when this xtask is built with `--features embed` and the
/// model is on disk.
pub(crate) fn sentence_model() -> Option<corroborate_embed::Embedder> {
    let Some(dir) = corroborate_embed::locate(None) else {
        println!("no sentence-model folder (scripts/fetch-minilm.sh): lexical only");
        return None;
    };
    match corroborate_embed::Embedder::load(&dir) {
        Ok(m) => Some(m),
        Err(e) => {
            println!("no sentence embeddings ({e}): lexical only");
            None
        }
    }
}

/// One split's queries (tweet id, cleaned text) and relevant claims.
type Split = (
    &'static str,
    Vec<(String, String)>,
    HashMap<String, HashSet<String>>,
);

/// The matcher with embeddings, the claims' vectors and the queries'.
type Hybrid = (
    corroborate_engine::matching::ClaimMatcher,
    Vec<Vec<f32>>,
    HashMap<String, Vec<f32>>,
);

pub(super) fn claims(shared: &Path) -> Result<()> {
    use corroborate_engine::matching::ClaimMatcher;
    let dir = shared.join("bench/claims-checkthat2020");
    if absent("claims-checkthat2020", &dir) {
        return Ok(());
    }
    let entries = load_claims(&dir)?;
    let splits = ["dev", "train"]
        .into_iter()
        .map(|split| load_split(&dir, split))
        .collect::<Result<Vec<Split>>>()?;
    let t = Instant::now();
    let lexical = ClaimMatcher::with_vectors(entries.clone(), None);
    let build = t.elapsed().as_secs_f64();
    let hybrid = hybrid(&entries, &splits)?;
    let mut methods = vec!["BM25 (claim + title)"];
    if hybrid.is_some() {
        methods.extend(["MiniLM (claim)", "BM25 + MiniLM"]);
    }
    for (split, queries, rel) in &splits {
        println!(
            "claims-checkthat2020 {split} ({} queries over {} claims; BM25 index built in {build:.2} s)",
            rel.len(),
            entries.len(),
        );
        println!(
            "| similarity | MAP@5 | MAP@1 | MRR | R@5 | queries/s |\n|---|---|---|---|---|---|"
        );
        for method in &methods {
            let t = Instant::now();
            let mut sum = [0.0; 4];
            let mut n = 0.0;
            for (qid, text) in queries {
                let Some(rel) = rel.get(qid) else { continue };
                let ranked = rank(method, &lexical, hybrid.as_ref(), qid, text);
                let ranked: Vec<&str> = ranked.iter().map(|&i| entries[i].id.as_str()).collect();
                for (s, x) in sum.iter_mut().zip(retrieval_scores(&ranked, rel)) {
                    *s += x;
                }
                n += 1.0;
            }
            let secs = t.elapsed().as_secs_f64();
            println!(
                "| {method} | {:.3} | {:.3} | {:.3} | {:.3} | {:.0} |",
                sum[0] / n,
                sum[1] / n,
                sum[2] / n,
                sum[3] / n,
                n / secs
            );
        }
        println!();
    }
    Ok(())
}

/// The verified claims.
fn load_claims(dir: &Path) -> Result<Vec<corroborate_engine::matching::MatchEntry>> {
    Ok(read_jsonl(&dir.join("vclaims.jsonl.gz"))?
        .iter()
        .map(|v| corroborate_engine::matching::MatchEntry {
            id: v["vclaim_id"].as_str().unwrap_or("").to_string(),
            text: v["vclaim"]
                .as_str()
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            context: v["title"].as_str().unwrap_or("").to_string(),
        })
        .collect())
}

fn load_split(dir: &Path, split: &'static str) -> Result<Split> {
    let queries: Vec<(String, String)> = read_jsonl(&dir.join(format!("{split}.queries.jsonl")))?
        .iter()
        .map(|q| {
            (
                q["tweet_id"].as_str().unwrap_or("").to_string(),
                claim_index::clean_post(q["text"].as_str().unwrap_or("")),
            )
        })
        .collect();
    let mut rel: HashMap<String, HashSet<String>> = HashMap::new();
    let qrels = std::fs::File::open(dir.join(format!("{split}.qrels")))?;
    for line in std::io::BufReader::new(qrels).lines() {
        let line = line?;
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() == 4 && f[3] != "0" {
            rel.entry(f[0].into()).or_default().insert(f[2].into());
        }
    }
    Ok((split, queries, rel))
}

/// Query vectors by tweet id, and the matcher with embeddings, when the
/// sentence model is at hand.
fn hybrid(
    entries: &[corroborate_engine::matching::MatchEntry],
    splits: &[Split],
) -> Result<Option<Hybrid>> {
    let Some(model) = sentence_model() else {
        return Ok(None);
    };
    let texts: Vec<&str> = entries.iter().map(|e| e.text.as_str()).collect();
    let claim_vecs = embed_cached(&model, &texts).context("embedding the claims")?;
    let all: Vec<&(String, String)> = splits.iter().flat_map(|(_, q, _)| q).collect();
    let texts: Vec<&str> = all.iter().map(|(_, t)| t.as_str()).collect();
    let qvecs = embed_cached(&model, &texts).context("embedding the queries")?;
    let by_id: HashMap<String, Vec<f32>> =
        all.iter().map(|(id, _)| id.clone()).zip(qvecs).collect();
    let matcher = corroborate_engine::matching::ClaimMatcher::with_vectors(
        entries.to_vec(),
        Some((model, claim_vecs.clone())),
    );
    Ok(Some((matcher, claim_vecs, by_id)))
}

/// The claims ranked for one query by one method.
fn rank(
    method: &str,
    lexical: &corroborate_engine::matching::ClaimMatcher,
    hybrid: Option<&Hybrid>,
    qid: &str,
    text: &str,
) -> Vec<usize> {
    match (method, hybrid) {
        ("MiniLM (claim)", Some((_, claim_vecs, q))) => {
            let cos: Vec<f32> = claim_vecs
                .iter()
                .map(|c| corroborate_embed::cosine(&q[qid], c))
                .collect();
            claim_index::fuse(&[], &cos, 0.0)
                .iter()
                .map(|x| x.0)
                .collect()
        }
        ("BM25 + MiniLM", Some((m, _, q))) => m
            .rank_cleaned(text, Some(&q[qid]), usize::MAX)
            .iter()
            .map(|x| x.index)
            .collect(),
        _ => lexical
            .rank_cleaned(text, None, usize::MAX)
            .iter()
            .map(|x| x.index)
            .collect(),
    }
}
