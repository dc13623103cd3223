//! The run-wide registry of created clients: every client a scenario registers is
//! entered here with its current credentials, kept up to date as they change, and
//! removed once it is deleted (or reported as a leftover by its scenario). Whatever is
//! still here when the run stops early (deadline, Ctrl-C, SIGTERM) is deleted by
//! `drain`, so a stopped run leaves no more behind than a finished one.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::clients::Client;

/// One created client and the scenario that created it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub scenario: String,
    pub client: Client,
}

/// Clients created and not yet deleted, by a key handed out at registration.
#[derive(Debug, Default)]
pub struct Registry {
    entries: Mutex<BTreeMap<u64, Entry>>,
    next: AtomicU64,
}

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Entry>> {
        // Every change is one insert or remove: a poisoned lock holds no half-update.
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Enter a newly created client; the key updates or removes it later.
    pub fn add(&self, scenario: &str, client: &Client) -> u64 {
        let key = self.next.fetch_add(1, Ordering::Relaxed);
        self.lock().insert(
            key,
            Entry {
                scenario: scenario.to_string(),
                client: client.clone(),
            },
        );
        key
    }

    /// Record the client's current credentials.
    pub fn update(&self, key: u64, client: &Client) {
        if let Some(e) = self.lock().get_mut(&key) {
            e.client = client.clone();
        }
    }

    /// The client is deleted, or its scenario reported it as left over.
    pub fn remove(&self, key: u64) {
        self.lock().remove(&key);
    }

    /// Every client still here, with its key.
    pub fn snapshot(&self) -> Vec<(u64, Entry)> {
        self.lock().iter().map(|(k, e)| (*k, e.clone())).collect()
    }

    /// `(client_id, scenario)` of every client still here.
    pub fn ids(&self) -> Vec<(String, String)> {
        self.lock()
            .values()
            .map(|e| (e.client.client_id.clone(), e.scenario.clone()))
            .collect()
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entries_follow_their_client_until_removed() {
        let r = Registry::default();
        let mut c = Client::from_registration(
            "a",
            &json!({"client_id": "id-1", "client_secret": "first-secret"}),
            None,
        )
        .unwrap();
        let k1 = r.add("scenario-1", &c);
        let k2 = r.add("scenario-2", &c);
        assert_ne!(k1, k2);
        c.client_secret = Some("second-secret".into());
        r.update(k1, &c);
        r.remove(k2);
        assert_eq!(r.ids(), vec![("id-1".into(), "scenario-1".into())]);
        let all = r.snapshot();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].0, k1);
        assert_eq!(
            all[0].1.client.client_secret.as_deref(),
            Some("second-secret")
        );
        r.remove(k1);
        assert!(r.is_empty());
        // Updating or removing a key that is gone is harmless.
        r.update(k1, &c);
        r.remove(k1);
        assert!(r.is_empty());
    }
}
