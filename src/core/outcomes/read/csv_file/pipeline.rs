//! Blocks of simple text parsed on worker threads while the loading thread reads the next ones,
//! joined in file order so that rows keep their order and the first error in the file is the
//! one reported.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::mpsc::{Receiver, Sender, channel};

use super::super::error::ReadError;
use super::super::progress::Progress;
use super::blocks::BlockReader;
use super::quoted::CsvRecords;
use super::simple::{LineState, is_simple, parse_simple, read_error};
use super::table::{Rows, Schema};

/// Records between two looks at the progress, where the csv crate reads.
const RECORDS_PER_REPORT: usize = 1 << 14;

/// A block to parse, and where its rows go.
struct Job {
    /// The block's place in the file, from 0.
    index: usize,
    /// The block; its text starts at `start` (after the first record, in the first block).
    bytes: Vec<u8>,
    start: usize,
    /// The block's rows, filled by the parse (memory reused from an earlier block).
    rows: Rows,
    /// Bytes of the file up to the block's end, for the progress.
    end_bytes: u64,
}

/// A parsed block: its job, and the lines it ended in (counted from the block's start), or
/// `None` when one of its records is wrong.
struct Parsed {
    job: Job,
    ending: Option<LineState>,
}

/// Parses a block's text with its lines counted from the block's start.
fn parse(mut job: Job, schema: Schema<'_>) -> Parsed {
    job.rows.clear();
    let text = job.bytes.get(job.start..).unwrap_or_default();
    let ending = parse_simple(text, LineState::default(), schema, &mut job.rows).ok();
    Parsed { job, ending }
}

/// A worker thread's end of its two channels.
struct Lane {
    jobs: Sender<Job>,
    results: Receiver<Parsed>,
}

/// The threads that parse blocks, block `i` on thread `i % threads`; with none, the loading
/// thread parses each block as it is submitted.
struct Workers {
    lanes: Vec<Lane>,
    /// Blocks parsed on the loading thread, in order.
    parsed_here: VecDeque<Parsed>,
}

impl Workers {
    /// Starts `count` named worker threads in `scope` (fewer if the system refuses some).
    fn start<'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        count: usize,
        schema: Schema<'scope>,
    ) -> Self {
        let mut lanes = Vec::with_capacity(count);
        for index in 0..count {
            let (jobs, job_receiver) = channel::<Job>();
            let (result_sender, results) = channel::<Parsed>();
            let spawned = std::thread::Builder::new()
                .name(format!("csv-parse-{index}"))
                .spawn_scoped(scope, move || {
                    for job in job_receiver {
                        if result_sender.send(parse(job, schema)).is_err() {
                            return;
                        }
                    }
                });
            if spawned.is_ok() {
                lanes.push(Lane { jobs, results });
            }
        }
        Self {
            lanes,
            parsed_here: VecDeque::new(),
        }
    }

    /// No threads: blocks are parsed as they are submitted.
    fn here() -> Self {
        Self {
            lanes: Vec::new(),
            parsed_here: VecDeque::new(),
        }
    }

    /// Hands `job` to its thread.
    fn submit(&mut self, job: Job, schema: Schema<'_>) -> Result<(), ReadError> {
        let lane_count = self.lanes.len();
        match self.lanes.get(job.index % lane_count.max(1)) {
            None => {
                self.parsed_here.push_back(parse(job, schema));
                Ok(())
            }
            Some(lane) => lane.jobs.send(job).map_err(|_| stopped(schema.file)),
        }
    }

    /// Waits for block `index`, the oldest block submitted and not yet received.
    fn receive(&mut self, index: usize, file: &str) -> Result<Parsed, ReadError> {
        let lane_count = self.lanes.len();
        match self.lanes.get(index % lane_count.max(1)) {
            None => self.parsed_here.pop_front().ok_or_else(|| stopped(file)),
            Some(lane) => lane.results.recv().map_err(|_| stopped(file)),
        }
    }
}

