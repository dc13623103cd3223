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
