//! Deleting what a run created: each scenario's clients when it ends, and after a
//! stop (deadline, Ctrl-C, SIGTERM) everything still in the run's registry. A client is
//! deleted with the management credential the profile names for it, and only at an
//! origin the run may send to; a deletion is read back, because a server may answer 204
//! and keep the client.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::Value;

use crate::http::Request;
use crate::outcome::{Leftover, LeftoverCause, REGISTRATION_ONLY_REASON};
use crate::profile::{ClientLocation, ManagementAuth, Profile};
use crate::redact::Redactor;
use crate::suite::{AuthSpec, Method, RequestSpec};
use crate::template::Vars;

use super::clients::Client;
use super::registry;
use super::{RunContext, request, retry};

/// Delete every client the scenario registered and did not delete itself. A client
/// that cannot be deleted is a leftover of this scenario; once the run is stopped the
/// rest stay in the registry for `drain`. `scenario` names the scenario (or fuzz
/// property) in the leftovers; `keys` are the clients' registry keys.
pub async fn cleanup(
    ctx: &RunContext,
    scenario: &str,
    clients: &[Client],
    keys: &[u64],
    redactor: &mut Redactor,
) -> Vec<Leftover> {
    let mut leftovers = Vec::new();
    if !ctx.profile.client_management {
        // Nothing to delete with: every client stays, and is named as such at once.
        for (c, key) in clients.iter().zip(keys) {
            ctx.registry.remove(*key);
            leftovers.push(registration_only(&c.client_id, scenario));
        }
        return leftovers;
    }
    // A server may answer two registrations with one client: it is deleted once.
    let mut gone: BTreeSet<&str> = BTreeSet::new();
    for (c, key) in clients.iter().zip(keys) {
        if ctx.stop.reason().is_some() {
            break; // the rest stay in the registry for `drain`
        }
        if gone.contains(c.client_id.as_str()) {
            ctx.registry.remove(*key);
            continue;
        }
        let deletion = if c.deleted {
            // The scenario deleted it: make sure the server did.
            verify_deleted(ctx, c).await
        } else {
            delete_client(ctx, c, redactor, true).await
        };
        match deletion {
            Deletion::Deleted => {
                gone.insert(&c.client_id);
                ctx.registry.remove(*key)
            }
            Deletion::Failed(reason) => {
                ctx.registry.remove(*key);
                leftovers.push(Leftover {
                    client_id: c.client_id.clone(),
                    scenario: scenario.to_string(),
                    reason,
                    cause: LeftoverCause::NotDeleted,
                });
            }
            Deletion::Stopped => break,
        }
    }
    leftovers
}

/// How an attempt to delete a client ended.
enum Deletion {
    Deleted,
    /// Every credential was refused, or the server did not answer; the redacted reason.
    Failed(String),
    /// The run stopped between attempts; the client is left to `drain`.
    Stopped,
}

