//! The file flow's state: the questions open (save unsaved changes?, a typed path), what waits
//! on them, and what the save task hands back.

use std::path::PathBuf;

use crate::core::preset::Preset;
use crate::core::preset::file::PresetError;
use crate::ui::dialogs::PathPrompt;

/// What waits for the answer to "save unsaved changes?".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    /// Start a new preset.
    New,
    /// Show the open dialog.
    Open,
    /// Open this file.
    OpenPath(PathBuf),
    /// Close the window.
    Quit,
}

impl Pending {
    /// What the guard's question says is about to happen ("before closing").
    pub fn before(&self) -> &'static str {
        match self {
            Self::New => "starting a new preset",
            Self::Open | Self::OpenPath(_) => "opening another preset",
            Self::Quit => "closing",
        }
    }
}

/// The file flow's questions and what waits on them.
#[derive(Default)]
pub struct FileFlow {
    /// A typed path standing in for a file dialog.
    pub prompt: Option<PathPrompt>,
    /// What waits for the answer to "save unsaved changes?".
    pub guard: Option<Pending>,
    /// What to do once a Save As (asked for by the guard) has written the file.
    pub after_save: Option<Pending>,
    /// The user answered the close guard: the next close request goes through.
    pub close_confirmed: bool,
}

impl FileFlow {
    /// Whether a question is open (it alone takes input then).
    #[must_use]
    pub fn asking(&self) -> bool {
        self.guard.is_some() || self.prompt.is_some()
    }
}

/// A preset written (or not) to its file by the save task.
pub struct Written {
    /// The file.
    pub path: PathBuf,
    /// The preset as it was when the save began.
    pub before: Preset,
    /// The preset as written (its validation paths relative to the new folder).
    pub saved: Preset,
    /// What runs once the file is written.
    pub then: Option<Pending>,
    /// Whether the write succeeded.
    pub result: Result<(), PresetError>,
}
