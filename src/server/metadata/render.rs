//! How a stored client is rendered back as JSON: server-managed members first, then its
//! metadata in `KNOWN` order, with the secret and RFC 7592 members as the view says.

use serde_json::{Map, Value};

use crate::server::store::Client;

/// What a rendering of a client includes besides its metadata.
#[derive(Debug, Default)]
pub(in crate::server) struct View<'a> {
    pub secret: Option<&'a str>,
    /// The `registration_client_uri`, for clients with a registration access token.
    pub client_uri: Option<String>,
    /// The `null-arrays` fault: empty arrays rendered as `null`.
    pub null_arrays: bool,
}

/// The client as JSON: server-managed members first, then metadata in `KNOWN` order.
pub(in crate::server) fn render(client: &Client, view: View<'_>) -> Value {
    let mut out = Map::new();
    out.insert("client_id".into(), Value::from(client.id.as_str()));
    if let Some(secret) = view.secret {
        out.insert("client_secret".into(), Value::from(secret));
    }
    out.insert("client_id_issued_at".into(), Value::from(client.issued_at));
    out.insert("client_secret_expires_at".into(), Value::from(0));
    for (name, value) in &client.metadata {
        let empty = value.as_array().is_some_and(Vec::is_empty);
        let value = if view.null_arrays && empty {
            Value::Null
        } else {
            value.clone()
        };
        out.insert(name.clone(), value);
    }
    if let (Some(token), Some(uri)) = (&client.registration_access_token, view.client_uri) {
        out.insert(
            "registration_access_token".into(),
            Value::from(token.as_str()),
        );
        out.insert("registration_client_uri".into(), Value::from(uri));
    }
    Value::Object(out)
}
