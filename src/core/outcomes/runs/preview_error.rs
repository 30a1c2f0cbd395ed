//! How far a preview can be trusted, measured on the user's own runs: each group of
//! replicates predicted from each other group (its preview at their weights against their
//! real counts), and each group between two others predicted by the blend of those two with
//! itself left out.
//!
//! An error is relative: `sum_c |predicted_c - real_c| / sum_c real_c` over the classes other
//! than debris, for the false positives from debris and the false negatives to debris apart;
//! undefined (`null`) where the real counts sum to 0.

use std::fmt::Write as _;

use serde::Serialize;

use super::estimate::{Counts, Drift};
use super::set::RunSet;

/// One group predicted from another by the preview alone.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PairError {
    /// The runs previewed from.
    pub from: Vec<String>,
    /// The runs predicted.
    pub to: Vec<String>,
    /// The debris weight previewed from.
    pub from_debris_weight: f64,
    /// The debris weight predicted.
    pub to_debris_weight: f64,
    /// How far apart the two are: `exp` of their distance in `ln w` (the debris weights'
    /// ratio when only the debris weight differs).
    pub factor: f64,
    /// Relative error of the false positives from debris.
    pub false_positives_from_debris: Option<f64>,
    /// Relative error of the false negatives to debris.
    pub false_negatives_to_debris: Option<f64>,
}

/// One group predicted by blending the groups on either side, itself left out.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BlendedError {
    /// The runs predicted.
    pub runs: Vec<String>,
    /// Their debris weight.
    pub debris_weight: f64,
    /// The debris weights of the two groups blended.
    pub between: [f64; 2],
    /// Relative error of the false positives from debris.
    pub false_positives_from_debris: Option<f64>,
    /// Relative error of the false negatives to debris.
    pub false_negatives_to_debris: Option<f64>,
}

/// The `preview_error` block of the JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PreviewError {
    /// Every ordered pair of groups, nearest first.
    pub pairs: Vec<PairError>,
    /// Every group with a group on each side.
    pub blended: Vec<BlendedError>,
    /// The finding in one sentence.
    pub sentence: String,
}

/// `sum |predicted - real| / sum real`, `None` when the real counts sum to 0.
fn relative_error(predicted: &[f64], real: &[f64]) -> Option<f64> {
    let total: f64 = real.iter().sum();
    let missed: f64 = predicted.iter().zip(real).map(|(p, r)| (p - r).abs()).sum();
    (total > 0.0).then(|| missed / total)
}

/// Both relative errors of `predicted` against `real`.
fn errors(predicted: &Counts, real: &Counts) -> (Option<f64>, Option<f64>) {
    (
        relative_error(
            &predicted.false_positives_from_debris,
            &real.false_positives_from_debris,
        ),
        relative_error(
            &predicted.false_negatives_to_debris,
            &real.false_negatives_to_debris,
        ),
    )
}

impl RunSet {
    /// The mean counts of `group`'s replicates at their own weights.
    fn real_counts(&self, group: usize) -> Counts {
        self.mean_counts(group, |run| {
            self.own_confusion(run)
                .rows()
                .into_iter()
                .flatten()
                .map(|n| n as f64)
                .collect()
        })
    }

    /// The mean counts of `from`'s replicates previewed at `to`'s weights.
    fn previewed_counts(&self, from: usize, to: usize) -> Counts {
        let held = self.group_held(to);
        let debris_weight = self.groups()[to].weights[self.debris];
        self.mean_counts(from, |run| {
            self.preview(run, held, debris_weight)
                .rows()
                .into_iter()
                .flatten()
                .map(|n| n as f64)
                .collect()
        })
    }

    fn mean_counts(&self, group: usize, confusion: impl Fn(usize) -> Vec<f64>) -> Counts {
        let members = &self.groups()[group].members;
        let classes = self.classes();
        let mut sum = vec![0.0; classes * classes];
        for &run in members {
            for (s, v) in sum.iter_mut().zip(confusion(run)) {
                *s += v / members.len() as f64;
            }
        }
        Counts::of(&sum, classes, self.debris)
    }

    fn files(&self, group: usize) -> Vec<String> {
        self.groups()[group]
            .members
            .iter()
            .map(|&run| self.runs()[run].file.clone())
            .collect()
    }

