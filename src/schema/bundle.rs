//! Bundles a response schema and every component schema it reaches into one standalone
//! JSON Schema 2020-12 document (`{"$schema", "$ref", "$defs"}`), translating OpenAPI 3.0
//! on the way, and names it.
//!
//! Standalone files need no registry and no retriever: `#/components/schemas/X` becomes
//! `#/$defs/X`, and anything else (`#/paths/...`, other files, URLs) is refused at load
//! time with its pointer, instead of surfacing as a resolver error at compile time.

use std::collections::{HashSet, VecDeque};

use serde_json::{Map, Value, json};

use super::translate::{escape_pointer, openapi30_to_2020_12, walk_schemas};

pub(super) const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";
const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// Which schema dialect the document speaks: 3.0 needs translating, 3.1 is 2020-12.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Dialect {
    OpenApi30,
    OpenApi31,
}

/// One response schema as a standalone 2020-12 document: `{"$schema", "$ref", "$defs"}`.
pub(super) struct BundledSchema {
    pub name: String,
    /// Where the schema sits in the source document (JSON pointer), for provenance.
    pub pointer: String,
    pub schema: Value,
    /// `$defs` key → JSON pointer in the source document, so that a compile error can
    /// point at the user's text rather than at dcrspec's bundle.
    pub origins: Vec<(String, String)>,
}

/// Adds the schema (a component `$ref` or an inline schema) to `schemas` unless it is there
/// already, and returns its name.
pub(super) fn add_schema(
    doc: &Value,
    dialect: Dialect,
    schemas: &mut Vec<BundledSchema>,
    schema: &Value,
    schema_ptr: &str,
    inline_name: String,
) -> Result<String, String> {
    let (name, root_key, root, root_ptr) = match component_of(schema) {
        Some(component) => {
            let ptr = format!(
                "/components/schemas/{}",
                checked_component(&component, schema_ptr)?
            );
            let root = doc.pointer(&ptr).ok_or_else(|| {
                format!(
                    "unresolvable $ref '{}' at {schema_ptr}/$ref",
                    schema["$ref"].as_str().unwrap_or_default()
                )
            })?;
            (schema_name(&component), component, root, ptr)
        }
        None => (
            inline_name.clone(),
            inline_name,
            schema,
            schema_ptr.to_owned(),
        ),
    };
    // One schema reached from several responses is bundled and compiled once.
    if let Some(existing) = schemas.iter().find(|s| s.pointer == root_ptr) {
        return Ok(existing.name.clone());
    }
    if let Some(existing) = schemas.iter().find(|s| s.name == name) {
        return Err(format!(
            "{} and {root_ptr} would both be the schema named '{name}'",
            existing.pointer
        ));
    }
    schemas.push(bundle(doc, dialect, &name, &root_key, root, &root_ptr)?);
    Ok(name)
}

/// `Some(name)` when the schema is just a reference to a whole component schema
/// (annotations beside it are allowed: OpenAPI 3.0 ignores `$ref` siblings anyway).
fn component_of(schema: &Value) -> Option<String> {
    let obj = schema.as_object()?;
    let target = obj.get("$ref")?.as_str()?;
    let rest = target.strip_prefix(COMPONENT_PREFIX)?;
    let only_annotations = obj
        .keys()
        .all(|k| matches!(k.as_str(), "$ref" | "description" | "summary" | "title"));
    let name = unescape_token(&percent_decode(rest));
    (only_annotations && !rest.contains('/')).then_some(name)
}

