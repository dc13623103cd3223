//! Every expectation kind, each with a case that holds and a case that breaks; the
//! predicates of `json` and `header` are tested in `predicates`.

mod predicates;

use serde_json::{Value, json};

use super::*;
use crate::schema::{Contract, Operation};
use crate::suite::Expect;
use crate::template::Vars;

fn expect(spec: Value) -> Expect {
    serde_json::from_value(spec).unwrap_or_else(|e| panic!("{e}"))
}

fn judge(
    spec: Value,
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
    op: Option<Operation>,
) -> Result<(), Mismatch> {
    let e = expect(spec);
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let json: Option<Value> = serde_json::from_str(body).ok();
    let origins = crate::origins::AllowedOrigins::for_target("http://127.0.0.1:4444").unwrap();
    let seen = Observed {
        status,
        headers: &headers,
        body: body.as_bytes(),
        json: json.as_ref(),
        operation: op,
        origins: Some(&origins),
    };
    let mut vars = Vars::new();
    vars.insert("a.client_id".into(), json!("abc"));
    let contract = Contract::embedded().unwrap();
    evaluate(&e.check, &seen, &vars, &contract)
}

const CLIENT: &str =
    r#"{"client_id":"abc","client_name":"n","redirect_uris":["https://rp.example/cb"]}"#;

#[test]
fn status_matches_codes_and_classes() {
    assert!(judge(json!({"status": 201}), 201, &[], "", None).is_ok());
    assert!(judge(json!({"status": [200, 201]}), 200, &[], "", None).is_ok());
    assert!(judge(json!({"status": "4xx"}), 404, &[], "", None).is_ok());
    let m = judge(json!({"status": 201}), 200, &[], "", None).unwrap_err();
    assert_eq!(
        (m.expected.as_str(), m.actual.as_str()),
        ("status 201", "status 200")
    );
    assert!(judge(json!({"status": "4xx"}), 500, &[], "", None).is_err());
}

#[test]
fn content_type_ignores_parameters_and_case() {
    let ct = [("content-type", "Application/JSON; charset=utf-8")];
    assert!(
        judge(
            json!({"content_type": "application/json"}),
            200,
            &ct,
            "{}",
            None
        )
        .is_ok()
    );
    let html = [("content-type", "text/html")];
    assert!(
        judge(
            json!({"content_type": "application/json"}),
            200,
            &html,
            "<p>",
            None
        )
        .is_err()
    );
    let m = judge(
        json!({"content_type": "application/json"}),
        200,
        &[],
        "{}",
        None,
    )
    .unwrap_err();
    assert_eq!(m.actual, "no Content-Type");
}

#[test]
fn documented_uses_the_operation_and_status() {
    assert!(
        judge(
            json!({"documented": true}),
            201,
            &[],
            CLIENT,
            Some(Operation::Create)
        )
        .is_ok()
    );
    // A client whose array is null breaks the published schema.
    let nulls = r#"{"client_id":"abc","contacts":null}"#;
    assert!(
        judge(
            json!({"documented": true}),
            200,
            &[],
            nulls,
            Some(Operation::Read)
        )
        .is_err()
    );
    // Deletion documents an empty 204.
    assert!(
        judge(
            json!({"documented": true}),
            204,
            &[],
            "",
            Some(Operation::Delete)
        )
        .is_ok()
    );
    assert!(
        judge(
            json!({"documented": true}),
            204,
            &[],
            "{}",
            Some(Operation::Delete)
        )
        .is_err()
    );
    // Not an operation at all.
    assert!(judge(json!({"documented": true}), 200, &[], "{}", None).is_err());
    // HTML is not JSON.
    assert!(
        judge(
            json!({"documented": true}),
            404,
            &[],
            "<html>",
            Some(Operation::Read)
        )
        .is_err()
    );
}

#[test]
fn schema_validates_against_a_named_schema() {
    assert!(judge(json!({"schema": "oauth2-client"}), 200, &[], CLIENT, None).is_ok());
    let m = judge(
        json!({"schema": "oauth2-client"}),
        200,
        &[],
        r#"{"client_id": 5}"#,
        None,
    )
    .unwrap_err();
    assert!(m.actual.contains("oauth2-client"), "{}", m.actual);
}

#[test]
fn body_empty() {
    assert!(judge(json!({"body_empty": true}), 204, &[], "", None).is_ok());
    let m = judge(json!({"body_empty": true}), 204, &[], "{}", None).unwrap_err();
    assert!(m.actual.contains("{}"), "{}", m.actual);
}

#[test]
fn malformed_expectations_are_refused() {
    for bad in [
        json!({"rule": "x"}),
        json!({"status": 201, "json": "/a", "present": true}),
        json!({"json": "/a"}),
        json!({"json": "/a", "present": true, "absent": true}),
        json!({"present": true}),
        json!({"status": 99}),
        json!({"status": "4x"}),
        json!({"json": "a", "present": true}),
        json!({"status": 200, "unknown_kind": 1}),
    ] {
        assert!(
            serde_json::from_value::<Expect>(bad.clone()).is_err(),
            "accepted {bad}"
        );
    }
}

#[test]
fn body_lacks_reads_the_raw_body_whatever_its_format() {
    let ok = |text: &str| {
        judge(
            json!({"body_lacks": "{{a.client_id}}"}),
            401,
            &[],
            text,
            None,
        )
    };
    assert!(ok(r#"{"error":"invalid_token"}"#).is_ok());
    assert!(ok("<html><p>denied</p></html>").is_ok());
    assert!(ok("").is_ok());
    let m = ok("<p>client abc is not yours</p>").unwrap_err();
    assert!(m.actual.contains("byte 10"), "{}", m.actual);
    assert_eq!(m.expected, "a body not containing \"{{a.client_id}}\"");
    let e = expect(json!({"body_lacks": "{{x.y}}"}));
    assert_eq!(e.check.template_names(), vec!["x.y".to_string()]);
    for bad in [
        json!({"body_lacks": ""}),
        json!({"body_lacks": "x", "status": 401}),
    ] {
        assert!(
            serde_json::from_value::<Expect>(bad.clone()).is_err(),
            "{bad}"
        );
    }
}
