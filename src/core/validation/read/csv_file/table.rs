//! Checking a record against the columns and appending its label and scores.

use super::super::error::{Place, ReadError};
use super::columns::{Column, Columns, text_of, trimmed};
use super::float::parse_f64;

/// Labels and scores read so far: `scores` row-major, one row of class scores per label.
#[derive(Debug, Default)]
pub(super) struct Rows {
    /// The scores, `classes` per row.
    pub(super) scores: Vec<f64>,
    /// One label per row.
    pub(super) labels: Vec<u32>,
}

/// What a record is checked against; shared by the threads that parse blocks.
#[derive(Clone, Copy)]
pub(super) struct Schema<'a> {
    /// The file, for messages.
    pub(super) file: &'a str,
    /// The preset's classes.
    pub(super) class_names: &'a [String],
    /// The file's columns.
    pub(super) columns: &'a Columns,
}

impl Schema<'_> {
    /// Appends the label and scores of the record `cells` (untrimmed) that the csv crate
    /// places on `line`, or says what is wrong with it.
    pub(super) fn push<'c>(
        &self,
        rows: &mut Rows,
        line: u64,
        cells: impl ExactSizeIterator<Item = &'c [u8]>,
    ) -> Result<(), ReadError> {
        let kinds = &self.columns.kinds;
        if cells.len() != kinds.len() {
            return Err(ReadError::RaggedRow {
                file: self.file.to_owned(),
                line,
                fields: cells.len(),
                expected: kinds.len(),
                first_line: self.columns.first_line,
            });
        }
        let base = rows.scores.len();
        rows.scores.resize(base + self.class_names.len(), 0.0);
        for (index, (cell, kind)) in cells.map(trimmed).zip(kinds).enumerate() {
            let place = || Place::Line {
                line,
                column: Some((
                    index + 1,
                    self.columns.names.get(index).cloned().unwrap_or_default(),
                )),
            };
            match *kind {
                Column::Label => {
                    let label = self.label(cell, place)?;
                    rows.labels.push(label);
                }
                Column::Class(class) => {
                    let Some(value) = parse_f64(cell) else {
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
                    if let Some(slot) = rows.scores.get_mut(base + class) {
                        *slot = value;
                    }
                }
            }
        }
        Ok(())
    }

    /// A label cell: a class index, or a class name.
    fn label(&self, cell: &[u8], place: impl Fn() -> Place) -> Result<u32, ReadError> {
        let classes = self.class_names.len();
        // The common case first: one digit, a class index.
        if let [digit @ b'0'..=b'9'] = cell {
            let label = u32::from(digit - b'0');
            if usize::try_from(label).is_ok_and(|label| label < classes) {
                return Ok(label);
            }
        }
        let text = std::str::from_utf8(cell).unwrap_or_default();
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
