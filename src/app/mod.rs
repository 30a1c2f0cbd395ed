//! The eframe app: owns the state, lays out the panels, applies their commands after the UI
//! pass, and polls background work.
//!
//! - [`state`]: what is saved between launches, and what lives for one session;
//! - [`store`] and `restore`: where the saved state is kept, and reading it back field by
//!   field;
//! - `panels`: which panel goes where, and which view draws into it;
//! - `commands`: applying what the panels asked for, with undo;
//! - `files`: open and save, the unsaved-changes guard, the file dialogs;
//! - [`tasks`]: work on named background threads, with progress and Cancel.

mod commands;
mod files;
mod outcomes;
mod panels;
mod restore;
mod simulator;
pub mod state;
pub mod store;
pub mod tasks;
mod validation;

use std::path::PathBuf;
use std::sync::Arc;

use eframe::egui;

use state::Session;
pub use state::State;
use store::{Keeper, MemoryStore, Saved, StateStore};

use crate::command::{Action, Command, TaskKind};
use crate::core::{AnalysisInputs, Evaluation, Preset, Sweep};
use crate::dialog::FileDialogs;
use crate::ui::status_bar::{Activity, Notice};

/// The weightbench window.
pub struct WeightbenchApp {
    state: State,
    session: Session,
    dialogs: Arc<dyn FileDialogs>,
    /// Where the state is saved between launches.
    keeper: Keeper,
    /// When set, the first frame reports to stderr how long after this instant it came.
    report_first_frame_since: Option<std::time::Instant>,
}

impl WeightbenchApp {
    /// The app on `state`, showing file dialogs through `dialogs`, saving its state in memory
    /// only ([`Self::store`]).
    ///
    /// A state whose presets do not validate starts from the notebook instead, keeping the
    /// recent files.
    #[must_use]
    pub fn new(state: State, dialogs: Arc<dyn FileDialogs>) -> Self {
        let state = if state.preset.validate().is_ok() && state.baseline.validate().is_ok() {
            state
        } else {
            State {
                recent: state.recent,
                ..State::default()
            }
        };
        let mut inputs = AnalysisInputs::new(state.preset.clone());
        inputs.penalty_matrix = state.central_tab == crate::command::CentralTab::PenaltyMatrix;
        Self {
            session: Session::new(inputs),
            state,
            dialogs,
            keeper: Keeper::new(Arc::new(MemoryStore::default()), None),
            report_first_frame_since: None,
        }
    }

    /// Makes the first frame print how long after `process_start` it came (a diagnostic).
    #[must_use]
    pub fn reporting_first_frame(mut self, process_start: std::time::Instant) -> Self {
        self.report_first_frame_since = Some(process_start);
        self
    }

    /// The app as eframe starts it: the state saved in `store` (read field by field; what
    /// cannot be restored is named once in the status bar), or `opened` when a file was
    /// given. Saves go to `store`.
    ///
    /// When `store` holds nothing yet, the state an earlier weightbench kept in eframe's
    /// `storage` is read once instead; the first save moves it to `store`.
    #[must_use]
    pub fn from_store(
        store: Arc<dyn StateStore>,
        storage: Option<&dyn eframe::Storage>,
        opened: Option<(PathBuf, Preset)>,
        dialogs: Arc<dyn FileDialogs>,
    ) -> Self {
        let (restored, location, from_store) = match store.read() {
            Ok(Some(bytes)) => (Some(restore::restore(&bytes)), store.location(), true),
            Ok(None) => {
                let earlier = storage.and_then(|storage| storage.get_string(eframe::APP_KEY));
                let location = "app.ron (where an earlier weightbench kept it)".to_owned();
                (
                    earlier.map(|text| restore::restore(text.as_bytes())),
                    location,
                    false,
                )
            }
            Err(error) => {
                let restored = restore::Restored {
                    state: State::default(),
                    problem: Some(restore::Problem::Unreadable(error.to_string())),
                };
                (Some(restored), store.location(), true)
            }
        };
        let (mut state, problem) = restored.map_or((State::default(), None), |restored| {
            (restored.state, restored.problem)
        });
        let preset_given = opened.is_some();
        // Only a state read whole from the store need not be written again.
        let written = (from_store && problem.is_none()).then(|| state.clone());
        if let Some((path, preset)) = opened {
            state.preset = preset.clone();
            state.baseline = preset;
            files::remember(&mut state.recent, &path);
            state.path = Some(path);
        }
        let mut app = Self::new(state, dialogs);
        app.keeper = Keeper::new(store, written);
        app.session.restore_notice =
            problem.and_then(|problem| problem.notice(&location, preset_given));
        app
    }

    /// Loads the validation outputs in `path` once the window runs, as File > Load validation
    /// outputs does, instead of the preset's remembered ones.
    #[must_use]
    pub fn loading_validation(mut self, path: PathBuf) -> Self {
        self.session.remembered_validation_due = false;
        self.session.startup_validation = Some(path);
        self
    }

