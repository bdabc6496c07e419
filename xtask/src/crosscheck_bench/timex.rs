//! TempEval-3 time expressions: extents, types and values, scored as
//! TempEval-3 scores them.

use super::*;

pub(super) fn timex(shared: &Path) -> Result<()> {
    let path = shared.join("bench/timex-tempeval3/dev.jsonl.gz");
    if absent("timex-tempeval3", &path) {
        return Ok(());
    }
    let docs = read_jsonl(&path)?;
    let (mut n_gold, mut n_pred, mut relaxed, mut strict, mut value_ok, mut type_ok) =
        (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    let verbose = std::env::var_os("BENCH_VERBOSE").is_some();
    let t = Instant::now();
    for d in &docs {
        let text = d["text"].as_str().unwrap_or("");
        let dct = d["dct"].as_str().and_then(published);
        let pred = timexes(text, dct);
        let gold = d["timex"].as_array().unwrap();
        n_gold += gold.len() as f64;
        n_pred += pred.len() as f64;
        let mut used = HashSet::new();
        let mut gold_hit = HashSet::new();
        for (gi, g) in gold.iter().enumerate() {
            let (gs, ge) = (
                g["start"].as_u64().unwrap() as usize,
                g["end"].as_u64().unwrap() as usize,
            );
            let best = pred
                .iter()
                .enumerate()
                .filter(|(i, p)| !used.contains(i) && p.start < ge && gs < p.end)
                .max_by_key(|(_, p)| p.end.min(ge) - p.start.max(gs));
            if let Some((i, p)) = best {
                used.insert(i);
                gold_hit.insert(gi);
                relaxed += 1.0;
                if p.start == gs && p.end == ge {
                    strict += 1.0;
                }
                if p.value == g["value"].as_str().unwrap_or("") {
                    value_ok += 1.0;
                } else if verbose {
                    let ctx: String = text
                        .chars()
                        .skip(gs.saturating_sub(80))
                        .take(ge - gs.saturating_sub(80) + 20)
                        .collect();
                    println!(
                        "  value {:?} -> {} (gold {}, dct {}) …{}…",
                        g["text"],
                        p.value,
                        g["value"],
                        d["dct"].as_str().unwrap_or("?"),
                        ctx.replace('\n', " ")
                    );
                }
                if p.kind == g["type"].as_str().unwrap_or("") {
                    type_ok += 1.0;
                }
            } else if verbose {
                println!("  missed {:?} {}", g["text"], g["value"]);
            }
        }
        if verbose {
            for (i, p) in pred.iter().enumerate() {
                if !used.contains(&i) {
                    println!("  spurious {:?} {}", p.text, p.value);
                }
            }
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let (p, r, f) = prf(relaxed, n_pred, relaxed, n_gold);
    let (sp, sr, sf) = prf(strict, n_pred, strict, n_gold);
    let acc = value_ok / relaxed.max(1.0);
    let tacc = type_ok / relaxed.max(1.0);
    println!(
        "timex-tempeval3 dev ({} documents, {n_gold} gold, {n_pred} predicted, {:.0} documents/s)",
        docs.len(),
        docs.len() as f64 / secs
    );
    println!("| figure | P | R | F1 |\n|---|---|---|---|");
    println!("| relaxed extent | {p:.3} | {r:.3} | {f:.3} |");
    println!("| strict extent | {sp:.3} | {sr:.3} | {sf:.3} |");
    println!(
        "value accuracy {acc:.3}, **value F1 {:.3}**; type accuracy {tacc:.3}, type F1 {:.3}\n",
        f * acc,
        f * tacc
    );
    Ok(())
}
