//! The concurrent-put property's case: concurrent PUTs on one client must leave it as
//! exactly one of the bodies sent.

use serde_json::Value;

use super::CONCURRENT_PUT;
use super::checks::{body_excerpt, member, same, shown, status};
use super::{Broken, Case, CaseReport, JSON, broken};
use crate::fuzz::strategy::Metadata;
use crate::runner::{RunContext, retry};
use crate::suite::Method;

/// Concurrent PUTs of `bodies` on one client: it must end up as one of them.
pub async fn concurrent(ctx: &RunContext, bodies: &[Metadata]) -> CaseReport {
    let mut case = Case::new(ctx, "concurrent-put");
    let result = case.concurrent(bodies).await;
    case.finish(result.err()).await
}

impl Case<'_> {
    pub(super) async fn concurrent(&mut self, bodies: &[Metadata]) -> Result<(), Broken> {
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
            let (http, stop) = (self.ctx.http.clone(), self.ctx.stop.clone());
            tasks.spawn(async move { (i, retry::send(&http, &stop, &req).await) });
        }
        let mut answers: Vec<(usize, retry::Sent)> = tasks.join_all().await;
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
        if won.is_empty()
            && recorded
                .iter()
                .all(|(_, a)| a.response.status == first.response.status)
        {
            let (step, index) = ("concurrent PUTs", first.index);
            if self.no_update(step, first) {
                return Err(broken(rule, step, index, "", ""));
            }
        }
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
}
