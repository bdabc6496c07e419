use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root (tests run from crates/cli).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// `../shared/seeds` next to the repository, when present.
pub fn seeds() -> Option<PathBuf> {
    let p = root().join("../shared/seeds");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!(
            "skipped: {} is absent (third-party seeds are not in the repo)",
            p.display()
        );
        None
    }
}

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_corroborate"));
    c.current_dir(root())
        .env_remove("RUST_LOG")
        .env_remove("CORROBORATE_DB");
    c
}

/// Runs the binary with `--db <dir>/t.db` and the given args.
pub fn run(db_dir: &Path, args: &[&str]) -> Output {
    bin()
        .arg("--db")
        .arg(db_dir.join("t.db"))
        .args(args)
        .output()
        .unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}\nstderr: {}", stdout(o), stderr(o)))
}

/// Story index of each article id, checking that every article is in exactly one story.
pub fn membership(doc: &serde_json::Value) -> std::collections::HashMap<String, usize> {
    let mut seen = std::collections::HashMap::new();
    for (i, s) in doc["stories"].as_array().unwrap().iter().enumerate() {
        for a in s["articles"].as_array().unwrap() {
            let id = a["id"].as_str().unwrap().to_string();
            assert!(
                seen.insert(id.clone(), i).is_none(),
                "article {id} is in two stories"
            );
        }
    }
    seen
}

/// Waits until something listens on 127.0.0.1:`port`, failing after `secs` seconds.
pub fn wait_for_port(port: u16, secs: u64, what: &str) {
    let start = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(secs),
            "{what} did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// A child process killed (and reaped) when dropped: servers, drivers.
pub struct KillOnDrop(pub std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A free port on 127.0.0.1 (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs the binary with `args`, `input` on its stdin; its output.
pub fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}
