//! The trade the debris weight makes: for each rare class c, the penalty of "debris called c"
//! (false positives) against "c called debris" (false negatives), and where they even out.

use serde::Serialize;

use crate::core::cases::penalties::confusion_loss;
use crate::core::loss::SampleLoss;
use crate::core::preset::Preset;
use crate::core::preset::range::SweepRange;

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
