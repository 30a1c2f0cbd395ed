//! The user's runs (their retrains) in the window: read on a background task, a folder
//! watched by polling, the set (its sweeps) prepared on a background task whenever the runs or
//! the weights it holds change, and what the panes show derived from it at once.
//!
//! Watching polls the folder once a second (a `read_dir` and a `stat` per file) and reads any
//! run file it has not seen with that modification time and size. A writer that renames a
//! finished file into place (`np.savez` to a temporary name, then `os.replace`) is picked up
//! within about a second; a file caught half-written by a writer that does not rename fails to
//! read and is retried while it changes, and is shown as refused after [`RETRIES`] failed reads
//! of the same bytes. A file that leaves the folder leaves the runs (a writer's temporary file
//! renamed into place is not counted twice).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use eframe::egui;

use crate::core::outcomes::Objective;
use crate::core::outcomes::costs::CostMatrix;
use crate::core::outcomes::data::ValidationData;
use crate::core::outcomes::runs::file::folder_runs;
use crate::core::outcomes::runs::{
    RunError, RunInfo, RunSet, RunSetBuilder, RunsView, check_labels, read_run,
};
use crate::core::preset::Preset;

use super::memo::{Background, Memo, Start};
use super::tasks::{Repaint, TaskError, TaskSlot};

/// How often a watched folder is listed.
pub const WATCH_PERIOD: Duration = Duration::from_secs(1);

/// Reads of an unchanged file that failed before it is refused.
pub const RETRIES: u32 = 3;

/// A file's modification time and size: a file whose stamp changed is read again.
pub type Stamp = (Option<SystemTime>, u64);

/// The stamp of `path` now.
fn stamp(path: &Path) -> Option<Stamp> {
    let metadata = std::fs::metadata(path).ok()?;
    Some((metadata.modified().ok(), metadata.len()))
}

/// A run read.
pub struct LoadedRun {
    /// Its file.
    pub path: PathBuf,
    /// The file's stamp when it was read.
    pub stamp: Option<Stamp>,
    /// What it was trained with.
    pub info: RunInfo,
    /// Its validation outputs.
    pub data: Arc<ValidationData>,
}

/// A run file that could not be read (yet).
pub struct Refused {
    /// Its file.
    pub path: PathBuf,
    /// The file's stamp when it was tried.
    pub stamp: Option<Stamp>,
    /// Why.
    pub message: String,
    /// How many reads failed on this stamp.
    pub tries: u32,
    /// It lies in the watched folder: retried, not refused, until [`RETRIES`].
    pub watched: bool,
    /// The preset's class count it was read against: a file refused for one class count is
    /// read again when the preset has another.
    pub classes: usize,
}

impl Refused {
    /// Whether it is still being retried.
    #[must_use]
    pub fn retrying(&self) -> bool {
        self.watched && self.tries < RETRIES
    }
}

/// One read: the file, its stamp before reading, the class count it was read against, and
/// what came of it.
pub struct RunRead {
    path: PathBuf,
    stamp: Option<Stamp>,
    classes: usize,
    result: Result<(RunInfo, ValidationData), RunError>,
}

/// What the set is prepared from: the runs (by their generation) and the weights it holds
/// (the preset's, its debris entry left out).
#[derive(Clone, Debug, PartialEq)]
pub struct SetKey {
    generation: u64,
    held: Vec<f64>,
    debris: usize,
}

/// What the view is derived from.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewKey {
    set: SetKey,
    grid: Vec<f64>,
    debris_weight: f64,
    objective: Objective,
    costs: Vec<Vec<f64>>,
}

/// The runs and everything derived from them.
#[derive(Default)]
pub struct Runs {
    /// The runs read, in the order added.
    pub loaded: Vec<LoadedRun>,
    /// Files that could not be read.
    pub refused: Vec<Refused>,
    /// The folder watched.
    pub watch: Option<PathBuf>,
    /// Files waiting to be read.
    queue: Vec<PathBuf>,
    /// Files being read now.
    reading: Vec<PathBuf>,
    /// Counts the changes of `loaded`.
    generation: u64,
    /// When the watched folder was last listed.
    last_listed: Option<Instant>,
    /// The set prepared from the runs.
    pub set: Background<SetKey, Result<Arc<RunSet>, String>>,
    /// What the panes show.
    pub view: Memo<ViewKey, Option<RunsView>>,
}

impl Runs {
    /// Queues `paths` (files, and folders standing for their runs) to be read.
    pub fn add(&mut self, paths: &[PathBuf]) -> Result<(), RunError> {
        for path in paths {
            if path.is_dir() {
                for file in folder_runs(path)? {
                    self.enqueue(file);
                }
            } else {
                self.enqueue(path.clone());
            }
        }
        Ok(())
    }

