//! Every number the window's views show, computed once per change of its inputs rather than
//! once per frame.
//!
//! The app keeps one [`Analysis`] and its [`AnalysisInputs`]; "is it stale?" is
//! `inputs != analysis.inputs`, so no field can be forgotten in a hand-written comparison.

use std::sync::Arc;

use crate::core::cases::advice::{SmoothingConflict, smoothing_conflicts};
use crate::core::cases::balance::{Balance, balances};
use crate::core::cases::evaluate::Evaluation;
use crate::core::cases::penalties::{PenaltyError, PenaltyMatrix};
use crate::core::cases::schemes::{DEFAULT_BETA, Scheme, SchemeError};
use crate::core::cases::shifts::{corrected_predictions, decision_rule, decision_shifts};
use crate::core::cases::sweep::{ComparedCurve, Spread, Sweep, compare_loss_forms};
use crate::core::export::{Target, snippet_evaluated};
use crate::core::preset::Preset;
use crate::core::preset::validate::ValidationError;

/// The default confidence of the penalty matrix and the balance.
pub const DEFAULT_CONFIDENCE: f64 = 0.9;

/// What an [`Analysis`] is computed from; two equal inputs give the same analysis.
#[derive(Clone, Debug, PartialEq)]
pub struct AnalysisInputs {
    /// The preset being edited.
    pub preset: Preset,
    /// beta of the effective-number scheme in the weights view.
    pub beta: f64,
    /// The probability the penalty matrix and the balance put on the predicted class.
    pub confidence: f64,
    /// The selected scenario, whose loss forms are compared.
    pub selected: Option<usize>,
    /// Whether to compute the penalty matrix: it costs O(C^3), so it is computed only while
    /// its view is shown.
    pub penalty_matrix: bool,
}

impl AnalysisInputs {
    /// Inputs for `preset` with the default beta and confidence, the first scenario
    /// selected and the penalty matrix left out.
    #[must_use]
    pub fn new(preset: Preset) -> Self {
        let selected = (!preset.scenarios.is_empty()).then_some(0);
        Self {
            preset,
            beta: DEFAULT_BETA,
            confidence: DEFAULT_CONFIDENCE,
            selected,
            penalty_matrix: false,
        }
    }
}

/// Everything the views show that is computed from the inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// What this analysis was computed from.
    pub inputs: AnalysisInputs,
    /// Every scenario under the preset's weights and loss.
    pub evaluation: Evaluation,
    /// Every scenario's loss against the debris weight (shared with later analyses whose
    /// preset differs only in the debris weight, which a sweep does not depend on).
    pub sweep: Arc<Sweep>,
    /// The spread of those losses at each debris weight (for plots of many scenarios).
    pub spread: Arc<Spread>,
    /// What the sweep and its spread were computed from: the preset with its debris weight
    /// set to 0.
    sweep_inputs: Preset,
    /// The selected scenario's loss against the debris weight under each loss form.
    pub comparison: Vec<ComparedCurve>,
    /// The penalty matrix at the confidence; `None` when not asked for.
    pub penalties: Option<PenaltyMatrix>,
    /// Each rare class's false-positive / false-negative balance at the confidence.
    pub balances: Vec<Balance>,
    /// Each rare class's decision rule in words, `(class, rule)`.
    pub rules: Vec<(usize, String)>,
    /// Each scenario's prediction after the post-hoc correction.
    pub corrected: Vec<usize>,
    /// `ln w_c` per class: what each weight adds to its logit's decision (`None` at weight 0).
    pub decision_shifts: Vec<Option<f64>>,
    /// Each weighting scheme's weights for the preset's counts.
    pub scheme_weights: Vec<(Scheme, Result<Vec<f64>, SchemeError>)>,
    /// Where label smoothing and the weights work against each other.
    pub conflicts: Vec<SmoothingConflict>,
    /// The export snippet for each library.
    pub snippets: Vec<(Target, String)>,
}

