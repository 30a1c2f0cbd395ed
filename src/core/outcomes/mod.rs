//! Outcomes: a model's outputs on the user's validation set, and what new class weights would
//! do to its decisions there (the Outcomes tab and `weightbench outcomes`).
//!
//! [`ValidationData`] holds the scores and labels in flat arrays, in the precision of the file
//! (10 million rows of 4 float32 logits take 160 MB of scores and 40 MB of labels). Every
//! computation reads them in f64. [`read`] fills it from the user's files.

pub mod read;

pub mod bootstrap;
pub mod cost_report;
pub mod costs;
pub mod data;
pub mod debris_sweep;
pub mod decision;
pub mod metrics;
pub mod report;
pub mod runs;
pub mod setup;
pub mod switch;
pub mod temperature;
pub mod tune;
pub mod view;
pub mod words;

pub mod compared;
pub mod shares;

pub use data::{ScoreKind, Scores, ValidationData};
pub use report::Outcomes;
pub use setup::{OutcomeError, OutcomeOptions, OutcomeSetup, TemperatureChoice};
pub use tune::{Objective, Suggestion, TuneOptions, suggest};
