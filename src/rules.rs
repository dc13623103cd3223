//! The rule catalogue: every requirement dcrspec checks, as data with a stable id,
//! a requirement level and the quoted text it checks. Rules are loaded from suite
//! files; nothing here knows any particular rule.

use serde::{Deserialize, Serialize};

/// How binding a rule is, in RFC 2119 terms. It decides what a broken check means:
/// a broken MUST or DERIVED fails the run, a broken SHOULD or MAY only warns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub enum Level {
    #[serde(rename = "MUST")]
    Must,
    #[serde(rename = "SHOULD")]
    Should,
    #[serde(rename = "MAY")]
    May,
    /// The server's duty follows from a definition or from a client MUST, without a
    /// keyword of its own; its checks fail only when the server does the forbidden
    /// thing (for example, applies a request it should have refused).
    #[serde(rename = "DERIVED")]
    Derived,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Must => "MUST",
            Level::Should => "SHOULD",
            Level::May => "MAY",
            Level::Derived => "DERIVED",
        }
    }

    /// Whether breaking a rule of this level is a failure (as opposed to a warning).
    pub fn is_failure(self) -> bool {
        matches!(self, Level::Must | Level::Derived)
    }
}

/// One testable requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id, e.g. `ory:secret-retained` or `RFC7592-2.2-c`. Never a position.
    pub id: String,
    pub level: Level,
    /// The document the rule comes from, e.g. "Ory API reference" or "RFC 7592".
    pub source: String,
    /// Section or operation within the source, e.g. "2.2" or "setOidcDynamicClient".
    pub section: String,
    /// The quoted text the rule checks, verbatim from the source.
    pub quote: String,
    /// What dcrspec checks, in one present-tense sentence, when the quote alone is not enough.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// The family a rule id belongs to: the id up to its first `:` or `-` (`ory`, `RFC7591`,
/// `OIDCR`, `DCR`, `fuzz`). Reports group rules by it.
pub fn family(id: &str) -> &str {
    id.split([':', '-']).next().unwrap_or(id)
}

/// All rules known to a run, in load order, and the digest of the files they came from.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    rules: Vec<Rule>,
    digest: Option<String>,
}

impl Catalogue {
    pub fn new(rules: Vec<Rule>) -> Self {
        Catalogue {
            rules,
            digest: None,
        }
    }

    /// The same rules, marked with the digest of the files they were loaded from
    /// (`sha256:…`, see [`crate::suite::digest`]), so a report can name its suites.
    pub fn with_digest(mut self, digest: String) -> Self {
        self.digest = Some(digest);
        self
    }

    /// The digest of the files the rules came from, when they came from files.
    pub fn digest(&self) -> Option<&str> {
        self.digest.as_deref()
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter()
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_is_the_id_up_to_its_first_separator() {
        assert_eq!(family("ory:secret-retained"), "ory");
        assert_eq!(family("RFC7591-3.2.1-a"), "RFC7591");
        assert_eq!(family("DCR-OFF-b"), "DCR");
        assert_eq!(family("fuzz:valid-accepted"), "fuzz");
        assert_eq!(family("plain"), "plain");
    }

    #[test]
    fn derived_rules_fail_like_must_rules() {
        for (text, level, fails) in [
            ("\"MUST\"", Level::Must, true),
            ("\"DERIVED\"", Level::Derived, true),
            ("\"SHOULD\"", Level::Should, false),
            ("\"MAY\"", Level::May, false),
        ] {
            let parsed: Level = serde_json::from_str(text).unwrap();
            assert_eq!(parsed, level);
            assert_eq!(format!("\"{}\"", level.as_str()), text);
            assert_eq!(level.is_failure(), fails, "{text}");
        }
    }
}
