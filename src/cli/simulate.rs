//! `weightbench simulate`: the training simulator's debris-weight sweep, a model retrained at
//! every grid weight beside the preview (the model trained at the preset's weights, shifted),
//! on synthetic data in the preset's proportions.

use std::io::Read;
use std::path::PathBuf;

use super::grid::GridArgs;
use super::text::{csv_row, pretty_json};
use super::train::ModelArg;
use super::{CliError, read_preset, simulator_error};
use crate::core::preset::Preset;
use crate::core::preset::file::write_atomically;
use crate::core::preset::range::SweepRange;
use crate::core::simulator::data::synthesize;
use crate::core::simulator::data::{DEFAULT_OVERLAP, DEFAULT_SAMPLES, DEFAULT_SEED};
use crate::core::simulator::error::SimulatorError;
use crate::core::simulator::mlp::{DEFAULT_EPOCHS, DEFAULT_HIDDEN};
use crate::core::simulator::simulate::{DEFAULT_GRID_STEPS, DEFAULT_SEEDS};
use crate::core::simulator::simulate::{Simulation, SimulationOptions, simulate};
use crate::core::simulator::softmax_fit::DEFAULT_L2;

/// The arguments of `simulate`.
#[derive(Debug, clap::Args)]
// The simulator's grid has its own number of points: each one is a retrain.
#[command(mut_arg("steps", |arg| arg.help(format!(
    "Number of grid points, both ends included [default: {DEFAULT_GRID_STEPS}]"
))))]
pub struct Args {
    /// Preset file (RON), or `-` for standard input.
    pub preset: String,
    /// Training samples per seed (the test set has as many).
    #[arg(long, default_value_t = DEFAULT_SAMPLES)]
    pub samples: usize,
    /// The base seed every seed's data and initial weights derive from.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// How many seeds (each its own data); the curves are medians over them.
    #[arg(long, default_value_t = DEFAULT_SEEDS)]
    pub seeds: usize,
    /// The model to train.
    #[arg(long, value_enum, default_value_t = ModelArg::Softmax)]
    pub model: ModelArg,
    /// The grid: `--from`, `--to`, `--steps`.
    #[command(flatten)]
    pub grid: GridArgs,
    /// How far debris spreads over the rare classes, 0 to 1.
    #[arg(long, default_value_t = DEFAULT_OVERLAP, allow_negative_numbers = true)]
    pub overlap: f64,
    /// MLP: passes over the data.
    #[arg(long, default_value_t = DEFAULT_EPOCHS)]
    pub epochs: usize,
    /// MLP: units in each of the two hidden layers.
    #[arg(long, default_value_t = DEFAULT_HIDDEN)]
    pub hidden: usize,
    /// The L2 strength on the weights (scikit-learn's `1 / C`).
    #[arg(long, default_value_t = DEFAULT_L2, allow_negative_numbers = true)]
    pub l2: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SimulateFormat::Csv)]
    pub format: SimulateFormat,
    /// Also save the first seed's training data (`label,x1,x2`) to this CSV file.
    #[arg(long, value_name = "OUT.csv")]
    pub write_data: Option<PathBuf>,
}

/// Output formats of `simulate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SimulateFormat {
    /// CSV, one row per debris weight: the rare classes' debris errors, retrained and preview.
    Csv,
    /// JSON, the contract in DESIGN.md (with the 10th-90th percentile bands).
    Json,
}

impl Args {
    /// The flags as the core's options.
    fn options(&self, preset: &Preset) -> SimulationOptions {
        let defaults = SweepRange {
            steps: DEFAULT_GRID_STEPS,
            ..preset.sweep
        };
        let grid = self.grid.given().then(|| self.grid.range(&defaults));
        SimulationOptions {
            model: self.model.into(),
            samples: self.samples,
            overlap: self.overlap,
            seeds: self.seeds,
            seed: self.seed,
            l2: self.l2,
            hidden: self.hidden,
            epochs: self.epochs,
            grid,
            ..SimulationOptions::default()
        }
    }
}

/// Runs the simulation and writes the data if asked.
///
/// # Errors
/// An unreadable or invalid preset, a flag out of range (exit 2), or a data file that cannot
/// be written (exit 1).
pub fn run(args: &Args, stdin: impl Read) -> Result<String, CliError> {
    let (preset, origin) = read_preset(&args.preset, stdin)?;
    let options = args.options(&preset);
    let fail = |error: SimulatorError| simulator_error(error, &origin);
    let simulation = simulate(&preset, &options, &mut |_| true)
        .map_err(fail)?
        .ok_or_else(|| fail(SimulatorError::Cancelled))?;
    if let Some(path) = &args.write_data {
        let data = synthesize(&preset, &options.data_spec(0)).map_err(fail)?;
        write_atomically(path, data.train.to_csv().as_bytes()).map_err(|source| {
            CliError::Write {
                path: path.display().to_string(),
                source,
            }
        })?;
    }
    Ok(match args.format {
        SimulateFormat::Csv => csv(&preset, &simulation),
        SimulateFormat::Json => pretty_json(&simulation),
    })
}

/// One row per debris weight: the weight, then for the retrained model and for the preview the
/// median false positives from debris (`retrained_fp_<class>`, `preview_fp_<class>`) and false
/// negatives to debris (`..._fn_<class>`) of each rare class.
fn csv(preset: &Preset, simulation: &Simulation) -> String {
    let rare: Vec<(usize, &str)> = preset
        .classes
        .iter()
        .enumerate()
        .filter(|&(c, _)| c != preset.debris)
        .map(|(c, class)| (c, class.name.as_str()))
        .collect();
    let curves = [
        ("retrained", &simulation.retrained),
        ("preview", &simulation.preview),
    ];
    let mut header = vec!["debris_weight".to_owned()];
    for (label, _) in &curves {
        for kind in ["fp", "fn"] {
            header.extend(
                rare.iter()
                    .map(|(_, name)| format!("{label}_{kind}_{name}")),
            );
        }
    }
    let mut out = csv_row(header);
    for (i, weight) in simulation.debris_weight.iter().enumerate() {
        let mut row = vec![format!("{weight:?}")];
        for (_, curve) in &curves {
            for counts in [
                &curve.false_positives_from_debris,
                &curve.false_negatives_to_debris,
            ] {
                row.extend(rare.iter().map(|&(c, _)| {
                    counts
                        .get(i)
                        .and_then(|point| point.get(c))
                        .map_or_else(String::new, |count| format!("{count:?}"))
                }));
            }
        }
        out.push_str(&csv_row(row));
    }
    out
}
