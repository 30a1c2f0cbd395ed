//! CSV: one row per sample, the label and one score per class, streamed record by record.
//!
//! The first row is a header when any of its cells is not a number; a first cell that names a
//! class does not count, since a file without a header may start with a label written as a
//! name. With a header, the column `label` holds the labels and every other column is named
//! after a class of the preset, in any order. Without one, the first column is the label and
//! the rest are the scores in class order. A label is a 0-based class index or a class name.
//! Scores are logits, read as f64.

mod columns;
mod float;
mod table;

use std::io::{Read, Seek};

use self::columns::Columns;
use self::table::{Rows, Schema};
use super::error::ReadError;
use super::progress::Progress;
use super::stream_length;
use crate::core::validation::{ScoreKind, Scores, ValidationData};

/// Records between two looks at the progress.
const RECORDS_PER_REPORT: usize = 1 << 14;

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
    let cells: Vec<&[u8]> = record.iter().collect();
    let (columns, first_is_data) = Columns::of_first_record(&cells, first_line, file, class_names)?;
    let schema = Schema {
        file,
        class_names,
        columns: &columns,
    };
    let mut rows = Rows::default();
    if first_is_data {
        schema.push(&mut rows, first_line, record.iter())?;
    }
    let mut since_report = 0;
    while next_record(&mut reader, &mut record, file)? {
        schema.push(&mut rows, line_of(&record), record.iter())?;
        since_report += 1;
        if since_report == RECORDS_PER_REPORT {
            since_report = 0;
            progress.advance_to(reader.position().byte())?;
        }
    }
    let Rows {
        mut scores,
        mut labels,
    } = rows;
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
