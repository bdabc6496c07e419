//! NewsQuant quantities: values, units and changes, in the benchmark's own
//! counting.

use super::*;

#[derive(Debug, Clone)]
pub(super) enum Val {
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

pub(super) struct Q {
    value: Val,
    unit: String,
    change: String,
    concept: Vec<String>,
}

/// Concept words as the CQE evaluation code splits them (`re.split(r'[,\s]+')`).
/// A quantity with no concept is `["-"]` on both sides, as in the gold file and
/// in CQE's own tagger (`flat_list = ['-']`), so "no concept" vs "no concept"
/// is a match there and here.
pub(super) fn words(s: &str) -> Vec<String> {
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

pub(super) fn newsquant(shared: &Path) -> Result<()> {
    let path = shared.join("bench/quantities-newsquant/dev.jsonl");
    if absent("quantities-newsquant", &path) {
        return Ok(());
    }
    let docs = read_jsonl(&path)?;
    let verbose = std::env::var_os("BENCH_VERBOSE").is_some();
    let mut tally = Tally::default();
    let t = Instant::now();
    // BENCH_DUMP=FILE: our quantities per sentence, with offsets, as JSONL.
    let mut dump = match std::env::var_os("BENCH_DUMP") {
        Some(p) => Some(std::io::BufWriter::new(std::fs::File::create(p)?)),
        None => None,
    };
    for d in &docs {
        let text = d["text"].as_str().unwrap_or("");
        let found = corroborate_crosscheck::quantities(text);
        if let Some(w) = dump.as_mut() {
            dump_line(w, text, &found, &d["quantities"])?;
        }
        let mut pred = predicted(found);
        let mut gold = gold_of(d);
        tally.n_gold += gold.len() as f64;
        tally.n_pred += pred.len() as f64;
        gold.sort_by(|a, b| a.unit.cmp(&b.unit));
        pred.sort_by(|a, b| a.unit.cmp(&b.unit));
        if verbose {
            for p in pred
                .iter()
                .filter(|p| !gold.iter().any(|g| g.value.matches(&p.value)))
            {
                tally.extras.push(format!(
                    "  extra {:?} {} in: {}",
                    p.value,
                    p.unit,
                    text.chars().take(140).collect::<String>()
                ));
            }
        }
        tally.sentence(&gold, pred, text, verbose);
    }
    tally.print(docs.len(), t.elapsed().as_secs_f64(), verbose);
    Ok(())
}

/// Counts over the sentences, as evaluate_models.py counts them.
#[derive(Default)]
struct Tally {
    n_gold: f64,
    n_pred: f64,
    /// Value, value+unit, value+change, value+concept partial, complete.
    v: f64,
    vu: f64,
    vc: f64,
    cp: f64,
    cc: f64,
    misses: Vec<String>,
    extras: Vec<String>,
}

impl Tally {
    /// One sentence's gold quantities walked against its predictions.
    fn sentence(&mut self, gold: &[Q], mut pred: Vec<Q>, text: &str, verbose: bool) {
        let mut value_hits = 0usize;
        for g in gold {
            let mut i = 0;
            let mut found = false;
            let mut units = Vec::new();
            while i < pred.len() {
                let p = &pred[i];
                if g.value.matches(&p.value) {
                    found = true;
                    units.push(p.unit.clone());
                    // As in evaluate_models.py: value-correct is capped at the
                    // sentence's gold count; change and concept are counted on
                    // every value match met while walking.
                    if value_hits < gold.len() {
                        value_hits += 1;
                        self.v += 1.0;
                    }
                    self.concept(g, p, text, verbose);
                    if g.unit == p.unit {
                        self.vu += 1.0;
                        pred.remove(i);
                        units.clear();
                        break;
                    }
                }
                i += 1;
            }
            if verbose && !units.is_empty() {
                println!(
                    "  unit {units:?} (gold {:?}) in: {}",
                    g.unit,
                    text.chars().take(120).collect::<String>()
                );
            }
            if !found && self.misses.len() < 40 {
                self.misses.push(format!(
                    "  miss {:?} {} in: {}",
                    g.value,
                    g.unit,
                    text.chars().take(140).collect::<String>()
                ));
            }
        }
    }

    /// Change and concept of a value match.
    fn concept(&mut self, g: &Q, p: &Q, text: &str, verbose: bool) {
        if g.change == p.change {
            self.vc += 1.0;
        }
        let gs: HashSet<_> = g.concept.iter().collect();
        let ps: HashSet<_> = p.concept.iter().collect();
        let shared = gs.intersection(&ps).count();
        if shared > 0 {
            self.cp += 1.0;
        } else if verbose {
            println!(
                "  concept {:?} (gold {:?}) in: {}",
                p.concept,
                g.concept,
                text.chars().take(120).collect::<String>()
            );
        }
        if shared == g.concept.len() && g.concept.len() == p.concept.len() {
            self.cc += 1.0;
        }
    }

    fn print(&self, sentences: usize, secs: f64, verbose: bool) {
        println!(
            "quantities-newsquant dev ({sentences} sentences, {} gold, {} predicted, {:.0} sentences/s)",
            self.n_gold,
            self.n_pred,
            sentences as f64 / secs
        );
        println!("| figure | P | R | F1 |\n|---|---|---|---|");
        for (name, k) in [
            ("value", self.v),
            ("value+unit", self.vu),
            ("value+change", self.vc),
            ("value+concept (partial)", self.cp),
            ("value+concept (complete)", self.cc),
        ] {
            let (p, r, f) = prf(k, self.n_pred, k, self.n_gold);
            println!("| {name} | {p:.3} | {r:.3} | {f:.3} |");
        }
        if verbose {
            println!("{}", self.misses.join("\n"));
            println!("{}", self.extras.join("\n"));
        }
        println!();
    }
}

fn dump_line(
    w: &mut impl std::io::Write,
    text: &str,
    found: &[corroborate_crosscheck::Quantity],
    gold: &Value,
) -> Result<()> {
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
        serde_json::json!({"text": text, "pred": qs, "gold": gold})
    )?;
    Ok(())
}

fn predicted(found: Vec<corroborate_crosscheck::Quantity>) -> Vec<Q> {
    found
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
        .collect()
}

fn gold_of(d: &Value) -> Vec<Q> {
    d["quantities"]
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
        .collect()
}
