//! What the weights do to a trained model's decisions: a model at the optimum of weighted
//! cross-entropy predicts `argmax_c w_c p(c | x)`, as if `ln w_c` were added to each logit.

use crate::core::preset::Preset;

/// What a weight does to decisions: a model trained to the optimum of weighted cross-entropy
/// predicts `argmax_c w_c p(c | x)`, as if `ln w_c` were added to class c's logit.
///
/// `None` for a class of weight 0 (such a class is never predicted).
#[must_use]
pub fn decision_shifts(weights: &[f64]) -> Vec<Option<f64>> {
    weights.iter().map(|&w| (w > 0.0).then(|| w.ln())).collect()
}

/// The rule in words for calling `class` rather than debris.
#[must_use]
pub fn decision_rule(preset: &Preset, class: usize) -> String {
    let debris = &preset.classes[preset.debris];
    let other = &preset.classes[class];
    if other.weight <= 0.0 {
        return format!(
            "{} has weight 0: a trained model never calls a sample {}",
            other.name, other.name
        );
    }
    format!(
        "a sample is called {} rather than {} when p({}) / p({}) > w_{} / w_{} = {:.3}",
        other.name,
        debris.name,
        other.name,
        debris.name,
        debris.name,
        other.name,
        debris.weight / other.weight
    )
}

/// Each scenario's prediction after the post-hoc correction `argmax_c (z_c - ln w_c)`, which
/// undoes the weights' shift at inference; classes of weight 0 are never predicted.
#[must_use]
pub fn corrected_predictions(preset: &Preset) -> Vec<usize> {
    let shifts = decision_shifts(&preset.weights());
    preset
        .scenarios
        .iter()
        .map(|scenario| {
            scenario
                .logits
                .iter()
                .zip(&shifts)
                .enumerate()
                .filter_map(|(c, (z, shift))| Some((c, z - (*shift)?)))
                .fold(None, |best: Option<(usize, f64)>, (c, v)| match best {
                    Some((_, b)) if b >= v => best,
                    _ => Some((c, v)),
                })
                .map_or(0, |(c, _)| c)
        })
        .collect()
}
