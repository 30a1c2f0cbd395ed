//! `weightbench runs` as a script calls it: two tiny runs whose estimate, band and preview
//! errors are worked out by hand below, the contract's keys, folders, sidecars, and every
//! refusal with its exit code and the file it names.

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

use serde_json::{Value, json};

use crate::common::writers::{labels_npy, npz, run_npz, safetensors};
use crate::common::{failure_of, json_of, stdout_of};

/// Two classes, `rare` and `debris` (index 1); the estimate holds `rare` at 1.
const PRESET: &str = r#"(
    version: 1,
    name: "two runs",
    classes: [
        (name: "rare", count: 2, weight: 1.0),
        (name: "debris", count: 2, weight: 1.0),
    ],
    debris: 1,
    sweep: (from: 0.5, to: 2.0, steps: 4),
)"#;

/// Labels of the four samples: rare, debris, debris, rare.
const LABELS: [i64; 4] = [0, 1, 1, 0];

/// Run A, trained with debris weight 0.5, logits (rare, debris) per sample.
///
/// | row | label  | A at its own weights | A previewed at 1 (debris + ln 2) | A at 2 (+ ln 4) |
/// |-----|--------|----------------------|----------------------------------|-----------------|
/// | 0   | rare   | 1 > 0.5: rare        | 1.19 > 1: debris (FN)            | debris (FN)     |
/// | 1   | debris | 1 > 0: rare (FP)     | 0.69 < 1: rare (FP)              | 1.39 > 1: debris|
/// | 2   | debris | 0.2 > 0: debris      | debris                           | debris          |
/// | 3   | rare   | 2 > 0: rare          | rare                             | 1.39 < 2: rare  |
///
/// A at its own weights: FP 1, FN 0; previewed at 1: FP 1, FN 1; at 2: FP 0, FN 1.
const A: [f32; 8] = [1.0, 0.5, 1.0, 0.0, 0.0, 0.2, 2.0, 0.0];

/// Run B, trained with debris weight 2.
///
/// | row | label  | B at its own weights | B previewed at 1 (debris - ln 2) | B at 0.5 (- ln 4) |
/// |-----|--------|----------------------|----------------------------------|-------------------|
/// | 0   | rare   | rare                 | rare                             | rare              |
/// | 1   | debris | 1 > 0.5: debris      | 0.31 < 0.5: rare (FP)            | rare (FP)         |
/// | 2   | debris | 1 > 0: debris        | 0.31 > 0: debris                 | -0.39 < 0: rare (FP)|
/// | 3   | rare   | 0.5 > 0: debris (FN) | -0.19 < 0: rare                  | rare              |
///
/// B at its own weights: FP 0, FN 1; previewed at 1: FP 1, FN 0; at 0.5: FP 2, FN 0.
const B: [f32; 8] = [1.0, 0.0, 0.5, 1.0, 0.0, 1.0, 0.0, 0.5];

/// A folder with the preset and the two runs (`a.npz` with seed 0 and epoch 10, `b.npz`).
struct Runs {
    dir: tempfile::TempDir,
}

impl Runs {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("preset.ron"), PRESET).unwrap();
        let runs = Self { dir };
        runs.write(
            "a.npz",
            &run_npz(&A, 2, &LABELS, &[1.0, 0.5], Some(0), Some(10)),
        );
        runs.write("b.npz", &run_npz(&B, 2, &LABELS, &[1.0, 2.0], None, None));
        runs
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn arg(&self, name: &str) -> String {
        self.path(name).to_str().unwrap().to_owned()
    }

    fn write(&self, name: &str, bytes: &[u8]) {
        fs::write(self.path(name), bytes).unwrap();
    }

    fn runs_json(&self, runs: &[&str], extra: &[&str]) -> Value {
        let mut args = vec!["runs".to_owned()];
        args.extend(runs.iter().map(|r| self.arg(r)));
        args.extend(["--preset".to_owned(), self.arg("preset.ron")]);
        args.extend(extra.iter().map(|&e| e.to_owned()));
        args.extend(["--format".to_owned(), "json".to_owned()]);
        json_of(&args.iter().map(String::as_str).collect::<Vec<_>>())
    }

    fn failure(&self, runs: &[&str], extra: &[&str]) -> (i32, String) {
        let mut args = vec!["runs".to_owned()];
        args.extend(runs.iter().map(|r| self.arg(r)));
        args.extend(["--preset".to_owned(), self.arg("preset.ron")]);
        args.extend(extra.iter().map(|&e| e.to_owned()));
        failure_of(&args.iter().map(String::as_str).collect::<Vec<_>>())
    }
}

