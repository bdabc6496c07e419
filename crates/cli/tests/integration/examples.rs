//! The bundled sample corpus, end to end.

use crate::common::*;

fn analyze(dir: &std::path::Path) -> (std::process::Output, serde_json::Value) {
    let o = run(dir, &["analyze", "examples", "--json", "-q"]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let j = json(&o);
    (o, j)
}

#[test]
fn stories_copies_and_disagreeing_figures() {
    let dir = tempfile::tempdir().unwrap();
    let (_, doc) = analyze(dir.path());
    let stories = doc["stories"].as_array().unwrap();
    assert_eq!(doc["ingest"]["added"], 7);
    let members = membership(&doc);
    assert_eq!(members.len(), 7, "every article in exactly one story");
    assert_eq!(
        stories.len(),
        2,
        "the fire story and the unrelated football story"
    );

    let fire = &stories[0];
    assert!(fire["title"].as_str().unwrap().contains("Norhaven port"));
    assert_eq!(fire["articles"].as_array().unwrap().len(), 6);
    let football = &stories[1];
    assert!(football["title"].as_str().unwrap().contains("Rovers"));

    // The content-farm page is a copy of the Harbour Times original.
    let arts = fire["articles"].as_array().unwrap();
    let by_outlet = |o: &str| {
        arts.iter()
            .find(|a| a["outlet"] == o)
            .unwrap_or_else(|| panic!("{o}"))
    };
    let copy = &by_outlet("NewsFlashHub")["copy_of"];
    assert_eq!(copy["article"], by_outlet("Harbour Times")["id"]);
    assert!(copy["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e == "shared text"));
    for o in [
        "Harbour Times",
        "Coastal Herald",
        "Norhaven Daily Post",
        "Radio Norhaven",
        "Valley Wire",
    ] {
        assert!(by_outlet(o)["copy_of"].is_null(), "{o} is an original");
    }
    // The windows-1252 page decoded correctly.
    let herald = &by_outlet("Coastal Herald");
    assert_eq!(herald["published"], "2025-03-15T00:00:00Z");

    // Outlets disagree on how many people were evacuated.
    let figures = fire["figures"].as_array().unwrap();
    let people = figures
        .iter()
        .find(|g| g["what"] == "people")
        .expect("people figures");
    assert_eq!(people["disagree"], true);
    let values: Vec<f64> = people["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_f64().unwrap())
        .collect();
    for v in [1200.0, 1500.0, 2000.0] {
        assert!(values.contains(&v), "{v} in {values:?}");
    }

    // Claims: named speakers, channels, hedges, a disputed one.
    let claims = fire["claims"].as_array().unwrap();
    let said = |speaker: &str, channel: &str| {
        claims
            .iter()
            .any(|c| c["speaker"] == speaker && c["channel"] == channel)
    };
    assert!(said("Marta Kovač", "Telegram"));
    assert!(said("Ivo Brandt", "press briefing"));
    assert!(claims.iter().any(|c| c["status"] == "disputed"));
    let hedged: Vec<&serde_json::Value> = claims
        .iter()
        .flat_map(|c| c["carriers"].as_array().unwrap())
        .flat_map(|x| x["hedges"].as_array().unwrap())
        .collect();
    assert!(hedged.iter().any(|h| *h == "allegedly"));
    assert!(hedged.iter().any(|h| *h == "could not confirm"));
    assert!(hedged.iter().any(|h| *h == "could not verify"));
    // An unattributed allegation is still a claim, with its hedges.
    assert!(claims.iter().any(|c| c["speaker"].is_null()
        && c["text"]
            .as_str()
            .unwrap()
            .contains("reportedly stored more solvent")));
    // The mayor's promise is carried by three outlets, the Harbour Times first.
    let promise = claims
        .iter()
        .find(|c| c["text"].as_str().unwrap().starts_with("We will not rest"))
        .unwrap();
    assert_eq!(
        promise["first_reported_by"],
        by_outlet("Harbour Times")["id"]
    );
    assert!(promise["carriers"].as_array().unwrap().len() >= 3);

    // Timeline holds the day of the fire.
    assert!(fire["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["date"] == "2025-03-14"));
}

#[test]
fn rerunning_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let (_, first) = analyze(dir.path());
    let (o, second) = analyze(dir.path());
    assert_eq!(second["ingest"]["added"], 0);
    assert_eq!(second["ingest"]["unchanged"], 7);
    assert_eq!(
        first["stories"], second["stories"],
        "same stories, same ids, same reports"
    );
    let _ = o;
}

#[test]
fn report_snapshot_and_formats() {
    let dir = tempfile::tempdir().unwrap();
    let (_, doc) = analyze(dir.path());
    let id = doc["stories"][0]["id"].as_str().unwrap().to_string();
    let json_report = run(dir.path(), &["report", &id, "--format", "json"]);
    assert_eq!(json_report.status.code(), Some(0));
    let report = json(&json_report);
    assert_eq!(
        report, doc["stories"][0],
        "report = the analyze JSON for that story"
    );
    insta::assert_json_snapshot!("examples_fire_report", report);

    let md = stdout(&run(dir.path(), &["report", &id[..6], "--format", "md"]));
    assert!(
        md.contains("### Claims") && md.contains("### Figures") && md.contains("### Timeline"),
        "{md}"
    );
    let html = stdout(&run(dir.path(), &["report", &id, "--format", "html"]));
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    // The web UI's story page in one file: the matrix, a chart per figure
    // group, and every claim linked to its source inside the file.
    assert!(html.contains("<table class=\"matrix\">"), "{html}");
    assert!(html.matches("<svg class=\"chart\"").count() >= 2, "{html}");
    assert!(!html.contains("href=\"/"), "no links to a server: {html}");
    assert!(
        !html.contains("<script"),
        "no script injected from article text"
    );
    let text = stdout(&run(dir.path(), &["report", &id]));
    assert!(
        text.contains("Sources") && text.contains("copy of Harbour Times"),
        "{text}"
    );

    let missing = run(dir.path(), &["report", "s-nope"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("no story"));

    let stories = stdout(&run(dir.path(), &["stories"]));
    assert!(
        stories.contains(&id) && stories.contains("6 articles"),
        "{stories}"
    );
}
