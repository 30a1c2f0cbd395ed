//! Weights for an objective: the objective, the recall floor, a button to suggest weights, and
//! the suggestion to apply.

use eframe::egui;

use super::{Settings, View};
use crate::command::Command;
use crate::core::outcomes::tune::Objective;
use crate::core::preset::edit::Edit;
use crate::ui::palette;

/// The objective, the recall floor, a button to suggest weights, and the suggestion to apply;
/// the objective and the floor change the caller's copy of the settings.
pub(super) fn ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    settings: &mut Settings,
    commands: &mut Vec<Command>,
) {
    ui.strong("Weights for an objective");
    ui.horizontal_wrapped(|ui| {
        egui::ComboBox::from_label("objective")
            .selected_text(settings.objective.name())
            .show_ui(ui, |ui| {
                for objective in Objective::ALL {
                    ui.selectable_value(&mut settings.objective, objective, objective.name());
                }
            });
        if settings.objective == Objective::FewestDebrisFp {
            let mut floor = settings.min_recall.is_some();
            ui.checkbox(&mut floor, "minimum recall").on_hover_text(
                "Without it, every rare class keeps its recall at the trained-with weights",
            );
            if floor {
                let mut recall = settings.min_recall.unwrap_or(0.9);
                ui.add(egui::Slider::new(&mut recall, 0.0..=1.0).max_decimals(3))
                    .accessible_name("minimum recall");
                settings.min_recall = Some(recall);
            } else {
                settings.min_recall = None;
            }
        }
        // min-cost reads the preset's costs: without them there is nothing to search for.
        let costless = settings.objective == Objective::MinCost && view.preset.costs.is_empty();
        let button = ui.add_enabled(
            !view.suggesting && !costless,
            egui::Button::new("Suggest weights"),
        );
        if button
            .on_hover_text("Search per-class shifts over the exact points where decisions change")
            .on_disabled_hover_text("min-cost needs the costs: type them in the Costs pane")
            .clicked()
        {
            commands.push(Command::SuggestWeights);
        }
    });
    if settings.objective == Objective::MinCost && view.preset.costs.is_empty() {
        ui.weak("min-cost suggests the weights whose decisions cost least: type what each mistake costs in the Costs pane first.");
        return;
    }
    let Some((suggestion, stale)) = view.suggestion else {
        return;
    };
    let suggestion = match suggestion {
        Ok(suggestion) => suggestion,
        Err(error) => {
            ui.colored_label(ui.visuals().error_fg_color, error.to_string());
            return;
        }
    };
    let preset = view.preset;
    // The fewest false positives is a count of samples; the other objectives are fractions.
    let decimals = if suggestion.objective == Objective::FewestDebrisFp {
        0
    } else {
        4
    };
    ui.label(format!(
        "{}: {:.decimals$} at the trained-with weights, {:.decimals$} at the suggested ones{}",
        suggestion.objective.name(),
        suggestion.baseline_value,
        suggestion.value,
        if stale {
            " (computed before the last change)"
        } else {
            ""
        }
    ));
    egui::Grid::new("suggested_weights")
        .striped(true)
        .show(ui, |ui| {
            ui.strong("class");
            ui.strong("weight now");
            ui.strong("suggested");
            ui.end_row();
            for ((c, class), weight) in preset.classes.iter().enumerate().zip(&suggestion.weights) {
                ui.colored_label(palette::series(c), &class.name);
                ui.label(format!("{:.6}", class.weight));
                ui.label(format!("{weight:.6}"))
                    .on_hover_text(format!("{weight:?}"));
                ui.end_row();
            }
        });
    let apply = ui.add_enabled(!stale, egui::Button::new("Apply the suggested weights"));
    if apply
        .on_hover_text("Set these weights (Ctrl+Z takes it back)")
        .on_disabled_hover_text("Computed before the last change: suggest again")
        .clicked()
    {
        commands.push(Command::Edit(Edit::Weights(suggestion.weights.clone())));
    }
}
