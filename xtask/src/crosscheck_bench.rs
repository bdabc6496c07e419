//! `cargo xtask bench-crosscheck [--only quotes|quantities|timex|claims|story]`:
//! the four benchmarks of issue 5, each scored as its README in
//! ../shared/bench says, on the development split:
//!
//! - attribution-polnear: quote (and quote + speaker) P/R/F1 over direct
//!   quotes, then over all attributions (indirect speech included);
//! - quantities-newsquant: CQE's counting (value, value+unit,
//!   value+change, value+concept);
//! - timex-tempeval3: relaxed and strict extent F1, value accuracy and
//!   value F1 (TempEval-3 Task A);
//! - claims-checkthat2020: MAP@5, MAP@1, MRR, R@5 of verified-claim
//!   retrieval with the similarity claim alignment uses;
//! - story speed: one 50-article story cross-checked on one core.
//!
//! Missing data is skipped with a message.

use anyhow::{Context, Result};
use corroborate_crosscheck::{annotate, claim_index, timexes};
use corroborate_model::Statement;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Read};
use std::path::Path;
use std::time::Instant;

fn read_jsonl(path: &Path) -> Result<Vec<Value>> {
    let raw = std::fs::read(path).with_context(|| path.display().to_string())?;
    let text = if path.extension().is_some_and(|e| e == "gz") {
        let mut s = String::new();
        flate2::read::MultiGzDecoder::new(&raw[..]).read_to_string(&mut s)?;
        s
    } else {
        String::from_utf8(raw)?
    };
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Ok(serde_json::from_str(l)?))
        .collect()
}

/// Says that a benchmark's data is missing (it lives in ../shared, never
/// in the repository) and that the benchmark is skipped.
fn absent(label: &str, path: &Path) -> bool {
    let missing = !path.exists();
    if missing {
        println!("{label}: {} is absent, skipped\n", path.display());
    }
    missing
}

