//! The eframe app: owns the state, lays out the panels, applies their commands after the UI
//! pass, and polls background work.
//!
//! - [`state`]: what is saved between launches, in parts; `session`: what lives for one
//!   session, in owned parts;
//! - [`store`] and `restore`: where the saved state is kept, and reading it back part by part;
//! - `panels`: which panel goes where, and which view draws into it;
//! - `commands`: applying what the panels asked for, with undo;
//! - `files` and `file_flow`: open and save, the unsaved-changes guard, the file dialogs;
//! - `outputs` and `loading`: the user's validation outputs, and loading them;
//! - `runs` and `watching`: the user's retrains, read, watched and derived from;
//! - `memo`, `outcomes`, `simulator`: every derived result, keyed on its inputs and synced
//!   once per frame in [`WeightbenchApp::poll`] (`App::logic`);
//! - [`tasks`] and `registry`: work on named background threads, with progress and Cancel.

mod commands;
mod file_flow;
mod files;
pub mod layout_report;
mod loading;
mod memo;
mod outcomes;
mod outputs;
mod panels;
mod registry;
mod restore;
mod runs;
mod session;
mod simulator;
pub mod state;
pub mod store;
pub mod tasks;
mod watching;
mod window;
pub mod workspace;

pub use state::State;
pub use window::WeightbenchApp;
