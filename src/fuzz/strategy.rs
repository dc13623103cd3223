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

use std::fmt;
use std::sync::Arc;

use proptest::prelude::*;
use proptest::sample::{Index, select, subsequence};
use proptest::strategy::{BoxedStrategy, Just, Union};
use proptest::{collection, string};
use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};
use serde_json::{Map, Value, json};

use super::model::{Kind, Member, Model};

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
/// Names above this length are "long"; the long-name alternative reaches twice that.
const LONG_NAME: usize = 200;

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

/// Where an invalid body is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `POST` to the registration endpoint.
    Create,
    /// `PUT` to a freshly registered client's configuration endpoint.
    Update,
}

/// One invalid request body, its `Content-Type` and what is wrong with it.
#[derive(Clone)]
pub struct Invalid {
    pub target: Target,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    pub what: String,
}

impl fmt::Debug for Invalid {
    /// The body can be megabytes: show its length, not its bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Invalid")
            .field("target", &self.target)
            .field("content_type", &self.content_type)
            .field("what", &self.what)
            .field("body_len", &self.body.len())
            .finish()
    }
}

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

/// Characters for names: `a`-`z` first (what shrinking aims for), or anything at all.
fn name_char() -> BoxedStrategy<char> {
    prop_oneof![proptest::char::range('a', 'z'), proptest::char::any()].boxed()
}

/// Any Unicode text, short.
pub fn any_text() -> BoxedStrategy<String> {
    collection::vec(name_char(), 0..24)
        .prop_map(String::from_iter)
        .boxed()
}

/// A client name: any Unicode, mostly short; a third are a short prefix and a run of one
/// character up to twice [`LONG_NAME`] long.
pub fn name_text() -> BoxedStrategy<String> {
    let long = (
        collection::vec(name_char(), 0..4),
        name_char(),
        0..=2 * LONG_NAME,
    )
        .prop_map(|(prefix, c, n)| {
            let mut s = String::from_iter(prefix);
            s.extend(std::iter::repeat_n(c, n));
            s
        });
    prop_oneof![2 => any_text(), 1 => long].boxed()
}

fn host() -> BoxedStrategy<String> {
    "[a-z][a-z0-9]{0,7}"
        .prop_map(|h| format!("{h}.example"))
        .boxed()
}

fn path() -> BoxedStrategy<String> {
    (
        collection::vec("[a-z0-9]{1,6}", 0..3),
        proptest::option::of("[a-z]{1,4}=[a-z0-9]{0,4}"),
    )
        .prop_map(|(segments, query)| {
            let mut p = segments.join("/");
            if let Some(q) = query {
                p.push('?');
                p.push_str(&q);
            }
            p
        })
        .boxed()
}

/// Absolute URIs without a fragment (RFC 6749 §3.1.2): https, loopback http, and
/// private-use schemes of native apps (RFC 8252 §7.1).
pub fn uri() -> BoxedStrategy<String> {
    prop_oneof![
        4 => (host(), proptest::option::of(1024u16..), path()).prop_map(|(h, port, p)| {
            let port = port.map(|n| format!(":{n}")).unwrap_or_default();
            format!("https://{h}{port}/{p}")
        }),
        1 => (1024u16.., path()).prop_map(|(port, p)| format!("http://127.0.0.1:{port}/{p}")),
        1 => ("[a-z]{1,8}", path()).prop_map(|(app, p)| format!("com.{app}.app:/{p}")),
    ]
    .boxed()
}

fn origin() -> BoxedStrategy<String> {
    (host(), proptest::option::of(1024u16..))
        .prop_map(|(h, port)| match port {
            Some(n) => format!("https://{h}:{n}"),
            None => format!("https://{h}"),
        })
        .boxed()
}

fn email() -> BoxedStrategy<String> {
    ("[a-z0-9][a-z0-9._+-]{0,9}", host())
        .prop_map(|(local, h)| format!("{local}@{h}"))
        .boxed()
}

/// Space-separated scope tokens (RFC 6749 §3.3).
fn scope() -> BoxedStrategy<String> {
    collection::vec("[a-z][a-z0-9:._-]{0,8}", 0..4)
        .prop_map(|tokens| tokens.join(" "))
        .boxed()
}

