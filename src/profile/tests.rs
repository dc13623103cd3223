//! Unit tests of profiles: the built-ins, overrides, derived capabilities and the token URL.

use super::*;

#[test]
fn built_ins_parse_and_differ() {
    let ory = Profile::resolve("ory").unwrap();
    let rfc = Profile::resolve("rfc7592").unwrap();
    assert!(ory.capabilities().contains("auth:client_secret_basic"));
    assert!(ory.capabilities().contains("unknown-client:404"));
    assert!(rfc.capabilities().contains("auth:bearer"));
    assert!(rfc.capabilities().contains("unknown-client:401"));
    assert!(!rfc.capabilities().contains("secret:client-chosen"));
    // Where RFC 7591 and OpenID Connect Registration disagree, each takes its reading.
    for cap in [
        "rfc7591:status-201",
        "rfc7591:error-codes",
        "rfc7591:redirect-schemes",
    ] {
        assert!(rfc.capabilities().contains(cap), "{cap}");
    }
    assert!(!rfc.capabilities().contains("oidc:registration"));
    assert!(ory.capabilities().contains("oidc:registration"));
    assert!(ory.capabilities().contains("rfc7591:status-201"));
    assert!(!ory.capabilities().contains("rfc7591:error-codes"));
    // Registration is open unless the profile (or a granted capability) says otherwise.
    assert!(rfc.capabilities().contains("registration:open"));
    let mut protected = rfc.clone();
    protected.registration_protected = true;
    assert!(protected.capabilities().contains(PROTECTED));
    assert!(!protected.capabilities().contains("registration:open"));
    let mut granted = rfc.clone();
    granted.capabilities.push(PROTECTED.to_string());
    assert!(granted.is_protected());
    assert!(!granted.capabilities().contains("registration:open"));
}

#[test]
fn registration_only_profiles_grant_no_management_capability() {
    for name in ["rfc7591", "mcp"] {
        let p = Profile::resolve(name).unwrap();
        assert!(!p.client_management, "{name}");
        let caps = p.capabilities();
        for cap in [
            "registration-only",
            "cleanup:public-client",
            "rfc7591:error-codes",
        ] {
            assert!(caps.contains(cap), "{name}: {cap}");
        }
        assert!(
            !caps.iter().any(|c| c == "client-management"
                || c.starts_with("auth:")
                || c.starts_with("unknown-client:")
                || c.starts_with("client-uri:")),
            "{name}: {caps:?}"
        );
    }
    assert!(
        Profile::resolve("mcp")
            .unwrap()
            .capabilities()
            .contains("mcp:client-registration")
    );
    // A profile with management derives it; only Bearer management can clean up a
    // public client.
    let rfc = Profile::resolve("rfc7592").unwrap().capabilities();
    assert!(rfc.contains("client-management") && rfc.contains("cleanup:public-client"));
    let ory = Profile::resolve("ory").unwrap().capabilities();
    assert!(ory.contains("client-management") && !ory.contains("cleanup:public-client"));
    // Ory's management rules need management with the client's own credentials.
    assert!(ory.contains(CLIENT_CREDENTIALS) && !rfc.contains(CLIENT_CREDENTIALS));
    let mut mixed = Profile::resolve("ory").unwrap();
    mixed.management_auth.push(ManagementAuth::Bearer);
    assert!(!mixed.capabilities().contains(CLIENT_CREDENTIALS));
}

#[test]
fn registration_only_profiles_refuse_configuration_endpoint_fields() {
    let base = "name = \"x\"\nregistration_path = \"/r\"\nclient_management = false\n";
    Profile::parse(base, "p.toml").unwrap();
    for field in [
        "client_path = \"/r/{client_id}\"",
        "management_auth = [\"bearer\"]",
        "unknown_client_status = 401",
    ] {
        let err = Profile::parse(&format!("{base}{field}\n"), "p.toml").unwrap_err();
        assert!(
            err.to_string().contains("client_management = false"),
            "{err}"
        );
    }
    // With management, the endpoint's fields stay required.
    let managed = "name = \"x\"\nregistration_path = \"/r\"\n";
    let err = Profile::parse(managed, "p.toml").unwrap_err();
    assert!(err.to_string().contains("client_path"), "{err}");
}

#[test]
fn unknown_profile_names_the_built_ins() {
    let err = Profile::resolve("nonesuch").unwrap_err();
    assert!(err.to_string().contains("ory"), "{err}");
}

#[test]
fn bad_toml_reports_line_and_column() {
    let err = Profile::parse("name = \"x\"\nregistration_path = 5\n", "p.toml").unwrap_err();
    assert!(
        err.to_string().starts_with("p.toml: line 2, column"),
        "{err}"
    );
}

#[test]
fn a_token_path_is_a_path_or_an_absolute_url() {
    let base = include_str!("../../suites/profiles/rfc7592.toml");
    let with = |line: &str| Profile::parse(&format!("{base}\n{line}\n"), "p.toml");
    let plain = with("").unwrap();
    assert!(!plain.capabilities().contains(TOKEN_ENDPOINT));
    assert_eq!(plain.token_url("http://h"), None);
    let path = with("token_path = \"/token\"").unwrap();
    assert!(path.capabilities().contains(TOKEN_ENDPOINT));
    assert_eq!(
        path.token_url("http://h/").as_deref(),
        Some("http://h/token")
    );
    let url = with("token_path = \"https://as.example/t\"").unwrap();
    assert_eq!(
        url.token_url("http://h").as_deref(),
        Some("https://as.example/t")
    );
    let err = with("token_path = \"token\"").unwrap_err();
    assert!(
        err.to_string().contains("token_path must start with '/'"),
        "{err}"
    );
}

#[test]
fn client_path_escapes_the_id() {
    let ory = Profile::resolve("ory").unwrap();
    assert_eq!(ory.client_path_for("a b/c"), "/oauth2/register/a%20b%2Fc");
}
