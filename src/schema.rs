//! (stub until the schema module lands) The response contract.
use crate::error::LoadError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    Create,
    Read,
    Update,
    Delete,
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Documented {
    Schema(String),
    Empty,
    Undocumented,
}
pub struct Contract;
impl Contract {
    pub fn embedded() -> Result<Contract, LoadError> {
        Ok(Contract)
    }
    pub fn from_openapi_file(_path: &std::path::Path) -> Result<Contract, LoadError> {
        Ok(Contract)
    }
    pub fn documented(&self, _op: Operation, _status: u16) -> Documented {
        Documented::Undocumented
    }
    pub fn validate(
        &self,
        _schema: &str,
        _instance: &serde_json::Value,
    ) -> Result<(), Vec<String>> {
        Ok(())
    }
    pub fn schema_names(&self) -> Vec<String> {
        vec![]
    }
}
