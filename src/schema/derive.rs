//! Reads an OpenAPI 3.0/3.1 document into dcrspec's contract: the four DCR operations
//! (found by operationId), the documented response per status code, and each response
//! schema bundled into a standalone JSON Schema 2020-12 document.
//!
//! The same code produces the committed `schemas/` (from Hydra's api.json, in the
//! generator test) and the contract of a user's `--openapi` file, so the two cannot drift.

use serde_json::Value;

use super::bundle::{BundledSchema, Dialect, add_schema, percent_decode, schema_name};
use super::translate::escape_pointer;
use super::{Documented, Operation};
use crate::error::LoadError;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub(super) struct OperationEntry {
    pub op: Operation,
    pub method: String,
    pub path: String,
    /// Status key ("201", "4XX", "default") → what is documented, in document order.
    pub responses: Vec<(String, Documented)>,
}

pub(super) struct Derived {
    pub schemas: Vec<BundledSchema>,
    pub operations: Vec<OperationEntry>,
}

/// Derives the contract from a parsed OpenAPI document; `source` names it in errors.
pub(super) fn derive(doc: &Value, source: &str) -> Result<Derived, LoadError> {
    let fail = |message: String| LoadError::new(source, message);
    let dialect = dialect(doc).map_err(fail)?;
    let mut derived = Derived {
        schemas: Vec::new(),
        operations: Vec::new(),
    };
    for (op, method, path) in find_operations(doc).map_err(fail)? {
        let op_ptr = format!("/paths/{}/{method}", escape_pointer(&path));
        let responses = doc
            .pointer(&format!("{op_ptr}/responses"))
            .and_then(Value::as_object)
            .ok_or_else(|| fail(format!("no \"responses\" object at {op_ptr}/responses")))?;
        let mut documented = Vec::new();
        for (key, response) in responses {
            let key_ptr = format!("{op_ptr}/responses/{}", escape_pointer(key));
            let status = status_key(key).ok_or_else(|| {
                fail(format!(
                    "response key '{key}' at {key_ptr} is not a status code, a range like 4XX, or default"
                ))
            })?;
            let (response, resp_ptr) = resolve_response(doc, response, &key_ptr).map_err(fail)?;
            let what = match json_schema_of(response, &resp_ptr).map_err(fail)? {
                None => Documented::Empty,
                Some((schema, schema_ptr)) => {
                    // An inline schema is named after the shared response holding it, or
                    // else after the operation and status that document it.
                    let shared = resp_ptr.strip_prefix("/components/responses/");
                    let inline_name = match shared.and_then(|r| r.split('/').next()) {
                        Some(response) => format!("{}-response", schema_name(response)),
                        None => format!(
                            "{}-{}",
                            schema_name(op.operation_id()),
                            status.to_lowercase()
                        ),
                    };
                    let name = add_schema(
                        doc,
                        dialect,
                        &mut derived.schemas,
                        schema,
                        &schema_ptr,
                        inline_name,
                    )
                    .map_err(fail)?;
                    Documented::Schema(name)
                }
            };
            documented.push((status, what));
        }
        derived.operations.push(OperationEntry {
            op,
            method,
            path,
            responses: documented,
        });
    }
    Ok(derived)
}

fn dialect(doc: &Value) -> Result<Dialect, String> {
    if !doc.is_object() {
        return Err("not an OpenAPI document: the top level is not a JSON object".into());
    }
    if doc.get("swagger").is_some() {
        return Err(
            "Swagger 2.0 documents are not supported; convert it to OpenAPI 3.0 or 3.1".into(),
        );
    }
    match doc.get("openapi").and_then(Value::as_str) {
        Some(v) if v == "3.0" || v.starts_with("3.0.") => Ok(Dialect::OpenApi30),
        Some(v) if v == "3.1" || v.starts_with("3.1.") => Ok(Dialect::OpenApi31),
        Some(v) => Err(format!(
            "unsupported OpenAPI version '{v}' at /openapi (dcrspec reads 3.0.x and 3.1.x)"
        )),
        None => Err("not an OpenAPI document: no \"openapi\" version string at /openapi".into()),
    }
}

