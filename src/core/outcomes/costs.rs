//! Deciding by what each mistake costs: the cost rule, its cost on the data, and how close
//! class weights come to it.
//!
//! The cost rule takes the model's class probabilities with its training weights divided out,
//! `p = softmax(z / T - ln w_old [+ ln(pi_deploy / pi_train)])`, and calls the class of least
//! expected cost, `argmin_k sum_y p_y C[y][k]` (ties to the lowest index). `C` has rows truth and
//! columns predicted. Class weights decide `argmax_k w_k p_k`, which is the cost rule of the
//! matrix `C[y][k] = w_y` (`k != y`): weights can express a matrix exactly when every row is
//! constant off the diagonal ([`CostMatrix::row_constant`]). For any other matrix the nearest
//! weights are the ones whose decisions agree with the cost rule on the most samples
//! ([`crate::core::outcomes::tune::nearest_weights`]).

use crate::core::outcomes::data::ValidationData;
use crate::core::outcomes::decision::DecisionRule;
use crate::core::outcomes::metrics::{Confusion, Deployed};
use crate::core::preset::matrix::{EXPECTED_COST, MatrixProblem, check_square, valid_cost};

/// A checked cost matrix: C x C, finite, >= 0, zero diagonal; rows truth, columns predicted.
#[derive(Clone, Debug, PartialEq)]
pub struct CostMatrix {
    classes: usize,
    /// Row-major: `values[y * C + k]` is the cost of a class-y sample called k.
    values: Vec<f64>,
}

impl CostMatrix {
    /// The matrix of `rows`, checked for `classes` classes.
    ///
    /// # Errors
    /// The first problem: the shape, an entry that is negative or not finite, a nonzero
    /// diagonal.
    pub fn new(rows: &[Vec<f64>], classes: usize) -> Result<Self, MatrixProblem> {
        check_square(rows, classes, valid_cost, EXPECTED_COST)?;
        Ok(Self {
            classes,
            values: rows.concat(),
        })
    }

    /// The matrix weights express: `C[y][k] = weights[y]` for `k != y` ("fill from weights").
    #[must_use]
    pub fn from_weights(weights: &[f64]) -> Vec<Vec<f64>> {
        (0..weights.len())
            .map(|y| {
                (0..weights.len())
                    .map(|k| if k == y { 0.0 } else { weights[y] })
                    .collect()
            })
            .collect()
    }

    /// The number of classes C.
    #[must_use]
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// The cost of a class-`truth` sample called `predicted`.
    #[must_use]
    pub fn get(&self, truth: usize, predicted: usize) -> f64 {
        self.values[truth * self.classes + predicted]
    }

    /// The rows, one per true class.
    #[must_use]
    pub fn rows(&self) -> Vec<Vec<f64>> {
        self.values
            .chunks(self.classes.max(1))
            .map(<[f64]>::to_vec)
            .collect()
    }

    /// When every row is constant off the diagonal, that constant per row (`c_y`); the
    /// matrix is then exactly the weights `c`' rule.
    #[must_use]
    #[allow(clippy::float_cmp, reason = "constant means exactly equal")]
    pub fn row_constant(&self) -> Option<Vec<f64>> {
        (0..self.classes)
            .map(|y| {
                let mut off = (0..self.classes)
                    .filter(|&k| k != y)
                    .map(|k| self.get(y, k));
                let first = off.next().unwrap_or(0.0);
                off.all(|c| c == first).then_some(first)
            })
            .collect()
    }

    /// Each row's mean cost off the diagonal: the weights of a matrix's rows, taken as a start
    /// for the nearest weights.
    #[must_use]
    pub fn row_means(&self) -> Vec<f64> {
        let others = self.classes.saturating_sub(1).max(1) as f64;
        (0..self.classes)
            .map(|y| {
                (0..self.classes)
                    .filter(|&k| k != y)
                    .map(|k| self.get(y, k))
                    .sum::<f64>()
                    / others
            })
            .collect()
    }

