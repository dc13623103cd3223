//! The closed set of expectation kinds and how each is judged against a response.
//! Suite files name a kind (`status`, `json`, `header`, ...); adding one means adding a
//! variant here, which every `match` must then handle.

use serde::Deserialize;
use serde_json::Value;

use crate::schema::{Contract, Documented, Operation};
use crate::suite::Expect;
use crate::template::{self, Vars};

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
}

/// An expectation as written in a suite file; `Expect::try_from` checks that exactly
/// one kind is given and that its predicate fits.
#[derive(Debug, Clone, Deserialize)]
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
    satisfies: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum StatusSpec {
    One(StatusItem),
    Any(Vec<StatusItem>),
}

#[derive(Debug, Clone, Deserialize)]
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
        if let Some(v) = s.satisfies {
            compile_schema(&v).map_err(|e| format!("`satisfies`: not a JSON Schema: {e}"))?;
            predicates.push(Predicate::Satisfies(v));
        }
        let located = s.json.is_some() || s.header.is_some();
        if predicates.len() > 1 || (located && predicates.is_empty()) {
            return Err("`json` and `header` take exactly one of present, absent, \
                        absent_or_empty, non_empty_string, equals, not_equals, contains, matches, \
                        lacks, satisfies"
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
                at: String::new(),
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

impl Check {
    /// Template names the check refers to (for load-time "used before set" checks).
    pub fn template_names(&self) -> Vec<String> {
        match self {
            Check::Json { predicate, .. } | Check::Header { predicate, .. } => match predicate {
                Predicate::Equals(v) | Predicate::NotEquals(v) => template::names_in_value(v),
                Predicate::Contains(s) | Predicate::Lacks(s) => template::names_in(s),
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
        }
    }
}

/// The parts of a response a check can look at.
#[derive(Debug, Clone)]
pub struct Observed<'a> {
    pub status: u16,
    /// Header names lower-case.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    /// The body parsed as JSON, when it parses.
    pub json: Option<&'a Value>,
    /// The DCR operation the request was, when it was one.
    pub operation: Option<Operation>,
}

/// Why a check did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub expected: String,
    pub actual: String,
}

/// Judge one check against one response.
pub fn evaluate(
    check: &Check,
    seen: &Observed,
    vars: &Vars,
    contract: &Contract,
) -> Result<(), Mismatch> {
    let fail = |actual: String| {
        Err(Mismatch {
            expected: check.describe(),
            actual,
        })
    };
    match check {
        Check::Status(codes) => {
            if codes.iter().any(|c| c.matches(seen.status)) {
                Ok(())
            } else {
                fail(format!("status {}", seen.status))
            }
        }
        Check::ContentType(want) => {
            let got = header(seen.headers, "content-type");
            let media = got.map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            });
            match media {
                Some(m) if &m == want => Ok(()),
                Some(_) => fail(format!("Content-Type {}", got.unwrap_or_default())),
                None => fail("no Content-Type".into()),
            }
        }
        Check::Documented => {
            let Some(op) = seen.operation else {
                return fail("a request that is not one of the documented operations".into());
            };
            match contract.documented(op, seen.status) {
                Documented::Schema(name) => against_schema(&name, seen, contract).or_else(fail),
                Documented::Empty if seen.body.is_empty() => Ok(()),
                Documented::Empty => fail(format!(
                    "a body of {} bytes where none is documented",
                    seen.body.len()
                )),
                Documented::Undocumented => fail(format!(
                    "status {} is not documented for {op:?}",
                    seen.status
                )),
            }
        }
        Check::Schema(name) => against_schema(name, seen, contract).or_else(fail),
        Check::Json {
            pointer,
            predicate: Predicate::Satisfies(schema),
        } if pointer.is_empty() && seen.json.is_none() => schema_errors(schema, &Value::Null)
            .or_else(|errors| {
                fail(format!(
                    "{}, judged as null ({errors})",
                    not_json(seen.body)
                ))
            }),
        Check::Json { pointer, predicate } => {
            let Some(json) = seen.json else {
                return fail(not_json(seen.body));
            };
            let found = json.pointer(pointer);
            judge(predicate, found, vars, false).or_else(fail)
        }
        Check::Header { name, predicate } => {
            let found = header(seen.headers, name).map(|v| Value::String(v.to_string()));
            judge(predicate, found.as_ref(), vars, true).or_else(fail)
        }
        Check::BodyEmpty => {
            if seen.body.is_empty() {
                Ok(())
            } else {
                fail(format!("body {}", body_excerpt(seen.body)))
            }
        }
        Check::BodyLacks(text) => {
            let needle = match template::fill(text, vars) {
                Ok(n) => n,
                Err(e) => return fail(e),
            };
            let body = String::from_utf8_lossy(seen.body);
            match body.find(&needle) {
                None => Ok(()),
                // Show where it is, not the whole body: the needle may be a secret,
                // which the redactor replaces in what is shown anyway.
                Some(at) => fail(format!(
                    "a body containing it at byte {at}: {}",
                    body_excerpt(seen.body)
                )),
            }
        }
    }
}

