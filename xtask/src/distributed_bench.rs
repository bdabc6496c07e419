//! `cargo xtask gen-feed` and `cargo xtask bench-distributed`: the
//! distributed path (NATS JetStream workers over PostgreSQL) measured on a
//! generated feed of fictional news.

use anyhow::Result;
use std::path::Path;

/// Writes the generated feed of `n` articles to `path`.
pub fn gen_feed(n: usize, path: &Path) -> Result<()> {
    let events = corroborate_worker::testing::write_feed(path, n)?;
    eprintln!("{n} articles about {events} events in {}", path.display());
    Ok(())
}
