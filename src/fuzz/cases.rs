//! One generated case of each property against the target: its requests, its checks and
//! its cleanup. A case stops at the first broken check; every client it registered is
//! deleted before it returns (the runner's cleanup), and everything it recorded is
//! redacted on the way out.
//!
//! This file holds what every case shares (sending, recording, the case's clients,
//! finishing); each property's steps are in its own submodule.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::http::{Request, Response};
use crate::outcome::{Exchange, Finding, Leftover};
use crate::redact::Redactor;
use crate::rules::Level;
use crate::runner::clients::Client;
use crate::runner::{self, RunContext, iat};

pub const VALID_ACCEPTED: &str = "fuzz:valid-accepted";
pub const VALID_READBACK: &str = "fuzz:valid-readback";
pub const SECRET_LIFECYCLE: &str = "fuzz:secret-lifecycle";
pub const INVALID_REJECTED: &str = "fuzz:invalid-rejected";
pub const CONCURRENT_PUT: &str = "fuzz:concurrent-put";

const JSON: &str = "application/json";
/// Recorded bodies are cut here: a generated body can be megabytes, and the reports keep
/// every exchange they are given. The full body of a counterexample goes to a file.
const RECORD_LIMIT: usize = 64 << 10;
/// The name the case's client goes by in the runner's client state.
const CLIENT: &str = "fuzz";

/// A finished case, redacted.
#[derive(Debug, Clone)]
pub struct CaseReport {
    /// The first check that broke, with the exchange that broke it.
    pub finding: Option<Finding>,
    /// Index into `exchanges` of the finding's exchange.
    pub failed_at: Option<usize>,
    /// Every exchange of the case, cleanup excluded.
    pub exchanges: Vec<Exchange>,
    /// The body of each exchange's request as sent (bodies never carry secrets: the
    /// fuzzer sends no `client_secret`), for reproduction files.
    pub bodies: Vec<Option<Vec<u8>>>,
    /// Rules with at least one check evaluated.
    pub checked: BTreeSet<&'static str>,
    pub leftovers: Vec<Leftover>,
    /// The case could not be judged: an answer stayed 429 or 503 (`runner::retry`), or
    /// the server offers no management to judge. Such a case has no finding; the
    /// property errors with this.
    pub errored: Option<String>,
}

/// A check that did not hold, before redaction.
#[derive(Debug)]
struct Broken {
    rule: &'static str,
    step: String,
    expected: String,
    actual: String,
    exchange: Option<usize>,
}

fn broken(
    rule: &'static str,
    step: &str,
    exchange: usize,
    expected: impl Into<String>,
    actual: impl Into<String>,
) -> Broken {
    Broken {
        rule,
        step: step.into(),
        expected: expected.into(),
        actual: actual.into(),
        exchange: Some(exchange),
    }
}

mod checks;
mod concurrent;
mod invalid;
mod send;
mod valid;

use checks::{body_excerpt, status};
pub use concurrent::concurrent;
pub use invalid::invalid;
pub use valid::valid;

struct Case<'a> {
    ctx: &'a RunContext,
    /// The property, as the run-wide registry and the leftovers name it.
    property: &'static str,
    redactor: Redactor,
    exchanges: Vec<(Request, Result<Response, String>)>,
    clients: Vec<Client>,
    /// Each client's key in the run-wide registry, by index in `clients`.
    keys: Vec<u64>,
    checked: BTreeSet<&'static str>,
    /// Why an answer was not judged (still 429 or 503), once one was not.
    limited: Option<String>,
}

/// A response and its body as JSON, when it is JSON.
struct Answer {
    index: usize,
    response: Response,
    json: Option<Value>,
}

impl<'a> Case<'a> {
    fn new(ctx: &'a RunContext, property: &'static str) -> Self {
        let mut redactor = Redactor::default();
        iat::learn(ctx, &mut redactor);
        Case {
            ctx,
            property,
            redactor,
            exchanges: Vec::new(),
            clients: Vec::new(),
            keys: Vec::new(),
            checked: BTreeSet::new(),
            limited: None,
        }
    }

    /// End the case without a verdict (`finish` drops whatever broke), for the reason
    /// given: the first reason is kept.
    fn unjudged(&mut self, why: String) {
        self.limited.get_or_insert(why);
    }

    /// An update answered as by a server that has no update at all (404, 405 or 501 to a
    /// PUT on a client it just registered and can read): unjudged, not failed.
    fn no_update(&mut self, step: &str, answer: &Answer) -> bool {
        let status = answer.response.status;
        let missing = matches!(status, 404 | 405 | 501);
        if missing {
            self.unjudged(format!(
                "{step}: the server does not update clients (PUT answered {status})"
            ));
        }
        missing
    }

