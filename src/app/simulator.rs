//! Keeping the Simulator view in step: the debris-weight sweep (retraining at every grid
//! weight, several seeds) and the current model's decision regions run on background tasks,
//! restarted when the preset or the settings change (not during a drag); stale results are
//! dropped.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use eframe::egui;

use crate::core::preset::Preset;
use crate::core::simulator::data::{Dataset, synthesize};
use crate::core::simulator::error::SimulatorError;
use crate::core::simulator::model::{Bounds, decision_regions};
use crate::core::simulator::simulate::{Simulation, SimulationOptions, simulate};

use super::WeightbenchApp;
use super::tasks::{Repaint, TaskError, TaskSlot};

/// The side of the decision-region image, in cells.
pub const REGION_RESOLUTION: usize = 200;

/// What the simulator's results depend on: the preset (without its scenarios and name) and
/// the options.
#[derive(Clone, Debug, PartialEq)]
pub struct SimulatorInputs {
    /// The preset's classes, weights, loss and validation block.
    pub preset: Preset,
    /// The simulation's settings.
    pub options: SimulationOptions,
}

/// The inputs for `preset` and `options`.
pub(super) fn inputs(preset: &Preset, options: SimulationOptions) -> SimulatorInputs {
    SimulatorInputs::new(preset, options)
}

impl SimulatorInputs {
    fn new(preset: &Preset, options: SimulationOptions) -> Self {
        Self {
            preset: preset.without_scenarios(),
            options,
        }
    }
}

/// The data of the first seed and the model trained on it at the preset's weights, as a map
/// of the class it predicts over the plane.
#[derive(Clone, Debug)]
pub struct Regions {
    /// The training points of the first seed.
    pub data: Dataset,
    /// The plane the map covers.
    pub bounds: Bounds,
    /// The predicted class per cell, row-major from the top left, `REGION_RESOLUTION` square.
    pub classes: Vec<u32>,
}

/// The Simulator view's results and the work producing them.
#[derive(Default)]
pub struct SimulatorState {
    /// The sweep for the latest inputs, or why there is none.
    pub simulation: Option<(SimulatorInputs, Result<Simulation, SimulatorError>)>,
    /// The sweep in flight.
    pub running: TaskSlot<(SimulatorInputs, Result<Simulation, SimulatorError>)>,
    /// The decision regions for the latest inputs.
    pub regions: Option<(SimulatorInputs, Result<Regions, SimulatorError>)>,
    /// The regions in flight.
    pub drawing: TaskSlot<(SimulatorInputs, Result<Regions, SimulatorError>)>,
    /// The inputs last started, so a change restarts the work once.
    pub started: Option<SimulatorInputs>,
    /// Why the last sweep gave nothing (cancelled), until the user runs it again.
    pub stopped: Option<String>,
}

impl WeightbenchApp {
    /// The simulation's settings from the view's.
    pub(super) fn simulation_options(&self) -> SimulationOptions {
        self.state.simulator.options()
    }

    /// Starts the sweep and the regions when the Simulator view is shown, its inputs changed
    /// and no drag is under way; takes finished work.
    pub(super) fn poll_simulator(&mut self, ctx: &egui::Context) {
        let shown = self.state.central_tab == crate::command::CentralTab::Simulator;
        // Not while a slider of the settings (which are not edits) or a weight is dragged.
        let pointer_up = !ctx.input(|input| input.pointer.any_down());
        if shown && self.session.gesture.is_none() && pointer_up {
            let inputs = SimulatorInputs::new(&self.state.preset, self.simulation_options());
            if self.session.simulator.started.as_ref() != Some(&inputs) {
                let repaint: Repaint = {
                    let ctx = ctx.clone();
                    Arc::new(move || ctx.request_repaint())
                };
                self.session.simulator.stopped = None;
                self.start_simulation(&inputs, Arc::clone(&repaint));
                self.start_regions(&inputs, repaint);
                self.session.simulator.started = Some(inputs);
            }
        }
        let simulator = &mut self.session.simulator;
        match simulator.running.poll() {
            Some(Ok(result)) => simulator.simulation = Some(result),
            Some(Err(TaskError::Cancelled)) => {
                simulator.stopped = Some("The simulation was cancelled.".to_owned());
            }
            None => {}
            Some(Err(error)) => {
                let text = format!("The simulation failed: {error}");
                self.error(text);
            }
        }
        let simulator = &mut self.session.simulator;
        match simulator.drawing.poll() {
            Some(Ok(result)) => {
                simulator.regions = Some(result);
                self.session.regions_texture = None;
            }
            Some(Err(TaskError::Cancelled)) | None => {}
            Some(Err(error)) => {
                let text = format!("Drawing the decision regions failed: {error}");
                self.error(text);
            }
        }
    }

    fn start_simulation(&mut self, inputs: &SimulatorInputs, repaint: Repaint) {
        let inputs = inputs.clone();
        let seeds = inputs.options.seeds;
        self.session.simulator.running.start(
            "simulate",
            format!("Retraining at every debris weight ({seeds} seeds)"),
            repaint,
            move |reporter| {
                let mut progress = |fraction: f32| {
                    reporter.progress(fraction, "");
                    !reporter.is_cancelled()
                };
                match simulate(&inputs.preset, &inputs.options, &mut progress) {
                    Ok(Some(simulation)) => Some((inputs, Ok(simulation))),
                    Ok(None) => None,
                    Err(error) => Some((inputs, Err(error))),
                }
            },
        );
    }

    fn start_regions(&mut self, inputs: &SimulatorInputs, repaint: Repaint) {
        let inputs = inputs.clone();
        self.session.simulator.drawing.start(
            "decision-regions",
            "Training the model at the current weights",
            repaint,
            move |reporter| {
                let regions = regions(&inputs, reporter.cancel_flag());
                (!reporter.is_cancelled()).then_some((inputs, regions))
            },
        );
    }
}

/// The first seed's data, the model trained on it at the preset's weights, and its map.
fn regions(inputs: &SimulatorInputs, cancel: &AtomicBool) -> Result<Regions, SimulatorError> {
    let options = &inputs.options;
    let data = synthesize(&inputs.preset, &options.data_spec(0))?;
    let model = options.train(&data.train, &inputs.preset, 0, cancel)?;
    let bounds = Bounds::around(&data.train).ok_or(SimulatorError::Samples(0))?;
    let classes = decision_regions(&model, &bounds, REGION_RESOLUTION);
    Ok(Regions {
        data: data.train,
        bounds,
        classes,
    })
}
