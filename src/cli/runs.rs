//! `weightbench runs`: the user's retrains at their own weights, the estimate between them with
//! its band, how far a single preview missed on them, and where to retrain next.

use std::fmt::Write as _;
use std::io::Read;
use std::path::PathBuf;

use super::grid::GridArgs;
use super::text::{aligned, csv_row, pretty_json, rounded};
use super::{CliError, read_preset};
use crate::core::outcomes::Objective;
use crate::core::outcomes::costs::CostMatrix;
use crate::core::outcomes::runs::preview_error::factor_text;
use crate::core::outcomes::runs::{
    PreparedRun, RunError, RunSet, RunSetBuilder, RunsReport, list_runs, read_run, read_run_info,
};
use crate::core::preset::Preset;

/// The arguments of `runs`.
#[derive(Debug, clap::Args)]
#[command(
    mut_arg("from", |arg| arg.conflicts_with("at")),
    mut_arg("to", |arg| arg.conflicts_with("at")),
    mut_arg("steps", |arg| arg.conflicts_with("at")),
)]
pub struct Args {
    /// Run files (.npz or .safetensors with `class_weights`; .csv or .npy with a sidecar
    /// RUN.json) or folders of them
    #[arg(required = true, value_name = "RUN")]
    pub runs: Vec<PathBuf>,
    /// The preset (`-` reads standard input): the classes, the debris class, and the weights
    /// the estimate holds while the debris weight moves
    #[arg(long, value_name = "PRESET")]
    pub preset: String,
    /// The grid of debris weights: `--from`, `--to`, `--steps`.
    #[command(flatten)]
    pub grid: GridArgs,
    /// Debris weights to estimate at instead of a grid, comma-separated: `--at 0.1,0.4,3.2`
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "W1,W2,..",
        allow_negative_numbers = true
    )]
    pub at: Option<Vec<f64>>,
    /// What the weight suggested for the next retrain should score best on, by the estimate
    #[arg(long, value_enum, default_value_t = Objective::BalancedAccuracy)]
    pub objective: Objective,
    /// Output format
    #[arg(long, value_enum, default_value_t = RunsFormat::Table)]
    pub format: RunsFormat,
}

/// Output formats of `runs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RunsFormat {
    /// A report for reading.
    Table,
    /// JSON, numbers in shortest round-trip form (the contract in DESIGN.md).
    Json,
    /// CSV, one row per debris weight: the estimate and its band per class.
    Csv,
}

/// Reads the runs, estimates along the grid and returns the report in the chosen format.
///
/// # Errors
/// A bad flag, an unreadable file (exit 1), a run without `class_weights`, runs of different
/// validation sets, or anything invalid in the preset or the files (exit 2).
pub fn run(args: &Args, stdin: impl Read) -> Result<String, CliError> {
    let (preset, _) = read_preset(&args.preset, stdin)?;
    let debris_weights = match &args.at {
        Some(weights) => {
            if let Some(bad) = weights.iter().find(|w| !(w.is_finite() && **w >= 0.0)) {
                return Err(CliError::BadFlag(format!(
                    "--at: {bad} is not a debris weight; expected finite numbers >= 0"
                )));
            }
            weights.clone()
        }
        None => args.grid.validated(&preset.sweep)?.grid(),
    };
    let costs = CostMatrix::new(&preset.costs, preset.classes.len()).ok();
    if args.objective == Objective::MinCost && costs.is_none() {
        return Err(CliError::BadFlag(
            "--objective min-cost: needs a cost matrix; add `costs: [[..]]` (rows truth, columns predicted) to the preset".to_owned(),
        ));
    }
    let set = read_set(&args.runs, &preset)?;
    let report = RunsReport::of(&set, &debris_weights, args.objective, costs.as_ref());
    Ok(match args.format {
        RunsFormat::Json => pretty_json(&report),
        RunsFormat::Csv => csv(&preset, &report),
        RunsFormat::Table => table(&preset, &set, &report),
    })
}

