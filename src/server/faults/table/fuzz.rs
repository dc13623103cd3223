//! Faults only the fuzzer's properties see (crashes on generated metadata, torn writes).

use super::super::Fault;
use super::Entry;

pub(super) const FUZZ: &[Entry] = &[
    (
        Fault::LongName500,
        "long-name-500",
        "POST or PUT with a client_name over 200 characters answers 500",
    ),
    (
        Fault::NonAsciiName500,
        "non-ascii-name-500",
        "POST or PUT with a non-ASCII character in client_name answers 500",
    ),
    (
        Fault::NullField500,
        "null-field-500",
        "POST or PUT with any member explicitly null answers 500",
    ),
    (
        Fault::TornPut,
        "torn-put",
        "PUT writes the new metadata one member at a time, so concurrent PUTs interleave",
    ),
];
