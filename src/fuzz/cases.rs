//! One generated case of each property against the target: its requests, its checks and
//! its cleanup. A case stops at the first broken check; every client it registered is
//! deleted before it returns (the runner's cleanup), and everything it recorded is
//! redacted on the way out.

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;

use serde_json::Value;

use super::model::Model;
use super::strategy::{Invalid, Metadata, Target};
use crate::check::{self, Check, Observed};
use crate::http::{Request, Response};
use crate::outcome::{Exchange, Finding, Leftover};
use crate::profile::ManagementAuth;
use crate::redact::Redactor;
use crate::rules::Level;
use crate::runner::clients::Client;
use crate::runner::{self, RunContext, request};
use crate::schema::Operation;
use crate::suite::{AuthSpec, Credentials, Method, RequestSpec};
use crate::template::Vars;

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

/// Valid metadata: register it, read it, PUT it back, read it again.
pub async fn valid(ctx: &RunContext, model: &Model, sent: &Metadata) -> CaseReport {
    let mut case = Case::new(ctx, "valid-metadata");
    let result = case.valid(model, sent).await;
    case.finish(result.err()).await
}

/// An invalid request: it must be refused with a documented 4xx JSON error.
pub async fn invalid(ctx: &RunContext, input: &Invalid) -> CaseReport {
    let mut case = Case::new(ctx, "invalid-input");
    let result = case.invalid(input).await;
    case.finish(result.err()).await
}

/// Concurrent PUTs of `bodies` on one client: it must end up as one of them.
pub async fn concurrent(ctx: &RunContext, bodies: &[Metadata]) -> CaseReport {
    let mut case = Case::new(ctx, "concurrent-put");
    let result = case.concurrent(bodies).await;
    case.finish(result.err()).await
}

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
}

/// A response and its body as JSON, when it is JSON.
struct Answer {
    index: usize,
    response: Response,
    json: Option<Value>,
}

impl<'a> Case<'a> {
    fn new(ctx: &'a RunContext, property: &'static str) -> Self {
        Case {
            ctx,
            property,
            redactor: Redactor::default(),
            exchanges: Vec::new(),
            clients: Vec::new(),
            keys: Vec::new(),
            checked: BTreeSet::new(),
        }
    }

    /// Send one request and record it; a transport error (refused, reset, timed out)
    /// breaks `rule`: an answer is the least a server owes any request.
    async fn send(
        &mut self,
        rule: &'static str,
        step: &str,
        req: Request,
    ) -> Result<Answer, Broken> {
        let sent = self.ctx.http.send(&req).await;
        self.record(rule, step, req, sent)
    }

    fn record(
        &mut self,
        rule: &'static str,
        step: &str,
        req: Request,
        sent: Result<Response, String>,
    ) -> Result<Answer, Broken> {
        self.ctx.requests.fetch_add(1, Ordering::Relaxed);
        let index = self.exchanges.len();
        self.exchanges.push((req, sent.clone()));
        self.checked.insert(rule);
        match sent {
            Ok(response) => {
                let json = serde_json::from_slice::<Value>(&response.body).ok();
                if let Some(j) = &json {
                    self.redactor.learn_json(j);
                }
                Ok(Answer {
                    index,
                    response,
                    json,
                })
            }
            Err(e) => Err(broken(
                rule,
                step,
                index,
                "an HTTP answer",
                format!("no answer: {e}"),
            )),
        }
    }

    fn create_request(&self, content_type: Option<&str>, body: Vec<u8>) -> Request {
        let mut headers = Vec::new();
        if let Some(ct) = content_type {
            headers.push(("content-type".to_string(), ct.to_string()));
        }
        Request {
            method: "POST".into(),
            url: format!(
                "{}{}",
                self.ctx.base_url.trim_end_matches('/'),
                self.ctx.profile.registration_path
            ),
            headers,
            body: Some(body),
        }
    }

