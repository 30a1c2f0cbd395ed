//! The fast path: records of simple CSV text split by hand, with the line numbers the csv
//! crate would give them.
//!
//! In simple text every `\r` is followed by `\n`, and a quote that opens a cell closes it,
//! with no comma, line end or quote between, right before the next comma or line end (as
//! `"class2"` or a header's `"label"`); a quote inside a cell is an ordinary byte, to the csv
//! crate too. There the csv crate's records are the lines (`\n`, or `\r\n`, ends one) split
//! at each `,`, cells in quotes taken out of them, and it skips blank lines. [`is_simple`]
//! tells such text apart; anything else goes to the csv crate.

use std::io;

use memchr::{memchr, memchr_iter, memchr3};

use super::super::error::ReadError;
use super::columns::unquoted;
use super::table::{Rows, Schema};

/// Whether the csv crate would read `text` (which starts at a line start) as lines split at
/// commas, cells in quotes taken out of them.
pub(super) fn is_simple(text: &[u8]) -> bool {
    memchr_iter(b'\r', text).all(|at| text.get(at + 1) == Some(&b'\n')) && quotes_are_plain(text)
}

/// Whether every quote in `text` that opens a cell closes it before any comma, line end or
/// other quote, right before a comma, a line end or the end of the text.
fn quotes_are_plain(text: &[u8]) -> bool {
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| memchr(b'"', rest)) {
        let open = from + found;
        let opens_cell = open == 0 || matches!(text.get(open - 1), Some(b',' | b'\n'));
        if !opens_cell {
            from = open + 1;
            continue;
        }
        let after_open = open + 1;
        let Some(length) = text
            .get(after_open..)
            .and_then(|rest| memchr3(b'"', b',', b'\n', rest))
        else {
            return false;
        };
        let close = after_open + length;
        if text.get(close) != Some(&b'"')
            || !matches!(text.get(close + 1), None | Some(b',' | b'\r' | b'\n'))
        {
            return false;
        }
        from = close + 1;
    }
    true
}

/// Where the text of a block starts, in the terms the csv crate numbers records by.
///
/// The csv crate gives a record the line it was on when it started looking for it: one past
/// the line of the record before, whatever blank lines come between, and the same line when
/// the record before ended with `\r\n` (it stops at the `\r`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct LineState {
    /// The `\n` bytes before the text.
    pub(super) newlines_before: u64,
    /// The 1-based line of the last record before the text, and whether it ended with `\r\n`.
    pub(super) previous_record: Option<(u64, bool)>,
}

impl LineState {
    /// The line the csv crate gives the next record.
    pub(super) fn next_record_line(&self) -> u64 {
        match self.previous_record {
            Some((line, crlf)) => line + 1 - u64::from(crlf),
            None => 1,
        }
    }

    /// The state after text that was split starting from [`LineState::default`] and ended in
    /// `relative`, when that text really started in this state.
    pub(super) fn then(self, relative: LineState) -> LineState {
        LineState {
            newlines_before: self.newlines_before + relative.newlines_before,
            previous_record: relative
                .previous_record
                .map(|(line, crlf)| (self.newlines_before + line, crlf))
                .or(self.previous_record),
        }
    }
}

/// The records of simple text, in order, each with its line number.
pub(super) struct SimpleRecords<'a> {
    /// The text not split yet.
    rest: &'a [u8],
    /// Lines before `rest`.
    state: LineState,
}

impl<'a> SimpleRecords<'a> {
    /// The records of `text`, which starts in `state`.
    pub(super) fn new(text: &'a [u8], state: LineState) -> Self {
        Self { rest: text, state }
    }

    /// The text not split yet.
    pub(super) fn rest(&self) -> &'a [u8] {
        self.rest
    }

    /// The lines before the text not split yet.
    pub(super) fn state(&self) -> LineState {
        self.state
    }

    /// Passes over a record of `length` bytes at the start of the text, its line end included
    /// (`\r\n` when `crlf`), read by someone else.
    pub(super) fn skip_record(&mut self, length: usize, crlf: bool) {
        self.rest = self.rest.get(length..).unwrap_or_default();
        self.state.previous_record = Some((self.state.newlines_before + 1, crlf));
        self.state.newlines_before += 1;
    }

    /// The next record's line number and text (without its line end); `None` at the end.
    pub(super) fn next_record(&mut self) -> Option<(u64, &'a [u8])> {
        while !self.rest.is_empty() {
            let (line, newlines, rest) = match memchr(b'\n', self.rest) {
                Some(end) => (
                    self.rest.get(..end).unwrap_or_default(),
                    1,
                    self.rest.get(end + 1..).unwrap_or_default(),
                ),
                None => (self.rest, 0, &[][..]),
            };
            self.rest = rest;
            let (record, crlf) = match line.strip_suffix(b"\r") {
                Some(record) => (record, true),
                None => (line, false),
            };
            let number = self.state.next_record_line();
            let physical_line = self.state.newlines_before + 1;
            self.state.newlines_before += newlines;
            if !record.is_empty() {
                self.state.previous_record = Some((physical_line, crlf));
                return Some((number, record));
            }
        }
        None
    }
}

/// An I/O error while reading on from the lines counted in `state`.
pub(super) fn read_error(file: &str, state: &LineState, error: io::Error) -> ReadError {
    ReadError::from_io(file, &format!("line {}", state.newlines_before + 1), error)
}

/// The cells of a record of simple text, out of their quotes.
pub(super) fn cells_of(record: &[u8]) -> impl Iterator<Item = &[u8]> {
    record.split(|&byte| byte == b',').map(unquoted)
}

/// Appends every record of the simple `text`, which starts in `state`, to `rows`; the state
/// after it, or the first record's error.
pub(super) fn parse_simple(
    text: &[u8],
    state: LineState,
    schema: Schema<'_>,
    rows: &mut Rows,
) -> Result<LineState, ReadError> {
    let mut records = SimpleRecords::new(text, state);
    let mut cells: Vec<&[u8]> = Vec::with_capacity(schema.columns.kinds.len());
    loop {
        if let Some((length, crlf)) = schema.push_plain(rows, records.rest()) {
            records.skip_record(length, crlf);
            continue;
        }
        let Some((line, record)) = records.next_record() else {
            return Ok(records.state());
        };
        cells.clear();
        cells.extend(cells_of(record));
        schema.push(rows, line, cells.iter().copied())?;
    }
}
