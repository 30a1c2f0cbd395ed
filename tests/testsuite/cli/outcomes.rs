//! `weightbench outcomes`, `outcomes --sweep` and `tune` as a script calls them: outputs
//! checked against values derived by hand from tiny files, exit codes and error messages, and
//! the examples in docs/cli.md byte for byte.

mod costs;
mod refusals;

use crate::common;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde_json::json;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn temp_file(suffix: &str, text: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new().suffix(suffix).tempfile().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    file
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The numpy-written fixture: 6 x 4 float32 logits `(4i + c) / 8 - 1`, labels 0, 1, 2, 3, 3, 1.
fn stored_npz() -> String {
    format!("{ROOT}/tests/data/stored.npz")
}

fn notebook() -> String {
    format!("{ROOT}/presets/notebook.ron")
}

/// Eight samples whose decisions move with the debris weight. With the weights of
/// [`SMALL_PRESET`] (debris 2) against trained-with weights 1, the debris logit gains ln 2 =
/// 0.693:
///
/// | row | label  | logits a, b, c, debris | baseline (shift 0) | current (debris + 0.693) |
/// |-----|--------|------------------------|--------------------|--------------------------|
/// | 0   | a      | 3, 0, 0, 2.5           | a                  | debris (3.193 > 3)       |
/// | 1   | b      | 0, 2, 0, 0             | b                  | b                        |
/// | 2   | c      | 0, 0, 2, 1             | c                  | c (1.693 < 2)            |
/// | 3   | debris | 1, 0, 0, 0             | a                  | a (0.693 < 1)            |
/// | 4   | debris | 0, 1, 0, 0.5           | b                  | debris (1.193 > 1)       |
/// | 5   | debris | 0, 0, 0, 0             | a (tie: lowest)    | debris                   |
/// | 6   | a      | 0, 0, 1, 0             | c                  | c                        |
/// | 7   | debris | 0, 0, 0, 3             | debris             | debris                   |
const SMALL_CSV: &str = "label,a,b,c,debris
0,3,0,0,2.5
1,0,2,0,0
2,0,0,2,1
3,1,0,0,0
3,0,1,0,0.5
3,0,0,0,0
0,0,0,1,0
3,0,0,0,3
";

const SMALL_PRESET: &str = r#"(
    version: 1,
    name: "small",
    classes: [
        (name: "a", count: 2, weight: 1.0),
        (name: "b", count: 1, weight: 1.0),
        (name: "c", count: 1, weight: 1.0),
        (name: "debris", count: 4, weight: 2.0),
    ],
    debris: 3,
    sweep: (from: 0.0, to: 2.0, steps: 3),
)"#;

/// The small CSV and its preset, kept alive while the test runs.
struct Small {
    csv: tempfile::NamedTempFile,
    preset: tempfile::NamedTempFile,
}

impl Small {
    fn new() -> Self {
        Self {
            csv: temp_file(".csv", SMALL_CSV),
            preset: temp_file(".ron", SMALL_PRESET),
        }
    }

    fn csv(&self) -> &str {
        path_str(self.csv.path())
    }

    fn preset(&self) -> &str {
        path_str(self.preset.path())
    }

    /// `COMMAND CSV --preset PRESET --trained-with 1,1,1,1 EXTRA...`
    fn args<'a>(&'a self, command: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
        let mut args = vec![
            command,
            self.csv(),
            "--preset",
            self.preset(),
            "--trained-with",
            "1,1,1,1",
        ];
        args.extend_from_slice(extra);
        args
    }
}

/// `-w_y ln softmax(z)_y` summed over `rows`, the textbook way.
fn textbook_loss_sum(rows: &[([f64; 4], usize)], weights: [f64; 4]) -> f64 {
    rows.iter()
        .map(|(z, y)| {
            let log_partition = z.iter().map(|v| v.exp()).sum::<f64>().ln();
            weights[*y] * (log_partition - z[*y])
        })
        .sum()
}

