//! Readers of validation outputs: files written by numpy and safetensors (`tests/data/`, made
//! by `tests/data/make_fixtures.py`) read to the exact values written, every refusal with its
//! message, and every format answering truncated and mutated bytes with data that holds
//! together or a typed error that names the file.

mod fuzzed;
mod malformed;

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use crate::common::writers::{f32_bytes, f64_bytes, i64_bytes, labels_npy, npy, npz, safetensors};
use weightbench::core::outcomes::data::{ScoreKind, Scores, ValidationData};
use weightbench::core::outcomes::read::{self, Format, ReadError};

/// The classes of the fixtures (the notebook's).
fn classes() -> Vec<String> {
    ["class1", "class2", "class3", "class4 (debris)"]
        .map(str::to_owned)
        .to_vec()
}

/// The labels every fixture holds.
const LABELS: [u32; 6] = [0, 1, 2, 3, 3, 1];

/// The logits every fixture holds: `(4 i + c) / 8 - 1`, exact in binary.
fn logits() -> Vec<f64> {
    (0..24).map(|k| f64::from(k) / 8.0 - 1.0).collect()
}

/// The probabilities of the probability fixtures (rows 0 and 1 hold zeros).
const PROBABILITIES: [f64; 24] = [
    0.5, 0.25, 0.25, 0.0, //
    1.0, 0.0, 0.0, 0.0, //
    0.125, 0.125, 0.25, 0.5, //
    0.0625, 0.0625, 0.375, 0.5, //
    0.25, 0.25, 0.25, 0.25, //
    0.75, 0.125, 0.0625, 0.0625,
];

/// `ln p`, with 0 as the log of the smallest positive f64.
fn log_probabilities() -> Vec<f64> {
    let floor = (f64::MIN_POSITIVE * f64::EPSILON).ln();
    PROBABILITIES
        .iter()
        .map(|&p| if p > 0.0 { p.ln() } else { floor })
        .collect()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

fn no_progress() -> impl FnMut(f32) -> bool {
    |_| true
}

fn load(name: &str, labels: Option<&str>) -> Result<ValidationData, ReadError> {
    let labels = labels.map(fixture);
    read::load(
        &fixture(name),
        labels.as_deref(),
        &classes(),
        &mut no_progress(),
    )
}

/// Reads `bytes` as `format`, named `source`, with an optional labels `.npy`.
fn read_bytes(
    bytes: &[u8],
    format: Format,
    source: &str,
    labels: Option<(&[u8], &str)>,
) -> Result<ValidationData, ReadError> {
    read::read(
        Cursor::new(bytes),
        format,
        source,
        labels.map(|(bytes, name)| (Cursor::new(bytes), name)),
        &classes(),
        &mut no_progress(),
    )
}

fn error_of(result: Result<ValidationData, ReadError>) -> String {
    let error = result.unwrap_err();
    assert!(!error.is_io(), "{error}");
    error.to_string()
}

fn f32_scores(data: &ValidationData) -> &[f32] {
    match &data.scores {
        Scores::F32(values) => values,
        Scores::F64(_) => panic!("{}: float64 scores, expected float32", data.source),
    }
}

fn f64_scores(data: &ValidationData) -> &[f64] {
    match &data.scores {
        Scores::F64(values) => values,
        Scores::F32(_) => panic!("{}: float32 scores, expected float64", data.source),
    }
}

fn as_f32(values: &[f64]) -> Vec<f32> {
    #[allow(
        clippy::cast_possible_truncation,
        reason = "the reader rounds float32 logs the same way"
    )]
    values.iter().map(|&v| v as f32).collect()
}

fn assert_logits_f32(data: &ValidationData) {
    assert_eq!(data.classes, 4);
    assert_eq!(data.kind, ScoreKind::Logits);
    assert_eq!(data.labels, LABELS);
    assert_eq!(f32_scores(data), as_f32(&logits()));
}

