//! Where to retrain next: among the debris weights evaluated, leaving out those within 5 % of
//! a run's own (a retrain there adds little), the one the estimate scores best for the
//! objective, and the one where the band is widest (where a run would tell the most), looked
//! for between two runs first, where the band is the runs' own disagreement.

use serde::Serialize;

use super::estimate::{EstimateCurve, PointEstimate};
use super::set::RunSet;
use crate::core::outcomes::Objective;
use crate::core::outcomes::costs::CostMatrix;
use crate::core::outcomes::words::significant as round;

/// Debris weights within this share of a run's own are left out.
const NEAR_A_RUN: f64 = 0.05;

/// The `next` block of the JSON.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Next {
    /// The debris weight the objective prefers by the estimate; `None` when every weight
    /// evaluated is near a run.
    pub objective: Option<f64>,
    /// The debris weight where the band is widest; `None` likewise.
    pub widest_band: Option<f64>,
    /// The objective scored.
    pub objective_name: Objective,
    /// Its value there by the estimate (for `fewest-debris-fp`, the false positives from
    /// debris summed over classes).
    pub objective_value: Option<f64>,
    /// One line of why for each.
    pub why: Why,
}

/// Why each weight was chosen.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Why {
    /// Why `objective`.
    pub objective: String,
    /// Why `widest_band`.
    pub widest_band: String,
}

/// Per class: support, predictions and true positives of a confusion in expected samples.
struct Tally {
    support: Vec<f64>,
    predicted: Vec<f64>,
    true_positives: Vec<f64>,
}

impl Tally {
    fn of(confusion: &[f64], classes: usize) -> Self {
        let cell = |t: usize, k: usize| confusion[t * classes + k];
        Self {
            support: (0..classes)
                .map(|t| (0..classes).map(|k| cell(t, k)).sum())
                .collect(),
            predicted: (0..classes)
                .map(|k| (0..classes).map(|t| cell(t, k)).sum())
                .collect(),
            true_positives: (0..classes).map(|c| cell(c, c)).collect(),
        }
    }

    fn recall(&self, c: usize) -> Option<f64> {
        (self.support[c] > 0.0).then(|| self.true_positives[c] / self.support[c])
    }
}

/// The mean of `values`, 0 for none.
fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, count) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if count == 0 { 0.0 } else { sum / count as f64 }
}

/// How a point scores: fewer samples short of the recall floors first, then a larger value.
#[derive(Clone, Copy, Debug)]
struct Score {
    shortfall: f64,
    value: f64,
}

impl Score {
    fn beats(self, other: Self) -> bool {
        const TIE: f64 = 1e-9;
        self.shortfall < other.shortfall - TIE
            || ((self.shortfall - other.shortfall).abs() <= TIE && self.value > other.value + TIE)
    }
}

/// Scores the estimate's points for an objective.
struct Scorer {
    objective: Objective,
    classes: usize,
    debris: usize,
    /// With `fewest-debris-fp`, each class's recall floor (the estimate's at the set's own
    /// debris weight).
    floors: Vec<f64>,
    /// The costs of `min-cost` (without them every point costs 0).
    costs: Option<CostMatrix>,
}

impl Scorer {
    fn score(&self, point: &PointEstimate) -> Score {
        let tally = Tally::of(&point.confusion, self.classes);
        let value = match self.objective {
            Objective::BalancedAccuracy => mean((0..self.classes).filter_map(|c| tally.recall(c))),
            Objective::MacroF1 => mean(
                (0..self.classes)
                    .filter(|&c| tally.support[c] + tally.predicted[c] > 0.0)
                    .map(|c| {
                        2.0 * tally.true_positives[c] / (tally.support[c] + tally.predicted[c])
                    }),
            ),
            Objective::FewestDebrisFp => -point.counts.totals().0,
            Objective::MinCost => -self.cost(point),
        };
        let shortfall = self
            .floors
            .iter()
            .enumerate()
            .filter(|&(c, _)| c != self.debris)
            .map(|(c, &floor)| {
                let recall = tally.recall(c).unwrap_or(floor);
                (floor - recall).max(0.0) * tally.support[c]
            })
            .sum();
        Score { shortfall, value }
    }

    /// The point's expected total cost: its blended confusion times the costs.
    fn cost(&self, point: &PointEstimate) -> f64 {
        let Some(costs) = &self.costs else {
            return 0.0;
        };
        let classes = self.classes;
        (0..classes * classes)
            .map(|cell| point.confusion[cell] * costs.get(cell / classes, cell % classes))
            .sum()
    }
}

