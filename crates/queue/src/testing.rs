//! For tests of this crate and of the crates above it: a queue of the
//! test's own (streams and bucket named for the test and the process)
//! on the NATS server at 127.0.0.1:4222.

use super::*;

/// The server the tests use.
pub const NATS: &str = "nats://127.0.0.1:4222";

/// A queue of one test's own: its streams and bucket are deleted when
/// the guard goes (a failed test included).
pub struct TestQueue {
    /// Its configuration.
    pub config: QueueConfig,
}

impl Drop for TestQueue {
    fn drop(&mut self) {
        let config = self.config.clone();
        // A runtime of its own, on a thread of its own: the guard may
        // drop inside another runtime.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async {
                if let Ok(q) = Queue::connect(config).await {
                    let _ = q.delete().await;
                }
            });
            Ok::<_, std::io::Error>(())
        })
        .join();
    }
}

/// A configuration whose streams no other test uses (64 MiB, ack wait
/// 2 s), or `None` with a message when NATS is not reachable. In CI
/// (`CI=true`) an unreachable server panics: the queue tests never skip
/// silently there.
pub fn queue(test: &str) -> Option<TestQueue> {
    if std::net::TcpStream::connect("127.0.0.1:4222").is_err() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "NATS is not reachable at {NATS} (CI needs it)"
        );
        eprintln!("skipped: NATS is not reachable at {NATS}");
        return None;
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tag = format!("{}_{}_{nanos}", test.to_uppercase(), std::process::id());
    let mut c = QueueConfig::new(NATS);
    c.stream = format!("T_{tag}");
    c.subject = format!("t.{tag}.articles").to_lowercase();
    c.ack_wait = Duration::from_secs(2);
    c.max_bytes = 64 << 20;
    Some(TestQueue { config: c })
}
