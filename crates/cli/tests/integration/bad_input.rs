//! Bad input is reported with its location, counted and skipped; the run
//! goes on, ends with a summary and exits 2; nothing stored is lost.

use crate::common::*;
use std::io::Write;

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn every_kind_of_bad_input_is_reported_once_and_the_rest_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let p = |n: &str| inputs.join(n);
    std::fs::write(p("good.txt"), "Storm closes Norhaven ferry pier\n\nThe storm damaged the ferry pier in Norhaven on Sunday night, the harbour master said on Monday.\n").unwrap();
    std::fs::write(p("empty.html"), "").unwrap();
    std::fs::write(p("binary.txt"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    std::fs::write(p("notes.pdf"), "%PDF-1.4").unwrap();
    let page =
        gz(b"<html><body><p>A compressed page about the ferry pier in Norhaven.</p></body></html>");
    std::fs::write(p("truncated.html.gz"), &page[..page.len() / 2]).unwrap();
    std::fs::write(p("feed.jsonl"), "{\"text\":\"The council met on Tuesday to discuss the ferry pier repairs and budget.\",\"outlet\":\"Wire\"}\n{not json\n").unwrap();
    std::fs::write(p("mixed.ndjson"), b"{\"text\":\"caf\xff\xfe broken bytes\"}\n{\"text\":\"A fine record about the ferry pier repairs in Norhaven.\"}\n").unwrap();
    std::fs::write(p("big.txt"), "word ".repeat(5000)).unwrap();
    std::fs::write(p("latin1.txt"), b"Le maire a d\xe9clar\xe9 que la jet\xe9e serait r\xe9par\xe9e avant l'\xe9t\xe9 prochain.\n").unwrap();
    let warc = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Type: application/http; msgtype=response\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2025-01-01T00:00:00Z\r\nContent-Length: 500\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<p>cut";
    std::fs::write(p("cut.warc"), warc).unwrap();

    // Something already stored must survive a run full of bad input.
    let first = run(dir.path(), &["ingest", "examples", "-q"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));

    let o = run(
        dir.path(),
        &[
            "ingest",
            "--max-size",
            "10000",
            inputs.to_str().unwrap(),
            dir.path().join("missing").to_str().unwrap(),
        ],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for expected in [
        "skipped: {in}/empty.html: empty input",
        "failed: {in}/binary.txt: binary content",
        "skipped: {in}/notes.pdf: unknown file type",
        "failed: {in}/truncated.html.gz: corrupt or truncated gzip",
        "failed: {in}/feed.jsonl:2: malformed JSON",
        "failed: {in}/mixed.ndjson:1: invalid UTF-8",
        "failed: {in}/big.txt: 25000 bytes, over the limit of 10000 bytes",
        "failed: {in}/cut.warc#1: malformed WARC",
        "failed: {dir}/missing: no such file or directory",
    ] {
        let line = expected
            .replace("{in}", inputs.to_str().unwrap())
            .replace("{dir}", dir.path().to_str().unwrap());
        assert_eq!(
            err.matches(&line).count(),
            1,
            "expected once: {line}\n---\n{err}"
        );
    }
    assert!(
        err.contains("4 read, 4 new, 0 unchanged, 2 skipped, 7 failed"),
        "{err}"
    );

    // Earlier articles are intact and the good ones were added.
    let stories = json(&run(
        dir.path(),
        &["analyze", "examples", "--json", "-q", "--all"],
    ));
    assert_eq!(membership(&stories).len(), 7 + 4);
    let latin = stdout(&run(
        dir.path(),
        &["extract", inputs.join("latin1.txt").to_str().unwrap()],
    ));
    assert!(latin.contains("déclaré"), "{latin}");
}

#[test]
fn stdin_is_sniffed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let o = run_with_stdin(
        &["--db", db.to_str().unwrap(), "extract", "-"],
        b"{\"text\":\"The bridge over the river reopened after repairs.\",\"title\":\"Bridge reopens\",\"published\":\"2024-05-02\"}\n",
    );
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["source"], "-#1");
    assert_eq!(v["title"], "Bridge reopens");
    assert_eq!(v["published"], "2024-05-02T00:00:00+00:00");
}
