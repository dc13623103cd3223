//! The closed set of expectation kinds and how each is judged against a response.
//! Suite files name a kind (`status`, `json`, `header`, ...); adding one means adding a
//! variant here, which every `match` must then handle.
//!
//! This file holds the kinds themselves (`Check`, `StatusMatch`, `Predicate`) and how they
//! describe themselves in findings; `spec` reads them from suite files (`ExpectSpec`),
//! `evaluate` judges a check against a response, `predicate` a predicate against a value.

mod evaluate;
mod predicate;
mod spec;

use serde_json::Value;

use crate::template;

pub use evaluate::{Mismatch, Observed, evaluate, header};
pub use spec::ExpectSpec;

/// What one expectation checks.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// The status is one of these codes, or in one of these classes.
    Status(Vec<StatusMatch>),
    /// The media type of `Content-Type` (parameters ignored, case-insensitive).
    ContentType(String),
    /// The body is JSON matching the schema the contract documents for this operation
    /// and status.
    Documented,
    /// The body is JSON matching this named schema.
    Schema(String),
    /// A JSON-pointer location of the body satisfies a predicate.
    Json {
        pointer: String,
        predicate: Predicate,
    },
    /// A response header satisfies a predicate.
    Header { name: String, predicate: Predicate },
    /// The body is empty.
    BodyEmpty,
    /// The raw body, whatever its format, does not contain this text (templates filled
    /// at run time): nothing of a client leaks into an error page, JSON or not.
    BodyLacks(String),
}

/// One acceptable status: an exact code, or a class such as `4xx`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    Code(u16),
    /// The hundreds digit: `4` for `4xx`.
    Class(u16),
}

impl StatusMatch {
    fn parse(text: &str) -> Option<StatusMatch> {
        let class = text.strip_suffix("xx")?.parse::<u16>().ok()?;
        (1..=5)
            .contains(&class)
            .then_some(StatusMatch::Class(class))
    }

    fn matches(self, status: u16) -> bool {
        match self {
            StatusMatch::Code(c) => c == status,
            StatusMatch::Class(c) => status / 100 == c,
        }
    }

    fn describe(self) -> String {
        match self {
            StatusMatch::Code(c) => c.to_string(),
            StatusMatch::Class(c) => format!("{c}xx"),
        }
    }
}

/// What must hold of a located value (a JSON member or a header).
#[derive(Debug, Clone, PartialEq)]
pub enum Predicate {
    Present,
    Absent,
    /// Absent, `null`, or an empty string/array/object.
    AbsentOrEmpty,
    /// A non-empty string.
    NonEmptyString,
    /// Equal to this value (templates filled at run time); for a header, `null` means
    /// the header is absent.
    Equals(Value),
    /// Present and different from this value.
    NotEquals(Value),
    /// A string containing this text (case-insensitive for headers).
    Contains(String),
    /// A string matching this regular expression (checked when the suite loads).
    Matches(String),
    /// Absent, or not containing this text: a string's own text, any other value's
    /// JSON text (case-insensitive for headers).
    Lacks(String),
    /// A value valid against this inline JSON Schema (draft 2020-12, compiled when the
    /// suite loads). With the pointer `""` it judges the whole body, so one check can say
    /// how members relate ("client_secret_expires_at whenever client_secret"); a body
    /// that is not JSON is then judged as `null`, so the schema says whether it may pass
    /// (`{"type": "object"}` refuses it, `{"properties": ...}` does not).
    Satisfies(Value),
    /// A URL string on an origin the run sends requests to: the target's, or one
    /// `--allow-origin` names (`Observed::origins`).
    OriginAllowed,
    /// Equal to what the capture of this name saved, when it saved anything: a capture
    /// marked `if_present` that found nothing leaves the name unset and the check
    /// passes, so a read is compared only on members an earlier answer carried (a
    /// captured `null` is still compared).
    SameAs(String),
    /// Listed in what the capture of this name saved: a string, or each string of an
    /// array, is among the captured array's values. Passes when the value is absent or
    /// `null` (the server echoed nothing) or the capture saved nothing or `null` (nothing
    /// advertised).
    Within(String),
}

impl Check {
    /// Template names the check refers to (for load-time "used before set" checks).
    pub fn template_names(&self) -> Vec<String> {
        match self {
            Check::Json { predicate, .. } | Check::Header { predicate, .. } => match predicate {
                Predicate::Equals(v) | Predicate::NotEquals(v) => template::names_in_value(v),
                Predicate::Contains(s) | Predicate::Lacks(s) => template::names_in(s),
                Predicate::SameAs(name) | Predicate::Within(name) => vec![name.clone()],
                _ => Vec::new(),
            },
            Check::BodyLacks(s) => template::names_in(s),
            _ => Vec::new(),
        }
    }

    /// A short description of what is expected, for findings.
    pub fn describe(&self) -> String {
        match self {
            Check::Status(codes) => {
                let list: Vec<String> = codes.iter().map(|c| c.describe()).collect();
                format!("status {}", list.join(" or "))
            }
            Check::ContentType(ct) => format!("Content-Type {ct}"),
            Check::Documented => "a body matching the documented response schema".into(),
            Check::Schema(name) => format!("a body matching schema {name}"),
            Check::Json { pointer, predicate } if pointer.is_empty() => {
                format!("body {}", predicate.describe())
            }
            Check::Json { pointer, predicate } => {
                format!("body {pointer} {}", predicate.describe())
            }
            Check::Header { name, predicate } => format!("header {name} {}", predicate.describe()),
            Check::BodyEmpty => "an empty body".into(),
            Check::BodyLacks(text) => format!("a body not containing {text:?}"),
        }
    }
}

impl Predicate {
    fn describe(&self) -> String {
        match self {
            Predicate::Present => "present".into(),
            Predicate::Absent => "absent".into(),
            Predicate::AbsentOrEmpty => "absent or empty".into(),
            Predicate::NonEmptyString => "a non-empty string".into(),
            Predicate::Equals(v) => format!("equal to {}", short(v)),
            Predicate::NotEquals(v) => format!("present and not equal to {}", short(v)),
            Predicate::Contains(s) => format!("containing {s:?}"),
            Predicate::Matches(r) => format!("matching /{r}/"),
            Predicate::Lacks(s) => format!("absent or not containing {s:?}"),
            Predicate::Satisfies(schema) => format!("satisfying the schema {}", short(schema)),
            Predicate::OriginAllowed => {
                "a URL on the target's origin (or one --allow-origin names)".into()
            }
            Predicate::SameAs(name) => format!("equal to '{name}' (when it was captured)"),
            Predicate::Within(name) => format!("listed in '{name}' (when it was captured)"),
        }
    }
}

/// A value for a message: JSON text, cut to a readable length.
fn short(v: &Value) -> String {
    cut(&v.to_string(), 200)
}

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max).collect::<String>())
    }
}

#[cfg(test)]
mod tests;
