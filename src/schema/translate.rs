//! OpenAPI 3.0 Schema Objects → JSON Schema 2020-12, and the schema-aware walk that both
//! the translation and the `$ref` bundling (in `derive`) use.
//!
//! OpenAPI 3.0 is a dialect of draft 4/5. jsonschema reads it as 2020-12 and gets three
//! things silently or loudly wrong: `nullable` is an unknown keyword (so `null` is rejected
//! with no build error), and boolean `exclusiveMinimum`/`exclusiveMaximum` fail to compile.
//! OpenAPI 3.1 schemas are already 2020-12 and are never passed through here.

use std::convert::Infallible;

use serde_json::{Map, Value, json};

/// Keywords whose value maps names to schemas. Their *keys* are data (a property may well be
/// called `nullable` or `default`), their values are schemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// Keywords whose value is one schema (`items` may also be a draft-4 tuple array).
const SCHEMA_SINGLE: &[&str] = &[
    "items",
    "additionalItems",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];
/// Keywords whose value is a list of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// Keywords next to which `type: [T, "null"]` would not admit `null`, because they
/// constrain the instance on their own; such schemas get the `anyOf` wrapper instead.
const COMPOSITION: &[&str] = &["$ref", "allOf", "anyOf", "oneOf", "not"];

/// Calls `f` on `schema` and every subschema below it, children before parents, with each
/// node's JSON pointer (`pointer` is the root's). Only schema positions are visited:
/// `example`, `examples`, `default`, `enum`, `const` and `x-*` values are instance data that
/// merely looks like schemas, so they are never entered.
pub(super) fn walk_schemas<E>(
    schema: &mut Value,
    pointer: &str,
    f: &mut dyn FnMut(&mut Value, &str) -> Result<(), E>,
) -> Result<(), E> {
    if let Value::Object(obj) = schema {
        for (key, child) in obj.iter_mut() {
            let at = format!("{pointer}/{}", escape_pointer(key));
            let k = key.as_str();
            if SCHEMA_MAPS.contains(&k) {
                if let Value::Object(map) = child {
                    for (name, sub) in map.iter_mut() {
                        walk_schemas(sub, &format!("{at}/{}", escape_pointer(name)), f)?;
                    }
                }
            } else if SCHEMA_SINGLE.contains(&k) || SCHEMA_LISTS.contains(&k) {
                match child {
                    Value::Array(list) => {
                        for (i, sub) in list.iter_mut().enumerate() {
                            walk_schemas(sub, &format!("{at}/{i}"), f)?;
                        }
                    }
                    other => walk_schemas(other, &at, f)?,
                }
            }
        }
    }
    f(schema, pointer)
}

/// Rewrites one OpenAPI 3.0 schema (and all its subschemas) in place into JSON Schema
/// 2020-12. See rust-stack-notes §3f for the measured behaviour this works around.
pub fn openapi30_to_2020_12(schema: &mut Value) {
    let Ok(()) = walk_schemas::<Infallible>(schema, "", &mut |node, _| {
        translate_node(node);
        Ok(())
    });
}

fn translate_node(node: &mut Value) {
    let Value::Object(obj) = node else {
        return;
    };
    exclusive_bound(obj, "minimum", "exclusiveMinimum");
    exclusive_bound(obj, "maximum", "exclusiveMaximum");
    // Only a boolean is the OpenAPI keyword; anything else is left for the compiler to judge.
    let nullable = match obj.get("nullable") {
        Some(Value::Bool(b)) => *b,
        _ => return,
    };
    obj.shift_remove("nullable");
    if !nullable {
        return;
    }
    let composed = COMPOSITION.iter().any(|k| obj.contains_key(*k));
    let widened = match obj.get_mut("type") {
        Some(t @ Value::String(_)) if !composed => {
            let single = t.take();
            *t = json!([single, "null"]);
            true
        }
        Some(Value::Array(types)) if !composed => {
            if !types.contains(&json!("null")) {
                types.push(json!("null"));
            }
            true
        }
        _ => false,
    };
    if widened {
        // `type` now admits null, but an `enum` would still reject it.
        if let Some(Value::Array(values)) = obj.get_mut("enum")
            && !values.contains(&Value::Null)
        {
            values.push(Value::Null);
        }
    } else {
        let original = node.take();
        *node = json!({"anyOf": [original, {"type": "null"}]});
    }
}

/// OpenAPI 3.0 (like draft 4) spells an exclusive bound as a flag beside the bound;
/// 2020-12 wants the number itself in `exclusiveMinimum`/`exclusiveMaximum`.
fn exclusive_bound(obj: &mut Map<String, Value>, inclusive: &str, exclusive: &str) {
    match obj.get(exclusive) {
        Some(Value::Bool(true)) => {
            obj.shift_remove(exclusive);
            // A flag with no bound constrains nothing, so it simply disappears.
            if let Some(bound) = obj.shift_remove(inclusive) {
                obj.insert(exclusive.to_owned(), bound);
            }
        }
        Some(Value::Bool(false)) => {
            obj.shift_remove(exclusive);
        }
        _ => {}
    }
}

