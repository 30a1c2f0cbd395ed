//! The loss core against closed forms, high-precision values, finite differences and invariants.

use crate::common;

use common::{relative_error, ulps};
use proptest::prelude::*;
use weightbench::core::loss::softmax::{log_softmax, softmax};
use weightbench::core::loss::{BatchLoss, weighted_cross_entropy};

#[test]
fn extreme_logits_give_exact_finite_losses() {
    let weights = [1.0, 1.0, 3.0];
    let sample = weighted_cross_entropy(&[1e4, 0.0, -1e4], 2, &weights).unwrap();
    assert_eq!(sample.loss, 2e4 * 3.0);
    assert_eq!(sample.probabilities, [1.0, 0.0, 0.0]);
    assert_eq!(sample.gradient, [3.0, 0.0, -3.0]);
    assert_eq!(sample.predicted, 0);

    let sample = weighted_cross_entropy(&[-1e6, 1e6, 0.0], 0, &weights).unwrap();
    assert_eq!(sample.loss, 2e6);
}

#[test]
fn a_dominant_true_class_keeps_full_relative_accuracy() {
    // Exact values from mpmath at 60 digits. ln(1 + s) with s ~ 1e-17 would give 0 here.
    let cases: [(&[f64], usize, f64); 3] = [
        (&[40.0, 0.0, 0.0], 0, 8.496708510583178e-18),
        (&[30.0, -5.0, 2.5], 0, 1.1406223647197196e-12),
        (&[20.0, 19.999999, 0.0], 0, 0.6931466815906471),
    ];
    for (logits, truth, exact) in cases {
        let loss = weighted_cross_entropy(logits, truth, &[1.0; 3])
            .unwrap()
            .loss;
        assert!(
            ulps(loss, exact) <= 2,
            "{logits:?}: {loss:e} vs exact {exact:e}"
        );
    }
}

#[test]
fn log_softmax_and_softmax_agree_and_refuse_non_finite_input() {
    let logits = [3.0, -1.0, 0.5, 0.5];
    let log_p = log_softmax(&logits);
    let p = softmax(&logits);
    assert_eq!((log_p.len(), p.len()), (4, 4));
    for (lp, p) in log_p.iter().zip(&p) {
        assert!(relative_error(lp.exp(), *p) < 1e-15);
    }
    assert!(softmax(&[]).is_empty());
    assert!(softmax(&[1.0, f64::NAN]).is_empty());
    assert!(log_softmax(&[f64::INFINITY, 0.0]).is_empty());
}

#[test]
fn mismatched_inputs_give_none_not_a_panic() {
    assert!(weighted_cross_entropy(&[1.0, 2.0], 2, &[1.0, 1.0]).is_none());
    assert!(weighted_cross_entropy(&[1.0, 2.0], 0, &[1.0]).is_none());
    assert!(weighted_cross_entropy(&[], 0, &[]).is_none());
    assert!(weighted_cross_entropy(&[1.0, f64::NAN], 0, &[1.0, 1.0]).is_none());
}

#[test]
fn ties_predict_the_first_largest_logit() {
    let sample = weighted_cross_entropy(&[1.0, 5.0, 5.0], 2, &[1.0; 3]).unwrap();
    assert_eq!(sample.predicted, 1);
    assert!(relative_error(sample.loss, 2f64.ln() + (1.0 + (-4f64).exp() / 2.0).ln()) < 1e-15);
}

#[test]
fn batch_mean_is_pytorchs_weighted_mean_and_undefined_at_zero_weight() {
    // Two samples: losses 2 * 1.5 and 0.5 * 4 with true-class weights 2 and 0.5.
    let batch = BatchLoss::reduce([(3.0, 2.0), (2.0, 0.5)]);
    assert_eq!(batch.sum, 5.0);
    assert_eq!(batch.mean, Some(5.0 / 2.5));
    assert_eq!(
        batch.mean_per_sample,
        Some(5.0 / 2.0),
        "Keras divides by the sample count"
    );
    assert_eq!(BatchLoss::reduce([(0.0, 0.0), (0.0, 0.0)]).mean, None);
    assert_eq!(
        BatchLoss::reduce([]),
        BatchLoss {
            sum: 0.0,
            mean: None,
            mean_per_sample: None
        }
    );
}

/// Logits that are multiples of 1/64 and at most 2^10 in size: shifting them by an integer is exact.
fn dyadic_logits() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec((-65_536i32..65_536).prop_map(|k| f64::from(k) / 64.0), 2..8)
}

fn finite_logits(magnitude: f64) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-magnitude..magnitude, 2..8)
}

