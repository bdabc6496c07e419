//! `corroborate stance` on pairs written here and on the fictional corpus.

use crate::common::*;

fn stance_pairs(input: &str) -> std::process::Output {
    run_with_stdin(&["stance", "--pairs", "-"], input.as_bytes())
}

#[test]
fn pairs_are_answered_in_order_and_bad_lines_named_and_skipped() {
    let input = [
        r#"{"id": "a", "claim": "A storm closed the Norhaven ferry", "text": "A storm closed the Norhaven ferry on Monday, the harbour master said. Crossings resume on Friday."}"#,
        "{not json",
        r#"{"id": "b", "claim": 7, "text": "x"}"#,
        r#"{"id": 3, "claim": "The mayor resigned over a ferry contract", "title": "Football club sacks coach", "text": "The Lowmere football club sacked its coach after a fourth defeat in a row. Fans had called for the change for weeks."}"#,
        r#"{"id": "c", "text": "no claim"}"#,
    ]
    .join("\n");
    let o = stance_pairs(&input);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    for n in [2, 3, 5] {
        assert!(err.contains(&format!("-:{n}:")), "line {n} named: {err}");
    }
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[1]["id"], 3);
    assert_ne!(lines[0]["stance"], "unrelated", "{}", lines[0]);
    assert_eq!(lines[1]["stance"], "unrelated", "{}", lines[1]);
    let e = &lines[0]["evidence"];
    assert_eq!(e["start"], 0);
    assert!(e["text"].as_str().unwrap().starts_with("A storm closed"));
}

#[test]
fn articles_against_a_claim_with_evidence_offsets_into_their_text() {
    let o = bin()
        .args([
            "stance",
            "--claim",
            "A fire broke out at a chemical warehouse in the port of Norhaven",
            "examples",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let extracted = bin().args(["extract", "examples"]).output().unwrap();
    let texts: std::collections::HashMap<String, String> = stdout(&extracted)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["source"].as_str().unwrap().to_string(),
                v["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), texts.len());
    let mut related = 0;
    for l in &lines {
        let text = &texts[l["source"].as_str().unwrap()];
        let e = &l["evidence"];
        let (s, t) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        let span: String = text.chars().skip(s).take(t - s).collect();
        assert_eq!(span, e["text"].as_str().unwrap(), "{l}");
        related += usize::from(l["stance"] != "unrelated");
    }
    assert!(related >= 4, "the fire articles carry the claim: {lines:?}");
}
