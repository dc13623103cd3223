//! Scenario suites as data: the types a suite file deserialises into. A suite file may
//! hold rules, invariants and scenarios; `load` merges the files and checks them, so
//! everything the runner receives is known to be consistent.

pub mod capabilities;
pub mod digest;
pub mod each;
pub mod embedded;
pub mod fixtures;
pub mod load;
mod request;
#[cfg(test)]
pub mod schema;
pub mod sources;

use std::collections::BTreeMap;

#[cfg(test)]
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use crate::check::Check;
use crate::rules::{Catalogue, Rule};

pub use request::{AUTH_FORMS, AuthSpec, Credentials, Endpoint, Method, NoAuth, RequestSpec};

/// One suite file as written.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SuiteFile {
    /// The JSON Schema of this format, for editors: `../../schemas/suite.schema.json`.
    #[serde(default, rename = "$schema")]
    pub schema: Option<String>,
    #[serde(default, rename = "$comment")]
    pub comment: Option<String>,
    /// Capability names this file's scenarios may `require` beyond the known ones: what a
    /// user's own profile grants in its `capabilities` list.
    #[serde(default)]
    pub capabilities: Vec<String>,
    #[serde(default)]
    pub rules: Vec<Rule>,
    #[serde(default)]
    pub invariants: Vec<Invariant>,
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
    /// Named steps any scenario of the run may write as `{"use": "<name>"}`.
    #[serde(default)]
    pub fixtures: BTreeMap<String, Step>,
}

/// A check applied to every exchange of every scenario that matches `when`: the
/// cross-cutting rules ("every error body is JSON", "every client body fits the schema").
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Invariant {
    pub id: String,
    pub description: String,
    pub rule: String,
    pub when: When,
    #[serde(default)]
    pub requires: Vec<String>,
    pub expect: Vec<Expect>,
    /// Filled by the loader: where this invariant lives, for findings.
    #[serde(skip)]
    pub at: String,
}

/// Which exchanges an invariant applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum When {
    /// Responses with status 400 or above to one of the DCR operations (create, read,
    /// update, delete); not a PATCH, the metadata or the token endpoint.
    Error,
    /// 2xx responses to a DCR operation that carry a body.
    ClientBody,
    /// 401 responses: the credential was missing or refused.
    Unauthorized,
    /// 4xx answers of the registration endpoint to a create that it refused, not
    /// 401/403 (protected registration), 404 (registration off), 405 or 429.
    RegistrationError,
    /// A `registration_error` answer to a step that sends JSON metadata it expects
    /// refused (`register_if_accepted` with a `json` body), not a 413 or 415: a refusal
    /// of the metadata, whose code RFC 7591 §3.2.2 defines. A malformed or non-JSON body
    /// may get other codes (`invalid_request`), so those steps are left out.
    MetadataRefusal,
}

/// One scenario: independent of all others, with its own clients.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: String,
    pub description: String,
    /// Why the scenario is shaped as it is, for the reader.
    #[serde(default)]
    pub comment: Option<String>,
    /// The rules this scenario checks; every one must be checked by some expectation.
    pub rules: Vec<String>,
    /// Capabilities the profile must grant, e.g. `enabled`, `auth:client_secret_basic`.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Values fixed at the start of the scenario; `{{random}}` gives fresh randomness.
    #[serde(default)]
    pub vars: Vec<Var>,
    /// One scenario per entry, `{{each.<key>}}` replaced by the entry's values and `id`
    /// taken from it (see `each.rs`). Expanded by the loader: always empty once loaded.
    #[serde(default)]
    pub for_each: Vec<BTreeMap<String, String>>,
    /// The steps, in order; `{"use": "<fixture>"}` stands for a named step.
    #[cfg_attr(test, schemars(with = "Vec<fixtures::StepOrUse>"))]
    pub steps: Vec<Step>,
    /// Filled by the loader: the suite file this came from and its JSON pointer.
    #[serde(skip)]
    pub file: String,
    #[serde(skip)]
    pub at: String,
}

/// A scenario variable.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Var {
    pub name: String,
    pub value: String,
    /// Secret values are redacted from every report.
    #[serde(default)]
    pub secret: bool,
}

