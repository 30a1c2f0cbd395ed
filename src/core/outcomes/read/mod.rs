//! Reading the user's validation outputs: scores (logits or probabilities) and labels, from
//! `.npz`, `.npy` (+ a labels `.npy`), `.safetensors` or `.csv`.
//!
//! - `.npz` (`numpy.savez`, stored, or `savez_compressed`, deflated): the members
//!   `logits.npy` or `probabilities.npy`, and `labels.npy`; other members are ignored. When
//!   both `logits` and `probabilities` are there, `logits` is read.
//! - `.npy`: always logits; the labels come as a second `.npy` (the `labels` argument).
//! - `.safetensors`: the tensors `logits` or `probabilities`, and `labels`.
//! - `.csv`: a label column and one column of scores per class, read as logits (f64). The
//!   first row is a header when any of its cells is not a number (a first cell naming a class
//!   does not count: it is the label of a file without a header). With a header, the column
//!   `label` holds the labels and every other column is named after a class, in any order;
//!   without one, the label comes first and the scores follow in class order. A label is a
//!   0-based class index or a class name, quoted or not; spaces around cells do not count.
//!
//! Scores are float32 or float64, 2-D (samples, classes), kept in their precision. Labels are
//! any signed or unsigned integer of 1 to 8 bytes, 1-D (samples,) or 2-D (samples, 1). Both
//! byte orders are read, and a `.npy` in Fortran order is transposed while it is read.
//! Probabilities become `ln p` ([`ScoreKind::LogProbabilities`]); each row must be >= 0 and
//! sum to 1 within 0.001, and a 0 becomes `ln(f64::MIN_POSITIVE * f64::EPSILON)` (about
//! -744.44), so every loss stays finite.
//!
//! Refused, each with a [`ReadError`] that names the file, the array and the row (0-based
//! sample, or 1-based line for a CSV), column or class: NaN or infinite scores, labels out of
//! range or unknown, lengths that differ, a class count that differs from the preset's, wrong
//! shapes, other dtypes, truncated or corrupt files, missing arrays, and, in a CSV, ragged
//! rows, cells that are not numbers, and header columns that name no class. A file with no
//! samples is refused too.
//!
//! Memory: binary data is read in 1 MiB chunks straight into the final vectors, so a load
//! peaks at about the size of the scores and labels it returns. A CSV is read in 1 MiB blocks
//! cut at line ends, at most four in flight on two parsing threads, whose rows are appended
//! to the final vectors in file order.

mod array;
mod csv_file;
mod error;
mod npy;
mod npz;
mod progress;
mod safetensors;

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

pub use array::python_shape;
pub use error::{Place, ReadError};

use self::array::Layout;
use self::progress::Progress;
use super::{ScoreKind, Scores, ValidationData};

/// The file formats of validation outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// A numpy `.npz` archive (stored or deflated).
    Npz,
    /// A numpy `.npy` array of logits, with a second `.npy` of labels.
    Npy,
    /// A safetensors file.
    Safetensors,
    /// A CSV table with a label column.
    Csv,
}

impl Format {
    /// The file extensions read, without the dot, in the order of [`Format`]'s variants.
    pub const EXTENSIONS: [&str; 4] = ["npz", "npy", "safetensors", "csv"];

    /// The format of `path`, by its extension (case-insensitive); `None` for any other.
    #[must_use]
    pub fn of_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "npz" => Some(Self::Npz),
            "npy" => Some(Self::Npy),
            "safetensors" => Some(Self::Safetensors),
            "csv" => Some(Self::Csv),
            _ => None,
        }
    }
}

/// A binary array of scores that a file may hold, and what its values are.
#[derive(Clone, Copy, Debug)]
struct ScoreArray {
    name: &'static str,
    kind: ScoreKind,
}

/// The score arrays looked for, in order of preference.
const SCORE_ARRAYS: [ScoreArray; 2] = [
    ScoreArray {
        name: "logits",
        kind: ScoreKind::Logits,
    },
    ScoreArray {
        name: "probabilities",
        kind: ScoreKind::LogProbabilities,
    },
];

/// The name of the labels array.
const LABELS: &str = "labels";