/// Delete one client with the management credential the profile names for it, in the
/// way it names it (`request::management_method`): the current secret, then earlier ones
/// if the server may have failed to apply a change. No other credential is tried: a
/// secret put in a URL query or sent as Basic to a server that never asked for it ends up
/// in access logs. A transport error ends the attempts: a server that does not answer
/// one DELETE will not answer the next. `interruptible`: give up between attempts once
/// the run is stopped.
async fn delete_client(
    ctx: &RunContext,
    c: &Client,
    redactor: &mut Redactor,
    interruptible: bool,
) -> Deletion {
    let m = match request::management_method(&ctx.profile, c) {
        Ok(m) => m,
        Err(e) => return Deletion::Failed(e),
    };
    let profile = deletion_profile(ctx, c);
    let mut last = String::from("no credentials to delete it with");
    // The current credential first, then the earlier ones, newest first.
    let earlier = if m == ManagementAuth::Bearer {
        &c.previous_tokens
    } else {
        &c.previous_secrets
    };
    let mut credentials: Vec<Option<String>> = vec![None];
    credentials.extend(earlier.iter().rev().cloned().map(Some));
    for credential in credentials {
        if interruptible && ctx.stop.reason().is_some() {
            return Deletion::Stopped;
        }
        let mut spec = RequestSpec::on_client(Method::DELETE, &c.name, Some(m));
        if let Some(AuthSpec::Credentials(cred)) = &mut spec.auth
            && credential.is_some()
        {
            let placeholder = Some("{{cleanup.credential}}".to_string());
            if m == ManagementAuth::Bearer {
                cred.token = placeholder;
            } else {
                cred.secret = placeholder;
            }
        }
        // An earlier credential goes in as a literal: escape nothing, it has no braces we add.
        let mut vars = Vars::new();
        if let Some(s) = &credential {
            vars.insert("cleanup.credential".into(), Value::String(s.clone()));
        }
        let built = match request::build(
            &spec,
            &ctx.base_url,
            &profile,
            std::slice::from_ref(c),
            &vars,
        ) {
            Ok(b) => b,
            Err(e) => {
                last = e;
                continue;
            }
        };
        let sent = retry::send(&ctx.http, &ctx.stop, &built.request).await;
        ctx.requests.fetch_add(sent.requests, Ordering::Relaxed);
        if let Some(why) = sent.limited {
            // Another credential would meet the same limiter.
            return Deletion::Failed(format!("DELETE not judged: {why}"));
        }
        match &sent.result {
            Ok(r) if (200..300).contains(&r.status) => {
                let said = format!("DELETE answered {}", r.status);
                return still_there(ctx, c, built.request, said).await;
            }
            Ok(r) => {
                last = format!("DELETE answered {} ({})", r.status, m.as_str());
                if let Ok(j) = serde_json::from_slice::<Value>(&r.body) {
                    redactor.learn_json(&j);
                }
            }
            Err(e) => return Deletion::Failed(redactor.text(&format!("DELETE failed: {e}"))),
        }
    }
    Deletion::Failed(redactor.text(&last))
}

/// The profile to address `c` with when cleaning up: the run's, unless it takes the
/// client's `registration_client_uri` and that is on an origin the run does not send
/// to. Then the client is addressed at the target's `client_path` instead (the URL the
/// profile names for ids it has no URI for), with the same credential: what can be
/// deleted at the target is, and nothing goes to the other origin.
fn deletion_profile<'p>(ctx: &'p RunContext, c: &Client) -> Cow<'p, Profile> {
    let elsewhere = ctx.profile.client_location == ClientLocation::RegistrationClientUri
        && c.registration_client_uri
            .as_deref()
            .is_some_and(|uri| ctx.http.origins().is_some_and(|o| !o.allows(uri)));
    if !elsewhere {
        return Cow::Borrowed(&ctx.profile);
    }
    let mut profile = ctx.profile.clone();
    profile.client_location = ClientLocation::PathTemplate;
    Cow::Owned(profile)
}

/// A DELETE answered 2xx: read the client back with the same credentials (`request`
/// is that DELETE, sent again as a GET). Only a 2xx naming this client proves it is
/// still there (a server that answers 204 and keeps the client); a read still rate
/// limited leaves it named as a leftover; anything else, including no answer, counts as
/// deleted.
async fn still_there(ctx: &RunContext, c: &Client, mut request: Request, said: String) -> Deletion {
    if ctx.stop.reason().is_some() {
        // Stopping: the time left is for deleting, not for double-checking.
        return Deletion::Deleted;
    }
    request.method = "GET".into();
    let read = retry::send(&ctx.http, &ctx.stop, &request).await;
    ctx.requests.fetch_add(read.requests, Ordering::Relaxed);
    if let Some(why) = read.limited {
        // Unknown whether the client is gone: named, so that someone looks.
        return Deletion::Failed(format!("{said}, but reading it back was {why}"));
    }
    let read = read.result;
    let names_it = |body: &[u8]| {
        serde_json::from_slice::<Value>(body)
            .ok()
            .is_some_and(|j| j.get("client_id").and_then(Value::as_str) == Some(&c.client_id))
    };
    match read {
        Ok(r) if (200..300).contains(&r.status) && names_it(&r.body) => Deletion::Failed(format!(
            "{said}, but the client is still there (GET answered {})",
            r.status
        )),
        _ => Deletion::Deleted,
    }
}

