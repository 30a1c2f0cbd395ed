//! Keras' convention: each sample's loss is Keras 3's own loss of it times the
//! weight of its true class, as `fit(class_weight=...)` computes it.
//!
//! Reference values are Keras' own: printed by Keras 3.15.1 on the jax backend in float64
//! (`KERAS_BACKEND=jax JAX_ENABLE_X64=1`, `keras.config.set_floatx("float64")`), with
//! `CategoricalCrossentropy` / `CategoricalFocalCrossentropy(alpha=1.0, from_logits=True)`,
//! one-hot targets and `sample_weight = [class_weight[y] for y in labels]`. The rest are closed
//! forms. None of them comes from weightbench.

use crate::common;

use common::relative_error;
use weightbench::core::cases::balance::balances;
use weightbench::core::cases::penalties::PenaltyMatrix;
use weightbench::core::loss::sample_loss;
use weightbench::core::{Convention, Evaluation, LossOptions, Preset, Reduction, parse_preset};

fn keras(label_smoothing: f64, focal_gamma: f64) -> LossOptions {
    LossOptions {
        convention: Convention::Keras,
        label_smoothing,
        focal_gamma,
        ..LossOptions::default()
    }
}

fn notebook_with(options: LossOptions) -> Preset {
    let mut preset = Preset::notebook().unwrap();
    preset.loss = options;
    preset
}

fn assert_close(actual: &[f64], expected: &[f64], tolerance: f64, what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}");
    for (i, (&a, &e)) in actual.iter().zip(expected).enumerate() {
        assert!(
            relative_error(a, e) <= tolerance,
            "{what}, case {}: {a} vs Keras' {e}",
            i + 1
        );
    }
}

#[test]
fn the_issues_example_gives_keras_number() {
    // Weights [0.8, 26, 4, 0.4], smoothing 0.1, Keras' default reduction, two samples: the
    // exported Keras snippet gives 2.10602116204435 in Keras 3.15 (PyTorch's form: 6.5731).
    let text = r#"(version: 1, name: "issue 11", debris: 3,
        classes: [(name: "a", count: 260, weight: 0.8), (name: "b", count: 10, weight: 26.0),
                  (name: "c", count: 56, weight: 4.0), (name: "d", count: 500, weight: 0.4)],
        scenarios: [(name: "x", truth: 3, logits: [10.0, 0.1, 0.1, 0.1]),
                    (name: "y", truth: 0, logits: [10.0, 8.0, 5.0, 5.0])],
        loss: (convention: Keras, reduction: PerSample, label_smoothing: 0.1))"#;
    let preset = parse_preset(text, "issue.ron").unwrap();
    let batch = Evaluation::of(&preset).unwrap().batch;
    let keras_value = 2.10602116204435;
    assert!(relative_error(batch.reduced(Reduction::PerSample).unwrap(), keras_value) < 1e-15);
    let mut pytorch = preset.clone();
    pytorch.loss.convention = Convention::PyTorch;
    let torch_value = Evaluation::of(&pytorch)
        .unwrap()
        .batch
        .mean_per_sample
        .unwrap();
    assert!((torch_value - 6.5731).abs() < 5e-5, "{torch_value}");
    // Focal loss with smoothing, which only Keras defines: 2.0494144846625018 in Keras.
    let mut focal = preset;
    focal.loss.focal_gamma = 2.0;
    let batch = Evaluation::of(&focal).unwrap().batch;
    assert!(relative_error(batch.mean_per_sample.unwrap(), 2.0494144846625018) < 1e-15);
}

#[test]
fn the_notebook_cases_match_keras_per_sample_losses() {
    let cases: [(&str, LossOptions, [f64; 11]); 4] = [
        (
            "smoothing 0.1",
            keras(0.1, 0.0),
            [
                0.5941204101748491,
                19.308913330682593,
                2.9706020508742443,
                0.2970602050874244,
                0.5376131156509771,
                0.5801610947919634,
                0.4443113325952128,
                0.3509821190012754,
                0.6549347045029434,
                2.0507260085049603,
                3.8610602050874245,
            ],
        ),
        (
            "focal 2",
            keras(0.0, 2.0),
            [
                2.727371017266343e-12,
                8.863955806115615e-11,
                1.3636855086331714e-11,
                1.3636855086331714e-12,
                0.0014457413765787855,
                6.530960772901204e-12,
                0.001646207994023458,
                0.001862202102655486,
                0.1637497708739603,
                1.976010479889518,
                3.959662885338119,
            ],
        ),
        (
            "focal 2 with smoothing 0.1",
            keras(0.1, 2.0),
            [
                0.5939494328032409,
                19.303356566105325,
                2.969747164016204,
                0.29697471640162043,
                0.435386244431468,
                0.5799351780077239,
                0.33676031213126073,
                0.23815765612030226,
                0.22269670814922252,
                2.02592625014845,
                3.860671313204701,
            ],
        ),
        (
            "focal 0.5 with smoothing 0.2",
            keras(0.2, 0.5),
            [
                1.1879895170268717,
                38.609659303373334,
                5.939947585134359,
                0.5939947585134359,
                0.9118229775006927,
                1.1599876530159925,
                0.7179941264754923,
                0.5241950815984505,
                0.5563483637959911,
                2.0928853955245725,
                3.7619628647715198,
            ],
        ),
    ];
    for (name, options, expected) in cases {
        let evaluation = Evaluation::of(&notebook_with(options)).unwrap();
        let losses: Vec<f64> = evaluation.scenarios.iter().map(|s| s.loss).collect();
        // Confident cases sit at Keras' clip (1 - 1e-7), where a few ulps of the probability
        // move the loss by parts in 1e-9; elsewhere the agreement is to rounding.
        assert_close(&losses, &expected, 1e-8, name);
        let tight: Vec<usize> = (0..11).filter(|&i| expected[i] > 1e-3).collect();
        for i in tight {
            assert!(
                relative_error(losses[i], expected[i]) < 1e-14,
                "{name}, case {}: {} vs {}",
                i + 1,
                losses[i],
                expected[i]
            );
        }
    }
}

