//! Class weights from class counts: the standard schemes, exact to their published formulas.

use serde::{Deserialize, Serialize};

/// A rule that turns class counts into class weights.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Scheme {
    /// scikit-learn's "balanced": `N / (C * n_c)`.
    Inverse,
    /// `n_c^(-1/2)`, normalised to mean 1.
    Sqrt,
    /// Cui et al. (CVPR 2019): `(1 - beta) / (1 - beta^n_c)`, normalised to sum to C.
    Effective {
        /// In [0, 1): 0 gives uniform weights, values near 1 approach `Inverse`.
        beta: f64,
    },
    /// Eigen & Fergus: `median(f) / f_c` with `f_c = n_c / N`.
    Median,
    /// All weights 1.
    Uniform,
}

/// A scheme without its parameter; [`Scheme::new`] adds `beta`.
///
/// The `#[value]` names are how `weights --scheme` spells them, which scripts rely on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemeKind {
    /// `N / (C n_c)`, scikit-learn's "balanced".
    #[value(name = "inverse")]
    Inverse,
    /// `n_c^(-1/2)`, normalised to mean 1.
    #[value(name = "sqrt")]
    Sqrt,
    /// `(1 - beta) / (1 - beta^n_c)`, normalised to sum C.
    #[value(name = "effective")]
    Effective,
    /// `median(f) / f_c`.
    #[value(name = "median")]
    Median,
    /// All 1.
    #[value(name = "uniform")]
    Uniform,
}

/// Rescales weights after a scheme, overriding the scheme's own normalisation.
///
/// The `#[value]` names are how `weights --normalize` spells them, which scripts rely on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum Normalization {
    /// The scheme's formula as it stands, unscaled.
    #[value(name = "none")]
    None,
    /// Mean 1.
    #[value(name = "mean")]
    Mean,
    /// Sum C (the number of classes).
    #[value(name = "sum")]
    Sum,
    /// Largest weight 1.
    #[value(name = "max")]
    Max,
}

/// The default `beta` of the effective-number scheme.
pub const DEFAULT_BETA: f64 = 0.999;

/// Why weights could not be computed from the counts.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SchemeError {
    /// No classes.
    #[error("counts: none given, expected one per class")]
    NoClasses,
    /// A scheme that divides by the count met a count of 0.
    #[error("counts[{index}] is 0; the {scheme} scheme divides by it, expected a count >= 1")]
    ZeroCount {
        /// 0-based class index.
        index: usize,
        /// The scheme's name.
        scheme: &'static str,
    },
    /// `beta` outside [0, 1).
    #[error("beta is {0}, expected a number from 0 up to (not including) 1")]
    BadBeta(f64),
}

impl Scheme {
    /// The scheme of `kind`; `beta` is used by [`SchemeKind::Effective`] only.
    #[must_use]
    pub fn new(kind: SchemeKind, beta: f64) -> Self {
        match kind {
            SchemeKind::Inverse => Self::Inverse,
            SchemeKind::Sqrt => Self::Sqrt,
            SchemeKind::Effective => Self::Effective { beta },
            SchemeKind::Median => Self::Median,
            SchemeKind::Uniform => Self::Uniform,
        }
    }

    /// Every scheme, `Effective` with `beta`, in the order the window shows them.
    #[must_use]
    pub fn all(beta: f64) -> [Self; 5] {
        [
            Self::Inverse,
            Self::Sqrt,
            Self::Effective { beta },
            Self::Median,
            Self::Uniform,
        ]
    }

    /// The scheme's short name, as the command line spells it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Inverse => "inverse",
            Self::Sqrt => "sqrt",
            Self::Effective { .. } => "effective",
            Self::Median => "median",
            Self::Uniform => "uniform",
        }
    }

    /// The formula, for tooltips and help.
    #[must_use]
    pub fn formula(self) -> &'static str {
        match self {
            Self::Inverse => "N / (C n_c): scikit-learn's \"balanced\"",
            Self::Sqrt => "n_c^(-1/2), normalised to mean 1",
            Self::Effective { .. } => {
                "(1 - beta) / (1 - beta^n_c), normalised to sum C (Cui et al. 2019)"
            }
            Self::Median => "median(f) / f_c with f_c = n_c / N (Eigen & Fergus)",
            Self::Uniform => "1 for every class",
        }
    }

    /// The weights for `counts`, normalised by the scheme's own rule or by `normalization`.
    ///
    /// # Errors
    /// No classes, a count of 0 for a scheme that divides by it, or `beta` outside [0, 1).
    pub fn weights(
        self,
        counts: &[u64],
        normalization: Option<Normalization>,
    ) -> Result<Vec<f64>, SchemeError> {
        if counts.is_empty() {
            return Err(SchemeError::NoClasses);
        }
        let classes = counts.len() as f64;
        let total: f64 = counts.iter().map(|&n| n as f64).sum();
        let divides_by_count = !matches!(self, Self::Uniform);
        if let Some(index) = counts
            .iter()
            .position(|&n| n == 0)
            .filter(|_| divides_by_count)
        {
            return Err(SchemeError::ZeroCount {
                index,
                scheme: self.name(),
            });
        }
        let counts = counts.iter().map(|&n| n as f64);
        let (raw, own): (Vec<f64>, Normalization) = match self {
            Self::Inverse => (
                counts.map(|n| total / (classes * n)).collect(),
                Normalization::None,
            ),
            Self::Sqrt => (
                counts.map(|n| 1.0 / n.sqrt()).collect(),
                Normalization::Mean,
            ),
            Self::Effective { beta } => {
                if !(0.0..1.0).contains(&beta) {
                    return Err(SchemeError::BadBeta(beta));
                }
                // 1 - beta^n as -expm1(n ln beta): exact where beta^n is close to 1.
                let effective = |n: f64| {
                    if beta == 0.0 {
                        1.0
                    } else {
                        -(n * beta.ln()).exp_m1()
                    }
                };
                (
                    counts.map(|n| (1.0 - beta) / effective(n)).collect(),
                    Normalization::Sum,
                )
            }
            Self::Median => {
                let median = median(counts.clone().collect());
                (counts.map(|n| median / n).collect(), Normalization::None)
            }
            Self::Uniform => (vec![1.0; counts.len()], Normalization::None),
        };
        Ok(normalize(raw, normalization.unwrap_or(own)))
    }
}

/// The median as NumPy takes it: the mean of the two middle values for an even count.
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len().is_multiple_of(2) {
        f64::midpoint(values[middle - 1], values[middle])
    } else {
        values[middle]
    }
}

/// Scales `weights` so that their mean is 1, their sum is C, or their largest is 1.
#[must_use]
pub fn normalize(weights: Vec<f64>, normalization: Normalization) -> Vec<f64> {
    let classes = weights.len() as f64;
    let sum: f64 = weights.iter().sum();
    let divisor = match normalization {
        Normalization::None => return weights,
        // Mean 1 and sum C are the same scaling.
        Normalization::Mean | Normalization::Sum => sum / classes,
        Normalization::Max => weights.iter().copied().fold(0.0, f64::max),
    };
    if divisor > 0.0 {
        weights.into_iter().map(|w| w / divisor).collect()
    } else {
        weights
    }
}
