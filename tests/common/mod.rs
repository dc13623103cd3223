//! Helpers the binary-level test crates share: run dcrspec, a fresh scratch directory,
//! reading a report back, and the JUnit schema check. Each test crate uses some of them.
#![allow(dead_code)]

pub mod outcomes;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Run the dcrspec binary with `args` in `dir` and wait for it. GitHub Actions'
/// variables are removed, so that a test run inside GitHub Actions sees plain output.
pub fn dcrspec(args: &[&str], dir: &Path) -> Output {
    dcrspec_with_env(args, dir, &[])
}

/// [`dcrspec`] with these environment variables set.
pub fn dcrspec_with_env(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dcrspec"))
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs")
}

/// An empty directory of its own for one test: `dcrspec-<suite>-<name>-<pid>`.
pub fn scratch(suite: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dcrspec-{suite}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A JSON file dcrspec wrote (a report), with the path in the panic if it is missing or
/// not JSON.
pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{} was not written: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// Check a JUnit file against the strict Ant schema vendored in vendor/junit.
pub fn xmllint(file: &Path) {
    let xsd = Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor/junit/JUnit.xsd");
    let out = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(xsd)
        .arg(file)
        .output()
        .expect("xmllint runs (apt-get install libxml2-utils)");
    assert!(
        out.status.success(),
        "{} is not valid JUnit: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `(name, classname, result element or "")` of every testcase in a JUnit file.
pub fn junit_cases(file: &Path) -> Vec<(String, String, String)> {
    use quick_xml::events::Event;
    let xml = std::fs::read_to_string(file).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut cases: Vec<(String, String, String)> = Vec::new();
    let get = |e: &quick_xml::events::BytesStart, name: &str| {
        e.try_get_attribute(name)
            .unwrap()
            .unwrap()
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .unwrap()
            .into_owned()
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testcase" => cases.push((get(&e, "name"), get(&e, "classname"), String::new())),
                n @ (b"failure" | b"error" | b"skipped") => {
                    cases.last_mut().unwrap().2 = String::from_utf8(n.to_vec()).unwrap();
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    cases
}

/// Checks that a rule-shaped JUnit file has one test case per rule of `results` (the JSON
/// report of the same run), and that its failures, errors and skips are exactly the
/// rules with verdict fail, error and skip.
pub fn assert_junit_matches_rule_verdicts(file: &Path, results: &serde_json::Value) {
    let cases = junit_cases(file);
    let rules = results["rules"].as_array().expect("results.json has rules");
    assert_eq!(cases.len(), rules.len(), "one test case per rule");
    for (element, verdict) in [
        ("failure", "fail"),
        ("error", "error"),
        ("skipped", "skip"),
        ("", "pass"),
    ] {
        let mut got: Vec<&str> = cases
            .iter()
            .filter(|c| c.2 == element)
            .map(|c| c.0.as_str())
            .collect();
        got.sort();
        let mut want: Vec<&str> = rules
            .iter()
            .filter(|r| r["verdict"] == verdict || (element.is_empty() && r["verdict"] == "warn"))
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        want.sort();
        assert_eq!(
            got, want,
            "JUnit <{element}> cases against rules with verdict {verdict}"
        );
    }
}

/// `f` of every job, in the jobs' order, computed on a few threads (two to four): the
/// fault matrix and suite mutation runs are mostly waiting on their reference servers.
pub fn par_map<J: Sync, R: Send>(jobs: &[J], f: impl Fn(&J) -> R + Sync) -> Vec<R> {
    let next = std::sync::Mutex::new(0usize);
    let out = std::sync::Mutex::new(std::collections::BTreeMap::new());
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(2, 4);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap();
                        *n += 1;
                        *n - 1
                    };
                    let Some(job) = jobs.get(i) else { break };
                    let r = f(job);
                    out.lock().unwrap().insert(i, r);
                }
            });
        }
    });
    out.into_inner().unwrap().into_values().collect()
}
