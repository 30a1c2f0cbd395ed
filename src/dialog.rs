//! Native file dialogs behind a small interface, run off the UI thread.
//!
//! The window never waits for a dialog: [`FileDialogs::start`] returns at once and the
//! answer arrives on a channel that the app polls each frame. Tests use a scripted
//! implementation, so no test ever opens a real dialog.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use eframe::egui;

/// Which dialog to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogKind {
    /// Pick an existing preset to open.
    Open,
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

/// Shows file dialogs without blocking the caller.
pub trait FileDialogs {
    /// Starts a dialog in `folder`; its outcome arrives on the returned channel.
    fn start(
        &self,
        ctx: &egui::Context,
        kind: DialogKind,
        folder: Option<PathBuf>,
    ) -> Receiver<DialogOutcome>;
}

/// rfd's native dialogs, each on its own named thread.
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn start(
        &self,
        ctx: &egui::Context,
        kind: DialogKind,
        folder: Option<PathBuf>,
    ) -> Receiver<DialogOutcome> {
        let (sender, receiver) = channel();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("file-dialog".to_owned())
            .spawn(move || {
                let started = Instant::now();
                let mut dialog = rfd::FileDialog::new().add_filter("weightbench preset", &["ron"]);
                if let Some(folder) = folder {
                    dialog = dialog.set_directory(folder);
                }
                let path = match kind {
                    DialogKind::Open => dialog.set_title("Open preset").pick_file(),
                    DialogKind::Save { file_name } => dialog
                        .set_title("Save preset")
                        .set_file_name(file_name)
                        .save_file(),
                };
                // The receiver is gone only if the app closed meanwhile; nothing to tell then.
                let _ = sender.send(DialogOutcome {
                    path,
                    elapsed: started.elapsed(),
                });
                ctx.request_repaint();
            });
        if spawned.is_err() {
            // No thread, no dialog: the dropped sender reads as "no dialog shown".
            let (sender, receiver) = channel();
            let _ = sender.send(DialogOutcome {
                path: None,
                elapsed: Duration::ZERO,
            });
            return receiver;
        }
        receiver
    }
}
