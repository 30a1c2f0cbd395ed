//! The cost rule: decisions against numpy's `argmin(P @ C)` on `tests/data/costs.npz` (written,
//! with the values below, by `tests/data/make_costs.py`), the row-constant equivalence exactly,
//! ties, the nearest weights' agreement recomputed by hand, and `tune --objective min-cost`.

use proptest::prelude::*;
use weightbench::core::outcomes::cost_report::CostDecisions;
use weightbench::core::outcomes::costs::{CostMatrix, Decision, cost_predictions};
use weightbench::core::outcomes::data::{ScoreKind, Scores, ValidationData};
use weightbench::core::outcomes::decision::{DecisionRule, ShiftBasis, predict};
use weightbench::core::outcomes::metrics::Confusion;
use weightbench::core::outcomes::read::load;
use weightbench::core::outcomes::{
    Objective, OutcomeError, OutcomeOptions, OutcomeSetup, Outcomes, TemperatureChoice,
    TuneOptions, suggest,
};
use weightbench::core::rng::SplitMix64;

use super::preset_with;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The fixture's cost matrix, rows truth.
const COSTS: [[f64; 4]; 4] = [
    [0.0, 2.0, 2.0, 4.0],
    [2.0, 0.0, 3.0, 6.0],
    [1.0, 1.0, 0.0, 3.0],
    [1.0, 6.0, 2.0, 0.0],
];

/// numpy's decisions at T = 1.3 (`make_costs.py`'s `decide(1.3)`), total cost 18.
pub const NUMPY_T13: [u32; 60] = [
    3, 3, 2, 0, 0, 0, 3, 0, 2, 3, 3, 3, 0, 0, 3, 0, 3, 0, 3, 0, 0, 0, 3, 3, 3, 3, 0, 3, 0, 3, 3, 0,
    1, 0, 3, 0, 0, 0, 3, 3, 0, 3, 3, 3, 0, 0, 3, 0, 0, 3, 0, 0, 0, 3, 0, 1, 0, 3, 0, 0,
];

/// numpy's decisions at T = 1 with the prior correction to (0.2, 0.1, 0.2, 0.5), total cost 46.
pub const NUMPY_PRIOR: [u32; 60] = [
    0, 3, 2, 1, 2, 0, 0, 2, 2, 3, 3, 0, 2, 1, 0, 2, 3, 0, 3, 0, 0, 0, 0, 0, 0, 3, 0, 3, 0, 3, 3, 0,
    1, 0, 3, 0, 1, 0, 3, 0, 0, 3, 3, 0, 0, 0, 3, 0, 1, 3, 0, 0, 0, 0, 0, 1, 0, 3, 0, 2,
];

fn costs() -> Vec<Vec<f64>> {
    COSTS.iter().map(|row| row.to_vec()).collect()
}

fn fixture() -> (weightbench::core::Preset, ValidationData) {
    let mut preset = preset_with(&[260, 10, 56, 500], &[1.0, 2.0, 1.5, 0.5], 3);
    preset.validation.trained_with = vec![1.0, 2.0, 1.5, 0.5];
    let names: Vec<String> = preset.classes.iter().map(|c| c.name.clone()).collect();
    let path = std::path::PathBuf::from(format!("{ROOT}/tests/data/costs.npz"));
    let data = load(&path, None, &names, &mut |_| true).unwrap();
    (preset, data)
}

fn cost_options(temperature: TemperatureChoice) -> OutcomeOptions {
    OutcomeOptions {
        temperature,
        decision: Decision::Cost,
        costs: Some(costs()),
        ..OutcomeOptions::default()
    }
}

#[test]
fn decisions_equal_numpys_argmin_of_p_times_c() {
    let (preset, data) = fixture();
    let options = cost_options(TemperatureChoice::Fixed(1.3));
    let setup = OutcomeSetup::new(&data, &preset, &options).unwrap();
    let rule = setup.cost_rule().unwrap();
    assert_eq!(cost_predictions(&data, &rule), NUMPY_T13);
    let outcomes = Outcomes::of(&data, &preset, &options).unwrap();
    assert_eq!(
        outcomes.current.confusion,
        Confusion::of(&data.labels, &NUMPY_T13, 4)
    );
    let cost = outcomes.cost.unwrap();
    assert_eq!(cost.total, 18.0);
    assert_eq!(cost.cost_rule_total, 18.0);
    assert_eq!(cost.mean, 18.0 / 60.0);
}