/// A client the scenario deleted, read back with the profile's credentials.
async fn verify_deleted(ctx: &RunContext, c: &Client) -> Deletion {
    let spec = RequestSpec::on_client(Method::GET, &c.name, None);
    let vars = Vars::new();
    let slice = std::slice::from_ref(c);
    let profile = deletion_profile(ctx, c);
    match request::build(&spec, &ctx.base_url, &profile, slice, &vars) {
        Ok(built) => {
            let said = "the scenario's DELETE succeeded".to_string();
            still_there(ctx, c, built.request, said).await
        }
        Err(_) => Deletion::Deleted,
    }
}

/// Delete every client still in the registry: after a stop, or anything a scenario
/// could not account for. All at once, within `budget`; what is not deleted by then is
/// a leftover, named with its id and the reason.
pub async fn drain(ctx: Arc<RunContext>, budget: Duration) -> Vec<Leftover> {
    // Entries stay in the registry until deleted or reported, so that an abort during
    // the drain can still name them.
    let (keys, entries): (Vec<u64>, Vec<registry::Entry>) =
        ctx.registry.snapshot().into_iter().unzip();
    if entries.is_empty() {
        return Vec::new();
    }
    if !ctx.profile.client_management {
        for key in keys {
            ctx.registry.remove(key);
        }
        return entries
            .iter()
            .map(|e| registration_only(&e.client.client_id, &e.scenario))
            .collect();
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (index, entry) in entries.iter().cloned().enumerate() {
        let ctx = ctx.clone();
        tasks.spawn(async move {
            let mut redactor = Redactor::default();
            super::iat::learn(&ctx, &mut redactor);
            for s in [
                &entry.client.client_secret,
                &entry.client.registration_access_token,
            ]
            .into_iter()
            .flatten()
            .chain(&entry.client.previous_secrets)
            .chain(&entry.client.previous_tokens)
            {
                redactor.add(s);
            }
            (
                index,
                delete_client(&ctx, &entry.client, &mut redactor, false).await,
            )
        });
    }
    let mut outcome: Vec<Option<Deletion>> = entries.iter().map(|_| None).collect();
    let until = tokio::time::Instant::now() + budget;
    while let Ok(Some(joined)) = tokio::time::timeout_at(until, tasks.join_next()).await {
        if let Ok((index, d)) = joined {
            ctx.registry.remove(keys[index]);
            outcome[index] = Some(d);
        }
    }
    tasks.abort_all();
    for key in keys {
        ctx.registry.remove(key);
    }
    entries
        .into_iter()
        .zip(outcome)
        .filter_map(|(e, d)| {
            let reason = match d {
                Some(Deletion::Deleted) => return None,
                Some(Deletion::Failed(reason)) => reason,
                Some(Deletion::Stopped) | None => format!(
                    "the cleanup after the run did not finish within {} s",
                    budget.as_secs()
                ),
            };
            Some(Leftover {
                client_id: e.client.client_id,
                scenario: e.scenario,
                reason,
                cause: LeftoverCause::NotDeleted,
            })
        })
        .collect()
}

/// A client of a registration-only run: left by design, not by a failed deletion.
fn registration_only(client_id: &str, scenario: &str) -> Leftover {
    Leftover {
        client_id: client_id.to_string(),
        scenario: scenario.to_string(),
        reason: REGISTRATION_ONLY_REASON.to_string(),
        cause: LeftoverCause::RegistrationOnly,
    }
}
