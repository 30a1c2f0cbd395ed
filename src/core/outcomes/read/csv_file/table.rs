//! Checking a record against the columns and appending its label and scores.

use super::super::error::{Place, ReadError};
use super::columns::{Column, Columns, text_of, trimmed, unquoted};
use super::float::{fast_prefix, parse_f64};

/// Labels and scores read so far: `scores` row-major, one row of class scores per label.
#[derive(Debug, Default)]
pub(super) struct Rows {
    /// The scores, `classes` per row.
    pub(super) scores: Vec<f64>,
    /// One label per row.
    pub(super) labels: Vec<u32>,
}

impl Rows {
    /// Appends `other`'s rows after these.
    pub(super) fn append(&mut self, other: &Rows) {
        self.scores.extend_from_slice(&other.scores);
        self.labels.extend_from_slice(&other.labels);
    }

    /// Empties the rows, keeping their memory.
    pub(super) fn clear(&mut self) {
        self.scores.clear();
        self.labels.clear();
    }
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

    /// Appends the label and scores of the record at the start of simple text `text` when it
    /// ends with a line end and every cell holds what the record needs: the bytes it spans
    /// with its line end, and whether that was `\r\n`. `None` (and nothing appended)
    /// otherwise.
    ///
    /// The fast path of [`Schema::push`]: one pass over the bytes, numbers parsed where they
    /// stand. Whatever it accepts, `push` accepts with the same values; whatever it refuses
    /// goes to `push`, which says what is wrong.
    pub(super) fn push_plain(&self, rows: &mut Rows, text: &[u8]) -> Option<(usize, bool)> {
        let scores_before = rows.scores.len();
        let labels_before = rows.labels.len();
        let pushed = self.try_push_plain(rows, text);
        if pushed.is_none() {
            rows.scores.truncate(scores_before);
            rows.labels.truncate(labels_before);
        }
        pushed
    }

    /// [`Schema::push_plain`], leaving a partial row behind when it fails.
    #[inline]
    fn try_push_plain(&self, rows: &mut Rows, text: &[u8]) -> Option<(usize, bool)> {
        let base = rows.scores.len();
        rows.scores.resize(base + self.class_names.len(), 0.0);
        let last = self.columns.kinds.len().checked_sub(1)?;
        let mut start = 0;
        for (column, kind) in self.columns.kinds.iter().enumerate() {
            let rest = text.get(start..)?;
            let length = match *kind {
                Column::Label => {
                    let (label, length) = self.plain_label(rest)?;
                    rows.labels.push(label);
                    length
                }
                Column::Class(class) => {
                    let (value, length) = plain_score(rest)?;
                    *rows.scores.get_mut(base + class)? = value;
                    length
                }
            };
            start += length;
            match text.get(start) {
                Some(b',') if column < last => start += 1,
                // In simple text a `\r` is always followed by `\n`.
                Some(b'\r') if column == last => return Some((start + 2, true)),
                Some(b'\n') if column == last => return Some((start + 1, false)),
                _ => return None,
            }
        }
        None
    }

    /// The label at the start of `text` and its length: one digit, or any cell [`push`]
    /// accepts up to the next comma or line end.
    ///
    /// [`push`]: Schema::push
    #[inline]
    fn plain_label(&self, text: &[u8]) -> Option<(u32, usize)> {
        if let [digit @ b'0'..=b'9', b',' | b'\r' | b'\n', ..] = text {
            let label = u32::from(digit - b'0');
            if usize::try_from(label).is_ok_and(|label| label < self.class_names.len()) {
                return Some((label, 1));
            }
        }
        let length = cell_length(text);
        let cell = trimmed(unquoted(text.get(..length)?));
        let nowhere = || Place::Line {
            line: 0,
            column: None,
        };
        self.label(cell, nowhere).ok().map(|label| (label, length))
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

/// The bytes of `text` up to its first comma or line end (all of it without one).
fn cell_length(text: &[u8]) -> usize {
    memchr::memchr3(b',', b'\r', b'\n', text).unwrap_or(text.len())
}

/// The finite score at the start of `text` and its length: a number the fast path takes where
/// it stands, or any cell [`Schema::push`] accepts up to the next comma or line end.
#[inline]
fn plain_score(text: &[u8]) -> Option<(f64, usize)> {
    if let Some((value, length)) = fast_prefix(text)
        && matches!(text.get(length), Some(b',' | b'\r' | b'\n'))
    {
        return Some((value, length));
    }
    let length = cell_length(text);
    let value = parse_f64(trimmed(unquoted(text.get(..length)?)))?;
    value.is_finite().then_some((value, length))
}