/// Strings matching a schema `pattern`, with anchors dropped and every repetition capped
/// (`+` is at most 3, `*` at most 2) so values stay plausible (`"12h5m"`, not 32-digit
/// counts). `None` when the pattern is beyond proptest's generator.
pub fn from_pattern(pattern: &str) -> Option<BoxedStrategy<String>> {
    let hir = regex_syntax::parse(pattern).ok()?;
    string::string_regex_parsed(&bounded(hir))
        .ok()
        .map(|s| s.boxed())
}

fn bounded(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Look(_) => Hir::empty(),
        HirKind::Repetition(r) => {
            let cap = r.min.saturating_add(2);
            Hir::repetition(Repetition {
                min: r.min,
                max: Some(r.max.map_or(cap, |m| m.min(cap))),
                greedy: r.greedy,
                sub: Box::new(bounded(*r.sub)),
            })
        }
        HirKind::Capture(c) => Hir::capture(Capture {
            index: c.index,
            name: c.name,
            sub: Box::new(bounded(*c.sub)),
        }),
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(bounded).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.into_iter().map(bounded).collect()),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(l) => Hir::literal(l.0),
        HirKind::Class(c) => Hir::class(c),
    }
}

// ---------------------------------------------------------------- invalid input

/// A member value of the wrong JSON type, rendered as JSON text.
#[derive(Debug, Clone)]
enum Wrong {
    Json(Value, &'static str),
    /// Arrays (or objects) nested this deep.
    Deep {
        depth: usize,
        object: bool,
    },
    /// A string of this many characters, alone or as an array's only item.
    Huge {
        len: usize,
        in_array: bool,
    },
}

impl Wrong {
    fn text(&self) -> String {
        match self {
            Wrong::Json(v, _) => v.to_string(),
            Wrong::Deep { depth, object } => {
                let (open, close) = if *object {
                    ("{\"a\":", "}")
                } else {
                    ("[", "]")
                };
                let inner = if *object { "1" } else { "" };
                format!("{}{inner}{}", open.repeat(*depth), close.repeat(*depth))
            }
            Wrong::Huge { len, in_array } => {
                let s = "x".repeat(*len);
                if *in_array {
                    format!("[\"{s}\"]")
                } else {
                    format!("\"{s}\"")
                }
            }
        }
    }

