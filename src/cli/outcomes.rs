//! `weightbench outcomes`: what the preset's weights do to a model's decisions on its validation
//! outputs, beside what the trained-with weights do; with `--sweep`, the false positives from
//! debris and false negatives to debris along a grid of debris weights.

use std::fmt::Write as _;
use std::io::Read;

use super::CliError;
use super::grid::GridArgs;
use super::text::{aligned, csv_row, pretty_json, rounded};
use super::validation::{DataArgs, DecisionArgs};
use crate::core::outcomes::cost_report::CostSummary;
use crate::core::outcomes::costs::Decision;
use crate::core::outcomes::data::ValidationData;
use crate::core::outcomes::debris_sweep::{DebrisCurve, DebrisSweep};
use crate::core::outcomes::metrics::{DEPLOYED_SAMPLES, Deployed, Metrics};
use crate::core::outcomes::report::Outcomes;
use crate::core::outcomes::setup::OutcomeSetup;
use crate::core::preset::Preset;
use crate::core::preset::loss_options::Convention;

/// The arguments of `outcomes`.
#[derive(Debug, clap::Args)]
// The grid flags set the grid of --sweep, and only with it.
#[command(
    mut_arg("from", |arg| arg
        .requires("sweep")
        .help("First debris weight of --sweep [default: the preset's sweep.from]")),
    mut_arg("to", |arg| arg
        .requires("sweep")
        .help("Last debris weight of --sweep [default: the preset's sweep.to]")),
    mut_arg("steps", |arg| arg
        .requires("sweep")
        .help("Grid points of --sweep, both ends included [default: the preset's sweep.steps]")),
)]
pub struct Args {
    /// The validation file and the preset.
    #[command(flatten)]
    pub data: DataArgs,
    /// The decision flags.
    #[command(flatten)]
    pub decision: DecisionArgs,
    /// Which rule decides: the weights' argmax, or the least expected cost under the cost
    /// matrix (`--costs`, or the preset's `costs`)
    #[arg(long = "decision", value_enum, default_value_t = Decision::Weights)]
    pub rule: Decision,
    /// Instead of the outcomes, the false positives from debris and false negatives to debris
    /// at each debris weight of a grid, every other weight held.
    #[arg(long)]
    pub sweep: bool,
    /// The grid of --sweep: `--from`, `--to`, `--steps`.
    #[command(flatten)]
    pub grid: GridArgs,
    /// Output format: table or json; csv or json with --sweep [default: table, csv with --sweep]
    #[arg(long, value_enum)]
    pub format: Option<OutcomesFormat>,
}

/// Output formats of `outcomes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutcomesFormat {
    /// A report for reading (not with --sweep).
    Table,
    /// JSON, numbers in shortest round-trip form.
    Json,
    /// CSV, one row per debris weight (only with --sweep).
    Csv,
}

/// Computes the outcomes, or the sweep, and returns them in the chosen format.
///
/// # Errors
/// A bad flag, an unreadable file (exit 1), or a preset, data file or option that is invalid
/// or does not fit the others (exit 2).
pub fn run(args: &Args, stdin: impl Read) -> Result<String, CliError> {
    let format = match (args.sweep, args.format) {
        (false, None) => OutcomesFormat::Table,
        (true, None) => OutcomesFormat::Csv,
        (false, Some(OutcomesFormat::Csv)) => {
            return Err(CliError::BadFlag(
                "--format csv: only with --sweep; the outcomes print as table or json".to_owned(),
            ));
        }
        (true, Some(OutcomesFormat::Table)) => {
            return Err(CliError::BadFlag(
                "--format table: not with --sweep; the sweep prints as csv or json".to_owned(),
            ));
        }
        (_, Some(format)) => format,
    };
    let mut options = args.decision.options()?;
    options.decision = args.rule;
    let (preset, data) = args.data.load(stdin)?;
    if args.sweep && args.rule == Decision::Cost {
        return Err(CliError::BadFlag(
            "--decision cost: not with --sweep; the cost rule does not move with the debris weight (drop --decision to sweep the weights' rule)".to_owned(),
        ));
    }
    if args.sweep {
        let range = args.grid.validated(&preset.sweep)?;
        let setup = OutcomeSetup::new(&data, &preset, &options)?;
        let sweep = DebrisSweep::new(&data, &setup.current_rule(), setup.debris);
        let curve = sweep.curve(&setup.basis, &range.grid());
        return Ok(match format {
            // The `DebrisCurve` itself is the `--sweep` JSON contract in DESIGN.md.
            OutcomesFormat::Json => pretty_json(&curve),
            _ => sweep_csv(&preset, &curve),
        });
    }
    let outcomes = Outcomes::of(&data, &preset, &options)?;
    Ok(match format {
        // `Outcomes` itself is the JSON contract in DESIGN.md.
        OutcomesFormat::Json => pretty_json(&outcomes),
        _ => table(&preset, &data, &outcomes, &args.decision),
    })
}

