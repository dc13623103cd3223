//! The fault table: every fault's kebab-case name and one-line description, in
//! declaration order (so a fault's discriminant indexes it), and the faults alone. The
//! entries live with their rule family (`table/*.rs`) and are joined here, at compile time.

mod fuzz;
mod management;
mod ory;
mod registration;

use super::Fault;

/// A fault, its kebab-case name and its one-line description.
type Entry = (Fault, &'static str, &'static str);

/// The families in declaration order.
const PARTS: [&[Entry]; 4] = [
    ory::ORY,
    management::MANAGEMENT,
    registration::REGISTRATION,
    fuzz::FUZZ,
];

const LEN: usize = ory::ORY.len()
    + management::MANAGEMENT.len()
    + registration::REGISTRATION.len()
    + fuzz::FUZZ.len();

/// Every fault with its name and description, in declaration order.
pub(super) const TABLE: [Entry; LEN] = {
    let mut table = [(Fault::Create200, "", ""); LEN];
    let (mut at, mut p) = (0, 0);
    while p < PARTS.len() {
        let mut i = 0;
        while i < PARTS[p].len() {
            table[at] = PARTS[p][i];
            at += 1;
            i += 1;
        }
        p += 1;
    }
    table
};

/// `TABLE`'s faults alone, for `Fault::all`.
pub(super) const ALL: [Fault; LEN] = {
    let mut all = [Fault::Create200; LEN];
    let mut i = 0;
    while i < TABLE.len() {
        all[i] = TABLE[i].0;
        i += 1;
    }
    all
};
