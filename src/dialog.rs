//! Native file dialogs behind a small interface, so that tests never open one.
//!
//! The window never waits for a dialog: the app runs [`FileDialogs::pick`] as a background
//! task and polls for its answer each frame.

use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Which dialog to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogKind {
    /// Pick an existing preset to open.
    Open,
    /// Pick a file of validation outputs (`.npz`, `.npy`, `.safetensors`, `.csv`).
    OpenValidation,
    /// Pick the labels (`.npy`) that go with a `.npy` of scores.
    OpenLabels,
    /// Pick a run file (validation outputs with `class_weights`).
    OpenRun,
    /// Pick a folder.
    Folder,
    /// Pick where to save, suggesting a file name.
    Save {
        /// The suggested file name.
        file_name: String,
    },
}

/// What a dialog answered, and how long it was open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DialogOutcome {
    /// The chosen file; `None` when cancelled or when no dialog could be shown.
    pub path: Option<PathBuf>,
    /// How long the dialog took to answer.
    pub elapsed: Duration,
}

impl DialogOutcome {
    /// Faster than anyone can cancel a dialog: none was shown (rfd answers `None` within
    /// milliseconds when there is no desktop portal or zenity).
    pub const NO_DIALOG_SHOWN_WITHIN: Duration = Duration::from_millis(300);

    /// Whether the answer means "no dialog could be shown" rather than "cancelled".
    #[must_use]
    pub fn no_dialog_shown(&self) -> bool {
        self.path.is_none() && self.elapsed < Self::NO_DIALOG_SHOWN_WITHIN
    }
}

/// Shows file dialogs. `pick` blocks until the user answers, so the app calls it from a
/// background task (`crate::app::tasks`), never on the UI thread.
pub trait FileDialogs: Send + Sync {
    /// Shows a dialog in `folder` and tells what it answered and how long it was open.
    fn pick(&self, kind: DialogKind, folder: Option<PathBuf>) -> DialogOutcome;
}

/// rfd's native dialogs (the XDG desktop portal, or zenity).
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn pick(&self, kind: DialogKind, folder: Option<PathBuf>) -> DialogOutcome {
        let started = Instant::now();
        let mut dialog = rfd::FileDialog::new();
        if let Some(folder) = folder {
            dialog = dialog.set_directory(folder);
        }
        let preset = |dialog: rfd::FileDialog| dialog.add_filter("weightbench preset", &["ron"]);
        let path = match kind {
            DialogKind::Open => preset(dialog).set_title("Open preset").pick_file(),
            DialogKind::OpenValidation => dialog
                .set_title("Load validation outputs")
                .add_filter(
                    "validation outputs (.npz, .npy, .safetensors, .csv)",
                    &["npz", "npy", "safetensors", "csv"],
                )
                .add_filter("NumPy archive", &["npz"])
                .add_filter("NumPy array", &["npy"])
                .add_filter("safetensors", &["safetensors"])
                .add_filter("CSV", &["csv"])
                .pick_file(),
            DialogKind::OpenRun => dialog
                .set_title("Add a run")
                .add_filter(
                    "runs (.npz, .safetensors; .csv, .npy with a .json sidecar)",
                    &["npz", "safetensors", "csv", "npy"],
                )
                .pick_file(),
            DialogKind::Folder => dialog.set_title("Watch a folder of runs").pick_folder(),
            DialogKind::OpenLabels => dialog
                .set_title("Choose the labels (.npy) for these scores")
                .add_filter("NumPy array", &["npy"])
                .pick_file(),
            DialogKind::Save { file_name } => preset(dialog)
                .set_title("Save preset")
                .set_file_name(file_name)
                .save_file(),
        };
        DialogOutcome {
            path,
            elapsed: started.elapsed(),
        }
    }
}
