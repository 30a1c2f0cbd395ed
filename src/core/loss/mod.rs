//! The weighted loss family (cross-entropy, label smoothing, focal loss, logit adjustment),
//! exact gradients and the batch reductions of PyTorch and Keras, in f64, on top of
//! [`softmax`].

pub mod softmax;

use crate::core::loss::softmax::Softmax;
use crate::core::preset::loss_options::{Convention, LossOptions, Reduction};

/// The loss of one sample, with everything derived from it.
///
/// Every loss form here is linear in the class weights: `loss = sum_c w_c a_c`, where the
/// coefficients `a_c` depend on the logits and the options but not on the weights. A sweep
/// of one weight therefore needs no new softmax.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleLoss {
    /// `softmax(logits)` of the raw logits (before any logit adjustment).
    pub probabilities: Vec<f64>,
    /// `a_c`: the loss per unit weight of class c.
    pub coefficients: Vec<f64>,
    /// The weight of the true class, `w[y]` (PyTorch's mean divides by the sum of these).
    pub truth_weight: f64,
    /// The per-sample weighted loss in nats, `sum_c w_c a_c` (PyTorch's `reduction='none'`).
    pub loss: f64,
    /// The loss with every weight 1, `sum_c a_c`.
    pub unweighted_loss: f64,
    /// `d loss / d logits`, with respect to the raw logits.
    pub gradient: Vec<f64>,
    /// The predicted class, the argmax of the raw logits.
    pub predicted: usize,
}

impl SampleLoss {
    /// The loss had class `class` weighed `weight` instead, every other weight held.
    ///
    /// Sums in the same order as the evaluation, so at the current weight it is the same number.
    #[must_use]
    pub fn loss_with_weight(&self, weights: &[f64], class: usize, weight: f64) -> f64 {
        weighted_sum(
            self.coefficients
                .iter()
                .zip(weights)
                .enumerate()
                .map(|(c, (&a, &w))| (if c == class { weight } else { w }, a)),
        )
    }
}

/// `sum w a` over `(w, a)` pairs, in order.
fn weighted_sum(pairs: impl Iterator<Item = (f64, f64)>) -> f64 {
    pairs.fold(0.0, |sum, (w, a)| sum + w * a)
}

/// Weighted cross-entropy `-w[y] ln softmax(z)[y]` and its gradient for one sample.
///
/// `None` when the inputs do not fit together (no logits, a non-finite logit, `truth`
/// out of range, or not one weight per logit); [`crate::core::preset::Preset::validate`] reports
/// those with field names before evaluation gets here.
///
/// ```
/// use weightbench::core::loss::weighted_cross_entropy;
///
/// // Far apart logits stay exact: -ln p[2] is 2e4, times the weight 3.
/// let sample = weighted_cross_entropy(&[1e4, 0.0, -1e4], 2, &[1.0, 1.0, 3.0]).unwrap();
/// assert_eq!(sample.loss, 6e4);
/// assert_eq!(sample.gradient, [3.0, 0.0, -3.0]);
/// assert_eq!(sample.predicted, 0);
/// ```
#[must_use]
pub fn weighted_cross_entropy(logits: &[f64], truth: usize, weights: &[f64]) -> Option<SampleLoss> {
    let no_shift = vec![0.0; logits.len()];
    sample_loss(logits, truth, weights, &no_shift, &LossOptions::default())
}