fn sample_case(magnitude: f64) -> impl Strategy<Value = (Vec<f64>, usize, Vec<f64>)> {
    finite_logits(magnitude).prop_flat_map(|logits| {
        let classes = logits.len();
        (
            Just(logits),
            0..classes,
            prop::collection::vec(0.0..100.0f64, classes),
        )
    })
}

proptest! {
    #[test]
    fn probabilities_are_a_distribution((logits, _, _) in sample_case(1e6)) {
        let p = softmax(&logits);
        prop_assert!(p.iter().all(|&p| (0.0..=1.0).contains(&p)));
        prop_assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn loss_is_finite_and_non_negative((logits, truth, weights) in sample_case(1e6)) {
        let sample = weighted_cross_entropy(&logits, truth, &weights).unwrap();
        prop_assert!(sample.loss.is_finite() && sample.loss >= 0.0);
        prop_assert!(sample.gradient.iter().all(|g| g.is_finite()));
    }

    #[test]
    fn gradient_sums_to_zero((logits, truth, weights) in sample_case(1e3)) {
        let sample = weighted_cross_entropy(&logits, truth, &weights).unwrap();
        let total: f64 = sample.gradient.iter().sum();
        prop_assert!(total.abs() <= 1e-13 * (1.0 + weights[truth]), "sum {}", total);
    }

    #[test]
    fn gradient_matches_central_differences((logits, truth, weights) in sample_case(20.0)) {
        let sample = weighted_cross_entropy(&logits, truth, &weights).unwrap();
        let h = 1e-5;
        for c in 0..logits.len() {
            let mut up = logits.clone();
            up[c] += h;
            let mut down = logits.clone();
            down[c] -= h;
            let numeric = (weighted_cross_entropy(&up, truth, &weights).unwrap().loss
                - weighted_cross_entropy(&down, truth, &weights).unwrap().loss)
                / (2.0 * h);
            prop_assert!(
                (numeric - sample.gradient[c]).abs() <= 1e-6 * (1.0 + weights[truth]),
                "class {}: analytic {} vs numeric {}", c, sample.gradient[c], numeric
            );
        }
    }

    #[test]
    fn adding_a_constant_to_every_logit_changes_nothing(
        logits in dyadic_logits(),
        shift in -1000i32..1000,
        truth_seed in 0usize..8,
    ) {
        let truth = truth_seed % logits.len();
        let weights: Vec<f64> = (0..logits.len()).map(|c| 0.5 + c as f64).collect();
        let shifted: Vec<f64> = logits.iter().map(|z| z + f64::from(shift)).collect();
        let original = weighted_cross_entropy(&logits, truth, &weights).unwrap();
        let moved = weighted_cross_entropy(&shifted, truth, &weights).unwrap();
        // Every shifted logit is exact, so every intermediate is too: equal to the bit.
        prop_assert_eq!(original, moved);
    }

    #[test]
    fn adding_a_constant_to_real_logits_changes_little(
        (logits, truth, weights) in sample_case(50.0),
        shift in -1e3..1e3f64,
    ) {
        let shifted: Vec<f64> = logits.iter().map(|z| z + shift).collect();
        let original = weighted_cross_entropy(&logits, truth, &weights).unwrap();
        let moved = weighted_cross_entropy(&shifted, truth, &weights).unwrap();
        // Only the rounding of z + shift (about 1e-13 absolute) differs.
        prop_assert!((original.loss - moved.loss).abs() <= 1e-11 * (1.0 + weights[truth]));
    }

    #[test]
    fn scaling_every_weight_scales_sum_and_keeps_mean((weights, samples) in batch_case(), k in 0.01..100.0f64) {
        let scaled: Vec<f64> = weights.iter().map(|w| w * k).collect();
        let reduce = |w: &[f64]| BatchLoss::of_samples(
            &samples.iter().map(|(z, y)| weighted_cross_entropy(z, *y, w).unwrap()).collect::<Vec<_>>(),
        );
        let (plain, times_k) = (reduce(&weights), reduce(&scaled));
        prop_assert!((times_k.sum - k * plain.sum).abs() <= 1e-12 * times_k.sum);
        let (mean, mean_times_k) = (plain.mean.unwrap(), times_k.mean.unwrap());
        prop_assert!(relative_error(mean_times_k, mean) < 1e-12, "{} vs {}", mean_times_k, mean);
    }
}

/// Positive weights and a batch of samples (logits, truth) over the same classes.
fn batch_case() -> impl Strategy<Value = (Vec<f64>, Vec<(Vec<f64>, usize)>)> {
    (2usize..7).prop_flat_map(|classes| {
        let sample = (prop::collection::vec(-30.0..30.0f64, classes), 0..classes);
        (
            prop::collection::vec(0.01..100.0f64, classes),
            prop::collection::vec(sample, 1..8),
        )
    })
}
