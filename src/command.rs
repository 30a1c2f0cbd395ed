//! The command table: every menu action with its text, tooltip and shortcut in one place,
//! the tabs with their labels, and the commands the panels emit during a frame for the app
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
    /// Show a view in the central panel.
    ShowCentral(CentralTab),
    /// Show a view in the right-hand panel.
    ShowRight(RightTab),
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
    pub const ALL: [Self; 18] = [
        Self::SaveAs,
        Self::Redo,
        Self::New,
        Self::Open,
        Self::Save,
        Self::Undo,
        Self::Quit,
        Self::LoadValidation,
        Self::ShowCentral(CentralTab::LossCurves),
        Self::ShowCentral(CentralTab::PenaltyMatrix),
        Self::ShowCentral(CentralTab::FpVsFn),
        Self::ShowCentral(CentralTab::Outcomes),
        Self::ShowCentral(CentralTab::Simulator),
        Self::ShowRight(RightTab::Scenario),
        Self::ShowRight(RightTab::Weights),
        Self::ShowRight(RightTab::LossAndExport),
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
            Self::ShowCentral(tab) => tab.label(),
            Self::ShowRight(tab) => tab.label(),
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
            Self::ShowCentral(_) => "Show this view in the middle of the window",
            Self::ShowRight(_) => "Show this view in the right-hand panel",
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
            Self::ShowCentral(tab) => shortcut(Modifiers::COMMAND, tab.key()),
            Self::ShowRight(tab) => shortcut(Modifiers::COMMAND, tab.key()),
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

/// Which view the central panel shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CentralTab {
    /// Loss against the debris weight ([`crate::ui::loss_curves`]).
    #[default]
    LossCurves,
    /// The penalty matrix, margins and decision rule ([`crate::ui::penalty_matrix`]).
    PenaltyMatrix,
    /// False positives against false negatives along the debris weight ([`crate::ui::fp_vs_fn`]).
    FpVsFn,
    /// What the weights do to the user's model on their validation outputs
    /// ([`crate::ui::outcomes`]).
    Outcomes,
    /// Models retrained at every debris weight beside the preview ([`crate::ui::simulator`]).
    Simulator,
}

impl CentralTab {
    /// Every tab, in the order shown.
    pub const ALL: [Self; 5] = [
        Self::LossCurves,
        Self::PenaltyMatrix,
        Self::FpVsFn,
        Self::Outcomes,
        Self::Simulator,
    ];

    /// The tab's label.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::LossCurves => "Loss curves",
            Self::PenaltyMatrix => "Penalty matrix",
            Self::FpVsFn => "FP vs FN",
            Self::Outcomes => "Outcomes",
            Self::Simulator => "Simulator",
        }
    }

    /// The digit that shows it with Ctrl (Cmd on macOS): 1 to 5, left to right.
    const fn key(self) -> Key {
        match self {
            Self::LossCurves => Key::Num1,
            Self::PenaltyMatrix => Key::Num2,
            Self::FpVsFn => Key::Num3,
            Self::Outcomes => Key::Num4,
            Self::Simulator => Key::Num5,
        }
    }
}

/// Which view the right-hand panel shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RightTab {
    /// The selected scenario ([`crate::ui::scenario`]).
    #[default]
    Scenario,
    /// Weights from counts, by every scheme ([`crate::ui::weights`]).
    Weights,
    /// Loss options, their comparison, and export ([`crate::ui::loss_and_export`]).
    LossAndExport,
}

impl RightTab {
    /// Every tab, in the order shown.
    pub const ALL: [Self; 3] = [Self::Scenario, Self::Weights, Self::LossAndExport];

    /// The tab's label.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Scenario => "Scenario",
            Self::Weights => "Weights",
            Self::LossAndExport => "Loss & export",
        }
    }

    /// The digit that shows it with Ctrl (Cmd on macOS): 6 to 8, after the central tabs'.
    const fn key(self) -> Key {
        match self {
            Self::Scenario => Key::Num6,
            Self::Weights => Key::Num7,
            Self::LossAndExport => Key::Num8,
        }
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
    /// Show another view in the central panel.
    ShowCentral(CentralTab),
    /// Show another view in the right-hand panel.
    ShowRight(RightTab),
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
}

impl TaskKind {
    /// Every kind, in the order the status bar lists them.
    pub const ALL: [TaskKind; 8] = [
        TaskKind::FileDialog,
        TaskKind::SavePreset,
        TaskKind::LoadValidation,
        TaskKind::PrepareOutcomes,
        TaskKind::Bootstrap,
        TaskKind::SuggestWeights,
        TaskKind::Simulate,
        TaskKind::DecisionRegions,
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
}
