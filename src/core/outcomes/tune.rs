//! Suggested weights: the class weights whose decisions score best on the validation set for
//! one objective (`weightbench tune`).
//!
//! The search is coordinate ascent over the decision shifts, each step exact: as one class's
//! shift grows, samples switch to that class at their thresholds (see
//! [`crate::core::outcomes::switch`]), so sweeping the sorted thresholds visits every
//! distinct outcome of that coordinate, and the best is kept only when strictly better. The
//! search starts from the trained-with weights, from the best debris weight alone (with the
//! other weights at trained-with, and at the current weights), and from the current weights; the
//! answer is whichever of these candidates and the ascent's result measures best, so it is never
//! worse than the trained weights nor than the best debris weight alone.

use serde::Serialize;

use crate::core::outcomes::costs::CostMatrix;
use crate::core::outcomes::data::ValidationData;
use crate::core::outcomes::decision::{DecisionRule, for_each_prediction, metrics_of};
use crate::core::outcomes::metrics::{Confusion, Metrics, Tally};
use crate::core::outcomes::setup::{OutcomeError, OutcomeOptions, OutcomeSetup};
use crate::core::outcomes::switch::Switches;
use crate::core::preset::Preset;

/// The most rounds of coordinate ascent (each round tries every class once).
const MAX_ROUNDS: usize = 12;

/// What the suggested weights maximise.
///
/// The names on the command line (clap) and in JSON (serde) are both kebab-case, as
/// [`Objective::name`] gives them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
#[value(rename_all = "kebab-case")]
pub enum Objective {
    /// Mean recall over the classes present in the labels.
    BalancedAccuracy,
    /// Mean F1 (scikit-learn's macro average, undefined counting 0).
    MacroF1,
    /// The fewest debris samples called another class, every rare class keeping its minimum
    /// recall.
    FewestDebrisFp,
    /// The least total cost under the cost matrix (`--costs`, or the preset's `costs`).
    MinCost,
}

impl Objective {
    /// Every objective, in the order menus list them.
    pub const ALL: [Self; 4] = [
        Self::BalancedAccuracy,
        Self::MacroF1,
        Self::FewestDebrisFp,
        Self::MinCost,
    ];

    /// The name on the command line and in JSON.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::BalancedAccuracy => "balanced-accuracy",
            Self::MacroF1 => "macro-f1",
            Self::FewestDebrisFp => "fewest-debris-fp",
            Self::MinCost => "min-cost",
        }
    }

    /// The objective called `name`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.name() == name)
    }
}

/// What to tune for, and the outcome options the decisions are taken under.
#[derive(Clone, Debug, PartialEq)]
pub struct TuneOptions {
    /// The objective.
    pub objective: Objective,
    /// With [`Objective::FewestDebrisFp`], the recall every rare class present in the labels
    /// keeps (`--min-recall`); `None`: each keeps its recall at the trained-with weights.
    pub min_recall: Option<f64>,
    /// Trained-with weights, deployment prior, prior correction and temperature.
    pub outcome: OutcomeOptions,
}

/// Suggested weights and what they achieve: the `weightbench tune --format json` contract.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Suggestion {
    /// The objective.
    pub objective: Objective,
    /// The objective measured at `weights` (for `fewest-debris-fp`, the false positives from
    /// debris, summed over classes).
    pub value: f64,
    /// The objective measured at the trained-with weights.
    pub baseline_value: f64,
    /// The suggested weights, scaled so the debris weight is the trained-with one.
    pub weights: Vec<f64>,
    /// The metrics at `weights`.
    pub current: Metrics,
    /// With `fewest-debris-fp`: true positives still missing to reach every minimum recall
    /// (0 when every rare class meets it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recall_shortfall: Option<u64>,
}

/// How good a set of decisions is: fewer missing true positives first, then a larger value.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Score {
    shortfall: u64,
    value: f64,
}

impl Score {
    fn beats(self, other: Self) -> bool {
        self.shortfall < other.shortfall
            || (self.shortfall == other.shortfall && self.value > other.value)
    }
}

