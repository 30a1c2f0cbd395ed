//! Files through the app: validation outputs loaded (and cancelled), presets saved, opened
//! and started anew, each behind its file dialog (scripted) and the unsaved-changes question
//! (answered by clicking), and checked against the files themselves.

use std::path::{Path, PathBuf};

use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use weightbench::command::{Action, Command, TaskKind};
use weightbench::core::{Preset, load_preset, preset_to_ron};

use super::{Driver, repo};
use crate::checks::same_preset;
use crate::history::History;
use crate::mix::{Guard, LoadHow, OpenWhat, SaveHow};

impl Driver {
    /// Loads validation outputs as `how` says; only a load that finishes may change the
    /// preset, and only its validation block, as one undo step.
    pub(super) fn load(&mut self, file: &Path, how: LoadHow) {
        let labels = (file.extension().and_then(|e| e.to_str()) == Some("npy"))
            .then(|| repo("tests/data/labels_i64.npy"));
        let before = self.app().preset().clone();
        match how {
            LoadHow::Dialog | LoadHow::Drop => {
                if how == LoadHow::Dialog {
                    self.dialogs.answer(file);
                }
                if let Some(labels) = &labels {
                    self.dialogs.answer(labels);
                }
                if how == LoadHow::Dialog {
                    self.apply(Command::Action(Action::LoadValidation));
                } else {
                    self.apply(Command::OpenPath(file.to_owned()));
                }
                self.wait(&[TaskKind::FileDialog, TaskKind::LoadValidation]);
                self.app_changed("loading validation outputs", None);
            }
            LoadHow::DialogCancelled => {
                self.apply(Command::Action(Action::LoadValidation));
                self.wait(&[TaskKind::FileDialog]);
                same_preset(
                    self.app().preset(),
                    &before,
                    "a cancelled dialog loads nothing",
                );
            }
            LoadHow::NoDialog => {
                self.dialogs.no_dialog();
                self.apply(Command::Action(Action::LoadValidation));
                self.wait(&[TaskKind::FileDialog]);
                self.harness.run_ok();
                // The typed-path prompt stands in for the dialog; Escape closes it.
                self.press(Modifiers::NONE, Key::Escape);
                self.frames();
                same_preset(
                    self.app().preset(),
                    &before,
                    "a closed prompt loads nothing",
                );
            }
            LoadHow::CancelledAtOnce => {
                // A .npy asks for its labels first: that dialog is cancelled instead.
                if let Some(labels) = &labels {
                    self.dialogs.answer(labels);
                }
                self.apply(Command::OpenPath(file.to_owned()));
                self.apply(Command::Cancel(TaskKind::LoadValidation));
                self.apply(Command::Cancel(TaskKind::FileDialog));
                self.wait(&[TaskKind::FileDialog, TaskKind::LoadValidation]);
                same_preset(
                    self.app().preset(),
                    &before,
                    "a cancelled load changes nothing",
                );
            }
        }
    }

    /// Saves through the app; the file then holds the preset shown, nothing is unsaved.
    pub(super) fn save(&mut self, how: SaveHow) {
        let before = self.app().preset().clone();
        let had_path = self.app().state().document.path.clone();
        let target = match how {
            SaveHow::SaveAs => {
                let path = self.new_file("saved");
                self.dialogs.answer(&path);
                self.apply(Command::Action(Action::SaveAs));
                path
            }
            SaveHow::Save => {
                let path = had_path.clone().unwrap_or_else(|| self.new_file("saved"));
                if had_path.is_none() {
                    self.dialogs.answer(&path);
                }
                self.press(Modifiers::COMMAND, Key::S);
                path
            }
            SaveHow::Failing => {
                let unsaved = self.app().has_unsaved_changes();
                let path = self.dir.path().join("no such folder/preset.ron");
                self.dialogs.answer(&path);
                self.apply(Command::Action(Action::SaveAs));
                self.wait(&[TaskKind::FileDialog, TaskKind::SavePreset]);
                let app = self.app();
                assert!(
                    app.notice().is_some_and(|n| n.is_error),
                    "the failure is told"
                );
                assert_eq!(
                    app.state().document.path,
                    had_path,
                    "the file is still the old one"
                );
                assert_eq!(app.has_unsaved_changes(), unsaved);
                same_preset(app.preset(), &before, "a failed save changes nothing");
                return;
            }
        };
        self.wait(&[TaskKind::FileDialog, TaskKind::SavePreset]);
        self.check_saved(&target, &before);
    }

