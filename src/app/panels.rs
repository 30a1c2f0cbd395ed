//! The window's frame: the menu bar, the workspace bar, the status bar, and the current
//! workspace's tiles, each pane drawn by its view of `crate::ui`.

use eframe::egui;
use egui_tiles::{SimplificationOptions, Tile, TileId, Tiles, UiResponse};

use crate::command::{Command, Pane, TaskKind};
use crate::core::cases::analysis::Analysis;
use crate::core::preset::Preset;
use crate::ui::{self, layout, status_bar::Activity};

use super::session::Choices;
use super::simulator::SimulatorInputs;
use super::window::WeightbenchApp;

impl WeightbenchApp {
    pub(super) fn menu_bar(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        egui::Panel::top("menu_bar").show(ui, |ui| {
            let workspaces = &self.state.workspaces;
            let view = ui::menu_bar::View {
                recent: &self.state.recent,
                recent_validation: &self.state.recent_validation,
                can_undo: self.can_undo(),
                can_redo: self.can_redo(),
                workspace: workspaces.current,
                maximised: workspaces.layout(workspaces.current).maximised.is_some(),
            };
            ui::menu_bar::ui(ui, &view, commands);
        });
        egui::Panel::top("workspace_bar").show(ui, |ui| {
            ui::workspace_bar::ui(ui, self.state.workspaces.current, commands);
        });
    }

    pub(super) fn status_bar(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let activities: Vec<Activity> = self.session.tasks.activities();
        let unavailable = match self.session.analysis.get() {
            Some(Err(failed)) => Some(failed.1.to_string()),
            _ => None,
        };
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            let view = ui::status_bar::View {
                activities: &activities,
                notice: self.notice(),
                evaluation: self.evaluation(),
                unavailable: unavailable.as_deref(),
            };
            ui::status_bar::ui(ui, &view, commands);
        });
    }

    /// The current workspace: its tiles, or the one pane maximised to fill it.
    pub(super) fn workspace(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let width = ui.ctx().content_rect().width();
        let state = &mut self.state;
        let session = &mut self.session;
        let preset = &state.document.preset;
        let analysis = session.analysis.get().map(|result| {
            result
                .as_ref()
                .map_err(|failed| format!("Nothing to show: {}", failed.1))
        });
        let outcomes = &session.outcomes;
        let outcome_view = ui::outcomes::View {
            preset,
            data: session.outputs.loaded().map(|loaded| loaded.data.as_ref()),
            prepared: outcomes.prepared(),
            current: outcomes.shown_current(),
            by_cost: outcomes.by_cost(),
            bands: outcomes.bands(),
            prepared_current: outcomes.prepared_current(),
            stopped: outcomes.stopped(),
            suggestion: outcomes.suggestion(),
            suggesting: session.tasks.is_running(TaskKind::SuggestWeights),
            runs: ui::outcomes::runs::RunsShown {
                loaded: session.runs.loaded.len(),
                set: session.runs.prepared(),
                view: session.runs.view.get().and_then(Option::as_ref),
                refused: session
                    .runs
                    .refused
                    .iter()
                    .map(|r| (r.path.as_path(), r.message.as_str(), r.retrying()))
                    .collect(),
                watch: session.runs.watch.as_deref(),
                reading: session.tasks.is_running(TaskKind::ReadRuns),
                preparing: session.tasks.is_running(TaskKind::PrepareRuns),
            },
            costs: ui::outcomes::costs::CostsShown {
                outcomes: outcomes.cost_outcomes(),
                weights: outcomes
                    .current
                    .get()
                    .and_then(|current| current.as_ref().ok())
                    .map(|current| &current.current),
                closest: outcomes.closest(preset),
                searching: session.tasks.is_running(TaskKind::NearestWeights),
            },
        };
        let simulator = &session.simulator;
        let wanted = SimulatorInputs::new(preset, state.simulator.options());
        let outdated =
            |latest: Option<&SimulatorInputs>| latest.is_some_and(|inputs| *inputs != wanted);
        let simulator_view = ui::simulator::View {
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
            stale: outdated(simulator.simulation.latest().map(|(k, _)| k)),
            regions_stale: outdated(simulator.regions.latest().map(|(k, _)| k)),
            stopped: simulator.simulation.stopped(&wanted),
        };
        let layout = state.workspaces.current_laid_out(width);
        let mut panes = Panes {
            preset,
            analysis,
            choices: &mut session.choices,
            loss_curves: &mut state.loss_curves,
            outcomes: outcome_view,
            outcome_settings: &state.outcomes,
            simulator: simulator_view,
            simulator_settings: &state.simulator,
            maximised: layout.maximised,
            commands,
            maximise: None,
            pointer: None,
        };
        egui::CentralPanel::default()
            .frame(egui::Frame::central_panel(ui.style()).inner_margin(2.0))
            .show(ui, |ui| {
                if let Some(pane) = layout.maximised {
                    panes.maximised_ui(ui, pane);
                } else if let Some(tree) = layout.tree.as_mut() {
                    tree.ui(&mut panes, ui);
                }
            });
        session.pointer_pane = panes.pointer;
        if let Some(maximise) = panes.maximise {
            panes.commands.push(maximise);
        }
    }
}

