//! What the window's Outcomes view shows, split by cost so that a drag stays instant on
//! millions of samples.
//!
//! - [`Prepared`] (slow: a temperature fit, the baseline's metrics, every sample's debris
//!   threshold sorted, the loss coefficients): computed on a background task whenever
//!   [`PreparationInputs`] change, and not while a weight is being dragged.
//! - [`CurrentOutcomes`] (fast): the metrics at the current weights, from the prepared debris
//!   sweep in O(C^2 log N) when only the debris weight moved, else by one prediction pass.
//!
//! Both are pure functions of their inputs, so the app compares inputs to know what is stale.

use crate::core::loss::sample_loss;
use crate::core::outcomes::costs::{CostMatrix, Decision, Probabilities};
use crate::core::outcomes::data::ValidationData;
use crate::core::outcomes::debris_sweep::{DebrisCurve, DebrisSweep};
use crate::core::outcomes::decision::DecisionRule;
use crate::core::outcomes::metrics::Metrics;
use crate::core::outcomes::report::{LossSummary, metrics_of};
use crate::core::outcomes::setup::{OutcomeError, OutcomeOptions, OutcomeSetup};
use crate::core::preset::Preset;

/// What a [`Prepared`] depends on.
#[derive(Clone, Debug, PartialEq)]
pub struct PreparationInputs {
    /// Identifies the loaded data (a new load gets a new number).
    pub data: u64,
    /// Trained-with weights, deployment prior, prior correction and temperature.
    pub options: OutcomeOptions,
    /// What of the preset the preparation reads: classes (with every weight but debris's),
    /// the debris class, the loss options, margins and the validation block.
    pub preset: Preset,
    /// Whether the preset has costs: the preparation then keeps every sample's probabilities,
    /// so that a cost edit decides again without an `exp`.
    pub with_costs: bool,
}

impl PreparationInputs {
    /// The inputs for `preset` and `options` on data number `data`: the preset without its
    /// scenarios, name and debris weight, which the preparation does not read.
    #[must_use]
    pub fn new(data: u64, preset: &Preset, options: &OutcomeOptions) -> Self {
        let mut key = preset.without_scenarios();
        // Without a trained_with block the model was trained with the preset's weights, the
        // debris weight among them: that one then matters too.
        key.validation.trained_with = preset.trained_with();
        if let Some(debris) = key.classes.get_mut(key.debris) {
            debris.weight = 0.0;
        }
        // The costs themselves are read by the fast part ([`CostOutcomes`]).
        key.costs = Vec::new();
        let options = OutcomeOptions {
            decision: Decision::Weights,
            costs: None,
            ..options.clone()
        };
        Self {
            data,
            options,
            preset: key,
            with_costs: !preset.costs.is_empty(),
        }
    }
}

/// Per class, the loss summed over every sample per unit weight: the batch loss at any weights
/// is `sum_c w_c coefficient_c`, since every loss form is linear in the weights.
#[derive(Clone, Debug, PartialEq)]
pub struct LossCoefficients {
    /// `sum_i a_ic` for each class c.
    pub per_class: Vec<f64>,
    /// The number of samples labelled c (PyTorch's mean divides by `sum_c w_c n_c`).
    pub label_counts: Vec<u64>,
}

impl LossCoefficients {
    /// The coefficients of `data` under `preset`'s loss options and logit shifts.
    ///
    /// # Errors
    /// The first sample whose shifted scores overflow.
    pub fn of(data: &ValidationData, preset: &Preset) -> Result<Self, OutcomeError> {
        let classes = data.classes;
        let weights = preset.weights();
        let shifts: Vec<Vec<f64>> = (0..classes).map(|t| preset.logit_shifts_for(t)).collect();
        let mut per_class = vec![0.0; classes];
        let mut label_counts = vec![0; classes];
        let mut row = vec![0.0; classes];
        for (sample, &label) in data.labels.iter().enumerate() {
            data.row_into(sample, &mut row);
            let truth = label as usize;
            let loss = shifts
                .get(truth)
                .and_then(|shift| sample_loss(&row, truth, &weights, shift, &preset.loss))
                .ok_or_else(|| OutcomeError::LossNotFinite {
                    file: data.source.clone(),
                    sample,
                })?;
            for (sum, a) in per_class.iter_mut().zip(&loss.coefficients) {
                *sum += a;
            }
            label_counts[truth] += 1;
        }
        Ok(Self {
            per_class,
            label_counts,
        })
    }