/// How far a row of probabilities may sum from 1.
const PROBABILITY_SUM_TOLERANCE: f64 = 1e-3;

/// Bytes of the read buffer of an opened file.
const FILE_BUFFER_BYTES: usize = 256 << 10;

/// Reads the validation outputs in `path` (the format by its extension), with `labels` for a
/// `.npy` of logits. `class_names` are the preset's classes, in order: the class count is
/// checked against their number, and CSV headers and labels are matched against them.
///
/// `progress` is called now and then with the fraction done in [0, 1]; when it returns `false`
/// the load stops with [`ReadError::Cancelled`].
///
/// # Errors
/// [`ReadError::Io`] when a file is missing or unreadable ([`ReadError::is_io`]); any other
/// variant when the content is not valid validation outputs for these classes.
pub fn load(
    path: &Path,
    labels: Option<&Path>,
    class_names: &[String],
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<ValidationData, ReadError> {
    let file = path.display().to_string();
    let Some(format) = Format::of_path(path) else {
        return Err(ReadError::UnknownFormat { file });
    };
    let input = open(path)?;
    let labels_file = labels.map(|path| path.display().to_string());
    let labels_input = match labels {
        Some(path) => Some(open(path)?),
        None => None,
    };
    let labels = labels_input.zip(labels_file.as_deref());
    read(input, format, &file, labels, class_names, progress)
}

/// A small array read beside the outputs (a run's `class_weights`, `seed`, `epoch`).
#[derive(Clone, Debug, PartialEq)]
pub struct SmallArray {
    /// Its shape (`[]` for a scalar).
    pub shape: Vec<u64>,
    /// Its values in storage order, in f64 (integers converted).
    pub values: Vec<f64>,
}

/// Reads the small arrays `names` (each at most 65,536 elements of any float or integer dtype)
/// of the `.npz` or `.safetensors` file `path`: `None` for each that the file does not hold.
///
/// # Errors
/// [`ReadError::Io`] when the file cannot be read; [`ReadError::UnknownFormat`] for other
/// formats; a malformed file or array, an unknown dtype or a larger array otherwise.
pub fn load_small(path: &Path, names: &[&str]) -> Result<Vec<Option<SmallArray>>, ReadError> {
    let file = path.display().to_string();
    let input = open(path)?;
    match Format::of_path(path) {
        Some(Format::Npz) => npz::read_small_npz(input, &file, names),
        Some(Format::Safetensors) => safetensors::read_small_safetensors(input, &file, names),
        _ => Err(ReadError::UnknownFormat { file }),
    }
}

/// Opens `path` for buffered reading.
fn open(path: &Path) -> Result<BufReader<File>, ReadError> {
    File::open(path)
        .map(|file| BufReader::with_capacity(FILE_BUFFER_BYTES, file))
        .map_err(|error| ReadError::Io {
            file: path.display().to_string(),
            error,
        })
}

/// Reads validation outputs of `format` from `input`, from its current position to its end.
/// `source` names it in messages and in [`ValidationData::source`]; `labels` is the labels
/// `.npy` and its name, for [`Format::Npy`] only. `class_names` and `progress` are as for
/// [`load`].
///
/// The input is a reader rather than bytes so that large files stream: binary data goes in
/// chunks straight into the returned vectors, a CSV block by block. It must seek, because a
/// zip archive keeps its directory at the end and a safetensors file its tensors in any order;
/// wrap bytes in [`std::io::Cursor`].
///
/// # Errors
/// As for [`load`]; [`ReadError::MissingLabels`] for a `.npy` without labels and
/// [`ReadError::UnexpectedLabels`] for labels with any other format.
pub fn read<R: Read + Seek>(
    input: R,
    format: Format,
    source: &str,
    labels: Option<(R, &str)>,
    class_names: &[String],
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<ValidationData, ReadError> {
    let mut progress = Progress::new(progress, source);
    match (format, labels) {
        (Format::Npy, Some((labels, labels_source))) => read_npy_pair(
            input,
            source,
            labels,
            labels_source,
            class_names,
            &mut progress,
        ),
        (Format::Npy, None) => Err(ReadError::MissingLabels {
            file: source.to_owned(),
        }),
        (_, Some((_, labels_source))) => Err(ReadError::UnexpectedLabels {
            file: source.to_owned(),
            labels_file: labels_source.to_owned(),
        }),
        (Format::Npz, None) => npz::read_npz(input, source, class_names, &mut progress),
        (Format::Safetensors, None) => {
            safetensors::read_safetensors(input, source, class_names, &mut progress)
        }
        (Format::Csv, None) => csv_file::read_csv(input, source, class_names, &mut progress),
    }
}

/// Reads a `.npy` of logits and a `.npy` of labels.
fn read_npy_pair<R: Read + Seek>(
    mut scores: R,
    file: &str,
    mut labels: R,
    labels_file: &str,
    class_names: &[String],
    progress: &mut Progress<'_>,
) -> Result<ValidationData, ReadError> {
    let logits = SCORE_ARRAYS[0];
    let (_, scores_length) = stream_length(&mut scores, file)?;
    let (_, labels_length) = stream_length(&mut labels, labels_file)?;
    let scores_header = npy::read_header(&mut scores, file, logits.name)?;
    let labels_header = npy::read_header(&mut labels, labels_file, LABELS)?;
    let layout = array::check_pair(
        &scores_header.array,
        &labels_header.array,
        class_names.len(),
    )?;
    for (header, length) in [
        (&scores_header, scores_length),
        (&labels_header, labels_length),
    ] {
        let data = length.saturating_sub(header.header_bytes);
        let needed = header.array.payload_bytes().unwrap_or(u64::MAX);
        if data != needed {
            return Err(ReadError::malformed(
                &header.array.file,
                format!(
                    "{}: the file holds {data} bytes after the header, shape {} of {} needs {needed}",
                    header.array.name,
                    header.array.shape_text(),
                    header.array.dtype.text
                ),
            ));
        }
    }
    progress.set_total(scores_length.saturating_add(labels_length))?;
    let labels = array::read_labels(
        &mut labels,
        &labels_header.array,
        layout.rows,
        layout.columns,
        progress,
    )?;
    let values = array::read_scores(&mut scores, &scores_header.array, layout, progress)?;
    finish(file, logits, layout, values, labels, class_names, progress)
}

/// The current position of `input` and the bytes from there to its end (the position is
/// kept).
fn stream_length<R: Seek>(input: &mut R, file: &str) -> Result<(u64, u64), ReadError> {
    let io_error = |error| ReadError::Io {
        file: file.to_owned(),
        error,
    };
    let position = input.stream_position().map_err(io_error)?;
    let end = input.seek(SeekFrom::End(0)).map_err(io_error)?;
    input.seek(SeekFrom::Start(position)).map_err(io_error)?;
    Ok((position, end.saturating_sub(position)))
}

/// Checks the scores of a binary file (finite; for probabilities, each row >= 0 and summing
/// to 1, then taken to logs) and assembles the data.
fn finish(
    file: &str,
    array: ScoreArray,
    layout: Layout,
    mut scores: Scores,
    labels: Vec<u32>,
    class_names: &[String],
    progress: &mut Progress<'_>,
) -> Result<ValidationData, ReadError> {
    let checked = match &mut scores {
        Scores::F32(values) => check_scores(file, array, layout, values, class_names),
        Scores::F64(values) => check_scores(file, array, layout, values, class_names),
    };
    checked?;
    progress.finish()?;
    Ok(ValidationData {
        source: file.to_owned(),
        classes: layout.columns,
        kind: array.kind,
        scores,
        labels,
    })
}

/// A float the scores are stored in.
trait Score: Copy {
    fn to_f64(self) -> f64;
    fn from_f64(value: f64) -> Self;
}

impl Score for f32 {
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    #[allow(
        clippy::cast_possible_truncation,
        reason = "float32 probabilities keep their logs in float32, rounded once"
    )]
    fn from_f64(value: f64) -> Self {
        value as f32
    }
}