fn against_schema(name: &str, seen: &Observed, contract: &Contract) -> Result<(), String> {
    let Some(json) = seen.json else {
        return Err(not_json(seen.body));
    };
    contract.validate(name, json).map_err(|errors| {
        // A message quotes the offending value, which a hostile body can make huge.
        let shown: Vec<String> = errors.iter().take(5).map(|e| cut(e, 300)).collect();
        let more = errors.len().saturating_sub(shown.len());
        let tail = if more > 0 {
            format!(" (and {more} more)")
        } else {
            String::new()
        };
        format!("schema {name} violated: {}{tail}", shown.join("; "))
    })
}

/// Apply a predicate to a located value; `Err` carries the actual value described.
fn judge(p: &Predicate, found: Option<&Value>, vars: &Vars, header: bool) -> Result<(), String> {
    let shown = || found.map(short).unwrap_or_else(|| "absent".into());
    if let Predicate::Satisfies(schema) = p {
        let Some(value) = found else {
            return Err(shown());
        };
        return schema_errors(schema, value).map_err(|errors| format!("{} ({errors})", shown()));
    }
    let ok = match p {
        Predicate::Satisfies(_) => unreachable!("judged above"),
        Predicate::Present => found.is_some(),
        Predicate::Absent => found.is_none(),
        Predicate::AbsentOrEmpty => match found {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.is_empty(),
            Some(Value::Array(a)) => a.is_empty(),
            Some(Value::Object(o)) => o.is_empty(),
            Some(_) => false,
        },
        Predicate::NonEmptyString => matches!(found, Some(Value::String(s)) if !s.is_empty()),
        Predicate::Equals(want) => {
            let want = template::fill_value(want, vars)?;
            // A header is never null: equal to null means absent (an optional capture
            // of a header that was not there compares equal to its absence).
            if header && want.is_null() {
                found.is_none()
            } else {
                found == Some(&want)
            }
        }
        Predicate::NotEquals(want) => {
            let want = template::fill_value(want, vars)?;
            found.is_some() && found != Some(&want)
        }
        Predicate::Matches(pattern) => {
            let re = regex::Regex::new(pattern).map_err(|e| e.to_string())?;
            matches!(found, Some(Value::String(s)) if re.is_match(s))
        }
        Predicate::Contains(needle) => {
            let needle = template::fill(needle, vars)?;
            match found {
                Some(Value::String(s)) if header => s
                    .to_ascii_lowercase()
                    .contains(&needle.to_ascii_lowercase()),
                Some(Value::String(s)) => s.contains(&needle),
                _ => false,
            }
        }
        Predicate::Lacks(needle) => {
            let needle = template::fill(needle, vars)?;
            let text = match found {
                None => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => Some(other.to_string()),
            };
            match text {
                None => true,
                Some(t) if header => !t
                    .to_ascii_lowercase()
                    .contains(&needle.to_ascii_lowercase()),
                Some(t) => !t.contains(&needle),
            }
        }
    };
    if ok { Ok(()) } else { Err(shown()) }
}

/// Where `value` breaks an inline schema: the first few errors, each at its instance path.
fn schema_errors(schema: &Value, value: &Value) -> Result<(), String> {
    let validator = compile_schema(schema)?;
    let errors: Vec<String> = validator
        .iter_errors(value)
        .take(3)
        .map(|e| {
            let at = e.instance_path().to_string();
            let at = if at.is_empty() { "/".into() } else { at };
            format!("at '{at}': {e}")
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}

/// An inline schema of a `satisfies` predicate, compiled as draft 2020-12, offline.
fn compile_schema(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .offline()
        .build(schema)
        .map_err(|e| e.to_string())
}

/// The first value of a header (names compared case-insensitively).
pub fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A value for a message: JSON text, cut to a readable length.
fn short(v: &Value) -> String {
    cut(&v.to_string(), 200)
}

/// Why a body is not JSON, and how it starts: "a body that is not JSON (recursion
/// limit exceeded at line 1 column 128): \"[[[[…\"".
fn not_json(body: &[u8]) -> String {
    // Parsed again only on this failure path, to learn the reason (as a `Value`, with
    // serde_json's recursion limit: `IgnoredAny` has none and would misreport depth).
    match serde_json::from_slice::<Value>(body) {
        Err(e) if !body.is_empty() => {
            format!("a body that is not JSON ({e}): {}", body_excerpt(body))
        }
        _ => format!("a body that is not JSON: {}", body_excerpt(body)),
    }
}

fn body_excerpt(body: &[u8]) -> String {
    if body.is_empty() {
        return "(empty)".into();
    }
    format!("{:?}", cut(&String::from_utf8_lossy(body), 200))
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
