//! Loading a user's OpenAPI document: every way it can be unusable is a one-line
//! `LoadError` naming the file and the place, never a panic.

use serde_json::json;

use super::*;

#[test]
fn unreadable_or_unparsable_files_are_load_errors() {
    let missing = std::env::temp_dir().join("dcrspec-schema-does-not-exist.json");
    let e = Contract::from_openapi_file(&missing).err().unwrap();
    assert!(e.message.starts_with("cannot read: "), "{e}");

    let file = TempFile::new("json", "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {,}\n}");
    let e = Contract::from_openapi_file(&file.0).err().unwrap();
    assert!(
        e.message.starts_with("invalid JSON at line 3, column 13: "),
        "{e}"
    );
    assert!(!e.message.contains(" at line 3 column"), "said twice: {e}");

    let file = TempFile::new("yaml", "openapi: 3.0.3\n");
    let e = Contract::from_openapi_file(&file.0).err().unwrap();
    assert!(
        e.message.starts_with("invalid JSON at line 1, column 1") && e.message.contains("YAML"),
        "{e}"
    );
}

#[test]
fn documents_that_are_not_openapi_3_are_load_errors() {
    assert!(load_err(&json!([])).contains("not a JSON object"));
    assert!(load_err(&json!({"info": {}})).contains("no \"openapi\" version string at /openapi"));
    assert!(load_err(&json!({"swagger": "2.0"})).contains("Swagger 2.0"));
    assert!(
        load_err(&edit("/openapi", json!("4.0.0"))).contains("unsupported OpenAPI version '4.0.0'")
    );
    let mut doc = minimal_doc();
    doc.as_object_mut().unwrap().shift_remove("paths");
    assert!(load_err(&doc).contains("no \"paths\" object"));
}

#[test]
fn missing_or_duplicated_operations_are_load_errors() {
    let mut doc = minimal_doc();
    doc["paths"]["/reg/{id}"]["get"]["operationId"] = json!("getClient");
    doc["paths"]["/reg/{id}"]["put"]["operationId"] = json!("setClient");
    let message = load_err(&doc);
    assert!(
        message.starts_with(
            "no operation with operationId getOidcDynamicClient, setOidcDynamicClient "
        ),
        "{message}"
    );

    let doc = edit(
        "/paths/~1reg~1{id}/put/operationId",
        json!("getOidcDynamicClient"),
    );
    let message = load_err(&doc);
    assert!(
        message.contains("'getOidcDynamicClient' is used twice: GET /reg/{id} and PUT /reg/{id}"),
        "{message}"
    );

    let doc = edit("/paths/~1reg/post/responses", json!([]));
    assert!(load_err(&doc).contains("no \"responses\" object at /paths/~1reg/post/responses"));
}

#[test]
fn bad_responses_are_load_errors_with_their_pointer() {
    let doc = edit(
        "/paths/~1reg/post/responses/201",
        json!({"$ref": "#/components/responses/Nope"}),
    );
    assert_eq!(
        load_err(&doc),
        "unresolvable $ref '#/components/responses/Nope' at /paths/~1reg/post/responses/201/$ref"
    );
    let doc = edit(
        "/paths/~1reg/post/responses/201",
        json!({"$ref": "common.json#/Created"}),
    );
    assert!(load_err(&doc).starts_with(
        "external $ref 'common.json#/Created' at /paths/~1reg/post/responses/201/$ref"
    ));

    let mut doc = minimal_doc();
    doc["paths"]["/reg"]["post"]["responses"]["2X0"] = json!({"description": ""});
    assert!(
        load_err(&doc).starts_with(
            "response key '2X0' at /paths/~1reg/post/responses/2X0 is not a status code"
        )
    );

    let doc = edit(
        "/paths/~1reg/post/responses/201/content",
        json!({"text/html": {}}),
    );
    let message = load_err(&doc);
    assert!(
        message
            .contains("at /paths/~1reg/post/responses/201 documents no JSON body (only text/html)"),
        "{message}"
    );
}

#[test]
fn bad_schema_refs_are_load_errors_with_their_pointer() {
    let doc = edit(
        "/components/schemas/Client/properties/contacts/items",
        component("Missing"),
    );
    assert_eq!(
        load_err(&doc),
        "unresolvable $ref '#/components/schemas/Missing' at /components/schemas/Client/properties/contacts/items/$ref"
    );
    let doc = edit(
        "/paths/~1reg/post/responses/201/content/application~1json/schema",
        component("Nope"),
    );
    let message = load_err(&doc);
    assert!(
        message.starts_with("unresolvable $ref '#/components/schemas/Nope' at /paths/~1reg/post/"),
        "{message}"
    );

    let doc = edit(
        "/components/schemas/Client/properties/client_id",
        json!({"$ref": "#/paths"}),
    );
    assert!(load_err(&doc).starts_with(
        "unsupported $ref '#/paths' at /components/schemas/Client/properties/client_id/$ref"
    ));
    let doc = edit(
        "/components/schemas/Client/properties/client_id",
        json!({"$ref": "https://x.example/s.json"}),
    );
    assert!(load_err(&doc).starts_with("external $ref 'https://x.example/s.json'"));
    let doc = edit(
        "/components/schemas/Client/properties/client_id",
        json!({"$ref": 7}),
    );
    assert!(load_err(&doc).starts_with(
        "$ref at /components/schemas/Client/properties/client_id/$ref is not a string"
    ));
}

#[test]
fn schemas_that_do_not_compile_are_load_errors_pointing_into_the_document() {
    let doc = edit(
        "/components/schemas/Client/properties/client_id",
        json!({"type": "text"}),
    );
    let message = load_err(&doc);
    assert!(
        message.starts_with("schema 'client' does not compile at /components/schemas/Client/properties/client_id/type: "),
        "{message}"
    );
    let doc = edit(
        "/components/schemas/Error/properties/error",
        json!({"type": "string", "pattern": "(unclosed"}),
    );
    let message = load_err(&doc);
    assert!(
        message.starts_with(
            "schema 'error' does not compile at /components/schemas/Error/properties/error"
        ),
        "{message}"
    );
}
