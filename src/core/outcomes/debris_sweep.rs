//! The debris-weight sweep, exact and instant: false positives from debris and false negatives
//! to debris at any debris weight, every other weight held.
//!
//! Moving only the debris shift changes a sample's prediction at one threshold (see
//! [`crate::core::outcomes::switch`]): below it the sample is called its best other class,
//! whose identity does not depend on the debris shift; at or above it, debris. The thresholds are
//! sorted once per (truth, best other) bucket; a count at any debris shift is then C^2 binary
//! searches, so a whole curve is exact step functions and dragging the debris weight over
//! 10 million samples stays instant.

use serde::Serialize;

use crate::core::outcomes::data::ValidationData;
use crate::core::outcomes::decision::{DecisionRule, ShiftBasis};
use crate::core::outcomes::metrics::Confusion;
use crate::core::outcomes::switch::Switches;

/// Every sample's debris threshold, sorted within its (truth, best other) bucket.
#[derive(Clone, Debug, PartialEq)]
pub struct DebrisSweep {
    classes: usize,
    debris: usize,
    /// Thresholds of bucket `truth * C + other` are `thresholds[offsets[b]..offsets[b + 1]]`,
    /// ascending (NaN, "never debris", last).
    thresholds: Vec<f64>,
    offsets: Vec<usize>,
}

/// False positives from debris and false negatives to debris at one debris shift.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DebrisCounts {
    /// Per class c, debris samples called c (0 in the debris entry).
    pub false_positives_from_debris: Vec<u64>,
    /// Per class c, samples of c called debris (0 in the debris entry).
    pub false_negatives_to_debris: Vec<u64>,
}

/// The counts along a grid of debris weights: the `--sweep` block of `outcomes --format json`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DebrisCurve {
    /// The grid of debris weights.
    pub debris_weight: Vec<f64>,
    /// One list per grid point, one count per class.
    pub false_positives_from_debris: Vec<Vec<u64>>,
    /// One list per grid point, one count per class.
    pub false_negatives_to_debris: Vec<Vec<u64>>,
}

impl DebrisSweep {
    /// The sweep of the debris shift under `rule` (its debris entry is ignored; the others
    /// are held). `debris` must be a class of `data`.
    #[must_use]
    pub fn new(data: &ValidationData, rule: &DecisionRule, debris: usize) -> Self {
        let classes = data.classes;
        let switches = Switches::of(data, rule, debris);
        let bucket = |sample: usize| {
            let truth = data.labels[sample] as usize;
            truth * classes + switches.other[sample] as usize
        };
        let buckets = classes * classes;
        let mut offsets = vec![0usize; buckets + 1];
        for sample in 0..data.samples() {
            offsets[bucket(sample) + 1] += 1;
        }
        for b in 0..buckets {
            offsets[b + 1] += offsets[b];
        }
        let mut next = offsets.clone();
        let mut thresholds = vec![0.0; data.samples()];
        for (sample, &threshold) in switches.threshold.iter().enumerate() {
            let b = bucket(sample);
            thresholds[next[b]] = threshold;
            next[b] += 1;
        }
        for b in 0..buckets {
            thresholds[offsets[b]..offsets[b + 1]].sort_unstable_by(f64::total_cmp);
        }
        Self {
            classes,
            debris,
            thresholds,
            offsets,
        }
    }

    /// The number of classes.
    #[must_use]
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// Bytes held.
    #[must_use]
    pub fn bytes(&self) -> usize {
        self.thresholds.len() * 8 + self.offsets.len() * 8
    }

    /// The debris class.
    #[must_use]
    pub fn debris(&self) -> usize {
        self.debris
    }

    /// The sorted thresholds of the samples of class `truth` whose best other class is `other`.
    #[must_use]
    pub fn bucket(&self, truth: usize, other: usize) -> &[f64] {
        let b = truth * self.classes + other;
        match (self.offsets.get(b), self.offsets.get(b + 1)) {
            (Some(&start), Some(&end)) => &self.thresholds[start..end],
            _ => &[],
        }
    }

