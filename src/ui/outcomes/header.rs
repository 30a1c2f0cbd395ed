//! The Outcomes view's heading: the file, its size and what its scores are, and what the
//! preview assumes.

use eframe::egui;

use crate::core::outcomes::data::{ScoreKind, ValidationData};

/// The heading over the view.
pub(super) fn ui(ui: &mut egui::Ui, data: &ValidationData) {
    let kind = match data.kind {
        ScoreKind::Logits => "logits",
        ScoreKind::LogProbabilities => "probabilities (as ln p)",
    };
    ui.heading(format!("Outcomes on {}", data.source));
    ui.label(format!(
        "{} samples, {} classes, {kind}",
        data.samples(),
        data.classes
    ));
    ui.weak(
        "A preview: a model at the optimum of weighted cross-entropy predicts argmax_c w_c p(c | x), so \
         new weights act as ln(w / w_old) added to the logits. It is exact for a calibrated model that \
         fits the data, and drifts from retraining when the model cannot (see the training simulator).",
    );
}
