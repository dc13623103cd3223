//! The composite action (`action.yml`): its run step script with the action's inputs, and
//! inputs that reach the script only through its environment.

use std::path::Path;

use crate::common::{dcrspec, scratch, xmllint};
use crate::workflow_commands;

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

    // The issuer reaches dcrspec as --issuer: one without metadata is a clear error, and
    // the reports are written all the same.
    let dir = scratch("ci", "action-issuer");
    let issuer = "http://127.0.0.1:9/realm";
    let out = action_step(&dir, &[("INPUT_ISSUER", issuer)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("127.0.0.1:9/realm/.well-known/openid-configuration"),
        "{stderr}"
    );
    xmllint(&dir.join("reports/junit.xml"));

    // Both a target and an issuer: refused before anything runs.
    let dir = scratch("ci", "action-both");
    let out = action_step(
        &dir,
        &[
            ("INPUT_ISSUER", issuer),
            ("INPUT_TARGET", "http://127.0.0.1:9"),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stdout.trim_end(),
        "::error title=dcrspec::give the 'target' input or the 'issuer' input, not both"
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
