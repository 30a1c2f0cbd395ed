//! `weightbench train`: fits the simulator's softmax regression (or its MLP) to a labelled CSV
//! under the preset's loss, and reports the model, how the fit went and its metrics on the data.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;

use super::text::{aligned, pretty_json, rounded};
use super::{CliError, read_preset, simulator_error};
use crate::core::outcomes::metrics::{Confusion, Metrics};
use crate::core::outcomes::read::ReadError;
use crate::core::preset::Preset;
use crate::core::simulator::data::DEFAULT_SEED;
use crate::core::simulator::data::Dataset;
use crate::core::simulator::mlp::{DEFAULT_EPOCHS, DEFAULT_HIDDEN};
use crate::core::simulator::mlp::{MlpModel, MlpOptions, train_mlp};
use crate::core::simulator::model::Model;
use crate::core::simulator::simulate::ModelKind;
use crate::core::simulator::softmax_fit::DEFAULT_L2;
use crate::core::simulator::softmax_fit::{SoftmaxOptions, train_softmax};

/// The arguments of `train`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Labelled points as `simulate --write-data` writes them: a header with a `label` column
    /// (the rest are features), or no header and the label first; labels are class indices or
    /// class names.
    pub data: PathBuf,
    /// Preset file (RON) whose classes, weights and loss the fit uses, or `-` for standard input.
    #[arg(long)]
    pub preset: String,
    /// The model to fit.
    #[arg(long, value_enum, default_value_t = ModelArg::Softmax)]
    pub model: ModelArg,
    /// The L2 strength on the weights (scikit-learn's `1 / C`).
    #[arg(long, default_value_t = DEFAULT_L2, allow_negative_numbers = true)]
    pub l2: f64,
    /// MLP: passes over the data.
    #[arg(long, default_value_t = DEFAULT_EPOCHS)]
    pub epochs: usize,
    /// MLP: units in each of the two hidden layers.
    #[arg(long, default_value_t = DEFAULT_HIDDEN)]
    pub hidden: usize,
    /// MLP: the seed of the initial weights and the shuffles.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TrainFormat::Table)]
    pub format: TrainFormat,
}

/// The model flag of `train` and `simulate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ModelArg {
    /// Softmax regression, fitted to its optimum.
    Softmax,
    /// The two-hidden-layer tanh MLP, trained with Adam.
    Mlp,
}

impl From<ModelArg> for ModelKind {
    fn from(model: ModelArg) -> Self {
        match model {
            ModelArg::Softmax => Self::Softmax,
            ModelArg::Mlp => Self::Mlp,
        }
    }
}

/// Output formats of `train`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TrainFormat {
    /// A summary for a person (without the fit time, so it is reproducible).
    Table,
    /// The contract in DESIGN.md.
    Json,
}

/// The JSON of `train`. For softmax exactly the contract's keys; for the MLP `weights` and
/// `bias` are `null` and `layers` holds its three layers.
#[derive(Debug, Serialize)]
pub struct TrainReport {
    /// The model and how its fit went.
    #[serde(flatten)]
    pub fit: Fitted,
    /// The fitted model's argmax decisions on the data, as `outcomes` reports metrics.
    pub train: Metrics,
}

/// The fitted model and how the fit went: every key of [`TrainReport`] but `train`.
#[derive(Debug, Serialize)]
pub struct Fitted {
    /// `softmax` or `mlp`.
    pub model: &'static str,
    /// The preset's class names.
    pub classes: Vec<String>,
    /// Features per sample, D.
    pub features: usize,
    /// Softmax: C rows of D weights; `null` for the MLP.
    pub weights: Option<Vec<Vec<f64>>>,
    /// Softmax: C biases (`null` for a class of weight 0, which is never predicted); `null` for
    /// the MLP.
    pub bias: Option<Vec<f64>>,
    /// MLP only: its layers, input to output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layers: Option<Vec<Layer>>,
    /// MLP only: the per-feature mean and scale the inputs are standardised with first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_standardisation: Option<Standardisation>,
    /// `sum_i l_i + (l2 / 2) ||W||^2` at the returned model (biases unpenalised).
    pub objective: f64,
    /// Softmax: Newton or L-BFGS steps; MLP: Adam steps.
    pub iterations: usize,
    /// Softmax: whether the gradient norm fell to the tolerance; MLP: `null` (it runs its
    /// epochs, with no convergence test).
    pub converged: Option<bool>,
    /// Wall-clock seconds of the fit alone.
    pub fit_seconds: f64,
}

