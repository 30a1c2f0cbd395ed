//! The loss family: weighting schemes, label smoothing, focal loss, logit adjustment and
//! the reductions, against hand-computed values, high-precision values (mpmath, 60 digits)
//! and finite differences.

use crate::common;

use common::relative_error;
use proptest::prelude::*;
use weightbench::core::cases::advice::{smoothing_conflicts, smoothing_note};
use weightbench::core::loss::sample_loss;
use weightbench::core::{
    Convention, Evaluation, LossOptions, Normalization, Preset, Reduction, Scheme, SchemeError,
    ValidationError,
};

const NOTEBOOK_COUNTS: [u64; 4] = [260, 10, 56, 500];

fn assert_all_close(actual: &[f64], expected: &[f64], tolerance: f64) {
    assert_eq!(actual.len(), expected.len());
    for (a, e) in actual.iter().zip(expected) {
        assert!(
            relative_error(*a, *e) < tolerance,
            "{actual:?} vs {expected:?}"
        );
    }
}

#[test]
fn inverse_is_sklearns_balanced() {
    // scikit-learn's documented example: y = [1, 1, 1, 1, 0, 0] gives [1.5, 0.75].
    assert_eq!(Scheme::Inverse.weights(&[2, 4], None).unwrap(), [1.5, 0.75]);
    assert_all_close(
        &Scheme::Inverse.weights(&NOTEBOOK_COUNTS, None).unwrap(),
        &[0.7942307692307692, 20.65, 3.6875, 0.413],
        1e-15,
    );
}

#[test]
fn every_scheme_matches_its_formula_on_the_notebook_counts() {
    // mpmath at 60 digits.
    let cases: [(Scheme, [f64; 4]); 4] = [
        (
            Scheme::Sqrt,
            [
                0.445689463743228,
                2.2725792726294234,
                0.9603400207352973,
                0.3213912428920514,
            ],
        ),
        (
            Scheme::Effective { beta: 0.999 },
            [
                0.13891909633581553,
                3.196268920376613,
                0.5839747425739453,
                0.08083724071362627,
            ],
        ),
        (
            Scheme::Median,
            [0.6076923076923076, 15.8, 2.8214285714285716, 0.316],
        ),
        (Scheme::Uniform, [1.0, 1.0, 1.0, 1.0]),
    ];
    for (scheme, expected) in cases {
        assert_all_close(
            &scheme.weights(&NOTEBOOK_COUNTS, None).unwrap(),
            &expected,
            1e-14,
        );
    }
}

#[test]
fn effective_numbers_span_uniform_to_inverse() {
    let counts = [1000, 10, 1];
    assert_all_close(
        &Scheme::Effective { beta: 0.0 }
            .weights(&counts, None)
            .unwrap(),
        &[1.0; 3],
        1e-15,
    );
    let near_inverse = Scheme::Effective { beta: 1.0 - 1e-12 }
        .weights(&counts, Some(Normalization::Max))
        .unwrap();
    let inverse = Scheme::Inverse
        .weights(&counts, Some(Normalization::Max))
        .unwrap();
    assert_all_close(&near_inverse, &inverse, 1e-6);
    assert!(matches!(
        Scheme::Effective { beta: 1.0 }.weights(&counts, None),
        Err(SchemeError::BadBeta(_))
    ));
}

#[test]
fn normalisations_override_the_schemes_own() {
    let raw = Scheme::Sqrt
        .weights(&[4, 16], Some(Normalization::None))
        .unwrap();
    assert_eq!(raw, [0.5, 0.25]);
    let by_max = Scheme::Sqrt
        .weights(&[4, 16], Some(Normalization::Max))
        .unwrap();
    assert_eq!(by_max, [1.0, 0.5]);
    let by_sum = Scheme::Inverse
        .weights(&[2, 4], Some(Normalization::Sum))
        .unwrap();
    assert_all_close(&by_sum, &[4.0 / 3.0, 2.0 / 3.0], 1e-15);
    assert_eq!(by_sum.iter().sum::<f64>(), 2.0, "sum C");
}

#[test]
fn a_zero_count_is_refused_by_the_schemes_that_divide_by_it() {
    for scheme in Scheme::all(0.99)
        .into_iter()
        .filter(|s| *s != Scheme::Uniform)
    {
        let error = scheme.weights(&[5, 0, 3], None).unwrap_err();
        assert_eq!(
            error,
            SchemeError::ZeroCount {
                index: 1,
                scheme: scheme.name()
            }
        );
        assert!(error.to_string().starts_with("counts[1] is 0"), "{error}");
    }
    assert_eq!(Scheme::Uniform.weights(&[5, 0, 3], None).unwrap(), [1.0; 3]);
}

