//! The generator of `schemas/`: translates Hydra v2.3.0's published api.json with the same
//! code that reads a user's `--openapi` file, and checks that the committed files are exactly
//! its output. `DCRSPEC_REGENERATE=1 cargo test schemas_are_derived_from_hydra_v2_3_0`
//! rewrites them instead; review the diff like any other change.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::derive::{Derived, derive};
use super::{Documented, EMBEDDED_OPERATIONS, EMBEDDED_SCHEMAS, EMPTY};

pub(super) const HYDRA_API_JSON: &str = "ory-hydra/v2.3.0/api.json";

/// Hydra's api.json, vendored byte for byte under `vendor/` (origin and licence in
/// `vendor/README.md`). Fails with a clear message instead of skipping: a silently skipped
/// generator check guards nothing.
pub(super) fn hydra_api_json() -> (PathBuf, Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("vendor")
        .join(HYDRA_API_JSON);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}); schemas/ is derived from Ory Hydra's published OpenAPI document, \
             vendored there",
            path.display()
        )
    });
    let doc = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    (path, doc)
}

fn comment(what: &str, into: &str) -> String {
    format!(
        "Derived from Ory Hydra's OpenAPI 3.0.3 document spec/api.json (github.com/ory/hydra, tag v2.3.0, \
         commit ee8c339d), {what}. Apache-2.0 licensed material, translated {into} by dcrspec (src/schema). \
         Generated: do not edit; run DCRSPEC_REGENERATE=1 cargo test schemas_are_derived_from_hydra_v2_3_0."
    )
}

/// The files of `schemas/` as (file name, contents): pretty JSON with a trailing newline.
fn render(derived: &Derived) -> Vec<(String, String)> {
    let pretty =
        |v: &Value| serde_json::to_string_pretty(v).expect("a Value always serialises") + "\n";
    let mut files = Vec::new();
    for bundled in &derived.schemas {
        assert_ne!(
            bundled.name, EMPTY,
            "a schema named '{EMPTY}' would be ambiguous in operations.json"
        );
        // `$comment` goes second, right under `$schema`, where a reader looks first.
        let mut out = Map::new();
        for (key, value) in bundled.schema.as_object().expect("bundles are objects") {
            out.insert(key.clone(), value.clone());
            if key == "$schema" {
                out.insert(
                    "$comment".into(),
                    json!(comment(
                        &format!("#{}", bundled.pointer),
                        "to JSON Schema 2020-12"
                    )),
                );
            }
        }
        files.push((
            format!("{}.schema.json", bundled.name),
            pretty(&Value::Object(out)),
        ));
    }
    let mut operations = Map::new();
    for entry in &derived.operations {
        let responses: Map<String, Value> = entry
            .responses
            .iter()
            .map(|(status, documented)| {
                let what = match documented {
                    Documented::Schema(name) => name.as_str(),
                    Documented::Empty => EMPTY,
                    Documented::Undocumented => unreachable!("derive never stores Undocumented"),
                };
                (status.clone(), json!(what))
            })
            .collect();
        operations.insert(
            entry.op.operation_id().into(),
            json!({"method": entry.method, "path": entry.path, "responses": responses}),
        );
    }
    let table = json!({
        "$comment": comment(
            "the documented responses of the four DCR operations, by operationId",
            "into a table of status code to schema name (\"empty\": no body)"
        ),
        "operations": operations,
    });
    files.push(("operations.json".into(), pretty(&table)));
    files
}

#[test]
fn schemas_are_derived_from_hydra_v2_3_0() {
    let (path, doc) = hydra_api_json();
    let derived = derive(&doc, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
    let files = render(&derived);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");

    if std::env::var("DCRSPEC_REGENERATE").as_deref() == Ok("1") {
        std::fs::create_dir_all(&dir).unwrap();
        for (name, contents) in &files {
            std::fs::write(dir.join(name), contents).unwrap();
        }
        eprintln!("rewrote {} files in {}", files.len(), dir.display());
    } else {
        for (name, expected) in &files {
            let committed = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
            if &committed != expected {
                let line = committed
                    .lines()
                    .zip(expected.lines())
                    .position(|(a, b)| a != b);
                panic!(
                    "schemas/{name} is not what Hydra v2.3.0's api.json translates to (first difference at line {}); \
                     run DCRSPEC_REGENERATE=1 cargo test schemas_are_derived_from_hydra_v2_3_0 and review the diff",
                    line.map_or(
                        committed.lines().count().min(expected.lines().count()) + 1,
                        |l| l + 1
                    )
                );
            }
        }
    }

    // Nothing stale in schemas/, and the include_str! list in mod.rs covers every file.
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        // Written by hand, not derived from Hydra.
        .filter(|n| !super::RFC7591_CLIENT_METADATA.0.ends_with(n.as_str()))
        // The suite format's schema is derived from dcrspec's own types (src/suite/schema.rs).
        .filter(|n| n != crate::suite::schema::FILE_NAME)
        .collect();
    on_disk.sort();
    let mut generated: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    generated.sort();
    assert_eq!(
        on_disk, generated,
        "schemas/ holds files the generator does not produce"
    );
    let mut embedded: Vec<String> = EMBEDDED_SCHEMAS
        .iter()
        .map(|(_, file, _)| file.trim_start_matches("schemas/").to_owned())
        .collect();
    embedded.push(
        EMBEDDED_OPERATIONS
            .0
            .trim_start_matches("schemas/")
            .to_owned(),
    );
    embedded.sort();
    assert_eq!(
        embedded, generated,
        "EMBEDDED_SCHEMAS in src/schema/mod.rs must list every generated file"
    );
    for (name, file, _) in EMBEDDED_SCHEMAS {
        assert_eq!(file, format!("schemas/{name}.schema.json"));
    }
}
