//! The registered clients: one record per client, kept in memory behind a mutex shared
//! by all connections, plus the random identifiers and credentials the server issues.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::metadata::Metadata;

/// A registered client as the server keeps it.
#[derive(Debug, Clone)]
pub(super) struct Client {
    pub id: String,
    /// `None` for public clients (`token_endpoint_auth_method: none`).
    pub secret: Option<String>,
    /// Issued only by the Rfc7592 flavor.
    pub registration_access_token: Option<String>,
    /// The token the last update rotated away: honoured only by the
    /// `old-token-survives-rotation` fault.
    pub previous_token: Option<String>,
    /// A `registration_client_uri` taken from an update body: only the
    /// `put-applies-server-managed` fault sets it.
    pub client_uri_override: Option<String>,
    /// Seconds since the Unix epoch.
    pub issued_at: u64,
    /// Client-settable metadata, validated and with defaults applied.
    pub metadata: Metadata,
}

impl Client {
    /// The client's `token_endpoint_auth_method` (always set: it has a default).
    pub fn auth_method(&self) -> &str {
        self.metadata
            .get("token_endpoint_auth_method")
            .and_then(|v| v.as_str())
            .unwrap_or("client_secret_basic")
    }
}

/// Clients by id.
pub(super) type Clients = BTreeMap<String, Client>;

/// Shared, concurrency-safe client storage. Each operation holds the lock for its whole
/// (synchronous) check-and-change, so concurrent requests never see half an update.
#[derive(Debug, Clone, Default)]
pub(super) struct Store(Arc<Mutex<Clients>>);

impl Store {
    pub fn lock(&self) -> MutexGuard<'_, Clients> {
        // A panic while holding the lock cannot leave a half-written client (every write is
        // one insert or remove), so a poisoned lock is still usable.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }
}

pub(super) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
    bytes
}

/// A random version-4 UUID in its usual 8-4-4-4-12 hex form.
pub(super) fn new_client_id() -> String {
    let mut b = random_bytes::<16>();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// 256 random bits as 43 url-safe base64 characters: client secrets and registration
/// access tokens.
pub(super) fn new_credential() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

/// Now, in seconds since the Unix epoch.
pub(super) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_ids_are_uuid_v4() {
        let id = new_client_id();
        let parts: Vec<&str> = id.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
        assert!(parts[2].starts_with('4'), "{id}");
        assert!(
            matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
            "{id}"
        );
        assert_ne!(new_client_id(), id);
    }

    #[test]
    fn credentials_are_long_and_url_safe() {
        let c = new_credential();
        assert_eq!(c.len(), 43);
        assert!(
            c.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "{c}"
        );
        assert_ne!(new_credential(), c);
    }
}
