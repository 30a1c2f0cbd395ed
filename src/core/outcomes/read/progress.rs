//! Reporting how far a load has come, and stopping it when asked.

use super::error::ReadError;

/// Bytes between two reports.
const REPORT_EVERY_BYTES: u64 = 4 << 20;

/// Counts the bytes done out of a total and calls the caller's callback every few MB.
pub(super) struct Progress<'a> {
    callback: &'a mut dyn FnMut(f32) -> bool,
    file: String,
    total_bytes: u64,
    done_bytes: u64,
    next_report: u64,
}

impl<'a> Progress<'a> {
    /// A counter for `file`; call [`Progress::set_total`] once the size is known.
    pub(super) fn new(callback: &'a mut dyn FnMut(f32) -> bool, file: &str) -> Self {
        Self {
            callback,
            file: file.to_owned(),
            total_bytes: 0,
            done_bytes: 0,
            next_report: 0,
        }
    }

    /// Sets the number of bytes the whole load will count, and reports 0.
    pub(super) fn set_total(&mut self, total_bytes: u64) -> Result<(), ReadError> {
        self.total_bytes = total_bytes;
        self.done_bytes = 0;
        self.next_report = REPORT_EVERY_BYTES;
        self.report(0.0)
    }

    /// Counts `bytes` more done; reports when a few MB have passed since the last report.
    pub(super) fn advance(&mut self, bytes: u64) -> Result<(), ReadError> {
        self.advance_to(self.done_bytes.saturating_add(bytes))
    }

    /// Sets the bytes done to `done_bytes`; reports when a few MB have passed since the last
    /// report.
    pub(super) fn advance_to(&mut self, done_bytes: u64) -> Result<(), ReadError> {
        self.done_bytes = done_bytes;
        if self.done_bytes < self.next_report {
            return Ok(());
        }
        self.next_report = self.done_bytes.saturating_add(REPORT_EVERY_BYTES);
        let fraction = if self.total_bytes == 0 {
            0.0
        } else {
            (self.done_bytes as f64 / self.total_bytes as f64).clamp(0.0, 1.0)
        };
        #[allow(
            clippy::cast_possible_truncation,
            reason = "a fraction in [0, 1] for a progress bar"
        )]
        self.report(fraction as f32)
    }

    /// Reports the load complete.
    pub(super) fn finish(&mut self) -> Result<(), ReadError> {
        self.report(1.0)
    }

    fn report(&mut self, fraction: f32) -> Result<(), ReadError> {
        if (self.callback)(fraction) {
            Ok(())
        } else {
            Err(ReadError::Cancelled {
                file: self.file.clone(),
            })
        }
    }
}
