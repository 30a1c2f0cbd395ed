//! Losses as the debris class's weight runs over a grid, every other weight held.

use serde::{Deserialize, Serialize};

use crate::core::evaluate::Evaluation;
use crate::core::loss::{BatchLoss, sample_loss};
use crate::core::loss_options::LossOptions;
use crate::core::model::Preset;
use crate::core::validate::ValidationError;

/// The most grid points a sweep may have; enough for any plot, small enough to never exhaust memory.
pub const MAX_SWEEP_STEPS: usize = 100_000;

/// An evenly spaced grid of debris weights, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepRange {
    /// First debris weight (>= 0).
    pub from: f64,
    /// Last debris weight (> `from`).
    pub to: f64,
    /// Number of grid points (2 to [`MAX_SWEEP_STEPS`]).
    pub steps: usize,
}

impl Default for SweepRange {
    fn default() -> Self {
        Self {
            from: 0.0,
            to: 2.0,
            steps: 201,
        }
    }
}

/// Why a sweep range is unusable; displays as `field: problem, expected ...`.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SweepRangeError {
    /// `from` is negative, NaN or infinite.
    #[error("from: {0} is not a weight, expected a finite number >= 0")]
    BadFrom(f64),
    /// `to` is NaN or infinite, or not above `from`.
    #[error("to: {to} is not above from ({from}), expected a finite number > {from}")]
    BadTo {
        /// The start of the range.
        from: f64,
        /// The offending end.
        to: f64,
    },
    /// Too few or too many grid points.
    #[error("steps: {0}, expected 2 to {MAX_SWEEP_STEPS}")]
    BadSteps(usize),
}

impl SweepRange {
    /// Checks the range; the error names the field (`from`, `to` or `steps`).
    ///
    /// # Errors
    /// The first field that is out of range.
    pub fn validate(&self) -> Result<(), SweepRangeError> {
        if !(self.from.is_finite() && self.from >= 0.0) {
            return Err(SweepRangeError::BadFrom(self.from));
        }
        if !(self.to.is_finite() && self.to > self.from) {
            return Err(SweepRangeError::BadTo {
                from: self.from,
                to: self.to,
            });
        }
        if !(2..=MAX_SWEEP_STEPS).contains(&self.steps) {
            return Err(SweepRangeError::BadSteps(self.steps));
        }
        Ok(())
    }

    /// The grid points `from + (to - from) * i / (steps - 1)`; the last one is exactly `to`.
    ///
    /// Multiplying before dividing makes every point of a grid starting at 0 the double
    /// nearest its decimal value (0.8 on the default grid is exactly the literal `0.8`).
    ///
    /// ```
    /// use weightbench::core::SweepRange;
    ///
    /// let grid = SweepRange::default().grid();
    /// assert_eq!((grid.len(), grid[0], grid[200]), (201, 0.0, 2.0));
    /// assert_eq!((grid[40], grid[80], grid[100]), (0.4, 0.8, 1.0));
    /// ```
    #[must_use]
    pub fn grid(&self) -> Vec<f64> {
        let intervals = self.steps.saturating_sub(1).max(1) as f64;
        let span = self.to - self.from;
        (0..self.steps)
            .map(|i| {
                if i + 1 == self.steps {
                    self.to
                } else {
                    self.from + span * i as f64 / intervals
                }
            })
            .collect()
    }
}

/// One scenario's loss along the grid.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioCurve {
    /// The scenario name.
    pub name: String,
    /// Weighted loss at each grid point.
    pub loss: Vec<f64>,
}

/// Every scenario's loss and the batch mean at each debris weight of a grid.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sweep {
    /// The grid of debris weights.
    pub debris_weight: Vec<f64>,
    /// One curve per scenario, in scenario order.
    pub scenarios: Vec<ScenarioCurve>,
    /// PyTorch's weighted mean at each grid point; `None` where its denominator is 0.
    pub batch_mean: Vec<Option<f64>>,
}