fn assert_logits_f64(data: &ValidationData) {
    assert_eq!(data.classes, 4);
    assert_eq!(data.kind, ScoreKind::Logits);
    assert_eq!(data.labels, LABELS);
    assert_eq!(f64_scores(data), logits());
}

// ---------------------------------------------------------------------------------------------
// Writers for hand-made inputs (the refusals numpy would not write).

/// The fixtures' logits as a float32 `.npy`, with `edit` applied to them first.
fn logits_npy(edit: impl FnOnce(&mut Vec<f32>)) -> Vec<u8> {
    let mut values = as_f32(&logits());
    edit(&mut values);
    npy("<f4", false, "(6, 4)", &f32_bytes(&values))
}

fn good_labels() -> Vec<u8> {
    labels_npy(&[0, 1, 2, 3, 3, 1])
}

/// Reads a hand-made `.npy` pair named `a.npy` and `b.npy`.
fn read_pair(scores: &[u8], labels: &[u8]) -> Result<ValidationData, ReadError> {
    read_bytes(scores, Format::Npy, "a.npy", Some((labels, "b.npy")))
}

fn read_csv(text: &str) -> Result<ValidationData, ReadError> {
    read_bytes(text.as_bytes(), Format::Csv, "v.csv", None)
}

// ---------------------------------------------------------------------------------------------
// Files written by numpy, read to the values written.

#[test]
fn npz_stored_float32_with_int64_labels() {
    let data = load("stored.npz", None).unwrap();
    assert_logits_f32(&data);
    assert_eq!(data.source, fixture("stored.npz").display().to_string());
}

#[test]
fn npz_compressed_float64_with_int32_labels() {
    assert_logits_f64(&load("compressed.npz", None).unwrap());
}

#[test]
fn npz_probabilities_become_float32_logs_and_other_members_are_ignored() {
    let data = load("probabilities.npz", None).unwrap();
    assert_eq!(data.kind, ScoreKind::LogProbabilities);
    assert_eq!(data.labels, LABELS);
    assert_eq!(f32_scores(&data), as_f32(&log_probabilities()));
    // A probability of 0 is the log of the smallest positive f64, finite in float32 too.
    assert_eq!(f32_scores(&data)[3], -744.440_07);
}

#[test]
fn npy_float32_logits_with_int64_labels() {
    assert_logits_f32(&load("logits_f32.npy", Some("labels_i64.npy")).unwrap());
}

#[test]
fn npy_float64_logits_with_uint8_labels() {
    assert_logits_f64(&load("logits_f64.npy", Some("labels_u8.npy")).unwrap());
}

#[test]
fn npy_big_endian_logits_and_labels() {
    assert_logits_f64(&load("logits_be.npy", Some("labels_be.npy")).unwrap());
}

#[test]
fn npy_fortran_order_is_transposed() {
    assert_logits_f32(&load("logits_fortran.npy", Some("labels_u8.npy")).unwrap());
}

#[test]
fn npy_format_version_2() {
    assert_logits_f32(&load("logits_v2.npy", Some("labels_i64.npy")).unwrap());
}

#[test]
fn safetensors_float32_logits_with_int64_labels() {
    assert_logits_f32(&load("outputs.safetensors", None).unwrap());
}

#[test]
fn safetensors_float64_probabilities_become_float64_logs() {
    let data = load("probabilities.safetensors", None).unwrap();
    assert_eq!(data.kind, ScoreKind::LogProbabilities);
    assert_eq!(data.labels, LABELS);
    assert_eq!(f64_scores(&data), log_probabilities());
    assert_eq!(f64_scores(&data)[3], -744.440_071_921_381_2);
}

#[test]
fn csv_with_a_header_in_shuffled_class_order_and_names_as_labels() {
    assert_logits_f64(&load("header_shuffled.csv", None).unwrap());
}

#[test]
fn csv_without_a_header_starting_with_a_label_name() {
    assert_logits_f64(&load("no_header.csv", None).unwrap());
}