fn relative_error(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

#[test]
fn outcomes_json_on_the_numpy_fixture_matches_the_hand_count() {
    let report = common::json_of(&[
        "outcomes",
        &stored_npz(),
        "--preset",
        &notebook(),
        "--format",
        "json",
    ]);
    // Every row is z_c = base + c/8: the debris logit (c = 3) is always the largest, and the
    // notebook has no validation block, so trained-with = weights, the shift is 0 and every
    // sample is called debris. Labels 0, 1, 2, 3, 3, 1 give the rows of the confusion matrix.
    let confusion = json!([[0, 0, 0, 1], [0, 0, 0, 2], [0, 0, 0, 1], [0, 0, 0, 2]]);
    let expected_metrics = json!({
        "confusion": confusion,
        // Classes 0-2 never predicted: undefined; debris: 2 right of 6 called.
        "precision": [null, null, null, 2.0 / 6.0],
        "recall": [0.0, 0.0, 0.0, 1.0],
        // 2 tp / (support 2 + predicted 6).
        "f1": [null, null, null, 0.5],
        "accuracy": 2.0 / 6.0,
        // Mean recall over the four classes present.
        "balanced_accuracy": 0.25,
        // Undefined F1s count 0: (0 + 0 + 0 + 0.5) / 4.
        "macro_f1": 0.125,
        "false_positives_from_debris": [0, 0, 0, 0],
        // Column 3 of rows 0-2.
        "false_negatives_to_debris": [1, 2, 1, 0],
    });
    assert_eq!(report["samples"], 6);
    assert_eq!(
        report["classes"],
        json!(["class1", "class2", "class3", "class4 (debris)"])
    );
    assert_eq!(report["debris"], 3);
    assert_eq!(report["weights"], json!([0.8, 26.0, 4.0, 0.4]));
    assert_eq!(report["trained_with"], json!([0.8, 26.0, 4.0, 0.4]));
    assert_eq!(report["shift"], json!([0.0, 0.0, 0.0, 0.0]));
    assert_eq!(report["current"], expected_metrics);
    assert_eq!(report["baseline"], expected_metrics);
    // No temperature, no deployment prior: their keys are left out.
    for key in ["temperature", "ece_before", "ece_after"] {
        assert!(report.get(key).is_none(), "{key}");
    }
    assert!(report["current"].get("deployed").is_none());

    let rows: Vec<([f64; 4], usize)> = [0, 1, 2, 3, 3, 1]
        .into_iter()
        .enumerate()
        .map(|(i, label)| {
            let z = std::array::from_fn(|c| (4 * i + c) as f64 / 8.0 - 1.0);
            (z, label)
        })
        .collect();
    let weights = [0.8, 26.0, 4.0, 0.4];
    let sum = textbook_loss_sum(&rows, weights);
    let weight_sum: f64 = rows.iter().map(|(_, y)| weights[*y]).sum();
    let loss = &report["loss"];
    assert!(relative_error(loss["sum"].as_f64().unwrap(), sum) < 1e-13);
    assert!(relative_error(loss["mean"].as_f64().unwrap(), sum / weight_sum) < 1e-13);
    assert!(relative_error(loss["mean_per_sample"].as_f64().unwrap(), sum / 6.0) < 1e-13);
}

#[test]
fn outcomes_json_on_the_small_csv_matches_the_hand_derivation() {
    let small = Small::new();
    let report = common::json_of(&small.args("outcomes", &["--format", "json"]));
    assert_eq!(report["samples"], 8);
    assert_eq!(report["weights"], json!([1.0, 1.0, 1.0, 2.0]));
    assert_eq!(report["trained_with"], json!([1.0, 1.0, 1.0, 1.0]));
    assert_eq!(report["shift"], json!([0.0, 0.0, 0.0, 2f64.ln()]));
    // Current predictions (see SMALL_CSV): debris, b, c, a, debris, debris, c, debris.
    // Column sums 1, 1, 2, 4; true positives 0, 1, 1, 3; supports 2, 1, 1, 4.
    assert_eq!(
        report["current"],
        json!({
            "confusion": [[0, 0, 1, 1], [0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 3]],
            "precision": [0.0, 1.0, 0.5, 0.75],
            "recall": [0.0, 1.0, 1.0, 0.75],
            // 2 tp / (support + predicted): 0/3, 2/2, 2/3, 6/8.
            "f1": [0.0, 1.0, 2.0 / 3.0, 0.75],
            "accuracy": 5.0 / 8.0,
            "balanced_accuracy": (0.0 + 1.0 + 1.0 + 0.75) / 4.0,
            "macro_f1": (0.0 + 1.0 + 2.0 / 3.0 + 0.75) / 4.0,
            "false_positives_from_debris": [1, 0, 0, 0],
            "false_negatives_to_debris": [1, 0, 0, 0],
        })
    );
    // Baseline predictions: a, b, c, a, b, a, c, debris. Column sums 3, 2, 2, 1; true positives
    // 1, 1, 1, 1.
    assert_eq!(
        report["baseline"],
        json!({
            "confusion": [[1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 1, 0], [2, 1, 0, 1]],
            "precision": [1.0 / 3.0, 0.5, 0.5, 1.0],
            "recall": [0.5, 1.0, 1.0, 0.25],
            // 2/5, 2/3, 2/3, 2/5.
            "f1": [0.4, 2.0 / 3.0, 2.0 / 3.0, 0.4],
            "accuracy": 0.5,
            "balanced_accuracy": (0.5 + 1.0 + 1.0 + 0.25) / 4.0,
            "macro_f1": (0.4 + 2.0 / 3.0 + 2.0 / 3.0 + 0.4) / 4.0,
            "false_positives_from_debris": [2, 1, 0, 0],
            "false_negatives_to_debris": [0, 0, 0, 0],
        })
    );
    let rows: Vec<([f64; 4], usize)> = SMALL_CSV
        .lines()
        .skip(1)
        .map(|line| {
            let (label, scores) = line.split_once(',').unwrap();
            let cells: Vec<f64> = scores.split(',').map(|c| c.parse().unwrap()).collect();
            (
                [cells[0], cells[1], cells[2], cells[3]],
                label.parse().unwrap(),
            )
        })
        .collect();
    let sum = textbook_loss_sum(&rows, [1.0, 1.0, 1.0, 2.0]);
    assert!(relative_error(report["loss"]["sum"].as_f64().unwrap(), sum) < 1e-13);
    // Four debris labels of weight 2, four others of weight 1.
    let mean = report["loss"]["mean"].as_f64().unwrap();
    assert!(relative_error(mean, sum / 12.0) < 1e-13);
}

#[test]
fn outcomes_json_with_a_deployment_prior_and_a_temperature() {
    let small = Small::new();
    let report = common::json_of(&small.args(
        "outcomes",
        &[
            "--deploy-prior",
            "0.25,0.25,0.25,0.25",
            "--temperature",
            "2",
            "--format",
            "json",
        ],
    ));
    // At T = 2 the scores halve and the debris shift stays ln 2 = 0.693: rows 0 (1.5 vs
    // 1.943), 2 (1 vs 1.193), 3 (0.5 vs 0.693), 4 (0.5 vs 0.943) and 6 (0.5 vs 0.693) go to
    // debris too; only row 1 (b, 1 vs 0.693) stays.
    assert_eq!(report["temperature"], 2.0);
    let (before, after) = (
        report["ece_before"].as_f64().unwrap(),
        report["ece_after"].as_f64().unwrap(),
    );
    assert!((0.0..=1.0).contains(&before) && (0.0..=1.0).contains(&after));
    assert_eq!(
        report["current"]["confusion"],
        json!([[0, 0, 0, 2], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 0, 4]])
    );
    // Each class's 2500 deployed samples spread as its row: confusion[t][k] =
    // 10000 * 0.25 * count / support.
    assert_eq!(
        report["current"]["deployed"],
        json!({
            "confusion": [[0.0, 0.0, 0.0, 2500.0], [0.0, 2500.0, 0.0, 0.0],
                          [0.0, 0.0, 0.0, 2500.0], [0.0, 0.0, 0.0, 2500.0]],
            "precision": [null, 1.0, null, 2500.0 / 7500.0],
            "false_positives_from_debris": [0.0, 0.0, 0.0, 0.0],
            "false_negatives_to_debris": [2500.0, 0.0, 2500.0, 0.0],
        })
    );
    let fitted =
        common::json_of(&small.args("outcomes", &["--temperature", "fit", "--format", "json"]));
    assert!(fitted["temperature"].as_f64().unwrap() > 0.0);
}