fn notebook_with(options: LossOptions) -> Preset {
    let mut preset = Preset::notebook().unwrap();
    preset.loss = options;
    preset
}

#[test]
fn label_smoothing_focal_and_logit_adjustment_match_high_precision_values() {
    // mpmath, 60 digits: cases 11 and 5 of the notebook under each option.
    let cases: [(LossOptions, f64, f64); 4] = [
        (
            LossOptions {
                label_smoothing: 0.1,
                ..LossOptions::default()
            },
            11.08817158449916,
            2.579524591845582,
        ),
        (
            LossOptions {
                focal_gamma: 2.0,
                ..LossOptions::default()
            },
            3.95966288533812,
            0.0014457413765787846,
        ),
        (
            LossOptions {
                focal_gamma: 0.5,
                ..LossOptions::default()
            },
            3.9599608714126497,
            0.03509417024325149,
        ),
        (
            LossOptions {
                logit_adjustment: 1.0,
                ..LossOptions::default()
            },
            3.698473101220724,
            0.004238750625040731,
        ),
    ];
    for (options, case_11, case_5) in cases {
        let evaluation = Evaluation::of(&notebook_with(options)).unwrap();
        assert!(
            relative_error(evaluation.scenarios[10].loss, case_11) < 1e-13,
            "{options:?}"
        );
        assert!(
            relative_error(evaluation.scenarios[4].loss, case_5) < 1e-13,
            "{options:?}"
        );
        // Probabilities stay those of the raw logits.
        assert_eq!(evaluation.scenarios[10].predicted, 0);
        assert!((evaluation.scenarios[10].probabilities[0] - 0.99984949860791).abs() < 1e-14);
    }
}

#[test]
fn focal_with_label_smoothing_is_refused_under_pytorch_only() {
    let preset = notebook_with(LossOptions {
        focal_gamma: 2.0,
        label_smoothing: 0.1,
        ..LossOptions::default()
    });
    let error = Evaluation::of(&preset).unwrap_err();
    assert!(matches!(error, ValidationError::Loss(_)));
    assert!(
        error
            .to_string()
            .contains("PyTorch defines no focal loss with label smoothing"),
        "{error}"
    );
    assert!(error.to_string().contains("Keras convention"), "{error}");
    let keras = notebook_with(LossOptions {
        convention: Convention::Keras,
        focal_gamma: 2.0,
        label_smoothing: 0.1,
        ..LossOptions::default()
    });
    assert!(Evaluation::of(&keras).is_ok());
}

#[test]
fn reductions_differ_as_pytorch_and_keras_differ() {
    // Two samples of classes with weights 2 and 0.5: PyTorch divides by 2.5, Keras by 2.
    let text = r#"(version: 1, name: "two", debris: 1,
        classes: [(name: "a", count: 1, weight: 2.0), (name: "b", count: 1, weight: 0.5)],
        scenarios: [(name: "x", truth: 0, logits: [0.0, 0.0]), (name: "y", truth: 1, logits: [0.0, 0.0])])"#;
    let preset = weightbench::core::parse_preset(text, "two").unwrap();
    let batch = Evaluation::of(&preset).unwrap().batch;
    let ln2 = 2f64.ln();
    assert!(relative_error(batch.sum, 2.5 * ln2) < 1e-15);
    assert!(relative_error(batch.reduced(Reduction::Mean).unwrap(), ln2) < 1e-15);
    assert!(relative_error(batch.reduced(Reduction::PerSample).unwrap(), 1.25 * ln2) < 1e-15);
    assert_eq!(batch.reduced(Reduction::None), None);
}

#[test]
fn smoothing_against_balanced_weights_favours_the_rarest_class() {
    // The issue's example: sklearn's balanced weights for [100000, 1000, 200, 50], eps = 0.1.
    let weights = Scheme::Inverse
        .weights(&[100_000, 1000, 200, 50], None)
        .unwrap();
    let smoothing = |eps| LossOptions {
        label_smoothing: eps,
        ..LossOptions::default()
    };
    let conflicts = smoothing_conflicts(&weights, &smoothing(0.1));
    let debris = conflicts.iter().find(|c| c.truth == 0).unwrap();
    assert_eq!(debris.favoured, 3);
    assert!((debris.favoured_share - 0.7584376185058779).abs() < 1e-14);
    assert!(smoothing_conflicts(&weights, &smoothing(0.0)).is_empty());
    assert!(
        smoothing_conflicts(&[1.0; 4], &smoothing(0.1)).is_empty(),
        "equal weights never conflict"
    );
    let keras = LossOptions {
        convention: Convention::Keras,
        ..smoothing(0.1)
    };
    assert!(
        smoothing_conflicts(&weights, &keras).is_empty(),
        "under Keras' convention the weights scale the whole loss: no conflict"
    );
    assert!(smoothing_note(&keras).unwrap().contains("do not fight"));
    assert_eq!(smoothing_note(&smoothing(0.1)), None);
}