    /// A request on the case's client's configuration endpoint, with the credentials the
    /// profile manages it by.
    fn manage_request(
        &self,
        method: Method,
        body: Option<(Option<&str>, Vec<u8>)>,
    ) -> Result<Request, String> {
        let spec = RequestSpec {
            method,
            client: Some(CLIENT.into()),
            client_id: None,
            as_id: None,
            auth: Some(AuthSpec::Credentials(Credentials {
                client: Some(CLIENT.into()),
                method: None,
                id: None,
                secret: None,
                token: None,
            })),
            query: Default::default(),
            headers: Default::default(),
            json: None,
            body: None,
            content_type: None,
        };
        let built = request::build(
            &spec,
            &self.ctx.base_url,
            &self.ctx.profile,
            &self.clients,
            &Vars::new(),
        )?;
        let mut req = built.request;
        if let Some((content_type, bytes)) = body {
            if let Some(ct) = content_type {
                req.headers.push(("content-type".into(), ct.into()));
            }
            req.body = Some(bytes);
        }
        Ok(req)
    }

    /// `manage_request`, where failing to build it is the step's failure.
    fn manage(
        &self,
        rule: &'static str,
        step: &str,
        method: Method,
        body: Option<(Option<&str>, Vec<u8>)>,
    ) -> Result<Request, Broken> {
        self.manage_request(method, body).map_err(|e| Broken {
            rule,
            step: step.into(),
            expected: "a client dcrspec can manage".into(),
            actual: e,
            exchange: None,
        })
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
        let Some(client) = client else {
            return Err(broken(
                rule,
                step,
                answer.index,
                "a JSON client with a non-empty client_id",
                body_excerpt(&answer.response),
            ));
        };
        for s in [&client.client_secret, &client.registration_access_token]
            .into_iter()
            .flatten()
        {
            self.redactor.add(s);
        }
        self.keys
            .push(self.ctx.registry.add(self.property, &client));
        self.clients.push(client);
        Ok(())
    }

    fn client(&mut self) -> &mut Client {
        self.clients
            .iter_mut()
            .find(|c| c.name == CLIENT)
            .expect("registered before it is managed")
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
        status(VALID_ACCEPTED, step, &answer, &[201])?;
        self.register(VALID_ACCEPTED, step, &answer, None)
    }

    async fn valid(&mut self, model: &Model, sent: &Metadata) -> Result<(), Broken> {
        let sent_value = Value::Object(sent.clone());
        let body = serde_json::to_vec(sent).expect("a JSON object serialises");
        let req = self.create_request(Some(JSON), body);
        let answer = self.send(VALID_ACCEPTED, "create", req).await?;
        status(VALID_ACCEPTED, "create", &answer, &[201])?;
        self.register(VALID_ACCEPTED, "create", &answer, Some(&sent_value))?;
        let public = self.client().method.as_deref() == Some("none");
        self.checked.insert(SECRET_LIFECYCLE);
        if !public {
            let secret = member(&answer, "client_secret");
            if !matches!(secret, Some(Value::String(s)) if !s.is_empty()) {
                return Err(broken(
                    SECRET_LIFECYCLE,
                    "create",
                    answer.index,
                    "/client_secret a non-empty string (returned this once)",
                    shown(secret),
                ));
            }
        }
        self.readback(model, "create", &answer, sent)?;

        let req = self.manage(VALID_ACCEPTED, "read", Method::GET, None)?;
        let answer = self.send(VALID_ACCEPTED, "read", req).await?;
        status(VALID_ACCEPTED, "read", &answer, &[200])?;
        no_secret("read", &answer, "GET never returns client_secret")?;
        self.readback(model, "read", &answer, sent)?;

        let mut put = sent.clone();
        let id = self.client().client_id.clone();
        put.insert("client_id".into(), Value::from(id));
        let body = serde_json::to_vec(&put).expect("a JSON object serialises");
        let req = self.manage(
            VALID_ACCEPTED,
            "update",
            Method::PUT,
            Some((Some(JSON), body)),
        )?;
        let answer = self.send(VALID_ACCEPTED, "update", req).await?;
        status(VALID_ACCEPTED, "update", &answer, &[200])?;
        let put_value = Value::Object(put);
        self.client()
            .follow("PUT", Some(&put_value), answer.json.as_ref());
        self.remember();
        no_secret(
            "update",
            &answer,
            "a PUT without client_secret answers without one",
        )?;
        self.readback(model, "update", &answer, sent)?;

        // With client credentials, this read presents the secret issued at create.
        let step = "read after update";
        let req = self.manage(VALID_ACCEPTED, step, Method::GET, None)?;
        let answer = self.send(VALID_ACCEPTED, step, req).await?;
        let by_secret = !self
            .ctx
            .profile
            .management_auth
            .contains(&ManagementAuth::Bearer);
        if by_secret && !public && matches!(answer.response.status, 401 | 403) {
            return Err(broken(
                SECRET_LIFECYCLE,
                step,
                answer.index,
                "the secret issued at create still authenticates after a PUT without client_secret",
                format!("status {}", answer.response.status),
            ));
        }
        status(VALID_ACCEPTED, step, &answer, &[200])?;
        no_secret(step, &answer, "GET never returns client_secret")?;
        self.readback(model, step, &answer, sent)
    }

