//! `weightbench eval`: every scenario of a preset, with its probabilities, loss and gradient,
//! and the batch reductions.

use std::fmt::Write as _;
use std::io::Read;

use serde::Serialize;

use super::text::{aligned, csv_row, pretty_json, scientific};
use super::{CliError, read_preset};
use crate::core::cases::evaluate::Evaluation;
use crate::core::preset::file::PresetError;
use crate::core::preset::loss_options::{Convention, LossOptions};
use crate::core::preset::{Class, Preset};

/// The arguments of `eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Preset file (RON), or `-` for standard input.
    pub preset: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Table)]
    pub format: EvalFormat,
}

/// Output formats of `eval`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum EvalFormat {
    /// An aligned table for reading.
    Table,
    /// JSON, numbers in shortest round-trip form.
    Json,
    /// CSV, one row per scenario.
    Csv,
}

/// Evaluates the preset and returns the report in the chosen format.
///
/// # Errors
/// An unreadable or invalid preset.
pub fn run(args: &Args, stdin: impl Read) -> Result<String, CliError> {
    let (preset, origin) = read_preset(&args.preset, stdin)?;
    let evaluation =
        Evaluation::of(&preset).map_err(|error| PresetError::Invalid { origin, error })?;
    Ok(match args.format {
        EvalFormat::Table => table(&preset, &evaluation),
        EvalFormat::Json => json(&preset, &evaluation),
        EvalFormat::Csv => csv(&preset, &evaluation),
    })
}

/// `eval --format json`, the contract in DESIGN.md.
#[derive(Serialize)]
struct EvalReport<'a> {
    preset: &'a str,
    classes: &'a [Class],
    debris: usize,
    /// The loss options, the convention among them (an addition to the contract).
    loss: &'a LossOptions,
    scenarios: Vec<ScenarioReport<'a>>,
    batch: BatchReport,
}

/// One scenario of [`EvalReport`].
#[derive(Serialize)]
struct ScenarioReport<'a> {
    name: &'a str,
    truth: usize,
    logits: &'a [f64],
    probabilities: &'a [f64],
    loss: f64,
    gradient: &'a [f64],
    predicted: usize,
}

/// The batch reductions of [`EvalReport`]; `null` where undefined.
#[derive(Serialize)]
struct BatchReport {
    sum: f64,
    mean: Option<f64>,
    mean_per_sample: Option<f64>,
}

fn json(preset: &Preset, evaluation: &Evaluation) -> String {
    let scenarios = preset
        .scenarios
        .iter()
        .zip(&evaluation.scenarios)
        .map(|(scenario, sample)| ScenarioReport {
            name: &scenario.name,
            truth: scenario.truth,
            logits: &scenario.logits,
            probabilities: &sample.probabilities,
            loss: sample.loss,
            gradient: &sample.gradient,
            predicted: sample.predicted,
        })
        .collect();
    pretty_json(&EvalReport {
        preset: &preset.name,
        classes: &preset.classes,
        debris: preset.debris,
        loss: &preset.loss,
        scenarios,
        batch: BatchReport {
            sum: evaluation.batch.sum,
            mean: evaluation.batch.mean,
            mean_per_sample: evaluation.batch.mean_per_sample,
        },
    })
}

/// One row per scenario: truth, prediction, probabilities, loss, gradient.
fn csv(preset: &Preset, evaluation: &Evaluation) -> String {
    let mut header = vec![
        "scenario".to_owned(),
        "truth".to_owned(),
        "predicted".to_owned(),
    ];
    header.extend(preset.classes.iter().map(|c| format!("p_{}", c.name)));
    header.push("loss".to_owned());
    header.extend(
        preset
            .classes
            .iter()
            .map(|c| format!("gradient_{}", c.name)),
    );
    let mut out = csv_row(header);
    for (scenario, sample) in preset.scenarios.iter().zip(&evaluation.scenarios) {
        let mut row = vec![
            scenario.name.clone(),
            scenario.truth.to_string(),
            sample.predicted.to_string(),
        ];
        row.extend(sample.probabilities.iter().map(|p| format!("{p:?}")));
        row.push(format!("{:?}", sample.loss));
        row.extend(sample.gradient.iter().map(|g| format!("{g:?}")));
        out.push_str(&csv_row(row));
    }
    out
}

/// The preset's weights and loss options, the scenarios as a table, then the batch.
fn table(preset: &Preset, evaluation: &Evaluation) -> String {
    let class_name = |index: usize| preset.classes.get(index).map_or("?", |c| c.name.as_str());
    let mut header = vec![
        "#".to_owned(),
        "scenario".to_owned(),
        "truth".to_owned(),
        "predicted".to_owned(),
    ];
    header.extend(preset.classes.iter().map(|c| format!("p({})", c.name)));
    header.push("loss".to_owned());
    let mut rows = vec![header];
    for (index, (scenario, sample)) in preset
        .scenarios
        .iter()
        .zip(&evaluation.scenarios)
        .enumerate()
    {
        let mut row = vec![
            (index + 1).to_string(),
            scenario.name.clone(),
            class_name(scenario.truth).to_owned(),
            class_name(sample.predicted).to_owned(),
        ];
        row.extend(sample.probabilities.iter().map(|&p| scientific(p)));
        row.push(format!("{:?}", sample.loss));
        rows.push(row);
    }

    let mut out = String::new();
    let _ = writeln!(out, "{}", preset.name);
    let weights: Vec<String> = preset
        .classes
        .iter()
        .map(|c| format!("{} {:?} (n={})", c.name, c.weight, c.count))
        .collect();
    let _ = writeln!(
        out,
        "weights: {}; debris: {}",
        weights.join(", "),
        class_name(preset.debris)
    );
    let options = &preset.loss;
    if options.convention == Convention::Keras {
        let _ = writeln!(
            out,
            "loss: Keras' convention (each sample's Keras loss times its class's weight), label smoothing {:?}, focal gamma {:?}, logit adjustment {:?}",
            options.label_smoothing, options.focal_gamma, options.logit_adjustment
        );
    } else if options.label_smoothing > 0.0
        || options.focal_gamma > 0.0
        || options.logit_adjustment != 0.0
    {
        let _ = writeln!(
            out,
            "loss: label smoothing {:?}, focal gamma {:?}, logit adjustment {:?}",
            options.label_smoothing, options.focal_gamma, options.logit_adjustment
        );
    }
    out.push('\n');
    out.push_str(&aligned(&rows, 1..4));
    out.push('\n');
    let _ = writeln!(out, "batch of {} scenarios:", preset.scenarios.len());
    let _ = writeln!(out, "  sum  = {:?}", evaluation.batch.sum);
    let _ = match evaluation.batch.mean {
        Some(mean) => writeln!(
            out,
            "  mean = {mean:?}  (sum / sum of the true classes' weights, as PyTorch)"
        ),
        None => writeln!(
            out,
            "  mean = undefined  (the true classes' weights sum to 0)"
        ),
    };
    if let Some(mean) = evaluation.batch.mean_per_sample {
        let _ = writeln!(
            out,
            "  mean per sample = {mean:?}  (sum / number of samples, as Keras)"
        );
    }
    out
}
