//! The preset: classes with counts and weights, the debris class, and hand-made scenarios;
//! with what belongs to it (its sweep range, loss options, checks, edits and file).

pub mod edit;
pub mod file;
pub mod loss_options;
pub mod matrix;
pub mod range;
pub mod validate;

use serde::{Deserialize, Serialize};

use crate::core::preset::loss_options::LossOptions;
use crate::core::preset::range::SweepRange;

/// The preset file format version this program writes and the newest it reads.
pub const PRESET_VERSION: u32 = 1;

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

/// The preset's `validation` block: a file of the user's validation outputs, the class weights
/// the model was trained with, and the class frequencies expected when deployed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ValidationSettings {
    /// The file of validation outputs (`.npz`, `.npy`, `.safetensors` or `.csv`), relative to
    /// the preset's folder or absolute; empty when none is remembered.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub path: String,
    /// The labels file for a `.npy` of scores; empty otherwise.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub labels: String,
    /// The class weights the model was trained with, one per class (each > 0); empty means
    /// the preset's own weights.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trained_with: Vec<f64>,
    /// Each class's share among deployed samples, summing to 1; empty means none given.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deploy_prior: Vec<f64>,
}

impl ValidationSettings {
    /// Whether nothing is set (the block is then left out of the file).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
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
    /// The validation outputs the preset remembers, with the weights the model was trained
    /// with and the deployment prior (all optional).
    #[serde(default, skip_serializing_if = "ValidationSettings::is_empty")]
    pub validation: ValidationSettings,
    /// Pairwise margins (Menon et al. 2021): a sample of truth y has `margins[y]` added to its
    /// logits before the softmax. Empty means all 0; otherwise C x C with a zero diagonal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub margins: Vec<Vec<f64>>,
    /// What each mistake costs: `costs[y][k]` for a sample of true class y called k (rows
    /// truth, columns predicted). Empty means none given; otherwise C x C, finite, >= 0, with a
    /// zero diagonal. The outcomes' cost rule decides by it ([`crate::core::outcomes::costs`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub costs: Vec<Vec<f64>>,
}

impl Preset {
    /// The class weights in class order.
    #[must_use]
    pub fn weights(&self) -> Vec<f64> {
        self.classes.iter().map(|class| class.weight).collect()
    }

    /// The weights the model was trained with: the `validation` block's, else the preset's own.
    #[must_use]
    pub fn trained_with(&self) -> Vec<f64> {
        if self.validation.trained_with.is_empty() {
            self.weights()
        } else {
            self.validation.trained_with.clone()
        }
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

    /// A blank preset for "New": one object class in debris, one case to start from.
    #[must_use]
    pub fn blank() -> Self {
        let class = |name: &str, count, weight| Class {
            name: name.to_owned(),
            count,
            weight,
        };
        Self {
            version: PRESET_VERSION,
            name: "New preset".to_owned(),
            classes: vec![class("object", 100, 1.0), class("debris", 1000, 0.1)],
            debris: 1,
            scenarios: vec![Scenario {
                name: "debris called object".to_owned(),
                truth: 1,
                logits: vec![2.0, 0.0],
            }],
            sweep: SweepRange::default(),
            loss: LossOptions::default(),
            validation: ValidationSettings::default(),
            margins: Vec::new(),
            costs: Vec::new(),
        }
    }

    /// A copy without the scenarios and the name: what computations on data other than the
    /// hand-made cases read (the validation outputs, the simulator). Never copies the
    /// scenarios, which can be most of a large preset.
    #[must_use]
    pub fn without_scenarios(&self) -> Self {
        Self {
            version: self.version,
            name: String::new(),
            classes: self.classes.clone(),
            debris: self.debris,
            scenarios: Vec::new(),
            sweep: self.sweep,
            loss: self.loss,
            validation: self.validation.clone(),
            margins: self.margins.clone(),
            costs: self.costs.clone(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "exact values are what these tests assert")]
mod tests {
    use super::*;

    #[test]
    fn the_blank_preset_is_valid_with_debris_called_object() {
        let blank = Preset::blank();
        assert_eq!(blank.validate(), Ok(()));
        assert_eq!(blank.classes[blank.debris].name, "debris");
        assert_eq!(blank.scenarios[0].truth, blank.debris);
        let evaluation = crate::core::cases::evaluate::Evaluation::of(&blank).unwrap();
        assert_eq!(evaluation.scenarios[0].predicted, 0);
    }

    #[test]
    fn the_window_starts_on_the_notebook() {
        assert_eq!(Preset::starting(), Preset::notebook().unwrap());
        assert_eq!(Preset::starting().scenarios.len(), 11);
    }
}
