//! A step's captures: values taken from the answer (a JSON pointer into the body, or a
//! header) into the scenario's variables, secret ones taught to the redactor.

use serde_json::Value;

use crate::check;
use crate::http::Response;
use crate::redact::Redactor;
use crate::suite::Step;
use crate::template::Vars;

/// Capture what `step` asks for from `resp` (its body parsed as `json`) into `vars`.
/// A capture marked `if_present` that finds nothing leaves its name unset (see
/// `Predicate::SameAs`). Returns the first capture that found nothing and is neither
/// optional nor `if_present`, unless a failing
/// check already broke the step (then a missing value is no news).
pub(super) fn capture(
    step: &Step,
    resp: &Response,
    json: Option<&Value>,
    vars: &mut Vars,
    redactor: &mut Redactor,
    must_broke: bool,
) -> Option<String> {
    let mut error: Option<String> = None;
    for cap in &step.capture {
        let found = match (&cap.json, &cap.header) {
            (Some(pointer), _) => json.and_then(|j| j.pointer(pointer)).cloned(),
            (None, Some(name)) => {
                check::header(&resp.headers, name).map(|v| Value::String(v.to_string()))
            }
            (None, None) => None,
        };
        let found = found.or_else(|| cap.optional.then_some(Value::Null));
        match found.as_ref() {
            Some(v) => {
                if cap.secret
                    && let Some(s) = v.as_str()
                {
                    redactor.add(s);
                }
                vars.insert(cap.name.clone(), v.clone());
            }
            None if cap.if_present => {}
            None if !must_broke => {
                error.get_or_insert(format!(
                    "step '{}': nothing to capture as '{}' at {}",
                    step.name,
                    cap.name,
                    cap.source()
                ));
            }
            None => {}
        }
    }
    error
}
