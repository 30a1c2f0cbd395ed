//! The eframe app: owns the state, runs the panels, applies their commands after the UI pass.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

use eframe::egui::{self, util::undoer::Undoer};
use serde::{Deserialize, Serialize};

use crate::command::{Action, Command, Gesture};
use crate::core::advice::{SmoothingConflict, smoothing_conflicts};
use crate::core::balance::{
    Balance, balances, corrected_predictions, decision_rule, decision_shifts,
};
use crate::core::export::{Target, snippet};
use crate::core::penalties::{PenaltyMatrix, confident_logits, confident_prediction};
use crate::core::schemes::DEFAULT_BETA;
use crate::core::sweep::{ComparedCurve, compare_loss_forms};
use crate::core::{Edit, Evaluation, Preset, Scheme, SchemeError, Sweep, load_preset, save_preset};
use crate::dialog::{DialogKind, DialogOutcome, FileDialogs};
use crate::ui::{self, GuardAnswer, PromptAnswer, ScenarioFilter};

/// How many files the "Open recent" menu remembers.
const RECENT_FILES: usize = 8;

/// What is saved between launches: the preset itself (not just its path) and the recent files.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    /// The preset being edited.
    pub preset: Preset,
    /// The file it was opened from or saved to; `None` until saved.
    pub path: Option<PathBuf>,
    /// The preset as last opened or saved: anything else is an unsaved change.
    pub baseline: Preset,
    /// Recently opened or saved files, newest first.
    pub recent: Vec<PathBuf>,
}

impl Default for State {
    fn default() -> Self {
        let notebook = builtin_notebook();
        Self {
            preset: notebook.clone(),
            path: None,
            baseline: notebook,
            recent: Vec::new(),
        }
    }
}

/// The built-in notebook preset (its parse is covered by the test suite).
fn builtin_notebook() -> Preset {
    Preset::notebook()
        .unwrap_or_else(|error| unreachable!("the built-in preset is tested: {error}"))
}

/// A blank preset for "New": one object class in debris, one case to start from.
fn blank_preset() -> Preset {
    let text = r#"(version: 1, name: "New preset", debris: 1,
        classes: [(name: "object", count: 100, weight: 1.0), (name: "debris", count: 1000, weight: 0.1)],
        scenarios: [(name: "debris called object", truth: 1, logits: [2.0, 0.0])])"#;
    crate::core::parse_preset(text, "blank preset")
        .unwrap_or_else(|error| unreachable!("the blank preset is tested: {error}"))
}

/// A message for the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// What happened, in words.
    pub text: String,
    /// Shown in the theme's error colour.
    pub is_error: bool,
}

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

/// What a file dialog (or the typed path that replaces it) is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogPurpose {
    /// Open a preset.
    Open,
    /// Save the preset to a new file.
    SaveAs,
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

/// Everything the panels show that is computed from the preset (and beta), computed once
/// per change rather than once per frame.
pub struct Analysis {
    preset: Preset,
    beta: f64,
    selected: Option<usize>,
    confidence: f64,
    /// The penalty matrix at the confidence.
    pub penalties: Option<PenaltyMatrix>,
    /// Each rare class's false-positive / false-negative balance at the confidence.
    pub balances: Vec<Balance>,
    /// Each rare class's decision rule in words, `(class, rule)`.
    pub rules: Vec<(usize, String)>,
    /// Each scenario's prediction after the post-hoc correction.
    pub corrected: Vec<usize>,
    /// `ln w_c` per class: what each weight adds to its logit's decision (`None` at weight 0).
    pub decision_shifts: Vec<Option<f64>>,
    /// Every scenario under the preset's weights and loss.
    pub evaluation: Evaluation,
    /// Every scenario's loss against the debris weight.
    pub sweep: Sweep,
    /// The selected scenario's loss against the debris weight under each loss form.
    pub comparison: Vec<ComparedCurve>,
    /// Each weighting scheme's weights for the preset's counts.
    pub scheme_weights: Vec<(Scheme, Result<Vec<f64>, SchemeError>)>,
    /// Where label smoothing and the weights work against each other.
    pub conflicts: Vec<SmoothingConflict>,
    /// The export snippet for each library.
    pub snippets: Vec<(Target, String)>,
}