    fn enqueue(&mut self, path: PathBuf) {
        if !self.queue.contains(&path) && !self.reading.contains(&path) {
            self.queue.push(path);
        }
    }

    /// Stops watching: files still being retried are shown as refused.
    pub fn stop_watching(&mut self) {
        self.watch = None;
        for refused in &mut self.refused {
            refused.watched = false;
        }
    }

    /// Lists the watched folder at the next poll, however recently it was listed.
    pub fn watch_now(&mut self) {
        self.last_listed = None;
    }

    /// Forgets every run and stops watching.
    pub fn clear(&mut self) {
        self.loaded.clear();
        self.refused.clear();
        self.queue.clear();
        self.reading.clear();
        self.watch = None;
        self.generation += 1;
        self.set = Background::default();
        self.view.clear();
    }

    /// Whether files wait to be read.
    #[must_use]
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Lists the watched folder when due and queues what changed; asks for a frame when the
    /// next listing is due.
    pub fn poll_watch(&mut self, ctx: &egui::Context, classes: usize) {
        let Some(folder) = self.watch.clone() else {
            return;
        };
        ctx.request_repaint_after(WATCH_PERIOD);
        let now = Instant::now();
        if self
            .last_listed
            .is_some_and(|last| now.duration_since(last) < WATCH_PERIOD)
        {
            return;
        }
        self.last_listed = Some(now);
        let Ok(files) = folder_runs(&folder) else {
            return;
        };
        // What left the folder leaves the runs.
        let gone = |path: &Path| {
            path.parent() == Some(folder.as_path()) && !files.contains(&path.to_owned())
        };
        let before = self.loaded.len();
        self.loaded.retain(|run| !gone(&run.path));
        if self.loaded.len() != before {
            self.generation += 1;
        }
        self.refused.retain(|r| !gone(&r.path));
        for file in files {
            let current = stamp(&file);
            let known = self
                .loaded
                .iter()
                .any(|run| run.path == file && run.stamp == current);
            let given_up = self.refused.iter().any(|r| {
                r.path == file && r.stamp == current && r.classes == classes && !r.retrying()
            });
            if !known && !given_up {
                self.enqueue(file);
            }
        }
    }

    /// Starts reading the queued files, when no read runs.
    pub fn start_reading(
        &mut self,
        slot: &mut TaskSlot<Vec<RunRead>>,
        class_names: &[String],
        repaint: Repaint,
    ) {
        if self.queue.is_empty() || slot.is_running() {
            return;
        }
        let paths = std::mem::take(&mut self.queue);
        self.reading.clone_from(&paths);
        let names = class_names.to_vec();
        let label = match paths.as_slice() {
            [one] => format!("Reading the run {}", file_name(one)),
            many => format!("Reading {} runs", many.len()),
        };
        slot.start("read-runs", label, repaint, move |reporter| {
            let total = paths.len() as f32;
            let mut reads = Vec::with_capacity(paths.len());
            for (index, path) in paths.into_iter().enumerate() {
                let stamp = stamp(&path);
                let mut progress = |fraction: f32| {
                    reporter.progress((index as f32 + fraction) / total, file_name(&path));
                    !reporter.is_cancelled()
                };
                let result = read_run(&path, &names, &mut progress);
                if reporter.is_cancelled() {
                    return None;
                }
                reads.push(RunRead {
                    path,
                    stamp,
                    classes: names.len(),
                    result,
                });
            }
            Some(reads)
        });
    }

    /// Takes finished reads: keeps each run that shares the first run's validation set,
    /// replacing an earlier read of its file; notes the rest. Returns messages for the status
    /// bar (refusals of files the user added by hand).
    pub fn take_reads(&mut self, slot: &mut TaskSlot<Vec<RunRead>>) -> Vec<String> {
        let Some(answer) = slot.poll() else {
            return Vec::new();
        };
        self.reading.clear();
        let reads = match answer {
            Ok(reads) => reads,
            Err(TaskError::Cancelled) => return vec!["Reading runs cancelled".to_owned()],
            Err(error) => return vec![format!("Reading runs failed: {error}")],
        };
        let mut messages = Vec::new();
        for read in reads {
            let watched = self
                .watch
                .as_ref()
                .is_some_and(|folder| read.path.parent() == Some(folder.as_path()));
            let checked = read.result.and_then(|(info, data)| {
                self.check_labels(&read.path, &info, &data)?;
                Ok((info, data))
            });
            match checked {
                Ok((info, data)) => {
                    self.refused.retain(|r| r.path != read.path);
                    let run = LoadedRun {
                        path: read.path.clone(),
                        stamp: read.stamp,
                        info,
                        data: Arc::new(data),
                    };
                    match self.loaded.iter_mut().find(|r| r.path == read.path) {
                        Some(slot) => *slot = run,
                        None => self.loaded.push(run),
                    }
                    self.generation += 1;
                }
                Err(error) => {
                    let tries = self
                        .refused
                        .iter()
                        .find(|r| {
                            r.path == read.path
                                && r.stamp == read.stamp
                                && r.classes == read.classes
                        })
                        .map_or(1, |r| r.tries + 1);
                    self.refused.retain(|r| r.path != read.path);
                    let message = error.to_string();
                    if !watched {
                        messages.push(message.clone());
                    }
                    self.refused.push(Refused {
                        path: read.path,
                        stamp: read.stamp,
                        message,
                        tries,
                        watched,
                        classes: read.classes,
                    });
                }
            }
        }
        messages
    }