    /// The batch loss at `weights`: the sum, PyTorch's mean and Keras' mean per sample.
    #[must_use]
    pub fn at(&self, weights: &[f64]) -> LossSummary {
        let sum: f64 = weights
            .iter()
            .zip(&self.per_class)
            .map(|(w, a)| w * a)
            .sum();
        let denominator: f64 = weights
            .iter()
            .zip(&self.label_counts)
            .map(|(w, &n)| w * n as f64)
            .sum();
        let samples: u64 = self.label_counts.iter().sum();
        LossSummary {
            sum,
            mean: (denominator > 0.0).then(|| sum / denominator),
            mean_per_sample: (samples > 0).then(|| sum / samples as f64),
        }
    }
}

/// The slow part of the Outcomes view.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// What this was computed from.
    pub inputs: PreparationInputs,
    /// The options checked, the shift basis and the temperature (fitted if asked).
    pub setup: OutcomeSetup,
    /// The metrics at the trained-with weights.
    pub baseline: Metrics,
    /// Every sample's debris threshold under the non-debris weights of `inputs`.
    pub sweep: DebrisSweep,
    /// FP from debris and FN to debris along the preset's sweep grid.
    pub curve: DebrisCurve,
    /// The loss per unit weight of each class.
    pub loss: LossCoefficients,
    /// With costs, every sample's probabilities under the cost rule's values.
    pub probabilities: Option<Probabilities>,
}

impl Prepared {
    /// Prepares the view of `data` (number `generation`) for `preset` under `options`.
    ///
    /// # Errors
    /// Data that does not fit the preset, or an option out of range.
    pub fn of(
        generation: u64,
        data: &ValidationData,
        preset: &Preset,
        options: &OutcomeOptions,
    ) -> Result<Self, OutcomeError> {
        let inputs = PreparationInputs::new(generation, preset, options);
        let setup = OutcomeSetup::new(data, preset, &inputs.options)?;
        let prior = setup.deploy_prior.as_deref();
        let baseline = metrics_of(data, &setup.baseline_rule(), setup.debris, prior);
        let sweep = DebrisSweep::new(data, &setup.current_rule(), setup.debris);
        let curve = sweep.curve(&setup.basis, &preset.sweep.grid());
        let loss = LossCoefficients::of(data, preset)?;
        let probabilities = inputs
            .with_costs
            .then(|| Probabilities::of(data, &setup.probability_rule()));
        Ok(Self {
            inputs,
            setup,
            baseline,
            sweep,
            curve,
            loss,
            probabilities,
        })
    }
}

/// The fast part: what the current weights do.
#[derive(Clone, Debug, PartialEq)]
pub struct CurrentOutcomes {
    /// `ln(w / w_old)` (+ the prior correction) per class; `-inf` for a weight of 0.
    pub shift: Vec<f64>,
    /// The metrics at the current weights.
    pub current: Metrics,
    /// The batch loss at the current weights.
    pub loss: LossSummary,
}

impl CurrentOutcomes {
    /// The outcomes of `preset`'s weights, reading what `prepared` holds where it still
    /// applies: when only the debris weight changed since, the counts come from the sorted
    /// thresholds; otherwise one prediction pass at the prepared temperature.
    ///
    /// # Errors
    /// Data that does not fit the preset, or an option out of range.
    pub fn of(
        data: &ValidationData,
        preset: &Preset,
        options: &OutcomeOptions,
        prepared: &Prepared,
    ) -> Result<Self, OutcomeError> {
        let weights = preset.weights();
        let prior = prepared.setup.deploy_prior.as_deref();
        if prepared.inputs.preset == PreparationInputs::new(0, preset, options).preset
            && prepared.inputs.options == *options
        {
            let rule = prepared.setup.rule(&weights);
            let debris_shift = rule.shift.get(prepared.setup.debris).copied();
            let confusion = prepared.sweep.confusion_at(debris_shift.unwrap_or(0.0));
            return Ok(Self {
                current: Metrics::of(confusion, prepared.setup.debris, prior),
                shift: rule.shift,
                loss: prepared.loss.at(&weights),
            });
        }
        // The options or a non-debris weight changed since: the same data (checked when
        // prepared) and temperature, a fresh rule.
        if data.classes != preset.classes.len() {
            return Err(OutcomeError::ClassCount {
                file: data.source.clone(),
                found: data.classes,
                expected: preset.classes.len(),
            });
        }
        let setup = OutcomeSetup::for_preset(preset, options, prepared.setup.temperature)?;
        let rule = setup.current_rule();
        Ok(Self {
            current: metrics_of(data, &rule, setup.debris, setup.deploy_prior.as_deref()),
            shift: rule.shift,
            loss: prepared.loss.at(&weights),
        })
    }
}

