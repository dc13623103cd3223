//! Reusable steps. A suite file's `fixtures` member names whole steps; a scenario's step
//! written `{"use": "<name>"}` stands for that step, so a step every scenario starts with
//! (registering a plain client) is written once. Fixtures are shared by all the files of
//! a run and expanded before the typed parse, so the runner, the verdicts and every JSON
//! pointer (`…/steps/<n>`) are as if the step were written out.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::LoadError;

#[cfg(test)]
use super::Step;

/// What a step may be in a suite file, for the schema: a step, or a fixture by name.
#[cfg(test)]
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // Schema only: the loader expands `use` before the typed parse.
pub enum StepOrUse {
    Step(Box<Step>),
    Use(Use),
}

/// `{"use": "<fixture>"}`: the named fixture's step, verbatim.
#[cfg(test)]
#[derive(schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Use {
    /// The name of a step in some suite file's `fixtures`.
    #[serde(rename = "use")]
    pub fixture: String,
}

/// Every file's `fixtures`, by name, with where each is defined. A file that is not JSON
/// is left for the typed parse to report, with its line and column.
pub fn collect(files: &[(String, String)]) -> Result<BTreeMap<String, (String, Value)>, LoadError> {
    let mut out: BTreeMap<String, (String, Value)> = BTreeMap::new();
    for (name, text) in files.iter().filter(|(_, t)| t.contains("\"fixtures\"")) {
        let Ok(Value::Object(doc)) = serde_json::from_str::<Value>(text) else {
            continue;
        };
        let Some(Value::Object(fixtures)) = doc.get("fixtures") else {
            continue;
        };
        for (key, step) in fixtures {
            let at = format!("{name}#/fixtures/{key}");
            if let Some((first, _)) = out.insert(key.clone(), (at.clone(), step.clone())) {
                return Err(LoadError::new(
                    at,
                    format!("duplicate fixture '{key}' (first at {first})"),
                ));
            }
        }
    }
    Ok(out)
}

/// Where each step a fixture replaced came from: the scenario and step index as
/// written, and the fixture's pointer (`suites/common/fixtures.json#/fixtures/register-a`).
pub type Uses = BTreeMap<(usize, usize), String>;

/// Replace every `use` step of `doc` by its fixture; which steps were replaced.
pub fn expand(
    name: &str,
    doc: &mut Value,
    fixtures: &BTreeMap<String, (String, Value)>,
) -> Result<Uses, LoadError> {
    let mut used = Uses::new();
    let scenarios = doc.get_mut("scenarios").and_then(Value::as_array_mut);
    for (i, sc) in scenarios.into_iter().flatten().enumerate() {
        let steps = sc.get_mut("steps").and_then(Value::as_array_mut);
        for (j, step) in steps.into_iter().flatten().enumerate() {
            let Value::Object(members) = &*step else {
                continue;
            };
            let Some(fixture) = members.get("use") else {
                continue;
            };
            let at = format!("{name}#/scenarios/{i}/steps/{j}");
            if members.len() > 1 {
                return Err(LoadError::new(
                    at,
                    "a step with `use` takes nothing else: the fixture is the whole step",
                ));
            }
            let found = fixture.as_str().and_then(|f| fixtures.get(f));
            let Some((origin, replacement)) = found else {
                let known: Vec<&str> = fixtures.keys().map(String::as_str).collect();
                return Err(LoadError::new(
                    format!("{at}/use"),
                    format!(
                        "unknown fixture {fixture}; known: {}",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ),
                ));
            };
            *step = replacement.clone();
            used.insert((i, j), origin.clone());
        }
    }
    Ok(used)
}
