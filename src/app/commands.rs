//! Applying the commands the panels emitted: edits (with undo), selection, view changes,
//! menu actions; and keeping the analysis in step with what changed.

use std::sync::Arc;

use eframe::egui;

use crate::command::{Action, CentralTab, Command, TaskKind};
use crate::core::penalties::{CellScenario, cell_scenario};
use crate::core::validation::read::Format;
use crate::core::validation::view::nearest_boundary_sample;
use crate::core::{AnalysisInputs, Edit, Scenario};

use super::WeightbenchApp;
use super::files::Pending;
use super::state::analyse;
use crate::ui::dialogs::DialogPurpose;

impl WeightbenchApp {
    /// Applies one command; failures become a notice, and the preset stays as it was.
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::Action(action) => self.run_action(ctx, action),
            Command::Edit(edit) => self.edit(edit),
            Command::Select(selected) => {
                self.session.selected = selected;
                self.refresh_analysis();
            }
            Command::OpenPath(path) => {
                if Format::of_path(&path).is_some() {
                    self.load_validation(ctx, path, None);
                } else {
                    self.guarded(ctx, Pending::OpenPath(path));
                }
            }
            Command::SetBeta(beta) => {
                self.session.beta = beta;
                self.refresh_analysis();
            }
            Command::SetConfidence(confidence) => {
                self.session.confidence = confidence;
                self.refresh_analysis();
            }
            Command::PenaltyCell { truth, predicted } => self.penalty_cell(truth, predicted),
            Command::Copy(target) => {
                if let Some(snippet) = self.session.analysis().and_then(|a| a.snippet(target)) {
                    ctx.copy_text(snippet.to_owned());
                    self.info(format!(
                        "Copied the {} snippet to the clipboard",
                        target.name()
                    ));
                }
            }
            Command::ShowCentral(tab) => {
                self.state.central_tab = tab;
                self.refresh_analysis();
            }
            Command::ShowRight(tab) => self.state.right_tab = tab,
            Command::Cancel(TaskKind::FileDialog) => self.session.dialog.cancel(),
            Command::Cancel(TaskKind::LoadValidation) => self.session.loading.cancel(),
            Command::Cancel(TaskKind::PrepareOutcomes) => {
                self.session.outcomes.preparing.cancel();
            }
            Command::Cancel(TaskKind::Bootstrap) => self.session.outcomes.bootstrapping.cancel(),
            Command::Cancel(TaskKind::SuggestWeights) => {
                self.session.outcomes.suggesting.cancel();
            }
            Command::Cancel(TaskKind::Simulate) => self.session.simulator.running.cancel(),
            Command::Cancel(TaskKind::DecisionRegions) => {
                self.session.simulator.drawing.cancel();
            }
            Command::ConfusionCell { truth, predicted } => self.confusion_cell(truth, predicted),
            Command::SuggestWeights => self.start_suggestion(ctx),
            Command::RunAgain(TaskKind::Simulate | TaskKind::DecisionRegions) => {
                self.session.simulator.stopped = None;
                self.session.simulator.started = None;
            }
            Command::RunAgain(_) => {
                self.session.outcomes.stopped = None;
                self.refresh_outcomes();
            }
            Command::SetOutcomeSettings(settings) => {
                self.state.outcomes = settings;
                self.refresh_outcomes();
            }
            Command::SetSimulatorSettings(settings) => self.state.simulator = settings,
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
                // Typing on in the field after an undo is a new edit, not more of the old one.
                self.session.gesture = None;
                self.refresh_analysis();
            }
            Action::Redo => {
                if let Some(next) = self.session.undoer.redo(&self.state.preset) {
                    self.state.preset = next.clone();
                }
                self.session.gesture = None;
                self.refresh_analysis();
            }
            Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Action::LoadValidation => self.start_dialog(ctx, DialogPurpose::LoadValidation),
            Action::ShowCentral(tab) => self.apply(ctx, Command::ShowCentral(tab)),
            Action::ShowRight(tab) => self.apply(ctx, Command::ShowRight(tab)),
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
        let Some(analysis) = self.session.analysis() else {
            return;
        };
        let shown = crate::ui::scenario_list::shown_scenarios(
            &self.state.preset,
            &analysis.evaluation,
            self.session.filter,
        );
        if let Some(&index) = pick(&shown, self.session.selected) {
            self.session.selected = Some(index);
            self.refresh_analysis();
        }
    }

    /// Applies an edit as one undo step, or as part of the gesture (drag, typing) under way.
    pub(super) fn edit(&mut self, edit: Edit) {
        let gesture = edit.gesture();
        let continuing = gesture.is_some() && gesture == self.session.gesture;
        let before = self.state.preset.clone();
        match self.state.preset.apply(edit) {
            Ok(created) => {
                if !continuing {
                    self.session.undoer.add_undo(&before);
                }
                self.drop_undone_steps();
                self.session.gesture = gesture;
                if created.is_some() {
                    self.session.selected = created;
                }
                self.session.notice = None;
                self.refresh_analysis();
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
        let undoer = &mut self.session.undoer;
        if !undoer.has_redo(&self.state.preset) {
            let _ = undoer.redo(&self.state.preset);
        }
    }

    /// Selects the scenario of a penalty-matrix cell, or creates it.
    fn penalty_cell(&mut self, truth: usize, predicted: usize) {
        let Some(analysis) = self.session.analysis() else {
            return;
        };
        let confidence = self.session.confidence;
        let preset = &self.state.preset;
        match cell_scenario(preset, &analysis.evaluation, truth, predicted, confidence) {
            CellScenario::Existing(index) => {
                self.session.selected = Some(index);
                self.refresh_analysis();
            }
            CellScenario::New(scenario) => self.edit(Edit::InsertScenario(scenario)),
        }
    }

    /// Adds the validation sample of a confusion cell nearest the decision boundary as a
    /// scenario, and selects it.
    fn confusion_cell(&mut self, truth: usize, predicted: usize) {
        let (Some(loaded), Some(Ok(prepared))) =
            (&self.session.validation, &self.session.outcomes.prepared)
        else {
            return;
        };
        let data = Arc::clone(&loaded.data);
        let rule = prepared.setup.rule(&self.state.preset.weights());
        let classes = &self.state.preset.classes;
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

    /// The inputs the views should show now.
    fn wanted_inputs(&self) -> AnalysisInputs {
        AnalysisInputs {
            preset: self.state.preset.clone(),
            beta: self.session.beta,
            confidence: self.session.confidence,
            selected: self.session.selected,
            penalty_matrix: self.state.central_tab == CentralTab::PenaltyMatrix,
        }
    }

    /// Keeps the selection in range and recomputes the analysis if its inputs changed.
    pub(super) fn refresh_analysis(&mut self) {
        let scenarios = self.state.preset.scenarios.len();
        self.session.selected = match self.session.selected {
            _ if scenarios == 0 => None,
            Some(index) if index >= scenarios => Some(scenarios - 1),
            selected => selected,
        };
        let inputs = self.wanted_inputs();
        if inputs != *self.session.inputs() {
            self.session.analysis = analyse(inputs, self.session.analysis());
        }
        self.refresh_outcomes();
    }
}