impl Next {
    /// Where to retrain next, from `estimate` (along its grid) of `set`; `fewest-debris-fp`
    /// keeps each class's recall at the debris weight `current` (the one set now); `min-cost`
    /// reads `costs`.
    #[must_use]
    pub fn of(
        set: &RunSet,
        estimate: &EstimateCurve,
        objective: Objective,
        current: f64,
        costs: Option<&CostMatrix>,
    ) -> Self {
        let debris = set.debris();
        let classes = set.classes();
        let run_weights: Vec<f64> = set.runs().iter().map(|r| r.weights[debris]).collect();
        let far_from_runs = |w: f64| {
            run_weights
                .iter()
                .all(|&r| (w / r - 1.0).abs() > NEAR_A_RUN)
        };
        let own_debris = current;
        let floors = match (objective, set.estimate_at(own_debris)) {
            (Objective::FewestDebrisFp, Some(point)) => {
                let tally = Tally::of(&point.confusion, classes);
                (0..classes)
                    .map(|c| tally.recall(c).unwrap_or(0.0))
                    .collect()
            }
            _ => Vec::new(),
        };
        let scorer = Scorer {
            objective,
            classes,
            debris,
            floors,
            costs: costs.cloned(),
        };
        let weights = &estimate.points;
        let grid: Vec<(f64, &PointEstimate)> = estimate_weights(estimate)
            .into_iter()
            .zip(weights)
            .filter(|(w, _)| far_from_runs(*w))
            .collect();
        let mut best: Option<(f64, &PointEstimate, Score)> = None;
        let mut widest: Option<(f64, &PointEstimate)> = None;
        for &(w, point) in &grid {
            let score = scorer.score(point);
            let scorable = objective != Objective::MinCost || scorer.costs.is_some();
            if scorable && best.as_ref().is_none_or(|b| score.beats(b.2)) {
                best = Some((w, point, score));
            }
            // Between two runs first: beyond them the band is the drift's guess, not a
            // disagreement a run could settle.
            let rank = |p: &PointEstimate| (p.groups.1.is_some(), p.band_width());
            if widest.as_ref().is_none_or(|b| {
                let (mine, theirs) = (rank(point), rank(b.1));
                (mine.0 && !theirs.0) || (mine.0 == theirs.0 && mine.1 > theirs.1)
            }) {
                widest = Some((w, point));
            }
        }
        let evaluated = grid.len();
        let none =
            "No debris weight evaluated is more than 5 % from a run's own: evaluate a wider range."
                .to_owned();
        let objective_value = best.as_ref().map(|b| match objective {
            Objective::FewestDebrisFp | Objective::MinCost => -b.2.value,
            _ => b.2.value,
        });
        let unscored = if objective == Objective::MinCost && scorer.costs.is_none() {
            "min-cost needs a cost matrix: type the costs in the Costs pane (the preset's `costs`)."
                .to_owned()
        } else {
            none.clone()
        };
        let why_objective = best.as_ref().map_or_else(
            || unscored,
            |(w, point, score)| {
                let between = between_text(set, point);
                let value = match objective {
                    Objective::FewestDebrisFp => format!(
                        "{:.1} false positives from debris by the estimate, each rare class keeping its recall at debris weight {}{}",
                        -score.value,
                        round(own_debris),
                        if score.shortfall > 0.0 { " as nearly as any weight can" } else { "" }
                    ),
                    Objective::MinCost => format!(
                        "an expected total cost of {:.1} by the estimate",
                        -score.value
                    ),
                    _ => format!("{} {:.4} by the estimate", objective.name(), score.value),
                };
                format!(
                    "Debris weight {}: {value}, the best of the {evaluated} weights evaluated away from the runs ({between}).",
                    round(*w)
                )
            },
        );
        let why_widest = widest.as_ref().map_or(none, |(w, point)| {
            let (low, high) = (point.low.totals(), point.high.totals());
            format!(
                "Debris weight {}: the band is widest here, false positives from debris {:.1} to {:.1} and false negatives to debris {:.1} to {:.1} ({}); a run here would tell the most.",
                round(*w),
                low.0,
                high.0,
                low.1,
                high.1,
                between_text(set, point)
            )
        });
        Self {
            objective: best.map(|b| b.0),
            widest_band: widest.map(|b| b.0),
            objective_name: objective,
            objective_value,
            why: Why {
                objective: why_objective,
                widest_band: why_widest,
            },
        }
    }
}

/// The debris weights of `estimate`'s points, read back from the runs' grid: each point's
/// weight is the grid's.
fn estimate_weights(estimate: &EstimateCurve) -> Vec<f64> {
    estimate.debris_weight.clone()
}

/// Which runs a point was estimated from.
fn between_text(set: &RunSet, point: &PointEstimate) -> String {
    let debris = set.debris();
    let weight = |g: usize| round(set.groups()[g].weights[debris]);
    match point.groups {
        (a, Some(b)) => {
            let (low, high) = if set.groups()[a].weights[debris] <= set.groups()[b].weights[debris]
            {
                (a, b)
            } else {
                (b, a)
            };
            format!("between the runs at {} and {}", weight(low), weight(high))
        }
        (a, None) => format!("beyond the runs, from the run at {}", weight(a)),
    }
}
