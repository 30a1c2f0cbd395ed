//! Reading a [`Dataset`] back from CSV: the files [`Dataset::to_csv`] writes (and
//! `weightbench simulate --write-data` saves), or any file laid out the same way.
//!
//! The first line is a header when one of its fields is `label`: that column holds the labels
//! and every other column is a feature, in order. Without a header the first column is the
//! label and the rest are features. A label is a 0-based class index or a class name of the
//! preset; a feature is a finite number. Every row has as many fields as the first line. Errors
//! name the file, the 1-based line and column (with its header, or `label` / `x1`, `x2`, ..).

use std::io::Read;

use crate::core::outcomes::read::ReadError;
use crate::core::simulator::data::Dataset;

/// The name of the label column in a header.
pub const LABEL_COLUMN: &str = "label";

impl Dataset {
    /// Reads labelled points from CSV text (see the module doc for the layout), against the
    /// preset's class names `classes`; `source` is the name errors go by.
    ///
    /// ```
    /// use weightbench::core::simulator::Dataset;
    ///
    /// let classes = ["cat".to_owned(), "debris".to_owned()];
    /// let data = Dataset::from_csv("label,x1,x2\n0,1.5,-2\ndebris,0,0.25\n".as_bytes(), "d.csv", &classes)?;
    /// assert_eq!((data.dimensions, data.labels.clone()), (2, vec![0, 1]));
    /// assert_eq!(Dataset::from_csv(data.to_csv().as_bytes(), "d.csv", &classes)?, data);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`ReadError::Io`] when the reader fails; [`ReadError::Malformed`] for a label that is no
    /// class, a feature that is not a finite number, no feature column or no rows;
    /// [`ReadError::RaggedRow`] for a row with another number of fields than the first line.
    pub fn from_csv(
        reader: impl Read,
        source: &str,
        classes: &[String],
    ) -> Result<Self, ReadError> {
        let malformed = |message: String| ReadError::Malformed {
            file: source.to_owned(),
            message,
        };
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(reader);
        let mut layout: Option<Layout> = None;
        let mut data = Self::default();
        for record in csv.records() {
            let record = record.map_err(|error| csv_error(source, error))?;
            let line = record.position().map_or(0, csv::Position::line);
            let layout = if let Some(layout) = &mut layout {
                layout
            } else {
                let (new, is_header) = Layout::of(&record, line);
                if new.names.len() < 2 {
                    return Err(malformed(format!(
                        "line {line}: {} field(s), expected a label and at least one feature",
                        new.names.len()
                    )));
                }
                data.dimensions = new.names.len() - 1;
                let layout = layout.insert(new);
                if is_header {
                    continue;
                }
                layout
            };
            if record.len() != layout.names.len() {
                return Err(ReadError::RaggedRow {
                    file: source.to_owned(),
                    line,
                    fields: record.len(),
                    expected: layout.names.len(),
                    first_line: layout.first_line,
                });
            }
            for (index, field) in record.iter().enumerate() {
                let at = || {
                    format!(
                        "line {line}, column {} ({})",
                        index + 1,
                        layout.names[index]
                    )
                };
                if index == layout.label {
                    let label = parse_label(field, classes).ok_or_else(|| {
                        malformed(format!(
                            "{}: {field:?}, expected a class index from 0 to {} or a class name ({})",
                            at(),
                            classes.len().saturating_sub(1),
                            classes.join(", ")
                        ))
                    })?;
                    data.labels.push(label);
                } else {
                    let value = field
                        .parse::<f64>()
                        .ok()
                        .filter(|value| value.is_finite())
                        .ok_or_else(|| {
                            malformed(format!("{}: {field:?}, expected a finite number", at()))
                        })?;
                    data.features.push(value);
                }
            }
        }
        if data.labels.is_empty() {
            return Err(malformed(
                "no samples, expected at least one row".to_owned(),
            ));
        }
        Ok(data)
    }
}

/// Where the label is and what each column is called.
struct Layout {
    /// The label's column, 0-based.
    label: usize,
    /// Each column's name: the header's, or `label`, `x1`, `x2`, ...
    names: Vec<String>,
    /// The first line, for ragged-row errors.
    first_line: u64,
}

impl Layout {
    /// The layout the first record gives, and whether that record is a header.
    fn of(first: &csv::StringRecord, line: u64) -> (Self, bool) {
        if let Some(label) = first.iter().position(|field| field == LABEL_COLUMN) {
            let names = first.iter().map(str::to_owned).collect();
            return (
                Self {
                    label,
                    names,
                    first_line: line,
                },
                true,
            );
        }
        let names = std::iter::once(LABEL_COLUMN.to_owned())
            .chain((1..first.len()).map(|d| format!("x{d}")))
            .collect();
        (
            Self {
                label: 0,
                names,
                first_line: line,
            },
            false,
        )
    }
}

/// A class index below `classes.len()`, or a class name.
fn parse_label(field: &str, classes: &[String]) -> Option<u32> {
    match field.parse::<u32>() {
        Ok(index) => (usize::try_from(index).ok()? < classes.len()).then_some(index),
        Err(_) => classes
            .iter()
            .position(|name| name == field)
            .and_then(|index| u32::try_from(index).ok()),
    }
}

/// A reading error of the CSV parser as the readers' error.
fn csv_error(source: &str, error: csv::Error) -> ReadError {
    let message = error.to_string();
    match error.into_kind() {
        csv::ErrorKind::Io(error) => ReadError::Io {
            file: source.to_owned(),
            error,
        },
        _ => ReadError::Malformed {
            file: source.to_owned(),
            message,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        ["a", "b", "debris"].map(str::to_owned).to_vec()
    }

    #[test]
    fn headerless_and_reordered_columns_read_the_same() {
        let with_header =
            Dataset::from_csv("x1,label,x2\n1,0,2\n3,debris,4\n".as_bytes(), "f", &names())
                .unwrap();
        let without = Dataset::from_csv("0,1,2\n2,3,4\n".as_bytes(), "f", &names()).unwrap();
        assert_eq!(with_header, without);
        assert_eq!(without.features, [1.0, 2.0, 3.0, 4.0]);
    }

    #[test]
    fn errors_name_the_file_line_and_column() {
        let error = |text: &str| {
            Dataset::from_csv(text.as_bytes(), "d.csv", &names())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            error("label,x1\n0,1\n3,2\n"),
            "d.csv: line 3, column 1 (label): \"3\", expected a class index from 0 to 2 or a class name (a, b, debris)"
        );
        assert_eq!(
            error("0,1\n1,nan\n"),
            "d.csv: line 2, column 2 (x1): \"nan\", expected a finite number"
        );
        assert_eq!(
            error("0,1\n1,2,3\n"),
            "d.csv: line 2 has 3 fields, expected 2 (as on line 1)"
        );
        assert_eq!(
            error("label,x1\n"),
            "d.csv: no samples, expected at least one row"
        );
        assert_eq!(
            error("label\n0\n"),
            "d.csv: line 1: 1 field(s), expected a label and at least one feature"
        );
    }
}
