//! The Outcomes view's comparisons: each number at the current weights beside its value at the
//! trained-with weights, the change, and whether that change is for the better; and the
//! confusion matrix's cells as its heatmap shows them. The view only formats and draws these.

use serde::{Deserialize, Serialize};

use crate::core::outcomes::metrics::{Confusion, Metrics};
use crate::core::outcomes::report::LossSummary;
use crate::core::outcomes::view::{CurrentOutcomes, Prepared};
use crate::core::preset::Preset;

/// Whether a change is for the better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// No change.
    Unchanged,
    /// A change for the better.
    Better,
    /// A change for the worse (also a change that is not a number).
    Worse,
}

/// The change of a value from the trained-with weights to the current ones.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    /// Current minus trained-with.
    pub amount: f64,
    /// Whether the change is for the better.
    pub verdict: Verdict,
}

impl Change {
    /// From `before` to `after`, where a higher value is better when `higher_is_better`;
    /// `None` when either is undefined.
    #[must_use]
    pub fn between(
        before: Option<f64>,
        after: Option<f64>,
        higher_is_better: bool,
    ) -> Option<Self> {
        let (before, after) = (before?, after?);
        let amount = after - before;
        let better = if higher_is_better {
            amount > 0.0
        } else {
            amount < 0.0
        };
        let verdict = if amount == 0.0 {
            Verdict::Unchanged
        } else if better {
            Verdict::Better
        } else {
            Verdict::Worse
        };
        Some(Self { amount, verdict })
    }
}

/// The change of an error count: fewer is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CountChange {
    /// Current minus trained-with.
    pub amount: i64,
    /// Whether the change is for the better.
    pub verdict: Verdict,
}

impl CountChange {
    /// From `before` errors to `after` errors.
    #[must_use]
    pub fn between(before: u64, after: u64) -> Self {
        #[allow(clippy::cast_possible_wrap, reason = "sample counts far below 2^63")]
        let amount = after as i64 - before as i64;
        let verdict = match amount.cmp(&0) {
            std::cmp::Ordering::Equal => Verdict::Unchanged,
            std::cmp::Ordering::Less => Verdict::Better,
            std::cmp::Ordering::Greater => Verdict::Worse,
        };
        Self { amount, verdict }
    }
}

/// A value at the trained-with weights and at the current ones, and its change.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Compared {
    /// At the trained-with weights.
    pub trained_with: Option<f64>,
    /// At the current weights.
    pub current: Option<f64>,
    /// The change; `None` when either value is undefined.
    pub change: Option<Change>,
}

impl Compared {
    /// `trained_with` against `current`, where a higher value is better when `higher_is_better`.
    #[must_use]
    pub fn new(trained_with: Option<f64>, current: Option<f64>, higher_is_better: bool) -> Self {
        Self {
            trained_with,
            current,
            change: Change::between(trained_with, current, higher_is_better),
        }
    }
}

/// An error count at the current weights and its change since the trained-with weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ComparedCount {
    /// At the current weights.
    pub current: u64,
    /// The change: fewer is better.
    pub change: CountChange,
}

impl ComparedCount {
    /// `trained_with` errors against `current` errors.
    #[must_use]
    pub fn new(trained_with: u64, current: u64) -> Self {
        Self {
            current,
            change: CountChange::between(trained_with, current),
        }
    }
}

/// The summary: whole-set metrics and the loss, trained-with against current.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// Share of samples called right.
    pub accuracy: Compared,
    /// Mean recall over the classes present.
    pub balanced_accuracy: Compared,
    /// Mean F1.
    pub macro_f1: Compared,
    /// PyTorch's weighted mean loss (lower is better): at the trained-with weights, from the
    /// prepared loss coefficients.
    pub loss_mean: Compared,
}

impl Summary {
    /// The summary of `current` against the prepared baseline, the loss at `preset`'s
    /// trained-with weights.
    #[must_use]
    pub fn of(preset: &Preset, prepared: &Prepared, current: &CurrentOutcomes) -> Self {
        let baseline = &prepared.baseline;
        let now = &current.current;
        Self {
            accuracy: Compared::new(baseline.accuracy, now.accuracy, true),
            balanced_accuracy: Compared::new(
                baseline.balanced_accuracy,
                now.balanced_accuracy,
                true,
            ),
            macro_f1: Compared::new(baseline.macro_f1, now.macro_f1, true),
            loss_mean: Compared::new(
                trained_with_loss(preset, prepared).mean,
                current.loss.mean,
                false,
            ),
        }
    }
}

