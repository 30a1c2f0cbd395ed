//! The `weightbench` binary as a script calls it: outputs, exit codes and error messages.

mod export;
mod outcomes;
mod runs;
mod simulator;

use crate::common;

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

use common::{
    EXACT_BATCH_MEAN, EXACT_BATCH_MEAN_PER_SAMPLE, EXACT_BATCH_SUM, IDEAS, NOTEBOOK_CASES,
    assert_matches_printed, relative_error, ulps,
};
use serde_json::Value;

const NOTEBOOK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/presets/notebook.ron");

fn weightbench(args: &[&str]) -> Output {
    weightbench_with_stdin(args, "")
}

fn weightbench_with_stdin(args: &[&str], stdin: &str) -> Output {
    common::run_weightbench_with_stdin(args, stdin)
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Runs a failing command and returns its exit code and stderr; never a panic or backtrace.
fn failure(args: &[&str], stdin: &str) -> (i32, String) {
    let output = weightbench_with_stdin(args, stdin);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty(), "nothing on stdout when failing");
    (output.status.code().unwrap(), stderr)
}

fn temp_preset(text: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new().suffix(".ron").tempfile().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    file
}

#[test]
fn eval_json_reproduces_every_notebook_number() {
    let report: Value = serde_json::from_str(&stdout(&weightbench(&[
        "eval", NOTEBOOK, "--format", "json",
    ])))
    .unwrap();
    assert_eq!(report["preset"], "Notebook: rare objects in debris");
    assert_eq!(report["debris"], 3);
    assert_eq!(
        report["classes"][1],
        serde_json::json!({"name": "class2", "count": 10, "weight": 26.0})
    );
    let scenarios = report["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), NOTEBOOK_CASES.len());
    for (scenario, case) in scenarios.iter().zip(&NOTEBOOK_CASES) {
        let name = scenario["name"].as_str().unwrap();
        assert_eq!(scenario["truth"], case.truth);
        let logits: Vec<f64> = serde_json::from_value(scenario["logits"].clone()).unwrap();
        assert_eq!(logits, case.logits);
        let loss = scenario["loss"].as_f64().unwrap();
        assert!(
            relative_error(loss, case.printed_loss) < 1e-12,
            "{name}: {loss}"
        );
        // Shortest round-trip form: the JSON number is the core's f64 to the bit.
        assert!(
            relative_error(loss, case.exact_loss) < 1e-15,
            "{name}: {loss}"
        );
        let probabilities = scenario["probabilities"].as_array().unwrap();
        assert_eq!(
            probabilities.len(),
            case.printed_probabilities.len(),
            "{name}"
        );
        for (p, printed) in probabilities.iter().zip(case.printed_probabilities) {
            assert_matches_printed(p.as_f64().unwrap(), printed, name);
        }
        let gradient: Vec<f64> = serde_json::from_value(scenario["gradient"].clone()).unwrap();
        assert_eq!(gradient.len(), case.exact_gradient.len(), "{name}");
        for (g, exact) in gradient.iter().zip(case.exact_gradient) {
            assert!(
                relative_error(*g, exact) < 1e-14,
                "{name}: gradient {g} vs {exact}"
            );
        }
    }
    assert_eq!(
        scenarios[9]["predicted"], 0,
        "case 10: debris predicted as class1"
    );
    assert!(relative_error(report["batch"]["mean"].as_f64().unwrap(), EXACT_BATCH_MEAN) < 1e-14);
}

#[test]
fn eval_json_mean_is_null_when_its_denominator_is_zero() {
    let text = std::fs::read_to_string(NOTEBOOK)
        .unwrap()
        .replace("weight: 0.4", "weight: 0.0");
    // Only the two debris cases, whose weight is now 0.
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("truth: 0") && !l.contains("truth: 1") && !l.contains("truth: 2"))
        .collect();
    let report: Value = serde_json::from_str(&stdout(&weightbench_with_stdin(
        &["eval", "-", "--format", "json"],
        &lines.join("\n"),
    )))
    .unwrap();
    assert_eq!(report["scenarios"].as_array().unwrap().len(), 3);
    assert_eq!(report["batch"]["sum"], 0.0);
    assert_eq!(report["batch"]["mean"], Value::Null);
}

