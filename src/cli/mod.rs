//! The headless command line: `eval`, `sweep`, `weights`, `penalties` and `export` print the
//! core's numbers for scripts.

pub mod eval;
pub mod sweep;
pub mod text;

use std::io::{self, Read};
use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use serde::Serialize;

use self::text::{aligned, pretty_json};
use crate::core::export::{Target, snippet};
use crate::core::penalties::{PenaltyError, PenaltyMatrix};
use crate::core::schemes::DEFAULT_BETA;
use crate::core::{
    Normalization, Preset, PresetError, Scheme, SchemeError, SchemeKind, load_preset, parse_preset,
    save_preset,
};

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
    Weights {
        /// Preset whose class counts to use (RON), or `-` for standard input.
        #[arg(required_unless_present = "counts", conflicts_with = "counts")]
        preset: Option<String>,
        /// Class counts instead of a preset, comma separated: 260,10,56,500
        #[arg(long, value_delimiter = ',')]
        counts: Option<Vec<u64>>,
        /// The scheme.
        #[arg(long, value_enum)]
        scheme: SchemeKind,
        /// beta of the effective-number scheme, in [0, 1).
        #[arg(long, default_value_t = DEFAULT_BETA)]
        beta: f64,
        /// Rescale the weights, overriding the scheme's own normalisation.
        #[arg(long, value_enum)]
        normalize: Option<Normalization>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TableOrJson::Table)]
        format: TableOrJson,
        /// Also save a copy of the preset with these weights to this file (needs PRESET).
        #[arg(long)]
        write: Option<PathBuf>,
    },
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
        Subcommand::Weights {
            preset,
            counts,
            scheme,
            beta,
            normalize,
            format,
            write,
        } => {
            if write.is_some() && preset.is_none() {
                return Err(CliError::BadFlag(
                    "--write: needs a PRESET to copy; --counts alone has no classes or scenarios to save"
                        .to_owned(),
                ));
            }
            let preset = match preset {
                Some(argument) => Some(read_preset(argument, stdin)?),
                None => None,
            };
            let counts = match (&preset, counts) {
                (Some((preset, _)), _) => preset.counts(),
                (None, Some(counts)) => counts.clone(),
                (None, None) => {
                    return Err(CliError::BadFlag("give a PRESET or --counts".to_owned()));
                }
            };
            let scheme = Scheme::new(*scheme, *beta);
            let weights = scheme.weights(&counts, *normalize).map_err(|error| {
                let source = match (&error, &preset) {
                    (SchemeError::BadBeta(_), _) => "--beta",
                    (_, Some((_, origin))) => origin.as_str(),
                    (_, None) => "--counts",
                };
                CliError::BadFlag(format!("{source}: {error}"))
            })?;
            if let (Some(path), Some((preset, _))) = (write, &preset) {
                let mut copy = preset.clone();
                for (class, &weight) in copy.classes.iter_mut().zip(&weights) {
                    class.weight = weight;
                }
                save_preset(&copy, path)?;
            }
            Ok(match format {
                TableOrJson::Table => {
                    weights_table(preset.as_ref().map(|(p, _)| p), &counts, &weights)
                }
                TableOrJson::Json => pretty_json(&WeightsReport {
                    scheme: scheme.name(),
                    weights: &weights,
                }),
            })
        }
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

/// `weights --format json`.
#[derive(Serialize)]
struct WeightsReport<'a> {
    scheme: &'a str,
    weights: &'a [f64],
}

fn weights_table(preset: Option<&Preset>, counts: &[u64], weights: &[f64]) -> String {
    let mut rows = vec![vec![
        "class".to_owned(),
        "count".to_owned(),
        "weight".to_owned(),
    ]];
    for (index, (count, weight)) in counts.iter().zip(weights).enumerate() {
        let name = preset
            .and_then(|p| p.classes.get(index))
            .map_or_else(|| format!("class {}", index + 1), |c| c.name.clone());
        rows.push(vec![name, count.to_string(), format!("{weight:?}")]);
    }
    aligned(&rows, 0..1)
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