    /// After a save to `path`: the preset unchanged and in the file, nothing unsaved.
    fn check_saved(&mut self, path: &Path, before: &Preset) {
        let app = self.app();
        same_preset(app.preset(), before, "saving does not change the preset");
        assert_eq!(
            app.state().document.path.as_deref(),
            Some(path),
            "the preset's file"
        );
        assert!(!app.has_unsaved_changes(), "nothing unsaved after a save");
        assert!(!app.title().starts_with('*'), "{}", app.title());
        same_preset(
            &load_preset(path).unwrap(),
            before,
            "the file holds the preset",
        );
        self.saved = Some(path.to_owned());
        self.stats.saves += 1;
    }

    /// Runs a File menu action that replaces the preset (New, Open…) the way the user would:
    /// with the unsaved-changes question, if asked, answered `guard`; `then` scripts the
    /// answer of the open dialog, after the Save As that a Save may need. Whether the action
    /// went ahead.
    fn guarded(&mut self, action: Action, guard: Guard, then: Option<&Path>) -> bool {
        let before = self.app().preset().clone();
        let asked = self.app().has_unsaved_changes();
        let mut saved_to = None;
        if asked && guard == Guard::Save {
            let path = self.app().state().document.path.clone();
            let target = path.clone().unwrap_or_else(|| self.new_file("saved"));
            if path.is_none() {
                self.dialogs.answer(&target);
            }
            saved_to = Some(target);
        }
        if let Some(then) = then {
            self.dialogs.answer(then);
        }
        self.apply(Command::Action(action));
        if asked {
            // A modal fades in: its buttons are there once the window settles.
            self.harness.run_ok();
            match guard {
                Guard::Save => self.harness.get_by_label("Save").click(),
                Guard::Discard => self.harness.get_by_label("Discard changes").click(),
                Guard::Cancel => self.harness.key_press(Key::Escape),
            }
            self.harness.step();
        }
        self.wait(&[
            TaskKind::FileDialog,
            TaskKind::SavePreset,
            TaskKind::LoadValidation,
        ]);
        if asked && guard == Guard::Cancel {
            // The dialog never came.
            self.dialogs.0.lock().unwrap().clear();
            same_preset(
                self.app().preset(),
                &before,
                "a cancelled question changes nothing",
            );
            assert!(
                self.app().has_unsaved_changes(),
                "and the changes stay unsaved"
            );
            return false;
        }
        if let Some(target) = saved_to {
            same_preset(
                &load_preset(&target).unwrap(),
                &before,
                "saved before going on",
            );
            self.saved = Some(target);
            self.stats.saves += 1;
        }
        true
    }

    /// File > Open…, answered with the file `what` names.
    pub(super) fn open(&mut self, what: &OpenWhat, guard: Guard) {
        let before = self.app().preset().clone();
        let file = match what {
            OpenWhat::Saved => self
                .saved
                .clone()
                .unwrap_or_else(|| self.dir.path().join("notebook.ron")),
            OpenWhat::Notebook => self.dir.path().join("notebook.ron"),
            OpenWhat::WithValidation => self.dir.path().join("notebook-validation.ron"),
            OpenWhat::Generated => self.generated(),
            OpenWhat::Broken => self.dir.path().join("broken.ron"),
            OpenWhat::Missing => self.dir.path().join("missing.ron"),
            OpenWhat::Cancelled => PathBuf::new(),
        };
        let answer = (*what != OpenWhat::Cancelled).then_some(file.as_path());
        if self.guarded(Action::Open, guard, answer) {
            self.opened(what, &file, &before);
        }
    }