#[test]
fn eval_table_is_aligned_and_readable() {
    let table = stdout(&weightbench(&["eval", NOTEBOOK]));
    assert!(
        table.starts_with("Notebook: rare objects in debris\n"),
        "{table}"
    );
    let row = table.lines().find(|l| l.contains("case 11:")).unwrap();
    assert!(
        row.contains("class4 (debris)  class1"),
        "truth then predicted: {row}"
    );
    assert!(row.contains("9.998495e-01"), "{row}");
    assert!(row.ends_with("3.9600602050874247"), "{row}");
    let header = table.lines().find(|l| l.contains("scenario")).unwrap();
    let loss_column = header.find("loss").unwrap() + "loss".len();
    for line in table.lines().filter(|l| l.contains("case ")) {
        assert_eq!(
            line.len(),
            loss_column,
            "right-aligned loss column: {line:?}"
        );
    }
    assert!(table.contains("sum  = 6.88148457695385"), "{table}");
    assert!(table.contains("mean = 0.19115234935982"), "{table}");
}

#[test]
fn eval_csv_has_a_header_and_one_row_per_scenario() {
    let csv = stdout(&weightbench(&["eval", NOTEBOOK, "--format", "csv"]));
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "scenario,truth,predicted,p_class1,p_class2,p_class3,p_class4 (debris),loss,\
         gradient_class1,gradient_class2,gradient_class3,gradient_class4 (debris)"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 11);
    // The name holds a comma, so it is quoted (RFC 4180); the numbers follow it.
    let (name, numbers) = rows[10].rsplit_once("\",").unwrap();
    assert_eq!(name, "\"case 11: debris called class1, confident");
    let fields: Vec<&str> = numbers.split(',').collect();
    assert_eq!(fields.len(), 2 + 4 + 1 + 4);
    assert_eq!(&fields[..3], ["3", "0", "0.99984949860791"]);
    assert_eq!(fields[6], "3.9600602050874247");
}

/// The notebook batch's PyTorch mean at debris weight `v`, from the exact losses: the debris
/// cases' (4, 10 and 11) scale with v / 0.4, and the true classes' weights sum to
/// 6 × 0.8 + 26 + 4 + 3 v.
fn exact_batch_mean_at(v: f64) -> f64 {
    let debris_losses: f64 = [3, 9, 10]
        .iter()
        .map(|&i| NOTEBOOK_CASES[i].exact_loss)
        .sum();
    (EXACT_BATCH_SUM - debris_losses + v / 0.4 * debris_losses) / (34.8 + 3.0 * v)
}

#[test]
fn sweep_reproduces_the_ideas_cells() {
    let report: Value = serde_json::from_str(&stdout(&weightbench(&[
        "sweep", NOTEBOOK, "--format", "json",
    ])))
    .unwrap();
    let grid: Vec<f64> = serde_json::from_value(report["debris_weight"].clone()).unwrap();
    assert_eq!(grid.len(), 201);
    assert_eq!((grid[0], grid[200]), (0.0, 2.0));
    let case_11 = &report["scenarios"][10];
    assert_eq!(case_11["name"], "case 11: debris called class1, confident");
    for (debris_weight, printed) in IDEAS {
        let point = grid.iter().position(|&w| w == debris_weight).unwrap();
        let loss = case_11["loss"][point].as_f64().unwrap();
        assert!(
            relative_error(loss, printed) < 1e-12,
            "{debris_weight}: {loss}"
        );
    }
    assert_eq!(report["batch_mean"].as_array().unwrap().len(), 201);
    let batch_mean: Vec<f64> = serde_json::from_value(report["batch_mean"].clone()).unwrap();
    assert_eq!(batch_mean.len(), grid.len());
    for (&v, &mean) in grid.iter().zip(&batch_mean) {
        let expected = exact_batch_mean_at(v);
        assert!(
            relative_error(mean, expected) < 1e-12,
            "at debris weight {v}: {mean} vs {expected}"
        );
    }
    let at_0_4 = grid.iter().position(|&w| w == 0.4).unwrap();
    assert!(relative_error(batch_mean[at_0_4], EXACT_BATCH_MEAN) < 1e-14);
}