    /// The total cost of the decisions counted in `confusion`: `sum_{y,k} n_yk C[y][k]`.
    #[must_use]
    pub fn cost_of(&self, confusion: &Confusion) -> f64 {
        let mut total = 0.0;
        for y in 0..self.classes {
            for k in 0..self.classes {
                total += confusion.get(y, k) as f64 * self.get(y, k);
            }
        }
        total
    }

    /// The expected cost among [`crate::core::outcomes::metrics::DEPLOYED_SAMPLES`] deployed samples: the deployed counts
    /// (rows scaled to the deployment prior) times the costs.
    #[must_use]
    pub fn deployed_cost(&self, deployed: &Deployed) -> f64 {
        let mut total = 0.0;
        for (y, row) in deployed.confusion.iter().enumerate() {
            for (k, &count) in row.iter().enumerate() {
                total += count * self.get(y, k);
            }
        }
        total
    }

    /// The weights equivalent to a row-constant matrix: `c` scaled so that debris keeps its
    /// trained-with weight (`c` itself when debris's row costs nothing); `None` for a matrix
    /// that is not row-constant.
    #[must_use]
    pub fn equivalent_weights(&self, trained_with: &[f64], debris: usize) -> Option<Vec<f64>> {
        let constant = self.row_constant()?;
        let anchor = constant.get(debris).copied().unwrap_or(0.0);
        let scale = match trained_with.get(debris) {
            Some(&old) if anchor > 0.0 => old / anchor,
            _ => 1.0,
        };
        Some(constant.iter().map(|&c| c * scale).collect())
    }

    /// Pairwise margins (the preset's `margins`: `m[t][k]` is added to class k's logit for a
    /// sample of class t) that, with the class weights `weights`, carry this matrix into
    /// training: weighted cross-entropy with margins is
    /// `w_t ln(1 + sum_{k != t} exp(m[t][k]) exp(z_k - z_t))`, so each confusion t -> k enters
    /// the loss with the factor `w_t exp(m[t][k])`, which these margins make proportional to
    /// `C[t][k]` (exactly the term's weight where the loss is small, `ln(1 + x) ~ x`).
    /// `m[t][k] = ln(C[t][k] / w_t) - a`, with `a` the mean of those logs, so a matrix the weights
    /// express exactly gets margins of 0. A row of weight 0 gets 0 (it adds nothing to the loss).
    ///
    /// `None` when no margins do: a mistake that costs 0 in a row of positive weight would need
    /// a margin of `-inf`, or `weights` is not one weight per class.
    #[must_use]
    pub fn margins(&self, weights: &[f64]) -> Option<Vec<Vec<f64>>> {
        let classes = self.classes;
        if weights.len() != classes {
            return None;
        }
        let mut logs = Vec::new();
        for (t, &w) in weights.iter().enumerate().filter(|&(_, &w)| w > 0.0) {
            for k in (0..classes).filter(|&k| k != t) {
                let log = (self.get(t, k) / w).ln();
                if !log.is_finite() {
                    return None;
                }
                logs.push(log);
            }
        }
        let anchor = if logs.is_empty() {
            0.0
        } else {
            logs.iter().sum::<f64>() / logs.len() as f64
        };
        Some(
            (0..classes)
                .map(|t| {
                    (0..classes)
                        .map(|k| {
                            if k == t || weights[t] <= 0.0 {
                                0.0
                            } else {
                                (self.get(t, k) / weights[t]).ln() - anchor
                            }
                        })
                        .collect()
                })
                .collect(),
        )
    }
}

/// The cost rule: the probabilities of a [`DecisionRule`] at unit weights (its shift is
/// `-ln w_old` plus the prior correction), then the class of least expected cost.
#[derive(Clone, Debug, PartialEq)]
pub struct CostRule {
    /// The values `z / T - ln w_old (+ prior)` whose softmax is `p`.
    pub values: DecisionRule,
    /// The costs.
    pub matrix: CostMatrix,
}