#[test]
fn keras_reductions_are_its_sum_over_batch_size_mean_with_sample_weight_and_sum() {
    // Focal 2 with smoothing 0.1 on the notebook, reduced by Keras.
    let preset = notebook_with(keras(0.1, 2.0));
    let batch = Evaluation::of(&preset).unwrap().batch;
    assert!(
        relative_error(
            batch.reduced(Reduction::PerSample).unwrap(),
            2.80577832195632
        ) < 1e-14
    );
    assert!(relative_error(batch.reduced(Reduction::Mean).unwrap(), 0.8573211539310981) < 1e-14);
    assert!(relative_error(batch.reduced(Reduction::Sum).unwrap(), 30.86356154151952) < 1e-14);
    // The weights of the true classes sum to 36 (five class-1 samples and so on).
    assert!(relative_error(batch.sum / 36.0, batch.mean.unwrap()) < 1e-15);
    assert_eq!(
        batch.reduced(Reduction::None),
        None,
        "per sample: no batch number"
    );
}

#[test]
fn plain_cross_entropy_is_the_same_under_both_conventions() {
    // Without smoothing and focal loss, both are -w_y ln p_y: the same bits.
    let pytorch = Evaluation::of(&notebook_with(LossOptions::default())).unwrap();
    let keras = Evaluation::of(&notebook_with(keras(0.0, 0.0))).unwrap();
    for (a, b) in pytorch.scenarios.iter().zip(&keras.scenarios) {
        assert_eq!(a.loss.to_bits(), b.loss.to_bits());
        assert_eq!(a.gradient, b.gradient);
    }
}

#[test]
fn keras_focal_loss_clips_confident_probabilities() {
    // p_y = 1 / (1 + 3 e^-40) rounds above 1 - 1e-7: Keras clips it, so the loss is the
    // closed form at the clip and does not move with the logits (no gradient); PyTorch's
    // form keeps the tiny true value.
    let logits = [40.0, 0.0, 0.0, 0.0];
    let weights = [0.8, 26.0, 4.0, 0.4];
    let options = keras(0.0, 2.0);
    let sample = sample_loss(&logits, 0, &weights, &[0.0; 4], &options).unwrap();
    let clip: f64 = 1.0 - 1e-7;
    let expected = 0.8 * ((1.0 - clip).powi(2) * -clip.ln());
    assert!(
        relative_error(sample.loss, expected) < 1e-15,
        "{}",
        sample.loss
    );
    assert_eq!(sample.gradient, [0.0; 4]);
    let pytorch = sample_loss(
        &logits,
        0,
        &weights,
        &[0.0; 4],
        &LossOptions {
            focal_gamma: 2.0,
            ..LossOptions::default()
        },
    )
    .unwrap();
    assert!(pytorch.loss < 1e-50 && pytorch.gradient[1] > 0.0);
}

#[test]
fn keras_losses_are_linear_in_the_weights_with_the_truths_coefficient_only() {
    for options in [keras(0.1, 0.0), keras(0.0, 2.0), keras(0.3, 1.5)] {
        let sample =
            sample_loss(&[1.0, -2.0, 0.5], 2, &[0.8, 26.0, 4.0], &[0.0; 3], &options).unwrap();
        assert_eq!(sample.coefficients[0], 0.0);
        assert_eq!(sample.coefficients[1], 0.0);
        assert_eq!(sample.loss, 4.0 * sample.coefficients[2]);
        assert_eq!(sample.unweighted_loss, sample.coefficients[2]);
        // Another class's weight changes nothing; the truth's scales the loss.
        assert_eq!(
            sample.loss_with_weight(&[0.8, 26.0, 4.0], 0, 100.0),
            sample.loss
        );
        assert!(
            relative_error(
                sample.loss_with_weight(&[0.8, 26.0, 4.0], 2, 8.0),
                2.0 * sample.loss
            ) < 1e-15
        );
    }
}

