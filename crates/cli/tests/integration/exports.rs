//! Every table a report holds, as CSV from the CLI and the API, read back
//! with a real CSV reader and checked against the JSON report.

use crate::common::*;
use crate::server::{get, request_with, start};

fn read_csv(text: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r.records().collect::<Result<Vec<_>, _>>().unwrap();
    (header, rows)
}

/// Checks a table's CSV against the report it came from.
fn check(table: &str, text: &str, report: &serde_json::Value) {
    let (header, rows) = read_csv(text);
    assert_eq!(header[0], "story_id", "{table}");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let arr = |k: &str| report[k].as_array().unwrap().clone();
    let expected: usize = match table {
        "claims" => arr("claims").len(),
        "carriers" => arr("claims")
            .iter()
            .map(|c| c["carriers"].as_array().unwrap().len())
            .sum(),
        "figures" => arr("figures")
            .iter()
            .map(|g| g["values"].as_array().unwrap().len())
            .sum(),
        "timeline" => arr("timeline").len(),
        "sources" => arr("articles").len(),
        other => panic!("{other}"),
    };
    assert_eq!(rows.len(), expected, "{table}: {text}");
    assert!(expected > 0, "{table}: the fire story has some");
    for row in &rows {
        assert_eq!(&row[0], report["id"].as_str().unwrap());
        assert_eq!(row.len(), header.len());
    }
    match table {
        "claims" => {
            for (row, c) in rows.iter().zip(arr("claims")) {
                assert_eq!(&row[col("claim_id")], c["id"].as_str().unwrap());
                assert_eq!(&row[col("text")], c["text"].as_str().unwrap());
                assert_eq!(&row[col("speaker")], c["speaker"].as_str().unwrap_or(""));
            }
        }
        "carriers" => {
            let first = &arr("claims")[0]["carriers"][0];
            assert_eq!(
                &rows[0][col("article_id")],
                first["article"].as_str().unwrap()
            );
            assert_eq!(
                rows[0][col("start")].parse::<u64>().unwrap(),
                first["start"].as_u64().unwrap()
            );
            assert_eq!(&rows[0][col("text")], first["text"].as_str().unwrap());
        }
        "figures" => {
            let v = &arr("figures")[0]["values"][0];
            assert_eq!(
                rows[0][col("value")].parse::<f64>().unwrap(),
                v["value"].as_f64().unwrap()
            );
        }
        "timeline" => {
            for (row, t) in rows.iter().zip(arr("timeline")) {
                assert_eq!(&row[col("date")], t["date"].as_str().unwrap());
            }
        }
        _ => {
            for (row, a) in rows.iter().zip(arr("articles")) {
                assert_eq!(&row[col("article_id")], a["id"].as_str().unwrap());
            }
        }
    }
}

#[test]
fn every_table_exports_as_csv_from_the_cli_and_the_api() {
    let srv = start();
    let id = crate::server::fire_story(srv.port);
    let report = get(srv.port, &format!("/api/stories/{id}")).json();
    let out = srv.dir.path().join("tables");
    let o = run(
        srv.dir.path(),
        &["export", &id, "--out", out.to_str().unwrap(), "-q"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for table in ["claims", "carriers", "figures", "timeline", "sources"] {
        let file = std::fs::read_to_string(out.join(format!("{id}-{table}.csv"))).unwrap();
        check(table, &file, &report);
        // The same bytes from stdout, and from the API by ?format and by Accept.
        let one = run(srv.dir.path(), &["export", &id, "--table", table]);
        assert_eq!(stdout(&one), file, "{table}");
        let api = get(
            srv.port,
            &format!("/api/stories/{id}/tables/{table}?format=csv"),
        );
        assert_eq!(api.status, 200);
        assert!(
            api.head
                .to_ascii_lowercase()
                .contains("content-type: text/csv"),
            "{}",
            api.head
        );
        assert!(
            api.head.contains(&format!("filename=\"{id}-{table}.csv\"")),
            "{}",
            api.head
        );
        assert_eq!(api.body, file, "{table}");
        let accepted = request_with(
            srv.port,
            "GET",
            &format!("/api/stories/{id}/tables/{table}"),
            &[("Host", "127.0.0.1"), ("Accept", "text/csv")],
            b"",
        );
        assert_eq!(accepted.body, file, "{table}");
        // NDJSON: one object per CSV row.
        let nd = run(
            srv.dir.path(),
            &["export", &id, "--table", table, "--format", "ndjson"],
        );
        let lines: Vec<serde_json::Value> = stdout(&nd)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), read_csv(&file).1.len());
    }
    // The story page links every table.
    let page = get(srv.port, &format!("/stories/{id}"));
    for table in ["claims", "carriers", "figures", "timeline", "sources"] {
        assert!(
            page.body
                .contains(&format!("/api/stories/{id}/tables/{table}.csv")),
            "{table}"
        );
    }
    // Unknown tables and formats are clear errors.
    assert_eq!(
        get(srv.port, &format!("/api/stories/{id}/tables/people")).status,
        404
    );
    assert_eq!(
        get(
            srv.port,
            &format!("/api/stories/{id}/tables/claims?format=xlsx")
        )
        .status,
        400
    );
    let none = run(srv.dir.path(), &["export", &id]);
    assert_eq!(none.status.code(), Some(1));
    assert!(stderr(&none).contains("--table"), "{}", stderr(&none));
}