impl Score for f64 {
    fn to_f64(self) -> f64 {
        self
    }
    fn from_f64(value: f64) -> Self {
        value
    }
}

/// Refuses NaN and infinities; for probabilities, refuses negative values and rows that do not
/// sum to 1, then replaces each value by its natural log (0 by the log of the smallest positive
/// f64).
fn check_scores<T: Score>(
    file: &str,
    array: ScoreArray,
    layout: Layout,
    values: &mut [T],
    class_names: &[String],
) -> Result<(), ReadError> {
    let place = |index: usize, with_column: bool| Place::Sample {
        array: array.name.to_owned(),
        row: index / layout.columns,
        column: with_column.then(|| {
            let column = index % layout.columns;
            let name = class_names.get(column).cloned().unwrap_or_default();
            (column, name)
        }),
    };
    if let Some(index) = values.iter().position(|v| !v.to_f64().is_finite()) {
        let value = values.get(index).map_or(f64::NAN, |v| v.to_f64());
        return Err(ReadError::NotFinite {
            file: file.to_owned(),
            place: Box::new(place(index, true)),
            value,
        });
    }
    if array.kind != ScoreKind::LogProbabilities {
        return Ok(());
    }
    let log_of_zero = (f64::MIN_POSITIVE * f64::EPSILON).ln();
    for (row, probabilities) in values.chunks_exact_mut(layout.columns).enumerate() {
        let first = row * layout.columns;
        let mut sum = 0.0;
        for (column, p) in probabilities.iter().enumerate() {
            let value = p.to_f64();
            if value < 0.0 {
                return Err(ReadError::NegativeProbability {
                    file: file.to_owned(),
                    place: Box::new(place(first + column, true)),
                    value,
                });
            }
            sum += value;
        }
        if (sum - 1.0).abs() > PROBABILITY_SUM_TOLERANCE {
            return Err(ReadError::ProbabilitySum {
                file: file.to_owned(),
                place: Box::new(place(first, false)),
                sum,
            });
        }
        for p in probabilities {
            let value = p.to_f64();
            *p = T::from_f64(if value > 0.0 { value.ln() } else { log_of_zero });
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(
    clippy::float_cmp,
    reason = "exact equality is what these tests assert"
)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_extensions_in_any_case() {
        assert_eq!(Format::of_path(Path::new("a/val.NPZ")), Some(Format::Npz));
        assert_eq!(Format::of_path(Path::new("val.npy")), Some(Format::Npy));
        assert_eq!(
            Format::of_path(Path::new("val.SafeTensors")),
            Some(Format::Safetensors)
        );
        assert_eq!(Format::of_path(Path::new("val.csv")), Some(Format::Csv));
        assert_eq!(Format::of_path(Path::new("val.pt")), None);
        assert_eq!(Format::of_path(Path::new("csv")), None);
        for extension in Format::EXTENSIONS {
            assert!(Format::of_path(Path::new(&format!("x.{extension}"))).is_some());
        }
    }

    #[test]
    fn probabilities_become_logs_and_zero_the_smallest_log() {
        let mut values = [0.5_f32, 0.5, 1.0, 0.0];
        let array = SCORE_ARRAYS[1];
        let layout = Layout {
            rows: 2,
            columns: 2,
        };
        let names = ["a".to_owned(), "b".to_owned()];
        check_scores("p.npz", array, layout, &mut values, &names).unwrap();
        // ln 0.5 = -ln 2 and ln(2^-1074) = -744.440071921381, rounded to f32.
        let half = -std::f32::consts::LN_2;
        assert_eq!(values, [half, half, 0.0, -744.440_07]);
    }

    #[test]
    fn a_probability_row_must_sum_to_one() {
        let mut values = [0.5_f64, 0.4, 0.5, 0.5];
        let layout = Layout {
            rows: 2,
            columns: 2,
        };
        let names = ["a".to_owned(), "b".to_owned()];
        let error =
            check_scores("p.npz", SCORE_ARRAYS[1], layout, &mut values, &names).unwrap_err();
        assert_eq!(
            error.to_string(),
            "p.npz: probabilities row 0 sums to 0.9, expected 1 (within 0.001)"
        );
        let mut within = [0.5_f64, 0.5009];
        let layout = Layout {
            rows: 1,
            columns: 2,
        };
        check_scores("p.npz", SCORE_ARRAYS[1], layout, &mut within, &names).unwrap();
    }
}