    /// Where the state is saved: what the next launch's [`Self::from_store`] reads.
    #[must_use]
    pub fn store(&self) -> Arc<dyn StateStore> {
        Arc::clone(self.keeper.store())
    }

    /// The saved state.
    #[must_use]
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The preset being edited.
    #[must_use]
    pub fn preset(&self) -> &Preset {
        &self.state.preset
    }

    /// The current sweep of the debris weight (what the plots draw), if the preset allows one.
    #[must_use]
    pub fn sweep(&self) -> Option<&Sweep> {
        self.session.analysis().map(|a| a.sweep.as_ref())
    }

    /// The current evaluation of every scenario, if the preset allows one.
    #[must_use]
    pub fn evaluation(&self) -> Option<&Evaluation> {
        self.session.analysis().map(|a| &a.evaluation)
    }

    /// The status bar's message, if any.
    #[must_use]
    pub fn notice(&self) -> Option<&Notice> {
        self.session.notice.as_ref()
    }

    /// The selected scenario.
    #[must_use]
    pub fn selected(&self) -> Option<usize> {
        self.session.selected
    }

    /// Whether background work (a file dialog, ...) is running.
    #[must_use]
    pub fn is_busy(&self) -> bool {
        let outcomes = &self.session.outcomes;
        self.session.dialog.is_running()
            || self.session.loading.is_running()
            || outcomes.preparation_due
            || outcomes.preparing.is_running()
            || outcomes.bootstrapping.is_running()
            || outcomes.suggesting.is_running()
            || self.session.simulator.running.is_running()
            || self.session.simulator.drawing.is_running()
    }

    /// Whether an undo step is there to take (what enables Edit > Undo).
    #[must_use]
    pub fn can_undo(&self) -> bool {
        self.session.undoer.has_undo(&self.state.preset)
    }

    /// Whether a redo step is there to take (what enables Edit > Redo).
    #[must_use]
    pub fn can_redo(&self) -> bool {
        self.session.undoer.has_redo(&self.state.preset)
    }

    /// Whether background work of this kind is running.
    #[must_use]
    pub fn is_running(&self, task: TaskKind) -> bool {
        let session = &self.session;
        match task {
            TaskKind::FileDialog => session.dialog.is_running(),
            TaskKind::LoadValidation => session.loading.is_running(),
            TaskKind::PrepareOutcomes => session.outcomes.preparing.is_running(),
            TaskKind::Bootstrap => session.outcomes.bootstrapping.is_running(),
            TaskKind::SuggestWeights => session.outcomes.suggesting.is_running(),
            TaskKind::Simulate => session.simulator.running.is_running(),
            TaskKind::DecisionRegions => session.simulator.drawing.is_running(),
        }
    }

    /// What the current weights do to the loaded validation outputs, once prepared.
    #[must_use]
    pub fn outcomes(&self) -> Option<&crate::core::validation::view::CurrentOutcomes> {
        self.session.outcomes.current.as_ref()?.as_ref().ok()
    }

    /// The weights last suggested for the Outcomes view's objective.
    #[must_use]
    pub fn suggestion(&self) -> Option<&crate::core::validation::Suggestion> {
        self.session.outcomes.suggestion.as_ref()?.1.as_ref().ok()
    }

    /// The simulator's latest sweep, if it finished and is for the current preset and settings.
    #[must_use]
    pub fn simulation(&self) -> Option<&crate::core::simulator::Simulation> {
        let (inputs, result) = self.session.simulator.simulation.as_ref()?;
        let current = simulator::inputs(&self.state.preset, self.simulation_options());
        (inputs == &current).then_some(result.as_ref().ok()?)
    }

    /// The validation outputs loaded, if any.
    #[must_use]
    pub fn validation(&self) -> Option<&crate::core::validation::ValidationData> {
        self.session
            .validation
            .as_ref()
            .map(|loaded| loaded.data.as_ref())
    }

    /// Whether the preset differs from the file (or from how it was started).
    #[must_use]
    pub fn has_unsaved_changes(&self) -> bool {
        self.state.preset != self.state.baseline
    }

    /// The window title: unsaved marker, preset name, file.
    #[must_use]
    pub fn title(&self) -> String {
        let marker = if self.has_unsaved_changes() { "* " } else { "" };
        let file = self.state.path.as_ref().map_or_else(
            || "not saved to a file".to_owned(),
            |path| path.display().to_string(),
        );
        format!("{marker}{} — {file} — weightbench", self.state.preset.name)
    }

