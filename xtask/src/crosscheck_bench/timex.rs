//! TempEval-3 time expressions: extents, types and values, scored as
//! TempEval-3 scores them.

use super::*;
use std::collections::BTreeMap;

/// Matched and predicted counts of one set of documents.
#[derive(Default, Clone, Copy)]
struct Counts {
    gold: f64,
    pred: f64,
    relaxed: f64,
    strict: f64,
    value_ok: f64,
    type_ok: f64,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.gold += o.gold;
        self.pred += o.pred;
        self.relaxed += o.relaxed;
        self.strict += o.strict;
        self.value_ok += o.value_ok;
        self.type_ok += o.type_ok;
    }

    /// (relaxed F1, value F1).
    fn value_f1(&self) -> (f64, f64) {
        let (_, _, f) = prf(self.relaxed, self.pred, self.relaxed, self.gold);
        (f, f * self.value_ok / self.relaxed.max(1.0))
    }
}

pub(super) fn timex(shared: &Path) -> Result<()> {
    let path = shared.join("bench/timex-tempeval3/dev.jsonl.gz");
    if absent("timex-tempeval3", &path) {
        return Ok(());
    }
    let docs = read_jsonl(&path)?;
    let verbose = std::env::var_os("BENCH_VERBOSE").is_some();
    let t = Instant::now();
    // Per source corpus (TimeBank, AQUAINT): a rule that gains on one and
    // loses on the other fits the corpus, not the language.
    let mut by_corpus: BTreeMap<String, Counts> = BTreeMap::new();
    for d in &docs {
        let c = score_doc(d, verbose);
        let corpus = d["corpus"].as_str().unwrap_or("?").to_string();
        by_corpus.entry(corpus).or_default().add(&c);
    }
    let mut all = Counts::default();
    for c in by_corpus.values() {
        all.add(c);
    }
    let Counts {
        gold: n_gold,
        pred: n_pred,
        relaxed,
        strict,
        value_ok,
        type_ok,
    } = all;
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
    for (corpus, c) in &by_corpus {
        let (rf, vf) = c.value_f1();
        println!(
            "{corpus}: relaxed F1 {rf:.3}, value F1 {vf:.3} ({} gold)",
            c.gold
        );
    }
    println!();
    Ok(())
}

/// One document's timexes matched to its gold ones; `verbose`: print the
/// misses.
fn score_doc(d: &Value, verbose: bool) -> Counts {
    let text = d["text"].as_str().unwrap_or("");
    let dct = d["dct"].as_str().and_then(published);
    let pred = timexes(text, dct);
    let gold = d["timex"].as_array().unwrap();
    let mut c = Counts {
        gold: gold.len() as f64,
        pred: pred.len() as f64,
        ..Counts::default()
    };
    let mut used = HashSet::new();
    for g in gold {
        let (gs, ge) = (
            g["start"].as_u64().unwrap() as usize,
            g["end"].as_u64().unwrap() as usize,
        );
        let best = pred
            .iter()
            .enumerate()
            .filter(|(i, p)| !used.contains(i) && p.start < ge && gs < p.end)
            .max_by_key(|(_, p)| p.end.min(ge) - p.start.max(gs));
        let Some((i, p)) = best else {
            if verbose {
                println!("  missed {:?} {}", g["text"], g["value"]);
            }
            continue;
        };
        used.insert(i);
        c.relaxed += 1.0;
        if p.start == gs && p.end == ge {
            c.strict += 1.0;
        }
        if p.value == g["value"].as_str().unwrap_or("") {
            c.value_ok += 1.0;
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
            c.type_ok += 1.0;
        }
    }
    if verbose {
        for (i, p) in pred.iter().enumerate() {
            if !used.contains(&i) {
                println!("  spurious {:?} {}", p.text, p.value);
            }
        }
    }
    c
}
