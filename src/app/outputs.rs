//! The user's validation outputs: loaded from the menu, a dropped file, a recent file or the
//! preset's `validation` block, on a background task with progress and Cancel. [`Outputs`]
//! owns the data and its generation: loading or forgetting is one operation. A failed or
//! cancelled load keeps what was loaded before.

use std::path::PathBuf;
use std::sync::Arc;

use crate::command::TaskKind;
use crate::core::outcomes::data::ValidationData;
use crate::core::outcomes::read::ReadError;

/// Validation outputs in memory, with the files they came from.
pub struct Loaded {
    /// The scores and labels.
    pub data: Arc<ValidationData>,
    /// The file of scores.
    pub path: PathBuf,
    /// The labels file of a `.npy` of scores.
    pub labels: Option<PathBuf>,
}

/// What a load request produces.
pub type LoadResult = Result<Loaded, ReadError>;

/// The background work that reads the loaded outputs: stopped when they are replaced.
pub const WORK_ON_OUTPUTS: [TaskKind; 5] = [
    TaskKind::LoadValidation,
    TaskKind::PrepareOutcomes,
    TaskKind::Bootstrap,
    TaskKind::SuggestWeights,
    TaskKind::NearestWeights,
];

/// The validation outputs loaded, and what waits to be loaded.
pub struct Outputs {
    /// The data in use, if any.
    loaded: Option<Loaded>,
    /// Counts the loads and forgets, so a result knows which data it was computed on.
    generation: u64,
    /// A `.npy` of scores whose labels file the user is asked for.
    pub waiting_for_labels: Option<PathBuf>,
    /// Validation outputs given on the command line, to load once the window runs.
    pub startup: Option<PathBuf>,
    /// The preset's remembered validation file is still to be loaded (after start or open).
    pub remembered_due: bool,
}

impl Default for Outputs {
    fn default() -> Self {
        Self {
            loaded: None,
            generation: 0,
            waiting_for_labels: None,
            startup: None,
            remembered_due: true,
        }
    }
}

impl Outputs {
    /// The data in use, with the files it came from.
    #[must_use]
    pub fn loaded(&self) -> Option<&Loaded> {
        self.loaded.as_ref()
    }

    /// The data in use and its generation, for what is derived from it.
    #[must_use]
    pub fn data(&self) -> Option<(&Arc<ValidationData>, u64)> {
        self.loaded
            .as_ref()
            .map(|loaded| (&loaded.data, self.generation))
    }

    /// Uses `loaded` from now on; everything derived from the data before is stale.
    pub fn replace(&mut self, loaded: Loaded) {
        self.loaded = Some(loaded);
        self.generation += 1;
    }

    /// Drops the data, and what waited to be loaded.
    pub fn forget(&mut self) {
        self.loaded = None;
        self.waiting_for_labels = None;
        self.generation += 1;
    }
}
