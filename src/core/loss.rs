//! Softmax, weighted cross-entropy, its gradient and PyTorch's batch reductions, in f64.
//!
//! The log-sum-exp is taken around the largest logit `m` as `m + ln_1p(s)`, where `s`
//! sums `exp(z_c - m)` over every class but that largest one. When the true class
//! dominates, `-ln p_y = ln_1p(s)` keeps full relative accuracy, where the textbook
//! `ln(1 + s)` would round `1 + s` first and lose about 1e-12 of it.

/// Softmax of one logit vector and what the loss needs from it, computed stably.
#[derive(Clone, Debug, PartialEq)]
pub struct Softmax {
    /// `z_c - m` for every class: 0 at the largest logit, <= 0 elsewhere.
    shifted_logits: Vec<f64>,
    /// `exp(z_c - m)` for every class: 1 at the largest logit, in [0, 1] elsewhere.
    shifted_exps: Vec<f64>,
    /// Index of the first largest logit.
    argmax: usize,
    /// `ln(sum_c exp(z_c - m))`, computed as `ln_1p` of the non-maximal terms.
    log_partition: f64,
    /// `sum_c exp(z_c - m)`, at least 1.
    partition: f64,
}

impl Softmax {
    /// Softmax of `logits`; `None` when there are no logits or one is not finite.
    #[must_use]
    pub fn new(logits: &[f64]) -> Option<Self> {
        if logits.iter().any(|logit| !logit.is_finite()) {
            return None;
        }
        let (argmax, &max_logit) = logits
            .iter()
            .enumerate()
            .reduce(|best, next| if next.1 > best.1 { next } else { best })?;
        let shifted_logits: Vec<f64> = logits.iter().map(|&z| z - max_logit).collect();
        let shifted_exps: Vec<f64> = shifted_logits.iter().map(|&z| z.exp()).collect();
        let others: f64 = shifted_exps
            .iter()
            .enumerate()
            .filter(|&(c, _)| c != argmax)
            .map(|(_, &e)| e)
            .sum();
        Some(Self {
            shifted_logits,
            shifted_exps,
            argmax,
            log_partition: others.ln_1p(),
            partition: 1.0 + others,
        })
    }

    /// Number of classes.
    #[must_use]
    pub fn class_count(&self) -> usize {
        self.shifted_exps.len()
    }

    /// The predicted class: the first index of the largest logit (as `argmax` in NumPy and PyTorch).
    #[must_use]
    pub fn argmax(&self) -> usize {
        self.argmax
    }

    /// `ln p_c`, accurate to a few ulps; `None` for an index out of range.
    #[must_use]
    pub fn log_probability(&self, class: usize) -> Option<f64> {
        Some(self.shifted_logits.get(class)? - self.log_partition)
    }

    /// `ln p_c` for every class.
    #[must_use]
    pub fn log_probabilities(&self) -> Vec<f64> {
        self.shifted_logits
            .iter()
            .map(|z| z - self.log_partition)
            .collect()
    }

    /// `p_c` for every class; they sum to 1 within rounding.
    #[must_use]
    pub fn probabilities(&self) -> Vec<f64> {
        self.shifted_exps
            .iter()
            .map(|e| e / self.partition)
            .collect()
    }

    /// `1 - p_c`, computed as the other classes' share, without cancellation when `p_c` is near 1.
    #[must_use]
    pub fn complement(&self, class: usize) -> Option<f64> {
        self.shifted_exps.get(class)?;
        let others: f64 = self
            .shifted_exps
            .iter()
            .enumerate()
            .filter(|&(c, _)| c != class)
            .map(|(_, &e)| e)
            .sum();
        Some(others / self.partition)
    }
}

/// `ln softmax(logits)`, stable for any finite logits; empty when a logit is not finite.
#[must_use]
pub fn log_softmax(logits: &[f64]) -> Vec<f64> {
    Softmax::new(logits).map_or_else(Vec::new, |softmax| softmax.log_probabilities())
}

/// `softmax(logits)`, stable for any finite logits; empty when a logit is not finite.
#[must_use]
pub fn softmax(logits: &[f64]) -> Vec<f64> {
    Softmax::new(logits).map_or_else(Vec::new, |softmax| softmax.probabilities())
}

/// The weighted cross-entropy of one sample, with everything derived from it.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleLoss {
    /// `softmax(logits)`.
    pub probabilities: Vec<f64>,
    /// `-ln p_y` in nats: the unweighted loss.
    pub unweighted_loss: f64,
    /// The weight of the true class, `w[y]`.
    pub truth_weight: f64,
    /// `-w[y] ln p_y` in nats: the per-sample weighted loss (PyTorch's `reduction='none'`).
    pub loss: f64,
    /// `d loss / d logits = w[y] (p - onehot(y))`.
    pub gradient: Vec<f64>,
    /// The predicted class, the argmax of the logits.
    pub predicted: usize,
}

/// Weighted cross-entropy `-w[y] ln softmax(z)[y]` and its gradient for one sample.
///
/// `None` when the inputs do not fit together (no logits, a non-finite logit, `truth`
/// out of range, or not one weight per logit); [`crate::core::Preset::validate`] reports
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
    if weights.len() != logits.len() {
        return None;
    }
    let softmax = Softmax::new(logits)?;
    let truth_weight = *weights.get(truth)?;
    let unweighted_loss = -softmax.log_probability(truth)?;
    let probabilities = softmax.probabilities();
    let truth_complement = softmax.complement(truth)?;
    let gradient = probabilities
        .iter()
        .enumerate()
        .map(|(c, &p)| {
            if c == truth {
                -truth_weight * truth_complement
            } else {
                truth_weight * p
            }
        })
        .collect();
    Some(SampleLoss {
        probabilities,
        unweighted_loss,
        truth_weight,
        loss: truth_weight * unweighted_loss,
        gradient,
        predicted: softmax.argmax(),
    })
}

/// A batch of samples reduced as PyTorch's `CrossEntropyLoss(weight=w)` reduces it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BatchLoss {
    /// `reduction='sum'`: `sum_n w[y_n] l_n`.
    pub sum: f64,
    /// `reduction='mean'`: `sum_n w[y_n] l_n / sum_n w[y_n]`; `None` when that denominator is 0.
    pub mean: Option<f64>,
}

impl BatchLoss {
    /// Reduces per-sample `(weighted loss, weight of the true class)` pairs.
    ///
    /// ```
    /// use weightbench::core::BatchLoss;
    ///
    /// let batch = BatchLoss::reduce([(3.0, 2.0), (2.0, 0.5)]);
    /// assert_eq!((batch.sum, batch.mean), (5.0, Some(2.0)));
    /// // All true classes weighted 0: PyTorch would divide 0 by 0; here the mean is undefined.
    /// assert_eq!(BatchLoss::reduce([(0.0, 0.0)]).mean, None);
    /// ```
    #[must_use]
    pub fn reduce(samples: impl IntoIterator<Item = (f64, f64)>) -> Self {
        let (sum, weight_sum) = samples
            .into_iter()
            .fold((0.0, 0.0), |(sum, weight_sum), (loss, weight)| {
                (sum + loss, weight_sum + weight)
            });
        let mean = (weight_sum > 0.0).then(|| sum / weight_sum);
        Self { sum, mean }
    }

    /// Reduces evaluated samples.
    #[must_use]
    pub fn of_samples(samples: &[SampleLoss]) -> Self {
        Self::reduce(samples.iter().map(|s| (s.loss, s.truth_weight)))
    }
}
