//! Every exported PyTorch and Keras snippet, run in its library: `loss_fn` must give
//! weightbench's loss under the preset's reduction, on the notebook under every loss option and
//! on seeded random presets, in float64 to 1e-12 relative, and must run on float32 logits too.
//!
//! The tests need python3 with torch, and Keras with jax, so they are ignored by default (CI has
//! none of them): `pip install torch` and `pip install keras jax`, then
//! `cargo test --test testsuite exports -- --ignored --nocapture`; where a library is missing
//! they fail, saying what to install. The Keras run sets `KERAS_BACKEND=jax`.

mod keras;
mod torch;

use crate::common;

use std::io::Write as _;
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use weightbench::core::preset::PRESET_VERSION;
use weightbench::core::{
    Class, Convention, LossOptions, Preset, Reduction, Scenario, SweepRange, ValidationSettings,
    preset_to_ron,
};

/// Relative tolerance of every float64 value against weightbench's.
const RELATIVE_TOLERANCE: f64 = 1e-12;

/// The libraries' own rounding, per unit of [`rounding_scales`]: they take
/// `log p_c = (z_c - m) - log(sum_j exp(z_j - m))`, rounding the sum near 1 before its log,
/// where weightbench takes `log1p` of the other terms. On a confident sample that costs more
/// than 1e-12 of a small loss (1.7e-12 on the notebook's case 1, in torch and in Keras alike),
/// but never more than a few ulps of `1 + |z_c - m|` per `-log p_c`.
const LIBRARY_ROUNDING: f64 = 1e-14;

// ---- the cases

/// A preset whose snippets are run, and how failures name it.
struct Case {
    name: String,
    preset: Preset,
}

fn options(convention: Convention, reduction: Reduction) -> LossOptions {
    LossOptions {
        convention,
        reduction,
        ..LossOptions::default()
    }
}

/// The notebook under each convention x reduction x {plain, smoothing 0.1, focal 2, focal 2 +
/// smoothing 0.1 (Keras only), logit adjustment 1.0, margins, and three combinations}.
fn notebook_cases() -> Vec<Case> {
    let notebook = Preset::notebook().unwrap();
    let margins = vec![
        vec![0.0, 0.5, 0.0, 0.0],
        vec![0.0; 4],
        vec![0.0; 4],
        vec![0.25, 1.5, 0.75, 0.0],
    ];
    // (name, smoothing, focal gamma, logit adjustment, margins)
    let variants = [
        ("plain", 0.0, 0.0, 0.0, false),
        ("smoothing 0.1", 0.1, 0.0, 0.0, false),
        ("focal 2", 0.0, 2.0, 0.0, false),
        ("focal 2 + smoothing 0.1", 0.1, 2.0, 0.0, false),
        ("logit adjustment 1.0", 0.0, 0.0, 1.0, false),
        ("margins", 0.0, 0.0, 0.0, true),
        (
            "smoothing 0.1 + logit adjustment 1.0 + margins",
            0.1,
            0.0,
            1.0,
            true,
        ),
        (
            "focal 2 + logit adjustment 1.0 + margins",
            0.0,
            2.0,
            1.0,
            true,
        ),
        (
            "focal 2 + smoothing 0.1 + logit adjustment 1.0 + margins",
            0.1,
            2.0,
            1.0,
            true,
        ),
    ];
    let mut cases = Vec::new();
    for convention in Convention::ALL {
        for reduction in Reduction::ALL {
            for (name, eps, gamma, tau, with_margins) in variants {
                if convention == Convention::PyTorch && eps > 0.0 && gamma > 0.0 {
                    continue; // PyTorch defines no focal loss with smoothing
                }
                let mut preset = notebook.clone();
                preset.loss = LossOptions {
                    label_smoothing: eps,
                    focal_gamma: gamma,
                    logit_adjustment: tau,
                    ..options(convention, reduction)
                };
                if with_margins {
                    preset.margins.clone_from(&margins);
                }
                cases.push(Case {
                    name: format!("notebook, {convention:?} convention, {reduction:?}, {name}"),
                    preset,
                });
            }
        }
    }
    cases
}

