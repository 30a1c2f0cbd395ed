//! weightbench: see what class weights in a weighted cross-entropy do to every penalty.
//!
//! [`core`] computes (no GUI code there); [`cli`] prints the same numbers for scripts.
//!
//! ```
//! use weightbench::core::{Evaluation, Preset};
//!
//! // The seed notebook: case 11 is a debris sample that the network calls class1.
//! let notebook = Preset::notebook()?;
//! let evaluation = Evaluation::of(&notebook)?;
//! let case_11 = &evaluation.scenarios[10];
//! assert_eq!(case_11.predicted, 0);
//! assert!((case_11.loss - 3.9600602050874247).abs() < 1e-12);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod app;
pub mod cli;
pub mod command;
pub mod core;
pub mod dialog;
pub mod ui;

#[cfg(test)]
mod layering_tests;
