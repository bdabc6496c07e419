//! Compiles every table under `data/<language>/<table>.txt` into the crate
//! (`include_str!`), so that adding a language or a table is adding a file.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    println!("cargo:rerun-if-changed={}", data.display());
    let mut files = Vec::new();
    for lang in std::fs::read_dir(&data).expect("data/") {
        let lang = lang.expect("data/ entry").path();
        if !lang.is_dir() {
            continue;
        }
        println!("cargo:rerun-if-changed={}", lang.display());
        for file in std::fs::read_dir(&lang).expect("language folder") {
            let path = file.expect("table file").path();
            if path.extension().is_some_and(|e| e == "txt") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut out = String::from("/// Every table file: (language, table, contents).\n");
    out.push_str("pub(crate) static FILES: &[(&str, &str, &str)] = &[\n");
    for path in &files {
        let lang = path
            .parent()
            .and_then(Path::file_name)
            .unwrap()
            .to_str()
            .unwrap();
        let table = path.file_stem().unwrap().to_str().unwrap();
        writeln!(
            out,
            "    ({lang:?}, {table:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("files.rs");
    std::fs::write(dest, out).expect("write files.rs");
}
