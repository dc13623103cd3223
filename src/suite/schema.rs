//! The JSON Schema of the suite format, derived from the types a suite file deserialises
//! into (`SuiteFile` and below, with their doc comments as descriptions), so editors
//! complete and check suite files. Committed as `schemas/suite.schema.json`; a test
//! compares it with this derivation (`DCRSPEC_BLESS=1` rewrites it) and validates every
//! built-in suite file against it. The derive is test-only (`cfg_attr(test, …)`), so schemars
//! is a dev-dependency and nothing of it ships in the binary.
//!
//! The schema checks shape only; the loader (`load.rs`) still checks what JSON Schema
//! cannot say: ids resolve, clients exist before use, exactly one kind per expectation.

use super::SuiteFile;

/// Where the committed schema lives, relative to the crate root.
pub const PATH: &str = "schemas/suite.schema.json";
/// Its file name in `schemas/`.
pub const FILE_NAME: &str = "suite.schema.json";

/// The schema as pretty JSON with a trailing newline, as committed.
pub fn render() -> String {
    let mut schema = schemars::schema_for!(SuiteFile);
    schema.insert(
        "$comment".into(),
        "Generated from dcrspec's Rust types (src/suite/schema.rs): do not edit; \
         run DCRSPEC_BLESS=1 cargo test --lib suite::schema. The loader checks more than \
         this schema can say; see docs/suite-format.md."
            .into(),
    );
    serde_json::to_string_pretty(&schema).expect("a schema always serialises") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> &'static std::path::Path {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn the_committed_schema_is_the_derivation() {
        let path = root().join(PATH);
        let derived = render();
        if std::env::var_os("DCRSPEC_BLESS").is_some() {
            std::fs::write(&path, &derived).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == derived,
            "{PATH} is out of date: DCRSPEC_BLESS=1 cargo test --lib suite::schema"
        );
    }

    #[test]
    fn every_built_in_suite_file_fits_the_schema_and_names_it() {
        let schema: serde_json::Value = serde_json::from_str(&render()).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        for (name, text) in crate::suite::embedded::FILES {
            let doc: serde_json::Value = serde_json::from_str(text).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&doc)
                .map(|e| format!("{}: {e}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{name}: {}", errors.join("; "));
            assert_eq!(
                doc["$schema"], "../../schemas/suite.schema.json",
                "{name} must name the schema, for editors"
            );
        }
    }

    #[test]
    fn the_schema_can_fail() {
        let schema: serde_json::Value = serde_json::from_str(&render()).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        for bad in [
            serde_json::json!({"scenarioz": []}),
            serde_json::json!({"scenarios": [{"id": "x", "description": "d", "rules": [],
                "steps": [{"name": "s", "request": {"method": "POST", "auth": "nothing"}}]}]}),
            serde_json::json!({"rules": [{"id": "x", "level": "MUSTN'T", "source": "s",
                "section": "1", "quote": "q"}]}),
        ] {
            assert!(!validator.is_valid(&bad), "{bad}");
        }
    }
}
