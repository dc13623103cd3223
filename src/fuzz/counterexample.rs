//! A property's counterexample: the shrunk payload as JSON and for people, and the
//! commands (`dcrspec fuzz`, `dcrspec serve`, `curl`) that reproduce it.

use std::path::PathBuf;

use serde_json::{Value, json};

use super::shrink::Failure;
use super::strategy::{Invalid, Metadata, Target};
use super::{Property, Settings, repro};
use crate::runner::RunContext;

/// Payloads longer than this are shown cut; curl reads them from a file.
const SHOW_LIMIT: usize = 4096;

/// A shrunk failure and how to reproduce it.
#[derive(Debug, Clone)]
pub struct Counterexample {
    pub property: Property,
    pub seed: u64,
    /// The generated case (1-based) that failed first.
    pub case: u32,
    pub shrink_steps: u32,
    /// What stopped shrinking early (`--max-shrink-iters`, `--max-shrink-time`, the run's
    /// deadline or a signal): the payload may not be minimal.
    pub shrink_limited: Option<String>,
    /// The minimal payload as JSON: the metadata object, the array of concurrent bodies,
    /// or `{"target", "content_type", "what", "body"}` for invalid input.
    pub payload: Value,
    /// The minimal payload for people (cut at 4 KiB).
    pub shown: String,
    /// One command per line: `dcrspec fuzz ...`, the embedded server's `dcrspec serve`,
    /// then `curl` for each request of the case up to the one that broke.
    pub commands: Vec<String>,
    /// Files the curl lines read: write them before printing the commands.
    pub files: Vec<(PathBuf, Vec<u8>)>,
}

pub(super) fn counterexample_of(
    ctx: &RunContext,
    property: Property,
    settings: &Settings,
    failure: &Failure,
) -> Counterexample {
    let mut commands = vec![format!(
        "{} --seed {} --cases {} --property {}",
        settings.replay.command,
        settings.seed,
        failure.case,
        property.id()
    )];
    let mut base = None;
    if let Some((serve, url)) = &settings.replay.serve {
        commands.push(serve.clone());
        base = Some((ctx.base_url.as_str(), url.as_str()));
    }
    let mut files = Vec::new();
    let report = &failure.report;
    let last = report
        .failed_at
        .unwrap_or(report.exchanges.len().saturating_sub(1));
    for (n, exchange) in report.exchanges.iter().enumerate().take(last + 1) {
        let raw = report.bodies.get(n).cloned().flatten();
        let body = raw.map(|bytes| match repro::inline(&bytes) {
            Some(text) => repro::Body::Inline(text),
            None => match &settings.replay.payload_dir {
                Some(dir) => {
                    let path = dir.join(format!("fuzz-{}-{}.body", property.id(), n + 1));
                    files.push((path.clone(), bytes));
                    repro::Body::File(path)
                }
                None => repro::Body::Omitted(bytes.len()),
            },
        });
        commands.push(repro::curl(&exchange.request, body, base));
    }
    let (payload, shown) = failure.payload.clone();
    Counterexample {
        property,
        seed: settings.seed,
        case: failure.case,
        shrink_steps: failure.steps,
        shrink_limited: failure.limited.clone(),
        payload,
        shown,
        commands,
        files,
    }
}

/// The finding's `at`: where in the run it was found and how to get it back.
pub(super) fn at_text(c: &Counterexample) -> String {
    let limit = match &c.shrink_limited {
        Some(by) => format!(" (shrinking stopped early, {by}: it may not be minimal)"),
        None => String::new(),
    };
    let mut out = format!(
        "dcrspec fuzz property {}, seed {}: case {} failed; shrunk in {} steps{limit}\npayload: {}\nreproduce:",
        c.property.id(),
        c.seed,
        c.case,
        c.shrink_steps,
        c.shown
    );
    for line in &c.commands {
        out.push_str("\n  ");
        out.push_str(line);
    }
    out
}

fn cut(text: &str) -> String {
    if text.len() <= SHOW_LIMIT {
        return text.to_string();
    }
    let mut end = SHOW_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], text.len())
}

pub(super) fn show_metadata(m: &Metadata) -> (Value, String) {
    let value = Value::Object(m.clone());
    let text = cut(&repro::ascii_escaped(&value.to_string()));
    (value, text)
}

#[allow(clippy::ptr_arg)] // a `fn(&T)` for T = Vec<Metadata>
pub(super) fn show_concurrent(bodies: &Vec<Metadata>) -> (Value, String) {
    let value = Value::Array(bodies.iter().cloned().map(Value::Object).collect());
    let text = cut(&repro::ascii_escaped(&value.to_string()));
    (value, text)
}

pub(super) fn show_invalid(input: &Invalid) -> (Value, String) {
    let body = String::from_utf8_lossy(&input.body);
    let target = match input.target {
        Target::Create => "create",
        Target::Update => "update",
    };
    let value = json!({
        "target": target,
        "content_type": input.content_type,
        "what": input.what,
        "body": body,
    });
    let ct = input.content_type.as_deref().unwrap_or("no Content-Type");
    let text = format!(
        "{target} ({ct}), {}: {}",
        repro::ascii_escaped(&input.what),
        cut(&repro::ascii_escaped(
            &Value::from(body.as_ref()).to_string()
        ))
    );
    (value, text)
}
