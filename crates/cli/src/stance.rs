//! `corroborate stance`: the stance of articles toward a claim, or of the
//! texts of a pairs file toward their claims, one JSON line each.

use anyhow::{Context, Result};
use corroborate_engine::stance::{Judgement, Model};
use corroborate_engine::Severity;
use serde_json::{json, Value};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// `--claim TEXT PATH...`: each input article against the claim. Returns
/// the number of inputs that could not be read.
pub fn articles(
    claim: &str,
    paths: &[PathBuf],
    max_size: u64,
    out: &mut impl Write,
) -> Result<usize> {
    let model = Model::default();
    let claim = corroborate_engine::stance::Claim::new(claim);
    let mut problems = 0;
    let articles = corroborate_engine::extract_inputs(paths, max_size, &mut |i| {
        problems += usize::from(i.severity() != Severity::Warning);
        crate::report_issue(&i);
    });
    for a in articles {
        let prepared = corroborate_engine::stance::Prepared::new(a.title.as_deref(), &a.text);
        let j = model.judge_prepared(&claim, &prepared, &a.text);
        let mut line = judgement(&j);
        line["source"] = json!(a.source);
        writeln!(out, "{line}")?;
    }
    Ok(problems)
}

/// `--pairs FILE`: lines `{"id", "claim", "text", "title"?}`, answered in
/// input order. A bad line is reported with its number and skipped.
/// Returns the number of bad lines.
pub fn pairs(file: &Path, out: &mut impl Write) -> Result<usize> {
    let model = Model::default();
    let name = file.display().to_string();
    let reader: Box<dyn BufRead> = if file.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(file).with_context(|| format!("opening {name}"))?,
        ))
    };
    let mut bad = 0;
    for (n, line) in reader.split(b'\n').enumerate() {
        let line = line.with_context(|| format!("reading {name}"))?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match pair(&line) {
            Ok((id, claim, title, text)) => {
                let mut answer = judgement(&model.judge(&claim, title.as_deref(), &text));
                answer["id"] = id;
                writeln!(out, "{answer}")?;
            }
            Err(why) => {
                bad += 1;
                eprintln!("corroborate: skipped: {name}:{}: {why}", n + 1);
            }
        }
    }
    Ok(bad)
}

type Pair = (Value, String, Option<String>, String);

fn pair(line: &[u8]) -> std::result::Result<Pair, String> {
    let text = std::str::from_utf8(line).map_err(|e| format!("not UTF-8 ({e})"))?;
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
    let field = |k: &str| -> std::result::Result<Option<String>, String> {
        match v.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!("\"{k}\" must be a string, not {other}")),
        }
    };
    let need = |k: &str| field(k)?.ok_or_else(|| format!("no \"{k}\""));
    let id = v.get("id").cloned().unwrap_or(Value::Null);
    Ok((id, need("claim")?, field("title")?, need("text")?))
}

fn judgement(j: &Judgement) -> Value {
    json!({
        "stance": j.stance.as_str(),
        "score": (f64::from(j.score) * 1000.0).round() / 1000.0,
        "evidence": j.evidence.as_ref().map(|e| json!({ "start": e.start, "end": e.end, "text": e.text })),
    })
}
