//! The trade the debris weight makes: for each rare class c, the penalty of "debris called c"
//! (false positives) against "c called debris" (false negatives), and where they even out;
//! and what the weights do to a trained model's decisions.

use serde::Serialize;

use crate::core::loss::SampleLoss;
use crate::core::model::Preset;
use crate::core::penalties::confusion_loss;
use crate::core::sweep::SweepRange;

/// One rare class's false-positive and false-negative penalties along the debris weight.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Balance {
    /// The rare class.
    pub class: usize,
    /// Loss of a debris sample called `class` at the confidence, per debris weight.
    pub debris_called_class: Vec<f64>,
    /// Loss of a `class` sample called debris at the confidence, per debris weight.
    pub class_called_debris: Vec<f64>,
    /// The debris weight where the two per-sample penalties are equal, if there is one >= 0.
    pub even_per_sample: Option<f64>,
    /// The debris weight where the count-weighted penalties (`n_debris` and `n_class` times
    /// the above) are equal, if there is one >= 0.
    pub even_count_weighted: Option<f64>,
}

/// `v` where `a0 + a1 v = b0 + b1 v`, when it exists and is a weight (>= 0).
fn meeting_point(a: (f64, f64), b: (f64, f64)) -> Option<f64> {
    let slope = a.1 - b.1;
    let v = (b.0 - a.0) / slope;
    (slope != 0.0 && v.is_finite() && v >= 0.0).then_some(v)
}

/// For every class but debris, its balance along `range` at `confidence` (in (0, 1); the
/// preset must be valid).
///
/// Every loss is linear in the weights, so each penalty is `a + b v` in the debris weight v
/// and the point where two of them are equal is exact, not read off the grid.
#[must_use]
pub fn balances(preset: &Preset, confidence: f64, range: &SweepRange) -> Vec<Balance> {
    let debris = preset.debris;
    let weights = preset.weights();
    let grid = range.grid();
    let n_debris = preset.classes.get(debris).map_or(0.0, |c| c.count as f64);
    (0..preset.classes.len())
        .filter(|&c| c != debris)
        .filter_map(|class| {
            let false_positive = confusion_loss(preset, debris, class, confidence)?;
            let false_negative = confusion_loss(preset, class, debris, confidence)?;
            let line = |s: &SampleLoss| {
                let at_zero = s.loss_with_weight(&weights, debris, 0.0);
                (at_zero, s.loss_with_weight(&weights, debris, 1.0) - at_zero)
            };
            let (fp, fn_) = (line(&false_positive), line(&false_negative));
            let n_class = preset.classes[class].count as f64;
            let scaled = |(a, b): (f64, f64), n: f64| (a * n, b * n);
            Some(Balance {
                class,
                debris_called_class: grid.iter().map(|&v| fp.0 + fp.1 * v).collect(),
                class_called_debris: grid.iter().map(|&v| fn_.0 + fn_.1 * v).collect(),
                even_per_sample: meeting_point(fp, fn_),
                even_count_weighted: meeting_point(scaled(fp, n_debris), scaled(fn_, n_class)),
            })
        })
        .collect()
}

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
