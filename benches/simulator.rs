//! Simulator speed: the softmax fit on 8000 points x 4 classes (beside scikit-learn's on the same
//! CSV), the 21-point sweep with 5 seeds on the notebook's proportions, an MLP epoch on 10k
//! points, and the decision regions of a 200 x 200 grid.
//!
//! Run with `cargo bench --bench simulator`. With `WEIGHTBENCH_SKLEARN=1` it also runs
//! `scripts/sklearn_fit.py` on the CSV it wrote (needs python3 with scikit-learn; unset
//! `OPENBLAS_CORETYPE` and `OPENBLAS_L2_SIZE` in that command) and prints its timings, so both
//! are measured in the same run. Under `cargo test --all-targets` (a debug build, each bench
//! run once) the sizes shrink so CI stays quick.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use weightbench::core::Preset;
use weightbench::core::simulator::{
    Bounds, DataSpec, MlpOptions, Model, SimulationOptions, SoftmaxOptions, Solver,
    decision_regions, simulate, synthesize, train_mlp, train_softmax,
};

/// Points of the softmax fit: 8000 in a release build, fewer in a debug (test) build.
const FIT_SAMPLES: usize = if cfg!(debug_assertions) { 800 } else { 8000 };

/// Points of the MLP epoch.
const MLP_SAMPLES: usize = if cfg!(debug_assertions) { 1000 } else { 10_000 };

fn notebook() -> Preset {
    Preset::notebook().unwrap_or_else(|error| panic!("the built-in preset is broken: {error}"))
}

fn spec(samples: usize) -> DataSpec {
    DataSpec {
        samples,
        ..DataSpec::default()
    }
}

/// Runs scikit-learn on `csv` when `WEIGHTBENCH_SKLEARN` is set, printing what it reports.
fn sklearn(csv: &PathBuf, preset: &Preset) {
    if std::env::var_os("WEIGHTBENCH_SKLEARN").is_none() {
        return;
    }
    let weights: Vec<String> = preset.weights().iter().map(f64::to_string).collect();
    let output = std::process::Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/sklearn_fit.py"
        ))
        .arg(csv)
        .arg(weights.join(","))
        .arg("1")
        .env_remove("OPENBLAS_CORETYPE")
        .env_remove("OPENBLAS_L2_SIZE")
        .output();
    match output {
        Ok(output) => eprintln!(
            "scikit-learn on {}:\n{}{}",
            csv.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(error) => eprintln!("scikit-learn: could not run python3: {error}"),
    }
}

fn softmax_fit(c: &mut Criterion) {
    let preset = notebook();
    let data = synthesize(&preset, &spec(FIT_SAMPLES))
        .unwrap_or_else(|error| panic!("{error}"))
        .train;
    let csv = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(format!("simulator_fit_{FIT_SAMPLES}.csv"));
    if let Err(error) = std::fs::write(&csv, data.to_csv()) {
        eprintln!("{}: {error}", csv.display());
    }
    for solver in [Solver::Newton, Solver::Lbfgs] {
        let options = SoftmaxOptions {
            solver,
            ..SoftmaxOptions::default()
        };
        c.bench_function(
            &format!("softmax fit {solver:?}, {FIT_SAMPLES} x 4 classes"),
            |b| b.iter(|| train_softmax(black_box(&data), &preset, &options)),
        );
    }
    sklearn(&csv, &preset);
}

fn sweep_and_mlp(c: &mut Criterion) {
    let preset = notebook();
    let mut slow = c.benchmark_group("simulator, slow");
    slow.sample_size(10)
        .measurement_time(Duration::from_secs(10));
    let options = SimulationOptions::default();
    slow.bench_function(
        "simulate softmax, 21 points x 5 seeds x 4000 samples, 2 workers",
        |b| {
            b.iter(|| simulate(black_box(&preset), &options, &mut |_| true));
        },
    );
    slow.finish();
    let data = synthesize(&preset, &spec(MLP_SAMPLES))
        .unwrap_or_else(|error| panic!("{error}"))
        .train;
    // One epoch is the difference of the two, over 10: both end with one pass for the objective.
    let mut epochs_group = c.benchmark_group("simulator, MLP");
    epochs_group.sample_size(20);
    for epochs in [1, 11] {
        let options = MlpOptions {
            epochs,
            ..MlpOptions::default()
        };
        epochs_group.bench_function(
            format!("MLP 2-16-16-4, {epochs} epochs on {MLP_SAMPLES} points (+ objective pass)"),
            |b| b.iter(|| train_mlp(black_box(&data), &preset, &options)),
        );
    }
    epochs_group.finish();
    let bounds = Bounds::around(&data).unwrap_or_else(|| panic!("2-D data"));
    let mlp = train_mlp(
        &data,
        &preset,
        &MlpOptions {
            epochs: 1,
            ..MlpOptions::default()
        },
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let mlp = Model::Mlp(mlp.model);
    c.bench_function("decision regions 200 x 200, MLP", |b| {
        b.iter(|| decision_regions(black_box(&mlp), &bounds, 200));
    });
}

criterion_group!(benches, softmax_fit, sweep_and_mlp);
criterion_main!(benches);
