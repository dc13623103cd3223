//! The reference server reaches nothing of the harness: it could be its own crate, and a
//! bug in the harness cannot make it agree with the harness. Only the fault matrix
//! (`matrix.rs`, `matrix/`), which compares a run's verdicts with what each fault must
//! break, belongs to the harness side while living beside the faults.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_server_uses_only_itself_and_its_crates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/server");
    let mut files = Vec::new();
    sources(&root, &mut files);
    // The matrix, and this file (whose search text names what it searches for).
    let skipped = [
        root.join("matrix.rs"),
        root.join("matrix"),
        root.join("tests/boundary.rs"),
    ];
    let mut reaches = Vec::new();
    for file in &files {
        if skipped.iter().any(|h| file.starts_with(h)) {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let outside = line
                .match_indices("crate::")
                .any(|(at, _)| !line[at + "crate::".len()..].starts_with("server"));
            if outside {
                let shown = file.strip_prefix(&root).unwrap().display();
                reaches.push(format!("src/server/{shown}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(files.len() > 20, "found only {files:?}");
    assert!(
        reaches.is_empty(),
        "the reference server reaches into the harness:\n{}",
        reaches.join("\n")
    );
}
