//! Reports: pure functions from a finished [`RunReport`] to text, one file per format.
//!
//! - [`junit`]: JUnit XML for CI, valid against the strict Ant schema (`JUnit.xsd`); a
//!   test case per rule (default) or per scenario.
//! - [`json`]: a machine-readable summary with every finding and its exchange.
//! - [`text`]: the human bug report of a scenario and the closing summary lines.
//! - [`console`]: what `dcrspec run` prints at the end: failed rules, details, summary.
//! - [`evidence`]: a Markdown report for auditors, rule by rule, with the exchanges.
//! - [`github`]: GitHub Actions workflow commands (one per failed, errored or warned rule)
//!   and the step summary; printed by `commands::github`, not written by [`write_all`].
//! - [`html`]: the same for auditors as one self-contained page (filters, print to PDF).
//!
//! Nothing here reads the clock, the environment or the network: identical input gives
//! byte-identical output. The only I/O is [`write_all`], which writes the files.
//! Server text is hostile by assumption; the human formats pass it through [`clean`] so
//! that control characters cannot drive a terminal or break a file, while the JSON keeps
//! it exact (JSON escaping is lossless).

use std::borrow::Cow;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::LoadError;
use crate::outcome::{Outcome, RunReport, ScenarioResult};
use crate::verdict::Verdicts;

pub mod console;
pub mod evidence;
pub mod exchange;
pub mod github;
pub mod html;
pub mod json;
pub mod junit;
pub mod text;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod registration_only_tests;

/// Where [`write_all`] puts each report, and the shape of the JUnit one. The evidence
/// and HTML reports are optional.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportPaths {
    pub junit: PathBuf,
    /// What a JUnit test case stands for (`--junit-cases`).
    pub junit_cases: junit::Cases,
    pub json: PathBuf,
    pub evidence: Option<PathBuf>,
    pub html: Option<PathBuf>,
}

/// Renders every report and writes each to its path, creating parent directories.
/// Each file is written to a temporary sibling and renamed into place, so a reader never
/// sees half a report. The error names the path that could not be written.
pub fn write_all(
    report: &RunReport,
    verdicts: &Verdicts,
    paths: &ReportPaths,
) -> Result<(), LoadError> {
    let mut files = vec![
        (
            paths.junit.as_path(),
            junit::render(report, verdicts, paths.junit_cases),
        ),
        (paths.json.as_path(), json::render_pretty(report, verdicts)),
    ];
    if let Some(path) = &paths.evidence {
        files.push((path.as_path(), evidence::render(report, verdicts)));
    }
    if let Some(path) = &paths.html {
        files.push((path.as_path(), html::render(report, verdicts)));
    }
    for (path, contents) in files {
        write_atomically(path, contents.as_bytes()).map_err(|e| {
            LoadError::new(
                path.display().to_string(),
                format!("cannot write report: {e}"),
            )
        })?;
    }
    Ok(())
}

fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"))?;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(dir) = dir {
        fs::create_dir_all(dir)?;
    }
    // Same directory as the target, so the rename never crosses a file system.
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let result = fs::write(&tmp, contents).and_then(|()| fs::rename(&tmp, path));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Server text made safe to print: control characters other than tab and newline, and
/// the non-characters U+FFFE/U+FFFF (not XML characters), become U+FFFD; CRLF becomes LF.
/// Everything else, emoji included, is kept.
pub(crate) fn clean(s: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        out.push(if bad(c) { '\u{FFFD}' } else { c });
    }
    Cow::Owned(out)
}

/// Why a scenario gave the rules it set out to check `error`: its errored reason, or that
/// it ended without checking them.
pub(crate) fn no_verdict_reason(s: &ScenarioResult) -> Cow<'_, str> {
    match &s.outcome {
        Outcome::Errored { reason } => Cow::Borrowed(reason),
        _ => Cow::Borrowed("the scenario ended without checking it"),
    }
}

/// At most `limit` bytes of `s` (cut on a character boundary), with a note of the full
/// length when something was cut.
pub(crate) fn truncate(s: &str, limit: usize) -> Cow<'_, str> {
    if s.len() <= limit {
        return Cow::Borrowed(s);
    }
    let mut end = limit;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!(
        "{}… [truncated: {} bytes in all]",
        &s[..end],
        s.len()
    ))
}

/// The first line of `s`, at most `limit` bytes, marked with `…` when anything was cut.
pub(crate) fn first_line(s: &str, limit: usize) -> String {
    let line = s.lines().next().unwrap_or("");
    let more = line.len() < s.trim_end().len();
    let mut end = line.len().min(limit);
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    if end < line.len() || more {
        format!("{}…", &line[..end])
    } else {
        line.to_string()
    }
}

