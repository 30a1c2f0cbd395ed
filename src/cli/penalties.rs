//! `weightbench penalties`: the loss of a sample of class t predicted as class k, for every
//! pair, per sample and times the class count.

use std::io::Read;

use super::text::{aligned, pretty_json};
use super::{CliError, TableOrJson, read_preset};
use crate::core::cases::penalties::{PenaltyError, PenaltyMatrix};
use crate::core::preset::Preset;
use crate::core::preset::file::PresetError;

/// The arguments of `penalties`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Preset file (RON), or `-` for standard input.
    pub preset: String,
    /// The probability the model puts on the predicted class; the rest is spread evenly.
    #[arg(long, default_value_t = 0.9)]
    pub confidence: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableOrJson::Table)]
    pub format: TableOrJson,
}

/// Computes the penalty matrix at `--confidence`.
///
/// # Errors
/// An unreadable or invalid preset, or a `--confidence` outside its range.
pub fn run(args: &Args, stdin: impl Read) -> Result<String, CliError> {
    let (preset, origin) = read_preset(&args.preset, stdin)?;
    let penalties = PenaltyMatrix::of(&preset, args.confidence).map_err(|error| match error {
        PenaltyError::Confidence(_) => CliError::BadFlag(format!("--{error}")),
        PenaltyError::Invalid(error) => CliError::Preset(PresetError::Invalid { origin, error }),
    })?;
    Ok(match args.format {
        TableOrJson::Table => table(&preset, &penalties),
        // The `PenaltyMatrix` itself is the JSON report.
        TableOrJson::Json => pretty_json(&penalties),
    })
}

/// Both matrices, truth in rows and the debris class starred, with a note when every row is
/// constant off the diagonal.
fn table(preset: &Preset, penalties: &PenaltyMatrix) -> String {
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