impl Analysis {
    fn of(preset: &Preset, beta: f64, selected: Option<usize>, confidence: f64) -> Option<Self> {
        let evaluation = Evaluation::of(preset).ok()?;
        let sweep = Sweep::from_evaluation(preset, &evaluation, &preset.sweep);
        let counts = preset.counts();
        Some(Self {
            preset: preset.clone(),
            beta,
            selected,
            confidence,
            penalties: PenaltyMatrix::of(preset, confidence).ok(),
            balances: balances(preset, confidence, &preset.sweep),
            rules: (0..preset.classes.len())
                .filter(|&c| c != preset.debris)
                .map(|c| (c, decision_rule(preset, c)))
                .collect(),
            corrected: corrected_predictions(preset),
            decision_shifts: decision_shifts(&preset.weights()),
            comparison: selected
                .map_or_else(Vec::new, |s| compare_loss_forms(preset, s, &preset.sweep)),
            scheme_weights: Scheme::all(beta)
                .into_iter()
                .map(|scheme| (scheme, scheme.weights(&counts, None)))
                .collect(),
            conflicts: smoothing_conflicts(&preset.weights(), preset.loss.label_smoothing),
            snippets: Target::ALL
                .into_iter()
                .map(|t| (t, snippet(preset, t)))
                .collect(),
            evaluation,
            sweep,
        })
    }
}

/// Which view the central panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CentralView {
    /// Loss against the debris weight.
    Sweep,
    /// The penalty matrix, margins and decision rule.
    Penalties,
    /// False positives against false negatives along the debris weight.
    Balance,
}

/// The default confidence of the penalty matrix.
const DEFAULT_CONFIDENCE: f64 = 0.9;

/// Which view the right-hand panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RightView {
    /// The selected scenario.
    Scenario,
    /// Weights from counts, by every scheme.
    Weights,
    /// Loss options, their comparison, and export.
    Loss,
}

/// Per-session state, never saved: undo history, selection, dialogs in flight, caches.
struct Session {
    undoer: Undoer<Preset>,
    /// The value the current drag or typing is changing; its edits make one undo step.
    gesture: Option<Gesture>,
    selected: Option<usize>,
    filter: ScenarioFilter,
    notice: Option<Notice>,
    dialog: Option<(DialogPurpose, Receiver<DialogOutcome>)>,
    prompt: Option<PathPrompt>,
    guard: Option<Pending>,
    /// What to do once a Save As (asked for by the guard) has written the file.
    after_save: Option<Pending>,
    close_confirmed: bool,
    analysis: Analysis,
    beta: f64,
    right_view: RightView,
    central_view: CentralView,
    confidence: f64,
    penalty_view: ui::penalty_view::ViewState,
    title: String,
}

/// The weightbench window.
pub struct WeightbenchApp {
    state: State,
    session: Session,
    dialogs: Box<dyn FileDialogs>,
    /// When set, the first frame reports to stderr how long after this instant it came.
    report_first_frame_since: Option<std::time::Instant>,
}

impl WeightbenchApp {
    /// The app on `state`, showing file dialogs through `dialogs`.
    #[must_use]
    pub fn new(state: State, dialogs: Box<dyn FileDialogs>) -> Self {
        let state = if state.preset.validate().is_ok() && state.baseline.validate().is_ok() {
            state
        } else {
            State {
                recent: state.recent,
                ..State::default()
            }
        };
        let selected = (!state.preset.scenarios.is_empty()).then_some(0);
        let analysis = Analysis::of(&state.preset, DEFAULT_BETA, selected, DEFAULT_CONFIDENCE)
            .or_else(|| {
                Analysis::of(
                    &builtin_notebook(),
                    DEFAULT_BETA,
                    selected,
                    DEFAULT_CONFIDENCE,
                )
            })
            .unwrap_or_else(|| unreachable!("the built-in preset is tested"));
        Self {
            state,
            session: Session {
                undoer: Undoer::default(),
                gesture: None,
                selected,
                filter: ScenarioFilter::All,
                notice: None,
                dialog: None,
                prompt: None,
                guard: None,
                after_save: None,
                close_confirmed: false,
                analysis,
                beta: DEFAULT_BETA,
                right_view: RightView::Scenario,
                central_view: CentralView::Sweep,
                confidence: DEFAULT_CONFIDENCE,
                penalty_view: ui::penalty_view::ViewState::default(),
                title: String::new(),
            },
            dialogs,
            report_first_frame_since: None,
        }
    }