    fn pair_errors(&self) -> Vec<PairError> {
        let groups = self.groups();
        let mut pairs = Vec::new();
        for to in 0..groups.len() {
            let real = self.real_counts(to);
            for from in (0..groups.len()).filter(|&from| from != to) {
                let (fp, fn_) = errors(&self.previewed_counts(from, to), &real);
                let distance: f64 = groups[from]
                    .weights
                    .iter()
                    .zip(&groups[to].weights)
                    .map(|(a, b)| (a.ln() - b.ln()).powi(2))
                    .sum::<f64>()
                    .sqrt();
                pairs.push(PairError {
                    from: self.files(from),
                    to: self.files(to),
                    from_debris_weight: groups[from].weights[self.debris],
                    to_debris_weight: groups[to].weights[self.debris],
                    factor: distance.exp(),
                    false_positives_from_debris: fp,
                    false_negatives_to_debris: fn_,
                });
            }
        }
        pairs.sort_by(|a, b| a.factor.total_cmp(&b.factor));
        pairs
    }

    fn blended_errors(&self) -> Vec<BlendedError> {
        let mut blended = Vec::new();
        for (g, group) in self.groups().iter().enumerate() {
            let held = self.group_held(g);
            let Some(point) = self.blend(&group.weights, held, Some(g), Drift::default()) else {
                continue;
            };
            let (a, Some(b)) = point.groups else { continue };
            let (fp, fn_) = errors(&point.counts, &self.real_counts(g));
            let weight = |g: usize| self.groups()[g].weights[self.debris];
            blended.push(BlendedError {
                runs: self.files(g),
                debris_weight: group.weights[self.debris],
                between: [weight(a).min(weight(b)), weight(a).max(weight(b))],
                false_positives_from_debris: fp,
                false_negatives_to_debris: fn_,
            });
        }
        blended
    }
}

impl PreviewError {
    /// The errors of `set`'s previews on its own runs.
    #[must_use]
    pub fn of(set: &RunSet) -> Self {
        let pairs = set.pair_errors();
        let blended = set.blended_errors();
        let sentence = sentence(&pairs, &blended);
        Self {
            pairs,
            blended,
            sentence,
        }
    }
}

/// How fast the preview's error grows per unit of `ln w` on `set`'s runs (0 with fewer than
/// two groups): the mean over pairs of error / distance.
#[must_use]
pub fn drift(set: &RunSet) -> Drift {
    let pairs = set.pair_errors();
    let rate = |pick: fn(&PairError) -> Option<f64>| {
        let rates: Vec<f64> = pairs
            .iter()
            .filter(|p| p.factor > 1.0)
            .filter_map(|p| pick(p).map(|e| e / p.factor.ln()))
            .collect();
        if rates.is_empty() {
            0.0
        } else {
            rates.iter().sum::<f64>() / rates.len() as f64
        }
    };
    Drift {
        false_positives: rate(|p| p.false_positives_from_debris),
        false_negatives: rate(|p| p.false_negatives_to_debris),
    }
}

/// The mean of the defined values, `None` with none.
fn mean(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let defined: Vec<f64> = values.flatten().collect();
    (!defined.is_empty()).then(|| defined.iter().sum::<f64>() / defined.len() as f64)
}

/// A share as a percentage, or `n/a`.
fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_owned(), |v| format!("{:.0} %", v * 100.0))
}

/// A factor as people say it: `2x`, `2.5x`, `16x`.
#[must_use]
pub fn factor_text(factor: f64) -> String {
    if factor >= 9.95 {
        format!("{factor:.0}x")
    } else {
        let text = format!("{factor:.1}");
        format!("{}x", text.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// The finding in one sentence: the nearest and the farthest pairs' mean errors, and the
/// blend's.
fn sentence(pairs: &[PairError], blended: &[BlendedError]) -> String {
    let (Some(nearest), Some(farthest)) = (pairs.first(), pairs.last()) else {
        return "With runs at one set of weights, how far a preview can be trusted cannot be measured yet: add a run at another debris weight.".to_owned();
    };
    let summary = |factor: f64| {
        let near: Vec<&PairError> = pairs
            .iter()
            .filter(|p| (p.factor / factor - 1.0).abs() < 0.1)
            .collect();
        (
            mean(near.iter().map(|p| p.false_positives_from_debris)),
            mean(near.iter().map(|p| p.false_negatives_to_debris)),
        )
    };
    let (fp, fn_) = summary(nearest.factor);
    let mut text = format!(
        "On your runs, a preview from a run {} away missed the false positives from debris by {} and the false negatives to debris by {}",
        factor_text(nearest.factor),
        percent(fp),
        percent(fn_)
    );
    if farthest.factor > nearest.factor * 1.1 {
        let (fp, fn_) = summary(farthest.factor);
        let _ = write!(
            text,
            "; from {} away, by {} and {}",
            factor_text(farthest.factor),
            percent(fp),
            percent(fn_)
        );
    }
    text.push('.');
    if !blended.is_empty() {
        let _ = write!(
            text,
            " Blending the runs on either side missed them by {} and {}.",
            percent(mean(blended.iter().map(|b| b.false_positives_from_debris))),
            percent(mean(blended.iter().map(|b| b.false_negatives_to_debris)))
        );
    }
    text
}
