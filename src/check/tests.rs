//! Every expectation kind, each with a case that holds and a case that breaks.

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
    let seen = Observed {
        status,
        headers: &headers,
        body: body.as_bytes(),
        json: json.as_ref(),
        operation: op,
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
fn json_predicates() {
    let ok = |spec: Value| judge(spec, 200, &[], CLIENT, None);
    assert!(ok(json!({"json": "/client_id", "present": true})).is_ok());
    assert!(ok(json!({"json": "/client_secret", "present": true})).is_err());
    assert!(ok(json!({"json": "/client_secret", "absent": true})).is_ok());
    assert!(ok(json!({"json": "/client_id", "absent": true})).is_err());
    assert!(ok(json!({"json": "/client_secret", "absent_or_empty": true})).is_ok());
    assert!(ok(json!({"json": "/client_name", "absent_or_empty": true})).is_err());
    assert!(ok(json!({"json": "/client_id", "non_empty_string": true})).is_ok());
    assert!(ok(json!({"json": "/redirect_uris", "non_empty_string": true})).is_err());
    assert!(ok(json!({"json": "/client_id", "equals": "{{a.client_id}}"})).is_ok());
    assert!(ok(json!({"json": "/client_name", "equals": "{{a.client_id}}"})).is_err());
    assert!(ok(json!({"json": "/client_name", "not_equals": "other"})).is_ok());
    assert!(ok(json!({"json": "/client_name", "not_equals": "n"})).is_err());
    assert!(ok(json!({"json": "/nothing", "not_equals": "n"})).is_err());
    assert!(ok(json!({"json": "/client_name", "contains": "n"})).is_ok());
    assert!(ok(json!({"json": "/client_name", "contains": "zz"})).is_err());
    let m = judge(
        json!({"json": "/a", "present": true}),
        200,
        &[],
        "not json",
        None,
    )
    .unwrap_err();
    assert!(m.actual.contains("not JSON"), "{}", m.actual);
}

#[test]
fn empty_values_count_as_empty() {
    for body in [
        r#"{"s":""}"#,
        r#"{"s":null}"#,
        r#"{"s":[]}"#,
        r#"{"s":{}}"#,
        "{}",
    ] {
        assert!(
            judge(
                json!({"json": "/s", "absent_or_empty": true}),
                200,
                &[],
                body,
                None
            )
            .is_ok(),
            "{body}"
        );
    }
}

#[test]
fn header_predicates_ignore_name_and_value_case() {
    let h = [("www-authenticate", "Bearer error=\"invalid_token\"")];
    assert!(
        judge(
            json!({"header": "WWW-Authenticate", "present": true}),
            401,
            &h,
            "",
            None
        )
        .is_ok()
    );
    assert!(
        judge(
            json!({"header": "WWW-Authenticate", "contains": "bearer"}),
            401,
            &h,
            "",
            None
        )
        .is_ok()
    );
    assert!(
        judge(
            json!({"header": "WWW-Authenticate", "present": true}),
            401,
            &[],
            "",
            None
        )
        .is_err()
    );
    assert!(
        judge(
            json!({"header": "Cache-Control", "contains": "no-store"}),
            200,
            &h,
            "",
            None
        )
        .is_err()
    );
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
fn matches_uses_a_regular_expression_checked_at_load() {
    let body = r#"{"error":"invalid_client_metadata","error_description":"bad \"x\""}"#;
    assert!(
        judge(
            json!({"json": "/error", "matches": "^[a-z_]+$"}),
            400,
            &[],
            body,
            None
        )
        .is_ok()
    );
    let m = judge(
        json!({"json": "/error_description", "matches": "^[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*$"}),
        400,
        &[],
        body,
        None,
    )
    .unwrap_err();
    assert!(m.expected.contains("matching"), "{}", m.expected);
    assert!(
        judge(
            json!({"json": "/missing", "matches": ".*"}),
            400,
            &[],
            body,
            None
        )
        .is_err()
    );
    assert!(serde_json::from_value::<Expect>(json!({"json": "/a", "matches": "("})).is_err());
}

#[test]
fn lacks_holds_when_absent_or_not_contained() {
    let body = r#"{"client_secret":"s3cret-abc","client_id_issued_at":123456789}"#;
    let ok = |spec: Value| judge(spec, 200, &[], body, None).is_ok();
    assert!(ok(json!({"json": "/client_secret", "lacks": "chosen"})));
    assert!(ok(json!({"json": "/missing", "lacks": "anything"})));
    assert!(!ok(
        json!({"json": "/client_secret", "lacks": "{{a.client_id}}"})
    ));
    // Non-strings are judged by their JSON text.
    assert!(!ok(
        json!({"json": "/client_id_issued_at", "lacks": "123456789"})
    ));
    assert!(ok(json!({"json": "/client_id_issued_at", "lacks": "987"})));
    // Headers: case-insensitive, and an absent header lacks everything.
    let challenge = [(
        "www-authenticate",
        "Bearer realm=\"x\", Error=\"invalid_token\"",
    )];
    let header = |spec: Value, h: &[(&str, &str)]| judge(spec, 401, h, "", None);
    let m = header(
        json!({"header": "WWW-Authenticate", "lacks": "error="}),
        &challenge,
    )
    .unwrap_err();
    assert!(
        m.expected.contains("absent or not containing"),
        "{}",
        m.expected
    );
    let bare = [("www-authenticate", "Bearer realm=\"x\"")];
    assert!(
        header(
            json!({"header": "www-authenticate", "lacks": "error="}),
            &bare
        )
        .is_ok()
    );
    assert!(
        header(
            json!({"header": "www-authenticate", "lacks": "error="}),
            &[]
        )
        .is_ok()
    );
    assert!(serde_json::from_value::<Expect>(json!({"lacks": "x"})).is_err());
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

#[test]
fn a_header_equal_to_null_is_an_absent_header() {
    // `null` reaches a predicate through a template: an optional capture of nothing.
    let contract = Contract::embedded().unwrap();
    let mut vars = Vars::new();
    vars.insert("nothing".into(), Value::Null);
    let judge_with = |spec: Value, headers: &[(String, String)], body: &str| {
        let json: Option<Value> = serde_json::from_str(body).ok();
        let seen = Observed {
            status: 401,
            headers,
            body: body.as_bytes(),
            json: json.as_ref(),
            operation: None,
        };
        evaluate(&expect(spec).check, &seen, &vars, &contract)
    };
    let spec = json!({"header": "www-authenticate", "equals": "{{nothing}}"});
    assert!(judge_with(spec.clone(), &[], "").is_ok());
    let present = vec![("www-authenticate".to_string(), "Bearer".to_string())];
    assert!(judge_with(spec, &present, "").is_err());
    // In a JSON body null stays null: an absent member is not equal to it.
    let spec = json!({"json": "/x", "equals": "{{nothing}}"});
    assert!(judge_with(spec.clone(), &[], "{}").is_err());
    assert!(judge_with(spec, &[], r#"{"x":null}"#).is_ok());
}

#[test]
fn satisfies_judges_a_value_against_an_inline_schema() {
    let both_or_neither = json!({
        "json": "",
        "satisfies": {
            "type": "object",
            "dependentRequired": {"client_secret": ["client_secret_expires_at"]},
            "properties": {"client_secret_expires_at": {"type": "integer", "minimum": 0}}
        }
    });
    let ok = r#"{"client_id":"a","client_secret":"s","client_secret_expires_at":0}"#;
    assert!(judge(both_or_neither.clone(), 201, &[], ok, None).is_ok());
    assert!(
        judge(
            both_or_neither.clone(),
            201,
            &[],
            r#"{"client_id":"a"}"#,
            None
        )
        .is_ok()
    );
    let m = judge(
        both_or_neither.clone(),
        201,
        &[],
        r#"{"client_id":"a","client_secret":"s"}"#,
        None,
    )
    .unwrap_err();
    assert!(
        m.expected.starts_with("body satisfying the schema"),
        "{m:?}"
    );
    assert!(m.actual.contains("client_secret_expires_at"), "{m:?}");
    let m = judge(
        both_or_neither.clone(),
        201,
        &[],
        r#"{"client_secret":"s","client_secret_expires_at":"0"}"#,
        None,
    )
    .unwrap_err();
    assert!(m.actual.contains("at '/client_secret_expires_at'"), "{m:?}");
    // A located member, and one that is not there.
    let string = json!({"json": "/client_id", "satisfies": {"type": "string", "minLength": 1}});
    assert!(judge(string.clone(), 201, &[], CLIENT, None).is_ok());
    let m = judge(string, 201, &[], r#"{"client_id":""}"#, None).unwrap_err();
    assert!(m.actual.starts_with("\"\" (at '/'"), "{m:?}");
    let missing = json!({"json": "/nonesuch", "satisfies": {}});
    assert_eq!(
        judge(missing, 201, &[], CLIENT, None).unwrap_err().actual,
        "absent"
    );
    // A body that is not JSON is judged as null: a schema asking for an object refuses it.
    let m = judge(both_or_neither, 400, &[], "<html>", None).unwrap_err();
    assert!(
        m.actual.starts_with("a body that is not JSON (")
            && m.actual
                .contains(": \"<html>\", judged as null (at '/': null is not of type"),
        "{m:?}"
    );
    let members_only = json!({"json": "", "satisfies": {"properties": {"client_id": false}}});
    assert!(judge(members_only.clone(), 400, &[], "<html>", None).is_ok());
    assert!(judge(members_only.clone(), 400, &[], r#"{"error":"e"}"#, None).is_ok());
    assert!(judge(members_only, 400, &[], r#"{"client_id":"x"}"#, None).is_err());
    let located = json!({"json": "/a", "satisfies": {}});
    let m = judge(located, 400, &[], "<html>", None).unwrap_err();
    assert!(m.actual.starts_with("a body that is not JSON ("), "{m:?}");
}

#[test]
fn satisfies_patterns_use_ascii_escapes() {
    let charset = json!({
        "json": "",
        "satisfies": {"properties": {"error_description": {
            "type": "string", "pattern": "^[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*$"
        }}}
    });
    let ok = r#"{"error":"invalid_client_metadata","error_description":"Bad 'x'."}"#;
    assert!(judge(charset.clone(), 400, &[], ok, None).is_ok());
    for bad in [
        r#"{"error":"e","error_description":"a \"quoted\" value"}"#,
        r#"{"error":"e","error_description":"line\n"}"#,
        r#"{"error":"e","error_description":"back\\slash"}"#,
        r#"{"error":"e","error_description":"caf\u00e9"}"#,
    ] {
        assert!(
            judge(charset.clone(), 400, &[], bad, None).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn satisfies_refuses_a_schema_that_does_not_compile() {
    let err = serde_json::from_value::<Expect>(json!({"json": "", "satisfies": {"type": 5}}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("`satisfies`: not a JSON Schema"), "{err}");
    let err =
        serde_json::from_value::<Expect>(json!({"json": "", "satisfies": {}, "present": true}))
            .unwrap_err()
            .to_string();
    assert!(err.contains("exactly one of"), "{err}");
}
