//! Every background task slot of the window, one per [`TaskKind`]: "busy", "running", the
//! status bar's activities and Cancel read the one list in [`Tasks::slot`].

use std::sync::Arc;

use crate::command::TaskKind;
use crate::core::outcomes::bootstrap::Bands;
use crate::core::outcomes::cost_report::Closest;
use crate::core::outcomes::runs::RunSet;
use crate::core::outcomes::setup::OutcomeError;
use crate::core::outcomes::tune::Suggestion;
use crate::core::outcomes::view::Prepared;
use crate::core::simulator::error::SimulatorError;
use crate::core::simulator::simulate::Simulation;
use crate::dialog::DialogOutcome;
use crate::ui::dialogs::DialogPurpose;
use crate::ui::status_bar::Activity;

use super::file_flow::Written;
use super::outputs::LoadResult;
use super::runs::RunRead;
use super::simulator::Regions;
use super::tasks::{Status, TaskSlot};

/// What any slot can tell and do, whatever its result.
trait AnySlot {
    fn is_running(&self) -> bool;
    fn status(&self) -> Option<Status>;
    fn cancel(&mut self);
}

impl<T: Send + 'static> AnySlot for TaskSlot<T> {
    fn is_running(&self) -> bool {
        TaskSlot::is_running(self)
    }

    fn status(&self) -> Option<Status> {
        TaskSlot::status(self)
    }

    fn cancel(&mut self) {
        TaskSlot::cancel(self);
    }
}

/// The window's background work.
#[derive(Default)]
pub struct Tasks {
    /// The file dialog in flight, and what its answer is for.
    pub dialog: TaskSlot<(DialogPurpose, DialogOutcome)>,
    /// The preset being written to its file.
    pub saving: TaskSlot<Written>,
    /// Validation outputs being read.
    pub loading: TaskSlot<LoadResult>,
    /// The Outcomes view's slow part.
    pub preparing: TaskSlot<Result<Arc<Prepared>, OutcomeError>>,
    /// The bootstrap bands of the Outcomes view's curves.
    pub bootstrapping: TaskSlot<Bands>,
    /// Suggested weights.
    pub suggesting: TaskSlot<Result<Suggestion, OutcomeError>>,
    /// The simulator's sweep.
    pub simulating: TaskSlot<Result<Simulation, SimulatorError>>,
    /// The simulator's decision regions.
    pub drawing: TaskSlot<Result<Regions, SimulatorError>>,
    /// Run files being read.
    pub reading_runs: TaskSlot<Vec<RunRead>>,
    /// The runs' set being prepared.
    pub preparing_runs: TaskSlot<Result<Arc<RunSet>, String>>,
    /// The weights nearest the cost matrix being searched.
    pub nearest: TaskSlot<Result<Closest, String>>,
}

impl Tasks {
    /// The slot of `kind`: the one list of slots.
    fn slot(&self, kind: TaskKind) -> &dyn AnySlot {
        match kind {
            TaskKind::FileDialog => &self.dialog,
            TaskKind::SavePreset => &self.saving,
            TaskKind::LoadValidation => &self.loading,
            TaskKind::PrepareOutcomes => &self.preparing,
            TaskKind::Bootstrap => &self.bootstrapping,
            TaskKind::SuggestWeights => &self.suggesting,
            TaskKind::Simulate => &self.simulating,
            TaskKind::DecisionRegions => &self.drawing,
            TaskKind::ReadRuns => &self.reading_runs,
            TaskKind::PrepareRuns => &self.preparing_runs,
            TaskKind::NearestWeights => &self.nearest,
        }
    }

    fn slot_mut(&mut self, kind: TaskKind) -> &mut dyn AnySlot {
        match kind {
            TaskKind::FileDialog => &mut self.dialog,
            TaskKind::SavePreset => &mut self.saving,
            TaskKind::LoadValidation => &mut self.loading,
            TaskKind::PrepareOutcomes => &mut self.preparing,
            TaskKind::Bootstrap => &mut self.bootstrapping,
            TaskKind::SuggestWeights => &mut self.suggesting,
            TaskKind::Simulate => &mut self.simulating,
            TaskKind::DecisionRegions => &mut self.drawing,
            TaskKind::ReadRuns => &mut self.reading_runs,
            TaskKind::PrepareRuns => &mut self.preparing_runs,
            TaskKind::NearestWeights => &mut self.nearest,
        }
    }

    /// Whether work of `kind` runs.
    #[must_use]
    pub fn is_running(&self, kind: TaskKind) -> bool {
        self.slot(kind).is_running()
    }

    /// Whether any work runs.
    #[must_use]
    pub fn busy(&self) -> bool {
        TaskKind::ALL.iter().any(|&kind| self.is_running(kind))
    }

    /// Asks the work of `kind` to stop; its result is not used.
    pub fn cancel(&mut self, kind: TaskKind) {
        self.slot_mut(kind).cancel();
    }

    /// Stops every kind of work on the loaded outputs (they are being replaced or forgotten).
    pub fn cancel_all(&mut self, kinds: &[TaskKind]) {
        for &kind in kinds {
            self.cancel(kind);
        }
    }

    /// What runs, for the status bar.
    #[must_use]
    pub fn activities(&self) -> Vec<Activity> {
        TaskKind::ALL
            .iter()
            .filter_map(|&task| {
                self.slot(task).status().map(|status| Activity {
                    task,
                    label: status.label,
                    fraction: status.progress.fraction,
                    text: status.progress.text,
                })
            })
            .collect()
    }
}
