//! docs/rules.md is generated from the rule catalogue and the fault matrix, so it cannot
//! drift from what dcrspec checks. `DCRSPEC_BLESS=1 cargo test --test docs` rewrites it.

use dcrspec::server::matrix;
use dcrspec::suite::load;

#[test]
fn rules_document_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let (Some(a), Some(b)) = (doc.find(start), doc.find(end)) else {
        panic!("docs/rules.md lacks the {start:?} … {end:?} markers");
    };
    let generated =
        dcrspec::rules_doc::markdown(&load::embedded().unwrap(), &matrix::embedded().unwrap());
    if std::env::var_os("DCRSPEC_BLESS").is_some() {
        std::fs::write(
            &path,
            format!("{}{generated}{}", &doc[..a + start.len()], &doc[b..]),
        )
        .unwrap();
        return;
    }
    assert_eq!(
        &doc[a + start.len()..b],
        generated,
        "docs/rules.md is out of date: DCRSPEC_BLESS=1 cargo test --test docs"
    );
}

#[test]
fn no_file_reaches_outside_the_repository() {
    // The repository is self-contained: nothing it tracks may point at material beside
    // the checkout (a fresh clone has nothing there).
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // Spelled in two parts, so that this file does not itself hold the path it looks for.
    let beside = format!("../{}", "shared");
    let out = std::process::Command::new("git")
        .args(["grep", "-n", "-I", "--fixed-strings", &beside, "--", "."])
        .current_dir(root)
        .output()
        .expect("git runs");
    // git grep exits 1 when nothing matches, 0 when something does.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "git grep failed (is this a git checkout?): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hits = String::from_utf8_lossy(&out.stdout);
    assert!(
        hits.trim().is_empty(),
        "files refer outside the repository:\n{hits}"
    );
}
