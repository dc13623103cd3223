//! The clients a scenario has registered, and what dcrspec knows of their credentials.
//! The state follows the server's answers: a rotated registration access token, a
//! secret set by a successful PUT or handed out in an answer, a changed auth method,
//! a deletion.

use serde_json::Value;

use crate::template::Vars;

/// One registered client, by the name the scenario gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub name: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// Secrets this client had before, newest last: cleanup tries them if the current
    /// one is refused (a server may have failed to apply a change).
    pub previous_secrets: Vec<String>,
    pub registration_access_token: Option<String>,
    /// Registration access tokens this client had before, newest last: cleanup tries
    /// them if the current one is refused (an update answered 5xx may not have been
    /// stored after all).
    pub previous_tokens: Vec<String>,
    pub registration_client_uri: Option<String>,
    /// `token_endpoint_auth_method` as last answered (or sent) for this client.
    pub method: Option<String>,
    /// A DELETE of this client answered 2xx.
    pub deleted: bool,
}

impl Client {
    /// A client from a registration response; `None` when there is no usable `client_id`.
    pub fn from_registration(name: &str, body: &Value, sent: Option<&Value>) -> Option<Client> {
        let id = body.get("client_id")?.as_str().filter(|s| !s.is_empty())?;
        let text = |k: &str| {
            body.get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(String::from)
        };
        let method = text("token_endpoint_auth_method").or_else(|| {
            sent.and_then(|s| s.get("token_endpoint_auth_method"))
                .and_then(Value::as_str)
                .map(String::from)
        });
        Some(Client {
            name: name.to_string(),
            client_id: id.to_string(),
            client_secret: text("client_secret"),
            previous_secrets: Vec::new(),
            registration_access_token: text("registration_access_token"),
            previous_tokens: Vec::new(),
            registration_client_uri: text("registration_client_uri"),
            // RFC 7591 §2: an omitted method means client_secret_basic.
            method: method.or_else(|| Some("client_secret_basic".into())),
            deleted: false,
        })
    }

    /// A client the scenario cannot use but the server may have stored: a `client_id` that
    /// is a JSON number (taken as its digits), or a registration answered inside a
    /// one-element array. Only cleanup uses it, so that it is deleted or named as left
    /// behind rather than forgotten; the scenario still cannot go on with it.
    pub fn from_unusable_registration(
        name: &str,
        body: &Value,
        sent: Option<&Value>,
    ) -> Option<Client> {
        let body = match body {
            Value::Array(items) if items.len() == 1 => &items[0],
            other => other,
        };
        let id = match body.get("client_id")? {
            Value::Number(n) if n.is_u64() || n.is_i64() => n.to_string(),
            Value::String(s) if !s.is_empty() => s.clone(),
            _ => return None,
        };
        let mut with_text_id = body.clone();
        with_text_id["client_id"] = Value::from(id);
        Client::from_registration(name, &with_text_id, sent)
    }

    /// Follow a 2xx answer to a request on this client's configuration endpoint.
    pub fn follow(&mut self, method: &str, sent: Option<&Value>, answer: Option<&Value>) {
        if method == "DELETE" {
            self.deleted = true;
            return;
        }
        if method == "PUT"
            && let Some(secret) = sent
                .and_then(|s| s.get("client_secret"))
                .and_then(Value::as_str)
            && !secret.is_empty()
        {
            // The secret we set is the one that should now work; whether the server
            // echoed it is a separate check.
            if let Some(old) = self.client_secret.replace(secret.to_string()) {
                self.previous_secrets.push(old);
            }
        }
        if let Some(answer) = answer {
            if let Some(t) = answer
                .get("registration_access_token")
                .and_then(Value::as_str)
                && !t.is_empty()
                && self.registration_access_token.as_deref() != Some(t)
                && let Some(old) = self.registration_access_token.replace(t.to_string())
            {
                self.previous_tokens.push(old);
            }
            // RFC 7592 §2.1/§2.2: a read or update may hand out a new secret, which
            // then replaces the one the client had.
            if let Some(secret) = answer.get("client_secret").and_then(Value::as_str)
                && !secret.is_empty()
                && self.client_secret.as_deref() != Some(secret)
                && let Some(old) = self.client_secret.replace(secret.to_string())
            {
                self.previous_secrets.push(old);
            }
            if let Some(m) = answer
                .get("token_endpoint_auth_method")
                .and_then(Value::as_str)
            {
                self.method = Some(m.to_string());
            }
        }
    }

    /// Whether `answer` is this client: a JSON object carrying its client_id. A failed
    /// update (5xx) answered with the client was stored all the same, and its
    /// credentials are followed (the ones before are kept for cleanup).
    pub fn is_answered_by(&self, answer: Option<&Value>) -> bool {
        answer
            .and_then(|a| a.get("client_id"))
            .and_then(Value::as_str)
            == Some(self.client_id.as_str())
    }