#[test]
fn sweep_csv_takes_the_grid_from_flags() {
    let csv = stdout(&weightbench(&[
        "sweep", NOTEBOOK, "--from", "0.8", "--to", "1", "--steps", "2",
    ]));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[0].starts_with("debris_weight,\"case 1: class1 right, confident\","),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with(",batch_mean"));
    let at = |line: &str| -> Vec<f64> { line.split(',').map(|f| f.parse().unwrap()).collect() };
    let (low, high) = (at(lines[1]), at(lines[2]));
    assert_eq!(
        (low.len(), high.len()),
        (13, 13),
        "debris weight, 11 scenarios, batch mean"
    );
    assert_eq!((low[0], high[0]), (0.8, 1.0));
    assert!(relative_error(low[11], IDEAS[1].1) < 1e-12);
    assert!(relative_error(high[11], IDEAS[0].1) < 1e-12);
    assert!(relative_error(low[12], exact_batch_mean_at(0.8)) < 1e-12);
    assert!(relative_error(high[12], exact_batch_mean_at(1.0)) < 1e-12);
    // Class weights other than debris are held: case 1 does not move.
    assert_eq!(low[1], high[1]);
}

#[test]
fn a_preset_on_standard_input() {
    let text = std::fs::read_to_string(NOTEBOOK).unwrap();
    let report: Value = serde_json::from_str(&stdout(&weightbench_with_stdin(
        &["eval", "-", "--format", "json"],
        &text,
    )))
    .unwrap();
    assert_eq!(report["scenarios"].as_array().unwrap().len(), 11);
    let from_file: Value = serde_json::from_str(&stdout(&weightbench(&[
        "eval", NOTEBOOK, "--format", "json",
    ])))
    .unwrap();
    assert_eq!(report, from_file, "the same report as from the file");
}

#[test]
fn a_missing_file_is_exit_1_naming_it() {
    let (code, stderr) = failure(&["eval", "/nonexistent/preset.ron"], "");
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("weightbench: cannot read /nonexistent/preset.ron: "),
        "{stderr}"
    );
}

#[test]
fn a_syntax_error_is_exit_2_with_line_and_column() {
    let file = temp_preset("(\n    version: 1,\n    name: \"x\"\n    classes: [],\n)");
    let (code, stderr) = failure(&["eval", file.path().to_str().unwrap()], "");
    assert_eq!(code, 2);
    let expected = format!("weightbench: {}:4:", file.path().display());
    assert!(stderr.starts_with(&expected), "{stderr}");
    // The comma missing after `name: "x"`, where `classes` starts.
    assert_eq!(
        stderr.trim_end(),
        format!("weightbench: {}:4:5: Expected comma", file.path().display())
    );
}

#[test]
fn a_wrong_logits_length_is_exit_2_naming_the_scenario() {
    let text = std::fs::read_to_string(NOTEBOOK)
        .unwrap()
        .replace("[10.0, 8.0, 5.0, 5.0]", "[10.0, 8.0, 5.0]");
    let (code, stderr) = failure(&["sweep", "-"], &text);
    assert_eq!(code, 2);
    assert_eq!(
        stderr.trim_end(),
        "weightbench: <stdin>: scenarios[7] \"case 8: class1 right, every other class up\": logits has 3 entries, expected 4 (one per class)"
    );
}

#[test]
fn a_newer_version_is_exit_2_saying_so() {
    let text = std::fs::read_to_string(NOTEBOOK)
        .unwrap()
        .replace("version: 1", "version: 7");
    let (code, stderr) = failure(&["eval", "-", "--format", "json"], &text);
    assert_eq!(code, 2);
    assert!(
        stderr
            .contains("<stdin>: preset version 7 is newer than this weightbench reads (version 1)"),
        "{stderr}"
    );
}

