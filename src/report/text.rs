//! (stub)
use crate::outcome::{RunReport, ScenarioResult};
use crate::rules::Catalogue;
pub fn scenario_message(s: &ScenarioResult, _c: &Catalogue) -> String {
    format!("{:?} {:#?}", s.outcome, s.findings)
}
pub fn summary(report: &RunReport) -> String {
    format!("{} scenarios", report.scenarios.len())
}