    /// Every member sent (not null or empty, not server-provisioned) comes back unchanged,
    /// or is left out when it is the member's default.
    fn readback(
        &mut self,
        model: &Model,
        step: &str,
        answer: &Answer,
        sent: &Metadata,
    ) -> Result<(), Broken> {
        self.checked.insert(VALID_READBACK);
        let Some(Value::Object(got)) = &answer.json else {
            return Err(broken(
                VALID_READBACK,
                step,
                answer.index,
                "a JSON object",
                body_excerpt(&answer.response),
            ));
        };
        for (name, value) in sent {
            // Null or empty is "omitted" (RFC 7592 §2.2): the server may apply its default.
            if same(Some(value), None) || model.is_provisioned(name) {
                continue;
            }
            let back = got.get(name);
            // Left out because it is the default: the same registration.
            let defaulted =
                matches!(back, None | Some(Value::Null)) && model.default_of(name) == Some(value);
            if !same(back, Some(value)) && !defaulted {
                return Err(broken(
                    VALID_READBACK,
                    step,
                    answer.index,
                    format!("/{name} equal to the value sent, {}", short(value)),
                    shown(back),
                ));
            }
        }
        Ok(())
    }

    async fn invalid(&mut self, input: &Invalid) -> Result<(), Broken> {
        let rule = INVALID_REJECTED;
        let ct = input.content_type.as_deref();
        let (step, op, req) = match input.target {
            Target::Create => (
                "create with invalid input",
                Operation::Create,
                self.create_request(ct, input.body.clone()),
            ),
            Target::Update => {
                self.setup_client("register a client to update").await?;
                let step = "update with invalid input";
                let req = self.manage(rule, step, Method::PUT, Some((ct, input.body.clone())))?;
                (step, Operation::Update, req)
            }
        };
        let answer = self.send(rule, step, req).await?;
        let code = answer.response.status;
        if (200..300).contains(&code) {
            if op == Operation::Create {
                // Whatever it registered must go: cleanup deletes it.
                let _ = self.register(rule, step, &answer, None);
            } else {
                // An accepted update may have rotated the registration access token:
                // follow it, or cleanup could not delete the client.
                self.client().follow("PUT", None, answer.json.as_ref());
                self.remember();
            }
            let what = match op {
                Operation::Create => "a client was registered",
                _ => "the update was accepted",
            };
            return Err(broken(
                rule,
                step,
                answer.index,
                format!("a 4xx error for invalid input ({})", input.what),
                format!("status {code}: {what}"),
            ));
        }
        if !(400..500).contains(&code) {
            return Err(broken(
                rule,
                step,
                answer.index,
                format!("a 4xx error for invalid input ({})", input.what),
                format!("status {code}: {}", body_excerpt(&answer.response)),
            ));
        }
        let seen = Observed {
            status: code,
            headers: &answer.response.headers,
            body: &answer.response.body,
            json: answer.json.as_ref(),
            operation: Some(op),
        };
        for c in [Check::ContentType(JSON.into()), Check::Documented] {
            check::evaluate(&c, &seen, &Vars::new(), &self.ctx.contract)
                .map_err(|m| broken(rule, step, answer.index, m.expected, m.actual))?;
        }
        Ok(())
    }

