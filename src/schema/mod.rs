//! The response contract: which response each DCR operation documents per status code,
//! and compiled JSON Schema 2020-12 validators for the documented bodies.
//!
//! Two sources: the contract shipped in `schemas/` (derived from Hydra v2.3.0's published
//! OpenAPI document by the `schemas_are_derived_from_hydra_v2_3_0` test and embedded in the
//! binary), or a user's OpenAPI 3.0/3.1 document translated at load time.
//!
//! Validation is draft 2020-12, offline, with `format` asserted: a documented
//! `format: date-time` is part of the contract, and 2020-12 would otherwise only annotate it.
//! Formats jsonschema does not know (OpenAPI's `int64`, `int32`) are ignored.

mod bundle;
mod derive;
#[cfg(test)]
mod generate;
#[cfg(test)]
mod load_tests;
#[cfg(test)]
mod tests;
mod translate;

use std::collections::BTreeMap;
use std::path::Path;

use jsonschema::{Draft, Validator};
use serde_json::Value;

pub use translate::openapi30_to_2020_12;

use crate::error::LoadError;
use bundle::BundledSchema;
use derive::{Derived, OperationEntry};

/// The four DCR operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    Create,
    Read,
    Update,
    Delete,
}

impl Operation {
    pub const ALL: [Operation; 4] = [
        Operation::Create,
        Operation::Read,
        Operation::Update,
        Operation::Delete,
    ];

    /// Hydra's operationId, by which the operation is found in an OpenAPI document.
    pub fn operation_id(self) -> &'static str {
        match self {
            Operation::Create => "createOidcDynamicClient",
            Operation::Read => "getOidcDynamicClient",
            Operation::Update => "setOidcDynamicClient",
            Operation::Delete => "deleteOidcDynamicClient",
        }
    }

    pub fn from_operation_id(id: &str) -> Option<Operation> {
        Operation::ALL
            .into_iter()
            .find(|op| op.operation_id() == id)
    }
}

/// What the contract documents for one (operation, status).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Documented {
    /// A JSON body valid against the named schema (e.g. "oauth2-client").
    Schema(String),
    /// A response without a body (the 204 of delete).
    Empty,
    /// Neither this status, its range (4XX) nor `default` is documented.
    Undocumented,
}

/// Compiled validators by name and the operation table. `Send + Sync`: share it in an `Arc`.
pub struct Contract {
    origin: String,
    validators: BTreeMap<String, Validator>,
    /// The standalone 2020-12 document of each validator, by the same name.
    documents: BTreeMap<String, Value>,
    /// In `Operation::ALL` order: method, path template, and per status key ("201", "4XX",
    /// "default") the documented response.
    operations: Vec<OperationEntry>,
}

/// The shipped contract, one `(name, file, text)` per schema; kept in step with the
/// generator by `schemas_are_derived_from_hydra_v2_3_0`.
const EMBEDDED_SCHEMAS: [(&str, &str, &str); 3] = [
    (
        "error-oauth2",
        "schemas/error-oauth2.schema.json",
        include_str!("../../schemas/error-oauth2.schema.json"),
    ),
    (
        "generic-error",
        "schemas/generic-error.schema.json",
        include_str!("../../schemas/generic-error.schema.json"),
    ),
    (
        "oauth2-client",
        "schemas/oauth2-client.schema.json",
        include_str!("../../schemas/oauth2-client.schema.json"),
    ),
];
const EMBEDDED_OPERATIONS: (&str, &str) = (
    "schemas/operations.json",
    include_str!("../../schemas/operations.json"),
);
/// RFC 7591 §2 client metadata, written for dcrspec (not generated from Hydra): the
/// client schema `dcrspec fuzz` derives its model from under a profile that does not
/// follow Ory's contract (`fuzz::model`). `(file, text)`.
pub const RFC7591_CLIENT_METADATA: (&str, &str) = (
    "schemas/rfc7591-client-metadata.schema.json",
    include_str!("../../schemas/rfc7591-client-metadata.schema.json"),
);
/// What operations.json says for a response without a body.
const EMPTY: &str = "empty";

