//! `cargo xtask check-layout`: the code layout rules of ARCHITECTURE.md,
//! checked. No source file over [`MAX_FILE_LINES`] lines; no function
//! outside tests over [`MAX_FN_LINES`] lines (from its signature to its
//! closing brace, as rustfmt lays it out). Knowledge tables are data files
//! (crates/lexicon/data), not source, and are not counted.

use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

/// Longest source file, in lines.
pub const MAX_FILE_LINES: usize = 800;
/// Longest function outside tests, in lines.
pub const MAX_FN_LINES: usize = 120;

/// Every `.rs` file under the workspace's `crates/*/src`, `crates/*/tests`
/// and `xtask/src`.
fn sources(root: &Path) -> Vec<PathBuf> {
    let mut dirs = vec![root.join("xtask/src")];
    if let Ok(crates) = std::fs::read_dir(root.join("crates")) {
        for c in crates.flatten() {
            dirs.push(c.path().join("src"));
            dirs.push(c.path().join("tests"));
        }
    }
    let mut files = Vec::new();
    while let Some(d) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// Whether a file holds tests only.
fn is_test_file(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "tests.rs")
        || path.components().any(|c| c.as_os_str() == "tests")
}

/// The functions of one file over `max` lines: (line, name, lines). A
/// function starts at a line `fn name` and ends at the first line that is
/// its indentation followed by `}`; code after `#[cfg(test)]` is skipped.
pub fn long_functions(text: &str, max: usize) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let Some(name) = fn_name(line) else { continue };
        let indent = &line[..line.len() - line.trim_start().len()];
        let close = format!("{indent}}}");
        let end = lines[i + 1..]
            .iter()
            .position(|l| *l == close || (l.starts_with(&close) && !l.contains("else")));
        if let Some(end) = end {
            let n = end + 2;
            if n > max {
                out.push((i + 1, name.to_string(), n));
            }
        }
    }
    out
}

/// The name of the function a line declares, if it does.
fn fn_name(line: &str) -> Option<&str> {
    let mut rest = line.trim_start();
    for prefix in [
        "pub(crate) ",
        "pub(super) ",
        "pub ",
        "const ",
        "async ",
        "unsafe ",
    ] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    let rest = rest.strip_prefix("fn ")?;
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    Some(&rest[..end])
}

/// What breaks the rules, one line each.
pub fn violations(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for path in sources(root) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let shown = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        let n = text.lines().count();
        if n > MAX_FILE_LINES {
            out.push(format!("{shown}: {n} lines (at most {MAX_FILE_LINES})"));
        }
        if is_test_file(&path) {
            continue;
        }
        for (line, name, len) in long_functions(&text, MAX_FN_LINES) {
            out.push(format!(
                "{shown}:{line}: fn {name} is {len} lines (at most {MAX_FN_LINES})"
            ));
        }
    }
    out
}

/// `cargo xtask check-layout`.
pub fn run(root: &Path) -> Result<()> {
    let v = violations(root);
    for line in &v {
        println!("{line}");
    }
    if !v.is_empty() {
        bail!("{} layout rule(s) broken", v.len());
    }
    println!("layout: no file over {MAX_FILE_LINES} lines, no function outside tests over {MAX_FN_LINES}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_functions_are_measured_to_their_closing_brace() {
        let body = "    let x = 1;\n".repeat(5);
        let text = format!("fn short() {{\n}}\n\npub(crate) fn long(\n    a: u8,\n) -> u8 {{\n{body}    if a > 0 {{\n        1\n    }} else {{\n        2\n    }}\n}}\n");
        assert_eq!(long_functions(&text, 3), vec![(4, "long".to_string(), 14)]);
        assert!(long_functions(&text, 14).is_empty());
        let tests = format!("#[cfg(test)]\nmod tests {{\n{text}}}\n");
        assert!(
            long_functions(&tests, 3).is_empty(),
            "test code is not measured"
        );
    }

    /// The workspace itself keeps the rules.
    #[test]
    fn the_workspace_keeps_its_layout_rules() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let v = violations(&root);
        assert!(v.is_empty(), "{}", v.join("\n"));
    }
}
