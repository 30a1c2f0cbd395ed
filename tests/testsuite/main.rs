//! The library and the `weightbench` binary tested by subject: one module per subject, all in
//! one test binary (cargo's own `tests/testsuite` layout), so a test build links once.
//!
//! Tests that need a Python library are `#[ignore]`d, saying what to install; after
//! `pip install torch keras jax`, `cargo test --test testsuite -- --ignored` runs them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that cannot unwrap should fail loudly, right there"
)]
#![allow(
    clippy::float_cmp,
    reason = "exact equality is what these tests assert"
)]
#![allow(
    clippy::unreadable_literal,
    reason = "reference values are written exactly as printed, to be compared by eye"
)]
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss,
    reason = "small test sizes, indices and counts; 53 bits of a random u64 as a float"
)]

#[path = "../common/mod.rs"]
mod common;

mod cli;
mod data_readers;
mod edit;
mod exports;
mod golden_notebook;
mod install;
mod keras_convention;
mod loss {
    //! The loss family: its numerics, its options and the fast path of validation outputs.
    mod family;
    mod fast_path;
    mod numerics;
}
mod outcomes;
mod penalties;
mod preset_file;
mod simulator;
