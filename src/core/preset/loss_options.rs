//! The loss a preset uses: reduction, label smoothing, focal loss and logit adjustment.

use serde::{Deserialize, Serialize};

/// How per-sample losses become one batch loss.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reduction {
    /// `sum_n l_n`.
    Sum,
    /// PyTorch's weighted mean, Keras' `mean_with_sample_weight`: `sum_n l_n / sum_n w[y_n]`.
    #[default]
    Mean,
    /// Keras' `sum_over_batch_size`: `sum_n l_n / N`.
    PerSample,
    /// No reduction: the per-sample losses.
    None,
}

impl Reduction {
    /// Every reduction, in the order the window lists them.
    pub const ALL: [Self; 4] = [Self::Mean, Self::PerSample, Self::Sum, Self::None];

    /// Name and formula, for menus and tooltips.
    #[must_use]
    pub fn describe(self) -> (&'static str, &'static str) {
        match self {
            Self::Sum => ("sum", "sum_n l_n"),
            Self::Mean => (
                "mean (PyTorch)",
                "sum_n l_n / sum_n w[y_n]: PyTorch's 'mean', Keras' 'mean_with_sample_weight'",
            ),
            Self::PerSample => (
                "mean per sample (Keras)",
                "sum_n l_n / N: Keras' 'sum_over_batch_size' (its default)",
            ),
            Self::None => ("none", "one loss per sample"),
        }
    }
}

/// Whose definition of the weighted loss a preset follows. The two agree on plain weighted
/// cross-entropy and part once label smoothing or focal loss is on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Convention {
    /// `torch.nn.CrossEntropyLoss(weight=w, label_smoothing=eps)`: each class's share of the
    /// smoothed target is weighted by that class's own weight, `sum_c w_c t_c (-ln p_c)`.
    #[default]
    PyTorch,
    /// Keras' `fit(class_weight=w)`: the whole loss of a sample of class y, as Keras'
    /// `CategoricalCrossentropy` or `CategoricalFocalCrossentropy` computes it, times `w_y`.
    Keras,
}

impl Convention {
    /// Both conventions, in the order the window lists them.
    pub const ALL: [Self; 2] = [Self::PyTorch, Self::Keras];

    /// Name and formula, for menus and tooltips.
    #[must_use]
    pub fn describe(self) -> (&'static str, &'static str) {
        match self {
            Self::PyTorch => (
                "PyTorch",
                "l = sum_c w_c t_c (-ln p_c): each class's share of the smoothed target is weighted by that class's weight (CrossEntropyLoss(weight, label_smoothing)); focal: -w_y (1 - p_y)^gamma ln p_y",
            ),
            Self::Keras => (
                "Keras",
                "l = w_y k: Keras' own loss of the sample k (CategoricalCrossentropy, or CategoricalFocalCrossentropy with gamma > 0, probabilities clipped to [1e-7, 1 - 1e-7]) times the weight of its true class, as fit(class_weight=...) applies it",
            ),
        }
    }
}

/// The loss options of a preset; all off by default, so old presets keep plain cross-entropy.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LossOptions {
    /// Whose definition of the weighted loss (PyTorch's unless the file says Keras).
    pub convention: Convention,
    /// How the batch is reduced.
    pub reduction: Reduction,
    /// eps in [0, 1]: the target is `(1 - eps) onehot(y) + eps / C` (both libraries' form).
    pub label_smoothing: f64,
    /// gamma >= 0: focal loss, `-w_y (1 - p_y)^gamma ln p_y` under PyTorch's convention (0 is
    /// cross-entropy).
    pub focal_gamma: f64,
    /// tau: logits are shifted by `tau ln(n_c / N)` before the softmax (0 is off).
    pub logit_adjustment: f64,
}

impl Default for LossOptions {
    fn default() -> Self {
        Self {
            convention: Convention::PyTorch,
            reduction: Reduction::Mean,
            label_smoothing: 0.0,
            focal_gamma: 0.0,
            logit_adjustment: 0.0,
        }
    }
}

/// Why loss options cannot be used; displays as `loss.field: problem, expected ...`.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LossOptionsError {
    /// Label smoothing outside [0, 1].
    #[error("label_smoothing: {0}, expected a number from 0 to 1")]
    LabelSmoothing(f64),
    /// Negative or non-finite gamma.
    #[error("focal_gamma: {0}, expected a finite number >= 0")]
    FocalGamma(f64),
    /// Non-finite tau.
    #[error("logit_adjustment: {0}, expected a finite number")]
    LogitAdjustment(f64),
    /// Focal loss and label smoothing together under PyTorch's convention.
    #[error(
        "focal_gamma ({gamma}) and label_smoothing ({eps}) are both on; PyTorch defines no focal loss with label smoothing: set one of them to 0, or choose the Keras convention (CategoricalFocalCrossentropy has both)"
    )]
    FocalWithSmoothing {
        /// The focal gamma.
        gamma: f64,
        /// The label smoothing.
        eps: f64,
    },
    /// Logit adjustment needs every class's prior, so no count may be 0.
    #[error("logit_adjustment: needs ln(n_c / N) for every class, but classes[{0}] has count 0")]
    ZeroCount(usize),
}

impl LossOptions {
    /// Checks the options against the class counts.
    ///
    /// # Errors
    /// The first unusable option.
    pub fn validate(&self, counts: &[u64]) -> Result<(), LossOptionsError> {
        let eps = self.label_smoothing;
        if !(0.0..=1.0).contains(&eps) {
            return Err(LossOptionsError::LabelSmoothing(eps));
        }
        let gamma = self.focal_gamma;
        if !(gamma.is_finite() && gamma >= 0.0) {
            return Err(LossOptionsError::FocalGamma(gamma));
        }
        if !self.logit_adjustment.is_finite() {
            return Err(LossOptionsError::LogitAdjustment(self.logit_adjustment));
        }
        if gamma > 0.0 && eps > 0.0 && self.convention == Convention::PyTorch {
            return Err(LossOptionsError::FocalWithSmoothing { gamma, eps });
        }
        if self.logit_adjustment != 0.0
            && let Some(index) = counts.iter().position(|&n| n == 0)
        {
            return Err(LossOptionsError::ZeroCount(index));
        }
        Ok(())
    }

    /// `tau ln(n_c / N)` for each class: what logit adjustment adds to the logits.
    #[must_use]
    pub fn logit_shifts(&self, counts: &[u64]) -> Vec<f64> {
        if self.logit_adjustment == 0.0 {
            return vec![0.0; counts.len()];
        }
        let total: f64 = counts.iter().map(|&n| n as f64).sum();
        counts
            .iter()
            .map(|&n| self.logit_adjustment * (n as f64 / total).ln())
            .collect()
    }
}
