//! Outcomes speed at a million samples: predicting and scoring, the exact debris sweep (one
//! weight, a 201-point curve), its bootstrap bands, the temperature fit, the weight search and
//! the runs (one prepared; twenty estimated along 201 weights); deciding by costs again after
//! a cost edit;
//! and reading the scores of a million-row CSV: its float fields parsed as the reader does.
//!
//! Run with `cargo bench --bench outcomes` (one group: `cargo bench --bench outcomes -- "csv
//! floats"`). Under `cargo test --all-targets` (a debug build, each bench run once) the data
//! shrinks to 20,000 samples so CI stays quick.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use weightbench::core::outcomes::bootstrap::{BootstrapOptions, bootstrap};
use weightbench::core::outcomes::cost_report::CostDecisions;
use weightbench::core::outcomes::costs::{CostMatrix, CostRule, Probabilities};
use weightbench::core::outcomes::data::{ScoreKind, Scores, ValidationData};
use weightbench::core::outcomes::debris_sweep::DebrisSweep;
use weightbench::core::outcomes::decision::{DecisionRule, ShiftBasis, predict};
use weightbench::core::outcomes::report::metrics_of;
use weightbench::core::outcomes::runs::{RunInfo, RunSetBuilder, RunsReport};
use weightbench::core::outcomes::temperature::fit_temperature;
use weightbench::core::outcomes::{
    Objective, OutcomeOptions, OutcomeSetup, Outcomes, TuneOptions, suggest,
};
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
    runs(&mut slow, &preset, &data);
    slow.finish();
}

/// Runs: one run prepared (its sweep and its own counts), and 20 runs estimated along 201 debris
/// weights with their preview errors and where to retrain next (`weightbench runs` after the
/// reading).
fn runs(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    preset: &Preset,
    data: &ValidationData,
) {
    let thousands = SAMPLES / 1_000;
    let weights = preset.weights();
    // Twenty retrains at 1/16 to 32 times the debris weight: the same validation set, the
    // debris logit moved by 0.6 ln of the factor (less than a preview assumes, as nets do).
    let runs: Vec<(RunInfo, ValidationData)> = (0..20)
        .map(|i| {
            let factor = 2.0_f64.powi(i % 10 - 4);
            let mut run_weights = weights.clone();
            run_weights[3] *= factor;
            let mut run = data.clone();
            if let Scores::F32(scores) = &mut run.scores {
                #[allow(clippy::cast_possible_truncation, reason = "float32 scores")]
                let moved = (0.6 * factor.ln()) as f32;
                for row in scores.chunks_exact_mut(4) {
                    row[3] += moved;
                }
            }
            let info = RunInfo {
                file: format!("run{i:02}.npz"),
                weights: run_weights,
                seed: Some(i64::from(i / 10)),
                epoch: None,
            };
            (info, run)
        })
        .collect();
    let planned: Vec<Vec<f64>> = runs.iter().map(|(info, _)| info.weights.clone()).collect();
    group.bench_function(
        format!("runs: prepare one run, {thousands}k samples"),
        |b| {
            b.iter(|| {
                let mut builder = RunSetBuilder::new(&weights, 3, &planned);
                builder.add(runs[0].0.clone(), black_box(&runs[0].1))
            });
        },
    );
    let mut builder = RunSetBuilder::new(&weights, 3, &planned);
    for (info, run) in &runs {
        builder.add(info.clone(), run).unwrap_or_default();
    }
    let set = builder.finish();
    drop(runs);
    let grid: Vec<f64> = (0..201).map(|k| 0.01 * f64::from(k)).collect();
    group.bench_function(
        format!("runs: report of 20 runs along 201 weights, {thousands}k samples"),
        |b| {
            b.iter(|| RunsReport::of(black_box(&set), &grid, Objective::BalancedAccuracy, None));
        },
    );
}

/// The CSV reader's float parsing as it stands: a hand-written Clinger fast path in front of
/// `fast-float2`.
#[path = "../src/core/outcomes/read/csv_file/float.rs"]
#[allow(
    dead_code,
    reason = "its tests' helpers, compiled here without its tests"
)]
mod float;

/// `x` as C's `%.18e` writes it (NumPy's `savetxt` default): `-1.303157210350036621e+00`.
fn c_exponent(x: f64) -> String {
    let text = format!("{x:.18e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let (sign, digits) = match exponent.strip_prefix('-') {
        Some(digits) => ('-', digits),
        None => ('+', exponent),
    };
    format!("{mantissa}e{sign}{digits:0>2}")
}

/// The score fields of `rows` x 4 float32 logits written by `format`, as CSV rows of 4 fields
/// (no labels): the text, and where each field starts and ends.
fn csv_fields(rows: usize, format: fn(f32, usize) -> String) -> (Vec<u8>, Vec<(usize, usize)>) {
    let mut rng = SplitMix64::new(2024);
    let mut text = Vec::new();
    let mut fields = Vec::with_capacity(rows * 4);
    for row in 0..rows {
        let label = row % 4;
        for c in 0..4 {
            let signal = if c == label { 2.0 } else { 0.0 };
            #[allow(
                clippy::cast_possible_truncation,
                reason = "float32 scores, as a model writes them"
            )]
            let score = (1.5 * rng.normal() + signal) as f32;
            let start = text.len();
            text.extend_from_slice(format(score, row * 4 + c).as_bytes());
            fields.push((start, text.len()));
            text.push(if c == 3 { b'\n' } else { b',' });
        }
    }
    (text, fields)
}

