//! The estimate between runs: each run's preview, blended by distance in `ln w`.
//!
//! For weights `w` (every class's, as a point `x = ln w`), let `a` be the group of replicates
//! nearest to `x` and `b` the nearest group whose debris weight lies on the other side of `w`'s
//! from `a`'s. Each group's preview at `w` is the mean of its replicates' previews (outputs
//! shifted by `ln(w / w_run)`, counted exactly by their debris sweeps). The estimate is
//! `(1 - t) P_a + t P_b`, `t` the position of `w`'s debris weight between theirs in `ln w`:
//! linear interpolation in `ln w` between the two runs that bracket `w`, which the research notes measured 42 %
//! closer to real retrains than the preview of the middle run. At a run's own weights the
//! estimate is the mean of its replicates, exactly. Beyond the outermost runs it is the
//! nearest group's preview.
//!
//! The band: between two groups, from the lowest to the highest of their replicates' previews
//! (the two runs' disagreement and the replicates' spread); at a group's own weights, its
//! replicates' spread. Beyond the outermost runs, the band also widens by the preview's error
//! per unit of `ln w` that the runs themselves showed ([`super::preview_error`]), times the
//! distance to the nearest run, so it does not pretend to know what no run has measured; at
//! most to twice the estimate, and never past the samples there are.

use serde::Serialize;

use super::set::{RunSet, same_except};

/// Per class counts, in f64 (means of replicates, blends); 0 in the debris entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Counts {
    /// Per class c, debris samples called c.
    pub false_positives_from_debris: Vec<f64>,
    /// Per class c, samples of c called debris.
    pub false_negatives_to_debris: Vec<f64>,
}

impl Counts {
    /// The counts of a confusion matrix (`C x C`, row-major, f64).
    #[must_use]
    pub fn of(confusion: &[f64], classes: usize, debris: usize) -> Self {
        let cell = |t: usize, k: usize| confusion.get(t * classes + k).copied().unwrap_or(0.0);
        let rare = |c: usize, value: f64| if c == debris { 0.0 } else { value };
        Self {
            false_positives_from_debris: (0..classes).map(|c| rare(c, cell(debris, c))).collect(),
            false_negatives_to_debris: (0..classes).map(|c| rare(c, cell(c, debris))).collect(),
        }
    }

    /// Elementwise minimum (`min = true`) or maximum with `other`.
    fn merge(&mut self, other: &Self, min: bool) {
        let pick = |a: &mut f64, b: f64| *a = if min { a.min(b) } else { a.max(b) };
        for (a, &b) in self
            .false_positives_from_debris
            .iter_mut()
            .zip(&other.false_positives_from_debris)
        {
            pick(a, b);
        }
        for (a, &b) in self
            .false_negatives_to_debris
            .iter_mut()
            .zip(&other.false_negatives_to_debris)
        {
            pick(a, b);
        }
    }

    /// Summed over classes: (false positives, false negatives).
    #[must_use]
    pub fn totals(&self) -> (f64, f64) {
        (
            self.false_positives_from_debris.iter().sum(),
            self.false_negatives_to_debris.iter().sum(),
        )
    }
}

/// The estimate at one weight vector.
#[derive(Clone, Debug, PartialEq)]
pub struct PointEstimate {
    /// The blended confusion matrix, `C x C` row-major, in expected samples.
    pub confusion: Vec<f64>,
    /// Its false positives from debris and false negatives to debris.
    pub counts: Counts,
    /// The band's low edge.
    pub low: Counts,
    /// The band's high edge.
    pub high: Counts,
    /// The groups blended ([`RunSet::groups`] indices): the nearest, and the one on the far
    /// side when there is one.
    pub groups: (usize, Option<usize>),
}

impl PointEstimate {
    /// The band's width summed over classes and both counts: how unsure the estimate is.
    #[must_use]
    pub fn band_width(&self) -> f64 {
        let low = self.low.totals();
        let high = self.high.totals();
        (high.0 - low.0) + (high.1 - low.1)
    }
}

