//! Opening and saving presets: the unsaved-changes guard, the file dialogs (run as a
//! background task), the typed path where no dialog can be shown, and the recent files. A save
//! encodes on the UI thread and writes on a task; the document counts as saved once the file
//! is written.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use eframe::egui;

use crate::core::preset::Preset;
use crate::core::preset::file::{encode_preset, load_preset, write_preset};
use crate::dialog::DialogKind;
use crate::ui::dialogs::{self, DialogPurpose, GuardAnswer, PathPrompt, PromptAnswer};

use super::file_flow::{Pending, Written};
use super::state::{Document, remember};
use super::tasks::TaskError;
use super::window::WeightbenchApp;

impl WeightbenchApp {
    /// Runs `pending` now, or first asks whether to save unsaved changes.
    pub(super) fn guarded(&mut self, ctx: &egui::Context, pending: Pending) {
        if self.has_unsaved_changes() {
            self.session.files.guard = Some(pending);
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
                self.set_preset(self.state.document.baseline.clone());
                self.session.files.close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    /// Saves to the current file (or asks for one), then runs `then`.
    pub(super) fn save_then(&mut self, ctx: &egui::Context, then: Option<Pending>) {
        if let Some(path) = self.state.document.path.clone() {
            self.save_to(ctx, &path, then);
        } else {
            self.session.files.after_save = then;
            self.start_dialog(ctx, DialogPurpose::SaveAs);
        }
    }

    /// Encodes the preset and writes it to `path` on a background task; `then` runs once the
    /// file is written ([`Self::poll_saving`]).
    fn save_to(&mut self, ctx: &egui::Context, path: &Path, then: Option<Pending>) {
        // The validation files are stored relative to the preset's folder: saving elsewhere
        // stores them relative to the new one (or absolute), so they are still found.
        let before = self.preset().clone();
        let mut saved = before.clone();
        let old_folder = self.state.document.folder();
        super::loading::restore_paths(&mut saved.validation, old_folder, path.parent());
        let text = match encode_preset(&saved, path) {
            Ok(text) => text,
            Err(error) => {
                self.error(format!("{error:#}; nothing was changed"));
                return;
            }
        };
        let path = path.to_owned();
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        );
        let ctx = ctx.clone();
        self.session.tasks.saving.start(
            "save-preset",
            format!("Saving {name}"),
            Arc::new(move || ctx.request_repaint()),
            move |_| {
                let result = write_preset(&text, &path);
                Some(Written {
                    path,
                    before,
                    saved,
                    then,
                    result,
                })
            },
        );
    }

    /// Takes the save task's answer: the document is saved once its file is written.
    pub(super) fn poll_saving(&mut self, ctx: &egui::Context) {
        let Some(answer) = self.session.tasks.saving.poll() else {
            return;
        };
        let written = match answer {
            Ok(written) => written,
            Err(error) => {
                self.error(format!("Saving failed: {error}; nothing was changed"));
                return;
            }
        };
        if let Err(error) = written.result {
            self.error(format!("{error:#}; nothing was changed"));
            return;
        }
        // Edits made while the file was written stay unsaved changes.
        if *self.preset() == written.before {
            self.set_preset(written.saved.clone());
        }
        let document = &mut self.state.document;
        document.baseline = written.saved;
        document.path = Some(written.path.clone());
        remember(&mut self.state.recent, &written.path);
        self.info(format!("Saved {}", written.path.display()));
        if let Some(pending) = written.then {
            self.proceed(ctx, pending);
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
        let scenarios = preset.scenarios.len();
        self.state.document = Document::opened(preset, path);
        self.session.history.restart();
        self.forget_validation();
        self.session.choices.selected = (scenarios > 0).then_some(0);
        self.session.outputs.remembered_due = true;
    }

    /// Shows a file dialog on a background task; its answer arrives in [`Self::poll_dialog`].
    pub(super) fn start_dialog(&mut self, ctx: &egui::Context, purpose: DialogPurpose) {
        if self.session.tasks.dialog.is_running() {
            return;
        }
        let folder = self.state.document.folder().map(Path::to_owned);
        let kind = match purpose {
            DialogPurpose::Open => DialogKind::Open,
            DialogPurpose::LoadValidation => DialogKind::OpenValidation,
            DialogPurpose::LoadLabels => DialogKind::OpenLabels,
            DialogPurpose::AddRun => DialogKind::OpenRun,
            DialogPurpose::WatchRuns => DialogKind::Folder,
            DialogPurpose::SaveAs => DialogKind::Save {
                file_name: suggested_file_name(&self.state.document),
            },
        };
        let dialogs = Arc::clone(&self.dialogs);
        let ctx = ctx.clone();
        self.session.tasks.dialog.start(
            "file-dialog",
            "Waiting for the file dialog",
            Arc::new(move || ctx.request_repaint()),
            move |_| Some((purpose, dialogs.pick(kind, folder))),
        );
    }

    /// Takes the file dialog's answer, if it has come.
    pub(super) fn poll_dialog(&mut self, ctx: &egui::Context) {
        let Some(answer) = self.session.tasks.dialog.poll() else {
            return;
        };
        let (purpose, outcome) = match answer {
            Ok(answer) => answer,
            Err(TaskError::Cancelled) => {
                self.session.files.after_save = None;
                return;
            }
            Err(error) => {
                self.session.files.after_save = None;
                self.error(format!("No file dialog: {error}"));
                return;
            }
        };
        if let Some(path) = outcome.path {
            self.dialog_answered(ctx, purpose, path);
        } else if outcome.no_dialog_shown() {
            self.error("No file dialog could be shown on this desktop (no portal or zenity); type the path instead");
            self.session.files.prompt = Some(PathPrompt {
                purpose,
                text: suggested_path(&self.state.document, purpose),
                take_focus: true,
            });
        } else {
            self.session.files.after_save = None;
        }
    }

    /// A path chosen in the dialog or typed into the prompt.
    fn dialog_answered(&mut self, ctx: &egui::Context, purpose: DialogPurpose, path: PathBuf) {
        match purpose {
            DialogPurpose::Open => self.open(&path),
            DialogPurpose::LoadValidation => self.load_validation(ctx, path, None),
            DialogPurpose::AddRun => self.add_runs(&[path]),
            DialogPurpose::WatchRuns => self.watch_runs(Some(path)),
            DialogPurpose::LoadLabels => {
                if let Some(scores) = self.session.outputs.waiting_for_labels.take() {
                    self.load_validation(ctx, scores, Some(path));
                }
            }
            DialogPurpose::SaveAs => {
                let path = if path.extension().is_some() {
                    path
                } else {
                    path.with_extension("ron")
                };
                let then = self.session.files.after_save.take();
                self.save_to(ctx, &path, then);
            }
        }
    }

    /// The modal questions: save unsaved changes?, and the typed path.
    pub(super) fn modal_dialogs(&mut self, ctx: &egui::Context) {
        if let Some(pending) = self.session.files.guard.clone() {
            let name = &self.preset().name;
            match dialogs::unsaved_changes_ui(ctx, name, pending.before()) {
                Some(GuardAnswer::Save) => {
                    self.session.files.guard = None;
                    self.save_then(ctx, Some(pending));
                }
                Some(GuardAnswer::Discard) => {
                    self.session.files.guard = None;
                    self.proceed(ctx, pending);
                }
                Some(GuardAnswer::Cancel) => self.session.files.guard = None,
                None => {}
            }
        }
        if let Some(prompt) = &mut self.session.files.prompt {
            match dialogs::path_prompt_ui(ctx, prompt) {
                Some(PromptAnswer::Confirm(path)) => {
                    let purpose = prompt.purpose;
                    self.session.files.prompt = None;
                    self.dialog_answered(ctx, purpose, path);
                }
                Some(PromptAnswer::Cancel) => {
                    self.session.files.prompt = None;
                    self.session.files.after_save = None;
                }
                None => {}
            }
        }
    }

    /// Holds a close request while there are unsaved changes, and asks about them.
    pub(super) fn guard_close(&mut self, ctx: &egui::Context) {
        if ctx.input(|input| input.viewport().close_requested())
            && self.has_unsaved_changes()
            && !self.session.files.close_confirmed
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.session.files.guard = Some(Pending::Quit);
        }
    }
}

fn suggested_file_name(document: &Document) -> String {
    document
        .path
        .as_ref()
        .and_then(|p| p.file_name())
        .map_or_else(
            || "preset.ron".to_owned(),
            |name| name.to_string_lossy().into_owned(),
        )
}

fn suggested_path(document: &Document, purpose: DialogPurpose) -> String {
    let folder = document.folder().map_or_else(
        || std::env::current_dir().unwrap_or_default(),
        Path::to_owned,
    );
    match purpose {
        DialogPurpose::Open
        | DialogPurpose::LoadValidation
        | DialogPurpose::LoadLabels
        | DialogPurpose::AddRun
        | DialogPurpose::WatchRuns => {
            format!("{}/", folder.display())
        }
        DialogPurpose::SaveAs => folder
            .join(suggested_file_name(document))
            .display()
            .to_string(),
    }
}
