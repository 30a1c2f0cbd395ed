//! Losses as the debris class's weight runs over a grid, every other weight held.

use serde::Serialize;

use crate::core::cases::evaluate::Evaluation;
use crate::core::loss::{BatchLoss, SampleLoss, sample_loss};
use crate::core::preset::Preset;
use crate::core::preset::loss_options::LossOptions;
use crate::core::preset::range::SweepRange;
use crate::core::preset::validate::ValidationError;

/// The grid point closest to `x`; the first of two equally close ones. `None` for an empty grid.
///
/// Grid points are the exact decimal values, so a drag that lands near 1 sets exactly 1.0.
///
/// ```
/// use weightbench::core::cases::sweep::nearest_grid_point;
///
/// let grid = [0.0, 0.5, 1.0];
/// assert_eq!(nearest_grid_point(&grid, 0.74), Some(0.5));
/// assert_eq!(nearest_grid_point(&grid, 0.76), Some(1.0));
/// assert_eq!(nearest_grid_point(&grid, 7.0), Some(1.0));
/// assert_eq!(nearest_grid_point(&[], 7.0), None);
/// ```
#[must_use]
pub fn nearest_grid_point(grid: &[f64], x: f64) -> Option<f64> {
    nearest_grid_index(grid, x).map(|index| grid[index])
}

/// The index of the grid point closest to `x`, as [`nearest_grid_point`].
#[must_use]
pub fn nearest_grid_index(grid: &[f64], x: f64) -> Option<usize> {
    grid.iter()
        .enumerate()
        .min_by(|(_, a), (_, b)| (*a - x).abs().total_cmp(&(*b - x).abs()))
        .map(|(index, _)| index)
}

/// One scenario's loss along the grid.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioCurve {
    /// The scenario name.
    pub name: String,
    /// Weighted loss at each grid point.
    pub loss: Vec<f64>,
}

/// Every scenario's loss and the batch mean at each debris weight of a grid.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sweep {
    /// The grid of debris weights.
    pub debris_weight: Vec<f64>,
    /// One curve per scenario, in scenario order.
    pub scenarios: Vec<ScenarioCurve>,
    /// PyTorch's weighted mean at each grid point; `None` where its denominator is 0.
    pub batch_mean: Vec<Option<f64>>,
}

impl Sweep {
    /// Sweeps the debris weight of `preset` over `range`.
    ///
    /// The loss is linear in the weights (see [`crate::core::loss::SampleLoss`]), so each scenario is
    /// evaluated once and its loss at debris weight `v` follows from its coefficients.
    ///
    /// # Errors
    /// The preset's or the range's first invalid field.
    pub fn run(preset: &Preset, range: &SweepRange) -> Result<Self, ValidationError> {
        range.validate().map_err(ValidationError::Sweep)?;
        let evaluation = Evaluation::of(preset)?;
        Ok(Self::from_evaluation(preset, &evaluation, range))
    }

    /// Sweeps from an evaluation of `preset` that is already at hand (the range must be valid).
    #[must_use]
    pub fn from_evaluation(preset: &Preset, evaluation: &Evaluation, range: &SweepRange) -> Self {
        let debris_weight = range.grid();
        let weights = preset.weights();
        let debris = preset.debris;
        let scenarios: Vec<ScenarioCurve> = preset
            .scenarios
            .iter()
            .zip(&evaluation.scenarios)
            .map(|(scenario, sample)| ScenarioCurve {
                name: scenario.name.clone(),
                loss: loss_curve(sample, &weights, debris, &debris_weight),
            })
            .collect();
        // The batch at each grid point, from the curves just computed.
        let batch_mean = debris_weight
            .iter()
            .enumerate()
            .map(|(point, &v)| {
                BatchLoss::reduce(
                    preset
                        .scenarios
                        .iter()
                        .zip(&evaluation.scenarios)
                        .zip(&scenarios)
                        .map(|((scenario, sample), curve)| {
                            let truth_weight = if scenario.truth == debris {
                                v
                            } else {
                                sample.truth_weight
                            };
                            (curve.loss[point], truth_weight)
                        }),
                )
                .mean
            })
            .collect();
        Self {
            debris_weight,
            scenarios,
            batch_mean,
        }
    }
}