    /// How many samples of the bucket are called debris at `debris_shift`.
    fn called_debris(&self, truth: usize, other: usize, debris_shift: f64) -> u64 {
        let bucket = self.bucket(truth, other);
        bucket.partition_point(|&t| t <= debris_shift) as u64
    }

    /// False positives from debris and false negatives to debris at `debris_shift`, in
    /// O(C^2 log N).
    #[must_use]
    pub fn counts_at(&self, debris_shift: f64) -> DebrisCounts {
        let (classes, debris) = (self.classes, self.debris);
        let mut counts = DebrisCounts {
            false_positives_from_debris: vec![0; classes],
            false_negatives_to_debris: vec![0; classes],
        };
        for c in (0..classes).filter(|&c| c != debris) {
            let bucket = self.bucket(debris, c).len() as u64;
            counts.false_positives_from_debris[c] =
                bucket - self.called_debris(debris, c, debris_shift);
            counts.false_negatives_to_debris[c] = (0..classes)
                .map(|other| self.called_debris(c, other, debris_shift))
                .sum();
        }
        counts
    }

    /// The whole confusion matrix at `debris_shift` (each sample is called debris or its best
    /// other class), in O(C^2 log N).
    #[must_use]
    pub fn confusion_at(&self, debris_shift: f64) -> Confusion {
        let mut confusion = Confusion::new(self.classes);
        for truth in 0..self.classes {
            for other in 0..self.classes {
                let size = self.bucket(truth, other).len() as u64;
                let debris = self.called_debris(truth, other, debris_shift);
                confusion.add(truth, self.debris, debris);
                confusion.add(truth, other, size - debris);
            }
        }
        confusion
    }

    /// The counts at each debris weight of `debris_weights`, the shift of each taken on `basis`
    /// exactly as [`DecisionRule::new`] takes it.
    #[must_use]
    pub fn curve(&self, basis: &ShiftBasis, debris_weights: &[f64]) -> DebrisCurve {
        let mut curve = DebrisCurve {
            debris_weight: debris_weights.to_vec(),
            ..DebrisCurve::default()
        };
        for &weight in debris_weights {
            let counts = self.counts_at(basis.shift(self.debris, weight));
            curve
                .false_positives_from_debris
                .push(counts.false_positives_from_debris);
            curve
                .false_negatives_to_debris
                .push(counts.false_negatives_to_debris);
        }
        curve
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::outcomes::data::{ScoreKind, Scores};
    use crate::core::outcomes::decision::predict;

    #[test]
    fn counts_match_predictions_on_a_small_case() {
        let data = ValidationData {
            source: "test".to_owned(),
            classes: 3,
            kind: ScoreKind::Logits,
            scores: Scores::F32(vec![
                1.0, 0.0, 0.5, // class 0, close to debris
                0.0, 2.0, 1.9, // class 1, close to debris
                3.0, 0.0, 1.0, // debris called class 0
                0.0, 0.0, 0.0, // debris, a three-way tie
            ]),
            labels: vec![0, 1, 2, 2],
        };
        let basis = ShiftBasis::new(vec![1.0, 1.0, 1.0]);
        let rule = DecisionRule::new(&basis, &[1.0, 1.0, 1.0], 1.0, 2);
        let sweep = DebrisSweep::new(&data, &rule, 2);
        for debris_weight in [0.0, 0.1, 0.5, 1.0, 1.2, 2.0, 10.0] {
            let weights = [1.0, 1.0, debris_weight];
            let predictions = predict(&data, &DecisionRule::new(&basis, &weights, 1.0, 2));
            let expected = Confusion::of(&data.labels, &predictions, 3);
            let shift = basis.shift(2, debris_weight);
            assert_eq!(sweep.confusion_at(shift), expected, "{debris_weight}");
        }
        let counts = sweep.counts_at(0.0);
        assert_eq!(counts.false_positives_from_debris, [2, 0, 0]);
        assert_eq!(counts.false_negatives_to_debris, [0, 0, 0]);
    }
}