/// What a set of decisions is scored on: the per-class counts, the false positives from
/// debris, the total cost (with a cost matrix) and the samples that agree with the targets
/// (with targets).
#[derive(Clone, Debug, PartialEq)]
struct Measure {
    tally: Tally,
    debris_fp: u64,
    cost: f64,
    agree: u64,
}

/// What the search maximises: an objective, or agreement with given decisions.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Aim {
    Objective(Objective),
    /// The most samples decided as the targets.
    Agreement,
}

/// The aim with its recall floors, its cost matrix and its targets.
struct Goal<'a> {
    aim: Aim,
    /// Per class, the true positives needed (0: no floor).
    needed: Vec<u64>,
    /// The costs of [`Objective::MinCost`].
    costs: Option<&'a CostMatrix>,
    /// The decisions [`Aim::Agreement`] agrees with (empty otherwise).
    targets: &'a [u32],
}

impl Goal<'_> {
    fn score(&self, measure: &Measure) -> Score {
        let tally = &measure.tally;
        let shortfall = self
            .needed
            .iter()
            .zip(&tally.true_positives)
            .map(|(&need, &tp)| need.saturating_sub(tp))
            .sum();
        let value = match self.aim {
            Aim::Objective(Objective::BalancedAccuracy) => tally.balanced_accuracy().unwrap_or(0.0),
            Aim::Objective(Objective::MacroF1) => tally.macro_f1().unwrap_or(0.0),
            Aim::Objective(Objective::FewestDebrisFp) => -(measure.debris_fp as f64),
            Aim::Objective(Objective::MinCost) => -measure.cost,
            Aim::Agreement => measure.agree as f64,
        };
        Score { shortfall, value }
    }

    /// The objective's value as reported (counts and costs as themselves).
    fn reported(&self, measure: &Measure) -> f64 {
        let score = self.score(measure);
        match self.aim {
            Aim::Objective(Objective::FewestDebrisFp | Objective::MinCost) => -score.value,
            _ => score.value,
        }
    }

    /// The measure of the decisions counted in `confusion`, with `agree` samples agreeing.
    fn measure(&self, confusion: &Confusion, debris: usize, agree: u64) -> Measure {
        let classes = confusion.classes();
        Measure {
            tally: confusion.tally(),
            debris_fp: (0..classes)
                .filter(|&k| k != debris)
                .map(|k| confusion.get(debris, k))
                .sum(),
            cost: self.costs.map_or(0.0, |costs| costs.cost_of(confusion)),
            agree,
        }
    }
}

/// The weights that score best on `data` for `options.objective`.
///
/// # Errors
/// As [`crate::core::outcomes::report::Outcomes::of`]; a `--min-recall` that is not a share
/// or comes with another objective than `fewest-debris-fp`; `min-cost` without a cost matrix.
pub fn suggest(
    data: &ValidationData,
    preset: &Preset,
    options: &TuneOptions,
) -> Result<Suggestion, OutcomeError> {
    let setup = OutcomeSetup::new(data, preset, &options.outcome)?;
    let costs = setup.costs.as_ref();
    if options.objective == Objective::MinCost && costs.is_none() {
        return Err(OutcomeError::NoCosts {
            asked: "--objective min-cost",
        });
    }
    let baseline = metrics_of(data, &setup.baseline_rule(), setup.debris, None);
    let needed = needed(options, &baseline, setup.debris)?;
    let goal = Goal {
        aim: Aim::Objective(options.objective),
        needed,
        costs,
        targets: &[],
    };
    let search = Search {
        data,
        setup: &setup,
        goal: &goal,
    };
    let found = search.best(Vec::new());
    let baseline_measure = goal.measure(&baseline.confusion, setup.debris, 0);
    let current = Metrics::of(found.confusion, setup.debris, setup.deploy_prior.as_deref());
    Ok(Suggestion {
        objective: options.objective,
        value: goal.reported(&found.measure),
        baseline_value: goal.reported(&baseline_measure),
        weights: found.weights,
        current,
        recall_shortfall: (options.objective == Objective::FewestDebrisFp)
            .then_some(found.score.shortfall),
    })
}

