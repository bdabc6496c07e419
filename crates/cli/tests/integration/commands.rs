//! The single-stage commands and `--help`.

use crate::common::*;

#[test]
fn every_command_has_help_with_an_example() {
    for cmd in [
        "analyze", "ingest", "stories", "report", "extract", "cluster", "claims", "match", "serve",
    ] {
        let o = bin().args([cmd, "--help"]).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{cmd}");
        let out = stdout(&o);
        assert!(
            out.contains("Examples:") && out.contains(&format!("corroborate {cmd}")),
            "{cmd}: {out}"
        );
    }
    assert!(stdout(&bin().arg("--help").output().unwrap()).contains("Exit status"));
}

#[test]
fn extract_prints_one_object_per_document() {
    let o = bin()
        .args(["extract", "--json", "examples"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let docs: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 7);
    for d in &docs {
        for k in [
            "source",
            "url",
            "title",
            "published",
            "author",
            "site",
            "language",
            "text",
        ] {
            assert!(d.get(k).is_some(), "{k} missing in {d}");
        }
        assert_eq!(d["language"], "en", "{}", d["source"]);
    }
    let warc = docs
        .iter()
        .find(|d| {
            d["source"]
                .as_str()
                .unwrap()
                .ends_with("radio-norhaven.warc.gz#3")
        })
        .unwrap();
    assert_eq!(
        warc["url"],
        "https://radionorhaven.example/news/port-fire-casualties"
    );
    assert_eq!(warc["site"], "Radio Norhaven");
    let jsonl = docs
        .iter()
        .find(|d| {
            d["source"]
                .as_str()
                .unwrap()
                .ends_with("valley-wire-feed.jsonl#2")
        })
        .unwrap();
    assert_eq!(jsonl["author"], "Jo Lind", "record metadata wins");
    let scrape = docs
        .iter()
        .find(|d| d["source"].as_str().unwrap().ends_with(".txt"))
        .unwrap();
    assert_eq!(
        scrape["title"],
        "Norhaven port fire: residents demand answers over chemical store"
    );
    assert_eq!(scrape["author"], "Petra Novak");
    assert_eq!(scrape["site"], "Norhaven Daily Post");
    let text = scrape["text"].as_str().unwrap();
    assert!(text.starts_with("Residents of the old town"));
    for junk in [
        "Skip to content",
        "3 minute read",
        "See also",
        "Leave a Reply",
        "Copyright",
        "Advertisement",
    ] {
        assert!(!text.contains(junk), "{junk}");
    }
}

#[test]
fn a_relative_date_is_read_against_the_records_crawl_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.jsonl");
    let html = "<html><body><div id=\"content\"><h1>Vereinsabend</h1>\
        <div class=\"post-date\">vor 3 Tagen</div><p>Der Verein traf sich am Abend im \
        Gemeindehaus, um über die neue Satzung zu sprechen. Viele Mitglieder kamen, und der \
        Vorstand stellte die Pläne für das kommende Jahr vor.</p></div></body></html>";
    let lines = [
        serde_json::json!({"id": "r1", "html": html, "crawled": "2014-07-22T09:00:00Z"}),
        serde_json::json!({"id": "r2", "html": html}),
    ];
    let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    std::fs::write(&path, text.join("\n")).unwrap();
    let o = bin().arg("extract").arg(&path).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(out[0]["published"], "2014-07-19T00:00:00+00:00");
    // Without a crawl time, "three days ago" dates nothing.
    assert!(out[1]["published"].is_null(), "{}", out[1]);
}

