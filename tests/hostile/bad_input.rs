//! Hostile input to dcrspec itself: broken suite, profile and schema files, bad flags,
//! an unwritable report path. Each is exit 2 with one line naming the file or flag and
//! the reason (line and column for JSON and TOML), never a panic.

use std::path::Path;
use std::time::Duration;

use crate::support::{Finished, run, scratch};

fn dcrspec(args: &[&str], dir: &Path) -> Finished {
    run(args, dir, &[], Duration::from_secs(30))
}

fn one_line_exit_2(f: &Finished, needles: &[&str]) {
    assert_eq!(f.code, Some(2), "{}", f.show());
    let lines: Vec<&str> = f.stderr.trim().lines().collect();
    assert_eq!(lines.len(), 1, "{}", f.show());
    for n in needles {
        assert!(lines[0].contains(n), "{n:?} not in {:?}", lines[0]);
    }
    assert!(!f.stderr.contains("panicked"), "{}", f.show());
}

#[test]
fn broken_input_files_name_the_file_line_and_column() {
    let dir = scratch("bad-files");
    // A suite directory with one file that is not JSON.
    let suites = dir.join("suites");
    std::fs::create_dir_all(&suites).unwrap();
    std::fs::write(suites.join("ok.json"), "{\"scenarios\": []}\n").unwrap();
    std::fs::write(suites.join("broken.json"), "{\n  \"scenarios\": [\n    }\n").unwrap();
    // Nested past any parser's recursion limit.
    let deep = dir.join("deep");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("deep.json"), "[".repeat(100_000)).unwrap();
    std::fs::write(
        dir.join("openapi.json"),
        "{\"openapi\": \"3.0.3\",\n\"paths\": {,}}",
    )
    .unwrap();
    std::fs::write(dir.join("deep-openapi.json"), "{\"a\":".repeat(50_000)).unwrap();
    std::fs::write(
        dir.join("deep.toml"),
        format!("x = {}", "[".repeat(100_000)),
    )
    .unwrap();
    std::fs::write(dir.join("binary.toml"), b"name = \"\xff\xfe\"\n\x00\x01").unwrap();
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            vec!["run", "--suites", "suites"],
            vec!["broken.json", "line 3, column 5"],
        ),
        (
            // Typed parsing stops at the first level that does not fit.
            vec!["run", "--suites", "deep"],
            vec!["deep.json", "line 1, column"],
        ),
        (
            vec!["run", "--openapi", "openapi.json"],
            vec!["openapi.json", "line 2, column 11"],
        ),
        (
            vec!["run", "--openapi", "deep-openapi.json"],
            vec!["deep-openapi.json", "line 1, column", "recursion limit"],
        ),
        (
            vec!["run", "--profile", "deep.toml"],
            vec!["deep.toml", "line 1, column", "recurse"],
        ),
        (vec!["run", "--profile", "binary.toml"], vec!["binary.toml"]),
        (
            vec!["rules", "--suites", "suites"],
            vec!["broken.json", "line 3"],
        ),
    ];
    for (args, needles) in cases {
        one_line_exit_2(&dcrspec(&args, &dir), &needles);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_flags_are_one_line_and_exit_2() {
    let dir = scratch("bad-flags");
    for (args, needles) in [
        (
            vec!["run", "--target", "not-a-url"],
            vec!["--target not-a-url: not a URL"],
        ),
        (
            vec!["run", "--target", "ftp://x"],
            vec!["--target ftp://x: the scheme must be http or https"],
        ),
        (vec!["run", "--target", "http://"], vec!["--target http://"]),
    ] {
        one_line_exit_2(&dcrspec(&args, &dir), &needles);
        assert!(!dir.join("reports").exists(), "{args:?} wrote reports");
    }
    // clap's own errors: exit 2 too, several lines of usage, no panic.
    for args in [
        vec!["run", "--deadline", "0"],
        vec!["run", "--max-body", "0"],
        vec!["run", "--timeout", "-1"],
    ] {
        let f = dcrspec(&args, &dir);
        assert_eq!(f.code, Some(2), "{}", f.show());
        assert!(f.stderr.starts_with("error: "), "{}", f.show());
        assert!(!f.stderr.contains("panicked"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unwritable_report_path_is_named_and_exits_2() {
    let dir = scratch("unwritable");
    // The reports directory is a file.
    std::fs::write(dir.join("reports"), "not a directory").unwrap();
    let f = dcrspec(&["run", "--", "--exact", "create"], &dir);
    assert_eq!(f.code, Some(2), "{}", f.show());
    let last = f.stderr.trim().lines().last().unwrap();
    assert!(
        last.starts_with("error: reports/") && last.contains("cannot write report"),
        "{}",
        f.show()
    );
    assert!(!f.stderr.contains("panicked"));
    let _ = std::fs::remove_dir_all(&dir);
}
