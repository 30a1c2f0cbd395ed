//! The window under the soak: commands go in as the panels and menus send them (the app's
//! `apply`, key presses, clicks on its modal questions), frames run so background work is
//! polled and every panel shown is laid out, and each op's effect is checked against what
//! it should do.

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use weightbench::app::{State, WeightbenchApp};
use weightbench::command::{Action, Command, TaskKind, Workspace};
use weightbench::core::Edit;
use weightbench::dialog::{DialogKind, DialogOutcome, FileDialogs};
use weightbench::ui::simulator::Settings as SimulatorSettings;

mod files;
mod runs;

use crate::checks::same_preset;
use crate::history::History;
use crate::mix::{Op, Scene};

/// File dialogs that answer from a script; an unscripted dialog is cancelled by the user.
#[derive(Clone, Default)]
pub struct ScriptedDialogs(Arc<Mutex<VecDeque<DialogOutcome>>>);

impl ScriptedDialogs {
    /// The next dialog answers `path`.
    pub fn answer(&self, path: &Path) {
        self.0.lock().unwrap().push_back(DialogOutcome {
            path: Some(path.to_owned()),
            elapsed: Duration::from_secs(2),
        });
    }

    /// The next dialog answers nothing at once: none could be shown.
    pub fn no_dialog(&self) {
        self.0.lock().unwrap().push_back(DialogOutcome {
            path: None,
            elapsed: Duration::ZERO,
        });
    }

