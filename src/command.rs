//! The command table: every menu action with its text, tooltip and shortcut in one place,
//! the workspaces and their panes with their labels, and the commands the panels emit during a frame for the app
//! to apply after it.

use std::path::PathBuf;

use eframe::egui::{Key, KeyboardShortcut, Modifiers};
use serde::{Deserialize, Serialize};

use crate::core::export::Target;
use crate::core::preset::edit::Edit;
use crate::ui::outcomes::settings::Settings as OutcomeSettings;
use crate::ui::simulator::settings::Settings as SimulatorSettings;

/// A menu action. Menus, tooltips and shortcut handling all read this table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Start a new preset.
    New,
    /// Open a preset file through the file dialog.
    Open,
    /// Save to the current file (or ask for one).
    Save,
    /// Save to a new file.
    SaveAs,
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Close the window.
    Quit,
    /// Load a model's outputs on a validation set through the file dialog.
    LoadValidation,
    /// Add a run (a retrain's validation outputs and the weights it was trained with).
    AddRuns,
    /// Add every run of a folder and watch it for new ones.
    WatchRunsFolder,
    /// Show a workspace.
    ShowWorkspace(Workspace),
    /// Fill the workspace with the pane under the pointer (or its main pane), or restore
    /// the layout.
    MaximisePane,
    /// Select the next scenario the list shows.
    NextScenario,
    /// Select the previous scenario the list shows.
    PreviousScenario,
}

const fn shortcut(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const COMMAND_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

impl Action {
    /// Every action, the ones whose shortcut adds Shift first: a plain Ctrl+S would also
    /// match Ctrl+Shift+S, so the more specific shortcut must be checked before it.
    pub const ALL: [Self; 16] = [
        Self::MaximisePane,
        Self::AddRuns,
        Self::WatchRunsFolder,
        Self::SaveAs,
        Self::Redo,
        Self::New,
        Self::Open,
        Self::Save,
        Self::Undo,
        Self::Quit,
        Self::LoadValidation,
        Self::ShowWorkspace(Workspace::HandCases),
        Self::ShowWorkspace(Workspace::Outcomes),
        Self::ShowWorkspace(Workspace::Simulator),
        Self::NextScenario,
        Self::PreviousScenario,
    ];

    /// Menu text; ends with `…` when a dialog follows.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::New => "New preset",
            Self::Open => "Open preset…",
            Self::Save => "Save",
            Self::SaveAs => "Save as…",
            Self::Undo => "Undo",
            Self::Redo => "Redo",
            Self::Quit => "Quit",
            Self::LoadValidation => "Load validation outputs…",
            Self::AddRuns => "Add a run…",
            Self::WatchRunsFolder => "Watch a folder of runs…",
            Self::ShowWorkspace(workspace) => workspace.label(),
            Self::MaximisePane => "Maximise or restore pane",
            Self::NextScenario => "Next scenario",
            Self::PreviousScenario => "Previous scenario",
        }
    }

    /// What the action does, for the tooltip.
    #[must_use]
    pub fn tooltip(self) -> &'static str {
        match self {
            Self::New => "Start from a blank preset: one object class, one debris class",
            Self::Open => "Open a preset (.ron) file",
            Self::Save => "Save the preset to its file",
            Self::SaveAs => "Save the preset to a new file",
            Self::Undo => "Undo the last edit (a whole slider drag is one edit)",
            Self::Redo => "Redo the edit last undone",
            Self::Quit => "Close weightbench",
            Self::LoadValidation => {
                "Load your model's logits or probabilities and labels on a validation set (.npz, .npy, .safetensors, .csv)"
            }
            Self::AddRuns => {
                "Add a retrain's validation outputs with the class_weights it was trained with: the estimate between your runs (several files: drop them on the window)"
            }
            Self::WatchRunsFolder => {
                "Add every run in a folder and watch it: a run written there later appears by itself"
            }
            Self::ShowWorkspace(workspace) => workspace.tooltip(),
            Self::MaximisePane => {
                "Fill the workspace with the pane under the pointer, or bring the layout back (also: double-click a tab)"
            }
            Self::NextScenario => "Select the scenario below the selected one in the list",
            Self::PreviousScenario => "Select the scenario above the selected one in the list",
        }
    }

    /// The keyboard shortcut.
    #[must_use]
    pub fn shortcut(self) -> KeyboardShortcut {
        match self {
            Self::New => shortcut(Modifiers::COMMAND, Key::N),
            Self::Open => shortcut(Modifiers::COMMAND, Key::O),
            Self::Save => shortcut(Modifiers::COMMAND, Key::S),
            Self::SaveAs => shortcut(COMMAND_SHIFT, Key::S),
            Self::Undo => shortcut(Modifiers::COMMAND, Key::Z),
            Self::Redo => shortcut(COMMAND_SHIFT, Key::Z),
            Self::Quit => shortcut(Modifiers::COMMAND, Key::Q),
            Self::LoadValidation => shortcut(Modifiers::COMMAND, Key::L),
            Self::AddRuns => shortcut(COMMAND_SHIFT, Key::L),
            Self::WatchRunsFolder => shortcut(COMMAND_SHIFT, Key::O),
            Self::ShowWorkspace(workspace) => shortcut(Modifiers::COMMAND, workspace.key()),
            Self::MaximisePane => shortcut(COMMAND_SHIFT, Key::M),
            Self::NextScenario => shortcut(Modifiers::COMMAND, Key::PageDown),
            Self::PreviousScenario => shortcut(Modifiers::COMMAND, Key::PageUp),
        }
    }

    /// A second shortcut for the same action, where one is customary (Ctrl+Y redoes on
    /// Windows and Linux); the menu shows only the first.
    #[must_use]
    pub fn other_shortcut(self) -> Option<KeyboardShortcut> {
        match self {
            Self::Redo => Some(shortcut(Modifiers::COMMAND, Key::Y)),
            _ => None,
        }
    }
}