/// Why the views have nothing to show.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AnalysisError {
    /// The preset cannot be evaluated.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// The confidence is not a probability strictly between 0 and 1.
    #[error("confidence: {0}, expected a probability strictly between 0 and 1")]
    Confidence(f64),
    /// Finite logits and weights whose loss is too large for a double (it overflows).
    #[error(
        "{0} is not a finite number: the logits or weights are too large for the loss to be represented, expected values of a moderate size"
    )]
    NotFinite(String),
}

impl From<PenaltyError> for AnalysisError {
    fn from(error: PenaltyError) -> Self {
        match error {
            PenaltyError::Invalid(error) => Self::Invalid(error),
            PenaltyError::Confidence(confidence) => Self::Confidence(confidence),
        }
    }
}

impl Analysis {
    /// Computes every view's numbers from `inputs`.
    ///
    /// # Errors
    /// An invalid preset (its first invalid field), or a confidence outside (0, 1).
    pub fn of(inputs: &AnalysisInputs) -> Result<Self, AnalysisError> {
        Self::reusing(inputs, None)
    }

    /// As [`Self::of`], taking the sweep from `previous` when only the debris weight (or
    /// nothing the sweep depends on) has changed: dragging the debris weight re-evaluates
    /// the scenarios but not their curves.
    ///
    /// # Errors
    /// As [`Self::of`].
    pub fn reusing(
        inputs: &AnalysisInputs,
        previous: Option<&Self>,
    ) -> Result<Self, AnalysisError> {
        let preset = &inputs.preset;
        if !(inputs.confidence > 0.0 && inputs.confidence < 1.0) {
            return Err(AnalysisError::Confidence(inputs.confidence));
        }
        let evaluation = Evaluation::of(preset)?;
        let sweep_inputs = without_debris_weight(preset);
        let (sweep, spread) = match previous {
            Some(previous) if previous.sweep_inputs == sweep_inputs => {
                (Arc::clone(&previous.sweep), Arc::clone(&previous.spread))
            }
            _ => {
                let sweep = Sweep::from_evaluation(preset, &evaluation, &preset.sweep);
                let spread = Spread::of(&sweep);
                (Arc::new(sweep), Arc::new(spread))
            }
        };
        let penalties = inputs
            .penalty_matrix
            .then(|| PenaltyMatrix::of(preset, inputs.confidence))
            .transpose()?;
        let counts = preset.counts();
        let weights = preset.weights();
        let analysis = Self {
            penalties,
            balances: balances(preset, inputs.confidence, &preset.sweep),
            rules: (0..preset.classes.len())
                .filter(|&c| c != preset.debris)
                .map(|c| (c, decision_rule(preset, c)))
                .collect(),
            corrected: corrected_predictions(preset),
            decision_shifts: decision_shifts(&weights),
            comparison: inputs
                .selected
                .map_or_else(Vec::new, |s| compare_loss_forms(preset, s, &preset.sweep)),
            scheme_weights: Scheme::all(inputs.beta)
                .into_iter()
                .map(|scheme| (scheme, scheme.weights(&counts, None)))
                .collect(),
            conflicts: smoothing_conflicts(&weights, &preset.loss),
            snippets: Target::ALL
                .into_iter()
                .map(|target| (target, snippet_evaluated(preset, target, Some(&evaluation))))
                .collect(),
            evaluation,
            sweep,
            spread,
            sweep_inputs,
            inputs: inputs.clone(),
        };
        match analysis.first_non_finite() {
            Some(place) => Err(AnalysisError::NotFinite(place)),
            None => Ok(analysis),
        }
    }