/// The four operations in `Operation::ALL` order, each with its method and path.
fn find_operations(doc: &Value) -> Result<Vec<(Operation, String, String)>, String> {
    let paths = doc
        .get("paths")
        .and_then(Value::as_object)
        .ok_or("no \"paths\" object at /paths")?;
    let mut found: Vec<(Operation, String, String)> = Vec::new();
    for (path, item) in paths {
        for method in METHODS {
            let id = item
                .get(*method)
                .and_then(|o| o.get("operationId"))
                .and_then(Value::as_str);
            let Some(op) = id.and_then(Operation::from_operation_id) else {
                continue;
            };
            if let Some((_, m, p)) = found.iter().find(|(o, _, _)| *o == op) {
                return Err(format!(
                    "operationId '{}' is used twice: {} {p} and {} {path}",
                    op.operation_id(),
                    m.to_uppercase(),
                    method.to_uppercase()
                ));
            }
            found.push((op, (*method).to_owned(), path.clone()));
        }
    }
    let missing: Vec<&str> = Operation::ALL
        .iter()
        .filter(|op| !found.iter().any(|(o, _, _)| o == *op))
        .map(|op| op.operation_id())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "no operation with operationId {} under /paths (dcrspec finds the DCR operations by Hydra's operationIds)",
            missing.join(", ")
        ));
    }
    found.sort_by_key(|(op, _, _)| Operation::ALL.iter().position(|o| o == op));
    Ok(found)
}

/// "201" and "4XX" (upper-cased) and "default"; `None` for anything else.
fn status_key(key: &str) -> Option<String> {
    let b = key.as_bytes();
    let code = b.len() == 3 && (b'1'..=b'5').contains(&b[0]);
    if code && b[1..].iter().all(u8::is_ascii_digit) {
        Some(key.to_owned())
    } else if code && b[1..].eq_ignore_ascii_case(b"XX") {
        Some(key.to_uppercase())
    } else if key == "default" {
        Some(key.to_owned())
    } else {
        None
    }
}

/// Follows `$ref`s (into `#/components/responses/...` or anywhere local) to a Response Object.
fn resolve_response<'d>(
    doc: &'d Value,
    mut response: &'d Value,
    at: &str,
) -> Result<(&'d Value, String), String> {
    let mut pointer = at.to_owned();
    let mut hops = 0;
    while let Some(target) = response.get("$ref") {
        let target = target
            .as_str()
            .ok_or_else(|| format!("$ref at {pointer}/$ref is not a string"))?;
        hops += 1;
        if hops > 32 {
            return Err(format!("$ref chain from {at} does not end (loop?)"));
        }
        let Some(fragment) = target.strip_prefix('#') else {
            return Err(format!(
                "external $ref '{target}' at {pointer}/$ref: dcrspec reads one self-contained document"
            ));
        };
        let fragment = percent_decode(fragment);
        response = doc
            .pointer(&fragment)
            .ok_or_else(|| format!("unresolvable $ref '{target}' at {pointer}/$ref"))?;
        pointer = fragment;
    }
    if !response.is_object() {
        return Err(format!("the response at {pointer} is not an object"));
    }
    Ok((response, pointer))
}

/// The JSON body schema of a Response Object, `None` when it documents no body.
fn json_schema_of<'d>(
    response: &'d Value,
    at: &str,
) -> Result<Option<(&'d Value, String)>, String> {
    let content = match response.get("content") {
        None => return Ok(None),
        Some(Value::Object(c)) if c.is_empty() => return Ok(None),
        Some(Value::Object(c)) => c,
        Some(_) => return Err(format!("\"content\" at {at}/content is not an object")),
    };
    // Exact application/json first, then with parameters, then any +json type.
    let essence = |mt: &str| {
        mt.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    };
    let pick = content
        .keys()
        .find(|mt| *mt == "application/json")
        .or_else(|| content.keys().find(|mt| essence(mt) == "application/json"))
        .or_else(|| content.keys().find(|mt| essence(mt).ends_with("+json")));
    let Some(media_type) = pick else {
        let types: Vec<&str> = content.keys().map(String::as_str).collect();
        return Err(format!(
            "the response at {at} documents no JSON body (only {}); dcrspec checks JSON bodies",
            types.join(", ")
        ));
    };
    let media_ptr = format!("{at}/content/{}", escape_pointer(media_type));
    // A JSON media type without a schema documents "some JSON": the `true` schema.
    static ANY_JSON: Value = Value::Bool(true);
    Ok(Some(match content[media_type].get("schema") {
        Some(schema) => (schema, format!("{media_ptr}/schema")),
        None => (&ANY_JSON, media_ptr),
    }))
}
