//! The Outcomes view's choices, saved between launches; kept apart from the panels so that the
//! command carrying them ([`crate::command::Command::SetOutcomeSettings`]) names no panel.

use serde::{Deserialize, Serialize};

use crate::core::outcomes::compared::MatrixShown;
use crate::core::outcomes::costs::Decision;
use crate::core::outcomes::tune::Objective;

/// The view's choices; saved between launches.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Add `ln(pi_deploy / pi_train)` to the shift (needs a deployment prior).
    pub prior_correction: bool,
    /// Divide the scores by a fitted temperature.
    pub fit_temperature: bool,
    /// Which confusion matrix the heatmap shows.
    pub matrix: MatrixShown,
    /// What suggested weights maximise.
    pub objective: Objective,
    /// With `fewest-debris-fp`, the recall each rare class keeps; `None`: its recall at the
    /// trained-with weights.
    pub min_recall: Option<f64>,
    /// Which rule decides the confusion, the per-class table and the counts: the weights'
    /// argmax, or the least expected cost (with the preset's costs).
    pub decision: Decision,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            prior_correction: false,
            fit_temperature: false,
            matrix: MatrixShown::Current,
            objective: Objective::FewestDebrisFp,
            min_recall: None,
            decision: Decision::Weights,
        }
    }
}
