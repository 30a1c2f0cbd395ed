//! Run files: validation outputs as [`crate::core::outcomes::read`] reads them, plus the class
//! weights the run was trained with.
//!
//! - `.npz` and `.safetensors`: the array `class_weights` (C floats or integers, one per class,
//!   each finite and > 0), and optionally the scalars `seed` and `epoch` (integers; a
//!   one-element array counts as a scalar).
//! - `.csv` and `.npy`: a sidecar JSON file named after the run with `.json` added
//!   (`run3.csv.json`): `{"class_weights": [..], "seed": 3, "epoch": 40}`; a `.npy` run's
//!   sidecar also names its labels file, `"labels": "labels.npy"`, relative to the sidecar.
//! - A folder stands for every `.npz` and `.safetensors` file in it, by name; names starting
//!   with `.` are skipped (a writer's temporary file, say `.run3.npz.tmp`).

use std::io;
use std::path::{Path, PathBuf};

use crate::core::outcomes::data::ValidationData;
use crate::core::outcomes::read::{self, Format, ReadError, SmallArray};

/// A run's own facts: its file and what it was trained with.
#[derive(Clone, Debug, PartialEq)]
pub struct RunInfo {
    /// The file, as given (a folder's runs as the folder joined with their names).
    pub file: String,
    /// The class weights the run was trained with, one per class.
    pub weights: Vec<f64>,
    /// The seed, when the file records it.
    pub seed: Option<i64>,
    /// The epoch, when the file records it.
    pub epoch: Option<i64>,
}

/// Why runs could not be read or do not belong together. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The outputs could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A run has no `class_weights`.
    #[error(
        "{file}: no class_weights: a run records the class weights it was trained with ({classes} numbers, one per class){how}"
    )]
    MissingWeights {
        /// The run.
        file: String,
        /// Classes of the preset.
        classes: usize,
        /// How to add them for this format.
        how: &'static str,
    },
    /// A field of a run is unusable.
    #[error("{file}: {field} {message}")]
    BadField {
        /// The run (or its sidecar).
        file: String,
        /// `class_weights`, `class_weights[2]`, `seed`, `epoch`, `labels`.
        field: String,
        /// What it is and what was expected.
        message: String,
    },
    /// A folder or sidecar could not be read.
    #[error("cannot read {file}: {error}")]
    Io {
        /// The folder or sidecar.
        file: String,
        /// What the system said.
        #[source]
        error: io::Error,
    },
    /// A folder holds no runs.
    #[error("{folder}: no .npz or .safetensors files in this folder")]
    EmptyFolder {
        /// The folder.
        folder: String,
    },
    /// No runs were given.
    #[error("no runs: give run files or folders")]
    NoRuns,
    /// A run's labels differ from the first run's.
    #[error(
        "{file}: row {row} is labelled {label}, {first_file} labels it {first_label}: all runs must share one validation set (the same labels in the same order)"
    )]
    LabelsDiffer {
        /// The run.
        file: String,
        /// The first run, whose labels are the set's.
        first_file: String,
        /// The first differing row (0-based sample).
        row: usize,
        /// This run's label there.
        label: u32,
        /// The first run's label there.
        first_label: u32,
    },
    /// A run has another number of samples than the first run.
    #[error(
        "{file}: {samples} samples, {first_file} has {first_samples}: all runs must share one validation set (row {row} is the first one missing)"
    )]
    SampleCount {
        /// The run.
        file: String,
        /// Its samples.
        samples: usize,
        /// The first run.
        first_file: String,
        /// The first run's samples.
        first_samples: usize,
        /// The first row that only one of them has.
        row: usize,
    },
}

impl RunError {
    /// Whether the system failed to read (exit code 1); anything else is bad input (2).
    #[must_use]
    pub fn is_io(&self) -> bool {
        match self {
            Self::Read(error) => error.is_io(),
            Self::Io { .. } => true,
            _ => false,
        }
    }
}

