//! Whether a token-endpoint answer says the grant a scenario needs is not offered: then the
//! scenario does not apply to the server (skipped with the reason), and that answer says
//! nothing about the client authentication the scenario is about.

use serde_json::Value;

use crate::suite::Step;

/// Why a token-endpoint step with `skip_if_refused` does not apply: the answer says the
/// grant is not offered (RFC 6749 §5.2 `unsupported_grant_type`). Not
/// `unauthorized_client`: Keycloak 26 answers a failed client authentication with it, so
/// taking it for "not offered" would hide the very defect the scenario looks for; and a
/// server that registered the client for the grant and then refuses it that grant has
/// broken what the rule checks (the issued credentials get no token).
pub(super) fn grant_not_offered(step: &Step, status: u16, json: Option<&Value>) -> Option<String> {
    let reason = step.skip_if_refused.as_ref()?;
    if step.request.endpoint != Some(crate::suite::Endpoint::Token) || !(400..500).contains(&status)
    {
        return None;
    }
    let code = json?.get("error")?.as_str()?;
    (code == "unsupported_grant_type").then(|| {
        format!(
            "{reason} (step '{}': status {status}, error {code})",
            step.name
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn step(skip: bool) -> Step {
        let mut s = json!({"name": "token", "request": {"method": "POST", "endpoint": "token",
            "form": {"grant_type": "client_credentials"}}});
        if skip {
            s["skip_if_refused"] = json!("no client_credentials");
        }
        serde_json::from_value(s).unwrap()
    }

    #[test]
    fn only_a_grant_error_of_a_marked_token_step_skips() {
        let unsupported = json!({"error": "unsupported_grant_type"});
        let why = grant_not_offered(&step(true), 400, Some(&unsupported)).unwrap();
        assert!(why.contains("no client_credentials") && why.contains("unsupported_grant_type"));
        // Keycloak's answer to a failed client authentication: judged, not skipped.
        let unauthorized = json!({"error": "unauthorized_client"});
        assert_eq!(
            grant_not_offered(&step(true), 400, Some(&unauthorized)),
            None
        );
        // A failed client authentication is the scenario's business: judged, not skipped.
        let invalid = json!({"error": "invalid_client"});
        assert_eq!(grant_not_offered(&step(true), 401, Some(&invalid)), None);
        assert_eq!(
            grant_not_offered(&step(false), 400, Some(&unsupported)),
            None
        );
        assert_eq!(
            grant_not_offered(&step(true), 200, Some(&unsupported)),
            None
        );
        assert_eq!(grant_not_offered(&step(true), 400, None), None);
    }
}
