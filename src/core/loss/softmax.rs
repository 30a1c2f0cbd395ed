//! The softmax of one logit vector, computed stably in f64.
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
