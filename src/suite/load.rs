//! Loading suites: parse every file, merge them, and refuse anything inconsistent
//! before a single request is sent — an unknown or duplicate rule id, a duplicate
//! scenario, a client or capture used before it exists. Every error names the file
//! and the JSON pointer of the offending place.

use crate::runner::iat::VAR as IAT_VAR;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::error::LoadError;
use crate::rules::Catalogue;

use super::capabilities::CLIENT_MANAGEMENT;
use super::{AuthSpec, Endpoint, Expect, Scenario, Suite, SuiteFile, capabilities, each, fixtures};
use crate::profile::ManagementAuth;

/// Fields every registered client exposes to templates as `<name>.<field>`.
pub const CLIENT_FIELDS: &[&str] = &[
    "client_id",
    "client_secret",
    "registration_access_token",
    "registration_client_uri",
];

/// The suites compiled into the binary.
pub fn embedded() -> Result<Suite, LoadError> {
    super::sources::load(None, &[])
}

/// Every `*.json` file under `dir`, recursively, in path order.
pub fn from_dir(dir: &Path) -> Result<Suite, LoadError> {
    super::sources::load(Some(dir), &[])
}

/// Parse and check named suite texts.
pub fn from_sources(files: Vec<(String, String)>) -> Result<Suite, LoadError> {
    let mut suite = Suite::default();
    let mut rules = Vec::new();
    let mut rule_origin: BTreeMap<String, String> = BTreeMap::new();
    let mut scenario_origin: BTreeMap<String, String> = BTreeMap::new();
    let mut invariant_origin: BTreeMap<String, String> = BTreeMap::new();
    let mut declared: BTreeSet<String> = BTreeSet::new();
    let fixtures = fixtures::collect(&files)?;
    for (name, text) in files {
        let (parsed, origin, uses) = parse(&name, &text, &fixtures)?;
        declared.extend(parsed.capabilities.iter().cloned());
        for (i, rule) in parsed.rules.into_iter().enumerate() {
            let here = format!("{name}#/rules/{i}");
            if rule.id.trim().is_empty() || rule.quote.trim().is_empty() {
                return Err(LoadError::new(
                    here,
                    "a rule needs a non-empty id and quote",
                ));
            }
            if let Some(first) = rule_origin.insert(rule.id.clone(), here.clone()) {
                return Err(LoadError::new(
                    here,
                    format!("duplicate rule id '{}' (first at {first})", rule.id),
                ));
            }
            rules.push(rule);
        }
        for (i, mut inv) in parsed.invariants.into_iter().enumerate() {
            inv.at = format!("{name}#/invariants/{i}");
            if let Some(first) = invariant_origin.insert(inv.id.clone(), inv.at.clone()) {
                return Err(LoadError::new(
                    &inv.at,
                    format!("duplicate invariant id '{}' (first at {first})", inv.id),
                ));
            }
            for (k, e) in inv.expect.iter_mut().enumerate() {
                e.at = format!("{}/expect/{k}", inv.at);
                e.source = e.at.clone();
            }
            suite.invariants.push(inv);
        }
        for (i, mut sc) in parsed.scenarios.into_iter().enumerate() {
            sc.file = name.clone();
            let written = origin.as_ref().and_then(|o| o.get(i)).unwrap_or(&i);
            sc.at = format!("{name}#/scenarios/{written}");
            if let Some(first) = scenario_origin.insert(sc.id.clone(), sc.at.clone()) {
                return Err(LoadError::new(
                    &sc.at,
                    format!("duplicate scenario id '{}' (first at {first})", sc.id),
                ));
            }
            for (j, step) in sc.steps.iter_mut().enumerate() {
                step.at = format!("{}/steps/{j}", sc.at);
                let fixture = uses.get(&(*written, j));
                for (k, e) in step.expect.iter_mut().enumerate() {
                    e.at = format!("{}/expect/{k}", step.at);
                    e.source = match fixture {
                        Some(f) => format!("{f}/expect/{k}"),
                        None => e.at.clone(),
                    };
                }
            }
            let configures = sc
                .steps
                .iter()
                .any(|s| s.request.client.is_some() || s.request.client_id.is_some());
            if configures && !sc.requires.iter().any(|r| r == CLIENT_MANAGEMENT) {
                sc.requires.push(CLIENT_MANAGEMENT.to_string());
            }
            suite.scenarios.push(sc);
        }
    }
    suite.catalogue = Catalogue::new(rules);
    for inv in &suite.invariants {
        if !suite.catalogue.contains(&inv.rule) {
            return Err(LoadError::new(
                &inv.at,
                format!("unknown rule id '{}'", inv.rule),
            ));
        }
        if inv.expect.is_empty() {
            return Err(LoadError::new(
                &inv.at,
                "an invariant needs at least one expectation",
            ));
        }
        if let Some(e) = inv.expect.iter().find(|e| e.rule.is_some()) {
            return Err(LoadError::new(
                &e.at,
                "expectations of an invariant take its rule; drop `rule` here",
            ));
        }
    }
    for sc in &suite.scenarios {
        check_requires(&sc.requires, &sc.at, &declared)?;
        check_scenario(sc, &suite.catalogue)?;
    }
    for inv in &suite.invariants {
        check_requires(&inv.requires, &inv.at, &declared)?;
    }
    Ok(suite)
}

