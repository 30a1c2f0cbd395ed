//! What is saved between launches: [`State`], in parts that are restored (or lost) one at a
//! time. What lives for one session is [`super::session::Session`].

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::core::preset::Preset;
use crate::ui::loss_curves::PlotSettings;

/// What is saved between launches: the preset itself (not just its path), the recent files
/// and how the views were set. Each field is one part of [`super::restore`]: a damaged part is
/// lost alone.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    /// The preset being edited, its file and its last-saved copy.
    pub document: Document,
    /// Recently opened or saved files, newest first.
    pub recent: Vec<PathBuf>,
    /// Recently loaded validation outputs, newest first.
    pub recent_validation: Vec<PathBuf>,
    /// The loss plot's axis and fit.
    pub loss_curves: PlotSettings,
    /// Which workspace is shown, and each one's arrangement of panes.
    pub workspaces: super::workspace::Workspaces,
    /// The Outcomes view's choices.
    pub outcomes: crate::ui::outcomes::Settings,
    /// The simulator's settings.
    pub simulator: crate::ui::simulator::Settings,
}

/// The preset being edited, where it is kept, and what that file holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Document {
    /// The preset being edited.
    pub preset: Preset,
    /// The file it was opened from or saved to; `None` until saved.
    pub path: Option<PathBuf>,
    /// The preset as last opened or saved: anything else is an unsaved change.
    pub baseline: Preset,
}

impl Default for Document {
    fn default() -> Self {
        let notebook = Preset::starting();
        Self {
            preset: notebook.clone(),
            path: None,
            baseline: notebook,
        }
    }
}

impl Document {
    /// A document for `preset`, as read from `path` (or new when `None`): nothing unsaved.
    #[must_use]
    pub fn opened(preset: Preset, path: Option<PathBuf>) -> Self {
        Self {
            baseline: preset.clone(),
            preset,
            path,
        }
    }

    /// Whether the preset differs from the file (or from how it was started).
    #[must_use]
    pub fn has_unsaved_changes(&self) -> bool {
        self.preset != self.baseline
    }

    /// The folder of the preset's file, against which its validation paths are relative.
    #[must_use]
    pub fn folder(&self) -> Option<&Path> {
        self.path.as_ref().and_then(|path| path.parent())
    }
}

/// How many files each recent-files menu remembers.
const RECENT_FILES: usize = 8;

/// Puts `path` first in the `recent` files.
pub fn remember(recent: &mut Vec<PathBuf>, path: &Path) {
    recent.retain(|p| p != path);
    recent.insert(0, path.to_owned());
    recent.truncate(RECENT_FILES);
}