/// One request and what must hold of its response.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub name: String,
    /// Why the step is there, for the reader (JSON has no comments).
    #[serde(default)]
    pub comment: Option<String>,
    /// This step registers a client and names it; later steps refer to it by this name.
    #[serde(default)]
    pub register: Option<String>,
    /// For a request the server should refuse: if it registers a client all the same,
    /// the client gets this name, so that it is deleted at the end. A refusal is no
    /// error, and no later step may use the client.
    #[serde(default)]
    pub register_if_accepted: Option<String>,
    /// With `register`: a registration the server refuses (an answer that is not 2xx)
    /// means the scenario does not apply to this server, which is skipped with this
    /// reason (and the status) instead of erroring, e.g. a server that does not grant
    /// `client_credentials`. With `"endpoint": "token"`: an answer whose `error` is
    /// `unsupported_grant_type` (RFC 6749 §5.2: the grant is not offered) means the same,
    /// though the server registered the client; no check of that step is judged.
    #[serde(default)]
    pub skip_if_refused: Option<String>,
    /// Before the request: the scenario goes on only if a captured list holds a value;
    /// otherwise it ends skipped, with the reason (a check that applies only to what a
    /// server advertises).
    #[serde(default)]
    pub only_if: Option<OnlyIf>,
    pub request: RequestSpec,
    #[serde(default)]
    pub expect: Vec<Expect>,
    #[serde(default)]
    pub capture: Vec<Capture>,
    #[serde(skip)]
    pub at: String,
}

/// A step's condition: the list captured as `var` (its `default` when the capture saved
/// `null`) contains `contains` (a template).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OnlyIf {
    pub var: String,
    pub contains: String,
    /// What an absent list means, e.g. RFC 8414's default `["client_secret_basic"]` for
    /// `token_endpoint_auth_methods_supported`.
    #[serde(default)]
    pub default: Option<Value>,
}

/// Save a value of the response under a name for later steps: a member of the body
/// (`json`) or a header (`header`), exactly one of them.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Capture {
    pub name: String,
    /// JSON pointer into the response body.
    #[serde(default)]
    pub json: Option<String>,
    /// A response header, by name (case-insensitive); its first value is saved.
    #[serde(default)]
    pub header: Option<String>,
    #[serde(default)]
    pub secret: bool,
    /// When the member or header is absent, save `null` instead of stopping the
    /// scenario (a header check `equals` null then means the header is absent).
    #[serde(default)]
    pub optional: bool,
    /// When the member or header is absent, save nothing and go on: the name stays
    /// unset, and a later `same_as` on it then passes. Tells "absent" from a `null` member.
    #[serde(default)]
    pub if_present: bool,
}

impl Capture {
    /// Where the value comes from, for messages.
    pub fn source(&self) -> String {
        match (&self.json, &self.header) {
            (Some(p), _) => p.clone(),
            (None, Some(h)) => format!("header {h}"),
            (None, None) => "nowhere".into(),
        }
    }
}

/// One expectation. With a `rule` it is a check of that rule; without, a precondition
/// whose failure means the scenario cannot reach a verdict (errored, not failed).
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "crate::check::ExpectSpec")]
pub struct Expect {
    pub rule: Option<String>,
    pub check: Check,
    /// Why no black-box fault can break this check, when none can (`"unfalsifiable"`).
    pub unfalsifiable: Option<String>,
    /// Filled by the loader: where the expectation is judged, as if every step were
    /// written out (what findings name).
    pub at: String,
    /// Filled by the loader: where the expectation is written — `at`, but for a step
    /// taken from a fixture, the fixture's own (`suites/common/fixtures.json#/fixtures/
    /// register-a/expect/0`). A check's identity for the fault-matrix measure and suite
    /// mutation; copies made by `for_each` and `use` share it.
    pub source: String,
    /// Suite mutation only (`tests/suite_mutation.rs`): judge the opposite of the check.
    /// No suite file can set it.
    pub inverted: bool,
}

/// As written: the schema of the `ExpectSpec` it is converted from.
#[cfg(test)]
impl JsonSchema for Expect {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        crate::check::ExpectSpec::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::check::ExpectSpec::json_schema(generator)
    }
}

/// All suite files merged and checked.
#[derive(Debug, Clone, Default)]
pub struct Suite {
    pub catalogue: Catalogue,
    pub invariants: Vec<Invariant>,
    pub scenarios: Vec<Scenario>,
}

#[cfg(test)]
mod tests;
