//! `cargo xtask bench-pairs`: the article similarity clustering uses,
//! scored on ../shared/bench/pairs-semeval2022 as its README says: Pearson
//! r against the human Overall score (negated: 1 is "very similar") over all
//! pairs, en-en pairs and cross-language pairs, and ROC AUC for "same
//! story" (Overall <= 2). With `--features embed` and the model on disk,
//! all-MiniLM-L6-v2 cosine is scored beside it on the same pairs.

use anyhow::{Context, Result};
use corroborate_cluster::{ClusterConfig, ClusterDoc};
use std::path::Path;
use std::time::Instant;

struct Pair {
    lang: (String, String),
    a: String,
    b: String,
    overall: f64,
}

/// Title and body of a "title + body" text: the title is what comes before
/// the first blank gap, when that is short enough to be one.
fn split(text: &str) -> (&str, &str) {
    match text.find("  ") {
        Some(i) if i <= 200 => (&text[..i], &text[i..]),
        _ => ("", text),
    }
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    sxy / (sxx * syy).sqrt().max(f64::MIN_POSITIVE)
}

/// ROC AUC: the chance that a positive pair scores above a negative one
/// (ties count half).
fn auc(scores: &[f64], positive: &[bool]) -> f64 {
    let (mut wins, mut n) = (0.0f64, 0.0f64);
    for (s, p) in scores.iter().zip(positive) {
        if !p {
            continue;
        }
        for (t, q) in scores.iter().zip(positive) {
            if *q {
                continue;
            }
            n += 1.0;
            wins += if s > t {
                1.0
            } else if s == t {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / n.max(1.0)
}

fn report(name: &str, pairs: &[Pair], sims: &[f64]) {
    let subset = |keep: &dyn Fn(&Pair) -> bool| -> (Vec<f64>, Vec<f64>, Vec<bool>) {
        let mut out = (Vec::new(), Vec::new(), Vec::new());
        for (p, s) in pairs.iter().zip(sims) {
            if keep(p) {
                out.0.push(*s);
                out.1.push(-p.overall);
                out.2.push(p.overall <= 2.0);
            }
        }
        out
    };
    let (all_s, all_y, all_pos) = subset(&|_| true);
    let (en_s, en_y, _) = subset(&|p| p.lang.0 == "en" && p.lang.1 == "en");
    let (x_s, x_y, _) = subset(&|p| p.lang.0 != p.lang.1);
    println!(
        "| {name} | {:.3} | {:.3} | {:.3} | {:.3} |",
        pearson(&all_s, &all_y),
        pearson(&en_s, &en_y),
        pearson(&x_s, &x_y),
        auc(&all_s, &all_pos)
    );
}

/// Per language pair: r, and the mean similarity of same-story and other
/// pairs (are the scales of the groups alike?).
fn by_language_pair(pairs: &[Pair], sims: &[f64]) {
    let mut groups: std::collections::BTreeMap<String, Vec<(f64, f64)>> = Default::default();
    for (p, s) in pairs.iter().zip(sims) {
        groups
            .entry(format!("{}-{}", p.lang.0, p.lang.1))
            .or_default()
            .push((*s, p.overall));
    }
    println!(
        "\n| languages | pairs | r | mean, same story | mean, others |\n|---|---|---|---|---|"
    );
    let mean = |xs: Vec<f64>| xs.iter().sum::<f64>() / xs.len().max(1) as f64;
    for (g, v) in groups {
        let (s, y): (Vec<f64>, Vec<f64>) = v.iter().map(|(s, o)| (*s, -o)).unzip();
        let same = mean(v.iter().filter(|x| x.1 <= 2.0).map(|x| x.0).collect());
        let other = mean(v.iter().filter(|x| x.1 > 2.0).map(|x| x.0).collect());
        println!(
            "| {g} | {} | {:.3} | {same:.3} | {other:.3} |",
            v.len(),
            pearson(&s, &y)
        );
    }
    println!();
}

pub fn run(shared: &Path) -> Result<()> {
    let path = shared.join("bench/pairs-semeval2022/pairs.csv");
    if !path.exists() {
        println!("pairs-semeval2022: {} is absent, skipped", path.display());
        return Ok(());
    }
    let pairs = load(&path)?;
    let t = Instant::now();
    let docs: Vec<_> = pairs.iter().map(|p| (doc(&p.a), doc(&p.b))).collect();
    let detect_secs = t.elapsed().as_secs_f64();
    let labels_agree = pairs
        .iter()
        .zip(&docs)
        .flat_map(|(p, (a, b))| [(&p.lang.0, &a.2), (&p.lang.1, &b.2)])
        .filter(|(label, found)| found.as_deref() == Some(label.as_str()))
        .count();
    if std::env::var_os("BENCH_VERBOSE").is_some() {
        print_confusions(&pairs, &docs);
    }
    let t = Instant::now();
    // The clusterer's term statistics, learnt from the collection as a stream.
    let mut clusterer = ClusterConfig::default().build();
    for (a, b) in &docs {
        clusterer.observe(&as_doc(a));
        clusterer.observe(&as_doc(b));
    }
    let tfidf: Vec<f64> = docs
        .iter()
        .map(|(a, b)| clusterer.similarity(&as_doc(a), &as_doc(b)))
        .collect();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "languages detected: {labels_agree} of {} texts agree with the CSV's labels ({:.0} texts/s)",
        2 * pairs.len(),
        2.0 * pairs.len() as f64 / detect_secs
    );
    let en = pairs
        .iter()
        .filter(|p| p.lang == ("en".into(), "en".into()))
        .count();
    let cross = pairs.iter().filter(|p| p.lang.0 != p.lang.1).count();
    let same = pairs.iter().filter(|p| p.overall <= 2.0).count();
    println!(
        "pairs-semeval2022 ({} pairs: {en} en-en, {cross} cross-language; {same} same-story; TF-IDF {:.0} pairs/s)",
        pairs.len(),
        pairs.len() as f64 / secs
    );
    println!("| similarity | r (all) | r (en-en) | r (cross-language) | AUC same story |\n|---|---|---|---|---|");
    report("clustering TF-IDF (title ×2 + body)", &pairs, &tfidf);
    if std::env::var_os("BENCH_VERBOSE").is_some() {
        by_language_pair(&pairs, &tfidf);
    }
    if let Some(model) = crate::crosscheck_bench::sentence_model() {
        embedding_rows(&model, &pairs, &tfidf)?;
    }
    Ok(())
}

/// The pairs of the CSV.
fn load(path: &Path) -> Result<Vec<Pair>> {
    let mut reader = csv::Reader::from_path(path).with_context(|| path.display().to_string())?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .context(name.to_string())
    };
    let (l1, l2, t1, t2, ov) = (
        col("lang1")?,
        col("lang2")?,
        col("text1")?,
        col("text2")?,
        col("Overall")?,
    );
    let mut pairs = Vec::new();
    for row in reader.records() {
        let row = row?;
        pairs.push(Pair {
            lang: (row[l1].to_string(), row[l2].to_string()),
            a: row[t1].to_string(),
            b: row[t2].to_string(),
            overall: row[ov]
                .parse()
                .with_context(|| format!("Overall {:?}", &row[ov]))?,
        });
    }
    Ok(pairs)
}

/// Title, body and the language the engine detects (not the CSV's label:
/// the engine has no such label for an article).
fn doc(t: &str) -> (String, String, Option<String>) {
    let (title, body) = split(t);
    let lang = corroborate_extract::detect_language(t);
    (title.to_string(), body.to_string(), lang)
}

fn as_doc(d: &(String, String, Option<String>)) -> ClusterDoc<'_> {
    ClusterDoc {
        title: &d.0,
        body: &d.1,
        time: None,
        lang: d.2.as_deref(),
    }
}

