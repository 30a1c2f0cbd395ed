//! What each column of a CSV holds, read from its first record.

use super::super::error::{ReadError, excerpt};
use super::float::parse_f64;

/// The header of the labels column.
pub(super) const LABEL_COLUMN: &str = "label";

/// What one column of the file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Column {
    /// The labels.
    Label,
    /// The scores of the class with this index.
    Class(usize),
}

/// The columns of the file, and their names for messages.
#[derive(Debug)]
pub(super) struct Columns {
    /// What each column holds, in file order.
    pub(super) kinds: Vec<Column>,
    /// Each column's name, in file order.
    pub(super) names: Vec<String>,
    /// The line the column count was taken from.
    pub(super) first_line: u64,
}

/// A cell without the spaces around it.
pub(super) fn trimmed(cell: &[u8]) -> &[u8] {
    cell.trim_ascii()
}

/// A cell of simple text without the quotes around it, when it opens with one (it then ends
/// with the closing quote).
pub(super) fn unquoted(cell: &[u8]) -> &[u8] {
    match cell {
        [b'"', inner @ .., b'"'] => inner,
        _ => cell,
    }
}

/// A cell as text for a message (invalid UTF-8 shown with replacement characters).
pub(super) fn text_of(cell: &[u8]) -> String {
    excerpt(&String::from_utf8_lossy(cell))
}

impl Columns {
    /// The columns given by the first record `cells` (on line `first_line`), and whether that
    /// record is data rather than a header.
    ///
    /// The record is a header when any cell is not a number, not counting a first cell that
    /// names a class (a label of a file without a header).
    pub(super) fn of_first_record(
        cells: &[&[u8]],
        first_line: u64,
        file: &str,
        class_names: &[String],
    ) -> Result<(Self, bool), ReadError> {
        let is_header = cells
            .iter()
            .map(|cell| trimmed(cell))
            .enumerate()
            .any(|(index, cell)| {
                let names_class =
                    index == 0 && class_names.iter().any(|name| name.as_bytes() == cell);
                !names_class && parse_f64(cell).is_none()
            });
        if is_header {
            return Ok((
                Self::of_header(cells, file, class_names, first_line)?,
                false,
            ));
        }
        let classes = cells.len().saturating_sub(1);
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
        let columns = Self {
            kinds,
            names,
            first_line,
        };
        Ok((columns, true))
    }

    /// Maps the header's columns to the label and the classes, refusing names that match
    /// nothing, names given twice, and classes (or the label) without a column.
    fn of_header(
        cells: &[&[u8]],
        file: &str,
        class_names: &[String],
        first_line: u64,
    ) -> Result<Self, ReadError> {
        let mut kinds = Vec::with_capacity(cells.len());
        let mut names = Vec::with_capacity(cells.len());
        for cell in cells.iter().map(|cell| trimmed(cell)) {
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
        Ok(Self {
            kinds,
            names,
            first_line,
        })
    }
}
