//! (stub until the report module lands)
pub mod text;
use crate::outcome::RunReport;
use std::path::PathBuf;
pub struct ReportPaths {
    pub junit: PathBuf,
    pub json: PathBuf,
    pub evidence: Option<PathBuf>,
}
pub fn write_all(_report: &RunReport, _paths: &ReportPaths) -> Result<(), crate::error::LoadError> {
    Ok(())
}
