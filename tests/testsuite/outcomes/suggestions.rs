//! Suggested weights (`suggest`): they beat the trained weights and the best debris weight alone,
//! meet the minimum recall they are asked for, and refuse a minimum recall with another objective
//! or outside 0 to 1.
use super::*;

struct TuneCase {
    data: ValidationData,
    preset: Preset,
}

fn tune_case(seed: u64, samples: usize) -> TuneCase {
    let data = random_data(seed, samples, 4, false, seed.is_multiple_of(2));
    let mut rng = SplitMix64::new(seed ^ 0x7777);
    let mut preset = preset_with(&[300, 20, 40, 900], &random_weights(&mut rng, 4), 3);
    preset.validation.trained_with = random_weights(&mut rng, 4);
    preset.costs = TUNE_COSTS.iter().map(|row| row.to_vec()).collect();
    TuneCase { data, preset }
}

/// The costs `min-cost` tunes for: no row constant, so no weights decide as they do.
const TUNE_COSTS: [[f64; 4]; 4] = [
    [0.0, 2.0, 4.0, 5.0],
    [1.0, 0.0, 1.0, 8.0],
    [3.0, 1.0, 0.0, 2.0],
    [1.0, 6.0, 3.0, 0.0],
];

fn tune(
    case: &TuneCase,
    objective: Objective,
    min_recall: Option<f64>,
) -> weightbench::core::outcomes::Suggestion {
    let options = TuneOptions {
        objective,
        min_recall,
        outcome: OutcomeOptions::default(),
    };
    suggest(&case.data, &case.preset, &options).unwrap()
}

/// The objective of `metrics` as "larger is better", with the recall floors `needed` (true
/// positives per class) for the debris objective: `None` when a floor is missed.
fn objective_value(objective: Objective, metrics: &Metrics, needed: &[u64]) -> Option<f64> {
    match objective {
        Objective::BalancedAccuracy => metrics.balanced_accuracy,
        Objective::MacroF1 => metrics.macro_f1,
        Objective::FewestDebrisFp => {
            let tally = metrics.confusion.tally();
            let met = needed
                .iter()
                .zip(&tally.true_positives)
                .all(|(n, tp)| tp >= n);
            met.then(|| -(metrics.false_positives_from_debris.iter().sum::<u64>() as f64))
        }
        Objective::MinCost => {
            let mut total = 0.0;
            for (t, row) in metrics.confusion.rows().iter().enumerate() {
                for (k, &count) in row.iter().enumerate() {
                    total += count as f64 * TUNE_COSTS[t][k];
                }
            }
            Some(-total)
        }
    }
}

/// The best objective over a fine grid of debris weights, the other weights at `others`.
fn best_debris_alone(case: &TuneCase, objective: Objective, others: &[f64], needed: &[u64]) -> f64 {
    let basis = ShiftBasis::new(case.preset.trained_with());
    let grid = std::iter::once(0.0).chain((0..400).map(|k| 1e-4 * 1.05f64.powi(k)));
    grid.filter_map(|weight| {
        let mut weights = others.to_vec();
        weights[3] = weight;
        let metrics = metrics_of(
            &case.data,
            &DecisionRule::new(&basis, &weights, 1.0, 3),
            3,
            None,
        );
        objective_value(objective, &metrics, needed)
    })
    .fold(f64::NEG_INFINITY, f64::max)
}

#[test]
fn suggestions_beat_the_trained_weights_and_the_best_debris_weight_alone() {
    for seed in 0..8 {
        let case = tune_case(seed, 400);
        let baseline_rule = DecisionRule::new(
            &ShiftBasis::new(case.preset.trained_with()),
            &case.preset.trained_with(),
            1.0,
            3,
        );
        let baseline = metrics_of(&case.data, &baseline_rule, 3, None);
        let mut needed = baseline.confusion.tally().true_positives;
        needed[3] = 0;
        for objective in Objective::ALL {
            let suggestion = tune(&case, objective, None);
            let sign = if matches!(objective, Objective::FewestDebrisFp | Objective::MinCost) {
                -1.0
            } else {
                1.0
            };
            let value = sign * suggestion.value;
            assert!(
                value >= sign * suggestion.baseline_value,
                "{objective:?} seed {seed}"
            );
            assert_eq!(
                objective_value(objective, &suggestion.current, &needed),
                Some(value)
            );
            for others in [case.preset.trained_with(), case.preset.weights()] {
                let alone = best_debris_alone(&case, objective, &others, &needed);
                assert!(
                    value >= alone,
                    "{objective:?} seed {seed}: {value} < {alone}"
                );
            }
            assert_eq!(
                suggestion.weights[3],
                case.preset.trained_with()[3],
                "debris as trained"
            );
            // The value is what the outcomes report at the suggested weights.
            let mut at = case.preset.clone();
            for (class, &weight) in at.classes.iter_mut().zip(&suggestion.weights) {
                class.weight = weight;
            }
            let outcomes = Outcomes::of(&case.data, &at, &OutcomeOptions::default()).unwrap();
            assert_eq!(outcomes.current, suggestion.current);
        }
    }
}

#[test]
fn fewest_debris_false_positives_respect_the_minimum_recall() {
    for seed in 0..8 {
        let case = tune_case(seed, 400);
        let default = tune(&case, Objective::FewestDebrisFp, None);
        assert_eq!(default.recall_shortfall, Some(0));
        let baseline_recall = Outcomes::of(&case.data, &case.preset, &OutcomeOptions::default())
            .unwrap()
            .baseline
            .recall;
        let recalls = default.current.recall.iter().zip(&baseline_recall).take(3);
        for (c, pair) in recalls.enumerate() {
            if let (Some(now), Some(before)) = pair {
                assert!(now >= before, "seed {seed} class {c}: {now} < {before}");
            }
        }
        // A floor the trained weights meet: the suggestion meets it too.
        let floor = baseline_recall
            .iter()
            .take(3)
            .flatten()
            .copied()
            .fold(1.0, f64::min);
        let met = tune(&case, Objective::FewestDebrisFp, Some(floor));
        assert_eq!(met.recall_shortfall, Some(0), "seed {seed}");
        assert!(met.value <= met.baseline_value);
        for recall in met.current.recall.iter().take(3).flatten() {
            assert!(*recall >= floor, "seed {seed}: {recall} < {floor}");
        }
        for min_recall in [0.3, 0.6] {
            let suggestion = tune(&case, Objective::FewestDebrisFp, Some(min_recall));
            if suggestion.recall_shortfall == Some(0) {
                for recall in suggestion.current.recall.iter().take(3).flatten() {
                    assert!(
                        *recall >= min_recall,
                        "seed {seed}: {recall} < {min_recall}"
                    );
                }
            }
        }
        // No floor: every debris sample can stay debris.
        assert_eq!(tune(&case, Objective::FewestDebrisFp, Some(0.0)).value, 0.0);
    }
}

#[test]
fn min_recall_is_checked() {
    let case = tune_case(1, 50);
    let error = |objective, recall| {
        let options = TuneOptions {
            objective,
            min_recall: Some(recall),
            outcome: OutcomeOptions::default(),
        };
        suggest(&case.data, &case.preset, &options)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        error(Objective::MacroF1, 0.5),
        "--min-recall: only with the objective fewest-debris-fp, not macro-f1"
    );
    assert_eq!(
        error(Objective::FewestDebrisFp, 1.5),
        "--min-recall: 1.5, expected a recall from 0 to 1"
    );
}
