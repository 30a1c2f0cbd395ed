//! CSV: one row per sample, the label and one score per class, streamed record by record.
//!
//! The first row is a header when any of its cells is not a number; a first cell that names a
//! class does not count, since a file without a header may start with a label written as a
//! name. With a header, the column `label` holds the labels and every other column is named
//! after a class of the preset, in any order. Without one, the first column is the label and
//! the rest are the scores in class order. A label is a 0-based class index or a class name.
//! Scores are logits, read as f64.

use std::io::{Read, Seek};

use super::error::{Place, ReadError, excerpt};
use super::progress::Progress;
use super::stream_length;
use crate::core::validation::{ScoreKind, Scores, ValidationData};

/// The header of the labels column.
const LABEL_COLUMN: &str = "label";
/// Records between two looks at the progress.
const RECORDS_PER_REPORT: usize = 1 << 14;

/// What each column of the file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Label,
    Class(usize),
}

/// The columns of the file, and their names for messages.
struct Columns {
    kinds: Vec<Column>,
    names: Vec<String>,
    /// The line the column count was taken from.
    first_line: u64,
}

/// Reads a CSV of labels and logits.
pub(super) fn read_csv<R: Read + Seek>(
    mut input: R,
    file: &str,
    class_names: &[String],
    progress: &mut Progress<'_>,
) -> Result<ValidationData, ReadError> {
    let (_, length) = stream_length(&mut input, file)?;
    progress.set_total(length)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut record = csv::ByteRecord::new();
    if !next_record(&mut reader, &mut record, file)? {
        return Err(ReadError::NoRows {
            file: file.to_owned(),
        });
    }
    let first_line = line_of(&record);
    let (columns, first_is_data) = if is_header(&record, class_names) {
        (
            header_columns(&record, file, class_names, first_line)?,
            false,
        )
    } else {
        let classes = record.len().saturating_sub(1);
        if classes != class_names.len() {
            return Err(ReadError::ClassCount {
                file: file.to_owned(),
                array: format!("line {first_line}, after the label,"),
                columns: classes,
                classes: class_names.len(),
            });
        }
        let mut names = vec![LABEL_COLUMN.to_owned()];
        names.extend(class_names.iter().cloned());
        let mut kinds = vec![Column::Label];
        kinds.extend((0..classes).map(Column::Class));
        let columns = Columns {
            kinds,
            names,
            first_line,
        };
        (columns, true)
    };
    let mut scores: Vec<f64> = Vec::new();
    let mut labels: Vec<u32> = Vec::new();
    let mut table = Table {
        file,
        class_names,
        columns: &columns,
        scores: &mut scores,
        labels: &mut labels,
    };
    if first_is_data {
        table.push(&record)?;
    }
    let mut since_report = 0;
    while next_record(&mut reader, &mut record, file)? {
        table.push(&record)?;
        since_report += 1;
        if since_report == RECORDS_PER_REPORT {
            since_report = 0;
            progress.advance_to(reader.position().byte())?;
        }
    }
    if labels.is_empty() {
        return Err(ReadError::NoRows {
            file: file.to_owned(),
        });
    }
    scores.shrink_to_fit();
    labels.shrink_to_fit();
    progress.finish()?;
    Ok(ValidationData {
        source: file.to_owned(),
        classes: class_names.len(),
        kind: ScoreKind::Logits,
        scores: Scores::F64(scores),
        labels,
    })
}

/// Reads the next record; `false` at the end of the file.
fn next_record<R: Read>(
    reader: &mut csv::Reader<R>,
    record: &mut csv::ByteRecord,
    file: &str,
) -> Result<bool, ReadError> {
    reader.read_byte_record(record).map_err(|error| {
        let line = error.position().map_or(0, csv::Position::line);
        match error.into_kind() {
            csv::ErrorKind::Io(error) => ReadError::from_io(file, &format!("line {line}"), error),
            other => ReadError::malformed(file, format!("line {line}: {other:?}")),
        }
    })
}

/// The 1-based line a record starts on.
fn line_of(record: &csv::ByteRecord) -> u64 {
    record.position().map_or(0, csv::Position::line)
}

/// The cells of a record, without the spaces around them. (Trimming here, rather than with
/// the reader's `Trim::All`, which copies every record, reads a large file about a third faster.)
fn cells(record: &csv::ByteRecord) -> impl Iterator<Item = &[u8]> {
    record.iter().map(<[u8]>::trim_ascii)
}

/// A cell as text for a message (invalid UTF-8 shown with replacement characters).
fn text_of(cell: &[u8]) -> String {
    excerpt(&String::from_utf8_lossy(cell))
}

/// A cell as a number, when it is one.
fn number(cell: &[u8]) -> Option<f64> {
    std::str::from_utf8(cell).ok()?.parse().ok()
}