/// Draws the panes of a workspace from what the app holds; what the user does becomes
/// commands.
struct Panes<'a> {
    preset: &'a Preset,
    /// The hand cases' analysis, or why there is none; `None` before the first.
    analysis: Option<Result<&'a Analysis, String>>,
    choices: &'a mut Choices,
    loss_curves: &'a mut ui::loss_curves::PlotSettings,
    outcomes: ui::outcomes::View<'a>,
    outcome_settings: &'a ui::outcomes::Settings,
    simulator: ui::simulator::View<'a>,
    simulator_settings: &'a ui::simulator::Settings,
    /// The pane filling the workspace, if one does.
    maximised: Option<Pane>,
    commands: &'a mut Vec<Command>,
    /// A pane to maximise, or the layout to restore ([`Command::Maximise`]), asked for this
    /// frame.
    maximise: Option<Command>,
    /// The pane under the pointer.
    pointer: Option<Pane>,
}

impl Panes<'_> {
    /// The pane `pane`, filling `ui`.
    fn pane_ui(&mut self, ui: &mut egui::Ui, pane: Pane) {
        if ui.rect_contains_pointer(ui.max_rect()) {
            self.pointer = Some(pane);
        }
        layout::record(ui, pane.label(), layout::Kind::Panel, ui.max_rect(), true);
        let preset = self.preset;
        let commands = &mut *self.commands;
        match pane {
            Pane::Classes => {
                let full = self.maximised == Some(Pane::Classes);
                ui::class_table::ui(ui, preset, full, commands);
            }
            Pane::OutcomeSetup => {
                ui::outcomes::setup_ui(ui, &self.outcomes, self.outcome_settings, commands);
            }
            Pane::Trade => ui::outcomes::trade_ui(ui, &self.outcomes, commands),
            Pane::PerClass => {
                ui::outcomes::per_class_ui(ui, &self.outcomes, self.outcome_settings, commands);
            }
            Pane::Confusion => {
                ui::outcomes::confusion_ui(ui, &self.outcomes, self.outcome_settings, commands);
            }
            Pane::Suggestions => {
                ui::outcomes::suggestions_ui(ui, &self.outcomes, self.outcome_settings, commands);
            }
            Pane::Runs => ui::outcomes::runs_ui(ui, &self.outcomes, commands),
            Pane::Costs => {
                ui::outcomes::costs_ui(ui, &self.outcomes, self.outcome_settings, commands);
            }
            Pane::SimulatorSettings => {
                ui::simulator::settings_ui(ui, &self.simulator, self.simulator_settings, commands);
            }
            Pane::RetrainedFalsePositives => {
                ui::simulator::retrained_ui(ui, &self.simulator, true, commands);
            }
            Pane::RetrainedFalseNegatives => {
                ui::simulator::retrained_ui(ui, &self.simulator, false, commands);
            }
            Pane::Regions => ui::simulator::regions_ui(ui, &self.simulator),
            Pane::Scenarios
            | Pane::LossCurves
            | Pane::PenaltyMatrix
            | Pane::FpVsFn
            | Pane::Scenario
            | Pane::Weights
            | Pane::LossAndExport => self.hand_case_ui(ui, pane),
        }
    }

    /// A pane of the hand cases, drawn from their analysis (or why there is none).
    fn hand_case_ui(&mut self, ui: &mut egui::Ui, pane: Pane) {
        let analysis = match &self.analysis {
            Some(Ok(analysis)) => *analysis,
            Some(Err(why)) => {
                ui.colored_label(ui.visuals().error_fg_color, why);
                return;
            }
            None => return,
        };
        let preset = self.preset;
        let choices = &mut *self.choices;
        let commands = &mut *self.commands;
        let scrolled = |ui: &mut egui::Ui, id: &str, add: &mut dyn FnMut(&mut egui::Ui)| {
            egui::ScrollArea::both()
                .id_salt(id)
                .auto_shrink([false, false])
                .show(ui, |ui| add(ui));
        };
        match pane {
            Pane::Scenarios => {
                let view = ui::scenario_list::View {
                    preset,
                    evaluation: &analysis.evaluation,
                    selected: choices.selected,
                };
                ui::scenario_list::ui(ui, &view, &mut choices.filter, commands);
            }
            Pane::LossCurves => {
                let view = ui::loss_curves::View {
                    preset,
                    sweep: &analysis.sweep,
                    spread: &analysis.spread,
                    selected: choices.selected,
                };
                ui::loss_curves::ui(ui, &view, self.loss_curves, commands);
            }
            Pane::PenaltyMatrix => {
                let view = &mut choices.penalty_view;
                ui::penalty_matrix::ui(ui, preset, analysis, view, commands);
            }
            Pane::FpVsFn => {
                let count_weighted = &mut choices.penalty_view.count_weighted;
                ui::fp_vs_fn::ui(ui, preset, analysis, count_weighted);
            }
            Pane::Scenario => scrolled(ui, "scenario pane", &mut |ui| {
                let evaluation = &analysis.evaluation;
                ui::scenario::ui(ui, preset, evaluation, choices.selected, commands);
            }),
            Pane::Weights => scrolled(ui, "weights pane", &mut |ui| {
                ui::weights::ui(ui, preset, analysis, choices.beta, commands);
            }),
            Pane::LossAndExport => scrolled(ui, "loss and export pane", &mut |ui| {
                ui::loss_and_export::ui(ui, preset, analysis, choices.selected, commands);
            }),
            _ => {}
        }
    }

    /// `pane` filling the workspace, under a bar that names it and restores the layout.
    fn maximised_ui(&mut self, ui: &mut egui::Ui, pane: Pane) {
        let bar = ui.horizontal(|ui| {
            ui.strong(pane.label());
            let restore = ui
                .button("Restore layout")
                .on_hover_text("Bring back the other panes (Ctrl+Shift+M, or double-click here)");
            restore.clicked()
        });
        let double_clicked = ui.rect_contains_pointer(bar.response.rect)
            && ui.input(|input| {
                input
                    .pointer
                    .button_double_clicked(egui::PointerButton::Primary)
            });
        if bar.inner || double_clicked {
            self.maximise = Some(Command::Maximise(None));
        }
        ui.separator();
        let rect = ui.available_rect_before_wrap();
        ui.scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
            self.pane_ui(ui, pane);
        });
    }
}

