//! The pure computational core: the preset model, losses, sweeps and preset files.
//!
//! Nothing here knows about a window; every number the user sees is computed here
//! and tested here.

pub mod advice;
pub mod analysis;
pub mod balance;
pub mod decision;
pub mod edit;
pub mod evaluate;
pub mod export;
pub mod loss;
pub mod loss_options;
pub mod model;
pub mod penalties;
pub mod preset_file;
pub mod schemes;
pub mod simulator;
pub mod softmax;
pub mod sweep;
pub mod validate;
pub mod validation;

pub use analysis::{Analysis, AnalysisError, AnalysisInputs};
pub use edit::{Edit, EditError};
pub use evaluate::Evaluation;
pub use loss::{BatchLoss, SampleLoss};
pub use loss_options::{Convention, LossOptions, LossOptionsError, Reduction};
pub use model::{Class, Preset, Scenario, ValidationSettings};
pub use preset_file::{PresetError, load_preset, parse_preset, preset_to_ron, save_preset};
pub use schemes::{Normalization, Scheme, SchemeError, SchemeKind};
pub use sweep::{Sweep, SweepRange, SweepRangeError};
pub use validate::ValidationError;
