//! A trained model of either kind, its logits on a data set, and the decision regions a window
//! paints under it.

use crate::core::outcomes::data::{ScoreKind, Scores, ValidationData};
use crate::core::outcomes::decision::DecisionRule;
use crate::core::simulator::data::Dataset;
use crate::core::simulator::mlp::MlpModel;
use crate::core::simulator::softmax_fit::SoftmaxModel;

/// A trained classifier.
#[derive(Clone, Debug, PartialEq)]
pub enum Model {
    /// Softmax regression: `W x + b`.
    Softmax(SoftmaxModel),
    /// A two-hidden-layer tanh MLP.
    Mlp(MlpModel),
}

impl Model {
    /// The number of classes C.
    #[must_use]
    pub fn classes(&self) -> usize {
        match self {
            Self::Softmax(model) => model.classes,
            Self::Mlp(model) => model.classes,
        }
    }

    /// The number of features D.
    #[must_use]
    pub fn dimensions(&self) -> usize {
        match self {
            Self::Softmax(model) => model.dimensions,
            Self::Mlp(model) => model.dimensions,
        }
    }

    /// The C logits of the point `x` (D features).
    #[must_use]
    pub fn logits(&self, x: &[f64]) -> Vec<f64> {
        let mut logits = vec![0.0; self.classes()];
        match self {
            Self::Softmax(model) => model.logits_into(x, &mut logits),
            Self::Mlp(model) => model.logits_into(x, &mut logits),
        }
        logits
    }

    /// The logits of every point of `points` (rows of D features): N x C, row-major.
    #[must_use]
    pub fn batch_logits(&self, points: &[f64]) -> Vec<f64> {
        let (classes, dimensions) = (self.classes(), self.dimensions().max(1));
        let mut logits = vec![0.0; points.len() / dimensions * classes];
        match self {
            Self::Softmax(model) => {
                for (x, out) in points
                    .chunks_exact(dimensions)
                    .zip(logits.chunks_mut(classes))
                {
                    model.logits_into(x, out);
                }
            }
            Self::Mlp(model) => model.batch_logits_into(points, &mut logits),
        }
        logits
    }

    /// The model's logits on `data`, as validation outputs the outcomes' decision rules read.
    #[must_use]
    pub fn scores(&self, data: &Dataset) -> ValidationData {
        ValidationData {
            source: "simulator".to_owned(),
            classes: self.classes(),
            kind: ScoreKind::Logits,
            scores: Scores::F64(self.batch_logits(&data.features)),
            labels: data.labels.clone(),
        }
    }
}

/// A rectangle of the feature plane.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    /// The smallest x1 and x2.
    pub min: [f64; 2],
    /// The largest x1 and x2.
    pub max: [f64; 2],
}

impl Bounds {
    /// The bounding box of 2-D `data`, widened by 5 % of its span on every side (by 1 where
    /// the span is 0); `None` for data that is empty or not 2-D.
    #[must_use]
    pub fn around(data: &Dataset) -> Option<Self> {
        if data.dimensions != 2 || data.samples() == 0 {
            return None;
        }
        let mut min = [f64::INFINITY; 2];
        let mut max = [f64::NEG_INFINITY; 2];
        for point in data.features.chunks_exact(2) {
            for d in 0..2 {
                min[d] = min[d].min(point[d]);
                max[d] = max[d].max(point[d]);
            }
        }
        for d in 0..2 {
            let span = max[d] - min[d];
            let pad = if span > 0.0 { 0.05 * span } else { 1.0 };
            min[d] -= pad;
            max[d] += pad;
        }
        Some(Self { min, max })
    }
}

/// The class `model` predicts (argmax of the logits, ties to the lowest index) at the centre of
/// each cell of a `resolution x resolution` grid over `bounds`: row-major, row 0 at the top
/// (largest x2), column 0 at the left (smallest x1), as an image is laid out.
///
/// Empty for a model that is not 2-D.
#[must_use]
pub fn decision_regions(model: &Model, bounds: &Bounds, resolution: usize) -> Vec<u32> {
    let rule = DecisionRule {
        shift: vec![0.0; model.classes()],
        temperature: 1.0,
        fallback: 0,
    };
    decision_regions_with(model, &rule, bounds, resolution)
}

/// [`decision_regions`] under a decision rule: the preview's regions at another debris weight
/// are the trained model's under the rule shifted by `ln(w / w_trained)`.
#[must_use]
pub fn decision_regions_with(
    model: &Model,
    rule: &DecisionRule,
    bounds: &Bounds,
    resolution: usize,
) -> Vec<u32> {
    if model.dimensions() != 2 {
        return Vec::new();
    }
    let classes = model.classes();
    let cell = |d: usize, index: usize| {
        let fraction = (index as f64 + 0.5) / resolution as f64;
        bounds.min[d] + (bounds.max[d] - bounds.min[d]) * fraction
    };
    let mut regions = Vec::with_capacity(resolution * resolution);
    let mut row_points = vec![0.0; 2 * resolution];
    for row in 0..resolution {
        let x2 = cell(1, resolution - 1 - row);
        for (column, point) in row_points.chunks_exact_mut(2).enumerate() {
            point[0] = cell(0, column);
            point[1] = x2;
        }
        let logits = model.batch_logits(&row_points);
        regions.extend(
            logits
                .chunks_exact(classes.max(1))
                .map(|z| u32::try_from(rule.decide(z)).unwrap_or(u32::MAX)),
        );
    }
    regions
}