/// The weights nearest a rule: the ones whose argmax agrees with `targets` (each sample's
/// decision under that rule) on the most samples, and how many.
#[derive(Clone, Debug, PartialEq)]
pub struct Nearest {
    /// The weights, scaled so debris keeps its trained-with weight.
    pub weights: Vec<f64>,
    /// The samples on which their decisions equal the targets.
    pub agreeing: u64,
}

/// The weights whose argmax rule (under `setup`'s trained-with weights, prior correction and
/// temperature) agrees with `targets` on the most samples of `data`: the exact coordinate
/// search of `tune`, from the trained-with weights, the current weights and `start`.
#[must_use]
pub fn nearest_weights(
    data: &ValidationData,
    setup: &OutcomeSetup,
    targets: &[u32],
    start: &[f64],
) -> Nearest {
    let goal = Goal {
        aim: Aim::Agreement,
        needed: vec![0; data.classes],
        costs: None,
        targets,
    };
    let search = Search {
        data,
        setup,
        goal: &goal,
    };
    let found = search.best(vec![setup.basis.shifts(start)]);
    Nearest {
        weights: found.weights,
        agreeing: found.measure.agree,
    }
}

/// The true positives each rare class present in the labels needs: for `fewest-debris-fp`
/// its recall at the trained-with weights or `--min-recall`; none for other objectives.
fn needed(
    options: &TuneOptions,
    baseline: &Metrics,
    debris: usize,
) -> Result<Vec<u64>, OutcomeError> {
    let tally = baseline.confusion.tally();
    let classes = tally.support.len();
    let objective = options.objective;
    let mut needed = vec![0; classes];
    match (objective, options.min_recall) {
        (Objective::FewestDebrisFp, None) => {
            for c in (0..classes).filter(|&c| c != debris) {
                needed[c] = tally.true_positives[c];
            }
        }
        (Objective::FewestDebrisFp, Some(recall)) if (0.0..=1.0).contains(&recall) => {
            for c in (0..classes).filter(|&c| c != debris) {
                needed[c] = true_positives_for(recall, tally.support[c]);
            }
        }
        (Objective::FewestDebrisFp, Some(recall)) => {
            return Err(OutcomeError::MinRecall {
                problem: format!("{recall}, expected a recall from 0 to 1"),
            });
        }
        (_, Some(_)) => {
            return Err(OutcomeError::MinRecall {
                problem: format!(
                    "only with the objective fewest-debris-fp, not {}",
                    objective.name()
                ),
            });
        }
        (_, None) => {}
    }
    Ok(needed)
}

/// The fewest true positives k out of `support` with `k / support >= recall`, computed as the
/// metrics compute a recall (0 for an absent class).
fn true_positives_for(recall: f64, support: u64) -> u64 {
    if support == 0 {
        return 0;
    }
    let meets = |k: u64| k as f64 / support as f64 >= recall;
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a count from 0 to support"
    )]
    let mut k = ((recall * support as f64).ceil().max(0.0) as u64).min(support);
    while k > 0 && meets(k - 1) {
        k -= 1;
    }
    while k < support && !meets(k) {
        k += 1;
    }
    k
}

/// The data, the setup and the goal the search runs on.
struct Search<'a> {
    data: &'a ValidationData,
    setup: &'a OutcomeSetup,
    goal: &'a Goal<'a>,
}

/// The best weights a search found, with their decisions' confusion, measure and score.
struct Found {
    weights: Vec<f64>,
    confusion: Confusion,
    measure: Measure,
    score: Score,
}

