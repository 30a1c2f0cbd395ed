//! The training simulator's data, trainers and debris-weight sweep.
//!
//! Reference values for the softmax fit come from `tests/data/simulator_sklearn.py`
//! (scikit-learn), copied into `simulator/reference.rs`; the rest checks the trainers
//! against finite differences and the sweep against its own definitions.

mod reference;

use weightbench::core::outcomes::decision::{DecisionRule, ShiftBasis};
use weightbench::core::rng::SplitMix64;
use weightbench::core::simulator::{
    Bounds, DataSpec, Dataset, Gap, MlpOptions, Model, ModelKind, Simulation, SimulationOptions,
    SoftmaxOptions, SoftmaxProblem, Solver, decision_regions, decision_regions_with, gap_sentence,
    simulate, synthesize, train_mlp, train_softmax,
};
use weightbench::core::{Convention, LossOptions, Preset, SweepRange};

fn notebook() -> Preset {
    Preset::notebook().unwrap()
}

/// The notebook with the given loss options, margins when asked.
fn preset_with(loss: LossOptions, margins: bool) -> Preset {
    let mut preset = notebook();
    preset.loss = loss;
    if margins {
        preset.margins = vec![
            vec![0.0, 0.3, -0.2, 0.5],
            vec![0.1, 0.0, 0.0, -0.4],
            vec![0.0, 0.2, 0.0, 0.0],
            vec![0.7, -0.1, 0.25, 0.0],
        ];
    }
    preset
}

/// Every loss option on its own, and smoothing with logit adjustment and margins together.
fn loss_cases() -> Vec<(&'static str, Preset)> {
    let base = LossOptions::default();
    vec![
        ("cross-entropy", preset_with(base, false)),
        (
            "label smoothing",
            preset_with(
                LossOptions {
                    label_smoothing: 0.1,
                    ..base
                },
                false,
            ),
        ),
        (
            "focal",
            preset_with(
                LossOptions {
                    focal_gamma: 2.0,
                    ..base
                },
                false,
            ),
        ),
        (
            "logit adjustment",
            preset_with(
                LossOptions {
                    logit_adjustment: 1.0,
                    ..base
                },
                false,
            ),
        ),
        ("margins", preset_with(base, true)),
        (
            "focal with margins and logit adjustment",
            preset_with(
                LossOptions {
                    focal_gamma: 1.5,
                    logit_adjustment: 0.5,
                    ..base
                },
                true,
            ),
        ),
        (
            "smoothing, logit adjustment and margins",
            preset_with(
                LossOptions {
                    label_smoothing: 0.2,
                    logit_adjustment: 0.5,
                    ..base
                },
                true,
            ),
        ),
        (
            "Keras: label smoothing",
            preset_with(
                LossOptions {
                    convention: Convention::Keras,
                    label_smoothing: 0.1,
                    ..base
                },
                false,
            ),
        ),
        (
            "Keras: focal with smoothing, logit adjustment and margins",
            preset_with(
                LossOptions {
                    convention: Convention::Keras,
                    label_smoothing: 0.1,
                    focal_gamma: 2.0,
                    logit_adjustment: 0.5,
                    ..base
                },
                true,
            ),
        ),
    ]
}

fn small_data(preset: &Preset, samples: usize) -> Dataset {
    let spec = DataSpec {
        samples,
        ..DataSpec::default()
    };
    synthesize(preset, &spec).unwrap().train
}

/// Random parameters of the right size, of order 1.
fn random_params(count: usize, seed: u64) -> Vec<f64> {
    let mut rng = SplitMix64::new(seed);
    (0..count).map(|_| 0.7 * rng.normal()).collect()
}