fn prf(tp_p: f64, n_pred: f64, tp_g: f64, n_gold: f64) -> (f64, f64, f64) {
    let p = tp_p / n_pred.max(1.0);
    let r = tp_g / n_gold.max(1.0);
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// A day ("1998-01-08") or a day and time ("1990-08-15T13:37") as a timestamp.
fn published(date: &str) -> Option<corroborate_model::Timestamp> {
    let (day, time) = date.split_once('T').unwrap_or((date, "12:00"));
    let time = if time.len() == 5 {
        format!("{time}:00")
    } else {
        time.to_string()
    };
    format!("{day}T{time}Z").parse().ok()
}

// ---------------------------------------------------------------- polnear

struct Span(Vec<(usize, usize)>);

impl Span {
    fn of(v: &Value) -> Option<Span> {
        let spans = v.get("spans")?.as_array()?;
        Some(Span(
            spans
                .iter()
                .map(|p| {
                    (
                        p[0].as_u64().unwrap_or(0) as usize,
                        p[1].as_u64().unwrap_or(0) as usize,
                    )
                })
                .collect(),
        ))
    }
    fn overlap(&self, s: usize, e: usize) -> usize {
        self.0
            .iter()
            .map(|&(a, b)| b.min(e).saturating_sub(a.max(s)))
            .sum()
    }
}

#[derive(Default)]
struct QuoteCounts {
    pred: f64,
    gold_direct: f64,
    gold_all: f64,
    matched: f64,
    matched_speaker: f64,
    direct_matched: f64,
    direct_matched_speaker: f64,
    all_matched: f64,
    all_matched_speaker: f64,
    cue_ok: f64,
}

/// PolNeAR on the train split, then the dev split: rules that gain on one
/// and lose on the other fit the data, not the language (the test split is
/// the judge's and is never read).
fn quotes(shared: &Path) -> Result<()> {
    for (split, file) in [("train", "train.jsonl.gz"), ("dev", "dev.jsonl")] {
        let path = shared.join("bench/attribution-polnear").join(file);
        if absent("attribution-polnear", &path) {
            return Ok(());
        }
        quotes_on(split, &read_jsonl(&path)?);
    }
    Ok(())
}

fn quotes_on(split: &str, docs: &[serde_json::Value]) {
    // Three runs: the direct quotes, every statement, and the statements
    // with a speaker (an attribution without a source is not one).
    for (mode, label) in [
        (0, "direct quotes submitted"),
        (1, "all statements submitted"),
        (2, "statements with a speaker submitted"),
    ] {
        let mut c = QuoteCounts::default();
        let t = Instant::now();
        for d in docs {
            let text = d["text"].as_str().unwrap_or("");
            let a = annotate(text, d["date"].as_str().and_then(published));
            // A quote that continues the previous one (the same speaker
            // going on after "she said") is a piece of that attribution, as
            // PolNeAR annotates it: one prediction spanning the pieces.
            let mut preds: Vec<Statement> = Vec::new();
            for s in a.statements.iter().filter(|s| match mode {
                0 => s.direct,
                1 => true,
                _ => s.speaker.is_some(),
            }) {
                match preds.iter_mut().rev().find(|p| p.direct) {
                    Some(prev) if s.continues => prev.end = prev.end.max(s.end),
                    _ => preds.push(s.clone()),
                }
            }
            let preds: Vec<&Statement> = preds.iter().collect();
            let gold: Vec<&Value> = d["attributions"].as_array().unwrap().iter().collect();
            c.pred += preds.len() as f64;
            let mut pairs = Vec::new();
            for (pi, p) in preds.iter().enumerate() {
                for (gi, g) in gold.iter().enumerate() {
                    let o = Span::of(&g["content"]).map_or(0, |s| s.overlap(p.start, p.end));
                    if o > 0 {
                        pairs.push((o, pi, gi));
                    }
                }
            }
            pairs.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
            let (mut pu, mut gu) = (HashSet::new(), HashSet::new());
            for g in &gold {
                c.gold_all += 1.0;
                if g["direct"].as_bool() == Some(true) {
                    c.gold_direct += 1.0;
                }
            }
            for (_, pi, gi) in pairs.iter().copied() {
                if pu.contains(&pi) || gu.contains(&gi) {
                    continue;
                }
                pu.insert(pi);
                gu.insert(gi);
                let (p, g) = (preds[pi], gold[gi]);
                let speaker_ok = p.speaker.as_ref().is_some_and(|s| {
                    Span::of(&g["source"]).is_some_and(|src| src.overlap(s.start, s.end) > 0)
                });
                let cue_ok = p.cue.as_ref().is_some_and(|cue| {
                    Span::of(&g["cue"]).is_some_and(|gc| gc.overlap(cue.start, cue.end) > 0)
                });
                c.matched += 1.0;
                c.all_matched += 1.0;
                c.cue_ok += f64::from(u8::from(cue_ok));
                if speaker_ok {
                    c.matched_speaker += 1.0;
                    c.all_matched_speaker += 1.0;
                }
                if g["direct"].as_bool() == Some(true) {
                    c.direct_matched += 1.0;
                    if speaker_ok {
                        c.direct_matched_speaker += 1.0;
                    } else if mode == 2 && std::env::var_os("BENCH_VERBOSE").is_some() {
                        let src: String = Span::of(&g["source"])
                            .map(|s| {
                                s.0.iter()
                                    .map(|&(a, b)| {
                                        text.chars().skip(a).take(b - a).collect::<String>()
                                    })
                                    .collect::<Vec<_>>()
                                    .join(" ")
                            })
                            .unwrap_or_default();
                        let ctx: String = text
                            .chars()
                            .skip(p.start.saturating_sub(80))
                            .take(p.end - p.start.saturating_sub(80) + 60)
                            .collect::<String>()
                            .replace('\n', " ");
                        let at = |a: usize, b: usize| -> String {
                            text.chars().skip(a).take(b.saturating_sub(a)).collect()
                        };
                        println!(
                            "  speaker {:?} at {:?} (gold {src:?}) | pred {:?} | gold {:?} | {ctx}",
                            p.speaker.as_ref().map(|s| s.name.as_str()),
                            p.speaker.as_ref().map(|s| at(s.start, s.end)),
                            at(p.start, p.end).chars().take(60).collect::<String>(),
                            g["content"]["text"]
                                .as_str()
                                .unwrap_or("")
                                .chars()
                                .take(60)
                                .collect::<String>(),
                        );
                    }
                }
            }
            if mode == 2 && std::env::var_os("BENCH_VERBOSE").is_some() {
                for (pi, p) in preds.iter().enumerate() {
                    if !pu.contains(&pi) {
                        println!(
                            "  extra {} {:?} (speaker {:?})",
                            if p.direct { "D" } else { "I" },
                            p.text.chars().take(110).collect::<String>(),
                            p.speaker.as_ref().map(|s| s.name.as_str())
                        );
                    }
                }
                for (gi, g) in gold.iter().enumerate() {
                    if g["direct"].as_bool() == Some(true) && !gu.contains(&gi) {
                        let near = pairs.iter().any(|&(_, _, pg)| pg == gi);
                        println!(
                            "  unmatched{} {:?} (source {:?})",
                            if near { " (taken)" } else { "" },
                            g["content"]["text"]
                                .as_str()
                                .unwrap_or("")
                                .chars()
                                .take(110)
                                .collect::<String>(),
                            g["source"]["text"].as_str().unwrap_or("")
                        );
                    }
                }
            }
        }
        let secs = t.elapsed().as_secs_f64();
        let (p, r, f) = prf(c.matched, c.pred, c.direct_matched, c.gold_direct);
        let (ps, rs, fs) = prf(
            c.matched_speaker,
            c.pred,
            c.direct_matched_speaker,
            c.gold_direct,
        );
        let (pa, ra, fa) = prf(c.all_matched, c.pred, c.all_matched, c.gold_all);
        let (pas, ras, fas) = prf(
            c.all_matched_speaker,
            c.pred,
            c.all_matched_speaker,
            c.gold_all,
        );
        println!(
            "attribution-polnear {split} ({} articles, {label}, {} predictions, {:.0} articles/s)",
            docs.len(),
            c.pred,
            docs.len() as f64 / secs
        );
        println!("| figure | P | R | F1 |\n|---|---|---|---|");
        println!("| direct quote | {p:.3} | {r:.3} | {f:.3} |");
        println!("| direct quote + speaker | {ps:.3} | {rs:.3} | {fs:.3} |");
        println!("| all attributions | {pa:.3} | {ra:.3} | {fa:.3} |");
        println!("| all attributions + speaker | {pas:.3} | {ras:.3} | {fas:.3} |");
        println!(
            "cue accuracy of matched pairs: {:.3}\n",
            c.cue_ok / c.matched.max(1.0)
        );
    }
}

// ---------------------------------------------------------------- newsquant

#[derive(Debug, Clone)]
enum Val {
    One(f64),
    Range(f64, f64),
}

impl Val {
    fn parse(s: &str) -> Option<Val> {
        let s = s.trim();
        if s.contains('-') && !s.starts_with('-') && !s.contains('E') {
            let (a, b) = s.split_once('-')?;
            Some(Val::Range(a.trim().parse().ok()?, b.trim().parse().ok()?))
        } else {
            s.parse().ok().map(Val::One)
        }
    }
    fn matches(&self, o: &Val) -> bool {
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-8 + 1e-5 * b.abs();
        match (self, o) {
            (Val::One(a), Val::One(b)) => close(*b, *a),
            (Val::Range(a, b), Val::Range(c, d)) => close(*c, *a) && close(*d, *b),
            _ => false,
        }
    }
}

struct Q {
    value: Val,
    unit: String,
    change: String,
    concept: Vec<String>,
}

/// Concept words as the CQE evaluation code splits them (`re.split(r'[,\s]+')`).
/// A quantity with no concept is `["-"]` on both sides, as in the gold file and
/// in CQE's own tagger (`flat_list = ['-']`), so "no concept" vs "no concept"
/// is a match there and here.
fn words(s: &str) -> Vec<String> {
    let w: Vec<String> = s
        .to_lowercase()
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    if w.is_empty() {
        vec!["-".to_string()]
    } else {
        w
    }
}

fn newsquant(shared: &Path) -> Result<()> {
    let path = shared.join("bench/quantities-newsquant/dev.jsonl");
    if absent("quantities-newsquant", &path) {
        return Ok(());
    }
    let docs = read_jsonl(&path)?;
    let (mut n_gold, mut n_pred) = (0.0, 0.0);
    let [mut v, mut vu, mut vc, mut cp, mut cc] = [0.0f64; 5];
    let t = Instant::now();
    let mut misses = Vec::new();
    let mut extras = Vec::new();
    // BENCH_DUMP=FILE: our quantities per sentence, with offsets, as JSONL.
    let mut dump = match std::env::var_os("BENCH_DUMP") {
        Some(p) => Some(std::io::BufWriter::new(std::fs::File::create(p)?)),
        None => None,
    };
    for d in &docs {
        let text = d["text"].as_str().unwrap_or("");
        let found = corroborate_crosscheck::quantities(text);
        if let Some(w) = dump.as_mut() {
            use std::io::Write;
            let qs: Vec<Value> = found
                .iter()
                .map(|q| {
                    serde_json::json!({"start": q.start, "end": q.end, "value": q.value,
                        "range": q.range, "unit": q.unit, "concept": q.concept})
                })
                .collect();
            writeln!(
                w,
                "{}",
                serde_json::json!({"text": text, "pred": qs, "gold": d["quantities"]})
            )?;
        }
        let mut pred: Vec<Q> = found
            .into_iter()
            .map(|q| Q {
                value: match q.range {
                    Some((lo, hi)) => Val::Range(lo, hi),
                    None => Val::One(q.value),
                },
                unit: q.unit,
                change: q.change.to_string(),
                concept: words(&q.concept),
            })
            .collect();
        let mut gold: Vec<Q> = d["quantities"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|g| {
                Some(Q {
                    value: Val::parse(g["value"].as_str()?)?,
                    unit: g["normalized_unit"].as_str()?.to_lowercase(),
                    change: g["change"].as_str()?.to_string(),
                    concept: words(g["referred_concepts"].as_str().unwrap_or("-")),
                })
            })
            .collect();
        n_gold += gold.len() as f64;
        n_pred += pred.len() as f64;
        gold.sort_by(|a, b| a.unit.cmp(&b.unit));
        pred.sort_by(|a, b| a.unit.cmp(&b.unit));
        if std::env::var_os("BENCH_VERBOSE").is_some() {
            for p in pred
                .iter()
                .filter(|p| !gold.iter().any(|g| g.value.matches(&p.value)))
            {
                extras.push(format!(
                    "  extra {:?} {} in: {}",
                    p.value,
                    p.unit,
                    text.chars().take(140).collect::<String>()
                ));
            }
        }
        let mut value_hits = 0usize;
        for g in &gold {
            let mut i = 0;
            let mut found = false;
            while i < pred.len() {
                let p = &pred[i];
                if g.value.matches(&p.value) {
                    found = true;
                    // As in evaluate_models.py: value-correct is capped at the
                    // sentence's gold count; change and concept are counted on
                    // every value match met while walking.
                    if value_hits < gold.len() {
                        value_hits += 1;
                        v += 1.0;
                    }
                    if g.change == p.change {
                        vc += 1.0;
                    }
                    let gs: HashSet<_> = g.concept.iter().collect();
                    let ps: HashSet<_> = p.concept.iter().collect();
                    let shared = gs.intersection(&ps).count();
                    if shared > 0 {
                        cp += 1.0;
                    } else if std::env::var_os("BENCH_VERBOSE").is_some() {
                        println!(
                            "  concept {:?} (gold {:?}) in: {}",
                            p.concept,
                            g.concept,
                            text.chars().take(120).collect::<String>()
                        );
                    }
                    if shared == g.concept.len() && g.concept.len() == p.concept.len() {
                        cc += 1.0;
                    }
                    if g.unit == p.unit {
                        vu += 1.0;
                        pred.remove(i);
                        break;
                    }
                }
                i += 1;
            }
            if !found && misses.len() < 40 {
                misses.push(format!(
                    "  miss {:?} {} in: {}",
                    g.value,
                    g.unit,
                    text.chars().take(140).collect::<String>()
                ));
            }
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "quantities-newsquant dev ({} sentences, {n_gold} gold, {n_pred} predicted, {:.0} sentences/s)",
        docs.len(),
        docs.len() as f64 / secs
    );
    println!("| figure | P | R | F1 |\n|---|---|---|---|");
    for (name, k) in [
        ("value", v),
        ("value+unit", vu),
        ("value+change", vc),
        ("value+concept (partial)", cp),
        ("value+concept (complete)", cc),
    ] {
        let (p, r, f) = prf(k, n_pred, k, n_gold);
        println!("| {name} | {p:.3} | {r:.3} | {f:.3} |");
    }
    if std::env::var_os("BENCH_VERBOSE").is_some() {
        println!("{}", misses.join("\n"));
        println!("{}", extras.join("\n"));
    }
    println!();
    Ok(())
}

// ---------------------------------------------------------------- tempeval3

fn timex(shared: &Path) -> Result<()> {
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

// ---------------------------------------------------------------- checkthat

/// MAP@5, MAP@1, MRR and R@5 of one ranking against the relevant set.
fn retrieval_scores(ranked: &[&str], rel: &HashSet<String>) -> [f64; 4] {
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

fn claims(shared: &Path) -> Result<()> {
    use corroborate_engine::matching::{ClaimMatcher, MatchEntry};
    let dir = shared.join("bench/claims-checkthat2020");
    if absent("claims-checkthat2020", &dir) {
        return Ok(());
    }
    let entries: Vec<MatchEntry> = read_jsonl(&dir.join("vclaims.jsonl.gz"))?
        .iter()
        .map(|v| MatchEntry {
            id: v["vclaim_id"].as_str().unwrap_or("").to_string(),
            text: v["vclaim"]
                .as_str()
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            context: v["title"].as_str().unwrap_or("").to_string(),
        })
        .collect();
    let mut splits = Vec::new();
    for split in ["dev", "train"] {
        let queries: Vec<(String, String)> =
            read_jsonl(&dir.join(format!("{split}.queries.jsonl")))?
                .iter()
                .map(|q| {
                    (
                        q["tweet_id"].as_str().unwrap_or("").to_string(),
                        claim_index::clean_post(q["text"].as_str().unwrap_or("")),
                    )
                })
                .collect();
        let mut rel: HashMap<String, HashSet<String>> = HashMap::new();
        for line in
            std::io::BufReader::new(std::fs::File::open(dir.join(format!("{split}.qrels")))?)
                .lines()
        {
            let line = line?;
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() == 4 && f[3] != "0" {
                rel.entry(f[0].into()).or_default().insert(f[2].into());
            }
        }
        splits.push((split, queries, rel));
    }
    let t = Instant::now();
    let lexical = ClaimMatcher::with_vectors(entries.clone(), None);
    let build = t.elapsed().as_secs_f64();
    // Query vectors by tweet id, and the matcher with embeddings.
    let mut hybrid = None;
    if let Some(model) = sentence_model() {
        let texts: Vec<&str> = entries.iter().map(|e| e.text.as_str()).collect();
        let claim_vecs = embed_cached(&model, &texts).context("embedding the claims")?;
        let all: Vec<&(String, String)> = splits.iter().flat_map(|(_, q, _)| q).collect();
        let texts: Vec<&str> = all.iter().map(|(_, t)| t.as_str()).collect();
        let qvecs = embed_cached(&model, &texts).context("embedding the queries")?;
        let by_id: HashMap<String, Vec<f32>> =
            all.iter().map(|(id, _)| id.clone()).zip(qvecs).collect();
        hybrid = Some((
            ClaimMatcher::with_vectors(entries.clone(), Some((model, claim_vecs.clone()))),
            claim_vecs,
            by_id,
        ));
    }
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
                let ranked: Vec<usize> = match (*method, &hybrid) {
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
                };
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

// ---------------------------------------------------------------- speed

/// Cross-checks one story of 50 real articles (the first 50 of the
/// polnear dev split, all from one campaign) on this thread: annotate every
/// article, then align them into a report. Median of 5 runs.
fn story(shared: &Path) -> Result<()> {
    use corroborate_crosscheck::{build_report, ReportArticle, StoryInput};
    use corroborate_model::{Article, ArticleId, StoryId};
    let path = shared.join("bench/attribution-polnear/dev.jsonl");
    if absent("story speed", &path) {
        return Ok(());
    }
    let mut docs = read_jsonl(&path)?;
    // For the scaling rows: the train split's articles after dev's (the
    // 50-article figure stays dev's first 50).
    let train = shared.join("bench/attribution-polnear/train.jsonl.gz");
    if train.is_file() {
        for line in crate::extract_bench::gunzip(&train)?.lines().take(300) {
            docs.push(serde_json::from_str(line)?);
        }
    }
    let articles: Vec<Article> = docs
        .iter()
        .take(320)
        .map(|d| Article {
            id: ArticleId(d["id"].as_str().unwrap_or("").to_string()),
            source: d["outlet"].as_str().unwrap_or("").to_string(),
            site: d["outlet"].as_str().map(str::to_string),
            title: d["title"].as_str().map(str::to_string),
            published: d["date"].as_str().and_then(published),
            text: d["text"].as_str().unwrap_or("").to_string(),
            url: None,
            author: None,
            language: Some("en".into()),
            republished_from: None,
            boilerplate: Vec::new(),
        })
        .collect();
    let all = articles;
    let articles = &all[..all.len().min(50)];
    let chars: usize = articles.iter().map(|a| a.text.chars().count()).sum();
    let mut times = Vec::new();
    let mut claims = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let input = StoryInput {
            id: StoryId("bench".into()),
            articles: articles
                .iter()
                .map(|a| ReportArticle {
                    article: a,
                    annotations: annotate(&a.text, a.published),
                    copy_of: None,
                })
                .collect(),
            related: Vec::new(),
            merged: Vec::new(),
        };
        let report = build_report(&input);
        times.push(t.elapsed().as_secs_f64());
        claims = report.claims.len();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "story speed: {} articles ({:.0}k characters), one thread: median {:.3} s (min {:.3}, max {:.3}) to annotate and align, {claims} claims\n",
        articles.len(),
        chars as f64 / 1e3,
        times[2],
        times[0],
        times[4]
    );
    // The alignment alone (annotations stored, as a report rebuild reads
    // them) at growing story sizes: its cost per article should not grow.
    let annotated: Vec<_> = all.iter().map(|a| annotate(&a.text, a.published)).collect();
    println!("| story articles | align ms (median of 3) | ms per article |\n|---|---|---|");
    for n in [20, 40, 80, 160, 320]
        .into_iter()
        .filter(|&n| n <= all.len())
    {
        let mut t3 = Vec::new();
        for _ in 0..3 {
            let input = StoryInput {
                id: StoryId("bench".into()),
                articles: all[..n]
                    .iter()
                    .zip(&annotated)
                    .map(|(a, ann)| ReportArticle {
                        article: a,
                        annotations: ann.clone(),
                        copy_of: None,
                    })
                    .collect(),
                related: Vec::new(),
                merged: Vec::new(),
            };
            let t = Instant::now();
            build_report(&input);
            t3.push(t.elapsed().as_secs_f64() * 1e3);
        }
        t3.sort_by(f64::total_cmp);
        println!("| {n} | {:.1} | {:.2} |", t3[1], t3[1] / n as f64);
    }
    Ok(())
}

/// Runs the benchmarks (`only` picks one).
pub fn run(shared: &Path, only: Option<&str>) -> Result<()> {
    type Bench = fn(&Path) -> Result<()>;
    let all: [(&str, Bench); 5] = [
        ("quotes", quotes),
        ("quantities", newsquant),
        ("timex", timex),
        ("claims", claims),
        ("story", story),
    ];
    for (name, f) in all {
        if only.is_none_or(|o| o == name) {
            f(shared)?;
        }
    }
    Ok(())
}
