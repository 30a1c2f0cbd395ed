//! The misclassification penalty matrix: what a sample of true class t costs when the model
//! puts probability q on class k, for every pair (t, k), under the preset's loss.

use serde::Serialize;

use crate::core::cases::evaluate::Evaluation;
use crate::core::loss::{SampleLoss, sample_loss};
use crate::core::preset::validate::ValidationError;
use crate::core::preset::{Preset, Scenario};

/// Losses for every (truth, prediction) pair at one confidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PenaltyMatrix {
    /// The probability the model puts on the predicted class.
    pub confidence: f64,
    /// Class names, rows and columns in this order.
    pub classes: Vec<String>,
    /// `matrix[t][k]`: the loss of a class-t sample with probability q on class k.
    pub matrix: Vec<Vec<f64>>,
    /// `count_weighted[t][k] = n_t matrix[t][k]`: which confusions dominate the total.
    pub count_weighted: Vec<Vec<f64>>,
}

/// Why a penalty matrix cannot be computed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PenaltyError {
    /// The confidence is not strictly between 0 and 1.
    #[error("confidence: {0}, expected a probability strictly between 0 and 1")]
    Confidence(f64),
    /// The preset is invalid.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
}

/// The probabilities of a prediction with `confidence` on `predicted`, the rest spread evenly.
#[must_use]
pub fn confident_prediction(classes: usize, predicted: usize, confidence: f64) -> Vec<f64> {
    let rest = (1.0 - confidence) / (classes.saturating_sub(1).max(1)) as f64;
    (0..classes)
        .map(|c| if c == predicted { confidence } else { rest })
        .collect()
}

/// The logits of that prediction: `ln` of its probabilities.
#[must_use]
pub fn confident_logits(classes: usize, predicted: usize, confidence: f64) -> Vec<f64> {
    confident_prediction(classes, predicted, confidence)
        .iter()
        .map(|p| p.ln())
        .collect()
}

/// The loss of a class-`truth` sample on which the model puts `confidence` on `predicted`,
/// under the preset's weights, loss options and margins.
#[must_use]
pub fn confusion_loss(
    preset: &Preset,
    truth: usize,
    predicted: usize,
    confidence: f64,
) -> Option<SampleLoss> {
    let logits = confident_logits(preset.classes.len(), predicted, confidence);
    sample_loss(
        &logits,
        truth,
        &preset.weights(),
        &preset.logit_shifts_for(truth),
        &preset.loss,
    )
}

/// The scenario a penalty-matrix cell stands for.
#[derive(Clone, Debug, PartialEq)]
pub enum CellScenario {
    /// A scenario of the preset already is that case: its index.
    Existing(usize),
    /// None is; this one would be.
    New(Scenario),
}

/// The scenario of cell (`truth`, `predicted`) at `confidence`: the first scenario with that
/// truth whose probabilities are the cell's prediction (to 1e-9), else a new one named after
/// the confusion ("class4 (debris) called class2 at 90 %").
///
/// `evaluation` is the preset's, one result per scenario.
#[must_use]
pub fn cell_scenario(
    preset: &Preset,
    evaluation: &Evaluation,
    truth: usize,
    predicted: usize,
    confidence: f64,
) -> CellScenario {
    let classes = preset.classes.len();
    let probabilities = confident_prediction(classes, predicted, confidence);
    let existing =
        preset
            .scenarios
            .iter()
            .zip(&evaluation.scenarios)
            .position(|(scenario, sample)| {
                scenario.truth == truth
                    && sample.probabilities.len() == classes
                    && sample
                        .probabilities
                        .iter()
                        .zip(&probabilities)
                        .all(|(a, b)| (a - b).abs() < 1e-9)
            });
    if let Some(index) = existing {
        return CellScenario::Existing(index);
    }
    let name = |c: usize| {
        preset
            .classes
            .get(c)
            .map_or("?", |class| class.name.as_str())
    };
    CellScenario::New(Scenario {
        name: format!(
            "{} called {} at {:.0} %",
            name(truth),
            name(predicted),
            confidence * 100.0
        ),
        truth,
        logits: confident_logits(classes, predicted, confidence),
    })
}

