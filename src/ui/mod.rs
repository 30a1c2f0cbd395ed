//! The panels of the window, one per file. Each draws from the preset and its analysis
//! and reports what the user did as [`crate::command::Command`]s; none computes a loss.

pub mod class_table;
pub mod dialogs;
pub mod loss_plot;
pub mod menu_bar;
pub mod palette;
pub mod scenario_editor;
pub mod scenario_list;
pub mod status_bar;

pub use dialogs::{GuardAnswer, PromptAnswer};
pub use scenario_list::ScenarioFilter;
