//! Core speed: evaluating the notebook preset and sweeping its debris weight.
//!
//! Run with `cargo bench --bench core`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use weightbench::core::loss::weighted_cross_entropy;
use weightbench::core::{Evaluation, Preset, Sweep, parse_preset, preset_to_ron};

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

criterion_group!(benches, core);
criterion_main!(benches);
