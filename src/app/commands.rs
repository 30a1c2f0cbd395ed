//! Applying the commands the panels emitted: edits (with undo), selection, view changes,
//! menu actions. What is derived from them is synced in `App::logic`, never here.

use std::sync::Arc;

use eframe::egui;

use crate::command::{Action, Command, TaskKind};
use crate::core::cases::penalties::{CellScenario, cell_scenario};
use crate::core::outcomes::read::Format;
use crate::core::outcomes::view::nearest_boundary_sample;
use crate::core::preset::edit::Edit;
use crate::core::preset::{Preset, Scenario};

use super::file_flow::Pending;
use super::window::WeightbenchApp;
use crate::ui::dialogs::DialogPurpose;

impl WeightbenchApp {
    /// Applies one command; failures become a notice, and the preset stays as it was.
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::Action(action) => self.run_action(ctx, action),
            Command::Edit(edit) => self.edit(edit),
            Command::Select(selected) => self.session.choices.selected = selected,
            Command::OpenPath(path) => {
                if Format::of_path(&path).is_some() {
                    self.load_validation(ctx, path, None);
                } else {
                    self.guarded(ctx, Pending::OpenPath(path));
                }
            }
            Command::SetBeta(beta) => self.session.choices.beta = beta,
            Command::SetConfidence(confidence) => self.session.choices.confidence = confidence,
            Command::PenaltyCell { truth, predicted } => self.penalty_cell(truth, predicted),
            Command::Copy(target) => {
                if let Some(snippet) = self.analysis().and_then(|a| a.snippet(target)) {
                    ctx.copy_text(snippet.to_owned());
                    self.info(format!(
                        "Copied the {} snippet to the clipboard",
                        target.name()
                    ));
                }
            }
            Command::ShowPane(pane) => {
                let width = ctx.content_rect().width();
                self.state.workspaces.show_pane(pane, width);
            }
            Command::Maximise(pane) => {
                let workspaces = &mut self.state.workspaces;
                let current = workspaces.current;
                workspaces.layout_mut(current).maximised =
                    pane.filter(|pane| current.panes().contains(pane));
            }
            Command::ResetLayout => {
                let workspaces = &mut self.state.workspaces;
                let current = workspaces.current;
                *workspaces.layout_mut(current) = super::workspace::Layout::default();
                self.info(format!(
                    "The {} workspace's panes are back where they start",
                    current.label()
                ));
            }

