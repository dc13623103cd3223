//! Loading a user's OpenAPI document: translation at load time, response and schema
//! resolution, and a one-line `LoadError` (never a panic) for every kind of bad input.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};

use super::*;

/// A file in the temp directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(extension: &str, contents: &str) -> TempFile {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "dcrspec-schema-{}-{n}.{extension}",
            std::process::id()
        ));
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn body(schema: Value) -> Value {
    json!({"description": "", "content": {"application/json": {"schema": schema}}})
}

fn component(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// The smallest document dcrspec accepts: the four operations and two component schemas.
fn minimal_doc() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "minimal", "version": "1"},
        "paths": {
            "/reg": {"post": {"operationId": "createOidcDynamicClient",
                              "responses": {"201": body(component("Client")), "default": body(component("Error"))}}},
            "/reg/{id}": {
                "get": {"operationId": "getOidcDynamicClient", "responses": {"200": body(component("Client"))}},
                "put": {"operationId": "setOidcDynamicClient", "responses": {"200": body(component("Client"))}},
                "delete": {"operationId": "deleteOidcDynamicClient", "responses": {"204": {"description": "gone"}}}
            }
        },
        "components": {"schemas": {
            "Client": {"type": "object", "required": ["client_id"], "properties": {
                "client_id": {"type": "string"},
                "contacts": {"type": "array", "items": {"type": "string"}, "nullable": true}
            }},
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
        }}
    })
}

fn load(doc: &Value) -> Result<Contract, LoadError> {
    let file = TempFile::new("json", &serde_json::to_string_pretty(doc).unwrap());
    Contract::from_openapi_file(&file.0)
}

fn load_ok(doc: &Value) -> Contract {
    load(doc).unwrap_or_else(|e| panic!("{e}"))
}

/// The error message, after checking that the error is one line naming the file.
fn load_err(doc: &Value) -> String {
    let file = TempFile::new("json", &serde_json::to_string_pretty(doc).unwrap());
    match Contract::from_openapi_file(&file.0) {
        Ok(_) => panic!("{doc} should not load"),
        Err(e) => {
            assert_eq!(e.source, file.0.display().to_string());
            assert!(!e.to_string().contains('\n'), "{e}");
            e.message
        }
    }
}

fn edit(pointer: &str, value: Value) -> Value {
    let mut doc = minimal_doc();
    *doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("{pointer} not in the minimal doc")) = value;
    doc
}

mod errors;

#[test]
fn the_minimal_document_loads_and_is_translated() {
    let c = load_ok(&minimal_doc());
    assert_eq!(c.schema_names(), ["client", "error"]);
    assert_eq!(
        c.documented(Operation::Create, 201),
        Documented::Schema("client".into())
    );
    assert_eq!(
        c.documented(Operation::Create, 418),
        Documented::Schema("error".into())
    );
    assert_eq!(c.documented(Operation::Delete, 204), Documented::Empty);
    assert_eq!(c.documented(Operation::Read, 404), Documented::Undocumented);
    assert_eq!(c.route(Operation::Update), Some(("PUT", "/reg/{id}")));
    // `nullable: true` was translated: null contacts are fine here, unlike in Hydra's schema.
    assert_eq!(
        c.validate("client", &json!({"client_id": "a", "contacts": null})),
        Ok(())
    );
    assert!(c.validate("client", &json!({"contacts": []})).is_err());
}

#[test]
fn openapi_3_1_schemas_are_used_as_they_are() {
    let mut doc = minimal_doc();
    doc["openapi"] = json!("3.1.0");
    // 3.1 has no `nullable`: a leftover one is an unknown keyword, null stays invalid.
    assert!(
        load_ok(&doc)
            .validate("client", &json!({"client_id": "a", "contacts": null}))
            .is_err()
    );
    doc["components"]["schemas"]["Client"]["properties"]["contacts"]["type"] =
        json!(["array", "null"]);
    assert_eq!(
        load_ok(&doc).validate("client", &json!({"client_id": "a", "contacts": null})),
        Ok(())
    );
}

