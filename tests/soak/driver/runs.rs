//! Runs through the app: dropped at once, added through the dialog, a folder watched, cleared;
//! the runs never change the preset, and runs of the notebook's four classes are read while the
//! preset has four classes (otherwise refused, saying why).

use std::path::PathBuf;
use std::time::Duration;

use weightbench::command::{Action, Command, TaskKind};

use super::{Driver, repo};
use crate::checks::same_preset;
use crate::mix::RunsHow;

/// The four run files of `tests/data/runs`, by name.
fn run_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo("tests/data/runs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "npz"))
        .collect();
    files.sort();
    files
}

impl Driver {
    /// Does `how` with the runs and checks what must hold after it.
    pub(super) fn runs(&mut self, how: RunsHow) {
        let before = self.app().preset().clone();
        let read_before = self.app().runs_read();
        match how {
            RunsHow::Drop => self.apply(Command::AddRuns(run_files())),
            RunsHow::Dialog => {
                self.dialogs.answer(&run_files()[1]);
                self.apply(Command::Action(Action::AddRuns));
                self.wait(&[TaskKind::FileDialog]);
            }
            RunsHow::Watch => self.apply(Command::WatchRuns(Some(repo("tests/data/runs")))),
            RunsHow::Clear => self.apply(Command::ClearRuns),
            RunsHow::StopWatching => self.apply(Command::WatchRuns(None)),
        }
        self.frames();
        let both = [TaskKind::ReadRuns, TaskKind::PrepareRuns];
        if !self.wait_at_most(&both, Duration::from_secs(20)) {
            self.apply(Command::Cancel(TaskKind::ReadRuns));
            self.apply(Command::Cancel(TaskKind::PrepareRuns));
            self.frames();
        }
        same_preset(self.app().preset(), &before, "runs never change the preset");
        let read = self.app().runs_read();
        match how {
            RunsHow::Clear => assert_eq!(read, 0, "Clear runs forgets them"),
            RunsHow::Drop | RunsHow::Dialog | RunsHow::Watch => {
                if before.classes.len() == 4 {
                    assert!(read >= read_before.max(1), "the runs are read: {read}");
                } else {
                    assert_eq!(read, read_before, "runs of other classes are refused");
                }
                if how == RunsHow::Watch {
                    assert!(self.app().runs_watched().is_some());
                }
                self.stats.runs += 1;
            }
            RunsHow::StopWatching => assert!(self.app().runs_watched().is_none()),
        }
    }
}
