//! The Keras snippet: `class_weight` for `fit` and `loss_fn`, a `keras.losses.Loss` on one-hot
//! targets and logits: Keras' built-in where it suffices, else a small subclass that shifts the
//! logits first.

use super::{count_list, has_margins, margin_rows, python_float, weight_dict};
use crate::core::cases::evaluate::Evaluation;
use crate::core::preset::Preset;
use crate::core::preset::loss_options::{Convention, LossOptions, Reduction};

/// The snippet; runs after `import keras`.
pub(super) fn snippet(preset: &Preset, evaluation: Option<&Evaluation>) -> String {
    let options = &preset.loss;
    let mut lines = Vec::new();
    if differs_from_keras(options) {
        lines.extend(difference_note(preset, evaluation));
    }
    if options.reduction == Reduction::Mean && preset.classes.iter().any(|c| c.weight == 0.0) {
        lines.push(
            "# Where every sample's class weight is 0, Keras' mean_with_sample_weight gives 0; weightbench's mean is undefined."
                .to_owned(),
        );
    }
    lines.push(
        "# Targets one-hot; fit(..., class_weight=class_weight) multiplies each sample's loss by its class's weight."
            .to_owned(),
    );
    lines.push(format!("class_weight = {}", weight_dict(preset)));
    if is_shifted(preset) {
        lines.push(subclass(preset));
    } else {
        let class = if options.focal_gamma > 0.0 {
            "CategoricalFocalCrossentropy"
        } else {
            "CategoricalCrossentropy"
        };
        let mut arguments = loss_arguments(options);
        arguments.push(format!(
            "reduction={}",
            reduction_argument(options.reduction)
        ));
        lines.push(format!(
            "loss_fn = keras.losses.{class}({})",
            arguments.join(", ")
        ));
    }
    lines.join("\n")
}

/// Whether weightbench's loss has PyTorch's form, which no Keras loss has: label smoothing
/// weighted class by class, or focal loss without Keras' clipping.
fn differs_from_keras(options: &LossOptions) -> bool {
    options.convention == Convention::PyTorch
        && (options.label_smoothing > 0.0 || options.focal_gamma > 0.0)
}

/// Whether the loss needs the subclass that shifts the logits.
fn is_shifted(preset: &Preset) -> bool {
    preset.loss.logit_adjustment != 0.0 || has_margins(preset)
}

/// Keras' name of `reduction`, as Python.
fn reduction_argument(reduction: Reduction) -> &'static str {
    match reduction {
        Reduction::PerSample => "\"sum_over_batch_size\"",
        Reduction::Mean => "\"mean_with_sample_weight\"",
        Reduction::Sum => "\"sum\"",
        Reduction::None => "None",
    }
}

/// The arguments of Keras' loss for `options` but the reduction: cross-entropy's, or focal's
/// with alpha 1 (so the class weight alone weighs a sample, as in weightbench).
fn loss_arguments(options: &LossOptions) -> Vec<String> {
    let mut arguments = Vec::new();
    if options.focal_gamma > 0.0 {
        arguments.push("alpha=1.0".to_owned());
        arguments.push(format!("gamma={}", python_float(options.focal_gamma)));
    }
    arguments.push("from_logits=True".to_owned());
    if options.label_smoothing > 0.0 {
        arguments.push(format!(
            "label_smoothing={}",
            python_float(options.label_smoothing)
        ));
    }
    arguments
}

