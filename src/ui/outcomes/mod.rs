//! The Outcomes view: what the current weights would do to the user's model on their own
//! validation outputs, previewed by the logit shift `ln(w / w_old)`, beside what the weights
//! it was trained with do; the FP/FN trade along the debris weight with bootstrap bands; and
//! suggested weights.
//!
//! One file per sub-panel, each a pane of the *Your model* workspace; every number they show comes computed from the core
//! ([`crate::core::outcomes::compared`], [`crate::core::outcomes::shares`]). A change of
//! the view's [`Settings`] is a [`Command::SetOutcomeSettings`], never an edit in place.

mod confusion;
pub mod costs;
mod header;
pub mod runs;
pub mod settings;
mod setup;
mod suggest;
mod tables;
mod trade;

use eframe::egui;

use crate::command::{Action, Command, TaskKind};
use crate::core::outcomes::bootstrap::Bands;
use crate::core::outcomes::data::ValidationData;
use crate::core::outcomes::setup::OutcomeError;
use crate::core::outcomes::tune::Suggestion;
use crate::core::outcomes::view::{CurrentOutcomes, Prepared};
use crate::core::preset::Preset;
use crate::ui::layout;

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
    /// The current outcomes: the current weights', or with the decision by cost the cost
    /// rule's metrics in their place (see `by_cost`).
    pub current: Option<Result<&'a CurrentOutcomes, &'a OutcomeError>>,
    /// Whether `current` holds the cost rule's decisions.
    pub by_cost: bool,
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
    /// The user's runs (retrains).
    pub runs: runs::RunsShown<'a>,
    /// The costs' outcomes and the closest weights.
    pub costs: costs::CostsShown<'a>,
}

/// What to do before the user's outputs are loaded, in a pane of the workspace.
fn not_loaded_ui(ui: &mut egui::Ui, commands: &mut Vec<Command>) {
    ui.label(
        "Load your model's outputs on a validation set to see what these weights would do to \
         its decisions: File > Load validation outputs… (Ctrl+L), or drop a file on the window.",
    );
    if ui.button("Load validation outputs…").clicked() {
        commands.push(Command::Action(Action::LoadValidation));
    }
}

/// The prepared part and the current outcomes, or (said in the pane) why there are none yet.
fn ready<'a>(ui: &mut egui::Ui, view: &View<'a>) -> Option<(&'a Prepared, &'a CurrentOutcomes)> {
    match (view.prepared, view.current) {
        (Some(Ok(prepared)), Some(Ok(current))) => Some((prepared, current)),
        (Some(Err(error)), _) | (_, Some(Err(error))) => {
            ui.colored_label(ui.visuals().error_fg_color, error.to_string());
            None
        }
        _ => {
            ui.label(view.stopped.unwrap_or("Preparing…"));
            None
        }
    }
}

/// A pane's contents in a scroll area both ways (nothing is cut off without a scrollbar);
/// the settings changed on a copy become one [`Command::SetOutcomeSettings`].
fn pane(
    ui: &mut egui::Ui,
    id: &str,
    settings: &Settings,
    commands: &mut Vec<Command>,
    add_contents: impl FnOnce(&mut egui::Ui, &mut Settings, &mut Vec<Command>),
) {
    let mut edited = *settings;
    egui::ScrollArea::both()
        .id_salt(id)
        .auto_shrink([false, false])
        .show(ui, |ui| add_contents(ui, &mut edited, commands));
    if edited != *settings {
        commands.push(Command::SetOutcomeSettings(edited));
    }
}

/// The outputs loaded, how they are read (prior correction, temperature) and the summary of
/// what the current weights change.
pub fn setup_ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    settings: &Settings,
    commands: &mut Vec<Command>,
) {
    pane(
        ui,
        "outcome summary",
        settings,
        commands,
        |ui, edited, commands| {
            let Some(data) = view.data else {
                ui.heading("Your model");
                not_loaded_ui(ui, commands);
                ui.label(
                "Formats: .npz (numpy savez: an array logits or probabilities, and labels), a .npy of \
                 logits with a .npy of labels, .safetensors (the same tensor names), or CSV (a label \
                 column and one column per class, named after the preset's classes).",
            );
                return;
            };
            header::ui(ui, data);
            setup::ui(ui, view, edited, commands);
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
            if let Some((prepared, current)) = ready(ui, view) {
                let drawn = ui.scope(|ui| {
                    tables::summary_ui(ui, view.preset, prepared, (current, view.by_cost));
                });
                layout::table(ui, "summary", drawn.response.rect, true);
            }
        },
    );
}