    /// Publish this client's fields as `<name>.<field>` template variables.
    pub fn publish(&self, vars: &mut Vars) {
        let fields = [
            ("client_id", Some(&self.client_id)),
            ("client_secret", self.client_secret.as_ref()),
            (
                "registration_access_token",
                self.registration_access_token.as_ref(),
            ),
            (
                "registration_client_uri",
                self.registration_client_uri.as_ref(),
            ),
            ("token_endpoint_auth_method", self.method.as_ref()),
        ];
        for (field, value) in fields {
            let key = format!("{}.{field}", self.name);
            match value {
                Some(v) => vars.insert(key, Value::String(v.clone())),
                None => vars.remove(&key),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn client() -> Client {
        let body = json!({"client_id": "c1", "client_secret": "s0",
                          "registration_access_token": "t0"});
        Client::from_registration("a", &body, None).unwrap()
    }

    #[test]
    fn earlier_tokens_are_kept_and_a_5xx_is_followed_only_when_it_is_the_client() {
        let mut c = client();
        c.follow(
            "GET",
            None,
            Some(&json!({"registration_access_token": "t0"})),
        );
        assert!(
            c.previous_tokens.is_empty(),
            "the same token is no rotation"
        );
        c.follow(
            "PUT",
            None,
            Some(&json!({"registration_access_token": "t1"})),
        );
        c.follow(
            "PUT",
            None,
            Some(&json!({"registration_access_token": "t2"})),
        );
        assert_eq!(c.registration_access_token.as_deref(), Some("t2"));
        assert_eq!(c.previous_tokens, vec!["t0".to_string(), "t1".to_string()]);
        assert!(c.is_answered_by(Some(&json!({"client_id": "c1", "client_name": "x"}))));
        for other in [json!({"error": "server_error"}), json!({"client_id": "c2"})] {
            assert!(!c.is_answered_by(Some(&other)), "{other}");
        }
        assert!(!c.is_answered_by(None));
    }

    #[test]
    fn unusable_registrations_are_still_known_for_cleanup() {
        let number = json!({"client_id": 42, "client_secret": "s"});
        assert!(Client::from_registration("a", &number, None).is_none());
        let c = Client::from_unusable_registration("a", &number, None).unwrap();
        assert_eq!(
            (c.client_id.as_str(), c.client_secret.as_deref()),
            ("42", Some("s"))
        );
        let array = json!([{"client_id": "c1", "registration_access_token": "t"}]);
        assert!(Client::from_registration("a", &array, None).is_none());
        let c = Client::from_unusable_registration("a", &array, None).unwrap();
        assert_eq!(c.registration_access_token.as_deref(), Some("t"));
        // Nothing that names no client: no id, a fraction, an empty string, two clients.
        for body in [
            json!({"client_secret": "s"}),
            json!({"client_id": 4.2}),
            json!({"client_id": ""}),
            json!([{"client_id": "c1"}, {"client_id": "c2"}]),
        ] {
            assert!(
                Client::from_unusable_registration("a", &body, None).is_none(),
                "{body}"
            );
        }
    }

    #[test]
    fn answers_carry_the_newest_token_and_secret() {
        let mut c = client();
        c.follow(
            "GET",
            None,
            Some(&json!({"registration_access_token": "t1"})),
        );
        assert_eq!(c.registration_access_token.as_deref(), Some("t1"));
        // The same secret echoed back changes nothing.
        c.follow("GET", None, Some(&json!({"client_secret": "s0"})));
        assert!(c.previous_secrets.is_empty());
        let sent = json!({"client_id": "c1"});
        c.follow(
            "PUT",
            Some(&sent),
            Some(&json!({"client_secret": "s1", "registration_access_token": "t2"})),
        );
        assert_eq!(c.client_secret.as_deref(), Some("s1"));
        assert_eq!(c.previous_secrets, vec!["s0".to_string()]);
        assert_eq!(c.registration_access_token.as_deref(), Some("t2"));
        // An empty secret or token in an answer is no credential.
        c.follow(
            "PUT",
            Some(&sent),
            Some(&json!({"client_secret": "", "registration_access_token": ""})),
        );
        assert_eq!(c.client_secret.as_deref(), Some("s1"));
        assert_eq!(c.registration_access_token.as_deref(), Some("t2"));
        c.follow("DELETE", None, None);
        assert!(c.deleted);
    }

    #[test]
    fn a_secret_set_by_put_is_followed_even_unechoed() {
        let mut c = client();
        c.follow(
            "PUT",
            Some(&json!({"client_secret": "mine"})),
            Some(&json!({})),
        );
        assert_eq!(c.client_secret.as_deref(), Some("mine"));
        assert_eq!(c.previous_secrets, vec!["s0".to_string()]);
    }
}
