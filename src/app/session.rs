//! What lives for one session, never saved, in owned parts: the undo history, the view
//! choices, the file flow, the loaded outputs, what is derived from all of it, the background
//! work and the status line.

use eframe::egui::util::undoer::Undoer;

use crate::command::Gesture;
use crate::core::cases::analysis::{Analysis, AnalysisError, AnalysisInputs};
use crate::core::preset::Preset;
use crate::ui::penalty_matrix::ViewState;
use crate::ui::scenario_list::ScenarioFilter;
use crate::ui::status_bar::Notice;

use super::file_flow::FileFlow;
use super::memo::Memo;
use super::outcomes::OutcomeResults;
use super::outputs::Outputs;
use super::registry::Tasks;
use super::runs::Runs;
use super::simulator::SimulatorResults;

/// Per-session state, never saved.
#[derive(Default)]
pub struct Session {
    /// Undo, redo, and the document's revision.
    pub history: History,
    /// The selection and the views' per-session choices.
    pub choices: Choices,
    /// Open, save, the unsaved-changes question.
    pub files: FileFlow,
    /// The validation outputs loaded.
    pub outputs: Outputs,
    /// Every view's numbers for the hand cases, or why there are none.
    pub analysis: Memo<AnalysisKey, AnalysisResult>,
    /// The Outcomes view's numbers.
    pub outcomes: OutcomeResults,
    /// The simulator's results.
    pub simulator: SimulatorResults,
    /// The user's runs (retrains) and what is derived from them.
    pub runs: Runs,
    /// Work on background threads.
    pub tasks: Tasks,
    /// The status bar's message and the window title.
    pub status: StatusLine,
    /// The pane under the pointer in the last frame: the one View > Maximise fills the
    /// workspace with.
    pub pointer_pane: Option<crate::command::Pane>,
}

/// The hand cases' analysis, or why there is none (with the inputs it was asked for).
pub type AnalysisResult = Result<Analysis, Box<(AnalysisInputs, AnalysisError)>>;

/// What the analysis is computed from: the document's revision and the choices it reads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AnalysisKey {
    /// The document's revision.
    pub revision: u64,
    /// beta of the effective-number scheme.
    pub beta: f64,
    /// The confidence of the penalty matrix and the balance.
    pub confidence: f64,
    /// The selected scenario.
    pub selected: Option<usize>,
    /// Whether the penalty matrix is shown (it alone costs O(C^3)).
    pub penalty_matrix: bool,
}

/// The undo history, the gesture under way, and the document's revision.
#[derive(Default)]
pub struct History {
    /// Presets before each edit.
    pub undoer: Undoer<Preset>,
    /// The value the current drag or typing is changing; its edits make one undo step.
    pub gesture: Option<Gesture>,
    /// The widget that had the keyboard at the end of the last frame.
    pub focused: Option<eframe::egui::Id>,
    /// Counts the changes of the preset: what derived results key on.
    revision: u64,
}

impl History {
    /// The preset's revision: it changes with every change of the preset.
    #[must_use]
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Notes that the preset changed.
    pub fn changed(&mut self) {
        self.revision += 1;
    }

    /// A new document: no undo steps, no gesture.
    pub fn restart(&mut self) {
        self.undoer = Undoer::default();
        self.gesture = None;
        self.changed();
    }
}

/// The selection and the views' choices that last for the session.
pub struct Choices {
    /// The selected scenario.
    pub selected: Option<usize>,
    /// beta of the effective-number scheme in the weights view.
    pub beta: f64,
    /// The confidence of the penalty matrix and the balance.
    pub confidence: f64,
    /// The scenario list's filter.
    pub filter: ScenarioFilter,
    /// The penalty matrix view's choices.
    pub penalty_view: ViewState,
}

impl Default for Choices {
    fn default() -> Self {
        Self {
            selected: None,
            beta: crate::core::cases::schemes::DEFAULT_BETA,
            confidence: crate::core::cases::analysis::DEFAULT_CONFIDENCE,
            filter: ScenarioFilter::All,
            penalty_view: ViewState::default(),
        }
    }
}

impl Choices {
    /// The first scenario of a preset with `scenarios` of them selected, the rest as default.
    #[must_use]
    pub fn for_scenarios(scenarios: usize) -> Self {
        Self {
            selected: (scenarios > 0).then_some(0),
            ..Self::default()
        }
    }

    /// Keeps the selection among the preset's `scenarios`.
    pub fn keep_selection_within(&mut self, scenarios: usize) {
        self.selected = match self.selected {
            _ if scenarios == 0 => None,
            Some(index) if index >= scenarios => Some(scenarios - 1),
            selected => selected,
        };
    }
}

/// The status bar's message and the window title.
#[derive(Default)]
pub struct StatusLine {
    /// The status bar's message.
    pub notice: Option<Notice>,
    /// What could not be restored of the saved state, shown once start-up's loading is done.
    pub restore_notice: Option<Notice>,
    /// The window title last sent to the window.
    pub title: String,
}