/// Why the Keras form differs from weightbench's loss under PyTorch's convention, and by how
/// much on the preset's scenarios (left out when there are none); `evaluation` is the preset's
/// own when the caller already has it.
fn difference_note(preset: &Preset, evaluation: Option<&Evaluation>) -> Vec<String> {
    let options = &preset.loss;
    let mut lines = vec![if options.label_smoothing > 0.0 {
        "# weightbench follows PyTorch's convention here: label smoothing weighs each class's share of the target by\n# that class's weight. No Keras loss does; the nearest, below, is Keras' loss of a sample times its class's weight."
    } else {
        "# weightbench follows PyTorch's convention here: focal loss -w_y (1 - p_y)^gamma log p_y. Keras' nearest,\n# below, clips the probabilities to [1e-7, 1 - 1e-7] first."
    }
    .to_owned()];
    let count = preset.scenarios.len();
    if count == 0 {
        return lines;
    }
    let keras = LossOptions {
        convention: Convention::Keras,
        ..*options
    };
    let ours = match evaluation {
        Some(evaluation) => Ok(std::borrow::Cow::Borrowed(evaluation)),
        None => Evaluation::of(preset).map(std::borrow::Cow::Owned),
    };
    let (Ok(ours), Ok(theirs)) = (ours, Evaluation::with_options(preset, &keras)) else {
        return lines;
    };
    let scenarios = if count == 1 { "scenario" } else { "scenarios" };
    let reduction = options.reduction;
    let batches = match reduction {
        Reduction::None => Some((ours.batch.sum, theirs.batch.sum)),
        reduction => ours
            .batch
            .reduced(reduction)
            .zip(theirs.batch.reduced(reduction)),
    };
    let said = batches.map(|(ours, theirs)| comparison(reduction, ours, theirs));
    if let Some(said) = said {
        lines.push(format!(
            "# On this preset's {count} {scenarios} weightbench (PyTorch's convention) gives {said}"
        ));
    }
    lines
}

/// weightbench's batch loss (`ours`) beside the Keras form's (`theirs`), reduced by
/// `reduction` (summed for `None`), as the end of a sentence. A figure that is not finite
/// (finite logits and weights can overflow) is said to be so and why, never written as `inf`.
fn comparison(reduction: Reduction, ours: f64, theirs: f64) -> String {
    let what = match reduction {
        Reduction::Mean => "a mean",
        Reduction::PerSample => "a mean per sample",
        Reduction::Sum => "a sum",
        Reduction::None => "per-sample losses",
    };
    let summed = reduction == Reduction::None;
    let overflows = !(ours.is_finite() && theirs.is_finite());
    let ours = match (summed, ours.is_finite()) {
        (true, true) => format!("{what} that sum to {}", python_float(ours)),
        (true, false) => format!("{what} whose sum is not a finite number"),
        (false, true) => format!("{what} of {}", python_float(ours)),
        (false, false) => format!("{what} that is not a finite number"),
    };
    let theirs = match (summed, theirs.is_finite()) {
        (true, true) => format!("this Keras form's sum to {}", python_float(theirs)),
        (true, false) => "this Keras form's do not sum to a finite number".to_owned(),
        (false, true) => format!("this Keras form gives {}", python_float(theirs)),
        (false, false) => "this Keras form's is not a finite number".to_owned(),
    };
    let why = if overflows {
        ": the logits or weights are too large for the loss to be represented"
    } else {
        ""
    };
    format!("{ours}; {theirs}{why}.")
}

