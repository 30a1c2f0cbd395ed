//! The status bar: the latest message, else the batch reductions.

use eframe::egui;

use crate::app::Notice;
use crate::core::Evaluation;

/// Shows `notice` (errors in the theme's error colour), or the batch summary when there is none.
pub fn ui(ui: &mut egui::Ui, notice: Option<&Notice>, evaluation: &Evaluation) {
    ui.horizontal(|ui| match notice {
        Some(notice) if notice.is_error => {
            ui.colored_label(ui.visuals().error_fg_color, &notice.text);
        }
        Some(notice) => {
            ui.label(&notice.text);
        }
        None => {
            let batch = &evaluation.batch;
            let mean = batch
                .mean
                .map_or_else(|| "undefined (the true classes' weights sum to 0)".to_owned(), |m| format!("{m:.6}"));
            ui.label(format!(
                "Batch of {} scenarios: sum {:.6}, mean {mean} (PyTorch: divided by the sum of the true classes' weights)",
                evaluation.scenarios.len(),
                batch.sum
            ));
        }
    });
}
