//! Runs: the estimate between real retrains (the simulator's), its exactness at a run's own
//! weights, the band, the preview errors measured on the runs, and where to retrain next.

use std::sync::atomic::AtomicBool;

use weightbench::core::Preset;
use weightbench::core::outcomes::Objective;
use weightbench::core::outcomes::data::ValidationData;
use weightbench::core::outcomes::decision::{DecisionRule, ShiftBasis, predict};
use weightbench::core::outcomes::metrics::{Confusion, Metrics};
use weightbench::core::outcomes::runs::{RunInfo, RunSet, RunSetBuilder, RunsReport};
use weightbench::core::simulator::{DataSpec, ModelKind, SimulationOptions, synthesize};

/// The notebook with debris weight `debris_weight`.
fn notebook_at(debris_weight: f64) -> Preset {
    let mut preset = Preset::notebook().unwrap();
    let debris = preset.debris;
    preset.classes[debris].weight = debris_weight;
    preset
}

/// A model retrained at debris weight `debris_weight` on seed `seed`'s data, its outputs on
/// the seed's test set.
fn retrain(debris_weight: f64, seed: u64, model: ModelKind) -> ValidationData {
    retrain_replicate(debris_weight, seed, 0, model)
}

/// [`retrain`] with the MLP's initial weights and shuffles of replicate `replicate`: the same
/// data, another training run.
fn retrain_replicate(
    debris_weight: f64,
    seed: u64,
    replicate: usize,
    model: ModelKind,
) -> ValidationData {
    let preset = notebook_at(debris_weight);
    let spec = DataSpec {
        samples: 3000,
        overlap: 0.6,
        seed,
    };
    let data = synthesize(&Preset::notebook().unwrap(), &spec).unwrap();
    let options = SimulationOptions {
        model,
        epochs: 60,
        ..SimulationOptions::default()
    };
    let model = options
        .train(&data.train, &preset, replicate, &AtomicBool::new(false))
        .unwrap();
    model.scores(&data.test)
}

fn info(file: &str, weights: Vec<f64>, seed: Option<i64>) -> RunInfo {
    RunInfo {
        file: file.to_owned(),
        weights,
        seed,
        epoch: None,
    }
}

/// A set of runs, each `(debris weight, outputs)`, holding the notebook's other weights.
fn set_of(runs: &[(f64, &ValidationData)]) -> RunSet {
    let notebook = Preset::notebook().unwrap();
    let planned: Vec<Vec<f64>> = runs
        .iter()
        .map(|(w, _)| notebook_at(*w).weights())
        .collect();
    let mut builder = RunSetBuilder::new(&notebook.weights(), notebook.debris, &planned);
    for (index, (w, data)) in runs.iter().enumerate() {
        builder
            .add(
                info(&format!("run{index}.npz"), notebook_at(*w).weights(), None),
                data,
            )
            .unwrap();
    }
    builder.finish()
}

/// The counts of `data` decided at its own weights (no shift): what the retrain really gives.
fn real_counts(data: &ValidationData, debris: usize) -> (Vec<u64>, Vec<u64>) {
    let weights = vec![1.0; data.classes];
    let rule = DecisionRule::new(&ShiftBasis::new(weights.clone()), &weights, 1.0, debris);
    let metrics = Metrics::of(
        Confusion::of(&data.labels, &predict(data, &rule), data.classes),
        debris,
        None,
    );
    (
        metrics.false_positives_from_debris,
        metrics.false_negatives_to_debris,
    )
}

/// Summed absolute error of estimated counts against real ones.
fn missed(estimated: (&[f64], &[f64]), real: &(Vec<u64>, Vec<u64>)) -> f64 {
    let one =
        |e: &[f64], r: &[u64]| -> f64 { e.iter().zip(r).map(|(e, &r)| (e - r as f64).abs()).sum() };
    one(estimated.0, &real.0) + one(estimated.1, &real.1)
}

