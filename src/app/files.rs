//! Opening and saving presets: the unsaved-changes guard, the file dialogs (run as a
//! background task), the typed path where no dialog can be shown, and the recent files.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use eframe::egui;

use crate::core::preset::Preset;
use crate::core::preset::file::{load_preset, save_preset};
use crate::dialog::DialogKind;
use crate::ui::dialogs::{self, DialogPurpose, GuardAnswer, PathPrompt, PromptAnswer};

use super::WeightbenchApp;
use super::state::State;
use super::tasks::TaskError;

/// How many files the "Open recent" menu remembers.
const RECENT_FILES: usize = 8;

/// What waits for the answer to "save unsaved changes?".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    /// Start a new preset.
    New,
    /// Show the open dialog.
    Open,
    /// Open this file.
    OpenPath(PathBuf),
    /// Close the window.
    Quit,
}

impl Pending {
    /// What the guard's question says is about to happen ("before closing").
    fn before(&self) -> &'static str {
        match self {
            Self::New => "starting a new preset",
            Self::Open | Self::OpenPath(_) => "opening another preset",
            Self::Quit => "closing",
        }
    }
}

impl WeightbenchApp {
    /// Runs `pending` now, or first asks whether to save unsaved changes.
    pub(super) fn guarded(&mut self, ctx: &egui::Context, pending: Pending) {
        if self.has_unsaved_changes() {
            self.session.guard = Some(pending);
        } else {
            self.proceed(ctx, pending);
        }
    }