#[test]
fn csv_labels_as_indices_or_names_quoted_or_not_and_two_dimensional_labels() {
    let data =
        read_csv("label,class1,class2,class3,class4 (debris)\n2,1,2,3,4\n\"class2\",5,6,7,8\n")
            .unwrap();
    assert_eq!(data.labels, [2, 1]);
    assert_eq!(f64_scores(&data), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]);
    // Spaces around cells do not count, with a header or without.
    let spaced =
        read_csv("label , class4 (debris),class2 ,class3,class1\n 3, 0.5 ,1,2,3\n").unwrap();
    assert_eq!(spaced.labels, [3]);
    assert_eq!(f64_scores(&spaced), [3.0, 1.0, 2.0, 0.5]);
    let spaced = read_csv(" class2 , -1 ,1e-3,2,+3\n").unwrap();
    assert_eq!(spaced.labels, [1]);
    assert_eq!(f64_scores(&spaced), [-1.0, 0.001, 2.0, 3.0]);
    // Labels of shape (N, 1) read as (N,).
    let labels = npy("<i8", false, "(6, 1)", &i64_bytes(&[0, 1, 2, 3, 3, 1]));
    assert_eq!(
        read_pair(&logits_npy(|_| {}), &labels).unwrap().labels,
        LABELS
    );
}

#[test]
fn csv_byte_order_marks_windows_line_ends_and_blank_lines_are_read() {
    let data = read_csv(
        "\u{feff}label,class1,class2,class3,class4 (debris)\r\n1,1,2,3,4\r\n\r\n2,5,6,7,8\r\n",
    )
    .unwrap();
    assert_eq!(data.labels, [1, 2]);
    assert_eq!(f64_scores(&data), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]);
}

#[test]
fn extensions_choose_the_format_in_any_case() {
    let directory = tempfile::tempdir().unwrap();
    let upper = directory.path().join("VAL.NPZ");
    std::fs::copy(fixture("stored.npz"), &upper).unwrap();
    let data = read::load(&upper, None, &classes(), &mut no_progress()).unwrap();
    assert_logits_f32(&data);
}

// ---------------------------------------------------------------------------------------------
// Progress and cancelling.

/// A float32 `.npy` pair of `rows` rows (about 16 bytes a row of scores).
fn large_pair(rows: usize) -> (Vec<u8>, Vec<u8>) {
    #[allow(
        clippy::cast_possible_truncation,
        reason = "small test values, exact in float32"
    )]
    let values: Vec<f32> = (0..rows * 4).map(|k| (k % 64) as f32 / 8.0).collect();
    let labels: Vec<i64> = (0..rows).map(|i| i64::try_from(i % 4).unwrap()).collect();
    (
        npy("<f4", false, &format!("({rows}, 4)"), &f32_bytes(&values)),
        labels_npy(&labels),
    )
}

#[test]
fn progress_rises_from_zero_to_one_every_few_megabytes() {
    let (scores, labels) = large_pair(1 << 20);
    let mut fractions = Vec::new();
    let data = read::read(
        Cursor::new(&scores[..]),
        Format::Npy,
        "big.npy",
        Some((Cursor::new(&labels[..]), "labels.npy")),
        &classes(),
        &mut |fraction| {
            fractions.push(fraction);
            true
        },
    )
    .unwrap();
    assert_eq!(data.samples(), 1 << 20);
    assert_eq!(fractions.first(), Some(&0.0));
    assert_eq!(fractions.last(), Some(&1.0));
    // 16 MB of scores and 8 MB of labels, a report every 4 MB, then the end.
    assert_eq!(fractions.len(), 8, "{fractions:?}");
    assert!(fractions.windows(2).all(|pair| pair[0] <= pair[1]));
}