impl Sweep {
    /// Sweeps the debris weight of `preset` over `range`.
    ///
    /// The loss is linear in the weights (see [`crate::core::SampleLoss`]), so each scenario is
    /// evaluated once and its loss at debris weight `v` follows from its coefficients.
    ///
    /// # Errors
    /// The preset's or the range's first invalid field.
    pub fn run(preset: &Preset, range: &SweepRange) -> Result<Self, ValidationError> {
        range.validate().map_err(ValidationError::Sweep)?;
        let evaluation = Evaluation::of(preset)?;
        Ok(Self::from_evaluation(preset, &evaluation, range))
    }

    /// Sweeps from an evaluation of `preset` that is already at hand (the range must be valid).
    #[must_use]
    pub fn from_evaluation(preset: &Preset, evaluation: &Evaluation, range: &SweepRange) -> Self {
        let debris_weight = range.grid();
        let weights = preset.weights();
        let debris = preset.debris;
        let scenarios: Vec<ScenarioCurve> = preset
            .scenarios
            .iter()
            .zip(&evaluation.scenarios)
            .map(|(scenario, sample)| ScenarioCurve {
                name: scenario.name.clone(),
                loss: debris_weight
                    .iter()
                    .map(|&v| sample.loss_with_weight(&weights, debris, v))
                    .collect(),
            })
            .collect();
        // The batch at each grid point, from the curves just computed.
        let batch_mean = debris_weight
            .iter()
            .enumerate()
            .map(|(point, &v)| {
                BatchLoss::reduce(
                    preset
                        .scenarios
                        .iter()
                        .zip(&evaluation.scenarios)
                        .zip(&scenarios)
                        .map(|((scenario, sample), curve)| {
                            let truth_weight = if scenario.truth == debris {
                                v
                            } else {
                                sample.truth_weight
                            };
                            (curve.loss[point], truth_weight)
                        }),
                )
                .mean
            })
            .collect();
        Self {
            debris_weight,
            scenarios,
            batch_mean,
        }
    }
}

/// One scenario's loss along the grid under one set of loss options.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparedCurve {
    /// What the options are, for a legend ("focal, gamma = 2").
    pub label: String,
    /// Weighted loss at each grid point.
    pub loss: Vec<f64>,
}

/// One scenario's loss against the debris weight under plain cross-entropy, and with the
/// preset's label smoothing, focal gamma and logit adjustment each on its own, in that order.
///
/// Options that cannot be used (logit adjustment with a count of 0) are left out; an index
/// that names no scenario, or an invalid preset, gives no curves.
#[must_use]
pub fn compare_loss_forms(
    preset: &Preset,
    scenario: usize,
    range: &SweepRange,
) -> Vec<ComparedCurve> {
    let current = preset.loss;
    let variants = [
        ("cross-entropy".to_owned(), LossOptions::default()),
        (
            format!("label smoothing {}", current.label_smoothing),
            LossOptions {
                label_smoothing: current.label_smoothing,
                ..LossOptions::default()
            },
        ),
        (
            format!("focal, gamma {}", current.focal_gamma),
            LossOptions {
                focal_gamma: current.focal_gamma,
                ..LossOptions::default()
            },
        ),
        (
            format!("logit adjusted, tau {}", current.logit_adjustment),
            LossOptions {
                logit_adjustment: current.logit_adjustment,
                ..LossOptions::default()
            },
        ),
    ];
    let (Some(case), Ok(())) = (preset.scenarios.get(scenario), preset.validate()) else {
        return Vec::new();
    };
    let counts = preset.counts();
    let weights = preset.weights();
    let grid = range.grid();
    variants
        .into_iter()
        .filter(|(_, options)| options.validate(&counts).is_ok())
        .filter_map(|(label, options)| {
            let shifts = options.logit_shifts(&counts);
            let sample = sample_loss(&case.logits, case.truth, &weights, &shifts, &options)?;
            let loss = grid
                .iter()
                .map(|&v| sample.loss_with_weight(&weights, preset.debris, v))
                .collect();
            Some(ComparedCurve { label, loss })
        })
        .collect()
}
