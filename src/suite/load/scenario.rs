//! The load-time checks of one scenario: it has steps, its rules resolve and each is
//! exercised, and every client, capture and template name it uses is defined by an
//! earlier step.

use std::collections::BTreeSet;

use crate::error::LoadError;
use crate::profile::ManagementAuth;
use crate::rules::Catalogue;
use crate::runner::iat::VAR as IAT_VAR;
use crate::suite::{AuthSpec, Endpoint, Expect, Scenario};

use super::CLIENT_FIELDS;

/// The per-scenario checks: rules resolve and are all exercised; every client and
/// template name is defined by an earlier step.
pub(super) fn check_scenario(sc: &Scenario, catalogue: &Catalogue) -> Result<(), LoadError> {
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