/// One file's text into a `SuiteFile`, its `use` steps and `for_each` scenarios expanded,
/// for each scenario the index it has as written (`None`: as parsed), and the steps
/// fixtures replaced (for each expectation's `source`). An error names
/// the JSON pointer where it went wrong (and the line and column, for a file without
/// either, parsed from its text).
fn parse(
    name: &str,
    text: &str,
    fixtures: &BTreeMap<String, (String, serde_json::Value)>,
) -> Result<(SuiteFile, Option<Vec<usize>>, fixtures::Uses), LoadError> {
    // Only a file that may use either goes through a `Value`: it costs memory, and a run's
    // peak resident size is measured (tests/hostile).
    let may_expand = text.contains("\"use\"") || text.contains("\"for_each\"");
    if let Some(mut doc) = may_expand
        .then(|| serde_json::from_str::<serde_json::Value>(text).ok())
        .flatten()
    {
        let used = fixtures::expand(name, &mut doc, fixtures)?;
        let origin = each::expand(name, &mut doc)?;
        if !used.is_empty() || origin.is_some() {
            let file = serde_path_to_error::deserialize(doc).map_err(|e| {
                let mut pointer = pointer(e.path());
                // A pointer into an expanded scenario names the scenario as written.
                if let (Some(origin), Some(rest)) = (&origin, pointer.strip_prefix("/scenarios/")) {
                    let (k, tail) = rest.split_once('/').unwrap_or((rest, ""));
                    if let Some(i) = k.parse::<usize>().ok().and_then(|k| origin.get(k)) {
                        pointer = format!("/scenarios/{i}/{tail}")
                            .trim_end_matches('/')
                            .into();
                    }
                }
                LoadError::new(format!("{name}#{pointer}"), e.into_inner().to_string())
            })?;
            return Ok((file, origin, used));
        }
    }
    let de = &mut serde_json::Deserializer::from_str(text);
    let file = serde_path_to_error::deserialize(de).map_err(|e| {
        let pointer = pointer(e.path());
        let inner = e.into_inner();
        let (line, column) = (inner.line(), inner.column());
        // serde_json ends its message with the position, which this error gives first.
        let message = inner.to_string();
        let message = message
            .strip_suffix(&format!(" at line {line} column {column}"))
            .unwrap_or(&message);
        let source = if pointer.is_empty() {
            name.to_string()
        } else {
            format!("{name}#{pointer}")
        };
        LoadError::new(source, format!("line {line}, column {column}: {message}"))
    })?;
    Ok((file, None, fixtures::Uses::new()))
}

/// A serde path as a JSON pointer: `/scenarios/3/steps/0/request/auth`.
fn pointer(path: &serde_path_to_error::Path) -> String {
    path.iter()
        .filter_map(|seg| match seg {
            serde_path_to_error::Segment::Seq { index } => Some(format!("/{index}")),
            serde_path_to_error::Segment::Map { key } => {
                Some(format!("/{}", key.replace('~', "~0").replace('/', "~1")))
            }
            _ => None,
        })
        .collect()
}

