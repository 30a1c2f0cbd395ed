//! The window: owns the state, lays out the panels, applies their commands after the UI pass,
//! and brings derived results in step before each frame.

use std::path::PathBuf;
use std::sync::Arc;

use eframe::egui;

use super::session::{AnalysisKey, Choices, Session};
use super::state::{self, State};
use super::store::{Keeper, MemoryStore, Saved, StateStore};
use super::{outcomes, restore, runs, simulator, tasks};

use crate::command::{Action, Command, Pane, TaskKind, Workspace};
use crate::core::cases::analysis::{Analysis, AnalysisInputs};
use crate::core::cases::evaluate::Evaluation;
use crate::core::cases::sweep::Sweep;
use crate::core::preset::Preset;
use crate::dialog::FileDialogs;
use crate::ui::status_bar::Notice;

/// The weightbench window.
pub struct WeightbenchApp {
    pub(super) state: State,
    pub(super) session: Session,
    pub(super) dialogs: Arc<dyn FileDialogs>,
    /// Where the state is saved between launches.
    pub(super) keeper: Keeper,
    /// When set, the first frame reports to stderr how long after this instant it came.
    pub(super) report_first_frame_since: Option<std::time::Instant>,
    /// Where the plots, tables and panes landed, when asked for.
    pub(super) layout: super::layout_report::Reporting,
}

impl WeightbenchApp {
    /// The app on `state`, showing file dialogs through `dialogs`, saving its state in memory
    /// only ([`Self::store`]).
    ///
    /// A state whose presets do not validate starts from the notebook instead, keeping the
    /// recent files.
    #[must_use]
    pub fn new(state: State, dialogs: Arc<dyn FileDialogs>) -> Self {
        let document = &state.document;
        let state = if document.preset.validate().is_ok() && document.baseline.validate().is_ok() {
            state
        } else {
            State {
                recent: state.recent,
                ..State::default()
            }
        };
        let mut session = Session {
            choices: Choices::for_scenarios(state.document.preset.scenarios.len()),
            ..Session::default()
        };
        sync_analysis(&state, &mut session);
        Self {
            session,
            state,
            dialogs,
            keeper: Keeper::new(Arc::new(MemoryStore::default()), None),
            report_first_frame_since: None,
            layout: super::layout_report::Reporting::default(),
        }
    }

    /// Records where each frame puts its plots, tables and panes ([`Self::layout_report`]).
    #[must_use]
    pub fn recording_layout(mut self) -> Self {
        self.layout.on = true;
        self
    }

    /// Writes the layout report to `path` once the first frame is drawn with no background
    /// work running (`WEIGHTBENCH_REPORT_LAYOUT`).
    #[must_use]
    pub fn reporting_layout(mut self, path: PathBuf) -> Self {
        self.layout.on = true;
        self.layout.path = Some(path);
        self
    }

    /// Where the last frame put its plots, tables and panes, when recording.
    #[must_use]
    pub fn layout_report(&self) -> Option<&super::layout_report::LayoutReport> {
        self.layout.last.as_ref()
    }

