//! The Outcomes view: what the current weights would do to the user's model on their own
//! validation outputs, previewed by the logit shift `ln(w / w_old)`, beside what the weights
//! it was trained with do; the FP/FN trade along the debris weight with bootstrap bands; and
//! suggested weights.
//!
//! One file per sub-panel; every number they show comes computed from the core
//! ([`crate::core::outcomes::compared`], [`crate::core::outcomes::shares`]). A change of
//! the view's [`Settings`] is a [`Command::SetOutcomeSettings`], never an edit in place.

mod confusion;
mod header;
pub mod settings;
mod setup;
mod suggest;
mod tables;
mod trade;

use eframe::egui;

use crate::command::{Command, TaskKind};
use crate::core::outcomes::bootstrap::Bands;
use crate::core::outcomes::data::ValidationData;
use crate::core::outcomes::setup::OutcomeError;
use crate::core::outcomes::tune::Suggestion;
use crate::core::outcomes::view::{CurrentOutcomes, Prepared};
use crate::core::preset::Preset;

pub use crate::core::outcomes::compared::MatrixShown;
pub use settings::Settings;

/// What the view reads.
pub struct View<'a> {
    /// The preset (its weights, classes, validation block).
    pub preset: &'a Preset,
    /// The loaded data, if any.
    pub data: Option<&'a ValidationData>,
    /// The slow part, or why there is none; `None` while the first preparation runs.
    pub prepared: Option<Result<&'a Prepared, &'a OutcomeError>>,
    /// The current weights' outcomes.
    pub current: Option<Result<&'a CurrentOutcomes, &'a OutcomeError>>,
    /// Bootstrap bands of the FP/FN curves, when ready.
    pub bands: Option<&'a Bands>,
    /// Suggested weights, and whether the inputs changed since they were computed.
    pub suggestion: Option<(Result<&'a Suggestion, &'a OutcomeError>, bool)>,
    /// A suggestion is being computed.
    pub suggesting: bool,
    /// Whether the prepared part (baseline, curve, temperature) is for the current inputs; it
    /// lags behind during a drag and while a preparation runs.
    pub prepared_current: bool,
    /// Why the preparation gave nothing (cancelled or failed), until it runs again.
    pub stopped: Option<&'a str>,
}

/// The whole view. The sub-panels change a copy of `settings`; when it differs at the end of
/// the frame, one [`Command::SetOutcomeSettings`] carries every change made in it.
pub fn ui(ui: &mut egui::Ui, view: &View<'_>, settings: &Settings, commands: &mut Vec<Command>) {
    let Some(data) = view.data else {
        ui.heading("Outcomes");
        ui.label(
            "Load your model's outputs on a validation set to see what these weights would do to \
             its decisions: File > Load validation outputs… (Ctrl+L), or drop a file on the window.",
        );
        ui.label(
            "Formats: .npz (numpy savez: an array logits or probabilities, and labels), a .npy of \
             logits with a .npy of labels, .safetensors (the same tensor names), or CSV (a label \
             column and one column per class, named after the preset's classes).",
        );
        return;
    };
    let mut edited = *settings;
    egui::ScrollArea::both()
        .id_salt("outcomes")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            header::ui(ui, data);
            setup::ui(ui, view, &mut edited, commands);
            ui.separator();
            if let Some(reason) = view.stopped {
                ui.horizontal(|ui| {
                    ui.colored_label(ui.visuals().warn_fg_color, reason);
                    if ui.button("Prepare again").clicked() {
                        commands.push(Command::RunAgain(TaskKind::PrepareOutcomes));
                    }
                });
            }
            if !view.prepared_current {
                ui.weak(
                    "Updating the trained-with column, the curves and the temperature for the latest \
                     change…",
                );
            }
            let (prepared, current) = match (view.prepared, view.current) {
                (Some(Ok(prepared)), Some(Ok(current))) => (prepared, current),
                (Some(Err(error)), _) | (_, Some(Err(error))) => {
                    ui.colored_label(ui.visuals().error_fg_color, error.to_string());
                    return;
                }
                _ => {
                    ui.label("Preparing…");
                    return;
                }
            };
            tables::summary_ui(ui, view.preset, prepared, current);
            ui.separator();
            tables::class_table_ui(ui, view.preset, &prepared.baseline, &current.current);
            tables::deployed_ui(ui, view.preset, &prepared.baseline, &current.current);
            ui.separator();
            confusion::ui(ui, view.preset, prepared, current, &mut edited.matrix, commands);
            ui.separator();
            trade::ui(ui, view, prepared, commands);
            ui.separator();
            suggest::ui(ui, view, &mut edited, commands);
        });
    if edited != *settings {
        commands.push(Command::SetOutcomeSettings(edited));
    }
}
