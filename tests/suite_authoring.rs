//! A user adds a rule without Rust: the worked example of docs/suite-format.md
//! (docs/examples/acme) runs with `--extra-suites` against the embedded server, passes on
//! a correct server and fails on one with the fault it is about, lints clean in the user
//! mode and fits the published schema; the mistakes a suite author makes are one-line
//! errors naming the file and the place.

mod common;

use std::path::{Path, PathBuf};

use common::{dcrspec, scratch};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples/acme")
}

fn rule_verdict(dir: &Path, id: &str) -> String {
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("reports/results.json")).unwrap())
            .unwrap();
    let rule = results["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{id} missing from results.json"));
    rule["verdict"].as_str().unwrap().to_string()
}

#[test]
fn the_example_rule_passes_on_a_correct_server_and_fails_on_a_faulty_one() {
    let example = example();
    let example = example.to_str().unwrap();
    let dir = scratch("authoring", "example");
    let out = dcrspec(
        &["run", "--extra-suites", example, "--", "acme-client-name"],
        &dir,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 passed, 0 failed"), "{stdout}");
    assert_eq!(rule_verdict(&dir, "acme:client-name"), "pass");

    // The server this rule is about: a second client of the same name is the first one.
    let dir = scratch("authoring", "example-fault");
    let out = dcrspec(
        &[
            "run",
            "--fault",
            "client-id-from-name",
            "--extra-suites",
            example,
            "--",
            "acme-client-name",
        ],
        &dir,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAIL acme:client-name (MUST)"), "{stdout}");
    assert_eq!(rule_verdict(&dir, "acme:client-name"), "fail");
}

#[test]
fn the_example_lints_clean_in_the_user_mode_and_the_built_ins_in_theirs() {
    let dir = scratch("authoring", "lint");
    let example = example();
    let out = dcrspec(
        &[
            "rules",
            "--check",
            "--extra-suites",
            example.to_str().unwrap(),
        ],
        &dir,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.starts_with("lint (user mode:"), "{stderr}");
    assert!(stderr.contains("fault matrix is not consulted"), "{stderr}");

    let out = dcrspec(&["rules", "--check"], &dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.starts_with("lint (built-in mode:"), "{stderr}");

    // A user rule no scenario checks is named, and the lint fails.
    let mine = dir.join("unchecked");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(
        mine.join("rules.json"),
        r#"{"rules": [{"id": "acme:unchecked", "level": "MUST", "source": "S", "section": "1", "quote": "q"}]}"#,
    )
    .unwrap();
    let out = dcrspec(&["rules", "--check", "--extra-suites", "unchecked"], &dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("lint: rule acme:unchecked is checked by no scenario or invariant"),
        "{stderr}"
    );
    assert!(!stderr.contains("broken by no fault"), "{stderr}");
}

#[test]
fn the_example_fits_the_published_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("schemas/suite.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for file in ["rules.json", "client-name.json"] {
        let path = example().join(file);
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
        // The `$schema` path resolves from where the file is.
        let named = doc["$schema"].as_str().unwrap();
        assert!(path.parent().unwrap().join(named).is_file(), "{named}");
    }
}

/// Run `rules` with one extra suite file and return (exit code, stderr).
fn load_error(name: &str, text: &str) -> (Option<i32>, String) {
    let dir = scratch("authoring", name);
    std::fs::create_dir_all(dir.join("mine")).unwrap();
    std::fs::write(dir.join("mine/s.json"), text).unwrap();
    let out = dcrspec(&["rules", "--extra-suites", "mine"], &dir);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn an_id_colliding_with_a_built_in_names_both_files() {
    let (code, stderr) = load_error(
        "collide",
        r#"{"rules": [{"id": "ory:create", "level": "MUST", "source": "S", "section": "1", "quote": "q"}]}"#,
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("mine/s.json#/rules/0: duplicate rule id 'ory:create' (first at suites/ory/rules.json#/rules/"),
        "{stderr}"
    );
}

#[test]
fn a_typo_in_requires_or_auth_is_a_one_line_error_with_the_choices() {
    let scenario = |requires: &str, auth: &str| {
        format!(
            r#"{{"scenarios": [{{"id": "mine", "description": "d", "rules": ["ory:create"],
                "requires": [{requires}],
                "steps": [{{"name": "s", "register": "a", "request": {{"method": "POST", "json": {{}}}},
                           "expect": [{{"rule": "ory:create", "status": 201}}]}},
                          {{"name": "t", "request": {{"method": "GET", "client": "a", "auth": {auth}}}}}]}}]}}"#
        )
    };
    let (code, stderr) = load_error(
        "caps",
        &scenario(r#""auth:client_secret_bsic""#, "\"none\""),
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("mine/s.json#/scenarios/0/requires/0: unknown capability 'auth:client_secret_bsic'; known: "),
        "{stderr}"
    );
    assert!(stderr.contains("auth:client_secret_basic"), "{stderr}");

    let (code, stderr) = load_error(
        "auth",
        &scenario("", r#"{"client": "a", "methd": "bearer"}"#),
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("mine/s.json#/scenarios/0/steps/1/request/auth: line "),
        "{stderr}"
    );
    assert!(stderr.contains("unknown field `methd`"), "{stderr}");
    assert!(
        stderr.contains("`auth` takes \"none\" or an object"),
        "{stderr}"
    );
}