/// The batch loss at `preset`'s trained-with weights, from `prepared`'s coefficients.
#[must_use]
pub fn trained_with_loss(preset: &Preset, prepared: &Prepared) -> LossSummary {
    prepared.loss.at(&preset.trained_with())
}

/// One class's row of the per-class table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClassRow {
    /// Samples of the class among the labels.
    pub support: u64,
    /// Precision (higher is better).
    pub precision: Compared,
    /// Recall (higher is better).
    pub recall: Compared,
    /// F1 (higher is better).
    pub f1: Compared,
    /// Debris samples called this class; `None` in the debris row.
    pub false_positives_from_debris: Option<ComparedCount>,
    /// Samples of this class called debris; `None` in the debris row.
    pub false_negatives_to_debris: Option<ComparedCount>,
}

/// Per class, `now` against `baseline`, with `debris` the background class.
#[must_use]
pub fn class_rows(debris: usize, baseline: &Metrics, now: &Metrics) -> Vec<ClassRow> {
    (0..now.precision.len())
        .map(|c| {
            let errors = |then: &[u64], current: &[u64]| {
                (c != debris).then(|| ComparedCount::new(then[c], current[c]))
            };
            ClassRow {
                support: now.confusion.support(c),
                precision: Compared::new(baseline.precision[c], now.precision[c], true),
                recall: Compared::new(baseline.recall[c], now.recall[c], true),
                f1: Compared::new(baseline.f1[c], now.f1[c], true),
                false_positives_from_debris: errors(
                    &baseline.false_positives_from_debris,
                    &now.false_positives_from_debris,
                ),
                false_negatives_to_debris: errors(
                    &baseline.false_negatives_to_debris,
                    &now.false_negatives_to_debris,
                ),
            }
        })
        .collect()
}

/// One class's row among 10,000 deployed samples.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DeployedRow {
    /// Precision among deployed samples (higher is better).
    pub precision: Compared,
    /// Expected debris samples called this class (fewer is better); `None` in the debris row.
    pub false_positives_from_debris: Option<Compared>,
    /// Expected samples of this class called debris (fewer is better); `None` in the debris row.
    pub false_negatives_to_debris: Option<Compared>,
}

/// Per class, the deployed block of `now` against `baseline`'s; `None` without a deployment
/// prior (either block missing).
#[must_use]
pub fn deployed_rows(debris: usize, baseline: &Metrics, now: &Metrics) -> Option<Vec<DeployedRow>> {
    let (then, deployed) = (baseline.deployed.as_ref()?, now.deployed.as_ref()?);
    let rows = (0..deployed.precision.len())
        .map(|c| {
            let errors = |then: &[f64], current: &[f64]| {
                (c != debris).then(|| Compared::new(Some(then[c]), Some(current[c]), false))
            };
            DeployedRow {
                precision: Compared::new(then.precision[c], deployed.precision[c], true),
                false_positives_from_debris: errors(
                    &then.false_positives_from_debris,
                    &deployed.false_positives_from_debris,
                ),
                false_negatives_to_debris: errors(
                    &then.false_negatives_to_debris,
                    &deployed.false_negatives_to_debris,
                ),
            }
        })
        .collect();
    Some(rows)
}

/// Which confusion matrix the heatmap shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MatrixShown {
    /// At the current weights.
    #[default]
    Current,
    /// At the trained-with weights.
    TrainedWith,
    /// Current minus trained-with.
    Difference,
}

/// The cells of the confusion heatmap: the matrix shown, scaled by its largest magnitude.
#[derive(Clone, Copy, Debug)]
pub struct ConfusionHeat<'a> {
    shown: MatrixShown,
    current: &'a Confusion,
    trained_with: &'a Confusion,
    largest: u64,
}

