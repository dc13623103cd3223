//! Applying a predicate to a located value (a JSON member or a header), including the
//! inline JSON Schemas of `satisfies`.

use serde_json::Value;

use super::{Predicate, short};
use crate::origins::AllowedOrigins;
use crate::template::{self, Vars};

/// Apply a predicate to a located value; `Err` carries the actual value described.
pub(super) fn judge(
    p: &Predicate,
    found: Option<&Value>,
    vars: &Vars,
    origins: Option<&AllowedOrigins>,
    header: bool,
) -> Result<(), String> {
    let shown = || found.map(short).unwrap_or_else(|| "absent".into());
    if let Predicate::Satisfies(schema) = p {
        let Some(value) = found else {
            return Err(shown());
        };
        return schema_errors(schema, value).map_err(|errors| format!("{} ({errors})", shown()));
    }
    let ok = match p {
        Predicate::Satisfies(_) => unreachable!("judged above"),
        Predicate::Present => found.is_some(),
        Predicate::Absent => found.is_none(),
        Predicate::AbsentOrEmpty => match found {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.is_empty(),
            Some(Value::Array(a)) => a.is_empty(),
            Some(Value::Object(o)) => o.is_empty(),
            Some(_) => false,
        },
        Predicate::NonEmptyString => matches!(found, Some(Value::String(s)) if !s.is_empty()),
        Predicate::Equals(want) => {
            let want = template::fill_value(want, vars)?;
            // A header is never null: equal to null means absent (an optional capture
            // of a header that was not there compares equal to its absence). An optional
            // capture of a body member saves null too, so an absent member equals it.
            if header && want.is_null() {
                found.is_none()
            } else if want.is_null() {
                matches!(found, None | Some(Value::Null))
            } else {
                found == Some(&want)
            }
        }
        Predicate::NotEquals(want) => {
            let want = template::fill_value(want, vars)?;
            found.is_some() && found != Some(&want)
        }
        Predicate::SameAs(name) => match vars.get(name) {
            None => true,
            Some(want) => found == Some(want),
        },
        Predicate::Within(name) => match (found, vars.get(name)) {
            // Null is no echo (a null member is its own defect, judged by the shape rules).
            (None | Some(Value::Null), _) | (_, None | Some(Value::Null)) => true,
            (Some(value), Some(Value::Array(listed))) => {
                let values = match value {
                    Value::Array(items) => items.iter().collect(),
                    other => vec![other],
                };
                values.iter().all(|v| listed.contains(v))
            }
            (Some(_), Some(_)) => false,
        },
        Predicate::OriginAllowed => match found {
            Some(Value::String(url)) => origins.is_some_and(|o| o.allows(url)),
            _ => false,
        },
        Predicate::Matches(pattern) => {
            let re = regex::Regex::new(pattern).map_err(|e| e.to_string())?;
            matches!(found, Some(Value::String(s)) if re.is_match(s))
        }
        Predicate::Contains(needle) => {
            let needle = template::fill(needle, vars)?;
            match found {
                Some(Value::String(s)) if header => s
                    .to_ascii_lowercase()
                    .contains(&needle.to_ascii_lowercase()),
                Some(Value::String(s)) => s.contains(&needle),
                _ => false,
            }
        }
        Predicate::Lacks(needle) => {
            let needle = template::fill(needle, vars)?;
            let text = match found {
                None => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => Some(other.to_string()),
            };
            match text {
                None => true,
                Some(t) if header => !t
                    .to_ascii_lowercase()
                    .contains(&needle.to_ascii_lowercase()),
                Some(t) => !t.contains(&needle),
            }
        }
    };
    if ok { Ok(()) } else { Err(shown()) }
}

/// Where `value` breaks an inline schema: the first few errors, each at its instance path.
pub(super) fn schema_errors(schema: &Value, value: &Value) -> Result<(), String> {
    let validator = compile_schema(schema)?;
    let errors: Vec<String> = validator
        .iter_errors(value)
        .take(3)
        .map(|e| {
            let at = e.instance_path().to_string();
            let at = if at.is_empty() { "/".into() } else { at };
            format!("at '{at}': {e}")
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}

/// An inline schema of a `satisfies` predicate, compiled as draft 2020-12, offline.
pub(super) fn compile_schema(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .offline()
        .build(schema)
        .map_err(|e| e.to_string())
}
