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
            // Changing numbers apart from the fixed text, so a drag re-lays out only the numbers.
            let batch = &evaluation.batch;
            ui.label(format!(
                "Batch of {} scenarios:",
                evaluation.scenarios.len()
            ));
            ui.label(format!("sum {:.6},", batch.sum));
            match batch.mean {
                Some(mean) => ui.label(format!("mean {mean:.6}")),
                None => ui.label("mean undefined (the true classes' weights sum to 0)"),
            };
            ui.label("(PyTorch: the sum divided by the sum of the true classes' weights)");
        }
    });
}