/// One cell of the heatmap.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeatCell {
    /// The count, or its change in the difference matrix.
    pub value: i64,
    /// The value as a percentage of the row's support (0 for a class absent from the labels).
    pub row_percent: f64,
    /// `|value|` over the largest `|value|` in the matrix (at least 1): 0 to 1.
    pub heat: f64,
    /// In the difference matrix, a change for the better: fewer samples called a wrong class,
    /// or more called right.
    pub improvement: bool,
}

impl<'a> ConfusionHeat<'a> {
    /// The heatmap of the matrix `shown`, from the confusion at the current weights and at the
    /// trained-with weights (both C x C).
    #[must_use]
    pub fn new(shown: MatrixShown, current: &'a Confusion, trained_with: &'a Confusion) -> Self {
        let mut heat = Self {
            shown,
            current,
            trained_with,
            largest: 1,
        };
        let classes = current.classes();
        heat.largest = (0..classes)
            .flat_map(|t| (0..classes).map(move |k| (t, k)))
            .map(|(t, k)| heat.value(t, k).unsigned_abs())
            .max()
            .unwrap_or(0)
            .max(1);
        heat
    }

    /// The matrix shown, at truth `t` and prediction `k`.
    #[allow(clippy::cast_possible_wrap, reason = "sample counts far below 2^63")]
    fn value(&self, t: usize, k: usize) -> i64 {
        let (now, then) = (self.current, self.trained_with);
        match self.shown {
            MatrixShown::Current => now.get(t, k) as i64,
            MatrixShown::TrainedWith => then.get(t, k) as i64,
            MatrixShown::Difference => now.get(t, k) as i64 - then.get(t, k) as i64,
        }
    }

    /// The cell at truth `t` and prediction `k`.
    #[must_use]
    pub fn cell(&self, t: usize, k: usize) -> HeatCell {
        let value = self.value(t, k);
        let support = match self.shown {
            MatrixShown::TrainedWith => self.trained_with.support(t),
            _ => self.current.support(t),
        };
        #[allow(clippy::cast_precision_loss, reason = "counts, shown as a share")]
        let (row_percent, heat) = (
            if support > 0 {
                value as f64 / support as f64 * 100.0
            } else {
                0.0
            },
            value.unsigned_abs() as f64 / self.largest as f64,
        );
        HeatCell {
            value,
            row_percent,
            heat,
            improvement: self.shown == MatrixShown::Difference && (value < 0) == (t != k),
        }
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "exact values are what these tests assert")]
mod tests {
    use super::*;
    use crate::core::outcomes::data::{ScoreKind, Scores, ValidationData};
    use crate::core::outcomes::setup::OutcomeOptions;

    #[test]
    fn a_change_is_judged_by_which_way_is_better() {
        let up = Change::between(Some(0.25), Some(0.75), true).unwrap();
        assert_eq!((up.amount, up.verdict), (0.5, Verdict::Better));
        let up_loss = Change::between(Some(0.25), Some(0.75), false).unwrap();
        assert_eq!((up_loss.amount, up_loss.verdict), (0.5, Verdict::Worse));
        let down_loss = Change::between(Some(1.0), Some(0.5), false).unwrap();
        assert_eq!(
            (down_loss.amount, down_loss.verdict),
            (-0.5, Verdict::Better)
        );
        let same = Change::between(Some(0.5), Some(0.5), true).unwrap();
        assert_eq!((same.amount, same.verdict), (0.0, Verdict::Unchanged));
        assert_eq!(Change::between(None, Some(0.5), true), None);
        assert_eq!(Change::between(Some(0.5), None, false), None);
        assert_eq!(
            Change::between(Some(f64::INFINITY), Some(f64::INFINITY), true).map(|c| c.verdict),
            Some(Verdict::Worse),
            "inf - inf is not a number: shown as a change for the worse"
        );
    }

    #[test]
    fn fewer_errors_are_better() {
        assert_eq!(
            CountChange::between(7, 3),
            CountChange {
                amount: -4,
                verdict: Verdict::Better
            }
        );
        assert_eq!(
            CountChange::between(3, 7),
            CountChange {
                amount: 4,
                verdict: Verdict::Worse
            }
        );
        assert_eq!(CountChange::between(5, 5).verdict, Verdict::Unchanged);
    }

