//! Why the simulator cannot run, and the limits its messages state.

use crate::core::preset::range::SweepRangeError;
use crate::core::preset::validate::ValidationError;

/// The most samples a synthetic data set may have (a sweep holds a training and a test set per
/// seed in memory: 1M points of 2-D f64 are 20 MB each).
pub const MAX_SAMPLES: usize = 1_000_000;

/// Why the simulator cannot run; each message names the option or the sample at fault.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SimulatorError {
    /// The preset itself is invalid.
    #[error("preset: {0}")]
    Preset(#[from] ValidationError),
    /// Too few or too many samples asked for.
    #[error("samples: {0}, expected 1 to {max}", max = MAX_SAMPLES)]
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
