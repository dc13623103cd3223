//! Tests of the metadata strategies: valid metadata validates, invalid input does not.

use std::fmt;

use super::text::LONG_NAME;
use super::*;
use crate::profile::Profile;
use crate::schema::Contract;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngSeed, TestRunner};

fn model(profile: &str) -> Model {
    Model::derive(
        &Contract::embedded().unwrap(),
        &Profile::resolve(profile).unwrap(),
    )
    .unwrap()
}

fn runner(seed: u64) -> TestRunner {
    TestRunner::new(Config {
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    })
}

fn sample<T: fmt::Debug>(s: &BoxedStrategy<T>, n: usize) -> Vec<T> {
    let mut r = runner(7);
    (0..n)
        .map(|_| s.new_tree(&mut r).unwrap().current())
        .collect()
}

#[test]
fn valid_metadata_validates_against_the_client_schema() {
    let contract = Contract::embedded().unwrap();
    let model = model("ory");
    let mut seen = std::collections::BTreeSet::new();
    let (mut nulls, mut long, mut non_ascii) = (0, 0, 0);
    for m in sample(&metadata(&model, true), 300) {
        seen.extend(m.keys().cloned());
        nulls += m.values().filter(|v| v.is_null()).count();
        let name = m.get("client_name").and_then(Value::as_str).unwrap_or("");
        long += usize::from(name.chars().count() > LONG_NAME);
        non_ascii += usize::from(!name.is_ascii());
        let without_nulls: Map<String, Value> = m
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        contract
            .validate("oauth2-client", &Value::Object(without_nulls))
            .unwrap_or_else(|e| panic!("{m:?}: {e:?}"));
        assert!(!m.contains_key("client_id") && !m.contains_key("skip_consent"));
        if let Some(method) = m.get("token_endpoint_auth_method").and_then(Value::as_str) {
            assert!(model.auth_methods.iter().any(|a| a == method), "{method}");
        }
    }
    assert!(seen.len() >= 30, "{seen:?}");
    assert!(!seen.contains("sector_identifier_uri"));
    assert!(
        nulls > 20 && long > 5 && non_ascii > 20,
        "{nulls} {long} {non_ascii}"
    );
}

#[test]
fn durations_come_from_the_schema_pattern_bounded() {
    let s = from_pattern("^([0-9]+(ns|us|ms|s|m|h))*$").unwrap();
    let validator =
        jsonschema::validator_for(&json!({"pattern": "^([0-9]+(ns|us|ms|s|m|h))*$"})).unwrap();
    for d in sample(&s, 200) {
        assert!(validator.is_valid(&json!(d)), "{d}");
        assert!(d.len() <= 2 * 5 * 3, "{d}");
    }
}

#[test]
fn concurrent_bodies_share_their_members() {
    for bodies in sample(&concurrent(&model("rfc7592")), 100) {
        assert_eq!(bodies.len(), CONCURRENT_PUTS);
        let keys: Vec<Vec<&String>> = bodies.iter().map(|b| b.keys().collect()).collect();
        assert!(keys.iter().all(|k| *k == keys[0]), "{bodies:?}");
        assert!(!keys[0].is_empty());
        assert!(
            bodies
                .iter()
                .all(|b| !b.contains_key("token_endpoint_auth_method"))
        );
    }
}

#[test]
fn invalid_bodies_are_invalid_json_or_break_the_schema() {
    let contract = Contract::embedded().unwrap();
    let model = model("ory");
    let (mut huge, mut deep, mut update) = (0, 0, 0);
    for input in sample(&invalid(&model), 400) {
        huge += usize::from(input.body.len() > 1 << 16);
        deep += usize::from(input.what.contains("nested"));
        update += usize::from(input.target == Target::Update);
        let Ok(value) = serde_json::from_slice::<Value>(&input.body) else {
            continue; // malformed, truncated, too deep, form: not JSON at all
        };
        let Value::Object(map) = &value else {
            continue; // not an object
        };
        if input.what.starts_with("redirect_uris[") {
            continue; // what the schema cannot say
        }
        assert!(
            contract
                .validate("oauth2-client", &Value::Object(map.clone()))
                .is_err(),
            "{input:?} validates: {}",
            String::from_utf8_lossy(&input.body)
        );
    }
    assert!(
        huge > 5 && deep > 5 && update > 50,
        "{huge} {deep} {update}"
    );
}

/// Issue 15: under `rfc7592` the fuzzer sent the MCP Python SDK
/// `implicit_grant_id_token_lifespan: "a"`, a Hydra member RFC 7591 §2 tells a server to
/// ignore, and failed it for ignoring it. Outside Ory's contract, metadata is RFC 7591's.
#[test]
fn outside_ory_metadata_has_only_rfc7591_members() {
    let (file, text) = crate::schema::RFC7591_CLIENT_METADATA;
    let schema: Value = serde_json::from_str(text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{file}: {e}"));
    let rfc7591: std::collections::BTreeSet<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let hydra_only = |k: &str| !rfc7591.contains(k);
    let rfc = model("rfc7592");
    let mut seen = std::collections::BTreeSet::new();
    for m in sample(&metadata(&rfc, true), 300) {
        seen.extend(m.keys().cloned());
        let foreign: Vec<&String> = m.keys().filter(|k| hydra_only(k)).collect();
        assert!(foreign.is_empty(), "{foreign:?} in {m:?}");
        let without_nulls: Map<String, Value> = m
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let instance = Value::Object(without_nulls);
        assert!(validator.is_valid(&instance), "{instance}");
    }
    // Every RFC 7591 §2 member shows up; nothing else does.
    for member in ["redirect_uris", "contacts", "software_version", "jwks_uri"] {
        assert!(seen.contains(member), "{member}: {seen:?}");
    }
    for input in sample(&invalid(&rfc), 300) {
        let body = String::from_utf8_lossy(&input.body);
        assert!(!body.contains("_lifespan"), "{}", input.what);
        // Issue 15, 2e: only RFC 7591 §2's members are made invalid outside Ory's
        // contract (an OAuth-only server ignores `post_logout_redirect_uris`), and no
        // member is given twice (RFC 8259 §4: names SHOULD be unique, not MUST).
        let mutated = input.what.split([' ', '[']).next().unwrap_or_default();
        if rfc.member(mutated).is_some() {
            assert!(
                crate::fuzz::model::RFC7591_SECTION2.contains(&mutated),
                "{}",
                input.what
            );
        }
        assert!(!input.what.contains("given twice"), "{}", input.what);
    }
    for bodies in sample(&concurrent(&rfc), 100) {
        assert!(bodies.iter().flat_map(|b| b.keys()).all(|k| !hydra_only(k)));
    }
    // Under Ory's contract Hydra's members are still generated.
    let ory = model("ory");
    let hydra: usize = sample(&metadata(&ory, false), 300)
        .iter()
        .filter(|m| m.contains_key("implicit_grant_id_token_lifespan"))
        .count();
    assert!(
        hydra > 0,
        "implicit_grant_id_token_lifespan never generated under ory"
    );
}
