//! Judging one step's exchange: the step's preconditions, then its rule checks, then
//! the suite's invariants that apply to the answer. What breaks is kept as [`Broken`]
//! until the scenario ends and its findings are redacted. With `RunContext::exhaustive`
//! (the fault matrix's measure), every precondition and every expectation of an invariant
//! is judged too, and those that broke beyond what a user run reports are named in
//! `shadow`, never in findings.

use std::collections::BTreeSet;

use super::RunContext;
use crate::check::{self, Mismatch, Observed};
use crate::profile::Profile;
use crate::rules::Level;
use crate::schema::Operation;
use crate::suite::{Expect, Invariant, Step, When};
use crate::template::Vars;

/// A raw finding, redacted when the scenario ends.
pub(super) struct Broken {
    pub(super) rule: String,
    pub(super) level: Level,
    pub(super) step: String,
    pub(super) mismatch: Mismatch,
    pub(super) at: String,
    /// The expectation's `source`: where it is written.
    pub(super) source: String,
    pub(super) exchange: usize,
}

/// What judging a step found, beyond the [`Broken`] checks it recorded.
pub(super) struct Verdict {
    /// The first precondition that failed: the step's rule checks did not run.
    pub(super) precondition: Option<Mismatch>,
    /// A rule check at a failing level broke.
    pub(super) must_broke: bool,
}

/// One expectation against the answer, turned around for an inverted mutant.
fn evaluate(ctx: &RunContext, e: &Expect, seen: &Observed, vars: &Vars) -> Result<(), Mismatch> {
    let result = check::evaluate(&e.check, seen, vars, &ctx.contract);
    if !e.inverted {
        return result;
    }
    match result {
        Ok(()) => Err(Mismatch {
            expected: format!("not: {}", e.check.describe()),
            actual: "it held".into(),
        }),
        Err(_) => Ok(()),
    }
}

/// Judge the answer `seen` to `step` (exchange `exchange` of the scenario): record every
/// rule evaluated in `checked`, every check that broke in `broken`, and (exhaustive runs
/// only) the sources of broken expectations a user run would not report in `shadow`. The
/// invariants apply only to an exchange with a registration endpoint (`dcr`).
#[allow(clippy::too_many_arguments)]
pub(super) fn judge_step(
    ctx: &RunContext,
    step: &Step,
    seen: &Observed,
    vars: &Vars,
    exchange: usize,
    dcr: bool,
    checked: &mut BTreeSet<String>,
    broken: &mut Vec<Broken>,
    shadow: &mut BTreeSet<String>,
) -> Verdict {
    let mut must_broke = false;
    // Preconditions gate the step: if the server refused what the scenario needs,
    // the step's checks would judge the wrong thing, so none of them runs.
    let mut precondition = None;
    for e in step.expect.iter().filter(|e| e.rule.is_none()) {
        if let Err(m) = evaluate(ctx, e, seen, vars) {
            shadow.insert(e.source.clone());
            precondition.get_or_insert(m);
            if !ctx.exhaustive {
                break;
            }
        }
    }
    let checks = step.expect.iter().filter(|_| precondition.is_none());
    let refusal = authorization_refusal(seen);
    for (e, rule) in checks.filter_map(|e| e.rule.as_ref().map(|r| (e, r))) {
        if refusal && ERROR_BODY_RULES.contains(&rule.as_str()) {
            continue;
        }
        checked.insert(rule.clone());
        if let Err(m) = evaluate(ctx, e, seen, vars) {
            let level = ctx
                .catalogue
                .get(rule)
                .map(|r| r.level)
                .unwrap_or(Level::Must);
            must_broke |= level.is_failure();
            broken.push(Broken {
                rule: rule.clone(),
                level,
                step: step.name.clone(),
                mismatch: m,
                at: e.at.clone(),
                source: e.source.clone(),
                exchange,
            });
        }
    }
    for inv in ctx
        .invariants
        .iter()
        .filter(|i| dcr && invariant_applies(i, &ctx.profile, step, seen))
    {
        checked.insert(inv.rule.clone());
        // One defect, one finding: when the step's own check already broke this rule on
        // this exchange, the invariant would only repeat it.
        let mut reported = broken
            .iter()
            .any(|b| b.exchange == exchange && b.rule == inv.rule);
        if reported && !ctx.exhaustive {
            continue;
        }
        for e in &inv.expect {
            let Err(m) = evaluate(ctx, e, seen, vars) else {
                continue;
            };
            if reported {
                // Beyond the one finding per invariant and exchange a user run reports
                // (enough evidence): measured by an exhaustive run, never a finding.
                shadow.insert(e.source.clone());
                continue;
            }
            reported = true;
            let level = ctx
                .catalogue
                .get(&inv.rule)
                .map(|r| r.level)
                .unwrap_or(Level::Must);
            broken.push(Broken {
                rule: inv.rule.clone(),
                level,
                step: step.name.clone(),
                mismatch: m,
                at: e.at.clone(),
                source: e.source.clone(),
                exchange,
            });
            if !ctx.exhaustive {
                break;
            }
        }
    }
    Verdict {
        precondition,
        must_broke,
    }
}

