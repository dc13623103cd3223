//! proptest strategies for client metadata, derived from the [`Model`] (the schema's
//! members and types) and hand-tuned only where the schema cannot say what a server will
//! accept: URIs, grant and response types, auth methods, algorithms, scopes, e-mails.
//!
//! Shrinking is part of the design, because every shrink step is an HTTP request:
//! - metadata is a *list* of entries, so shrinking first deletes whole members (one step
//!   each) before it simplifies what is left;
//! - characters shrink towards `a` (a name is a union of `a`-`z` and any character);
//! - a long name is a short prefix and one repeated character, so it shrinks to exactly
//!   the length that still fails;
//! - an explicit `null` is an alternative after the valid value, so it is kept only when
//!   it is what fails.
//!
//! Huge strings and deep nesting are produced as text, never as nested `Value`s, so that
//! neither building nor dropping them recurses.

use proptest::collection;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use proptest::strategy::{BoxedStrategy, Just, Union};
use serde_json::{Map, Value, json};

use super::model::{Kind, Member, Model};

mod invalid;
mod pattern;
#[cfg(test)]
mod tests;
mod text;

pub use invalid::{Invalid, Target, invalid};
pub use pattern::from_pattern;
pub use text::{any_text, name_text, uri};
use text::{email, origin, scope};

/// A generated JSON object of client metadata, members in generation order.
pub type Metadata = Map<String, Value>;

/// Members never generated as valid metadata: the server fetches the document they name
/// and checks it against the registration (OpenID Connect Dynamic Client Registration §5),
/// and the fuzzer hosts no documents. They still appear with wrong types.
const NOT_GENERATED: &[&str] = &["sector_identifier_uri"];

/// Alternatives for `Union::new_weighted`.
type Weighted<T> = Vec<(u32, BoxedStrategy<T>)>;

/// At most this many entries in a generated metadata object.
const MAX_ENTRIES: usize = 12;
/// How many PUTs the concurrency property sends at once.
pub const CONCURRENT_PUTS: usize = 3;

/// Grant types every OAuth 2.0 server knows (RFC 7591 §2).
const GRANT_TYPES: &[&str] = &[
    "authorization_code",
    "refresh_token",
    "client_credentials",
    "implicit",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
];
/// Response types of RFC 7591 §2 and OpenID Connect.
const RESPONSE_TYPES: &[&str] = &["code", "token", "id_token", "code id_token", "none"];
/// JWS algorithms every OpenID provider supports: RS256 (OpenID Connect Discovery 1.0 §3:
/// "RS256 MUST be included"); servers may refuse any other.
const ALGORITHMS: &[&str] = &["RS256"];

// ---------------------------------------------------------------- valid metadata

/// Valid metadata: up to `MAX_ENTRIES` settable members, each valid, some explicitly
/// `null` when `nulls`.
pub fn metadata(model: &Model, nulls: bool) -> BoxedStrategy<Metadata> {
    sized_metadata(model, nulls, MAX_ENTRIES)
}

fn sized_metadata(model: &Model, nulls: bool, max: usize) -> BoxedStrategy<Metadata> {
    let entries: Weighted<(String, Value)> = model
        .members
        .iter()
        .filter(|m| !NOT_GENERATED.contains(&m.name.as_str()))
        .map(|m| {
            let value = valid_value(m, model);
            let value = if nulls {
                prop_oneof![9 => value, 1 => Just(Value::Null)].boxed()
            } else {
                value
            };
            let name = m.name.clone();
            (
                weight(m),
                value.prop_map(move |v| (name.clone(), v)).boxed(),
            )
        })
        .collect();
    if entries.is_empty() {
        return Just(Metadata::new()).boxed();
    }
    collection::vec(Union::new_weighted(entries), 0..=max)
        .prop_map(|entries| {
            let mut map = Metadata::new();
            for (k, v) in entries {
                map.entry(k).or_insert(v);
            }
            consistent(map)
        })
        .boxed()
}

