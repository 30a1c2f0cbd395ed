//! The outcomes of class weights on validation outputs: predictions, metrics, deployed counts,
//! the loss, the prior correction, the temperature, the JSON contract and its errors, and the
//! debris sweep; bootstrap bands and suggested weights are in `bands` and `suggestions`.
//!
//! Reference values come from `tests/data/outcomes_reference.py` (numpy, scikit-learn, scipy),
//! copied into `outcomes/reference.rs`; the rest checks the fast paths against brute force.

mod bands;
pub mod costs;
mod reference;
mod runs;
mod suggestions;

use proptest::prelude::*;
use weightbench::core::outcomes::bootstrap::{BootstrapOptions, bootstrap};
use weightbench::core::outcomes::data::{ScoreKind, Scores, ValidationData};
use weightbench::core::outcomes::debris_sweep::DebrisSweep;
use weightbench::core::outcomes::decision::{DecisionRule, ShiftBasis, predict};
use weightbench::core::outcomes::metrics::{Confusion, Metrics};
use weightbench::core::outcomes::report::metrics_of;
use weightbench::core::outcomes::temperature::{fit_temperature, mean_nll};
use weightbench::core::outcomes::{
    Objective, OutcomeError, OutcomeOptions, OutcomeSetup, Outcomes, TemperatureChoice,
    TuneOptions, suggest,
};
use weightbench::core::rng::SplitMix64;
use weightbench::core::{Class, Preset};

use reference as r;

fn reference_data() -> ValidationData {
    ValidationData {
        source: "reference".to_owned(),
        classes: r::C,
        kind: ScoreKind::Logits,
        scores: Scores::F64(r::LOGITS.iter().flatten().copied().collect()),
        labels: r::LABELS.to_vec(),
    }
}

fn preset_with(counts: &[u64], weights: &[f64], debris: usize) -> Preset {
    let mut preset = Preset::blank();
    preset.classes = counts
        .iter()
        .zip(weights)
        .enumerate()
        .map(|(c, (&count, &weight))| Class {
            name: format!("class{c}"),
            count,
            weight,
        })
        .collect();
    preset.debris = debris;
    preset.scenarios.clear();
    preset
}

fn reference_preset() -> Preset {
    let mut preset = preset_with(&[260, 10, 56, 500], &[1.0, 1.0, 0.0, 0.5], 3);
    preset.validation.trained_with = vec![1.0; 4];
    preset
}

const PRIOR: [f64; 4] = [0.2, 0.05, 0.05, 0.7];

struct Expected {
    confusion: [[u64; 4]; 4],
    precision: [Option<f64>; 4],
    recall: [Option<f64>; 4],
    f1: [Option<f64>; 4],
    accuracy: f64,
    balanced_accuracy: f64,
    macro_f1: f64,
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

fn close_all(a: &[Option<f64>], b: &[Option<f64>]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|pair| match pair {
            (Some(x), Some(y)) => close(*x, *y),
            (None, None) => true,
            _ => false,
        })
}

fn assert_metrics(metrics: &Metrics, expected: &Expected, what: &str) {
    let rows: Vec<Vec<u64>> = expected.confusion.iter().map(|r| r.to_vec()).collect();
    assert_eq!(metrics.confusion.rows(), rows, "{what}: confusion");
    assert!(
        close_all(&metrics.precision, &expected.precision),
        "{what}: precision {:?}",
        metrics.precision
    );
    assert!(
        close_all(&metrics.recall, &expected.recall),
        "{what}: recall {:?}",
        metrics.recall
    );
    assert!(
        close_all(&metrics.f1, &expected.f1),
        "{what}: f1 {:?}",
        metrics.f1
    );
    assert!(
        close(metrics.accuracy.unwrap(), expected.accuracy),
        "{what}: accuracy"
    );
    assert!(
        close(
            metrics.balanced_accuracy.unwrap(),
            expected.balanced_accuracy
        ),
        "{what}: balanced"
    );
    assert!(
        close(metrics.macro_f1.unwrap(), expected.macro_f1),
        "{what}: macro-F1"
    );
    for c in 0..3 {
        assert_eq!(
            metrics.false_positives_from_debris[c],
            expected.confusion[3][c]
        );
        assert_eq!(
            metrics.false_negatives_to_debris[c],
            expected.confusion[c][3]
        );
    }
    assert_eq!(metrics.false_positives_from_debris[3], 0);
    assert_eq!(metrics.false_negatives_to_debris[3], 0);
}

