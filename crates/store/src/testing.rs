//! For tests of this crate and of the crates above it: a PostgreSQL store
//! of the test's own (127.0.0.1:5432, database `test`, trust auth), in a
//! schema dropped when the guard goes.

/// The server the tests use.
pub const PG: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A schema of one test's own; dropped (with everything in it) on drop.
pub struct PgSchema {
    /// `PG` with `?schema=` naming it.
    pub url: String,
    name: String,
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(PG, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

/// A fresh schema for test `test`, or `None` with a message when
/// PostgreSQL is not reachable. In CI (`CI=true`) an unreachable server
/// panics: the PostgreSQL tests never skip silently there.
pub fn pg_schema(test: &str) -> Option<PgSchema> {
    if postgres::Client::connect(PG, postgres::NoTls).is_err() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "PostgreSQL is not reachable at {PG} (CI needs it)"
        );
        eprintln!("skipped: PostgreSQL is not reachable at {PG}");
        return None;
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = format!("t_{test}_{}_{nanos}", std::process::id());
    Some(PgSchema {
        url: format!("{PG}?schema={name}"),
        name,
    })
}