/// `200 OK`: the status code and, when it has one, its standard reason phrase.
pub(crate) fn status_line(status: u16) -> String {
    match reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
    {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// UTC calendar fields `(year, month, day, hour, minute, second)` of a Unix time.
/// Clamped to 9999-12-31T23:59:59 so the year always has four digits.
pub(crate) fn utc_fields(unix: u64) -> (i32, u8, u8, u8, u8, u8) {
    const MAX: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    let secs = i64::try_from(unix).unwrap_or(MAX).min(MAX);
    let t =
        time::OffsetDateTime::from_unix_timestamp(secs).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    (
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_all(r: &RunReport, paths: &ReportPaths) -> Result<(), LoadError> {
        super::write_all(r, &Verdicts::fold(r), paths)
    }
    use crate::report::fixtures::{all_outcomes, scratch_dir};

    #[test]
    fn clean_maps_controls_and_noncharacters_and_keeps_the_rest() {
        assert_eq!(
            clean("a\u{0}b\u{1b}[31mc\u{7f}\u{85}"),
            "a\u{FFFD}b\u{FFFD}[31mc\u{FFFD}\u{FFFD}"
        );
        assert_eq!(clean("x\u{FFFE}y\u{FFFF}"), "x\u{FFFD}y\u{FFFD}");
        assert_eq!(clean("line\r\nnext\rlone"), "line\nnext\u{FFFD}lone");
        assert_eq!(clean("tab\tnl\n🦀 é"), "tab\tnl\n🦀 é");
        assert!(matches!(clean("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn truncate_cuts_on_a_char_boundary_and_says_so() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("ééé", 3), "é… [truncated: 6 bytes in all]");
        assert_eq!(truncate("abcdef", 4), "abcd… [truncated: 6 bytes in all]");
    }

    #[test]
    fn first_line_marks_what_it_drops() {
        assert_eq!(first_line("one", 80), "one");
        assert_eq!(first_line("one\ntwo", 80), "one…");
        assert_eq!(first_line("one\n", 80), "one");
        assert_eq!(first_line("abcdef", 3), "abc…");
        assert_eq!(first_line("", 3), "");
    }

    #[test]
    fn status_line_adds_the_reason_phrase_when_known() {
        assert_eq!(status_line(201), "201 Created");
        assert_eq!(status_line(599), "599");
    }

    #[test]
    fn utc_fields_converts_and_clamps() {
        assert_eq!(utc_fields(0), (1970, 1, 1, 0, 0, 0));
        // `date -u -d @1767271545` = Thu Jan  1 12:45:45 UTC 2026
        assert_eq!(utc_fields(1_767_271_545), (2026, 1, 1, 12, 45, 45));
        assert_eq!(utc_fields(u64::MAX), (9999, 12, 31, 23, 59, 59));
    }

    #[test]
    fn write_all_writes_every_report_and_creates_parents() {
        let dir = scratch_dir("write-all");
        let report = all_outcomes();
        let paths = ReportPaths {
            junit: dir.join("a/b/junit.xml"),
            junit_cases: junit::Cases::Rules,
            json: dir.join("c/report.json"),
            evidence: Some(dir.join("evidence.md")),
            html: Some(dir.join("h/report.html")),
        };
        write_all(&report, &paths).unwrap();
        assert_eq!(
            fs::read_to_string(&paths.junit).unwrap(),
            junit::render(&report, &Verdicts::fold(&report), junit::Cases::Rules)
        );
        assert_eq!(
            fs::read_to_string(&paths.json).unwrap(),
            json::render_pretty(&report, &Verdicts::fold(&report))
        );
        assert_eq!(
            fs::read_to_string(paths.evidence.as_ref().unwrap()).unwrap(),
            evidence::render(&report, &Verdicts::fold(&report))
        );
        assert_eq!(
            fs::read_to_string(paths.html.as_ref().unwrap()).unwrap(),
            html::render(&report, &Verdicts::fold(&report))
        );
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(dir.join("a/b"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("junit.xml")]);
        // Writing again replaces the files.
        fs::write(&paths.json, "stale").unwrap();
        write_all(&report, &paths).unwrap();
        assert_eq!(
            fs::read_to_string(&paths.json).unwrap(),
            json::render_pretty(&report, &Verdicts::fold(&report))
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn write_all_without_evidence_writes_no_evidence() {
        let dir = scratch_dir("no-evidence");
        let paths = ReportPaths {
            junit: dir.join("j.xml"),
            junit_cases: junit::Cases::Scenarios,
            json: dir.join("r.json"),
            evidence: None,
            html: None,
        };
        write_all(&all_outcomes(), &paths).unwrap();
        let mut names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["j.xml", "r.json"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn write_all_names_the_path_it_cannot_write() {
        let dir = scratch_dir("blocked");
        // A file where a directory should be.
        fs::write(dir.join("blocker"), "").unwrap();
        let json = dir.join("blocker/report.json");
        let paths = ReportPaths {
            junit: dir.join("junit.xml"),
            junit_cases: junit::Cases::Rules,
            json: json.clone(),
            evidence: None,
            html: None,
        };
        let err = write_all(&all_outcomes(), &paths).unwrap_err();
        assert_eq!(err.source, json.display().to_string());
        assert!(err.message.starts_with("cannot write report: "), "{err}");
        assert_eq!(err.to_string().lines().count(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }
}
