//! The command line: clap types only, no logic. Arguments after `--` on `run` go to
//! the libtest-style runner (filter, `--list`, `--exact`, `--test-threads`, ...).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "dcrspec",
    version,
    about = "Conformance harness for OAuth 2.0 / OpenID Connect Dynamic Client Registration servers"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per process: the size of the `run` variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a server (or, without --target, the embedded reference server) against the rules.
    Run(Box<RunArgs>),
    /// Run the embedded reference server alone, on 127.0.0.1.
    Serve(ServeArgs),
    /// List every rule with its level, source and the scenarios that cover it.
    Rules(RulesArgs),
    /// Fuzz registration with generated metadata (proptest): every failure is shrunk to a
    /// minimal payload and printed with the seed and commands that reproduce it.
    Fuzz(FuzzArgs),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// The target has dynamic registration switched off: only the feature-off rules apply.
    #[arg(long)]
    pub disabled: bool,
    /// Accepted failures (TOML, each with a reason): exit 0 only if exactly these fail.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record this run's failures as a baseline file.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    #[command(flatten)]
    pub reports: ReportArgs,
    /// Print only the summary at the end, not the failed-rule table and details.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// A directory of suite files to use instead of the built-in suites.
    #[arg(long, value_name = "DIR")]
    pub suites: Option<PathBuf>,
    /// A directory of suite files to add to the built-in suites (or to --suites); repeatable.
    /// Its rule and scenario ids must not collide with theirs. See docs/suite-format.md.
    #[arg(long = "extra-suites", value_name = "DIR")]
    pub extra_suites: Vec<PathBuf>,
    /// Stop the run after this many seconds: scenarios still running end as errored, the
    /// clients created so far are deleted, and the reports are written.
    #[arg(long, value_name = "SECS", default_value_t = 300,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub deadline: u64,
    /// CI output: `github` prints a workflow command per failed, errored and warned rule and
    /// appends a summary to $GITHUB_STEP_SUMMARY; `plain` does not. Default: github when
    /// GITHUB_ACTIONS=true.
    #[arg(long, value_enum, value_name = "github|plain")]
    pub format: Option<OutputFormat>,
    /// Arguments for the scenario runner, as for `cargo test`: a filter, --list, --exact,
    /// --skip, --test-threads N.
    #[arg(last = true, value_name = "RUNNER-ARGS")]
    pub runner: Vec<String>,
}

/// Which server to check and how: shared by `run` and `fuzz`.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// Base URL of the server under test. Without it (or --issuer), the embedded reference
    /// server is started.
    #[arg(long, value_name = "URL")]
    pub target: Option<String>,
    /// The server's issuer: its registration endpoint is read from its metadata
    /// (/.well-known/openid-configuration, or RFC 8414's oauth-authorization-server).
    #[arg(long, value_name = "URL", conflicts_with = "target")]
    pub issuer: Option<String>,
    /// Built-in profile name (ory, rfc7592, hydra) or a profile TOML file.
    #[arg(long, value_name = "NAME|FILE", default_value = "ory")]
    pub profile: String,
    /// Override the profile's registration endpoint path.
    #[arg(long, value_name = "PATH")]
    pub registration_path: Option<String>,
    /// Override how clients are managed: client_secret_basic, client_secret_post, bearer
    /// (comma-separated). E.g. `--profile ory --management-auth bearer` checks Ory's secret
    /// contract on a server that only accepts registration access tokens.
    #[arg(long, value_name = "METHODS", value_delimiter = ',')]
    pub management_auth: Vec<String>,
    /// Override the profile's client configuration path; `{client_id}` stands for the id.
    #[arg(long, value_name = "PATH")]
    pub client_path: Option<String>,
    /// An OpenAPI document whose response schemas to check against instead of the built-in ones.
    #[arg(long, value_name = "FILE")]
    pub openapi: Option<PathBuf>,
    /// Plant a fault in the embedded reference server (repeatable; see `dcrspec serve --help`).
    #[arg(long = "fault", value_name = "NAME")]
    pub faults: Vec<String>,
    /// Registration needs an initial access token (overrides the profile's
    /// `registration_protected`): give one with --initial-access-token,
    /// DCRSPEC_INITIAL_ACCESS_TOKEN or --initial-access-token-command. Against the embedded
    /// server, the run mints its own.
    #[arg(long)]
    pub registration_protected: bool,
    /// An initial access token (RFC 7591 §3), sent as `Authorization: Bearer` on every
    /// registration request and on no other; never printed. In CI prefer the environment
    /// variable DCRSPEC_INITIAL_ACCESS_TOKEN (used when neither flag is given).
    #[arg(
        long,
        value_name = "TOKEN",
        conflicts_with = "initial_access_token_command"
    )]
    pub initial_access_token: Option<String>,
    /// A shell command (`sh -c`) run before each registration that prints one fresh
    /// initial access token on stdout, for servers whose tokens are single-use (e.g. a
    /// `kcadm.sh create clients-initial-access ...` or curl line). Its output is never shown.
    #[arg(long, value_name = "CMD")]
    pub initial_access_token_command: Option<String>,
    #[command(flatten)]
    pub transport: TransportArgs,
}