/// The spread of every scenario's loss at each grid point of a sweep: what a plot of
/// thousands of curves shows instead of the curves.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Spread {
    /// The least loss at each grid point.
    pub min: Vec<f64>,
    /// The 10th percentile (NumPy's default, linear interpolation).
    pub p10: Vec<f64>,
    /// The median.
    pub median: Vec<f64>,
    /// The 90th percentile.
    pub p90: Vec<f64>,
    /// The largest loss.
    pub max: Vec<f64>,
}

impl Spread {
    /// The spread of `sweep`'s curves; all 0 where there are no scenarios.
    ///
    /// ```
    /// use weightbench::core::{Preset, Sweep};
    /// use weightbench::core::cases::sweep::Spread;
    ///
    /// let notebook = Preset::notebook()?;
    /// let sweep = Sweep::run(&notebook, &notebook.sweep)?;
    /// let spread = Spread::of(&sweep);
    /// // At debris weight 1 (grid point 100) case 11 costs the most: 9.90 nats.
    /// assert!((spread.max[100] - 9.900150512718561).abs() < 1e-12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn of(sweep: &Sweep) -> Self {
        let points = sweep.debris_weight.len();
        let mut spread = Self::default();
        let mut column = Vec::with_capacity(sweep.scenarios.len());
        for point in 0..points {
            column.clear();
            column.extend(sweep.scenarios.iter().filter_map(|c| c.loss.get(point)));
            let least = column.iter().copied().fold(f64::INFINITY, f64::min);
            let largest = column.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let empty = column.is_empty();
            spread.min.push(if empty { 0.0 } else { least });
            spread.max.push(if empty { 0.0 } else { largest });
            spread.p10.push(quantile(&mut column, 0.1));
            spread.median.push(quantile(&mut column, 0.5));
            spread.p90.push(quantile(&mut column, 0.9));
        }
        spread
    }
}

/// The `q` quantile of `values` (reordered) as NumPy's default computes it: linear
/// interpolation between the order statistics around `q (n - 1)`; 0 for no values.
#[must_use]
pub fn quantile(values: &mut [f64], q: f64) -> f64 {
    let Some(last) = values.len().checked_sub(1) else {
        return 0.0;
    };
    let position = q.clamp(0.0, 1.0) * last as f64;
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a position from 0 to n - 1"
    )]
    let below = (position.floor() as usize).min(last);
    let fraction = position - below as f64;
    let (_, &mut lower, above) = values.select_nth_unstable_by(below, f64::total_cmp);
    if fraction == 0.0 || above.is_empty() {
        return lower;
    }
    let upper = above.iter().copied().fold(f64::INFINITY, f64::min);
    lower + (upper - lower) * fraction
}

/// `sample`'s loss at each debris weight of `grid`, every other weight held.
///
/// The same numbers as [`SampleLoss::loss_with_weight`] at each point, bit for bit: the terms
/// `w_c a_c` are added in class order, for all grid points at once. Terms whose coefficient is
/// 0 are skipped, which changes no bit (the sum starts at +0 and adding ±0 leaves it as it
/// is); with plain cross-entropy only the true class's coefficient is not 0, so a curve costs
/// one multiply-add per point however many classes there are.
fn loss_curve(sample: &SampleLoss, weights: &[f64], debris: usize, grid: &[f64]) -> Vec<f64> {
    let mut loss = vec![0.0; grid.len()];
    for (class, (&a, &w)) in sample.coefficients.iter().zip(weights).enumerate() {
        if a == 0.0 {
            continue;
        }
        if class == debris {
            for (sum, &v) in loss.iter_mut().zip(grid) {
                *sum += v * a;
            }
        } else {
            let term = w * a;
            for sum in &mut loss {
                *sum += term;
            }
        }
    }
    loss
}

/// One scenario's loss along the grid under one set of loss options.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparedCurve {
    /// What the options are, for a legend ("focal, gamma = 2").
    pub label: String,
    /// Weighted loss at each grid point.
    pub loss: Vec<f64>,
}

