//! The PyTorch snippet: `loss_fn(logits, targets)` giving weightbench's loss and reduction,
//! `torch.nn.CrossEntropyLoss` where it suffices, else a short function.

use super::{count_list, follows_keras, has_margins, margin_rows, python_float, weight_list};
use crate::core::preset::Preset;
use crate::core::preset::loss_options::{LossOptions, Reduction};

/// Whether `torch.nn.CrossEntropyLoss` computes the preset's loss by itself: no focal loss,
/// nothing added to the logits, PyTorch's form of smoothing and one of its reductions.
pub(super) fn is_plain(preset: &Preset) -> bool {
    let options = &preset.loss;
    options.focal_gamma == 0.0
        && !follows_keras(options)
        && options.logit_adjustment == 0.0
        && !has_margins(preset)
        && options.reduction != Reduction::PerSample
}

/// The snippet; runs after `import torch`.
pub(super) fn snippet(preset: &Preset) -> String {
    if is_plain(preset) {
        plain(preset)
    } else {
        function(preset)
    }
}

/// `loss_fn = torch.nn.CrossEntropyLoss(...)`.
fn plain(preset: &Preset) -> String {
    let options = &preset.loss;
    let mut arguments = vec![format!("weight=torch.tensor({})", weight_list(preset))];
    if options.label_smoothing > 0.0 {
        arguments.push(format!(
            "label_smoothing={}",
            python_float(options.label_smoothing)
        ));
    }
    match options.reduction {
        Reduction::Mean | Reduction::PerSample => {}
        Reduction::Sum => arguments.push("reduction='sum'".to_owned()),
        Reduction::None => arguments.push("reduction='none'".to_owned()),
    }
    format!(
        "loss_fn = torch.nn.CrossEntropyLoss({})",
        arguments.join(", ")
    )
}

/// In words, for the function's comment: the loss, what is added to the logits, the reduction.
fn describe(preset: &Preset) -> String {
    let options = &preset.loss;
    let gamma = python_float(options.focal_gamma);
    let eps = python_float(options.label_smoothing);
    let mut loss = match (follows_keras(options), options.focal_gamma > 0.0) {
        (false, true) => format!("focal loss -w_y (1 - p_y)^{gamma} log p_y"),
        (false, false) if options.label_smoothing > 0.0 => {
            format!("weighted cross-entropy with label smoothing {eps}")
        }
        (false, false) => "weighted cross-entropy".to_owned(),
        (true, true) => format!(
            "w_y times Keras' CategoricalFocalCrossentropy(alpha=1.0, gamma={gamma}, label_smoothing={eps})"
        ),
        (true, false) => {
            format!("w_y times Keras' CategoricalCrossentropy(label_smoothing={eps})")
        }
    };
    let mut shifts = Vec::new();
    if options.logit_adjustment != 0.0 {
        shifts.push(format!(
            "{} * log(n_c / N)",
            python_float(options.logit_adjustment)
        ));
    }
    if has_margins(preset) {
        shifts.push("margins[y]".to_owned());
    }
    if !shifts.is_empty() {
        loss = format!("{loss}, on logits + {}", shifts.join(" + "));
    }
    let reduction = match options.reduction {
        Reduction::Mean => "summed and divided by the sum of w_y (PyTorch's mean)",
        Reduction::PerSample => "summed and divided by the batch size (Keras' mean)",
        Reduction::Sum => "summed",
        Reduction::None => "one loss per sample",
    };
    format!(
        "# weightbench's loss: {loss};\n# {reduction}. logits: N x C floats, targets: N class indices (int64)."
    )
}

/// The module-level tensors the function reads, in float64 (converted to the logits' dtype).
fn constants(preset: &Preset) -> Vec<String> {
    let float64 = "dtype=torch.float64";
    let mut lines = vec![format!(
        "weights = torch.tensor({}, {float64})",
        weight_list(preset)
    )];
    if preset.loss.logit_adjustment != 0.0 {
        lines.push(format!(
            "class_counts = torch.tensor({}, {float64})",
            count_list(preset)
        ));
        lines.push(format!(
            "log_priors = {} * torch.log(class_counts / class_counts.sum())",
            python_float(preset.loss.logit_adjustment)
        ));
    }
    if has_margins(preset) {
        lines.push(format!(
            "margins = torch.tensor({}, {float64})",
            margin_rows(preset)
        ));
    }
    lines
}

