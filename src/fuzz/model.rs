//! What the fuzzer knows about client metadata, derived from a client schema: the members
//! it lists, each with the JSON type the schema gives it, less the members the profile
//! says the server provisions. Under a profile that follows Ory's contract
//! (`contract:ory`) the schema is the contract's documented client (the `201` body of
//! create, Hydra's `oAuth2Client`); under any other it is RFC 7591 §2's client metadata
//! (`schemas/rfc7591-client-metadata.schema.json`), so that a server is never sent
//! Hydra-only members it is right to ignore and then judged for ignoring them. Only what
//! the schema cannot say (which URIs, grant types or auth methods a server will take) is
//! hand-tuned, in `strategy`.

use serde_json::Value;

use crate::profile::{ManagementAuth, Profile};
use crate::schema::{Contract, Documented, Operation, RFC7591_CLIENT_METADATA};

/// The JSON type of a member, as the schema declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A string, possibly constrained by a `pattern` (ECMA-262, as the schema writes it).
    Str {
        pattern: Option<String>,
    },
    /// An array of strings.
    Strings,
    Bool,
    Int,
    /// No type: any JSON value (`jwks`, `metadata`).
    Any,
}

/// One client metadata member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub kind: Kind,
    /// The value an omitted member has: the schema's `default`, else `false` for a
    /// boolean (what the descriptions of Hydra's booleans and OpenID Connect Dynamic
    /// Client Registration §2 say: "If omitted, the default value is false").
    pub default: Option<Value>,
}

/// Everything the strategies need: the members a client may set at this target, and the
/// `token_endpoint_auth_method` values the profile can manage a client by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// Client-settable members, in schema order.
    pub members: Vec<Member>,
    /// Members the server decides (the profile's `server_provisioned`).
    pub provisioned: Vec<String>,
    /// `token_endpoint_auth_method` values whose clients the profile can manage (and so
    /// delete): with client credentials, those methods; with Bearer tokens, also `none`.
    pub auth_methods: Vec<String>,
    /// The schema name of a client body (`oauth2-client` in the built-in contract,
    /// [`RFC7591_SCHEMA`] outside Ory's).
    pub client_schema: String,
}

/// The name [`Model::client_schema`] has when the model comes from RFC 7591 §2.
pub const RFC7591_SCHEMA: &str = "rfc7591-client-metadata";

/// RFC 7591 §2's own members. The RFC 7591 schema also lists OpenID Connect members
/// (`post_logout_redirect_uris`, `subject_type`, …) for valid metadata, but an OAuth-only
/// server "MUST ignore any client metadata sent by the client that it does not
/// understand" (RFC 7591 §2): a wrong type in one of them is not invalid input to it.
pub const RFC7591_SECTION2: &[&str] = &[
    "redirect_uris",
    "token_endpoint_auth_method",
    "grant_types",
    "response_types",
    "client_name",
    "client_uri",
    "logo_uri",
    "scope",
    "contacts",
    "tos_uri",
    "policy_uri",
    "jwks_uri",
    "jwks",
    "software_id",
    "software_version",
];

/// The capability of a profile that follows Ory's contract.
pub const ORY_CONTRACT: &str = "contract:ory";

impl Model {
    /// Whether invalid input may mutate `name`: every member of a contract's schema (the
    /// contract documents the server's own members), only RFC 7591 §2's under the RFC
    /// 7591 schema (issue 15, 2e: the MCP Python SDK ignored a wrong-typed
    /// `post_logout_redirect_uris`, as RFC 7591 §2 tells it to).
    pub fn understood(&self, name: &str) -> bool {
        self.client_schema != RFC7591_SCHEMA || RFC7591_SECTION2.contains(&name)
    }

