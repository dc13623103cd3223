//! Hand-built run reports for the report tests, plus the golden-file and scratch-dir
//! helpers they share. Test-only.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::outcome::{
    Exchange, Finding, Leftover, LeftoverCause, Outcome, RequestRecord, ResponseRecord, RunReport,
    ScenarioResult,
};
use crate::rules::{Catalogue, Level, Rule};

pub fn rule(id: &str, level: Level, source: &str, section: &str, quote: &str) -> Rule {
    Rule {
        id: id.into(),
        level,
        source: source.into(),
        section: section.into(),
        quote: quote.into(),
        summary: None,
    }
}

pub fn exchange(
    method: &str,
    url: &str,
    body: Option<&str>,
    status: u16,
    response: &str,
) -> Exchange {
    Exchange {
        request: RequestRecord {
            method: method.into(),
            url: url.into(),
            headers: vec![
                ("authorization".into(), "Bearer [redacted]".into()),
                ("content-type".into(), "application/json".into()),
            ],
            body: body.map(str::to_string),
        },
        response: Some(ResponseRecord {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: response.into(),
            truncated: None,
        }),
        error: None,
        elapsed_ms: 12,
    }
}

pub fn finding(
    rule: &str,
    level: Level,
    expected: &str,
    actual: &str,
    exchange: Exchange,
) -> Finding {
    Finding {
        rule: rule.into(),
        level,
        step: "update without client_secret".into(),
        expected: expected.into(),
        actual: actual.into(),
        at: "suites/ory/secret.json#/scenarios/1/steps/1/expect/0".into(),
        exchange,
    }
}

/// A scenario with the given outcome that declares and checks `rules`.
pub fn scenario(id: &str, outcome: Outcome, rules: &[&str]) -> ScenarioResult {
    let rules: Vec<String> = rules.iter().map(|r| r.to_string()).collect();
    let checked = match outcome {
        Outcome::Skipped { .. } | Outcome::Errored { .. } => Vec::new(),
        _ => rules.clone(),
    };
    ScenarioResult {
        id: id.into(),
        description: format!("{id} as described"),
        file: "suites/ory/basic.json".into(),
        rules,
        outcome,
        findings: Vec::new(),
        checked,
        exchanges: Vec::new(),
        duration: Duration::from_millis(250),
        broken_checks: Vec::new(),
    }
}

pub fn report(catalogue: Vec<Rule>, scenarios: Vec<ScenarioResult>) -> RunReport {
    RunReport {
        target: "http://127.0.0.1:4445".into(),
        profile: "ory".into(),
        started_unix: 1_767_271_545,
        duration: Duration::from_millis(1_500),
        catalogue: Catalogue::new(catalogue),
        scenarios,
        leftovers: Vec::new(),
        fatal: None,
        requests: 0,
        credentialed_origins: Vec::new(),
        baseline: None,
    }
}

