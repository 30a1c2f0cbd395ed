//! The general path: records read by the csv crate, for text the hand splitter does not take
//! (a comma or line end in quotes, a lone `\r`), from the start of the file or from any line
//! end on.

use std::io::Read;

use super::super::error::ReadError;
use super::simple::LineState;

/// Records read by the csv crate from a stream that starts at the start of the file, or right
/// after a line end in the state [`CsvRecords::after_line_end`] is given.
pub(super) struct CsvRecords<R> {
    reader: csv::Reader<R>,
    record: csv::ByteRecord,
    /// Lines before the stream, and the record before it.
    start: LineState,
    /// Whether the stream starts with a `\n` that is not in the file (see
    /// [`CsvRecords::after_line_end`]).
    prefixed: bool,
    /// Whether a record has been read.
    started: bool,
}

/// A csv reader with the settings of every CSV read here.
fn csv_reader<R: Read>(input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input)
}

impl<R: Read> CsvRecords<R> {
    /// The records of a whole file.
    pub(super) fn whole_file(input: R) -> Self {
        Self {
            reader: csv_reader(input),
            record: csv::ByteRecord::new(),
            start: LineState::default(),
            prefixed: false,
            started: false,
        }
    }

    /// The csv crate's position in the stream, in bytes from the start of the file (or of the
    /// part given to [`CsvRecords::after_line_end`]).
    pub(super) fn position_bytes(&self) -> u64 {
        self.reader
            .position()
            .byte()
            .saturating_sub(u64::from(self.prefixed))
    }

    /// The next record's line number and record; `None` at the end of the stream.
    pub(super) fn next_record(
        &mut self,
        file: &str,
    ) -> Result<Option<(u64, &csv::ByteRecord)>, ReadError> {
        let read = self.reader.read_byte_record(&mut self.record);
        let line_in_stream = |line: u64| {
            // The stream's line 1 is the line after the `\n` it starts with, when prefixed.
            (line + self.start.newlines_before).saturating_sub(u64::from(self.prefixed))
        };
        match read {
            Ok(false) => Ok(None),
            Ok(true) => {
                let stream_line = self.record.position().map_or(0, csv::Position::line);
                let line = if self.started {
                    line_in_stream(stream_line)
                } else {
                    self.start.next_record_line()
                };
                self.started = true;
                Ok(Some((line, &self.record)))
            }
            Err(error) => {
                let line = line_in_stream(error.position().map_or(0, csv::Position::line));
                Err(match error.into_kind() {
                    csv::ErrorKind::Io(error) => {
                        ReadError::from_io(file, &format!("line {line}"), error)
                    }
                    other => ReadError::malformed(file, format!("line {line}: {other:?}")),
                })
            }
        }
    }
}

/// A `\n` put before text that starts right after a line end, so that the csv crate neither
/// takes its first bytes for a byte order mark nor starts it on line 1.
const LINE_END: &[u8] = b"\n";

impl<R: Read> CsvRecords<std::io::Chain<&'static [u8], R>> {
    /// The records of `input`, text that starts right after a line end of the file, in `start`.
    pub(super) fn after_line_end(input: R, start: LineState) -> Self {
        Self {
            reader: csv_reader(LINE_END.chain(input)),
            record: csv::ByteRecord::new(),
            start,
            prefixed: true,
            started: false,
        }
    }
}
