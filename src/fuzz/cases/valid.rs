//! The valid-metadata property's case: register the metadata, read it back, PUT it back,
//! read it again; every member sent must come back unchanged.

use serde_json::Value;

use super::checks::{body_excerpt, member, no_secret, same, short, shown, status};
use super::{Answer, Broken, Case, CaseReport, JSON, broken};
use super::{SECRET_LIFECYCLE, VALID_ACCEPTED, VALID_READBACK};
use crate::fuzz::model::{Model, ORY_CONTRACT};
use crate::fuzz::strategy::Metadata;
use crate::profile::ManagementAuth;
use crate::runner::RunContext;
use crate::suite::Method;

/// Valid metadata: register it, read it, PUT it back, read it again.
pub async fn valid(ctx: &RunContext, model: &Model, sent: &Metadata) -> CaseReport {
    let mut case = Case::new(ctx, "valid-metadata");
    let result = case.valid(model, sent).await;
    case.finish(result.err()).await
}

impl Case<'_> {
    pub(super) async fn valid(&mut self, model: &Model, sent: &Metadata) -> Result<(), Broken> {
        let sent_value = Value::Object(sent.clone());
        let body = serde_json::to_vec(sent).expect("a JSON object serialises");
        let req = self.create_request(Some(JSON), body);
        let answer = self.send(VALID_ACCEPTED, "create", req).await?;
        // Whatever a 2xx registered is deleted at the end, even when the status is wrong.
        self.keep(&answer, Some(&sent_value));
        status(VALID_ACCEPTED, "create", &answer, &[201])?;
        self.register(VALID_ACCEPTED, "create", &answer, Some(&sent_value))?;
        let public = self.client().method.as_deref() == Some("none");
        // "You will not be able to retrieve it later on" is Ory's contract; RFC 7592 §3
        // lists client_secret in the client information response (issue 15, 2j).
        let ory = self.ctx.profile.capabilities().contains(ORY_CONTRACT);
        self.checked.insert(SECRET_LIFECYCLE);
        if !public {
            let secret = member(&answer, "client_secret");
            if !matches!(secret, Some(Value::String(s)) if !s.is_empty()) {
                return Err(broken(
                    SECRET_LIFECYCLE,
                    "create",
                    answer.index,
                    "/client_secret a non-empty string (returned this once)",
                    shown(secret),
                ));
            }
        }
        self.readback(model, "create", &answer, sent)?;

        let req = self.manage(VALID_ACCEPTED, "read", Method::GET, None)?;
        let answer = self.send(VALID_ACCEPTED, "read", req).await?;
        status(VALID_ACCEPTED, "read", &answer, &[200])?;
        if ory {
            no_secret("read", &answer, "GET never returns client_secret")?;
        }
        self.readback(model, "read", &answer, sent)?;

        let mut put = sent.clone();
        let id = self.client().client_id.clone();
        put.insert("client_id".into(), Value::from(id));
        let body = serde_json::to_vec(&put).expect("a JSON object serialises");
        let req = self.manage(
            VALID_ACCEPTED,
            "update",
            Method::PUT,
            Some((Some(JSON), body)),
        )?;
        let answer = self.send(VALID_ACCEPTED, "update", req).await?;
        if self.no_update("update", &answer) {
            return Err(broken(VALID_ACCEPTED, "update", answer.index, "", ""));
        }
        status(VALID_ACCEPTED, "update", &answer, &[200])?;
        let put_value = Value::Object(put);
        self.client()
            .follow("PUT", Some(&put_value), answer.json.as_ref());
        self.remember();
        no_secret(
            "update",
            &answer,
            "a PUT without client_secret answers without one",
        )?;
        self.readback(model, "update", &answer, sent)?;

        // With client credentials, this read presents the secret issued at create.
        let step = "read after update";
        let req = self.manage(VALID_ACCEPTED, step, Method::GET, None)?;
        let answer = self.send(VALID_ACCEPTED, step, req).await?;
        let by_secret = !self
            .ctx
            .profile
            .management_auth
            .contains(&ManagementAuth::Bearer);
        if by_secret && !public && matches!(answer.response.status, 401 | 403) {
            return Err(broken(
                SECRET_LIFECYCLE,
                step,
                answer.index,
                "the secret issued at create still authenticates after a PUT without client_secret",
                format!("status {}", answer.response.status),
            ));
        }
        status(VALID_ACCEPTED, step, &answer, &[200])?;
        if ory {
            no_secret(step, &answer, "GET never returns client_secret")?;
        }
        self.readback(model, step, &answer, sent)
    }

    /// Every member sent (not null or empty, not server-provisioned) comes back unchanged,
    /// or is left out when it is the member's default.
    fn readback(
        &mut self,
        model: &Model,
        step: &str,
        answer: &Answer,
        sent: &Metadata,
    ) -> Result<(), Broken> {
        self.checked.insert(VALID_READBACK);
        let Some(Value::Object(got)) = &answer.json else {
            return Err(broken(
                VALID_READBACK,
                step,
                answer.index,
                "a JSON object",
                body_excerpt(&answer.response),
            ));
        };
        for (name, value) in sent {
            // Null or empty is "omitted" (RFC 7592 §2.2): the server may apply its default.
            if same(Some(value), None) || model.is_provisioned(name) {
                continue;
            }
            let back = got.get(name);
            // Left out because it is the default: the same registration.
            let defaulted =
                matches!(back, None | Some(Value::Null)) && model.default_of(name) == Some(value);
            if !same(back, Some(value)) && !defaulted {
                return Err(broken(
                    VALID_READBACK,
                    step,
                    answer.index,
                    format!("/{name} equal to the value sent, {}", short(value)),
                    shown(back),
                ));
            }
        }
        Ok(())
    }
}
