//! PolNeAR attribution: direct quotes and their speakers, scored by span
//! overlap on the train and dev splits.

use super::*;

pub(super) struct Span(Vec<(usize, usize)>);

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
pub(super) struct QuoteCounts {
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
pub(super) fn quotes(shared: &Path) -> Result<()> {
    for (split, file) in [("train", "train.jsonl.gz"), ("dev", "dev.jsonl")] {
        let path = shared.join("bench/attribution-polnear").join(file);
        if absent("attribution-polnear", &path) {
            return Ok(());
        }
        quotes_on(split, &read_jsonl(&path)?);
    }
    Ok(())
}

pub(super) fn quotes_on(split: &str, docs: &[serde_json::Value]) {
    let verbose = std::env::var_os("BENCH_VERBOSE").is_some();
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
            let preds = predictions(&a.statements, mode);
            let preds: Vec<&Statement> = preds.iter().collect();
            let gold: Vec<&Value> = d["attributions"].as_array().unwrap().iter().collect();
            score_doc(&mut c, &preds, &gold, text, verbose && mode == 2);
        }
        print_counts(split, label, docs.len(), &c, t.elapsed().as_secs_f64());
    }
}

/// The statements a run submits. A quote that continues the previous one
/// (the same speaker going on after "she said") is a piece of that
/// attribution, as PolNeAR annotates it: one prediction spanning the
/// pieces.
fn predictions(statements: &[Statement], mode: u8) -> Vec<Statement> {
    let mut preds: Vec<Statement> = Vec::new();
    for s in statements.iter().filter(|s| match mode {
        0 => s.direct,
        1 => true,
        _ => s.speaker.is_some(),
    }) {
        match preds.iter_mut().rev().find(|p| p.direct) {
            Some(prev) if s.continues => prev.end = prev.end.max(s.end),
            _ => preds.push(s.clone()),
        }
    }
    preds
}

/// One document's predictions matched to its gold attributions, greedily
/// by overlap; `verbose`: print the misses.
fn score_doc(
    c: &mut QuoteCounts,
    preds: &[&Statement],
    gold: &[&Value],
    text: &str,
    verbose: bool,
) {
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
    for g in gold {
        c.gold_all += 1.0;
        if g["direct"].as_bool() == Some(true) {
            c.gold_direct += 1.0;
        }
    }
    let (mut pu, mut gu) = (HashSet::new(), HashSet::new());
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
            } else if verbose {
                print_wrong_speaker(text, p, g);
            }
        }
    }
    if verbose {
        print_unmatched(preds, gold, &pairs, &pu, &gu);
    }
}

/// A direct quote found with the wrong speaker, in its context.
fn print_wrong_speaker(text: &str, p: &Statement, g: &Value) {
    let at =
        |a: usize, b: usize| -> String { text.chars().skip(a).take(b.saturating_sub(a)).collect() };
    let src: String = Span::of(&g["source"])
        .map(|s| {
            s.0.iter()
                .map(|&(a, b)| at(a, b))
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
    let gold_text: String = g["content"]["text"]
        .as_str()
        .unwrap_or("")
        .chars()
        .take(60)
        .collect();
    println!(
        "  speaker {:?} at {:?} (gold {src:?}) | pred {:?} | gold {gold_text:?} | {ctx}",
        p.speaker.as_ref().map(|s| s.name.as_str()),
        p.speaker.as_ref().map(|s| at(s.start, s.end)),
        at(p.start, p.end).chars().take(60).collect::<String>(),
    );
}

/// Predictions no gold attribution took, and gold direct quotes no
/// prediction took.
fn print_unmatched(
    preds: &[&Statement],
    gold: &[&Value],
    pairs: &[(usize, usize, usize)],
    pu: &HashSet<usize>,
    gu: &HashSet<usize>,
) {
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

/// One run's table.
fn print_counts(split: &str, label: &str, docs: usize, c: &QuoteCounts, secs: f64) {
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
        "attribution-polnear {split} ({docs} articles, {label}, {} predictions, {:.0} articles/s)",
        c.pred,
        docs as f64 / secs
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