/// Collects `root` and every component schema it reaches into one 2020-12 document, with
/// `#/components/schemas/X` rewritten to `#/$defs/X`.
fn bundle(
    doc: &Value,
    dialect: Dialect,
    name: &str,
    root_key: &str,
    root: &Value,
    root_ptr: &str,
) -> Result<BundledSchema, String> {
    let mut defs = Map::new();
    let mut origins = Vec::new();
    let mut seen = HashSet::from([root_key.to_owned()]);
    let mut queue = VecDeque::from([(root_key.to_owned(), root.clone(), root_ptr.to_owned())]);
    while let Some((key, mut value, ptr)) = queue.pop_front() {
        let mut wanted = Vec::new();
        walk_schemas(&mut value, &ptr, &mut |node, at| {
            rewrite_ref(doc, node, at, &mut wanted)
        })?;
        for dep in wanted {
            let dep_ptr = format!("/components/schemas/{}", escape_pointer(&dep));
            if dep == root_key && dep_ptr != root_ptr {
                // The inline root took this $defs key; the component cannot have it too.
                return Err(format!(
                    "component schema '{dep}' has the name dcrspec gives the inline schema at {root_ptr}"
                ));
            }
            if seen.insert(dep.clone()) {
                // rewrite_ref has checked that it resolves.
                let dep_value = doc.pointer(&dep_ptr).cloned().unwrap_or(Value::Bool(true));
                queue.push_back((dep, dep_value, dep_ptr));
            }
        }
        if dialect == Dialect::OpenApi30 {
            openapi30_to_2020_12(&mut value);
        }
        origins.push((key.clone(), ptr));
        defs.insert(key, value);
    }
    let schema = json!({
        "$schema": DRAFT_2020_12,
        "$ref": format!("#/$defs/{root_key}"),
        "$defs": defs,
    });
    Ok(BundledSchema {
        name: name.to_owned(),
        pointer: root_ptr.to_owned(),
        schema,
        origins,
    })
}

fn rewrite_ref(
    doc: &Value,
    node: &mut Value,
    at: &str,
    wanted: &mut Vec<String>,
) -> Result<(), String> {
    let Some(target) = node.get_mut("$ref") else {
        return Ok(());
    };
    let Some(text) = target.as_str() else {
        return Err(format!("$ref at {at}/$ref is not a string"));
    };
    let Some(rest) = text.strip_prefix(COMPONENT_PREFIX) else {
        return Err(if text.starts_with('#') {
            format!(
                "unsupported $ref '{text}' at {at}/$ref: dcrspec resolves only #/components/schemas/..."
            )
        } else {
            format!(
                "external $ref '{text}' at {at}/$ref: dcrspec reads one self-contained document"
            )
        });
    };
    let fragment = percent_decode(&text[1..]);
    if doc.pointer(&fragment).is_none() {
        return Err(format!("unresolvable $ref '{text}' at {at}/$ref"));
    }
    let (first, tail) = rest.split_once('/').map_or((rest, ""), |(f, t)| (f, t));
    let component = unescape_token(&percent_decode(first));
    checked_component(&component, at)?;
    let tail = if tail.is_empty() {
        String::new()
    } else {
        format!("/{tail}")
    };
    *target = Value::String(format!("#/$defs/{component}{tail}"));
    wanted.push(component);
    Ok(())
}

/// The schema's name in dcrspec: the component name in kebab case, with "OAuth" kept as
/// one word (`oAuth2Client` → `oauth2-client`, `errorOAuth2` → `error-oauth2`).
pub(super) fn schema_name(component: &str) -> String {
    let text = component
        .replace("oAuth", "Oauth")
        .replace("OAuth", "Oauth");
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            continue;
        }
        if c.is_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let boundary =
                prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower);
            if boundary && !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
        out.extend(c.to_lowercase());
    }
    out.trim_end_matches('-').to_owned()
}

/// OpenAPI restricts component names to `^[a-zA-Z0-9.\-_]+$`; holding to that keeps every
/// rewritten `#/$defs/<name>` a valid URI fragment without further escaping.
fn checked_component<'n>(name: &'n str, at: &str) -> Result<&'n str, String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    if !name.is_empty() && name.chars().all(allowed) {
        Ok(name)
    } else {
        Err(format!(
            "component name '{name}' referenced at {at} is not allowed by OpenAPI (^[a-zA-Z0-9.-_]+$)"
        ))
    }
}

fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// URI fragments may percent-encode pointer characters (RFC 6901 §6). A `%` not followed
/// by two hex digits stays as it is; bytes that are not UTF-8 become U+FFFD.
pub(super) fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_are_kebab_case_with_oauth_as_one_word() {
        for (component, name) in [
            ("oAuth2Client", "oauth2-client"),
            ("errorOAuth2", "error-oauth2"),
            ("genericError", "generic-error"),
            ("HTTPError", "http-error"),
            ("client_information.response", "client-information-response"),
        ] {
            assert_eq!(schema_name(component), name);
        }
    }

    #[test]
    fn percent_decoding_is_strict_about_hex_digits() {
        assert_eq!(percent_decode("%65rror%2Fx"), "error/x");
        assert_eq!(percent_decode("%+1%g0%"), "%+1%g0%");
    }
}
