//! `cargo xtask fuzz [--seconds N] [TARGET...]`: runs the cargo-fuzz
//! targets in `fuzz/` (libFuzzer, nightly toolchain) for N seconds each,
//! seeded with the repository's own sample corpus (`examples/`). A crash
//! stops the run; libFuzzer leaves the input in `fuzz/artifacts/TARGET/`,
//! and the case goes into a regression test of the crate it names.

use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::Command;

/// The targets in `fuzz/fuzz_targets/`.
pub const TARGETS: &[&str] = &[
    "extract_html",
    "extract_html_structure",
    "extract_text",
    "decode",
    "crosscheck",
];

pub fn run(root: &Path, seconds: u64, targets: &[String]) -> Result<()> {
    let targets: Vec<&str> = if targets.is_empty() {
        TARGETS.to_vec()
    } else {
        targets.iter().map(String::as_str).collect()
    };
    for t in &targets {
        if !TARGETS.contains(t) {
            bail!("unknown fuzz target {t}; known: {}", TARGETS.join(", "));
        }
    }
    let installed = Command::new("cargo")
        .args(["+nightly", "fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        bail!("cargo fuzz needs a nightly toolchain and cargo-fuzz: rustup toolchain install nightly; cargo install cargo-fuzz");
    }
    for target in targets {
        let corpus = root.join("fuzz/corpus").join(target);
        std::fs::create_dir_all(&corpus)?;
        if std::fs::read_dir(&corpus)?.next().is_none() {
            // Seeds: our own fictional sample corpus.
            for entry in std::fs::read_dir(root.join("examples"))? {
                let path = entry?.path();
                if path.is_file() {
                    let name = path.file_name().context("file name")?;
                    std::fs::copy(&path, corpus.join(name))?;
                }
            }
        }
        println!("fuzzing {target} for {seconds} s");
        let status = Command::new("cargo")
            .current_dir(root)
            .args(["+nightly", "fuzz", "run", target])
            .arg(&corpus)
            .args([
                "--",
                &format!("-max_total_time={seconds}"),
                "-rss_limit_mb=2048",
                "-timeout=10",
                "-max_len=262144",
            ])
            .status()?;
        if !status.success() {
            bail!("{target}: the fuzzer found a failing input (see fuzz/artifacts/{target}/)");
        }
    }
    Ok(())
}