#[test]
fn the_gradient_matches_finite_differences_under_every_loss_option() {
    for (name, preset) in loss_cases() {
        let data = small_data(&preset, 120);
        let problem = SoftmaxProblem::new(&data, &preset, 0.7).unwrap();
        let params = random_params(problem.parameter_count(), 5);
        let (value, gradient) = problem.gradient(&params);
        assert_eq!(value, problem.objective(&params));
        for i in 0..params.len() {
            let h = 1e-5;
            let (mut up, mut down) = (params.clone(), params.clone());
            up[i] += h;
            down[i] -= h;
            let numeric = (problem.objective(&up) - problem.objective(&down)) / (2.0 * h);
            let scale = gradient[i].abs().max(1.0);
            assert!(
                (numeric - gradient[i]).abs() < 1e-6 * scale,
                "{name}, parameter {i}: analytic {} vs numeric {numeric}",
                gradient[i]
            );
        }
    }
}

#[test]
fn the_hessian_matches_finite_differences_of_the_gradient() {
    for (name, preset) in loss_cases() {
        let data = small_data(&preset, 120);
        let problem = SoftmaxProblem::new(&data, &preset, 0.7).unwrap();
        let params = random_params(problem.parameter_count(), 9);
        let Some(hessian) = problem.hessian(&params) else {
            assert!(preset.loss.focal_gamma > 0.0, "{name}: no Hessian");
            continue;
        };
        let size = params.len();
        for j in 0..size {
            let h = 1e-5;
            let (mut up, mut down) = (params.clone(), params.clone());
            up[j] += h;
            down[j] -= h;
            let (_, g_up) = problem.gradient(&up);
            let (_, g_down) = problem.gradient(&down);
            for i in 0..size {
                let numeric = (g_up[i] - g_down[i]) / (2.0 * h);
                let analytic = hessian[i * size + j];
                assert!(
                    (numeric - analytic).abs() < 1e-5 * analytic.abs().max(1.0),
                    "{name}, entry ({i}, {j}): analytic {analytic} vs numeric {numeric}"
                );
                assert_eq!(analytic, hessian[j * size + i], "{name}: symmetric");
            }
        }
    }
}

#[test]
fn every_fit_ends_at_a_stationary_point() {
    for (name, preset) in loss_cases() {
        let data = small_data(&preset, 800);
        let fit = train_softmax(&data, &preset, &SoftmaxOptions::default()).unwrap();
        assert!(fit.converged, "{name}: {fit:?}");
        let problem = SoftmaxProblem::new(&data, &preset, 1.0).unwrap();
        let start = problem.gradient(&vec![0.0; problem.parameter_count()]).1;
        let (objective, gradient) = problem.gradient(&SoftmaxProblem::params_of(&fit.model));
        assert_eq!(objective, fit.objective, "{name}");
        let norm = |g: &[f64]| g.iter().map(|x| x * x).sum::<f64>().sqrt();
        assert!(
            norm(&gradient) < 1e-8 * norm(&start),
            "{name}: gradient norm {} from {}",
            norm(&gradient),
            norm(&start)
        );
        let expected = if preset.loss.focal_gamma > 0.0 {
            Solver::Lbfgs
        } else {
            Solver::Newton
        };
        assert_eq!(fit.solver, expected, "{name}");
        let bias_sum: f64 = fit.model.bias.iter().sum();
        assert!(
            bias_sum.abs() < 1e-12,
            "{name}: biases centred, sum {bias_sum}"
        );
    }
}

#[test]
fn newton_and_lbfgs_reach_the_same_optimum() {
    for (name, preset) in loss_cases()
        .into_iter()
        .filter(|(_, p)| p.loss.focal_gamma == 0.0)
    {
        let data = small_data(&preset, 800);
        let newton = train_softmax(&data, &preset, &SoftmaxOptions::default()).unwrap();
        let lbfgs = SoftmaxOptions {
            solver: Solver::Lbfgs,
            ..SoftmaxOptions::default()
        };
        let lbfgs = train_softmax(&data, &preset, &lbfgs).unwrap();
        assert!(newton.iterations < 20 && newton.iterations < lbfgs.iterations);
        assert!(
            ((newton.objective - lbfgs.objective) / newton.objective).abs() < 1e-12,
            "{name}: {} vs {}",
            newton.objective,
            lbfgs.objective
        );
        for (a, b) in newton.model.weights.iter().zip(&lbfgs.model.weights) {
            assert!((a - b).abs() < 1e-6, "{name}: weights {a} vs {b}");
        }
    }
}