    /// Read the client schema: the one the contract documents for a `201` from create
    /// when the profile follows Ory's contract, else RFC 7591 §2's (whatever the
    /// contract: `--openapi` describes the server's answers, not what every server
    /// must accept).
    pub fn derive(contract: &Contract, profile: &Profile) -> Result<Model, String> {
        let rfc7591;
        let (client_schema, document) = if profile.capabilities().contains(ORY_CONTRACT) {
            let name = match contract.documented(Operation::Create, 201) {
                Documented::Schema(name) => name,
                _ => {
                    return Err(format!(
                        "{} documents no JSON body for a 201 from createOidcDynamicClient, so there is no client schema to derive metadata from",
                        contract.origin()
                    ));
                }
            };
            let document = contract
                .document(&name)
                .ok_or_else(|| format!("the contract has no schema document '{name}'"))?;
            (name, document)
        } else {
            let (file, text) = RFC7591_CLIENT_METADATA;
            rfc7591 = serde_json::from_str::<Value>(text).map_err(|e| format!("{file}: {e}"))?;
            (RFC7591_SCHEMA.to_string(), &rfc7591)
        };
        let all = members_of(document).map_err(|e| format!("schema '{client_schema}': {e}"))?;
        let provisioned = profile.server_provisioned.clone();
        let members = all
            .into_iter()
            .filter(|m| !provisioned.contains(&m.name))
            .collect();
        let mut auth_methods: Vec<String> = Vec::new();
        for m in &profile.management_auth {
            let names = match m {
                ManagementAuth::Bearer => {
                    &["client_secret_basic", "client_secret_post", "none"][..]
                }
                other => &[other.as_str()][..],
            };
            for name in names {
                if !auth_methods.iter().any(|a| a == name) {
                    auth_methods.push(name.to_string());
                }
            }
        }
        Ok(Model {
            members,
            provisioned,
            auth_methods,
            client_schema,
        })
    }

    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    /// The value `name` has when omitted, if known.
    pub fn default_of(&self, name: &str) -> Option<&Value> {
        self.member(name).and_then(|m| m.default.as_ref())
    }

    pub fn is_provisioned(&self, name: &str) -> bool {
        self.provisioned.iter().any(|p| p == name)
    }
}

/// The members of an object schema document: `{"$ref": "#/$defs/X", "$defs": {...}}` or an
/// inline object schema, with member `$ref`s resolved within the document.
pub fn members_of(document: &Value) -> Result<Vec<Member>, String> {
    let root = resolve(document, document, 0)?;
    let properties = root
        .get("properties")
        .and_then(Value::as_object)
        .ok_or("the client schema has no \"properties\"")?;
    let mut out = Vec::new();
    for (name, schema) in properties {
        let schema = resolve(document, schema, 0)?;
        let kind = kind_of(document, schema)?;
        let default = match (schema.get("default"), &kind) {
            (Some(d), _) => Some(d.clone()),
            (None, Kind::Bool) => Some(Value::Bool(false)),
            (None, _) => None,
        };
        out.push(Member {
            name: name.clone(),
            kind,
            default,
        });
    }
    Ok(out)
}

/// Follow local `$ref`s (`#/...`) to the schema they name.
fn resolve<'a>(document: &'a Value, schema: &'a Value, depth: usize) -> Result<&'a Value, String> {
    let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
        return Ok(schema);
    };
    if depth > 16 {
        return Err(format!("$ref cycle at '{reference}'"));
    }
    let pointer = reference
        .strip_prefix('#')
        .ok_or_else(|| format!("$ref '{reference}' is not local to the document"))?;
    let target = document
        .pointer(pointer)
        .ok_or_else(|| format!("$ref '{reference}' names nothing"))?;
    resolve(document, target, depth + 1)
}

/// The declared type; `["string", "null"]` (a translated `nullable`) counts as `string`.
fn declared_type(schema: &Value) -> Option<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => Some(t.as_str()),
        Some(Value::Array(types)) => {
            let named: Vec<&str> = types
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect();
            (named.len() == 1).then(|| named[0])
        }
        _ => None,
    }
}

