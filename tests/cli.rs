//! The binary end to end: what a user or a CI pipeline sees — exit codes, one-line
//! errors, and reports that are always written.

mod common;

use common::{dcrspec, scratch, xmllint};

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
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("reports/results.json")).unwrap())
            .unwrap();
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
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("reports/results.json")).unwrap())
            .unwrap();
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
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("reports/results.json")).unwrap())
            .unwrap();
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
fn a_baseline_accepts_exactly_its_failures() {
    let dir = scratch("cli", "baseline");
    let out = dcrspec(
        &[
            "run",
            "--fault",
            "null-arrays",
            "--write-baseline",
            "b.toml",
        ],
        &dir,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(dir.join("b.toml")).unwrap();
    // One entry per failed rule (null-arrays breaks two), not one per scenario.
    let parsed: toml::Value = toml::from_str(&written).unwrap();
    let mut rules: Vec<&str> = parsed["expected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rule"].as_str().unwrap())
        .collect();
    rules.sort();
    assert_eq!(rules, ["RFC7591-2-c", "ory:client-schema"], "{written}");
    assert!(!written.contains("scenario"), "{written}");
    // Unedited, the placeholder reasons are refused: one line, exit 2.
    let out = dcrspec(
        &["run", "--fault", "null-arrays", "--baseline", "b.toml"],
        &dir,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("replace the TODO placeholder"), "{stderr}");
    let edited = written.replace(
        dcrspec::baseline::PASTE_REASON,
        "Hydra issue #4116: empty arrays come back null",
    );
    std::fs::write(dir.join("b.toml"), edited).unwrap();
    // The same failures: accepted.
    let out = dcrspec(
        &["run", "--fault", "null-arrays", "--baseline", "b.toml"],
        &dir,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("0 new, 0 stale"), "{stderr}");
    // A new failure on top: exit 1, with a paste-ready entry.
    let out = dcrspec(
        &[
            "run",
            "--fault",
            "null-arrays",
            "--fault",
            "secret-on-get",
            "--baseline",
            "b.toml",
        ],
        &dir,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("rule = \"ory:secret-unreadable\""),
        "{stderr}"
    );
    // Fixed: the entries are stale, exit 1, printed for removal.
    let out = dcrspec(&["run", "--baseline", "b.toml"], &dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("stale entries"), "{stderr}");
}

#[test]
fn the_console_shows_each_failed_rule_once_and_quiet_only_the_summary() {
    let dir = scratch("cli", "console");
    // null-arrays breaks ory:client-schema in every scenario that reads a client: one row,
    // one detail block.
    let out = dcrspec(&["run", "--fault", "null-arrays"], &dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let rows: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("FAIL   "))
        .collect();
    assert_eq!(rows.len(), 2, "{stdout}");
    assert!(
        rows.iter().any(|r| r.contains(" ory:client-schema ")),
        "{stdout}"
    );
    assert!(rows.iter().any(|r| r.contains(" RFC7591-2-c ")), "{stdout}");
    let blocks = stdout
        .lines()
        .filter(|l| l.starts_with("FAIL ory:client-schema (MUST)"))
        .count();
    assert_eq!(blocks, 1, "{stdout}");
    // The table's count of scenarios, less the one shown in full.
    let schema_row = rows
        .iter()
        .find(|r| r.contains(" ory:client-schema "))
        .unwrap();
    let scenarios: usize = schema_row
        .split_whitespace()
        .nth(3)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no scenario count in {schema_row:?}"));
    assert!(scenarios > 1, "{stdout}");
    assert!(
        stdout.contains(&format!(
            "also broken in {} more scenario(s):",
            scenarios - 1
        )),
        "{stdout}"
    );
    // The table and the summary fit on one screen; the details follow.
    let table_end = stdout.find("\n\n").unwrap();
    assert!(stdout[..table_end].lines().count() < 24, "{stdout}");

    let out = dcrspec(&["run", "--fault", "null-arrays", "--quiet"], &dir);
    let quiet = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{quiet}");
    assert!(quiet.starts_with("rules: 2 fail"), "{quiet}");
    assert!(!quiet.contains("FAIL"), "{quiet}");
    assert!(quiet.lines().count() <= 4, "{quiet}");
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

/// What the tests judge is what a user runs: the command line and the in-process session
/// the reference and fault-matrix tests use give the same verdict for every rule, against
/// the same faulted server.
#[test]
fn the_command_line_and_the_in_process_session_give_identical_verdicts() {
    let dir = scratch("cli", "one-pipeline");
    let faults = ["null-arrays", "secret-on-get", "no-cache-headers"];
    let mut args = vec!["run", "--profile", "rfc7592"];
    for f in &faults {
        args.extend(["--fault", f]);
    }
    let out = dcrspec(&args, &dir);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("reports/results.json")).unwrap())
            .unwrap();
    let cli: Vec<(String, String)> = results["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect();

    let inputs = dcrspec::session::Inputs::built_in("rfc7592").unwrap();
    let run = dcrspec::session::against_reference(
        inputs,
        dcrspec::server::Faults::from_names(&faults).unwrap(),
    )
    .unwrap();
    let in_process: Vec<(String, String)> = dcrspec::verdict::Verdicts::fold(&run.report)
        .rules
        .iter()
        .map(|r| (r.id.clone(), r.verdict.as_str().to_string()))
        .collect();
    assert!(cli.iter().any(|(_, v)| v == "fail"), "{cli:?}");
    assert!(cli.iter().any(|(_, v)| v == "warn"), "{cli:?}");
    assert_eq!(cli, in_process);
}

