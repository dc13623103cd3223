//! Invalid requests for the invalid-input property: wrong member types (also huge and
//! deeply nested), pattern-breaking strings, bad redirect URIs, malformed JSON and
//! non-JSON bodies, each under some `Content-Type`, to create or to update. Only members
//! the server is bound to understand are mutated (`Model::understood`).

use std::fmt;
use std::sync::Arc;

use proptest::collection;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::strategy::{BoxedStrategy, Just, Union};
use serde_json::{Value, json};

use super::super::model::{Kind, Model};
use super::text::path;
use super::{Metadata, Weighted, any_text, sized_metadata, uri};

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
/// the schema's pattern, bad redirect URIs, truncated or malformed JSON, non-object and
/// form bodies; each under a plausible or wrong `Content-Type`,
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
    let understood = || model.members.iter().filter(|m| model.understood(&m.name));
    for m in understood() {
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
        // No "member given twice": RFC 8259 §4 says names "SHOULD be unique", and a
        // parser that keeps the last one reads valid JSON (issue 15, 2e). The report
        // also showed such a body parsed, with the member once.
    }

    for m in understood() {
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
