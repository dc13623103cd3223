//! Starting the real servers (their tests/servers/*/run.sh scripts, each on free ports;
//! stopped when dropped), running dcrspec against one, and holding its verdicts to the
//! committed verdict file (or, blessing, writing it).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};

use crate::common;

pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server started by a script; stopped when dropped.
pub(crate) struct Running {
    pid: String,
    pub(crate) base_url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(&self.pid).status();
    }
}

fn start(script: &str, args: &[String], base_url: String) -> Running {
    let out = Command::new("bash")
        .arg(root().join(script))
        .args(args)
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "could not start the server with {script} {args:?}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pid = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(
        pid.chars().all(|c| c.is_ascii_digit()) && !pid.is_empty(),
        "{script} printed no PID: {pid:?}"
    );
    Running { pid, base_url }
}

pub(crate) fn hydra(enabled: bool) -> Running {
    let (public, admin) = (free_port(), free_port());
    let mode = if enabled { "enabled" } else { "disabled" };
    let args = vec![mode.to_string(), public.to_string(), admin.to_string()];
    start(
        "tests/servers/hydra/run.sh",
        &args,
        format!("http://127.0.0.1:{public}"),
    )
}

pub(crate) fn oidc_provider(rotate: bool) -> Running {
    let port = free_port();
    let args = vec![
        port.to_string(),
        if rotate { "rotate" } else { "norotate" }.to_string(),
    ];
    start(
        "tests/servers/oidc-provider/run.sh",
        &args,
        format!("http://127.0.0.1:{port}"),
    )
}

/// The MCP TypeScript SDK's auth router; `limited` keeps the SDK's rate limiter (20
/// registrations an hour), otherwise `rateLimit: false`.
pub(crate) fn mcp_typescript(limited: bool) -> Running {
    let port = free_port();
    let mode = if limited { "default" } else { "unlimited" };
    start(
        "tests/servers/mcp-typescript/run.sh",
        &[port.to_string(), mode.to_string()],
        // The SDK's issuer, as its metadata spells it.
        format!("http://127.0.0.1:{port}/"),
    )
}

/// The MCP Python SDK's auth routes under uvicorn.
pub(crate) fn mcp_python() -> Running {
    let port = free_port();
    start(
        "tests/servers/mcp-python/run.sh",
        &[port.to_string()],
        format!("http://127.0.0.1:{port}"),
    )
}

/// Keycloak with the realm `dcrspec`; `base_url` is the realm's issuer. `mode` is
/// `anonymous` (127.0.0.1 may register without a token) or `iat`.
pub(crate) fn keycloak(mode: &str) -> (Running, u16) {
    let (port, management) = (free_port(), free_port());
    let server = start(
        "tests/servers/keycloak/run.sh",
        &[port.to_string(), management.to_string(), mode.to_string()],
        format!("http://127.0.0.1:{port}/realms/dcrspec"),
    );
    (server, port)
}

/// Spring Authorization Server with OIDC client registration; `base_url` is its issuer.
pub(crate) fn spring_authorization_server() -> (Running, u16) {
    let port = free_port();
    let server = start(
        "tests/servers/spring-authorization-server/run.sh",
        &[port.to_string()],
        format!("http://127.0.0.1:{port}"),
    );
    (server, port)
}

/// The command that prints an initial access token for a server started on `port`.
pub(crate) fn iat_command(script: &str, port: u16) -> String {
    format!("bash {} {port}", root().join(script).display())
}

/// Run dcrspec against a server and return its results.json. Scenarios run one at a
/// time: Hydra's in-memory store answers concurrent writes with a spurious 400
/// ("concurrent update in another session"), which would make verdicts flaky.
pub(crate) fn check(server: &Running, args: &[&str]) -> Value {
    check_at(server, "--target", args)
}

/// As [`check`], with the server named by `--target` or by `--issuer`.
pub(crate) fn check_at(server: &Running, how: &str, args: &[&str]) -> Value {
    let dir = std::env::temp_dir().join(format!(
        "dcrspec-real-{}-{}",
        std::process::id(),
        server.pid
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("results.json");
    let out = Command::new(env!("CARGO_BIN_EXE_dcrspec"))
        .args(["run", how, &server.base_url])
        .args(args)
        .arg("--json")
        .arg(&json)
        .arg("--junit")
        .arg(dir.join("junit.xml"))
        .arg("--evidence")
        .arg(dir.join("evidence.md"))
        .args(["--", "--test-threads", "1"])
        .output()
        .expect("dcrspec runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "dcrspec crashed: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let results = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    // The default JUnit: a case per rule, red exactly where results.json says fail.
    common::xmllint(&dir.join("junit.xml"));
    common::assert_junit_matches_rule_verdicts(&dir.join("junit.xml"), &results);
    results
}

/// The verdicts of a run in the verdict-file shape.
pub(crate) fn verdicts(results: &Value) -> BTreeMap<String, String> {
    results["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Compare with (or, blessing, write) the committed verdict file.
pub(crate) fn expect(file: &str, server: &str, args: &[&str], results: &Value) {
    let path = root().join(file);
    let got = verdicts(results);
    if std::env::var_os("DCRSPEC_BLESS").is_some() {
        let doc = json!({
            "server": server,
            "profile": results["profile"],
            "args": args,
            "leftovers": results["leftovers"].as_array().map(Vec::len).unwrap_or(0),
            "verdicts": got,
        });
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap() + "\n").unwrap();
        return;
    }
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (DCRSPEC_BLESS=1 writes it)", path.display()));
    let want: Value = serde_json::from_str(&text).unwrap();
    let want: BTreeMap<String, String> = serde_json::from_value(want["verdicts"].clone()).unwrap();
    let mut diff = Vec::new();
    for id in want
        .keys()
        .chain(got.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        let (w, g) = (want.get(id), got.get(id));
        if w != g {
            diff.push(format!(
                "  {id}: expected {}, got {}",
                w.map_or("-", String::as_str),
                g.map_or("-", String::as_str)
            ));
        }
    }
    assert!(
        diff.is_empty(),
        "{server} {args:?} differs from {file}:\n{}",
        diff.join("\n")
    );
}