    /// Two classes, debris 1: truth 0 with 6 called 0 and 2 called 1; truth 1 with 3 called 0
    /// and 9 called 1 (then), and 1 sample of each wrong cell moved right (now).
    fn confusions() -> (Confusion, Confusion) {
        let mut then = Confusion::new(2);
        then.add(0, 0, 6);
        then.add(0, 1, 2);
        then.add(1, 0, 3);
        then.add(1, 1, 9);
        let mut now = Confusion::new(2);
        now.add(0, 0, 7);
        now.add(0, 1, 1);
        now.add(1, 0, 2);
        now.add(1, 1, 10);
        (now, then)
    }

    #[test]
    fn the_class_table_compares_each_metric_and_error_count() {
        let (now, then) = confusions();
        let rows = class_rows(1, &Metrics::of(then, 1, None), &Metrics::of(now, 1, None));
        assert_eq!(rows.len(), 2);
        let row = rows[0];
        assert_eq!(row.support, 8);
        // Precision of 0: 6 / 9 then, 7 / 9 now; recall 6 / 8 then, 7 / 8 now.
        assert_eq!(row.precision.trained_with, Some(6.0 / 9.0));
        assert_eq!(row.precision.current, Some(7.0 / 9.0));
        assert_eq!(row.precision.change.unwrap().verdict, Verdict::Better);
        assert_eq!(row.recall.current, Some(7.0 / 8.0));
        assert!((row.recall.change.unwrap().amount - 1.0 / 8.0).abs() < 1e-15);
        // F1 of 0: 2 tp / (2 tp + fp + fn) = 12/17 then, 14/17 now.
        assert!((row.f1.trained_with.unwrap() - 12.0 / 17.0).abs() < 1e-15);
        assert!((row.f1.current.unwrap() - 14.0 / 17.0).abs() < 1e-15);
        // Debris called 0: 3 then, 2 now; 0 called debris: 2 then, 1 now.
        assert_eq!(
            row.false_positives_from_debris,
            Some(ComparedCount {
                current: 2,
                change: CountChange {
                    amount: -1,
                    verdict: Verdict::Better
                }
            })
        );
        assert_eq!(row.false_negatives_to_debris.unwrap().current, 1);
        assert_eq!(row.false_negatives_to_debris.unwrap().change.amount, -1);
        // The debris row has neither error.
        assert_eq!(rows[1].support, 12);
        assert_eq!(rows[1].false_positives_from_debris, None);
        assert_eq!(rows[1].false_negatives_to_debris, None);
    }

    #[test]
    fn the_deployed_rows_compare_the_expected_counts() {
        let (now, then) = confusions();
        let prior = [0.5, 0.5];
        let baseline = Metrics::of(then.clone(), 1, Some(&prior));
        let current = Metrics::of(now.clone(), 1, Some(&prior));
        let rows = deployed_rows(1, &baseline, &current).unwrap();
        // Debris called 0 among 10,000 at half debris: 5000 * 3/12 then, 5000 * 2/12 now.
        let fp = rows[0].false_positives_from_debris.unwrap();
        assert!((fp.trained_with.unwrap() - 1250.0).abs() < 1e-9);
        assert!((fp.current.unwrap() - 5000.0 / 6.0).abs() < 1e-9);
        assert_eq!(fp.change.unwrap().verdict, Verdict::Better);
        // 0 called debris: 5000 * 2/8 then, 5000 * 1/8 now.
        let fn_ = rows[0].false_negatives_to_debris.unwrap();
        assert!((fn_.change.unwrap().amount + 625.0).abs() < 1e-9);
        // Precision of 0 among deployed: 3750 / (3750 + 1250) then.
        assert!((rows[0].precision.trained_with.unwrap() - 0.75).abs() < 1e-12);
        assert_eq!(rows[1].false_positives_from_debris, None);
        // Without a prior, no deployed rows.
        let plain = Metrics::of(now, 1, None);
        assert_eq!(deployed_rows(1, &Metrics::of(then, 1, None), &plain), None);
    }