/// A workspace: the panes of one task, in a tiled layout of their own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Workspace {
    /// The hand cases: classes, scenarios, loss curves, penalties, schemes, export.
    #[default]
    HandCases,
    /// The user's own model: what the weights do to its validation outputs.
    Outcomes,
    /// Small models retrained at every debris weight beside the preview.
    Simulator,
}

impl Workspace {
    /// Every workspace, in the order the workspace bar shows them.
    pub const ALL: [Self; 3] = [Self::HandCases, Self::Outcomes, Self::Simulator];

    /// The workspace's label on the bar and in the View menu.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::HandCases => "Hand cases",
            Self::Outcomes => "Your model",
            Self::Simulator => "Simulator",
        }
    }

    /// Its name on the command line (`--workspace`) and in the layout report.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::HandCases => "hand-cases",
            Self::Outcomes => "outcomes",
            Self::Simulator => "simulator",
        }
    }

    /// The workspace named `name` on the command line.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.name() == name)
    }

    /// The workspace the window opens in: the one `named` on the command line, else *Your
    /// model* when validation outputs were given, else (`None`) the one shown last.
    #[must_use]
    pub fn to_open(named: Option<Self>, opens_outputs: bool) -> Option<Self> {
        named.or(opens_outputs.then_some(Self::Outcomes))
    }

    /// What it is for, for the tooltip.
    #[must_use]
    pub fn tooltip(self) -> &'static str {
        match self {
            Self::HandCases => {
                "Hand-made cases: the loss of each scenario along the debris weight, the penalty matrix, weighting schemes and export"
            }
            Self::Outcomes => {
                "Your model's validation outputs: what these weights would do to its decisions"
            }
            Self::Simulator => {
                "Small models retrained at every debris weight, beside what the preview predicts"
            }
        }
    }

    /// The panes it holds, the first the one its answer is drawn in.
    #[must_use]
    pub fn panes(self) -> &'static [Pane] {
        match self {
            Self::HandCases => &[
                Pane::LossCurves,
                Pane::Classes,
                Pane::Scenarios,
                Pane::PenaltyMatrix,
                Pane::FpVsFn,
                Pane::Scenario,
                Pane::Weights,
                Pane::LossAndExport,
            ],
            Self::Outcomes => &[
                Pane::Trade,
                Pane::Classes,
                Pane::OutcomeSetup,
                Pane::PerClass,
                Pane::Confusion,
                Pane::Suggestions,
                Pane::Runs,
                Pane::Costs,
            ],
            Self::Simulator => &[
                Pane::RetrainedFalsePositives,
                Pane::Classes,
                Pane::SimulatorSettings,
                Pane::RetrainedFalseNegatives,
                Pane::Regions,
            ],
        }
    }

    /// The pane that holds the workspace's answer (its main plot).
    #[must_use]
    pub fn main_pane(self) -> Pane {
        self.panes()[0]
    }

    /// The digit that shows it with Ctrl (Cmd on macOS): 1 to 3, left to right.
    const fn key(self) -> Key {
        match self {
            Self::HandCases => Key::Num1,
            Self::Outcomes => Key::Num2,
            Self::Simulator => Key::Num3,
        }
    }
}

