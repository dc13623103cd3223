//! What a CI pipeline reads from the binary: JUnit by rule (the default) or by scenario,
//! and, under GitHub Actions, workflow commands and the step summary.

mod common;

use std::path::Path;

use common::{
    assert_junit_matches_rule_verdicts, dcrspec, dcrspec_with_env, junit_cases as testcases,
    scratch, xmllint,
};
use serde_json::Value;

fn results(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("reports/results.json")).unwrap())
        .unwrap()
}

/// The ids of the rules with `verdict` in results.json, sorted.
fn rules_with(results: &Value, verdict: &str) -> Vec<String> {
    let mut ids: Vec<String> = results["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["verdict"] == verdict)
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn names_with(cases: &[(String, String, String)], element: &str) -> Vec<String> {
    let mut names: Vec<String> = cases
        .iter()
        .filter(|c| c.2 == element)
        .map(|c| c.0.clone())
        .collect();
    names.sort();
    names
}

#[test]
fn default_junit_has_one_case_per_rule_and_fails_exactly_the_failed_rules() {
    let dir = scratch("ci", "junit-rules");
    let out = dcrspec(&["run", "--fault", "null-arrays"], &dir);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let junit = dir.join("reports/junit.xml");
    xmllint(&junit);
    let cases = testcases(&junit);
    let results = results(&dir);
    assert_junit_matches_rule_verdicts(&junit, &results);
    let failed = rules_with(&results, "fail");
    assert!(
        failed.contains(&"ory:client-schema".to_string()),
        "{failed:?}"
    );
    for (name, classname, _) in &cases {
        let family = name.split([':', '-']).next().unwrap();
        assert_eq!(classname, &format!("dcrspec.{family}"), "{name}");
    }
    // Many scenarios broke the one defect; it is still one failure.
    assert!(results["summary"]["failed"].as_u64().unwrap() > failed.len() as u64);
}

#[test]
fn junit_cases_scenarios_keeps_a_case_per_scenario() {
    let dir = scratch("ci", "junit-scenarios");
    let out = dcrspec(
        &[
            "run",
            "--fault",
            "null-arrays",
            "--junit-cases",
            "scenarios",
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(1));
    let junit = dir.join("reports/junit.xml");
    xmllint(&junit);
    let cases = testcases(&junit);
    let results = results(&dir);
    let scenarios = results["scenarios"].as_array().unwrap();
    assert_eq!(cases.len(), scenarios.len());
    let failed = scenarios
        .iter()
        .filter(|s| s["outcome"] == "failed")
        .count();
    assert_eq!(names_with(&cases, "failure").len(), failed);

    let out = dcrspec(&["run", "--junit-cases", "nonesuch"], &dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("nonesuch"), "{stderr}");
}

/// The title of each `::error` / `::warning` line dcrspec wrote after resuming commands.
fn workflow_commands(stdout: &str, kind: &str) -> Vec<String> {
    let prefix = format!("::{kind} title=");
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(|rest| {
            let title = &rest[..rest.find("::").expect("a message follows the title")];
            title.replace("%3A", ":").replace("%2C", ",")
        })
        .collect()
}

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

/// Runs the action's run step (`action/run.sh`) in `dir` as the composite action does.
fn action_step(dir: &Path, inputs: &[(&str, &str)]) -> std::process::Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("action/run.sh");
    std::process::Command::new("bash")
        .arg(script)
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("DCRSPEC", env!("CARGO_BIN_EXE_dcrspec"))
        .env("GITHUB_OUTPUT", dir.join("output"))
        .envs(inputs.iter().copied())
        .output()
        .expect("bash runs")
}

#[test]
fn the_action_runs_dcrspec_with_its_inputs_and_records_the_exit_code() {
    let dir = scratch("ci", "action");
    let out = action_step(
        &dir,
        &[
            ("INPUT_PROFILE", "ory"),
            ("INPUT_TARGET", ""),
            ("INPUT_BASELINE", ""),
            ("INPUT_ARGS", "--fault null-arrays --timeout 5"),
            (
                "GITHUB_STEP_SUMMARY",
                dir.join("summary.md").to_str().unwrap(),
            ),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("output")).unwrap(),
        "exit-code=1\n"
    );
    assert!(
        workflow_commands(&stdout, "error").contains(&"ory:client-schema (MUST)".to_string()),
        "{stdout}"
    );
    assert!(dir.join("summary.md").exists());
    xmllint(&dir.join("reports/junit.xml"));

    // A baseline that holds: the step passes.
    let out = dcrspec(&["run", "--write-baseline", "b.toml"], &dir);
    assert_eq!(out.status.code(), Some(0));
    let out = action_step(&dir, &[("INPUT_BASELINE", "b.toml")]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("output")).unwrap(),
        "exit-code=1\nexit-code=0\n"
    );

    // The reserved input fails clearly, before anything runs.
    let dir = scratch("ci", "action-issuer");
    let out = action_step(&dir, &[("INPUT_ISSUER", "https://issuer.example")]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stdout.trim_end(),
        "::error title=dcrspec::the 'issuer' input is reserved for a later dcrspec (no --issuer flag yet); remove it"
    );
    assert!(!dir.join("reports").exists());
}

#[test]
fn the_action_passes_every_input_through_the_environment_and_the_readme_shows_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let action = std::fs::read_to_string(root.join("action.yml")).unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let inputs: Vec<&str> = action
        .split("\ninputs:\n")
        .nth(1)
        .and_then(|rest| rest.split("\noutputs:\n").next())
        .expect("an inputs section followed by outputs")
        .lines()
        .filter_map(|l| l.strip_prefix("  ")?.strip_suffix(':'))
        .filter(|name| !name.starts_with(' '))
        .collect();
    assert_eq!(
        inputs,
        [
            "target",
            "issuer",
            "profile",
            "baseline",
            "args",
            "artifact-name"
        ]
    );
    for name in ["target", "issuer", "profile", "baseline", "args"] {
        let env = format!("INPUT_{}: ${{{{ inputs.{name} }}}}", name.to_uppercase());
        assert!(action.contains(&env), "{env} missing from action.yml");
    }
    // No input is pasted into a script: `${{ inputs.* }}` appears only in env and with.
    for line in action.lines().filter(|l| l.contains("${{ inputs.")) {
        let key = line.trim_start().split(':').next().unwrap();
        assert!(
            key.starts_with("INPUT_") || key == "name",
            "input used outside env/with: {line}"
        );
    }
    for name in &inputs {
        assert!(
            readme.contains(&format!("`{name}`")),
            "README does not document the {name} input"
        );
    }
    assert!(
        readme.contains("uses: "),
        "README shows the action in a workflow"
    );
}