/// One row per debris weight: the weight, then per class other than debris the debris samples
/// called that class (`fp_from_debris_<class>`), then per class other than debris its samples
/// called debris (`fn_to_debris_<class>`).
fn sweep_csv(preset: &Preset, curve: &DebrisCurve) -> String {
    let rare: Vec<usize> = (0..preset.classes.len())
        .filter(|&c| c != preset.debris)
        .collect();
    let name = |c: usize| preset.classes[c].name.as_str();
    let mut header = vec!["debris_weight".to_owned()];
    header.extend(rare.iter().map(|&c| format!("fp_from_debris_{}", name(c))));
    header.extend(rare.iter().map(|&c| format!("fn_to_debris_{}", name(c))));
    let mut out = csv_row(header);
    for (i, weight) in curve.debris_weight.iter().enumerate() {
        let mut row = vec![format!("{weight:?}")];
        for counts in [
            &curve.false_positives_from_debris[i],
            &curve.false_negatives_to_debris[i],
        ] {
            row.extend(rare.iter().map(|&c| counts[c].to_string()));
        }
        out.push_str(&csv_row(row));
    }
    out
}

/// The report for a person: the weights and shifts, both confusion matrices, the per-class
/// metrics and summaries (current beside baseline), the deployed counts, the loss and the
/// temperature.
fn table(
    preset: &Preset,
    data: &ValidationData,
    outcomes: &Outcomes,
    decision: &DecisionArgs,
) -> String {
    let names = &outcomes.classes;
    let mut out = String::new();
    let _ = writeln!(out, "{} on {}", preset.name, data.source);
    let debris = names.get(outcomes.debris).map_or("?", String::as_str);
    let _ = writeln!(
        out,
        "{} samples, {} classes; debris: {debris}",
        outcomes.samples,
        names.len()
    );
    out.push('\n');
    let mut rows = vec![vec![
        "class".to_owned(),
        "weight".to_owned(),
        "trained with".to_owned(),
        "shift".to_owned(),
    ]];
    for (c, name) in names.iter().enumerate() {
        rows.push(vec![
            name.clone(),
            format!("{:?}", outcomes.weights[c]),
            format!("{:?}", outcomes.trained_with[c]),
            format!("{:.4}", outcomes.shift[c]),
        ]);
    }
    out.push_str(&aligned(&rows, 0..1));
    out.push_str(if decision.prior_correction {
        "shift: ln(weight / trained with) + ln(deployed share / training share), added to each logit before the argmax\n"
    } else {
        "shift: ln(weight / trained with), added to each logit before the argmax\n"
    });
    let current_title = match outcomes.decision {
        Decision::Weights => "at the current weights",
        Decision::Cost => "by the least expected cost (--decision cost)",
    };
    for (title, metrics) in [
        (current_title, &outcomes.current),
        ("at the trained-with weights (baseline)", &outcomes.baseline),
    ] {
        let _ = writeln!(out, "\nConfusion {title}; rows: truth, columns: predicted");
        out.push_str(&confusion_table(names, metrics));
    }
    out.push_str("\nPer class, current beside baseline\n");
    out.push_str(&per_class_table(names, outcomes));
    out.push('\n');
    out.push_str(&summary_table(&outcomes.current, &outcomes.baseline));
    if let (Some(current), Some(baseline)) =
        (&outcomes.current.deployed, &outcomes.baseline.deployed)
    {
        let _ = writeln!(
            out,
            "\nExpected among {DEPLOYED_SAMPLES:.0} deployed samples (the deployment prior), current beside baseline"
        );
        out.push_str(&deployed_table(names, outcomes.debris, current, baseline));
    }
    if let Some(cost) = &outcomes.cost {
        out.push_str(&cost_lines(names, outcomes.debris, cost));
    }
    out.push_str(&loss_lines(outcomes, preset.loss.convention));
    if let (Some(t), Some(before), Some(after)) = (
        outcomes.temperature,
        outcomes.ece_before,
        outcomes.ece_after,
    ) {
        let how = if decision
            .temperature
            .as_deref()
            .is_some_and(|flag| flag.trim() == "fit")
        {
            "fitted on the data"
        } else {
            "given"
        };
        let _ = writeln!(
            out,
            "\nTemperature {t:.4} ({how}): scores divided by it before the argmax\nExpected calibration error: {before:.4} at T = 1, {after:.4} at T = {t:.4}"
        );
    }
    out
}