/// A pane of a workspace: one view, drawn by one module of [`crate::ui`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Pane {
    /// The class weights ([`crate::ui::class_table`]), in every workspace.
    Classes,
    /// The scenario list ([`crate::ui::scenario_list`]).
    Scenarios,
    /// Loss against the debris weight ([`crate::ui::loss_curves`]).
    LossCurves,
    /// The penalty matrix, margins and decision rule ([`crate::ui::penalty_matrix`]).
    PenaltyMatrix,
    /// False positives against false negatives along the debris weight ([`crate::ui::fp_vs_fn`]).
    FpVsFn,
    /// The selected scenario ([`crate::ui::scenario`]).
    Scenario,
    /// Weights from counts, by every scheme ([`crate::ui::weights`]).
    Weights,
    /// Loss options, their comparison, and export ([`crate::ui::loss_and_export`]).
    LossAndExport,
    /// The validation outputs loaded and how they are read ([`crate::ui::outcomes`]).
    OutcomeSetup,
    /// The FP/FN trade along the debris weight ([`crate::ui::outcomes`]).
    Trade,
    /// The confusion matrix ([`crate::ui::outcomes`]).
    Confusion,
    /// Recall, precision and errors per class ([`crate::ui::outcomes`]).
    PerClass,
    /// Suggested weights for an objective ([`crate::ui::outcomes`]).
    Suggestions,
    /// The user's runs (retrains), the estimate between them and where to retrain next
    /// ([`crate::ui::outcomes`]).
    Runs,
    /// What each mistake costs, the decision by it, and the weights closest to it
    /// ([`crate::ui::outcomes`]).
    Costs,
    /// The simulator's settings ([`crate::ui::simulator`]).
    SimulatorSettings,
    /// False positives of retrained models beside the preview's, along the debris weight
    /// ([`crate::ui::simulator`]).
    RetrainedFalsePositives,
    /// False negatives of retrained models beside the preview's ([`crate::ui::simulator`]).
    RetrainedFalseNegatives,
    /// The data over the current model's decision regions ([`crate::ui::simulator`]).
    Regions,
}

impl Pane {
    /// The pane's tab title.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Classes => "Classes",
            Self::Scenarios => "Scenarios",
            Self::LossCurves => "Loss curves",
            Self::PenaltyMatrix => "Penalty matrix",
            Self::FpVsFn => "FP vs FN",
            Self::Scenario => "Scenario",
            Self::Weights => "Weights",
            Self::LossAndExport => "Loss & export",
            Self::OutcomeSetup => "Outputs & settings",
            Self::Trade => "FP/FN trade",
            Self::Confusion => "Confusion",
            Self::PerClass => "Per class",
            Self::Suggestions => "Suggested weights",
            Self::Runs => "Runs",
            Self::Costs => "Costs",
            Self::SimulatorSettings => "Simulator settings",
            Self::RetrainedFalsePositives => "FP: retrained vs preview",
            Self::RetrainedFalseNegatives => "FN: retrained vs preview",
            Self::Regions => "Decision regions",
        }
    }

    /// The pane a layout saved before this one existed gets it beside, as a tab.
    #[must_use]
    pub fn beside(self) -> Option<Pane> {
        match self {
            Self::Runs | Self::Costs => Some(Self::OutcomeSetup),
            _ => None,
        }
    }

    /// The workspace that holds it (the first, for the class weights, which every one has).
    #[must_use]
    pub fn workspace(self) -> Workspace {
        Workspace::ALL
            .into_iter()
            .find(|w| w.panes().contains(&self))
            .unwrap_or_default()
    }
}