#[test]
fn the_penalty_matrix_under_keras_is_the_rows_weight_times_one_loss() {
    // Confidence q on the predicted class, (1 - q) / 3 on each other: with smoothing eps the
    // smoothed target of a wrong prediction costs w_t (-(1 - eps + eps/4) ln r - (eps/4) ln q
    // - (eps/2) ln r) with r = (1 - q) / 3; a right one w_t (-(1 - eps + eps/4) ln q
    // - (3 eps / 4) ln r).
    let (eps, q) = (0.1, 0.9);
    let matrix = PenaltyMatrix::of(&notebook_with(keras(eps, 0.0)), q).unwrap();
    let r: f64 = (1.0 - q) / 3.0;
    let wrong = -(1.0 - eps + eps / 4.0) * r.ln() - eps / 4.0 * q.ln() - eps / 2.0 * r.ln();
    let right = -(1.0 - eps + eps / 4.0) * q.ln() - 3.0 * eps / 4.0 * r.ln();
    let weights = [0.8, 26.0, 4.0, 0.4];
    for (t, row) in matrix.matrix.iter().enumerate() {
        for (k, &cell) in row.iter().enumerate() {
            let expected = weights[t] * if t == k { right } else { wrong };
            assert!(
                relative_error(cell, expected) < 1e-14,
                "({t}, {k}): {cell} vs {expected}"
            );
        }
    }
}

#[test]
fn the_balance_under_keras_evens_out_where_the_debris_weight_matches_the_ratio() {
    // Debris called class c costs v k (v the debris weight), class c called debris costs
    // w_c k: the same k by symmetry of the confident prediction, so they meet at v = w_c.
    let preset = notebook_with(keras(0.1, 0.0));
    for balance in balances(&preset, 0.9, &preset.sweep) {
        let w_c = preset.classes[balance.class].weight;
        let even = balance.even_per_sample.unwrap();
        assert!(
            relative_error(even, w_c) < 1e-14,
            "class {}: {even}",
            balance.class
        );
        // The false negative does not depend on the debris weight at all.
        let fn_ = &balance.class_called_debris;
        assert!(fn_.iter().all(|&value| value == fn_[0]));
    }
}

#[test]
fn presets_name_the_convention_and_old_files_read_as_pytorch() {
    let base = r#"(version: 1, name: "n", debris: 1,
        classes: [(name: "a", count: 1, weight: 1.0), (name: "b", count: 1, weight: 1.0)],
        scenarios: []LOSS)"#;
    let read = |loss: &str| parse_preset(&base.replace("LOSS", loss), "p.ron");
    assert_eq!(read("").unwrap().loss.convention, Convention::PyTorch);
    assert_eq!(
        read(", loss: (label_smoothing: 0.1)")
            .unwrap()
            .loss
            .convention,
        Convention::PyTorch
    );
    let keras =
        read(", loss: (convention: Keras, focal_gamma: 2.0, label_smoothing: 0.1)").unwrap();
    assert_eq!(keras.loss, self::keras(0.1, 2.0));
    let error = read(", loss: (convention: Tensorflow)")
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("p.ron:") && error.contains("Tensorflow"),
        "{error}"
    );
    // Saved and read back, the convention stays.
    let text = weightbench::core::preset_to_ron(&keras).unwrap();
    assert!(text.contains("convention: Keras"), "{text}");
    assert_eq!(parse_preset(&text, "again.ron").unwrap(), keras);
}

#[test]
fn eval_names_the_convention_in_its_text_and_json() {
    let mut file = tempfile::Builder::new().suffix(".ron").tempfile().unwrap();
    let preset = notebook_with(keras(0.1, 2.0));
    std::io::Write::write_all(
        &mut file,
        weightbench::core::preset_to_ron(&preset)
            .unwrap()
            .as_bytes(),
    )
    .unwrap();
    let path = file.path().to_str().unwrap();
    let text = common::stdout_of(&["eval", path]);
    assert!(
        text.contains("loss: Keras' convention (each sample's Keras loss times its class's weight), label smoothing 0.1, focal gamma 2.0"),
        "{text}"
    );
    let json = common::json_of(&["eval", path, "--format", "json"]);
    assert_eq!(json["loss"]["convention"], "Keras");
    let sum = json["batch"]["sum"].as_f64().unwrap();
    assert!(relative_error(sum, 30.86356154151952) < 1e-14, "{sum}");
    // The PyTorch convention refuses the same options on the command line, naming both ways out.
    let refused = preset_text_with(&preset, Convention::PyTorch);
    let mut bad = tempfile::Builder::new().suffix(".ron").tempfile().unwrap();
    std::io::Write::write_all(&mut bad, refused.as_bytes()).unwrap();
    let (code, stderr) = common::failure_of(&["eval", bad.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("loss.") && stderr.contains("Keras convention"),
        "{stderr}"
    );
}

fn preset_text_with(preset: &Preset, convention: Convention) -> String {
    let mut preset = preset.clone();
    preset.loss.convention = convention;
    weightbench::core::preset_to_ron(&preset).unwrap()
}
