//! How a case sends: the registration and configuration-endpoint requests it builds,
//! sending with the run's initial access token and retries, and recording each exchange
//! (a transport error or a request still rate limited is what breaks or ends the case).

use std::sync::atomic::Ordering;

use serde_json::Value;

use super::{Answer, Broken, CLIENT, Case, broken};
use crate::http::Request;
use crate::runner::{iat, request, retry};
use crate::schema::Operation;
use crate::suite::{Method, RequestSpec};
use crate::template::Vars;

impl Case<'_> {
    /// Send one request and record it; a transport error (refused, reset, timed out)
    /// breaks `rule`: an answer is the least a server owes any request. An answer still
    /// 429 or 503 after the retries ends the case unjudged (`finish` drops the `Err`).
    pub(super) async fn send(
        &mut self,
        rule: &'static str,
        step: &str,
        mut req: Request,
    ) -> Result<Answer, Broken> {
        // A registration carries the run's initial access token, as a scenario's does.
        let operation = self.is_registration(&req).then_some(Operation::Create);
        let choice = iat::choose(self.ctx, None, operation, &req);
        if choice == iat::Choice::Token {
            match iat::mint(self.ctx, &mut self.redactor).await {
                Ok(token) => iat::authorize(&mut req, &token),
                Err(e) => {
                    self.limited.get_or_insert(format!("{step}: {e}"));
                    return Err(Broken {
                        rule,
                        step: step.into(),
                        expected: "an initial access token".into(),
                        actual: e,
                        exchange: None,
                    });
                }
            }
        }
        let sent = retry::send(&self.ctx.http, &self.ctx.stop, &req).await;
        let answer = self.record(rule, step, req, sent)?;
        if let Some(why) = iat::refused(choice, answer.response.status) {
            // Not the metadata's verdict: the case ends unjudged, like a 429.
            self.limited.get_or_insert(format!("{step}: {why}"));
            return Err(broken(rule, step, answer.index, "an answer to judge", why));
        }
        Ok(answer)
    }

    /// Whether `req` is a POST to the registration endpoint.
    pub(super) fn is_registration(&self, req: &Request) -> bool {
        req.method == "POST"
            && req.url
                == format!(
                    "{}{}",
                    self.ctx.base_url.trim_end_matches('/'),
                    self.ctx.profile.registration_path
                )
    }

    pub(super) fn record(
        &mut self,
        rule: &'static str,
        step: &str,
        req: Request,
        sent: retry::Sent,
    ) -> Result<Answer, Broken> {
        self.ctx
            .requests
            .fetch_add(sent.requests, Ordering::Relaxed);
        let index = self.exchanges.len();
        self.exchanges.push((req, sent.result.clone()));
        if let Some(why) = sent.limited {
            self.limited.get_or_insert(format!("{step}: {why}"));
            return Err(broken(rule, step, index, "an answer to judge", why));
        }
        self.checked.insert(rule);
        match sent.result {
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

    pub(super) fn create_request(&self, content_type: Option<&str>, body: Vec<u8>) -> Request {
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
    pub(super) fn manage_request(
        &self,
        method: Method,
        body: Option<(Option<&str>, Vec<u8>)>,
    ) -> Result<Request, String> {
        let spec = RequestSpec::on_client(method, CLIENT, None);
        let built = request::build(
            &spec,
            &self.ctx.base_url,
            &self.ctx.profile,
            &self.clients,
            &Vars::new(),
        )?;
        let mut req = built.request;
        // The client's token goes to no other origin (RFC7592-3-c): like a scenario, the
        // case cannot manage such a client, which is no verdict on the property.
        if let Some(origins) = self.ctx.http.origins()
            && !origins.allows(&req.url)
        {
            return Err(format!(
                "its configuration endpoint {} is on another origin than the target's \
                 (--allow-origin lets dcrspec send its token there)",
                req.url
            ));
        }
        if let Some((content_type, bytes)) = body {
            if let Some(ct) = content_type {
                req.headers.push(("content-type".into(), ct.into()));
            }
            req.body = Some(bytes);
        }
        Ok(req)
    }

    /// `manage_request`. Failing to build it (no `registration_client_uri`, no
    /// registration access token) leaves the case unjudged, as it errors a scenario: a
    /// server without a client configuration endpoint is not judged on management
    /// (RFC 7592 is optional to RFC 7591; issue 15, 2f).
    pub(super) fn manage(
        &mut self,
        rule: &'static str,
        step: &str,
        method: Method,
        body: Option<(Option<&str>, Vec<u8>)>,
    ) -> Result<Request, Broken> {
        self.manage_request(method, body).map_err(|e| {
            self.unjudged(format!("{step}: the client cannot be managed: {e}"));
            Broken {
                rule,
                step: step.into(),
                expected: "a client dcrspec can manage".into(),
                actual: e,
                exchange: None,
            }
        })
    }
}
