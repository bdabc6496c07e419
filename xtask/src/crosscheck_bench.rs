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

mod quotes;
use quotes::*;

mod newsquant;
use newsquant::*;

mod timex;
use timex::*;

mod claims;
use claims::*;
pub(crate) use claims::{embed_cached, sentence_model};

mod story;
use story::*;

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
