//! Loading suites: parse every file, merge them, and refuse anything inconsistent
//! before a single request is sent — an unknown or duplicate rule id, a duplicate
//! scenario, a client or capture used before it exists. Every error names the file
//! and the JSON pointer of the offending place.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::error::LoadError;
use crate::rules::Catalogue;

use super::capabilities::CLIENT_MANAGEMENT;
use super::{Suite, SuiteFile, capabilities, each, fixtures};

mod scenario;

use scenario::check_scenario;

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
