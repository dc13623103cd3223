//! One scenario over several values: a scenario with `for_each` (a list of objects of
//! strings, each with an `id`) stands for one scenario per entry, with `{{each.<key>}}`
//! in any of its strings replaced by the entry's value (`auth:{{each.method}}`, an
//! `auth.method`). The built-in `secret-retained` and `secret-retained-post` are one
//! scenario over two auth methods. Expanded before the typed parse, like fixtures, so
//! each copy keeps its own stable id; its pointers name the scenario as written.

use serde_json::{Map, Value};

use crate::error::LoadError;

/// The scenarios of `doc` with every `for_each` expanded, in place; returns, for each
/// scenario after expansion, the index of the scenario as written (for pointers). `None`
/// when the file has no `for_each`.
pub fn expand(name: &str, doc: &mut Value) -> Result<Option<Vec<usize>>, LoadError> {
    let Some(scenarios) = doc.get_mut("scenarios").and_then(Value::as_array_mut) else {
        return Ok(None);
    };
    if !scenarios.iter().any(|s| s.get("for_each").is_some()) {
        return Ok(None);
    }
    let mut out = Vec::new();
    let mut origin = Vec::new();
    for (i, sc) in std::mem::take(scenarios).into_iter().enumerate() {
        let Value::Object(mut members) = sc else {
            out.push(sc);
            origin.push(i);
            continue;
        };
        let Some(each) = members.remove("for_each") else {
            out.push(Value::Object(members));
            origin.push(i);
            continue;
        };
        let at = format!("{name}#/scenarios/{i}/for_each");
        let entries = each.as_array().filter(|e| !e.is_empty()).ok_or_else(|| {
            LoadError::new(
                &at,
                "`for_each` takes a non-empty list of objects of strings",
            )
        })?;
        for (k, entry) in entries.iter().enumerate() {
            let values = strings(entry).ok_or_else(|| {
                LoadError::new(
                    format!("{at}/{k}"),
                    "each entry is an object of strings with an `id`",
                )
            })?;
            let mut copy = Value::Object(members.clone());
            substitute(&mut copy, &values);
            copy["id"] = values["id"].clone();
            out.push(copy);
            origin.push(i);
        }
    }
    *scenarios = out;
    Ok(Some(origin))
}

fn strings(entry: &Value) -> Option<Map<String, Value>> {
    let map = entry.as_object()?;
    (map.values().all(Value::is_string) && map.contains_key("id")).then(|| map.clone())
}

fn substitute(v: &mut Value, values: &Map<String, Value>) {
    match v {
        Value::String(s) => {
            for (key, value) in values {
                let value = value.as_str().unwrap_or_default();
                *s = s.replace(&format!("{{{{each.{key}}}}}"), value);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| substitute(i, values)),
        Value::Object(map) => map.values_mut().for_each(|i| substitute(i, values)),
        _ => {}
    }
}