    /// Where the first number that is not finite is, if any: finite inputs can still overflow
    /// (a logit of 1e308 weighted 26), and the views show no such number.
    fn first_non_finite(&self) -> Option<String> {
        let scenarios = &self.inputs.preset.scenarios;
        let named = |index: usize| {
            let name = scenarios.get(index).map_or("", |s| s.name.as_str());
            format!("scenarios[{index}] \"{name}\"")
        };
        for (index, sample) in self.evaluation.scenarios.iter().enumerate() {
            let numbers = [sample.truth_weight, sample.loss, sample.unweighted_loss];
            let vectors = [
                &sample.probabilities,
                &sample.coefficients,
                &sample.gradient,
            ];
            if !all_finite(
                numbers
                    .into_iter()
                    .chain(vectors.into_iter().flatten().copied()),
            ) {
                return Some(format!("the loss of {}", named(index)));
            }
        }
        let batch = &self.evaluation.batch;
        let batch_numbers = [Some(batch.sum), batch.mean, batch.mean_per_sample];
        if !all_finite(batch_numbers.into_iter().flatten()) {
            return Some("the batch loss".to_owned());
        }
        for (index, curve) in self.sweep.scenarios.iter().enumerate() {
            if !all_finite(curve.loss.iter().copied()) {
                return Some(format!(
                    "the loss along the debris weight of {}",
                    named(index)
                ));
            }
        }
        let spread = &self.spread;
        let curves = [
            &spread.min,
            &spread.p10,
            &spread.median,
            &spread.p90,
            &spread.max,
        ];
        if !all_finite(self.sweep.batch_mean.iter().flatten().copied())
            || !all_finite(curves.into_iter().flatten().copied())
        {
            return Some("the batch loss along the debris weight".to_owned());
        }
        if !all_finite(self.comparison.iter().flat_map(|c| c.loss.iter().copied())) {
            return Some("the loss forms compared".to_owned());
        }
        if let Some(penalties) = &self.penalties {
            let rows = penalties.matrix.iter().chain(&penalties.count_weighted);
            if !all_finite(rows.flatten().copied()) {
                return Some("the penalty matrix".to_owned());
            }
        }
        let balance = self.balances.iter().flat_map(|b| {
            let even = [b.even_per_sample, b.even_count_weighted]
                .into_iter()
                .flatten();
            b.debris_called_class
                .iter()
                .chain(&b.class_called_debris)
                .copied()
                .chain(even)
        });
        if !all_finite(balance) {
            return Some("the balance of false positives and negatives".to_owned());
        }
        None
    }

    /// The export snippet for `target`.
    #[must_use]
    pub fn snippet(&self, target: Target) -> Option<&str> {
        self.snippets
            .iter()
            .find(|(t, _)| *t == target)
            .map(|(_, snippet)| snippet.as_str())
    }
}

/// Whether every one of `values` is finite.
fn all_finite(values: impl IntoIterator<Item = f64>) -> bool {
    values.into_iter().all(f64::is_finite)
}

/// `preset` with its debris weight set to 0: what a sweep of the debris weight depends on.
fn without_debris_weight(preset: &Preset) -> Preset {
    let mut key = preset.clone();
    if let Some(debris) = key.classes.get_mut(key.debris) {
        debris.weight = 0.0;
    }
    key
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "exact values are what these tests assert")]
mod tests {
    use super::*;
    use crate::core::preset::edit::Edit;

    fn notebook_inputs() -> AnalysisInputs {
        AnalysisInputs::new(Preset::notebook().unwrap())
    }

    #[test]
    fn the_notebook_analysis_holds_every_views_numbers() {
        let analysis = Analysis::of(&notebook_inputs()).unwrap();
        assert_eq!(analysis.evaluation.scenarios.len(), 11);
        assert_eq!(analysis.sweep.scenarios.len(), 11);
        assert_eq!(analysis.sweep.debris_weight.len(), 201);
        // Case 11 at the preset's debris weight 0.4: -0.4 ln p = 3.9600602050874247 (notebook).
        assert!((analysis.evaluation.scenarios[10].loss - 3.960_060_205_087_424_7).abs() < 1e-12);
        // Three rare classes, each with its balance and rule; one shift per class.
        assert_eq!(analysis.balances.len(), 3);
        assert_eq!(analysis.rules.len(), 3);
        assert_eq!(analysis.decision_shifts.len(), 4);
        // Case 1 (class1, selected) compared under the four loss forms.
        assert_eq!(analysis.comparison.len(), 4);
        assert_eq!(analysis.scheme_weights.len(), 5);
        assert!(
            analysis
                .snippet(Target::PyTorch)
                .is_some_and(|code| code.starts_with(
                    "loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor([0.8, 26.0, 4.0, 0.4]))\n"
                ) && code.contains("def save_run(")),
            "the PyTorch snippet, ending with save_run"
        );
        assert!(analysis.penalties.is_none(), "not asked for");
    }