/// A refused registration, whatever the probe: 401/403 belong to RFC 6750 (protected
/// registration), 404 to a server with registration off, 405 to a wrong method, 429 to
/// rate limiting; none of them refuses the metadata.
fn registration_error(seen: &Observed) -> bool {
    seen.operation == Some(Operation::Create)
        && (400..500).contains(&seen.status)
        && !matches!(seen.status, 401 | 403 | 404 | 405 | 429)
}

/// The rules of RFC 7591 §3.2.2's error answer: status, body, code, description.
const ERROR_BODY_RULES: &[&str] = &[
    "RFC7591-3.2.2-a",
    "RFC7591-3.2.2-b",
    "RFC7591-3.2.2-c",
    "RFC7591-3.2.2-d",
];

/// A registration refused for authorization (401 or 403) answers whether dcrspec may
/// register, not whether the metadata is right: RFC 7591 §3.1 allows protected
/// registration, and RFC 6750 §3.1 says such an answer "SHOULD NOT include an error code
/// or other error information". So the error-body rules ([`ERROR_BODY_RULES`]) never
/// judge it, in a step's own checks as in the `registration_error` invariants (issue 15,
/// 2b: Spring's bodiless 401 failed RFC7591-3.2.2-b eight times). Whether the scenario
/// can go on without a token is the protected-registration work's business.
fn authorization_refusal(seen: &Observed) -> bool {
    seen.operation == Some(Operation::Create) && matches!(seen.status, 401 | 403)
}

