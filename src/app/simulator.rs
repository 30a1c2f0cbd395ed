//! The Simulator view's derived results: the debris-weight sweep (retraining at every grid
//! weight, several seeds) and the current model's decision regions run on background tasks,
//! started when the preset or the settings change while the view is shown (not during a drag);
//! stale results are dropped.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use eframe::egui;

use crate::core::preset::Preset;
use crate::core::simulator::data::{Dataset, synthesize};
use crate::core::simulator::error::SimulatorError;
use crate::core::simulator::model::{Bounds, decision_regions};
use crate::core::simulator::simulate::{Simulation, SimulationOptions, simulate};

use super::memo::{Background, Memo, Start};
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

impl SimulatorInputs {
    /// The inputs for `preset` and `options`.
    #[must_use]
    pub fn new(preset: &Preset, options: SimulationOptions) -> Self {
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

/// The registry's slots the simulator's work runs in.
pub struct Slots<'a> {
    /// The sweep's.
    pub simulating: &'a mut TaskSlot<Result<Simulation, SimulatorError>>,
    /// The decision regions'.
    pub drawing: &'a mut TaskSlot<Result<Regions, SimulatorError>>,
}

/// The Simulator view's results, each with the inputs it was computed for.
#[derive(Default)]
pub struct SimulatorResults {
    /// The sweep, or why there is none.
    pub simulation: Background<SimulatorInputs, Result<Simulation, SimulatorError>>,
    /// The decision regions.
    pub regions: Background<SimulatorInputs, Result<Regions, SimulatorError>>,
    /// The regions as a texture, for the regions and the theme it was painted for.
    pub texture: Memo<(SimulatorInputs, bool), egui::TextureHandle>,
}

impl SimulatorResults {
    /// Brings the results in step with `wanted` (the preset and settings): takes finished
    /// work, and starts a sweep and the regions for new inputs when `may_start` (the view is
    /// shown and no drag is under way).
    pub fn sync(
        &mut self,
        wanted: &SimulatorInputs,
        slots: Slots<'_>,
        ctx: &egui::Context,
        may_start: bool,
    ) {
        let repaint: Repaint = {
            let ctx = ctx.clone();
            Arc::new(move || ctx.request_repaint())
        };
        let Slots {
            simulating,
            drawing,
        } = slots;
        let seeds = wanted.options.seeds;
        let start = Start {
            slot: simulating,
            repaint: Arc::clone(&repaint),
            allowed: may_start,
        };
        let label = format!("Retraining at every debris weight ({seeds} seeds)");
        self.simulation.sync(
            wanted,
            start,
            ("simulate", label),
            |inputs, reporter| {
                let mut progress = |fraction: f32| {
                    reporter.progress(fraction, "");
                    !reporter.is_cancelled()
                };
                match simulate(&inputs.preset, &inputs.options, &mut progress) {
                    Ok(Some(simulation)) => Some(Ok(simulation)),
                    Ok(None) => None,
                    Err(error) => Some(Err(error)),
                }
            },
            |error| {
                if *error == TaskError::Cancelled {
                    "The simulation was cancelled.".to_owned()
                } else {
                    format!("The simulation failed: {error}")
                }
            },
        );
        let start = Start {
            slot: drawing,
            repaint,
            allowed: may_start,
        };
        let label = "Training the model at the current weights".to_owned();
        self.regions.sync(
            wanted,
            start,
            ("decision-regions", label),
            |inputs, reporter| {
                let regions = regions(&inputs, reporter.cancel_flag());
                (!reporter.is_cancelled()).then_some(regions)
            },
            |error| format!("Drawing the decision regions failed: {error}"),
        );
        self.sync_texture(ctx);
    }

    /// The latest regions as a texture, each class's colour faded toward the panel's.
    fn sync_texture(&mut self, ctx: &egui::Context) {
        let Some((inputs, Ok(regions))) = self.regions.latest() else {
            self.texture.clear();
            return;
        };
        let visuals = ctx.global_style().visuals.clone();
        let key = (inputs.clone(), visuals.dark_mode);
        self.texture.sync(key, |_, _| {
            let side = REGION_RESOLUTION;
            let pixels = regions
                .classes
                .iter()
                .map(|&class| {
                    crate::ui::palette::series(class as usize)
                        .lerp_to_gamma(visuals.panel_fill, 0.6)
                })
                .collect();
            let image = egui::ColorImage::new([side, side], pixels);
            ctx.load_texture("decision_regions", image, egui::TextureOptions::NEAREST)
        });
    }

    /// Lets a cancelled sweep run again.
    pub fn run_again(&mut self) {
        self.simulation.run_again();
        self.regions.run_again();
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
