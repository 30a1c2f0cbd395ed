//! The headless command line: `eval`, `sweep`, `weights`, `penalties` and `export` print the
//! core's numbers for scripts.

pub mod eval;
pub mod sweep;
pub mod text;
pub mod weights;

use std::io::{self, Read};
use std::path::PathBuf;

use self::text::{aligned, pretty_json};
use crate::core::export::{Target, snippet};
use crate::core::penalties::{PenaltyError, PenaltyMatrix};
use crate::core::{Preset, PresetError, load_preset, parse_preset};
use clap::{Parser, ValueEnum};

/// Command-line arguments.
#[derive(Debug, Parser)]
#[command(
    name = "weightbench",
    version,
    about = "See what class weights in a weighted cross-entropy do to every penalty.",
    long_about = "See what class weights in a weighted cross-entropy do to every penalty.\n\n\
                  Without a subcommand, opens the desktop workbench (on PRESET if given).",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// A headless command; without one, the window opens.
    #[command(subcommand)]
    pub command: Option<Subcommand>,
    /// Preset file to open in the window.
    pub preset: Option<PathBuf>,
}

/// The headless commands.
#[derive(Debug, clap::Subcommand)]
pub enum Subcommand {
    /// Evaluate every scenario of a preset: probabilities, loss, gradient, batch reductions.
    Eval(eval::Args),
    /// Each scenario's loss and the batch mean as the debris weight runs over a grid.
    Sweep(sweep::Args),
    /// Class weights from class counts by a standard scheme.
    Weights(weights::Args),
    /// The loss of a sample of class t predicted as class k, for every pair.
    Penalties {
        /// Preset file (RON), or `-` for standard input.
        preset: String,
        /// The probability the model puts on the predicted class; the rest is spread evenly.
        #[arg(long, default_value_t = 0.9)]
        confidence: f64,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TableOrJson::Table)]
        format: TableOrJson,
    },
    /// The preset's weights and loss as code for a training library.
    Export {
        /// Preset file (RON), or `-` for standard input.
        preset: String,
        /// The library.
        #[arg(long, value_enum)]
        to: Target,
    },
}

/// Output formats of `weights` and `penalties`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TableOrJson {
    /// One class per line.
    Table,
    /// `{"scheme": .., "weights": [..]}`.
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
}

impl CliError {
    /// 1 for a failure of the system (reading), 2 for bad input.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Preset(error) if error.is_io() => 1,
            Self::Stdin(_) => 1,
            Self::Preset(_) | Self::BadFlag(_) => 2,
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
        Subcommand::Penalties {
            preset,
            confidence,
            format,
        } => {
            let (preset, origin) = read_preset(preset, stdin)?;
            let penalties =
                PenaltyMatrix::of(&preset, *confidence).map_err(|error| match error {
                    PenaltyError::Confidence(_) => CliError::BadFlag(format!("--{error}")),
                    PenaltyError::Invalid(error) => {
                        CliError::Preset(PresetError::Invalid { origin, error })
                    }
                })?;
            Ok(match format {
                TableOrJson::Table => penalties_table(&preset, &penalties),
                TableOrJson::Json => pretty_json(&penalties),
            })
        }
        Subcommand::Export { preset, to } => {
            let (preset, _) = read_preset(preset, stdin)?;
            Ok(snippet(&preset, *to) + "\n")
        }
    }
}

fn penalties_table(preset: &Preset, penalties: &PenaltyMatrix) -> String {
    let mut out = format!(
        "Loss of a sample of class t (row) when the model puts {:?} on class k (column):\n\n",
        penalties.confidence
    );
    for (title, matrix) in [
        ("per sample", &penalties.matrix),
        ("times the class count n_t", &penalties.count_weighted),
    ] {
        let mut header = vec![format!("truth \\ predicted ({title})")];
        header.extend(penalties.classes.iter().cloned());
        let mut rows = vec![header];
        for (t, row) in matrix.iter().enumerate() {
            let mark = if t == preset.debris { "* " } else { "" };
            let mut cells = vec![format!("{mark}{}", penalties.classes[t])];
            cells.extend(row.iter().map(|v| format!("{v:.6}")));
            rows.push(cells);
        }
        out.push_str(&aligned(&rows, 0..1));
        out.push('\n');
    }
    out.push_str("* the debris class\n");
    if penalties.rows_constant_off_diagonal() {
        out.push_str(
            "Every row is constant off the diagonal: a class weight scales a whole row, so a sample costs\n\
             the same whichever class it is mistaken for. Pairwise margins (the preset's `margins`)\n\
             punish one confusion more than the rest of its row.\n",
        );
    }
    out
}

/// The preset named on the command line, and the name its errors go by.
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