/// The rows of `tests/data/simulator_small.csv`.
fn small_csv() -> Dataset {
    let text = std::fs::read_to_string("tests/data/simulator_small.csv").unwrap();
    let mut data = Dataset {
        dimensions: 2,
        ..Dataset::default()
    };
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        data.labels.push(fields[0].parse().unwrap());
        data.features.push(fields[1].parse().unwrap());
        data.features.push(fields[2].parse().unwrap());
    }
    data
}

#[test]
fn weighted_softmax_regression_equals_scikit_learn() {
    let data = small_csv();
    for (weights, l2, coef, intercept, objective) in [
        (
            reference::NOTEBOOK_WEIGHTS,
            reference::NOTEBOOK_L2,
            reference::NOTEBOOK_COEF,
            reference::NOTEBOOK_INTERCEPT,
            reference::NOTEBOOK_OBJECTIVE,
        ),
        (
            reference::LOW_DEBRIS_WEIGHTS,
            reference::LOW_DEBRIS_L2,
            reference::LOW_DEBRIS_COEF,
            reference::LOW_DEBRIS_INTERCEPT,
            reference::LOW_DEBRIS_OBJECTIVE,
        ),
    ] {
        let mut preset = notebook();
        for (class, weight) in preset.classes.iter_mut().zip(weights) {
            class.weight = weight;
        }
        let options = SoftmaxOptions {
            l2,
            ..SoftmaxOptions::default()
        };
        let fit = train_softmax(&data, &preset, &options).unwrap();
        assert!(fit.converged);
        let largest = coef.iter().flatten().fold(0.0f64, |m, v| m.max(v.abs()));
        for (c, row) in coef.iter().enumerate() {
            for (d, &expected) in row.iter().enumerate() {
                let got = fit.model.weights[c * 2 + d];
                assert!(
                    (got - expected).abs() < 1e-6 * largest,
                    "weights {weights:?}: W[{c}][{d}] {got} vs {expected}"
                );
            }
            let got = fit.model.bias[c];
            assert!(
                (got - intercept[c]).abs() < 1e-6 * largest,
                "weights {weights:?}: b[{c}] {got} vs {}",
                intercept[c]
            );
        }
        assert!(
            ((fit.objective - objective) / objective).abs() < 1e-9,
            "weights {weights:?}: objective {} vs {objective}",
            fit.objective
        );
    }
}

#[test]
fn the_exported_csv_is_the_synthetic_data() {
    // The committed file was written by the export; a platform whose libm rounds differently
    // may differ in the last bits, hence the tolerance.
    let committed = small_csv();
    let spec = DataSpec {
        samples: 200,
        ..DataSpec::default()
    };
    let data = synthesize(&notebook(), &spec).unwrap().train;
    assert_eq!(data.labels, committed.labels);
    for (a, b) in data.features.iter().zip(&committed.features) {
        assert!((a - b).abs() <= 1e-12 * a.abs().max(1.0));
    }
}

#[test]
fn a_class_of_weight_zero_is_never_predicted() {
    let mut preset = notebook();
    preset.classes[3].weight = 0.0;
    let data = small_data(&preset, 400);
    let fit = train_softmax(&data, &preset, &SoftmaxOptions::default()).unwrap();
    assert!(fit.converged, "{fit:?}");
    assert_eq!(fit.model.bias[3], f64::NEG_INFINITY);
    assert_eq!(&fit.model.weights[6..8], [0.0, 0.0]);
    let model = Model::Softmax(fit.model);
    let bounds = Bounds::around(&data).unwrap();
    assert!(
        decision_regions(&model, &bounds, 50)
            .iter()
            .all(|&c| c != 3)
    );
}

fn simulation_options(seeds: usize, workers: usize) -> SimulationOptions {
    SimulationOptions {
        samples: 600,
        seeds,
        workers,
        grid: Some(SweepRange {
            from: 0.0,
            to: 2.0,
            steps: 6,
        }),
        ..SimulationOptions::default()
    }
}