impl PenaltyMatrix {
    /// The matrix for `preset` at `confidence`; logits are `ln` of the prediction's probabilities.
    ///
    /// # Errors
    /// A confidence outside (0, 1), or an invalid preset.
    pub fn of(preset: &Preset, confidence: f64) -> Result<Self, PenaltyError> {
        if !(confidence > 0.0 && confidence < 1.0) {
            return Err(PenaltyError::Confidence(confidence));
        }
        preset.validate()?;
        let classes = preset.classes.len();
        let matrix: Vec<Vec<f64>> = (0..classes)
            .map(|truth| {
                (0..classes)
                    .map(|predicted| {
                        confusion_loss(preset, truth, predicted, confidence)
                            .map_or(f64::NAN, |s| s.loss)
                    })
                    .collect()
            })
            .collect();
        let count_weighted = matrix
            .iter()
            .zip(&preset.classes)
            .map(|(row, class)| row.iter().map(|loss| class.count as f64 * loss).collect())
            .collect();
        Ok(Self {
            confidence,
            classes: preset.classes.iter().map(|c| c.name.clone()).collect(),
            matrix,
            count_weighted,
        })
    }

    /// Whether every row is constant off the diagonal (to 1e-12): a debris sample then costs
    /// the same whichever class it is mistaken for, as with plain weighted cross-entropy,
    /// where a weight scales a whole row.
    #[must_use]
    pub fn rows_constant_off_diagonal(&self) -> bool {
        self.matrix.iter().enumerate().all(|(t, row)| {
            let mut off = row
                .iter()
                .enumerate()
                .filter(|&(k, _)| k != t)
                .map(|(_, &v)| v);
            let Some(first) = off.next() else { return true };
            off.all(|v| (v - first).abs() <= 1e-12 * first.abs().max(v.abs()))
        })
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "exact values are what these tests assert")]
mod tests {
    use super::*;

    #[test]
    fn a_cell_names_its_confusion_and_finds_it_once_added() {
        let mut preset = Preset::notebook().unwrap();
        let evaluation = Evaluation::of(&preset).unwrap();
        let CellScenario::New(scenario) = cell_scenario(&preset, &evaluation, 3, 1, 0.9) else {
            panic!("the notebook has no debris sample called class2 at 90 %");
        };
        assert_eq!(scenario.name, "class4 (debris) called class2 at 90 %");
        assert_eq!(scenario.truth, 3);
        let p = crate::core::loss::softmax::softmax(&scenario.logits);
        assert!((p[1] - 0.9).abs() < 1e-15, "{p:?}");
        assert!((p[0] - 0.1 / 3.0).abs() < 1e-15, "{p:?}");
        preset.scenarios.push(scenario);
        let evaluation = Evaluation::of(&preset).unwrap();
        assert_eq!(
            cell_scenario(&preset, &evaluation, 3, 1, 0.9),
            CellScenario::Existing(11)
        );
        // Another truth with the same prediction is another case.
        assert!(matches!(
            cell_scenario(&preset, &evaluation, 0, 1, 0.9),
            CellScenario::New(_)
        ));
    }

    #[test]
    fn a_notebook_case_is_its_cell_at_its_own_confidence() {
        // Case 11: debris called class1 with logits [10, 0.1, 0.1, 0.1], p(class1) = 0.99984950.
        let preset = Preset::notebook().unwrap();
        let evaluation = Evaluation::of(&preset).unwrap();
        let q = evaluation.scenarios[10].probabilities[0];
        assert_eq!(
            cell_scenario(&preset, &evaluation, 3, 0, q),
            CellScenario::Existing(10)
        );
    }
}
