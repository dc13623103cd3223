//! The invalid-input property's case: an invalid request must be refused with a
//! documented 4xx JSON error.

use super::INVALID_REJECTED;
use super::checks::body_excerpt;
use super::{Broken, Case, CaseReport, JSON, broken};
use crate::check::{self, Check, Observed};
use crate::fuzz::strategy::{Invalid, Target};
use crate::runner::RunContext;
use crate::schema::Operation;
use crate::suite::Method;
use crate::template::Vars;

/// An invalid request: it must be refused with a documented 4xx JSON error.
pub async fn invalid(ctx: &RunContext, input: &Invalid) -> CaseReport {
    let mut case = Case::new(ctx, "invalid-input");
    let result = case.invalid(input).await;
    case.finish(result.err()).await
}

impl Case<'_> {
    pub(super) async fn invalid(&mut self, input: &Invalid) -> Result<(), Broken> {
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
                self.keep(&answer, None);
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
            origins: self.ctx.http.origins(),
        };
        for c in [Check::ContentType(JSON.into()), Check::Documented] {
            check::evaluate(&c, &seen, &Vars::new(), &self.ctx.contract)
                .map_err(|m| broken(rule, step, answer.index, m.expected, m.actual))?;
        }
        Ok(())
    }
}
