//! Weights from counts: every scheme's weights side by side, and a button to apply each.

use eframe::egui;

use crate::command::Command;
use crate::core::cases::analysis::Analysis;
use crate::core::cases::schemes::Scheme;
use crate::core::preset::Preset;
use crate::core::preset::edit::Edit;
use crate::ui::palette;

/// The scheme table with its beta slider; applying a scheme is one undoable edit.
pub fn ui(
    ui: &mut egui::Ui,
    preset: &Preset,
    analysis: &Analysis,
    beta: f64,
    commands: &mut Vec<Command>,
) {
    ui.heading("Weights from counts");
    let mut new_beta = beta;
    let slider = egui::Slider::new(&mut new_beta, 0.0..=0.99999)
        .logarithmic(false)
        .max_decimals(5)
        .text("beta");
    let slider = ui
        .add(slider)
        .on_hover_text("beta of the effective-number scheme, in [0, 1)");
    if slider.accessible_name("beta").changed() {
        commands.push(Command::SetBeta(new_beta));
    }
    egui::Grid::new("scheme_table")
        .striped(true)
        .num_columns(analysis.scheme_weights.len() + 2)
        .show(ui, |ui| {
            ui.label("class");
            ui.label("current");
            for (scheme, _) in &analysis.scheme_weights {
                ui.label(scheme.name()).on_hover_text(scheme.formula());
            }
            ui.end_row();
            for (class_index, class) in preset.classes.iter().enumerate() {
                ui.colored_label(palette::series(class_index), &class.name);
                ui.label(format!("{:.4}", class.weight));
                for (_, weights) in &analysis.scheme_weights {
                    match weights {
                        Ok(weights) => ui
                            .label(format!("{:.4}", weights[class_index]))
                            .on_hover_text(format!("{:?}", weights[class_index])),
                        Err(_) => ui.label("n/a"),
                    };
                }
                ui.end_row();
            }
            ui.label("");
            ui.label("");
            for (scheme, weights) in &analysis.scheme_weights {
                match weights {
                    Ok(weights) => {
                        let button = ui.button("Apply").on_hover_text(format!(
                            "Set the weights to {}: {}",
                            scheme.name(),
                            scheme.formula()
                        ));
                        if button
                            .accessible_name(format!("apply {}", scheme.name()))
                            .clicked()
                        {
                            commands.push(Command::Edit(Edit::Weights(weights.clone())));
                        }
                    }
                    Err(error) => {
                        ui.colored_label(ui.visuals().error_fg_color, "n/a")
                            .on_hover_text(error.to_string());
                    }
                }
            }
            ui.end_row();
        });
    ui.label("Each scheme's weights as its formula normalises them; Apply sets them (Ctrl+Z takes it back).");
    if analysis
        .scheme_weights
        .iter()
        .any(|(scheme, _)| matches!(scheme, Scheme::Effective { .. }))
    {
        ui.small("effective: beta near 1 approaches inverse, beta 0 is uniform.");
    }
}
