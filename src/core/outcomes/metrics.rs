//! What a set of predictions scores against the labels: the confusion matrix and the metrics of
//! the `current` and `baseline` blocks of `weightbench outcomes --format json`.
//!
//! Undefined values are `None` (`null` in JSON): the precision of a class never predicted, the
//! recall of a class absent from the labels, and the F1 when either is.

use serde::{Serialize, Serializer};

/// Counts of (truth, prediction) pairs: C x C, rows truth, columns prediction, row-major.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confusion {
    classes: usize,
    counts: Vec<u64>,
}

impl Confusion {
    /// An empty C x C matrix.
    #[must_use]
    pub fn new(classes: usize) -> Self {
        Self {
            classes,
            counts: vec![0; classes * classes],
        }
    }

    /// The matrix of `labels` against `predictions` (pairs outside the matrix are left out).
    #[must_use]
    pub fn of(labels: &[u32], predictions: &[u32], classes: usize) -> Self {
        let mut confusion = Self::new(classes);
        for (&truth, &predicted) in labels.iter().zip(predictions) {
            confusion.add(truth as usize, predicted as usize, 1);
        }
        confusion
    }

    /// Adds `count` samples of class `truth` called `predicted` (ignored outside the matrix).
    pub fn add(&mut self, truth: usize, predicted: usize, count: u64) {
        if truth < self.classes && predicted < self.classes {
            self.counts[truth * self.classes + predicted] += count;
        }
    }

    /// The number of classes C.
    #[must_use]
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// Samples of class `truth` called `predicted` (0 outside the matrix).
    #[must_use]
    pub fn get(&self, truth: usize, predicted: usize) -> u64 {
        if truth < self.classes && predicted < self.classes {
            self.counts[truth * self.classes + predicted]
        } else {
            0
        }
    }

    /// Samples of class `class` among the labels (the row sum).
    #[must_use]
    pub fn support(&self, class: usize) -> u64 {
        (0..self.classes).map(|k| self.get(class, k)).sum()
    }

    /// Samples called `class` (the column sum).
    #[must_use]
    pub fn predicted(&self, class: usize) -> u64 {
        (0..self.classes).map(|t| self.get(t, class)).sum()
    }

    /// All samples.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The rows, one per true class.
    #[must_use]
    pub fn rows(&self) -> Vec<Vec<u64>> {
        self.counts
            .chunks(self.classes.max(1))
            .map(<[u64]>::to_vec)
            .collect()
    }

    /// True positives, supports and prediction counts per class.
    #[must_use]
    pub fn tally(&self) -> Tally {
        Tally {
            true_positives: (0..self.classes).map(|c| self.get(c, c)).collect(),
            support: (0..self.classes).map(|c| self.support(c)).collect(),
            predicted: (0..self.classes).map(|c| self.predicted(c)).collect(),
        }
    }
}

impl Serialize for Confusion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.rows().serialize(serializer)
    }
}

/// Per class: true positives, support (among the labels) and predictions; every summary metric
/// is a function of these.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Samples of class c called c.
    pub true_positives: Vec<u64>,
    /// Samples of class c.
    pub support: Vec<u64>,
    /// Samples called c.
    pub predicted: Vec<u64>,
}

impl Tally {
    /// Precision of class `c`; `None` when it is never predicted.
    #[must_use]
    pub fn precision(&self, c: usize) -> Option<f64> {
        ratio(self.true_positives[c], self.predicted[c])
    }

    /// Recall of class `c`; `None` when it is absent from the labels.
    #[must_use]
    pub fn recall(&self, c: usize) -> Option<f64> {
        ratio(self.true_positives[c], self.support[c])
    }

    /// F1 of class `c` as scikit-learn computes it, `2 tp / (support + predicted)` (0 when
    /// precision and recall are both 0); `None` when the precision or the recall is.
    #[must_use]
    pub fn f1(&self, c: usize) -> Option<f64> {
        self.precision(c)?;
        self.recall(c)?;
        ratio(
            2 * self.true_positives[c],
            self.support[c] + self.predicted[c],
        )
    }