/// Something a panel asks the app to do once the frame's UI pass is over.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// A menu action.
    Action(Action),
    /// A change to the preset (undoable).
    Edit(Edit),
    /// Select a scenario, or none.
    Select(Option<usize>),
    /// Open this file (a recent file, or one dropped on the window): a `.ron` preset, or
    /// validation outputs by their extension.
    OpenPath(PathBuf),
    /// Set beta of the effective-number scheme in the weights view.
    SetBeta(f64),
    /// Copy the export snippet for a library to the clipboard.
    Copy(Target),
    /// Set the confidence of the penalty matrix and the balance.
    SetConfidence(f64),
    /// Select, or create, the scenario of a penalty-matrix cell.
    PenaltyCell {
        /// True class (row).
        truth: usize,
        /// Predicted class (column).
        predicted: usize,
    },
    /// Show a pane: its workspace, with its tab in front (and the layout restored if another
    /// pane fills the workspace).
    ShowPane(Pane),
    /// Fill the workspace with this pane, or (`None`) bring its layout back.
    Maximise(Option<Pane>),
    /// Put the current workspace's panes back where they start.
    ResetLayout,

    /// Stop a background task; its result is not used.
    Cancel(TaskKind),
    /// Add the validation sample of a confusion cell nearest the decision boundary as a
    /// scenario.
    ConfusionCell {
        /// True class (row).
        truth: usize,
        /// Predicted class (column).
        predicted: usize,
    },
    /// Suggest weights for the Outcomes view's objective (on a background task).
    SuggestWeights,
    /// Run again the work of a view that was cancelled or failed.
    RunAgain(TaskKind),
    /// Set the Outcomes view's settings (prior correction, temperature, matrix shown,
    /// objective, recall floor).
    SetOutcomeSettings(OutcomeSettings),
    /// Set the simulator's settings (model, data, training).
    SetSimulatorSettings(SimulatorSettings),
    /// Read these run files (folders: their runs) into the runs.
    AddRuns(Vec<PathBuf>),
    /// Watch this folder of runs (`None`: stop watching).
    WatchRuns(Option<PathBuf>),
    /// Forget every run.
    ClearRuns,
}

/// A kind of background work; at most one of each runs at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskKind {
    /// A file dialog waiting for the user.
    FileDialog,
    /// Writing the preset to its file.
    SavePreset,
    /// Reading a file of validation outputs.
    LoadValidation,
    /// Preparing the Outcomes view (thresholds, baseline, temperature, loss).
    PrepareOutcomes,
    /// The bootstrap bands of the FP/FN curves.
    Bootstrap,
    /// Searching for suggested weights.
    SuggestWeights,
    /// Retraining at every debris weight.
    Simulate,
    /// Training the model whose decision regions the simulator draws.
    DecisionRegions,
    /// Reading run files (the user's retrains).
    ReadRuns,
    /// Preparing the runs' previews for the estimate.
    PrepareRuns,
    /// Searching the weights nearest the cost matrix.
    NearestWeights,
}

impl TaskKind {
    /// Every kind, in the order the status bar lists them.
    pub const ALL: [TaskKind; 11] = [
        TaskKind::FileDialog,
        TaskKind::SavePreset,
        TaskKind::LoadValidation,
        TaskKind::PrepareOutcomes,
        TaskKind::Bootstrap,
        TaskKind::SuggestWeights,
        TaskKind::Simulate,
        TaskKind::DecisionRegions,
        TaskKind::ReadRuns,
        TaskKind::PrepareRuns,
        TaskKind::NearestWeights,
    ];
}

impl Edit {
    /// Edits of one value that a single gesture repeats (a drag, typing a name): while the
    /// gesture goes on, they merge into one undo step.
    #[must_use]
    pub fn gesture(&self) -> Option<Gesture> {
        match *self {
            Self::ClassName(index, _) => Some(Gesture::ClassName(index)),
            Self::ClassCount(index, _) => Some(Gesture::ClassCount(index)),
            Self::ClassWeight(index, _) => Some(Gesture::ClassWeight(index)),
            Self::ScenarioName(index, _) => Some(Gesture::ScenarioName(index)),
            Self::Logit {
                scenario, class, ..
            } => Some(Gesture::Logit(scenario, class)),
            Self::TrainedWith(_) => Some(Gesture::TrainedWith),
            Self::DeployPrior(_) => Some(Gesture::DeployPrior),
            Self::Loss(_) => Some(Gesture::Loss),
            Self::Margin { truth, class, .. } => Some(Gesture::Margin(truth, class)),
            Self::Cost {
                truth, predicted, ..
            } => Some(Gesture::Cost(truth, predicted)),
            _ => None,
        }
    }
}

/// Which value a continuous gesture is changing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gesture {
    /// A class's name.
    ClassName(usize),
    /// A class's count.
    ClassCount(usize),
    /// A class's weight (also the debris-weight marker on the plot).
    ClassWeight(usize),
    /// A scenario's name.
    ScenarioName(usize),
    /// One logit of one scenario.
    Logit(usize, usize),
    /// One of the trained-with weights.
    TrainedWith,
    /// One of the deployment shares.
    DeployPrior,
    /// A loss option (a slider of the loss settings).
    Loss,
    /// One pairwise margin.
    Margin(usize, usize),
    /// One cost.
    Cost(usize, usize),
}