/// One reference token of a JSON pointer (RFC 6901 §3).
pub(super) fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compiles as jsonschema would by default for a schema without `$schema` (2020-12).
    fn compiles(schema: &Value) -> bool {
        jsonschema::options().offline().build(schema).is_ok()
    }

    fn accepts(schema: &Value, instance: &Value) -> bool {
        let validator = jsonschema::options()
            .offline()
            .build(schema)
            .unwrap_or_else(|e| panic!("{schema} does not compile: {e}"));
        validator.is_valid(instance)
    }

    fn translated(mut schema: Value) -> Value {
        openapi30_to_2020_12(&mut schema);
        schema
    }

    #[test]
    fn nullable_with_type_admits_null_and_keeps_the_type() {
        let raw = json!({"type": "string", "nullable": true});
        assert!(
            !accepts(&raw, &Value::Null),
            "raw nullable is ignored by 2020-12"
        );
        let out = translated(raw);
        assert_eq!(out, json!({"type": ["string", "null"]}));
        assert!(accepts(&out, &Value::Null));
        assert!(accepts(&out, &json!("x")));
        assert!(!accepts(&out, &json!(1)));
    }

    #[test]
    fn nullable_with_enum_adds_null_to_the_enum() {
        let raw = json!({"type": "string", "enum": ["a", "b"], "nullable": true});
        assert!(!accepts(&raw, &Value::Null));
        let out = translated(raw);
        assert_eq!(out["enum"], json!(["a", "b", null]));
        assert!(accepts(&out, &Value::Null));
        assert!(!accepts(&out, &json!("c")));
    }

    #[test]
    fn nullable_without_type_wraps_in_any_of() {
        let raw = json!({
            "$defs": {"S": {"type": "string"}},
            "properties": {"p": {"$ref": "#/$defs/S", "nullable": true}}
        });
        assert!(!accepts(&raw, &json!({"p": null})));
        let out = translated(raw);
        assert_eq!(
            out["properties"]["p"],
            json!({"anyOf": [{"$ref": "#/$defs/S"}, {"type": "null"}]})
        );
        assert!(accepts(&out, &json!({"p": null})));
        assert!(accepts(&out, &json!({"p": "x"})));
        assert!(!accepts(&out, &json!({"p": 1})));
    }

    #[test]
    fn nullable_type_beside_all_of_still_admits_null() {
        // `type: [object, null]` alone would let null past `type` and fail it in `allOf`.
        let raw = json!({"type": "object", "nullable": true, "allOf": [{"type": "object"}]});
        let out = translated(raw);
        assert!(out.get("anyOf").is_some(), "{out}");
        assert!(accepts(&out, &Value::Null));
        assert!(!accepts(&out, &json!("x")));
    }

    #[test]
    fn nullable_false_is_dropped_and_changes_nothing() {
        let out = translated(json!({"type": "string", "nullable": false}));
        assert_eq!(out, json!({"type": "string"}));
        assert!(!accepts(&out, &Value::Null));
    }

    #[test]
    fn non_boolean_nullable_is_not_the_keyword() {
        let raw = json!({"type": "string", "nullable": "yes"});
        assert_eq!(translated(raw.clone()), raw);
        // A property called `nullable` is data, whatever its schema says.
        let raw = json!({"properties": {"nullable": {"type": "boolean"}}});
        let out = translated(raw.clone());
        assert_eq!(out, raw);
        assert!(accepts(&out, &json!({"nullable": true})));
        assert!(!accepts(&out, &json!({"nullable": "x"})));
    }

    #[test]
    fn boolean_exclusive_minimum_and_maximum_become_numbers() {
        let raw = json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true,
                         "maximum": 10, "exclusiveMaximum": true});
        assert!(
            !compiles(&raw),
            "boolean exclusiveMinimum must not compile in 2020-12"
        );
        let out = translated(raw);
        assert_eq!(
            out,
            json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10})
        );
        assert!(!accepts(&out, &json!(0)));
        assert!(accepts(&out, &json!(1)));
        assert!(accepts(&out, &json!(9)));
        assert!(!accepts(&out, &json!(10)));
    }

    #[test]
    fn false_exclusive_flags_keep_the_inclusive_bound() {
        let raw = json!({"minimum": 0, "exclusiveMinimum": false});
        assert!(!compiles(&raw));
        let out = translated(raw);
        assert_eq!(out, json!({"minimum": 0}));
        assert!(accepts(&out, &json!(0)));
        assert!(!accepts(&out, &json!(-1)));
    }

    #[test]
    fn instance_data_is_never_translated() {
        let data = json!({"nullable": true, "minimum": 1, "exclusiveMinimum": true});
        let raw = json!({
            "type": "object",
            "example": data, "examples": [data], "default": data,
            "enum": [data], "const": data, "x-vendor": data
        });
        assert_eq!(translated(raw.clone()), raw);
    }

    #[test]
    fn translation_reaches_every_subschema_position() {
        let n = || json!({"type": "string", "nullable": true});
        let raw = json!({
            "properties": {"default": n()},
            "additionalProperties": n(),
            "items": n(),
            "allOf": [{"properties": {"deep": {"items": n()}}}],
            "oneOf": [n()],
            "anyOf": [n()],
            "not": {"properties": {"x": n()}},
            "patternProperties": {"^p": n()}
        });
        let out = translated(raw);
        let text = out.to_string();
        assert!(!text.contains("nullable"), "untranslated: {text}");
        assert_eq!(text.matches(r#"["string","null"]"#).count(), 8, "{text}");
    }

    #[test]
    fn walk_reports_json_pointers_of_subschemas() {
        let mut schema = json!({"properties": {"a/b": {"items": {"type": "string"}}}});
        let mut seen = Vec::new();
        let Ok(()) =
            walk_schemas::<Infallible>(&mut schema, "/components/schemas/X", &mut |_, at| {
                seen.push(at.to_owned());
                Ok(())
            });
        assert_eq!(
            seen,
            [
                "/components/schemas/X/properties/a~1b/items",
                "/components/schemas/X/properties/a~1b",
                "/components/schemas/X",
            ]
        );
    }
}