fn retrains_beat_the_single_preview(model: ModelKind) -> (f64, f64) {
    let trained = 0.4;
    let debris = Preset::notebook().unwrap().debris;
    let factors = [0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0];
    let mut preview_error = 0.0;
    let mut estimate_error = 0.0;
    for seed in [11, 12] {
        let outputs: Vec<ValidationData> = factors
            .iter()
            .map(|f| retrain(trained * f, seed, model))
            .collect();
        // Runs at 1/8, 1 and 8 times the trained weight; the weights between are held out.
        let set = set_of(&[
            (trained * 0.125, &outputs[0]),
            (trained, &outputs[3]),
            (trained * 8.0, &outputs[6]),
        ]);
        let middle = 1; // run1.npz, at the trained weight.
        for held_out in [1, 2, 4, 5] {
            let w = trained * factors[held_out];
            let real = real_counts(&outputs[held_out], debris);
            let preview = Metrics::of(set.preview_at(middle, w), debris, None);
            let as_f64 = |v: &[u64]| v.iter().map(|&n| n as f64).collect::<Vec<_>>();
            preview_error += missed(
                (
                    &as_f64(&preview.false_positives_from_debris),
                    &as_f64(&preview.false_negatives_to_debris),
                ),
                &real,
            );
            let estimate = set.estimate_at(w).unwrap();
            estimate_error += missed(
                (
                    &estimate.counts.false_positives_from_debris,
                    &estimate.counts.false_negatives_to_debris,
                ),
                &real,
            );
        }
    }
    (preview_error, estimate_error)
}

#[test]
fn on_softmax_retrains_the_estimate_beats_the_single_run_preview_at_weights_held_out() {
    let (preview, estimate) = retrains_beat_the_single_preview(ModelKind::Softmax);
    eprintln!("softmax: estimate {estimate}, preview {preview}");
    assert!(
        estimate < 0.8 * preview,
        "summed error at 1/4, 1/2, 2, 4: estimate {estimate}, preview {preview}"
    );
}

#[test]
fn on_mlp_retrains_the_estimate_beats_the_single_run_preview_at_weights_held_out() {
    let (preview, estimate) = retrains_beat_the_single_preview(ModelKind::Mlp);
    eprintln!("mlp: estimate {estimate}, preview {preview}");
    assert!(
        estimate < 0.8 * preview,
        "summed error at 1/4, 1/2, 2, 4: estimate {estimate}, preview {preview}"
    );
}

#[test]
fn at_a_runs_own_weights_the_estimate_is_the_mean_of_its_replicates_and_the_band_their_spread() {
    let first = retrain_replicate(0.4, 1, 0, ModelKind::Mlp);
    let second = retrain_replicate(0.4, 1, 1, ModelKind::Mlp);
    let other = retrain(3.2, 1, ModelKind::Mlp);
    let set = set_of(&[(0.4, &first), (0.4, &second), (3.2, &other)]);
    assert_eq!(set.groups().len(), 2, "two replicates and one other run");
    let debris = set.debris();
    let (ra, rb) = (real_counts(&first, debris), real_counts(&second, debris));
    let point = set.estimate_at(0.4).unwrap();
    for class in 0..4 {
        let (x, y) = (ra.0[class] as f64, rb.0[class] as f64);
        assert_eq!(
            point.counts.false_positives_from_debris[class],
            f64::midpoint(x, y)
        );
        assert_eq!(point.low.false_positives_from_debris[class], x.min(y));
        assert_eq!(point.high.false_positives_from_debris[class], x.max(y));
        let (x, y) = (ra.1[class] as f64, rb.1[class] as f64);
        assert_eq!(
            point.counts.false_negatives_to_debris[class],
            f64::midpoint(x, y)
        );
    }
    // The single run at 3.2: exactly its own counts, a band of no width.
    let rc = real_counts(&other, debris);
    let point = set.estimate_at(3.2).unwrap();
    let exact: Vec<f64> = rc.0.iter().map(|&n| n as f64).collect();
    assert_eq!(point.counts.false_positives_from_debris, exact);
    assert_eq!(point.low.false_positives_from_debris, exact);
    assert_eq!(point.high.false_positives_from_debris, exact);
}

#[test]
fn between_two_runs_the_estimate_interpolates_their_previews_in_ln_w() {
    let a = retrain(0.1, 3, ModelKind::Softmax);
    let b = retrain(1.6, 3, ModelKind::Softmax);
    let set = set_of(&[(0.1, &a), (1.6, &b)]);
    // 0.4 is halfway between 0.1 and 1.6 in ln w: the mean of the two previews.
    let point = set.estimate_at(0.4).unwrap();
    let debris = set.debris();
    let pa = Metrics::of(set.preview_at(0, 0.4), debris, None);
    let pb = Metrics::of(set.preview_at(1, 0.4), debris, None);
    for class in 0..4 {
        let (x, y) = (
            pa.false_positives_from_debris[class] as f64,
            pb.false_positives_from_debris[class] as f64,
        );
        let mean = point.counts.false_positives_from_debris[class];
        assert!((f64::midpoint(x, y) - mean).abs() < 1e-9, "{x} {y} {mean}");
        assert_eq!(point.low.false_positives_from_debris[class], x.min(y));
        assert_eq!(point.high.false_positives_from_debris[class], x.max(y));
    }
    assert_eq!(point.groups, (0, Some(1)));
    // Beyond the runs the band widens with the distance, by the drift the runs showed.
    let near = set.estimate_at(2.0).unwrap();
    let far = set.estimate_at(20.0).unwrap();
    assert_eq!(far.groups, (1, None));
    assert!(far.band_width() >= near.band_width(), "{far:?} {near:?}");
}