    async fn concurrent(&mut self, bodies: &[Metadata]) -> Result<(), Broken> {
        let rule = CONCURRENT_PUT;
        self.setup_client("register a client").await?;
        let id = self.client().client_id.clone();
        let mut requests = Vec::new();
        let mut sent = Vec::new();
        for body in bodies {
            let mut put = body.clone();
            put.insert("client_id".into(), Value::from(id.clone()));
            let bytes = serde_json::to_vec(&put).expect("a JSON object serialises");
            requests.push(self.manage(
                rule,
                "concurrent PUTs",
                Method::PUT,
                Some((Some(JSON), bytes)),
            )?);
            sent.push(Value::Object(put));
        }
        let mut tasks = tokio::task::JoinSet::new();
        for (i, req) in requests.iter().cloned().enumerate() {
            let http = self.ctx.http.clone();
            tasks.spawn(async move { (i, http.send(&req).await) });
        }
        let mut answers: Vec<(usize, Result<Response, String>)> = tasks.join_all().await;
        answers.sort_by_key(|(i, _)| *i);
        let mut recorded = Vec::new();
        let mut first_broken = None;
        for ((i, result), req) in answers.into_iter().zip(requests) {
            let step = format!("concurrent PUT {}", i + 1);
            match self.record(rule, &step, req, result) {
                Ok(a) => recorded.push((i, a)),
                Err(b) => {
                    first_broken.get_or_insert(b);
                }
            }
        }
        if let Some(b) = first_broken {
            return Err(b);
        }
        let mut won = Vec::new();
        let mut tokens = Vec::new();
        for (i, answer) in &recorded {
            let step = format!("concurrent PUT {}", i + 1);
            if answer.response.status >= 500 {
                return Err(broken(
                    rule,
                    &step,
                    answer.index,
                    "a success or a 4xx refusal",
                    format!("status {}", answer.response.status),
                ));
            }
            if (200..300).contains(&answer.response.status) {
                won.push(*i);
                let token = member(answer, "registration_access_token").and_then(Value::as_str);
                tokens.extend(token.map(String::from));
            }
        }
        let Some((_, first)) = recorded.first() else {
            return Ok(());
        };
        if won.is_empty() {
            return Err(broken(
                rule,
                "concurrent PUTs",
                first.index,
                "at least one of the concurrent PUTs succeeds",
                format!(
                    "every one was refused; PUT 1: status {}: {}",
                    first.response.status,
                    body_excerpt(&first.response)
                ),
            ));
        }
        // A server that rotates tokens on PUT leaves the winner's token valid: try each.
        let step = "read after concurrent PUTs";
        let mut answer = None;
        for token in std::iter::once(None).chain(tokens.into_iter().map(Some)) {
            if let Some(t) = token {
                self.redactor.add(&t);
                self.client().registration_access_token = Some(t);
                self.remember();
            }
            let req = self.manage(rule, step, Method::GET, None)?;
            let a = self.send(rule, step, req).await?;
            let refused = matches!(a.response.status, 401 | 403);
            answer = Some(a);
            if !refused {
                break;
            }
        }
        let answer = answer.expect("at least one read");
        status(rule, step, &answer, &[200])?;
        let got = answer.json.clone().unwrap_or(Value::Null);
        let keys: Vec<String> = bodies
            .first()
            .map(|b| b.keys().cloned().collect())
            .unwrap_or_default();
        let on_keys = |state: &Value, body: &Value| {
            keys.iter()
                .all(|k| same(state.get(k.as_str()), body.get(k.as_str())))
        };
        let sent: Vec<Value> = bodies.iter().cloned().map(Value::Object).collect();
        if won.iter().any(|&i| on_keys(&got, &sent[i])) {
            return Ok(());
        }
        // No body matches as sent: the server may normalise values (a duration, a URI).
        // Then the state must be what one successful PUT, sent alone, leaves.
        for &i in &won {
            let step = format!("PUT {} again, alone", i + 1);
            let mut put = bodies[i].clone();
            put.insert("client_id".into(), Value::from(id.clone()));
            let bytes = serde_json::to_vec(&put).expect("a JSON object serialises");
            let req = self.manage(rule, &step, Method::PUT, Some((Some(JSON), bytes)))?;
            let again = self.send(rule, &step, req).await?;
            status(rule, &step, &again, &[200])?;
            let put = Value::Object(put);
            self.client().follow("PUT", Some(&put), again.json.as_ref());
            self.remember();
            let req = self.manage(rule, &step, Method::GET, None)?;
            let alone = self.send(rule, &step, req).await?;
            status(rule, &step, &alone, &[200])?;
            let alone = alone.json.unwrap_or(Value::Null);
            if on_keys(&got, &alone) {
                return Ok(());
            }
        }
        let origin: Vec<String> = keys
            .iter()
            .map(|k| {
                let from: Vec<String> = (0..bodies.len())
                    .filter(|&i| same(got.get(k.as_str()), sent[i].get(k.as_str())))
                    .map(|i| format!("PUT {}", i + 1))
                    .collect();
                let from = if from.is_empty() {
                    format!("no PUT ({})", shown(got.get(k.as_str())))
                } else {
                    from.join(" or ")
                };
                format!("{k} from {from}")
            })
            .collect();
        let won: Vec<String> = won.iter().map(|i| format!("PUT {}", i + 1)).collect();
        Err(broken(
            rule,
            step,
            answer.index,
            format!(
                "the client exactly as one successful PUT ({}) leaves it, sent alone",
                won.join(", ")
            ),
            format!("a mix: {}", origin.join(", ")),
        ))
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

fn status(rule: &'static str, step: &str, answer: &Answer, want: &[u16]) -> Result<(), Broken> {
    let got = answer.response.status;
    if want.contains(&got) {
        return Ok(());
    }
    let want: Vec<String> = want.iter().map(u16::to_string).collect();
    Err(broken(
        rule,
        step,
        answer.index,
        format!("status {}", want.join(" or ")),
        format!("status {got}: {}", body_excerpt(&answer.response)),
    ))
}

fn no_secret(step: &str, answer: &Answer, rule_text: &str) -> Result<(), Broken> {
    match member(answer, "client_secret") {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(s)) if s.is_empty() => Ok(()),
        Some(other) => Err(broken(
            SECRET_LIFECYCLE,
            step,
            answer.index,
            format!("/client_secret absent ({rule_text})"),
            short(other),
        )),
    }
}

/// Equal as registered metadata: the same JSON, or both empty (absent, `null`, `""`, `[]`
/// or `{}`): RFC 7592 §2.2 treats an omitted field as a null or empty value, so a server
/// may return an empty list as `null` or leave it out.
fn same(a: Option<&Value>, b: Option<&Value>) -> bool {
    let empty = |v: Option<&Value>| match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        Some(_) => false,
    };
    a == b || (empty(a) && empty(b))
}

