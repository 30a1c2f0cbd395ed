//! `weightbench export`: the preset's weights and loss as code for a training library.

use std::io::Read;

use super::{CliError, read_preset};
use crate::core::export::{Target, snippet};

/// The arguments of `export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Preset file (RON), or `-` for standard input.
    pub preset: String,
    /// The library.
    #[arg(long, value_enum)]
    pub to: Target,
}

/// The snippet for `--to`, as the window's export panel shows it, with a final newline.
///
/// # Errors
/// An unreadable or invalid preset.
pub fn run(args: &Args, stdin: impl Read) -> Result<String, CliError> {
    let (preset, _) = read_preset(&args.preset, stdin)?;
    Ok(snippet(&preset, args.to) + "\n")
}