/// The loss of one sample under `options`: cross-entropy with label smoothing, or focal loss,
/// on logits shifted by `logit_shifts` (see [`LossOptions::logit_shifts`]).
///
/// With `p = softmax(z + shifts)`, `eps` the label smoothing, `gamma` the focal gamma and
/// `t = (1 - eps) onehot(y) + eps / C` the smoothed target, under [`Convention::PyTorch`]:
/// - cross-entropy: `sum_c w_c t_c (-ln p_c)` (`CrossEntropyLoss(weight, label_smoothing)`);
/// - focal (gamma > 0, eps = 0): `-w_y (1 - p_y)^gamma ln p_y` (Lin et al. 2017);
///
/// and under [`Convention::Keras`], `w_y k` with `k` Keras 3's own loss of the sample:
/// - cross-entropy: `k = sum_c t_c (-ln p_c)` (`CategoricalCrossentropy(from_logits=True)`);
/// - focal (gamma > 0): `k = sum_c (1 - o_c)^gamma (-t_c ln o_c)`, where `o` is `p` divided by
///   its sum and clipped to `[1e-7, 1 - 1e-7]` (`CategoricalFocalCrossentropy(alpha=1.0,
///   from_logits=True)`, in Keras' order of operations).
///
/// The gradient is exact, with respect to the raw logits (the shift is a constant).
/// `None` when the inputs do not fit together, as for [`weighted_cross_entropy`].
#[must_use]
pub fn sample_loss(
    logits: &[f64],
    truth: usize,
    weights: &[f64],
    logit_shifts: &[f64],
    options: &LossOptions,
) -> Option<SampleLoss> {
    if weights.len() != logits.len() || logit_shifts.len() != logits.len() {
        return None;
    }
    let raw = Softmax::new(logits)?;
    let adjusted_logits: Vec<f64> = logits
        .iter()
        .zip(logit_shifts)
        .map(|(z, s)| z + s)
        .collect();
    let adjusted = if logit_shifts.iter().all(|&s| s == 0.0) {
        raw.clone()
    } else {
        Softmax::new(&adjusted_logits)?
    };
    let truth_weight = *weights.get(truth)?;
    let (coefficients, gradient) = match options.convention {
        Convention::PyTorch if options.focal_gamma > 0.0 => {
            focal(&adjusted, truth, truth_weight, options.focal_gamma)?
        }
        Convention::PyTorch => {
            smoothed_cross_entropy(&adjusted, truth, weights, options.label_smoothing)?
        }
        Convention::Keras => keras(&adjusted, truth, truth_weight, options)?,
    };
    Some(SampleLoss {
        probabilities: raw.probabilities(),
        loss: weighted_sum(weights.iter().copied().zip(coefficients.iter().copied())),
        unweighted_loss: coefficients.iter().sum(),
        coefficients,
        truth_weight,
        gradient,
        predicted: raw.argmax(),
    })
}