fn invariant_applies(inv: &Invariant, profile: &Profile, step: &Step, seen: &Observed) -> bool {
    let caps = profile.capabilities();
    if !inv.requires.iter().all(|r| caps.contains(r)) {
        return false;
    }
    match inv.when {
        // Only the DCR operations have documented errors: a method the endpoint does not
        // serve (PATCH, HEAD), the metadata document or the token endpoint answer outside
        // the contract, and judging them by it gave false failures (Hydra's router-level
        // 405 text/plain failed ory:error-shape).
        When::Error => seen.status >= 400 && seen.operation.is_some(),
        When::Unauthorized => seen.status == 401,
        When::RegistrationError => registration_error(seen),
        When::MetadataRefusal => {
            // Only the step knows it sent metadata to be refused (issue 15, 2a: Keycloak's
            // unknown_error to a wrongly typed member); 413 and 415 refuse the body, not
            // the metadata.
            step.register_if_accepted.is_some()
                && step.request.json.is_some()
                && registration_error(seen)
                && !matches!(seen.status, 413 | 415)
        }
        When::ClientBody => {
            // Create, read and update answer with the client; a body on a DELETE is some
            // other defect, judged by the delete rules.
            let client_op = matches!(
                seen.operation,
                Some(Operation::Create | Operation::Read | Operation::Update)
            );
            (200..300).contains(&seen.status) && client_op && !seen.body.is_empty()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invariant(when: When, requires: &[&str]) -> Invariant {
        Invariant {
            id: "i".into(),
            description: "d".into(),
            rule: "r".into(),
            when,
            requires: requires.iter().map(|r| r.to_string()).collect(),
            expect: Vec::new(),
            at: String::new(),
        }
    }

    fn any_step() -> Step {
        serde_json::from_value(serde_json::json!({
            "name": "s",
            "request": {"method": "GET"},
            "expect": []
        }))
        .unwrap()
    }

    fn seen(status: u16, operation: Option<Operation>, body: &[u8]) -> Observed<'_> {
        Observed {
            status,
            headers: &[],
            body,
            json: None,
            operation,
            origins: None,
        }
    }

    #[test]
    fn unauthorized_invariants_see_only_401s_under_their_capabilities() {
        let bearer = Profile::resolve("rfc7592").unwrap();
        let ory = Profile::resolve("ory").unwrap();
        let applies = |inv: &Invariant, profile: &Profile, status: u16, op: Option<Operation>| {
            let body: &[u8] = if op.is_some() { b"{}" } else { b"" };
            invariant_applies(inv, profile, &any_step(), &seen(status, op, body))
        };
        let inv = invariant(When::Unauthorized, &["auth:bearer"]);
        assert!(applies(&inv, &bearer, 401, None));
        assert!(!applies(&inv, &bearer, 400, None));
        assert!(!applies(&inv, &bearer, 403, None));
        assert!(!applies(&inv, &ory, 401, None));
        let errors = invariant(When::Error, &[]);
        assert!(applies(&errors, &ory, 403, Some(Operation::Delete)));
        assert!(!applies(&errors, &ory, 200, Some(Operation::Delete)));
        assert!(!applies(&errors, &ory, 405, None));
        let bodies = invariant(When::ClientBody, &[]);
        assert!(applies(&bodies, &ory, 200, Some(Operation::Read)));
        assert!(!applies(&bodies, &ory, 200, Some(Operation::Delete)));
    }

    #[test]
    fn authorization_refusals_of_a_create_are_not_judged_as_error_bodies() {
        // Spring Authorization Server without a token: 401, a Bearer challenge, no body.
        // Before, the step's RFC7591-3.2.2-b content_type check failed on it.
        for status in [401, 403] {
            assert!(authorization_refusal(&seen(
                status,
                Some(Operation::Create),
                b""
            )));
        }
        for (status, op) in [
            (400, Some(Operation::Create)),
            (401, Some(Operation::Read)),
            (201, Some(Operation::Create)),
        ] {
            assert!(!authorization_refusal(&seen(status, op, b"")));
        }
        assert!(ERROR_BODY_RULES.contains(&"RFC7591-3.2.2-b"));
    }

    #[test]
    fn metadata_refusals_are_refused_json_metadata_only() {
        let profile = Profile::resolve("rfc7592").unwrap();
        let inv = invariant(When::MetadataRefusal, &[]);
        let step = |spec: serde_json::Value| -> Step { serde_json::from_value(spec).unwrap() };
        let refused = step(serde_json::json!({
            "name": "register redirect_uris as a string",
            "register_if_accepted": "a",
            "request": {"method": "POST", "json": {"redirect_uris": "https://rp.example/cb"}},
            "expect": []
        }));
        let create = |status| seen(status, Some(Operation::Create), b"{}");
        assert!(invariant_applies(&inv, &profile, &refused, &create(400)));
        for status in [201, 401, 403, 413, 415, 429, 500] {
            assert!(
                !invariant_applies(&inv, &profile, &refused, &create(status)),
                "{status}"
            );
        }
        // A malformed body may be invalid_request; a step expecting success is no probe.
        let malformed = step(serde_json::json!({
            "name": "register {",
            "register_if_accepted": "a",
            "request": {"method": "POST", "body": "{", "content_type": "application/json"},
            "expect": []
        }));
        assert!(!invariant_applies(&inv, &profile, &malformed, &create(400)));
        let accepted = step(serde_json::json!({
            "name": "register",
            "register": "a",
            "request": {"method": "POST", "json": {}},
            "expect": []
        }));
        assert!(!invariant_applies(&inv, &profile, &accepted, &create(400)));
    }

    #[test]
    fn registration_errors_are_refused_creates_only() {
        let profile = Profile::resolve("rfc7592").unwrap();
        let inv = invariant(When::RegistrationError, &[]);
        let create = |status| seen(status, Some(Operation::Create), b"{}");
        assert!(invariant_applies(&inv, &profile, &any_step(), &create(400)));
        assert!(invariant_applies(&inv, &profile, &any_step(), &create(415)));
        for status in [201, 401, 403, 404, 405, 429, 500, 503] {
            assert!(
                !invariant_applies(&inv, &profile, &any_step(), &create(status)),
                "{status}"
            );
        }
        assert!(!invariant_applies(
            &inv,
            &profile,
            &any_step(),
            &seen(400, Some(Operation::Update), b"{}")
        ));
        assert!(!invariant_applies(
            &inv,
            &profile,
            &any_step(),
            &seen(400, None, b"{}")
        ));
    }
}