/// Every required capability is one some profile can grant: a typo would skip forever.
fn check_requires(
    requires: &[String],
    at: &str,
    declared: &BTreeSet<String>,
) -> Result<(), LoadError> {
    for (j, cap) in requires.iter().enumerate() {
        if !capabilities::is_known(cap, declared) {
            return Err(LoadError::new(
                format!("{at}/requires/{j}"),
                format!(
                    "unknown capability '{cap}'; known: {} (a suite file may declare its own in `capabilities`)",
                    capabilities::choices(declared)
                ),
            ));
        }
    }
    Ok(())
}

/// The per-scenario checks: rules resolve and are all exercised; every client and
/// template name is defined by an earlier step.
fn check_scenario(sc: &Scenario, catalogue: &Catalogue) -> Result<(), LoadError> {
    if sc.steps.is_empty() {
        return Err(LoadError::new(&sc.at, "a scenario needs at least one step"));
    }
    if sc.rules.is_empty() {
        return Err(LoadError::new(
            &sc.at,
            "a scenario must name the rules it checks",
        ));
    }
    for (i, r) in sc.rules.iter().enumerate() {
        if !catalogue.contains(r) {
            return Err(LoadError::new(
                format!("{}/rules/{i}", sc.at),
                format!("unknown rule id '{r}'"),
            ));
        }
    }
    let mut defined: BTreeSet<String> = BTreeSet::new();
    defined.extend(crate::template::RESERVED.map(String::from));
    // Minted by the runner for the step that names it (protected registration).
    defined.insert(IAT_VAR.into());
    for (i, v) in sc.vars.iter().enumerate() {
        let here = format!("{}/vars/{i}", sc.at);
        if v.name.contains('.')
            || crate::template::RESERVED.contains(&v.name.as_str())
            || v.name == IAT_VAR
            || !defined.insert(v.name.clone())
        {
            return Err(LoadError::new(
                here,
                format!("variable name '{}' is reserved or repeated", v.name),
            ));
        }
        need_defined(&crate::template::names_in(&v.value), &defined, &here)?;
    }
    let mut clients: BTreeSet<String> = BTreeSet::new();
    let mut maybe: BTreeSet<String> = BTreeSet::new();
    let mut checked: BTreeSet<&str> = BTreeSet::new();
    for step in &sc.steps {
        let req = &step.request;
        let here = format!("{}/request", step.at);
        if req.client.is_some() && req.client_id.is_some() {
            return Err(LoadError::new(
                here,
                "give `client` or `client_id`, not both",
            ));
        }
        if [req.json.is_some(), req.body.is_some(), !req.form.is_empty()]
            .iter()
            .filter(|b| **b)
            .count()
            > 1
        {
            return Err(LoadError::new(
                here,
                "give one of `json`, `body` or `form`, not several",
            ));
        }
        if req.endpoint == Some(Endpoint::Token) {
            if req.client.is_some() || req.client_id.is_some() {
                return Err(LoadError::new(
                    here,
                    "`endpoint: token` names the token endpoint: no `client` or `client_id`",
                ));
            }
            if let Some(AuthSpec::Credentials(c)) = &req.auth
                && c.method == Some(ManagementAuth::Bearer)
            {
                return Err(LoadError::new(
                    format!("{here}/auth"),
                    "at the token endpoint a client authenticates with client_secret_basic or client_secret_post, not bearer",
                ));
            }
        }
        let mut used = Vec::new();
        let mut used_clients = Vec::new();
        if let Some(c) = &req.client {
            used_clients.push(c.clone());
        }
        if let Some(id) = &req.client_id {
            used.extend(crate::template::names_in(id));
        }
        if let Some(id) = &req.as_id {
            if req.client.is_none() {
                return Err(LoadError::new(here, "`as_id` goes with `client`"));
            }
            used.extend(crate::template::names_in(id));
        }
        if let Some(AuthSpec::Credentials(c)) = &req.auth {
            if let Some(name) = &c.client {
                used_clients.push(name.clone());
            }
            for t in [&c.id, &c.secret, &c.token].into_iter().flatten() {
                used.extend(crate::template::names_in(t));
            }
            if c.client.is_none() && c.method.is_none() {
                return Err(LoadError::new(
                    format!("{here}/auth"),
                    "credentials need a `client` or a `method`",
                ));
            }
        }
        for t in req
            .query
            .values()
            .chain(req.form.values())
            .chain(req.headers.values())
            .chain(req.body.iter())
        {
            used.extend(crate::template::names_in(t));
        }
        if let Some(j) = &req.json {
            used.extend(crate::template::names_in_value(j));
        }
        for c in &used_clients {
            if !clients.contains(c) {
                return Err(LoadError::new(
                    &here,
                    format!("client '{c}' is used before a step registers it"),
                ));
            }
        }
        if req.endpoint.is_some() && (req.client.is_some() || req.client_id.is_some()) {
            return Err(LoadError::new(
                &here,
                "`endpoint` names the request's target: give it without `client` or `client_id`",
            ));
        }
        if let Some(c) = &step.only_if {
            used.push(c.var.clone());
            used.extend(crate::template::names_in(&c.contains));
        }
        need_defined(&used, &defined, &here)?;
        for e in &step.expect {
            need_defined(&e.check.template_names(), &defined, &e.at)?;
            check_expect_rule(e, sc, catalogue)?;
            if let Some(r) = &e.rule {
                checked.insert(r);
            }
        }
        if let Some(name) = &step.register_if_accepted {
            if step.register.is_some() {
                return Err(LoadError::new(
                    &step.at,
                    "give `register` or `register_if_accepted`, not both",
                ));
            }
            // Named for cleanup only: the client may not exist, so no step can use it.
            if name.contains('.') || clients.contains(name) || !maybe.insert(name.clone()) {
                return Err(LoadError::new(
                    &step.at,
                    format!("client name '{name}' is invalid or registered twice"),
                ));
            }
        }
        if step.skip_if_refused.is_some()
            && step.register.is_none()
            && step.request.endpoint != Some(Endpoint::Token)
        {
            return Err(LoadError::new(
                &step.at,
                "`skip_if_refused` goes with `register` or a request to the token endpoint",
            ));
        }
        if let Some(name) = &step.register {
            if name.contains('.') || maybe.contains(name) || !clients.insert(name.clone()) {
                return Err(LoadError::new(
                    &step.at,
                    format!("client name '{name}' is invalid or registered twice"),
                ));
            }
            for f in CLIENT_FIELDS {
                defined.insert(format!("{name}.{f}"));
            }
            // The client's own method, so scenarios can assert on it by name.
            defined.insert(format!("{name}.token_endpoint_auth_method"));
        }
        for (k, c) in step.capture.iter().enumerate() {
            let at = format!("{}/capture/{k}", step.at);
            if c.name.contains('.')
                || crate::template::RESERVED.contains(&c.name.as_str())
                || c.name == IAT_VAR
            {
                return Err(LoadError::new(
                    at,
                    format!("capture name '{}' is reserved", c.name),
                ));
            }
            match (&c.json, &c.header) {
                (Some(p), None) if p.is_empty() || p.starts_with('/') => {}
                (Some(_), None) => return Err(LoadError::new(at, "`json` takes a JSON pointer")),
                (None, Some(h)) if !h.trim().is_empty() => {}
                _ => {
                    return Err(LoadError::new(
                        at,
                        "a capture takes exactly one of `json` (a JSON pointer) or `header`",
                    ));
                }
            }
            defined.insert(c.name.clone());
        }
    }
    if let Some(r) = sc.rules.iter().find(|r| !checked.contains(r.as_str())) {
        return Err(LoadError::new(
            &sc.at,
            format!("rule '{r}' is named but no expectation checks it"),
        ));
    }
    Ok(())
}

fn check_expect_rule(e: &Expect, sc: &Scenario, catalogue: &Catalogue) -> Result<(), LoadError> {
    let Some(r) = &e.rule else { return Ok(()) };
    if !catalogue.contains(r) {
        return Err(LoadError::new(&e.at, format!("unknown rule id '{r}'")));
    }
    if !sc.rules.contains(r) {
        return Err(LoadError::new(
            &e.at,
            format!("rule '{r}' is checked here but not named in the scenario's rules"),
        ));
    }
    Ok(())
}

fn need_defined(names: &[String], defined: &BTreeSet<String>, at: &str) -> Result<(), LoadError> {
    match names.iter().find(|n| !defined.contains(*n)) {
        Some(n) => Err(LoadError::new(
            at,
            format!("'{{{{{n}}}}}' is used before it is set"),
        )),
        None => Ok(()),
    }
}
