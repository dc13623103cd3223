//! Under GitHub Actions (or `--format github`): one `::error` per failed rule, commands
//! stopped while server text is printed, the step summary appended; `--format plain` off.

use crate::common::{dcrspec, dcrspec_with_env, scratch, xmllint};
use crate::{results, rules_with, workflow_commands};

#[test]
fn under_github_actions_a_run_writes_one_error_per_failed_rule_and_a_step_summary() {
    let dir = scratch("ci", "github");
    let summary = dir.join("step-summary.md");
    // GitHub appends every step's summary to the same file: ours goes after what is there.
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = dcrspec_with_env(
        &["run", "--fault", "null-arrays", "--fault", "secret-on-get"],
        &dir,
        &[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results = results(&dir);
    let failed = rules_with(&results, "fail");
    assert!(failed.len() >= 2, "{failed:?}");
    // One `::error` per failed rule, not per scenario; titles name the rule and level.
    let mut titles = workflow_commands(&stdout, "error");
    titles.sort();
    let levels: std::collections::HashMap<&str, &str> = results["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["level"].as_str().unwrap()))
        .collect();
    let mut expected: Vec<String> = failed
        .iter()
        .map(|id| format!("{id} ({})", levels[id.as_str()]))
        .collect();
    expected.sort();
    assert_eq!(titles, expected, "{stdout}");
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("::error")).count(),
        failed.len()
    );
    assert!(workflow_commands(&stdout, "warning").is_empty(), "{stdout}");
    // Commands are stopped while the scenarios print, resumed before dcrspec's own.
    let stop = stdout
        .lines()
        .position(|l| l.starts_with("::stop-commands::"))
        .expect("commands stopped");
    let token = stdout.lines().nth(stop).unwrap()["::stop-commands::".len()..].to_string();
    assert!(token.len() >= 32, "{token}");
    let resume = stdout
        .lines()
        .position(|l| l == format!("::{token}::"))
        .expect("commands resumed");
    let first_error = stdout
        .lines()
        .position(|l| l.starts_with("::error"))
        .unwrap();
    assert!(stop < resume && resume < first_error, "{stdout}");

    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.starts_with("earlier step\n## dcrspec: "), "{text}");
    assert!(
        text.contains(&format!("## dcrspec: {} rule(s) failed", failed.len())),
        "{text}"
    );
    let rule_counts = &results["rule_summary"];
    assert!(
        text.contains(&format!(
            "| rules | {} | {} | {} | {} | {} |",
            rule_counts["fail"],
            rule_counts["error"],
            rule_counts["warn"],
            rule_counts["pass"],
            rule_counts["skip"]
        )),
        "{text}"
    );
    for id in &failed {
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("| `{id}` | MUST | "))),
            "{id} missing from the failed-rule table:\n{text}"
        );
    }
    assert!(!text.contains("### Baseline"), "{text}");
}

#[test]
fn the_step_summary_says_whether_the_baseline_holds() {
    let dir = scratch("ci", "github-baseline");
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
    assert_eq!(out.status.code(), Some(1));
    // The written reasons are placeholders; give each one a reason.
    let written = std::fs::read_to_string(dir.join("b.toml")).unwrap();
    let reasoned: String = written
        .lines()
        .map(|l| {
            if l.starts_with("reason = ") {
                "reason = \"empty arrays come back null: tracked upstream\"".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.join("b.toml"), reasoned).unwrap();
    let summary = dir.join("summary.md");
    let out = dcrspec_with_env(
        &[
            "run",
            "--fault",
            "null-arrays",
            "--fault",
            "secret-on-get",
            "--baseline",
            "b.toml",
            "--format",
            "github",
        ],
        &dir,
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.contains("### Baseline\n\nnot compatible: "), "{text}");
    assert!(text.contains("rule = \"ory:secret-unreadable\""), "{text}");
}

#[test]
fn format_plain_and_no_github_actions_write_no_commands_and_no_summary() {
    let dir = scratch("ci", "plain");
    let summary = dir.join("summary.md");
    for (args, env) in [
        (
            vec!["run", "--fault", "null-arrays", "--format", "plain"],
            vec![
                ("GITHUB_ACTIONS", "true"),
                ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
            ],
        ),
        (
            vec!["run", "--fault", "null-arrays"],
            vec![("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
        ),
    ] {
        let out = dcrspec_with_env(&args, &dir, &env);
        assert_eq!(out.status.code(), Some(1));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            !stdout.lines().any(|l| l.starts_with("::")),
            "{args:?}: {stdout}"
        );
        assert!(!summary.exists(), "{args:?}");
    }
    // Forced on without a step summary file: the commands alone.
    let out = dcrspec(
        &["run", "--fault", "null-arrays", "--format", "github"],
        &dir,
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!workflow_commands(&stdout, "error").is_empty(), "{stdout}");
    // A summary file that cannot be written: one line naming it, exit 2, reports written.
    let out = dcrspec_with_env(
        &["run", "--format", "github"],
        &dir,
        &[("GITHUB_STEP_SUMMARY", "/nonexistent-dir/summary.md")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l
                .starts_with("error: /nonexistent-dir/summary.md: cannot append the step summary")),
        "{stderr}"
    );
    xmllint(&dir.join("reports/junit.xml"));
}