#[test]
fn outcomes_table_is_a_readable_report() {
    let small = Small::new();
    let table =
        common::stdout_of(&small.args("outcomes", &["--deploy-prior", "0.25,0.25,0.25,0.25"]));
    let expected = format!(
        "small on {csv}
8 samples, 4 classes; debris: debris

class   weight  trained with   shift
a          1.0           1.0  0.0000
b          1.0           1.0  0.0000
c          1.0           1.0  0.0000
debris     2.0           1.0  0.6931
shift: ln(weight / trained with), added to each logit before the argmax

Confusion at the current weights; rows: truth, columns: predicted
truth \\ predicted  a  b  c  debris
a                  0  0  1       1
b                  0  1  0       0
c                  0  0  1       0
debris             1  0  0       3

Confusion at the trained-with weights (baseline); rows: truth, columns: predicted
truth \\ predicted  a  b  c  debris
a                  1  0  1       0
b                  0  1  0       0
c                  0  0  1       0
debris             2  1  0       1

Per class, current beside baseline
class   precision  baseline  recall  baseline      F1  baseline  FP from debris  baseline  FN to debris  baseline
a          0.0000    0.3333  0.0000    0.5000  0.0000    0.4000               1         2             1         0
b          1.0000    0.5000  1.0000    1.0000  1.0000    0.6667               0         1             0         0
c          0.5000    0.5000  1.0000    1.0000  0.6667    0.6667               0         0             0         0
debris     0.7500    1.0000  0.7500    0.2500  0.7500    0.4000

                   current  baseline
accuracy            0.6250    0.5000
balanced accuracy   0.6875    0.6875
macro-F1            0.6042    0.5333

Expected among 10000 deployed samples (the deployment prior), current beside baseline
class   precision  baseline  FP from debris  baseline  FN to debris  baseline
a          0.0000    0.5000           625.0    1250.0        1250.0       0.0
b          1.0000    0.8000             0.0     625.0           0.0       0.0
c          0.6667    0.6667             0.0       0.0           0.0       0.0
debris     0.6000    1.0000
",
        csv = small.csv()
    );
    assert!(table.starts_with(&expected), "{table}");
    assert!(table.contains(
        "\nLoss of the scores under the preset's weights and loss options, over 8 samples:\n  sum  = "
    ));
    assert!(!table.contains("Temperature"));
    // Undefined precision and F1 print as `-`.
    let table = common::stdout_of(&["outcomes", &stored_npz(), "--preset", &notebook()]);
    assert!(
        table
            .contains("\nclass1                   -         -  0.0000    0.0000       -         -"),
        "{table}"
    );
    let table = common::stdout_of(&small.args("outcomes", &["--temperature", "2"]));
    assert!(table.contains(
        "\nTemperature 2.0000 (given): scores divided by it before the argmax\nExpected calibration error: "
    ));
}