/// One dense layer of the MLP: `out = W in + b` (tanh after the hidden ones).
#[derive(Debug, Serialize)]
pub struct Layer {
    /// Rows `[out][in]`.
    pub weights: Vec<Vec<f64>>,
    /// One per output.
    pub bias: Vec<f64>,
}

/// How the MLP standardises its inputs: `(x - mean) / scale`.
#[derive(Debug, Serialize)]
pub struct Standardisation {
    /// Per feature.
    pub mean: Vec<f64>,
    /// Per feature.
    pub scale: Vec<f64>,
}

/// Reads the data, fits the model and reports it.
///
/// # Errors
/// An unreadable file (exit 1), an invalid preset, data file or flag (exit 2).
pub fn run(args: &Args, stdin: impl Read) -> Result<String, CliError> {
    let (preset, origin) = read_preset(&args.preset, stdin)?;
    let names: Vec<String> = preset.classes.iter().map(|c| c.name.clone()).collect();
    let source = args.data.display().to_string();
    let file = File::open(&args.data).map_err(|error| ReadError::Io {
        file: source.clone(),
        error,
    })?;
    let data = Dataset::from_csv(BufReader::new(file), &source, &names)?;
    let report = fit(&preset, &data, args).map_err(|error| simulator_error(error, &origin))?;
    Ok(match args.format {
        TrainFormat::Json => pretty_json(&report),
        TrainFormat::Table => table(&preset, &source, &data, &report),
    })
}

/// Fits the model of `args` and measures it on `data`.
fn fit(
    preset: &Preset,
    data: &Dataset,
    args: &Args,
) -> Result<TrainReport, crate::core::simulator::error::SimulatorError> {
    let classes: Vec<String> = preset.classes.iter().map(|c| c.name.clone()).collect();
    let (model, fitted) = match args.model {
        ModelArg::Softmax => {
            let options = SoftmaxOptions {
                l2: args.l2,
                ..SoftmaxOptions::default()
            };
            let start = Instant::now();
            let fit = train_softmax(data, preset, &options)?;
            let fit_seconds = start.elapsed().as_secs_f64();
            let fitted = Fitted {
                model: "softmax",
                classes,
                features: data.dimensions,
                weights: Some(fit.model.weight_rows()),
                bias: Some(fit.model.bias.clone()),
                layers: None,
                input_standardisation: None,
                objective: fit.objective,
                iterations: fit.iterations,
                converged: Some(fit.converged),
                fit_seconds,
            };
            (Model::Softmax(fit.model), fitted)
        }
        ModelArg::Mlp => {
            let options = MlpOptions {
                hidden: args.hidden,
                epochs: args.epochs,
                l2: args.l2,
                seed: args.seed,
                ..MlpOptions::default()
            };
            let start = Instant::now();
            let fit = train_mlp(data, preset, &options)?;
            let fit_seconds = start.elapsed().as_secs_f64();
            let fitted = Fitted {
                model: "mlp",
                classes,
                features: data.dimensions,
                weights: None,
                bias: None,
                layers: Some(mlp_layers(&fit.model)),
                input_standardisation: Some(Standardisation {
                    mean: fit.model.input_mean.clone(),
                    scale: fit.model.input_scale.clone(),
                }),
                objective: fit.objective,
                iterations: fit.steps,
                converged: None,
                fit_seconds,
            };
            (Model::Mlp(fit.model), fitted)
        }
    };
    let predictions = argmax_rows(&model.batch_logits(&data.features), model.classes());
    let confusion = Confusion::of(&data.labels, &predictions, model.classes());
    Ok(TrainReport {
        fit: fitted,
        train: Metrics::of(confusion, preset.debris, None),
    })
}

