//! The step loop of one scenario: each step's request built and sent, its answer
//! judged, its clients followed and its captures kept, then the clients deleted and the
//! result assembled. What a user run would have reported is kept apart for exhaustive runs.

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;
use std::time::Instant;

use serde_json::Value;

use crate::check::Observed;
use crate::http::{Request, Response};
use crate::outcome::{Leftover, Outcome, ScenarioResult};
use crate::redact::Redactor;
use crate::suite::Scenario;
use crate::template::{self, Vars};

use super::applies::{uncredentialed, unmanaged};
use super::capture::capture;
use super::clients::Client;
use super::findings::{findings, outcome};
use super::judge::{Broken, judge_step};
use super::{
    RunContext, cleanup, elapsed_ms, iat, metadata, offered, placeholder, random_token, request,
    retry,
};

/// What a user run would have reported when it stopped at a broken MUST check: an
/// exhaustive run goes on, then reports this.
struct UserView {
    exchanges: usize,
    broken: usize,
    checked: BTreeSet<String>,
    error: Option<String>,
    skipped: Option<String>,
    not_offered: Option<String>,
}

/// Run one applicable scenario to its result, and the clients it could not delete.
pub async fn run_scenario(ctx: &RunContext, sc: &Scenario) -> (ScenarioResult, Vec<Leftover>) {
    if let Some(reason) = ctx.stop.reason() {
        let reason = format!("{reason} before the scenario started");
        return (placeholder(sc, Outcome::Errored { reason }), Vec::new());
    }
    let started = Instant::now();
    let metadata_url = if metadata::reads_metadata(sc) {
        match metadata::url(ctx).await {
            Ok(url) => Some(url),
            Err(reason) => return (placeholder(sc, Outcome::Skipped { reason }), Vec::new()),
        }
    } else {
        None
    };
    let mut redactor = Redactor::default();
    iat::learn(ctx, &mut redactor);
    let mut vars = Vars::new();
    vars.insert("random".into(), Value::String(random_token()));
    vars.insert("issuer".into(), Value::String(ctx.metadata.issuer.clone()));
    vars.insert("issuers".into(), serde_json::json!(ctx.metadata.issuers));
    // Set when an `only_if` stops the scenario, or a step needs management credentials
    // the server never handed out: skipped, unless something broke before.
    let mut skipped: Option<String> = None;
    let mut error: Option<String> = None;
    for v in &sc.vars {
        match template::fill(&v.value, &vars) {
            Ok(value) => {
                if v.secret {
                    redactor.add(&value);
                }
                vars.insert(v.name.clone(), Value::String(value));
            }
            Err(e) => error = Some(format!("variable '{}': {e}", v.name)),
        }
    }
    let mut clients: Vec<Client> = Vec::new();
    // Each client's key in the run-wide registry, by index in `clients`.
    let mut keys: Vec<u64> = Vec::new();
    // Clients the server stored under an id dcrspec cannot use: deleted at cleanup only.
    let mut unusable_clients: Vec<Client> = Vec::new();
    let mut unusable_keys: Vec<u64> = Vec::new();
    let mut exchanges: Vec<(Request, Result<Response, String>)> = Vec::new();
    let mut broken: Vec<Broken> = Vec::new();
    let mut checked: BTreeSet<String> = BTreeSet::new();
    // Why the scenario does not apply after all: the server refused a registration
    // the scenario needs (`skip_if_refused`).
    let mut not_offered: Option<String> = None;
    let mut shadow: BTreeSet<String> = BTreeSet::new();
    let mut user_view: Option<UserView> = None;

    for step in &sc.steps {
        if error.is_some() {
            break;
        }
        if let Some(why) = unmanaged(&ctx.profile, step, &clients) {
            skipped = Some(why);
            break;
        }
        if let Some(reason) = ctx.stop.reason() {
            error = Some(format!("{reason} before step '{}'", step.name));
            break;
        }
        if let Some(cond) = &step.only_if {
            match metadata::unmet(cond, &vars) {
                Ok(None) => {}
                Ok(Some(why)) => {
                    skipped = Some(format!("step '{}': {why}", step.name));
                    break;
                }
                Err(e) => {
                    error = Some(format!("step '{}': {e}", step.name));
                    break;
                }
            }
        }
        // The initial access token, minted for this step only if it needs one.
        let mut token = None;
        if iat::named_in(&step.request) {
            match iat::mint(ctx, &mut redactor).await {
                Ok(t) => {
                    vars.insert(iat::VAR.into(), Value::String(t.clone()));
                    token = Some(t);
                }
                Err(e) => {
                    error = Some(format!("step '{}': {e}", step.name));
                    break;
                }
            }
        }
        let mut built =
            match request::build(&step.request, &ctx.base_url, &ctx.profile, &clients, &vars) {
                Ok(b) => b,
                Err(e) => {
                    error = Some(format!("step '{}': {e}", step.name));
                    break;
                }
            };
        let choice = iat::choose(ctx, Some(&step.request), built.operation, &built.request);
        if choice == iat::Choice::Token {
            let t = match token {
                Some(t) => t,
                None => match iat::mint(ctx, &mut redactor).await {
                    Ok(t) => t,
                    Err(e) => {
                        error = Some(format!("step '{}': {e}", step.name));
                        break;
                    }
                },
            };
            iat::authorize(&mut built.request, &t);
        }
        if step.request.endpoint == Some(crate::suite::Endpoint::Metadata) {
            // Not a DCR operation: the document the run found, not a profile path.
            built.request.url = metadata_url.clone().unwrap_or_default();
            built.operation = None;
        }
        if let Some(j) = &built.json {
            redactor.learn_json(j);
        }
        let sent = retry::send(&ctx.http, &ctx.stop, &built.request).await;
        ctx.requests.fetch_add(sent.requests, Ordering::Relaxed);
        let index = exchanges.len();
        // Kept once: a body can be as large as --max-body.
        exchanges.push((built.request.clone(), sent.result));
        if let Some(why) = sent.limited {
            // A 429 or 503 is no verdict: the answer is kept as evidence, not judged.
            error = Some(format!("step '{}': {why}", step.name));
            break;
        }
        let resp = match &exchanges[index].1 {
            Ok(r) => r,
            Err(e) => {
                error = Some(format!(
                    "step '{}': {} {}: {e}",
                    step.name,
                    built.request.method,
                    crate::redact::redact_query(&built.request.url)
                ));
                break;
            }
        };
        if let Some(why) = iat::refused(choice, resp.status) {
            // Kept as evidence, not judged: the server refused how dcrspec authorized it.
            error = Some(format!("step '{}': {why}", step.name));
            break;
        }
        let json: Option<Value> = serde_json::from_slice(&resp.body).ok();
        if let Some(j) = &json {
            redactor.learn_json(j);
        }
        if let Some(why) = offered::grant_not_offered(step, resp.status, json.as_ref()) {
            // The token endpoint does not grant what the scenario asks for: no verdict on
            // client authentication can be read from that answer.
            not_offered = Some(why);
            break;
        }
        let seen = Observed {
            status: resp.status,
            headers: &resp.headers,
            body: &resp.body,
            json: json.as_ref(),
            operation: built.operation,
            origins: ctx.http.origins(),
        };
        // The suites' invariants are about the registration endpoints' answers; the token
        // endpoint's are judged by its own scenarios' checks alone.
        let dcr = step.request.endpoint.is_none();
        let verdict = judge_step(
            ctx,
            step,
            &seen,
            &vars,
            index,
            dcr,
            &mut checked,
            &mut broken,
            &mut shadow,
        );
        let must_broke = verdict.must_broke;
        if let Some(m) = verdict.precondition {
            let registered = (200..300).contains(&resp.status);
            match uncredentialed(&ctx.profile, step, registered, json.as_ref()) {
                // A precondition on the credentials the server does not hand out at all.
                Some(why) => skipped = Some(why),
                None => {
                    error = Some(format!(
                        "step '{}': precondition failed: expected {}, got {}",
                        step.name, m.expected, m.actual
                    ))
                }
            }
        }
        let success = (200..300).contains(&resp.status);
        // A 5xx whose body is the client (a failure after the commit) stored it all the
        // same: it is tracked, so that cleanup deletes it or names it as left behind.
        let stored = success || resp.status >= 500;
        let registers = (step.register.as_ref().map(|n| (n, true)))
            .or(step.register_if_accepted.as_ref().map(|n| (n, false)));
        if let Some((name, required)) = registers {
            let stored_json = json.as_ref().filter(|_| stored);
            let usable =
                stored_json.and_then(|j| Client::from_registration(name, j, built.json.as_ref()));
            let unusable = match usable {
                Some(_) => None,
                None => stored_json
                    .and_then(|j| Client::from_unusable_registration(name, j, built.json.as_ref())),
            };
            for c in usable.iter().chain(&unusable) {
                for s in [&c.client_secret, &c.registration_access_token]
                    .into_iter()
                    .flatten()
                {
                    redactor.add(s);
                }
            }
            match (usable, unusable) {
                (Some(c), _) => {
                    c.publish(&mut vars);
                    keys.push(ctx.registry.add(&sc.id, &c));
                    clients.push(c);
                }
                // Stored, but the scenario cannot use it: only cleanup sees it.
                (None, Some(c)) => {
                    unusable_keys.push(ctx.registry.add(&sc.id, &c));
                    unusable_clients.push(c);
                    if required && !must_broke {
                        error.get_or_insert(format!(
                            "step '{}': the registered client cannot be used (its client_id \
                             is not a string, or the answer is not one JSON object)",
                            step.name
                        ));
                    }
                }
                (None, None) if !success && let Some(reason) = &step.skip_if_refused => {
                    not_offered = Some(format!(
                        "{reason} (step '{}': status {})",
                        step.name, resp.status
                    ));
                    break;
                }
                (None, None) if required && !must_broke => {
                    error.get_or_insert(format!(
                        "step '{}': no client was registered (status {}, no client_id in the body)",
                        step.name, resp.status
                    ));
                }
                (None, None) => {}
            }
        } else if (success || resp.status >= 500)
            // A request at another id (`as_id`) says nothing about this client.
            && step.request.as_id.is_none()
            && let Some(name) = &step.request.client
            && let Some(i) = clients.iter().position(|c| &c.name == name)
            // A 5xx is followed only when its body is the client (an update stored
            // before a failure): otherwise nothing says the server changed anything.
            && (success || clients[i].is_answered_by(json.as_ref()))
        {
            let c = &mut clients[i];
            c.follow(&built.request.method, built.json.as_ref(), json.as_ref());
            c.publish(&mut vars);
            if c.deleted {
                ctx.registry.remove(keys[i]);
            } else {
                ctx.registry.update(keys[i], c);
            }
        }
        if let Some(e) = capture(
            step,
            resp,
            json.as_ref(),
            &mut vars,
            &mut redactor,
            must_broke,
        ) {
            error.get_or_insert(e);
        }
        if skipped.is_some() {
            break; // the scenario does not apply from here on
        }
        if must_broke && user_view.is_none() {
            if !ctx.exhaustive {
                break; // later steps build on this one; their verdicts would be noise
            }
            user_view = Some(UserView {
                exchanges: exchanges.len(),
                broken: broken.len(),
                checked: checked.clone(),
                error: error.clone(),
                skipped: skipped.clone(),
                not_offered: not_offered.clone(),
            });
        }
    }
    let mut broken_checks: BTreeSet<String> = shadow;
    broken_checks.extend(broken.iter().map(|b| b.source.clone()));
    if let Some(view) = user_view {
        exchanges.truncate(view.exchanges);
        broken.truncate(view.broken);
        checked = view.checked;
        error = view.error;
        skipped = view.skipped;
        not_offered = view.not_offered;
    }

    clients.extend(unusable_clients);
    keys.extend(unusable_keys);
    let leftovers = cleanup(ctx, &sc.id, &clients, &keys, &mut redactor).await;
    let findings = findings(ctx, broken, &exchanges, &redactor);
    let outcome = match (skipped, not_offered) {
        // Nothing broke before the step that cannot be sent: the scenario does not apply.
        (Some(reason), _) if findings.is_empty() && error.is_none() => Outcome::Skipped { reason },
        (_, not_offered) => match (outcome(&findings, error, &redactor), not_offered) {
            // A refusal that broke a rule (an invariant on its error body) still counts.
            (Outcome::Passed, Some(reason)) => Outcome::Skipped {
                reason: redactor.text(&reason),
            },
            (outcome, _) => outcome,
        },
    };
    let result = ScenarioResult {
        id: sc.id.clone(),
        description: sc.description.clone(),
        file: sc.file.clone(),
        rules: sc.rules.clone(),
        outcome,
        findings,
        checked: checked.into_iter().collect(),
        exchanges: exchanges
            .iter()
            .map(|(q, r)| redactor.exchange(q, r, elapsed_ms(r)))
            .collect(),
        duration: started.elapsed(),
        broken_checks: broken_checks.into_iter().collect(),
    };
    (result, leftovers)
}