/// `--issuer`: the registration endpoint comes from the server's metadata; an issuer
/// with no usable metadata errors every scenario with the reason, in one line, and the
/// reports are still written.
#[test]
fn an_issuer_is_found_by_its_metadata_or_the_run_says_why_not() {
    use dcrspec::server::{self, Flavor, ServerConfig};
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let reference = rt
        .block_on(server::start(ServerConfig::new(Flavor::Rfc7592), 0))
        .unwrap();
    let issuer = reference.base_url();
    let dir = scratch("cli", "issuer");
    let out = dcrspec(&["run", "--issuer", &issuer, "--profile", "rfc7592"], &dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("reports/results.json")).unwrap())
            .unwrap();
    let target = results["target"].as_str().unwrap();
    assert!(
        target.starts_with(&format!("{issuer}/oauth2/register (registration endpoint from {issuer}/.well-known/openid-configuration")),
        "{target}"
    );
    assert_eq!(results["rule_summary"]["error"], 0);

    // A path the server publishes no metadata under.
    let nowhere = format!("{issuer}/tenant");
    let out = dcrspec(&["run", "--issuer", &nowhere, "--profile", "rfc7592"], &dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let line = stderr.lines().find(|l| l.starts_with("error: ")).unwrap();
    assert!(line.contains("no usable metadata for issuer"), "{stderr}");
    assert!(
        line.contains("/.well-known/oauth-authorization-server/tenant: status 404"),
        "{stderr}"
    );
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("reports/results.json")).unwrap())
            .unwrap();
    assert_eq!(results["rule_summary"]["pass"], 0, "{results}");
    assert!(results["summary"]["errored"].as_u64().unwrap() > 0);
    rt.block_on(reference.shutdown());
}

#[test]
fn protected_registration_needs_a_token_and_a_failing_mint_errors_without_a_secret() {
    use dcrspec::server::{self, Flavor, ServerConfig};
    let dir = scratch("cli", "protected");
    // A protected profile against a server of the user's: no token, no start.
    for env in [vec![], vec![("DCRSPEC_INITIAL_ACCESS_TOKEN", "")]] {
        let out = common::dcrspec_with_env(
            &[
                "run",
                "--target",
                "http://127.0.0.1:9",
                "--profile",
                "rfc7592",
                "--registration-protected",
            ],
            &dir,
            &env,
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        for needle in [
            "--initial-access-token",
            "DCRSPEC_INITIAL_ACCESS_TOKEN",
            "--initial-access-token-command",
        ] {
            assert!(stderr.contains(needle), "{stderr}");
        }
    }
    // The embedded server mints its own token: a protected run passes.
    let out = dcrspec(
        &["run", "--profile", "rfc7592", "--registration-protected"],
        &dir,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("reports/results.json")).unwrap())
            .unwrap();
    let verdict = |id: &str| {
        results["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| r["verdict"].as_str().unwrap().to_string())
    };
    assert_eq!(verdict("RFC7591-3.1-e").as_deref(), Some("pass"));
    assert_eq!(verdict("RFC7591-3.1-d").as_deref(), Some("skip"));

    // A command that fails: every registration errors with one line that shows none of
    // its output; the reports are written and the run exits 2.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let reference = rt
        .block_on(server::start(
            ServerConfig {
                iat: Some("the-real-token-123".into()),
                ..ServerConfig::new(Flavor::Rfc7592)
            },
            0,
        ))
        .unwrap();
    let url = reference.base_url();
    let out = dcrspec(
        &[
            "run",
            "--target",
            &url,
            "--profile",
            "rfc7592",
            "--registration-protected",
            "--initial-access-token-command",
            "echo leaked-admin-password >&2; echo half-a-token; exit 3",
        ],
        &dir,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("--initial-access-token-command failed (exit status: 3)"),
        "{stdout}"
    );
    for file in [
        "reports/results.json",
        "reports/evidence.md",
        "reports/junit.xml",
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        for (what, output) in [
            (file, text.as_str()),
            ("stdout", &stdout),
            ("stderr", &stderr),
        ] {
            for secret in ["leaked-admin-password", "half-a-token"] {
                assert!(!output.contains(secret), "{what} shows {secret}");
            }
        }
    }
    // A wrong token: each registration errors (the token was refused), none fails.
    let out = common::dcrspec_with_env(
        &[
            "run",
            "--target",
            &url,
            "--profile",
            "rfc7592",
            "--registration-protected",
        ],
        &dir,
        &[("DCRSPEC_INITIAL_ACCESS_TOKEN", "a-used-up-token")],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("refused the initial access token (401)"),
        "{stdout}"
    );
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("reports/results.json")).unwrap())
            .unwrap();
    assert_eq!(results["rule_summary"]["fail"], 0, "{results}");
    assert!(!stdout.contains("a-used-up-token"), "{stdout}");
    rt.block_on(reference.shutdown());
}
