//! CSV: one row per sample, the label and one score per class, streamed block by block.
//!
//! The first row is a header when any of its cells is not a number; a first cell that names a
//! class does not count, since a file without a header may start with a label written as a
//! name. With a header, the column `label` holds the labels and every other column is named
//! after a class of the preset, in any order. Without one, the first column is the label and
//! the rest are the scores in class order. A label is a 0-based class index or a class name.
//! Scores are logits, read as f64.
//!
//! The file is read in blocks of 1 MiB that end at line ends, a few at a time. A block whose
//! quotes only wrap whole cells (and without a `\r` outside `\r\n`) is split by hand and
//! parsed on one of two worker threads; from the first block with other quotes on (a comma or
//! a line end in quotes, say), the csv crate reads the rest. Both give the same records and
//! line numbers as the csv crate alone, and the blocks are joined in file order.

mod blocks;
mod columns;
mod float;
mod pipeline;
mod quoted;
mod simple;
mod table;

use std::io::{Read, Seek};

use self::blocks::BlockReader;
use self::columns::Columns;
use self::pipeline::{Plan, read_with_csv};
use self::quoted::CsvRecords;
use self::simple::{LineState, SimpleRecords, cells_of, is_simple, read_error};
use self::table::{Rows, Schema};
use super::error::ReadError;
use super::progress::Progress;
use super::stream_length;
use crate::core::outcomes::data::{ScoreKind, Scores, ValidationData};

/// Bytes of text read and parsed as one block (1 MiB was faster than 2, 4 and 8 on a 45 MB
/// file, and keeps the blocks in flight small).
const BLOCK_BYTES: usize = 1 << 20;
/// Threads that parse blocks, when the system has that many cores.
const MAX_WORKERS: usize = 2;
/// The UTF-8 byte order mark, skipped at the start of a file (as the csv crate does).
const BYTE_ORDER_MARK: &[u8] = b"\xef\xbb\xbf";

/// How a CSV is read: the block size and the parsing threads.
#[derive(Clone, Copy, Debug)]
struct Options {
    block_bytes: usize,
    /// Worker threads; 0 parses on the loading thread.
    workers: usize,
}

impl Default for Options {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        Self {
            block_bytes: BLOCK_BYTES,
            workers: if cores >= MAX_WORKERS { MAX_WORKERS } else { 0 },
        }
    }
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
    let Rows {
        mut scores,
        mut labels,
    } = read_rows(input, file, class_names, progress, Options::default())?;
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

/// Every row of the file (none for a file without data rows).
fn read_rows<R: Read>(
    input: R,
    file: &str,
    class_names: &[String],
    progress: &mut Progress<'_>,
    options: Options,
) -> Result<Rows, ReadError> {
    let mut blocks = BlockReader::new(input, options.block_bytes);
    let first = blocks
        .next_block(Vec::new())
        .map_err(|error| read_error(file, &LineState::default(), error))?;
    let Some(first) = first else {
        return Ok(Rows::default());
    };
    let skipped = if first.starts_with(BYTE_ORDER_MARK) {
        BYTE_ORDER_MARK.len()
    } else {
        0
    };
    let text = first.get(skipped..).unwrap_or_default();
    let mut records = SimpleRecords::new(text, LineState::default());
    let first_record = if is_simple(text) {
        records.next_record()
    } else {
        None
    };
    let Some((line, record)) = first_record else {
        return read_whole_with_csv(blocks.rest_from(first), file, class_names, progress);
    };
    let cells: Vec<&[u8]> = cells_of(record).collect();
    let (columns, first_is_data) = Columns::of_first_record(&cells, line, file, class_names)?;
    let schema = Schema {
        file,
        class_names,
        columns: &columns,
    };
    let mut rows = Rows::default();
    if first_is_data {
        schema.push(&mut rows, line, cells.iter().copied())?;
    }
    let state = records.state();
    let start = first.len() - records.rest().len();
    let plan = Plan {
        blocks,
        first,
        start,
        state,
        schema,
        rows,
        workers: options.workers,
    };
    plan.run(progress)
}

/// Every row of the file, read by the csv crate alone.
fn read_whole_with_csv<R: Read>(
    input: R,
    file: &str,
    class_names: &[String],
    progress: &mut Progress<'_>,
) -> Result<Rows, ReadError> {
    let mut records = CsvRecords::whole_file(input);
    let Some((line, record)) = records.next_record(file)? else {
        return Ok(Rows::default());
    };
    let cells: Vec<&[u8]> = record.iter().collect();
    let (columns, first_is_data) = Columns::of_first_record(&cells, line, file, class_names)?;
    let schema = Schema {
        file,
        class_names,
        columns: &columns,
    };
    let mut rows = Rows::default();
    if first_is_data {
        schema.push(&mut rows, line, cells.iter().copied())?;
    }
    read_with_csv(records, schema, rows, progress, 0)
}

#[cfg(test)]
mod tests;