#[test]
fn the_sweep_as_csv_and_json() {
    let small = Small::new();
    // Grid from the preset's sweep: debris weights 0, 1, 2. At 0 debris is never called (rows
    // 3, 4, 5, 7 go to a, b, a, a); at 1 the baseline; at 2 the current weights.
    assert_eq!(
        common::stdout_of(&small.args("outcomes", &["--sweep"])),
        "debris_weight,fp_from_debris_a,fp_from_debris_b,fp_from_debris_c,fn_to_debris_a,fn_to_debris_b,fn_to_debris_c
0.0,3,1,0,0,0,0
1.0,2,1,0,0,0,0
2.0,1,0,0,1,0,0
"
    );
    let curve = common::json_of(&small.args(
        "outcomes",
        &[
            "--sweep", "--from", "1", "--to", "2", "--steps", "2", "--format", "json",
        ],
    ));
    assert_eq!(
        curve,
        json!({
            "debris_weight": [1.0, 2.0],
            "false_positives_from_debris": [[2, 1, 0, 0], [1, 0, 0, 0]],
            "false_negatives_to_debris": [[0, 0, 0, 0], [1, 0, 0, 0]],
        })
    );
    // Without a sweep block in the preset: 0 to 2 in 201 steps.
    let curve = common::json_of(&[
        "outcomes",
        &stored_npz(),
        "--preset",
        &notebook(),
        "--sweep",
        "--format",
        "json",
    ]);
    assert_eq!(curve["debris_weight"].as_array().unwrap().len(), 201);
    assert_eq!(curve["debris_weight"][200], 2.0);
    // At debris weight 0 nothing is called debris: no false negatives to it.
    assert_eq!(curve["false_negatives_to_debris"][0], json!([0, 0, 0, 0]));
    assert_eq!(curve["false_negatives_to_debris"][40], json!([1, 2, 1, 0]));
}