/// The per-sample weighted loss and the weight of the true class, `(loss, w[y])`, exactly as
/// [`sample_loss`] computes them (the same operations in the same order, so the same bits),
/// without allocating: `exps` holds `exp(z_c - m)` and is reused from one call to the next.
///
/// For losses over many samples (a validation set of millions), where [`sample_loss`]'s
/// probabilities, coefficients and gradient would be computed and dropped. `None` exactly
/// when [`sample_loss`] gives `None`.
///
/// ```
/// use weightbench::core::LossOptions;
/// use weightbench::core::loss::{sample_loss, sample_loss_value};
///
/// let (logits, weights, shifts) = ([2.0, -1.0, 0.5], [0.8, 26.0, 0.4], [0.0; 3]);
/// let options = LossOptions { label_smoothing: 0.1, ..LossOptions::default() };
/// let full = sample_loss(&logits, 1, &weights, &shifts, &options).unwrap();
/// let mut exps = Vec::new();
/// let value = sample_loss_value(&logits, 1, &weights, &shifts, &options, &mut exps);
/// assert_eq!(value, Some((full.loss, full.truth_weight)));
/// ```
#[must_use]
pub fn sample_loss_value(
    logits: &[f64],
    truth: usize,
    weights: &[f64],
    logit_shifts: &[f64],
    options: &LossOptions,
    exps: &mut Vec<f64>,
) -> Option<(f64, f64)> {
    let classes = logits.len();
    if weights.len() != classes || logit_shifts.len() != classes {
        return None;
    }
    if classes == 0 || logits.iter().any(|logit| !logit.is_finite()) {
        return None;
    }
    // As `sample_loss`: the raw logits when every shift is 0, else the shifted ones.
    let unshifted = logit_shifts.iter().all(|&s| s == 0.0);
    let adjusted = |c: usize| {
        if unshifted {
            logits[c]
        } else {
            logits[c] + logit_shifts[c]
        }
    };
    if !unshifted && (0..classes).any(|c| !adjusted(c).is_finite()) {
        return None;
    }
    // `Softmax::new`: the first largest logit, the exps around it, the log-partition.
    let (argmax, max_logit) = (1..classes).fold((0, adjusted(0)), |best, c| {
        let z = adjusted(c);
        if z > best.1 { (c, z) } else { best }
    });
    exps.clear();
    // `exp(z_argmax - m)` is `exp(0)`, exactly 1: one call fewer per sample.
    exps.extend((0..classes).map(|c| {
        if c == argmax {
            1.0
        } else {
            (adjusted(c) - max_logit).exp()
        }
    }));
    let sum_except = |skipped: usize| -> f64 {
        exps.iter()
            .enumerate()
            .filter(|&(c, _)| c != skipped)
            .map(|(_, &e)| e)
            .sum()
    };
    let others = sum_except(argmax);
    let log_partition = others.ln_1p();
    let partition = 1.0 + others;
    let truth_weight = *weights.get(truth)?;
    let negative_log_p = |c: usize| -((adjusted(c) - max_logit) - log_partition);
    if options.convention == Convention::Keras {
        let smoothing = options.label_smoothing;
        let k = if options.focal_gamma > 0.0 {
            // `keras`: the probabilities `e_c / partition`, as `Softmax::probabilities`.
            for e in exps.iter_mut() {
                *e /= partition;
            }
            keras_focal_value(exps, truth, smoothing, options.focal_gamma)
        } else {
            (0..classes).fold(0.0, |k, c| {
                k + smoothed_target(classes, truth, smoothing, c) * negative_log_p(c)
            })
        };
        return Some((truth_weight * k, truth_weight));
    }
    let loss = if options.focal_gamma > 0.0 {
        // `focal`: only the true class has a coefficient.
        let one_minus_q = sum_except(truth) / partition;
        let truth_coefficient = one_minus_q.powf(options.focal_gamma) * negative_log_p(truth);
        weighted_sum(
            weights
                .iter()
                .enumerate()
                .map(|(c, &w)| (w, if c == truth { truth_coefficient } else { 0.0 })),
        )
    } else {
        // `smoothed_cross_entropy`: target(c) times -ln p_c.
        let target = |c: usize| smoothed_target(classes, truth, options.label_smoothing, c);
        weighted_sum(
            weights
                .iter()
                .enumerate()
                .map(|(c, &w)| (w, target(c) * negative_log_p(c))),
        )
    };
    Some((loss, truth_weight))
}

/// `t_c`, the smoothed target of class `c` for a sample of class `truth`, as both libraries
/// compute it: `(1 - eps) + eps / C` for the truth, `eps / C` for the others.
pub(crate) fn smoothed_target(classes: usize, truth: usize, eps: f64, c: usize) -> f64 {
    let count = classes as f64;
    if c == truth {
        (1.0 - eps) + eps / count
    } else {
        eps / count
    }
}

/// Keras' `backend.epsilon()`: where `CategoricalFocalCrossentropy` clips the probabilities.
const KERAS_EPSILON: f64 = 1e-7;

/// `o_c`: Keras' focal loss divides the probabilities by their sum and clips them.
fn keras_clipped(p: f64, total: f64) -> f64 {
    (p / total).clamp(KERAS_EPSILON, 1.0 - KERAS_EPSILON)
}

/// Keras' `categorical_focal_crossentropy` of one sample with `alpha = 1`, from the
/// probabilities `p`: `sum_c (1 - o_c)^gamma (-t_c ln o_c)`, in Keras' order of operations.
fn keras_focal_value(p: &[f64], truth: usize, eps: f64, gamma: f64) -> f64 {
    let classes = p.len();
    let total = p.iter().fold(0.0, |sum, &p| sum + p);
    p.iter().enumerate().fold(0.0, |k, (c, &p)| {
        let o = keras_clipped(p, total);
        let cross_entropy = -smoothed_target(classes, truth, eps, c) * o.ln();
        k + (1.0 - o).powf(gamma) * cross_entropy
    })
}