#[test]
fn claims_raw_offsets_index_the_text_as_given() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Ünïcode first. “We will reopen the pier before the summer,” Mayor Ana Lopes said on Telegram on Monday. \
                About 3,000 homes lost power, according to the grid operator.";
    let rec = serde_json::json!({ "text": text, "published": "2025-03-12" });
    let path = dir.path().join("raw.jsonl");
    std::fs::write(&path, format!("{rec}\n")).unwrap();
    let o = bin()
        .args(["claims", "--raw", "--json", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let span = |v: &serde_json::Value| -> String {
        chars[v["start"].as_u64().unwrap() as usize..v["end"].as_u64().unwrap() as usize]
            .iter()
            .collect()
    };
    let statements = doc["statements"].as_array().unwrap();
    let quote = statements.iter().find(|s| s["direct"] == true).unwrap();
    assert_eq!(span(quote), quote["text"].as_str().unwrap());
    assert_eq!(quote["speaker"]["name"], "Ana Lopes");
    assert_eq!(span(&quote["speaker"]), "Mayor Ana Lopes");
    assert_eq!(quote["channel"], "Telegram");
    assert_eq!(quote["date"], "2025-03-10");
    assert_eq!(span(&quote["cue"]), "said");
    let fig = &doc["figures"][0];
    assert_eq!(span(fig), "About 3,000");
    assert_eq!(fig["value"], 3000.0);
    assert_eq!(fig["what"], "homes");
    assert_eq!(fig["attributed_to"], "grid operator");
    for d in doc["dates"].as_array().unwrap() {
        assert_eq!(span(d), d["text"].as_str().unwrap());
    }
}

#[test]
fn cluster_reads_records_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.jsonl");
    let lines = [
        r#"{"id":"a","title":"Ferry pier damaged by storm in Norhaven","text":"The storm damaged the Norhaven ferry pier and services stopped.","time":"2025-01-02"}"#,
        r#"{"id":"b","title":"Cup final tickets sold out","text":"Every ticket for the football cup final sold out within an hour.","time":"2025-01-02"}"#,
        r#"{"id":"c","title":"Norhaven ferry pier closed after storm damage","text":"Ferry services from Norhaven stopped after the storm damaged the pier.","time":"2025-01-03"}"#,
        "{broken",
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();
    let o = bin()
        .args(["cluster", "--input", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "one malformed line");
    assert!(stderr(&o).contains("c.jsonl:4: malformed JSON"));
    let out: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = out.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(out[0]["story"], out[2]["story"]);
    assert_ne!(out[0]["story"], out[1]["story"]);
}

#[test]
fn cluster_chooses_its_defaults_by_the_records_length() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.jsonl");
    // Headlines: c fits both a's story and b's, whose centroids share one
    // word of six (cosine under the articles' merge threshold of 0.5,
    // above the short texts' 0.25).
    let lines = [
        r#"{"id":"a","title":"north harbour ferry pier storm damage"}"#,
        r#"{"id":"b","title":"ferry operator cancels crossings weekend timetable"}"#,
        r#"{"id":"c","title":"north harbour ferry pier storm damage operator cancels crossings weekend timetable"}"#,
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();
    let run = |extra: &[&str]| {
        let o = bin()
            .args(["cluster", "--final", "--input"])
            .arg(&path)
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let stories: Vec<serde_json::Value> = stdout(&o)
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["story"].clone())
            .collect();
        (stories, stderr(&o))
    };
    let (auto, note) = run(&[]);
    assert!(note.contains("short texts by their length"), "{note}");
    assert!(auto.iter().all(|s| *s == auto[0]), "merged: {auto:?}");
    let (articles, note) = run(&["--profile", "articles"]);
    assert!(!note.contains("by their length"), "{note}");
    assert_ne!(articles[0], articles[1], "{articles:?}");
    // A flag overrides one setting of the chosen profile.
    let (strict, _) = run(&["--merge-threshold", "0.6"]);
    assert_ne!(strict[0], strict[1], "{strict:?}");
}

#[test]
fn cluster_reports_online_merges_and_final_stories() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.jsonl");
    let lines = [
        r#"{"id":"a","title":"north harbour ferry pier storm damage"}"#,
        r#"{"id":"b","title":"ferry operator cancels crossings weekend timetable"}"#,
        r#"{"id":"c","title":"north harbour ferry pier storm damage operator cancels crossings weekend timetable"}"#,
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();
    let run = |extra: &[&str]| -> Vec<serde_json::Value> {
        let o = bin()
            .args(["cluster", "--merge-threshold", "0.3", "--input"])
            .arg(&path)
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    // As they arrive: b founds its own story, c merges it into a's.
    let live = run(&[]);
    assert_eq!(live.len(), 4, "{live:?}");
    assert_ne!(live[0]["story"], live[1]["story"]);
    let m = &live[3]["merge"];
    assert_eq!(m["at"], "c");
    assert_eq!(
        (&m["absorbed"], &m["into"]),
        (&live[1]["story"], &live[0]["story"])
    );
    assert!(m["reason"].as_str().unwrap().contains("fits both stories"));
    // --final: one line per record, every story after the merge.
    let fin = run(&["--final"]);
    assert_eq!(fin.len(), 3);
    assert!(fin.iter().all(|v| v["story"] == fin[0]["story"]));
}

#[test]
fn match_ranks_a_claims_file_and_the_stores_claims() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("verified.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"id": "v1", "text": "A photo shows the Norhaven bridge collapsing in 2019.", "title": "Old bridge photo recirculates"}"#,
            "\n",
            r#"{"id": "v2", "text": "The mayor of Eastmoor banned kites on the beach.", "title": "Did Eastmoor ban kites?"}"#,
            "\n"
        ),
    )
    .unwrap();
    let o = run(
        dir.path(),
        &["match", "--lexical", "--json", "--against", file.to_str().unwrap(),
          "Eastmoor just banned KITES?! #KiteBan https://t.co/abc — Sam Lee (@samlee) June 2, 2024"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["matches"][0]["id"], "v2");
    // Lexically, a claim sharing no word with the query is not a match.
    assert_eq!(v["matches"].as_array().unwrap().len(), 1);

    // A broken collection names its line and fails.
    std::fs::write(&file, "{\"text\": \"ok\"}\nnot json\n").unwrap();
    let o = run(
        dir.path(),
        &["match", "--against", file.to_str().unwrap(), "x"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("verified.jsonl:2"), "{}", stderr(&o));

    // An empty store says what to do.
    let o = run(dir.path(), &["match", "fire"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("analyze"), "{}", stderr(&o));

    // The claims of the analysed sample stories.
    let o = run(dir.path(), &["analyze", "-q", "examples"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(
        dir.path(),
        &[
            "match",
            "--top",
            "1",
            "--json",
            "how many people spent the night in shelters",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    let top = &v["matches"][0];
    assert!(top["text"].as_str().unwrap().contains("shelters"), "{v}");
    assert!(top["id"].as_str().unwrap().starts_with("s-"), "{v}");
}

#[test]
fn cluster_joins_reports_in_two_languages_by_their_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.jsonl");
    let lines = [
        r#"{"id":"en","language":"en","title":"Storm closes Norhaven ferry pier","text":"Harbour master Ingrid Solberg said 14 sailings from Norhaven to Kestrel Island were cancelled on Tuesday."}"#,
        r#"{"id":"de","language":"de","title":"Sturm schließt Fähranleger in Norhaven","text":"Hafenmeisterin Ingrid Solberg sagte, 14 Fahrten von Norhaven nach Kestrel Island seien am Dienstag ausgefallen."}"#,
        r#"{"id":"cup","language":"de","title":"Pokalfinale in Brandau ausverkauft","text":"Alle Karten für das Finale im Stadion von Brandau wurden innerhalb einer Stunde verkauft."}"#,
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();
    let stories = |field: &str| -> Vec<serde_json::Value> {
        let o = bin()
            .args([
                "cluster",
                "--threshold",
                "0.5",
                "--lang-field",
                field,
                "--input",
            ])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["story"].clone())
            .collect()
    };
    let by_lang = stories("language");
    assert_eq!(by_lang[0], by_lang[1], "one event, two languages");
    assert_ne!(by_lang[2], by_lang[0]);
    // Without languages (too short to detect) the German words count
    // against the pair.
    let unknown = stories("no_such_field");
    assert_ne!(unknown[0], unknown[1]);
}

#[test]
fn cluster_reports_a_split_and_final_stories_follow_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.jsonl");
    // A loose first record bridges two events; eight reports of each join
    // it (a low threshold), alternating.
    let mut lines =
        vec![r#"{"id":"first","text":"Ferry crews strike as stadium fire burns"}"#.to_string()];
    for i in 0..8 {
        lines.push(format!(
            r#"{{"id":"strike{i}","text":"Ferry crews strike over pay, day {i} of walkout"}}"#
        ));
        lines.push(format!(
            r#"{{"id":"fire{i}","text":"Stadium fire inquiry, update {i}: stands burnt out"}}"#
        ));
    }
    std::fs::write(&path, lines.join("\n")).unwrap();
    let run = |extra: &[&str]| -> Vec<serde_json::Value> {
        let o = bin()
            .args([
                "cluster",
                "--threshold",
                "0.05",
                "--merge-threshold",
                "2",
                "--input",
            ])
            .arg(&path)
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let live = run(&[]);
    let splits: Vec<&serde_json::Value> = live.iter().filter_map(|v| v.get("split")).collect();
    assert_eq!(splits.len(), 1, "{live:?}");
    let moved: Vec<&str> = splits[0]["moved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let side = &moved[0][..4];
    assert!(
        moved.len() >= 4 && moved.iter().all(|m| m.starts_with(side)),
        "{moved:?}"
    );
    assert!(splits[0]["reason"].as_str().unwrap().contains("two groups"));
    // --final: each side is one story, the two differ.
    let fin = run(&["--final"]);
    let story = |id: &str| fin.iter().find(|v| v["id"] == id).unwrap()["story"].clone();
    assert!((0..8).all(|i| story(&format!("strike{i}")) == story("strike0")));
    assert!((0..8).all(|i| story(&format!("fire{i}")) == story("fire0")));
    assert_ne!(story("strike0"), story("fire0"));
    // Without splitting, all of it stays one story.
    let one = run(&["--final", "--split-threshold", "0"]);
    assert!(one.iter().all(|v| v["story"] == one[0]["story"]));
}

#[test]
fn analyze_prints_the_stories_its_input_touched() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["analyze", "examples", "-q", "--json"]);
    assert_eq!(json(&o)["stories"].as_array().unwrap().len(), 2);
    let again = run(dir.path(), &["ingest", "examples", "-q", "--json"]);
    assert_eq!(json(&again)["ingest"]["unchanged"], 7);
    // A new article on the football story: only that story is printed.
    let extra = dir.path().join("late.txt");
    std::fs::write(&extra, "Norhaven Rovers name Mia Ström permanent coach\n\nNorhaven Rovers said on Monday that assistant coach Mia Ström would take charge of the football team after the club sacked its coach following five straight defeats.\n").unwrap();
    let o = run(
        dir.path(),
        &["analyze", extra.to_str().unwrap(), "-q", "--json"],
    );
    let stories = json(&o)["stories"].as_array().unwrap().clone();
    assert_eq!(stories.len(), 1, "{stories:?}");
    assert!(stories[0]["title"].as_str().unwrap().contains("Rovers"));
    let all = run(
        dir.path(),
        &["analyze", extra.to_str().unwrap(), "-q", "--json", "--all"],
    );
    assert_eq!(json(&all)["stories"].as_array().unwrap().len(), 2);
    // A path that does not exist prints no story and says so in the exit code.
    let none = run(dir.path(), &["analyze", "/nonexistent-corroborate", "-q"]);
    assert_eq!(none.status.code(), Some(2));
    assert_eq!(stdout(&none), "");
    // report --json is report --format json; counts read as words.
    let id = stories[0]["id"].as_str().unwrap();
    let r = run(dir.path(), &["report", id, "--json"]);
    assert_eq!(json(&r)["id"], id);
    let text = stdout(&run(dir.path(), &["report", id]));
    assert!(
        !text.contains("1 articles") && !text.contains("undated to undated"),
        "{text}"
    );
    let listed = stdout(&run(dir.path(), &["stories"]));
    assert!(!listed.contains(" 1 articles"), "{listed}");
    let times = json(&run(dir.path(), &["stories", "--json"]));
    for s in times["stories"].as_array().unwrap() {
        assert!(s["start"].as_str().unwrap().ends_with('Z'), "{s}");
    }
}

/// `reanalyze` re-extracts stored raw inputs (an article extracted by an
/// older extractor comes back as this one extracts it) and gives the
/// stories a fresh analysis gives.
#[test]
fn reanalyze_re_extracts_what_an_older_extractor_stored() {
    let dir = tempfile::tempdir().unwrap();
    let first = run(dir.path(), &["analyze", "examples", "--json", "-q"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let fresh = json(&first);
    {
        // What an older extractor might have stored: a truncated body.
        let mut store = corroborate_store::Store::open(&dir.path().join("t.db")).unwrap();
        let mut old = store.articles().unwrap()[0].article.clone();
        old.text = old.text.chars().take(40).collect();
        assert_eq!(store.update_articles(&[old]).unwrap(), 1);
    }
    let o = run(dir.path(), &["reanalyze", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary = json(&o);
    assert_eq!(summary["changed"], 1, "{summary}");
    assert_eq!(summary["read"], 7);
    assert_eq!(summary["refused"], 0);
    assert_eq!(
        summary["stories"],
        fresh["stories"].as_array().unwrap().len()
    );
    for s in fresh["stories"].as_array().unwrap() {
        let id = s["id"].as_str().unwrap();
        let r = run(dir.path(), &["report", id, "--json"]);
        assert_eq!(json(&r), *s, "story {id} as a fresh analysis gives it");
    }
    // Nothing to change the second time.
    let again = json(&run(dir.path(), &["reanalyze", "--json"]));
    assert_eq!(again["changed"], 0);
}
