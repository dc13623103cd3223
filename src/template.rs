//! `{{name}}` substitution over strings and JSON values. Scenario files refer to values
//! known only at run time (a client's id, a captured secret) by name; this module finds
//! those names (for load-time checks) and fills them in (at run time).

use std::collections::BTreeMap;

use serde_json::Value;

/// Names every scenario has from its start: `random` (fresh randomness), `issuer` (the
/// issuer the run's metadata document is for: `--issuer`, else the target's base URL) and
/// `issuers` (the issuer values that are identical to it: `--issuer` alone; for a target's
/// base URL without a path, with and without the `/` the base URL does not say).
pub const RESERVED: [&str; 3] = ["random", "issuer", "issuers"];

/// Values by name. `a.client_id`-style names come from registered clients, bare names
/// from scenario variables and captures.
pub type Vars = BTreeMap<String, Value>;

/// Every `{{name}}` referenced in `text`, in order.
pub fn names_in(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                names.push(after[..end].trim().to_string());
                rest = &after[end + 2..];
            }
            None => break,
        }
    }
    names
}

/// Every `{{name}}` referenced anywhere in a JSON value (strings and object keys).
pub fn names_in_value(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => names_in(s),
        Value::Array(items) => items.iter().flat_map(names_in_value).collect(),
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| names_in(k).into_iter().chain(names_in_value(v)))
            .collect(),
        _ => Vec::new(),
    }
}

/// Fill every `{{name}}` in `text`; an unknown name is an error naming it.
/// Non-string values are inserted as their JSON text.
pub fn fill(text: &str, vars: &Vars) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let name = after[..end].trim();
        match vars.get(name) {
            Some(Value::String(s)) => out.push_str(s),
            Some(other) => out.push_str(&other.to_string()),
            None => return Err(format!("'{{{{{name}}}}}' has no value at this point")),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Fill a JSON value. A string that is exactly one `{{name}}` takes the variable's JSON
/// value as is (so an array or a number can be substituted, not only text).
pub fn fill_value(value: &Value, vars: &Vars) -> Result<Value, String> {
    Ok(match value {
        Value::String(s) => {
            let names = names_in(s);
            let whole = names.len() == 1 && s.trim() == format!("{{{{{}}}}}", names[0]);
            match (
                whole,
                vars.get(names.first().map(String::as_str).unwrap_or("")),
            ) {
                (true, Some(v)) => v.clone(),
                _ => Value::String(fill(s, vars)?),
            }
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| fill_value(v, vars))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                out.insert(fill(k, vars)?, fill_value(v, vars)?);
            }
            Value::Object(out)
        }
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vars() -> Vars {
        let mut v = Vars::new();
        v.insert("a.client_id".into(), json!("abc"));
        v.insert("list".into(), json!(["x", "y"]));
        v
    }

    #[test]
    fn names_are_found_in_order() {
        assert_eq!(names_in("x {{a}} y {{ b.c }}"), vec!["a", "b.c"]);
        assert!(names_in("no braces { here }").is_empty());
    }

    #[test]
    fn fill_replaces_and_rejects_unknown_names() {
        assert_eq!(fill("/c/{{a.client_id}}", &vars()).unwrap(), "/c/abc");
        let err = fill("{{nope}}", &vars()).unwrap_err();
        assert!(err.contains("nope"), "{err}");
    }

    #[test]
    fn a_whole_string_template_keeps_the_json_type() {
        let v = fill_value(
            &json!({"l": "{{list}}", "s": "id={{a.client_id}}"}),
            &vars(),
        )
        .unwrap();
        assert_eq!(v, json!({"l": ["x", "y"], "s": "id=abc"}));
    }
}