    /// Takes the answers of background work; eframe calls this before each frame, and also
    /// while the window is hidden.
    pub fn poll(&mut self, ctx: &egui::Context) {
        if std::mem::take(&mut self.session.remembered_validation_due) {
            self.load_remembered_validation(ctx);
        }
        if let Some(path) = self.session.startup_validation.take() {
            self.load_validation(ctx, path, None);
        }
        // What could not be restored is said after start-up's own messages ("Loaded ..."),
        // which would otherwise replace it at once.
        if self.session.restore_notice.is_some()
            && !self.session.loading.is_running()
            && !self.session.dialog.is_running()
        {
            self.session.notice = self.session.restore_notice.take();
        }
        self.poll_dialog(ctx);
        self.poll_loading();
        self.poll_outcomes(ctx);
        self.poll_simulator(ctx);
        if self.is_busy() {
            // Keep the progress display moving without spinning: a few frames a second.
            ctx.request_repaint_after(std::time::Duration::from_millis(250));
        }
    }

    /// One frame of the whole window.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let mut commands = Vec::new();
        self.read_shortcuts_and_drops(ui.ctx(), &mut commands);
        self.menu_bar(ui, &mut commands);
        self.status_bar(ui, &mut commands);
        self.side_panels(ui, &mut commands);
        self.central_panel(ui, &mut commands);
        self.modal_dialogs(ui.ctx());
        for command in commands {
            self.apply(ui.ctx(), command);
        }
        self.end_frame(ui.ctx());
    }

    /// Menu shortcuts and dropped files, unless a question is open: it alone takes input then.
    fn read_shortcuts_and_drops(&self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if self.session.guard.is_some() || self.session.prompt.is_some() {
            return;
        }
        ctx.input_mut(|input| {
            for action in Action::ALL {
                let pressed = input.consume_shortcut(&action.shortcut())
                    || action
                        .other_shortcut()
                        .is_some_and(|other| input.consume_shortcut(&other));
                if pressed {
                    commands.push(Command::Action(action));
                }
            }
        });
        let dropped: Vec<PathBuf> = ctx.input(|input| {
            input
                .raw
                .dropped_files
                .iter()
                .map(|file| file.path().to_owned())
                .collect()
        });
        commands.extend(dropped.into_iter().map(Command::OpenPath));
    }

    /// What runs in the background, for the status bar.
    fn activities(&self) -> Vec<Activity> {
        let activity = |task: TaskKind, status: Option<tasks::Status>| {
            status.map(|status| Activity {
                task,
                label: status.label,
                fraction: status.progress.fraction,
                text: status.progress.text,
            })
        };
        [
            activity(TaskKind::FileDialog, self.session.dialog.status()),
            activity(TaskKind::LoadValidation, self.session.loading.status()),
            activity(
                TaskKind::PrepareOutcomes,
                self.session.outcomes.preparing.status(),
            ),
            activity(
                TaskKind::Bootstrap,
                self.session.outcomes.bootstrapping.status(),
            ),
            activity(
                TaskKind::SuggestWeights,
                self.session.outcomes.suggesting.status(),
            ),
            activity(TaskKind::Simulate, self.session.simulator.running.status()),
            activity(
                TaskKind::DecisionRegions,
                self.session.simulator.drawing.status(),
            ),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    fn end_frame(&mut self, ctx: &egui::Context) {
        // A gesture (one undo step, during which the slow views wait) lasts while the pointer
        // is down or while the user types in one field. It ends when the keyboard moves on to
        // another field; a button pressed with Space, or a slider moved with an arrow key,
        // is a gesture of its own.
        let focused = ctx.memory(egui::Memory::focused);
        let focus_moved_on = self.session.focused.is_some() && self.session.focused != focused;
        self.session.focused = focused;
        let settled = ctx.input(|input| !input.pointer.any_down()) && !ctx.text_edit_focused();
        if settled || focus_moved_on {
            self.session.gesture = None;
        }
        self.guard_close(ctx);
        let title = self.title();
        if title != self.session.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.session.title = title;
        }
    }

    fn info(&mut self, text: impl Into<String>) {
        self.session.notice = Some(Notice::info(text));
    }

    fn error(&mut self, text: impl Into<String>) {
        self.session.notice = Some(Notice::error(text));
    }
}

impl eframe::App for WeightbenchApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.poll(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
        if let Some(start) = self.report_first_frame_since.take() {
            eprintln!(
                "weightbench: first frame {} ms after process start",
                start.elapsed().as_millis()
            );
        }
    }

    /// eframe calls this every 30 s and on quitting; the state goes to the store, and eframe's
    /// storage keeps only egui's memory and the window's geometry.
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        match self.keeper.save(&self.state) {
            Saved::Written => {
                // Moved to the store: the copy an earlier weightbench kept is not read again.
                if storage.get_string(eframe::APP_KEY).is_some() {
                    storage.remove_string(eframe::APP_KEY);
                }
            }
            Saved::Unchanged | Saved::Failed(None) => {}
            Saved::Failed(Some(message)) => self.error(message),
        }
    }
}
