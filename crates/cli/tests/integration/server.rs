//! The real server on 127.0.0.1, called over a real socket.

use crate::common::*;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

fn get(port: u16, path: &str) -> (u16, serde_json::Value) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).unwrap();
    let (head, body) = buf.split_once("\r\n\r\n").unwrap();
    let status: u16 = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{head}"
    );
    (
        status,
        serde_json::from_str(body).unwrap_or(serde_json::Value::Null),
    )
}

struct Server(std::process::Child);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn json_api_over_a_real_store() {
    let dir = tempfile::tempdir().unwrap();
    let doc = json(&run(dir.path(), &["analyze", "examples", "--json", "-q"]));
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _server = Server(
        bin()
            .args([
                "--db",
                dir.path().join("t.db").to_str().unwrap(),
                "serve",
                "--addr",
                &format!("127.0.0.1:{port}"),
            ])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let (status, health) = get(port, "/health");
    assert_eq!((status, health["status"].as_str()), (200, Some("ok")));
    assert_eq!(health["articles"], 7);

    let (status, list) = get(port, "/api/stories");
    assert_eq!(status, 200);
    assert_eq!(list["stories"].as_array().unwrap().len(), 2);

    let id = doc["stories"][0]["id"].as_str().unwrap();
    let (status, report) = get(port, &format!("/api/stories/{id}"));
    assert_eq!(status, 200);
    assert_eq!(
        report, doc["stories"][0],
        "the API serves the same report JSON"
    );

    let article = doc["stories"][0]["articles"][0]["id"].as_str().unwrap();
    let (status, a) = get(port, &format!("/api/articles/{article}"));
    assert_eq!(status, 200);
    assert_eq!(a["story"], id);
    assert!(a["annotations"]["statements"].as_array().unwrap().len() > 1);

    for bad in ["/api/stories/s-nope", "/api/articles/nope", "/api/nothing"] {
        let (status, err) = get(port, bad);
        assert_eq!(status, 404, "{bad}");
        assert_eq!(err["code"], "not_found");
    }
}
