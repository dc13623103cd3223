//! The suite files compiled into the binary, so `dcrspec run` works from any directory.
//! `build.rs` discovers them, so a new file needs no Rust edit; a test checks the list
//! against the `suites/` directory all the same.

/// `(path from the crate root, text)` of every `*.json` under `suites/`, discovered by
/// `build.rs` in a fixed order (each family's rules, invariants, then its other files).
pub const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/suite_files.rs"));

#[cfg(test)]
mod tests {
    use super::FILES;

    #[test]
    fn every_suite_file_is_embedded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk = Vec::new();
        let mut stack = vec![root.join("suites")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "json") {
                    on_disk.push(
                        path.strip_prefix(root)
                            .unwrap()
                            .to_string_lossy()
                            .replace('\\', "/"),
                    );
                }
            }
        }
        on_disk.sort();
        let mut embedded: Vec<String> = FILES.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        assert_eq!(
            embedded, on_disk,
            "build.rs must embed exactly the files under suites/"
        );
    }

    #[test]
    fn the_embedded_suites_load() {
        let suite = crate::suite::load::embedded().unwrap_or_else(|e| panic!("{e}"));
        assert!(suite.catalogue.len() >= 15);
        assert!(suite.scenarios.len() >= 15);
    }
}
