use super::*;
use std::io::Write;

fn collect(ing: &Ingestor, paths: &[PathBuf]) -> (Vec<RawDocument>, Vec<Issue>) {
    let (mut docs, mut issues) = (Vec::new(), Vec::new());
    let inputs = ing.discover(paths, &mut |i| issues.push(i));
    for input in inputs {
        ing.read(&input, &mut |item| match item {
            Ok(d) => docs.push(d),
            Err(i) => issues.push(i),
        });
    }
    (docs, issues)
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn kinds_from_extension() {
    assert_eq!(
        Kind::from_path(Path::new("a/b.HTML")),
        Some((Kind::Html, false))
    );
    assert_eq!(
        Kind::from_path(Path::new("b.warc.gz")),
        Some((Kind::Warc, true))
    );
    assert_eq!(
        Kind::from_path(Path::new("b.ndjson")),
        Some((Kind::Jsonl, false))
    );
    assert_eq!(
        Kind::from_path(Path::new("b.txt.gz")),
        Some((Kind::Text, true))
    );
    assert_eq!(Kind::from_path(Path::new("b.pdf")), None);
    assert_eq!(Kind::from_path(Path::new("README")), None);
}

#[test]
fn sniffing_stdin_content() {
    assert_eq!(Kind::sniff(b"WARC/1.0\r\n"), Kind::Warc);
    assert_eq!(
        Kind::sniff(b"{\"text\":\"a\"}\n{\"text\":\"b\"}\n"),
        Kind::Jsonl
    );
    assert_eq!(Kind::sniff(b"{\n \"text\": \"a\"\n}\n"), Kind::Json);
    assert_eq!(Kind::sniff(b"  <!doctype html><p>x"), Kind::Html);
    assert_eq!(Kind::sniff(b"Plain words."), Kind::Text);
}

#[test]
fn each_bad_input_is_reported_with_its_location_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    std::fs::write(p("good.txt"), "A plain article body.").unwrap();
    std::fs::write(p("empty.html"), "  \n").unwrap();
    std::fs::write(p("binary.txt"), [0u8, 1, 2, 3, 0, 159, 146, 150]).unwrap();
    std::fs::write(p("notes.pdf"), "%PDF").unwrap();
    let full = gz(b"<html><body><p>Compressed page.</p></body></html>");
    std::fs::write(p("trunc.html.gz"), &full[..full.len() / 2]).unwrap();
    std::fs::write(p("ok.html.gz"), &full).unwrap();
    std::fs::write(
        p("feed.jsonl"),
        "{\"text\":\"one\"}\n{bad\n\n{\"title\":\"no body\"}\n[1]\n",
    )
    .unwrap();
    let (docs, issues) = collect(
        &Ingestor::default(),
        &[dir.path().to_path_buf(), p("missing.txt")],
    );
    let msgs: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
    let has = |needle: &str| msgs.iter().any(|m| m.contains(needle));
    assert!(has("empty.html: empty input"), "{msgs:?}");
    assert!(has("binary.txt: binary content"), "{msgs:?}");
    assert!(has("notes.pdf: unknown file type"), "{msgs:?}");
    assert!(has("trunc.html.gz: corrupt or truncated gzip"), "{msgs:?}");
    assert!(has("feed.jsonl:2: malformed JSON"), "{msgs:?}");
    assert!(has("feed.jsonl:4: record has no"), "{msgs:?}");
    assert!(
        has("feed.jsonl:5: malformed JSON: expected an object"),
        "{msgs:?}"
    );
    assert!(has("missing.txt: no such file"), "{msgs:?}");
    assert_eq!(issues.len(), 8, "{msgs:?}");
    let sources: Vec<&str> = docs
        .iter()
        .map(|d| d.source.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(sources, ["feed.jsonl#1", "good.txt", "ok.html.gz"]);
    assert_eq!(docs[2].format, Format::Html);
}

#[test]
fn size_limit_applies_before_and_after_decompression() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.txt"), "x".repeat(2000)).unwrap();
    std::fs::write(dir.path().join("bomb.txt.gz"), gz(&vec![b'a'; 5000])).unwrap();
    let ing = IngestorBuilder::new().max_size(1000).build();
    let (docs, issues) = collect(&ing, &[dir.path().to_path_buf()]);
    assert!(docs.is_empty());
    assert_eq!(issues.len(), 2);
    assert!(issues
        .iter()
        .all(|i| matches!(i.error, Error::TooLarge { max: 1000, .. })));
}