#[test]
fn the_json_holds_each_run_the_estimate_with_its_band_and_the_preview_errors_worked_by_hand() {
    let runs = Runs::new();
    let report = runs.runs_json(&["a.npz", "b.npz"], &["--at", "0.5,1,2"]);
    let a = &report["runs"][0];
    assert_eq!(a["file"], json!(runs.arg("a.npz")));
    assert_eq!(a["weights"], json!([1.0, 0.5]));
    assert_eq!(a["seed"], json!(0));
    assert_eq!(a["epoch"], json!(10));
    assert_eq!(a["samples"], json!(4));
    assert_eq!(a["false_positives_from_debris"], json!([1, 0]));
    assert_eq!(a["false_negatives_to_debris"], json!([0, 0]));
    assert_eq!(a["recall"], json!([1.0, 0.5]));
    assert_eq!(a["precision"], json!([2.0 / 3.0, 1.0]));
    let b = &report["runs"][1];
    assert_eq!(b["seed"], Value::Null);
    assert_eq!(b["epoch"], Value::Null);
    assert_eq!(b["false_positives_from_debris"], json!([0, 0]));
    assert_eq!(b["false_negatives_to_debris"], json!([1, 0]));

    assert_eq!(report["debris_weight"], json!([0.5, 1.0, 2.0]));
    let estimate = &report["estimate"];
    // At 0.5 and 2 each run's own counts; at 1, halfway in ln w, the mean of both previews.
    assert_eq!(
        estimate["false_positives_from_debris"],
        json!([[1.0, 0.0], [1.0, 0.0], [0.0, 0.0]])
    );
    assert_eq!(
        estimate["false_negatives_to_debris"],
        json!([[0.0, 0.0], [0.5, 0.0], [1.0, 0.0]])
    );
    assert_eq!(
        estimate["low"]["false_negatives_to_debris"],
        json!([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0]])
    );
    assert_eq!(
        estimate["high"]["false_negatives_to_debris"],
        json!([[0.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    );
    assert_eq!(
        estimate["high"]["false_positives_from_debris"],
        json!([[1.0, 0.0], [1.0, 0.0], [0.0, 0.0]])
    );

    // A previewed at 2 gives FP 0, FN 1: B's own exactly. B previewed at 0.5 gives FP 2
    // against A's 1 (100 % off) and FN 0 against A's 0 (undefined).
    let pairs = report["preview_error"]["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 2);
    let from_b = pairs
        .iter()
        .find(|p| p["from_debris_weight"] == json!(2.0))
        .unwrap();
    assert_eq!(from_b["to_debris_weight"], json!(0.5));
    assert!((from_b["factor"].as_f64().unwrap() - 4.0).abs() < 1e-12);
    assert_eq!(from_b["false_positives_from_debris"], json!(1.0));
    assert_eq!(from_b["false_negatives_to_debris"], Value::Null);
    let from_a = pairs
        .iter()
        .find(|p| p["from_debris_weight"] == json!(0.5))
        .unwrap();
    assert_eq!(from_a["false_positives_from_debris"], Value::Null);
    assert_eq!(from_a["false_negatives_to_debris"], json!(0.0));
    assert_eq!(
        report["preview_error"]["sentence"],
        json!(
            "On your runs, a preview from a run 4x away missed the false positives from debris by 100 % and the false negatives to debris by 0 %."
        )
    );
    // Only weight 1 is more than 5 % from both runs.
    assert_eq!(report["next"]["objective"], json!(1.0));
    assert_eq!(report["next"]["widest_band"], json!(1.0));
    assert_eq!(report["next"]["objective_name"], json!("balanced-accuracy"));
}

#[test]
fn the_grid_comes_from_the_flags_or_the_preset_and_a_folder_reads_its_runs_by_name() {
    let runs = Runs::new();
    // A writer's temporary file and other files are not runs.
    runs.write(".c.npz.tmp", b"half a file");
    runs.write("notes.txt", b"not a run");
    let folder = runs.runs_json(&[""], &[]);
    let files: Vec<&str> = folder["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 2);
    assert!(
        files[0].ends_with("a.npz") && files[1].ends_with("b.npz"),
        "{files:?}"
    );
    assert_eq!(folder["debris_weight"], json!([0.5, 1.0, 1.5, 2.0]));
    let grid = runs.runs_json(
        &["a.npz", "b.npz"],
        &["--from", "1", "--to", "3", "--steps", "3"],
    );
    assert_eq!(grid["debris_weight"], json!([1.0, 2.0, 3.0]));
    // The same files named one by one give the same numbers.
    let named = runs.runs_json(&["a.npz", "b.npz"], &[]);
    assert_eq!(named["estimate"], folder["estimate"]);
}

#[test]
fn identical_input_prints_identical_bytes_in_every_format() {
    let runs = Runs::new();
    for format in ["json", "csv", "table"] {
        let args = [
            "runs",
            &runs.arg("a.npz"),
            &runs.arg("b.npz"),
            "--preset",
            &runs.arg("preset.ron"),
            "--format",
            format,
        ];
        assert_eq!(stdout_of(&args), stdout_of(&args), "{format}");
    }
    let csv = stdout_of(&[
        "runs",
        &runs.arg("a.npz"),
        &runs.arg("b.npz"),
        "--preset",
        &runs.arg("preset.ron"),
        "--format",
        "csv",
    ]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "debris_weight,fp_from_debris_rare,fp_from_debris_rare_low,fp_from_debris_rare_high,fn_to_debris_rare,fn_to_debris_rare_low,fn_to_debris_rare_high"
        )
    );
    assert_eq!(lines.next(), Some("0.5,1.0,1.0,1.0,0.0,0.0,0.0"));
    let table = stdout_of(&[
        "runs",
        &runs.arg("a.npz"),
        &runs.arg("b.npz"),
        "--preset",
        &runs.arg("preset.ron"),
    ]);
    assert!(
        table.contains("On your runs, a preview from a run 4x away"),
        "{table}"
    );
    assert!(table.contains("Where to retrain next"), "{table}");
}

#[test]
fn safetensors_runs_and_csv_or_npy_runs_with_a_sidecar_read_like_npz() {
    let runs = Runs::new();
    let bytes = |v: &[f32]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
    let labels: Vec<u8> = LABELS.iter().flat_map(|l| l.to_le_bytes()).collect();
    let weights: Vec<u8> = [1.0_f32, 0.5]
        .iter()
        .flat_map(|x| x.to_le_bytes())
        .collect();
    runs.write(
        "a.safetensors",
        &safetensors(&[
            ("logits", "F32", &[4, 2], &bytes(&A)),
            ("labels", "I64", &[4], &labels),
            ("class_weights", "F32", &[2], &weights),
        ]),
    );
    let mut csv = String::from("label,rare,debris\n");
    for (row, label) in LABELS.iter().enumerate() {
        let _ = writeln!(csv, "{label},{},{}", B[2 * row], B[2 * row + 1]);
    }
    runs.write("b.csv", csv.as_bytes());
    runs.write("b.csv.json", br#"{"class_weights": [1, 2], "seed": 4}"#);
    let mixed = runs.runs_json(&["a.safetensors", "b.csv"], &["--at", "1"]);
    let npz = runs.runs_json(&["a.npz", "b.npz"], &["--at", "1"]);
    assert_eq!(mixed["estimate"], npz["estimate"]);
    assert_eq!(mixed["runs"][1]["seed"], json!(4));
    // A float32 0.5 and a float64 0.5 are the same weight.
    assert_eq!(mixed["runs"][0]["weights"], json!([1.0, 0.5]));

    runs.write("b.npy", &crate::common::writers::f32_matrix_npy(&B, 2));
    runs.write("labels.npy", &labels_npy(&LABELS));
    runs.write(
        "b.npy.json",
        br#"{"class_weights": [1, 2], "labels": "labels.npy"}"#,
    );
    let with_npy = runs.runs_json(&["a.npz", "b.npy"], &["--at", "1"]);
    assert_eq!(with_npy["estimate"], npz["estimate"]);
}

#[test]
fn every_bad_input_exits_2_naming_the_file_and_what_is_wrong() {
    let runs = Runs::new();
    let logits = crate::common::writers::f32_matrix_npy(&A, 2);
    let labels = labels_npy(&LABELS);
    runs.write(
        "plain.npz",
        &npz(&[("logits", &logits), ("labels", &labels)]),
    );
    let (code, message) = runs.failure(&["a.npz", "plain.npz"], &[]);
    assert_eq!(code, 2, "{message}");
    assert!(message.contains("plain.npz: no class_weights"), "{message}");

    let mut other = LABELS;
    other[2] = 0;
    runs.write(
        "other.npz",
        &run_npz(&B, 2, &other, &[1.0, 2.0], None, None),
    );
    let (code, message) = runs.failure(&["a.npz", "other.npz"], &[]);
    assert_eq!(code, 2, "{message}");
    assert!(
        message.contains("other.npz: row 2 is labelled 0"),
        "{message}"
    );
    assert!(message.contains("a.npz labels it 1"), "{message}");

    runs.write(
        "short.npz",
        &run_npz(&B[..6], 2, &LABELS[..3], &[1.0, 2.0], None, None),
    );
    let (code, message) = runs.failure(&["a.npz", "short.npz"], &[]);
    assert_eq!(code, 2, "{message}");
    assert!(message.contains("short.npz: 3 samples"), "{message}");
    assert!(message.contains("row 3"), "{message}");

    runs.write(
        "three.npz",
        &run_npz(&A, 2, &LABELS, &[1.0, 0.5, 2.0], None, None),
    );
    let (code, message) = runs.failure(&["three.npz"], &[]);
    assert_eq!(code, 2);
    assert!(
        message.contains("three.npz: class_weights has shape (3,), expected (2,)"),
        "{message}"
    );

    runs.write(
        "zero.npz",
        &run_npz(&A, 2, &LABELS, &[1.0, 0.0], None, None),
    );
    let (code, message) = runs.failure(&["zero.npz"], &[]);
    assert_eq!(code, 2);
    assert!(
        message.contains("zero.npz: class_weights[1] is 0, expected a finite weight > 0"),
        "{message}"
    );

    fs::write(runs.path("alone.csv"), "label,rare,debris\n0,1,0\n").unwrap();
    let (code, message) = runs.failure(&["alone.csv"], &[]);
    assert_eq!(code, 2);
    assert!(message.contains("alone.csv: no class_weights"), "{message}");
    assert!(message.contains("sidecar"), "{message}");

    let empty = runs.path("empty");
    fs::create_dir(&empty).unwrap();
    let (code, message) = runs.failure(&["empty"], &[]);
    assert_eq!(code, 2);
    assert!(
        message.contains("no .npz or .safetensors files"),
        "{message}"
    );

    let (code, message) = runs.failure(&["missing.npz"], &[]);
    assert_eq!(code, 1, "a missing file is the system's failure: {message}");
    assert!(message.contains("missing.npz"), "{message}");

    let (code, message) = runs.failure(&["a.npz"], &["--at", "1,-2"]);
    assert_eq!(code, 2);
    assert!(message.contains("--at: -2"), "{message}");

    let (code, message) = runs.failure(&["a.npz"], &["--at", "1", "--steps", "3"]);
    assert_eq!(code, 2, "{message}");
}

#[test]
#[ignore = "needs numpy: pip install numpy"]
fn the_exported_save_run_writes_a_run_that_runs_reads() {
    let runs = Runs::new();
    let snippet = stdout_of(&["export", &runs.arg("preset.ron"), "--to", "pytorch"]);
    // The snippet's first line needs torch; the run writer after it needs only numpy.
    let writer = snippet.split_once("\n\n").unwrap().1;
    let folder = runs.path("written");
    fs::create_dir(&folder).unwrap();
    let script = format!(
        "{writer}\nsave_run({folder:?}, [[1.0, 0.5], [1.0, 0.0], [0.0, 0.2], [2.0, 0.0]], [0, 1, 1, 0], seed=3, epoch=7)\n",
        folder = folder.join("run.npz").to_str().unwrap()
    );
    let status = std::process::Command::new("python3")
        .args(["-c", &script])
        .status()
        .expect("python3 runs");
    assert!(status.success());
    let names: Vec<String> = fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["run.npz"], "no temporary file is left");
    let report = runs.runs_json(&["written"], &["--at", "1"]);
    let run = &report["runs"][0];
    assert_eq!(
        run["weights"],
        json!([1.0, 1.0]),
        "the preset's weights, recorded"
    );
    assert_eq!(run["seed"], json!(3));
    assert_eq!(run["epoch"], json!(7));
    // The logits are run A's: at its own weights 1 false positive from debris.
    assert_eq!(run["false_positives_from_debris"], json!([1, 0]));
}

#[test]
fn the_cli_reference_runs_examples_print_what_it_shows() {
    crate::common::assert_doc_examples("docs/cli.md", &["runs"], 3);
}

#[test]
fn class_weights_saved_in_float32_are_the_runs_own_weights() {
    use crate::common::writers::{f32_bytes, f32_matrix_npy, npy};
    let runs = Runs::new();
    // A and B again, their weights saved in float32, where 0.1 and 0.4 are not exact.
    let write = |name: &str, logits: &[f32], weights: [f32; 2]| {
        let logits = f32_matrix_npy(logits, 2);
        let labels = labels_npy(&LABELS);
        let weights = npy("<f4", false, "(2,)", &f32_bytes(&weights));
        runs.write(
            name,
            &npz(&[
                ("logits", &logits),
                ("labels", &labels),
                ("class_weights", &weights),
            ]),
        );
    };
    write("a32.npz", &A, [1.0, 0.1]);
    write("b32.npz", &B, [1.0, 0.4]);
    let report = runs.runs_json(&["a32.npz", "b32.npz"], &["--at", "0.1,0.4"]);
    let estimate = &report["estimate"];
    // Each run's own counts, with a band of no width: not blended with the other run.
    let fp = json!([[1.0, 0.0], [0.0, 0.0]]);
    let fn_ = json!([[0.0, 0.0], [1.0, 0.0]]);
    assert_eq!(estimate["false_positives_from_debris"], fp);
    assert_eq!(estimate["false_negatives_to_debris"], fn_);
    for edge in ["low", "high"] {
        assert_eq!(estimate[edge]["false_positives_from_debris"], fp, "{edge}");
        assert_eq!(estimate[edge]["false_negatives_to_debris"], fn_, "{edge}");
    }
}