/// Whether the first record is a header: any cell is not a number, not counting a first cell
/// that names a class (a label of a file without a header).
fn is_header(record: &csv::ByteRecord, class_names: &[String]) -> bool {
    cells(record).enumerate().any(|(index, cell)| {
        let names_class = index == 0 && class_names.iter().any(|name| name.as_bytes() == cell);
        !names_class && number(cell).is_none()
    })
}

/// Maps the header's columns to the label and the classes, refusing names that match nothing,
/// names given twice, and classes (or the label) without a column.
fn header_columns(
    record: &csv::ByteRecord,
    file: &str,
    class_names: &[String],
    first_line: u64,
) -> Result<Columns, ReadError> {
    let mut kinds = Vec::with_capacity(record.len());
    let mut names = Vec::with_capacity(record.len());
    for cell in cells(record) {
        let name = text_of(cell);
        let kind = if cell == LABEL_COLUMN.as_bytes() {
            Column::Label
        } else if let Some(class) = class_names
            .iter()
            .position(|class| class.as_bytes() == cell)
        {
            Column::Class(class)
        } else {
            return Err(ReadError::UnknownColumn {
                file: file.to_owned(),
                column: name,
                classes: class_names.to_vec(),
            });
        };
        if kinds.contains(&kind) {
            return Err(ReadError::DuplicateColumn {
                file: file.to_owned(),
                column: name,
            });
        }
        kinds.push(kind);
        names.push(name);
    }
    let missing = |column: &str| ReadError::MissingColumn {
        file: file.to_owned(),
        column: column.to_owned(),
    };
    if !kinds.contains(&Column::Label) {
        return Err(missing(LABEL_COLUMN));
    }
    if let Some(class) =
        (0..class_names.len()).find(|&class| !kinds.contains(&Column::Class(class)))
    {
        return Err(missing(class_names.get(class).map_or("", String::as_str)));
    }
    Ok(Columns {
        kinds,
        names,
        first_line,
    })
}

/// The rows read so far, and what is needed to read one more.
struct Table<'a> {
    file: &'a str,
    class_names: &'a [String],
    columns: &'a Columns,
    scores: &'a mut Vec<f64>,
    labels: &'a mut Vec<u32>,
}

impl Table<'_> {
    /// Appends one record's label and scores, or says what is wrong with it.
    fn push(&mut self, record: &csv::ByteRecord) -> Result<(), ReadError> {
        let line = line_of(record);
        if record.len() != self.columns.kinds.len() {
            return Err(ReadError::RaggedRow {
                file: self.file.to_owned(),
                line,
                fields: record.len(),
                expected: self.columns.kinds.len(),
                first_line: self.columns.first_line,
            });
        }
        let base = self.scores.len();
        self.scores.resize(base + self.class_names.len(), 0.0);
        let columns = cells(record)
            .zip(&self.columns.kinds)
            .zip(&self.columns.names);
        for (index, ((cell, kind), name)) in columns.enumerate() {
            let place = || Place::Line {
                line,
                column: Some((index + 1, name.clone())),
            };
            match *kind {
                Column::Label => {
                    let label = self.label(cell, place)?;
                    self.labels.push(label);
                }
                Column::Class(class) => {
                    let Some(value) = number(cell) else {
                        return Err(ReadError::NotANumber {
                            file: self.file.to_owned(),
                            place: Box::new(place()),
                            text: text_of(cell),
                        });
                    };
                    if !value.is_finite() {
                        return Err(ReadError::NotFinite {
                            file: self.file.to_owned(),
                            place: Box::new(place()),
                            value,
                        });
                    }
                    if let Some(slot) = self.scores.get_mut(base + class) {
                        *slot = value;
                    }
                }
            }
        }
        Ok(())
    }

    /// A label cell: a class index, or a class name.
    fn label(&self, cell: &[u8], place: impl Fn() -> Place) -> Result<u32, ReadError> {
        let text = std::str::from_utf8(cell).unwrap_or_default();
        let classes = self.class_names.len();
        if let Ok(value) = text.parse::<i128>() {
            return u32::try_from(value)
                .ok()
                .filter(|&label| usize::try_from(label).is_ok_and(|label| label < classes))
                .ok_or_else(|| ReadError::LabelOutOfRange {
                    file: self.file.to_owned(),
                    place: Box::new(place()),
                    value,
                    classes,
                });
        }
        self.class_names
            .iter()
            .position(|name| name.as_bytes() == cell)
            .and_then(|class| u32::try_from(class).ok())
            .ok_or_else(|| ReadError::UnknownLabel {
                file: self.file.to_owned(),
                place: Box::new(place()),
                text: text_of(cell),
                classes: self.class_names.to_vec(),
            })
    }
}
