//! The decision rule of the outcomes: `pred = argmax_c (z_c / T + shift_c)`, where the shift
//! `ln(w_c / w_old_c)` moves a model trained with the weights `w_old` to the weights `w`.
//!
//! Edge cases, defined once here and followed by every computation of this module:
//! - ties go to the lowest class index (as NumPy's and PyTorch's `argmax`);
//! - a weight of 0 gives the shift `-inf`: that class is never predicted;
//! - a row whose every value is `-inf` (every class weighted 0, or every class with a
//!   deployment share of 0) is called the rule's `fallback` class, which the outcomes set to
//!   debris: with no class worth calling, a sample stays background.

use crate::core::outcomes::data::{Scores, ValidationData};
use crate::core::outcomes::metrics::{Confusion, Metrics};

/// What turns class weights into decision shifts: the weights the model was trained with, and
/// the prior correction.
#[derive(Clone, Debug, PartialEq)]
pub struct ShiftBasis {
    /// The class weights the model was trained with, each > 0.
    pub trained_with: Vec<f64>,
    /// `ln(pi_deploy_c / pi_train_c)` with the prior correction on; all 0 without it.
    pub prior_shift: Vec<f64>,
}

impl ShiftBasis {
    /// The basis of a model trained with `trained_with`, without prior correction.
    #[must_use]
    pub fn new(trained_with: Vec<f64>) -> Self {
        let prior_shift = vec![0.0; trained_with.len()];
        Self {
            trained_with,
            prior_shift,
        }
    }

    /// The same basis with the prior correction `ln(pi_deploy_c / pi_train_c)` added.
    #[must_use]
    pub fn with_prior_correction(mut self, deploy_prior: &[f64], counts: &[u64]) -> Self {
        self.prior_shift = prior_shift(deploy_prior, counts);
        self
    }

    /// The shift of class `class` at weight `weight`: `ln(weight / trained_with) + prior shift`;
    /// `-inf` for a weight of 0 (and for a class this basis does not know).
    #[must_use]
    pub fn shift(&self, class: usize, weight: f64) -> f64 {
        let (Some(&old), Some(&prior)) =
            (self.trained_with.get(class), self.prior_shift.get(class))
        else {
            return f64::NEG_INFINITY;
        };
        (weight / old).ln() + prior
    }

    /// [`Self::shift`] of every class.
    #[must_use]
    pub fn shifts(&self, weights: &[f64]) -> Vec<f64> {
        weights
            .iter()
            .enumerate()
            .map(|(class, &weight)| self.shift(class, weight))
            .collect()
    }
}

/// `ln(pi_deploy_c / pi_train_c)` per class, with `pi_train_c = n_c / sum n`.
///
/// A deployment share of 0 gives `-inf` (never predicted); a count of 0 gives `+inf` or NaN,
/// which is why the outcomes refuse the prior correction when a count is 0.
#[must_use]
pub fn prior_shift(deploy_prior: &[f64], counts: &[u64]) -> Vec<f64> {
    let total: f64 = counts.iter().map(|&n| n as f64).sum();
    deploy_prior
        .iter()
        .zip(counts)
        .map(|(&deployed, &n)| (deployed / (n as f64 / total)).ln())
        .collect()
}

/// `pred = argmax_c (z_c / T + shift_c)`, ties to the lowest index, `fallback` when every value
/// is `-inf`.
#[derive(Clone, Debug, PartialEq)]
pub struct DecisionRule {
    /// The shift added to each class's scaled score (`-inf`: never predicted).
    pub shift: Vec<f64>,
    /// The temperature T dividing the scores (1 unless fitted or given).
    pub temperature: f64,
    /// The class called when every class's value is `-inf`.
    pub fallback: usize,
}

impl DecisionRule {
    /// The rule at class weights `weights` on `basis`, at temperature `temperature`.
    #[must_use]
    pub fn new(basis: &ShiftBasis, weights: &[f64], temperature: f64, fallback: usize) -> Self {
        Self {
            shift: basis.shifts(weights),
            temperature,
            fallback,
        }
    }

    /// The value class `class` competes with: `z / T + shift`. Every computation of this
    /// module uses this one expression, so thresholds agree with predictions to the bit.
    #[must_use]
    pub fn value(&self, class: usize, score: f64) -> f64 {
        let shift = self.shift.get(class).copied().unwrap_or(f64::NEG_INFINITY);
        score / self.temperature + shift
    }

    /// `values[c] = z_c / T + shift_c` for one row of scores.
    pub fn values_into(&self, scores: &[f64], values: &mut [f64]) {
        for (class, (value, &score)) in values.iter_mut().zip(scores).enumerate() {
            *value = self.value(class, score);
        }
    }

    /// The class predicted for one row of scores.
    #[must_use]
    pub fn decide(&self, scores: &[f64]) -> usize {
        argmax_or(
            scores
                .iter()
                .enumerate()
                .map(|(class, &score)| self.value(class, score)),
            self.fallback,
        )
    }
}

/// The index of the first largest value; `fallback` when none is above `-inf` (NaN never wins).
#[must_use]
pub fn argmax_or(values: impl IntoIterator<Item = f64>, fallback: usize) -> usize {
    let mut best = fallback;
    let mut best_value = f64::NEG_INFINITY;
    for (class, value) in values.into_iter().enumerate() {
        if value > best_value {
            best = class;
            best_value = value;
        }
    }
    best
}

