//! Evaluates every scenario of a preset under its weights.

use crate::core::loss::{BatchLoss, SampleLoss, sample_loss};
use crate::core::preset::Preset;
use crate::core::preset::loss_options::LossOptions;
use crate::core::preset::validate::ValidationError;

/// Every scenario's loss and the batch reductions, for one preset.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// One result per scenario, in scenario order.
    pub scenarios: Vec<SampleLoss>,
    /// All scenarios reduced as one batch.
    pub batch: BatchLoss,
}

impl Evaluation {
    /// Validates `preset` and evaluates each scenario; every scenario has its result, or none does.
    ///
    /// # Errors
    /// The preset's first invalid field.
    pub fn of(preset: &Preset) -> Result<Self, ValidationError> {
        Self::with_options(preset, &preset.loss)
    }

    /// Evaluates `preset` under other loss options than its own (for comparisons).
    ///
    /// # Errors
    /// The preset's first invalid field, or unusable `options`.
    pub fn with_options(preset: &Preset, options: &LossOptions) -> Result<Self, ValidationError> {
        preset.validate()?;
        let counts = preset.counts();
        options.validate(&counts).map_err(ValidationError::Loss)?;
        let weights = preset.weights();
        let scenarios = preset
            .scenarios
            .iter()
            .enumerate()
            .map(|(index, s)| {
                let shifts = preset.logit_shifts_with(options, s.truth);
                sample_loss(&s.logits, s.truth, &weights, &shifts, options).ok_or_else(|| {
                    ValidationError::ShiftedLogitNotFinite {
                        index,
                        name: s.name.clone(),
                    }
                })
            })
            .collect::<Result<Vec<SampleLoss>, _>>()?;
        let batch = BatchLoss::of_samples(&scenarios);
        Ok(Self { scenarios, batch })
    }
}