/// The error for a parsing thread that stopped early (which a bug alone can cause).
fn stopped(file: &str) -> ReadError {
    ReadError::malformed(file, "a thread parsing the CSV stopped early")
}

/// Why the loading thread stopped handing blocks to the workers before the end of the file.
/// Either way, the blocks already handed out are joined first: an error in one of them comes
/// first in the file, and the line numbers after them are known.
enum Stop {
    /// A block that is not simple, and the bytes of the file before it.
    NotSimple(Vec<u8>, u64),
    /// Reading failed.
    Failed(io::Error),
}

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
    /// Worker threads (0: parse on the loading thread).
    pub(super) workers: usize,
}

impl<R: Read> Plan<'_, R> {
    /// Reads every row after the first record: simple blocks on the worker threads, the rest
    /// of the file from the first block that is not simple on with the csv crate.
    pub(super) fn run(self, progress: &mut Progress<'_>) -> Result<Rows, ReadError> {
        let schema = self.schema;
        if self.workers == 0 || self.blocks.is_done() {
            return self.join(&mut Workers::here(), 1, progress);
        }
        std::thread::scope(|scope| {
            let mut workers = Workers::start(scope, self.workers, schema);
            let in_flight = 2 * workers.lanes.len().max(1);
            self.join(&mut workers, in_flight, progress)
        })
    }

    /// Submits blocks, at most `max_in_flight` at a time, and joins their rows in order.
    fn join(
        self,
        workers: &mut Workers,
        max_in_flight: usize,
        progress: &mut Progress<'_>,
    ) -> Result<Rows, ReadError> {
        let Self {
            mut blocks,
            first,
            start,
            mut state,
            schema,
            mut rows,
            workers: _,
        } = self;
        let file = schema.file;
        let first_job = Job {
            index: 0,
            bytes: first,
            start,
            rows: Rows::default(),
            end_bytes: blocks.consumed_bytes(),
        };
        workers.submit(first_job, schema)?;
        let (mut submitted, mut joined) = (1, 0);
        let mut spare: Vec<(Vec<u8>, Rows)> = Vec::new();
        let mut stop = None;
        loop {
            while submitted - joined < max_in_flight && stop.is_none() {
                let (buffer, block_rows) = spare.pop().unwrap_or_default();
                let block_start = blocks.consumed_bytes();
                let block = match blocks.next_block(buffer) {
                    Ok(Some(block)) => block,
                    Ok(None) => break,
                    Err(error) => {
                        stop = Some(Stop::Failed(error));
                        break;
                    }
                };
                if !is_simple(&block) {
                    stop = Some(Stop::NotSimple(block, block_start));
                    break;
                }
                let job = Job {
                    index: submitted,
                    bytes: block,
                    start: 0,
                    rows: block_rows,
                    end_bytes: blocks.consumed_bytes(),
                };
                workers.submit(job, schema)?;
                submitted += 1;
            }
            if joined == submitted {
                break;
            }
            let Parsed { job, ending } = workers.receive(joined, file)?;
            let Some(ending) = ending else {
                return Err(error_in(&job, state, schema));
            };
            rows.append(&job.rows);
            state = state.then(ending);
            progress.advance_to(job.end_bytes)?;
            joined += 1;
            spare.push((job.bytes, job.rows));
        }
        match stop {
            None => Ok(rows),
            Some(Stop::Failed(error)) => Err(read_error(file, &state, error)),
            Some(Stop::NotSimple(block, block_start)) => {
                let records = CsvRecords::after_line_end(blocks.rest_from(block), state);
                read_with_csv(records, schema, rows, progress, block_start)
            }
        }
    }
}

/// The error of a block whose parse failed, with the line numbers of the file: the block
/// parsed again from the real `state` at its start.
fn error_in(job: &Job, state: LineState, schema: Schema<'_>) -> ReadError {
    let text = job.bytes.get(job.start..).unwrap_or_default();
    match parse_simple(text, state, schema, &mut Rows::default()) {
        Err(error) => error,
        Ok(_) => stopped(schema.file),
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