#[test]
fn with_the_prior_correction_too() {
    let (mut preset, data) = fixture();
    preset.validation.deploy_prior = vec![0.2, 0.1, 0.2, 0.5];
    let options = OutcomeOptions {
        prior_correction: true,
        ..cost_options(TemperatureChoice::Off)
    };
    let setup = OutcomeSetup::new(&data, &preset, &options).unwrap();
    assert_eq!(
        cost_predictions(&data, &setup.cost_rule().unwrap()),
        NUMPY_PRIOR
    );
    let cost = Outcomes::of(&data, &preset, &options)
        .unwrap()
        .cost
        .unwrap();
    assert_eq!(cost.total, 46.0);
    // Per 10,000 deployed: each true class's row of costs, weighted by its deployed share
    // over its support, recomputed here from numpy's decisions.
    let confusion = Confusion::of(&data.labels, &NUMPY_PRIOR, 4);
    let prior = [0.2, 0.1, 0.2, 0.5];
    let mut expected = 0.0;
    for (t, row) in COSTS.iter().enumerate() {
        for (k, cost) in row.iter().enumerate() {
            expected += 10_000.0 * prior[t] * confusion.get(t, k) as f64
                / confusion.support(t) as f64
                * cost;
        }
    }
    let deployed = cost.deployed.unwrap();
    assert!(
        (deployed - expected).abs() < 1e-9 * expected,
        "{deployed} vs {expected}"
    );
}

#[test]
fn the_weights_decide_the_current_block_unless_the_cost_rule_is_chosen() {
    let (preset, data) = fixture();
    let options = OutcomeOptions {
        decision: Decision::Weights,
        ..cost_options(TemperatureChoice::Fixed(1.3))
    };
    let outcomes = Outcomes::of(&data, &preset, &options).unwrap();
    let setup = OutcomeSetup::new(&data, &preset, &options).unwrap();
    let argmax = predict(&data, &setup.current_rule());
    assert_eq!(
        outcomes.current.confusion,
        Confusion::of(&data.labels, &argmax, 4)
    );
    let cost = outcomes.cost.unwrap();
    let by_hand: f64 = data
        .labels
        .iter()
        .zip(&argmax)
        .map(|(&y, &k)| COSTS[y as usize][k as usize])
        .sum();
    assert_eq!(cost.total, by_hand);
    assert_eq!(cost.weights_total, by_hand);
    assert_eq!(cost.cost_rule_total, 18.0);
    // The cost rule minimises the expected cost, and here the realised cost too.
    assert!(cost.cost_rule_total <= cost.baseline_total);
}

/// The argmax of `z / T + ln(w / w_old)` by hand, ties to the lowest index.
fn argmax_by_hand(
    data: &ValidationData,
    weights: &[f64],
    old: &[f64],
    temperature: f64,
) -> Vec<u32> {
    (0..data.samples())
        .map(|sample| {
            let row = data.row(sample);
            let mut best = (0u32, f64::NEG_INFINITY);
            for (c, &z) in (0u32..).zip(&row) {
                let value = z / temperature + (weights[c as usize] / old[c as usize]).ln();
                if value > best.1 {
                    best = (c, value);
                }
            }
            best.0
        })
        .collect()
}

#[test]
fn the_nearest_weights_agree_as_often_as_counted_by_hand() {
    let (preset, data) = fixture();
    let options = cost_options(TemperatureChoice::Fixed(1.3));
    let cost = Outcomes::of(&data, &preset, &options)
        .unwrap()
        .cost
        .unwrap();
    assert_eq!(cost.weights_equivalent, None);
    let old = [1.0, 2.0, 1.5, 0.5];
    let theirs = argmax_by_hand(&data, &cost.nearest_weights, &old, 1.3);
    let agreeing = theirs
        .iter()
        .zip(&NUMPY_T13)
        .filter(|(a, b)| a == b)
        .count() as u64;
    assert_eq!(cost.agreeing_samples, agreeing);
    assert_eq!(cost.agreement, agreeing as f64 / 60.0);
    // Never worse than the trained-with weights, nor than the rows' mean costs as weights.
    for start in [
        old.to_vec(),
        CostMatrix::new(&costs(), 4).unwrap().row_means(),
    ] {
        let theirs = argmax_by_hand(&data, &start, &old, 1.3);
        let start_agrees = theirs
            .iter()
            .zip(&NUMPY_T13)
            .filter(|(a, b)| a == b)
            .count() as u64;
        assert!(
            agreeing >= start_agrees,
            "{agreeing} < {start_agrees} from {start:?}"
        );
    }
    assert_eq!(
        cost.nearest_weights[3], 0.5,
        "debris keeps its trained-with weight"
    );
    // The margins give each confusion the weight of its cost with the nearest weights.
    let margins = cost.margins.unwrap();
    let w = &cost.nearest_weights;
    let ratio = w[0] * margins[0][1].exp() / COSTS[0][1];
    for t in 0..4 {
        for k in (0..4).filter(|&k| k != t) {
            let r = w[t] * margins[t][k].exp() / COSTS[t][k];
            assert!((r / ratio - 1.0).abs() < 1e-9, "{t} {k}");
        }
    }
}

