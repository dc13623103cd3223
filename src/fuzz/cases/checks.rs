//! Checks a case makes on an answer (status, no secret leaked), comparison of member
//! values, and how values and bodies are shown in findings.

use serde_json::Value;

use super::{Answer, Broken, SECRET_LIFECYCLE, broken};
use crate::http::Response;

pub(super) fn status(
    rule: &'static str,
    step: &str,
    answer: &Answer,
    want: &[u16],
) -> Result<(), Broken> {
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

pub(super) fn no_secret(step: &str, answer: &Answer, rule_text: &str) -> Result<(), Broken> {
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
pub(super) fn same(a: Option<&Value>, b: Option<&Value>) -> bool {
    let empty = |v: Option<&Value>| match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        Some(_) => false,
    };
    a == b || (empty(a) && empty(b))
}

pub(super) fn member<'a>(answer: &'a Answer, name: &str) -> Option<&'a Value> {
    answer.json.as_ref().and_then(|j| j.get(name))
}

pub(super) fn shown(v: Option<&Value>) -> String {
    v.map(short).unwrap_or_else(|| "absent".into())
}

/// A value for a message, cut to a readable length.
pub(super) fn short(v: &Value) -> String {
    cut(&v.to_string(), 240)
}

pub(super) fn body_excerpt(r: &Response) -> String {
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
