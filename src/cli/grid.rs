//! The grid flags `--from`, `--to` and `--steps`: the debris weights a subcommand sweeps over,
//! one definition shared by `sweep`, `outcomes --sweep` and `simulate`.
//!
//! The help below is `sweep`'s; a subcommand whose flags read or behave otherwise says so on its
//! own `Args` with `#[command(mut_arg(..))]`, so each `--help` stays as it was.

use super::CliError;
use crate::core::preset::range::SweepRange;

/// The debris weights of a grid; a flag left out takes the subcommand's default.
#[derive(Clone, Copy, Debug, Default, PartialEq, clap::Args)]
pub struct GridArgs {
    /// First debris weight [default: the preset's sweep.from]
    #[arg(long, allow_negative_numbers = true)]
    pub from: Option<f64>,
    /// Last debris weight [default: the preset's sweep.to]
    #[arg(long, allow_negative_numbers = true)]
    pub to: Option<f64>,
    /// Number of grid points, both ends included [default: the preset's sweep.steps]
    #[arg(long)]
    pub steps: Option<usize>,
}

impl GridArgs {
    /// Whether any of the flags is given.
    #[must_use]
    pub fn given(&self) -> bool {
        self.from.is_some() || self.to.is_some() || self.steps.is_some()
    }

    /// The grid: each flag given, else `defaults`' value.
    #[must_use]
    pub fn range(&self, defaults: &SweepRange) -> SweepRange {
        SweepRange {
            from: self.from.unwrap_or(defaults.from),
            to: self.to.unwrap_or(defaults.to),
            steps: self.steps.unwrap_or(defaults.steps),
        }
    }

    /// [`Self::range`], checked.
    ///
    /// # Errors
    /// A bad flag (exit 2) naming the flag and what was expected, when the grid is unusable.
    pub fn validated(&self, defaults: &SweepRange) -> Result<SweepRange, CliError> {
        let range = self.range(defaults);
        range
            .validate()
            .map_err(|error| CliError::BadFlag(format!("--{error}")))?;
        Ok(range)
    }
}
