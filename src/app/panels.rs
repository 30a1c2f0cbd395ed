//! The panel frames: which panel goes where, and which view of `crate::ui` draws into it.

use eframe::egui;

use crate::command::{CentralTab, Command, RightTab, TaskKind};
use crate::ui::{self, status_bar::Activity};

use super::simulator::SimulatorInputs;
use super::window::WeightbenchApp;

impl WeightbenchApp {
    pub(super) fn menu_bar(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        egui::Panel::top("menu_bar").show(ui, |ui| {
            let view = ui::menu_bar::View {
                recent: &self.state.recent,
                recent_validation: &self.state.recent_validation,
                can_undo: self.can_undo(),
                can_redo: self.can_redo(),
                central_tab: self.state.views.central,
                right_tab: self.state.views.right,
            };
            ui::menu_bar::ui(ui, &view, commands);
        });
    }

    pub(super) fn status_bar(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let activities: Vec<Activity> = self.session.tasks.activities();
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            let view = ui::status_bar::View {
                activities: &activities,
                notice: self.notice(),
                evaluation: self.evaluation(),
            };
            ui::status_bar::ui(ui, &view, commands);
        });
    }

    /// The classes and scenarios on the left; the selected scenario, the weighting schemes or
    /// the loss settings on the right.
    pub(super) fn side_panels(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let preset = &self.state.document.preset;
        let analysis = self
            .session
            .analysis
            .get()
            .and_then(|result| result.as_ref().ok());
        let choices = &mut self.session.choices;
        egui::Panel::left("classes_and_scenarios")
            .resizable(true)
            .default_size(520.0)
            .show(ui, |ui| {
                ui::class_table::ui(ui, preset, commands);
                ui.separator();
                if let Some(analysis) = analysis {
                    let view = ui::scenario_list::View {
                        preset,
                        evaluation: &analysis.evaluation,
                        selected: choices.selected,
                    };
                    ui::scenario_list::ui(ui, &view, &mut choices.filter, commands);
                }
            });
        let tab = self.state.views.right;
        egui::Panel::right("right_panel")
            .resizable(true)
            .default_size(360.0)
            .show(ui, |ui| {
                if let Some(tab) = ui::tabs::tab_row(ui, tab, &RightTab::ALL, RightTab::label) {
                    commands.push(Command::ShowRight(tab));
                }
                ui.separator();
                let Some(analysis) = analysis else {
                    return;
                };
                egui::ScrollArea::vertical().show(ui, |ui| match tab {
                    RightTab::Scenario => ui::scenario::ui(
                        ui,
                        preset,
                        &analysis.evaluation,
                        choices.selected,
                        commands,
                    ),
                    RightTab::Weights => {
                        ui::weights::ui(ui, preset, analysis, choices.beta, commands);
                    }
                    RightTab::LossAndExport => {
                        let selected = choices.selected;
                        ui::loss_and_export::ui(ui, preset, analysis, selected, commands);
                    }
                });
            });
    }

    pub(super) fn central_panel(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let tab = self.state.views.central;
        let preset = &self.state.document.preset;
        let session = &mut self.session;
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(tab) = ui::tabs::tab_row(ui, tab, &CentralTab::ALL, CentralTab::label) {
                commands.push(Command::ShowCentral(tab));
            }
            ui.separator();
            let analysis = match session.analysis.get() {
                Some(Ok(analysis)) => analysis,
                Some(Err(failed)) => {
                    let text = format!("Nothing to show: {}", failed.1);
                    ui.colored_label(ui.visuals().error_fg_color, text);
                    return;
                }
                None => return,
            };
            match tab {
                CentralTab::LossCurves => {
                    let view = ui::loss_curves::View {
                        preset,
                        sweep: &analysis.sweep,
                        spread: &analysis.spread,
                        selected: session.choices.selected,
                    };
                    ui::loss_curves::ui(ui, &view, &mut self.state.loss_curves, commands);
                }
                CentralTab::PenaltyMatrix => {
                    let view = &mut session.choices.penalty_view;
                    ui::penalty_matrix::ui(ui, preset, analysis, view, commands);
                }
                CentralTab::FpVsFn => {
                    let count_weighted = &mut session.choices.penalty_view.count_weighted;
                    ui::fp_vs_fn::ui(ui, preset, analysis, count_weighted);
                }
                CentralTab::Outcomes => {
                    let outcomes = &session.outcomes;
                    let view = ui::outcomes::View {
                        preset,
                        data: session.outputs.loaded().map(|loaded| loaded.data.as_ref()),
                        prepared: outcomes.prepared(),
                        current: outcomes.current.get().map(Result::as_ref),
                        bands: outcomes.bands(),
                        prepared_current: outcomes.prepared_current(),
                        stopped: outcomes.stopped(),
                        suggestion: outcomes.suggestion(),
                        suggesting: session.tasks.is_running(TaskKind::SuggestWeights),
                    };
                    ui::outcomes::ui(ui, &view, &self.state.outcomes, commands);
                }
                CentralTab::Simulator => {
                    let simulator = &session.simulator;
                    let wanted = SimulatorInputs::new(preset, self.state.simulator.options());
                    let stale = |latest: Option<&SimulatorInputs>| {
                        latest.is_some_and(|inputs| *inputs != wanted)
                    };
                    let view = ui::simulator::View {
                        preset,
                        simulation: simulator
                            .simulation
                            .latest()
                            .map(|(_, result)| result.as_ref()),
                        regions: simulator
                            .regions
                            .latest()
                            .and_then(|(_, result)| match result {
                                Ok(regions) => simulator.texture.get().map(|texture| {
                                    Ok(ui::simulator::RegionMap {
                                        data: &regions.data,
                                        bounds: regions.bounds,
                                        texture: texture.id(),
                                    })
                                }),
                                Err(error) => Some(Err(error)),
                            }),
                        stale: stale(simulator.simulation.latest().map(|(k, _)| k)),
                        regions_stale: stale(simulator.regions.latest().map(|(k, _)| k)),
                        stopped: simulator.simulation.stopped(&wanted),
                    };
                    ui::simulator::ui(ui, &view, &self.state.simulator, commands);
                }
            }
        });
    }
}
