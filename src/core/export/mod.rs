//! The chosen weights and loss as code for the training libraries, every number in shortest
//! round-trip form so nothing is lost on the way.
//!
//! The PyTorch and Keras snippets define a `loss_fn` that computes weightbench's loss under
//! every option (see the files `pytorch.rs` and `keras.rs`); scikit-learn and NumPy get the
//! weights.

mod keras;
mod pytorch;

use serde::{Deserialize, Serialize};

use crate::core::preset::Preset;
use crate::core::preset::loss_options::{Convention, LossOptions};

/// A library to export to.
///
/// The `#[value]` names are how `export --to` spells them, which scripts rely on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum Target {
    /// `loss_fn(logits, targets)`: `torch.nn.CrossEntropyLoss` or a short function.
    #[value(name = "pytorch")]
    PyTorch,
    /// `class_weight` for `fit` and `loss_fn`, a `keras.losses.Loss`.
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

/// A float as Python reads it back to the same double (`26.0`, `0.8`, `1e-7`).
fn python_float(x: f64) -> String {
    format!("{x:?}")
}

/// `[a, b, ...]` of floats.
fn float_list(values: &[f64]) -> String {
    let items: Vec<String> = values.iter().map(|&x| python_float(x)).collect();
    format!("[{}]", items.join(", "))
}