/// Coefficients and gradient of `w_y k` under Keras' convention: the coefficient of the true
/// class is Keras' loss of the sample `k` (0 for the others), the gradient `w_y dk/dz`.
///
/// Focal: with `f(o) = (1 - o)^gamma (-ln o)` and `g_c = t_c o_c f'(o_c)` (0 where `o_c` is
/// clipped, as the clip's derivative is), `dk/dz_j = g_j - o_j sum_c g_c`.
fn keras(
    softmax: &Softmax,
    truth: usize,
    truth_weight: f64,
    options: &LossOptions,
) -> Option<(Vec<f64>, Vec<f64>)> {
    let classes = softmax.class_count();
    let eps = options.label_smoothing;
    let gamma = options.focal_gamma;
    let (k, dk) = if gamma > 0.0 {
        let p = softmax.probabilities();
        let total = p.iter().fold(0.0, |sum, &p| sum + p);
        let g: Vec<f64> = p
            .iter()
            .enumerate()
            .map(|(c, &p)| {
                let o = p / total;
                if !(KERAS_EPSILON..=1.0 - KERAS_EPSILON).contains(&o) {
                    // Clipped: constant there, so no gradient.
                    return 0.0;
                }
                let modulator = (1.0 - o).powf(gamma);
                let nll = -o.ln();
                // o f'(o) = -gamma o (1 - o)^(gamma - 1) (-ln o) - (1 - o)^gamma.
                let derivative = -gamma * o * (modulator / (1.0 - o)) * nll - modulator;
                smoothed_target(classes, truth, eps, c) * derivative
            })
            .collect();
        let g_total = g.iter().fold(0.0, |sum, &g| sum + g);
        let dk = g
            .iter()
            .zip(&p)
            .map(|(&g, &p)| g - (p / total) * g_total)
            .collect();
        (keras_focal_value(&p, truth, eps, gamma), dk)
    } else {
        // Cross-entropy with unit class weights: `t_c (-ln p_c)` and `p - t`, summed as Keras does.
        let (terms, dk) = smoothed_cross_entropy(softmax, truth, &vec![1.0; classes], eps)?;
        (terms.iter().fold(0.0, |k, &term| k + term), dk)
    };
    let mut coefficients = vec![0.0; classes];
    *coefficients.get_mut(truth)? = k;
    let gradient = dk.iter().map(|&d| truth_weight * d).collect();
    Some((coefficients, gradient))
}

/// Coefficients and gradient of `sum_c b_c (-ln p_c)` with `b_c = w_c t_c`,
/// `t = (1 - eps) onehot(y) + eps / C`: the gradient is `B p_k - b_k` with `B = sum_c b_c`.
fn smoothed_cross_entropy(
    softmax: &Softmax,
    truth: usize,
    weights: &[f64],
    eps: f64,
) -> Option<(Vec<f64>, Vec<f64>)> {
    let target = |c: usize| smoothed_target(softmax.class_count(), truth, eps, c);
    let log_p = softmax.log_probabilities();
    let coefficients: Vec<f64> = (0..log_p.len()).map(|c| target(c) * -log_p[c]).collect();
    let b: Vec<f64> = weights
        .iter()
        .enumerate()
        .map(|(c, w)| w * target(c))
        .collect();
    let others: f64 = b
        .iter()
        .enumerate()
        .filter(|&(c, _)| c != truth)
        .map(|(_, b)| b)
        .sum();
    let p = softmax.probabilities();
    let truth_complement = softmax.complement(truth)?;
    let total = others + b.get(truth)?;
    let gradient = (0..p.len())
        .map(|k| {
            if k == truth {
                // B p_y - b_y = (B - b_y) p_y - b_y (1 - p_y): no cancellation near p_y = 1.
                others * p[k] - b[k] * truth_complement
            } else {
                total * p[k] - b[k]
            }
        })
        .collect();
    Some((coefficients, gradient))
}

