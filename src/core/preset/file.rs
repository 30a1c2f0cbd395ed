//! Reading and writing presets as RON, with errors that name the file, position and field.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::core::preset::validate::ValidationError;
use crate::core::preset::{PRESET_VERSION, Preset};

/// Why a preset could not be read or written. The message names the file and the place.
#[derive(Debug, thiserror::Error)]
pub enum PresetError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The file could not be written; the previous file, if any, is untouched.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The text is not a RON preset (bad syntax, a missing field or a wrong type).
    #[error("{origin}:{line}:{column}: {message}")]
    Syntax {
        /// File name (or `<stdin>`).
        origin: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// The file was written by a newer program, in a format this one does not know.
    #[error(
        "{origin}: preset version {found} is newer than this weightbench reads (version {PRESET_VERSION}); open it with a newer weightbench"
    )]
    NewerVersion {
        /// File name (or `<stdin>`).
        origin: String,
        /// The version in the file.
        found: u32,
    },
    /// A version that never existed.
    #[error("{origin}: version: {found} is not a preset version, expected {PRESET_VERSION}")]
    UnknownVersion {
        /// File name (or `<stdin>`).
        origin: String,
        /// The version in the file.
        found: u32,
    },
    /// The preset parses but cannot be evaluated.
    #[error("{origin}: {error}")]
    Invalid {
        /// File name (or `<stdin>`).
        origin: String,
        /// The first invalid field.
        error: ValidationError,
    },
    /// The preset could not be turned into RON (it holds a value RON cannot write).
    #[error("cannot write the preset as RON: {0}")]
    Serialize(String),
}

impl PresetError {
    /// Whether the failure was the system's (reading or writing), not the content's.
    #[must_use]
    pub fn is_io(&self) -> bool {
        matches!(self, Self::Read { .. } | Self::Write { .. })
    }
}

/// The notebook preset, embedded as the default the program starts from.
pub const NOTEBOOK_PRESET_RON: &str = include_str!("../../../presets/notebook.ron");

impl Preset {
    /// The preset the window starts from: the notebook, or the blank preset should the
    /// embedded file ever fail to parse (the test suite rules that out).
    #[must_use]
    pub fn starting() -> Self {
        Self::notebook().unwrap_or_else(|_| Self::blank())
    }

    /// The preset embedded in the program: the seed notebook's classes and cases.
    ///
    /// # Errors
    /// Only if the embedded file were broken, which the test suite rules out.
    pub fn notebook() -> Result<Self, PresetError> {
        parse_preset(NOTEBOOK_PRESET_RON, "presets/notebook.ron (built in)")
    }
}

/// Only the version, read first so a newer file is refused for its version, not its fields.
#[derive(Deserialize)]
#[serde(rename = "Preset")]
struct VersionProbe {
    version: u32,
}

/// Parses and validates a preset from RON text; `origin` names it in errors.
///
/// # Errors
/// Syntax errors with line:column, a version this program cannot read, or an invalid field.
pub fn parse_preset(text: &str, origin: &str) -> Result<Preset, PresetError> {
    if let Ok(probe) = ron::from_str::<VersionProbe>(text) {
        if probe.version > PRESET_VERSION {
            return Err(PresetError::NewerVersion {
                origin: origin.to_owned(),
                found: probe.version,
            });
        }
        if probe.version == 0 {
            return Err(PresetError::UnknownVersion {
                origin: origin.to_owned(),
                found: probe.version,
            });
        }
    }
    let preset: Preset = ron::from_str(text).map_err(|error| PresetError::Syntax {
        origin: origin.to_owned(),
        line: error.span.start.line,
        column: error.span.start.col,
        message: error.code.to_string(),
    })?;
    preset.validate().map_err(|error| PresetError::Invalid {
        origin: origin.to_owned(),
        error,
    })?;
    Ok(preset)
}

/// Reads, parses and validates the preset file at `path`.
///
/// # Errors
/// The file cannot be read, or [`parse_preset`] refuses its content.
pub fn load_preset(path: &Path) -> Result<Preset, PresetError> {
    let text = fs::read_to_string(path).map_err(|source| PresetError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_preset(&text, &path.display().to_string())
}

/// The preset as pretty RON, one class or scenario per line.
///
/// # Errors
/// Only if the preset holds a value RON cannot write.
pub fn preset_to_ron(preset: &Preset) -> Result<String, PresetError> {
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(2)
        .struct_names(false)
        .indentor("    ");
    let mut text = ron::ser::to_string_pretty(preset, config)
        .map_err(|error| PresetError::Serialize(error.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// Validates `preset` and writes it to `path` atomically.
///
/// The text goes to a temporary file in the same folder, is flushed to disk, and then
/// renamed over `path`: an interrupted save leaves the previous file whole.
///
/// # Errors
/// An invalid preset (nothing is written), or the system refused a step (the previous
/// file is untouched and the temporary file removed).
pub fn save_preset(preset: &Preset, path: &Path) -> Result<(), PresetError> {
    let text = encode_preset(preset, path)?;
    write_preset(&text, path)
}

/// Validates `preset` and writes it as the text of the file at `path`: the first half of
/// [`save_preset`], quick enough for a window's UI thread.
///
/// # Errors
/// An invalid preset, named with `path`.
pub fn encode_preset(preset: &Preset, path: &Path) -> Result<String, PresetError> {
    let origin = path.display().to_string();
    preset
        .validate()
        .map_err(|error| PresetError::Invalid { origin, error })?;
    preset_to_ron(preset)
}

/// Writes a preset's `text` to `path` atomically: the second half of [`save_preset`], the one
/// that waits for the disk.
///
/// # Errors
/// The system refused a step (the previous file is untouched and the temporary file removed).
pub fn write_preset(text: &str, path: &Path) -> Result<(), PresetError> {
    write_atomically(path, text.as_bytes()).map_err(|source| PresetError::Write {
        path: path.to_owned(),
        source,
    })
}

/// Writes `bytes` to a temporary file beside `path`, flushes it to disk and renames it over
/// `path`; on failure the temporary file is removed and `path` is untouched.
///
/// # Errors
/// The first step the system refused.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    // Unique per process and per write: two writers (two windows, or two threads of one)
    // never share a temporary file, so each rename installs one whole file.
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let file_name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let write = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(file_name);
    temporary_name.push(format!(".{}.{write}.tmp", std::process::id()));
    let temporary = folder.join(temporary_name);
    let result = (|| {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temporary, path)
    })();
    if result.is_err() {
        // Best effort: the temporary file may not exist, and the original error is the one to report.
        let _ = fs::remove_file(&temporary);
    }
    result
}
