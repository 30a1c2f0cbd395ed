//! The panel frames: which panel goes where, and which view of `crate::ui` draws into it.

use eframe::egui;

use crate::command::{CentralTab, Command, RightTab};
use crate::core::validation::view::PreparationInputs;
use crate::ui::{self, status_bar::Activity};

use super::WeightbenchApp;

impl WeightbenchApp {
    pub(super) fn menu_bar(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        egui::Panel::top("menu_bar").show(ui, |ui| {
            let preset = &self.state.preset;
            let can_undo = self.session.undoer.has_undo(preset);
            let can_redo = self.session.undoer.has_redo(preset);
            let view = ui::menu_bar::View {
                recent: &self.state.recent,
                recent_validation: &self.state.recent_validation,
                can_undo,
                can_redo,
                central_tab: self.state.central_tab,
                right_tab: self.state.right_tab,
            };
            ui::menu_bar::ui(ui, &view, commands);
        });
    }

    pub(super) fn status_bar(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let activities: Vec<Activity> = self.activities();
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            let view = ui::status_bar::View {
                activities: &activities,
                notice: self.session.notice.as_ref(),
                evaluation: self.session.analysis().map(|a| &a.evaluation),
            };
            ui::status_bar::ui(ui, &view, commands);
        });
    }

    /// The classes and scenarios on the left; the selected scenario, the weighting schemes or
    /// the loss settings on the right.
    pub(super) fn side_panels(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let preset = &self.state.preset;
        let analysis = self.session.analysis.as_ref().ok();
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
                        selected: self.session.selected,
                    };
                    ui::scenario_list::ui(ui, &view, &mut self.session.filter, commands);
                }
            });
        let tab = self.state.right_tab;
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
                        self.session.selected,
                        commands,
                    ),
                    RightTab::Weights => {
                        ui::weights::ui(ui, preset, analysis, self.session.beta, commands);
                    }
                    RightTab::LossAndExport => {
                        let selected = self.session.selected;
                        ui::loss_and_export::ui(ui, preset, analysis, selected, commands);
                    }
                });
            });
    }

    pub(super) fn central_panel(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let tab = self.state.central_tab;
        let outcome_options = self.outcome_options();
        // What the simulator's results are compared with, only while its tab is shown.
        let simulator_inputs = (tab == CentralTab::Simulator)
            .then(|| super::simulator::inputs(&self.state.preset, self.simulation_options()));
        let preset = &self.state.preset;
        let session = &mut self.session;
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(tab) = ui::tabs::tab_row(ui, tab, &CentralTab::ALL, CentralTab::label) {
                commands.push(Command::ShowCentral(tab));
            }
            ui.separator();
            let analysis = match &session.analysis {
                Ok(analysis) => analysis,
                Err(failed) => {
                    let text = format!("Nothing to show: {}", failed.1);
                    ui.colored_label(ui.visuals().error_fg_color, text);
                    return;
                }
            };
            match tab {
                CentralTab::LossCurves => {
                    let view = ui::loss_curves::View {
                        preset,
                        sweep: &analysis.sweep,
                        spread: &analysis.spread,
                        selected: session.selected,
                    };
                    ui::loss_curves::ui(ui, &view, &mut self.state.loss_curves, commands);
                }
                CentralTab::PenaltyMatrix => {
                    let view = &mut session.penalty_view;
                    ui::penalty_matrix::ui(ui, preset, analysis, view, commands);
                }
                CentralTab::FpVsFn => {
                    let count_weighted = &mut session.penalty_view.count_weighted;
                    ui::fp_vs_fn::ui(ui, preset, analysis, count_weighted);
                }
                CentralTab::Outcomes => {
                    let outcomes = &session.outcomes;
                    let wanted = session.validation.as_ref().map(|_| {
                        PreparationInputs::new(outcomes.data_generation, preset, &outcome_options)
                    });
                    let view = ui::outcomes::View {
                        preset,
                        data: session.validation.as_ref().map(|v| v.data.as_ref()),
                        prepared: outcomes
                            .prepared
                            .as_ref()
                            .map(|p| p.as_ref().map(AsRef::as_ref)),
                        current: outcomes.current.as_ref().map(Result::as_ref),
                        bands: outcomes
                            .bands
                            .as_ref()
                            .filter(|(inputs, _)| match &outcomes.prepared {
                                Some(Ok(prepared)) => inputs == &prepared.inputs,
                                _ => false,
                            })
                            .map(|(_, bands)| bands),
                        prepared_current: match &outcomes.prepared {
                            Some(Ok(prepared)) => Some(&prepared.inputs) == wanted.as_ref(),
                            _ => true,
                        },
                        stopped: outcomes
                            .stopped
                            .as_ref()
                            .filter(|(inputs, _)| Some(inputs) == wanted.as_ref())
                            .map(|(_, reason)| reason.as_str()),
                        suggestion: outcomes.suggestion.as_ref().map(|(inputs, result)| {
                            (result.as_ref(), Some(inputs) != wanted.as_ref())
                        }),
                        suggesting: outcomes.suggesting.is_running(),
                    };
                    ui::outcomes::ui(ui, &view, &self.state.outcomes, commands);
                }
                CentralTab::Simulator => {
                    let simulator = &session.simulator;
                    if let Some((_, Ok(regions))) = &simulator.regions
                        && session.regions_texture.is_none()
                    {
                        session.regions_texture = Some(ui.ctx().load_texture(
                            "decision_regions",
                            region_image(preset, regions, ui.visuals()),
                            egui::TextureOptions::NEAREST,
                        ));
                    }
                    let wanted = simulator_inputs.as_ref();
                    let stale = simulator
                        .simulation
                        .as_ref()
                        .is_some_and(|(inputs, _)| Some(inputs) != wanted);
                    let regions_stale = simulator
                        .regions
                        .as_ref()
                        .is_some_and(|(inputs, _)| Some(inputs) != wanted);
                    let view = ui::simulator::View {
                        preset,
                        simulation: simulator
                            .simulation
                            .as_ref()
                            .map(|(_, result)| result.as_ref()),
                        regions: simulator
                            .regions
                            .as_ref()
                            .and_then(|(_, result)| match result {
                                Ok(regions) => session.regions_texture.as_ref().map(|texture| {
                                    Ok(ui::simulator::RegionMap {
                                        data: &regions.data,
                                        bounds: regions.bounds,
                                        texture: texture.id(),
                                    })
                                }),
                                Err(error) => Some(Err(error)),
                            }),
                        stale,
                        regions_stale,
                        stopped: simulator.stopped.as_deref(),
                    };
                    ui::simulator::ui(ui, &view, &self.state.simulator, commands);
                }
            }
        });
    }
}

/// The decision regions as an image: each class's colour, faded toward the panel's.
fn region_image(
    preset: &crate::core::Preset,
    regions: &super::simulator::Regions,
    visuals: &egui::Visuals,
) -> egui::ColorImage {
    let side = super::simulator::REGION_RESOLUTION;
    let _ = preset;
    let pixels = regions
        .classes
        .iter()
        .map(|&class| ui::palette::series(class as usize).lerp_to_gamma(visuals.panel_fill, 0.6))
        .collect();
    egui::ColorImage::new([side, side], pixels)
}
