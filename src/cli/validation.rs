//! What `outcomes` and `tune` share: the validation file and its preset, the decision flags
//! (`--trained-with`, `--deploy-prior`, `--prior-correction`, `--temperature`) and their
//! parsing into the core's [`OutcomeOptions`].

use std::io::Read;
use std::path::PathBuf;

use super::{CliError, read_preset};
use crate::core::outcomes::costs::Decision;
use crate::core::outcomes::data::ValidationData;
use crate::core::outcomes::read::load;
use crate::core::outcomes::setup::{OutcomeOptions, TemperatureChoice};
use crate::core::preset::Preset;

/// The validation outputs and the preset they are read against.
#[derive(Debug, clap::Args)]
pub struct DataArgs {
    /// Validation outputs: .npz, .npy (with --labels), .safetensors or .csv.
    pub data: PathBuf,
    /// The labels (.npy of integers) that go with a DATA .npy of logits.
    #[arg(long, value_name = "FILE.npy")]
    pub labels: Option<PathBuf>,
    /// Preset file (RON) with the classes, the weights and the debris class, or `-` for
    /// standard input.
    #[arg(long)]
    pub preset: String,
}

impl DataArgs {
    /// Reads the preset, then the validation outputs against its classes.
    ///
    /// # Errors
    /// DATA given as `-`, an unreadable file (exit 1), or an invalid preset or data file
    /// (exit 2).
    pub fn load(&self, stdin: impl Read) -> Result<(Preset, ValidationData), CliError> {
        if self.data.as_os_str() == "-" {
            return Err(CliError::BadFlag(
                "DATA: `-` (standard input) is not read for validation outputs; give a file \
                 (.npz, .npy with --labels, .safetensors or .csv), whose extension tells its format"
                    .to_owned(),
            ));
        }
        let (preset, _) = read_preset(&self.preset, stdin)?;
        let names: Vec<String> = preset.classes.iter().map(|c| c.name.clone()).collect();
        let data = load(&self.data, self.labels.as_deref(), &names, &mut |_| true)?;
        Ok((preset, data))
    }
}

/// How the decisions are taken: the flags `outcomes` and `tune` share.
#[derive(Debug, Default, clap::Args)]
pub struct DecisionArgs {
    /// The weights the model was trained with, one per class, comma separated
    /// [default: the preset's `validation.trained_with`, else its weights]
    #[arg(long, value_name = "W1,W2,..", allow_hyphen_values = true)]
    pub trained_with: Option<String>,
    /// Each class's share among deployed samples, comma separated, summing to 1
    /// [default: the preset's `validation.deploy_prior`, if any]
    #[arg(long, value_name = "P1,P2,..", allow_hyphen_values = true)]
    pub deploy_prior: Option<String>,
    /// Add `ln(deploy prior / training share)` to each class's shift (needs a deployment prior).
    #[arg(long)]
    pub prior_correction: bool,
    /// Divide the scores by a temperature before deciding: `fit` (minimum NLL on DATA) or a
    /// number > 0; also reports the calibration error before and after.
    #[arg(long, value_name = "fit|T", allow_hyphen_values = true)]
    pub temperature: Option<String>,
    /// What each mistake costs: rows (true class) split by `;`, the costs of calling it each
    /// class split by `,`, e.g. "0,1,5;1,0,5;10,1,0" [default: the preset's `costs`, if any]
    #[arg(long, value_name = "R1;R2;..", allow_hyphen_values = true)]
    pub costs: Option<String>,
}

impl DecisionArgs {
    /// The flags as the core's options.
    ///
    /// # Errors
    /// A list entry or temperature that is not a number; the core checks the ranges.
    pub fn options(&self) -> Result<OutcomeOptions, CliError> {
        let list = |flag: &str, text: &Option<String>| {
            text.as_deref()
                .map(|text| parse_list(flag, text))
                .transpose()
        };
        Ok(OutcomeOptions {
            trained_with: list("--trained-with", &self.trained_with)?,
            deploy_prior: list("--deploy-prior", &self.deploy_prior)?,
            prior_correction: self.prior_correction,
            temperature: match self.temperature.as_deref() {
                None => TemperatureChoice::Off,
                Some(text) => parse_temperature(text)?,
            },
            decision: Decision::Weights,
            costs: self.costs.as_deref().map(parse_costs).transpose()?,
        })
    }
}

/// A cost matrix typed as rows split by `;` and values by `,`; an entry that is not a number
/// is named by its row and column (from 1, as typed). The core checks the shape and values.
fn parse_costs(text: &str) -> Result<Vec<Vec<f64>>, CliError> {
    text.split(';')
        .enumerate()
        .map(|(row, entries)| {
            entries
                .split(',')
                .enumerate()
                .map(|(column, entry)| {
                    entry.trim().parse::<f64>().map_err(|_| {
                        CliError::BadFlag(format!(
                            "--costs: row {}, column {}: {:?}, expected a number (rows split by `;`, values by `,`: \"0,1;5,0\")",
                            row + 1,
                            column + 1,
                            entry.trim()
                        ))
                    })
                })
                .collect()
        })
        .collect()
}

/// A comma-separated list of numbers; an entry that is not one is named by its index.
fn parse_list(flag: &str, text: &str) -> Result<Vec<f64>, CliError> {
    text.split(',')
        .enumerate()
        .map(|(index, entry)| {
            entry.trim().parse::<f64>().map_err(|_| {
                CliError::BadFlag(format!(
                    "{flag}[{index}]: {:?}, expected a number (the list is comma separated: 0.8,26,4,0.4)",
                    entry.trim()
                ))
            })
        })
        .collect()
}

/// `fit`, or a number (the core checks that it is > 0).
fn parse_temperature(text: &str) -> Result<TemperatureChoice, CliError> {
    if text.trim() == "fit" {
        return Ok(TemperatureChoice::Fit);
    }
    text.trim()
        .parse::<f64>()
        .map(TemperatureChoice::Fixed)
        .map_err(|_| {
            CliError::BadFlag(format!(
                "--temperature: {text:?}, expected `fit` or a finite number > 0"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_parse_by_rows_or_name_the_entry() {
        assert_eq!(
            parse_costs("0,1; 5 ,0").unwrap(),
            [vec![0.0, 1.0], vec![5.0, 0.0]]
        );
        assert_eq!(
            parse_costs("0,1;5,x").unwrap_err().to_string(),
            "--costs: row 2, column 2: \"x\", expected a number (rows split by `;`, values by `,`: \"0,1;5,0\")"
        );
        assert_eq!(
            parse_costs("0,1;").unwrap_err().to_string().get(..21),
            Some("--costs: row 2, colum")
        );
    }

    #[test]
    fn lists_and_temperatures_parse_or_name_the_entry() {
        assert_eq!(
            parse_list("--trained-with", "0.8, 26,4,0.4").unwrap(),
            [0.8, 26.0, 4.0, 0.4]
        );
        assert_eq!(
            parse_list("--deploy-prior", "0.5,x")
                .unwrap_err()
                .to_string(),
            "--deploy-prior[1]: \"x\", expected a number (the list is comma separated: 0.8,26,4,0.4)"
        );
        assert_eq!(parse_temperature("fit").unwrap(), TemperatureChoice::Fit);
        assert_eq!(
            parse_temperature("1.5").unwrap(),
            TemperatureChoice::Fixed(1.5)
        );
        assert_eq!(
            parse_temperature("abc").unwrap_err().to_string(),
            "--temperature: \"abc\", expected `fit` or a finite number > 0"
        );
    }
}