type Docs = [(
    (String, String, Option<String>),
    (String, String, Option<String>),
)];

/// The CSV's language labels the detector disagrees with, counted.
fn print_confusions(pairs: &[Pair], docs: &Docs) {
    let mut confused: std::collections::BTreeMap<String, usize> = Default::default();
    for (p, (a, b)) in pairs.iter().zip(docs) {
        for (label, found) in [(&p.lang.0, &a.2), (&p.lang.1, &b.2)] {
            if found.as_deref() != Some(label.as_str()) {
                *confused
                    .entry(format!("{label}→{}", found.as_deref().unwrap_or("?")))
                    .or_default() += 1;
            }
        }
    }
    println!("language labels the detector disagrees with: {confused:?}");
}

/// The sentence model's rows: its cosine, the mean with TF-IDF, and the
/// model for English pairs only (it is English-only).
fn embedding_rows(
    model: &corroborate_embed::Embedder,
    pairs: &[Pair],
    tfidf: &[f64],
) -> Result<()> {
    let texts: Vec<&str> = pairs
        .iter()
        .flat_map(|p| [p.a.as_str(), p.b.as_str()])
        .collect();
    let v = crate::crosscheck_bench::embed_cached(model, &texts)?;
    let minilm: Vec<f64> = v
        .chunks(2)
        .map(|ab| f64::from(corroborate_embed::cosine(&ab[0], &ab[1])))
        .collect();
    report("all-MiniLM-L6-v2 cosine (first 256 tokens)", pairs, &minilm);
    let mean: Vec<f64> = tfidf
        .iter()
        .zip(&minilm)
        .map(|(a, b)| (a + b) / 2.0)
        .collect();
    report("mean of the two", pairs, &mean);
    let english: Vec<f64> = pairs
        .iter()
        .zip(tfidf.iter().zip(&minilm))
        .map(|(p, (t, m))| {
            if p.lang.0 == "en" && p.lang.1 == "en" {
                *m
            } else {
                *t
            }
        })
        .collect();
    report(
        "MiniLM for en-en pairs, TF-IDF for the rest",
        pairs,
        &english,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pearson_and_auc_on_known_values() {
        assert!((pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]) - 1.0).abs() < 1e-12);
        assert!((pearson(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
        assert_eq!(auc(&[0.9, 0.8, 0.1], &[true, false, false]), 1.0);
        assert_eq!(auc(&[0.5, 0.5], &[true, false]), 0.5);
    }
}
