//! What a run reports around the verdicts: a baseline's accepted failures, and the
//! console's failed-rule table (each rule once) and `--quiet` summary.

use crate::common::{dcrspec, scratch};

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
