//! The HTML report in a real browser (headless Chromium; `.ci/deps` installs it): the
//! report of a run with every verdict renders with nothing written to the console, the
//! page's own script runs under its content policy, a `<script>` a server sent back is
//! shown as text and never runs, and the page prints to PDF. A screenshot is saved as
//! `reports/html-report.png` for a human to look at (CI keeps `reports/`).
//!
//! The server text is planted with a suite of our own beside the built-in ones: a
//! registration whose `client_name` is markup, which the reference server echoes in
//! its answer, checked by a SHOULD rule that breaks when the echo carries `<script`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{dcrspec, scratch};

/// What the planted script and image would do if they ever ran: mark the document.
const PLANTED: &str = "<script>document.title='PWNED';document.documentElement.setAttribute('data-pwned','script')</script>\
<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">";

/// The faults that, under `ory`, give fail (null-arrays), warn (no-cache-headers) and
/// error (ignore-query-secret) besides the passes and the profile's skips.
const FAULTS: [&str; 3] = ["null-arrays", "no-cache-headers", "ignore-query-secret"];

#[test]
fn the_report_of_every_verdict_renders_in_chromium_and_server_script_stays_text() {
    let browser = chromium();
    let dir = scratch("html", "browser");
    let suites = dir.join("suites");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("suites"),
        &suites,
    );
    std::fs::create_dir_all(suites.join("planted")).unwrap();
    std::fs::write(suites.join("planted/markup.json"), planted_suite()).unwrap();

    let mut args = vec!["run", "--suites", "suites"];
    for f in FAULTS {
        args.extend(["--fault", f]);
    }
    let out = dcrspec(&args, &dir);
    assert_eq!(out.status.code(), Some(1), "{}", output_text(&out));

    // The run has every verdict, and the planted rule broke on the echoed markup.
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("reports/results.json")).unwrap())
            .unwrap();
    let verdict_of = |id: &str| {
        results["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| r["verdict"].as_str().unwrap().to_string())
    };
    for verdict in ["fail", "error", "warn", "pass", "skip"] {
        assert!(
            results["rules"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["verdict"] == verdict),
            "no rule with verdict {verdict}: the run does not show every outcome"
        );
    }
    assert_eq!(verdict_of("planted:markup").as_deref(), Some("warn"));

    let report = dir.join("reports/report.html");
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(
        !html.contains(PLANTED),
        "the planted markup is in the file raw"
    );
    assert!(
        html.contains("&lt;script&gt;document.title=&apos;PWNED&apos;"),
        "the planted markup is not in the report as escaped text"
    );

    // Loaded in the browser: the DOM after every script on the page has run.
    let url = format!("file://{}", report.display());
    let dom = run_browser(&browser, &dir, &["--dump-dom", &url]);
    let console: Vec<&str> = dom
        .stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .collect();
    assert!(
        console.is_empty(),
        "the page wrote to the console (an error, or a refused script or style):\n{}",
        console.join("\n")
    );
    let dom = dom.stdout;
    assert!(
        dom.contains("<form id=\"filters\" class=\"filters\">"),
        "the page's own script did not run (the filters are still hidden)"
    );
    // Had it run, the planted markup would have set this attribute on <html>.
    assert!(!dom.contains("data-pwned=\""), "the planted markup ran");
    assert!(
        !dom.contains("PWNED</title>"),
        "the planted script set the title"
    );
    assert!(
        dom.contains("&lt;script&gt;document.title='PWNED'"),
        "the planted script is not shown as text"
    );
    assert!(
        !dom.contains("<img src=\"x\""),
        "the planted image became an element"
    );

    // A screenshot to look at, and a PDF as an auditor would print it.
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("reports");
    std::fs::create_dir_all(&shots).unwrap();
    let png = shots.join("html-report.png");
    let _ = std::fs::remove_file(&png);
    let shot = format!("--screenshot={}", png.display());
    run_browser(&browser, &dir, &[&shot, "--window-size=1280,2400", &url]);
    let bytes = std::fs::read(&png).expect("chromium wrote the screenshot");
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 50_000,
        "{} is not a screenshot of a page",
        png.display()
    );
    let pdf = dir.join("report.pdf");
    let print = format!("--print-to-pdf={}", pdf.display());
    run_browser(&browser, &dir, &[&print, "--no-pdf-header-footer", &url]);
    let bytes = std::fs::read(&pdf).expect("chromium printed the report");
    assert!(
        bytes.starts_with(b"%PDF-") && bytes.len() > 50_000,
        "the printed report is empty"
    );

    std::fs::remove_dir_all(&dir).unwrap();
}

/// A suite of one SHOULD rule and one scenario: register a client named [`PLANTED`];
/// the rule breaks when the answer carries `<script`, so the echo is shown as evidence.
fn planted_suite() -> String {
    let suite = serde_json::json!({
        "$comment": "Planted by tests/html_report.rs: server text with markup in it.",
        "rules": [{
            "id": "planted:markup",
            "level": "SHOULD",
            "source": "tests/html_report.rs",
            "section": "planted",
            "quote": "A server that echoes markup it was sent is shown as text in the report."
        }],
        "scenarios": [{
            "id": "planted-markup",
            "description": "register a client whose name is a <script> element",
            "rules": ["planted:markup"],
            "steps": [{
                "name": "register <script>",
                "register": "a",
                "request": {
                    "method": "POST",
                    "json": {
                        "client_name": PLANTED,
                        "redirect_uris": ["https://rp.example/cb"],
                        "grant_types": ["authorization_code"],
                        "response_types": ["code"],
                        "token_endpoint_auth_method": "client_secret_basic"
                    }
                },
                "expect": [
                    {"status": 201},
                    {"rule": "planted:markup", "body_lacks": "<script"}
                ]
            }]
        }]
    });
    serde_json::to_string_pretty(&suite).unwrap()
}

/// The Chromium binary: `$CHROMIUM`, else `chromium` or `chromium-browser` on PATH.
/// Missing, the test fails: CI installs it with `.ci/deps`.
fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return PathBuf::from(path);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!("chromium is not installed: run .ci/deps (Debian's `chromium` package) or set CHROMIUM");
}

/// The browser's stdout and stderr, as text.
struct BrowserOutput {
    stdout: String,
    stderr: String,
}

/// Run headless Chromium with `args` and its own profile under `dir`, within a minute.
fn run_browser(browser: &Path, dir: &Path, args: &[&str]) -> BrowserOutput {
    let profile = dir.join("chromium-profile");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
    // Read both pipes while waiting, so a full pipe cannot stall the browser.
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let read = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = r.read_to_end(&mut s);
            String::from_utf8_lossy(&s).into_owned()
        })
    };
    let (out, err) = (read(Box::new(stdout)), read(Box::new(stderr)));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium {args:?} did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let (stdout, stderr) = (out.join().unwrap(), err.join().unwrap());
    assert!(
        status.success(),
        "chromium {args:?} failed ({status}):\n{stderr}"
    );
    BrowserOutput { stdout, stderr }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn output_text(out: &Output) -> String {
    format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