/// The FP/FN trade along the debris weight: the workspace's answer, filling its pane. With
/// runs and no validation outputs loaded, it shows the runs and the estimate alone.
pub fn trade_ui(ui: &mut egui::Ui, view: &View<'_>, commands: &mut Vec<Command>) {
    if view.data.is_none() {
        if view.runs.view.is_some() {
            trade::ui(ui, view, None, commands);
            return;
        }
        ui.heading("FP/FN trade along the debris weight");
        not_loaded_ui(ui, commands);
        ui.label(
            "Or add your retrains (Runs pane, Ctrl+Shift+L, or drop several run files on the \
             window) to see the estimate between them.",
        );
        return;
    }
    if let Some((prepared, _)) = ready(ui, view) {
        trade::ui(ui, view, Some(prepared), commands);
    }
}

/// The user's runs, the estimate's reliability on them and where to retrain next.
pub fn runs_ui(ui: &mut egui::Ui, view: &View<'_>, commands: &mut Vec<Command>) {
    egui::ScrollArea::vertical()
        .id_salt("runs pane")
        .auto_shrink([false, false])
        .show(ui, |ui| runs::ui(ui, view.preset, &view.runs, commands));
}

/// A pane that shows the prepared outcomes: before the outputs are loaded it says how to load
/// them, and until they are prepared why there is nothing yet.
fn prepared_pane(
    ui: &mut egui::Ui,
    id: &str,
    view: &View<'_>,
    settings: &Settings,
    commands: &mut Vec<Command>,
    add_contents: impl FnOnce(
        &mut egui::Ui,
        &mut Settings,
        &mut Vec<Command>,
        &Prepared,
        &CurrentOutcomes,
    ),
) {
    pane(ui, id, settings, commands, |ui, edited, commands| {
        if view.data.is_none() {
            not_loaded_ui(ui, commands);
            return;
        }
        if let Some((prepared, current)) = ready(ui, view) {
            add_contents(ui, edited, commands, prepared, current);
        }
    });
}

/// A table drawn by `add_table`, recorded for the layout report as `name`.
fn table(ui: &mut egui::Ui, name: &str, add_table: impl FnOnce(&mut egui::Ui)) {
    let drawn = ui.scope(add_table);
    layout::table(ui, name, drawn.response.rect, true);
}

/// Recall, precision and errors per class, now and with the trained-with weights, and at the
/// deployment prior.
pub fn per_class_ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    settings: &Settings,
    commands: &mut Vec<Command>,
) {
    let id = "outcomes per class";
    prepared_pane(
        ui,
        id,
        view,
        settings,
        commands,
        |ui, _, _, prepared, current| {
            let (preset, baseline, now) = (view.preset, &prepared.baseline, &current.current);
            if view.by_cost {
                ui.weak("Decided by the least expected cost (the Costs pane), beside the trained-with weights.");
            }
            table(ui, "per class", |ui| {
                tables::class_table_ui(ui, preset, baseline, now);
            });
            table(ui, "deployed", |ui| {
                tables::deployed_ui(ui, preset, baseline, now);
            });
        },
    );
}

/// The confusion matrix of the current weights (or the change from the trained-with ones).
pub fn confusion_ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    settings: &Settings,
    commands: &mut Vec<Command>,
) {
    prepared_pane(
        ui,
        "confusion",
        view,
        settings,
        commands,
        |ui, edited, commands, prepared, current| {
            table(ui, "confusion", |ui| {
                confusion::ui(
                    ui,
                    view.preset,
                    prepared,
                    (current, view.by_cost),
                    &mut edited.matrix,
                    commands,
                );
            });
        },
    );
}

/// What each mistake costs, the decision by it, and the weights closest to it.
pub fn costs_ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    settings: &Settings,
    commands: &mut Vec<Command>,
) {
    pane(ui, "costs", settings, commands, |ui, edited, commands| {
        let prepared = match view.prepared {
            Some(Ok(prepared)) if view.data.is_some() => Some(prepared),
            _ => None,
        };
        costs::ui(ui, view, prepared, edited, commands);
    });
}

/// Weights suggested for an objective.
pub fn suggestions_ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    settings: &Settings,
    commands: &mut Vec<Command>,
) {
    prepared_pane(
        ui,
        "suggestions",
        view,
        settings,
        commands,
        |ui, edited, commands, _, _| {
            suggest::ui(ui, view, edited, commands);
        },
    );
}
