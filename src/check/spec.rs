//! Expectations as written in suite files (`ExpectSpec`) and their conversion into an
//! `Expect`: exactly one kind, exactly one predicate for `json` and `header`, valid status
//! codes and classes, regular expressions and inline schemas that compile.

use serde::Deserialize;
use serde_json::Value;

use super::predicate::compile_schema;
use super::{Check, Predicate, StatusMatch};
use crate::suite::Expect;

/// An expectation as written in a suite file; `Expect::try_from` checks that exactly
/// one kind is given and that its predicate fits.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExpectSpec {
    #[serde(default)]
    rule: Option<String>,
    #[serde(default)]
    status: Option<StatusSpec>,
    #[serde(default)]
    content_type: Option<String>,
    #[serde(default)]
    documented: Option<bool>,
    #[serde(default)]
    schema: Option<String>,
    #[serde(default)]
    json: Option<String>,
    #[serde(default)]
    header: Option<String>,
    #[serde(default)]
    body_empty: Option<bool>,
    #[serde(default)]
    body_lacks: Option<String>,
    #[serde(default)]
    present: Option<bool>,
    #[serde(default)]
    absent: Option<bool>,
    #[serde(default)]
    absent_or_empty: Option<bool>,
    #[serde(default)]
    non_empty_string: Option<bool>,
    #[serde(default)]
    equals: Option<Value>,
    #[serde(default)]
    not_equals: Option<Value>,
    #[serde(default)]
    contains: Option<String>,
    #[serde(default)]
    matches: Option<String>,
    #[serde(default)]
    lacks: Option<String>,
    #[serde(default)]
    origin_allowed: Option<bool>,
    /// The name of a capture: equal to its value, or anything when it captured nothing.
    #[serde(default)]
    same_as: Option<String>,
    /// The name of a capture holding a list: listed in it (each item of an array), or
    /// anything when absent or when the capture holds nothing.
    #[serde(default)]
    within: Option<String>,
    satisfies: Option<Value>,
    /// Why no fault of a black-box server can break this check: the lint counts it as
    /// marked instead of asking for a fault (CONTRIBUTING.md, "Every check can fail").
    #[serde(default)]
    unfalsifiable: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(untagged)]
enum StatusSpec {
    One(StatusItem),
    Any(Vec<StatusItem>),
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(untagged)]
enum StatusItem {
    Code(u16),
    Class(String),
}

impl TryFrom<ExpectSpec> for Expect {
    type Error = String;

    fn try_from(s: ExpectSpec) -> Result<Self, String> {
        let mut predicates = Vec::new();
        if s.present == Some(true) {
            predicates.push(Predicate::Present);
        }
        if s.absent == Some(true) {
            predicates.push(Predicate::Absent);
        }
        if s.absent_or_empty == Some(true) {
            predicates.push(Predicate::AbsentOrEmpty);
        }
        if s.non_empty_string == Some(true) {
            predicates.push(Predicate::NonEmptyString);
        }
        if let Some(v) = s.equals {
            predicates.push(Predicate::Equals(v));
        }
        if let Some(v) = s.not_equals {
            predicates.push(Predicate::NotEquals(v));
        }
        if let Some(v) = s.contains {
            predicates.push(Predicate::Contains(v));
        }
        if let Some(v) = s.matches {
            regex::Regex::new(&v)
                .map_err(|e| format!("`matches`: not a regular expression: {e}"))?;
            predicates.push(Predicate::Matches(v));
        }
        if let Some(v) = s.lacks {
            predicates.push(Predicate::Lacks(v));
        }
        if s.origin_allowed == Some(true) {
            predicates.push(Predicate::OriginAllowed);
        }
        if let Some(name) = s.same_as {
            if name.is_empty() || name.contains("{{") {
                return Err(
                    "`same_as` takes the bare name of a capture, such as \"contacts\"".into(),
                );
            }
            predicates.push(Predicate::SameAs(name));
        }
        if let Some(name) = s.within {
            if name.is_empty() || name.contains("{{") {
                return Err(
                    "`within` takes the bare name of a capture, such as \"advertised\"".into(),
                );
            }
            predicates.push(Predicate::Within(name));
        }
        if let Some(v) = s.satisfies {
            compile_schema(&v).map_err(|e| format!("`satisfies`: not a JSON Schema: {e}"))?;
            predicates.push(Predicate::Satisfies(v));
        }
        let located = s.json.is_some() || s.header.is_some();
        if predicates.len() > 1 || (located && predicates.is_empty()) {
            return Err("`json` and `header` take exactly one of present, absent, \
                        absent_or_empty, non_empty_string, equals, not_equals, contains, matches, \
                        lacks, origin_allowed, satisfies, same_as, within"
                .into());
        }
        if !located && !predicates.is_empty() {
            return Err("a predicate needs `json` or `header` to say what it applies to".into());
        }
        let predicate = predicates.pop();
        let mut kinds = Vec::new();
        if let Some(st) = s.status {
            let items = match st {
                StatusSpec::One(c) => vec![c],
                StatusSpec::Any(cs) => cs,
            };
            let mut matches = Vec::new();
            for item in items {
                matches.push(match item {
                    StatusItem::Code(c) if (100..=599).contains(&c) => StatusMatch::Code(c),
                    StatusItem::Class(text) if StatusMatch::parse(&text).is_some() => {
                        StatusMatch::parse(&text).expect("just checked")
                    }
                    _ => {
                        return Err(
                            "`status` takes HTTP status codes (201) or classes (\"4xx\")".into(),
                        );
                    }
                });
            }
            if matches.is_empty() {
                return Err("`status` needs at least one code".into());
            }
            kinds.push(Check::Status(matches));
        }
        if let Some(ct) = s.content_type {
            kinds.push(Check::ContentType(ct.to_ascii_lowercase()));
        }
        if s.documented == Some(true) {
            kinds.push(Check::Documented);
        }
        if let Some(name) = s.schema {
            kinds.push(Check::Schema(name));
        }
        if s.body_empty == Some(true) {
            kinds.push(Check::BodyEmpty);
        }
        if let Some(text) = s.body_lacks {
            if text.is_empty() {
                return Err("`body_lacks` needs the text the body must not contain".into());
            }
            kinds.push(Check::BodyLacks(text));
        }
        if let (Some(pointer), Some(p)) = (s.json, predicate.clone()) {
            if !(pointer.is_empty() || pointer.starts_with('/')) {
                return Err(format!(
                    "`json` takes a JSON pointer such as \"/client_id\", not {pointer:?}"
                ));
            }
            kinds.push(Check::Json {
                pointer,
                predicate: p,
            });
        }
        if let (Some(name), Some(p)) = (s.header, predicate) {
            kinds.push(Check::Header {
                name: name.to_ascii_lowercase(),
                predicate: p,
            });
        }
        match kinds.len() {
            1 => Ok(Expect {
                rule: s.rule,
                check: kinds.pop().unwrap(),
                unfalsifiable: match s.unfalsifiable {
                    Some(why) if why.trim().is_empty() => {
                        return Err(
                            "`unfalsifiable` needs the reason no fault can break the check".into(),
                        );
                    }
                    why => why,
                },
                at: String::new(),
                source: String::new(),
                inverted: false,
            }),
            0 => Err(
                "an expectation needs one of status, content_type, documented, schema, \
                      json, header, body_empty, body_lacks"
                    .into(),
            ),
            _ => Err("an expectation checks one thing; split it into several".into()),
        }
    }
}