impl CostRule {
    /// The class called for one row of scores.
    #[must_use]
    pub fn decide(&self, scores: &[f64]) -> usize {
        let mut p = vec![0.0; scores.len()];
        if !probabilities_into(&self.values, scores, &mut p) {
            return self.values.fallback;
        }
        least_expected_cost(&p, &self.matrix)
    }
}

/// `p = softmax(values)` of one row of scores under `values` (the max subtracted first);
/// false when every value is `-inf`, so no class has a probability.
pub fn probabilities_into(values: &DecisionRule, scores: &[f64], p: &mut [f64]) -> bool {
    values.values_into(scores, p);
    let max = p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return false;
    }
    let mut sum = 0.0;
    for value in p.iter_mut() {
        *value = (*value - max).exp();
        sum += *value;
    }
    for value in p.iter_mut() {
        *value /= sum;
    }
    true
}

/// `argmin_k sum_y p_y C[y][k]`, summed in class order; ties to the lowest index.
#[must_use]
pub fn least_expected_cost(p: &[f64], matrix: &CostMatrix) -> usize {
    let classes = matrix.classes;
    let mut best = 0;
    let mut best_cost = f64::INFINITY;
    for k in 0..classes {
        let mut expected = 0.0;
        for (y, &p_y) in p.iter().enumerate().take(classes) {
            expected += p_y * matrix.values[y * classes + k];
        }
        if expected < best_cost {
            best = k;
            best_cost = expected;
        }
    }
    best
}

/// Calls `visit(sample, predicted)` for every sample under the cost rule, in order.
pub fn for_each_cost_prediction(
    data: &ValidationData,
    rule: &CostRule,
    mut visit: impl FnMut(usize, u32),
) {
    let classes = data.classes;
    if classes == 0 || rule.matrix.classes != classes {
        return;
    }
    let mut row = vec![0.0; classes];
    let mut p = vec![0.0; classes];
    let fallback = u32::try_from(rule.values.fallback).unwrap_or(0);
    for sample in 0..data.samples() {
        data.row_into(sample, &mut row);
        let predicted = if probabilities_into(&rule.values, &row, &mut p) {
            u32::try_from(least_expected_cost(&p, &rule.matrix)).unwrap_or(fallback)
        } else {
            fallback
        };
        visit(sample, predicted);
    }
}

/// Every sample's class under the cost rule.
#[must_use]
pub fn cost_predictions(data: &ValidationData, rule: &CostRule) -> Vec<u32> {
    let mut predictions = Vec::with_capacity(data.samples());
    for_each_cost_prediction(data, rule, |_, predicted| predictions.push(predicted));
    predictions
}

/// The probabilities of every sample under a rule's values, kept so that a new cost matrix
/// decides again without an `exp`: N x C f64 (32 MB for 1M samples of 4 classes). A row
/// with no probability (every value `-inf`) is all NaN and calls the fallback.
#[derive(Clone, Debug, PartialEq)]
pub struct Probabilities {
    classes: usize,
    fallback: u32,
    values: Vec<f64>,
}

impl Probabilities {
    /// The probabilities of `data` under `values` (a rule at unit weights).
    #[must_use]
    pub fn of(data: &ValidationData, values: &DecisionRule) -> Self {
        let classes = data.classes;
        let mut all = vec![0.0; data.samples() * classes];
        let mut row = vec![0.0; classes];
        for (sample, p) in all.chunks_exact_mut(classes.max(1)).enumerate() {
            data.row_into(sample, &mut row);
            if !probabilities_into(values, &row, p) {
                p.fill(f64::NAN);
            }
        }
        Self {
            classes,
            fallback: u32::try_from(values.fallback).unwrap_or(0),
            values: all,
        }
    }

    /// Bytes held.
    #[must_use]
    pub fn bytes(&self) -> usize {
        self.values.len() * 8
    }