/// `samples` rows of `classes` logits from a seeded generator.
fn random_data(seed: u64, samples: usize, classes: usize) -> ValidationData {
    let mut rng = SplitMix64::new(seed);
    let scores: Vec<f64> = (0..samples * classes)
        .map(|_| 6.0 * rng.uniform() - 3.0)
        .collect();
    let labels = (0..samples).map(|i| (i % classes) as u32).collect();
    ValidationData {
        source: "random".to_owned(),
        classes,
        kind: ScoreKind::Logits,
        scores: Scores::F64(scores),
        labels,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A matrix constant off the diagonal in every row is the weights `c`' rule: the
    /// equivalent weights decide as the cost rule on every sample.
    #[test]
    fn row_constant_costs_are_exactly_their_weights(
        seed in any::<u64>(),
        c in prop::collection::vec(0.05f64..20.0, 4),
        old in prop::collection::vec(0.1f64..5.0, 4),
        temperature in 0.3f64..3.0,
    ) {
        let data = random_data(seed, 400, 4);
        let mut preset = preset_with(&[10, 10, 10, 100], &old, 3);
        preset.validation.trained_with = old.clone();
        let rows = CostMatrix::from_weights(&c);
        let options = OutcomeOptions {
            temperature: TemperatureChoice::Fixed(temperature),
            costs: Some(rows),
            ..OutcomeOptions::default()
        };
        let cost = Outcomes::of(&data, &preset, &options).unwrap().cost.unwrap();
        let equivalent = cost.weights_equivalent.clone().unwrap();
        // c scaled so debris keeps its trained-with weight.
        for (w, &cy) in equivalent.iter().zip(&c) {
            prop_assert!((w / (cy * old[3] / c[3]) - 1.0).abs() < 1e-12);
        }
        let setup = OutcomeSetup::new(&data, &preset, &options).unwrap();
        let by_cost = cost_predictions(&data, &setup.cost_rule().unwrap());
        prop_assert_eq!(argmax_by_hand(&data, &equivalent, &old, temperature), by_cost);
        prop_assert_eq!(cost.agreeing_samples, 400);
        prop_assert_eq!(cost.nearest_weights, equivalent);
        prop_assert!(cost.margins.unwrap().iter().flatten().all(|m| m.abs() < 1e-12));
    }
}

#[test]
fn ties_go_to_the_lowest_index_on_data_too() {
    // Equal logits and a 0-1 cost: every class ties, so class 0; equal columns 1 and 2 tie.
    let data = ValidationData {
        source: "ties".to_owned(),
        classes: 3,
        kind: ScoreKind::Logits,
        scores: Scores::F64(vec![0.0, 0.0, 0.0, -5.0, 1.0, 1.0]),
        labels: vec![0, 1],
    };
    let basis = ShiftBasis::new(vec![1.0; 3]);
    let values = DecisionRule::new(&basis, &[1.0; 3], 1.0, 2);
    let flat = CostMatrix::new(&CostMatrix::from_weights(&[1.0; 3]), 3).unwrap();
    let rule = weightbench::core::outcomes::costs::CostRule {
        values,
        matrix: flat,
    };
    assert_eq!(cost_predictions(&data, &rule), [0, 1]);
    assert_eq!(CostDecisions::of(&data, &rule).predictions, [0, 1]);
}

#[test]
fn min_cost_tuning_costs_no_more_than_the_trained_weights() {
    let (preset, data) = fixture();
    let options = TuneOptions {
        objective: Objective::MinCost,
        min_recall: None,
        outcome: OutcomeOptions {
            costs: Some(costs()),
            temperature: TemperatureChoice::Fixed(1.3),
            ..OutcomeOptions::default()
        },
    };
    let suggestion = suggest(&data, &preset, &options).unwrap();
    let old = [1.0, 2.0, 1.5, 0.5];
    let total = |predictions: &[u32]| -> f64 {
        data.labels
            .iter()
            .zip(predictions)
            .map(|(&y, &k)| COSTS[y as usize][k as usize])
            .sum()
    };
    let suggested = total(&argmax_by_hand(&data, &suggestion.weights, &old, 1.3));
    assert_eq!(suggestion.value, suggested);
    assert_eq!(
        suggestion.baseline_value,
        total(&argmax_by_hand(&data, &old, &old, 1.3))
    );
    assert!(suggestion.value <= suggestion.baseline_value);
    let without = TuneOptions {
        outcome: OutcomeOptions::default(),
        ..options
    };
    assert_eq!(
        suggest(&data, &preset, &without).unwrap_err(),
        OutcomeError::NoCosts {
            asked: "--objective min-cost"
        }
    );
}