#[test]
fn tune_json_has_the_contracts_keys_and_meets_its_objective() {
    let small = Small::new();
    for objective in ["balanced-accuracy", "macro-f1"] {
        let report =
            common::json_of(&small.args("tune", &["--objective", objective, "--format", "json"]));
        let mut keys: Vec<&String> = report.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            ["baseline_value", "current", "objective", "value", "weights"]
        );
        assert_eq!(report["objective"], objective);
        let key = objective.replace('-', "_");
        assert_eq!(report["value"], report["current"][&key]);
        let value = report["value"].as_f64().unwrap();
        let baseline = report["baseline_value"].as_f64().unwrap();
        assert!(value > baseline, "{objective}: {value} vs {baseline}");
        // Debris keeps its trained-with weight.
        assert_eq!(report["weights"][3], 1.0);
    }
    // Balanced accuracy: the baseline's (0.5 + 1 + 1 + 0.25) / 4; the best possible is 0.875
    // (rows 0 and 3 exclude each other, as do rows 5 and 6: shifts 0, -1, -1.2, -0.3 get
    // everything else right).
    let report = common::json_of(&small.args(
        "tune",
        &["--objective", "balanced-accuracy", "--format", "json"],
    ));
    assert_eq!(report["baseline_value"], 0.6875);
    assert!(report["value"].as_f64().unwrap() <= 0.875);

    // Fewest false positives from debris, every rare class keeping its baseline recall
    // (a 1 of 2, b and c all): row 3 cannot be debris while a keeps a true positive, and rows
    // 4, 5 and 7 can, so the fewest is 1 (the baseline has 3: rows 3, 4, 5).
    let report = common::json_of(&small.args(
        "tune",
        &["--objective", "fewest-debris-fp", "--format", "json"],
    ));
    assert_eq!(report["value"], 1.0);
    assert_eq!(report["baseline_value"], 3.0);
    assert_eq!(report["recall_shortfall"], 0);
    let fp: u64 = report["current"]["false_positives_from_debris"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(fp, 1);
    let recall = &report["current"]["recall"];
    assert!(recall[0].as_f64().unwrap() >= 0.5);
    assert_eq!(
        (recall[1].as_f64(), recall[2].as_f64()),
        (Some(1.0), Some(1.0))
    );
    let report = common::json_of(&small.args(
        "tune",
        &[
            "--objective",
            "fewest-debris-fp",
            "--min-recall",
            "1",
            "--format",
            "json",
        ],
    ));
    assert_eq!(report["recall_shortfall"], 0);
    let recall = report["current"]["recall"].as_array().unwrap();
    assert_eq!(recall[..3], [1.0, 1.0, 1.0]);
}

#[test]
fn tune_write_saves_a_preset_whose_outcomes_are_the_suggestion() {
    let small = Small::new();
    let folder = tempfile::tempdir().unwrap();
    let out: PathBuf = folder.path().join("tuned.ron");
    let report = common::json_of(&small.args(
        "tune",
        &[
            "--objective",
            "macro-f1",
            "--format",
            "json",
            "--write",
            path_str(&out),
        ],
    ));
    let saved = weightbench::core::load_preset(&out).unwrap();
    let weights: Vec<f64> = saved.classes.iter().map(|c| c.weight).collect();
    assert_eq!(json!(weights), report["weights"]);
    assert_eq!(saved.validation.trained_with, [1.0, 1.0, 1.0, 1.0]);
    assert_eq!(saved.name, "small");
    // No temporary file left beside it.
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1);
    let outcomes = common::json_of(&[
        "outcomes",
        small.csv(),
        "--preset",
        path_str(&out),
        "--format",
        "json",
    ]);
    assert_eq!(outcomes["current"], report["current"]);
    assert_eq!(outcomes["trained_with"], json!([1.0, 1.0, 1.0, 1.0]));
}

#[test]
fn tune_table_names_the_objective_and_the_weights() {
    let small = Small::new();
    let table = common::stdout_of(&small.args("tune", &["--objective", "fewest-debris-fp"]));
    assert!(
        table.starts_with(&format!(
            "small on {}: 8 samples
fewest-debris-fp: false positives from debris 1 at the suggested weights, 3 at the trained-with weights
every class but debris keeps its recall at the trained-with weights

class   preset  trained with           suggested
",
            small.csv()
        )),
        "{table}"
    );
    assert!(
        table.contains("\ndebris     2.0           1.0                 1.0\n"),
        "{table}"
    );
    assert!(table.contains("\nAt the suggested weights; confusion rows: truth, columns: predicted\ntruth \\ predicted  a  b  c  debris  precision  recall      F1  FP from debris  FN to debris\n"), "{table}");
    assert!(table.ends_with("\nmacro-F1           0.7560\n"), "{table}");
}

#[test]
fn a_npy_with_its_labels_reads_as_the_npz() {
    let npy = format!("{ROOT}/tests/data/logits_f32.npy");
    let labels = format!("{ROOT}/tests/data/labels_i64.npy");
    let read_pair = common::json_of(&[
        "outcomes",
        &npy,
        "--labels",
        &labels,
        "--preset",
        &notebook(),
        "--format",
        "json",
    ]);
    let read_archive = common::json_of(&[
        "outcomes",
        &stored_npz(),
        "--preset",
        &notebook(),
        "--format",
        "json",
    ]);
    assert_eq!(read_pair, read_archive);
}

#[test]
fn the_cli_reference_examples_print_what_it_shows() {
    common::assert_doc_examples("docs/cli.md", &["outcomes", "tune"], 11);
}
