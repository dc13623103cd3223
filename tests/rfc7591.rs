//! RFC 7591 probes a server should refuse register their client only if it is accepted
//! (`register_if_accepted`): against servers that wrongly accept them, every such client
//! is still deleted, and the run reaches a verdict everywhere. A client the server gives
//! to two registrations is deleted once, not reported as left behind.

use dcrspec::outcome::Outcome;
use dcrspec::server::Faults;
use dcrspec::session::{self, Inputs};

#[test]
fn probes_a_faulted_server_accepts_are_cleaned_up() {
    for fault in [
        "lenient-content-type",
        "redirect-optional",
        "accept-fragment",
        "accept-relative-redirect",
        "allow-http-redirect",
        "accept-jwks-and-uri",
        "accept-inconsistent-types",
        "store-bogus-grant",
        // One client answering two registrations is deleted once, and reported by no one.
        "client-id-from-name",
        "client-on-error",
    ] {
        let inputs = Inputs::built_in("rfc7592").unwrap();
        let faults = Faults::from_names(&[fault]).unwrap();
        let run = session::against_reference(inputs, faults).unwrap();
        assert_eq!(run.clients_left, 0, "{fault}: clients left on the server");
        assert!(
            run.report.leftovers.is_empty(),
            "{fault}: {:?}",
            run.report.leftovers
        );
        let errored: Vec<&str> = run
            .report
            .scenarios
            .iter()
            .filter(|s| matches!(s.outcome, Outcome::Errored { .. }))
            .map(|s| s.id.as_str())
            .collect();
        assert!(errored.is_empty(), "{fault}: errored {errored:?}");
    }
}