#[test]
fn exact_status_beats_range_beats_default() {
    let mut doc = minimal_doc();
    let responses = &mut doc["paths"]["/reg"]["post"]["responses"];
    responses["404"] = json!({"description": "none"});
    responses["4xx"] = body(json!({"type": "string"}));
    let c = load_ok(&doc);
    assert_eq!(c.documented(Operation::Create, 404), Documented::Empty);
    assert_eq!(
        c.documented(Operation::Create, 400),
        Documented::Schema("create-oidc-dynamic-client-4xx".into())
    );
    assert_eq!(
        c.documented(Operation::Create, 500),
        Documented::Schema("error".into())
    );
}

#[test]
fn response_refs_and_inline_schemas_are_resolved() {
    let mut doc = minimal_doc();
    doc["components"]["responses"] = json!({
        "Gone": {"$ref": "#/components/responses/Empty"},
        "Empty": {"description": "no body"},
        "Problem": {"description": "", "content": {"application/problem+json": {"schema": {
            "type": "object", "properties": {"detail": {"$ref": "#/components/schemas/Error/properties/error"}}
        }}}}
    });
    doc["paths"]["/reg/{id}"]["delete"]["responses"] = json!({
        "204": {"$ref": "#/components/responses/Gone"},
        "default": {"$ref": "#/components/responses/Problem"}
    });
    doc["paths"]["/reg"]["post"]["responses"]["400"] =
        json!({"$ref": "#/components/responses/Problem"});
    doc["paths"]["/reg/{id}"]["get"]["responses"]["200"]["content"] =
        json!({"application/json; charset=utf-8": {"schema": component("Client")}});
    let c = load_ok(&doc);
    assert_eq!(c.documented(Operation::Delete, 204), Documented::Empty);
    let problem = "problem-response";
    assert_eq!(
        c.documented(Operation::Delete, 400),
        Documented::Schema(problem.into())
    );
    assert_eq!(
        c.documented(Operation::Create, 400),
        c.documented(Operation::Delete, 400)
    );
    assert_eq!(
        c.schema_names(),
        ["client", "error", problem],
        "bundled once"
    );
    assert_eq!(c.validate(problem, &json!({"detail": "x"})), Ok(()));
    assert!(
        c.validate(problem, &json!({"detail": 1})).is_err(),
        "the pointer $ref into Error must apply"
    );
    assert_eq!(
        c.documented(Operation::Read, 200),
        Documented::Schema("client".into())
    );
}

#[test]
fn recursive_schemas_load_and_validate() {
    let mut doc = minimal_doc();
    doc["components"]["schemas"]["Client"]["properties"]["parent"] = component("Client");
    let c = load_ok(&doc);
    assert_eq!(
        c.validate(
            "client",
            &json!({"client_id": "a", "parent": {"client_id": "b"}})
        ),
        Ok(())
    );
    assert!(
        c.validate("client", &json!({"client_id": "a", "parent": {}}))
            .is_err()
    );
}

#[test]
fn an_inline_schema_and_a_component_cannot_share_a_name() {
    let mut doc = minimal_doc();
    let clash = "create-oidc-dynamic-client-201";
    doc["components"]["schemas"][clash] = json!({"type": "string"});
    doc["paths"]["/reg"]["post"]["responses"]["201"] =
        body(json!({"properties": {"x": component(clash)}}));
    let message = load_err(&doc);
    assert!(
        message.starts_with(&format!(
            "component schema '{clash}' has the name dcrspec gives"
        )),
        "{message}"
    );
}

#[test]
fn percent_encoded_refs_resolve() {
    let mut doc = minimal_doc();
    doc["components"]["schemas"]["Client"]["properties"]["client_id"] =
        json!({"$ref": "#/components/schemas/Error/properties/%65rror"});
    let c = load_ok(&doc);
    assert!(c.validate("client", &json!({"client_id": 1})).is_err());
    assert_eq!(c.validate("client", &json!({"client_id": "a"})), Ok(()));
}
