//! The predicates of `json` and `header` expectations (present, equals, matches, lacks,
//! satisfies, ...), each with a case that holds and a case that breaks.

use serde_json::{Value, json};

use super::{CLIENT, expect, judge};
use crate::check::{Observed, evaluate};
use crate::schema::Contract;
use crate::suite::Expect;
use crate::template::Vars;

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
            origins: None,
        };
        evaluate(&expect(spec).check, &seen, &vars, &contract)
    };
    let spec = json!({"header": "www-authenticate", "equals": "{{nothing}}"});
    assert!(judge_with(spec.clone(), &[], "").is_ok());
    let present = vec![("www-authenticate".to_string(), "Bearer".to_string())];
    assert!(judge_with(spec, &present, "").is_err());
    // A body member equal to null is absent too (an optional capture of a member that
    // was not there), and a body without JSON has no member: Spring answers a wrong
    // token 401 with the error only in its challenge, and RFC7592-2-d compares the
    // other refusals with that (issue 15, 2d). A member with a value is not null.
    let spec = json!({"json": "/x", "equals": "{{nothing}}"});
    assert!(judge_with(spec.clone(), &[], "{}").is_ok());
    assert!(judge_with(spec.clone(), &[], "").is_ok());
    assert!(judge_with(spec.clone(), &[], r#"{"x":null}"#).is_ok());
    assert!(judge_with(spec.clone(), &[], r#"{"x":"invalid_client"}"#).is_err());
    // A value that is not null still needs a JSON body.
    let spec = json!({"json": "/x", "equals": "a"});
    assert!(judge_with(spec, &[], "").is_err());
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

#[test]
fn origin_allowed_holds_only_for_urls_on_the_runs_origins() {
    // `judge` runs with the target http://127.0.0.1:4444 alone.
    let on = |uri: &str| {
        let body = json!({ "registration_client_uri": uri }).to_string();
        let spec = json!({"json": "/registration_client_uri", "origin_allowed": true});
        judge(spec, 201, &[], &body, None)
    };
    assert!(on("http://127.0.0.1:4444/oauth2/register/abc").is_ok());
    let m = on("http://127.0.0.1:4445/steal/abc").unwrap_err();
    assert!(m.expected.contains("target's origin"), "{}", m.expected);
    assert!(m.actual.contains("4445"), "{}", m.actual);
    assert!(on("https://127.0.0.1:4444/oauth2/register/abc").is_err());
    assert!(on("/oauth2/register/abc").is_err());
    let spec = json!({"json": "/registration_client_uri", "origin_allowed": true});
    assert!(judge(spec, 201, &[], "{}", None).is_err());
}

#[test]
fn same_as_compares_with_a_capture_only_when_it_saved_something() {
    let contract = Contract::embedded().unwrap();
    let mut vars = Vars::new();
    vars.insert("contacts".into(), json!(["ops@rp.example"]));
    vars.insert("policy_uri".into(), Value::Null);
    let judge_with = |spec: Value, body: &str| {
        let json: Option<Value> = serde_json::from_str(body).ok();
        let seen = Observed {
            status: 200,
            headers: &[],
            body: body.as_bytes(),
            json: json.as_ref(),
            operation: None,
            origins: None,
        };
        evaluate(&expect(spec).check, &seen, &vars, &contract)
    };
    let same = |name: &str| json!({"json": format!("/{name}"), "same_as": name});
    // Captured: the read must carry the same value.
    assert!(judge_with(same("contacts"), r#"{"contacts":["ops@rp.example"]}"#).is_ok());
    assert!(judge_with(same("contacts"), r#"{"contacts":["other@rp.example"]}"#).is_err());
    assert!(judge_with(same("contacts"), "{}").is_err());
    // Captured as null (Hydra's null arrays): still compared, absence is not null.
    assert!(judge_with(same("policy_uri"), r#"{"policy_uri":null}"#).is_ok());
    assert!(judge_with(same("policy_uri"), "{}").is_err());
    assert!(judge_with(same("policy_uri"), r#"{"policy_uri":"x"}"#).is_err());
    // Not captured (the earlier answer left it out): not judged.
    assert!(judge_with(same("tos_uri"), r#"{"tos_uri":"https://rp.example/tos"}"#).is_ok());
    assert!(judge_with(same("tos_uri"), "{}").is_ok());
    // A template is not a capture name.
    let bad: Result<Expect, _> = serde_json::from_value(json!({"json": "/a", "same_as": "{{a}}"}));
    assert!(bad.is_err());
}
