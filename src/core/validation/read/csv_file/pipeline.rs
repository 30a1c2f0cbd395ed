//! The blocks after the first record, parsed in file order: simple blocks by hand, the rest of
//! the file from the first block that is not simple on by the csv crate.

use std::io::Read;

use super::super::error::ReadError;
use super::super::progress::Progress;
use super::blocks::BlockReader;
use super::quoted::CsvRecords;
use super::simple::{LineState, is_simple, parse_simple};
use super::table::{Rows, Schema};
use super::{RECORDS_PER_REPORT, read_error};

/// How the blocks after the first record are read.
pub(super) struct Plan<'a, R> {
    /// The file's blocks after the first.
    pub(super) blocks: BlockReader<R>,
    /// The first block, whose text after the first record starts at `start`.
    pub(super) first: Vec<u8>,
    pub(super) start: usize,
    /// Lines up to `start`.
    pub(super) state: LineState,
    pub(super) schema: Schema<'a>,
    /// The first record's row, when it is data.
    pub(super) rows: Rows,
}

impl<R: Read> Plan<'_, R> {
    /// Reads every row after the first record.
    pub(super) fn run(self, progress: &mut Progress<'_>) -> Result<Rows, ReadError> {
        let Self {
            mut blocks,
            first,
            start,
            mut state,
            schema,
            mut rows,
        } = self;
        let (mut block, mut text_start) = (first, start);
        loop {
            let text = block.get(text_start..).unwrap_or_default();
            state = parse_simple(text, state, schema, &mut rows)?;
            progress.advance_to(blocks.consumed_bytes())?;
            let block_start = blocks.consumed_bytes();
            let next = blocks
                .next_block(block)
                .map_err(|error| read_error(schema.file, &state, error))?;
            let Some(next) = next else {
                return Ok(rows);
            };
            if !is_simple(&next) {
                let records = CsvRecords::after_line_end(blocks.rest_from(next), state);
                return read_with_csv(records, schema, rows, progress, block_start);
            }
            (block, text_start) = (next, 0);
        }
    }
}

/// Appends the rows of every record `records` reads; the progress counts `offset_bytes`
/// before them.
pub(super) fn read_with_csv<R: Read>(
    mut records: CsvRecords<R>,
    schema: Schema<'_>,
    mut rows: Rows,
    progress: &mut Progress<'_>,
    offset_bytes: u64,
) -> Result<Rows, ReadError> {
    let mut since_report = 0;
    while let Some((line, record)) = records.next_record(schema.file)? {
        schema.push(&mut rows, line, record.iter())?;
        since_report += 1;
        if since_report == RECORDS_PER_REPORT {
            since_report = 0;
            progress.advance_to(offset_bytes + records.position_bytes())?;
        }
    }
    Ok(rows)
}