    /// Opens in `workspace` instead of the one shown last.
    #[must_use]
    pub fn showing(mut self, workspace: Workspace) -> Self {
        self.state.workspaces.current = workspace;
        self
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
            state::remember(&mut state.recent, &path);
            state.document = state::Document::opened(preset, Some(path));
        }
        let mut app = Self::new(state, dialogs);
        app.keeper = Keeper::new(store, written);
        app.session.status.restore_notice =
            problem.and_then(|problem| problem.notice(&location, preset_given));
        app
    }

    /// Loads the validation outputs in `path` once the window runs, as File > Load validation
    /// outputs does, instead of the preset's remembered ones.
    #[must_use]
    pub fn loading_validation(mut self, path: PathBuf) -> Self {
        self.session.outputs.remembered_due = false;
        self.session.outputs.startup = Some(path);
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
        &self.state.document.preset
    }

    /// The hand cases' analysis, if the preset allows one.
    #[must_use]
    pub fn analysis(&self) -> Option<&Analysis> {
        self.session.analysis.get()?.as_ref().ok()
    }

    /// The current sweep of the debris weight (what the plots draw), if the preset allows one.
    #[must_use]
    pub fn sweep(&self) -> Option<&Sweep> {
        self.analysis().map(|a| a.sweep.as_ref())
    }

    /// The current evaluation of every scenario, if the preset allows one.
    #[must_use]
    pub fn evaluation(&self) -> Option<&Evaluation> {
        self.analysis().map(|a| &a.evaluation)
    }

    /// The status bar's message, if any.
    #[must_use]
    pub fn notice(&self) -> Option<&Notice> {
        self.session.status.notice.as_ref()
    }

    /// The selected scenario.
    #[must_use]
    pub fn selected(&self) -> Option<usize> {
        self.session.choices.selected
    }

    /// Whether background work (a file dialog, ...) is running, or a slow result waits to
    /// start (the Outcomes view's preparation, once a drag ends).
    #[must_use]
    pub fn is_busy(&self) -> bool {
        self.session.tasks.busy() || self.outcomes_due()
    }

    /// Whether the Outcomes view's preparation waits for a drag to end.
    pub(super) fn outcomes_due(&self) -> bool {
        let outcomes = &self.session.outcomes;
        outcomes.wanted().is_some_and(|wanted| {
            outcomes.prepared.current(wanted).is_none()
                && outcomes.prepared.stopped(wanted).is_none()
        })
    }

    /// Whether an undo step is there to take (what enables Edit > Undo).
    #[must_use]
    pub fn can_undo(&self) -> bool {
        self.session.history.undoer.has_undo(self.preset())
    }

    /// Whether a redo step is there to take (what enables Edit > Redo).
    #[must_use]
    pub fn can_redo(&self) -> bool {
        self.session.history.undoer.has_redo(self.preset())
    }

    /// Whether background work of this kind is running.
    #[must_use]
    pub fn is_running(&self, task: TaskKind) -> bool {
        self.session.tasks.is_running(task)
    }

    /// What the current weights do to the loaded validation outputs, once prepared.
    #[must_use]
    pub fn outcomes(&self) -> Option<&crate::core::outcomes::view::CurrentOutcomes> {
        self.session.outcomes.current.get()?.as_ref().ok()
    }

    /// The current outcomes the panes show: the cost rule's metrics in the weights' place when
    /// the view decides by cost.
    #[must_use]
    pub fn shown_outcomes(&self) -> Option<&crate::core::outcomes::view::CurrentOutcomes> {
        self.session.outcomes.shown_current()?.ok()
    }

    /// The weights last suggested for the Outcomes view's objective.
    #[must_use]
    pub fn suggestion(&self) -> Option<&crate::core::outcomes::tune::Suggestion> {
        self.session.outcomes.suggestion()?.0.ok()
    }

    /// The simulator's latest sweep, if it finished and is for the current preset and settings.
    #[must_use]
    pub fn simulation(&self) -> Option<&crate::core::simulator::simulate::Simulation> {
        let current =
            simulator::SimulatorInputs::new(self.preset(), self.state.simulator.options());
        self.session
            .simulator
            .simulation
            .current(&current)?
            .as_ref()
            .ok()
    }

    /// How many runs (retrains) are read.
    #[must_use]
    pub fn runs_read(&self) -> usize {
        self.session.runs.loaded.len()
    }

    /// The folder of runs watched, if any.
    #[must_use]
    pub fn runs_watched(&self) -> Option<&std::path::Path> {
        self.session.runs.watch.as_deref()
    }

    /// The validation outputs loaded, if any.
    #[must_use]
    pub fn validation(&self) -> Option<&crate::core::outcomes::data::ValidationData> {
        self.session
            .outputs
            .loaded()
            .map(|loaded| loaded.data.as_ref())
    }

    /// Whether the preset differs from the file (or from how it was started).
    #[must_use]
    pub fn has_unsaved_changes(&self) -> bool {
        self.state.document.has_unsaved_changes()
    }

    /// The window title: unsaved marker, preset name, file.
    #[must_use]
    pub fn title(&self) -> String {
        let marker = if self.has_unsaved_changes() { "* " } else { "" };
        let file = self.state.document.path.as_ref().map_or_else(
            || "not saved to a file".to_owned(),
            |path| path.display().to_string(),
        );
        format!("{marker}{} — {file} — weightbench", self.preset().name)
    }

    /// Waits until the saved state handed to the writer is in the store (at exit, and for
    /// tests); a failure is a notice.
    pub fn flush_saved_state(&mut self) {
        if let Some(message) = self.keeper.flush() {
            self.error(message);
        }
    }

    /// Takes the answers of background work and brings every derived result in step with
    /// its inputs; eframe calls this before each frame, and also while the window is hidden.
    pub fn poll(&mut self, ctx: &egui::Context) {
        if std::mem::take(&mut self.session.outputs.remembered_due) {
            self.load_remembered_validation(ctx);
        }
        if let Some(path) = self.session.outputs.startup.take() {
            self.load_validation(ctx, path, None);
        }
        // What could not be restored is said after start-up's own messages ("Loaded ..."),
        // which would otherwise replace it at once.
        let tasks = &self.session.tasks;
        if self.session.status.restore_notice.is_some()
            && !tasks.is_running(TaskKind::LoadValidation)
            && !tasks.is_running(TaskKind::FileDialog)
        {
            self.session.status.notice = self.session.status.restore_notice.take();
        }
        self.poll_dialog(ctx);
        self.poll_saving(ctx);
        self.poll_loading();
        self.poll_runs(ctx);
        if let Some(message) = self.keeper.poll() {
            self.error(message);
        }
        self.sync(ctx);
        if self.is_busy() {
            // Keep the progress display moving without spinning: a few frames a second.
            ctx.request_repaint_after(std::time::Duration::from_millis(250));
        }
    }

    /// Brings every derived result in step with its inputs: the one place they are kept
    /// fresh. Each compares a cheap key (the preset's revision and the settings it reads).
    pub(super) fn sync(&mut self, ctx: &egui::Context) {
        sync_analysis(&self.state, &mut self.session);
        let repaint: tasks::Repaint = {
            let ctx = ctx.clone();
            Arc::new(move || ctx.request_repaint())
        };
        let session = &mut self.session;
        let no_gesture = session.history.gesture.is_none();
        let inputs = outcomes::Inputs {
            preset: &self.state.document.preset,
            revision: session.history.revision(),
            data: session.outputs.data(),
            settings: &self.state.outcomes,
            may_start: no_gesture,
        };
        session.outcomes.sync(&inputs, &mut session.tasks, &repaint);
        let preset = &self.state.document.preset;
        let grid = runs::runs_grid(preset, &session.runs.loaded);
        session.runs.sync(
            preset,
            &grid,
            self.state.outcomes.objective,
            &mut session.tasks.preparing_runs,
            &repaint,
            no_gesture,
        );
        // Not while a slider of the settings (which are not edits) or a weight is dragged.
        let pointer_up = !ctx.input(|input| input.pointer.any_down());
        let shown = self.state.workspaces.current == Workspace::Simulator;
        let wanted = simulator::SimulatorInputs::new(
            &self.state.document.preset,
            self.state.simulator.options(),
        );
        let slots = simulator::Slots {
            simulating: &mut session.tasks.simulating,
            drawing: &mut session.tasks.drawing,
        };
        session
            .simulator
            .sync(&wanted, slots, ctx, shown && no_gesture && pointer_up);
    }

    /// One frame of the whole window.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let mut commands = Vec::new();
        self.layout.start(ui.ctx());
        self.read_shortcuts_and_drops(ui.ctx(), &mut commands);
        self.menu_bar(ui, &mut commands);
        self.status_bar(ui, &mut commands);
        self.workspace(ui, &mut commands);
        self.modal_dialogs(ui.ctx());
        let settled = commands.is_empty() && !self.is_busy();
        let workspace = self.state.workspaces.current;
        self.layout.finish(ui.ctx(), workspace, settled);
        for command in commands {
            self.apply(ui.ctx(), command);
        }
        self.end_frame(ui.ctx());
    }

    /// Menu shortcuts and dropped files, unless a question is open: it alone takes input then.
    pub(super) fn read_shortcuts_and_drops(
        &self,
        ctx: &egui::Context,
        commands: &mut Vec<Command>,
    ) {
        if self.session.files.asking() {
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
        // Several files, or a folder, dropped at once are runs (retrains); one file opens as
        // before (a preset, or validation outputs).
        if dropped.len() > 1 || dropped.iter().any(|path| path.is_dir()) {
            commands.push(Command::AddRuns(dropped));
        } else {
            commands.extend(dropped.into_iter().map(Command::OpenPath));
        }
    }

    pub(super) fn end_frame(&mut self, ctx: &egui::Context) {
        // A gesture (one undo step, during which the slow views wait) lasts while the pointer
        // is down or while the user types in one field. It ends when the keyboard moves on to
        // another field; a button pressed with Space, or a slider moved with an arrow key,
        // is a gesture of its own.
        let focused = ctx.memory(egui::Memory::focused);
        let history = &mut self.session.history;
        let focus_moved_on = history.focused.is_some() && history.focused != focused;
        history.focused = focused;
        let settled = ctx.input(|input| !input.pointer.any_down()) && !ctx.text_edit_focused();
        if settled || focus_moved_on {
            history.gesture = None;
        }
        self.guard_close(ctx);
        let title = self.title();
        if title != self.session.status.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.session.status.title = title;
        }
    }

    pub(super) fn info(&mut self, text: impl Into<String>) {
        self.session.status.notice = Some(Notice::info(text));
    }

    pub(super) fn error(&mut self, text: impl Into<String>) {
        self.session.status.notice = Some(Notice::error(text));
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
            Saved::Queued | Saved::Unchanged | Saved::Failed(None) => {}
            Saved::Failed(Some(message)) => self.error(message),
        }
        // Moved to the store (once, so waiting for the write here is rare): the copy an
        // earlier weightbench kept is not read again.
        if storage.get_string(eframe::APP_KEY).is_some() {
            self.flush_saved_state();
            if self.keeper.has_written() {
                storage.remove_string(eframe::APP_KEY);
            }
        }
    }

    /// The last save (eframe saves just before this) is on disk before the process ends.
    fn on_exit(&mut self) {
        self.flush_saved_state();
    }
}

/// The hand cases' analysis for the current preset and choices, recomputed (reusing what it
/// can) when the key changed; the selection is kept among the scenarios first.
fn sync_analysis(state: &State, session: &mut Session) {
    let preset = &state.document.preset;
    let choices = &mut session.choices;
    choices.keep_selection_within(preset.scenarios.len());
    let key = AnalysisKey {
        revision: session.history.revision(),
        beta: choices.beta,
        confidence: choices.confidence,
        selected: choices.selected,
        penalty_matrix: state.workspaces.is_shown(Pane::PenaltyMatrix),
    };
    session.analysis.sync(key, |key, previous| {
        let inputs = AnalysisInputs {
            preset: preset.clone(),
            beta: key.beta,
            confidence: key.confidence,
            selected: key.selected,
            penalty_matrix: key.penalty_matrix,
        };
        let previous = previous.as_ref().and_then(|result| result.as_ref().ok());
        Analysis::reusing(&inputs, previous).map_err(|error| Box::new((inputs, error)))
    });
}