#[test]
fn charsets_follow_meta_then_detection() {
    // "café" in windows-1252, declared in <meta>.
    let html = b"<html><head><meta charset=\"windows-1252\"></head><body>caf\xe9</body></html>";
    assert!(decode(html, Format::Html, None).unwrap().contains("café"));
    // The HTTP header wins over <meta>.
    let koi = b"<meta charset=utf-8><p>\xf0\xd2\xc9\xd7\xc5\xd4</p>";
    assert!(decode(koi, Format::Html, Some("koi8-r"))
        .unwrap()
        .contains("Привет"));
    // Undeclared Latin-1 text is detected instead of failing.
    let latin = "Le gouvernement a déclaré que les élections auront lieu à la date prévue, après la réunion.".as_bytes();
    let (enc, _, _) = encoding_rs::WINDOWS_1252.encode(std::str::from_utf8(latin).unwrap());
    assert!(decode(&enc, Format::Text, None)
        .unwrap()
        .contains("déclaré"));
    // A BOM decides.
    assert_eq!(decode(b"\xef\xbb\xbfhi", Format::Text, None).unwrap(), "hi");
    // UTF-8 with one broken sequence, declared or not, stays UTF-8: one
    // replacement character, not a page of mojibake.
    let mut broken = "<meta charset=\"utf-8\"><p>Zażółć gęślą jaźń, powiedział burmistrz.</p>"
        .repeat(3)
        .into_bytes();
    broken.extend_from_slice(b"<p>\xc3(</p>");
    for page in [&broken[..], &broken[22..]] {
        let text = decode(page, Format::Html, None).unwrap();
        assert!(text.contains("Zażółć gęślą jaźń"), "{text}");
        assert_eq!(text.matches('\u{FFFD}').count(), 1, "{text}");
    }
}

#[test]
fn warc_responses_become_html_documents() {
    let page = b"<html><head><meta charset=utf-8><title>T</title></head><body><p>Caf\xc3\xa9 news.</p></body></html>";
    let http = [
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n".as_slice(),
        page,
    ]
    .concat();
    let redirect = b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n".to_vec();
    let rec = |typ: &str, ctype: &str, uri: &str, body: &[u8]| {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {typ}\r\nWARC-Record-ID: <urn:uuid:{}>\r\nWARC-Date: 2024-12-17T10:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
            uri.len(),
            body.len()
        )
        .into_bytes();
        r.extend_from_slice(body);
        r.extend_from_slice(b"\r\n\r\n");
        r
    };
    let mut warc = rec(
        "warcinfo",
        "application/warc-fields",
        "x",
        b"software: test\r\n",
    );
    warc.extend(rec(
        "response",
        "application/http; msgtype=response",
        "https://news.example/a",
        &http,
    ));
    warc.extend(rec(
        "response",
        "application/http; msgtype=response",
        "https://news.example/r",
        &redirect,
    ));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("crawl.warc.gz"), gz(&warc)).unwrap();
    // And a truncated one: the framing breaks inside the second record.
    std::fs::write(dir.path().join("cut.warc"), &warc[..warc.len() - 60]).unwrap();
    let (docs, issues) = collect(&Ingestor::default(), &[dir.path().to_path_buf()]);
    let names: Vec<&str> = docs
        .iter()
        .map(|d| d.source.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(names, ["crawl.warc.gz#2", "cut.warc#2"]);
    assert!(docs[0].content.contains("Café news."));
    assert_eq!(docs[0].hints.url.as_deref(), Some("https://news.example/a"));
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert!(
        issues[0]
            .to_string()
            .starts_with(&format!("{}", dir.path().join("cut.warc#3").display())),
        "{}",
        issues[0]
    );
}