macro_rules! expected {
    ($block:ident) => {
        Expected {
            confusion: r::$block::CONFUSION,
            precision: r::$block::PRECISION,
            recall: r::$block::RECALL,
            f1: r::$block::F1,
            accuracy: r::$block::ACCURACY,
            balanced_accuracy: r::$block::BALANCED_ACCURACY,
            macro_f1: r::$block::MACRO_F1,
        }
    };
}

fn with_prior() -> OutcomeOptions {
    OutcomeOptions {
        deploy_prior: Some(PRIOR.to_vec()),
        ..OutcomeOptions::default()
    }
}

// --- Against numpy / scikit-learn / scipy -------------------------------------------------

#[test]
fn predictions_match_numpy_argmax_with_ties_to_the_lowest_index() {
    let data = reference_data();
    let preset = reference_preset();
    let basis = ShiftBasis::new(preset.trained_with());
    let current = DecisionRule::new(&basis, &preset.weights(), 1.0, 3);
    assert_eq!(predict(&data, &current), r::current::PREDICTIONS);
    let baseline = DecisionRule::new(&basis, &preset.trained_with(), 1.0, 3);
    assert_eq!(predict(&data, &baseline), r::baseline::PREDICTIONS);
    // The same scores in float32 (halves are exact) predict the same.
    let single = ValidationData {
        scores: Scores::F32(r::LOGITS.iter().flatten().map(|&z| z as f32).collect()),
        ..data
    };
    assert_eq!(predict(&single, &current), r::current::PREDICTIONS);
}

#[test]
fn current_and_baseline_metrics_match_scikit_learn() {
    let outcomes = Outcomes::of(&reference_data(), &reference_preset(), &with_prior()).unwrap();
    assert_metrics(&outcomes.current, &expected!(current), "current");
    assert_metrics(&outcomes.baseline, &expected!(baseline), "baseline");
    assert_eq!(outcomes.samples, 60);
    assert_eq!(outcomes.trained_with, [1.0; 4]);
    assert_eq!(outcomes.shift[0], 0.0);
    assert_eq!(outcomes.shift[2], f64::NEG_INFINITY);
    assert_eq!(outcomes.temperature, None);
}

#[test]
fn deployed_counts_match_numpy() {
    let outcomes = Outcomes::of(&reference_data(), &reference_preset(), &with_prior()).unwrap();
    let deployed = outcomes.current.deployed.unwrap();
    for (row, expected) in deployed.confusion.iter().zip(r::DEPLOYED_CONFUSION) {
        for (&value, expected) in row.iter().zip(expected) {
            assert!(close(value, expected), "{value} vs {expected}");
        }
    }
    assert!(close_all(&deployed.precision, &r::DEPLOYED_PRECISION));
    for c in 0..3 {
        assert!(close(
            deployed.false_positives_from_debris[c],
            r::DEPLOYED_CONFUSION[3][c]
        ));
        assert!(close(
            deployed.false_negatives_to_debris[c],
            r::DEPLOYED_CONFUSION[c][3]
        ));
    }
    assert_eq!(deployed.false_positives_from_debris[3], 0.0);
}

#[test]
fn the_loss_matches_the_numpy_weighted_cross_entropy() {
    let outcomes = Outcomes::of(&reference_data(), &reference_preset(), &with_prior()).unwrap();
    assert!(close(outcomes.loss.sum, r::LOSS_SUM));
    assert!(close(outcomes.loss.mean.unwrap(), r::LOSS_MEAN));
    assert!(close(
        outcomes.loss.mean_per_sample.unwrap(),
        r::LOSS_MEAN_PER_SAMPLE
    ));
}

