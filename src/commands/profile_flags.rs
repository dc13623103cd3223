//! The profile flags shared by `run` and `fuzz`: `--registration-path`,
//! `--management-auth` and `--client-path` over the profile's own values.

use crate::error::LoadError;
use crate::profile::{ManagementAuth, Profile};

/// `--registration-path`, `--management-auth` and `--client-path` over the profile's own
/// (shared with `dcrspec fuzz`).
pub(crate) fn override_profile(
    profile: &mut Profile,
    registration_path: Option<&str>,
    management_auth: &[String],
    client_path: Option<&str>,
) -> Result<(), LoadError> {
    if let Some(path) = registration_path {
        if !path.starts_with('/') {
            return Err(LoadError::new("--registration-path", "must start with '/'"));
        }
        profile.registration_path = path.to_string();
    }
    if !profile.client_management && (!management_auth.is_empty() || client_path.is_some()) {
        let flag = if management_auth.is_empty() {
            "--client-path"
        } else {
            "--management-auth"
        };
        return Err(LoadError::new(
            flag,
            format!(
                "profile '{}' has no client configuration endpoint (client_management = \
                 false); give a profile that has one",
                profile.name
            ),
        ));
    }
    if !management_auth.is_empty() {
        let mut methods = Vec::new();
        for m in management_auth {
            let parsed: ManagementAuth = toml::Value::String(m.clone())
                .try_into()
                .map_err(|_| LoadError::new("--management-auth", format!("unknown method {m:?}; use client_secret_basic, client_secret_post or bearer")))?;
            methods.push(parsed);
        }
        profile.management_auth = methods;
    }
    if let Some(path) = client_path {
        if !path.starts_with('/') || !path.contains("{client_id}") {
            return Err(LoadError::new(
                "--client-path",
                "must start with '/' and contain {client_id}",
            ));
        }
        profile.client_path = path.to_string();
    }
    Ok(())
}