/// A WARC response record holding `body` as an HTML page.
fn warc_record(n: usize, body: &str) -> Vec<u8> {
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>{body}</p></body></html>");
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{n}>\r\nWARC-Date: 2024-12-17T10:00:00Z\r\nWARC-Target-URI: https://news.example/{n}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    r.extend_from_slice(http.as_bytes());
    r.extend_from_slice(b"\r\n\r\n");
    r
}

#[test]
fn a_truncated_multi_member_warc_gz_keeps_its_complete_records() {
    // One gzip member per record, as crawlers write them; cut in the last.
    let members: Vec<Vec<u8>> = (1..=3)
        .map(|n| {
            gz(&warc_record(
                n,
                &format!("Record {n} about the ferry pier."),
            ))
        })
        .collect();
    let mut file = members.concat();
    file.truncate(file.len() - members[2].len() / 2);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl.warc.gz");
    std::fs::write(&path, &file).unwrap();
    let (docs, issues) = collect(&Ingestor::default(), std::slice::from_ref(&path));
    let names: Vec<String> = docs.iter().map(|d| d.source.clone()).collect();
    let loc = |n: usize| format!("{}#{n}", path.display());
    assert_eq!(names, [loc(1), loc(2)]);
    let msgs: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
    assert!(
        msgs.iter().any(|m| m.starts_with(&loc(3))),
        "the cut record is named: {msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.contains("truncated gzip")),
        "{msgs:?}"
    );
}

#[test]
fn a_truncated_jsonl_gz_keeps_its_complete_lines() {
    let lines: String = (1..=200)
        .map(|n| format!("{{\"text\":\"Line {n}: the council discussed the ferry pier repairs at length, item {n}.\"}}\n"))
        .collect();
    let mut file = gz(lines.as_bytes());
    file.truncate(file.len() * 2 / 3);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.jsonl.gz");
    std::fs::write(&path, &file).unwrap();
    let (docs, issues) = collect(&Ingestor::default(), &[path]);
    assert!(docs.len() > 50 && docs.len() < 200, "{}", docs.len());
    for (i, d) in docs.iter().enumerate() {
        assert!(
            d.content.starts_with(&format!("Line {}:", i + 1)),
            "{}",
            d.content
        );
    }
    assert_eq!(issues.len(), 1, "{issues:?}");
    let msg = issues[0].to_string();
    assert!(
        msg.contains("truncated gzip") && msg.contains(&format!("after line {}", docs.len())),
        "{msg}"
    );
}

#[test]
fn record_fields_of_the_wrong_type_are_errors_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.jsonl");
    std::fs::write(
        &path,
        concat!(
            "{\"title\":5,\"text\":\"A fine body about the ferry pier.\"}\n",
            "{\"title\":\"Ok\",\"text\":[\"x\"]}\n",
            "{\"title\":\"Ok\",\"author\":[\"A. Berg\",\"L. Kova\"],\"text\":\"Body with two authors.\",\"url\":null}\n",
        ),
    )
    .unwrap();
    let (docs, issues) = collect(&Ingestor::default(), std::slice::from_ref(&path));
    let msgs: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
    assert_eq!(
        msgs,
        [
            format!(
                "{}:1: field \"title\" must be a string, not a number",
                path.display()
            ),
            format!(
                "{}:2: field \"text\" must be a string, not a list",
                path.display()
            ),
        ]
    );
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].hints.author.as_deref(), Some("A. Berg, L. Kova"));
}

#[test]
fn a_guessed_charset_is_a_warning_and_the_text_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin2.txt");
    // Polish in ISO-8859-2, no declaration: not UTF-8.
    std::fs::write(&path, b"Burmistrz powiedzia\xb3, \xbfe most zostanie naprawiony przed zim\xb1. Mieszka\xf1cy czekaj\xb1 na decyzj\xea rady.\n").unwrap();
    let (docs, issues) = collect(&Ingestor::default(), &[path]);
    assert_eq!(docs.len(), 1);
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0].severity(), Severity::Warning);
    let msg = issues[0].to_string();
    assert!(
        msg.contains("not valid UTF-8") && msg.contains("read as"),
        "{msg}"
    );
}