/// The cost rule's outcomes in the window, from the probabilities the preparation kept: the
/// fast part of a cost edit (one pass of `C^2` multiplications per sample, no `exp`).
#[derive(Clone, Debug, PartialEq)]
pub struct CostOutcomes {
    /// The costs.
    pub matrix: CostMatrix,
    /// The cost rule's metrics.
    pub metrics: Metrics,
}

impl CostOutcomes {
    /// The cost rule of `preset`'s costs on `data`; `None` without costs, with costs that do
    /// not fit, or before a preparation that kept the probabilities.
    #[must_use]
    pub fn of(data: &ValidationData, preset: &Preset, prepared: &Prepared) -> Option<Self> {
        let matrix = CostMatrix::new(&preset.costs, data.classes).ok()?;
        let confusion = prepared
            .probabilities
            .as_ref()?
            .confusion(&data.labels, &matrix);
        let prior = prepared.setup.deploy_prior.as_deref();
        Some(Self {
            metrics: Metrics::of(confusion, prepared.setup.debris, prior),
            matrix,
        })
    }

    /// What the cost rule, the current weights (`weights`) and the trained-with weights
    /// (`baseline`) cost.
    #[must_use]
    pub fn totals(&self, weights: &Metrics, baseline: &Metrics) -> CostTotals {
        let matrix = &self.matrix;
        let deployed = |metrics: &Metrics| {
            metrics
                .deployed
                .as_ref()
                .map(|deployed| matrix.deployed_cost(deployed))
        };
        CostTotals {
            samples: self.metrics.confusion.total(),
            cost_rule: matrix.cost_of(&self.metrics.confusion),
            weights: matrix.cost_of(&weights.confusion),
            baseline: matrix.cost_of(&baseline.confusion),
            cost_rule_deployed: deployed(&self.metrics),
            weights_deployed: deployed(weights),
        }
    }
}

/// Total costs on the data (and per 10,000 deployed samples, with a deployment prior).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CostTotals {
    /// The samples.
    pub samples: u64,
    /// The cost rule's total.
    pub cost_rule: f64,
    /// The current weights' total.
    pub weights: f64,
    /// The trained-with weights' total.
    pub baseline: f64,
    /// The cost rule's expected cost among 10,000 deployed samples.
    pub cost_rule_deployed: Option<f64>,
    /// The current weights' expected cost among 10,000 deployed samples.
    pub weights_deployed: Option<f64>,
}

/// The sample labelled `truth` and called `predicted` under `rule` that lies nearest the
/// decision boundary: the smallest lead of its predicted class's value over the runner-up.
/// `None` when no sample is in that cell.
#[must_use]
pub fn nearest_boundary_sample(
    data: &ValidationData,
    rule: &DecisionRule,
    truth: usize,
    predicted: usize,
) -> Option<usize> {
    let mut row = vec![0.0; data.classes];
    let mut values = vec![0.0; data.classes];
    let mut best: Option<(usize, f64)> = None;
    for (sample, &label) in data.labels.iter().enumerate() {
        if label as usize != truth {
            continue;
        }
        data.row_into(sample, &mut row);
        rule.values_into(&row, &mut values);
        if rule.decide(&row) != predicted {
            continue;
        }
        let lead = values
            .iter()
            .enumerate()
            .filter(|&(c, _)| c != predicted)
            .map(|(_, &v)| values[predicted] - v)
            .fold(f64::INFINITY, f64::min);
        if best.is_none_or(|(_, smallest)| lead < smallest) {
            best = Some((sample, lead));
        }
    }
    best.map(|(sample, _)| sample)
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "exact values are what these tests assert")]
mod tests {
    use super::*;
    use crate::core::outcomes::data::{ScoreKind, Scores};
    use crate::core::outcomes::report::Outcomes;
    use crate::core::outcomes::setup::TemperatureChoice;
    use crate::core::preset::edit::Edit;

    /// 40 samples x 4 classes with every class present and debris (3) the most common.
    fn data() -> ValidationData {
        let labels: Vec<u32> = (0..40u32)
            .map(|i| if i % 3 == 0 { i % 4 } else { 3 })
            .collect();
        let scores: Vec<f64> = (0..160u32)
            .map(|k| f64::from((k * 37 + 11) % 23) / 4.0 - 2.0)
            .collect();
        ValidationData {
            source: "test".to_owned(),
            classes: 4,
            kind: ScoreKind::Logits,
            scores: Scores::F64(scores),
            labels,
        }
    }