/// A `keras.losses.Loss` whose `call` adds the log-priors and the margins to the logits, then
/// calls Keras' loss function; constructed with the reduction.
fn subclass(preset: &Preset) -> String {
    let options = &preset.loss;
    let adjusted = options.logit_adjustment != 0.0;
    let mut lines = Vec::new();
    let mut shifts = Vec::new();
    let mut terms = Vec::new();
    if adjusted {
        lines.push(format!("class_counts = {}", count_list(preset)));
        let tau = python_float(options.logit_adjustment);
        shifts.push(format!("{tau} * log(n_c / N)"));
        terms.push(format!(
            "{tau} * keras.ops.log(counts / keras.ops.sum(counts))"
        ));
    }
    if has_margins(preset) {
        lines.push(format!("margins = {}", margin_rows(preset)));
        shifts.push("margins[y]".to_owned());
        terms.push(
            "keras.ops.matmul(y_true, keras.ops.convert_to_tensor(margins, dtype=y_pred.dtype))"
                .to_owned(),
        );
    }
    let (class, function) = if options.focal_gamma > 0.0 {
        ("ShiftedFocalCrossentropy", "categorical_focal_crossentropy")
    } else {
        ("ShiftedCrossentropy", "categorical_crossentropy")
    };
    let mut arguments = vec!["y_true".to_owned(), "y_pred + shift".to_owned()];
    arguments.extend(loss_arguments(options));
    lines.extend([
        String::new(),
        String::new(),
        format!("class {class}(keras.losses.Loss):"),
        format!(
            "    \"\"\"Keras' {function} on the logits plus {}.\"\"\"",
            shifts.join(" + ")
        ),
        String::new(),
        "    def call(self, y_true, y_pred):".to_owned(),
    ]);
    if adjusted {
        lines.push(
            "        counts = keras.ops.convert_to_tensor(class_counts, dtype=y_pred.dtype)"
                .to_owned(),
        );
    }
    lines.extend([
        format!("        shift = {}", terms.join(" + ")),
        format!(
            "        return keras.losses.{function}({})",
            arguments.join(", ")
        ),
        String::new(),
        String::new(),
        format!(
            "loss_fn = {class}(reduction={})",
            reduction_argument(options.reduction)
        ),
    ]);
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::preset::Scenario;

    /// The soak's preset (seed 0x5EED0012, command 7773): the notebook weighted
    /// `[0, 1.55, 2.10, 1e12]`, smoothed by 0.05, with a debris scenario whose class1 logit is
    /// near the most negative double. PyTorch's convention weighs class1's share of the target
    /// by its weight of 0, so weightbench's loss is finite; Keras' form weighs that share,
    /// `0.05 / 4 * 1.8e308`, by the debris weight of 1e12, which overflows.
    fn overflowing_for_keras(reduction: Reduction) -> Preset {
        let mut preset = Preset::notebook().unwrap();
        for (class, weight) in preset.classes.iter_mut().zip([0.0, 1.55, 2.10, 1e12]) {
            class.weight = weight;
        }
        preset.loss = LossOptions {
            label_smoothing: 0.05,
            reduction,
            ..LossOptions::default()
        };
        preset.scenarios.push(Scenario {
            name: "far".to_owned(),
            truth: 3,
            logits: vec![-1.797e308, 0.0, 0.0, 0.0],
        });
        preset
    }

    #[test]
    fn a_keras_figure_that_overflows_is_said_to_not_written_as_inf() {
        let preset = overflowing_for_keras(Reduction::Mean);
        let ours = Evaluation::of(&preset).unwrap().batch.mean.unwrap();
        assert!(ours.is_finite(), "{ours}");
        let keras = LossOptions {
            convention: Convention::Keras,
            ..preset.loss
        };
        let theirs = Evaluation::with_options(&preset, &keras).unwrap();
        assert!(!theirs.batch.mean.unwrap().is_finite());
        let code = snippet(&preset, None);
        let said = format!(
            "# On this preset's 12 scenarios weightbench (PyTorch's convention) gives a mean of {ours:?}; this Keras form's is not a finite number: the logits or weights are too large for the loss to be represented.\n"
        );
        assert!(code.contains(&said), "{code}");
        let infinite = code.split_whitespace().find(|word| {
            word.trim_end_matches(['.', ';', ','])
                .parse::<f64>()
                .is_ok_and(|x| !x.is_finite())
        });
        assert_eq!(infinite, None, "{code}");
    }

    #[test]
    fn each_reduction_says_which_figure_overflows() {
        let none = overflowing_for_keras(Reduction::None);
        let ours = Evaluation::of(&none).unwrap().batch.sum;
        let code = snippet(&none, None);
        assert!(
            code.contains(&format!(
                "gives per-sample losses that sum to {ours:?}; this Keras form's do not sum to a finite number: the logits or weights are too large for the loss to be represented.\n"
            )),
            "{code}"
        );
        assert_eq!(
            comparison(Reduction::Sum, f64::INFINITY, 1.5),
            "a sum that is not a finite number; this Keras form gives 1.5: the logits or weights are too large for the loss to be represented."
        );
        assert_eq!(
            comparison(Reduction::PerSample, f64::NAN, f64::INFINITY),
            "a mean per sample that is not a finite number; this Keras form's is not a finite number: the logits or weights are too large for the loss to be represented."
        );
        assert_eq!(
            comparison(Reduction::None, f64::INFINITY, 2.0),
            "per-sample losses whose sum is not a finite number; this Keras form's sum to 2.0: the logits or weights are too large for the loss to be represented."
        );
        // Finite figures read as before.
        assert_eq!(
            comparison(Reduction::Mean, 0.5, 0.25),
            "a mean of 0.5; this Keras form gives 0.25."
        );
        assert_eq!(
            comparison(Reduction::None, 0.5, 0.25),
            "per-sample losses that sum to 0.5; this Keras form's sum to 0.25."
        );
    }
}
