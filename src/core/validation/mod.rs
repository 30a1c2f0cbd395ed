//! A model's outputs on the user's validation set, and what new class weights would do to its
//! decisions there.
//!
//! [`ValidationData`] holds the scores and labels in flat arrays, in the precision of the file
//! (10 million rows of 4 float32 logits take 160 MB of scores and 40 MB of labels). Every
//! computation reads them in f64. [`read`] fills it from the user's files.

pub mod read;

pub mod bootstrap;
pub mod debris_sweep;
pub mod decision;
pub mod metrics;
pub mod outcomes;
pub mod rng;
pub mod setup;
pub mod switch;
pub mod temperature;
pub mod tune;
pub mod view;

pub mod compared;
pub mod shares;

pub use outcomes::Outcomes;
pub use setup::{OutcomeError, OutcomeOptions, OutcomeSetup, TemperatureChoice};
pub use tune::{Objective, Suggestion, TuneOptions, suggest};

/// What the scores of a validation file are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoreKind {
    /// Raw logits.
    Logits,
    /// `ln p` of probabilities read from the file (a probability of 0 becomes
    /// `ln(f64::MIN_POSITIVE * f64::EPSILON)`, the log of the smallest positive f64).
    LogProbabilities,
}

/// Scores in the precision the file gave them, row-major: sample i, class c at `i * C + c`.
#[derive(Clone, Debug, PartialEq)]
pub enum Scores {
    /// float32 scores.
    F32(Vec<f32>),
    /// float64 scores.
    F64(Vec<f64>),
}

impl Scores {
    /// The number of scores.
    #[must_use]
    pub fn len(&self) -> usize {
        match self {
            Self::F32(values) => values.len(),
            Self::F64(values) => values.len(),
        }
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The score at flat index `index`, in f64; `None` past the end.
    #[must_use]
    pub fn get(&self, index: usize) -> Option<f64> {
        match self {
            Self::F32(values) => values.get(index).map(|&v| f64::from(v)),
            Self::F64(values) => values.get(index).copied(),
        }
    }

    /// Bytes held.
    #[must_use]
    pub fn bytes(&self) -> usize {
        match self {
            Self::F32(values) => values.len() * 4,
            Self::F64(values) => values.len() * 8,
        }
    }
}

/// A validation set: one row of scores and one label per sample.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidationData {
    /// Where the data came from (a file name), for messages.
    pub source: String,
    /// The number of classes C (columns of the scores).
    pub classes: usize,
    /// Logits or log-probabilities.
    pub kind: ScoreKind,
    /// N x C scores, row-major.
    pub scores: Scores,
    /// N labels, each a 0-based class index below C.
    pub labels: Vec<u32>,
}

impl ValidationData {
    /// The number of samples N.
    #[must_use]
    pub fn samples(&self) -> usize {
        self.labels.len()
    }

    /// Copies sample `sample`'s scores into `row` (length C), in f64; past the end, `row`
    /// is left as it was.
    pub fn row_into(&self, sample: usize, row: &mut [f64]) {
        let range = sample * self.classes..(sample + 1) * self.classes;
        match &self.scores {
            Scores::F32(values) => {
                if let Some(scores) = values.get(range) {
                    for (out, &v) in row.iter_mut().zip(scores) {
                        *out = f64::from(v);
                    }
                }
            }
            Scores::F64(values) => {
                if let Some(scores) = values.get(range) {
                    for (out, &v) in row.iter_mut().zip(scores) {
                        *out = v;
                    }
                }
            }
        }
    }

    /// Sample `sample`'s scores as a new vector of length C (empty past the end).
    #[must_use]
    pub fn row(&self, sample: usize) -> Vec<f64> {
        if sample >= self.samples() {
            return Vec::new();
        }
        let mut row = vec![0.0; self.classes];
        self.row_into(sample, &mut row);
        row
    }

    /// Bytes held by the scores and the labels.
    #[must_use]
    pub fn bytes(&self) -> usize {
        self.scores.bytes() + self.labels.len() * 4
    }
}