fn run(preset: &Preset, options: &SimulationOptions) -> Simulation {
    simulate(preset, options, &mut |_| true).unwrap().unwrap()
}

#[test]
fn the_sweep_is_the_same_bits_with_one_worker_or_two() {
    let preset = notebook();
    for model in [ModelKind::Softmax, ModelKind::Mlp] {
        let options = |workers| SimulationOptions {
            model,
            epochs: 5,
            ..simulation_options(3, workers)
        };
        let one = run(&preset, &options(1));
        let two = run(&preset, &options(2));
        let again = run(&preset, &options(2));
        let json = |s: &Simulation| serde_json::to_string(s).unwrap();
        assert_eq!(json(&one), json(&two), "{model:?}");
        assert_eq!(json(&two), json(&again), "{model:?}");
        assert_eq!(one, two);
        let value: serde_json::Value = serde_json::from_str(&json(&one)).unwrap();
        for key in ["debris_weight", "retrained", "preview"] {
            assert!(value.get(key).is_some(), "{key}");
        }
        for key in [
            "false_positives_from_debris",
            "false_negatives_to_debris",
            "recall",
            "precision",
        ] {
            assert_eq!(
                value["retrained"][key].as_array().unwrap().len(),
                6,
                "{key}"
            );
            assert_eq!(
                value["preview"][key][0].as_array().unwrap().len(),
                4,
                "{key}"
            );
        }
    }
}

#[test]
fn raising_the_debris_weight_trades_false_positives_for_false_negatives() {
    let preset = notebook();
    let options = SimulationOptions {
        samples: 2000,
        ..simulation_options(1, 2)
    };
    let simulation = run(&preset, &options);
    let total = |rows: &[Vec<f64>]| -> Vec<f64> { rows.iter().map(|r| r.iter().sum()).collect() };
    let fp = total(&simulation.retrained.false_positives_from_debris);
    let fn_ = total(&simulation.retrained.false_negatives_to_debris);
    assert!(fp.windows(2).all(|w| w[1] <= w[0]), "FP {fp:?}");
    assert!(fn_.windows(2).all(|w| w[1] >= w[0]), "FN {fn_:?}");
    assert!(fp[0] > fp[5] && fn_[0] < fn_[5], "FP {fp:?}, FN {fn_:?}");
    // At debris weight 0 no model calls anything debris.
    assert_eq!(fn_[0], 0.0);
    let test = synthesize(&preset, &options.data_spec(0)).unwrap().test;
    assert_eq!(fp[0], test.class_counts(4)[3] as f64);
}

#[test]
fn retraining_and_the_preview_agree_at_the_presets_own_weight() {
    // The default grid 0..2 in 21 steps has 0.4, the notebook's debris weight, at point 4.
    let preset = notebook();
    let options = SimulationOptions {
        samples: 600,
        seeds: 2,
        ..SimulationOptions::default()
    };
    let simulation = run(&preset, &options);
    assert_eq!(simulation.debris_weight.len(), 21);
    assert_eq!(simulation.debris_weight[4], 0.4);
    let (retrained, preview) = (&simulation.retrained, &simulation.preview);
    assert_eq!(
        retrained.false_positives_from_debris[4],
        preview.false_positives_from_debris[4]
    );
    assert_eq!(
        retrained.false_negatives_to_debris[4],
        preview.false_negatives_to_debris[4]
    );
    assert_eq!(retrained.recall[4], preview.recall[4]);
    let gap = Gap::largest(&simulation).unwrap();
    assert_ne!(gap.point, 4);
    let sentence = gap_sentence(&simulation, &preset);
    assert!(
        sentence.contains(&preset.classes[gap.class].name),
        "{sentence}"
    );
}

#[test]
fn the_sweep_can_be_cancelled() {
    let preset = notebook();
    let mut calls = 0;
    let result = simulate(&preset, &simulation_options(3, 2), &mut |_| {
        calls += 1;
        calls < 2
    })
    .unwrap();
    assert!(result.is_none());
    assert!(calls >= 2);
}

