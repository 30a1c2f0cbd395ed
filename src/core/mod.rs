//! The pure computational core, in rooms named after what the user sees: the preset, the loss,
//! the hand cases, the outcomes on the user's validation set, the simulator and the export.
//!
//! Nothing here knows about a window; every number the user sees is computed here
//! and tested here. The re-exports below are for callers outside the crate; inside it, every
//! file imports an item from the file that defines it.

pub mod cases;
pub mod export;
pub mod loss;
pub mod outcomes;
pub mod preset;
pub mod rng;
pub mod simulator;

pub use cases::analysis::{Analysis, AnalysisError, AnalysisInputs};
pub use cases::evaluate::Evaluation;
pub use cases::schemes::{Normalization, Scheme, SchemeError, SchemeKind};
pub use cases::sweep::Sweep;
pub use loss::{BatchLoss, SampleLoss};
pub use preset::edit::{Edit, EditError};
pub use preset::file::{PresetError, load_preset, parse_preset, preset_to_ron, save_preset};
pub use preset::loss_options::{Convention, LossOptions, LossOptionsError, Reduction};
pub use preset::range::{SweepRange, SweepRangeError};
pub use preset::validate::ValidationError;
pub use preset::{Class, Preset, Scenario, ValidationSettings};
