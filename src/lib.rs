//! dcrspec: a conformance harness for OAuth 2.0 / OpenID Connect Dynamic Client
//! Registration servers. Load rules, scenarios, a profile and the response contract;
//! run every scenario against a target; fold the results into verdicts and reports.
//! See ARCHITECTURE.md for the flow from the command line to the reports.

pub mod baseline;
pub mod check;
pub mod cli;
pub mod commands;
pub mod discovery;
pub mod error;
pub mod fuzz;
pub mod http;
pub mod lint;
pub mod origins;
pub mod outcome;
pub mod profile;
pub mod redact;
pub mod report;
pub mod rules;
pub mod rules_doc;
pub mod runner;
pub mod schema;
pub mod server;
pub mod session;
pub mod suite;
pub mod template;
pub mod trials;
pub mod verdict;
