//! weightbench: see what class weights in a weighted cross-entropy do to every penalty.
//!
//! [`core`] computes (no GUI code there); [`cli`] prints the same numbers for scripts.

pub mod cli;
pub mod core;
