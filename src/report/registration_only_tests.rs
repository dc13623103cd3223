//! Every renderer on a run that mixes the two kinds of leftover: clients a registration-only
//! profile leaves by design (named with their ids, not an error) and a client a deletion
//! failed to remove (an error, to delete by hand).

use super::fixtures::all_outcomes;
use super::{evidence, github, html, json, junit, text};
use crate::outcome::{Leftover, LeftoverCause, REGISTRATION_ONLY_REASON, RunReport};
use crate::verdict::Verdicts;

fn mixed() -> RunReport {
    let mut r = all_outcomes();
    for id in ["kept-1", "kept-2"] {
        r.leftovers.push(Leftover {
            client_id: id.into(),
            scenario: "rfc7591-create".into(),
            reason: REGISTRATION_ONLY_REASON.into(),
            cause: LeftoverCause::RegistrationOnly,
        });
    }
    r
}

#[test]
fn registration_only_clients_are_named_everywhere_and_never_as_errors() {
    let r = mixed();
    let v = Verdicts::fold(&r);
    let summary = text::summary(&r, &v);
    assert!(
        summary.contains("registration-only: 2 client(s) left on the server")
            && summary.contains("kept-1, kept-2"),
        "{summary}"
    );
    // The failed deletion is still listed for a person, alone.
    assert!(
        summary.contains("leftover clients (1), delete them by hand:"),
        "{summary}"
    );

    let xml = junit::render(&r, &v, junit::Cases::Rules);
    assert!(
        xml.contains("<property name=\"dcrspec.clients-left\" value=\"2\"/>"),
        "{xml}"
    );
    assert!(xml.contains("<property name=\"dcrspec.clients-left.ids\" value=\"kept-1 kept-2\"/>"));
    assert!(xml.contains("leftover client c1 from scenario put-keeps-secret"));
    assert!(
        !xml.contains("leftover client kept-1"),
        "not in <system-err>"
    );

    let j = json::render(&r, &v);
    let causes: Vec<&str> = j["leftovers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["cause"].as_str().unwrap())
        .collect();
    assert_eq!(
        causes,
        ["not_deleted", "registration_only", "registration_only"]
    );

    let md = evidence::render(&r, &v);
    let kept = md
        .find("## Clients left on a registration-only server")
        .unwrap();
    let undeleted = md.find("## Leftover clients").unwrap();
    assert!(md[kept..undeleted].contains("`kept-2`") && !md[undeleted..].contains("kept-2"));

    let page = html::render(&r, &v);
    assert!(page.contains("<a href=\"#leftovers\">3</a> (2 on a registration-only server)"));
    assert!(page.contains("<code>kept-1</code>"));

    let commands = github::commands(&r, &v);
    assert!(
        commands
            .contains("::notice title=dcrspec registration-only::registration-only: 2 client(s)"),
        "{commands}"
    );
    assert_eq!(commands.matches("leftover client").count(), 1, "{commands}");
    assert!(
        github::step_summary(&r, &v).contains("### Clients left on a registration-only server")
    );
}

#[test]
fn a_run_that_deleted_everything_says_nothing_of_registration_only() {
    let r = all_outcomes();
    let v = Verdicts::fold(&r);
    assert!(text::registration_only_line(&r).is_none());
    assert!(!junit::render(&r, &v, junit::Cases::Rules).contains("dcrspec.clients-left"));
    assert!(!github::commands(&r, &v).contains("::notice"));
}
