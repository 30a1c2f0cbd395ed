//! Core speed: evaluating the notebook preset and sweeping its debris weight.
//!
//! Run with `cargo bench --bench core`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use weightbench::core::cases::sweep::Spread;
use weightbench::core::loss::weighted_cross_entropy;
use weightbench::core::{
    Analysis, AnalysisInputs, Evaluation, Preset, Sweep, parse_preset, preset_to_ron,
};

#[path = "../examples/large_preset.rs"]
mod large_preset;

fn notebook() -> Preset {
    Preset::notebook().unwrap_or_else(|error| panic!("the built-in preset is broken: {error}"))
}

fn core(c: &mut Criterion) {
    let preset = notebook();
    c.bench_function("weighted_cross_entropy, 4 classes", |b| {
        b.iter(|| {
            weighted_cross_entropy(
                black_box(&[10.0, 0.1, 0.1, 5.0]),
                3,
                black_box(&[0.8, 26.0, 4.0, 0.4]),
            )
        });
    });
    c.bench_function("evaluate notebook (11 scenarios)", |b| {
        b.iter(|| Evaluation::of(black_box(&preset)));
    });
    c.bench_function("sweep notebook (11 scenarios x 201 debris weights)", |b| {
        b.iter(|| Sweep::run(black_box(&preset), &preset.sweep));
    });
    let text = preset_to_ron(&preset).unwrap_or_default();
    c.bench_function("parse notebook.ron", |b| {
        b.iter(|| parse_preset(black_box(&text), "bench"));
    });
}

/// The work behind one edit of a 100-class, 2000-scenario preset, piece by piece.
fn at_scale(c: &mut Criterion) {
    let preset = large_preset::large_preset(100, 2000);
    let inputs = AnalysisInputs::new(preset.clone());
    c.bench_function("analysis of 100 classes x 2000 scenarios", |b| {
        b.iter(|| Analysis::of(black_box(&inputs)));
    });
    c.bench_function("evaluate 100 classes x 2000 scenarios", |b| {
        b.iter(|| Evaluation::of(black_box(&preset)));
    });
    let evaluation = Evaluation::of(&preset).unwrap_or_else(|error| panic!("{error}"));
    c.bench_function("sweep 2000 scenarios x 201 debris weights", |b| {
        b.iter(|| Sweep::from_evaluation(black_box(&preset), &evaluation, &preset.sweep));
    });
    let sweep = Sweep::from_evaluation(&preset, &evaluation, &preset.sweep);
    c.bench_function("spread of 2000 curves x 201 points", |b| {
        b.iter(|| Spread::of(black_box(&sweep)));
    });
    c.bench_function("clone a 100 x 2000 preset", |b| {
        b.iter(|| black_box(&preset).clone());
    });
}

criterion_group!(benches, core, at_scale);
criterion_main!(benches);
