//! The allocation-free loss of validation outputs (`sample_loss_value`, used by `batch_loss`)
//! gives exactly the bits of the full `sample_loss`, under every loss option.

use proptest::prelude::*;
use weightbench::core::loss::{BatchLoss, sample_loss, sample_loss_value};
use weightbench::core::outcomes::data::{ScoreKind, Scores, ValidationData};
use weightbench::core::outcomes::report::batch_loss;
use weightbench::core::rng::SplitMix64;
use weightbench::core::{Class, Convention, LossOptions, Preset};

/// Plain cross-entropy, label smoothing, focal loss, and each with logit adjustment.
fn every_loss_option() -> Vec<LossOptions> {
    let mut options = Vec::new();
    for logit_adjustment in [0.0, 1.0] {
        for (label_smoothing, focal_gamma) in [(0.0, 0.0), (0.1, 0.0), (1.0, 0.0), (0.0, 2.0)] {
            options.push(LossOptions {
                label_smoothing,
                focal_gamma,
                logit_adjustment,
                ..LossOptions::default()
            });
        }
    }
    options.push(LossOptions {
        focal_gamma: 0.5,
        ..LossOptions::default()
    });
    // Keras' convention: its cross-entropy, its focal loss (clipped) with and without smoothing.
    for (label_smoothing, focal_gamma) in [(0.1, 0.0), (0.0, 2.0), (0.1, 2.0), (1.0, 0.5)] {
        options.push(LossOptions {
            convention: Convention::Keras,
            label_smoothing,
            focal_gamma,
            ..LossOptions::default()
        });
    }
    options
}

fn loss_options() -> impl Strategy<Value = LossOptions> {
    prop_oneof![
        Just(LossOptions::default()),
        (0.0..=1.0f64).prop_map(|label_smoothing| LossOptions {
            label_smoothing,
            ..LossOptions::default()
        }),
        (0.01..5.0f64).prop_map(|focal_gamma| LossOptions {
            focal_gamma,
            ..LossOptions::default()
        }),
        (0.0..=1.0f64, prop_oneof![Just(0.0), 0.01..5.0f64]).prop_map(
            |(label_smoothing, focal_gamma)| LossOptions {
                convention: Convention::Keras,
                label_smoothing,
                focal_gamma,
                ..LossOptions::default()
            }
        ),
    ]
}

/// Logits, truth, weights and shifts of one sample with 1 to 6 classes; the shifts are all 0
/// half the time, and the logits range from near ties to 1e4 apart.
fn sample() -> impl Strategy<Value = (Vec<f64>, usize, Vec<f64>, Vec<f64>)> {
    (1..=6usize).prop_flat_map(|classes| {
        (
            prop::collection::vec(
                prop_oneof![-30.0..30.0f64, -1e4..1e4f64, Just(0.0), Just(-0.0)],
                classes,
            ),
            0..classes,
            prop::collection::vec(prop_oneof![0.0..50.0f64, Just(0.0)], classes),
            prop_oneof![
                Just(vec![0.0; classes]),
                prop::collection::vec(-5.0..5.0f64, classes),
            ],
        )
    })
}

proptest! {
    #[test]
    fn the_fast_loss_is_the_full_loss_to_the_bit(
        (logits, truth, weights, shifts) in sample(),
        options in loss_options(),
    ) {
        let full = sample_loss(&logits, truth, &weights, &shifts, &options).unwrap();
        let mut exps = vec![7.0; 9];
        let (loss, truth_weight) =
            sample_loss_value(&logits, truth, &weights, &shifts, &options, &mut exps).unwrap();
        prop_assert_eq!(loss.to_bits(), full.loss.to_bits(), "{} vs {}", loss, full.loss);
        prop_assert_eq!(truth_weight.to_bits(), full.truth_weight.to_bits());
    }
}

/// Logits, truth, weights and logit shifts of one sample.
type Case<'a> = (&'a [f64], usize, &'a [f64], &'a [f64]);

#[test]
fn the_fast_loss_refuses_what_the_full_loss_refuses() {
    let options = LossOptions::default();
    let mut exps = Vec::new();
    let cases: [Case; 5] = [
        (&[], 0, &[], &[]),
        (&[1.0, f64::NAN], 0, &[1.0, 1.0], &[0.0, 0.0]),
        (&[1.0, 2.0], 2, &[1.0, 1.0], &[0.0, 0.0]),
        (&[1.0, 2.0], 0, &[1.0], &[0.0, 0.0]),
        // Finite logits whose shifted values overflow.
        (&[f64::MAX, 0.0], 0, &[1.0, 1.0], &[f64::MAX, 0.0]),
    ];
    for (logits, truth, weights, shifts) in cases {
        assert!(sample_loss(logits, truth, weights, shifts, &options).is_none());
        assert!(sample_loss_value(logits, truth, weights, shifts, &options, &mut exps).is_none());
    }
}

/// `samples` rows of 4 random float32 logits with random labels, and a preset with margins.
fn data_and_preset(samples: usize) -> (ValidationData, Preset) {
    let mut rng = SplitMix64::new(9);
    let scores: Vec<f32> = (0..samples * 4)
        .map(|_| {
            #[allow(
                clippy::cast_possible_truncation,
                reason = "float32 scores, as a model writes"
            )]
            let score = (rng.normal() * 4.0) as f32;
            score
        })
        .collect();
    let labels = (0..samples)
        .map(|_| u32::try_from(rng.next_u64() % 4).unwrap())
        .collect();
    let data = ValidationData {
        source: "random".to_owned(),
        classes: 4,
        kind: ScoreKind::Logits,
        scores: Scores::F32(scores),
        labels,
    };
    let mut preset = Preset::blank();
    preset.classes = [
        ("a", 260, 0.8),
        ("b", 10, 26.0),
        ("c", 56, 4.0),
        ("d", 500, 0.4),
    ]
    .into_iter()
    .map(|(name, count, weight)| Class {
        name: name.to_owned(),
        count,
        weight,
    })
    .collect();
    preset.debris = 3;
    preset.scenarios.clear();
    (data, preset)
}

#[test]
fn the_batch_loss_is_the_reduction_of_the_full_losses_in_sample_order() {
    let (data, mut preset) = data_and_preset(5000);
    for margins in [Vec::new(), vec![vec![0.0, 0.5, 0.5, 1.0]; 4]] {
        preset.margins = margins
            .iter()
            .enumerate()
            .map(|(t, row)| {
                let mut row: Vec<f64> = row.clone();
                row[t] = 0.0;
                row
            })
            .collect();
        for options in every_loss_option() {
            preset.loss = options;
            let weights = preset.weights();
            let expected = BatchLoss::reduce((0..data.samples()).map(|sample| {
                let truth = data.labels[sample] as usize;
                let shifts = preset.logit_shifts_for(truth);
                let full =
                    sample_loss(&data.row(sample), truth, &weights, &shifts, &options).unwrap();
                (full.loss, full.truth_weight)
            }));
            let batch = batch_loss(&data, &preset).unwrap();
            assert_eq!(batch.sum.to_bits(), expected.sum.to_bits(), "{options:?}");
            assert_eq!(batch.mean, expected.mean, "{options:?}");
            assert_eq!(batch.mean_per_sample, expected.mean_per_sample);
        }
    }
}
