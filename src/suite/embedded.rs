//! The suite files compiled into the binary, so `dcrspec run` works from any directory.
//! A test checks this list against the `suites/` directory, so none is forgotten.

macro_rules! suite_files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../", $path)))),*]
    };
}

pub const FILES: &[(&str, &str)] = suite_files![
    "suites/ory/rules.json",
    "suites/ory/invariants.json",
    "suites/ory/create.json",
    "suites/ory/auth.json",
    "suites/ory/secret.json",
    "suites/ory/lifecycle.json",
    "suites/ory/disabled.json",
    "suites/rfc7592/rules.json",
    "suites/rfc7592/invariants.json",
    "suites/rfc7592/bearer.json",
    "suites/rfc7592/read.json",
    "suites/rfc7592/update.json",
    "suites/rfc7592/delete.json",
    "suites/rfc7592/tokens.json",
    "suites/rfc7592/errors.json",
    "suites/rfc7591/rules.json",
    "suites/rfc7591/create.json",
    "suites/rfc7591/metadata.json",
    "suites/rfc7591/defaults.json",
    "suites/rfc7591/request.json",
    "suites/rfc7591/redirect.json",
    "suites/rfc7591/errors.json",
    "suites/rfc7591/headers.json",
    "suites/rfc7591/disabled.json",
];

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
            "src/suite/embedded.rs must list exactly the files under suites/"
        );
    }

    #[test]
    fn the_embedded_suites_load() {
        let suite = crate::suite::load::embedded().unwrap_or_else(|e| panic!("{e}"));
        assert!(suite.catalogue.len() >= 15);
        assert!(suite.scenarios.len() >= 15);
    }
}
