//! Temperature scaling (Guo et al. 2017): one temperature T minimising the unweighted mean
//! negative log-likelihood of `softmax(z / T)`, and the expected calibration error before and
//! after.
//!
//! The mean NLL is convex in `u = 1 / T`: its first derivative is the mean of
//! `E_p[z] - z_y` and its second the mean variance of z under p. Newton's method on u, kept
//! inside a bracket where the derivative changes sign (bisection when a step leaves it),
//! converges to machine precision in a handful of passes over the data.

use crate::core::outcomes::data::ValidationData;
use crate::core::outcomes::decision::argmax_or;

/// The number of equal-width confidence bins of the expected calibration error.
pub const ECE_BINS: usize = 15;

/// The largest `u = 1 / T` tried before declaring the scores separable (T = 1e-12).
const LARGEST_INVERSE_TEMPERATURE: f64 = 1e12;

/// The relative change of u below which Newton's method stops.
const TOLERANCE: f64 = 1e-14;

/// The most passes over the data the fit makes.
const MAX_ITERATIONS: usize = 200;

/// Why no temperature minimises the NLL.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TemperatureError {
    /// No samples to fit on.
    #[error("no samples to fit a temperature on")]
    NoSamples,
    /// Every sample's true class has the top score: the NLL keeps falling as T goes to 0.
    #[error(
        "every sample's true class has the top score, so the NLL keeps falling as T goes to 0; no temperature minimises it"
    )]
    Separable,
    /// On average the true class scores no better than the mean score: the minimum is not at a
    /// positive T.
    #[error(
        "the scores rank the true class no better than chance on average, so the NLL has no minimum at a positive T"
    )]
    NoBetterThanChance,
}

/// The mean NLL of `softmax(u z)` and its first two derivatives in u.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct NllDerivatives {
    /// `mean_i [ln sum_c exp(u z_ic) - u z_iy]`.
    pub value: f64,
    /// `d value / du = mean_i [E_p[z_i] - z_iy]`.
    pub first: f64,
    /// `d^2 value / du^2 = mean_i Var_p[z_i]` (>= 0).
    pub second: f64,
}

/// The mean NLL at `u = 1 / T` and its derivatives in u, in one pass; all 0 with no samples.
#[must_use]
pub fn nll_derivatives(data: &ValidationData, inverse_temperature: f64) -> NllDerivatives {
    let u = inverse_temperature;
    let classes = data.classes;
    let mut row = vec![0.0; classes];
    let mut weights = vec![0.0; classes];
    let mut total = Sums::default();
    let mut block = Sums::default();
    for (sample, &label) in data.labels.iter().enumerate() {
        data.row_into(sample, &mut row);
        let largest = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut partition = 0.0;
        let mut mean_offset = 0.0;
        for (weight, &z) in weights.iter_mut().zip(&row) {
            *weight = (u * (z - largest)).exp();
            partition += *weight;
            mean_offset += *weight * (z - largest);
        }
        mean_offset /= partition;
        let variance = weights
            .iter()
            .zip(&row)
            .map(|(&w, &z)| w * (z - largest - mean_offset).powi(2))
            .sum::<f64>()
            / partition;
        let truth_offset = row.get(label as usize).map_or(0.0, |&z| z - largest);
        block.add(
            partition.ln() - u * truth_offset,
            mean_offset - truth_offset,
            variance,
        );
        if sample % 1024 == 1023 {
            total.add(block.value, block.first, block.second);
            block = Sums::default();
        }
    }
    total.add(block.value, block.first, block.second);
    let n = data.samples().max(1) as f64;
    NllDerivatives {
        value: total.value / n,
        first: total.first / n,
        second: total.second / n,
    }
}

/// Running sums, kept per block of samples so long sums lose less to rounding.
#[derive(Clone, Copy, Debug, Default)]
struct Sums {
    value: f64,
    first: f64,
    second: f64,
}

impl Sums {
    fn add(&mut self, value: f64, first: f64, second: f64) {
        self.value += value;
        self.first += first;
        self.second += second;
    }
}

/// The mean NLL of `softmax(z / T)` (unweighted), the quantity the fit minimises.
#[must_use]
pub fn mean_nll(data: &ValidationData, temperature: f64) -> f64 {
    nll_derivatives(data, 1.0 / temperature).value
}

