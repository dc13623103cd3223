//! Helpers the binary-level test crates share: run dcrspec, a fresh scratch directory,
//! and the JUnit schema check. Each test crate uses some of them.
#![allow(dead_code)]

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