#[cfg(unix)]
#[test]
fn links_to_files_are_followed_and_loops_reported() {
    let dir = tempfile::tempdir().unwrap();
    let real = tempfile::tempdir().unwrap();
    std::fs::write(
        real.path().join("page.html"),
        "<p>A linked page about the pier.</p>",
    )
    .unwrap();
    std::os::unix::fs::symlink(real.path().join("page.html"), dir.path().join("link.html"))
        .unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    let (docs, issues) = collect(&Ingestor::default(), &[dir.path().to_path_buf()]);
    assert_eq!(docs.len(), 1, "{issues:?}");
    assert!(docs[0].source.ends_with("link.html"));
    let msgs: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(msgs[0].contains("loop"), "{msgs:?}");
}

#[test]
fn json_records_carry_hints() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.json"),
        r#"{"html":"<p>x</p>","title":"T","published":"2024-12-16","site":"Example Post","author":["A. One","B. Two"],"url":"https://e.x/1"}"#,
    )
    .unwrap();
    let (docs, issues) = collect(&Ingestor::default(), &[dir.path().to_path_buf()]);
    assert!(issues.is_empty());
    let h = &docs[0].hints;
    assert_eq!(docs[0].format, Format::Html);
    assert_eq!(h.title.as_deref(), Some("T"));
    assert_eq!(h.outlet.as_deref(), Some("Example Post"));
    assert_eq!(h.author.as_deref(), Some("A. One, B. Two"));
    assert_eq!(h.published.as_deref(), Some("2024-12-16"));
}

proptest::proptest! {
    /// Arbitrary bytes never panic any reader, and every outcome names its input.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..600)) {
        let ing = Ingestor::default();
        for kind in [Kind::Html, Kind::Text, Kind::Json, Kind::Jsonl, Kind::Warc] {
            ing.read_bytes("in", kind, &bytes, &mut |item| {
                let loc = match &item { Ok(d) => d.source.clone(), Err(i) => i.location.clone() };
                assert!(loc.starts_with("in"));
            });
        }
    }

    /// The id depends on content, never on the path it was read from.
    #[test]
    fn ids_ignore_the_path(text in "[a-z ]{1,80}") {
        let a = RawDocument::new("x/a.txt", Format::Text, text.clone(), Hints::default());
        let b = RawDocument::new("y/b.txt", Format::Text, text, Hints::default());
        proptest::prop_assert_eq!(a.id, b.id);
    }
}

#[test]
fn no_size_limit_does_not_overflow() {
    let data = gz(b"<p>Some compressed page text.</p>");
    assert_eq!(
        gunzip(&data, u64::MAX).unwrap(),
        b"<p>Some compressed page text.</p>"
    );
    let ing = IngestorBuilder::new().max_size(u64::MAX).build();
    let mut docs = 0;
    ing.read_bytes("x.html", Kind::Html, b"<p>page</p>", &mut |d| {
        docs += usize::from(d.is_ok())
    });
    assert_eq!(docs, 1);
}

#[test]
fn jsonl_files_stream_and_limit_each_record() {
    let dir = tempfile::tempdir().unwrap();
    let small = |i: usize| format!("{{\"text\":\"Record {i} about the ferry pier.\"}}\n");
    let mut feed: String = (0..50).map(small).collect();
    feed.push_str(&format!("{{\"text\":\"{}\"}}\n", "x".repeat(5000)));
    feed.push_str(&small(99));
    std::fs::write(dir.path().join("feed.jsonl"), &feed).unwrap();
    std::fs::write(dir.path().join("feed2.jsonl.gz"), gz(feed.as_bytes())).unwrap();
    // The files are far over the limit as a whole; each record but one is under it.
    let ing = IngestorBuilder::new().max_size(1000).build();
    let (docs, issues) = collect(&ing, &[dir.path().to_path_buf()]);
    assert_eq!(docs.len(), 2 * 51, "{issues:?}");
    assert_eq!(issues.len(), 2);
    for i in &issues {
        assert!(matches!(i.error, Error::TooLarge { max: 1000, .. }), "{i}");
        assert!(i.location.ends_with(":51"), "{}", i.location);
    }
    assert!(docs.iter().any(|d| d.source.ends_with("feed.jsonl#52")));
}
