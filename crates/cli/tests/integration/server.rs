//! The real server on 127.0.0.1 with a real store built from examples/,
//! called over a real socket: every endpoint, the errors, live updates, and
//! the OpenAPI document checked against what the server does.

use crate::common::*;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

pub fn request(port: u16, method: &str, path: &str, ctype: Option<&str>, body: &[u8]) -> Response {
    let mut headers = vec![("Host", "127.0.0.1")];
    if let Some(c) = ctype {
        headers.push(("Content-Type", c));
    }
    request_with(port, method, path, &headers, body)
}

/// A request with exactly these headers (plus Connection and Content-Length).
pub fn request_with(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let _ = s.write_all(body); // the server may answer 413 before reading it all
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no response to {method} {path}: {text:?}"));
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    Response {
        status,
        head: head.to_string(),
        body,
    }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}

pub fn get(port: u16, path: &str) -> Response {
    request(port, "GET", path, None, b"")
}

pub struct Server {
    _child: KillOnDrop,
    pub port: u16,
    pub dir: tempfile::TempDir,
}

/// Runs `corroborate --db DIR/t.db ARGS... <ADDR>` and waits until it listens.
fn spawn_serving(dir: tempfile::TempDir, args: &[&str], secs: u64) -> Server {
    let port = free_port();
    let child = bin()
        .arg("--db")
        .arg(dir.path().join("t.db"))
        .args(args)
        .arg(format!("127.0.0.1:{port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    wait_for_port(port, secs, "server");
    Server {
        _child: KillOnDrop(child),
        port,
        dir,
    }
}

/// The id of the fire story (the one with 6 articles) in examples/.
pub fn fire_story(port: u16) -> String {
    get(port, "/api/stories").json()["stories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["articles"] == 6)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Analyses examples/ into a fresh store and serves it on a free loopback port.
pub fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["analyze", "examples", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    spawn_serving(dir, &["serve", "--addr"], 30)
}

pub fn is_json_error(r: &Response, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    assert!(
        r.head
            .to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{}",
        r.head
    );
    let j = r.json();
    assert_eq!(j["code"], code, "{j}");
    assert!(j["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[test]
fn api_endpoints_errors_and_live_updates() {
    let srv = start();
    let port = srv.port;
    let doc = json(&run(
        srv.dir.path(),
        &["analyze", "examples", "--json", "-q"],
    ));
    let fire = &doc["stories"][0];
    let id = fire["id"].as_str().unwrap();

    let h = get(port, "/health").json();
    assert_eq!(
        (
            h["status"].as_str(),
            h["articles"].as_u64(),
            h["stories"].as_u64()
        ),
        (Some("ok"), Some(7), Some(2))
    );

    // List, filters, paging.
    let list = get(port, "/api/stories").json();
    assert_eq!(list["total"], 2);
    let ids = |q: &str| -> Vec<String> {
        get(port, &format!("/api/stories?{q}")).json()["stories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids("q=solvent"), [id]);
    assert_eq!(ids("outlet=coastal%20herald"), [id]);
    assert_eq!(ids("entity=Kova%C4%8D"), [id]);
    assert_eq!(ids("q=coach").len(), 1);
    assert_ne!(ids("q=coach")[0], id);
    assert!(ids("from=2025-03-17").is_empty());
    assert_eq!(ids("to=2025-03-14"), [id]);
    assert_eq!(ids("limit=1").len(), 1);
    assert_eq!(ids("limit=1&offset=1").len(), 1);
    assert_ne!(ids("limit=1"), ids("limit=1&offset=1"));

    // One story: the same JSON as `report --format json`.
    assert_eq!(get(port, &format!("/api/stories/{id}")).json(), *fire);
    let article = fire["articles"][0]["id"].as_str().unwrap();
    let a = get(port, &format!("/api/articles/{article}")).json();
    assert_eq!(a["story"], id);
    assert!(a["article"]["text"]
        .as_str()
        .unwrap()
        .contains("solvent warehouse"));
    assert!(!a["annotations"]["statements"]
        .as_array()
        .unwrap()
        .is_empty());

    // Search.
    let s = get(port, "/api/search?q=Brandt").json();
    assert!(!s["articles"].as_array().unwrap().is_empty());
    assert!(s["claims"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["speaker"] == "Ivo Brandt"));

    // Errors: unknown ids and routes, bad parameters, bad bodies.
    is_json_error(&get(port, "/api/stories/s-nope"), 404, "not_found");
    is_json_error(&get(port, "/api/articles/nope"), 404, "not_found");
    is_json_error(&get(port, "/api/nothing"), 404, "not_found");
    is_json_error(&get(port, "/api/stories?limit=0"), 400, "bad_request");
    is_json_error(&get(port, "/api/stories?limit=abc"), 400, "bad_request");
    is_json_error(
        &get(port, "/api/stories?from=yesterday"),
        400,
        "bad_request",
    );
    is_json_error(&get(port, "/api/search"), 400, "bad_request");
    is_json_error(
        &request(
            port,
            "POST",
            "/api/articles",
            Some("application/json"),
            b"{not json",
        ),
        400,
        "bad_request",
    );
    is_json_error(
        &request(
            port,
            "POST",
            "/api/articles",
            Some("application/json"),
            b"{\"title\":\"no body\"}",
        ),
        422,
        "unprocessable",
    );
    is_json_error(
        &request(port, "POST", "/api/articles", Some("image/png"), b"\x89PNG"),
        415,
        "unsupported_media_type",
    );
    let big = vec![b'a'; 5 * 1024 * 1024];
    is_json_error(
        &request(port, "POST", "/api/articles", Some("text/plain"), &big),
        413,
        "payload_too_large",
    );

    // POST an article: stored, analysed, in the fire story at once; again: idempotent.
    let record = br#"{"title":"Norhaven port fire: solvent warehouse had no sprinklers","outlet":"Harbour Times","published":"2025-03-17","text":"The solvent warehouse at the port of Norhaven where a fire forced the evacuation of residents on Friday had no working sprinklers, Fire chief Marta Kova\u010d said on Telegram on Monday. Kestrel Shipping said the sprinklers had been inspected last year."}"#;
    let posted = request(
        port,
        "POST",
        "/api/articles",
        Some("application/json"),
        record,
    );
    assert_eq!(posted.status, 201, "{}", posted.body);
    let p = posted.json();
    assert_eq!(p["ingest"]["added"], 1);
    assert_eq!(p["articles"][0]["story"], id, "joined the fire story");
    let again = request(
        port,
        "POST",
        "/api/articles",
        Some("application/json"),
        record,
    );
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["ingest"]["unchanged"], 1);
    assert_eq!(
        get(port, &format!("/api/stories/{id}")).json()["articles"]
            .as_array()
            .unwrap()
            .len(),
        7
    );

    // Live update from another process: `corroborate ingest` while serving.
    let extra = srv.dir.path().join("late.txt");
    std::fs::write(&extra, "Norhaven Rovers name Mia Ström permanent coach\n\nNorhaven Rovers said on Monday that assistant coach Mia Ström would take charge of the football team for the rest of the season after the club sacked Dario Berg.\n").unwrap();
    let o = run(srv.dir.path(), &["ingest", "-q", extra.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let start = Instant::now();
    loop {
        if get(port, "/api/stories?q=Str%C3%B6m").json()["total"].as_u64() == Some(1)
            && get(port, "/health").json()["articles"] == 9
            && get(port, "/api/stories?q=permanent").json()["total"] == 1
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the ingested article never appeared"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn openapi_document_matches_the_server() {
    let srv = start();
    let port = srv.port;
    let spec = get(port, "/openapi.json").json();
    assert_eq!(spec["openapi"], "3.1.0");
    let story = get(port, "/api/stories").json()["stories"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let article = get(port, &format!("/api/stories/{story}")).json()["articles"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // The generated StoryReport schema describes a served report: every
    // key of every object is a documented property, required ones are
    // there, and arrays hold what their items say.
    let report = get(port, &format!("/api/stories/{story}")).json();
    let mut checked = 0;
    conforms(
        &spec,
        &json!({ "$ref": "#/components/schemas/StoryReport" }),
        &report,
        "report",
        &mut checked,
    );
    assert!(checked > 50, "only {checked} values checked");
    // So do the generated schemas of the story list (with what matched)
    // and of an article with its annotations.
    let page = get(port, "/api/stories?q=fire&snippets=true").json();
    assert!(page["stories"][0]["match"].is_object(), "{page}");
    let mut listed = 0;
    let list_schema = json!({ "$ref": "#/components/schemas/StoryPage" });
    conforms(&spec, &list_schema, &page, "page", &mut listed);
    assert!(listed > 10, "only {listed} values checked");
    let op = &spec["paths"]["/api/articles/{id}"]["get"]["responses"]["200"];
    let schema = &op["content"]["application/json"]["schema"];
    let served = get(port, &format!("/api/articles/{article}")).json();
    let mut n = 0;
    conforms(&spec, schema, &served, "article", &mut n);
    assert!(n > 20, "only {n} values checked");
    let paths = spec["paths"].as_object().unwrap();
    let documented: Vec<&String> = paths.keys().collect();
    for p in [
        "/health",
        "/api/stories",
        "/api/stories/{id}",
        "/api/articles",
        "/api/articles/{id}",
        "/api/search",
    ] {
        assert!(
            documented.iter().any(|d| *d == p),
            "{p} is served but not documented"
        );
    }
    for (path, ops) in paths {
        for (method, op) in ops.as_object().unwrap() {
            let concrete = path
                .replace(
                    "{id}",
                    if path.contains("stories") {
                        &story
                    } else {
                        &article
                    },
                )
                .replace("{table}", "claims");
            let (r, wanted) = match method.as_str() {
                "get" => {
                    let q = if path == "/api/search" { "?q=fire" } else { "" };
                    // This server has no queue (queue.rs tests one that has).
                    let wanted = if path == "/api/queue" { "404" } else { "200" };
                    (get(port, &format!("{concrete}{q}")), wanted)
                }
                "post" => (request(port, "POST", &concrete, Some("text/plain"), b"Harbour master says the Norhaven pier will reopen on Friday after repairs."), "201"),
                other => panic!("undocumented method {other}"),
            };
            assert_eq!(r.status.to_string(), wanted, "{method} {path}: {}", r.body);
            assert!(
                op["responses"].get(wanted).is_some(),
                "{method} {path} does not document {wanted}"
            );
            // Every documented error status is one the error table produces.
            for code in op["responses"]
                .as_object()
                .unwrap()
                .keys()
                .filter(|c| c.starts_with('4') || c.starts_with('5'))
            {
                assert!(
                    ["400", "403", "404", "405", "413", "415", "421", "422", "503"]
                        .contains(&code.as_str()),
                    "{code}"
                );
            }
        }
    }
    let codes: Vec<&str> = spec["components"]["schemas"]["Error"]["properties"]["code"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    for c in [
        "bad_request",
        "not_found",
        "payload_too_large",
        "unsupported_media_type",
        "unprocessable",
        "internal",
        "forbidden",
        "misdirected_host",
        "method_not_allowed",
    ] {
        assert!(codes.contains(&c), "{c}");
    }
}

#[test]
fn web_pages_render_without_a_browser() {
    let srv = start();
    let port = srv.port;
    let index = get(port, "/");
    assert_eq!(index.status, 200);
    assert!(index.head.to_ascii_lowercase().contains("text/html"));
    assert!(index.body.contains("Chemical fire at Norhaven port") && index.body.contains("Rovers"));
    let story = fire_story(port);
    let page = get(port, &format!("/stories/{story}")).body;
    for needle in [
        "class=\"matrix\"",
        "<svg class=\"chart\"",
        "class=\"timeline\"",
        "1 copy",
        "sources disagree",
    ] {
        assert!(page.contains(needle), "{needle}");
    }
    let missing = get(port, "/stories/s-nope");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<h1>404"));
    assert!(get(port, "/assets/app.css").head.contains("text/css"));
    assert!(get(port, "/assets/app.js").head.contains("javascript"));
}

#[test]
fn analyze_then_serve() {
    let dir = tempfile::tempdir().unwrap();
    let srv = spawn_serving(dir, &["analyze", "examples", "-q", "--serve"], 60);
    let port = srv.port;
    let h = get(port, "/health").json();
    assert_eq!(
        (h["articles"].as_u64(), h["stories"].as_u64()),
        (Some(7), Some(2))
    );
}

/// Checks `value` against `schema` as far as the report needs: `$ref`s
/// into the document's components, objects (properties, required, no
/// unknown key), arrays (items), `anyOf`/`oneOf` (one must fit) and the
/// JSON type. `checked` counts the values visited.
fn conforms(spec: &Value, schema: &Value, value: &Value, at: &str, checked: &mut usize) {
    *checked += 1;
    if let Some(r) = schema["$ref"].as_str() {
        let target = spec
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("{at}: unresolved {r}"));
        return conforms(spec, target, value, at, checked);
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(options) = schema[key].as_array() {
            let fits = options.iter().any(|o| {
                let mut n = 0;
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    conforms(spec, o, value, at, &mut n)
                }))
                .is_ok()
            });
            assert!(fits, "{at}: {value} fits none of {key}");
            return;
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let actual = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    if !types.is_empty() {
        let ok = types.contains(&actual) || (actual == "integer" && types.contains(&"number"));
        assert!(ok, "{at}: {actual} is not {types:?}");
    }
    if let (Some(values), Value::String(v)) = (schema["enum"].as_array(), value) {
        assert!(values.iter().any(|e| e == v), "{at}: {v} not in {values:?}");
    }
    if let Value::Object(map) = value {
        let props = schema["properties"].as_object();
        for req in schema["required"].as_array().into_iter().flatten() {
            assert!(
                map.contains_key(req.as_str().unwrap()),
                "{at}: missing {req}"
            );
        }
        if let Some(props) = props {
            for (k, v) in map {
                let sub = props
                    .get(k)
                    .unwrap_or_else(|| panic!("{at}: {k} is not in the schema"));
                conforms(spec, sub, v, &format!("{at}.{k}"), checked);
            }
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (value, schema.get("items")) {
        for (i, v) in items.iter().enumerate() {
            conforms(spec, item_schema, v, &format!("{at}[{i}]"), checked);
        }
    }
}
