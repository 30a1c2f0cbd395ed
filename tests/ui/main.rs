//! The window driven through its widgets, headless (`egui_kittest`): what a user clicks,
//! drags and types, and what they then see. One file per subject; the helpers are in
//! `support`.
#![allow(
    clippy::unwrap_used,
    reason = "a test that cannot unwrap should fail loudly, right there"
)]
#![allow(
    clippy::float_cmp,
    reason = "exact equality is what these tests assert"
)]
#![allow(
    clippy::unreadable_literal,
    reason = "golden values are written exactly as printed, to be compared by eye"
)]

mod accessibility;
#[path = "../common/mod.rs"]
mod common;
mod editing;
mod files;
#[path = "../../examples/large_preset.rs"]
mod large_preset;
mod outcomes;
mod panels;
mod penalties;
mod plots;
mod runs;
mod saved_state;
mod scale;
mod simulator;
mod support;
mod validation;
mod view_settings;
mod views;
mod workspaces;