/// Each row's largest entry (ties to the lowest index; NaN is never the largest).
fn argmax_rows(logits: &[f64], classes: usize) -> Vec<u32> {
    logits
        .chunks(classes.max(1))
        .map(|row| {
            let mut best = 0;
            for (c, &value) in row.iter().enumerate() {
                if value > row[best] || row[best].is_nan() {
                    best = c;
                }
            }
            u32::try_from(best).unwrap_or(u32::MAX)
        })
        .collect()
}

/// The MLP's parameters as three layers (see [`MlpModel::params`] for their order).
fn mlp_layers(model: &MlpModel) -> Vec<Layer> {
    let (d, h, c) = (model.dimensions, model.hidden, model.classes);
    let mut rest = model.params.as_slice();
    let mut take = |n: usize| {
        let (head, tail) = rest.split_at(n.min(rest.len()));
        rest = tail;
        head.to_vec()
    };
    [(h, d), (h, h), (c, h)]
        .into_iter()
        .map(|(outputs, inputs)| {
            let weights = take(outputs * inputs)
                .chunks(inputs.max(1))
                .map(<[f64]>::to_vec)
                .collect();
            Layer {
                weights,
                bias: take(outputs),
            }
        })
        .collect()
}

/// The report for a person: the fit, the softmax weights, the confusion matrix and the metrics.
fn table(preset: &Preset, source: &str, data: &Dataset, report: &TrainReport) -> String {
    let (fitted, metrics) = (&report.fit, &report.train);
    let names = &fitted.classes;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} on {source}: {} samples, {} features",
        preset.name,
        data.samples(),
        fitted.features
    );
    let converged = match fitted.converged {
        Some(true) => "converged",
        Some(false) => "not converged",
        None => "no convergence test",
    };
    let _ = writeln!(
        out,
        "{}: objective {:.6}, {} iterations, {converged}",
        fitted.model, fitted.objective, fitted.iterations
    );
    if let (Some(weights), Some(bias)) = (&fitted.weights, &fitted.bias) {
        let mut header = vec!["class".to_owned()];
        header.extend((1..=fitted.features).map(|d| format!("w{d}")));
        header.push("bias".to_owned());
        let mut rows = vec![header];
        for ((name, row), b) in names.iter().zip(weights).zip(bias) {
            let mut cells = vec![name.clone()];
            cells.extend(row.iter().map(|w| format!("{w:.4}")));
            cells.push(format!("{b:.4}"));
            rows.push(cells);
        }
        out.push('\n');
        out.push_str(&aligned(&rows, 0..1));
    }
    out.push_str("\nOn the training data; rows: truth, columns: predicted\n");
    let mut header = vec!["truth \\ predicted".to_owned()];
    header.extend(names.iter().cloned());
    header.extend(["precision", "recall", "F1"].map(str::to_owned));
    let mut rows = vec![header];
    for (c, (name, counts)) in names.iter().zip(metrics.confusion.rows()).enumerate() {
        let mut row = vec![name.clone()];
        row.extend(counts.iter().map(u64::to_string));
        row.extend([metrics.precision[c], metrics.recall[c], metrics.f1[c]].map(rounded));
        rows.push(row);
    }
    out.push_str(&aligned(&rows, 0..1));
    out.push('\n');
    let summary = [
        ("accuracy", metrics.accuracy),
        ("balanced accuracy", metrics.balanced_accuracy),
        ("macro-F1", metrics.macro_f1),
    ]
    .map(|(name, value)| vec![name.to_owned(), rounded(value)]);
    out.push_str(&aligned(&summary, 0..1));
    out
}