impl Search<'_> {
    fn rule(&self, shift: &[f64]) -> DecisionRule {
        DecisionRule {
            shift: shift.to_vec(),
            temperature: self.setup.temperature,
            fallback: self.setup.debris,
        }
    }

    /// The confusion and the measure of `rule`'s decisions (one pass, no predictions stored).
    fn measure_rule(&self, rule: &DecisionRule) -> (Confusion, Measure) {
        let data = self.data;
        let targets = self.goal.targets;
        let mut confusion = Confusion::new(data.classes);
        let mut agree = 0u64;
        for_each_prediction(data, rule, |sample, predicted| {
            confusion.add(data.labels[sample] as usize, predicted as usize, 1);
            agree += u64::from(targets.get(sample) == Some(&predicted));
        });
        let measure = self.goal.measure(&confusion, self.setup.debris, agree);
        (confusion, measure)
    }

    fn score_of(&self, shift: &[f64]) -> Score {
        self.goal.score(&self.measure_rule(&self.rule(shift)).1)
    }

    /// The best weights found from the trained-with weights, the current weights, the best
    /// debris weight alone from each, and `starts`, then by coordinate ascent from the best
    /// of these; each candidate measured at the weights reported for it, the first best kept.
    fn best(&self, starts: Vec<Vec<f64>>) -> Found {
        let setup = self.setup;
        let baseline_shift = setup.basis.shifts(&setup.trained_with);
        let current_shift = setup.basis.shifts(&setup.weights);
        let mut candidates = vec![baseline_shift.clone()];
        for start in [baseline_shift, current_shift.clone()] {
            let mut shift = start;
            let score = self.score_of(&shift);
            let movable = setup.basis.prior_shift[setup.debris].is_finite();
            if let Some((debris_shift, _)) = movable
                .then(|| self.best_shift(&shift, setup.debris, score))
                .flatten()
            {
                shift[setup.debris] = debris_shift;
            }
            candidates.push(shift);
        }
        candidates.push(current_shift);
        candidates.extend(starts);
        let start = candidates
            .iter()
            .fold(None::<(&Vec<f64>, Score)>, |best, shift| {
                let score = self.score_of(shift);
                match best {
                    Some((_, best_score)) if !score.beats(best_score) => best,
                    _ => Some((shift, score)),
                }
            })
            .map(|(shift, _)| shift.clone())
            .unwrap_or_default();
        candidates.push(self.ascend(start));
        let mut best: Option<Found> = None;
        for shift in &candidates {
            let weights = self.weights_of(shift);
            let (confusion, measure) = self.measure_rule(&setup.rule(&weights));
            let score = self.goal.score(&measure);
            if best.as_ref().is_none_or(|b| score.beats(b.score)) {
                best = Some(Found {
                    weights,
                    confusion,
                    measure,
                    score,
                });
            }
        }
        best.unwrap_or_else(|| {
            let weights = setup.trained_with.clone();
            let (confusion, measure) = self.measure_rule(&setup.baseline_rule());
            let score = self.goal.score(&measure);
            Found {
                weights,
                confusion,
                measure,
                score,
            }
        })
    }

    /// The weights whose shifts are `shift`, scaled so debris keeps its trained-with weight
    /// (a class the prior rules out keeps its trained-with weight).
    ///
    /// Classes meant to share a shift get exactly the same ratio `w / trained_with`, so the
    /// rule computes exactly the same shift for them and their ties still go to the lowest index.
    fn weights_of(&self, shift: &[f64]) -> Vec<f64> {
        let basis = &self.setup.basis;
        let log_ratio: Vec<f64> = shift
            .iter()
            .zip(&basis.prior_shift)
            .map(|(&s, &prior)| if prior.is_finite() { s - prior } else { 0.0 })
            .collect();
        let anchor = log_ratio
            .get(self.setup.debris)
            .copied()
            .filter(|a| a.is_finite())
            .unwrap_or(0.0);
        let target: Vec<f64> = log_ratio.iter().map(|&g| g - anchor).collect();
        let old = &basis.trained_with;
        let mut weights = vec![f64::NAN; target.len()];
        for c in 0..target.len() {
            if !weights[c].is_nan() {
                continue;
            }
            #[allow(clippy::float_cmp, reason = "classes meant to share a shift, exactly")]
            let group: Vec<usize> = (c..target.len())
                .filter(|&k| weights[k].is_nan() && target[k] == target[c])
                .collect();
            let olds: Vec<f64> = group.iter().map(|&k| old[k]).collect();
            let ratio = exact_ratio(target[c].exp(), &olds);
            for &k in &group {
                weights[k] = weight_for(ratio, old[k]).unwrap_or(old[k] * ratio);
            }
        }
        weights
    }

    /// Coordinate ascent from `shift`, debris first, until a round changes nothing.
    fn ascend(&self, mut shift: Vec<f64>) -> Vec<f64> {
        let debris = self.setup.debris;
        let movable: Vec<usize> = std::iter::once(debris)
            .chain((0..shift.len()).filter(|&c| c != debris))
            .filter(|&c| self.setup.basis.prior_shift[c].is_finite())
            .collect();
        let mut score = self.score_of(&shift);
        for _ in 0..MAX_ROUNDS {
            let mut improved = false;
            for &class in &movable {
                if let Some((value, better)) = self.best_shift(&shift, class, score) {
                    shift[class] = value;
                    score = better;
                    improved = true;
                }
            }
            if !improved {
                break;
            }
        }
        shift
    }

    /// The shift of `class` that scores best with the others held, when it beats `current`
    /// (ties: the one nearest the present shift).
    fn best_shift(&self, shift: &[f64], class: usize, current: Score) -> Option<(f64, Score)> {
        let data = self.data;
        let switches = Switches::of(data, &self.rule(shift), class);
        let tally = Tally {
            true_positives: vec![0; data.classes],
            support: vec![0; data.classes],
            predicted: vec![0; data.classes],
        };
        let debris = self.setup.debris;
        let (costs, targets) = (self.goal.costs, self.goal.targets);
        let mut measure = Measure {
            tally,
            debris_fp: 0,
            cost: 0.0,
            agree: 0,
        };
        for (sample, (&label, &other_class)) in data.labels.iter().zip(&switches.other).enumerate()
        {
            let (truth, other) = (label as usize, other_class as usize);
            measure.tally.support[truth] += 1;
            measure.tally.predicted[other] += 1;
            measure.tally.true_positives[truth] += u64::from(truth == other);
            measure.debris_fp += u64::from(truth == debris && other != debris);
            if let Some(costs) = costs {
                measure.cost += costs.get(truth, other);
            }
            measure.agree += u64::from(targets.get(sample) == Some(&other_class));
        }
        let mut order: Vec<(f64, u32)> = switches.threshold.iter().copied().zip(0..).collect();
        order.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let mut best: Option<(f64, Score)> = None;
        let present = shift[class];
        let mut i = 0;
        let mut lower = f64::NEG_INFINITY;
        while i <= order.len() {
            // Move every sample whose threshold is `lower` to `class`.
            #[allow(clippy::float_cmp, reason = "thresholds are grouped by exact value")]
            while i < order.len() && order[i].0 == lower {
                let sample = order[i].1 as usize;
                let (truth, other) = (
                    data.labels[sample] as usize,
                    switches.other[sample] as usize,
                );
                let tally = &mut measure.tally;
                tally.predicted[other] -= 1;
                tally.predicted[class] += 1;
                tally.true_positives[truth] -= u64::from(truth == other);
                tally.true_positives[truth] += u64::from(truth == class);
                measure.debris_fp -= u64::from(truth == debris && other != debris);
                measure.debris_fp += u64::from(truth == debris && class != debris);
                if let Some(costs) = costs {
                    measure.cost += costs.get(truth, class) - costs.get(truth, other);
                }
                if let Some(&target) = targets.get(sample) {
                    measure.agree -= u64::from(target as usize == other);
                    measure.agree += u64::from(target as usize == class);
                }
                i += 1;
            }
            let upper = order
                .get(i)
                .map(|o| o.0)
                .filter(|t| !t.is_nan())
                .unwrap_or(f64::INFINITY);
            let score = self.goal.score(&measure);
            if let Some(value) = representative(lower, upper) {
                let nearer = |b: f64| (value - present).abs() < (b - present).abs();
                let wins = match best {
                    None => score.beats(current),
                    Some((b, best_score)) => {
                        score.beats(best_score) || (score == best_score && nearer(b))
                    }
                };
                if wins {
                    best = Some((value, score));
                }
            }
            if upper == f64::INFINITY {
                break;
            }
            lower = upper;
        }
        best
    }
}

