//! The training simulator: synthetic 2-D data in the preset's proportions, two small models
//! trained for real under the preset's loss (softmax regression to its optimum, a tanh MLP with
//! Adam), and the debris-weight sweep that retrains at every weight beside the preview (the model
//! trained at the preset's weights, shifted by `ln(w / w_preset)`).
//!
//! Everything here is a pure function of its arguments and seeds: the random numbers come from
//! the in-repo [`SplitMix64`](crate::core::validation::rng::SplitMix64), each model trains on one
//! thread in a fixed order, and the sweep's results land in slots fixed by (seed, grid point),
//! so the same arguments give the same bits with any number of workers.

pub mod data;
mod data_csv;
pub mod gap;
mod kernel;
mod lbfgs;
mod linalg;
pub mod mlp;
pub mod model;
mod newton;
pub mod simulate;
pub mod softmax_fit;

pub use data::{DataSpec, Dataset, SyntheticData, synthesize};
pub use gap::{ErrorKind, Gap, gap_sentence};
pub use mlp::{MlpFit, MlpModel, MlpOptions, train_mlp, train_mlp_cancellable};
pub use model::{Bounds, Model, decision_regions, decision_regions_with};
pub use simulate::{Curves, ModelKind, Simulation, SimulationOptions, simulate};
pub use softmax_fit::{
    SoftmaxFit, SoftmaxModel, SoftmaxOptions, SoftmaxProblem, Solver, train_softmax,
};

use crate::core::sweep::SweepRangeError;
use crate::core::validate::ValidationError;

/// Why the simulator cannot run; each message names the option or the sample at fault.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SimulatorError {
    /// The preset itself is invalid.
    #[error("preset: {0}")]
    Preset(#[from] ValidationError),
    /// Too few or too many samples asked for.
    #[error("samples: {0}, expected 1 to {max}", max = data::MAX_SAMPLES)]
    Samples(usize),
    /// The overlap control is outside [0, 1].
    #[error("overlap: {0}, expected a number from 0 to 1")]
    Overlap(f64),
    /// No seeds to run.
    #[error("seeds: {0}, expected at least 1")]
    Seeds(usize),
    /// A negative or non-finite L2 strength.
    #[error("l2: {0}, expected a finite number >= 0")]
    L2(f64),
    /// An unusable trainer setting (hidden width, epochs, batch, learning rate, tolerance).
    #[error("{field}: {value}, expected {expected}")]
    Setting {
        /// The option's name.
        field: &'static str,
        /// The offending value, as written.
        value: String,
        /// What was expected.
        expected: &'static str,
    },
    /// The sweep grid is unusable.
    #[error("grid: {0}")]
    Grid(#[from] SweepRangeError),
    /// A data set with no samples.
    #[error("data: no samples, expected at least one")]
    EmptyData,
    /// Features that do not make N rows of D numbers.
    #[error(
        "data: {features} feature values for {samples} samples of {dimensions} dimensions, expected {expected}"
    )]
    FeatureShape {
        /// Feature values given.
        features: usize,
        /// Labels given.
        samples: usize,
        /// Dimensions per sample.
        dimensions: usize,
        /// `samples * dimensions`.
        expected: usize,
    },
    /// A label that is not a class of the preset.
    #[error("data: sample {sample} has label {label}, expected a class index from 0 to {last}")]
    Label {
        /// 0-based sample index.
        sample: usize,
        /// The offending label.
        label: u32,
        /// The largest class index.
        last: usize,
    },
    /// A feature that is NaN or infinite.
    #[error("data: sample {sample}, feature {feature}: {value}, expected a finite number")]
    NonFiniteFeature {
        /// 0-based sample index.
        sample: usize,
        /// 0-based feature index.
        feature: usize,
        /// The offending value.
        value: f64,
    },
    /// The run was cancelled before it finished.
    #[error("cancelled")]
    Cancelled,
    /// A worker thread could not be started.
    #[error("could not start a simulator thread: {0}")]
    Thread(String),
}
