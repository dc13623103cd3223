//! Results as plain data: what each scenario concluded, the findings behind it and the
//! (already redacted) exchanges that prove them. Reports read only these types; nothing
//! here performs I/O or formats output.

use std::time::Duration;

use serde::Serialize;

use crate::rules::{Catalogue, Level};

/// One HTTP request as sent, with every secret already replaced by `[redacted]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestRecord {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// One HTTP response as received (body possibly truncated), secrets redacted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResponseRecord {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Set when `body` is not the whole body: where it was cut and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truncated: Option<String>,
}

/// A request and what came back: a response, or the transport error that replaced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exchange {
    pub request: RequestRecord,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseRecord>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub elapsed_ms: u64,
}

/// A check that did not hold: the rule it belongs to and the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub level: Level,
    /// The step that produced the exchange, by name.
    pub step: String,
    pub expected: String,
    pub actual: String,
    /// Where the expectation lives: `suites/ory/secret.json#/scenarios/2/steps/1/expect/0`.
    pub at: String,
    pub exchange: Exchange,
}

/// What one scenario concluded. Reporters match on this exhaustively.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// Every check held.
    Passed,
    /// A MUST-level check broke.
    Failed,
    /// Only SHOULD- or MAY-level checks broke.
    Warned,
    /// Not applicable to this target: the profile lacks a capability, or the filter left it out.
    Skipped { reason: String },
    /// No verdict could be reached: refused connection, timeout, a failed setup step.
    Errored { reason: String },
}

/// The reason of a scenario the runner arguments' filter left out.
pub const FILTERED_OUT: &str = "filtered out";

impl Outcome {
    /// Skipped because the runner arguments' filter (`-- NAME`, `--skip`) left it out.
    pub fn filtered_out() -> Outcome {
        Outcome::Skipped {
            reason: FILTERED_OUT.into(),
        }
    }

    /// Whether this is [`Outcome::filtered_out`].
    pub fn is_filtered_out(&self) -> bool {
        matches!(self, Outcome::Skipped { reason } if reason == FILTERED_OUT)
    }

    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::Warned => "warned",
            Outcome::Skipped { .. } => "skipped",
            Outcome::Errored { .. } => "errored",
        }
    }
}

/// Everything one scenario produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioResult {
    pub id: String,
    pub description: String,
    /// The suite file it came from.
    pub file: String,
    /// The rules the scenario declares it checks.
    pub rules: Vec<String>,
    pub outcome: Outcome,
    /// Failed or warned checks, in the order they happened.
    pub findings: Vec<Finding>,
    /// Rules with at least one check evaluated here (declared rules and invariants).
    pub checked: Vec<String>,
    /// Every exchange of the scenario, redacted, for the evidence report.
    pub exchanges: Vec<Exchange>,
    pub duration: Duration,
    /// Where each expectation that broke is written (`Expect::source`), preconditions
    /// included; in an exhaustive run (the fault matrix's measure) also those a user run
    /// stops before. Not a report's business: only the fault matrix reads it.
    #[serde(skip)]
    pub broken_checks: Vec<String>,
}

/// A client the run created but could not delete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Leftover {
    pub client_id: String,
    pub scenario: String,
    pub reason: String,
    pub cause: LeftoverCause,
}

/// Why a client was left: a deletion that went wrong (someone should look, and delete it
/// by hand), or a profile without a client configuration endpoint, where nothing can be
/// deleted and leaving every client is expected, not a harness error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeftoverCause {
    /// The deletion failed, was refused, or did not finish.
    NotDeleted,
    /// The profile has no client configuration endpoint (`client_management = false`).
    RegistrationOnly,
}

/// The reason every client of a registration-only run is left with.
pub const REGISTRATION_ONLY_REASON: &str =
    "the profile has no client configuration endpoint: no one can delete it through the API";

impl RunReport {
    /// The clients left because the profile has no configuration endpoint.
    pub fn registration_only_leftovers(&self) -> impl Iterator<Item = &Leftover> {
        self.leftovers
            .iter()
            .filter(|l| l.cause == LeftoverCause::RegistrationOnly)
    }

    /// The clients a deletion should have removed and did not: for someone to look at.
    pub fn undeleted(&self) -> impl Iterator<Item = &Leftover> {
        self.leftovers
            .iter()
            .filter(|l| l.cause == LeftoverCause::NotDeleted)
    }
}

/// A whole run: the input to every report.
#[derive(Debug, Clone)]
pub struct RunReport {
    pub target: String,
    pub profile: String,
    /// Seconds since the Unix epoch when the run started.
    pub started_unix: u64,
    pub duration: Duration,
    pub catalogue: Catalogue,
    pub scenarios: Vec<ScenarioResult>,
    pub leftovers: Vec<Leftover>,
    /// Why the run as a whole could not proceed (e.g. the target is unreachable).
    pub fatal: Option<String>,
    /// Number of HTTP requests the run sent.
    pub requests: usize,
    /// Origins (`scheme://host:port`) that received a credential during the run: the
    /// target's, and any `--allow-origin` one that was used.
    pub credentialed_origins: Vec<String>,
    /// How the run compares with the baseline it was given, if any.
    pub baseline: Option<crate::baseline::Comparison>,
}
