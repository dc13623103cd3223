//! The digest of the suites a run used: a report names exactly which rules and
//! scenarios produced its verdicts, so two reports can be told apart even when both
//! say "dcrspec 0.1.0" (a `--suites` directory, a local edit).
//!
//! It is the SHA-256 of a `sha256sum`-style manifest — one line `<sha256 of the file>
//! <path relative to the suites directory>` per file, sorted by path — so that anyone can
//! recompute it without dcrspec:
//!
//! ```sh
//! cd suites && find . -name '*.json' | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum | sha256sum
//! ```

use ring::digest::{SHA256, digest};

/// `sha256:<hex>` over the manifest of `files` (relative path, contents), in any order.
pub fn suites_digest<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> String {
    let mut lines: Vec<(&str, String)> = files
        .into_iter()
        .map(|(path, bytes)| (path, hex(digest(&SHA256, bytes).as_ref())))
        .collect();
    lines.sort();
    let mut manifest = String::new();
    for (path, sum) in lines {
        // sha256sum's text mode: two spaces between the sum and the name.
        manifest.push_str(&format!("{sum}  {path}\n"));
    }
    format!(
        "sha256:{}",
        hex(digest(&SHA256, manifest.as_bytes()).as_ref())
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_sha256_of_the_sorted_manifest() {
        // `printf 'b' | sha256sum` and `printf 'a' | sha256sum`:
        let a = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb";
        let b = "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d";
        let manifest = format!("{a}  x/a.json\n{b}  y.json\n");
        let expected = hex(digest(&SHA256, manifest.as_bytes()).as_ref());
        let got = suites_digest([("y.json", &b"b"[..]), ("x/a.json", &b"a"[..])]);
        assert_eq!(got, format!("sha256:{expected}"));
        // Order of the input does not matter; content and names do.
        assert_eq!(
            got,
            suites_digest([("x/a.json", &b"a"[..]), ("y.json", &b"b"[..])])
        );
        assert_ne!(
            got,
            suites_digest([("x/a.json", &b"a"[..]), ("y.json", &b"c"[..])])
        );
        assert_ne!(
            got,
            suites_digest([("x/b.json", &b"a"[..]), ("y.json", &b"b"[..])])
        );
    }

    /// The digest of the built-in suites is what the shell command in the module doc
    /// prints, and `--suites suites` gives the same digest as the built-in copy.
    #[test]
    fn embedded_digest_matches_sha256sum_and_the_directory() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("suites");
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg("find . -name '*.json' | sed 's|^\\./||' | LC_ALL=C sort | xargs sha256sum | sha256sum")
            .current_dir(&dir)
            .output()
            .expect("sh runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let shell = String::from_utf8(out.stdout).unwrap();
        let shell = shell.split_whitespace().next().unwrap();
        let embedded = crate::suite::load::embedded().unwrap();
        assert_eq!(
            embedded.catalogue.digest(),
            Some(&*format!("sha256:{shell}"))
        );
        let from_dir = crate::suite::load::from_dir(&dir).unwrap();
        assert_eq!(from_dir.catalogue.digest(), embedded.catalogue.digest());
    }
}