#[test]
fn bad_flags_are_exit_2_naming_the_flag() {
    let (code, stderr) = failure(&["sweep", NOTEBOOK, "--steps", "1"], "");
    assert_eq!(
        (code, stderr.trim_end()),
        (2, "weightbench: --steps: 1, expected 2 to 100000")
    );
    let (code, stderr) = failure(&["sweep", NOTEBOOK, "--from", "-1"], "");
    assert_eq!(code, 2);
    assert!(stderr.contains("--from: -1 is not a weight"), "{stderr}");
    let (code, stderr) = failure(&["eval", NOTEBOOK, "--format", "xml"], "");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("invalid value 'xml' for '--format"),
        "{stderr}"
    );
    let (code, stderr) = failure(&["eval"], "");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("the following required arguments were not provided:\n  <PRESET>"),
        "{stderr}"
    );
}

#[test]
fn the_window_refuses_a_bad_file_before_opening() {
    let file = temp_preset(
        "(version: 1, name: \"x\", debris: 0, classes: [(name: \"a\", count: 1, weight: 1.0)])",
    );
    let (code, stderr) = failure(&[file.path().to_str().unwrap()], "");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("classes: 1 given, expected at least 2"),
        "{stderr}"
    );
    let (code, stderr) = failure(&["/nonexistent/preset.ron"], "");
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("weightbench: cannot read /nonexistent/preset.ron: "),
        "{stderr}"
    );
}

#[test]
fn weights_from_counts_as_table_and_json() {
    let report: Value = serde_json::from_str(&stdout(&weightbench(&[
        "weights", "--counts", "2,4", "--scheme", "inverse", "--format", "json",
    ])))
    .unwrap();
    assert_eq!(
        report,
        serde_json::json!({"scheme": "inverse", "weights": [1.5, 0.75]})
    );
    let table = stdout(&weightbench(&["weights", NOTEBOOK, "--scheme", "median"]));
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("class2 ") && l.ends_with(" 15.8")),
        "{table}"
    );
    let report: Value = serde_json::from_str(&stdout(&weightbench(&[
        "weights",
        NOTEBOOK,
        "--scheme",
        "sqrt",
        "--normalize",
        "max",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(
        report["weights"][1], 1.0,
        "class2 is the rarest: the largest weight, 1"
    );
    // sqrt(1 / n_c) divided by its largest, sqrt(1 / 10): sqrt(10 / n_c).
    let weights: Vec<f64> = serde_json::from_value(report["weights"].clone()).unwrap();
    let expected = [10.0f64 / 260.0, 1.0, 10.0 / 56.0, 10.0 / 500.0].map(f64::sqrt);
    assert_eq!(weights.len(), expected.len());
    for (w, e) in weights.iter().zip(expected) {
        assert!(relative_error(*w, e) < 1e-15, "{weights:?} vs {expected:?}");
    }
}

#[test]
fn weights_write_saves_a_copy_of_the_preset() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("balanced.ron");
    stdout(&weightbench(&[
        "weights",
        NOTEBOOK,
        "--scheme",
        "inverse",
        "--write",
        out.to_str().unwrap(),
    ]));
    let copy = weightbench::core::load_preset(&out).unwrap();
    assert_eq!(copy.weights(), [0.7942307692307692, 20.65, 3.6875, 0.413]);
    assert_eq!(copy.scenarios.len(), 11, "everything else is kept");
}

#[test]
fn weights_errors_name_their_source() {
    let (code, stderr) = failure(&["weights", "--counts", "5,0", "--scheme", "inverse"], "");
    assert_eq!(
        (code, stderr.trim_end()),
        (
            2,
            "weightbench: --counts: counts[1] is 0; the inverse scheme divides by it, expected a count >= 1"
        )
    );
    let (code, stderr) = failure(
        &[
            "weights",
            "--counts",
            "5,1",
            "--scheme",
            "effective",
            "--beta",
            "1.5",
        ],
        "",
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("--beta: beta is 1.5"), "{stderr}");
    let (code, stderr) = failure(
        &[
            "weights", "--counts", "5,1", "--scheme", "inverse", "--write", "x.ron",
        ],
        "",
    );
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("weightbench: --write: needs a PRESET to copy"),
        "{stderr}"
    );
}

#[test]
fn eval_json_reports_all_three_reductions() {
    let report: Value = serde_json::from_str(&stdout(&weightbench(&[
        "eval", NOTEBOOK, "--format", "json",
    ])))
    .unwrap();
    let batch = &report["batch"];
    let keys: Vec<&str> = batch
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["mean", "mean_per_sample", "sum"], "{batch}");
    let (sum, mean_per_sample) = (
        batch["sum"].as_f64().unwrap(),
        batch["mean_per_sample"].as_f64().unwrap(),
    );
    assert!(relative_error(mean_per_sample, sum / 11.0) < 1e-15);
    // Each within 4 ulps (under 1e-15 relative) of its mpmath value: the sum of the 11 losses,
    // PyTorch's mean (divided by the true classes' weights, 36) and Keras' (divided by 11).
    for (reduction, exact) in [
        ("sum", EXACT_BATCH_SUM),
        ("mean", EXACT_BATCH_MEAN),
        ("mean_per_sample", EXACT_BATCH_MEAN_PER_SAMPLE),
    ] {
        let value = batch[reduction].as_f64().unwrap();
        assert!(
            ulps(value, exact) <= 4,
            "{reduction}: {value:e} is {} ulps from the exact {exact:e}",
            ulps(value, exact)
        );
    }
}

