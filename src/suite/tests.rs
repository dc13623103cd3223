//! Load-time refusals: each inconsistency a suite author can make is caught, named
//! by file and JSON pointer.

use serde_json::{Value, json};

use super::load::from_sources;

const RULES: &str = r#"{"rules": [
  {"id": "r:one", "level": "MUST", "source": "S", "section": "1", "quote": "q1"},
  {"id": "r:two", "level": "SHOULD", "source": "S", "section": "2", "quote": "q2"}
]}"#;

fn scenario(steps: Value) -> Value {
    json!({"id": "s1", "description": "d", "rules": ["r:one"], "steps": steps})
}

fn register_step() -> Value {
    json!({"name": "register", "register": "a", "request": {"method": "POST", "json": {}},
           "expect": [{"rule": "r:one", "status": 201}]})
}

fn load(scenarios: Vec<Value>) -> Result<super::Suite, String> {
    let file = json!({"scenarios": scenarios}).to_string();
    from_sources(vec![
        ("rules.json".into(), RULES.into()),
        ("s.json".into(), file),
    ])
    .map_err(|e| e.to_string())
}

#[test]
fn a_consistent_suite_loads() {
    let suite = load(vec![scenario(json!([register_step(),
        {"name": "read", "request": {"method": "GET", "client": "a", "auth": {"client": "a"}},
         "expect": [{"status": 200}, {"json": "/client_id", "equals": "{{a.client_id}}"}]}]))])
    .unwrap();
    assert_eq!(
        suite.scenarios[0].steps[1].expect[1].at,
        "s.json#/scenarios/0/steps/1/expect/1"
    );
    assert_eq!(suite.catalogue.len(), 2);
}

#[test]
fn an_unknown_rule_id_is_refused_with_its_place() {
    let mut step = register_step();
    step["expect"][0]["rule"] = json!("r:nope");
    let err = load(vec![scenario(json!([step]))]).unwrap_err();
    assert!(
        err.starts_with("s.json#/scenarios/0/steps/0/expect/0: unknown rule id 'r:nope'"),
        "{err}"
    );
    let mut sc = scenario(json!([register_step()]));
    sc["rules"] = json!(["r:one", "r:missing"]);
    let err = load(vec![sc]).unwrap_err();
    assert!(
        err.contains("/rules/1: unknown rule id 'r:missing'"),
        "{err}"
    );
}

#[test]
fn duplicate_ids_are_refused() {
    let err = from_sources(vec![
        ("a.json".into(), RULES.into()),
        ("b.json".into(), RULES.into()),
    ])
    .unwrap_err();
    assert!(
        err.to_string().contains("duplicate rule id 'r:one'"),
        "{err}"
    );
    let sc = scenario(json!([register_step()]));
    let err = load(vec![sc.clone(), sc]).unwrap_err();
    assert!(err.contains("duplicate scenario id 's1'"), "{err}");
}

#[test]
fn a_capture_used_before_it_is_set_is_refused() {
    let err = load(vec![scenario(json!([
        {"name": "read", "request": {"method": "GET", "client_id": "{{later}}"}, "expect": [{"rule": "r:one", "status": 200}]},
        {"name": "set", "request": {"method": "POST"}, "capture": [{"name": "later", "json": "/x"}]}
    ]))])
    .unwrap_err();
    assert!(
        err.contains("'{{later}}' is used before it is set"),
        "{err}"
    );
}

#[test]
fn a_client_used_before_it_is_registered_is_refused() {
    let err = load(vec![scenario(json!([
        {"name": "read", "request": {"method": "GET", "client": "a"}, "expect": [{"rule": "r:one", "status": 200}]},
        register_step()
    ]))])
    .unwrap_err();
    assert!(
        err.contains("client 'a' is used before a step registers it"),
        "{err}"
    );
    let err = load(vec![scenario(
        json!([{"name": "x", "request": {"method": "GET", "client_id": "{{a.client_id}}"},
        "expect": [{"rule": "r:one", "status": 200}]}]),
    )])
    .unwrap_err();
    assert!(
        err.contains("'{{a.client_id}}' is used before it is set"),
        "{err}"
    );
}

#[test]
fn a_named_rule_must_be_checked_and_a_checked_rule_named() {
    let mut sc = scenario(json!([register_step()]));
    sc["rules"] = json!(["r:one", "r:two"]);
    let err = load(vec![sc]).unwrap_err();
    assert!(
        err.contains("rule 'r:two' is named but no expectation checks it"),
        "{err}"
    );
    let mut step = register_step();
    step["expect"] = json!([{"rule": "r:one", "status": 201}, {"rule": "r:two", "status": 201}]);
    let err = load(vec![scenario(json!([step]))]).unwrap_err();
    assert!(err.contains("not named in the scenario's rules"), "{err}");
}