#[test]
fn the_prior_correction_matches_numpy() {
    let options = OutcomeOptions {
        prior_correction: true,
        ..with_prior()
    };
    let outcomes = Outcomes::of(&reference_data(), &reference_preset(), &options).unwrap();
    assert_metrics(&outcomes.current, &expected!(corrected), "corrected");
    let setup = OutcomeSetup::new(&reference_data(), &reference_preset(), &options).unwrap();
    let predictions = predict(&reference_data(), &setup.current_rule());
    assert_eq!(predictions, r::corrected::PREDICTIONS);
}

#[test]
fn the_fitted_temperature_and_ece_match_scipy() {
    let options = OutcomeOptions {
        temperature: TemperatureChoice::Fit,
        ..OutcomeOptions::default()
    };
    let outcomes = Outcomes::of(&reference_data(), &reference_preset(), &options).unwrap();
    let temperature = outcomes.temperature.unwrap();
    assert!(
        (temperature - r::TEMPERATURE).abs() < 1e-9 * r::TEMPERATURE,
        "{temperature}"
    );
    assert!(close(outcomes.ece_before.unwrap(), r::ECE_BEFORE));
    assert!(close(outcomes.ece_after.unwrap(), r::ECE_AFTER));
    assert_metrics(&outcomes.current, &expected!(calibrated), "calibrated");
    let setup = OutcomeSetup::new(&reference_data(), &reference_preset(), &options).unwrap();
    let predictions = predict(&reference_data(), &setup.current_rule());
    assert_eq!(predictions, r::calibrated::PREDICTIONS);
}

// --- The JSON contract and the errors --------------------------------------------------------

#[test]
fn the_json_has_the_contract_keys() {
    let options = OutcomeOptions {
        temperature: TemperatureChoice::Fixed(2.0),
        ..with_prior()
    };
    let outcomes = Outcomes::of(&reference_data(), &reference_preset(), &options).unwrap();
    let json = serde_json::to_value(&outcomes).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec![
        "samples",
        "classes",
        "debris",
        "weights",
        "trained_with",
        "shift",
        "decision",
        "current",
        "baseline",
        "loss",
        "temperature",
        "ece_before",
        "ece_after",
    ];
    expected.sort_unstable();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, expected);
    assert_eq!(
        json["shift"][2],
        serde_json::Value::Null,
        "weight 0: shift -inf, written null"
    );
    assert_eq!(json["current"]["precision"][2], serde_json::Value::Null);
    assert_eq!(json["temperature"], 2.0);
    let deployed = json["current"]["deployed"].as_object().unwrap();
    assert_eq!(deployed.len(), 4);
    let loss = json["loss"].as_object().unwrap();
    assert_eq!(
        loss.keys().collect::<Vec<_>>(),
        ["mean", "mean_per_sample", "sum"]
    );
    // Without a temperature or a prior, those keys are left out.
    let plain = Outcomes::of(
        &reference_data(),
        &reference_preset(),
        &OutcomeOptions::default(),
    );
    let plain = serde_json::to_value(plain.unwrap()).unwrap();
    assert!(plain.get("temperature").is_none() && plain.get("ece_after").is_none());
    assert!(plain["current"].get("deployed").is_none());
}