/// How fast a preview's error grows with distance in `ln w`, measured on the runs: the
/// relative error per unit of `ln w`, for the false positives and the false negatives.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Drift {
    /// Relative error of the false positives from debris per unit of `ln w`.
    pub false_positives: f64,
    /// Relative error of the false negatives to debris per unit of `ln w`.
    pub false_negatives: f64,
}

/// The estimate along debris weights: the `estimate` block of the JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct EstimateCurve {
    /// One list per debris weight, one expected count per class.
    pub false_positives_from_debris: Vec<Vec<f64>>,
    /// One list per debris weight, one expected count per class.
    pub false_negatives_to_debris: Vec<Vec<f64>>,
    /// The band's low edge, the same keys.
    pub low: CountsCurve,
    /// The band's high edge, the same keys.
    pub high: CountsCurve,
    /// The debris weight of each point (the report's `debris_weight`; not repeated here).
    #[serde(skip)]
    pub debris_weight: Vec<f64>,
    /// Each point in full (not in the JSON).
    #[serde(skip)]
    pub points: Vec<PointEstimate>,
}

/// Counts along debris weights.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CountsCurve {
    /// One list per debris weight, one count per class.
    pub false_positives_from_debris: Vec<Vec<f64>>,
    /// One list per debris weight, one count per class.
    pub false_negatives_to_debris: Vec<Vec<f64>>,
}

impl CountsCurve {
    fn push(&mut self, counts: &Counts) {
        self.false_positives_from_debris
            .push(counts.false_positives_from_debris.clone());
        self.false_negatives_to_debris
            .push(counts.false_negatives_to_debris.clone());
    }
}

