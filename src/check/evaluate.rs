//! Judging one check against one response (`evaluate`), with what it looks at
//! (`Observed`), why it did not hold (`Mismatch`), and how a body shows in that message.

use serde_json::Value;

use super::predicate::{judge, schema_errors};
use super::{Check, Predicate, cut};
use crate::origins::AllowedOrigins;
use crate::schema::{Contract, Documented, Operation};
use crate::template::{self, Vars};

/// The parts of a response a check can look at.
#[derive(Debug, Clone)]
pub struct Observed<'a> {
    pub status: u16,
    /// Header names lower-case.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    /// The body parsed as JSON, when it parses.
    pub json: Option<&'a Value>,
    /// The DCR operation the request was, when it was one.
    pub operation: Option<Operation>,
    /// The origins the run sends requests to, for `origin_allowed`; `None` allows none.
    pub origins: Option<&'a AllowedOrigins>,
}

/// Why a check did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub expected: String,
    pub actual: String,
}

/// Judge one check against one response.
pub fn evaluate(
    check: &Check,
    seen: &Observed,
    vars: &Vars,
    contract: &Contract,
) -> Result<(), Mismatch> {
    let fail = |actual: String| {
        Err(Mismatch {
            expected: check.describe(),
            actual,
        })
    };
    match check {
        Check::Status(codes) => {
            if codes.iter().any(|c| c.matches(seen.status)) {
                Ok(())
            } else {
                fail(format!("status {}", seen.status))
            }
        }
        Check::ContentType(want) => {
            let got = header(seen.headers, "content-type");
            let media = got.map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            });
            match media {
                Some(m) if &m == want => Ok(()),
                Some(_) => fail(format!("Content-Type {}", got.unwrap_or_default())),
                None => fail("no Content-Type".into()),
            }
        }
        Check::Documented => {
            let Some(op) = seen.operation else {
                return fail("a request that is not one of the documented operations".into());
            };
            match contract.documented(op, seen.status) {
                Documented::Schema(name) => against_schema(&name, seen, contract).or_else(fail),
                Documented::Empty if seen.body.is_empty() => Ok(()),
                Documented::Empty => fail(format!(
                    "a body of {} bytes where none is documented",
                    seen.body.len()
                )),
                Documented::Undocumented => fail(format!(
                    "status {} is not documented for {op:?}",
                    seen.status
                )),
            }
        }
        Check::Schema(name) => against_schema(name, seen, contract).or_else(fail),
        Check::Json {
            pointer,
            predicate: Predicate::Satisfies(schema),
        } if pointer.is_empty() && seen.json.is_none() => schema_errors(schema, &Value::Null)
            .or_else(|errors| {
                fail(format!(
                    "{}, judged as null ({errors})",
                    not_json(seen.body)
                ))
            }),
        // A body that is not JSON echoes nothing, so nothing unadvertised.
        Check::Json {
            predicate: Predicate::Within(_),
            ..
        } if seen.json.is_none() => Ok(()),
        Check::Json { pointer, predicate } => {
            let Some(json) = seen.json else {
                // A body with no JSON has no member, which equals an optional capture's
                // null: "the same error" holds when neither answer has one in its body
                // (Spring puts a Bearer error only in WWW-Authenticate, RFC 6750 §3).
                if let Predicate::Equals(want) = predicate
                    && template::fill_value(want, vars).is_ok_and(|w| w.is_null())
                {
                    return Ok(());
                }
                return fail(not_json(seen.body));
            };
            let found = json.pointer(pointer);
            judge(predicate, found, vars, seen.origins, false).or_else(fail)
        }
        Check::Header { name, predicate } => {
            let found = header(seen.headers, name).map(|v| Value::String(v.to_string()));
            judge(predicate, found.as_ref(), vars, seen.origins, true).or_else(fail)
        }
        Check::BodyEmpty => {
            if seen.body.is_empty() {
                Ok(())
            } else {
                fail(format!("body {}", body_excerpt(seen.body)))
            }
        }
        Check::BodyLacks(text) => {
            let needle = match template::fill(text, vars) {
                Ok(n) => n,
                Err(e) => return fail(e),
            };
            let body = String::from_utf8_lossy(seen.body);
            match body.find(&needle) {
                None => Ok(()),
                // Show where it is, not the whole body: the needle may be a secret,
                // which the redactor replaces in what is shown anyway.
                Some(at) => fail(format!(
                    "a body containing it at byte {at}: {}",
                    body_excerpt(seen.body)
                )),
            }
        }
    }
}

fn against_schema(name: &str, seen: &Observed, contract: &Contract) -> Result<(), String> {
    let Some(json) = seen.json else {
        return Err(not_json(seen.body));
    };
    contract.validate(name, json).map_err(|errors| {
        // A message quotes the offending value, which a hostile body can make huge.
        let shown: Vec<String> = errors.iter().take(5).map(|e| cut(e, 300)).collect();
        let more = errors.len().saturating_sub(shown.len());
        let tail = if more > 0 {
            format!(" (and {more} more)")
        } else {
            String::new()
        };
        format!("schema {name} violated: {}{tail}", shown.join("; "))
    })
}

/// The first value of a header (names compared case-insensitively).
pub fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Why a body is not JSON, and how it starts: "a body that is not JSON (recursion
/// limit exceeded at line 1 column 128): \"[[[[…\"".
fn not_json(body: &[u8]) -> String {
    // Parsed again only on this failure path, to learn the reason (as a `Value`, with
    // serde_json's recursion limit: `IgnoredAny` has none and would misreport depth).
    match serde_json::from_slice::<Value>(body) {
        Err(e) if !body.is_empty() => {
            format!("a body that is not JSON ({e}): {}", body_excerpt(body))
        }
        _ => format!("a body that is not JSON: {}", body_excerpt(body)),
    }
}

fn body_excerpt(body: &[u8]) -> String {
    if body.is_empty() {
        return "(empty)".into();
    }
    format!("{:?}", cut(&String::from_utf8_lossy(body), 200))
}