#[test]
fn a_false_from_progress_cancels_the_load() {
    let (scores, labels) = large_pair(1 << 20);
    let mut calls = 0;
    let error = read::read(
        Cursor::new(&scores[..]),
        Format::Npy,
        "big.npy",
        Some((Cursor::new(&labels[..]), "labels.npy")),
        &classes(),
        &mut |_| {
            calls += 1;
            calls < 3
        },
    )
    .unwrap_err();
    assert!(matches!(error, ReadError::Cancelled { .. }));
    assert_eq!(error.to_string(), "big.npy: loading cancelled");
    assert_eq!(calls, 3);

    // A CSV, too, and right at the start.
    let error = read::read(
        Cursor::new(&b"0,1,2,3,4\n"[..]),
        Format::Csv,
        "v.csv",
        None,
        &classes(),
        &mut |_| false,
    )
    .unwrap_err();
    assert_eq!(error.to_string(), "v.csv: loading cancelled");
}

// ---------------------------------------------------------------------------------------------
// Refusals, each with its message.

#[test]
fn a_missing_file_is_an_io_error() {
    let missing = Path::new("/nonexistent/val.npz");
    let error = read::load(missing, None, &classes(), &mut no_progress()).unwrap_err();
    assert!(error.is_io());
    assert_eq!(
        error.to_string(),
        "cannot read /nonexistent/val.npz: No such file or directory (os error 2)"
    );
    let error = read::load(
        &fixture("logits_f32.npy"),
        Some(Path::new("/nonexistent/labels.npy")),
        &classes(),
        &mut no_progress(),
    )
    .unwrap_err();
    assert!(error.is_io());
    assert_eq!(
        error.to_string(),
        "cannot read /nonexistent/labels.npy: No such file or directory (os error 2)"
    );
}

#[test]
fn unknown_extensions_and_misplaced_labels_are_refused() {
    let error = read::load(Path::new("val.pt"), None, &classes(), &mut no_progress()).unwrap_err();
    assert!(!error.is_io());
    assert_eq!(
        error.to_string(),
        "val.pt: unknown file type; expected .npz, .npy, .safetensors or .csv"
    );
    assert_eq!(
        error_of(read_bytes(&logits_npy(|_| {}), Format::Npy, "a.npy", None)),
        "a.npy: a .npy holds only the logits; the labels are missing (give them as a second .npy of integers)"
    );
    let stored = fixture_bytes("stored.npz");
    assert_eq!(
        error_of(read_bytes(
            &stored,
            Format::Npz,
            "v.npz",
            Some((&good_labels(), "b.npy"))
        )),
        "b.npy: a separate labels file goes only with a .npy of logits; v.npz holds its own labels"
    );
}

#[test]
fn missing_arrays_name_the_arrays_found() {
    let no_labels = fixture_bytes("no_labels.npz");
    assert_eq!(
        error_of(read_bytes(&no_labels, Format::Npz, "v.npz", None)),
        "v.npz: no array named labels; found: logits, y"
    );
    let only_labels = npz(&[("labels", &good_labels()), ("scores", &logits_npy(|_| {}))]);
    assert_eq!(
        error_of(read_bytes(&only_labels, Format::Npz, "v.npz", None)),
        "v.npz: no array named logits or probabilities; found: labels, scores"
    );
    let tensors = safetensors(&[("preds", "F32", &[6, 4], &f32_bytes(&[0.0; 24]))]);
    assert_eq!(
        error_of(read_bytes(
            &tensors,
            Format::Safetensors,
            "v.safetensors",
            None
        )),
        "v.safetensors: no array named logits or probabilities; found: preds"
    );
    let tensors = safetensors(&[("logits", "F32", &[6, 4], &f32_bytes(&[0.0; 24]))]);
    assert_eq!(
        error_of(read_bytes(
            &tensors,
            Format::Safetensors,
            "v.safetensors",
            None
        )),
        "v.safetensors: no array named labels; found: logits"
    );
}