/// Several bodies over the same members (none `null`), for concurrent PUTs: any state
/// that mixes two of them is one no request asked for.
pub fn concurrent(model: &Model) -> BoxedStrategy<Vec<Metadata>> {
    let entries: Weighted<(String, Vec<Value>)> = model
        .members
        .iter()
        // Changing the auth method would change how the client must be managed midway;
        // members that constrain one another would make the bodies differ in members.
        .filter(|m| m.name != "token_endpoint_auth_method")
        .filter(|m| !NOT_GENERATED.contains(&m.name.as_str()))
        .filter(|m| !CROSS_MEMBER.contains(&m.name.as_str()))
        .map(|m| {
            let name = m.name.clone();
            let values = collection::vec(valid_value(m, model), CONCURRENT_PUTS);
            (
                weight(m),
                values.prop_map(move |v| (name.clone(), v)).boxed(),
            )
        })
        .collect();
    if entries.is_empty() {
        let mut body = Metadata::new();
        body.insert("redirect_uris".into(), Value::from(vec![DEFAULT_REDIRECT]));
        return Just(vec![body; CONCURRENT_PUTS]).boxed();
    }
    collection::vec(Union::new_weighted(entries), 1..=6)
        .prop_map(|entries| {
            let mut bodies = vec![Metadata::new(); CONCURRENT_PUTS];
            for (k, values) in entries {
                if bodies[0].contains_key(&k) {
                    continue;
                }
                for (body, v) in bodies.iter_mut().zip(values) {
                    body.insert(k.clone(), v);
                }
            }
            // The same redirect URI in every body: a PUT is a whole registration.
            for body in bodies.iter_mut() {
                body.insert("redirect_uris".into(), Value::from(vec![DEFAULT_REDIRECT]));
            }
            bodies
        })
        .boxed()
}

/// `client_name` is what people see and what breaks most: it is picked more often.
fn weight(m: &Member) -> u32 {
    if m.name == "client_name" { 4 } else { 1 }
}

/// The redirect URI added where one is required and none was generated.
pub const DEFAULT_REDIRECT: &str = "https://client.example/cb";

/// Members that constrain one another (RFC 7591 §2, §2.1, §5; OpenID Connect Dynamic
/// Client Registration §2): `consistent` makes them agree, and the concurrency property
/// leaves them alone.
const CROSS_MEMBER: &[&str] = &[
    "grant_types",
    "response_types",
    "redirect_uris",
    "post_logout_redirect_uris",
    "jwks",
    "jwks_uri",
];

