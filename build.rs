//! Build script: discovers the suite files under `suites/` and writes the list the binary
//! embeds (`$OUT_DIR/suite_files.rs`), so a new built-in suite file needs no Rust edit.
//!
//! Order is part of the output (the catalogue and the scenarios keep it), so it is fixed:
//! families in the order `suites/ORDER` names them (others after, by name); in a family,
//! `rules.json` first, then `invariants.json`, then its other files by name.

use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let suites = root.join("suites");
    println!("cargo:rerun-if-changed=suites");
    let mut files = Vec::new();
    collect(&suites, &mut files);
    println!("cargo:rerun-if-changed=suites/ORDER");
    let order = std::fs::read_to_string(suites.join("ORDER")).unwrap_or_default();
    let order: Vec<&str> = order
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    files.sort_by_key(|p| sort_key(&suites, &order, p));
    let mut out = String::from("&[\n");
    for p in &files {
        println!("cargo:rerun-if-changed={}", p.display());
        let rel = p.strip_prefix(&root).expect("under the root");
        let rel: Vec<_> = rel.iter().map(|c| c.to_string_lossy()).collect();
        out.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            rel.join("/"),
            p.display().to_string()
        ));
    }
    out.push(']');
    let dest =
        PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("suite_files.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("readable directory").path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn sort_key(suites: &Path, order: &[&str], p: &Path) -> (usize, String, u8, String) {
    let rel = p.strip_prefix(suites).expect("under suites/");
    let family = rel
        .parent()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let place = order
        .iter()
        .position(|f| *f == family)
        .unwrap_or(order.len());
    let rank = match name.as_str() {
        "rules.json" => 0,
        "invariants.json" => 1,
        _ => 2,
    };
    (place, family, rank, name)
}
