//! Where the chosen weights and loss options work against each other.

use crate::core::loss::smoothed_target;
use crate::core::preset::Preset;
use crate::core::preset::loss_options::{Convention, LossOptions};

/// With label smoothing, the prediction that minimises a sample's loss favours another class.
#[derive(Clone, Debug, PartialEq)]
pub struct SmoothingConflict {
    /// The true class of the sample.
    pub truth: usize,
    /// The class the loss-minimising prediction puts the most on.
    pub favoured: usize,
    /// The share the minimiser puts on `favoured`.
    pub favoured_share: f64,
    /// The share the minimiser puts on `truth`.
    pub truth_share: f64,
}

/// Under PyTorch's convention, for each true class y, the loss-minimising prediction is
/// `q_c ∝ w_c t_c` with `t = (1 - eps) onehot(y) + eps / C`; lists the classes whose
/// minimiser is not themselves.
///
/// Under Keras' convention there are none: the sample's loss is `w_y k(q)`, one positive
/// factor times a loss that does not see the weights, so its minimiser is that of `k` alone:
/// the smoothed target `t` itself for cross-entropy (Gibbs' inequality), whose largest share
/// is the truth's. See [`smoothing_note`].
#[must_use]
pub fn smoothing_conflicts(weights: &[f64], options: &LossOptions) -> Vec<SmoothingConflict> {
    let label_smoothing = options.label_smoothing;
    if label_smoothing <= 0.0 || weights.is_empty() || options.convention == Convention::Keras {
        return Vec::new();
    }
    (0..weights.len())
        .filter_map(|truth| {
            let mass: Vec<f64> = weights
                .iter()
                .enumerate()
                .map(|(c, w)| w * smoothed_target(weights.len(), truth, label_smoothing, c))
                .collect();
            let total: f64 = mass.iter().sum();
            let (favoured, &most) = mass.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?;
            (favoured != truth && total > 0.0 && most > mass[truth]).then(|| SmoothingConflict {
                truth,
                favoured,
                favoured_share: most / total,
                truth_share: mass[truth] / total,
            })
        })
        .collect()
}

impl SmoothingConflict {
    /// The conflict in words, with the numbers.
    #[must_use]
    pub fn describe(&self, preset: &Preset) -> String {
        let name = |c: usize| {
            preset
                .classes
                .get(c)
                .map_or("?", |class| class.name.as_str())
        };
        format!(
            "With label smoothing {}, a {} sample's loss is lowest when the model puts {:.1} % on {} and only {:.1} % on {}: the weights and the smoothing work against each other.",
            preset.loss.label_smoothing,
            name(self.truth),
            self.favoured_share * 100.0,
            name(self.favoured),
            self.truth_share * 100.0,
            name(self.truth),
        )
    }
}

/// Under Keras' convention with label smoothing, why the smoothing and the weights cannot
/// work against each other; `None` otherwise.
#[must_use]
pub fn smoothing_note(options: &LossOptions) -> Option<String> {
    (options.convention == Convention::Keras && options.label_smoothing > 0.0).then(|| {
        format!(
            "With Keras' convention the weights scale each sample's whole loss, so label smoothing {} and the weights do not fight: the prediction that minimises a sample's loss does not depend on them (for cross-entropy it is the smoothed target, with the most on the true class).",
            options.label_smoothing
        )
    })
}