/// What the schema cannot say about members together, made true of generated metadata:
/// - response types are served by the grant types (RFC 7591 §2.1: `code` needs
///   `authorization_code`, `token` and `id_token` need `implicit`); omitted grant types
///   are `["authorization_code"]`, omitted response types `["code"]` (RFC 7591 §2);
/// - the redirect-based grants have redirect URIs (RFC 7591 §5), https and not on
///   localhost for the implicit grant (OpenID Connect Registration §2); where none fits,
///   [`DEFAULT_REDIRECT`] is added;
/// - `jwks` and `jwks_uri` are never both set ("MUST NOT be used together");
/// - post-logout redirect URIs are on the origin of a redirect URI (servers such as
///   Hydra refuse others), so they move onto those origins or go.
fn consistent(mut map: Metadata) -> Metadata {
    let set = |m: &Metadata, k: &str| m.get(k).is_some_and(|v| !v.is_null());
    let strings = |m: &Metadata, k: &str| -> Option<Vec<String>> {
        m.get(k).and_then(Value::as_array).map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
    };
    if set(&map, "jwks") && set(&map, "jwks_uri") {
        map.remove("jwks");
    }
    let grants = strings(&map, "grant_types").unwrap_or_else(|| vec!["authorization_code".into()]);
    let served = |response_type: &str| {
        response_type.split(' ').all(|part| match part {
            "code" => grants.iter().any(|g| g == "authorization_code"),
            "token" | "id_token" => grants.iter().any(|g| g == "implicit"),
            _ => true,
        })
    };
    match strings(&map, "response_types") {
        Some(types) => {
            let kept: Vec<String> = types.into_iter().filter(|t| served(t)).collect();
            map.insert("response_types".into(), Value::from(kept));
        }
        None if !served("code") => {
            map.insert("response_types".into(), Value::from(Vec::<String>::new()));
        }
        None => {}
    }
    let implicit = grants.iter().any(|g| g == "implicit");
    let needs_redirect = implicit || grants.iter().any(|g| g == "authorization_code");
    let fits = |u: &String| {
        !implicit
            || url::Url::parse(u)
                .is_ok_and(|u| u.scheme() == "https" && u.host_str() != Some("localhost"))
    };
    let mut redirects: Vec<String> = strings(&map, "redirect_uris")
        .unwrap_or_default()
        .into_iter()
        .filter(fits)
        .collect();
    if redirects.is_empty() && needs_redirect {
        redirects.push(DEFAULT_REDIRECT.into());
    }
    let was_list = map.get("redirect_uris").is_some_and(Value::is_array);
    if !redirects.is_empty() || was_list {
        map.insert("redirect_uris".into(), Value::from(redirects.clone()));
    }
    let origins: Vec<url::Url> = redirects
        .iter()
        .filter_map(|u| url::Url::parse(u).ok())
        .collect();
    if let Some(Value::Array(logout)) = map.get_mut("post_logout_redirect_uris") {
        if origins.is_empty() {
            logout.clear();
        }
        for (i, uri) in logout.iter_mut().enumerate() {
            let on = &origins[i % origins.len()];
            if let Some(mut u) = uri.as_str().and_then(|u| url::Url::parse(u).ok()) {
                let moved = u.set_scheme(on.scheme()).is_ok()
                    && u.set_host(on.host_str()).is_ok()
                    && u.set_port(on.port()).is_ok();
                *uri = Value::from(if moved { u.to_string() } else { on.to_string() });
            }
        }
    }
    map
}

/// A valid value for one member: hand-tuned by name where the schema is too loose,
/// otherwise from its type (and pattern).
pub fn valid_value(member: &Member, model: &Model) -> BoxedStrategy<Value> {
    let name = member.name.as_str();
    let strings = |s: BoxedStrategy<String>| collection::vec(s, 0..3).prop_map(Value::from).boxed();
    let text = |s: BoxedStrategy<String>| s.prop_map(Value::from).boxed();
    match (name, &member.kind) {
        ("redirect_uris" | "post_logout_redirect_uris" | "request_uris" | "audience", _) => {
            strings(uri())
        }
        ("allowed_cors_origins", _) => strings(origin()),
        ("contacts", _) => strings(email()),
        ("grant_types", _) => list_of(GRANT_TYPES),
        ("response_types", _) => list_of(RESPONSE_TYPES),
        ("token_endpoint_auth_method", _) => text(select(model.auth_methods.clone()).boxed()),
        ("scope", _) => text(scope()),
        ("subject_type", _) => Just(Value::from("public")).boxed(),
        ("client_name", _) => text(name_text()),
        ("jwks", _) => Just(json!({"keys": []})).boxed(),
        (n, Kind::Str { .. }) if n.ends_with("_alg") => {
            text(select(ALGORITHMS).prop_map(String::from).boxed())
        }
        (n, Kind::Str { .. }) if n.ends_with("_uri") => text(uri()),
        (_, Kind::Str { pattern: Some(p) }) => match from_pattern(p) {
            Some(s) => text(s),
            None => text(any_text()),
        },
        (_, Kind::Str { pattern: None }) => text(any_text()),
        (_, Kind::Strings) => strings(any_text()),
        (_, Kind::Bool) => any::<bool>().prop_map(Value::from).boxed(),
        (_, Kind::Int) => (0..=i64::from(i32::MAX)).prop_map(Value::from).boxed(),
        (_, Kind::Any) => collection::btree_map("[a-z]{1,6}", any_text(), 0..3)
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k, v.into())).collect()))
            .boxed(),
    }
}

fn list_of(values: &'static [&'static str]) -> BoxedStrategy<Value> {
    subsequence(values.to_vec(), 0..=values.len())
        .prop_map(Value::from)
        .boxed()
}