/// `ln w`, with a weight of 0 (a class never predicted) taken as the smallest positive f64 so
/// that distances stay finite.
fn log_weights(weights: &[f64]) -> Vec<f64> {
    weights
        .iter()
        .map(|&w| w.max(f64::MIN_POSITIVE).ln())
        .collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl RunSet {
    /// The estimate at debris weight `debris_weight`, every other weight held at the set's, the
    /// band widened by `drift` beyond the runs; `None` for a set without runs.
    #[must_use]
    pub fn estimate_at_with(&self, debris_weight: f64, drift: Drift) -> Option<PointEstimate> {
        let mut query = self.held().to_vec();
        if let Some(slot) = query.get_mut(self.debris) {
            *slot = debris_weight;
        }
        self.blend(&query, 0, None, drift)
    }

    /// The estimate along `debris_weights`, the band widened by `drift` beyond the runs.
    #[must_use]
    pub fn estimate_with(&self, debris_weights: &[f64], drift: Drift) -> EstimateCurve {
        let mut curve = EstimateCurve::default();
        for &weight in debris_weights {
            let Some(point) = self.estimate_at_with(weight, drift) else {
                continue;
            };
            curve
                .false_positives_from_debris
                .push(point.counts.false_positives_from_debris.clone());
            curve
                .false_negatives_to_debris
                .push(point.counts.false_negatives_to_debris.clone());
            curve.debris_weight.push(weight);
            curve.low.push(&point.low);
            curve.high.push(&point.high);
            curve.points.push(point);
        }
        curve
    }

    /// The blend at `query` (every class's weight; its other weights must be held vector
    /// `held`'s), leaving out group `exclude`, the band widened by `drift` beyond the runs.
    /// `None` when no group is left.
    pub(super) fn blend(
        &self,
        query: &[f64],
        held: usize,
        exclude: Option<usize>,
        drift: Drift,
    ) -> Option<PointEstimate> {
        let (classes, debris) = (self.classes(), self.debris);
        let x = log_weights(query);
        let groups = self.groups();
        let candidates = || (0..groups.len()).filter(move |&g| Some(g) != exclude);
        let distance = |g: usize| {
            let offset: Vec<f64> = log_weights(&groups[g].weights)
                .iter()
                .zip(&x)
                .map(|(a, b)| a - b)
                .collect();
            dot(&offset, &offset).sqrt()
        };
        let (a, d_a) = candidates()
            .map(|g| (g, distance(g)))
            .min_by(|p, q| p.1.total_cmp(&q.1))?;
        // At a group's own weights (within float32's rounding): that group alone.
        let own = same_except(&groups[a].weights, query, usize::MAX);
        // The debris axis decides the sides: the nearest group whose debris weight lies on the
        // other side of the query's from the nearest group's.
        let debris_log = |g: usize| log_weights(&groups[g].weights)[debris];
        let (x_d, a_d) = (x[debris], debris_log(a));
        let far = if own {
            None
        } else {
            candidates()
                .filter(|&g| g != a && (debris_log(g) - x_d) * (a_d - x_d) < 0.0)
                .map(|g| (g, distance(g)))
                .min_by(|p, q| p.1.total_cmp(&q.1))
                .map(|(g, _)| g)
        };
        // ln of the ratios rather than a difference of logs: halfway in ln w comes out as
        // exactly one half where the ratios are exact (0.4 between 0.1 and 1.6).
        let weight = |g: usize| groups[g].weights[debris];
        let query_weight = query.get(debris).copied().unwrap_or(f64::NAN);
        let t = far.map_or(0.0, |b| {
            ((query_weight / weight(a)).ln() / (weight(b) / weight(a)).ln()).clamp(0.0, 1.0)
        });
        let debris_weight = query.get(debris).copied().unwrap_or(f64::NAN);
        let mut confusion = vec![0.0; classes * classes];
        let mut low: Option<Counts> = None;
        let mut high: Option<Counts> = None;
        for (group, share) in [(Some(a), 1.0 - t), (far, t)] {
            let Some(group) = group else { continue };
            let members = &self.groups()[group].members;
            for &run in members {
                let preview = self.preview(run, held, debris_weight);
                let cells: Vec<f64> = preview
                    .rows()
                    .into_iter()
                    .flatten()
                    .map(|n| n as f64)
                    .collect();
                for (sum, cell) in confusion.iter_mut().zip(&cells) {
                    *sum += share * cell / members.len() as f64;
                }
                let counts = Counts::of(&cells, classes, debris);
                if let (Some(low), Some(high)) = (&mut low, &mut high) {
                    low.merge(&counts, true);
                    high.merge(&counts, false);
                } else {
                    low = Some(counts.clone());
                    high = Some(counts);
                }
            }
        }
        let counts = Counts::of(&confusion, classes, debris);
        let (mut low, mut high) = (low?, high?);
        if far.is_none() && !own {
            let support: Vec<f64> = confusion
                .chunks(classes)
                .map(|row| row.iter().sum())
                .collect();
            widen(&mut low, &mut high, &counts, drift, d_a, &support, debris);
        }
        Some(PointEstimate {
            confusion,
            counts,
            low,
            high,
            groups: (a, far),
        })
    }
}

/// Widens the band around `counts` by the drift times `distance` (in `ln w`), at most to
/// twice the count (a relative error of 100 %), and never past what the data holds: no more
/// false positives from debris than debris samples (`support[debris]`), no more false
/// negatives of a class than its samples.
fn widen(
    low: &mut Counts,
    high: &mut Counts,
    counts: &Counts,
    drift: Drift,
    distance: f64,
    support: &[f64],
    debris: usize,
) {
    let spread = |value: f64, rate: f64, most: f64| {
        let margin = value * (rate * distance).min(1.0);
        (
            (value - margin).max(0.0),
            (value + margin).min(most.max(value)),
        )
    };
    let debris_samples = support.get(debris).copied().unwrap_or(0.0);
    for (c, &value) in counts.false_positives_from_debris.iter().enumerate() {
        let (lo, hi) = spread(value, drift.false_positives, debris_samples);
        low.false_positives_from_debris[c] = low.false_positives_from_debris[c].min(lo);
        high.false_positives_from_debris[c] = high.false_positives_from_debris[c].max(hi);
    }
    for (c, &value) in counts.false_negatives_to_debris.iter().enumerate() {
        let samples = support.get(c).copied().unwrap_or(0.0);
        let (lo, hi) = spread(value, drift.false_negatives, samples);
        low.false_negatives_to_debris[c] = low.false_negatives_to_debris[c].min(lo);
        high.false_negatives_to_debris[c] = high.false_negatives_to_debris[c].max(hi);
    }
}
