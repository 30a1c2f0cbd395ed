//! `weightbench sweep`: each scenario's loss and the batch mean as the debris weight runs over
//! a grid, every other class keeping its weight.

use std::io::Read;

use super::grid::GridArgs;
use super::text::{csv_row, pretty_json};
use super::{CliError, read_preset};
use crate::core::cases::sweep::Sweep;
use crate::core::preset::file::PresetError;

/// The arguments of `sweep`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Preset file (RON), or `-` for standard input.
    pub preset: String,
    /// The grid: `--from`, `--to`, `--steps`.
    #[command(flatten)]
    pub grid: GridArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SweepFormat::Csv)]
    pub format: SweepFormat,
}

/// Output formats of `sweep`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SweepFormat {
    /// CSV, one row per debris weight.
    Csv,
    /// JSON, one array per quantity.
    Json,
}

/// Runs the sweep over the grid of the flags, or else of the preset.
///
/// # Errors
/// An unreadable or invalid preset, or a grid the flags make unusable.
pub fn run(args: &Args, stdin: impl Read) -> Result<String, CliError> {
    let (preset, origin) = read_preset(&args.preset, stdin)?;
    let range = args.grid.validated(&preset.sweep)?;
    let sweep =
        Sweep::run(&preset, &range).map_err(|error| PresetError::Invalid { origin, error })?;
    Ok(match args.format {
        SweepFormat::Csv => csv(&sweep),
        // The `Sweep` itself is the JSON contract in DESIGN.md.
        SweepFormat::Json => pretty_json(&sweep),
    })
}

/// One row per debris weight: the weight, each scenario's loss, the batch mean (empty where
/// undefined).
fn csv(sweep: &Sweep) -> String {
    let mut header = vec!["debris_weight".to_owned()];
    header.extend(sweep.scenarios.iter().map(|s| s.name.clone()));
    header.push("batch_mean".to_owned());
    let mut out = csv_row(header);
    for (i, weight) in sweep.debris_weight.iter().enumerate() {
        let mut row = vec![format!("{weight:?}")];
        row.extend(sweep.scenarios.iter().map(|s| format!("{:?}", s.loss[i])));
        row.push(sweep.batch_mean[i].map_or_else(String::new, |mean| format!("{mean:?}")));
        out.push_str(&csv_row(row));
    }
    out
}
