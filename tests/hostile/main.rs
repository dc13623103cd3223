//! dcrspec against hostile servers and hostile input: bounded time and memory, no
//! panic, no secret in any output, no client left behind, TLS verified by default.
//! One test binary (one link) for all of it; every run uses short timeouts.

#[path = "../common/mod.rs"]
mod common;

mod bad_input;
mod behaviours;
mod cleanup;
mod hostile_server;
mod origins;
mod rate_limit;
mod secrets;
mod support;
mod tls;