    /// A run must share the first run's labels (another read of the same file replaces it).
    fn check_labels(
        &self,
        path: &Path,
        info: &RunInfo,
        data: &ValidationData,
    ) -> Result<(), RunError> {
        let Some(first) = self.loaded.iter().find(|r| r.path != path) else {
            return Ok(());
        };
        check_labels(
            &info.file,
            &data.labels,
            &first.info.file,
            &first.data.labels,
        )
    }

    /// Brings the set and the view in step with the runs, the preset and the grid.
    pub fn sync(
        &mut self,
        preset: &Preset,
        grid: &[f64],
        objective: Objective,
        slot: &mut TaskSlot<Result<Arc<RunSet>, String>>,
        repaint: &Repaint,
        may_start: bool,
    ) {
        if self.loaded.is_empty() {
            self.view.clear();
            return;
        }
        let mut held = preset.weights();
        if let Some(debris) = held.get_mut(preset.debris) {
            *debris = 0.0;
        }
        let key = SetKey {
            generation: self.generation,
            held,
            debris: preset.debris,
        };
        let runs: Vec<(RunInfo, Arc<ValidationData>)> = self
            .loaded
            .iter()
            .map(|run| (run.info.clone(), Arc::clone(&run.data)))
            .collect();
        let weights = preset.weights();
        let classes = preset.classes.len();
        let start = Start {
            slot,
            repaint: Arc::clone(repaint),
            allowed: may_start,
        };
        self.set.sync(
            &key,
            start,
            ("prepare-runs", "Preparing the runs".to_owned()),
            move |key, reporter| {
                let planned: Vec<Vec<f64>> =
                    runs.iter().map(|(info, _)| info.weights.clone()).collect();
                let mut builder = RunSetBuilder::new(&weights, key.debris, &planned);
                for (index, (info, data)) in runs.iter().enumerate() {
                    if reporter.is_cancelled() {
                        return None;
                    }
                    reporter.progress(index as f32 / runs.len() as f32, info.file.clone());
                    if data.classes != classes {
                        return Some(Err(format!(
                            "{}: {} classes, the preset has {classes}",
                            info.file, data.classes
                        )));
                    }
                    if let Err(error) = builder.add(info.clone(), data) {
                        return Some(Err(error.to_string()));
                    }
                }
                Some(Ok(Arc::new(builder.finish())))
            },
            |error| format!("Preparing the runs stopped: {error}"),
        );
        let Some((set_key, Ok(set))) = self.set.latest() else {
            return;
        };
        let debris_weight = preset
            .classes
            .get(preset.debris)
            .map_or(f64::NAN, |c| c.weight);
        let view_key = ViewKey {
            set: set_key.clone(),
            grid: grid.to_vec(),
            debris_weight,
            objective,
            costs: preset.costs.clone(),
        };
        let set = Arc::clone(set);
        self.view.sync(view_key, |key, _| {
            let costs = CostMatrix::new(&key.costs, classes).ok();
            (set.classes() == classes).then(|| {
                RunsView::of(
                    &set,
                    &key.grid,
                    key.debris_weight,
                    key.objective,
                    costs.as_ref(),
                )
            })
        });
    }

    /// The set, if prepared (perhaps for earlier runs or weights while a new one prepares).
    #[must_use]
    pub fn prepared(&self) -> Option<Result<&RunSet, &str>> {
        self.set.latest().map(|(_, result)| match result {
            Ok(set) => Ok(set.as_ref()),
            Err(why) => Err(why.as_str()),
        })
    }
}

/// A path's file name, for labels.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The debris weights the runs are estimated along: the preset's sweep range, widened to
/// take in every run's debris weight with a quarter to spare, at 201 points at least.
#[must_use]
pub fn runs_grid(preset: &Preset, runs: &[LoadedRun]) -> Vec<f64> {
    let debris = preset.debris;
    let highest = runs
        .iter()
        .filter_map(|run| run.info.weights.get(debris).copied())
        .fold(f64::NEG_INFINITY, f64::max);
    let mut range = preset.sweep;
    if highest.is_finite() {
        range.to = range.to.max(highest * 1.25);
    }
    range.steps = range.steps.max(201);
    range.grid()
}
