//! The preset: classes with counts and weights, the debris class, and hand-made scenarios.

use serde::{Deserialize, Serialize};

use crate::core::loss_options::LossOptions;
use crate::core::sweep::SweepRange;

/// The preset file format version this program writes and the newest it reads.
pub const PRESET_VERSION: u32 = 1;

/// The notebook preset, embedded as the default the program starts from.
pub const NOTEBOOK_PRESET_RON: &str = include_str!("../../presets/notebook.ron");

/// One class of the classifier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Class {
    /// Display name, unique within a preset.
    pub name: String,
    /// Number of training samples of this class.
    pub count: u64,
    /// Weight of this class in the cross-entropy loss (finite, >= 0).
    pub weight: f64,
}

/// One hand-made case: a sample of class `truth` on which the network outputs `logits`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What the case shows, in words.
    pub name: String,
    /// The ground-truth class, a 0-based class index.
    pub truth: usize,
    /// The network's raw outputs, one per class.
    pub logits: Vec<f64>,
}

/// Everything a user edits: the classes, which one is debris, and the scenarios.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Preset", deny_unknown_fields)]
pub struct Preset {
    /// File format version; see [`PRESET_VERSION`].
    pub version: u32,
    /// Display name of the preset.
    pub name: String,
    /// The classes, in the order of the network's outputs.
    pub classes: Vec<Class>,
    /// 0-based index of the numerous background class.
    pub debris: usize,
    /// Hand-made cases evaluated under the preset's weights.
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
    /// The range of debris weights that sweeps and plots run over.
    #[serde(default)]
    pub sweep: SweepRange,
    /// The loss: reduction, label smoothing, focal loss, logit adjustment (default: plain
    /// weighted cross-entropy with PyTorch's mean).
    #[serde(default)]
    pub loss: LossOptions,
    /// Pairwise margins (Menon et al. 2021): a sample of truth y has `margins[y]` added to its
    /// logits before the softmax. Empty means all 0; otherwise C x C with a zero diagonal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub margins: Vec<Vec<f64>>,
}

impl Preset {
    /// The class weights in class order.
    #[must_use]
    pub fn weights(&self) -> Vec<f64> {
        self.classes.iter().map(|class| class.weight).collect()
    }

    /// The class counts in class order.
    #[must_use]
    pub fn counts(&self) -> Vec<u64> {
        self.classes.iter().map(|class| class.count).collect()
    }

    /// What is added to the logits of a sample of class `truth` before the softmax:
    /// `tau ln(n_c / N) + margins[truth][c]`.
    #[must_use]
    pub fn logit_shifts_for(&self, truth: usize) -> Vec<f64> {
        self.logit_shifts_with(&self.loss, truth)
    }

    /// As [`Self::logit_shifts_for`], with the logit adjustment of `options` instead of the preset's.
    #[must_use]
    pub fn logit_shifts_with(&self, options: &LossOptions, truth: usize) -> Vec<f64> {
        let mut shifts = options.logit_shifts(&self.counts());
        if let Some(row) = self.margins.get(truth) {
            for (shift, margin) in shifts.iter_mut().zip(row) {
                *shift += margin;
            }
        }
        shifts
    }

    /// The preset embedded in the program: the seed notebook's classes and cases.
    ///
    /// # Errors
    /// Only if the embedded file were broken, which the test suite rules out.
    pub fn notebook() -> Result<Self, crate::core::PresetError> {
        crate::core::parse_preset(NOTEBOOK_PRESET_RON, "presets/notebook.ron (built in)")
    }
}
