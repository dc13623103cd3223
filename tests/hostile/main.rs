//! dcrspec against hostile servers and hostile input: bounded time and memory, no
//! panic, no secret in any output, no client left behind, TLS verified by default.
//! One test binary (one link) for all of it; every run uses short timeouts.

// The harness itself needs libc: kill and wait4 for a child's signals and peak memory,
// setsockopt for a socket that resets. dcrspec has no unsafe code (Cargo.toml [lints]).
#![allow(unsafe_code)]

#[path = "../common/mod.rs"]
mod common;

mod bad_input;
mod behaviours;
mod cleanup;
mod hostile_server;
mod iat;
mod interrupts;
mod origins;
mod rate_limit;
mod relay;
mod secrets;
mod support;
mod tls;
