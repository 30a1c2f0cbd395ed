//! The headless command line: `eval`, `sweep`, `weights`, `penalties`, `export`, `outcomes`,
//! `tune`, `runs`, `train` and `simulate` print the core's numbers for scripts.
//!
//! Each subcommand has its own module with its `Args`, its `run` and its output formats;
//! [`text`] has the table, CSV and JSON writers they share, [`validation`] the validation file
//! and decision flags of `outcomes` and `tune`, [`grid`] the grid flags of `sweep`, `outcomes`
//! and `simulate`. A new subcommand is a module, a
//! variant of [`Subcommand`] and an arm of [`run`]. Nothing here prints: [`run`] returns the
//! text and `main` writes it.

pub mod eval;
pub mod export;
pub mod grid;
pub mod outcomes;
pub mod penalties;
pub mod runs;
pub mod simulate;
pub mod sweep;
pub mod text;
pub mod train;
pub mod tune;
pub mod validation;
pub mod weights;

use std::io::{self, Read};
use std::path::PathBuf;

use clap::Parser;

use crate::core::outcomes::read::ReadError;
use crate::core::outcomes::runs::RunError;
use crate::core::outcomes::setup::OutcomeError;
use crate::core::preset::Preset;
use crate::core::preset::file::{PresetError, load_preset, parse_preset};
use crate::core::simulator::error::SimulatorError;

/// Command-line arguments.
#[derive(Debug, Parser)]
#[command(
    name = "weightbench",
    version,
    about = "See what class weights in a weighted cross-entropy do to every penalty.",
    long_about = "See what class weights in a weighted cross-entropy do to every penalty.\n\n\
                  Without a subcommand, opens the desktop workbench: on FILE if it is a preset; \
                  validation outputs (.npz, .npy, .safetensors, .csv) are loaded into the \
                  last preset.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// A headless command; without one, the window opens.
    #[command(subcommand)]
    pub command: Option<Subcommand>,
    /// A preset to open in the window, or validation outputs (.npz, .npy, .safetensors,
    /// .csv) to load into it.
    #[arg(value_name = "FILE")]
    pub preset: Option<PathBuf>,
    /// The workspace the window opens in (validation outputs open in `outcomes`, Your model).
    #[arg(
        long,
        value_name = "WORKSPACE",
        value_parser = clap::builder::PossibleValuesParser::new(["hand-cases", "outcomes", "simulator"])
    )]
    pub workspace: Option<String>,
    /// A folder of runs (your retrains' validation outputs with their `class_weights`) to read
    /// and watch: a run written there later appears by itself. Opens in `outcomes`.
    #[arg(long, value_name = "FOLDER")]
    pub watch: Option<PathBuf>,
}

/// The headless commands.
///
/// A variant's doc comment is the subcommand's help summary; it takes precedence over the doc
/// comment of its `Args`.
#[derive(Debug, clap::Subcommand)]
pub enum Subcommand {
    /// Evaluate every scenario of a preset: probabilities, loss, gradient, batch reductions.
    Eval(eval::Args),
    /// Each scenario's loss and the batch mean as the debris weight runs over a grid.
    Sweep(sweep::Args),
    /// Class weights from class counts by a standard scheme.
    Weights(weights::Args),
    /// The loss of a sample of class t predicted as class k, for every pair.
    Penalties(penalties::Args),
    /// The preset's weights and loss as code for a training library.
    Export(export::Args),
    /// What the preset's weights do to a model's decisions on its validation outputs.
    Outcomes(outcomes::Args),
    /// Class weights whose decisions on the validation outputs score best for an objective.
    Tune(tune::Args),
    /// Your retrains: each at its own weights, the estimate between them, how far a preview
    /// missed on them, and where to retrain next.
    Runs(runs::Args),
    /// Fit the simulator's softmax regression (or MLP) to labelled points under the preset's loss.
    Train(train::Args),
    /// Retrain a small model at every debris weight on synthetic data, beside the shifted preview.
    Simulate(simulate::Args),
}

