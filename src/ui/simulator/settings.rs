//! The simulation's settings, saved between launches; kept apart from the panel so that the
//! command carrying them ([`crate::command::Command::SetSimulatorSettings`]) names no panel.

use serde::{Deserialize, Serialize};

use crate::core::simulator::simulate::{ModelKind, SimulationOptions};

/// The simulation's settings; saved between launches.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Train the MLP instead of softmax regression.
    pub mlp: bool,
    /// Training samples per seed.
    pub samples: usize,
    /// How far debris spreads over the rare classes, 0 to 1.
    pub overlap: f64,
    /// Seeds (each its own data and initial weights).
    pub seeds: usize,
    /// L2 strength.
    pub l2: f64,
    /// MLP epochs.
    pub epochs: usize,
    /// MLP hidden width.
    pub hidden: usize,
}

impl Default for Settings {
    fn default() -> Self {
        let options = SimulationOptions::default();
        Self {
            mlp: options.model == ModelKind::Mlp,
            samples: options.samples,
            overlap: options.overlap,
            seeds: options.seeds,
            l2: options.l2,
            epochs: options.epochs,
            hidden: options.hidden,
        }
    }
}

impl Settings {
    /// The simulation's options for these settings.
    #[must_use]
    pub fn options(&self) -> SimulationOptions {
        SimulationOptions {
            model: if self.mlp {
                ModelKind::Mlp
            } else {
                ModelKind::Softmax
            },
            samples: self.samples,
            overlap: self.overlap,
            seeds: self.seeds,
            l2: self.l2,
            epochs: self.epochs,
            hidden: self.hidden,
            ..SimulationOptions::default()
        }
    }
}
