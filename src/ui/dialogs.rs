//! Modal questions: save unsaved changes?, and a typed path where no file dialog exists.

use std::path::PathBuf;

use eframe::egui;

/// What a file dialog (or the typed path that replaces it) is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogPurpose {
    /// Open a preset.
    Open,
    /// Save the preset to a new file.
    SaveAs,
    /// Load validation outputs.
    LoadValidation,
    /// Choose the labels for a `.npy` of scores.
    LoadLabels,
    /// Add a run file.
    AddRun,
    /// Choose a folder of runs to watch.
    WatchRuns,
}

/// A path typed by hand, where no file dialog could be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathPrompt {
    /// What the path is for.
    pub purpose: DialogPurpose,
    /// The text typed so far.
    pub text: String,
    /// The field should take the keyboard (true when the prompt opens).
    pub take_focus: bool,
}

/// The answer to "save unsaved changes?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuardAnswer {
    /// Save, then go on.
    Save,
    /// Go on without saving.
    Discard,
    /// Do not go on.
    Cancel,
}

/// The answer to the typed-path prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PromptAnswer {
    /// Use this path.
    Confirm(PathBuf),
    /// Give up.
    Cancel,
}

/// Asks whether to save `preset_name` before what waits for the answer (`before`: "closing",
/// "opening another preset"); `None` while undecided.
#[must_use]
pub fn unsaved_changes_ui(
    ctx: &egui::Context,
    preset_name: &str,
    before: &str,
) -> Option<GuardAnswer> {
    let mut answer = None;
    let modal = egui::Modal::new(egui::Id::unique("unsaved_changes")).show(ctx, |ui| {
        ui.heading("Unsaved changes");
        ui.label(format!(
            "Save the changes to \"{preset_name}\" before {before}?"
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let focused = ui.memory(egui::Memory::focused);
            let save = ui.button("Save");
            let discard = ui.button("Discard changes");
            let cancel = ui.button("Cancel");
            // The question takes the keyboard (Save, which loses nothing, first), so a screen
            // reader announces it and typing cannot reach the window behind it. Tab then
            // cycles through the three buttons (from the last, egui gives the first the
            // keyboard the frame after).
            if ![&save, &discard, &cancel]
                .iter()
                .any(|button| focused == Some(button.id))
            {
                save.request_focus();
            }
            if save.clicked() {
                answer = Some(GuardAnswer::Save);
            }
            if discard.clicked() {
                answer = Some(GuardAnswer::Discard);
            }
            if cancel.clicked() {
                answer = Some(GuardAnswer::Cancel);
            }
        });
    });
    if modal.should_close() && answer.is_none() {
        answer = Some(GuardAnswer::Cancel);
    }
    answer
}

/// A path field that stands in for the file dialog; `None` while the user types.
#[must_use]
pub fn path_prompt_ui(ctx: &egui::Context, prompt: &mut PathPrompt) -> Option<PromptAnswer> {
    let (heading, confirm, what, example) = match prompt.purpose {
        DialogPurpose::Open => (
            "Open preset",
            "Open",
            "the .ron file",
            "/path/to/preset.ron",
        ),
        DialogPurpose::SaveAs => (
            "Save preset as",
            "Save",
            "the .ron file",
            "/path/to/preset.ron",
        ),
        DialogPurpose::LoadValidation => (
            "Load validation outputs",
            "Load",
            "the .npz, .npy, .safetensors or .csv file",
            "/path/to/validation.npz",
        ),
        DialogPurpose::LoadLabels => (
            "Labels for the scores",
            "Load",
            "the labels .npy file",
            "/path/to/labels.npy",
        ),
        DialogPurpose::AddRun => (
            "Add a run",
            "Add",
            "the run file (.npz or .safetensors with class_weights)",
            "/path/to/run.npz",
        ),
        DialogPurpose::WatchRuns => (
            "Watch a folder of runs",
            "Watch",
            "the folder",
            "/path/to/runs/",
        ),
    };
    let mut answer = None;
    let modal = egui::Modal::new(egui::Id::unique("path_prompt")).show(ctx, |ui| {
        ui.heading(heading);
        ui.label(format!(
            "No file dialog could be shown on this desktop. Type the path of {what}:"
        ));
        let field = ui.add(
            egui::TextEdit::singleline(&mut prompt.text)
                .desired_width(420.0)
                .hint_text(example),
        );
        let field = field.accessible_name(match prompt.purpose {
            DialogPurpose::Open | DialogPurpose::SaveAs => "preset path",
            DialogPurpose::LoadValidation => "validation file path",
            DialogPurpose::LoadLabels => "labels file path",
            DialogPurpose::AddRun => "run file path",
            DialogPurpose::WatchRuns => "runs folder path",
        });
        if prompt.take_focus {
            // The field is the only thing to type into: take the keyboard when the prompt opens.
            field.request_focus();
            prompt.take_focus = false;
        }
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.horizontal(|ui| {
            let has_text = !prompt.text.trim().is_empty();
            if ui
                .add_enabled(has_text, egui::Button::new(confirm))
                .clicked()
                || (entered && has_text)
            {
                answer = Some(PromptAnswer::Confirm(PathBuf::from(prompt.text.trim())));
            }
            if ui.button("Cancel").clicked() {
                answer = Some(PromptAnswer::Cancel);
            }
        });
    });
    if modal.should_close() && answer.is_none() {
        answer = Some(PromptAnswer::Cancel);
    }
    answer
}
