//! Why a validation file could not be read, with messages that name the file, the array and the
//! row, line, column or class.

use std::fmt;
use std::io;

/// Where in a file a value sits, for messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// A sample of a binary array (`.npy`, `.npz`, `.safetensors`).
    Sample {
        /// The array's name (`logits`, `probabilities`, `labels`).
        array: String,
        /// 0-based sample index.
        row: usize,
        /// 0-based column and the preset's name for it, when the value is one score.
        column: Option<(usize, String)>,
    },
    /// A cell of a CSV file.
    Line {
        /// 1-based line of the record.
        line: u64,
        /// 1-based column and its header (or, without a header, `label` or the class name).
        column: Option<(usize, String)>,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let column = match self {
            Self::Sample { array, row, column } => {
                write!(f, "{array} row {row}")?;
                column
            }
            Self::Line { line, column } => {
                write!(f, "line {line}")?;
                column
            }
        };
        if let Some((index, name)) = column {
            write!(f, ", column {index} ({name})")?;
        }
        Ok(())
    }
}

/// Why validation outputs could not be read. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file is missing or the system could not read it.
    #[error("cannot read {file}: {error}")]
    Io {
        /// The file.
        file: String,
        /// What the system said.
        #[source]
        error: io::Error,
    },
    /// The file's extension names no format this reader knows.
    #[error("{file}: unknown file type; expected .npz, .npy, .safetensors or .csv")]
    UnknownFormat {
        /// The file.
        file: String,
    },
    /// A `.npy` of scores was given without its labels file.
    #[error(
        "{file}: a .npy holds only the logits; the labels are missing (give them as a second .npy of integers)"
    )]
    MissingLabels {
        /// The scores file.
        file: String,
    },
    /// A labels file was given with a format that holds its own labels.
    #[error(
        "{labels_file}: a separate labels file goes only with a .npy of logits; {file} holds its own labels"
    )]
    UnexpectedLabels {
        /// The scores file.
        file: String,
        /// The labels file given with it.
        labels_file: String,
    },
    /// The caller's progress callback asked to stop.
    #[error("{file}: loading cancelled")]
    Cancelled {
        /// The file being read.
        file: String,
    },
    /// The bytes are not a well-formed file of the format: a bad magic, header or archive, or
    /// a file that ends early.
    #[error("{file}: {message}")]
    Malformed {
        /// The file.
        file: String,
        /// What is wrong, and where.
        message: String,
    },
    /// A required array is not in the file.
    #[error("{file}: no array named {wanted}; found: {}", list_or_none(.found))]
    MissingArray {
        /// The file.
        file: String,
        /// What was looked for (`logits or probabilities`, `labels`).
        wanted: String,
        /// The names of the arrays that are there.
        found: Vec<String>,
    },
    /// An array's element type cannot hold what it should.
    #[error("{file}: {array} has dtype {dtype}, expected {expected}")]
    Dtype {
        /// The file.
        file: String,
        /// The array.
        array: String,
        /// The dtype as the file writes it (`<c8`, `BF16`).
        dtype: String,
        /// What is accepted.
        expected: &'static str,
    },
    /// An array has the wrong number of dimensions.
    #[error("{file}: {array} has shape {shape}, expected {expected}")]
    Shape {
        /// The file.
        file: String,
        /// The array.
        array: String,
        /// The shape, written as Python does (`(6, 4, 2)`).
        shape: String,
        /// The shape accepted.
        expected: &'static str,
    },
    /// The scores have another number of columns than the preset has classes.
    #[error("{file}: {array} has {columns} columns, the preset has {classes} classes")]
    ClassCount {
        /// The file.
        file: String,
        /// The array (or, for a CSV, `the table`).
        array: String,
        /// Columns of scores in the file.
        columns: usize,
        /// Classes in the preset.
        classes: usize,
    },
    /// The scores and the labels count different samples.
    #[error("{file}: {array} has {rows} rows, {}", labels_count(.file, .labels_file, .labels))]
    LengthMismatch {
        /// The scores file.
        file: String,
        /// The scores array.
        array: String,
        /// Rows of scores.
        rows: usize,
        /// The labels file (the same as `file` unless the labels came apart).
        labels_file: String,
        /// Number of labels.
        labels: usize,
    },
    /// The file holds no samples.
    #[error("{file}: no samples (0 rows)")]
    NoRows {
        /// The file.
        file: String,
    },
    /// A score is NaN or infinite.
    #[error("{file}: {place} is {value}")]
    NotFinite {
        /// The file.
        file: String,
        /// The sample or line, and the column.
        place: Box<Place>,
        /// The value (NaN, inf or -inf).
        value: f64,
    },
    /// A probability is below 0.
    #[error("{file}: {place} is {value}, a probability cannot be negative")]
    NegativeProbability {
        /// The file.
        file: String,
        /// The sample and column.
        place: Box<Place>,
        /// The value.
        value: f64,
    },
    /// A row of probabilities does not sum to 1.
    #[error("{file}: {place} sums to {sum}, expected 1 (within 0.001)")]
    ProbabilitySum {
        /// The file.
        file: String,
        /// The sample.
        place: Box<Place>,
        /// The row's sum.
        sum: f64,
    },
    /// A label is not a class index of the preset.
    #[error("{file}: {place} is {value}, expected a class index from 0 to {}", .classes.saturating_sub(1))]
    LabelOutOfRange {
        /// The file.
        file: String,
        /// The sample or line.
        place: Box<Place>,
        /// The label as written.
        value: i128,
        /// Classes in the preset.
        classes: usize,
    },
    /// A CSV label is neither a class index nor a class name.
    #[error("{file}: {place}: '{text}' is neither a class index nor a class name ({})", class_list(.classes))]
    UnknownLabel {
        /// The file.
        file: String,
        /// The line and column.
        place: Box<Place>,
        /// The cell.
        text: String,
        /// The preset's class names.
        classes: Vec<String>,
    },
    /// A CSV score cell does not parse as a number.
    #[error("{file}: {place}: '{text}' is not a number")]
    NotANumber {
        /// The file.
        file: String,
        /// The line and column.
        place: Box<Place>,
        /// The cell.
        text: String,
    },
    /// A CSV row has another number of fields than the first.
    #[error(
        "{file}: line {line} has {fields} fields, expected {expected} (as on line {first_line})"
    )]
    RaggedRow {
        /// The file.
        file: String,
        /// 1-based line of the record.
        line: u64,
        /// Fields on it.
        fields: usize,
        /// Fields on the first line.
        expected: usize,
        /// The first line (the header, or the first record).
        first_line: u64,
    },
    /// A CSV header column names no class of the preset.
    #[error("{file}: column '{column}' names no class of the preset ({})", class_list(.classes))]
    UnknownColumn {
        /// The file.
        file: String,
        /// The header cell.
        column: String,
        /// The preset's class names.
        classes: Vec<String>,
    },
    /// A CSV header names a column twice.
    #[error("{file}: column '{column}' appears twice in the header")]
    DuplicateColumn {
        /// The file.
        file: String,
        /// The header cell.
        column: String,
    },
    /// A CSV header has no column for a class of the preset, or none for the labels.
    #[error("{file}: the header has no column '{column}'")]
    MissingColumn {
        /// The file.
        file: String,
        /// The class name, or `label`.
        column: String,
    },
    /// The scores could not be given memory.
    #[error("{file}: not enough memory for {array} ({bytes} bytes)")]
    OutOfMemory {
        /// The file.
        file: String,
        /// The array.
        array: String,
        /// Bytes asked for.
        bytes: u64,
    },
}