/// Output formats of `weights` and `penalties`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TableOrJson {
    /// Aligned columns for a person to read.
    Table,
    /// One JSON object (`weights`: the scheme and the weights; `penalties`: the matrix and its
    /// count-weighted twin).
    Json,
}

/// Why a headless command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The preset could not be read or is invalid.
    #[error(transparent)]
    Preset(#[from] PresetError),
    /// Standard input could not be read.
    #[error("cannot read the preset from standard input: {0}")]
    Stdin(io::Error),
    /// A flag's value is unusable.
    #[error("{0}")]
    BadFlag(String),
    /// The validation outputs could not be read or are invalid.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The validation outputs, the preset and the flags do not fit together.
    #[error(transparent)]
    Outcome(#[from] OutcomeError),
    /// The runs could not be read or do not belong together.
    #[error(transparent)]
    Runs(#[from] RunError),
    /// The simulator could not run (a flag's range is a [`CliError::BadFlag`]).
    #[error("{0}")]
    Simulator(SimulatorError),
    /// An output file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: String,
        /// What the system said.
        source: io::Error,
    },
}

impl CliError {
    /// 1 for a failure of the system (reading), 2 for bad input.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Preset(error) if error.is_io() => 1,
            Self::Read(error) if error.is_io() => 1,
            Self::Runs(error) if error.is_io() => 1,
            Self::Stdin(_) | Self::Write { .. } | Self::Simulator(SimulatorError::Thread(_)) => 1,
            Self::Preset(_)
            | Self::BadFlag(_)
            | Self::Read(_)
            | Self::Runs(_)
            | Self::Outcome(_)
            | Self::Simulator(_) => 2,
        }
    }
}

/// Runs a headless command and returns what it prints; `stdin` serves a `-` preset.
///
/// # Errors
/// An unreadable or invalid preset, or an unusable flag.
pub fn run(subcommand: &Subcommand, stdin: impl Read) -> Result<String, CliError> {
    match subcommand {
        Subcommand::Eval(args) => eval::run(args, stdin),
        Subcommand::Sweep(args) => sweep::run(args, stdin),
        Subcommand::Weights(args) => weights::run(args, stdin),
        Subcommand::Penalties(args) => penalties::run(args, stdin),
        Subcommand::Export(args) => export::run(args, stdin),
        Subcommand::Outcomes(args) => outcomes::run(args, stdin),
        Subcommand::Tune(args) => tune::run(args, stdin),
        Subcommand::Runs(args) => runs::run(args, stdin),
        Subcommand::Train(args) => train::run(args, stdin),
        Subcommand::Simulate(args) => simulate::run(args, stdin),
    }
}

/// A simulator error as the command line reports it: an option out of range names its flag
/// (`--samples: 0, expected 1 to 10000000`), an invalid preset its file.
fn simulator_error(error: SimulatorError, origin: &str) -> CliError {
    match error {
        SimulatorError::Preset(error) => CliError::Preset(PresetError::Invalid {
            origin: origin.to_owned(),
            error,
        }),
        SimulatorError::Grid(error) => CliError::BadFlag(format!("--{error}")),
        SimulatorError::Samples(_)
        | SimulatorError::Overlap(_)
        | SimulatorError::Seeds(_)
        | SimulatorError::L2(_)
        | SimulatorError::Setting { .. } => CliError::BadFlag(format!("--{error}")),
        other => CliError::Simulator(other),
    }
}

/// The preset named on the command line (a file, or `-` for `stdin`), and the name its errors
/// go by.
fn read_preset(argument: &str, mut stdin: impl Read) -> Result<(Preset, String), CliError> {
    if argument == "-" {
        let origin = "<stdin>".to_owned();
        let mut text = String::new();
        stdin.read_to_string(&mut text).map_err(CliError::Stdin)?;
        Ok((parse_preset(&text, &origin)?, origin))
    } else {
        Ok((load_preset(argument.as_ref())?, argument.to_owned()))
    }
}