    fn proceed(&mut self, ctx: &egui::Context, pending: Pending) {
        match pending {
            Pending::New => {
                self.replace_document(Preset::blank(), None);
                self.info("Started a new preset");
            }
            Pending::Open => self.start_dialog(ctx, DialogPurpose::Open),
            Pending::OpenPath(path) => self.open(&path),
            Pending::Quit => {
                // Saved or discarded: either way the next launch starts from the file's content.
                self.state.preset = self.state.baseline.clone();
                self.refresh_analysis();
                self.session.close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    /// Saves to the current file (or asks for one), then runs `then`.
    pub(super) fn save_then(&mut self, ctx: &egui::Context, then: Option<Pending>) {
        if let Some(path) = self.state.path.clone() {
            if self.save_to(&path)
                && let Some(pending) = then
            {
                self.proceed(ctx, pending);
            }
        } else {
            self.session.after_save = then;
            self.start_dialog(ctx, DialogPurpose::SaveAs);
        }
    }

    fn save_to(&mut self, path: &Path) -> bool {
        // The validation files are stored relative to the preset's folder: saving elsewhere
        // stores them relative to the new one (or absolute), so they are still found.
        let mut preset = self.state.preset.clone();
        let old_folder = self.state.path.as_ref().and_then(|p| p.parent());
        super::validation::restore_paths(&mut preset.validation, old_folder, path.parent());
        match save_preset(&preset, path) {
            Ok(()) => {
                self.state.preset = preset;
                self.state.baseline = self.state.preset.clone();
                self.state.path = Some(path.to_owned());
                remember(&mut self.state.recent, path);
                self.info(format!("Saved {}", path.display()));
                true
            }
            Err(error) => {
                self.error(format!("{error:#}; nothing was changed"));
                false
            }
        }
    }

    fn open(&mut self, path: &Path) {
        match load_preset(path) {
            Ok(preset) => {
                self.replace_document(preset, Some(path.to_owned()));
                remember(&mut self.state.recent, path);
                self.info(format!("Opened {}", path.display()));
            }
            Err(error) => self.error(format!("{error:#}; the current preset is unchanged")),
        }
    }

    /// A new document: new baseline, fresh undo history, the first scenario selected.
    fn replace_document(&mut self, preset: Preset, path: Option<PathBuf>) {
        self.state.baseline = preset.clone();
        self.state.preset = preset;
        self.state.path = path;
        self.session.undoer = egui::util::undoer::Undoer::default();
        self.session.gesture = None;
        self.forget_validation();
        self.session.selected = (!self.state.preset.scenarios.is_empty()).then_some(0);
        self.session.remembered_validation_due = true;
        self.refresh_analysis();
    }

    /// Shows a file dialog on a background task; its answer arrives in [`Self::poll_dialog`].
    pub(super) fn start_dialog(&mut self, ctx: &egui::Context, purpose: DialogPurpose) {
        if self.session.dialog.is_running() {
            return;
        }
        let folder = self
            .state
            .path
            .as_ref()
            .and_then(|p| p.parent())
            .map(Path::to_owned);
        let kind = match purpose {
            DialogPurpose::Open => DialogKind::Open,
            DialogPurpose::LoadValidation => DialogKind::OpenValidation,
            DialogPurpose::LoadLabels => DialogKind::OpenLabels,
            DialogPurpose::SaveAs => DialogKind::Save {
                file_name: suggested_file_name(&self.state),
            },
        };
        let dialogs = Arc::clone(&self.dialogs);
        let ctx = ctx.clone();
        self.session.dialog.start(
            "file-dialog",
            "Waiting for the file dialog",
            Arc::new(move || ctx.request_repaint()),
            move |_| Some((purpose, dialogs.pick(kind, folder))),
        );
    }

    /// Takes the file dialog's answer, if it has come.
    pub(super) fn poll_dialog(&mut self, ctx: &egui::Context) {
        let Some(answer) = self.session.dialog.poll() else {
            return;
        };
        let (purpose, outcome) = match answer {
            Ok(answer) => answer,
            Err(TaskError::Cancelled) => {
                self.session.after_save = None;
                return;
            }
            Err(error) => {
                self.session.after_save = None;
                self.error(format!("No file dialog: {error}"));
                return;
            }
        };
        if let Some(path) = outcome.path {
            self.dialog_answered(ctx, purpose, path);
        } else if outcome.no_dialog_shown() {
            self.error("No file dialog could be shown on this desktop (no portal or zenity); type the path instead");
            self.session.prompt = Some(PathPrompt {
                purpose,
                text: suggested_path(&self.state, purpose),
                take_focus: true,
            });
        } else {
            self.session.after_save = None;
        }
    }

    /// A path chosen in the dialog or typed into the prompt.
    fn dialog_answered(&mut self, ctx: &egui::Context, purpose: DialogPurpose, path: PathBuf) {
        match purpose {
            DialogPurpose::Open => self.open(&path),
            DialogPurpose::LoadValidation => self.load_validation(ctx, path, None),
            DialogPurpose::LoadLabels => {
                if let Some(scores) = self.session.scores_waiting_for_labels.take() {
                    self.load_validation(ctx, scores, Some(path));
                }
            }
            DialogPurpose::SaveAs => {
                let path = if path.extension().is_some() {
                    path
                } else {
                    path.with_extension("ron")
                };
                let then = self.session.after_save.take();
                if self.save_to(&path)
                    && let Some(pending) = then
                {
                    self.proceed(ctx, pending);
                }
            }
        }
    }

    /// The modal questions: save unsaved changes?, and the typed path.
    pub(super) fn modal_dialogs(&mut self, ctx: &egui::Context) {
        if let Some(pending) = self.session.guard.clone() {
            let name = &self.state.preset.name;
            match dialogs::unsaved_changes_ui(ctx, name, pending.before()) {
                Some(GuardAnswer::Save) => {
                    self.session.guard = None;
                    self.save_then(ctx, Some(pending));
                }
                Some(GuardAnswer::Discard) => {
                    self.session.guard = None;
                    self.proceed(ctx, pending);
                }
                Some(GuardAnswer::Cancel) => self.session.guard = None,
                None => {}
            }
        }
        if let Some(prompt) = &mut self.session.prompt {
            match dialogs::path_prompt_ui(ctx, prompt) {
                Some(PromptAnswer::Confirm(path)) => {
                    let purpose = prompt.purpose;
                    self.session.prompt = None;
                    self.dialog_answered(ctx, purpose, path);
                }
                Some(PromptAnswer::Cancel) => {
                    self.session.prompt = None;
                    self.session.after_save = None;
                }
                None => {}
            }
        }
    }

    /// Holds a close request while there are unsaved changes, and asks about them.
    pub(super) fn guard_close(&mut self, ctx: &egui::Context) {
        if ctx.input(|input| input.viewport().close_requested())
            && self.has_unsaved_changes()
            && !self.session.close_confirmed
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.session.guard = Some(Pending::Quit);
        }
    }
}

/// Puts `path` first in the recent files.
pub(super) fn remember(recent: &mut Vec<PathBuf>, path: &Path) {
    recent.retain(|p| p != path);
    recent.insert(0, path.to_owned());
    recent.truncate(RECENT_FILES);
}

fn suggested_file_name(state: &State) -> String {
    state.path.as_ref().and_then(|p| p.file_name()).map_or_else(
        || "preset.ron".to_owned(),
        |name| name.to_string_lossy().into_owned(),
    )
}

fn suggested_path(state: &State, purpose: DialogPurpose) -> String {
    let folder = state.path.as_ref().and_then(|p| p.parent()).map_or_else(
        || std::env::current_dir().unwrap_or_default(),
        Path::to_owned,
    );
    match purpose {
        DialogPurpose::Open | DialogPurpose::LoadValidation | DialogPurpose::LoadLabels => {
            format!("{}/", folder.display())
        }
        DialogPurpose::SaveAs => folder
            .join(suggested_file_name(state))
            .display()
            .to_string(),
    }
}