    /// The notebook, trained with its own weights.
    fn notebook() -> Preset {
        let mut preset = Preset::notebook().unwrap();
        preset.validation.trained_with = preset.weights();
        preset
    }

    #[test]
    fn the_view_equals_the_outcomes_command_at_every_weight() {
        let data = data();
        let mut preset = notebook();
        let options = OutcomeOptions::default();
        let prepared = Prepared::of(1, &data, &preset, &options).unwrap();
        for (class, weight) in [(3, 1.0), (3, 0.05), (1, 3.0), (0, 0.0), (3, 0.0)] {
            preset.apply(Edit::ClassWeight(class, weight)).unwrap();
            let view = CurrentOutcomes::of(&data, &preset, &options, &prepared).unwrap();
            let outcomes = Outcomes::of(&data, &preset, &options).unwrap();
            assert_eq!(view.current, outcomes.current, "class {class} at {weight}");
            assert_eq!(prepared.baseline, outcomes.baseline);
            // The loss by coefficients equals the per-sample sum to rounding.
            let sum = outcomes.loss.sum;
            assert!((view.loss.sum - sum).abs() <= 1e-12 * sum.abs(), "{view:?}");
            let (Some(a), Some(b)) = (view.loss.mean, outcomes.loss.mean) else {
                panic!("both means defined");
            };
            assert!((a - b).abs() <= 1e-12 * b.abs());
        }
    }

    #[test]
    fn only_a_debris_weight_change_keeps_the_preparation_current() {
        let preset = notebook();
        let options = OutcomeOptions::default();
        let inputs = PreparationInputs::new(1, &preset, &options);
        let mut debris = preset.clone();
        debris.apply(Edit::ClassWeight(3, 2.0)).unwrap();
        debris
            .apply(Edit::ScenarioName(0, "renamed".to_owned()))
            .unwrap();
        assert_eq!(PreparationInputs::new(1, &debris, &options), inputs);
        let mut rare = preset.clone();
        rare.apply(Edit::ClassWeight(1, 2.0)).unwrap();
        assert_ne!(PreparationInputs::new(1, &rare, &options), inputs);
        assert_ne!(PreparationInputs::new(2, &preset, &options), inputs);
        let fitted = OutcomeOptions {
            temperature: TemperatureChoice::Fit,
            ..options.clone()
        };
        assert_ne!(PreparationInputs::new(1, &preset, &fitted), inputs);
        // Without a trained_with block, the debris weight is one of the trained weights.
        let untrained = Preset::notebook().unwrap();
        let mut moved = untrained.clone();
        moved.apply(Edit::ClassWeight(3, 2.0)).unwrap();
        assert_ne!(
            PreparationInputs::new(1, &moved, &options),
            PreparationInputs::new(1, &untrained, &options)
        );
    }

    #[test]
    fn the_sample_nearest_the_boundary_is_found_in_its_cell() {
        // Three samples of class 0 called 1, with leads 2, 0.5 and 1; one of class 0 called 0.
        let data = ValidationData {
            source: "test".to_owned(),
            classes: 2,
            kind: ScoreKind::Logits,
            scores: Scores::F64(vec![0.0, 2.0, 0.0, 0.5, 3.0, 0.0, 1.0, 2.0]),
            labels: vec![0, 0, 0, 0],
        };
        let basis = crate::core::outcomes::decision::ShiftBasis::new(vec![1.0, 1.0]);
        let rule = DecisionRule::new(&basis, &[1.0, 1.0], 1.0, 1);
        assert_eq!(nearest_boundary_sample(&data, &rule, 0, 1), Some(1));
        assert_eq!(nearest_boundary_sample(&data, &rule, 0, 0), Some(2));
        assert_eq!(nearest_boundary_sample(&data, &rule, 1, 1), None);
    }

    #[test]
    fn the_curve_at_the_current_debris_weight_matches_the_current_counts() {
        let data = data();
        let mut preset = notebook();
        preset.apply(Edit::ClassWeight(3, 0.8)).unwrap();
        let options = OutcomeOptions::default();
        let prepared = Prepared::of(1, &data, &preset, &options).unwrap();
        let view = CurrentOutcomes::of(&data, &preset, &options, &prepared).unwrap();
        // 0.8 is grid point 80 of the default sweep.
        let point = 80;
        assert_eq!(prepared.curve.debris_weight[point], 0.8);
        assert_eq!(
            prepared.curve.false_positives_from_debris[point],
            view.current.false_positives_from_debris
        );
        assert_eq!(
            prepared.curve.false_negatives_to_debris[point],
            view.current.false_negatives_to_debris
        );
    }
}