    #[test]
    fn finite_inputs_whose_loss_overflows_give_no_numbers_but_the_place() {
        let mut inputs = notebook_inputs();
        let far = crate::core::preset::Scenario {
            name: "far".to_owned(),
            truth: 1,
            logits: vec![f64::MAX, 0.0, 0.0, 0.0],
        };
        inputs.preset.apply(Edit::InsertScenario(far)).unwrap();
        // -ln p_y is 1.8e308, finite; class2's weight of 26 makes it infinite.
        let error = Analysis::of(&inputs).unwrap_err();
        assert_eq!(
            error,
            AnalysisError::NotFinite("the loss of scenarios[11] \"far\"".to_owned())
        );
        assert!(error.to_string().starts_with(
            "the loss of scenarios[11] \"far\" is not a finite number: the logits or weights are too large"
        ));
        // Weighted 0.5, it is finite again.
        inputs.preset.apply(Edit::ClassWeight(1, 0.5)).unwrap();
        let analysis = Analysis::of(&inputs).unwrap();
        assert!(analysis.evaluation.scenarios[11].loss > 8e307);
    }

    #[test]
    fn the_penalty_matrix_is_computed_when_asked_for() {
        let inputs = AnalysisInputs {
            penalty_matrix: true,
            ..notebook_inputs()
        };
        let analysis = Analysis::of(&inputs).unwrap();
        let matrix = analysis.penalties.unwrap();
        // Debris called class2 at 90 %: 0.4 (-ln(0.1 / 3)) = 1.360479 (the table in docs/cli.md).
        assert!((matrix.matrix[3][1] - 0.4 * -(0.1_f64 / 3.0).ln()).abs() < 1e-12);
    }

    #[test]
    fn staleness_is_a_comparison_of_inputs() {
        let inputs = notebook_inputs();
        let analysis = Analysis::of(&inputs).unwrap();
        assert_eq!(analysis.inputs, inputs);
        let mut edited = inputs.clone();
        edited.preset.apply(Edit::ClassWeight(3, 1.0)).unwrap();
        assert_ne!(analysis.inputs, edited);
        let mut reselected = inputs;
        reselected.selected = Some(3);
        assert_ne!(analysis.inputs, reselected);
    }

    #[test]
    fn a_new_debris_weight_reuses_the_sweep_and_anything_else_recomputes_it() {
        let before = Analysis::of(&notebook_inputs()).unwrap();
        let mut inputs = notebook_inputs();
        inputs.preset.apply(Edit::ClassWeight(3, 1.0)).unwrap();
        let after = Analysis::reusing(&inputs, Some(&before)).unwrap();
        assert!(Arc::ptr_eq(&before.sweep, &after.sweep), "the same sweep");
        assert_eq!(*after.sweep, *Analysis::of(&inputs).unwrap().sweep);
        // Case 11 at debris weight 1: 9.900150512718561 (the notebook's Ideas cell).
        assert!((after.evaluation.scenarios[10].loss - 9.900_150_512_718_561).abs() < 1e-12);
        inputs.preset.apply(Edit::ClassWeight(0, 2.0)).unwrap();
        let rare = Analysis::reusing(&inputs, Some(&after)).unwrap();
        assert!(
            !Arc::ptr_eq(&after.sweep, &rare.sweep),
            "a rare weight changes the curves"
        );
        assert_eq!(*rare.sweep, *Analysis::of(&inputs).unwrap().sweep);
    }

    #[test]
    fn an_invalid_preset_or_confidence_is_refused_with_its_reason() {
        let mut inputs = notebook_inputs();
        inputs.preset.classes[1].weight = -1.0;
        let error = Analysis::of(&inputs).unwrap_err();
        assert_eq!(
            error.to_string(),
            "classes[1] \"class2\": weight is -1, expected a finite number >= 0"
        );
        let mut inputs = notebook_inputs();
        inputs.confidence = 1.0;
        let error = Analysis::of(&inputs).unwrap_err();
        assert!(error.to_string().starts_with("confidence: 1"), "{error}");
    }
}
