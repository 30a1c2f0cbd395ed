//! `weightbench weights`: class weights from class counts by a standard scheme, optionally
//! saved into a copy of the preset.

use std::io::Read;
use std::path::PathBuf;

use serde::Serialize;

use super::text::{aligned, pretty_json};
use super::{CliError, TableOrJson, read_preset};
use crate::core::cases::schemes::DEFAULT_BETA;
use crate::core::cases::schemes::{Normalization, Scheme, SchemeError, SchemeKind};
use crate::core::preset::Preset;
use crate::core::preset::file::save_preset;

/// The arguments of `weights`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Preset whose class counts to use (RON), or `-` for standard input.
    #[arg(required_unless_present = "counts", conflicts_with = "counts")]
    pub preset: Option<String>,
    /// Class counts instead of a preset, comma separated: 260,10,56,500
    #[arg(long, value_delimiter = ',')]
    pub counts: Option<Vec<u64>>,
    /// The scheme.
    #[arg(long, value_enum)]
    pub scheme: SchemeKind,
    /// beta of the effective-number scheme, in [0, 1).
    #[arg(long, default_value_t = DEFAULT_BETA)]
    pub beta: f64,
    /// Rescale the weights, overriding the scheme's own normalisation.
    #[arg(long, value_enum)]
    pub normalize: Option<Normalization>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableOrJson::Table)]
    pub format: TableOrJson,
    /// Also save a copy of the preset with these weights to this file (needs PRESET).
    #[arg(long)]
    pub write: Option<PathBuf>,
}

/// Computes the weights, saves the copy `--write` asks for, and returns the weights.
///
/// # Errors
/// An unreadable or invalid preset, counts or `--beta` the scheme cannot use, `--write`
/// without a preset, or a copy that cannot be saved.
pub fn run(args: &Args, stdin: impl Read) -> Result<String, CliError> {
    if args.write.is_some() && args.preset.is_none() {
        return Err(CliError::BadFlag(
            "--write: needs a PRESET to copy; --counts alone has no classes or scenarios to save"
                .to_owned(),
        ));
    }
    let preset = match &args.preset {
        Some(argument) => Some(read_preset(argument, stdin)?),
        None => None,
    };
    let counts = match (&preset, &args.counts) {
        (Some((preset, _)), _) => preset.counts(),
        (None, Some(counts)) => counts.clone(),
        (None, None) => {
            return Err(CliError::BadFlag("give a PRESET or --counts".to_owned()));
        }
    };
    let scheme = Scheme::new(args.scheme, args.beta);
    let weights = scheme.weights(&counts, args.normalize).map_err(|error| {
        let source = match (&error, &preset) {
            (SchemeError::BadBeta(_), _) => "--beta",
            (_, Some((_, origin))) => origin.as_str(),
            (_, None) => "--counts",
        };
        CliError::BadFlag(format!("{source}: {error}"))
    })?;
    if let (Some(path), Some((preset, _))) = (&args.write, &preset) {
        let mut copy = preset.clone();
        for (class, &weight) in copy.classes.iter_mut().zip(&weights) {
            class.weight = weight;
        }
        save_preset(&copy, path)?;
    }
    Ok(match args.format {
        TableOrJson::Table => table(preset.as_ref().map(|(p, _)| p), &counts, &weights),
        TableOrJson::Json => pretty_json(&WeightsReport {
            scheme: scheme.name(),
            weights: &weights,
        }),
    })
}

/// `weights --format json`.
#[derive(Serialize)]
struct WeightsReport<'a> {
    scheme: &'a str,
    weights: &'a [f64],
}

/// One class per line: its name (`class N` without a preset), count and weight.
fn table(preset: Option<&Preset>, counts: &[u64], weights: &[f64]) -> String {
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
