//! The app's state: what is saved between launches ([`State`]) apart from what lives only
//! for one session ([`Session`]: undo history, selection, dialogs and tasks in flight, the
//! analysis).

use std::path::PathBuf;

use eframe::egui::util::undoer::Undoer;
use serde::{Deserialize, Serialize};

use crate::command::{CentralTab, Gesture, RightTab};
use crate::core::cases::analysis::{Analysis, AnalysisError, AnalysisInputs};
use crate::core::preset::Preset;
use crate::dialog::DialogOutcome;
use crate::ui::dialogs::{DialogPurpose, PathPrompt};
use crate::ui::loss_curves::PlotSettings;
use crate::ui::penalty_matrix::ViewState;
use crate::ui::scenario_list::ScenarioFilter;
use crate::ui::status_bar::Notice;

use super::files::Pending;
use super::outcomes::OutcomesState;
use super::simulator::SimulatorState;
use super::tasks::TaskSlot;
use super::validation::{LoadResult, Loaded};

/// What is saved between launches: the preset itself (not just its path), the recent files
/// and how the views were set.
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
    /// Recently loaded validation outputs, newest first.
    pub recent_validation: Vec<PathBuf>,
    /// The loss plot's axis and fit.
    pub loss_curves: PlotSettings,
    /// The central panel's view.
    pub central_tab: CentralTab,
    /// The right-hand panel's view.
    pub right_tab: RightTab,
    /// The Outcomes view's choices.
    pub outcomes: crate::ui::outcomes::Settings,
    /// The simulator's settings.
    pub simulator: crate::ui::simulator::Settings,
}

impl Default for State {
    fn default() -> Self {
        let notebook = Preset::starting();
        Self {
            preset: notebook.clone(),
            path: None,
            baseline: notebook,
            recent: Vec::new(),
            recent_validation: Vec::new(),
            loss_curves: PlotSettings::default(),
            central_tab: CentralTab::default(),
            right_tab: RightTab::default(),
            outcomes: crate::ui::outcomes::Settings::default(),
            simulator: crate::ui::simulator::Settings::default(),
        }
    }
}

/// Per-session state, never saved.
pub struct Session {
    /// Presets before each edit.
    pub undoer: Undoer<Preset>,
    /// The value the current drag or typing is changing; its edits make one undo step.
    pub gesture: Option<Gesture>,
    /// The widget that had the keyboard at the end of the last frame.
    pub focused: Option<eframe::egui::Id>,
    /// The selected scenario.
    pub selected: Option<usize>,
    /// beta of the effective-number scheme in the weights view.
    pub beta: f64,
    /// The confidence of the penalty matrix and the balance.
    pub confidence: f64,
    /// The scenario list's filter.
    pub filter: ScenarioFilter,
    /// The status bar's message.
    pub notice: Option<Notice>,
    /// What could not be restored of the saved state, shown once start-up's loading is done.
    pub restore_notice: Option<Notice>,
    /// Validation outputs given on the command line, to load once the window runs.
    pub startup_validation: Option<PathBuf>,
    /// The file dialog in flight, and what its answer is for.
    pub dialog: TaskSlot<(DialogPurpose, DialogOutcome)>,
    /// Loading validation outputs, in flight.
    pub loading: TaskSlot<LoadResult>,
    /// The validation outputs loaded, if any.
    pub validation: Option<Loaded>,
    /// A `.npy` of scores whose labels file the user is asked for.
    pub scores_waiting_for_labels: Option<PathBuf>,
    /// The Outcomes view's numbers and the work producing them.
    pub outcomes: OutcomesState,
    /// The simulator's results and work.
    pub simulator: SimulatorState,
    /// The decision regions as a texture, for the regions it was made from.
    pub regions_texture: Option<eframe::egui::TextureHandle>,
    /// The preset's remembered validation file is still to be loaded (after start or open).
    pub remembered_validation_due: bool,
    /// A typed path standing in for a file dialog.
    pub prompt: Option<PathPrompt>,
    /// What waits for the answer to "save unsaved changes?".
    pub guard: Option<Pending>,
    /// What to do once a Save As (asked for by the guard) has written the file.
    pub after_save: Option<Pending>,
    /// The user answered the close guard: the next close request goes through.
    pub close_confirmed: bool,
    /// Every view's numbers, or why there are none, for the latest inputs.
    pub analysis: Result<Analysis, Box<(AnalysisInputs, AnalysisError)>>,
    /// The penalty matrix view's choices.
    pub penalty_view: ViewState,
    /// The window title last sent to the window.
    pub title: String,
}

impl Session {
    /// A fresh session with the analysis of `inputs`.
    #[must_use]
    pub fn new(inputs: AnalysisInputs) -> Self {
        Self {
            undoer: Undoer::default(),
            gesture: None,
            focused: None,
            selected: inputs.selected,
            beta: inputs.beta,
            confidence: inputs.confidence,
            filter: ScenarioFilter::All,
            notice: None,
            restore_notice: None,
            startup_validation: None,
            dialog: TaskSlot::default(),
            loading: TaskSlot::default(),
            validation: None,
            scores_waiting_for_labels: None,
            remembered_validation_due: true,
            outcomes: OutcomesState::default(),
            simulator: SimulatorState::default(),
            regions_texture: None,
            prompt: None,
            guard: None,
            after_save: None,
            close_confirmed: false,
            analysis: analyse(inputs, None),
            penalty_view: ViewState::default(),
            title: String::new(),
        }
    }

    /// What the current analysis was computed from.
    #[must_use]
    pub fn inputs(&self) -> &AnalysisInputs {
        match &self.analysis {
            Ok(analysis) => &analysis.inputs,
            Err(failed) => &failed.0,
        }
    }

    /// The current analysis, if the inputs allow one.
    #[must_use]
    pub fn analysis(&self) -> Option<&Analysis> {
        self.analysis.as_ref().ok()
    }
}

/// The analysis of `inputs` (reusing what it can of `previous`), or why there is none (with
/// the inputs, for the staleness check).
///
/// # Errors
/// Why [`Analysis::of`] refused the inputs.
pub fn analyse(
    inputs: AnalysisInputs,
    previous: Option<&Analysis>,
) -> Result<Analysis, Box<(AnalysisInputs, AnalysisError)>> {
    Analysis::reusing(&inputs, previous).map_err(|error| Box::new((inputs, error)))
}
