//! Adding runs and watching a folder of them, from the menu, the Runs pane, dropped files and
//! `--watch`: the window's side of [`super::runs`].

use std::path::PathBuf;
use std::sync::Arc;

use eframe::egui;

use crate::command::Pane;

use super::window::WeightbenchApp;

impl WeightbenchApp {
    /// Reads the runs of `folder` once the window runs, and watches it for more.
    #[must_use]
    pub fn watching_runs(mut self, folder: PathBuf) -> Self {
        self.session.runs.watch = Some(folder);
        self.session.runs.watch_now();
        self
    }

    /// Takes finished reads, lists the watched folder when due, and starts reading what waits.
    pub(super) fn poll_runs(&mut self, ctx: &egui::Context) {
        let session = &mut self.session;
        let before = session.runs.loaded.len();
        let messages = session.runs.take_reads(&mut session.tasks.reading_runs);
        let after = session.runs.loaded.len();
        if before == 0 && after > 0 {
            // The first runs: their pane comes to the front.
            let width = ctx.content_rect().width();
            self.state.workspaces.show_pane(Pane::Runs, width);
        }
        if let Some(message) = messages.last() {
            let kept = if after > 0 {
                "the runs read before are kept"
            } else {
                "nothing was added"
            };
            self.error(format!("{message}; {kept}"));
        }
        let session = &mut self.session;
        session
            .runs
            .poll_watch(ctx, self.state.document.preset.classes.len());
        let names: Vec<String> = self
            .state
            .document
            .preset
            .classes
            .iter()
            .map(|c| c.name.clone())
            .collect();
        let repaint_ctx = ctx.clone();
        session.runs.start_reading(
            &mut session.tasks.reading_runs,
            &names,
            Arc::new(move || repaint_ctx.request_repaint()),
        );
    }

    /// Queues run files (and folders' runs) to be read; they are read from the next frame.
    pub(super) fn add_runs(&mut self, paths: &[PathBuf]) {
        match self.session.runs.add(paths) {
            Ok(()) => {
                let queued = self.session.runs.queued();
                self.info(format!(
                    "Reading {queued} run{}",
                    if queued == 1 { "" } else { "s" }
                ));
            }
            Err(error) => self.error(error.to_string()),
        }
    }

    /// Watches `folder` (its runs are read at once, and any written there later), or stops
    /// watching.
    pub(super) fn watch_runs(&mut self, folder: Option<PathBuf>) {
        let Some(folder) = folder else {
            self.session.runs.stop_watching();
            self.info("No longer watching the folder of runs; its runs stay");
            return;
        };
        if !folder.is_dir() {
            self.error(format!(
                "{}: not a folder; nothing is watched",
                folder.display()
            ));
            return;
        }
        self.info(format!(
            "Watching {} for runs: a run written there appears within 2 s",
            folder.display()
        ));
        self.session.runs.watch = Some(folder);
        self.session.runs.watch_now();
    }
}
