//! Outcomes speed at a million samples: predicting and scoring, the exact debris sweep (one
//! weight, a 201-point curve), its bootstrap bands, the temperature fit and the weight search.
//!
//! Run with `cargo bench --bench outcomes`. Under `cargo test --all-targets` (a debug build,
//! each bench run once) the data shrinks to 20,000 samples so CI stays quick.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use weightbench::core::outcomes::bootstrap::{BootstrapOptions, bootstrap};
use weightbench::core::outcomes::data::{ScoreKind, Scores, ValidationData};
use weightbench::core::outcomes::debris_sweep::DebrisSweep;
use weightbench::core::outcomes::decision::{DecisionRule, ShiftBasis, predict};
use weightbench::core::outcomes::report::metrics_of;
use weightbench::core::outcomes::temperature::fit_temperature;
use weightbench::core::outcomes::{Objective, OutcomeOptions, Outcomes, TuneOptions, suggest};
use weightbench::core::rng::SplitMix64;
use weightbench::core::{Class, Preset};

/// The number of samples: a million in a release build, fewer in a debug (test) build.
const SAMPLES: usize = if cfg!(debug_assertions) {
    20_000
} else {
    1_000_000
};

/// The notebook's classes: counts 260, 10, 56, 500; class 4 is debris.
fn preset() -> Preset {
    let mut preset = Preset::blank();
    preset.classes = [
        ("class1", 260, 0.8),
        ("class2", 10, 26.0),
        ("class3", 56, 4.0),
        ("debris", 500, 0.4),
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
    preset.validation.trained_with = vec![1.0, 10.0, 3.0, 0.5];
    preset
}

/// `samples` x 4 float32 logits in the notebook's proportions, the true class ahead by about 2.
fn data(samples: usize) -> ValidationData {
    let mut rng = SplitMix64::new(2024);
    let mut scores = Vec::with_capacity(samples * 4);
    let mut labels = Vec::with_capacity(samples);
    for _ in 0..samples {
        let u = rng.uniform() * 826.0;
        let label = if u < 260.0 {
            0
        } else if u < 270.0 {
            1
        } else if u < 326.0 {
            2
        } else {
            3
        };
        labels.push(label);
        for c in 0..4 {
            let signal = if c == label { 2.0 } else { 0.0 };
            #[allow(
                clippy::cast_possible_truncation,
                reason = "float32 scores, as a model writes them"
            )]
            scores.push((1.5 * rng.normal() + signal) as f32);
        }
    }
    ValidationData {
        source: "bench".to_owned(),
        classes: 4,
        kind: ScoreKind::Logits,
        scores: Scores::F32(scores),
        labels,
    }
}

fn outcomes(c: &mut Criterion) {
    let preset = preset();
    let data = data(SAMPLES);
    let basis = ShiftBasis::new(preset.trained_with());
    let rule = DecisionRule::new(&basis, &preset.weights(), 1.0, 3);
    let thousands = SAMPLES / 1_000;
    c.bench_function(&format!("predict {thousands}k x 4 f32"), |b| {
        b.iter(|| predict(black_box(&data), &rule));
    });
    c.bench_function(&format!("predict + metrics {thousands}k x 4 f32"), |b| {
        b.iter(|| metrics_of(black_box(&data), &rule, 3, None));
    });
    let sweep = DebrisSweep::new(&data, &rule, 3);
    let shift = basis.shift(3, 0.7);
    c.bench_function(
        &format!("debris sweep counts_at, {thousands}k samples"),
        |b| {
            b.iter(|| sweep.counts_at(black_box(shift)));
        },
    );
    let grid: Vec<f64> = (0..201).map(|k| 0.01 * f64::from(k)).collect();
    c.bench_function(
        &format!("debris sweep curve, 201 points, {thousands}k samples"),
        |b| {
            b.iter(|| sweep.curve(&basis, black_box(&grid)));
        },
    );
    let mut slow = c.benchmark_group("outcomes, slow");
    slow.sample_size(10)
        .measurement_time(Duration::from_secs(10));
    slow.bench_function(format!("debris sweep build, {thousands}k samples"), |b| {
        b.iter(|| DebrisSweep::new(black_box(&data), &rule, 3));
    });
    slow.bench_function(
        format!("bootstrap 200 x 201 points, {thousands}k samples"),
        |b| {
            b.iter(|| {
                bootstrap(
                    &sweep,
                    &basis,
                    &grid,
                    &BootstrapOptions::default(),
                    &mut |_| true,
                )
            });
        },
    );
    slow.bench_function(format!("Outcomes::of, {thousands}k samples"), |b| {
        b.iter(|| Outcomes::of(black_box(&data), &preset, &OutcomeOptions::default()));
    });
    slow.bench_function(format!("fit temperature, {thousands}k samples"), |b| {
        b.iter(|| fit_temperature(black_box(&data)));
    });
    let options = TuneOptions {
        objective: Objective::MacroF1,
        min_recall: None,
        outcome: OutcomeOptions::default(),
    };
    slow.bench_function(format!("tune macro-f1, {thousands}k samples"), |b| {
        b.iter(|| suggest(black_box(&data), &preset, &options));
    });
    slow.finish();
}

criterion_group!(benches, outcomes);
criterion_main!(benches);