/// The shift of the logits, as weightbench adds it: log-priors plus margins first, then the sum.
fn shift_line(preset: &Preset) -> Option<String> {
    let priors = "log_priors.to(logits)";
    let margins = "margins.to(logits)[targets]";
    let shift = match (preset.loss.logit_adjustment != 0.0, has_margins(preset)) {
        (true, true) => format!("({priors} + {margins})"),
        (true, false) => priors.to_owned(),
        (false, true) => margins.to_owned(),
        (false, false) => return None,
    };
    Some(format!("    logits = logits + {shift}"))
}

/// The lines that set `losses`, the per-sample losses.
fn loss_lines(options: &LossOptions) -> Vec<String> {
    let gamma = python_float(options.focal_gamma);
    let eps = options.label_smoothing;
    let target = if eps > 0.0 {
        let eps = python_float(eps);
        format!(
            "    target = torch.nn.functional.one_hot(targets, logits.shape[1]).to(logits) * (1 - {eps}) + {eps} / logits.shape[1]"
        )
    } else {
        "    target = torch.nn.functional.one_hot(targets, logits.shape[1]).to(logits)".to_owned()
    };
    let lines: Vec<String> = match (follows_keras(options), options.focal_gamma > 0.0) {
        (false, true) => vec![
            "    p = torch.softmax(logits, dim=1)".to_owned(),
            "    # 1 - p_y as the other classes' share: exact when p_y is near 1".to_owned(),
            "    one_minus_p_y = p.scatter(1, targets[:, None], 0.0).sum(dim=1)".to_owned(),
            "    log_p_y = torch.log_softmax(logits, dim=1).gather(1, targets[:, None])[:, 0]"
                .to_owned(),
            format!("    losses = w[targets] * one_minus_p_y**{gamma} * -log_p_y"),
        ],
        (false, false) => {
            let smoothing = if eps > 0.0 {
                format!(", label_smoothing={}", python_float(eps))
            } else {
                String::new()
            };
            vec![format!(
                "    losses = torch.nn.functional.cross_entropy(logits, targets, weight=w{smoothing}, reduction='none')"
            )]
        }
        (true, true) => vec![
            target,
            "    # as Keras: softmax, divided by its sum, clipped".to_owned(),
            "    p = torch.softmax(logits, dim=1)".to_owned(),
            "    o = (p / p.sum(dim=1, keepdim=True)).clamp(1e-7, 1 - 1e-7)".to_owned(),
            format!(
                "    losses = w[targets] * ((1 - o) ** {gamma} * (-target * torch.log(o))).sum(dim=1)"
            ),
        ],
        (true, false) => vec![
            target,
            "    losses = w[targets] * -(target * torch.log_softmax(logits, dim=1)).sum(dim=1)"
                .to_owned(),
        ],
    };
    lines
}

/// `def loss_fn(logits, targets):` with the constants it reads.
fn function(preset: &Preset) -> String {
    let mut lines = vec![describe(preset)];
    lines.extend(constants(preset));
    lines.push(String::new());
    lines.push(String::new());
    lines.push("def loss_fn(logits, targets):".to_owned());
    lines.push("    w = weights.to(logits)".to_owned());
    lines.extend(shift_line(preset));
    lines.extend(loss_lines(&preset.loss));
    lines.push(
        match preset.loss.reduction {
            Reduction::None => "    return losses",
            Reduction::Sum => "    return losses.sum()",
            Reduction::PerSample => "    return losses.sum() / logits.shape[0]",
            Reduction::Mean => "    return losses.sum() / w[targets].sum()",
        }
        .to_owned(),
    );
    lines.join("\n")
}