/// Reads every run of `paths` (files and folders) into a set holding `preset`'s weights: the
/// first run, then the others on two threads, each run's outputs dropped once its sweeps are
/// built (so at most three runs' outputs are in memory at once); the set is the same whatever
/// the threads' timing.
///
/// # Errors
/// As [`list_runs`], [`read_run_info`], [`read_run`] and [`RunSetBuilder::add`]; the first
/// error in the runs' order.
pub fn read_set(paths: &[PathBuf], preset: &Preset) -> Result<RunSet, RunError> {
    let files = list_runs(paths)?;
    let names: Vec<String> = preset.classes.iter().map(|c| c.name.clone()).collect();
    let planned = files
        .iter()
        .map(|file| read_run_info(file, names.len()).map(|info| info.weights))
        .collect::<Result<Vec<_>, _>>()?;
    let weights: Vec<f64> = preset.classes.iter().map(|c| c.weight).collect();
    let mut builder = RunSetBuilder::new(&weights, preset.debris, &planned);
    let Some((first, rest)) = files.split_first() else {
        return Ok(builder.finish());
    };
    let (info, data) = read_run(first, &names, &mut |_| true)?;
    builder.add(info, &data)?;
    drop(data);
    let prepare = |file: &PathBuf| -> Result<PreparedRun, RunError> {
        let (info, data) = read_run(file, &names, &mut |_| true)?;
        builder.prepare(info, &data)
    };
    let mut prepared: Vec<Option<Result<PreparedRun, RunError>>> = Vec::new();
    prepared.resize_with(rest.len(), || None);
    std::thread::scope(|scope| {
        let (odd, even): (Vec<_>, Vec<_>) = prepared
            .iter_mut()
            .zip(rest)
            .enumerate()
            .partition(|(index, _)| index % 2 == 1);
        let worker = std::thread::Builder::new()
            .name("read-runs".to_owned())
            .spawn_scoped(scope, || {
                for (_, (slot, file)) in odd {
                    *slot = Some(prepare(file));
                }
            });
        for (_, (slot, file)) in even {
            *slot = Some(prepare(file));
        }
        if let Ok(worker) = worker {
            let _ = worker.join();
        }
    });
    // A slot left empty: the second thread could not start, so read the run here.
    let prepared: Vec<Result<PreparedRun, RunError>> = prepared
        .into_iter()
        .zip(rest)
        .map(|(slot, file)| slot.unwrap_or_else(|| prepare(file)))
        .collect();
    for run in prepared {
        builder.push(run?);
    }
    Ok(builder.finish())
}

/// A count for reading: one decimal.
fn count(value: f64) -> String {
    format!("{value:.1}")
}

/// One row per debris weight: the weight, then per class other than debris the estimated
/// false positives from debris with the band's low and high, then the same for the false
/// negatives to debris.
fn csv(preset: &Preset, report: &RunsReport) -> String {
    let rare: Vec<usize> = (0..preset.classes.len())
        .filter(|&c| c != preset.debris)
        .collect();
    let name = |c: usize| preset.classes[c].name.as_str();
    let mut header = vec!["debris_weight".to_owned()];
    for what in ["fp_from_debris", "fn_to_debris"] {
        for &c in &rare {
            header.push(format!("{what}_{}", name(c)));
            header.push(format!("{what}_{}_low", name(c)));
            header.push(format!("{what}_{}_high", name(c)));
        }
    }
    let mut out = csv_row(header);
    let estimate = &report.estimate;
    for (i, weight) in estimate.debris_weight.iter().enumerate() {
        let mut row = vec![format!("{weight:?}")];
        for (mean, low, high) in [
            (
                &estimate.false_positives_from_debris,
                &estimate.low.false_positives_from_debris,
                &estimate.high.false_positives_from_debris,
            ),
            (
                &estimate.false_negatives_to_debris,
                &estimate.low.false_negatives_to_debris,
                &estimate.high.false_negatives_to_debris,
            ),
        ] {
            for &c in &rare {
                row.extend([mean[i][c], low[i][c], high[i][c]].map(|v| format!("{v:?}")));
            }
        }
        out.push_str(&csv_row(row));
    }
    out
}