/// The ratio nearest `ratio` that every trained weight of `olds` reproduces exactly (see
/// [`weight_for`]); `ratio` itself when none within 1024 ulps does.
fn exact_ratio(ratio: f64, olds: &[f64]) -> f64 {
    if !ratio.is_normal() {
        return ratio;
    }
    let (mut up, mut down) = (ratio, ratio);
    for _ in 0..1024 {
        for candidate in [up, down] {
            if olds.iter().all(|&old| weight_for(candidate, old).is_some()) {
                return candidate;
            }
        }
        up = up.next_up();
        down = down.next_down();
    }
    ratio
}

/// A weight `w` with `w / old == ratio` exactly in f64, if `old * ratio` or a neighbour is one.
fn weight_for(ratio: f64, old: f64) -> Option<f64> {
    let weight = old * ratio;
    #[allow(clippy::float_cmp, reason = "the point is an exact quotient")]
    [weight, weight.next_up(), weight.next_down()]
        .into_iter()
        .find(|&w| w / old == ratio)
}

/// The relative width below which an interval of shifts is too narrow to reach through weights:
/// `ln(w / trained_with)` and the debris scaling round by a few ulps.
const NARROWEST_INTERVAL: f64 = 1e-10;

/// A finite shift inside `[lower, upper)` (the interval past the last threshold or before the
/// first is unbounded); `None` when the interval holds no finite number, or is too narrow to be
/// reached through weights (such intervals come from exact ties).
fn representative(lower: f64, upper: f64) -> Option<f64> {
    match (lower.is_finite(), upper.is_finite()) {
        (true, true) => {
            let scale = lower.abs().max(upper.abs()).max(1.0);
            (upper - lower >= NARROWEST_INTERVAL * scale).then_some(0.5 * lower + 0.5 * upper)
        }
        (true, false) => Some(lower + 1.0 + lower.abs()),
        (false, true) => Some(upper - 1.0 - upper.abs()),
        (false, false) => None,
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "exact ratios are the point")]
mod tests {
    use super::*;