    /// Mean recall over the classes present in the labels (scikit-learn's
    /// `balanced_accuracy_score`); `None` when there are no labels.
    #[must_use]
    pub fn balanced_accuracy(&self) -> Option<f64> {
        mean((0..self.support.len()).filter_map(|c| self.recall(c)))
    }

    /// Mean F1 over the classes among the labels or the predictions, an undefined F1 counting
    /// 0: scikit-learn's `f1_score(average="macro", zero_division=0)`; `None` with no samples.
    #[must_use]
    pub fn macro_f1(&self) -> Option<f64> {
        mean(
            (0..self.support.len())
                .filter(|&c| self.support[c] + self.predicted[c] > 0)
                .map(|c| self.f1(c).unwrap_or(0.0)),
        )
    }
}

/// `numerator / denominator`, `None` for a denominator of 0.
fn ratio(numerator: u64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

/// The mean of `values`, summed in order; `None` for none.
fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, count) = values.fold((0.0, 0usize), |(sum, count), v| (sum + v, count + 1));
    (count > 0).then(|| sum / count as f64)
}

/// The metrics of one set of predictions: a `current` or `baseline` block of the JSON.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metrics {
    /// Rows truth, columns prediction, counts.
    pub confusion: Confusion,
    /// Per class `tp / predicted`; `None` for a class never predicted.
    pub precision: Vec<Option<f64>>,
    /// Per class `tp / support`; `None` for a class absent from the labels.
    pub recall: Vec<Option<f64>>,
    /// Per class F1; `None` when the precision or the recall is.
    pub f1: Vec<Option<f64>>,
    /// Share of samples called right; `None` with no samples.
    pub accuracy: Option<f64>,
    /// Mean recall over the classes present in the labels.
    pub balanced_accuracy: Option<f64>,
    /// Mean F1 over the classes among labels or predictions, undefined F1 counting 0.
    pub macro_f1: Option<f64>,
    /// Per class c, debris samples called c (0 in the debris entry).
    pub false_positives_from_debris: Vec<u64>,
    /// Per class c, samples of c called debris (0 in the debris entry).
    pub false_negatives_to_debris: Vec<u64>,
    /// The same counts expected among 10,000 deployed samples, with a deployment prior.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployed: Option<Deployed>,
}

impl Metrics {
    /// The metrics of `confusion`, with `debris` the background class, and the deployed block
    /// when a deployment prior (one share per class) is given.
    #[must_use]
    pub fn of(confusion: Confusion, debris: usize, deploy_prior: Option<&[f64]>) -> Self {
        let classes = confusion.classes();
        let tally = confusion.tally();
        let trace: u64 = tally.true_positives.iter().sum();
        let debris_row = |c: usize| {
            if c == debris {
                0
            } else {
                confusion.get(debris, c)
            }
        };
        let debris_column = |c: usize| {
            if c == debris {
                0
            } else {
                confusion.get(c, debris)
            }
        };
        Self {
            precision: (0..classes).map(|c| tally.precision(c)).collect(),
            recall: (0..classes).map(|c| tally.recall(c)).collect(),
            f1: (0..classes).map(|c| tally.f1(c)).collect(),
            accuracy: ratio(trace, confusion.total()),
            balanced_accuracy: tally.balanced_accuracy(),
            macro_f1: tally.macro_f1(),
            false_positives_from_debris: (0..classes).map(debris_row).collect(),
            false_negatives_to_debris: (0..classes).map(debris_column).collect(),
            deployed: deploy_prior.map(|prior| Deployed::of(&confusion, debris, prior)),
            confusion,
        }
    }
}

/// Counts expected among 10,000 deployed samples, drawn with the deployment prior:
/// `confusion[t][k] = 10000 pi_deploy[t] counts[t][k] / support[t]`.
///
/// A class absent from the labels has a row of 0: where its deployed samples would go is
/// unknown, so they are left out (its share then shows in no column).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Deployed {
    /// Expected counts, rows truth, columns prediction.
    pub confusion: Vec<Vec<f64>>,
    /// Per class, the precision among deployed samples; `None` for a class never predicted.
    pub precision: Vec<Option<f64>>,
    /// Per class c, expected debris samples called c (0 in the debris entry).
    pub false_positives_from_debris: Vec<f64>,
    /// Per class c, expected samples of c called debris (0 in the debris entry).
    pub false_negatives_to_debris: Vec<f64>,
}

