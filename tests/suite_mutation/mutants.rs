//! The mutants of suite mutation: a check (by `Expect::source`, file + JSON pointer)
//! deleted or inverted wherever it is used, and the suite with one applied.

use dcrspec::suite::{Invariant, Scenario, Suite};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Delete,
    Invert,
}

/// One mutant: a check deleted or inverted wherever it is used.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mutant {
    pub kind: Kind,
    pub source: String,
}

/// The suite with the mutant applied: the scenarios it changes (copies) and, for a
/// check of an invariant, the invariants.
pub struct Applied {
    pub scenarios: Vec<Scenario>,
    pub invariants: Option<Vec<Invariant>>,
}

pub fn apply(suite: &Suite, m: &Mutant) -> Applied {
    let change = |expect: &mut Vec<dcrspec::suite::Expect>| -> bool {
        let before = expect.len();
        let mut hit = false;
        match m.kind {
            Kind::Delete => expect.retain(|e| e.source != m.source),
            Kind::Invert => {
                for e in expect.iter_mut().filter(|e| e.source == m.source) {
                    e.inverted = true;
                    hit = true;
                }
            }
        }
        hit || expect.len() != before
    };
    let mut scenarios = Vec::new();
    for sc in &suite.scenarios {
        let mut copy = sc.clone();
        let mut hit = false;
        for st in &mut copy.steps {
            hit |= change(&mut st.expect);
        }
        if hit {
            scenarios.push(copy);
        }
    }
    let mut invariants = suite.invariants.clone();
    let mut hit = false;
    for inv in &mut invariants {
        hit |= change(&mut inv.expect);
    }
    Applied {
        scenarios,
        invariants: hit.then_some(invariants),
    }
}
