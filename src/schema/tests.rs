//! The shipped contract: its operation table and what its schemas accept and reject.
//! Loading user documents (and every way that can fail) is tested in `load_tests`.

use serde_json::{Value, json};

use super::generate::hydra_api_json;
use super::*;

fn embedded() -> Contract {
    Contract::embedded().unwrap_or_else(|e| panic!("{e}"))
}

fn schema(name: &str) -> Documented {
    Documented::Schema(name.into())
}

/// A create response shaped like Hydra v2.3.0's, with every field the schema documents.
fn hydra_like_client() -> Value {
    json!({
        "client_id": "0b1c1e43-5f8a-4a4c-9a26-3d0f5c2b7e11",
        "client_name": "dcrspec probe",
        "client_secret": "k3Vx7rQ9mZ2pL8sT4wY6nB1cD5",
        "client_secret_expires_at": 0,
        "client_uri": "",
        "contacts": ["ops@client.example"],
        "created_at": "2025-05-01T12:00:00Z",
        "updated_at": "2025-05-01T12:00:00.123456Z",
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "redirect_uris": ["https://client.example/cb"],
        "post_logout_redirect_uris": [],
        "allowed_cors_origins": [],
        "audience": [],
        "jwks": {},
        "metadata": {},
        "owner": "",
        "policy_uri": "",
        "tos_uri": "",
        "logo_uri": "",
        "registration_access_token": "ory_at_abc.def",
        "registration_client_uri": "http://127.0.0.1:4444/oauth2/register/0b1c1e43-5f8a-4a4c-9a26-3d0f5c2b7e11",
        "request_object_signing_alg": "",
        "scope": "offline_access offline openid",
        "skip_consent": false,
        "skip_logout_consent": false,
        "subject_type": "public",
        "token_endpoint_auth_method": "client_secret_basic",
        "userinfo_signed_response_alg": "none",
        "authorization_code_grant_access_token_lifespan": "1h0m0s"
    })
}

fn errors_of(contract: &Contract, name: &str, instance: &Value) -> Vec<String> {
    match contract.validate(name, instance) {
        Ok(()) => panic!("{instance} should fail {name}"),
        Err(errors) => errors,
    }
}

#[test]
fn embedded_contract_has_the_three_hydra_schemas() {
    let contract = embedded();
    assert_eq!(
        contract.schema_names(),
        ["error-oauth2", "generic-error", "oauth2-client"]
    );
    assert!(
        contract.origin().contains("embedded"),
        "{}",
        contract.origin()
    );
}

#[test]
fn embedded_operation_table_matches_hydras_api_reference() {
    let c = embedded();
    use Operation::*;
    let expected = [
        (Create, 201, schema("oauth2-client")),
        (Create, 400, schema("error-oauth2")),
        (Create, 500, schema("error-oauth2")), // default
        (Create, 200, schema("error-oauth2")), // default: the document has no 200 for create
        (Read, 200, schema("oauth2-client")),
        (Read, 401, schema("error-oauth2")),
        (Update, 200, schema("oauth2-client")),
        (Update, 404, schema("error-oauth2")),
        (Update, 403, schema("error-oauth2")),
        (Delete, 204, Documented::Empty),
        (Delete, 401, schema("generic-error")), // delete's default is genericError, not errorOAuth2
    ];
    for (op, status, want) in expected {
        assert_eq!(c.documented(op, status), want, "{op:?} {status}");
    }
    assert_eq!(c.route(Create), Some(("POST", "/oauth2/register")));
    assert_eq!(c.route(Delete), Some(("DELETE", "/oauth2/register/{id}")));
}

#[test]
fn operation_ids_round_trip() {
    for op in Operation::ALL {
        assert_eq!(Operation::from_operation_id(op.operation_id()), Some(op));
    }
    assert_eq!(Operation::from_operation_id("createOAuth2Client"), None);
}

#[test]
fn a_hydra_like_client_passes() {
    assert_eq!(
        embedded().validate("oauth2-client", &hydra_like_client()),
        Ok(())
    );
    assert_eq!(
        embedded().validate("oauth2-client", &json!({})),
        Ok(()),
        "the schema requires nothing"
    );
}

#[test]
fn null_contacts_fail_as_in_hydra_issue_4116() {
    let mut client = hydra_like_client();
    client["contacts"] = Value::Null;
    let errors = errors_of(&embedded(), "oauth2-client", &client);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("at '/contacts': null is not of type"),
        "{errors:?}"
    );
}