#[test]
fn the_mlp_is_bitwise_reproducible_and_learns() {
    let preset = notebook();
    let data = synthesize(
        &preset,
        &DataSpec {
            samples: 1000,
            ..DataSpec::default()
        },
    )
    .unwrap();
    let options = MlpOptions {
        epochs: 30,
        ..MlpOptions::default()
    };
    let first = train_mlp(&data.train, &preset, &options).unwrap();
    let second = train_mlp(&data.train, &preset, &options).unwrap();
    let bits = |p: &[f64]| p.iter().map(|x| x.to_bits()).collect::<Vec<u64>>();
    assert_eq!(bits(&first.model.params), bits(&second.model.params));
    assert_eq!(first.objective.to_bits(), second.objective.to_bits());
    assert_eq!(first.steps, 30 * 4);
    let reseeded = MlpOptions { seed: 1, ..options };
    let other = train_mlp(&data.train, &preset, &reseeded).unwrap();
    assert_ne!(bits(&other.model.params), bits(&first.model.params));
    let untrained = train_mlp(
        &data.train,
        &preset,
        &MlpOptions {
            epochs: 0,
            ..options
        },
    )
    .unwrap();
    assert!(
        first.objective < 0.5 * untrained.objective,
        "{} vs {}",
        first.objective,
        untrained.objective
    );
}

#[test]
fn decision_regions_are_the_predictions_at_the_cell_centres() {
    let preset = notebook();
    let data = small_data(&preset, 400);
    let fit = train_softmax(&data, &preset, &SoftmaxOptions::default()).unwrap();
    let model = Model::Softmax(fit.model);
    let bounds = Bounds {
        min: [-4.0, -2.0],
        max: [4.0, 6.0],
    };
    let regions = decision_regions(&model, &bounds, 8);
    assert_eq!(regions.len(), 64);
    // Row 0 is the top: its first cell's centre is (-3.5, 5.5); row 7, column 7 is (3.5, -1.5).
    let argmax = |x: [f64; 2]| {
        let z = model.logits(&x);
        (0..4u32).fold(0, |best, c| {
            if z[c as usize] > z[best as usize] {
                c
            } else {
                best
            }
        })
    };
    assert_eq!(regions[0], argmax([-3.5, 5.5]));
    assert_eq!(regions[63], argmax([3.5, -1.5]));
    for (cell, &class) in regions.iter().enumerate() {
        let (row, column) = (cell / 8, cell % 8);
        let centre = [-3.5 + column as f64, 5.5 - row as f64];
        assert_eq!(class, argmax(centre), "cell {cell}");
    }
    // The preview's regions at debris weight 4: debris grows.
    let basis = ShiftBasis::new(preset.weights());
    let mut weights = preset.weights();
    weights[3] = 4.0;
    let rule = DecisionRule::new(&basis, &weights, 1.0, 3);
    let shifted = decision_regions_with(&model, &rule, &bounds, 8);
    let debris_cells = |r: &[u32]| r.iter().filter(|&&c| c == 3).count();
    assert!(debris_cells(&shifted) > debris_cells(&regions));
}

#[test]
fn with_every_sample_weighted_zero_there_is_nothing_to_fit() {
    // The sweep starts at debris weight 0: with every other class weighted 0 too, no class
    // takes part in the fit, and Newton's pass sliced an empty block (a panic; found by the
    // soak test, and by `weightbench simulate` on such a preset).
    let mut preset = notebook();
    for class in &mut preset.classes[..3] {
        class.weight = 0.0;
    }
    let simulation = run(&preset, &simulation_options(1, 1));
    assert_eq!(simulation.debris_weight.len(), 6);
    preset.classes[3].weight = 0.0;
    let data = small_data(&preset, 200);
    for focal_gamma in [0.0, 2.0] {
        preset.loss.focal_gamma = focal_gamma;
        let fit = train_softmax(&data, &preset, &SoftmaxOptions::default()).unwrap();
        assert!(fit.converged && fit.iterations == 0, "{fit:?}");
        assert_eq!(fit.objective, 0.0);
    }
}