#[test]
fn errors_name_the_flag_and_both_numbers() {
    let data = reference_data();
    let preset = reference_preset();
    let error = |options: OutcomeOptions| {
        Outcomes::of(&data, &preset, &options)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        error(OutcomeOptions {
            trained_with: Some(vec![1.0, 1.0, 1.0]),
            ..OutcomeOptions::default()
        }),
        "--trained-with: 3 weights, expected 4 (one per class)"
    );
    assert_eq!(
        error(OutcomeOptions {
            trained_with: Some(vec![1.0, 0.0, 1.0, 1.0]),
            ..OutcomeOptions::default()
        }),
        "--trained-with[1]: 0, expected a finite weight > 0"
    );
    assert!(
        error(OutcomeOptions {
            deploy_prior: Some(vec![0.5, 0.5, 0.5, 0.5]),
            ..OutcomeOptions::default()
        })
        .starts_with("--deploy-prior: sums to 2")
    );
    assert!(
        error(OutcomeOptions {
            prior_correction: true,
            ..OutcomeOptions::default()
        })
        .starts_with("--prior-correction: needs a deployment prior")
    );
    assert_eq!(
        error(OutcomeOptions {
            temperature: TemperatureChoice::Fixed(0.0),
            ..OutcomeOptions::default()
        }),
        "--temperature: 0, expected a finite number > 0"
    );
    let five = preset_with(&[1; 5], &[1.0; 5], 4);
    let message = Outcomes::of(&data, &five, &OutcomeOptions::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        message,
        "reference: 4 classes (score columns), but the preset has 5"
    );
    let mut zero_count = reference_preset();
    zero_count.classes[1].count = 0;
    let options = OutcomeOptions {
        prior_correction: true,
        ..with_prior()
    };
    assert!(matches!(
        Outcomes::of(&data, &zero_count, &options),
        Err(OutcomeError::PriorCorrectionZeroCount { index: 1, .. })
    ));
}

// --- Random data -------------------------------------------------------------------------------

/// `samples` x `classes` scores from `seed`: coarse ones on a grid of quarters (many exact ties)
/// or spread ones; labels mostly the last class's neighbours, with debris the most common.
fn random_data(
    seed: u64,
    samples: usize,
    classes: usize,
    single: bool,
    coarse: bool,
) -> ValidationData {
    let mut rng = SplitMix64::new(seed);
    let mut scores = Vec::with_capacity(samples * classes);
    let mut labels = Vec::with_capacity(samples);
    for _ in 0..samples {
        let label = if rng.uniform() < 0.5 {
            classes - 1
        } else {
            (rng.next_u64() % classes as u64) as usize
        };
        labels.push(label as u32);
        for c in 0..classes {
            let signal = if c == label { 1.0 } else { 0.0 };
            let z = if coarse {
                ((rng.next_u64() % 13) as f64 - 6.0) / 4.0 + signal
            } else {
                2.0 * rng.normal() + 1.5 * signal
            };
            scores.push(z);
        }
    }
    ValidationData {
        source: "random".to_owned(),
        classes,
        kind: ScoreKind::Logits,
        scores: if single {
            Scores::F32(scores.iter().map(|&z| z as f32).collect())
        } else {
            Scores::F64(scores)
        },
        labels,
    }
}

fn random_weights(rng: &mut SplitMix64, classes: usize) -> Vec<f64> {
    (0..classes).map(|_| 0.05 + 4.0 * rng.uniform()).collect()
}

