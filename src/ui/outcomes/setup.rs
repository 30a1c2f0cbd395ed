//! What the preview starts from: the trained-with weights, the deployment prior with its
//! correction, and the temperature.

use eframe::egui;

use super::{Settings, View};
use crate::command::Command;
use crate::core::outcomes::shares::{count_shares, with_share};
use crate::core::preset::edit::Edit;
use crate::ui::palette;

/// Trained-with weights, deployment prior with the prior correction, temperature.
pub(super) fn ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    settings: &mut Settings,
    commands: &mut Vec<Command>,
) {
    let preset = view.preset;
    let classes = preset.classes.len();
    let trained = preset.trained_with();
    let prior = &preset.validation.deploy_prior;
    let has_prior = !prior.is_empty();
    egui::Grid::new("outcome_weights")
        .striped(true)
        .show(ui, |ui| {
            ui.strong("class");
            ui.strong("trained with").on_hover_text(
                "The weights the model was trained with: the shift is ln(weight / trained with)",
            );
            ui.strong("weight now");
            ui.strong("deployment share")
                .on_hover_text("How common each class is where the model will be used (sums to 1)");
            ui.end_row();
            for (c, class) in preset.classes.iter().enumerate() {
                ui.colored_label(palette::series(c), &class.name);
                let mut w = trained.get(c).copied().unwrap_or(1.0);
                let field = egui::DragValue::new(&mut w)
                    .speed(0.01)
                    .range(1e-6..=1e6)
                    .clamp_existing_to_range(false);
                if ui
                    .add(field)
                    .accessible_name(format!("trained weight of {}", class.name))
                    .changed()
                {
                    let mut weights = trained.clone();
                    weights.resize(classes, 1.0);
                    weights[c] = w;
                    commands.push(Command::Edit(Edit::TrainedWith(weights)));
                }
                ui.label(format!("{:?}", class.weight));
                if has_prior {
                    let mut share = prior.get(c).copied().unwrap_or(0.0);
                    let field = egui::DragValue::new(&mut share)
                        .speed(0.001)
                        .range(0.0..=1.0)
                        .clamp_existing_to_range(false);
                    if ui
                        .add(field)
                        .accessible_name(format!("deployment share of {}", class.name))
                        .changed()
                    {
                        commands.push(Command::Edit(Edit::DeployPrior(with_share(
                            prior, c, share,
                        ))));
                    }
                } else {
                    ui.label("");
                }
                ui.end_row();
            }
        });
    ui.horizontal_wrapped(|ui| {
        if has_prior {
            if ui.button("No deployment prior").clicked() {
                commands.push(Command::Edit(Edit::DeployPrior(Vec::new())));
                settings.prior_correction = false;
            }
        } else if ui
            .button("Set a deployment prior")
            .on_hover_text("Start from the training counts' proportions")
            .clicked()
        {
            commands.push(Command::Edit(Edit::DeployPrior(count_shares(
                &preset.counts(),
            ))));
        }
        ui.add_enabled(
            has_prior,
            egui::Checkbox::new(&mut settings.prior_correction, "prior correction"),
        )
        .on_hover_text("Also add ln(deployment share / training share) to each class's shift");
        ui.checkbox(&mut settings.fit_temperature, "fit a temperature")
            .on_hover_text(
                "Divide the scores by the T that minimises their mean NLL (Guo et al. 2017): the shift assumes calibrated scores",
            );
    });
    if let Some(Ok(prepared)) = view.prepared
        && let Some(calibration) = prepared.setup.calibration
    {
        ui.label(format!(
            "T = {:.4}; expected calibration error (15 bins) {:.4} before, {:.4} after",
            calibration.temperature, calibration.ece_before, calibration.ece_after
        ));
    }
}