            Command::Cancel(task) => self.session.tasks.cancel(task),
            Command::ConfusionCell { truth, predicted } => self.confusion_cell(truth, predicted),
            Command::SuggestWeights => self.session.outcomes.suggestion_asked = true,
            Command::RunAgain(TaskKind::Simulate | TaskKind::DecisionRegions) => {
                self.session.simulator.run_again();
            }
            Command::RunAgain(TaskKind::PrepareRuns) => self.session.runs.set.run_again(),
            Command::RunAgain(TaskKind::NearestWeights) => {
                self.session.outcomes.closest.run_again();
            }
            Command::RunAgain(_) => self.session.outcomes.prepared.run_again(),
            Command::SetOutcomeSettings(settings) => self.state.outcomes = settings,
            Command::SetSimulatorSettings(settings) => self.state.simulator = settings,
            Command::AddRuns(paths) => self.add_runs(&paths),
            Command::WatchRuns(folder) => self.watch_runs(folder),
            Command::ClearRuns => {
                self.session.tasks.cancel(TaskKind::ReadRuns);
                self.session.tasks.cancel(TaskKind::PrepareRuns);
                self.session.runs.clear();
                self.info("The runs are cleared");
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
                let history = &mut self.session.history;
                if let Some(previous) = history.undoer.undo(&self.state.document.preset) {
                    let previous = previous.clone();
                    self.set_preset(previous);
                }
                // Typing on in the field after an undo is a new edit, not more of the old one.
                self.session.history.gesture = None;
            }
            Action::Redo => {
                let history = &mut self.session.history;
                if let Some(next) = history.undoer.redo(&self.state.document.preset) {
                    let next = next.clone();
                    self.set_preset(next);
                }
                self.session.history.gesture = None;
            }
            Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Action::LoadValidation => self.start_dialog(ctx, DialogPurpose::LoadValidation),
            Action::AddRuns => self.start_dialog(ctx, DialogPurpose::AddRun),
            Action::WatchRunsFolder => self.start_dialog(ctx, DialogPurpose::WatchRuns),
            Action::ShowWorkspace(workspace) => self.state.workspaces.current = workspace,
            Action::MaximisePane => {
                let workspaces = &self.state.workspaces;
                let maximised = workspaces.layout(workspaces.current).maximised;
                let pane = match maximised {
                    Some(_) => None,
                    None => Some(
                        self.session
                            .pointer_pane
                            .filter(|pane| workspaces.current.panes().contains(pane))
                            .unwrap_or_else(|| workspaces.current.main_pane()),
                    ),
                };
                self.apply(ctx, Command::Maximise(pane));
            }
            Action::NextScenario => self.select_shown(|shown, selected| {
                shown
                    .iter()
                    .find(|&&index| selected.is_none_or(|s| index > s))
            }),
            Action::PreviousScenario => self.select_shown(|shown, selected| {
                shown
                    .iter()
                    .rfind(|&&index| selected.is_none_or(|s| index < s))
            }),
        }
    }

    /// Selects the scenario `pick` finds among those the list shows (top to bottom), given
    /// the one selected now; nothing changes when it finds none (past either end).
    fn select_shown(&mut self, pick: impl FnOnce(&[usize], Option<usize>) -> Option<&usize>) {
        let Some(analysis) = self.analysis() else {
            return;
        };
        let choices = &self.session.choices;
        let shown = crate::ui::scenario_list::shown_scenarios(
            self.preset(),
            &analysis.evaluation,
            choices.filter,
        );
        if let Some(&index) = pick(&shown, choices.selected) {
            self.session.choices.selected = Some(index);
        }
    }

    /// Applies an edit as one undo step, or as part of the gesture (drag, typing) under way.
    pub(super) fn edit(&mut self, edit: Edit) {
        let gesture = edit.gesture();
        let continuing = gesture.is_some() && gesture == self.session.history.gesture;
        let mut edited = self.preset().clone();
        match edited.apply(edit) {
            Ok(created) => {
                if !continuing {
                    self.session
                        .history
                        .undoer
                        .add_undo(&self.state.document.preset);
                }
                self.set_preset(edited);
                self.drop_undone_steps();
                self.session.history.gesture = gesture;
                if created.is_some() {
                    self.session.choices.selected = created;
                }
                self.session.status.notice = None;
            }
            Err(error) => self.error(error.to_string()),
        }
    }

    /// After a change, forgets the steps that were undone, so Redo cannot bring one back.
    ///
    /// egui's `Undoer` keeps its redo list until asked to redo from a preset other than its
    /// latest undo point; that request clears the list and changes nothing else. While the
    /// preset is that undo point (an edit that changed nothing), the list still holds.
    fn drop_undone_steps(&mut self) {
        let undoer = &mut self.session.history.undoer;
        let preset = &self.state.document.preset;
        if !undoer.has_redo(preset) {
            let _ = undoer.redo(preset);
        }
    }

    /// Selects the scenario of a penalty-matrix cell, or creates it.
    fn penalty_cell(&mut self, truth: usize, predicted: usize) {
        let Some(analysis) = self.analysis() else {
            return;
        };
        let confidence = self.session.choices.confidence;
        match cell_scenario(
            self.preset(),
            &analysis.evaluation,
            truth,
            predicted,
            confidence,
        ) {
            CellScenario::Existing(index) => self.session.choices.selected = Some(index),
            CellScenario::New(scenario) => self.edit(Edit::InsertScenario(scenario)),
        }
    }

    /// Adds the validation sample of a confusion cell nearest the decision boundary as a
    /// scenario, and selects it.
    fn confusion_cell(&mut self, truth: usize, predicted: usize) {
        let (Some((data, _)), Some(Ok(prepared))) = (
            self.session.outputs.data(),
            self.session.outcomes.prepared(),
        ) else {
            return;
        };
        let data = Arc::clone(data);
        let rule = prepared.setup.rule(&self.preset().weights());
        let classes = &self.preset().classes;
        let name = |c: usize| classes.get(c).map_or("?", |class| class.name.as_str());
        let Some(sample) = nearest_boundary_sample(&data, &rule, truth, predicted) else {
            self.info(format!(
                "No {} sample is called {}",
                name(truth),
                name(predicted)
            ));
            return;
        };
        let scenario = Scenario {
            name: format!(
                "{} sample {sample}: {} called {}",
                data.source,
                name(truth),
                name(predicted)
            ),
            truth,
            logits: data.row(sample),
        };
        self.edit(Edit::InsertScenario(scenario));
    }

    /// Replaces the preset (an edit, undo, redo or a save's paths): its revision moves on, so
    /// everything derived from it is recomputed at the next sync.
    pub(super) fn set_preset(&mut self, preset: Preset) {
        self.state.document.preset = preset;
        self.session.history.changed();
    }
}
