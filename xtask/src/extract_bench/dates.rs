//! Publication dates: the labelled date pages (ours and htmldate's, by
//! site half and by language) and the unlabelled extraction pages
//! (coverage and agreement).

use super::{by_language, extract_or_empty, half, html_doc, load};
use anyhow::Result;
use corroborate_extract::ArticleExtractor;
use corroborate_model::Article;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// Date answers against the labels. A dated page: right answer tp, wrong
/// answer fp, none fn. An undated page (label NaN): no answer tn, any
/// answer fp. As htmldate scores it.
#[derive(Default)]
struct Dates {
    tp: usize,
    fp: usize,
    fn_: usize,
    tn: usize,
}

impl Dates {
    fn accuracy(&self) -> f64 {
        (self.tp + self.tn) as f64 / (self.tp + self.fp + self.fn_ + self.tn).max(1) as f64
    }

    fn row(&self, name: &str) -> String {
        let n = self.tp + self.fp + self.fn_ + self.tn;
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        format!(
            "| {name} | {:.3} | {:.3} | {:.3} | {:.3} |",
            (self.tp + self.tn) as f64 / n.max(1) as f64,
            p,
            r,
            2.0 * p * r / (p + r).max(f64::MIN_POSITIVE)
        )
    }
}

/// The answers' tally over the pages of one half (or all).
fn tally(dcases: &[Value], answer: &dyn Fn(&Value) -> Option<String>, part: Option<char>) -> Dates {
    let mut d = Dates::default();
    for c in dcases.iter().filter(|c| part.is_none_or(|p| half(c) == p)) {
        match (c["date"].as_str(), answer(c)) {
            (Some(want), Some(got)) if got == want => d.tp += 1,
            (_, Some(_)) => d.fp += 1,
            (Some(_), None) => d.fn_ += 1,
            (None, None) => d.tn += 1,
        }
    }
    d
}

/// Publication dates, ours and htmldate's (its rows, when it ran), on all
/// pages and on each by-site half.
pub(super) fn dates_section(
    extractor: &ArticleExtractor,
    dates_dir: &Path,
    peer_rows: Option<Vec<Value>>,
) -> Result<()> {
    let (dcases, dpages) = load(dates_dir)?;
    let mut langs: HashMap<String, String> = HashMap::new();
    let ours_dates: HashMap<String, Option<String>> = dcases
        .iter()
        .zip(&dpages)
        .map(|(case, html)| {
            let a = extract_or_empty(extractor, &html_doc(case, html));
            let id = case["id"].as_str().unwrap_or_default().to_string();
            langs.insert(id.clone(), a.language.unwrap_or_else(|| "?".into()));
            (id, a.published.map(|p| p.format("%Y-%m-%d").to_string()))
        })
        .collect();
    if std::env::var_os("BENCH_VERBOSE").is_some() {
        for c in &dcases {
            let id = c["id"].as_str().unwrap_or_default();
            let (want, got) = (c["date"].as_str(), ours_dates[id].as_deref());
            if want != got {
                println!(
                    "  date {id}: want {want:?}, got {got:?} ({})",
                    c["url"].as_str().unwrap_or("")
                );
            }
        }
    }
    let sites = |p: char| dcases.iter().filter(|c| half(c) == p).count();
    println!("\n### Publication dates ({} pages, {} without a date; by-site halves A: {} pages, B: {})\n\n| system | pages | accuracy | precision | recall | F1 |\n|---|---|---|---|---|---|", dcases.len(), dcases.iter().filter(|c| c["date"].is_null()).count(), sites('A'), sites('B'));
    let print_rows = |name: &str, answer: &dyn Fn(&Value) -> Option<String>| {
        for (part, label) in [
            (None, "all"),
            (Some('A'), "sites A"),
            (Some('B'), "sites B"),
        ] {
            println!(
                "{}",
                tally(&dcases, answer, part).row(&format!("{name} | {label}"))
            );
        }
    };
    let ours = |c: &Value| ours_dates[c["id"].as_str().unwrap_or_default()].clone();
    print_rows("corroborate", &ours);
    let by: Option<HashMap<String, String>> = peer_rows.map(|rows| {
        rows.iter()
            .filter_map(|r| {
                Some((
                    r["id"].as_str()?.to_string(),
                    r["date"].as_str()?.to_string(),
                ))
            })
            .collect()
    });
    let theirs = |c: &Value| {
        by.as_ref()
            .and_then(|b| b.get(c["id"].as_str().unwrap_or_default()).cloned())
    };
    if by.is_some() {
        print_rows("htmldate (extensive)", &theirs);
    }
    by_language(
        "Publication date accuracy by language (as detected)",
        "corroborate | htmldate",
        &dcases,
        &langs,
        &|cs| {
            let peer = if by.is_some() {
                format!("{:.3}", tally(cs, &theirs, None).accuracy())
            } else {
                "—".into()
            };
            format!("{:.3} | {peer}", tally(cs, &ours, None).accuracy())
        },
    );
    Ok(())
}

/// Dates on the extraction pages, which carry no date labels: how many
/// pages each system dates, and on how many both give the same day. These
/// pages (small German-heavy sites, dates in visible text) are the kind
/// on which held-out date accuracy dropped, so coverage and agreement
/// there are a diagnostic, not a score.
pub(super) fn unlabeled_dates(cases: &[Value], articles: &[Article], rows: &[Value]) {
    let peer: HashMap<&str, &str> = rows
        .iter()
        .filter_map(|r| Some((r["id"].as_str()?, r["date"].as_str()?)))
        .collect();
    let (mut ours_n, mut same) = (0, 0);
    for (case, a) in cases.iter().zip(articles) {
        let ours = a.published.map(|p| p.format("%Y-%m-%d").to_string());
        let Some(ours) = ours else { continue };
        ours_n += 1;
        same +=
            usize::from(peer.get(case["id"].as_str().unwrap_or_default()) == Some(&ours.as_str()));
    }
    println!(
        "\n### Publication dates on the {} extraction pages (no labels: coverage and agreement)\n\n| system | pages dated | same day as the other |\n|---|---|---|\n| corroborate | {ours_n} | {same} |\n| htmldate (extensive) | {} | {same} |",
        cases.len(),
        peer.len()
    );
}