fn member<'a>(answer: &'a Answer, name: &str) -> Option<&'a Value> {
    answer.json.as_ref().and_then(|j| j.get(name))
}

fn shown(v: Option<&Value>) -> String {
    v.map(short).unwrap_or_else(|| "absent".into())
}

/// A value for a message, cut to a readable length.
fn short(v: &Value) -> String {
    cut(&v.to_string(), 240)
}

fn body_excerpt(r: &Response) -> String {
    if r.body.is_empty() {
        return "(empty body)".into();
    }
    cut(&String::from_utf8_lossy(&r.body), 240)
}

fn cut(s: &str, max: usize) -> String {
    let count = s.chars().count();
    if count <= max {
        s.to_string()
    } else {
        format!(
            "{}… ({count} characters)",
            s.chars().take(max).collect::<String>()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_values_are_the_same_as_absent_ones() {
        assert!(same(None, Some(&json!([]))));
        assert!(same(Some(&json!(null)), Some(&json!(""))));
        assert!(same(Some(&json!({})), None));
        assert!(same(Some(&json!(["a"])), Some(&json!(["a"]))));
        assert!(!same(Some(&json!(["a"])), None));
        assert!(!same(Some(&json!(false)), None), "false is a value");
        assert!(!same(Some(&json!(0)), Some(&json!(null))), "0 is a value");
        assert!(!same(Some(&json!("a")), Some(&json!("b"))));
    }
}