#[test]
fn the_report_measures_previews_on_the_runs_and_says_where_to_retrain() {
    let runs: Vec<ValidationData> = [0.05, 0.4, 3.2]
        .iter()
        .map(|&w| retrain(w, 5, ModelKind::Softmax))
        .collect();
    let set = set_of(&[(0.05, &runs[0]), (0.4, &runs[1]), (3.2, &runs[2])]);
    let grid: Vec<f64> = (0..=40).map(|i| 0.05 * 1.11_f64.powi(i)).collect();
    let report = RunsReport::of(&set, &grid, Objective::BalancedAccuracy, None);
    assert_eq!(report.preview_error.pairs.len(), 6, "every ordered pair");
    assert_eq!(
        report.preview_error.blended.len(),
        1,
        "only the middle run is bracketed"
    );
    assert!(
        report
            .preview_error
            .sentence
            .starts_with("On your runs, a preview from a run 8x away missed"),
        "{}",
        report.preview_error.sentence
    );
    let next = &report.next;
    for w in [next.objective.unwrap(), next.widest_band.unwrap()] {
        for run in [0.05, 0.4, 3.2] {
            assert!(
                (w / run - 1.0_f64).abs() > 0.05,
                "{w} is near the run at {run}"
            );
        }
    }
    assert!(
        next.why.objective.contains("balanced-accuracy"),
        "{}",
        next.why.objective
    );
    assert!(
        next.why.widest_band.contains("widest"),
        "{}",
        next.why.widest_band
    );
    // Identical input, identical report.
    assert_eq!(
        report,
        RunsReport::of(&set, &grid, Objective::BalancedAccuracy, None)
    );
}

#[test]
fn runs_of_another_validation_set_are_refused_naming_the_file_and_row() {
    let a = retrain(0.4, 1, ModelKind::Softmax);
    let mut b = a.clone();
    b.labels[17] = (b.labels[17] + 1) % 4;
    let notebook = Preset::notebook().unwrap();
    let weights = notebook.weights();
    let mut builder = RunSetBuilder::new(&weights, 3, &[weights.clone(), weights.clone()]);
    builder
        .add(info("a.npz", weights.clone(), None), &a)
        .unwrap();
    let error = builder
        .add(info("b.npz", weights.clone(), None), &b)
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("b.npz: row 17 is labelled"), "{error}");
    assert!(error.contains("a.npz"), "{error}");
    let mut short = a.clone();
    short.labels.truncate(100);
    if let weightbench::core::outcomes::data::Scores::F64(v) = &mut short.scores {
        v.truncate(400);
    }
    let error = builder
        .add(info("c.npz", weights, None), &short)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("c.npz: 100 samples, a.npz has"),
        "{error}"
    );
}

#[test]
fn the_runs_blended_bracket_the_debris_weight_even_when_other_weights_differ() {
    let data = retrain(0.4, 4, ModelKind::Softmax);
    let notebook = Preset::notebook().unwrap();
    let held = notebook.weights();
    let with = |class1: f64, debris: f64| {
        let mut weights = held.clone();
        weights[0] = class1;
        weights[3] = debris;
        weights
    };
    // B above the query and nearest, A above it too but nearer in class1's weight than C, C
    // below: the blend is B with C, the runs on either side of 0.3.
    let runs = [
        ("b.npz", with(2.0 * held[0], 0.35)),
        ("a.npz", with(held[0] / 2.0, 0.5)),
        ("c.npz", with(held[0], 0.1)),
    ];
    let planned: Vec<Vec<f64>> = runs.iter().map(|(_, w)| w.clone()).collect();
    let mut builder = RunSetBuilder::new(&held, notebook.debris, &planned);
    for (file, weights) in &runs {
        builder
            .add(info(file, weights.clone(), None), &data)
            .unwrap();
    }
    let set = builder.finish();
    let debris_of = |g: usize| set.groups()[g].weights[3];
    let point = set.estimate_at(0.3).unwrap();
    let (a, b) = point.groups;
    assert_eq!((debris_of(a), b.map(debris_of)), (0.35, Some(0.1)));
}