/// Each sample's predicted class under `rule`, in one pass over the scores.
///
/// ```
/// use weightbench::core::outcomes::decision::{DecisionRule, predict};
/// use weightbench::core::outcomes::{ScoreKind, Scores, ValidationData};
///
/// let data = ValidationData {
///     source: "example".to_owned(),
///     classes: 3,
///     kind: ScoreKind::Logits,
///     scores: Scores::F32(vec![1.0, 1.0, 0.0, 0.0, 2.0, 5.0]),
///     labels: vec![0, 2],
/// };
/// // A tie goes to the lowest index; a shift of -inf (weight 0) is never predicted.
/// let rule = DecisionRule { shift: vec![0.0, 0.0, f64::NEG_INFINITY], temperature: 1.0, fallback: 2 };
/// assert_eq!(predict(&data, &rule), [0, 1]);
/// ```
#[must_use]
pub fn predict(data: &ValidationData, rule: &DecisionRule) -> Vec<u32> {
    let mut predictions = Vec::with_capacity(data.samples());
    for_each_prediction(data, rule, |_, predicted| predictions.push(predicted));
    predictions
}

/// Calls `visit(sample, predicted)` for every sample, in order, without storing predictions.
pub fn for_each_prediction(
    data: &ValidationData,
    rule: &DecisionRule,
    visit: impl FnMut(usize, u32),
) {
    match &data.scores {
        Scores::F32(values) => decide_rows(values, data, rule, visit),
        Scores::F64(values) => decide_rows(values, data, rule, visit),
    }
}

/// The hot loop, once per score precision; with T = 1 it skips the division (`z / 1 == z`
/// exactly, so both paths give the same bits).
fn decide_rows<S: Copy + Into<f64>>(
    values: &[S],
    data: &ValidationData,
    rule: &DecisionRule,
    mut visit: impl FnMut(usize, u32),
) {
    let classes = data.classes;
    if classes == 0 || rule.shift.len() != classes {
        return;
    }
    let fallback = u32::try_from(rule.fallback).unwrap_or(0);
    let temperature = rule.temperature;
    #[allow(
        clippy::float_cmp,
        reason = "exactly 1, where dividing changes nothing"
    )]
    let unscaled = temperature == 1.0;
    for (sample, row) in values
        .chunks_exact(classes)
        .take(data.samples())
        .enumerate()
    {
        let mut best = fallback;
        let mut best_value = f64::NEG_INFINITY;
        for (class, (&score, &shift)) in (0u32..).zip(row.iter().zip(&rule.shift)) {
            let score: f64 = score.into();
            let value = if unscaled {
                score + shift
            } else {
                score / temperature + shift
            };
            if value > best_value {
                best = class;
                best_value = value;
            }
        }
        visit(sample, best);
    }
}

/// The metrics of `rule`'s predictions on `data` (one pass, no predictions stored).
#[must_use]
pub fn metrics_of(
    data: &ValidationData,
    rule: &DecisionRule,
    debris: usize,
    deploy_prior: Option<&[f64]>,
) -> Metrics {
    let mut confusion = Confusion::new(data.classes);
    for_each_prediction(data, rule, |sample, predicted| {
        confusion.add(data.labels[sample] as usize, predicted as usize, 1);
    });
    Metrics::of(confusion, debris, deploy_prior)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::outcomes::data::ScoreKind;

    fn data(scores: Vec<f64>, classes: usize) -> ValidationData {
        let samples = scores.len() / classes;
        ValidationData {
            source: "test".to_owned(),
            classes,
            kind: ScoreKind::Logits,
            scores: Scores::F64(scores),
            labels: vec![0; samples],
        }
    }

    #[test]
    fn ties_go_to_the_lowest_index_and_weight_zero_is_never_predicted() {
        let basis = ShiftBasis::new(vec![1.0, 1.0, 1.0]);
        let rule = DecisionRule::new(&basis, &[1.0, 1.0, 0.0], 1.0, 1);
        let data = data(vec![2.0, 2.0, 2.0, 0.0, 3.0, 3.0, 0.0, 0.0, 1e6], 3);
        assert_eq!(predict(&data, &rule), [0, 1, 0]);
    }

    #[test]
    fn every_weight_zero_calls_the_fallback() {
        let basis = ShiftBasis::new(vec![1.0, 2.0]);
        let rule = DecisionRule::new(&basis, &[0.0, 0.0], 1.0, 1);
        assert_eq!(predict(&data(vec![5.0, -5.0], 2), &rule), [1]);
        assert_eq!(rule.decide(&[5.0, -5.0]), 1);
    }

    #[test]
    fn the_shift_is_the_log_ratio_plus_the_prior_correction() {
        let basis = ShiftBasis::new(vec![2.0, 1.0]).with_prior_correction(&[0.5, 0.5], &[10, 30]);
        let shift = basis.shifts(&[1.0, 1.0]);
        assert!((shift[0] - (0.5f64.ln() + 2.0f64.ln())).abs() < 1e-15);
        assert!((shift[1] - (0.5 / 0.75f64).ln()).abs() < 1e-15);
    }

    #[test]
    fn the_fast_path_and_decide_agree_at_any_temperature() {
        let scores = vec![0.3, -1.2, 0.7, 2.5, 2.4, -0.1, 0.0, 0.1, 0.05];
        let data = data(scores.clone(), 3);
        for temperature in [1.0, 0.37, 2.9] {
            let rule = DecisionRule {
                shift: vec![0.2, 0.0, -0.3],
                temperature,
                fallback: 0,
            };
            let expected: Vec<u32> = scores
                .chunks(3)
                .map(|row| u32::try_from(rule.decide(row)).unwrap())
                .collect();
            assert_eq!(predict(&data, &rule), expected);
        }
    }
}