// --- The debris sweep against brute force --------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_debris_sweep_equals_predicting_at_every_debris_weight(
        seed in any::<u64>(),
        samples in 1usize..120,
        classes in 2usize..6,
        single in any::<bool>(),
        coarse in any::<bool>(),
        temperature in prop_oneof![Just(1.0), 0.2f64..4.0],
        zero_mask in any::<u8>(),
    ) {
        let data = random_data(seed, samples, classes, single, coarse);
        let debris = (seed % classes as u64) as usize;
        let mut rng = SplitMix64::new(seed ^ 0xABCD);
        let basis = ShiftBasis::new(random_weights(&mut rng, classes));
        let mut weights = random_weights(&mut rng, classes);
        for (c, weight) in weights.iter_mut().enumerate() {
            if c != debris && (zero_mask >> c) & 1 == 1 {
                *weight = 0.0;
            }
        }
        let rule = DecisionRule::new(&basis, &weights, temperature, debris);
        let sweep = DebrisSweep::new(&data, &rule, debris);
        let grid: Vec<f64> =
            std::iter::once(0.0).chain((0..70).map(|k| 1e-3 * 1.25f64.powi(k))).collect();
        let curve = sweep.curve(&basis, &grid);
        for (k, &weight) in grid.iter().enumerate() {
            let mut at = weights.clone();
            at[debris] = weight;
            let predictions = predict(&data, &DecisionRule::new(&basis, &at, temperature, debris));
            let confusion = Confusion::of(&data.labels, &predictions, classes);
            let metrics = Metrics::of(confusion.clone(), debris, None);
            prop_assert_eq!(&curve.false_positives_from_debris[k], &metrics.false_positives_from_debris);
            prop_assert_eq!(&curve.false_negatives_to_debris[k], &metrics.false_negatives_to_debris);
            prop_assert_eq!(sweep.confusion_at(basis.shift(debris, weight)), confusion);
            // A class of weight 0 is never predicted (every weight 0: all called debris).
            for &p in &predictions {
                prop_assert!(at[p as usize] > 0.0 || p as usize == debris);
            }
        }
        // Exactly at every threshold and one ulp below it, the counts still agree.
        for truth in 0..classes {
            for other in 0..classes {
                for &threshold in sweep.bucket(truth, other).iter().filter(|t| t.is_finite()) {
                    for shift in [threshold, threshold.next_down()] {
                        let mut at = rule.clone();
                        at.shift[debris] = shift;
                        let predictions = predict(&data, &at);
                        let confusion = Confusion::of(&data.labels, &predictions, classes);
                        prop_assert_eq!(sweep.confusion_at(shift), confusion);
                    }
                }
            }
        }
    }
}

// --- Temperature ---------------------------------------------------------------------------------

#[test]
fn the_fitted_temperature_is_a_stationary_point() {
    let data = random_data(3, 3_000, 4, false, false);
    let t = fit_temperature(&data).unwrap();
    let slope = |at: f64| {
        let h = 1e-5 * at;
        (mean_nll(&data, at + h) - mean_nll(&data, at - h)) / (2.0 * h)
    };
    assert!(slope(t).abs() < 1e-8, "slope {} at T = {t}", slope(t));
    assert!(slope(1.01 * t) > 1e-5 && slope(0.99 * t) < -1e-5);
}

#[test]
fn scaled_logits_scale_the_temperature() {
    // Exactly: scores times 4 (a power of two, so exact) fit 4 times the temperature.
    let data = random_data(4, 2_000, 3, false, false);
    let Scores::F64(scores) = &data.scores else {
        unreachable!()
    };
    let scaled = ValidationData {
        scores: Scores::F64(scores.iter().map(|z| 4.0 * z).collect()),
        ..data.clone()
    };
    let (t, t4) = (
        fit_temperature(&data).unwrap(),
        fit_temperature(&scaled).unwrap(),
    );
    assert!((t4 / t - 4.0).abs() < 1e-12, "{t} and {t4}");
    // Statistically: calibrated logits with labels drawn from their softmax, shown at 2.5 times
    // their size, fit T close to 2.5.
    let mut rng = SplitMix64::new(9);
    let (samples, classes) = (20_000, 4);
    let mut logits = Vec::new();
    let mut labels = Vec::new();
    for _ in 0..samples {
        let row: Vec<f64> = (0..classes).map(|_| 1.5 * rng.normal()).collect();
        let total: f64 = row.iter().map(|z| z.exp()).sum();
        let mut u = rng.uniform() * total;
        let label = row.iter().position(|z| {
            u -= z.exp();
            u < 0.0
        });
        labels.push(label.unwrap_or(classes - 1) as u32);
        logits.extend(row.iter().map(|z| 2.5 * z));
    }
    let data = ValidationData {
        source: "calibrated".to_owned(),
        classes,
        kind: ScoreKind::Logits,
        scores: Scores::F64(logits),
        labels,
    };
    let t = fit_temperature(&data).unwrap();
    assert!((t / 2.5 - 1.0).abs() < 0.05, "{t}");
}
