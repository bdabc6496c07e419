//! Search finds a word's inflections and a name's spellings, in the API
//! and the story filters, on fictional articles written here.

use crate::common::*;
use crate::server::{get, start};

#[test]
fn inflections_and_name_spellings_find_the_same_stories() {
    let srv = start();
    let dir = srv.dir.path().join("more");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("a.txt"),
        "Minister Oleksandr Petrenkov visits flooded Lowmere\n\nMinister Oleksandr Petrenkov said on Monday that the river had burned through its banks and flooded three villages near Lowmere, forcing families to evacuate.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("b.txt"),
        "Petrenkovv promises aid to Lowmere villages\n\nOleksandr Petrenkovv, the minister, promised on Tuesday that the government would pay for repairs in Lowmere after the floods, which evacuated hundreds of families.\n",
    )
    .unwrap();
    let o = run(srv.dir.path(), &["ingest", "-q", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let t = std::time::Instant::now();
    while get(srv.port, "/health").json()["articles"] != 9
        || get(srv.port, "/api/stories?q=Lowmere").json()["total"] == 0
    {
        assert!(t.elapsed().as_secs() < 20, "not analysed");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let stories = |q: &str| -> Vec<String> {
        let mut ids: Vec<String> = get(srv.port, &format!("/api/stories?{q}")).json()["stories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    let hits = |q: &str| {
        get(srv.port, &format!("/api/search?q={q}")).json()["articles"]
            .as_array()
            .unwrap()
            .len()
    };
    // Inflections: "burn" and "evacuating" find what says "burned", "evacuate(d)".
    assert!(!stories("q=burn").is_empty());
    assert_eq!(stories("q=burn"), stories("q=burned"));
    assert_eq!(hits("evacuating"), hits("evacuated"));
    assert!(
        hits("evacuating") >= 2,
        "both Lowmere articles and the fire story's"
    );
    // A name's spellings find each other, in search and in the entity filter.
    assert_eq!(hits("Petrenkov"), 2);
    assert_eq!(hits("Petrenkovv"), 2);
    assert_eq!(stories("q=Petrenkov"), stories("q=Petrenkovv"));
    // Accents do not matter (the fire chief is Marta Kovač in examples/).
    assert_eq!(stories("q=Kovac"), stories("q=Kova%C4%8D"));
    assert!(!stories("q=Kovac").is_empty());
}

#[test]
fn the_story_list_filters_and_shows_what_matched() {
    let srv = start();
    let page = get(srv.port, "/?q=warehouse");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<mark>"), "a snippet marks the match");
    assert!(
        page.body.contains("class=\"claim-hit\""),
        "a matching claim is shown"
    );
    // The filters are a form whose fields keep their values (the URL is the view).
    let filtered = get(
        srv.port,
        "/?q=fire&outlet=Valley+Wire&status=attributed_only&from=2025-03-01",
    );
    for field in [
        "name=\"outlet\" value=\"Valley Wire\"",
        "<option value=\"attributed_only\" selected>",
        "name=\"from\" value=\"2025-03-01\"",
        "name=\"q\" value=\"fire\"",
    ] {
        assert!(filtered.body.contains(field), "{field}");
    }
    let none = get(srv.port, "/?q=zeppelin");
    assert!(none.body.contains("No stories match"), "{}", none.body);
    assert!(!none.body.contains("No stories yet"));
    // The status filter in the API.
    let all = get(srv.port, "/api/stories").json()["total"]
        .as_u64()
        .unwrap();
    let some = get(srv.port, "/api/stories?status=attributed_only").json()["total"]
        .as_u64()
        .unwrap();
    assert!(some >= 1 && some <= all);
    assert_eq!(get(srv.port, "/api/stories?status=rumour").status, 400);
    // What matched, in the API when asked for: a snippet marking the word
    // (as inflected in the article) for every story found.
    let plain = get(srv.port, "/api/stories?q=warehouses").json();
    assert!(plain["stories"][0].get("match").is_none(), "opt-in");
    let with = get(srv.port, "/api/stories?q=warehouses&snippets=true").json();
    let found = with["stories"].as_array().unwrap();
    assert!(!found.is_empty());
    for s in found {
        let snippet = s["match"]["snippet"].as_str().unwrap();
        assert!(snippet.to_lowercase().contains("[warehouse"), "{s}");
    }
    assert_eq!(
        get(srv.port, "/api/stories?q=fire&snippets=yes").status,
        400
    );
}