#[test]
fn every_error_is_reported_with_its_instance_path() {
    let mut client = hydra_like_client();
    client["redirect_uris"] = Value::Null;
    client["client_name"] = json!(5);
    client["skip_consent"] = json!("no");
    client["grant_types"] = json!(["code", 7]);
    let errors = errors_of(&embedded(), "oauth2-client", &client);
    for path in [
        "/redirect_uris",
        "/client_name",
        "/skip_consent",
        "/grant_types/1",
    ] {
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(&format!("at '{path}': "))),
            "{path} in {errors:?}"
        );
    }
    assert_eq!(errors.len(), 4, "{errors:?}");
}

#[test]
fn lifespans_are_duration_strings_and_never_null() {
    let c = embedded();
    let mut client = hydra_like_client();
    client["refresh_token_grant_refresh_token_lifespan"] = json!("720h0m0s");
    assert_eq!(c.validate("oauth2-client", &client), Ok(()));
    client["refresh_token_grant_refresh_token_lifespan"] = json!("one month");
    assert!(errors_of(&c, "oauth2-client", &client)[0].contains("does not match"));
    client["refresh_token_grant_refresh_token_lifespan"] = Value::Null;
    errors_of(&c, "oauth2-client", &client);
}

#[test]
fn documented_formats_are_asserted() {
    let c = embedded();
    let mut client = hydra_like_client();
    client["created_at"] = json!("yesterday");
    let errors = errors_of(&c, "oauth2-client", &client);
    assert!(
        errors[0].starts_with("at '/created_at': ") && errors[0].contains("date-time"),
        "{errors:?}"
    );
    // `format: int64` is unknown to jsonschema and only the `type: integer` beside it counts.
    client["created_at"] = json!("2025-05-01T12:00:00+02:00");
    client["client_secret_expires_at"] = json!(99_999_999_999_u64);
    assert_eq!(c.validate("oauth2-client", &client), Ok(()));
    client["client_secret_expires_at"] = json!(1.5);
    errors_of(&c, "oauth2-client", &client);
}

#[test]
fn an_oauth2_error_body_is_not_a_generic_error() {
    let c = embedded();
    let body = json!({"error": "x", "error_description": "y"});
    assert_eq!(c.validate("error-oauth2", &body), Ok(()));
    let errors = errors_of(&c, "generic-error", &body);
    assert_eq!(errors, [r#"at '': "message" is a required property"#]);
    assert_eq!(
        c.validate(
            "generic-error",
            &json!({"message": "The resource could not be found"})
        ),
        Ok(())
    );
}

#[test]
fn a_json_array_is_neither_error_body() {
    let c = embedded();
    for name in ["error-oauth2", "generic-error", "oauth2-client"] {
        let errors = errors_of(&c, name, &json!([{"error": "x"}]));
        assert!(
            errors[0].starts_with("at '': ") && errors[0].contains("object"),
            "{errors:?}"
        );
    }
    errors_of(&c, "error-oauth2", &json!({"error": 1}));
}

#[test]
fn an_unknown_schema_name_fails_instead_of_passing() {
    let errors = errors_of(&embedded(), "oauth2_client", &json!({}));
    assert!(
        errors[0].contains("no schema named 'oauth2_client'")
            && errors[0].contains("oauth2-client")
    );
}

#[test]
fn translating_hydras_document_at_load_time_gives_the_embedded_contract() {
    let (path, _) = hydra_api_json();
    let loaded = Contract::from_openapi_file(&path).unwrap_or_else(|e| panic!("{e}"));
    let shipped = embedded();
    assert_eq!(loaded.schema_names(), shipped.schema_names());
    assert_eq!(loaded.origin(), path.display().to_string());
    for op in Operation::ALL {
        assert_eq!(loaded.route(op), shipped.route(op));
        for status in [200, 201, 204, 400, 401, 403, 404, 500] {
            assert_eq!(
                loaded.documented(op, status),
                shipped.documented(op, status),
                "{op:?} {status}"
            );
        }
    }
    let mut null_contacts = hydra_like_client();
    null_contacts["contacts"] = Value::Null;
    for instance in [
        hydra_like_client(),
        null_contacts,
        json!([]),
        json!({"error": "x"}),
    ] {
        for name in shipped.schema_names() {
            assert_eq!(
                loaded.validate(&name, &instance),
                shipped.validate(&name, &instance),
                "{name} {instance}"
            );
        }
    }
}

#[test]
fn a_broken_operations_table_is_a_load_error() {
    let cases = [
        (json!({}), "no \"operations\" object"),
        (
            json!({"operations": {}}),
            "no entry for createOidcDynamicClient",
        ),
        (
            json!({"operations": {"createOidcDynamicClient": {"responses": {"201": 1}}}}),
            "/operations/createOidcDynamicClient/responses/201 is not a string",
        ),
    ];
    for (table, want) in cases {
        let e = parse_operations("schemas/operations.json", &table)
            .err()
            .unwrap();
        assert_eq!(e.source, "schemas/operations.json");
        assert!(e.message.contains(want), "{e}");
    }
}