    /// Makes the first frame print how long after `process_start` it came (a diagnostic).
    #[must_use]
    pub fn reporting_first_frame(mut self, process_start: std::time::Instant) -> Self {
        self.report_first_frame_since = Some(process_start);
        self
    }

    /// The app as eframe starts it: the saved state, or `opened` when a file was given.
    #[must_use]
    pub fn from_storage(
        storage: Option<&dyn eframe::Storage>,
        opened: Option<(PathBuf, Preset)>,
        dialogs: Box<dyn FileDialogs>,
    ) -> Self {
        let mut state: State = storage
            .and_then(|storage| eframe::get_value(storage, eframe::APP_KEY))
            .unwrap_or_default();
        if let Some((path, preset)) = opened {
            state.preset = preset.clone();
            state.baseline = preset;
            remember(&mut state.recent, &path);
            state.path = Some(path);
        }
        Self::new(state, dialogs)
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

    /// The current sweep of the debris weight (what the plots draw).
    #[must_use]
    pub fn sweep(&self) -> &Sweep {
        &self.session.analysis.sweep
    }

    /// The current evaluation of every scenario.
    #[must_use]
    pub fn evaluation(&self) -> &Evaluation {
        &self.session.analysis.evaluation
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

    /// One frame of the whole window.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let mut commands = Vec::new();
        // While a question is open, it alone takes input; a shortcut must not stack another.
        if self.session.guard.is_none() && self.session.prompt.is_none() {
            Self::read_shortcuts_and_drops(ui.ctx(), &mut commands);
        }
        self.poll_dialog(ui.ctx());
        let analysis = &self.session.analysis;
        let preset = &self.state.preset;
        egui::Panel::top("menu_bar").show(ui, |ui| {
            let can_undo = self.session.undoer.has_undo(preset);
            let can_redo = self.session.undoer.has_redo(preset);
            ui::menu_bar::ui(ui, &self.state.recent, can_undo, can_redo, &mut commands);
        });
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            ui::status_bar::ui(ui, self.session.notice.as_ref(), &analysis.evaluation);
        });
        egui::Panel::left("classes_and_scenarios")
            .resizable(true)
            .default_size(520.0)
            .show(ui, |ui| {
                ui::class_table::ui(ui, preset, &mut commands);
                ui.separator();
                let view = ui::scenario_list::View {
                    preset,
                    evaluation: &analysis.evaluation,
                    selected: self.session.selected,
                };
                ui::scenario_list::ui(ui, &view, &mut self.session.filter, &mut commands);
            });
        egui::Panel::right("right_panel")
            .resizable(true)
            .default_size(360.0)
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    let view = &mut self.session.right_view;
                    ui.selectable_value(view, RightView::Scenario, "Scenario");
                    ui.selectable_value(view, RightView::Weights, "Weights");
                    ui.selectable_value(view, RightView::Loss, "Loss & export");
                });
                ui.separator();
                egui::ScrollArea::vertical().show(ui, |ui| match self.session.right_view {
                    RightView::Scenario => ui::scenario_editor::ui(
                        ui,
                        preset,
                        &analysis.evaluation,
                        self.session.selected,
                        &mut commands,
                    ),
                    RightView::Weights => {
                        ui::weights_view::ui(
                            ui,
                            preset,
                            analysis,
                            self.session.beta,
                            &mut commands,
                        );
                    }
                    RightView::Loss => {
                        ui::loss_settings::ui(
                            ui,
                            preset,
                            analysis,
                            self.session.selected,
                            &mut commands,
                        );
                    }
                });
            });
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let view = &mut self.session.central_view;
                ui.selectable_value(view, CentralView::Sweep, "Loss curves");
                ui.selectable_value(view, CentralView::Penalties, "Penalty matrix");
                ui.selectable_value(view, CentralView::Balance, "FP vs FN");
            });
            ui.separator();
            match self.session.central_view {
                CentralView::Sweep => {
                    ui::loss_plot::ui(
                        ui,
                        preset,
                        &analysis.sweep,
                        self.session.selected,
                        &mut commands,
                    );
                }
                CentralView::Penalties => {
                    let view = &mut self.session.penalty_view;
                    let confidence = self.session.confidence;
                    ui::penalty_view::ui(ui, preset, analysis, confidence, view, &mut commands);
                }
                CentralView::Balance => {
                    let count_weighted = &mut self.session.penalty_view.count_weighted;
                    ui::balance_view::ui(ui, preset, analysis, count_weighted);
                }
            }
        });
        self.modal_dialogs(ui.ctx());
        for command in commands {
            self.apply(ui.ctx(), command);
        }
        self.end_frame(ui.ctx());
    }

    fn read_shortcuts_and_drops(ctx: &egui::Context, commands: &mut Vec<Command>) {
        ctx.input_mut(|input| {
            for action in Action::ALL {
                if input.consume_shortcut(&action.shortcut()) {
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

    fn modal_dialogs(&mut self, ctx: &egui::Context) {
        if let Some(pending) = self.session.guard.clone() {
            match ui::dialogs::unsaved_changes_ui(ctx, &self.state.preset.name, &pending) {
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
            match ui::dialogs::path_prompt_ui(ctx, prompt) {
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

    /// Applies one command; failures become a notice, and the preset stays as it was.
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::Action(action) => self.run_action(ctx, action),
            Command::Edit(edit) => self.edit(edit),
            Command::Select(selected) => {
                self.session.selected = selected;
                self.after_change();
            }
            Command::OpenPath(path) => self.guarded(ctx, Pending::OpenPath(path)),
            Command::SetBeta(beta) => {
                self.session.beta = beta;
                self.after_change();
            }
            Command::SetConfidence(confidence) => {
                self.session.confidence = confidence;
                self.after_change();
            }
            Command::PenaltyCell { truth, predicted } => self.penalty_cell(truth, predicted),
            Command::Copy(target) => {
                let snippets = &self.session.analysis.snippets;
                if let Some((_, snippet)) = snippets.iter().find(|(t, _)| *t == target) {
                    ctx.copy_text(snippet.clone());
                }
                self.info(format!(
                    "Copied the {} snippet to the clipboard",
                    target.name()
                ));
            }
        }
    }

    fn run_action(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::New => self.guarded(ctx, Pending::New),
            Action::Open => self.guarded(ctx, Pending::Open),
            Action::Save => self.save_then(ctx, None),
            Action::SaveAs => self.start_dialog(ctx, DialogPurpose::SaveAs),
            Action::Undo => {
                if let Some(previous) = self.session.undoer.undo(&self.state.preset) {
                    self.state.preset = previous.clone();
                }
                self.after_change();
            }
            Action::Redo => {
                if let Some(next) = self.session.undoer.redo(&self.state.preset) {
                    self.state.preset = next.clone();
                }
                self.after_change();
            }
            Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }

    fn edit(&mut self, edit: Edit) {
        let gesture = edit.gesture();
        let continuing = gesture.is_some() && gesture == self.session.gesture;
        let before = self.state.preset.clone();
        match self.state.preset.apply(edit) {
            Ok(created) => {
                if !continuing {
                    self.session.undoer.add_undo(&before);
                }
                self.session.gesture = gesture;
                if created.is_some() {
                    self.session.selected = created;
                }
                self.session.notice = None;
                self.after_change();
            }
            Err(error) => self.error(error.to_string()),
        }
    }

    /// Selects the scenario of a penalty-matrix cell: one with that truth whose probabilities
    /// are the cell's prediction, or a new one.
    fn penalty_cell(&mut self, truth: usize, predicted: usize) {
        let preset = &self.state.preset;
        let confidence = self.session.confidence;
        let probabilities = confident_prediction(preset.classes.len(), predicted, confidence);
        let evaluated = &self.session.analysis.evaluation.scenarios;
        let existing = preset.scenarios.iter().zip(evaluated).position(|(s, e)| {
            s.truth == truth
                && e.probabilities
                    .iter()
                    .zip(&probabilities)
                    .all(|(a, b)| (a - b).abs() < 1e-9)
        });
        if let Some(index) = existing {
            self.session.selected = Some(index);
            self.after_change();
            return;
        }
        let name = format!(
            "{} called {} at {:.0} %",
            preset.classes[truth].name,
            preset.classes[predicted].name,
            confidence * 100.0
        );
        let logits = confident_logits(preset.classes.len(), predicted, confidence);
        self.edit(Edit::InsertScenario(crate::core::Scenario {
            name,
            truth,
            logits,
        }));
    }

    /// Keeps the selection in range and the analysis in step with the preset.
    fn after_change(&mut self) {
        let scenarios = self.state.preset.scenarios.len();
        self.session.selected = match self.session.selected {
            _ if scenarios == 0 => None,
            Some(index) if index >= scenarios => Some(scenarios - 1),
            selected => selected,
        };
        let analysis = &self.session.analysis;
        let stale = analysis.preset != self.state.preset
            || analysis.beta.to_bits() != self.session.beta.to_bits()
            || analysis.selected != self.session.selected
            || analysis.confidence.to_bits() != self.session.confidence.to_bits();
        if stale
            && let Some(analysis) = Analysis::of(
                &self.state.preset,
                self.session.beta,
                self.session.selected,
                self.session.confidence,
            )
        {
            self.session.analysis = analysis;
        }
    }

    /// Runs `pending` now, or first asks whether to save unsaved changes.
    fn guarded(&mut self, ctx: &egui::Context, pending: Pending) {
        if self.has_unsaved_changes() {
            self.session.guard = Some(pending);
        } else {
            self.proceed(ctx, pending);
        }
    }

    fn proceed(&mut self, ctx: &egui::Context, pending: Pending) {
        match pending {
            Pending::New => {
                self.replace_document(blank_preset(), None);
                self.info("Started a new preset".to_owned());
            }
            Pending::Open => self.start_dialog(ctx, DialogPurpose::Open),
            Pending::OpenPath(path) => self.open(&path),
            Pending::Quit => {
                // Saved or discarded: either way the next launch starts from the file's content.
                self.state.preset = self.state.baseline.clone();
                self.session.close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    /// Saves to the current file (or asks for one), then runs `then`.
    fn save_then(&mut self, ctx: &egui::Context, then: Option<Pending>) {
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
        match save_preset(&self.state.preset, path) {
            Ok(()) => {
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

    /// A new document: new baseline, fresh undo history.
    fn replace_document(&mut self, preset: Preset, path: Option<PathBuf>) {
        self.state.baseline = preset.clone();
        self.state.preset = preset;
        self.state.path = path;
        self.session.undoer = Undoer::default();
        self.session.gesture = None;
        self.session.selected = (!self.state.preset.scenarios.is_empty()).then_some(0);
        self.after_change();
    }

    fn start_dialog(&mut self, ctx: &egui::Context, purpose: DialogPurpose) {
        if self.session.dialog.is_some() {
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
            DialogPurpose::SaveAs => DialogKind::Save {
                file_name: suggested_file_name(&self.state),
            },
        };
        let receiver = self.dialogs.start(ctx, kind, folder);
        self.session.dialog = Some((purpose, receiver));
    }

    fn poll_dialog(&mut self, ctx: &egui::Context) {
        let Some((purpose, receiver)) = &self.session.dialog else {
            return;
        };
        let purpose = *purpose;
        let Ok(outcome) = receiver.try_recv() else {
            return;
        };
        self.session.dialog = None;
        if let Some(path) = outcome.path {
            self.dialog_answered(ctx, purpose, path);
        } else if outcome.no_dialog_shown() {
            self.error("No file dialog could be shown on this desktop (no portal or zenity); type the path instead".to_owned());
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

    fn end_frame(&mut self, ctx: &egui::Context) {
        let settled =
            ctx.input(|input| !input.pointer.any_down()) && ctx.memory(|m| m.focused().is_none());
        if settled {
            self.session.gesture = None;
        }
        if ctx.input(|input| input.viewport().close_requested())
            && self.has_unsaved_changes()
            && !self.session.close_confirmed
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.session.guard = Some(Pending::Quit);
        }
        let title = self.title();
        if title != self.session.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.session.title = title;
        }
    }

    fn info(&mut self, text: String) {
        self.session.notice = Some(Notice {
            text,
            is_error: false,
        });
    }

    fn error(&mut self, text: String) {
        self.session.notice = Some(Notice {
            text,
            is_error: true,
        });
    }
}

/// Puts `path` first in the recent files.
fn remember(recent: &mut Vec<PathBuf>, path: &Path) {
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
        DialogPurpose::Open => format!("{}/", folder.display()),
        DialogPurpose::SaveAs => folder
            .join(suggested_file_name(state))
            .display()
            .to_string(),
    }
}

impl eframe::App for WeightbenchApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
        if let Some(start) = self.report_first_frame_since.take() {
            eprintln!(
                "weightbench: first frame {} ms after process start",
                start.elapsed().as_millis()
            );
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.state);
    }
}
