//! The confusion matrix as a heatmap: counts and row percentages at the current or the
//! trained-with weights, or their difference; a click adds the sample of that cell nearest the
//! decision boundary as a scenario.

use eframe::egui;

use super::MatrixShown;
use crate::command::Command;
use crate::core::outcomes::compared::ConfusionHeat;
use crate::core::outcomes::view::{CurrentOutcomes, Prepared};
use crate::core::preset::Preset;
use crate::ui::cell_grid::CellGrid;
use crate::ui::palette;

/// The matrix chooser and the heatmap; `shown` is the view's choice, changed in place on the
/// caller's copy of the settings.
pub(super) fn ui(
    ui: &mut egui::Ui,
    preset: &Preset,
    prepared: &Prepared,
    (current, by_cost): (&CurrentOutcomes, bool),
    shown: &mut MatrixShown,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.strong("Confusion matrix (rows: truth, columns: predicted):");
        let now = if by_cost {
            "least expected cost"
        } else {
            "current weights"
        };
        ui.selectable_value(shown, MatrixShown::Current, now);
        ui.selectable_value(shown, MatrixShown::TrainedWith, "trained with");
        ui.selectable_value(shown, MatrixShown::Difference, "difference");
    });
    ui.weak("Click a cell to add its sample nearest the decision boundary as a scenario.");
    let shown = *shown;
    let heat = ConfusionHeat::new(
        shown,
        &current.current.confusion,
        &prepared.baseline.confusion,
    );
    let classes = preset.classes.len();
    let grid = CellGrid {
        id: "outcome_confusion",
        shape: (classes, classes),
        cell: egui::vec2(96.0, ui.spacing().interact_size.y + 4.0),
        header_width: 150.0,
        max_height: 360.0,
        corner: "truth \\ predicted",
    };
    let attention = palette::attention(ui.visuals());
    let better = palette::better(ui.visuals());
    let background = ui.visuals().extreme_bg_color;
    let cell = |ui: &mut egui::Ui, t: usize, k: usize| {
        let cell = heat.cell(t, k);
        let tint = if cell.improvement { better } else { attention };
        let (v, percent) = (cell.value, cell.row_percent);
        let text = if shown == MatrixShown::Difference {
            format!("{v:+} ({percent:+.1} %)")
        } else {
            format!("{v} ({percent:.1} %)")
        };
        #[allow(clippy::cast_possible_truncation, reason = "a colour mix")]
        let mix = cell.heat as f32 * 0.8;
        let button = egui::Button::new(text)
            .fill(background.lerp_to_gamma(tint, mix))
            .min_size(egui::vec2(90.0, 0.0));
        let (truth, predicted) = (&preset.classes[t].name, &preset.classes[k].name);
        if ui
            .add(button)
            .on_hover_text(format!("{truth} samples called {predicted}"))
            .accessible_name(format!("confusion {truth} called {predicted}"))
            .clicked()
        {
            commands.push(Command::ConfusionCell {
                truth: t,
                predicted: k,
            });
        }
    };
    let header = |ui: &mut egui::Ui, c: usize| {
        let text = egui::RichText::new(&preset.classes[c].name).color(palette::series(c));
        ui.add(egui::Label::new(text).truncate());
    };
    grid.show(ui, cell, header, header);
}