#[test]
fn nan_and_infinite_scores_name_the_row_and_column() {
    let nan = logits_npy(|values| values[2 * 4 + 1] = f32::NAN);
    assert_eq!(
        error_of(read_pair(&nan, &good_labels())),
        "a.npy: logits row 2, column 1 (class2) is NaN"
    );
    let tensors = safetensors(&[
        ("labels", "U8", &[2], &[0, 1]),
        (
            "logits",
            "F64",
            &[2, 4],
            &f64_bytes(&[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, f64::NEG_INFINITY]),
        ),
    ]);
    assert_eq!(
        error_of(read_bytes(
            &tensors,
            Format::Safetensors,
            "v.safetensors",
            None
        )),
        "v.safetensors: logits row 1, column 3 (class4 (debris)) is -inf"
    );
    assert_eq!(
        error_of(read_csv("0,1,2,3,4\n1,1,inf,3,4\n")),
        "v.csv: line 2, column 3 (class2) is inf"
    );
    // A decimal too large for a double reads as inf, and is refused as inf is, where it stands.
    assert_eq!(
        error_of(read_csv("0,1,2,3,4\n1,1,1e400,3,4\n")),
        "v.csv: line 2, column 3 (class2) is inf"
    );
    assert_eq!(
        error_of(read_csv("0,1,2,3,4\n1,1,2,-1e400,4\n")),
        "v.csv: line 2, column 4 (class3) is -inf"
    );
}

#[test]
fn labels_out_of_range_name_the_row() {
    let negative = fixture_bytes("labels_negative.npy");
    assert_eq!(
        error_of(read_pair(&logits_npy(|_| {}), &negative)),
        "b.npy: labels row 4 is -1, expected a class index from 0 to 3"
    );
    let four = labels_npy(&[0, 1, 2, 3, 3, 4]);
    assert_eq!(
        error_of(read_pair(&logits_npy(|_| {}), &four)),
        "b.npy: labels row 5 is 4, expected a class index from 0 to 3"
    );
    let huge = npy("<u8", false, "(6,)", &[0xff; 48]);
    assert_eq!(
        error_of(read_pair(&logits_npy(|_| {}), &huge)),
        "b.npy: labels row 0 is 18446744073709551615, expected a class index from 0 to 3"
    );
    assert_eq!(
        error_of(read_csv("0,1,2,3,4\n4,1,2,3,4\n")),
        "v.csv: line 2, column 1 (label) is 4, expected a class index from 0 to 3"
    );
    assert_eq!(
        error_of(read_csv("0,1,2,3,4\n-2,1,2,3,4\n")),
        "v.csv: line 2, column 1 (label) is -2, expected a class index from 0 to 3"
    );
}

#[test]
fn unknown_label_names_are_refused_with_the_classes() {
    assert_eq!(
        error_of(read_csv(
            "label,class1,class2,class3,class4 (debris)\ncat,1,2,3,4\n"
        )),
        "v.csv: line 2, column 1 (label): 'cat' is neither a class index nor a class name (class1, class2, class3, class4 (debris))"
    );
    assert_eq!(
        error_of(read_csv("0,1,2,3,4\n1.0,1,2,3,4\n")),
        "v.csv: line 2, column 1 (label): '1.0' is neither a class index nor a class name (class1, class2, class3, class4 (debris))"
    );
}

#[test]
fn lengths_that_differ_are_refused() {
    assert_eq!(
        error_of(read_pair(
            &logits_npy(|_| {}),
            &labels_npy(&[0, 1, 2, 3, 3])
        )),
        "a.npy: logits has 6 rows, but b.npy holds 5 labels"
    );
    let archive = npz(&[
        ("logits", &logits_npy(|_| {})),
        ("labels", &labels_npy(&[0; 7])),
    ]);
    assert_eq!(
        error_of(read_bytes(&archive, Format::Npz, "v.npz", None)),
        "v.npz: logits has 6 rows, labels 7"
    );
}