/// The number of deployed samples the expected counts are given for.
pub const DEPLOYED_SAMPLES: f64 = 10_000.0;

impl Deployed {
    /// The deployed counts of `confusion` under the shares `deploy_prior`.
    #[must_use]
    pub fn of(confusion: &Confusion, debris: usize, deploy_prior: &[f64]) -> Self {
        let classes = confusion.classes();
        let matrix: Vec<Vec<f64>> = (0..classes)
            .map(|t| {
                let support = confusion.support(t);
                let share = deploy_prior.get(t).copied().unwrap_or(0.0);
                (0..classes)
                    .map(|k| {
                        if support == 0 {
                            0.0
                        } else {
                            DEPLOYED_SAMPLES * share * confusion.get(t, k) as f64 / support as f64
                        }
                    })
                    .collect()
            })
            .collect();
        let precision = (0..classes)
            .map(|k| {
                let column: f64 = matrix.iter().map(|row| row[k]).sum();
                (column > 0.0).then(|| matrix[k][k] / column)
            })
            .collect();
        let off_debris = |c: usize, value: f64| if c == debris { 0.0 } else { value };
        Self {
            false_positives_from_debris: (0..classes)
                .map(|c| off_debris(c, matrix.get(debris).map_or(0.0, |row| row[c])))
                .collect(),
            false_negatives_to_debris: (0..classes)
                .map(|c| off_debris(c, matrix[c].get(debris).copied().unwrap_or(0.0)))
                .collect(),
            precision,
            confusion: matrix,
        }
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "small exact ratios")]
mod tests {
    use super::*;

    #[test]
    fn undefined_values_are_none_and_f1_is_zero_when_both_are_zero() {
        // Class 1 never predicted, class 2 absent from the labels, class 0 all wrong.
        let labels = [0, 0, 1, 3, 3];
        let predictions = [2, 3, 3, 3, 0];
        let metrics = Metrics::of(Confusion::of(&labels, &predictions, 4), 3, None);
        assert_eq!(
            metrics.precision,
            [Some(0.0), None, Some(0.0), Some(1.0 / 3.0)]
        );
        assert_eq!(metrics.recall, [Some(0.0), Some(0.0), None, Some(0.5)]);
        assert_eq!(metrics.f1, [Some(0.0), None, None, Some(0.4)]);
        assert_eq!(metrics.accuracy, Some(0.2));
        assert_eq!(metrics.balanced_accuracy, Some(0.5 / 3.0));
        assert_eq!(metrics.macro_f1, Some(0.1));
        assert_eq!(metrics.false_positives_from_debris, [1, 0, 0, 0]);
        assert_eq!(metrics.false_negatives_to_debris, [1, 1, 0, 0]);
        assert_eq!(metrics.deployed, None);
    }

    #[test]
    fn deployed_counts_follow_the_prior() {
        let labels = [0, 0, 1, 1, 1, 1];
        let predictions = [0, 1, 1, 1, 1, 0];
        let metrics = Metrics::of(
            Confusion::of(&labels, &predictions, 2),
            1,
            Some(&[0.1, 0.9]),
        );
        let deployed = metrics.deployed.unwrap();
        assert_eq!(deployed.confusion, [[500.0, 500.0], [2250.0, 6750.0]]);
        assert_eq!(
            deployed.precision,
            [Some(500.0 / 2750.0), Some(6750.0 / 7250.0)]
        );
        assert_eq!(deployed.false_positives_from_debris, [2250.0, 0.0]);
        assert_eq!(deployed.false_negatives_to_debris, [500.0, 0.0]);
    }

    #[test]
    fn the_json_has_the_contract_keys_and_null_for_undefined() {
        let metrics = Metrics::of(Confusion::of(&[0, 1], &[1, 1], 2), 1, None);
        let json = serde_json::to_value(&metrics).unwrap();
        assert_eq!(json["confusion"], serde_json::json!([[0, 1], [0, 1]]));
        assert_eq!(json["precision"], serde_json::json!([null, 0.5]));
        assert!(json.get("deployed").is_none());
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), 9);
    }
}
