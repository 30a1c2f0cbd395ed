//! The grid of debris weights a sweep runs over, as a preset stores it.

use serde::{Deserialize, Serialize};

/// The most grid points a sweep may have; enough for any plot, small enough to never exhaust memory.
pub const MAX_SWEEP_STEPS: usize = 100_000;

/// An evenly spaced grid of debris weights, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepRange {
    /// First debris weight (>= 0).
    pub from: f64,
    /// Last debris weight (> `from`).
    pub to: f64,
    /// Number of grid points (2 to [`MAX_SWEEP_STEPS`]).
    pub steps: usize,
}

impl Default for SweepRange {
    fn default() -> Self {
        Self {
            from: 0.0,
            to: 2.0,
            steps: 201,
        }
    }
}

/// Why a sweep range is unusable; displays as `field: problem, expected ...`.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SweepRangeError {
    /// `from` is negative, NaN or infinite.
    #[error("from: {0} is not a weight, expected a finite number >= 0")]
    BadFrom(f64),
    /// `to` is NaN or infinite, or not above `from`.
    #[error("to: {to} is not above from ({from}), expected a finite number > {from}")]
    BadTo {
        /// The start of the range.
        from: f64,
        /// The offending end.
        to: f64,
    },
    /// Too few or too many grid points.
    #[error("steps: {0}, expected 2 to {MAX_SWEEP_STEPS}")]
    BadSteps(usize),
}

impl SweepRange {
    /// Checks the range; the error names the field (`from`, `to` or `steps`).
    ///
    /// # Errors
    /// The first field that is out of range.
    pub fn validate(&self) -> Result<(), SweepRangeError> {
        if !(self.from.is_finite() && self.from >= 0.0) {
            return Err(SweepRangeError::BadFrom(self.from));
        }
        if !(self.to.is_finite() && self.to > self.from) {
            return Err(SweepRangeError::BadTo {
                from: self.from,
                to: self.to,
            });
        }
        if !(2..=MAX_SWEEP_STEPS).contains(&self.steps) {
            return Err(SweepRangeError::BadSteps(self.steps));
        }
        Ok(())
    }

    /// The grid points `from + (to - from) * i / (steps - 1)`; the last one is exactly `to`.
    ///
    /// Multiplying before dividing makes every point of a grid starting at 0 the double
    /// nearest its decimal value (0.8 on the default grid is exactly the literal `0.8`).
    ///
    /// ```
    /// use weightbench::core::SweepRange;
    ///
    /// let grid = SweepRange::default().grid();
    /// assert_eq!((grid.len(), grid[0], grid[200]), (201, 0.0, 2.0));
    /// assert_eq!((grid[40], grid[80], grid[100]), (0.4, 0.8, 1.0));
    /// ```
    #[must_use]
    pub fn grid(&self) -> Vec<f64> {
        let intervals = self.steps.saturating_sub(1).max(1) as f64;
        let span = self.to - self.from;
        (0..self.steps)
            .map(|i| {
                if i + 1 == self.steps {
                    self.to
                } else {
                    self.from + span * i as f64 / intervals
                }
            })
            .collect()
    }
}