    /// Follow a successful create: the client to manage and delete later.
    fn register(
        &mut self,
        rule: &'static str,
        step: &str,
        answer: &Answer,
        sent: Option<&Value>,
    ) -> Result<(), Broken> {
        let client = answer
            .json
            .as_ref()
            .and_then(|j| Client::from_registration(CLIENT, j, sent));
        if let Some(known) = &client
            && self.clients.iter().any(|c| c.client_id == known.client_id)
        {
            // Already kept by `keep`: one client, deleted once.
            return Ok(());
        }
        let Some(client) = client else {
            // A client stored under an id the case cannot use (a number, or inside an
            // array) is still deleted at cleanup, and the case is broken all the same.
            if let Some(unusable) = answer
                .json
                .as_ref()
                .and_then(|j| Client::from_unusable_registration(CLIENT, j, sent))
            {
                self.track(unusable);
            }
            return Err(broken(
                rule,
                step,
                answer.index,
                "a JSON client with a non-empty client_id",
                body_excerpt(&answer.response),
            ));
        };
        self.track(client);
        Ok(())
    }

    /// Track a created client for cleanup, its credentials redacted from every output.
    fn track(&mut self, client: Client) {
        for s in [&client.client_secret, &client.registration_access_token]
            .into_iter()
            .flatten()
        {
            self.redactor.add(s);
        }
        self.keys
            .push(self.ctx.registry.add(self.property, &client));
        self.clients.push(client);
    }

    fn client(&mut self) -> &mut Client {
        self.clients
            .iter_mut()
            .find(|c| c.name == CLIENT)
            .expect("registered before it is managed")
    }

    /// Keep the client a 2xx registration answer names, whatever its status, so that
    /// cleanup deletes it (or names it as left over): a server that registers with the
    /// wrong status, or registers input it should have refused, must not be left holding
    /// clients the report does not know of. An answer naming no client is not kept.
    fn keep(&mut self, answer: &Answer, sent: Option<&Value>) {
        if (200..300).contains(&answer.response.status) {
            let _ = self.register(VALID_ACCEPTED, "", answer, sent);
        }
    }

    /// Tell the run-wide registry the client's current credentials (for `drain`).
    fn remember(&self) {
        for (c, key) in self.clients.iter().zip(&self.keys) {
            self.ctx.registry.update(*key, c);
        }
    }

    /// Register a plain client (one redirect URI, defaults for the rest) for a property
    /// that needs some client to work on.
    async fn setup_client(&mut self, step: &str) -> Result<(), Broken> {
        let body = serde_json::json!({ "redirect_uris": [super::strategy::DEFAULT_REDIRECT] });
        let req = self.create_request(Some(JSON), body.to_string().into_bytes());
        let answer = self.send(VALID_ACCEPTED, step, req).await?;
        self.keep(&answer, None);
        status(VALID_ACCEPTED, step, &answer, &[201])?;
        self.register(VALID_ACCEPTED, step, &answer, None)
    }

    /// Delete every client, redact everything, and turn what broke into a finding.
    async fn finish(mut self, broken: Option<Broken>) -> CaseReport {
        let leftovers = runner::cleanup(
            self.ctx,
            self.property,
            &self.clients,
            &self.keys,
            &mut self.redactor,
        )
        .await;
        let exchanges: Vec<Exchange> = self
            .exchanges
            .iter()
            .map(|(q, r)| {
                let ms = r
                    .as_ref()
                    .map(|r| r.elapsed.as_millis() as u64)
                    .unwrap_or(0);
                let mut e = self.redactor.exchange(q, r, ms);
                let cut = |b: &mut String| {
                    if b.len() > RECORD_LIMIT {
                        *b = crate::report::truncate(b, RECORD_LIMIT).into_owned();
                    }
                };
                if let Some(body) = e.request.body.as_mut() {
                    cut(body);
                }
                if let Some(r) = e.response.as_mut() {
                    cut(&mut r.body);
                }
                e
            })
            .collect();
        let bodies = self.exchanges.iter().map(|(q, _)| q.body.clone()).collect();
        // An unjudged answer is no counterexample: whatever broke after it is dropped.
        let broken = broken.filter(|_| self.limited.is_none());
        let failed_at = broken
            .as_ref()
            .and_then(|b| b.exchange.or(exchanges.len().checked_sub(1)));
        let finding = broken.map(|b| {
            let level = self
                .ctx
                .catalogue
                .get(b.rule)
                .map(|r| r.level)
                .unwrap_or(Level::Must);
            let exchange = failed_at
                .and_then(|i| exchanges.get(i).cloned())
                .unwrap_or_else(|| no_exchange(&b.actual));
            Finding {
                rule: b.rule.into(),
                level,
                step: b.step,
                expected: self.redactor.text(&b.expected),
                actual: self.redactor.text(&b.actual),
                at: String::new(),
                exchange,
            }
        });
        CaseReport {
            finding,
            failed_at,
            exchanges,
            bodies,
            checked: self.checked,
            leftovers,
            errored: self.limited,
        }
    }
}

/// For a case that broke before sending anything (it cannot, but a finding needs one).
fn no_exchange(why: &str) -> Exchange {
    Exchange {
        request: crate::outcome::RequestRecord {
            method: String::new(),
            url: String::new(),
            headers: Vec::new(),
            body: None,
        },
        response: None,
        error: Some(why.to_string()),
        elapsed_ms: 0,
    }
}