impl Contract {
    /// The contract shipped in schemas/ (embedded with include_str!, so the binary works anywhere).
    pub fn embedded() -> Result<Contract, LoadError> {
        let mut schemas = Vec::new();
        for (name, file, text) in EMBEDDED_SCHEMAS {
            let schema = parse_json(file, text)?;
            schemas.push(BundledSchema {
                name: name.into(),
                pointer: String::new(),
                schema,
                origins: Vec::new(),
            });
        }
        let (file, text) = EMBEDDED_OPERATIONS;
        let operations = parse_operations(file, &parse_json(file, text)?)?;
        let derived = Derived {
            schemas,
            operations,
        };
        Contract::compile(
            "Hydra v2.3.0 contract (embedded schemas/)",
            derived,
            |name| format!("schemas/{name}.schema.json (embedded)"),
        )
    }

    /// Translate a user's OpenAPI 3.0.x (or 3.1) document at load time; find the four operations by operationId,
    /// resolve response `$ref`s into #/components/responses, pick the application/json schema.
    pub fn from_openapi_file(path: &Path) -> Result<Contract, LoadError> {
        let source = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| LoadError::new(&source, format!("cannot read: {e}")))?;
        let doc = parse_json(&source, &text).map_err(|mut e| {
            let yaml = path
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("yaml") || x.eq_ignore_ascii_case("yml"));
            if yaml {
                e.message
                    .push_str(" (dcrspec reads OpenAPI documents as JSON; convert YAML first)");
            }
            e
        })?;
        let derived = derive::derive(&doc, &source)?;
        Contract::compile(&source, derived, |_| source.clone())
    }

    /// The documented response for `op` answering `status` (exact code first, then the
    /// range like `4XX`, then `default`).
    pub fn documented(&self, op: Operation, status: u16) -> Documented {
        let Some(entry) = self.operations.iter().find(|e| e.op == op) else {
            return Documented::Undocumented;
        };
        let responses = &entry.responses;
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        [exact.as_str(), range.as_str(), "default"]
            .iter()
            .find_map(|key| responses.iter().find(|(k, _)| k == key))
            .map_or(Documented::Undocumented, |(_, d)| d.clone())
    }

    /// Validate against a named schema; Ok(()) or every error as "at '/ptr': message" (instance path).
    /// An unknown name is an error too, so a typo in a rule cannot pass silently.
    pub fn validate(&self, schema: &str, instance: &Value) -> Result<(), Vec<String>> {
        let Some(validator) = self.validators.get(schema) else {
            return Err(vec![format!(
                "the contract has no schema named '{schema}' (it has: {})",
                self.schema_names().join(", ")
            )]);
        };
        // A hostile body can break the schema a million times: format the first
        // hundred, count the rest.
        const SHOWN: usize = 100;
        let mut errors: Vec<String> = Vec::new();
        let mut more = 0usize;
        for e in validator.iter_errors(instance) {
            if errors.len() < SHOWN {
                errors.push(format!("at '{}': {e}", e.instance_path()));
            } else {
                more += 1;
            }
        }
        if more > 0 {
            errors.push(format!("{more} more errors not shown"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The standalone JSON Schema 2020-12 document (`{"$schema", "$ref", "$defs"}`) of a
    /// named schema, as compiled: what `dcrspec fuzz` derives client metadata from.
    pub fn document(&self, schema: &str) -> Option<&Value> {
        self.documents.get(schema)
    }

    /// Names of the schemas available ("oauth2-client", "error-oauth2", "generic-error", ...), sorted.
    pub fn schema_names(&self) -> Vec<String> {
        self.validators.keys().cloned().collect()
    }

    /// The documented method (upper case, e.g. "POST") and path template (e.g.
    /// "/oauth2/register/{id}") of `op`.
    pub fn route(&self, op: Operation) -> Option<(&str, &str)> {
        let entry = self.operations.iter().find(|e| e.op == op)?;
        Some((entry.method.as_str(), entry.path.as_str()))
    }

    /// Where the contract came from (the OpenAPI file, or the embedded Hydra contract), for reports.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// `label(name)` names the schema's source in compile errors.
    fn compile(
        origin: &str,
        derived: Derived,
        label: impl Fn(&str) -> String,
    ) -> Result<Contract, LoadError> {
        let mut validators = BTreeMap::new();
        let mut documents = BTreeMap::new();
        for bundled in derived.schemas {
            let validator = jsonschema::options()
                .with_draft(Draft::Draft202012)
                .offline()
                .should_validate_formats(true)
                .build(&bundled.schema)
                .map_err(|e| {
                    // Build errors are the schema failing its meta-schema, so the instance
                    // path is a pointer into the bundle; map it back to the source document.
                    let at = source_pointer(&bundled, &e.instance_path().to_string());
                    LoadError::new(
                        label(&bundled.name),
                        format!("schema '{}' does not compile at {at}: {e}", bundled.name),
                    )
                })?;
            validators.insert(bundled.name.clone(), validator);
            documents.insert(bundled.name, bundled.schema);
        }
        for entry in &derived.operations {
            for (status, documented) in &entry.responses {
                if let Documented::Schema(name) = documented
                    && !validators.contains_key(name)
                {
                    return Err(LoadError::new(
                        origin,
                        format!(
                            "{} {status} names schema '{name}', which is not in the contract",
                            entry.op.operation_id()
                        ),
                    ));
                }
            }
        }
        let mut operations = derived.operations;
        for entry in &mut operations {
            // OpenAPI spells methods in lower case; HTTP and reports use upper case.
            entry.method.make_ascii_uppercase();
        }
        Ok(Contract {
            origin: origin.to_owned(),
            validators,
            documents,
            operations,
        })
    }
}

/// `/$defs/oAuth2Client/properties/x` → `/components/schemas/oAuth2Client/properties/x`.
fn source_pointer(bundled: &BundledSchema, bundle_ptr: &str) -> String {
    let Some(rest) = bundle_ptr.strip_prefix("/$defs/") else {
        return if bundle_ptr.is_empty() {
            "/".into()
        } else {
            bundle_ptr.into()
        };
    };
    let (key, tail) = rest
        .split_once('/')
        .map_or((rest, String::new()), |(k, t)| (k, format!("/{t}")));
    match bundled.origins.iter().find(|(k, _)| k == key) {
        Some((_, origin)) => format!("{origin}{tail}"),
        None => bundle_ptr.into(),
    }
}

fn parse_json(source: &str, text: &str) -> Result<Value, LoadError> {
    serde_json::from_str(text).map_err(|e| {
        // serde_json appends " at line L column C"; say it once, in our words.
        let full = e.to_string();
        let what = full
            .rsplit_once(" at line ")
            .map_or(full.as_str(), |(what, _)| what);
        LoadError::new(
            source,
            format!(
                "invalid JSON at line {}, column {}: {what}",
                e.line(),
                e.column()
            ),
        )
    })
}

/// Reads operations.json: `{"operations": {operationId: {"method", "path", "responses": {status: name|"empty"}}}}`.
fn parse_operations(file: &str, doc: &Value) -> Result<Vec<OperationEntry>, LoadError> {
    let fail = |m: String| LoadError::new(file, m);
    let table = doc
        .get("operations")
        .and_then(Value::as_object)
        .ok_or_else(|| fail("no \"operations\" object".into()))?;
    let mut entries = Vec::new();
    for op in Operation::ALL {
        let id = op.operation_id();
        let entry = table
            .get(id)
            .ok_or_else(|| fail(format!("no entry for {id} at /operations/{id}")))?;
        let text = |key: &str| {
            entry
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let responses = entry
            .get("responses")
            .and_then(Value::as_object)
            .ok_or_else(|| {
                fail(format!(
                    "no \"responses\" object at /operations/{id}/responses"
                ))
            })?;
        let mut documented = Vec::new();
        for (status, what) in responses {
            let what = match what.as_str() {
                Some(EMPTY) => Documented::Empty,
                Some(name) => Documented::Schema(name.to_owned()),
                None => {
                    return Err(fail(format!(
                        "/operations/{id}/responses/{status} is not a string"
                    )));
                }
            };
            documented.push((status.clone(), what));
        }
        entries.push(OperationEntry {
            op,
            method: text("method"),
            path: text("path"),
            responses: documented,
        });
    }
    Ok(entries)
}

// The runner shares one Contract across trial threads.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Contract>();
};