    /// The confusion of the cost rule of `matrix` against `labels`: one pass over the kept
    /// probabilities, the same decisions as [`for_each_cost_prediction`], split over two threads.
    #[must_use]
    pub fn confusion(&self, labels: &[u32], matrix: &CostMatrix) -> Confusion {
        let classes = self.classes;
        let mut confusion = Confusion::new(classes);
        if classes == 0 || matrix.classes != classes {
            return confusion;
        }
        let half = labels.len() / 2;
        let count = |range: std::ops::Range<usize>| {
            let mut counts = Confusion::new(classes);
            for sample in range {
                let p = &self.values[sample * classes..(sample + 1) * classes];
                let predicted = if p[0].is_nan() {
                    self.fallback as usize
                } else {
                    least_expected_cost(p, matrix)
                };
                counts.add(labels[sample] as usize, predicted, 1);
            }
            counts
        };
        let (first, second) = std::thread::scope(|scope| {
            let helper = std::thread::Builder::new()
                .name("cost-decisions".to_owned())
                .spawn_scoped(scope, || count(0..half))
                .ok();
            let second = count(half..labels.len());
            let first = helper
                .and_then(|helper| helper.join().ok())
                .unwrap_or_else(|| count(0..half));
            (first, second)
        });
        for y in 0..classes {
            for k in 0..classes {
                confusion.add(y, k, first.get(y, k) + second.get(y, k));
            }
        }
        confusion
    }
}

/// How the outcomes decide: by the weights' argmax, or by the least expected cost.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
#[value(rename_all = "kebab-case")]
pub enum Decision {
    /// `argmax_k (z_k / T + ln(w_k / w_old_k))`: the class weights' rule.
    #[default]
    Weights,
    /// `argmin_k sum_y p_y C[y][k]`: the cost matrix's rule.
    Cost,
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "exact values are the point")]
mod tests {
    use super::*;
    use crate::core::outcomes::decision::ShiftBasis;

    fn matrix(rows: &[&[f64]]) -> CostMatrix {
        let rows: Vec<Vec<f64>> = rows.iter().map(|r| r.to_vec()).collect();
        CostMatrix::new(&rows, rows.len()).unwrap()
    }

    #[test]
    fn a_tie_goes_to_the_lowest_index() {
        let costs = matrix(&[&[0.0, 1.0, 1.0], &[1.0, 0.0, 1.0], &[1.0, 1.0, 0.0]]);
        assert_eq!(least_expected_cost(&[0.25, 0.5, 0.25], &costs), 1);
        assert_eq!(least_expected_cost(&[0.4, 0.4, 0.2], &costs), 0);
        assert_eq!(least_expected_cost(&[0.2, 0.4, 0.4], &costs), 1);
        // Equal columns: always the first of them.
        let twins = matrix(&[&[0.0, 2.0, 2.0], &[1.0, 0.0, 0.0], &[1.0, 0.0, 0.0]]);
        assert_eq!(least_expected_cost(&[0.1, 0.45, 0.45], &twins), 1);
    }

    #[test]
    fn the_cost_rule_divides_the_training_weights_out() {
        // A model trained with weight 4 on class 0 outputs q proportional to 4 p: equal
        // logits mean p_0 = 1/5, p_1 = 4/5, so a 0-1 cost calls class 1.
        let basis = ShiftBasis::new(vec![4.0, 1.0]);
        let rule = CostRule {
            values: DecisionRule::new(&basis, &[1.0, 1.0], 1.0, 1),
            matrix: matrix(&[&[0.0, 1.0], &[1.0, 0.0]]),
        };
        assert_eq!(rule.decide(&[0.0, 0.0]), 1);
        // Missing class 0 costs 5: 5 * 1/5 = 1 > 4/5, so class 0.
        let rule = CostRule {
            matrix: matrix(&[&[0.0, 5.0], &[1.0, 0.0]]),
            ..rule
        };
        assert_eq!(rule.decide(&[0.0, 0.0]), 0);
    }