/// One scenario's loss against the debris weight under plain cross-entropy, and with the
/// preset's label smoothing, focal gamma and logit adjustment each on its own, in that order.
///
/// Options that cannot be used (logit adjustment with a count of 0) are left out; an index
/// that names no scenario, or an invalid preset, gives no curves.
#[must_use]
pub fn compare_loss_forms(
    preset: &Preset,
    scenario: usize,
    range: &SweepRange,
) -> Vec<ComparedCurve> {
    let current = preset.loss;
    let variants = [
        (
            "cross-entropy".to_owned(),
            LossOptions {
                convention: current.convention,
                ..LossOptions::default()
            },
        ),
        (
            format!("label smoothing {}", current.label_smoothing),
            LossOptions {
                label_smoothing: current.label_smoothing,
                convention: current.convention,
                ..LossOptions::default()
            },
        ),
        (
            format!("focal, gamma {}", current.focal_gamma),
            LossOptions {
                focal_gamma: current.focal_gamma,
                convention: current.convention,
                ..LossOptions::default()
            },
        ),
        (
            format!("logit adjusted, tau {}", current.logit_adjustment),
            LossOptions {
                logit_adjustment: current.logit_adjustment,
                convention: current.convention,
                ..LossOptions::default()
            },
        ),
    ];
    let (Some(case), Ok(())) = (preset.scenarios.get(scenario), preset.validate()) else {
        return Vec::new();
    };
    let counts = preset.counts();
    let weights = preset.weights();
    let grid = range.grid();
    variants
        .into_iter()
        .filter(|(_, options)| options.validate(&counts).is_ok())
        .filter_map(|(label, options)| {
            let shifts = options.logit_shifts(&counts);
            let sample = sample_loss(&case.logits, case.truth, &weights, &shifts, &options)?;
            let loss = grid
                .iter()
                .map(|&v| sample.loss_with_weight(&weights, preset.debris, v))
                .collect();
            Some(ComparedCurve { label, loss })
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "exact values are what these tests assert")]
mod tests {
    use super::*;

    #[test]
    fn curves_equal_the_loss_at_each_weight_bit_for_bit() {
        // Label smoothing makes every coefficient non-zero; debris first and last.
        for (debris, smoothing) in [(3, 0.0), (3, 0.1), (0, 0.1), (1, 0.3)] {
            let mut preset = Preset::notebook().unwrap();
            preset.debris = debris;
            preset.loss.label_smoothing = smoothing;
            let sweep = Sweep::run(&preset, &preset.sweep).unwrap();
            let evaluation = Evaluation::of(&preset).unwrap();
            let weights = preset.weights();
            for (curve, sample) in sweep.scenarios.iter().zip(&evaluation.scenarios) {
                for (&v, &loss) in sweep.debris_weight.iter().zip(&curve.loss) {
                    let expected = sample.loss_with_weight(&weights, debris, v);
                    assert_eq!(loss.to_bits(), expected.to_bits(), "{} at {v}", curve.name);
                }
            }
        }
    }

    #[test]
    fn the_spread_is_the_least_median_and_largest_loss() {
        let grid = vec![0.0, 1.0];
        let curve = |loss: Vec<f64>| ScenarioCurve {
            name: String::new(),
            loss,
        };
        let sweep = Sweep {
            debris_weight: grid,
            scenarios: vec![
                curve(vec![3.0, 1.0]),
                curve(vec![1.0, 5.0]),
                curve(vec![2.0, 2.0]),
                curve(vec![10.0, 4.0]),
            ],
            batch_mean: vec![None, None],
        };
        let spread = Spread::of(&sweep);
        assert_eq!(spread.min, [1.0, 1.0]);
        assert_eq!(spread.max, [10.0, 5.0]);
        assert_eq!(spread.median, [2.5, 3.0]);
        // numpy.percentile([3, 1, 2, 10], 10) = 1.3; 90: 7.9; of [1, 5, 2, 4]: 1.3 and 4.7.
        let close = |a: &[f64], b: [f64; 2]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12);
        assert!(close(&spread.p10, [1.3, 1.3]), "{:?}", spread.p10);
        assert!(close(&spread.p90, [7.9, 4.7]), "{:?}", spread.p90);
        let odd = Sweep {
            scenarios: sweep.scenarios[..3].to_vec(),
            ..sweep.clone()
        };
        assert_eq!(Spread::of(&odd).median, [2.0, 2.0]);
        let empty = Sweep {
            scenarios: Vec::new(),
            ..sweep
        };
        assert_eq!(Spread::of(&empty).max, [0.0, 0.0]);
    }

    #[test]
    fn the_marker_snaps_to_the_default_grid() {
        let grid = SweepRange::default().grid();
        assert_eq!(nearest_grid_point(&grid, 0.9987), Some(1.0));
        assert_eq!(nearest_grid_point(&grid, 0.7961), Some(0.8));
        assert_eq!(nearest_grid_point(&grid, -3.0), Some(0.0));
        assert_eq!(nearest_grid_point(&grid, 7.0), Some(2.0));
        assert_eq!(nearest_grid_point(&[], 1.0), None);
    }
}