#[test]
fn syntax_errors_give_line_and_column() {
    let err = from_sources(vec![(
        "bad.json".into(),
        "{\n  \"rules\": [\n    oops\n]}".into(),
    )])
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("bad.json#/rules/0: line 3, column 5"),
        "{err}"
    );
    let err = from_sources(vec![("bad.json".into(), r#"{"scenarioz": []}"#.into())]).unwrap_err();
    assert!(err.to_string().contains("unknown field"), "{err}");
}

#[test]
fn a_missing_suite_directory_is_a_clear_error() {
    let err = super::load::from_dir(std::path::Path::new("/nonexistent/suites")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "/nonexistent/suites: not a directory of suite files"
    );
}

#[test]
fn a_capture_takes_exactly_one_source() {
    let capture = |c: Value| {
        let mut step = register_step();
        step["capture"] = json!([c]);
        load(vec![scenario(json!([step]))])
    };
    assert!(capture(json!({"name": "e", "json": "/error"})).is_ok());
    let suite =
        capture(json!({"name": "c", "header": "WWW-Authenticate", "optional": true})).unwrap();
    let cap = &suite.scenarios[0].steps[0].capture[0];
    assert_eq!(cap.source(), "header WWW-Authenticate");
    assert!(cap.optional && !cap.secret && !cap.if_present);
    let suite = capture(json!({"name": "c", "json": "/contacts", "if_present": true})).unwrap();
    assert!(suite.scenarios[0].steps[0].capture[0].if_present);
    for bad in [
        json!({"name": "x"}),
        json!({"name": "x", "json": "/a", "header": "b"}),
        json!({"name": "x", "header": " "}),
        json!({"name": "x", "json": "a"}),
    ] {
        let err = capture(bad.clone()).unwrap_err();
        assert!(err.contains("/steps/0/capture/0"), "{bad}: {err}");
    }
}

#[test]
fn a_client_registered_only_if_accepted_is_not_usable_later() {
    let probe = json!({"name": "probe", "register_if_accepted": "p",
        "request": {"method": "POST", "json": {}}, "expect": [{"rule": "r:one", "status": "4xx"}]});
    assert!(load(vec![scenario(json!([probe.clone()]))]).is_ok());
    let err = load(vec![scenario(json!([probe.clone(),
        {"name": "read", "request": {"method": "GET", "client": "p"},
         "expect": [{"rule": "r:one", "status": 200}]}]))])
    .unwrap_err();
    assert!(
        err.contains("client 'p' is used before a step registers it"),
        "{err}"
    );
    let err = load(vec![scenario(json!([probe.clone(),
        {"name": "x", "request": {"method": "GET", "client_id": "{{p.client_id}}"},
         "expect": [{"rule": "r:one", "status": 200}]}]))])
    .unwrap_err();
    assert!(
        err.contains("'{{p.client_id}}' is used before it is set"),
        "{err}"
    );
    let mut both = probe.clone();
    both["register"] = json!("q");
    let err = load(vec![scenario(json!([both]))]).unwrap_err();
    assert!(err.contains("not both"), "{err}");
    let mut again = register_step();
    again["register"] = json!("p");
    let err = load(vec![scenario(json!([probe, again]))]).unwrap_err();
    assert!(
        err.contains("client name 'p' is invalid or registered twice"),
        "{err}"
    );
}

#[test]
fn a_typo_in_requires_names_file_pointer_and_choices() {
    let mut sc = scenario(json!([register_step()]));
    sc["requires"] = json!(["enabled", "auth:client_secret_bsic"]);
    let err = load(vec![sc]).unwrap_err();
    assert!(
        err.contains("#/scenarios/0/requires/1: unknown capability 'auth:client_secret_bsic'"),
        "{err}"
    );
    assert!(err.contains("auth:client_secret_basic"), "{err}");
}

#[test]
fn a_suite_file_may_declare_its_own_capabilities_and_a_schema() {
    let mut sc = scenario(json!([register_step()]));
    sc["requires"] = json!(["acme:echoes-name"]);
    let rules = json!({"$schema": "../../schemas/suite.schema.json",
        "capabilities": ["acme:echoes-name"],
        "rules": [{"id": "r:one", "level": "MUST", "source": "S", "section": "1", "quote": "q"},
                  {"id": "r:two", "level": "MUST", "source": "S", "section": "1", "quote": "q"}]});
    let files = vec![
        ("rules.json".to_string(), rules.to_string()),
        ("s.json".to_string(), json!({"scenarios": [sc]}).to_string()),
    ];
    from_sources(files).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_wrong_auth_form_names_the_pointer_and_the_valid_forms() {
    for auth in [
        json!("nothing"),
        json!({"client": "a", "methd": "bearer"}),
        json!(7),
    ] {
        let mut step = register_step();
        step["request"]["auth"] = auth.clone();
        let err = load(vec![scenario(json!([step]))]).unwrap_err();
        assert!(
            err.contains("#/scenarios/0/steps/0/request/auth: line 1"),
            "{err}"
        );
        assert!(err.contains("`auth` takes \"none\" or an object"), "{err}");
        assert!(!err.contains("untagged"), "{err}");
    }
}

#[test]
fn a_use_step_is_the_fixture_verbatim_and_mistakes_are_named() {
    let fixtures = json!({"fixtures": {"reg": register_step()}}).to_string();
    let with = |steps: Value| {
        from_sources(vec![
            ("rules.json".into(), RULES.into()),
            ("fixtures.json".into(), fixtures.clone()),
            (
                "s.json".into(),
                json!({"scenarios": [scenario(steps)]}).to_string(),
            ),
        ])
        .map_err(|e| e.to_string())
    };
    let suite = with(json!([{"use": "reg"}])).unwrap();
    let step = &suite.scenarios[0].steps[0];
    assert_eq!(step.register.as_deref(), Some("a"));
    assert_eq!(step.expect[0].at, "s.json#/scenarios/0/steps/0/expect/0");

    let err = with(json!([{"use": "regg"}])).unwrap_err();
    assert_eq!(
        err,
        "s.json#/scenarios/0/steps/0/use: unknown fixture \"regg\"; known: reg"
    );
    let err = with(json!([{"use": "reg", "name": "x"}])).unwrap_err();
    assert!(
        err.starts_with("s.json#/scenarios/0/steps/0: a step with `use` takes nothing else"),
        "{err}"
    );
    let err = from_sources(vec![
        ("a.json".into(), fixtures.clone()),
        ("b.json".into(), fixtures.clone()),
    ])
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        "b.json#/fixtures/reg: duplicate fixture 'reg' (first at a.json#/fixtures/reg)"
    );
}

#[test]
fn for_each_makes_one_scenario_per_entry_with_its_id_and_values() {
    let mut sc = scenario(json!([register_step()]));
    sc["id"] = json!("{{each.id}}");
    sc["requires"] = json!(["auth:{{each.method}}"]);
    sc["for_each"] = json!([{"id": "s-basic", "method": "client_secret_basic"},
                            {"id": "s-post", "method": "client_secret_post"}]);
    let suite = load(vec![scenario(json!([register_step()])), sc.clone()]).unwrap();
    let ids: Vec<&str> = suite.scenarios.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["s1", "s-basic", "s-post"]);
    assert_eq!(suite.scenarios[2].requires, ["auth:client_secret_post"]);
    // Both copies point at the scenario as written.
    assert_eq!(suite.scenarios[2].at, "s.json#/scenarios/1");
    assert!(suite.scenarios.iter().all(|s| s.for_each.is_empty()));

    sc["for_each"] = json!([{"method": "client_secret_basic"}]);
    let err = load(vec![sc.clone()]).unwrap_err();
    assert_eq!(
        err,
        "s.json#/scenarios/0/for_each/0: each entry is an object of strings with an `id`"
    );
    // A typed error inside an expanded copy names the scenario as written.
    sc["for_each"] = json!([{"id": "s-x", "method": "client_secret_bsic"}]);
    sc["steps"][0]["request"]["auth"] = json!({"client": "a", "method": "{{each.method}}"});
    let err = load(vec![scenario(json!([register_step()])), sc]).unwrap_err();
    assert!(
        err.starts_with("s.json#/scenarios/1/steps/0/request/auth: unknown variant"),
        "{err}"
    );
}

#[test]
fn token_requests_are_checked_at_load() {
    let token = |request: Value| {
        let step = json!({"name": "token", "request": request,
                          "expect": [{"rule": "r:one", "status": 200}]});
        load(vec![scenario(json!([register_step(), step]))])
    };
    let form = json!({"grant_type": "client_credentials"});
    assert!(
        token(json!({"method": "POST", "endpoint": "token", "form": form,
                     "auth": {"client": "a", "method": "client_secret_post"}}))
        .is_ok()
    );
    for (request, says) in [
        (
            json!({"method": "POST", "endpoint": "token", "client": "a", "form": form}),
            "no `client` or `client_id`",
        ),
        (
            json!({"method": "POST", "endpoint": "token", "form": form,
                   "auth": {"client": "a", "method": "bearer"}}),
            "not bearer",
        ),
        (
            json!({"method": "POST", "endpoint": "token", "form": form, "json": {}}),
            "one of `json`, `body` or `form`",
        ),
        (
            json!({"method": "POST", "endpoint": "token", "form": {"x": "{{nope}}"}}),
            "'{{nope}}' is used before it is set",
        ),
        (
            json!({"method": "POST", "endpoint": "authorize"}),
            "unknown variant `authorize`",
        ),
    ] {
        let err = token(request).unwrap_err();
        assert!(err.contains("/steps/1/request"), "{err}");
        assert!(err.contains(says), "{says}: {err}");
    }
}

#[test]
fn skip_if_refused_goes_with_register() {
    let mut step = register_step();
    step["skip_if_refused"] = json!("no such grant");
    assert!(load(vec![scenario(json!([step.clone()]))]).is_ok());
    step.as_object_mut().unwrap().remove("register");
    let err = load(vec![scenario(json!([step]))]).unwrap_err();
    assert!(
        err.contains("`skip_if_refused` goes with `register`"),
        "{err}"
    );
}