    /// After File > Open…: the file's preset with a fresh history, or nothing changed.
    fn opened(&mut self, what: &OpenWhat, file: &Path, before: &Preset) {
        match what {
            OpenWhat::Broken | OpenWhat::Missing => {
                let app = self.app();
                same_preset(
                    app.preset(),
                    before,
                    "a file that is not a preset is refused",
                );
                assert!(
                    app.notice().is_some_and(|n| n.is_error),
                    "and the refusal told"
                );
            }
            OpenWhat::Cancelled => {
                same_preset(
                    self.app().preset(),
                    before,
                    "a cancelled open changes nothing",
                );
            }
            _ => {
                let expected = load_preset(file).unwrap();
                let opened = self.app().preset().clone();
                // The preset's remembered validation file has loaded by now (waited for).
                let mut without = opened.clone();
                without.validation = expected.validation.clone();
                same_preset(&without, &expected, "the file's preset is shown");
                assert_eq!(self.app().state().document.path.as_deref(), Some(file));
                self.history = History::new(expected);
                self.app_changed("the remembered validation file", None);
                self.stats.opens += 1;
            }
        }
        self.frames();
    }

    /// File > New preset: the blank preset, without data, with a fresh history.
    pub(super) fn new_preset(&mut self, guard: Guard) {
        if !self.guarded(Action::New, guard, None) {
            return;
        }
        let app = self.app();
        same_preset(
            app.preset(),
            &Preset::blank(),
            "New starts from the blank preset",
        );
        assert!(app.validation().is_none(), "without the old preset's data");
        assert!(!app.can_undo() && !app.can_redo(), "with a fresh history");
        self.history = History::new(Preset::blank());
    }

    /// Save as a new file, then open it through the app: the very same preset.
    pub(super) fn round_trip(&mut self) {
        let before = self.app().preset().clone();
        let path = self.new_file("round-trip");
        self.dialogs.answer(&path);
        self.apply(Command::Action(Action::SaveAs));
        self.wait(&[TaskKind::FileDialog, TaskKind::SavePreset]);
        self.check_saved(&path, &before);
        self.dialogs.answer(&path);
        self.apply(Command::Action(Action::Open));
        self.wait(&[TaskKind::FileDialog, TaskKind::LoadValidation]);
        assert_eq!(
            self.app().state().document.path.as_deref(),
            Some(path.as_path())
        );
        // Opened as saved; the validation file it remembers, loaded as it opens, may then pin
        // the trained-with weights as a step of its own (undone, it gives `before` exactly).
        self.history = History::new(before);
        self.app_changed("the remembered validation file", None);
        self.stats.opens += 1;
        self.frames();
    }

    /// A preset file with another sweep range and loss (no edit changes those): the notebook
    /// with a random-looking but valid range, written to the soak's folder.
    fn generated(&mut self) -> PathBuf {
        let n = self.files_written;
        let mut preset = Preset::starting();
        preset.name = format!("generated {n}");
        preset.sweep.from = (n % 7) as f64 * 0.25;
        preset.sweep.to = preset.sweep.from + 0.5 + (n % 5) as f64;
        preset.sweep.steps = 2 + (n * 37) % 400;
        preset.loss.logit_adjustment = (n % 3) as f64 * 0.5;
        preset.loss.label_smoothing = if n.is_multiple_of(2) { 0.1 } else { 0.0 };
        preset.validate().unwrap();
        let path = self.new_file("generated");
        std::fs::write(&path, preset_to_ron(&preset).unwrap()).unwrap();
        path
    }
}