impl ReadError {
    /// Whether the file was missing or unreadable (exit code 1); every other error is bad input
    /// (exit code 2).
    #[must_use]
    pub fn is_io(&self) -> bool {
        matches!(self, Self::Io { .. })
    }

    /// A [`ReadError::Malformed`] for `file`.
    pub(super) fn malformed(file: &str, message: impl Into<String>) -> Self {
        Self::Malformed {
            file: file.to_owned(),
            message: message.into(),
        }
    }

    /// An error of the system while reading `file`: a file that ends early or bytes that do
    /// not decode (a corrupt deflate stream, a zip checksum) are malformed input; anything
    /// else is the system's.
    pub(super) fn from_io(file: &str, what: &str, error: io::Error) -> Self {
        // The zip reader wraps its own complaints (an unknown compression method, say) in
        // I/O errors.
        let zip_complaint = error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<zip::result::ZipError>())
            .is_some_and(|inner| !matches!(inner, zip::result::ZipError::Io(_)));
        if zip_complaint || error.kind() == io::ErrorKind::Unsupported {
            return Self::malformed(file, format!("{what} is corrupt: {error}"));
        }
        match error.kind() {
            io::ErrorKind::UnexpectedEof => Self::malformed(file, format!("{what} ends early")),
            io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => {
                Self::malformed(file, format!("{what} is corrupt: {error}"))
            }
            _ => Self::Io {
                file: file.to_owned(),
                error,
            },
        }
    }
}

/// Text taken from a file, fit for a message: control characters escaped, and cut after 40
/// characters (a broken quote in a CSV can make one cell of the whole file).
pub(super) fn excerpt(text: &str) -> String {
    const MAX_CHARS: usize = 40;
    let mut out = String::new();
    for (index, c) in text.chars().enumerate() {
        if index == MAX_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn list_or_none(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

fn class_list(classes: &[String]) -> String {
    classes.join(", ")
}

fn labels_count(file: &str, labels_file: &str, labels: impl fmt::Display) -> String {
    if file == labels_file {
        format!("labels {labels}")
    } else {
        format!("but {labels_file} holds {labels} labels")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_escape_control_characters_and_stop_at_40_characters() {
        assert_eq!(excerpt("a\nb\u{0}"), "a\\nb\\u{0}");
        assert_eq!(excerpt(&"x".repeat(41)), format!("{}…", "x".repeat(40)));
        assert_eq!(excerpt(&"é".repeat(40)), "é".repeat(40));
    }
}