/// splitmix64: a tiny seeded generator, so the random presets are the same on every run.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn between(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// A random preset: 2 to 6 classes, counts >= 1, weights in (0.05, 20), logits in (-8, 8),
/// random loss options and sometimes margins.
fn random_case(rng: &mut Rng, index: usize) -> Case {
    let class_count = 2 + rng.below(5);
    let classes = (0..class_count)
        .map(|c| Class {
            name: format!("class {c}"),
            // Log-uniform from 1 to about 10^4: rare and numerous classes.
            count: rng.between(0.0, 4.0 * std::f64::consts::LN_10).exp() as u64,
            weight: rng.between(0.05f64.ln(), 20f64.ln()).exp(),
        })
        .collect();
    let scenarios = (0..=rng.below(8))
        .map(|s| Scenario {
            name: format!("scenario {s}"),
            truth: rng.below(class_count),
            logits: (0..class_count).map(|_| rng.between(-8.0, 8.0)).collect(),
        })
        .collect();
    let convention = Convention::ALL[rng.below(2)];
    let reduction = Reduction::ALL[rng.below(4)];
    let mut loss = LossOptions {
        label_smoothing: if rng.chance(0.5) {
            rng.between(0.0, 0.3)
        } else {
            0.0
        },
        focal_gamma: if rng.chance(0.5) {
            rng.between(0.5, 4.0)
        } else {
            0.0
        },
        logit_adjustment: if rng.chance(0.5) {
            rng.between(-1.5, 1.5)
        } else {
            0.0
        },
        ..options(convention, reduction)
    };
    if convention == Convention::PyTorch && loss.label_smoothing > 0.0 && loss.focal_gamma > 0.0 {
        if rng.chance(0.5) {
            loss.label_smoothing = 0.0;
        } else {
            loss.focal_gamma = 0.0;
        }
    }
    let margins = if rng.chance(0.4) {
        (0..class_count)
            .map(|t| {
                (0..class_count)
                    .map(|k| if t == k { 0.0 } else { rng.between(0.0, 2.0) })
                    .collect()
            })
            .collect()
    } else {
        Vec::new()
    };
    let name = format!(
        "random {index}: {class_count} classes, {convention:?} convention, {reduction:?}, eps {:?}, gamma {:?}, tau {:?}{}",
        loss.label_smoothing,
        loss.focal_gamma,
        loss.logit_adjustment,
        if margins.is_empty() { "" } else { ", margins" }
    );
    Case {
        name,
        preset: Preset {
            version: PRESET_VERSION,
            name: format!("random {index}"),
            classes,
            debris: class_count - 1,
            scenarios,
            sweep: SweepRange::default(),
            loss,
            validation: ValidationSettings::default(),
            margins,
            costs: Vec::new(),
        },
    }
}

fn cases() -> Vec<Case> {
    let mut rng = Rng(11);
    let mut cases = notebook_cases();
    cases.extend((0..30).map(|index| random_case(&mut rng, index)));
    cases
}

// ---- weightbench's side

/// weightbench's numbers for `preset` under its reduction, from `eval - --format json`:
/// the per-sample losses for `None`, else the one batch loss.
fn evaluated(preset: &Preset) -> Vec<f64> {
    let report = eval(preset);
    let value = |v: &Value| v.as_f64().unwrap();
    match preset.loss.reduction {
        Reduction::None => report["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| value(&s["loss"]))
            .collect(),
        Reduction::Sum => vec![value(&report["batch"]["sum"])],
        Reduction::Mean => vec![value(&report["batch"]["mean"])],
        Reduction::PerSample => vec![value(&report["batch"]["mean_per_sample"])],
    }
}

fn eval(preset: &Preset) -> Value {
    let ron = preset_to_ron(preset).unwrap();
    serde_json::from_str(&common::stdout_with_stdin(
        &["eval", "-", "--format", "json"],
        &ron,
    ))
    .unwrap()
}

fn exported(preset: &Preset, target: &str) -> String {
    let ron = preset_to_ron(preset).unwrap();
    common::stdout_with_stdin(&["export", "-", "--to", target], &ron)
}

// ---- running Python

/// Fails the test, saying what to install, unless `python3 -c code` runs here.
fn require(code: &str, env: &[(&str, &str)], install: &str) {
    let status = Command::new("python3")
        .args(["-c", code])
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    match status {
        Err(error) => {
            panic!("python3 does not run here ({error}): install Python 3, then {install}")
        }
        Ok(status) => assert!(status.success(), "`{code}` fails in python3: {install}"),
    }
}

/// What the script printed for each case, in case order, from one Python process.
fn run_python(script: &str, inputs: &[Value], env: &[(&str, &str)]) -> Vec<Value> {
    let mut file = tempfile::Builder::new()
        .suffix(".jsonl")
        .tempfile()
        .unwrap();
    for input in inputs {
        writeln!(file, "{input}").unwrap();
    }
    file.flush().unwrap();
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(file.path())
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let results: Vec<Value> = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("RESULT "))
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert!(
        output.status.success() && results.len() == inputs.len(),
        "python3 stopped after {} of {} cases: {}",
        results.len(),
        inputs.len(),
        String::from_utf8_lossy(&output.stderr)
    );
    results
}

/// A list of Python `repr` floats.
fn floats(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().parse().unwrap())
        .collect()
}

/// The snippet's case, the values weightbench expects of it, and the size of the libraries'
/// rounding on each.
struct Prepared {
    input: Value,
    expected: Vec<f64>,
    scales: Vec<f64>,
}