/// Every outcome once, a MUST and a SHOULD finding, a rule no scenario covers, and a
/// leftover client.
pub fn all_outcomes() -> RunReport {
    let catalogue = vec![
        rule(
            "RFC7591-3.2.1/created",
            Level::Must,
            "RFC 7591",
            "3.2.1",
            "The server responds with an HTTP 201 Created status code and a body of type \"application/json\".",
        ),
        rule(
            "ory:secret-retained",
            Level::Must,
            "Ory API reference",
            "setOidcDynamicClient",
            "If you pass client_secret the secret is used, otherwise the existing secret is used.",
        ),
        rule(
            "RFC7591-3.2.2/error-json",
            Level::Should,
            "RFC 7591",
            "3.2.2",
            "The server responds with an HTTP 400 status code and a body of type \"application/json\".",
        ),
        rule(
            "RFC7592-2.3/delete-204",
            Level::Must,
            "RFC 7592",
            "2.3",
            "If a client has been successfully deprovisioned, the authorization server MUST respond with an HTTP 204 No Content message.",
        ),
        rule(
            "OIDCR-2/jwks",
            Level::May,
            "OpenID Connect DCR 1.0",
            "2",
            "Client's JSON Web Key Set document value.",
        ),
        rule(
            "RFC7592-3/rat-present",
            Level::Must,
            "RFC 7592",
            "3",
            "registration_access_token REQUIRED.",
        ),
    ];

    let create = exchange(
        "POST",
        "http://127.0.0.1:4445/oauth2/register",
        Some(r#"{"redirect_uris":["https://rp.example/cb"]}"#),
        201,
        r#"{"client_id":"c1","client_secret":"[redacted]"}"#,
    );
    let mut passed = scenario(
        "create-returns-201",
        Outcome::Passed,
        &["RFC7591-3.2.1/created"],
    );
    passed.file = "suites/ory/create.json".into();
    passed.exchanges = vec![create.clone()];

    let put = exchange(
        "PUT",
        "http://127.0.0.1:4445/oauth2/register/c1",
        Some(r#"{"client_id":"c1","redirect_uris":["https://rp.example/cb"]}"#),
        200,
        r#"{"client_id":"c1","client_secret":"[redacted]"}"#,
    );
    let mut failed = scenario(
        "put-keeps-secret",
        Outcome::Failed,
        &["ory:secret-retained"],
    );
    failed.file = "suites/ory/secret.json".into();
    failed.description = "PUT without client_secret keeps the secret".into();
    failed.checked.push("RFC7591-3.2.1/created".into());
    failed.checked.push("RFC7591-3.2.2/error-json".into());
    failed.findings = vec![
        finding(
            "ory:secret-retained",
            Level::Must,
            "/client_secret absent",
            "\"[redacted]\"",
            put.clone(),
        ),
        Finding {
            rule: "RFC7591-3.2.2/error-json".into(),
            level: Level::Should,
            step: "update without client_secret".into(),
            expected: "header content-type application/json".into(),
            actual: "text/plain".into(),
            at: "suites/ory/secret.json#/scenarios/1/steps/1/expect/1".into(),
            exchange: put.clone(),
        },
    ];
    failed.exchanges = vec![create.clone(), put];

    let bad = exchange(
        "POST",
        "http://127.0.0.1:4445/oauth2/register",
        Some(r#"{"redirect_uris":"not-a-list"}"#),
        400,
        "bad request\nline two",
    );
    let mut warned = scenario(
        "bad-metadata-is-json-error",
        Outcome::Warned,
        &["RFC7591-3.2.2/error-json"],
    );
    warned.findings = vec![Finding {
        rule: "RFC7591-3.2.2/error-json".into(),
        level: Level::Should,
        step: "register with bad metadata".into(),
        expected: "header content-type application/json".into(),
        actual: "text/plain".into(),
        at: "suites/ory/basic.json#/scenarios/2/steps/0/expect/1".into(),
        exchange: bad.clone(),
    }];
    warned.exchanges = vec![bad];

    let mut errored = scenario(
        "delete-returns-204",
        Outcome::Errored {
            reason: "setup step \"register\" failed: connection refused".into(),
        },
        &["RFC7592-2.3/delete-204"],
    );
    errored.exchanges = vec![Exchange {
        request: RequestRecord {
            method: "POST".into(),
            url: "http://127.0.0.1:4445/oauth2/register".into(),
            headers: vec![],
            body: None,
        },
        response: None,
        error: Some("connection refused".into()),
        elapsed_ms: 3,
    }];

    let skipped = scenario(
        "register-with-jwks",
        Outcome::Skipped {
            reason: "profile ory lacks capability jwks".into(),
        },
        &["OIDCR-2/jwks"],
    );

    let mut r = report(catalogue, vec![passed, failed, warned, errored, skipped]);
    r.requests = 4;
    r.credentialed_origins = vec!["http://127.0.0.1:4445".into()];
    r.leftovers = vec![Leftover {
        client_id: "c1".into(),
        scenario: "put-keeps-secret".into(),
        reason: "DELETE returned 500".into(),
        cause: LeftoverCause::NotDeleted,
    }];
    r
}

/// A run that could not start: no scenarios, a fatal error.
pub fn fatal_run() -> RunReport {
    let mut r = report(vec![], vec![]);
    r.fatal = Some("target http://127.0.0.1:4445 is unreachable: connection refused".into());
    r
}

/// Server text as nasty as it gets, in every field that reaches a report.
pub const HOSTILE: &str = "NUL\u{0} ESC\u{1b}[31m CDATA-end]]> BOM-ish\u{FFFE}\u{FFFF} emoji🦀 <tag a=\"q\"> & 'apos' \r\n\u{85}";

pub fn hostile() -> RunReport {
    let huge = format!("{}{}", "x".repeat(100 * 1024), HOSTILE);
    let mut ex = exchange(
        "PUT",
        &format!("http://h/{HOSTILE}"),
        Some(HOSTILE),
        500,
        &huge,
    );
    ex.request.headers.push((HOSTILE.into(), HOSTILE.into()));
    let mut failed = scenario(HOSTILE, Outcome::Failed, &[HOSTILE]);
    failed.description = HOSTILE.into();
    failed.file = format!("suites/{HOSTILE}.json");
    failed.findings = vec![Finding {
        rule: HOSTILE.into(),
        level: Level::Must,
        step: HOSTILE.into(),
        expected: HOSTILE.into(),
        actual: huge.clone(),
        at: HOSTILE.into(),
        exchange: ex.clone(),
    }];
    failed.exchanges = vec![ex];
    let mut warned = scenario("warned", Outcome::Warned, &[HOSTILE]);
    warned.findings = vec![Finding {
        level: Level::Should,
        ..failed.findings[0].clone()
    }];
    let errored = scenario(
        "errored",
        Outcome::Errored {
            reason: huge.clone(),
        },
        &[HOSTILE],
    );
    let skipped = scenario(
        "skipped",
        Outcome::Skipped {
            reason: HOSTILE.into(),
        },
        &[HOSTILE],
    );
    let mut r = report(
        vec![rule(HOSTILE, Level::Must, HOSTILE, HOSTILE, &huge)],
        vec![failed, warned, errored, skipped],
    );
    r.target = HOSTILE.into();
    r.profile = HOSTILE.into();
    r.fatal = Some(huge);
    r.leftovers = vec![Leftover {
        client_id: HOSTILE.into(),
        scenario: HOSTILE.into(),
        reason: HOSTILE.into(),
        cause: LeftoverCause::NotDeleted,
    }];
    r
}

/// Nothing ran and nothing is known.
pub fn empty() -> RunReport {
    let mut r = report(vec![], vec![]);
    r.target = String::new();
    r.profile = String::new();
    r.started_unix = 0;
    r.duration = Duration::ZERO;
    r
}

/// A fresh, empty directory under the system temp dir, unique to this process and call.
pub fn scratch_dir(tag: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("dcrspec-report-{}-{n}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Compares `actual` with `tests/fixtures/report/<name>`. With `DCRSPEC_BLESS=1` the file
/// is (re)written instead; review the diff before keeping it. The crate version is stored
/// as `{{version}}` so a release does not touch the golden files.
pub fn assert_golden(name: &str, actual: &str) {
    assert!(
        !actual.contains("{{version}}"),
        "the placeholder itself must not be rendered"
    );
    let actual = actual.replace(env!("CARGO_PKG_VERSION"), "{{version}}");
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/report")
        .join(name);
    if std::env::var_os("DCRSPEC_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with DCRSPEC_BLESS=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the rendered output at line {}:\n  expected: {:?}\n  actual:   {:?}\n\
             (DCRSPEC_BLESS=1 rewrites it)",
            path.display(),
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line),
        );
    }
}
