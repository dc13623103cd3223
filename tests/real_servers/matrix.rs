//! The README's compatibility matrix, rendered from the committed verdict files.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::harness::root;

/// The README's compatibility matrix, rendered from the verdict files.
pub(crate) fn compatibility_matrix() -> String {
    let files = [
        (
            "tests/servers/hydra/expected/ory.json",
            "Hydra v2.3.0",
            "ory",
        ),
        (
            "tests/servers/hydra/expected/hydra.json",
            "Hydra v2.3.0",
            "hydra",
        ),
        (
            "tests/servers/hydra/expected/ory-bearer.json",
            "Hydra v2.3.0",
            "ory --management-auth bearer",
        ),
        (
            "tests/servers/hydra/expected/ory-disabled.json",
            "Hydra v2.3.0 (feature off)",
            "ory --disabled",
        ),
        (
            "tests/servers/hydra/expected/hydra-disabled.json",
            "Hydra v2.3.0 (feature off)",
            "hydra --disabled",
        ),
        (
            "tests/servers/oidc-provider/expected/rfc7592.json",
            "oidc-provider 9.13.3",
            "rfc7592",
        ),
        (
            "tests/servers/oidc-provider/expected/rfc7592-rotate.json",
            "oidc-provider 9.13.3 (rotating tokens)",
            "rfc7592",
        ),
        (
            "tests/servers/keycloak/expected/rfc7592-anonymous.json",
            "Keycloak 26.4.7 (anonymous, trusted host)",
            "rfc7592",
        ),
        (
            "tests/servers/keycloak/expected/rfc7592-iat.json",
            "Keycloak 26.4.7 (initial access token)",
            "rfc7592",
        ),
        (
            "tests/servers/spring-authorization-server/expected/rfc7592-iat.json",
            "Spring Authorization Server 7.0.6 (token of scope client.create)",
            "rfc7592",
        ),
        (
            "tests/servers/mcp-typescript/expected/rfc7592.json",
            "MCP TypeScript SDK 1.32.2 (no rate limit)",
            "rfc7592",
        ),
        (
            "tests/servers/mcp-typescript/expected/rfc7591.json",
            "MCP TypeScript SDK 1.32.2 (no rate limit)",
            "rfc7591",
        ),
        (
            "tests/servers/mcp-typescript/expected/mcp.json",
            "MCP TypeScript SDK 1.32.2 (no rate limit)",
            "mcp",
        ),
        (
            "tests/servers/mcp-python/expected/rfc7592.json",
            "MCP Python SDK 2.3.0",
            "rfc7592",
        ),
        (
            "tests/servers/mcp-python/expected/rfc7591.json",
            "MCP Python SDK 2.3.0",
            "rfc7591",
        ),
        (
            "tests/servers/mcp-python/expected/mcp.json",
            "MCP Python SDK 2.3.0",
            "mcp",
        ),
    ];
    let mut rows = Vec::new();
    let mut groups = std::collections::BTreeSet::new();
    for (file, server, profile) in files {
        let Ok(text) = std::fs::read_to_string(root().join(file)) else {
            continue;
        };
        let doc: Value = serde_json::from_str(&text).unwrap();
        let mut per_group: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for (id, verdict) in doc["verdicts"].as_object().unwrap() {
            let group = group_of(id);
            groups.insert(group.clone());
            *per_group
                .entry(group)
                .or_default()
                .entry(verdict.as_str().unwrap().to_string())
                .or_default() += 1;
        }
        rows.push((server, profile, per_group));
    }
    let mut out = String::from("| server | profile |");
    for g in &groups {
        out.push_str(&format!(" {g} |"));
    }
    out.push_str("\n|---|---|");
    out.push_str(&"---|".repeat(groups.len()));
    out.push('\n');
    for (server, profile, per_group) in rows {
        out.push_str(&format!("| {server} | `{profile}` |"));
        for g in &groups {
            let cell = per_group.get(g).map(|counts| {
                ["pass", "fail", "error", "warn"]
                    .iter()
                    .filter_map(|v| counts.get(*v).map(|n| format!("{n} {v}")))
                    .collect::<Vec<_>>()
                    .join(", ")
            });
            let cell = cell.filter(|c| !c.is_empty()).unwrap_or_else(|| "–".into());
            out.push_str(&format!(" {cell} |"));
        }
        out.push('\n');
    }
    out
}

/// The rule family ("ory", "RFC7591", "OIDCR"), as every report groups rules.
fn group_of(id: &str) -> String {
    dcrspec::rules::family(id).to_string()
}
