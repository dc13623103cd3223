//! The metadata document a run's `"endpoint": "metadata"` steps read: found once per run
//! (the first candidate URL answering 200 with a JSON object), or why there is none; and
//! the `only_if` condition of a step (a captured list holds a value), which checks what a
//! server advertises only where it advertises it.

use std::sync::atomic::Ordering;

use serde_json::Value;

use super::RunContext;
use crate::http::Request;
use crate::suite::{Endpoint, OnlyIf, Scenario};
use crate::template::{self, Vars};

/// Whether any step of `sc` reads the metadata document.
pub fn reads_metadata(sc: &Scenario) -> bool {
    sc.steps
        .iter()
        .any(|s| s.request.endpoint == Some(Endpoint::Metadata))
}

/// Whether every step of `sc` reads the metadata document, and nothing else: such a
/// scenario can run when discovery found no registration endpoint.
pub fn metadata_only(sc: &Scenario) -> bool {
    !sc.steps.is_empty()
        && sc
            .steps
            .iter()
            .all(|s| s.request.endpoint == Some(Endpoint::Metadata))
}

/// The metadata document's URL: `Ok` with the one to read, `Err` with why the target has
/// none (only when the source is not `required`: the scenario is then skipped).
pub async fn url(ctx: &RunContext) -> Result<String, String> {
    let source = &ctx.metadata;
    let first = source.candidates.first().cloned().unwrap_or_default();
    if source.candidates.len() < 2 || source.required {
        return Ok(first);
    }
    ctx.metadata_found
        .get_or_init(|| async {
            let mut tried = Vec::new();
            for url in &source.candidates {
                let req = Request {
                    method: "GET".into(),
                    url: url.clone(),
                    headers: vec![("accept".into(), "application/json".into())],
                    body: None,
                };
                ctx.requests.fetch_add(1, Ordering::Relaxed);
                match ctx.http.send(&req).await {
                    Ok(r) if r.status == 200 => match serde_json::from_slice::<Value>(&r.body) {
                        Ok(Value::Object(_)) => return Ok(url.clone()),
                        _ => tried.push(format!("{url}: not a JSON object")),
                    },
                    Ok(r) => tried.push(format!("{url}: status {}", r.status)),
                    Err(e) => tried.push(format!("{url}: {e}")),
                }
            }
            Err(format!(
                "the target publishes no metadata document ({}); a profile granting \
                 `metadata` has these checks fail instead",
                tried.join("; ")
            ))
        })
        .await
        .clone()
}

/// `None` when the scenario goes on past `cond`; else why it stops, skipped.
pub fn unmet(cond: &OnlyIf, vars: &Vars) -> Result<Option<String>, String> {
    let want = template::fill(&cond.contains, vars)?;
    let list = match vars.get(&cond.var) {
        None | Some(Value::Null) => cond.default.clone().unwrap_or(Value::Null),
        Some(v) => v.clone(),
    };
    let holds = match &list {
        Value::Array(items) => items.iter().any(|v| v.as_str() == Some(want.as_str())),
        _ => false,
    };
    Ok((!holds).then(|| format!("'{}' does not list {want}", cond.var)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_condition_reads_the_captured_list_or_its_default() {
        let cond: OnlyIf = serde_json::from_value(json!({
            "var": "methods", "contains": "{{m}}", "default": ["client_secret_basic"]
        }))
        .unwrap();
        let mut vars = Vars::new();
        vars.insert("m".into(), json!("client_secret_post"));
        vars.insert("methods".into(), json!(["none", "client_secret_post"]));
        assert_eq!(unmet(&cond, &vars).unwrap(), None);
        vars.insert("methods".into(), json!(["none"]));
        assert!(
            unmet(&cond, &vars)
                .unwrap()
                .unwrap()
                .contains("client_secret_post")
        );
        vars.insert("methods".into(), Value::Null);
        assert!(unmet(&cond, &vars).unwrap().is_some());
        vars.insert("m".into(), json!("client_secret_basic"));
        assert_eq!(unmet(&cond, &vars).unwrap(), None);
        vars.insert("methods".into(), json!("client_secret_basic"));
        assert!(unmet(&cond, &vars).unwrap().is_some());
    }
}