    #[test]
    fn the_heatmap_shows_counts_row_shares_and_changes() {
        let (now, then) = confusions();
        let current = ConfusionHeat::new(MatrixShown::Current, &now, &then);
        // Largest count 10: truth 1 called 1, 10 of 12.
        let cell = current.cell(1, 1);
        assert_eq!(cell.value, 10);
        assert!((cell.row_percent - 1000.0 / 12.0).abs() < 1e-12);
        assert_eq!(cell.heat, 1.0);
        assert_eq!(current.cell(0, 1).heat, 0.1);
        assert!(!cell.improvement);
        let trained = ConfusionHeat::new(MatrixShown::TrainedWith, &now, &then);
        assert_eq!(trained.cell(0, 1).value, 2);
        assert_eq!(trained.cell(0, 1).row_percent, 25.0);
        assert_eq!(trained.cell(0, 1).heat, 2.0 / 9.0);
        // Every cell changed by one: the heat is 1 everywhere; off the diagonal a drop is an
        // improvement, on it a rise.
        let difference = ConfusionHeat::new(MatrixShown::Difference, &now, &then);
        for (t, k, value) in [(0, 0, 1), (0, 1, -1), (1, 0, -1), (1, 1, 1)] {
            let cell = difference.cell(t, k);
            assert_eq!((cell.value, cell.heat), (value, 1.0), "{t} {k}");
            assert!(cell.improvement, "{t} {k}");
        }
        assert_eq!(difference.cell(0, 1).row_percent, -12.5);
        // A matrix of zeros: no division by zero.
        let empty = Confusion::new(2);
        let zeros = ConfusionHeat::new(MatrixShown::Current, &empty, &empty).cell(0, 0);
        assert_eq!((zeros.value, zeros.row_percent, zeros.heat), (0, 0.0, 0.0));
    }

    #[test]
    fn the_summary_loss_is_the_weighted_mean_at_the_trained_with_weights() {
        // Two samples of two classes (debris 1): logits [0, ln 1.5] labelled 0, p_0 = 1 / 2.5,
        // and [0, ln 9] labelled 1, p_1 = 9 / 10; nll ln 2.5 and ln(10 / 9). Trained with
        // weights (1, 3), now (2, 1): PyTorch's means (ln 2.5 + 3 ln(10/9)) / 4 and
        // (2 ln 2.5 + ln(10/9)) / 3.
        let data = ValidationData {
            source: "test".to_owned(),
            classes: 2,
            kind: ScoreKind::Logits,
            scores: Scores::F64(vec![0.0, 1.5f64.ln(), 0.0, 9f64.ln()]),
            labels: vec![0, 1],
        };
        let mut preset = Preset::notebook().unwrap();
        preset.classes.truncate(2);
        preset.classes[0].weight = 2.0;
        preset.classes[1].weight = 1.0;
        preset.debris = 1;
        preset.scenarios.clear();
        preset.validation.trained_with = vec![1.0, 3.0];
        let options = OutcomeOptions::default();
        let prepared = Prepared::of(1, &data, &preset, &options).unwrap();
        let current = CurrentOutcomes::of(&data, &preset, &options, &prepared).unwrap();
        let summary = Summary::of(&preset, &prepared, &current);
        let (nll0, nll1) = (2.5f64.ln(), (10.0f64 / 9.0).ln());
        let then = summary.loss_mean.trained_with.unwrap();
        let now = summary.loss_mean.current.unwrap();
        assert!((then - (nll0 + 3.0 * nll1) / 4.0).abs() < 1e-15, "{then}");
        assert!((now - (2.0 * nll0 + nll1) / 3.0).abs() < 1e-15, "{now}");
        // 0.308 then, 0.646 now: the loss rose, which is worse.
        assert_eq!(summary.loss_mean.change.unwrap().verdict, Verdict::Worse);
        let sum = trained_with_loss(&preset, &prepared).sum;
        assert!((sum - (nll0 + 3.0 * nll1)).abs() < 1e-15, "{sum}");
        // At the trained-with weights both samples are called 1 (one right); shifted by
        // (ln 2, -ln 3) they read (ln 2, ln 0.5) and (ln 2, ln 3): called 0 and 1, both right.
        assert_eq!(summary.accuracy.trained_with, Some(0.5));
        assert_eq!(summary.accuracy.current, Some(1.0));
        assert_eq!(summary.accuracy.change.unwrap().verdict, Verdict::Better);
        assert_eq!(summary.balanced_accuracy.current, Some(1.0));
    }
}