/// The report for a person: the runs, the estimate with its band, the preview's error on the
/// runs and where to retrain next.
fn table(preset: &Preset, set: &RunSet, report: &RunsReport) -> String {
    let debris = preset.debris;
    let rare: Vec<usize> = (0..preset.classes.len()).filter(|&c| c != debris).collect();
    let name = |c: usize| preset.classes[c].name.clone();
    let mut out = String::new();
    let samples = report.runs.first().map_or(0, |r| r.samples);
    let _ = writeln!(
        out,
        "{}: {} runs ({} sets of weights) on {samples} validation samples; debris: {}",
        preset.name,
        report.runs.len(),
        set.groups().len(),
        name(debris)
    );
    let _ = writeln!(out, "\nRuns at their own weights");
    let mut header = vec![
        "file".to_owned(),
        "seed".to_owned(),
        "epoch".to_owned(),
        "debris weight".to_owned(),
        "FP from debris".to_owned(),
        "FN to debris".to_owned(),
    ];
    header.extend(rare.iter().map(|&c| format!("recall {}", name(c))));
    let mut rows = vec![header];
    for run in &report.runs {
        let optional = |v: Option<i64>| v.map_or_else(|| "-".to_owned(), |v| v.to_string());
        let mut row = vec![
            run.file.clone(),
            optional(run.seed),
            optional(run.epoch),
            format!("{:?}", run.weights[debris]),
            run.false_positives_from_debris
                .iter()
                .sum::<u64>()
                .to_string(),
            run.false_negatives_to_debris
                .iter()
                .sum::<u64>()
                .to_string(),
        ];
        row.extend(rare.iter().map(|&c| rounded(run.recall[c])));
        rows.push(row);
    }
    out.push_str(&aligned(&rows, 0..1));
    let _ = writeln!(
        out,
        "\nEstimate between the runs (summed over classes; every weight but debris held at the preset's)"
    );
    let mut rows = vec![vec![
        "debris weight".to_owned(),
        "FP from debris".to_owned(),
        "band".to_owned(),
        "FN to debris".to_owned(),
        "band".to_owned(),
    ]];
    let estimate = &report.estimate;
    for (i, weight) in estimate.debris_weight.iter().enumerate() {
        let sum = |rows: &Vec<Vec<f64>>| rows[i].iter().sum::<f64>();
        rows.push(vec![
            format!("{weight:?}"),
            count(sum(&estimate.false_positives_from_debris)),
            format!(
                "{}-{}",
                count(sum(&estimate.low.false_positives_from_debris)),
                count(sum(&estimate.high.false_positives_from_debris))
            ),
            count(sum(&estimate.false_negatives_to_debris)),
            format!(
                "{}-{}",
                count(sum(&estimate.low.false_negatives_to_debris)),
                count(sum(&estimate.high.false_negatives_to_debris))
            ),
        ]);
    }
    out.push_str(&aligned(&rows, 0..0));
    let _ = writeln!(out, "\nHow far a preview missed on these runs");
    let error = &report.preview_error;
    if !error.pairs.is_empty() {
        let percent =
            |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{:.0} %", v * 100.0));
        let mut rows = vec![vec![
            "from debris weight".to_owned(),
            "to".to_owned(),
            "apart".to_owned(),
            "FP missed by".to_owned(),
            "FN missed by".to_owned(),
        ]];
        for pair in &error.pairs {
            rows.push(vec![
                format!("{:?}", pair.from_debris_weight),
                format!("{:?}", pair.to_debris_weight),
                factor_text(pair.factor),
                percent(pair.false_positives_from_debris),
                percent(pair.false_negatives_to_debris),
            ]);
        }
        for blend in &error.blended {
            rows.push(vec![
                format!("blend {:?}+{:?}", blend.between[0], blend.between[1]),
                format!("{:?}", blend.debris_weight),
                "-".to_owned(),
                percent(blend.false_positives_from_debris),
                percent(blend.false_negatives_to_debris),
            ]);
        }
        out.push_str(&aligned(&rows, 0..0));
    }
    let _ = writeln!(out, "{}", error.sentence);
    let _ = writeln!(out, "\nWhere to retrain next");
    let _ = writeln!(
        out,
        "for {}: {}",
        report.next.objective_name.name(),
        report.next.why.objective
    );
    let _ = writeln!(out, "to learn the most: {}", report.next.why.widest_band);
    out
}
