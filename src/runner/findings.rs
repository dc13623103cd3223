//! The end of a scenario's judging: what broke becomes redacted [`Finding`]s, and the
//! findings and the error (if any) make its [`Outcome`].

use super::judge::Broken;
use super::{RunContext, elapsed_ms};
use crate::http::{Request, Response};
use crate::outcome::{Finding, Outcome};
use crate::redact::Redactor;

/// Each broken check as a finding, redacted, with the exchange that broke it.
pub(super) fn findings(
    ctx: &RunContext,
    broken: Vec<Broken>,
    exchanges: &[(Request, Result<Response, String>)],
    redactor: &Redactor,
) -> Vec<Finding> {
    broken
        .into_iter()
        .map(|b| {
            let (req, resp) = &exchanges[b.exchange];
            let mut actual = b.mismatch.actual;
            if let Ok(r) = resp
                && r.truncated
            {
                actual.push_str(&format!(
                    " (the body was cut at {} bytes, --max-body; the rest was not read)",
                    ctx.http.body_limit()
                ));
            }
            Finding {
                rule: b.rule,
                level: b.level,
                step: b.step,
                expected: redactor.text(&b.mismatch.expected),
                actual: redactor.text(&actual),
                at: b.at,
                exchange: redactor.exchange(req, resp, elapsed_ms(resp)),
            }
        })
        .collect()
}

/// Failed if a finding is at a failing level; else errored if the scenario could not
/// finish; else warned if anything broke at all; else passed.
pub(super) fn outcome(findings: &[Finding], error: Option<String>, redactor: &Redactor) -> Outcome {
    if findings.iter().any(|f| f.level.is_failure()) {
        Outcome::Failed
    } else if let Some(reason) = error {
        Outcome::Errored {
            reason: redactor.text(&reason),
        }
    } else if !findings.is_empty() {
        Outcome::Warned
    } else {
        Outcome::Passed
    }
}
