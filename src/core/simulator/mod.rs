//! The training simulator: synthetic 2-D data in the preset's proportions, two small models
//! trained for real under the preset's loss (softmax regression to its optimum, a tanh MLP with
//! Adam), and the debris-weight sweep that retrains at every weight beside the preview (the model
//! trained at the preset's weights, shifted by `ln(w / w_preset)`).
//!
//! Everything here is a pure function of its arguments and seeds: the random numbers come from
//! the in-repo [`SplitMix64`](crate::core::rng::SplitMix64), each model trains on one
//! thread in a fixed order, and the sweep's results land in slots fixed by (seed, grid point),
//! so the same arguments give the same bits with any number of workers.

mod cross_entropy;
pub mod data;
mod data_csv;
pub mod error;
pub mod gap;
mod kernel;
mod lbfgs;
mod linalg;
pub mod mlp;
pub mod model;
mod newton;
mod objective;
pub mod simulate;
pub mod softmax_fit;

pub use data::{DataSpec, Dataset, SyntheticData, synthesize};
pub use error::SimulatorError;
pub use gap::{ErrorKind, Gap, gap_sentence};
pub use mlp::{MlpFit, MlpModel, MlpOptions, train_mlp, train_mlp_cancellable};
pub use model::{Bounds, Model, decision_regions, decision_regions_with};
pub use simulate::{Curves, ModelKind, Simulation, SimulationOptions, simulate};
pub use softmax_fit::{
    SoftmaxFit, SoftmaxModel, SoftmaxOptions, SoftmaxProblem, Solver, train_softmax,
};