/// Where the reports go: shared by `run` and `fuzz`, whose defaults differ by a prefix
/// (`reports/junit.xml`, `reports/fuzz-junit.xml`).
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Where to write the JUnit XML report [default: reports/junit.xml; fuzz: reports/fuzz-junit.xml].
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,
    /// What a JUnit test case stands for: a rule (a test suite per rule family; names are
    /// rule ids, stable across versions) or a scenario.
    #[arg(
        long,
        value_enum,
        value_name = "rules|scenarios",
        default_value = "rules"
    )]
    pub junit_cases: crate::report::junit::Cases,
    /// Where to write the JSON results [default: reports/results.json; fuzz: reports/fuzz-results.json].
    #[arg(long, value_name = "PATH")]
    pub json: Option<PathBuf>,
    /// Where to write the Markdown evidence report [default: reports/evidence.md; fuzz: reports/fuzz-evidence.md].
    #[arg(long, value_name = "PATH")]
    pub evidence: Option<PathBuf>,
    /// Where to write the HTML report for auditors, one self-contained printable page
    /// [default: reports/report.html; fuzz: reports/fuzz-report.html].
    #[arg(long, value_name = "PATH")]
    pub html: Option<PathBuf>,
}

impl ReportArgs {
    /// The report paths, each defaulting to `reports/<prefix><name>`.
    pub fn paths(&self, prefix: &str) -> crate::report::ReportPaths {
        let or = |given: &Option<PathBuf>, name: &str| {
            given
                .clone()
                .unwrap_or_else(|| PathBuf::from(format!("reports/{prefix}{name}")))
        };
        crate::report::ReportPaths {
            junit: or(&self.junit, "junit.xml"),
            junit_cases: self.junit_cases,
            json: or(&self.json, "results.json"),
            evidence: Some(or(&self.evidence, "evidence.md")),
            html: Some(or(&self.html, "report.html")),
        }
    }
}

/// `dcrspec run --format`: what a CI reads besides the reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// GitHub Actions: workflow commands and the step summary.
    Github,
    /// Nothing but the terminal output.
    Plain,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 4444)]
    pub port: u16,
    /// Which built-in profile to implement: ory or rfc7592.
    #[arg(long, default_value = "ory")]
    pub profile: String,
    /// Serve with dynamic registration switched off.
    #[arg(long)]
    pub disabled: bool,
    /// Protect registration with this initial access token: a registration without it as
    /// a Bearer token is refused with 401 and an RFC 6750 challenge.
    #[arg(long, value_name = "TOKEN")]
    pub initial_access_token: Option<String>,
    /// Plant a fault (repeatable).
    #[arg(long = "fault", value_name = "NAME")]
    pub faults: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Lint the suites instead: every rule checked by a scenario and broken by a fault (with
    /// --suites or --extra-suites, the user mode: no fault matrix, see docs/suite-format.md).
    #[arg(long)]
    pub check: bool,
    /// Print the rules document (docs/rules.md's generated part) as Markdown.
    #[arg(long, conflicts_with = "check")]
    pub markdown: bool,
    /// A directory of suite files to use instead of the built-in suites.
    #[arg(long, value_name = "DIR")]
    pub suites: Option<PathBuf>,
    /// A directory of suite files to add to the built-in suites (or to --suites); repeatable.
    /// Its rule and scenario ids must not collide with theirs. See docs/suite-format.md.
    #[arg(long = "extra-suites", value_name = "DIR")]
    pub extra_suites: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct FuzzArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub reports: ReportArgs,
    /// Stop after this many seconds: the property running ends (a failure found so far is
    /// reported as shrunk so far), the clients created are deleted, the reports written.
    #[arg(long, value_name = "SECS", default_value_t = 600,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub deadline: u64,
    /// Seed of the generator: the same seed generates the same cases. Default: a random one,
    /// printed.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Cases generated per property.
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub cases: u32,
    /// Only this property (repeatable): valid-metadata, invalid-input, concurrent-put.
    #[arg(long = "property", value_name = "NAME")]
    pub properties: Vec<String>,
    /// Shrink steps at most per failure; each one sends a few requests.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub max_shrink_iters: u32,
    /// Seconds spent shrinking a failure at most (0: no limit).
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub max_shrink_time: u64,
}

/// How dcrspec talks to a target, shared by `run` and `fuzz`.
#[derive(Debug, Args)]
pub struct TransportArgs {
    /// Per-request timeout in seconds, connect to last body byte.
    #[arg(long, value_name = "SECS", default_value_t = 10)]
    pub timeout: u64,
    /// Read at most this many bytes of a response body; the reports say where a body was cut.
    #[arg(long, value_name = "BYTES", default_value_t = 1_048_576,
          value_parser = clap::value_parser!(u64).range(1..=1_073_741_824))]
    pub max_body: u64,
    /// Trust the CA certificates in this PEM file, besides the system's.
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<PathBuf>,
    /// Do not verify TLS certificates (a warning says so on stderr).
    #[arg(long)]
    pub insecure: bool,
    /// Also send requests, credentials included, to this origin (scheme://host:port), for
    /// a server whose configuration endpoints are on another origin than --target. Repeatable.
    #[arg(long, value_name = "ORIGIN")]
    pub allow_origin: Vec<String>,
}
