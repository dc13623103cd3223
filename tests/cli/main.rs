//! The binary end to end: what a user or a CI pipeline sees — exit codes, one-line
//! errors, and reports that are always written.

#[path = "../common/mod.rs"]
mod common;

// By concept: reports a run writes besides the verdicts (baseline, console); targets
// other than a URL (the in-process session, an issuer, a protected endpoint).
mod reports;
mod targets;

use common::{dcrspec, read_json, scratch, xmllint};
#[test]
fn run_without_arguments_checks_the_embedded_server_and_writes_reports() {
    let dir = scratch("cli", "default");
    let out = dcrspec(&["run"], &dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    // A clean run prints its summary and nothing else; never colour into a pipe.
    assert!(
        stdout.starts_with("rules: 0 fail, 0 error, 0 warn"),
        "{stdout}"
    );
    let last = stdout.trim_end().lines().last().unwrap_or_default();
    assert!(
        last.starts_with("scenarios: ")
            && last.contains(" passed, 0 failed, 0 warned, ")
            && last.ends_with(" skipped, 0 errored"),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{1b}'), "{stdout}");
    xmllint(&dir.join("reports/junit.xml"));
    let results = read_json(&dir.join("reports/results.json"));
    let ids: Vec<&str> = results["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for id in [
        "ory:disabled",
        "ory:create",
        "ory:auth-basic",
        "ory:auth-post",
        "ory:auth-rejects",
        "ory:secret-echo-on-set",
        "ory:secret-silent",
        "ory:secret-unreadable",
        "ory:secret-retained",
        "ory:secret-replaced",
        "ory:not-found",
        "ory:error-shape",
        "ory:client-schema",
        "ory:delete",
        "ory:update-replaces",
    ] {
        assert!(ids.contains(&id), "{id} missing from results.json");
    }
    assert_eq!(results["summary"]["failed"], 0);
    // The built-in suites' digest, as the HTML and evidence reports name it too.
    let digest = results["suites_digest"].as_str().expect("suites_digest");
    assert!(
        digest.starts_with("sha256:") && digest.len() == 7 + 64,
        "{digest}"
    );
    let evidence = std::fs::read_to_string(dir.join("reports/evidence.md")).unwrap();
    assert!(evidence.contains(&format!("| Suites | `{digest}` |")));
    assert!(dir.join("reports/evidence.md").exists());
    let html = std::fs::read_to_string(dir.join("reports/report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("ory:client-schema"));
}

#[test]
fn an_unreachable_target_exits_2_and_still_writes_reports() {
    let dir = scratch("cli", "unreachable");
    let out = dcrspec(&["run", "--target", "http://127.0.0.1:1"], &dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("error: cannot reach the target http://127.0.0.1:1")),
        "{stderr}"
    );
    xmllint(&dir.join("reports/junit.xml"));
    let results = read_json(&dir.join("reports/results.json"));
    let outcomes: Vec<&str> = results["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["outcome"].as_str().unwrap())
        .collect();
    assert!(
        outcomes.iter().all(|o| *o == "errored" || *o == "skipped"),
        "{outcomes:?}"
    );
    assert!(outcomes.contains(&"errored"));
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let dir = scratch("cli", "bad");
    std::fs::write(dir.join("p.toml"), "name = \"x\"\nregistration_path = 7\n").unwrap();
    for (args, needle) in [
        (
            vec!["run", "--profile", "nonesuch"],
            "nonesuch: no such profile",
        ),
        (vec!["run", "--profile", "p.toml"], "p.toml: line 2, column"),
        (
            vec!["run", "--suites", "missing-dir"],
            "missing-dir: not a directory",
        ),
        (vec!["run", "--openapi", "missing.json"], "missing.json"),
        (vec!["serve", "--fault", "nonesuch"], "nonesuch"),
    ] {
        let out = dcrspec(&args, &dir);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn runner_arguments_pass_through() {
    let dir = scratch("cli", "list");
    let out = dcrspec(&["run", "--", "--list"], &dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout.contains("secret-replaced: test"), "{stdout}");
    let out = dcrspec(&["run", "--", "--exact", "create"], &dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("1 passed"), "{stdout}");
    // The counts agree with each other and say what the filter left out.
    let results = read_json(&dir.join("reports/results.json"));
    let s = &results["summary"];
    let total = results["scenarios"].as_array().unwrap().len() as u64;
    let sum: u64 = ["passed", "failed", "warned", "skipped", "errored"]
        .iter()
        .map(|k| s[k].as_u64().unwrap())
        .sum();
    assert_eq!(sum, total, "{s}");
    assert_eq!(s["passed"], 1, "{s}");
    assert_eq!(s["filtered_out"].as_u64().unwrap(), total - 1, "{s}");
    assert!(
        stdout.contains(&format!(
            "{} of the skipped scenarios were filtered out",
            total - 1
        )),
        "{stdout}"
    );
}

#[test]
fn runner_options_dcrspec_does_not_support_are_refused_in_one_line() {
    let dir = scratch("cli", "runner-options");
    let out = dcrspec(&["run", "--", "--format", "json"], &dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("--format is not supported"), "{stderr}");
}
