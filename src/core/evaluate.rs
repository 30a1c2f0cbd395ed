//! Evaluates every scenario of a preset under its weights.

use crate::core::loss::{BatchLoss, SampleLoss, weighted_cross_entropy};
use crate::core::model::Preset;
use crate::core::validate::ValidationError;

/// Every scenario's loss and the batch reductions, for one preset.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// One result per scenario, in scenario order.
    pub scenarios: Vec<SampleLoss>,
    /// All scenarios reduced as one batch.
    pub batch: BatchLoss,
}

impl Evaluation {
    /// Validates `preset` and evaluates each scenario.
    ///
    /// # Errors
    /// The preset's first invalid field.
    pub fn of(preset: &Preset) -> Result<Self, ValidationError> {
        preset.validate()?;
        let weights = preset.weights();
        let scenarios: Vec<SampleLoss> = preset
            .scenarios
            .iter()
            .filter_map(|s| weighted_cross_entropy(&s.logits, s.truth, &weights))
            .collect();
        let batch = BatchLoss::of_samples(&scenarios);
        Ok(Self { scenarios, batch })
    }
}
