//! What the window shows of a set of runs, computed at once from the set: the estimate along
//! the trade plot's grid, the estimate at the current debris weight, the preview errors, where
//! to retrain next, and the single-run preview of the run nearest the current weights.

use super::estimate::{EstimateCurve, PointEstimate};
use super::next::Next;
use super::preview_error::{PreviewError, drift};
use super::set::RunSet;
use crate::core::outcomes::Objective;
use crate::core::outcomes::costs::CostMatrix;
use crate::core::outcomes::metrics::Metrics;

/// The runs as the window shows them.
#[derive(Clone, Debug, PartialEq)]
pub struct RunsView {
    /// The estimate along the grid.
    pub estimate: EstimateCurve,
    /// The estimate at the current debris weight.
    pub current: Option<PointEstimate>,
    /// The current debris weight.
    pub debris_weight: f64,
    /// How far previews missed on the runs.
    pub preview_error: PreviewError,
    /// Where to retrain next.
    pub next: Next,
    /// The run nearest the current weights (in `ln w`), and its single-run preview along the
    /// grid: per grid point, per class, false positives from debris and false negatives to
    /// debris.
    pub preview: Option<SingleRun>,
}

/// One run's preview along the grid.
#[derive(Clone, Debug, PartialEq)]
pub struct SingleRun {
    /// The run ([`RunSet::runs`] index).
    pub run: usize,
    /// Per grid point, per class.
    pub false_positives_from_debris: Vec<Vec<u64>>,
    /// Per grid point, per class.
    pub false_negatives_to_debris: Vec<Vec<u64>>,
}

impl RunsView {
    /// The view of `set` along `grid`, at debris weight `debris_weight`, `next` scored for
    /// `objective` (`min-cost` reads `costs`).
    #[must_use]
    pub fn of(
        set: &RunSet,
        grid: &[f64],
        debris_weight: f64,
        objective: Objective,
        costs: Option<&CostMatrix>,
    ) -> Self {
        let drift = drift(set);
        let estimate = set.estimate_with(grid, drift);
        let current = set.estimate_at_with(debris_weight, drift);
        let preview_error = PreviewError::of(set);
        let next = Next::of(set, &estimate, objective, debris_weight, costs);
        let preview = current.as_ref().map(|point| {
            let group = &set.groups()[point.groups.0];
            let run = group.members.first().copied().unwrap_or_default();
            let mut single = SingleRun {
                run,
                false_positives_from_debris: Vec::with_capacity(grid.len()),
                false_negatives_to_debris: Vec::with_capacity(grid.len()),
            };
            for &w in grid {
                let metrics = Metrics::of(set.preview_at(run, w), set.debris(), None);
                single
                    .false_positives_from_debris
                    .push(metrics.false_positives_from_debris);
                single
                    .false_negatives_to_debris
                    .push(metrics.false_negatives_to_debris);
            }
            single
        });
        Self {
            estimate,
            current,
            debris_weight,
            preview_error,
            next,
            preview,
        }
    }
}