    fn describe(&self) -> String {
        match self {
            Wrong::Json(_, what) => (*what).to_string(),
            Wrong::Deep { depth, object } => format!(
                "{} nested {depth} deep",
                if *object { "objects" } else { "arrays" }
            ),
            Wrong::Huge { len, in_array } => format!(
                "a {len}-character string{}",
                if *in_array { " in an array" } else { "" }
            ),
        }
    }
}

/// Values whose JSON type is not `kind` (and not `null`, which means "omitted").
fn wrong_value(kind: &Kind) -> Option<BoxedStrategy<Wrong>> {
    let j = |v: Value, what: &'static str| Just(Wrong::Json(v, what));
    let deep =
        (1usize..=20_000, any::<bool>()).prop_map(|(depth, object)| Wrong::Deep { depth, object });
    let huge = |in_array: bool| {
        (1usize << 10..=3 << 20).prop_map(move |len| Wrong::Huge { len, in_array })
    };
    Some(match kind {
        Kind::Str { .. } => prop_oneof![
            j(json!(5), "a number"),
            j(json!(true), "a boolean"),
            j(json!(["x"]), "an array"),
            j(json!({"x": "y"}), "an object"),
            deep,
            huge(true),
        ]
        .boxed(),
        Kind::Strings => prop_oneof![
            j(json!("https://a.example/"), "a string, not an array"),
            j(json!(5), "a number"),
            j(json!({"x": "y"}), "an object"),
            j(json!(["x", 5]), "an array with a number in it"),
            j(json!([null]), "an array with null in it"),
            deep,
            huge(false),
        ]
        .boxed(),
        Kind::Bool => prop_oneof![
            j(json!("true"), "a string"),
            j(json!(1), "a number"),
            j(json!([]), "an array"),
            deep,
            huge(false),
        ]
        .boxed(),
        Kind::Int => prop_oneof![
            j(json!("1"), "a string"),
            j(json!(1.5), "a fraction"),
            j(json!(true), "a boolean"),
            deep,
            huge(false),
        ]
        .boxed(),
        Kind::Any => return None,
    })
}

/// `{"k":v,...}` from already-rendered member texts.
fn object_text(members: &[(String, String)]) -> String {
    let inner: Vec<String> = members
        .iter()
        .map(|(k, v)| format!("{}:{v}", Value::from(k.as_str())))
        .collect();
    format!("{{{}}}", inner.join(","))
}

fn rendered(base: &Metadata) -> Vec<(String, String)> {
    base.iter()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect()
}

/// Invalid requests: wrong member types (also huge and deeply nested), strings breaking
/// the schema's pattern, bad redirect URIs, truncated or malformed JSON, duplicate
/// members, non-object and form bodies; each under a plausible or wrong `Content-Type`,
/// to create or to update. Every one is invalid whatever the `Content-Type` is taken to
/// mean, so a server that ignores the header must still refuse it.
pub fn invalid(model: &Model) -> BoxedStrategy<Invalid> {
    let base = || sized_metadata(model, false, 4);
    let mut kinds: Weighted<(Vec<u8>, String)> = Vec::new();

    // Truncated JSON first: shrinking ends at the simplest alternative that still
    // fails, and "{" is the simplest invalid body there is.
    kinds.push((
        2,
        (base(), any::<Index>())
            .prop_map(|(base, at)| {
                let text = serde_json::to_vec(&base).expect("serialises");
                let cut = 1 + at.index(text.len() - 1);
                let what = format!("JSON cut after {cut} of {} bytes", text.len());
                (text[..cut].to_vec(), what)
            })
            .boxed(),
    ));

    // Members grouped by JSON type: the wrong values depend only on the type, and the
    // member is `select`ed, so shrinking binary-searches it. (A union of members would
    // walk back through every earlier member while each still fails; `prop_flat_map`
    // regenerates its inner value up to `cases` times per complication. Each step is a
    // request.)
    let mut groups: Vec<(Vec<String>, BoxedStrategy<Wrong>)> = Vec::new();
    for m in &model.members {
        let Some(wrong) = wrong_value(&m.kind) else {
            continue;
        };
        let same = |k: &Kind| std::mem::discriminant(k) == std::mem::discriminant(&m.kind);
        match groups.iter_mut().find(|(names, _)| {
            model
                .member(&names[0])
                .is_some_and(|first| same(&first.kind))
        }) {
            Some((names, _)) => names.push(m.name.clone()),
            None => groups.push((vec![m.name.clone()], wrong)),
        }
    }
    if !groups.is_empty() {
        let once = Union::new(
            groups
                .iter()
                .map(|(names, wrong)| (select(names.clone()), wrong.clone()).boxed()),
        );
        kinds.push((
            4,
            (base(), once)
                .prop_map(|(base, (name, wrong))| {
                    let mut members = rendered(&base);
                    members.retain(|(k, _)| *k != name);
                    members.push((name.clone(), wrong.text()));
                    let what = format!("{name} is {}", wrong.describe());
                    (object_text(&members).into_bytes(), what)
                })
                .boxed(),
        ));
        let twice =
            Union::new(groups.iter().map(|(names, wrong)| {
                (select(names.clone()), wrong.clone(), wrong.clone()).boxed()
            }));
        kinds.push((
            1,
            (base(), twice)
                .prop_map(|(base, (name, first, second))| {
                    let mut members = vec![(name.clone(), first.text())];
                    members.extend(rendered(&base).into_iter().filter(|(k, _)| *k != name));
                    members.push((name.clone(), second.text()));
                    let what = format!(
                        "{name} given twice, as {} and as {}",
                        first.describe(),
                        second.describe()
                    );
                    (object_text(&members).into_bytes(), what)
                })
                .boxed(),
        ));
    }

    for m in &model.members {
        if let Kind::Str { pattern: Some(p) } = &m.kind
            && let Ok(validator) = jsonschema::validator_for(&json!({"pattern": p}))
        {
            let validator = Arc::new(validator);
            let (name, pattern) = (m.name.clone(), p.clone());
            let breaking = any_text().prop_filter("matches the pattern", move |s| {
                !validator.is_valid(&json!(s))
            });
            kinds.push((
                1,
                (base(), breaking)
                    .prop_map(move |(base, s)| {
                        let mut base = base;
                        base.insert(name.clone(), Value::from(s.clone()));
                        let what = format!(
                            "{name} {} does not match {pattern}",
                            Value::from(s.as_str())
                        );
                        (serde_json::to_vec(&base).expect("serialises"), what)
                    })
                    .boxed(),
            ));
        }
    }

    if model.member("redirect_uris").is_some() {
        let bad = prop_oneof![
            uri().prop_map(|u| (format!("{u}#frag"), "has a fragment")),
            path().prop_map(|p| (format!("/{p}"), "is relative")),
            Just((String::new(), "is empty")),
            Just(("http://[::1".to_string(), "does not parse")),
        ];
        kinds.push((
            2,
            (base(), collection::vec(uri(), 0..2), bad, any::<Index>())
                .prop_map(|(base, good, (uri, why), at)| {
                    let mut uris = good;
                    let i = at.index(uris.len() + 1);
                    uris.insert(i, uri);
                    let mut base = base;
                    base.insert("redirect_uris".into(), Value::from(uris));
                    let what = format!("redirect_uris[{i}] {why}");
                    (serde_json::to_vec(&base).expect("serialises"), what)
                })
                .boxed(),
        ));
    }

    let syntax: &[(&str, &str)] = &[
        ("{}{}", "two JSON objects"),
        ("{} x", "text after the object"),
        ("{\"client_name\":\"a\",}", "a trailing comma"),
        ("{'client_name':'a'}", "single quotes"),
        ("{client_name:\"a\"}", "an unquoted member name"),
        ("{\"client_name\":NaN}", "NaN"),
        ("/* c */{}", "a comment"),
    ];
    kinds.push((
        1,
        select(syntax.to_vec())
            .prop_map(|(text, what)| (text.as_bytes().to_vec(), format!("malformed JSON: {what}")))
            .boxed(),
    ));

    kinds.push((
        2,
        (base(), 0..7usize)
            .prop_map(|(base, which)| {
                let object = serde_json::to_string(&base).expect("serialises");
                let (text, what) = match which {
                    0 => ("[]".to_string(), "an empty array"),
                    1 => (format!("[{object}]"), "the metadata inside an array"),
                    2 => (
                        Value::from(object).to_string(),
                        "the metadata as a JSON string",
                    ),
                    3 => ("5".to_string(), "a number"),
                    4 => ("true".to_string(), "a boolean"),
                    5 => ("null".to_string(), "null"),
                    _ => (String::new(), "empty"),
                };
                (text.into_bytes(), format!("the body is {what}"))
            })
            .boxed(),
    ));

    kinds.push((
        1,
        base()
            .prop_map(|base| {
                let mut form = url::form_urlencoded::Serializer::new(String::new());
                for (k, v) in &base {
                    match v {
                        Value::String(s) => form.append_pair(k, s),
                        other => form.append_pair(k, &other.to_string()),
                    };
                }
                let text = form.finish();
                let text = if text.is_empty() {
                    "client_name=x".to_string()
                } else {
                    text
                };
                (
                    text.into_bytes(),
                    "the body is form-encoded, not JSON".into(),
                )
            })
            .boxed(),
    ));

    let content_type = prop_oneof![
        6 => Just(Some("application/json")),
        1 => Just(Some("application/json; charset=utf-8")),
        1 => Just(Some("text/plain")),
        1 => Just(Some("application/x-www-form-urlencoded")),
        1 => Just(None),
        1 => Just(Some("multipart/form-data; boundary=x")),
        1 => Just(Some("application/xml")),
    ];
    let target = prop_oneof![3 => Just(Target::Create), 1 => Just(Target::Update)];
    (target, content_type, Union::new_weighted(kinds))
        .prop_map(|(target, content_type, (body, what))| Invalid {
            target,
            content_type: content_type.map(String::from),
            body,
            what,
        })
        .boxed()
}

#[cfg(test)]
mod tests {
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
}