fn weight_list(preset: &Preset) -> String {
    float_list(&preset.weights())
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

/// `[260, 10, ...]`: the class counts as Python integers.
fn count_list(preset: &Preset) -> String {
    let counts: Vec<String> = preset.counts().iter().map(u64::to_string).collect();
    format!("[{}]", counts.join(", "))
}

/// The margins as nested lists, rows by true class.
fn margin_rows(preset: &Preset) -> String {
    let rows: Vec<String> = preset.margins.iter().map(|row| float_list(row)).collect();
    format!("[{}]", rows.join(", "))
}

/// Whether any margin is not 0 (all-zero margins change nothing and are left out).
fn has_margins(preset: &Preset) -> bool {
    preset.margins.iter().flatten().any(|&m| m != 0.0)
}

/// Whether the loss itself is Keras' and not PyTorch's: the two conventions agree unless
/// label smoothing or focal loss is on.
fn follows_keras(options: &LossOptions) -> bool {
    options.convention == Convention::Keras
        && (options.label_smoothing > 0.0 || options.focal_gamma > 0.0)
}

/// The snippet for `target`: Python that runs after `import torch` or `import keras`
/// (sklearn and NumPy: the weights, with comments where the library has no such option).
#[must_use]
pub fn snippet(preset: &Preset, target: Target) -> String {
    snippet_evaluated(preset, target, None)
}

/// [`snippet`], given the preset's evaluation when the caller has it (the analysis does), so
/// the Keras snippet's comparison does not evaluate the preset again.
#[must_use]
pub fn snippet_evaluated(
    preset: &Preset,
    target: Target,
    evaluation: Option<&crate::core::cases::evaluate::Evaluation>,
) -> String {
    let loss = loss_snippet_evaluated(preset, target, evaluation);
    match target {
        Target::PyTorch | Target::Keras => format!("{loss}\n{}", run_writer(preset, target)),
        Target::Sklearn | Target::NumPy => loss,
    }
}

/// The snippet's part that defines the weights and the loss, without `save_run`.
#[must_use]
pub fn loss_snippet(preset: &Preset, target: Target) -> String {
    loss_snippet_evaluated(preset, target, None)
}

/// [`loss_snippet`], given the preset's evaluation when the caller has it.
fn loss_snippet_evaluated(
    preset: &Preset,
    target: Target,
    evaluation: Option<&crate::core::cases::evaluate::Evaluation>,
) -> String {
    match target {
        Target::PyTorch => pytorch::snippet(preset),
        Target::Keras => keras::snippet(preset, evaluation),
        Target::Sklearn => {
            weights_with_notes(preset, format!("class_weight = {}", weight_dict(preset)))
        }
        Target::NumPy => {
            let weights = weights_with_notes(
                preset,
                format!("class_weights = np.array({})", weight_list(preset)),
            );
            if preset.costs.is_empty() {
                weights
            } else {
                format!("{weights}\n{}", cost_rule(preset))
            }
        }
    }
}

/// `decide_by_cost(logits)`: the cost rule on a model's outputs, `np.argmin(P @ costs)` with
/// `P` the softmax of `logits / T - log(trained_with)` (the training weights divided out, and
/// with `prior_correction` the deployment prior's `log(pi_deploy / pi_train)` added), ties to
/// the lowest index as weightbench decides.
fn cost_rule(preset: &Preset) -> String {
    let rows: Vec<String> = preset.costs.iter().map(|row| float_list(row)).collect();
    let prior = &preset.validation.deploy_prior;
    let (prior_lines, prior_argument, prior_shift) = if prior.is_empty() {
        (String::new(), "", "")
    } else {
        (
            format!(
                "deploy_prior = np.array({})\ntrain_share = np.array({}, dtype=np.float64)\ntrain_share /= train_share.sum()\n",
                float_list(prior),
                count_list(preset),
            ),
            ", prior_correction=False",
            "\n    if prior_correction:\n        z = z + np.log(deploy_prior / train_share)",
        )
    };
    format!(
        "\n# Decide by what each mistake costs: costs[y][k] for a sample of true class y called k.\n\
         costs = np.array([{}])\n\
         trained_with = np.array({})\n\
         {prior_lines}\
         def decide_by_cost(logits, temperature=1.0{prior_argument}):\n\
         \x20   z = np.asarray(logits, dtype=np.float64) / temperature - np.log(trained_with){prior_shift}\n\
         \x20   p = np.exp(z - z.max(axis=1, keepdims=True))\n\
         \x20   p /= p.sum(axis=1, keepdims=True)\n\
         \x20   return np.argmin(p @ costs, axis=1)",
        rows.join(", "),
        float_list(&preset.trained_with()),
    )
}

/// `save_run(path, logits, labels, seed, epoch)`: saves a validation pass as a run file that
/// `weightbench runs` reads (and a watched folder picks up), with the weights trained with as
/// `class_weights`. It writes to a hidden temporary name and then renames it, so a watcher never
/// reads half a file (`np.savez` would append `.npz` to a name, so it writes to an open file).
fn run_writer(preset: &Preset, target: Target) -> String {
    if preset.weights().iter().any(|&w| w <= 0.0) {
        return "\n# save_run is left out: a class weight of 0 cannot be recorded in a run for weightbench \
                (a run's class_weights are each > 0)."
            .to_owned();
    }
    let to_numpy = match target {
        Target::Keras => "keras.ops.convert_to_numpy(x)",
        _ => "x.detach().cpu().numpy() if hasattr(x, \"detach\") else x",
    };
    format!(
        "\n# After validation: save_run(\"runs/debris-{debris}-seed0.npz\", val_logits, val_labels, seed=0, epoch=40)\n\
         # writes a run for weightbench (weightbench runs FOLDER, or weightbench --watch FOLDER).\n\
         import os\n\
         import numpy as np\n\
         def save_run(path, logits, labels, seed=None, epoch=None):\n\
         \x20   to_numpy = lambda x: np.asarray({to_numpy})\n\
         \x20   extra = {{name: value for name, value in ((\"seed\", seed), (\"epoch\", epoch)) if value is not None}}\n\
         \x20   temporary = os.path.join(os.path.dirname(path) or \".\", \".\" + os.path.basename(path) + \".tmp\")\n\
         \x20   with open(temporary, \"wb\") as f:\n\
         \x20       np.savez(f, logits=to_numpy(logits).astype(np.float32), labels=to_numpy(labels),\n\
         \x20                class_weights=np.array({}), **extra)\n\
         \x20   os.replace(temporary, path)",
        weight_list(preset),
        debris = python_float(preset.classes.get(preset.debris).map_or(1.0, |c| c.weight)),
    )
}

/// `code` after a comment for each loss option the library cannot take.
fn weights_with_notes(preset: &Preset, code: String) -> String {
    let options = &preset.loss;
    let mut notes = Vec::new();
    if options.focal_gamma > 0.0 {
        notes.push(format!(
            "# focal loss (gamma = {}) is not part of this library's cross-entropy; weightbench's numbers assume it",
            python_float(options.focal_gamma)
        ));
    }
    if has_margins(preset) {
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
    notes.push(code);
    notes.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::cases::evaluate::Evaluation;
    use crate::core::preset::Preset;
    use crate::core::preset::loss_options::Reduction;

    fn notebook_with(loss: LossOptions) -> Preset {
        Preset {
            loss,
            ..Preset::notebook().unwrap()
        }
    }

    fn smoothing(eps: f64) -> LossOptions {
        LossOptions {
            label_smoothing: eps,
            ..LossOptions::default()
        }
    }

    /// The notebook with a margin of 1.5 on debris called class2.
    fn with_margins(loss: LossOptions) -> Preset {
        let mut preset = notebook_with(loss);
        preset.margins = vec![vec![0.0; 4]; 4];
        preset.margins[3][1] = 1.5;
        preset
    }

    #[test]
    fn pytorch_plain_cross_entropy_is_the_library_module() {
        assert_eq!(
            loss_snippet(&notebook_with(LossOptions::default()), Target::PyTorch),
            "loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor([0.8, 26.0, 4.0, 0.4]))"
        );
        let options = LossOptions {
            reduction: Reduction::Sum,
            ..smoothing(0.1)
        };
        assert_eq!(
            loss_snippet(&notebook_with(options), Target::PyTorch),
            "loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor([0.8, 26.0, 4.0, 0.4]), label_smoothing=0.1, reduction='sum')"
        );
        let none = LossOptions {
            reduction: Reduction::None,
            ..LossOptions::default()
        };
        assert!(
            loss_snippet(&notebook_with(none), Target::PyTorch).ends_with(", reduction='none')")
        );
    }

    #[test]
    fn keras_convention_without_smoothing_or_focal_is_pytorch_plain_too() {
        let options = LossOptions {
            convention: Convention::Keras,
            ..LossOptions::default()
        };
        assert!(pytorch::is_plain(&notebook_with(options)));
        let smoothed = LossOptions {
            convention: Convention::Keras,
            ..smoothing(0.1)
        };
        assert!(!pytorch::is_plain(&notebook_with(smoothed)));
        let code = loss_snippet(&notebook_with(smoothed), Target::PyTorch);
        assert!(
            code.contains("* (1 - 0.1) + 0.1 / logits.shape[1]"),
            "{code}"
        );
        assert!(code.contains("torch.log_softmax(logits, dim=1)"), "{code}");
    }

    #[test]
    fn pytorch_needs_a_function_for_keras_mean_focal_and_shifts() {
        let per_sample = LossOptions {
            reduction: Reduction::PerSample,
            ..LossOptions::default()
        };
        let code = loss_snippet(&notebook_with(per_sample), Target::PyTorch);
        assert!(code.contains("\ndef loss_fn(logits, targets):\n"), "{code}");
        assert!(
            code.ends_with("\n    return losses.sum() / logits.shape[0]"),
            "{code}"
        );
        assert!(
            code.contains("weights = torch.tensor([0.8, 26.0, 4.0, 0.4], dtype=torch.float64)")
        );

        let focal = LossOptions {
            focal_gamma: 2.0,
            ..LossOptions::default()
        };
        let code = loss_snippet(&notebook_with(focal), Target::PyTorch);
        assert!(
            code.contains("p.scatter(1, targets[:, None], 0.0).sum(dim=1)"),
            "{code}"
        );
        assert!(
            code.ends_with("\n    return losses.sum() / w[targets].sum()"),
            "{code}"
        );

        let adjusted = LossOptions {
            logit_adjustment: 1.0,
            ..LossOptions::default()
        };
        let code = loss_snippet(&with_margins(adjusted), Target::PyTorch);
        assert!(
            code.contains("class_counts = torch.tensor([260, 10, 56, 500], dtype=torch.float64)")
        );
        assert!(code.contains("log_priors = 1.0 * torch.log(class_counts / class_counts.sum())"));
        assert!(code.contains(
            "margins = torch.tensor([[0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 1.5, 0.0, 0.0]], dtype=torch.float64)"
        ));
        assert!(code.contains(
            "    logits = logits + (log_priors.to(logits) + margins.to(logits)[targets])"
        ));
    }

    #[test]
    fn all_zero_margins_change_nothing_and_are_left_out() {
        let mut preset = notebook_with(LossOptions::default());
        preset.margins = vec![vec![0.0; 4]; 4];
        assert!(pytorch::is_plain(&preset));
        assert!(!loss_snippet(&preset, Target::Keras).contains("margins"));
    }

    #[test]
    fn keras_uses_its_built_in_losses_where_they_suffice() {
        let options = LossOptions {
            convention: Convention::Keras,
            reduction: Reduction::PerSample,
            ..smoothing(0.1)
        };
        assert_eq!(
            loss_snippet(&notebook_with(options), Target::Keras),
            "# Targets one-hot; fit(..., class_weight=class_weight) multiplies each sample's loss by its class's weight.\n\
             class_weight = {0: 0.8, 1: 26.0, 2: 4.0, 3: 0.4}\n\
             loss_fn = keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1, reduction=\"sum_over_batch_size\")"
        );
        let focal = LossOptions {
            focal_gamma: 2.0,
            reduction: Reduction::None,
            ..options
        };
        assert!(loss_snippet(&notebook_with(focal), Target::Keras).ends_with(
            "loss_fn = keras.losses.CategoricalFocalCrossentropy(alpha=1.0, gamma=2.0, from_logits=True, label_smoothing=0.1, reduction=None)"
        ));
    }

    #[test]
    fn keras_shifts_the_logits_in_a_loss_subclass() {
        let options = LossOptions {
            convention: Convention::Keras,
            reduction: Reduction::Mean,
            logit_adjustment: 1.0,
            ..LossOptions::default()
        };
        let code = loss_snippet(&with_margins(options), Target::Keras);
        assert!(
            code.contains("class_counts = [260, 10, 56, 500]\n"),
            "{code}"
        );
        assert!(
            code.contains("\nclass ShiftedCrossentropy(keras.losses.Loss):\n"),
            "{code}"
        );
        assert!(code.contains("keras.ops.matmul(y_true, "), "{code}");
        assert!(code.contains(
            "return keras.losses.categorical_crossentropy(y_true, y_pred + shift, from_logits=True)"
        ));
        assert!(
            code.ends_with(
                "\nloss_fn = ShiftedCrossentropy(reduction=\"mean_with_sample_weight\")"
            )
        );
    }

    #[test]
    fn keras_under_pytorch_smoothing_says_how_far_its_nearest_form_is() {
        let preset = notebook_with(smoothing(0.1));
        let code = loss_snippet(&preset, Target::Keras);
        let ours = Evaluation::of(&preset).unwrap().batch.mean.unwrap();
        let keras = LossOptions {
            convention: Convention::Keras,
            ..preset.loss
        };
        let theirs = Evaluation::with_options(&preset, &keras)
            .unwrap()
            .batch
            .mean
            .unwrap();
        assert!(
            (ours - theirs).abs() > 1e-3,
            "the conventions part with smoothing"
        );
        let said = format!(
            "# On this preset's 11 scenarios weightbench (PyTorch's convention) gives a mean of {ours:?}; this Keras form gives {theirs:?}.\n"
        );
        assert!(code.contains(&said), "{code}");
        assert!(
            code.starts_with("# weightbench follows PyTorch's convention here: label smoothing")
        );
        assert!(code.contains(
            "keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1,"
        ));

        let mut empty = preset.clone();
        empty.scenarios.clear();
        let code = loss_snippet(&empty, Target::Keras);
        assert!(!code.contains("On this preset's"), "{code}");
        assert!(code.starts_with("# weightbench follows PyTorch's convention here"));
    }

    #[test]
    fn keras_notes_its_mean_at_zero_weights_only_when_a_weight_is_zero() {
        let note = "Keras' mean_with_sample_weight gives 0";
        let mut preset = notebook_with(LossOptions::default());
        assert!(!loss_snippet(&preset, Target::Keras).contains(note));
        preset.classes[3].weight = 0.0;
        assert!(loss_snippet(&preset, Target::Keras).contains(note));
        preset.loss.reduction = Reduction::Sum;
        assert!(!loss_snippet(&preset, Target::Keras).contains(note));
    }

    #[test]
    fn sklearn_and_numpy_keep_their_weights_and_notes() {
        let options = LossOptions {
            focal_gamma: 2.0,
            logit_adjustment: 1.0,
            ..LossOptions::default()
        };
        let preset = with_margins(options);
        assert_eq!(
            loss_snippet(&preset, Target::Sklearn),
            "# focal loss (gamma = 2.0) is not part of this library's cross-entropy; weightbench's numbers assume it\n\
             # pairwise margins: add margins[y] to the logits of each sample of class y before this loss (not a library option)\n\
             # logit adjustment: add 1.0 * log(class prior) to the logits before this loss\n\
             class_weight = {0: 0.8, 1: 26.0, 2: 4.0, 3: 0.4}"
        );
        assert_eq!(
            loss_snippet(&notebook_with(LossOptions::default()), Target::NumPy),
            "class_weights = np.array([0.8, 26.0, 4.0, 0.4])"
        );
    }

    #[test]
    fn the_windows_snippets_given_the_evaluation_are_the_command_lines() {
        // PyTorch's convention with smoothing: the Keras snippet compares two evaluations.
        let preset = notebook_with(LossOptions {
            label_smoothing: 0.1,
            ..LossOptions::default()
        });
        let evaluation = Evaluation::of(&preset).unwrap();
        let keras = loss_snippet(&preset, Target::Keras);
        assert!(keras.contains("On this preset's 11 scenarios"), "{keras}");
        for target in Target::ALL {
            assert_eq!(
                snippet_evaluated(&preset, target, Some(&evaluation)),
                snippet(&preset, target),
                "{target:?}"
            );
        }
    }
}
