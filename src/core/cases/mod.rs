//! The hand cases: what the weights do to each scenario of the preset (evaluation, sweeps over
//! the debris weight, penalties, balance, decision shifts, weighting schemes, smoothing advice),
//! and the [`analysis::Analysis`] that gathers every number the window's views show.

pub mod advice;
pub mod analysis;
pub mod balance;
pub mod evaluate;
pub mod penalties;
pub mod schemes;
pub mod shifts;
pub mod sweep;
