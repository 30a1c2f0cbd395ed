//! The `cost` block of the outcomes: what the chosen rule's decisions cost on the data, beside
//! the trained-with weights' and the current weights'; the weights equivalent to the matrix, or
//! the nearest ones and how often they agree with the cost rule; and pairwise margins that carry
//! the matrix into training.

use serde::Serialize;

use crate::core::outcomes::costs::{CostMatrix, CostRule, for_each_cost_prediction};
use crate::core::outcomes::data::ValidationData;
use crate::core::outcomes::decision::{DecisionRule, for_each_prediction};
use crate::core::outcomes::metrics::{Confusion, Deployed, Metrics};
use crate::core::outcomes::setup::OutcomeSetup;
use crate::core::outcomes::tune::nearest_weights;

/// The costs of the outcomes: the `cost` block of `weightbench outcomes --format json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CostSummary {
    /// The cost matrix, rows truth, columns predicted.
    pub matrix: Vec<Vec<f64>>,
    /// The total cost of the chosen rule's decisions on the data.
    pub total: f64,
    /// `total / N`.
    pub mean: f64,
    /// The total cost of the trained-with weights' argmax (same temperature and prior
    /// correction).
    pub baseline_total: f64,
    /// The expected cost among 10,000 deployed samples under the chosen rule, with a
    /// deployment prior.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployed: Option<f64>,
    /// The total cost of the current weights' argmax.
    pub weights_total: f64,
    /// The total cost of the cost rule (the least any rule on these outputs reaches in
    /// expectation).
    pub cost_rule_total: f64,
    /// The weights that decide exactly as the matrix (every row constant off the diagonal),
    /// scaled so debris keeps its trained-with weight; `null` otherwise.
    pub weights_equivalent: Option<Vec<f64>>,
    /// The weights whose argmax agrees with the cost rule on the most samples (the equivalent
    /// weights when there are).
    pub nearest_weights: Vec<f64>,
    /// The share of samples on which the nearest weights' decisions equal the cost rule's.
    pub agreement: f64,
    /// The number of those samples.
    pub agreeing_samples: u64,
    /// Pairwise margins that, with the nearest weights, make each confusion's term in the loss
    /// proportional to its cost ([`CostMatrix::margins`]); `null` when none do.
    pub margins: Option<Vec<Vec<f64>>>,
}

/// The cost rule's decisions on a data set: each sample's class and their confusion.
#[derive(Clone, Debug, PartialEq)]
pub struct CostDecisions {
    /// Each sample's class under the cost rule.
    pub predictions: Vec<u32>,
    /// Their confusion against the labels.
    pub confusion: Confusion,
}

impl CostDecisions {
    /// The cost rule's decisions on `data`.
    #[must_use]
    pub fn of(data: &ValidationData, rule: &CostRule) -> Self {
        let mut confusion = Confusion::new(data.classes);
        let mut predictions = Vec::with_capacity(data.samples());
        for_each_cost_prediction(data, rule, |sample, predicted| {
            confusion.add(data.labels[sample] as usize, predicted as usize, 1);
            predictions.push(predicted);
        });
        Self {
            predictions,
            confusion,
        }
    }
}

/// The samples on which `rule`'s decisions equal `targets`.
#[must_use]
pub fn agreement(data: &ValidationData, rule: &DecisionRule, targets: &[u32]) -> u64 {
    let mut agree = 0;
    for_each_prediction(data, rule, |sample, predicted| {
        agree += u64::from(targets.get(sample) == Some(&predicted));
    });
    agree
}

/// How close class weights come to a cost matrix on a data set.
#[derive(Clone, Debug, PartialEq)]
pub struct Closest {
    /// The equivalent weights of a row-constant matrix.
    pub equivalent: Option<Vec<f64>>,
    /// The nearest weights (the equivalent ones when there are).
    pub nearest: Vec<f64>,
    /// The samples on which the nearest weights decide as the cost rule.
    pub agreeing: u64,
    /// Pairwise margins that carry the matrix into training with the nearest weights
    /// ([`CostMatrix::margins`]), where they exist.
    pub margins: Option<Vec<Vec<f64>>>,
}

impl Closest {
    /// The weights closest to `matrix` on `data` under `setup`, against the cost rule's
    /// `decisions`: the equivalent weights when the matrix is row-constant, else the search
    /// for the most agreement from the weights of the rows' mean costs.
    #[must_use]
    pub fn of(
        data: &ValidationData,
        setup: &OutcomeSetup,
        matrix: &CostMatrix,
        decisions: &[u32],
    ) -> Self {
        let equivalent = matrix.equivalent_weights(&setup.trained_with, setup.debris);
        let (nearest, agreeing) = if let Some(weights) = &equivalent {
            let agreeing = agreement(data, &setup.rule(weights), decisions);
            (weights.clone(), agreeing)
        } else {
            let found = nearest_weights(data, setup, decisions, &matrix.row_means());
            (found.weights, found.agreeing)
        };
        let margins = matrix.margins(&nearest);
        Self {
            equivalent,
            nearest,
            agreeing,
            margins,
        }
    }
}

impl CostSummary {
    /// The cost block of the outcomes of `setup` on `data`: the chosen rule's `current`
    /// metrics, the current weights' and the trained-with weights' confusions, the cost rule's
    /// decisions and the closest weights.
    #[must_use]
    pub fn of(
        setup: &OutcomeSetup,
        matrix: &CostMatrix,
        current: &Metrics,
        weights: &Confusion,
        baseline: &Confusion,
        cost_rule: &Confusion,
        closest: Closest,
    ) -> Self {
        let total = matrix.cost_of(&current.confusion);
        let samples = current.confusion.total();
        Self {
            matrix: matrix.rows(),
            total,
            mean: if samples == 0 {
                0.0
            } else {
                total / samples as f64
            },
            baseline_total: matrix.cost_of(baseline),
            deployed: setup.deploy_prior.as_deref().map(|prior| {
                matrix.deployed_cost(&Deployed::of(&current.confusion, setup.debris, prior))
            }),
            weights_total: matrix.cost_of(weights),
            cost_rule_total: matrix.cost_of(cost_rule),
            weights_equivalent: closest.equivalent,
            nearest_weights: closest.nearest,
            agreement: if samples == 0 {
                0.0
            } else {
                closest.agreeing as f64 / samples as f64
            },
            agreeing_samples: closest.agreeing,
            margins: closest.margins,
        }
    }
}