fn kind_of(document: &Value, schema: &Value) -> Result<Kind, String> {
    Ok(match declared_type(schema) {
        Some("string") => Kind::Str {
            pattern: schema
                .get("pattern")
                .and_then(Value::as_str)
                .map(String::from),
        },
        Some("boolean") => Kind::Bool,
        Some("integer") => Kind::Int,
        Some("array") => {
            let items = schema.get("items").map(|i| resolve(document, i, 0));
            match items.transpose()?.and_then(declared_type) {
                Some("string") => Kind::Strings,
                _ => Kind::Any,
            }
        }
        _ => Kind::Any,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_built_in_contract_gives_typed_settable_members() {
        let contract = Contract::embedded().unwrap();
        let ory = Profile::resolve("ory").unwrap();
        let model = Model::derive(&contract, &ory).unwrap();
        let kind = |n: &str| model.member(n).map(|m| m.kind.clone());
        assert_eq!(kind("client_name"), Some(Kind::Str { pattern: None }));
        assert_eq!(kind("redirect_uris"), Some(Kind::Strings));
        assert_eq!(
            kind("backchannel_logout_session_required"),
            Some(Kind::Bool)
        );
        assert_eq!(kind("jwks"), Some(Kind::Any));
        let default = |n: &str| model.default_of(n).cloned();
        assert_eq!(
            default("token_endpoint_auth_method"),
            Some("client_secret_basic".into())
        );
        assert_eq!(
            default("backchannel_logout_session_required"),
            Some(false.into())
        );
        assert_eq!(default("client_name"), None);
        assert_eq!(
            kind("implicit_grant_id_token_lifespan"),
            Some(Kind::Str {
                pattern: Some("^([0-9]+(ns|us|ms|s|m|h))*$".into())
            })
        );
        for provisioned in ["client_id", "client_secret", "created_at", "skip_consent"] {
            assert_eq!(kind(provisioned), None, "{provisioned}");
            assert!(model.is_provisioned(provisioned));
        }
        assert!(model.members.len() >= 30, "{}", model.members.len());
        assert_eq!(
            model.auth_methods,
            ["client_secret_basic", "client_secret_post"]
        );
        let rfc = Profile::resolve("rfc7592").unwrap();
        let model = Model::derive(&contract, &rfc).unwrap();
        assert!(model.auth_methods.contains(&"none".to_string()));
    }

    #[test]
    fn outside_ory_the_model_is_rfc7591_client_metadata() {
        let contract = Contract::embedded().unwrap();
        let rfc = Profile::resolve("rfc7592").unwrap();
        let model = Model::derive(&contract, &rfc).unwrap();
        assert_eq!(model.client_schema, RFC7591_SCHEMA);
        let names: Vec<&str> = model.members.iter().map(|m| m.name.as_str()).collect();
        // RFC 7591 §2's members come first, in the order the section lists them.
        assert_eq!(names[..RFC7591_SECTION2.len()], *RFC7591_SECTION2);
        for hydra in [
            "implicit_grant_id_token_lifespan",
            "audience",
            "owner",
            "metadata",
        ] {
            assert!(model.member(hydra).is_none(), "{hydra}");
        }
        assert_eq!(
            model.default_of("grant_types"),
            Some(&Value::from(vec!["authorization_code"]))
        );
        assert_eq!(model.member("jwks").map(|m| &m.kind), Some(&Kind::Any));
        // Ory's profiles keep Hydra's client.
        let hydra = Profile::resolve("hydra").unwrap();
        let model = Model::derive(&contract, &hydra).unwrap();
        assert_eq!(model.client_schema, "oauth2-client");
    }

    #[test]
    fn inline_and_nullable_schemas() {
        let doc = json!({
            "type": "object",
            "properties": {
                "a": {"type": ["string", "null"]},
                "b": {"$ref": "#/$defs/list"},
                "c": {"type": "array", "items": {"type": "integer"}},
                "d": {}
            },
            "$defs": {"list": {"type": "array", "items": {"type": "string"}}}
        });
        let members = members_of(&doc).unwrap();
        assert!(members.iter().all(|m| m.default.is_none()));
        let kinds: Vec<(&str, &Kind)> =
            members.iter().map(|m| (m.name.as_str(), &m.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("a", &Kind::Str { pattern: None }),
                ("b", &Kind::Strings),
                ("c", &Kind::Any),
                ("d", &Kind::Any)
            ]
        );
        let err = members_of(&json!({"properties": {"x": {"$ref": "other.json#/y"}}})).unwrap_err();
        assert!(err.contains("not local"), "{err}");
    }
}