impl egui_tiles::Behavior<Pane> for Panes<'_> {
    fn pane_ui(&mut self, ui: &mut egui::Ui, _tile_id: TileId, pane: &mut Pane) -> UiResponse {
        let pane = *pane;
        egui::Frame::new().inner_margin(4.0).show(ui, |ui| {
            ui.set_min_size(ui.available_size());
            self.pane_ui(ui, pane);
        });
        UiResponse::None
    }

    fn tab_title_for_pane(&mut self, pane: &Pane) -> egui::WidgetText {
        pane.label().into()
    }

    /// A double-click on a tab fills the workspace with its pane.
    fn on_tab_button(
        &mut self,
        tiles: &mut Tiles<Pane>,
        tile_id: TileId,
        response: egui::Response,
    ) -> egui::Response {
        if response.double_clicked()
            && let Some(Tile::Pane(pane)) = tiles.get(tile_id)
        {
            self.maximise = Some(Command::Maximise(Some(*pane)));
        }
        response.on_hover_text("Drag to move, stack or split; double-click to fill the workspace")
    }

    /// Panes are dragged by their tabs; a stack of tabs is not dragged by its bar, whose
    /// background would otherwise be an unnamed stop for the keyboard.
    fn is_tile_draggable(&self, tiles: &Tiles<Pane>, tile_id: TileId) -> bool {
        matches!(tiles.get(tile_id), Some(Tile::Pane(_)))
    }

    fn simplification_options(&self) -> SimplificationOptions {
        SimplificationOptions {
            all_panes_must_have_tabs: true,
            ..SimplificationOptions::default()
        }
    }

    fn gap_width(&self, _style: &egui::Style) -> f32 {
        3.0
    }

    fn min_size(&self) -> f32 {
        60.0
    }
}
