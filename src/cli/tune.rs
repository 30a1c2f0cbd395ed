//! `weightbench tune`: class weights whose decisions on the validation outputs score best for
//! an objective, optionally saved into a copy of the preset.

use std::fmt::Write as _;
use std::io::Read;
use std::path::PathBuf;

use super::CliError;
use super::text::{aligned, pretty_json, rounded};
use super::validation::{DataArgs, DecisionArgs};
use crate::core::outcomes::data::ValidationData;
use crate::core::outcomes::tune::{Objective, Suggestion, TuneOptions, suggest};
use crate::core::preset::Preset;
use crate::core::preset::file::save_preset;

/// The arguments of `tune`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The validation file and the preset.
    #[command(flatten)]
    pub data: DataArgs,
    /// What the weights should maximise.
    #[arg(long, value_enum)]
    pub objective: Objective,
    /// With fewest-debris-fp: the recall every rare class keeps [default: each class's recall
    /// at the trained-with weights]
    #[arg(long, value_name = "R")]
    pub min_recall: Option<f64>,
    /// The decision flags.
    #[command(flatten)]
    pub decision: DecisionArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TuneFormat::Table)]
    pub format: TuneFormat,
    /// Also save a copy of the preset with the suggested weights (and the trained-with weights
    /// they were measured against as its `validation.trained_with`) to this file.
    #[arg(long, value_name = "OUT.ron")]
    pub write: Option<PathBuf>,
}

/// Output formats of `tune`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TuneFormat {
    /// A report for reading.
    Table,
    /// JSON, numbers in shortest round-trip form.
    Json,
}

/// Searches the weights, saves the copy `--write` asks for, and returns the suggestion.
///
/// # Errors
/// As `outcomes`, a `--min-recall` out of range or with another objective, and a copy that
/// cannot be saved.
pub fn run(args: &Args, stdin: impl Read) -> Result<String, CliError> {
    let outcome = args.decision.options()?;
    let (preset, data) = args.data.load(stdin)?;
    // As `OutcomeSetup::new` takes them: the flag, else the preset's.
    let trained_with = outcome
        .trained_with
        .clone()
        .unwrap_or_else(|| preset.trained_with());
    let options = TuneOptions {
        objective: args.objective,
        min_recall: args.min_recall,
        outcome,
    };
    let suggestion = suggest(&data, &preset, &options)?;
    if let Some(path) = &args.write {
        let mut copy = preset.clone();
        for (class, &weight) in copy.classes.iter_mut().zip(&suggestion.weights) {
            class.weight = weight;
        }
        copy.validation.trained_with.clone_from(&trained_with);
        save_preset(&copy, path)?;
    }
    Ok(match args.format {
        // `Suggestion` itself is the JSON contract in DESIGN.md.
        TuneFormat::Json => pretty_json(&suggestion),
        TuneFormat::Table => table(&preset, &data, &trained_with, &options, &suggestion),
    })
}

/// The objective's value as text: a count for fewest-debris-fp, else 4 decimals.
fn value_text(objective: Objective, value: f64) -> String {
    match objective {
        Objective::FewestDebrisFp => format!("{value:.0}"),
        _ => format!("{value:.4}"),
    }
}

/// The report for a person: the objective at the suggested and trained-with weights, the
/// weights, and the metrics at the suggested weights.
fn table(
    preset: &Preset,
    data: &ValidationData,
    trained_with: &[f64],
    options: &TuneOptions,
    suggestion: &Suggestion,
) -> String {
    let objective = options.objective;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} on {}: {} samples",
        preset.name,
        data.source,
        data.samples()
    );
    let what = match objective {
        Objective::BalancedAccuracy => "balanced accuracy",
        Objective::MacroF1 => "macro-F1",
        Objective::FewestDebrisFp => "false positives from debris",
        Objective::MinCost => "total cost",
    };
    let _ = writeln!(
        out,
        "{}: {what} {} at the suggested weights, {} at the trained-with weights",
        objective.name(),
        value_text(objective, suggestion.value),
        value_text(objective, suggestion.baseline_value),
    );
    if objective == Objective::FewestDebrisFp {
        let floor = options.min_recall.map_or_else(
            || "its recall at the trained-with weights".to_owned(),
            |r| format!("a recall of at least {r}"),
        );
        let _ = writeln!(out, "every class but debris keeps {floor}");
        if let Some(short) = suggestion.recall_shortfall.filter(|&short| short > 0) {
            let _ = writeln!(
                out,
                "no weights found meet that: {short} true positives short in all"
            );
        }
    }
    out.push('\n');
    out.push_str(&weights_table(preset, trained_with, suggestion));
    let _ = writeln!(
        out,
        "\nAt the suggested weights; confusion rows: truth, columns: predicted"
    );
    out.push_str(&metrics_table(preset, suggestion));
    let current = &suggestion.current;
    out.push('\n');
    out.push_str(&aligned(
        &[
            vec!["accuracy".to_owned(), rounded(current.accuracy)],
            vec![
                "balanced accuracy".to_owned(),
                rounded(current.balanced_accuracy),
            ],
            vec!["macro-F1".to_owned(), rounded(current.macro_f1)],
        ],
        0..1,
    ));
    out
}

/// Per class: the preset's weight, the trained-with weight and the suggested one.
fn weights_table(preset: &Preset, trained_with: &[f64], suggestion: &Suggestion) -> String {
    let mut rows = vec![
        ["class", "preset", "trained with", "suggested"]
            .map(str::to_owned)
            .to_vec(),
    ];
    for (c, class) in preset.classes.iter().enumerate() {
        rows.push(vec![
            class.name.clone(),
            format!("{:?}", class.weight),
            trained_with
                .get(c)
                .map_or_else(String::new, |w| format!("{w:?}")),
            suggestion
                .weights
                .get(c)
                .map_or_else(String::new, |w| format!("{w:?}")),
        ]);
    }
    aligned(&rows, 0..1)
}

/// Per class: the confusion row, precision, recall, F1 and the debris errors (left out for
/// the debris class, where they are always 0).
fn metrics_table(preset: &Preset, suggestion: &Suggestion) -> String {
    let current = &suggestion.current;
    let mut header = vec!["truth \\ predicted".to_owned()];
    header.extend(preset.classes.iter().map(|c| c.name.clone()));
    header.extend(
        [
            "precision",
            "recall",
            "F1",
            "FP from debris",
            "FN to debris",
        ]
        .map(str::to_owned),
    );
    let mut rows = vec![header];
    for (c, (class, counts)) in preset
        .classes
        .iter()
        .zip(current.confusion.rows())
        .enumerate()
    {
        let mut row = vec![class.name.clone()];
        row.extend(counts.iter().map(u64::to_string));
        row.extend([
            rounded(current.precision[c]),
            rounded(current.recall[c]),
            rounded(current.f1[c]),
        ]);
        if c != preset.debris {
            row.extend([
                current.false_positives_from_debris[c].to_string(),
                current.false_negatives_to_debris[c].to_string(),
            ]);
        }
        rows.push(row);
    }
    aligned(&rows, 0..1)
}