    #[test]
    fn the_true_positives_for_a_recall_agree_with_the_recall_itself() {
        for support in 1..60u64 {
            for recall in [0.0, 0.1, 0.3, 1.0 / 3.0, 0.5, 0.7, 0.9, 0.99, 1.0] {
                let k = true_positives_for(recall, support);
                assert!(k as f64 / support as f64 >= recall);
                assert!(k == 0 || ((k - 1) as f64 / support as f64) < recall);
            }
        }
    }

    #[test]
    fn representatives_lie_inside_their_interval() {
        assert_eq!(representative(1.0, 3.0), Some(2.0));
        assert_eq!(representative(1.0, 1.0f64.next_up()), None);
        assert!(representative(2.0, f64::INFINITY).unwrap() > 2.0);
        assert!(representative(f64::NEG_INFINITY, -2.0).unwrap() < -2.0);
        assert_eq!(representative(f64::NEG_INFINITY, f64::INFINITY), None);
    }

    #[test]
    fn shared_ratios_are_exact_for_every_class_of_the_group() {
        let olds = [
            0.3,
            2.831_770_246_212_115,
            3.813_299_613_118_368,
            0.871_869_556_711_745_6,
        ];
        let ratio = exact_ratio((-0.75f64).exp(), &olds);
        assert!((ratio / (-0.75f64).exp() - 1.0).abs() < 1e-12);
        for old in olds {
            let weight = weight_for(ratio, old).unwrap();
            assert_eq!(weight / old, ratio);
        }
    }

    #[test]
    fn objectives_round_trip_their_names() {
        use clap::ValueEnum as _;
        for objective in Objective::ALL {
            assert_eq!(Objective::from_name(objective.name()), Some(objective));
            let json = serde_json::to_string(&objective).unwrap();
            assert_eq!(json, format!("\"{}\"", objective.name()));
            let value = objective.to_possible_value().unwrap();
            assert_eq!(value.get_name(), objective.name());
        }
        assert_eq!(Objective::value_variants(), Objective::ALL);
    }
}