/// The sum of every field as `parse` reads it from its start to the end of the text.
fn in_line(text: &[u8], fields: &[(usize, usize)], parse: impl Fn(&[u8]) -> Option<f64>) -> f64 {
    let mut sum = 0.0;
    for &(start, _) in fields {
        sum += parse(&text[start..]).unwrap_or(f64::NAN);
    }
    sum
}

/// The sum of every field as `parse` reads it cut out to its cell.
fn cells(text: &[u8], fields: &[(usize, usize)], parse: impl Fn(&[u8]) -> Option<f64>) -> f64 {
    let mut sum = 0.0;
    for &(start, end) in fields {
        sum += parse(&text[start..end]).unwrap_or(f64::NAN);
    }
    sum
}

/// Parses every field as the CSV reader does, with `fast-float2` (a hand-written Clinger fast
/// path in front of it was slower on long fields, see the commit that removed it), where the
/// reader meets it in the line (the number, then a comma or line end) and cut out to the cell;
/// and with `str::parse` for reference.
fn csv_floats(c: &mut Criterion) {
    type Format = fn(f32, usize) -> String;
    let formats: [(&str, Format); 4] = [
        ("%.18e", |x, _| c_exponent(f64::from(x))),
        ("repr", |x, _| format!("{:?}", f64::from(x))),
        ("float32 shortest", |x, _| format!("{x}")),
        ("short", |x, index| {
            if index % 4 == 0 {
                format!("{x:.1e}")
            } else {
                format!("{x:.2}")
            }
        }),
    ];
    let rows = SAMPLES;
    let ends_field = |text: &[u8], length: usize| matches!(text.get(length), Some(b',' | b'\n'));
    let mut group = c.benchmark_group("csv floats");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .throughput(Throughput::Elements(4 * rows as u64));
    for (name, format) in formats {
        let (text, fields) = csv_fields(rows, format);
        let text = text.as_slice();
        let fast_float2 = |rest: &[u8]| {
            fast_float2::parse_partial::<f64, _>(rest)
                .ok()
                .filter(|&(_, length)| ends_field(rest, length))
                .map(|(value, _)| value)
        };
        let standard = |rest: &[u8]| {
            let end = memchr::memchr2(b',', b'\n', rest)?;
            std::str::from_utf8(&rest[..end]).ok()?.parse().ok()
        };
        // Every way reads every field, bit for bit.
        let sums = [
            in_line(text, &fields, fast_float2),
            in_line(text, &fields, standard),
        ];
        assert!(
            sums.iter().all(|sum| sum.to_bits() == sums[0].to_bits()),
            "{name}: {sums:?}"
        );
        for &(start, end) in fields.iter().take(10_000) {
            let cell = &text[start..end];
            let expected = std::str::from_utf8(cell)
                .ok()
                .and_then(|t| t.parse::<f64>().ok());
            assert_eq!(
                fast_float2::parse::<f64, _>(cell).ok(),
                expected,
                "{cell:?}"
            );
        }
        group.bench_function(format!("{name}, in line, fast-float2"), |b| {
            b.iter(|| in_line(black_box(text), &fields, fast_float2));
        });
        group.bench_function(format!("{name}, in line, str::parse"), |b| {
            b.iter(|| in_line(black_box(text), &fields, standard));
        });
        group.bench_function(format!("{name}, cells, fast-float2"), |b| {
            b.iter(|| {
                cells(black_box(text), &fields, |cell| {
                    fast_float2::parse(cell).ok()
                })
            });
        });
    }
    group.finish();
}

/// Costs: deciding again after a cost edit (the window's path: the probabilities kept, one pass
/// of `P @ C` and argmin), the probabilities themselves, and the cost rule from the logits (the
/// command line's path). numpy's `argmin(P @ C)` on the same sizes: `scripts/costs_numpy.py`.
fn costs(c: &mut Criterion) {
    let preset = preset();
    let data = data(SAMPLES);
    let thousands = SAMPLES / 1_000;
    let Ok(setup) = OutcomeSetup::for_preset(&preset, &OutcomeOptions::default(), 1.0) else {
        return;
    };
    let Ok(matrix) = CostMatrix::new(
        &[
            vec![0.0, 2.0, 2.0, 5.0],
            vec![1.0, 0.0, 1.0, 8.0],
            vec![3.0, 1.0, 0.0, 2.0],
            vec![1.0, 6.0, 3.0, 0.0],
        ],
        4,
    ) else {
        return;
    };
    let kept = Probabilities::of(&data, &setup.probability_rule());
    let mut group = c.benchmark_group("costs");
    group.throughput(Throughput::Elements(SAMPLES as u64));
    group.bench_function(
        format!("re-decide after a cost edit, {thousands}k x 4"),
        |b| {
            b.iter(|| kept.confusion(black_box(&data.labels), &matrix));
        },
    );
    group.bench_function(format!("keep the probabilities, {thousands}k x 4"), |b| {
        b.iter(|| Probabilities::of(black_box(&data), &setup.probability_rule()));
    });
    let rule = CostRule {
        values: setup.probability_rule(),
        matrix: matrix.clone(),
    };
    group.bench_function(
        format!("cost rule from the logits, {thousands}k x 4"),
        |b| {
            b.iter(|| CostDecisions::of(black_box(&data), &rule));
        },
    );
    group.finish();
}

criterion_group!(benches, outcomes, costs, csv_floats);
criterion_main!(benches);