/// The temperature minimising the mean NLL of `softmax(z / T)` over `data`.
///
/// # Errors
/// No samples, scores that separate every sample (the NLL falls as T goes to 0), or scores no
/// better than chance (the minimum is not at a positive T).
pub fn fit_temperature(data: &ValidationData) -> Result<f64, TemperatureError> {
    if data.samples() == 0 {
        return Err(TemperatureError::NoSamples);
    }
    if nll_derivatives(data, 0.0).first >= 0.0 {
        return Err(TemperatureError::NoBetterThanChance);
    }
    // With every true class on top, the derivative stays below 0 (and underflows to 0 at a
    // large u, which must not pass for a minimum).
    if !any_true_class_below_the_top(data) {
        return Err(TemperatureError::Separable);
    }
    // Bracket: the derivative is negative at `low` and positive at `high`.
    let mut low = 0.0;
    let mut high = 1.0;
    let mut at = nll_derivatives(data, high);
    while at.first < 0.0 {
        low = high;
        high *= 4.0;
        if high > LARGEST_INVERSE_TEMPERATURE {
            return Err(TemperatureError::Separable);
        }
        at = nll_derivatives(data, high);
    }
    if at.first == 0.0 {
        return Ok(1.0 / high);
    }
    let mut u = if low > 0.0 { low } else { high };
    at = nll_derivatives(data, u);
    for _ in 0..MAX_ITERATIONS {
        if at.first == 0.0 {
            break;
        }
        if at.first < 0.0 {
            low = low.max(u);
        } else {
            high = high.min(u);
        }
        let newton = u - at.first / at.second;
        let next = if at.second > 0.0 && newton > low && newton < high {
            newton
        } else {
            low + (high - low) / 2.0
        };
        let step = (next - u).abs();
        u = next;
        at = nll_derivatives(data, u);
        if step <= TOLERANCE * u || high - low <= TOLERANCE * u {
            break;
        }
    }
    Ok(1.0 / u)
}

/// Whether some sample's true class scores below that sample's top score.
fn any_true_class_below_the_top(data: &ValidationData) -> bool {
    let mut row = vec![0.0; data.classes];
    data.labels.iter().enumerate().any(|(sample, &label)| {
        data.row_into(sample, &mut row);
        let largest = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        row.get(label as usize).is_some_and(|&z| z < largest)
    })
}

/// The expected calibration error of `softmax(z / T)` over [`ECE_BINS`] equal-width bins,
/// `sum_b n_b / N |acc_b - conf_b|`, a bin holding `lo < confidence <= hi`; `None` with no
/// samples.
///
/// Confidence is the largest probability; a sample is right when the argmax of its raw scores
/// (ties to the lowest index) is its label.
#[must_use]
pub fn ece(data: &ValidationData, temperature: f64) -> Option<f64> {
    let samples = data.samples();
    if samples == 0 {
        return None;
    }
    let edges: Vec<f64> = (0..=ECE_BINS).map(|b| b as f64 / ECE_BINS as f64).collect();
    let mut count = [0u64; ECE_BINS];
    let mut confidence_sum = [0.0f64; ECE_BINS];
    let mut right = [0u64; ECE_BINS];
    let mut row = vec![0.0; data.classes];
    for (sample, &label) in data.labels.iter().enumerate() {
        data.row_into(sample, &mut row);
        let confidence = largest_probability(&row, temperature);
        let bin = edges[1..]
            .partition_point(|&edge| edge < confidence)
            .min(ECE_BINS - 1);
        count[bin] += 1;
        confidence_sum[bin] += confidence;
        if argmax_or(row.iter().copied(), 0) == label as usize {
            right[bin] += 1;
        }
    }
    let n = samples as f64;
    let error = (0..ECE_BINS)
        .filter(|&b| count[b] > 0)
        .map(|b| {
            let size = count[b] as f64;
            size / n * (right[b] as f64 / size - confidence_sum[b] / size).abs()
        })
        .sum();
    Some(error)
}

/// `max_c softmax(z / T)_c = 1 / sum_c exp(z_c / T - max)`.
fn largest_probability(row: &[f64], temperature: f64) -> f64 {
    let largest = row
        .iter()
        .map(|&z| z / temperature)
        .fold(f64::NEG_INFINITY, f64::max);
    let partition: f64 = row.iter().map(|&z| (z / temperature - largest).exp()).sum();
    1.0 / partition
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::outcomes::data::{ScoreKind, Scores};

    fn data(scores: Vec<f64>, labels: Vec<u32>) -> ValidationData {
        ValidationData {
            source: "test".to_owned(),
            classes: scores.len() / labels.len(),
            kind: ScoreKind::Logits,
            scores: Scores::F64(scores),
            labels,
        }
    }

    #[test]
    fn separable_and_uninformative_scores_are_refused() {
        let separable = data(vec![2.0, 0.0, 0.0, 1.0], vec![0, 1]);
        assert_eq!(
            fit_temperature(&separable),
            Err(TemperatureError::Separable)
        );
        let backwards = data(vec![0.0, 2.0, 1.0, 0.0], vec![0, 1]);
        assert_eq!(
            fit_temperature(&backwards),
            Err(TemperatureError::NoBetterThanChance)
        );
    }

    #[test]
    fn a_perfectly_confident_right_sample_lands_in_the_last_bin() {
        let confident = data(vec![100.0, 0.0], vec![0]);
        assert_eq!(ece(&confident, 1.0), Some(0.0));
        // Two classes tied: confidence 0.5 sits on the edge 7/15 < 0.5 <= 8/15, and is right.
        let tied = data(vec![0.0, 0.0], vec![0]);
        assert_eq!(ece(&tied, 1.0), Some(0.5));
    }
}