/// Coefficients and gradient of the focal loss `-w_y (1 - q)^gamma ln q`, `q = p_y`:
/// `d/dz_k = w_y (p_k - [k = y]) ((1 - q)^gamma + gamma q (1 - q)^(gamma - 1) (-ln q))`.
fn focal(
    softmax: &Softmax,
    truth: usize,
    truth_weight: f64,
    gamma: f64,
) -> Option<(Vec<f64>, Vec<f64>)> {
    let q = *softmax.probabilities().get(truth)?;
    let one_minus_q = softmax.complement(truth)?;
    let nll = -softmax.log_probability(truth)?;
    let modulator = one_minus_q.powf(gamma);
    // (1 - q)^(gamma - 1) (-ln q) as (1 - q)^gamma (-ln q / (1 - q)): the ratio tends to 1.
    let ratio = if one_minus_q > 0.0 {
        nll / one_minus_q
    } else {
        1.0
    };
    let factor = modulator + gamma * q * modulator * ratio;
    let mut coefficients = vec![0.0; softmax.class_count()];
    coefficients[truth] = modulator * nll;
    let gradient = softmax
        .probabilities()
        .iter()
        .enumerate()
        .map(|(k, &p)| {
            let offset = if k == truth { -one_minus_q } else { p };
            truth_weight * offset * factor
        })
        .collect();
    Some((coefficients, gradient))
}

/// A batch of samples reduced the ways PyTorch and Keras reduce it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BatchLoss {
    /// `reduction='sum'`: `sum_n l_n`.
    pub sum: f64,
    /// PyTorch's `reduction='mean'`: `sum_n l_n / sum_n w[y_n]`; `None` when that denominator is 0.
    pub mean: Option<f64>,
    /// Keras' `sum_over_batch_size`: `sum_n l_n / N`; `None` for an empty batch.
    pub mean_per_sample: Option<f64>,
}

impl BatchLoss {
    /// Reduces per-sample `(weighted loss, weight of the true class)` pairs.
    ///
    /// ```
    /// use weightbench::core::BatchLoss;
    ///
    /// let batch = BatchLoss::reduce([(3.0, 2.0), (2.0, 0.5)]);
    /// assert_eq!((batch.sum, batch.mean, batch.mean_per_sample), (5.0, Some(2.0), Some(2.5)));
    /// // All true classes weighted 0: PyTorch would divide 0 by 0; here the mean is undefined.
    /// assert_eq!(BatchLoss::reduce([(0.0, 0.0)]).mean, None);
    /// ```
    #[must_use]
    pub fn reduce(samples: impl IntoIterator<Item = (f64, f64)>) -> Self {
        let (sum, weight_sum, count) = Self::totals(samples);
        Self::of_totals(sum, weight_sum, count)
    }

    /// The sum of the losses, the sum of the true classes' weights and the count of
    /// `samples`, summed in order: what [`Self::reduce`] reduces, and what a batch split into
    /// blocks adds up block by block ([`Self::of_totals`]).
    #[must_use]
    pub fn totals(samples: impl IntoIterator<Item = (f64, f64)>) -> (f64, f64, usize) {
        samples.into_iter().fold(
            (0.0, 0.0, 0usize),
            |(sum, weight_sum, count), (loss, weight)| (sum + loss, weight_sum + weight, count + 1),
        )
    }

    /// The batch loss of these totals.
    #[must_use]
    pub fn of_totals(sum: f64, weight_sum: f64, count: usize) -> Self {
        Self {
            sum,
            mean: (weight_sum > 0.0).then(|| sum / weight_sum),
            mean_per_sample: (count > 0).then(|| sum / count as f64),
        }
    }

    /// Reduces evaluated samples.
    #[must_use]
    pub fn of_samples(samples: &[SampleLoss]) -> Self {
        Self::reduce(samples.iter().map(|s| (s.loss, s.truth_weight)))
    }

    /// The batch loss under `reduction`; `None` for `Reduction::None` or an undefined mean.
    #[must_use]
    pub fn reduced(&self, reduction: Reduction) -> Option<f64> {
        match reduction {
            Reduction::Sum => Some(self.sum),
            Reduction::Mean => self.mean,
            Reduction::PerSample => self.mean_per_sample,
            Reduction::None => None,
        }
    }
}