#[test]
fn eval_uses_the_presets_loss_options() {
    let text = std::fs::read_to_string(NOTEBOOK).unwrap().replace(
        "sweep: (from: 0.0, to: 2.0, steps: 201),",
        "sweep: (from: 0.0, to: 2.0, steps: 201),\n    loss: (label_smoothing: 0.1),",
    );
    let report: Value = serde_json::from_str(&stdout(&weightbench_with_stdin(
        &["eval", "-", "--format", "json"],
        &text,
    )))
    .unwrap();
    let loss = report["scenarios"][10]["loss"].as_f64().unwrap();
    assert!(relative_error(loss, 11.08817158449916) < 1e-13, "{loss}");
}

#[test]
fn penalties_json_has_the_matrix_and_its_count_weighted_twin() {
    let report: Value = serde_json::from_str(&stdout(&weightbench(&[
        "penalties",
        NOTEBOOK,
        "--confidence",
        "0.9",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(report["confidence"], 0.9);
    assert_eq!(
        report["classes"],
        serde_json::json!(["class1", "class2", "class3", "class4 (debris)"])
    );
    let debris_called_class2 = report["matrix"][3][1].as_f64().unwrap();
    assert!(relative_error(debris_called_class2, -0.4 * (0.1f64 / 3.0).ln()) < 1e-12);
    let weighted = report["count_weighted"][3][1].as_f64().unwrap();
    assert!(relative_error(weighted, 500.0 * debris_called_class2) < 1e-12);
    // Every cell: a class-t sample called k costs -w_t ln 0.9 on the diagonal and
    // -w_t ln(0.1 / 3) off it; the count-weighted twin is n_t times that.
    let (weights, counts) = ([0.8, 26.0, 4.0, 0.4], [260.0, 10.0, 56.0, 500.0]);
    let matrix: Vec<Vec<f64>> = serde_json::from_value(report["matrix"].clone()).unwrap();
    let count_weighted: Vec<Vec<f64>> =
        serde_json::from_value(report["count_weighted"].clone()).unwrap();
    assert_eq!((matrix.len(), count_weighted.len()), (4, 4));
    for t in 0..4 {
        assert_eq!(
            (matrix[t].len(), count_weighted[t].len()),
            (4, 4),
            "row {t}"
        );
        for k in 0..4 {
            let p = if t == k { 0.9f64 } else { 0.1 / 3.0 };
            let expected = -weights[t] * p.ln();
            assert!(
                relative_error(matrix[t][k], expected) < 1e-12,
                "({t}, {k}): {} vs {expected}",
                matrix[t][k]
            );
            let expected = counts[t] * expected;
            assert!(
                relative_error(count_weighted[t][k], expected) < 1e-12,
                "count-weighted ({t}, {k}): {} vs {expected}",
                count_weighted[t][k]
            );
        }
    }
    let table = stdout(&weightbench(&["penalties", NOTEBOOK]));
    assert!(
        table.contains("Every row is constant off the diagonal"),
        "{table}"
    );
    let (code, stderr) = failure(&["penalties", NOTEBOOK, "--confidence", "1"], "");
    assert_eq!(
        (code, stderr.trim_end()),
        (
            2,
            "weightbench: --confidence: 1, expected a probability strictly between 0 and 1"
        )
    );
}