    #[test]
    fn row_constant_matrices_have_equivalent_weights_scaled_to_debris() {
        let costs = matrix(&[&[0.0, 5.0, 5.0], &[2.0, 0.0, 2.0], &[4.0, 4.0, 0.0]]);
        assert_eq!(costs.row_constant(), Some(vec![5.0, 2.0, 4.0]));
        assert_eq!(
            costs.equivalent_weights(&[1.0, 1.0, 0.5], 2),
            Some(vec![0.625, 0.25, 0.5])
        );
        let uneven = matrix(&[&[0.0, 5.0, 1.0], &[2.0, 0.0, 2.0], &[4.0, 4.0, 0.0]]);
        assert_eq!(uneven.row_constant(), None);
        assert_eq!(uneven.equivalent_weights(&[1.0; 3], 2), None);
        assert_eq!(
            CostMatrix::from_weights(&[5.0, 2.0, 4.0]),
            costs.rows(),
            "filling from weights gives the row-constant matrix"
        );
    }

    #[test]
    fn margins_make_each_confusion_weigh_its_cost() {
        let costs = matrix(&[&[0.0, 5.0, 1.0], &[2.0, 0.0, 8.0], &[4.0, 0.5, 0.0]]);
        let weights = [1.5, 0.25, 3.0];
        let margins = costs.margins(&weights).unwrap();
        // w_t exp(m[t][k]) / C[t][k] is one constant for every confusion.
        let ratio = weights[0] * margins[0][1].exp() / 5.0;
        for t in 0..3 {
            assert_eq!(margins[t][t], 0.0);
            for k in (0..3).filter(|&k| k != t) {
                let r = weights[t] * margins[t][k].exp() / costs.get(t, k);
                assert!((r / ratio - 1.0).abs() < 1e-12, "{t} {k}: {r} vs {ratio}");
            }
        }
        // A matrix the weights express exactly needs no margins.
        let even = matrix(&[&[0.0, 3.0, 3.0], &[0.5, 0.0, 0.5], &[6.0, 6.0, 0.0]]);
        let zero = even.margins(&[1.5, 0.25, 3.0]).unwrap();
        assert!(zero.iter().flatten().all(|m| m.abs() < 1e-15), "{zero:?}");
        // A free mistake in a weighted row has none; in a row of weight 0 it does not matter.
        let free = matrix(&[&[0.0, 0.0, 1.0], &[2.0, 0.0, 8.0], &[4.0, 0.5, 0.0]]);
        assert_eq!(free.margins(&weights), None);
        assert!(free.margins(&[0.0, 0.25, 3.0]).is_some());
    }

    #[test]
    fn the_kept_probabilities_decide_as_the_rule_does() {
        let data = ValidationData {
            source: "test".to_owned(),
            classes: 3,
            kind: crate::core::outcomes::data::ScoreKind::Logits,
            scores: crate::core::outcomes::data::Scores::F64(vec![
                0.1, 2.0, -1.0, 3.0, 0.0, 0.5, -2.0, 0.2, 0.3, 1.0, 1.0, 1.0, 0.0, 5.0, 4.9,
            ]),
            labels: vec![1, 0, 2, 0, 2],
        };
        let basis = ShiftBasis::new(vec![1.0, 2.0, 0.5]);
        let rule = CostRule {
            values: DecisionRule::new(&basis, &[1.0; 3], 0.7, 2),
            matrix: matrix(&[&[0.0, 3.0, 1.0], &[1.0, 0.0, 6.0], &[2.0, 1.0, 0.0]]),
        };
        let predictions = cost_predictions(&data, &rule);
        let kept = Probabilities::of(&data, &rule.values);
        assert_eq!(
            kept.confusion(&data.labels, &rule.matrix),
            Confusion::of(&data.labels, &predictions, 3)
        );
        for (sample, &predicted) in predictions.iter().enumerate() {
            assert_eq!(rule.decide(&data.row(sample)), predicted as usize);
        }
    }
}
