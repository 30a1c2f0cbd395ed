//! The chosen weights as code for the training libraries, every number in shortest
//! round-trip form so nothing is lost on the way.

use serde::{Deserialize, Serialize};

use crate::core::loss_options::Reduction;
use crate::core::model::Preset;

/// A library to export to.
///
/// The `#[value]` names are how `export --to` spells them, which scripts rely on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum Target {
    /// `torch.nn.CrossEntropyLoss`.
    #[value(name = "pytorch")]
    PyTorch,
    /// Keras' `class_weight` argument of `fit`.
    #[value(name = "keras")]
    Keras,
    /// scikit-learn's `class_weight` parameter.
    #[value(name = "sklearn")]
    Sklearn,
    /// A NumPy array.
    #[value(name = "numpy")]
    NumPy,
}

impl Target {
    /// Every target, in the order the window shows them.
    pub const ALL: [Self; 4] = [Self::PyTorch, Self::Keras, Self::Sklearn, Self::NumPy];

    /// The target's display name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::PyTorch => "PyTorch",
            Self::Keras => "Keras",
            Self::Sklearn => "scikit-learn",
            Self::NumPy => "NumPy",
        }
    }
}

/// A float as Python reads it back to the same double (`26.0`, `0.8`, `1e-07`).
fn python_float(x: f64) -> String {
    format!("{x:?}")
}

fn weight_list(preset: &Preset) -> String {
    let weights: Vec<String> = preset
        .classes
        .iter()
        .map(|c| python_float(c.weight))
        .collect();
    format!("[{}]", weights.join(", "))
}

fn weight_dict(preset: &Preset) -> String {
    let entries: Vec<String> = preset
        .classes
        .iter()
        .enumerate()
        .map(|(index, c)| format!("{index}: {}", python_float(c.weight)))
        .collect();
    format!("{{{}}}", entries.join(", "))
}

/// The snippet for `target`: valid Python, with comments where the library has no such option.
#[must_use]
pub fn snippet(preset: &Preset, target: Target) -> String {
    let options = &preset.loss;
    let mut notes = Vec::new();
    if options.focal_gamma > 0.0 {
        notes.push(format!(
            "# focal loss (gamma = {}) is not part of this library's cross-entropy; weightbench's numbers assume it",
            python_float(options.focal_gamma)
        ));
    }
    if preset.margins.iter().flatten().any(|&m| m != 0.0) {
        notes.push(
            "# pairwise margins: add margins[y] to the logits of each sample of class y before this loss (not a library option)"
                .to_owned(),
        );
    }
    if options.logit_adjustment != 0.0 {
        notes.push(format!(
            "# logit adjustment: add {} * log(class prior) to the logits before this loss",
            python_float(options.logit_adjustment)
        ));
    }
    let code = match target {
        Target::PyTorch => {
            let mut arguments = vec![format!("weight=torch.tensor({})", weight_list(preset))];
            if options.label_smoothing > 0.0 {
                arguments.push(format!(
                    "label_smoothing={}",
                    python_float(options.label_smoothing)
                ));
            }
            match options.reduction {
                Reduction::Mean => {}
                Reduction::Sum | Reduction::PerSample => {
                    arguments.push("reduction='sum'".to_owned());
                }
                Reduction::None => arguments.push("reduction='none'".to_owned()),
            }
            if options.reduction == Reduction::PerSample {
                notes.push(
                    "# Keras' normalisation: divide the summed loss by the batch size".to_owned(),
                );
            }
            format!("torch.nn.CrossEntropyLoss({})", arguments.join(", "))
        }
        Target::Keras => {
            if options.reduction == Reduction::Mean {
                notes.push(
                    "# Keras divides by the batch size; PyTorch's mean divides by the sum of the true classes' weights".to_owned(),
                );
            }
            if options.label_smoothing > 0.0 {
                notes.push(format!(
                    "# label smoothing: CategoricalCrossentropy(label_smoothing={})",
                    python_float(options.label_smoothing)
                ));
            }
            format!("class_weight = {}", weight_dict(preset))
        }
        Target::Sklearn => format!("class_weight = {}", weight_dict(preset)),
        Target::NumPy => format!("class_weights = np.array({})", weight_list(preset)),
    };
    notes.push(code);
    notes.join("\n")
}