/// The cost matrix, what each rule's decisions cost, and the weights closest to the matrix.
fn cost_lines(names: &[String], debris: usize, cost: &CostSummary) -> String {
    let mut out = String::from("\nCosts; rows: truth, columns: predicted (* the debris class)\n");
    let mut header = vec!["truth \\ predicted".to_owned()];
    header.extend(names.iter().cloned());
    let mut rows = vec![header];
    for (t, (name, values)) in names.iter().zip(&cost.matrix).enumerate() {
        let mark = if t == debris { "* " } else { "" };
        let mut row = vec![format!("{mark}{name}")];
        row.extend(values.iter().map(|v| format!("{v}")));
        rows.push(row);
    }
    out.push_str(&aligned(&rows, 0..1));
    let samples = if cost.mean > 0.0 {
        cost.total / cost.mean
    } else {
        0.0
    };
    let _ = writeln!(
        out,
        "Total cost of the decisions shown: {:.4} (mean {:.6} per sample over {samples:.0})",
        cost.total, cost.mean
    );
    if let Some(deployed) = cost.deployed {
        let _ = writeln!(
            out,
            "Expected cost among {DEPLOYED_SAMPLES:.0} deployed samples: {deployed:.4}"
        );
    }
    let _ = writeln!(
        out,
        "Total cost by rule: least expected cost {:.4}, current weights {:.4}, trained-with weights {:.4}",
        cost.cost_rule_total, cost.weights_total, cost.baseline_total
    );
    let list = |weights: &[f64]| {
        weights
            .iter()
            .map(|w| format!("{w:?}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    let agreement = format!(
        "{} of {samples:.0} samples ({:.2} %)",
        cost.agreeing_samples,
        100.0 * cost.agreement
    );
    match &cost.weights_equivalent {
        Some(weights) => {
            let _ = writeln!(
                out,
                "Every row is constant off the diagonal: the weights {} decide exactly as the costs \
                 (they agree on {agreement}).",
                list(weights)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "No class weights decide as these costs (a row is not constant off the diagonal). \
                 The nearest weights, {}, agree with the least expected cost on {agreement}.",
                list(&cost.nearest_weights)
            );
        }
    }
    match &cost.margins {
        Some(margins) if margins.iter().flatten().any(|&m| m != 0.0) => {
            let rows: Vec<String> = margins
                .iter()
                .map(|row| {
                    let cells: Vec<String> = row.iter().map(|m| format!("{m:.4}")).collect();
                    format!("[{}]", cells.join(", "))
                })
                .collect();
            let _ = writeln!(
                out,
                "With the nearest weights, these pairwise margins (the preset's `margins`) weigh each \
                 confusion in the loss by its cost (to 4 decimals; --format json has them in full): \
                 [{}]",
                rows.join(", ")
            );
        }
        Some(_) => {}
        None => {
            let _ = writeln!(
                out,
                "No pairwise margins weigh the loss by these costs: a mistake that costs 0 cannot be weighed down to nothing by a margin."
            );
        }
    }
    out
}

/// A confusion matrix with class names on both sides.
fn confusion_table(names: &[String], metrics: &Metrics) -> String {
    let mut header = vec!["truth \\ predicted".to_owned()];
    header.extend(names.iter().cloned());
    let mut rows = vec![header];
    for (name, counts) in names.iter().zip(metrics.confusion.rows()) {
        let mut row = vec![name.clone()];
        row.extend(counts.iter().map(u64::to_string));
        rows.push(row);
    }
    aligned(&rows, 0..1)
}

/// Precision, recall, F1 and the debris errors per class, each current beside baseline; the
/// debris row leaves its (always 0) debris errors out.
fn per_class_table(names: &[String], outcomes: &Outcomes) -> String {
    let mut rows = vec![
        [
            "class",
            "precision",
            "baseline",
            "recall",
            "baseline",
            "F1",
            "baseline",
            "FP from debris",
            "baseline",
            "FN to debris",
            "baseline",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    let (now, then) = (&outcomes.current, &outcomes.baseline);
    for (c, name) in names.iter().enumerate() {
        let mut row = vec![
            name.clone(),
            rounded(now.precision[c]),
            rounded(then.precision[c]),
            rounded(now.recall[c]),
            rounded(then.recall[c]),
            rounded(now.f1[c]),
            rounded(then.f1[c]),
        ];
        if c != outcomes.debris {
            row.extend([
                now.false_positives_from_debris[c].to_string(),
                then.false_positives_from_debris[c].to_string(),
                now.false_negatives_to_debris[c].to_string(),
                then.false_negatives_to_debris[c].to_string(),
            ]);
        }
        rows.push(row);
    }
    aligned(&rows, 0..1)
}

/// Accuracy, balanced accuracy and macro-F1, current beside baseline.
fn summary_table(current: &Metrics, baseline: &Metrics) -> String {
    let rows = [
        ["", "current", "baseline"].map(str::to_owned).to_vec(),
        vec![
            "accuracy".to_owned(),
            rounded(current.accuracy),
            rounded(baseline.accuracy),
        ],
        vec![
            "balanced accuracy".to_owned(),
            rounded(current.balanced_accuracy),
            rounded(baseline.balanced_accuracy),
        ],
        vec![
            "macro-F1".to_owned(),
            rounded(current.macro_f1),
            rounded(baseline.macro_f1),
        ],
    ];
    aligned(&rows, 0..1)
}

/// The deployed precision and debris errors per class, current beside baseline.
fn deployed_table(
    names: &[String],
    debris: usize,
    current: &Deployed,
    baseline: &Deployed,
) -> String {
    let mut rows = vec![
        [
            "class",
            "precision",
            "baseline",
            "FP from debris",
            "baseline",
            "FN to debris",
            "baseline",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for (c, name) in names.iter().enumerate() {
        let mut row = vec![
            name.clone(),
            rounded(current.precision[c]),
            rounded(baseline.precision[c]),
        ];
        if c != debris {
            row.extend(
                [
                    current.false_positives_from_debris[c],
                    baseline.false_positives_from_debris[c],
                    current.false_negatives_to_debris[c],
                    baseline.false_negatives_to_debris[c],
                ]
                .map(|count| format!("{count:.1}")),
            );
        }
        rows.push(row);
    }
    aligned(&rows, 0..1)
}

/// The batch loss of the scores, with `eval`'s three reductions.
fn loss_lines(outcomes: &Outcomes, convention: Convention) -> String {
    let loss = &outcomes.loss;
    let mut out = String::new();
    let convention = match convention {
        Convention::PyTorch => "",
        Convention::Keras => " (Keras' convention)",
    };
    let _ = writeln!(
        out,
        "\nLoss of the scores under the preset's weights and loss options{convention}, over {} samples:",
        outcomes.samples
    );
    let _ = writeln!(out, "  sum  = {:?}", loss.sum);
    let _ = match loss.mean {
        Some(mean) => writeln!(
            out,
            "  mean = {mean:?}  (sum / sum of the true classes' weights, as PyTorch)"
        ),
        None => writeln!(
            out,
            "  mean = undefined  (the true classes' weights sum to 0)"
        ),
    };
    if let Some(mean) = loss.mean_per_sample {
        let _ = writeln!(
            out,
            "  mean per sample = {mean:?}  (sum / number of samples, as Keras)"
        );
    }
    out
}