/// The run files `paths` stand for: each file as given, each folder's `.npz` and
/// `.safetensors` files by name (hidden names skipped).
///
/// # Errors
/// [`RunError::Io`] for a folder that cannot be listed, [`RunError::EmptyFolder`] for one
/// without runs, [`RunError::NoRuns`] for no paths.
pub fn list_runs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, RunError> {
    if paths.is_empty() {
        return Err(RunError::NoRuns);
    }
    let mut runs = Vec::new();
    for path in paths {
        if path.is_dir() {
            let found = folder_runs(path)?;
            if found.is_empty() {
                return Err(RunError::EmptyFolder {
                    folder: path.display().to_string(),
                });
            }
            runs.extend(found);
        } else if path.exists() {
            runs.push(path.clone());
        } else {
            return Err(RunError::Io {
                file: path.display().to_string(),
                error: io::Error::new(io::ErrorKind::NotFound, "no such file or folder"),
            });
        }
    }
    Ok(runs)
}

/// The `.npz` and `.safetensors` files of `folder`, by name; names starting with `.` skipped.
///
/// # Errors
/// [`RunError::Io`] when the folder cannot be listed.
pub fn folder_runs(folder: &Path) -> Result<Vec<PathBuf>, RunError> {
    let io_error = |error| RunError::Io {
        file: folder.display().to_string(),
        error,
    };
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(io_error)? {
        let entry = entry.map_err(io_error)?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let path = entry.path();
        let is_run = matches!(
            Format::of_path(&path),
            Some(Format::Npz | Format::Safetensors)
        );
        if is_run && !name.starts_with('.') && path.is_file() {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// The sidecar of a `.csv` or `.npy` run: its name with `.json` added.
#[must_use]
pub fn sidecar_path(run: &Path) -> PathBuf {
    let mut name = run.as_os_str().to_owned();
    name.push(".json");
    PathBuf::from(name)
}

/// Reads only a run's own facts (its weights, seed and epoch), without its outputs: cheap, so
/// that a set can plan its sweeps before reading any outputs.
///
/// # Errors
/// A missing or unusable `class_weights`, `seed` or `epoch`; an unreadable file or sidecar.
pub fn read_run_info(path: &Path, classes: usize) -> Result<RunInfo, RunError> {
    Ok(read_facts(path, classes)?.0)
}

/// Reads a run: its facts and its validation outputs.
///
/// # Errors
/// As [`read_run_info`], and as [`read::load`] for the outputs.
pub fn read_run(
    path: &Path,
    class_names: &[String],
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<(RunInfo, ValidationData), RunError> {
    let (info, labels) = read_facts(path, class_names.len())?;
    let data = read::load(path, labels.as_deref(), class_names, progress)?;
    Ok((info, data))
}

/// The facts of a run, and for a `.npy` run the labels file its sidecar names.
fn read_facts(path: &Path, classes: usize) -> Result<(RunInfo, Option<PathBuf>), RunError> {
    let file = path.display().to_string();
    match Format::of_path(path) {
        Some(Format::Npz | Format::Safetensors) => {
            let arrays = read::load_small(path, &["class_weights", "seed", "epoch"])?;
            let mut arrays = arrays.into_iter();
            let mut next = || arrays.next().flatten();
            let (weights, seed, epoch) = (next(), next(), next());
            let Some(weights) = weights else {
                return Err(RunError::MissingWeights {
                    file,
                    classes,
                    how: "; save it beside the outputs, e.g. np.savez(f, logits=.., labels=.., class_weights=w)",
                });
            };
            let weights = array_weights(&file, &weights, classes)?;
            let seed = seed.map(|a| scalar(&file, "seed", &a)).transpose()?;
            let epoch = epoch.map(|a| scalar(&file, "epoch", &a)).transpose()?;
            Ok((
                RunInfo {
                    file,
                    weights,
                    seed,
                    epoch,
                },
                None,
            ))
        }
        Some(format @ (Format::Csv | Format::Npy)) => read_sidecar(path, format, classes),
        None => Err(RunError::Read(ReadError::UnknownFormat { file })),
    }
}

/// The weights of a `class_weights` array: shape `(C,)`, each finite and > 0.
fn array_weights(file: &str, array: &SmallArray, classes: usize) -> Result<Vec<f64>, RunError> {
    if array.shape != [classes as u64] {
        let shape = read::python_shape(&array.shape);
        return Err(RunError::BadField {
            file: file.to_owned(),
            field: "class_weights".to_owned(),
            message: format!("has shape {shape}, expected ({classes},): one weight per class"),
        });
    }
    check_weights(file, &array.values)?;
    Ok(array.values.clone())
}

/// Each weight finite and > 0.
fn check_weights(file: &str, weights: &[f64]) -> Result<(), RunError> {
    match weights.iter().position(|w| !(w.is_finite() && *w > 0.0)) {
        Some(index) => Err(RunError::BadField {
            file: file.to_owned(),
            field: format!("class_weights[{index}]"),
            message: format!(
                "is {}, expected a finite weight > 0",
                weights.get(index).copied().unwrap_or(f64::NAN)
            ),
        }),
        None => Ok(()),
    }
}

/// A scalar integer (`seed`, `epoch`): shape `()` or `(1,)`, a whole number.
fn scalar(file: &str, field: &str, array: &SmallArray) -> Result<i64, RunError> {
    let bad = |message: String| RunError::BadField {
        file: file.to_owned(),
        field: field.to_owned(),
        message,
    };
    let [value] = array.values.as_slice() else {
        return Err(bad(format!(
            "has shape {}, expected a scalar",
            read::python_shape(&array.shape)
        )));
    };
    integer(*value).ok_or_else(|| bad(format!("is {value}, expected an integer")))
}

/// `value` as an integer when it is a whole number in range.
#[allow(
    clippy::cast_possible_truncation,
    reason = "the value is whole and within i64's range, checked first"
)]
fn integer(value: f64) -> Option<i64> {
    (value.fract() == 0.0 && value.abs() < 9.0e15).then_some(value as i64)
}

/// The facts of a `.csv` or `.npy` run, from its sidecar JSON.
fn read_sidecar(
    path: &Path,
    format: Format,
    classes: usize,
) -> Result<(RunInfo, Option<PathBuf>), RunError> {
    let sidecar = sidecar_path(path);
    let sidecar_name = sidecar.display().to_string();
    let text = match std::fs::read_to_string(&sidecar) {
        Ok(text) => text,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Err(RunError::MissingWeights {
                file: path.display().to_string(),
                classes,
                how: "; a .csv or .npy run states them in a sidecar named after it with .json added: {\"class_weights\": [..]}",
            });
        }
        Err(error) => {
            return Err(RunError::Io {
                file: sidecar_name,
                error,
            });
        }
    };
    let bad = |field: &str, message: String| RunError::BadField {
        file: sidecar_name.clone(),
        field: field.to_owned(),
        message,
    };
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|error| bad("the sidecar", format!("is not JSON: {error}")))?;
    let Some(object) = value.as_object() else {
        return Err(bad("the sidecar", "is not a JSON object".to_owned()));
    };
    let Some(weights) = object.get("class_weights") else {
        return Err(RunError::MissingWeights {
            file: sidecar_name,
            classes,
            how: ": {\"class_weights\": [..]}",
        });
    };
    let weights: Vec<f64> = weights
        .as_array()
        .and_then(|list| list.iter().map(serde_json::Value::as_f64).collect())
        .ok_or_else(|| bad("class_weights", "is not a list of numbers".to_owned()))?;
    if weights.len() != classes {
        return Err(bad(
            "class_weights",
            format!(
                "has {} numbers, expected {classes}: one weight per class",
                weights.len()
            ),
        ));
    }
    check_weights(&sidecar_name, &weights)?;
    let whole = |field: &str| -> Result<Option<i64>, RunError> {
        match object.get(field) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(value) => value
                .as_f64()
                .and_then(integer)
                .map(Some)
                .ok_or_else(|| bad(field, format!("is {value}, expected an integer"))),
        }
    };
    let (seed, epoch) = (whole("seed")?, whole("epoch")?);
    let labels = match (format, object.get("labels")) {
        (Format::Npy, Some(serde_json::Value::String(name))) => Some(
            sidecar
                .parent()
                .map_or_else(|| PathBuf::from(name), |folder| folder.join(name)),
        ),
        (Format::Npy, _) => {
            return Err(bad(
                "labels",
                "is missing: a .npy run's sidecar names its labels file, \"labels\": \"labels.npy\""
                    .to_owned(),
            ));
        }
        _ => None,
    };
    Ok((
        RunInfo {
            file: path.display().to_string(),
            weights,
            seed,
            epoch,
        },
        labels,
    ))
}
