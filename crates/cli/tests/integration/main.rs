//! Integration tests: the real `corroborate` binary against a real store in
//! a temporary directory. One binary, modules inside (see STYLE.md).

mod bad_input;
mod browser;
mod commands;
mod common;
mod crash;
mod distributed;
mod examples;
mod exports;
mod hostile;
mod postgres;
mod search;
mod seeds;
mod server;
mod stance;