fn loss_case() -> impl Strategy<Value = (Vec<f64>, usize, Vec<f64>, Vec<f64>, LossOptions)> {
    (2usize..6).prop_flat_map(|classes| {
        (
            prop::collection::vec(-8.0..8.0f64, classes),
            0..classes,
            prop::collection::vec(0.05..20.0f64, classes),
            prop::collection::vec(-3.0..0.0f64, classes),
            (0.0..1.0f64, 0.0..4.0f64, 0..3usize, prop::bool::ANY),
        )
            .prop_map(
                |(logits, truth, weights, shifts, (eps, gamma, form, keras))| {
                    // Focal with smoothing exists only under Keras' convention.
                    let (label_smoothing, focal_gamma) = match form {
                        0 => (eps, 0.0),
                        1 => (0.0, gamma),
                        _ if keras => (eps, gamma),
                        _ => (0.0, gamma),
                    };
                    let convention = if keras {
                        Convention::Keras
                    } else {
                        Convention::PyTorch
                    };
                    let options = LossOptions {
                        convention,
                        label_smoothing,
                        focal_gamma,
                        ..LossOptions::default()
                    };
                    (logits, truth, weights, shifts, options)
                },
            )
    })
}

proptest! {
    #[test]
    fn every_gradient_matches_central_differences((logits, truth, weights, shifts, options) in loss_case()) {
        let sample = sample_loss(&logits, truth, &weights, &shifts, &options).unwrap();
        let loss_at = |z: &[f64]| sample_loss(z, truth, &weights, &shifts, &options).unwrap().loss;
        let h = 1e-6;
        let scale = weights.iter().sum::<f64>();
        for k in 0..logits.len() {
            let (mut up, mut down) = (logits.clone(), logits.clone());
            up[k] += h;
            down[k] -= h;
            let numeric = (loss_at(&up) - loss_at(&down)) / (2.0 * h);
            prop_assert!(
                (numeric - sample.gradient[k]).abs() <= 1e-6 * scale,
                "{:?} class {}: analytic {} vs numeric {}", options, k, sample.gradient[k], numeric
            );
        }
    }

    #[test]
    fn the_loss_is_linear_in_the_weights((logits, truth, weights, shifts, options) in loss_case(), k in 0.1..10.0f64, class in 0usize..6) {
        let class = class % logits.len();
        let sample = sample_loss(&logits, truth, &weights, &shifts, &options).unwrap();
        let mut changed = weights.clone();
        changed[class] *= k;
        let direct = sample_loss(&logits, truth, &changed, &shifts, &options).unwrap().loss;
        let via_coefficients = sample.loss_with_weight(&weights, class, changed[class]);
        prop_assert!((direct - via_coefficients).abs() <= 1e-12 * direct.abs().max(1e-300));
    }
}

#[test]
fn compared_loss_forms_agree_with_evaluating_each_option() {
    use weightbench::core::cases::sweep::compare_loss_forms;
    let preset = notebook_with(LossOptions {
        label_smoothing: 0.1,
        focal_gamma: 0.0,
        logit_adjustment: 1.0,
        ..LossOptions::default()
    });
    let curves = compare_loss_forms(&preset, 10, &preset.sweep);
    let labels: Vec<&str> = curves.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "cross-entropy",
            "label smoothing 0.1",
            "focal, gamma 0",
            "logit adjusted, tau 1"
        ]
    );
    let at_0_4 = 40; // grid point 40 of 0..2 in 201 steps is 0.4, the preset's debris weight
    let single =
        |options: LossOptions| Evaluation::of(&notebook_with(options)).unwrap().scenarios[10].loss;
    assert_eq!(curves[0].loss[at_0_4], single(LossOptions::default()));
    assert_eq!(
        curves[1].loss[at_0_4],
        single(LossOptions {
            label_smoothing: 0.1,
            ..LossOptions::default()
        })
    );
    assert_eq!(
        curves[3].loss[at_0_4],
        single(LossOptions {
            logit_adjustment: 1.0,
            ..LossOptions::default()
        })
    );
    assert!(compare_loss_forms(&preset, 99, &preset.sweep).is_empty());
}