/// For each value a snippet returns, what the libraries' rounding of the log-softmax is
/// proportional to: per sample, the weight on the `-log p_c` terms times
/// `1 + (max_c z_c - min_c z_c) + gamma` on the shifted logits, reduced as the loss is.
fn rounding_scales(preset: &Preset) -> Vec<f64> {
    let options = &preset.loss;
    let weights = preset.weights();
    let classes = weights.len() as f64;
    let samples: Vec<(f64, f64)> = preset
        .scenarios
        .iter()
        .map(|s| {
            let shifted: Vec<f64> = s
                .logits
                .iter()
                .zip(preset.logit_shifts_for(s.truth))
                .map(|(z, shift)| z + shift)
                .collect();
            let range = shifted.iter().copied().fold(f64::MIN, f64::max)
                - shifted.iter().copied().fold(f64::MAX, f64::min);
            let truth_weight = weights[s.truth];
            let eps = options.label_smoothing;
            let weight = if options.convention == Convention::PyTorch && options.focal_gamma == 0.0
            {
                (1.0 - eps) * truth_weight + eps / classes * weights.iter().sum::<f64>()
            } else {
                truth_weight
            };
            (weight * (1.0 + range + options.focal_gamma), truth_weight)
        })
        .collect();
    let sum: f64 = samples.iter().map(|(scale, _)| scale).sum();
    match options.reduction {
        Reduction::None => samples.iter().map(|(scale, _)| *scale).collect(),
        Reduction::Sum => vec![sum],
        Reduction::Mean => vec![sum / samples.iter().map(|(_, w)| w).sum::<f64>()],
        Reduction::PerSample => vec![sum / samples.len() as f64],
    }
}

fn prepare(case: &Case, snippet: &str, expected: Vec<f64>) -> Prepared {
    let preset = &case.preset;
    Prepared {
        scales: rounding_scales(preset),
        input: json!({
            "snippet": snippet,
            "classes": preset.classes.len(),
            "truths": preset.scenarios.iter().map(|s| s.truth).collect::<Vec<_>>(),
            "logits": preset.scenarios.iter().map(|s| s.logits.clone()).collect::<Vec<_>>(),
        }),
        expected,
    }
}

/// How closely the snippets' values agree with weightbench's.
#[derive(Default)]
struct Agreement {
    /// Values compared.
    values: usize,
    /// Values further than 1e-12 relative, within the libraries' rounding.
    beyond_relative: usize,
    /// The largest relative error in float64.
    worst: f64,
    /// The largest error from float32 logits, relative to `1 + |loss|`.
    worst32: f64,
}

impl Agreement {
    fn add(&mut self, other: &Self) {
        self.values += other.values;
        self.beyond_relative += other.beyond_relative;
        self.worst = self.worst.max(other.worst);
        self.worst32 = self.worst32.max(other.worst32);
    }

    fn describe(&self) -> String {
        format!(
            "{} values, {} within 1e-12 relative and {} more within the libraries' log-sum-exp rounding; largest relative error {:e} (float64), {:e} of 1 + |loss| from float32 logits",
            self.values,
            self.values - self.beyond_relative,
            self.beyond_relative,
            self.worst,
            self.worst32
        )
    }
}

/// Checks every value the snippet gave against weightbench's.
fn check(case: &Case, prepared: &Prepared, result: &Value) -> Agreement {
    let snippet = prepared.input["snippet"].as_str().unwrap();
    if let Some(error) = result.get("error") {
        panic!(
            "{}: the snippet failed:\n{snippet}\n{}",
            case.name,
            error.as_str().unwrap()
        );
    }
    let (values, values32) = (floats(&result["values"]), floats(&result["values32"]));
    let expected = &prepared.expected;
    assert_eq!(
        (values.len(), values32.len()),
        (expected.len(), expected.len()),
        "{}: how many values\n{snippet}",
        case.name
    );
    let mut agreement = Agreement {
        values: values.len(),
        ..Agreement::default()
    };
    for (index, ((&value, &value32), (&expected, &scale))) in values
        .iter()
        .zip(&values32)
        .zip(expected.iter().zip(&prepared.scales))
        .enumerate()
    {
        let error = (value - expected).abs();
        let tolerance = (RELATIVE_TOLERANCE * expected.abs())
            .max(LIBRARY_ROUNDING * scale)
            .max(1e-300);
        assert!(
            error <= tolerance,
            "{}: value {index} is {value:?}, weightbench says {expected:?} (relative error {:e}, tolerance {tolerance:e})\n{snippet}",
            case.name,
            error / expected.abs()
        );
        let relative = error / expected.abs().max(1e-300);
        agreement.beyond_relative += usize::from(relative > RELATIVE_TOLERANCE);
        agreement.worst = agreement.worst.max(relative);
        // float32: the same loss to float32's accuracy (logits of a few units, so about 1e-6).
        let error32 = (value32 - expected).abs();
        assert!(
            error32 <= 1e-4 * (1.0 + expected.abs()),
            "{}: value {index} from float32 logits is {value32:?}, weightbench says {expected:?}\n{snippet}",
            case.name
        );
        agreement.worst32 = agreement.worst32.max(error32 / (1.0 + expected.abs()));
    }
    agreement
}