    /// Whether answers are still waiting for their dialogs.
    pub fn pending(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

impl FileDialogs for ScriptedDialogs {
    fn pick(&self, _kind: DialogKind, _folder: Option<PathBuf>) -> DialogOutcome {
        self.0.lock().unwrap().pop_front().unwrap_or(DialogOutcome {
            path: None,
            elapsed: Duration::from_secs(3),
        })
    }
}

/// What the soak counted, for its report.
#[derive(Default)]
pub struct Stats {
    /// Ops done, by kind.
    pub ops: BTreeMap<&'static str, usize>,
    /// Edits accepted.
    pub accepted: usize,
    /// Edits refused (each left the preset as it was, with an error notice).
    pub refused: usize,
    /// Of those, edits bad on purpose.
    pub refused_on_purpose: usize,
    /// Walks through the whole undo history and back.
    pub walks: usize,
    /// Of those, walks that stopped at the cap rather than at the document's first preset.
    pub capped_walks: usize,
    /// The most undo steps walked at once.
    pub deepest_walk: usize,
    /// Simulations whose curves were checked.
    pub simulations: usize,
    /// Steps at which prepared outcomes were checked.
    pub outcomes: usize,
    /// Saves through the app checked against the file written.
    pub saves: usize,
    /// Presets opened through the app and checked against their file.
    pub opens: usize,
    /// Runs added (dropped, through the dialog, or a folder watched) and checked.
    pub runs: usize,
    /// Texts of the accessibility tree read.
    pub labels: usize,
    /// Simulations still running after 20 s, cancelled.
    pub slow_simulations: usize,
    /// Steps at which a loss overflowed, and the views said so.
    pub overflows: usize,
    /// Outcomes check boxes not found to click.
    pub missing_toggles: usize,
    /// Time spent, by what it was spent on.
    pub time: BTreeMap<&'static str, Duration>,
}

/// The window, its scripted dialogs, the history it should have, and the soak's files.
pub struct Driver {
    /// The window.
    pub harness: Harness<'static, WeightbenchApp>,
    dialogs: ScriptedDialogs,
    /// The undo history the window should have.
    pub history: History,
    /// Where the soak saves and finds its presets.
    dir: tempfile::TempDir,
    /// Validation files to load.
    pub validation_files: Vec<PathBuf>,
    /// The last file saved, if any.
    saved: Option<PathBuf>,
    files_written: usize,
    /// What happened, for the report.
    pub stats: Stats,
    /// The error notice of the last refused edit, which may quote a bad value; the status
    /// bar shows it until another notice replaces it.
    pub refusal: Option<String>,
}

/// Small and quick simulations: a debug build trains a few hundred samples in well under a
/// second.
fn small_state() -> State {
    State {
        simulator: SimulatorSettings {
            samples: 100,
            seeds: 1,
            ..SimulatorSettings::default()
        },
        ..State::default()
    }
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

impl Driver {
    /// The window as it opens, on the notebook, with small simulator settings.
    pub fn new() -> Self {
        let dialogs = ScriptedDialogs::default();
        let app = WeightbenchApp::new(small_state(), Arc::new(dialogs.clone()));
        // Names are free text: characters the bundled fonts lack draw as boxes, as in the app
        // (where tofu is egui's default), rather than failing the harness.
        let harness = Harness::builder()
            .with_size(egui::vec2(1600.0, 1000.0))
            .allow_missing_glyphs()
            .build_eframe(|_| app);
        let dir = tempfile::tempdir().unwrap();
        // The soak saves to the files it opens, so it opens copies, never the repository's.
        // The preset that remembers its validation file has it beside it, as in presets/:
        // saved again in the same folder, its relative path stays as it is.
        for name in [
            "notebook.ron",
            "notebook-validation.ron",
            "validation-example.npz",
        ] {
            std::fs::copy(repo(&format!("presets/{name}")), dir.path().join(name)).unwrap();
        }
        std::fs::write(dir.path().join("broken.ron"), "(version: 1, classes: [oops").unwrap();
        let validation_files = [
            "presets/validation-example.npz",
            "presets/validation-example.npz",
            "tests/data/stored.npz",
            "tests/data/probabilities.npz",
            "tests/data/no_labels.npz",
            "tests/data/logits_f64.npy",
            "tests/data/header_shuffled.csv",
        ]
        .into_iter()
        .map(repo)
        .collect();
        let history = History::new(harness.state().preset().clone());
        let mut driver = Self {
            harness,
            dialogs,
            history,
            dir,
            validation_files,
            saved: None,
            files_written: 0,
            stats: Stats::default(),
            refusal: None,
        };
        driver.frames();
        driver
    }

    /// What the generator may look at.
    pub fn scene(&self) -> Scene<'_> {
        let app = self.harness.state();
        Scene {
            preset: app.preset(),
            validation_loaded: app.validation().is_some(),
            validation_files: &self.validation_files,
        }
    }

    /// The app under the soak.
    fn app(&self) -> &WeightbenchApp {
        self.harness.state()
    }

    /// Applies a command as the app applies what its panels emitted.
    fn apply(&mut self, command: Command) {
        let ctx = self.harness.ctx.clone();
        self.harness.state_mut().apply(&ctx, command);
    }

    /// Runs a frame, as the window does after each input: the panels are laid out anew, the
    /// background work polled, and kittest checks that every widget has a name. The gesture
    /// under way ends with the frame when nothing is held or focused, as in the app.
    pub fn frames(&mut self) {
        self.harness.step();
        self.harness.check_accessibility();
        let ctx = &self.harness.ctx;
        let settled = ctx.input(|input| !input.pointer.any_down())
            && ctx.memory(|memory| memory.focused().is_none());
        if settled {
            self.history.frame_ended();
        }
    }

    /// Runs frames until none of `tasks` runs; fails after a minute rather than hanging.
    fn wait(&mut self, tasks: &[TaskKind]) {
        assert!(
            self.wait_at_most(tasks, Duration::from_mins(1)),
            "{tasks:?} still running after a minute"
        );
    }

    /// Runs frames until none of `tasks` runs, or `budget` has passed; whether they ended.
    fn wait_at_most(&mut self, tasks: &[TaskKind], budget: Duration) -> bool {
        let start = Instant::now();
        // Idle twice in a row: work that a finished task starts (a preset's remembered
        // validation file, once it is open) starts on the frame after.
        let mut idle = 0;
        while idle < 2 {
            self.harness.step();
            let running = tasks.iter().any(|&task| self.app().is_running(task));
            idle = if running { 0 } else { idle + 1 };
            if start.elapsed() > budget {
                return false;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        self.frames();
        true
    }

    /// Presses a key, as the user does, and runs the frames that read it.
    fn press(&mut self, modifiers: Modifiers, key: Key) {
        self.harness.key_press_modifiers(modifiers, key);
        self.harness.step();
    }

    /// A path in the soak's folder that no file has yet.
    fn new_file(&mut self, stem: &str) -> PathBuf {
        self.files_written += 1;
        self.dir
            .path()
            .join(format!("{stem}-{}.ron", self.files_written))
    }

    /// Does `op` and checks what it alone should have done.
    pub fn perform(&mut self, op: &Op) {
        *self.stats.ops.entry(op_name(op)).or_default() += 1;
        match op {
            Op::Edit { edit, refused } => {
                self.edit(edit, *refused);
                self.frames();
            }
            Op::Gesture(edits) => {
                // One frame's worth each, without the frame: as if the pointer stayed down.
                for edit in edits {
                    self.edit(edit, false);
                }
                self.frames();
            }
            Op::Undo { times, keys } => self.undo_redo(*times, *keys, true),
            Op::Redo { times, keys } => self.undo_redo(*times, *keys, false),
            Op::Select(selected) => {
                self.apply(Command::Select(*selected));
                self.frames();
                let app = self.app();
                let scenarios = app.preset().scenarios.len();
                let expected = match *selected {
                    _ if scenarios == 0 => None,
                    Some(index) => Some(index.min(scenarios - 1)),
                    None => None,
                };
                assert_eq!(app.selected(), expected, "the selection, kept in range");
            }
            Op::Pane(pane) => {
                self.apply(Command::ShowPane(*pane));
                self.frames();
                assert!(
                    self.app().state().workspaces.is_shown(*pane),
                    "{pane:?} is shown"
                );
            }
            Op::Workspace(workspace) => {
                self.apply(Command::Action(Action::ShowWorkspace(*workspace)));
                self.frames();
            }
            Op::Maximise(pane) => {
                self.apply(Command::Maximise(*pane));
                self.frames();
            }
            Op::ResetLayout => {
                self.apply(Command::ResetLayout);
                self.frames();
            }
            Op::Beta(beta) => {
                self.apply(Command::SetBeta(*beta));
                self.frames();
            }
            Op::Confidence(confidence) => {
                self.apply(Command::SetConfidence(*confidence));
                self.frames();
            }
            Op::PenaltyCell { truth, predicted } => {
                let before = self.app().preset().scenarios.len();
                self.apply(Command::PenaltyCell {
                    truth: *truth,
                    predicted: *predicted,
                });
                self.app_changed("a penalty cell", Some(before + 1));
                self.frames();
            }
            Op::ConfusionCell { truth, predicted } => {
                self.prepare_outcomes();
                let before = self.app().preset().scenarios.len();
                self.apply(Command::ConfusionCell {
                    truth: *truth,
                    predicted: *predicted,
                });
                self.app_changed("a confusion cell", Some(before + 1));
                self.frames();
            }
            Op::Suggest => self.suggest(),
            Op::Load { file, how } => self.load(file, *how),
            Op::CancelSimulation => {
                self.apply(Command::Cancel(TaskKind::Simulate));
                self.apply(Command::Cancel(TaskKind::DecisionRegions));
                self.frames();
            }
            Op::WaitSimulation => {
                let both = [TaskKind::Simulate, TaskKind::DecisionRegions];
                // Extreme weights (1e12) make the fits very slow: the user cancels.
                if self.wait_at_most(&both, Duration::from_secs(20)) {
                    self.stats.simulations += usize::from(self.app().simulation().is_some());
                } else {
                    self.apply(Command::Cancel(TaskKind::Simulate));
                    self.apply(Command::Cancel(TaskKind::DecisionRegions));
                    self.frames();
                    self.stats.slow_simulations += 1;
                }
            }
            Op::RunSimulationAgain => {
                self.apply(Command::RunAgain(TaskKind::Simulate));
                self.frames();
            }
            Op::CancelOutcomes => {
                self.apply(Command::Cancel(TaskKind::PrepareOutcomes));
                self.apply(Command::Cancel(TaskKind::Bootstrap));
                self.frames();
            }
            Op::PrepareAgain => {
                self.apply(Command::RunAgain(TaskKind::PrepareOutcomes));
                self.frames();
            }
            Op::ToggleOutcomes(label) => self.toggle_outcomes(label),
            Op::Copy(target) => {
                self.apply(Command::Copy(*target));
                self.frames();
            }
            Op::Runs(how) => self.runs(*how),
            Op::Save(how) => self.save(*how),
            Op::Open { what, guard } => self.open(what, *guard),
            Op::New { guard } => self.new_preset(*guard),
            Op::RoundTrip => self.round_trip(),
            Op::LongSession(edits) => {
                for (i, edit) in edits.iter().enumerate() {
                    self.edit(edit, false);
                    if i % 10 == 9 {
                        self.frames();
                    }
                }
                self.frames();
                self.walk_history();
            }
        }
        assert_eq!(
            self.dialogs.pending(),
            0,
            "every scripted answer was asked for"
        );
    }

    /// One edit through the app, checked against the core's own `apply`: accepted as one
    /// undo step (or part of the gesture under way), or refused with the preset unchanged
    /// and the reason in the status bar.
    fn edit(&mut self, edit: &Edit, must_refuse: bool) {
        let before = self.app().preset().clone();
        let mut expected = before.clone();
        let verdict = expected.apply(edit.clone());
        let gesture = edit.gesture();
        self.apply(Command::Edit(edit.clone()));
        let app = self.app();
        match verdict {
            Ok(_) => {
                assert!(!must_refuse, "a bad edit was accepted: {edit:?}");
                same_preset(app.preset(), &expected, "the edit as the core applies it");
                assert!(app.notice().is_none(), "an accepted edit clears the notice");
                self.stats.accepted += 1;
                self.history.edited(gesture, expected);
            }
            Err(error) => {
                same_preset(app.preset(), &before, "a refused edit changes nothing");
                let notice = app.notice().expect("a refused edit says why");
                assert!(notice.is_error, "the refusal is an error: {notice:?}");
                assert_eq!(notice.text, error.to_string());
                self.refusal = Some(notice.text.clone());
                self.stats.refused += 1;
                self.stats.refused_on_purpose += usize::from(must_refuse);
            }
        }
    }

    /// The app changed the preset by itself (a new scenario from a cell, a loaded file's
    /// validation block): one undo step, of what `what` may change.
    fn app_changed(&mut self, what: &str, scenarios: Option<usize>) {
        let now = self.app().preset().clone();
        let before = self.history.current().clone();
        if now == before {
            return;
        }
        if let Some(count) = scenarios {
            assert_eq!(now.scenarios.len(), count, "{what} adds one scenario");
            assert_eq!(
                now.scenarios[..count - 1],
                before.scenarios[..],
                "{what} keeps the others"
            );
            let mut rest = now.clone();
            rest.scenarios.pop();
            same_preset(&rest, &before, &format!("{what} changes nothing else"));
        } else {
            let mut rest = now.clone();
            rest.validation = before.validation.clone();
            same_preset(
                &rest,
                &before,
                &format!("{what} changes only the validation block"),
            );
        }
        self.history.changed(now);
    }

    /// Undo (or Redo) `times` times, by menu command or by key: each step is the history's.
    fn undo_redo(&mut self, times: usize, keys: bool, undo: bool) {
        for _ in 0..times {
            let expected_to_move = if undo {
                self.history.undo()
            } else {
                self.history.redo()
            };
            let before = self.app().preset().clone();
            match (keys, undo) {
                (true, true) => self.press(Modifiers::COMMAND, Key::Z),
                (true, false) => self.press(
                    Modifiers {
                        shift: true,
                        ..Modifiers::COMMAND
                    },
                    Key::Z,
                ),
                (false, true) => self.apply(Command::Action(Action::Undo)),
                (false, false) => self.apply(Command::Action(Action::Redo)),
            }
            let what = if undo { "undo" } else { "redo" };
            let app = self.app();
            same_preset(
                app.preset(),
                self.history.current(),
                &format!("{what} reaches the preset of the step it takes"),
            );
            if !expected_to_move {
                same_preset(
                    app.preset(),
                    &before,
                    &format!("{what} with nothing to {what}"),
                );
            }
        }
        self.frames();
    }

    /// Undo all the way, checking every step, then redo all the way: the document's first
    /// preset (or the oldest the cap keeps), then back to the newest.
    pub fn walk_history(&mut self) {
        let undo_path = self.history.undo_path();
        self.stats.walks += 1;
        self.stats.capped_walks += usize::from(self.history.capped());
        self.stats.deepest_walk = self.stats.deepest_walk.max(undo_path.len());
        for (step, expected) in undo_path.iter().enumerate() {
            assert!(self.app().can_undo(), "undo step {step} is offered");
            self.apply(Command::Action(Action::Undo));
            assert!(self.history.undo());
            same_preset(
                self.app().preset(),
                expected,
                &format!("undo step {step} of the walk"),
            );
        }
        assert!(!self.app().can_undo(), "nothing is left to undo");
        self.apply(Command::Action(Action::Undo));
        same_preset(
            self.app().preset(),
            self.history.current(),
            "past the end of the walk",
        );
        self.frames();
        for (step, expected) in self.history.redo_path().iter().enumerate() {
            assert!(self.app().can_redo(), "redo step {step} is offered");
            self.apply(Command::Action(Action::Redo));
            assert!(self.history.redo());
            same_preset(
                self.app().preset(),
                expected,
                &format!("redo step {step} of the walk"),
            );
        }
        assert!(!self.app().can_redo(), "nothing is left to redo");
        self.apply(Command::Action(Action::Redo));
        same_preset(
            self.app().preset(),
            self.history.current(),
            "past the end of the walk",
        );
        self.frames();
    }

    /// Runs the outcomes' preparation for the current inputs (again if it was cancelled) and
    /// waits for it, so what a confusion cell or a suggestion reads is the same every run.
    fn prepare_outcomes(&mut self) {
        self.apply(Command::RunAgain(TaskKind::PrepareOutcomes));
        self.wait(&[TaskKind::PrepareOutcomes]);
    }

    fn suggest(&mut self) {
        self.prepare_outcomes();
        self.apply(Command::SuggestWeights);
        self.wait(&[TaskKind::SuggestWeights]);
        let Some(suggestion) = self.app().suggestion() else {
            return;
        };
        let weights = suggestion.weights.clone();
        if weights.len() == self.app().preset().classes.len() {
            // What the Outcomes view's "Apply the suggested weights" sends.
            self.edit(&Edit::Weights(weights), false);
        }
        self.frames();
    }

    fn toggle_outcomes(&mut self, label: &str) {
        // The decision switch is in the Costs pane, the check boxes in Outputs & settings.
        let pane = if label.starts_with("the ") {
            weightbench::command::Pane::Costs
        } else {
            weightbench::command::Pane::OutcomeSetup
        };
        if self.app().state().workspaces.current != Workspace::Outcomes
            || pane == weightbench::command::Pane::Costs
        {
            self.apply(Command::ShowPane(pane));
            self.frames();
        }
        match self.harness.query_by_label(label) {
            Some(node) => node.click_accesskit(),
            None => self.stats.missing_toggles += 1,
        }
        self.frames();
    }
}

/// The kind of an op, for the report.
pub fn op_name(op: &Op) -> &'static str {
    match op {
        Op::Edit { refused: true, .. } => "edit (bad value)",
        Op::Edit { .. } => "edit",
        Op::Gesture(_) => "gesture",
        Op::Undo { .. } => "undo",
        Op::Redo { .. } => "redo",
        Op::Select(_) => "select",
        Op::Pane(_) => "pane",
        Op::Workspace(_) => "workspace",
        Op::Maximise(_) => "maximise",
        Op::ResetLayout => "reset layout",
        Op::Beta(_) | Op::Confidence(_) => "beta or confidence",
        Op::PenaltyCell { .. } => "penalty cell",
        Op::ConfusionCell { .. } => "confusion cell",
        Op::Suggest => "suggest weights",
        Op::Load { .. } => "load validation",
        Op::CancelSimulation => "cancel simulation",
        Op::WaitSimulation => "wait for simulation",
        Op::RunSimulationAgain => "run simulation again",
        Op::CancelOutcomes => "cancel outcomes",
        Op::PrepareAgain => "prepare outcomes again",
        Op::ToggleOutcomes(_) => "outcomes check box",
        Op::Copy(_) => "copy snippet",
        Op::Runs(_) => "runs",
        Op::Save(_) => "save",
        Op::Open { .. } => "open",
        Op::New { .. } => "new",
        Op::RoundTrip => "save and open",
        Op::LongSession(_) => "long session",
    }
}
