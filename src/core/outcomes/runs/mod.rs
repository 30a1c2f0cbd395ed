//! Runs: the user's real retrains, each its validation outputs and the class weights it was
//! trained with, and what they say between them.
//!
//! Every run is exact at its own weights; a preview from it (the shift `ln(w / w_run)`) drifts
//! as `w` moves away (the research notes measured 44 % off at 8x). [`RunSet`] keeps, per run,
//! the exact debris sweep of its preview, and [`RunSet::estimate`] blends the previews of the
//! runs on either side of a weight by their distance in `ln w` (see [`estimate`]). The runs'
//! own disagreement gives the band, [`preview_error`] measures on the runs themselves how far
//! a preview can be trusted, and [`next`] says where a retrain would tell the most.
//!
//! - [`file`]: the run files (class weights, seed, epoch beside the outputs; folders; the
//!   sidecar of a `.csv` or `.npy` run).
//! - [`set`]: the runs read into one set: replicates, the shared validation set, the sweeps.

pub mod estimate;
pub mod file;
pub mod next;
pub mod preview_error;
pub mod set;
pub mod view;

pub use estimate::{Counts, Drift, EstimateCurve, PointEstimate};
pub use file::{RunError, RunInfo, list_runs, read_run, read_run_info};
pub use next::Next;
pub use preview_error::PreviewError;
pub use set::{Group, PreparedRun, RunSet, RunSetBuilder, RunSummary, check_labels};
pub use view::{RunsView, SingleRun};

use serde::Serialize;

/// The `weightbench runs --format json` contract (DESIGN.md, "Runs").
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunsReport {
    /// Every run at its own weights, in the order read.
    pub runs: Vec<RunSummary>,
    /// The debris weights estimated (the grid, or `--at`).
    pub debris_weight: Vec<f64>,
    /// The estimate and its band at each of them.
    pub estimate: EstimateCurve,
    /// How far previews missed on the runs themselves.
    pub preview_error: PreviewError,
    /// Where to retrain next.
    pub next: Next,
}

impl RunsReport {
    /// The report of `set` along `debris_weights`, `next` scored for `objective` (`min-cost`
    /// reads `costs`).
    #[must_use]
    pub fn of(
        set: &RunSet,
        debris_weights: &[f64],
        objective: super::Objective,
        costs: Option<&super::costs::CostMatrix>,
    ) -> Self {
        let estimate = set.estimate(debris_weights);
        let preview_error = PreviewError::of(set);
        let next = Next::of(set, &estimate, objective, set.held()[set.debris()], costs);
        Self {
            runs: set.runs().to_vec(),
            debris_weight: debris_weights.to_vec(),
            estimate,
            preview_error,
            next,
        }
    }
}

impl RunSet {
    /// The estimate at debris weight `debris_weight`, every other weight held at the set's;
    /// beyond the runs the band widens by the drift the runs showed
    /// ([`preview_error::drift`]). `None` for a set without runs.
    #[must_use]
    pub fn estimate_at(&self, debris_weight: f64) -> Option<PointEstimate> {
        self.estimate_at_with(debris_weight, preview_error::drift(self))
    }

    /// [`Self::estimate_at`] along `debris_weights`.
    #[must_use]
    pub fn estimate(&self, debris_weights: &[f64]) -> EstimateCurve {
        self.estimate_with(debris_weights, preview_error::drift(self))
    }
}
