//! `dcrspec fuzz` end to end: exit codes, reports, and a printed reproduction line that
//! really reproduces.

mod common;

use std::process::Output;

use common::{dcrspec, scratch, xmllint};

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_correct_server_passes_and_the_reports_name_every_fuzz_rule() {
    let dir = scratch("fuzz", "pass");
    let out = dcrspec(&["fuzz", "--seed", "11", "--cases", "8"], &dir);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.starts_with("dcrspec fuzz: seed 11, 8 cases per property"),
        "{stdout}"
    );
    for p in ["valid-metadata", "invalid-input", "concurrent-put"] {
        assert!(
            stdout.contains(&format!("property {p} ... ok (8 cases run)")),
            "{stdout}"
        );
    }
    xmllint(&dir.join("reports/fuzz-junit.xml"));
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("reports/fuzz-results.json")).unwrap(),
    )
    .unwrap();
    let rules: Vec<(&str, &str)> = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rules,
        [
            ("fuzz:valid-accepted", "pass"),
            ("fuzz:valid-readback", "pass"),
            ("fuzz:secret-lifecycle", "pass"),
            ("fuzz:invalid-rejected", "pass"),
            ("fuzz:concurrent-put", "pass"),
        ]
    );
    assert!(dir.join("reports/fuzz-evidence.md").exists());
    assert!(dir.join("reports/fuzz-report.html").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failure_prints_seed_payload_and_a_line_that_reproduces_it() {
    let dir = scratch("fuzz", "fail");
    let args = [
        "fuzz",
        "--fault",
        "null-field-500",
        "--seed",
        "3",
        "--cases",
        "32",
        "--property",
        "valid-metadata",
    ];
    let out = dcrspec(&args, &dir);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("property valid-metadata ... FAILED"),
        "{stdout}"
    );
    assert!(
        stdout.contains("1. rule fuzz:valid-accepted (MUST)"),
        "{stdout}"
    );
    assert!(
        stderr.contains("failed rules: fuzz:valid-accepted"),
        "{stderr}"
    );
    let payload = stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("payload: "))
        .expect("a payload line")
        .to_string();
    let minimal: serde_json::Value = serde_json::from_str(&payload).unwrap();
    let mut object = minimal.as_object().unwrap().clone();
    // The redirect URI registration requires for the default grant, and one null member.
    assert_eq!(
        object.remove("redirect_uris"),
        Some(serde_json::json!(["https://client.example/cb"])),
        "{payload}"
    );
    assert_eq!(object.len(), 1, "{payload}");
    assert!(object.values().all(|v| v.is_null()), "{payload}");
    assert!(
        stdout.contains("dcrspec serve --port 4444 --fault null-field-500"),
        "{stdout}"
    );
    let curl = format!(
        "curl -sS -i -X POST 'http://127.0.0.1:4444/oauth2/register' -H 'content-type: application/json' --data-binary '{payload}'"
    );
    assert!(stdout.contains(&curl), "{stdout}");

    // Run the printed dcrspec line: same failure, same minimal payload.
    let line = stdout
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("dcrspec fuzz --fault"))
        .expect("a replay line");
    assert!(line.contains(" --seed 3 --cases "), "{line}");
    let replay: Vec<&str> = line.split_whitespace().skip(1).collect();
    let again = dcrspec(&replay, &dir);
    let (stdout2, _) = text(&again);
    assert_eq!(again.status.code(), Some(1), "{stdout2}");
    assert!(
        stdout2.contains(&format!("payload: {payload}")),
        "{stdout2}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn usage_errors_exit_2() {
    let dir = scratch("fuzz", "usage");
    for (args, needle) in [
        (
            vec!["fuzz", "--property", "nope"],
            "unknown property 'nope'",
        ),
        (vec!["fuzz", "--cases", "0"], "--cases"),
        (
            vec![
                "fuzz",
                "--target",
                "http://127.0.0.1:9",
                "--fault",
                "torn-put",
            ],
            "cannot be combined with --target",
        ),
        (vec!["fuzz", "--fault", "nonesuch"], "nonesuch"),
    ] {
        let out = dcrspec(&args, &dir);
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
    // An unreachable target: every property errors, reports are written, exit 2.
    let out = dcrspec(
        &["fuzz", "--target", "http://127.0.0.1:9", "--cases", "1"],
        &dir,
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(stderr.contains("cannot reach the target"), "{stderr}");
    assert!(dir.join("reports/fuzz-results.json").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
