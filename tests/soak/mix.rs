//! The random commands: what a user does to the window, drawn from a seeded generator, with
//! deliberately bad values among the edits (each marked as one the app must refuse).

mod edits;

use std::path::PathBuf;

use weightbench::command::{Pane, Workspace};

use crate::history;
use weightbench::core::ValidationSettings;
use weightbench::core::export::Target;
use weightbench::core::rng::SplitMix64;
use weightbench::core::{Convention, Edit, LossOptions, Preset, Reduction, Scenario};

/// How validation outputs are loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadHow {
    /// File > Load validation outputs…, the dialog answering the file.
    Dialog,
    /// Dropped on the window (or a recent file): straight to the loader.
    Drop,
    /// The dialog cancelled by the user.
    DialogCancelled,
    /// No dialog could be shown: the typed-path prompt, closed with Escape.
    NoDialog,
    /// Dropped, and the load cancelled before it could finish.
    CancelledAtOnce,
}

/// What to do with the runs (`tests/data/runs`: four runs of the notebook's four classes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunsHow {
    /// Drop the run files on the window at once.
    Drop,
    /// *File > Add a run…*, answered with one run.
    Dialog,
    /// Watch a folder that holds them.
    Watch,
    /// Clear the runs.
    Clear,
    /// Stop watching.
    StopWatching,
}

/// What the unsaved-changes question is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guard {
    /// Save first (to the file, or through Save As).
    Save,
    /// Discard the changes.
    Discard,
    /// Cancel (Escape): nothing happens.
    Cancel,
}

/// Which file File > Open… is answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenWhat {
    /// A file the soak saved.
    Saved,
    /// The notebook.
    Notebook,
    /// The notebook with validation outputs beside it (loaded as the preset opens).
    WithValidation,
    /// A preset written for the occasion: another sweep range and loss.
    Generated,
    /// A file that is not a preset: refused.
    Broken,
    /// A path where no file is: refused.
    Missing,
    /// The dialog cancelled.
    Cancelled,
}

/// How the preset is saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveHow {
    /// Save as… a new file.
    SaveAs,
    /// Ctrl+S: to the current file, or through Save As when there is none.
    Save,
    /// Save as… into a folder that does not exist: refused, nothing changes.
    Failing,
}

/// One thing the soak does to the window.
#[derive(Clone, Debug)]
pub enum Op {
    /// One edit; `refused` when its value is bad on purpose (the app must refuse it).
    Edit {
        /// The edit.
        edit: Edit,
        /// Whether it must be refused.
        refused: bool,
    },
    /// Edits of one value within one frame, as a drag or typing emits them.
    Gesture(Vec<Edit>),
    /// Undo, `times` times, through Ctrl+Z when `keys`.
    Undo { times: usize, keys: bool },
    /// Redo, `times` times, through Ctrl+Shift+Z when `keys`.
    Redo { times: usize, keys: bool },
    /// Select a scenario (maybe past the end), or none.
    Select(Option<usize>),
    /// Show a pane (switching to its workspace).
    Pane(Pane),
    /// Show a workspace.
    Workspace(Workspace),
    /// Fill the workspace with a pane, or restore its layout.
    Maximise(Option<Pane>),
    /// Put the workspace's panes back where they start.
    ResetLayout,
    /// beta of the effective-number scheme.
    Beta(f64),
    /// The penalty matrix's confidence.
    Confidence(f64),
    /// A penalty-matrix cell clicked.
    PenaltyCell { truth: usize, predicted: usize },
    /// A confusion cell clicked, once the outcomes are prepared.
    ConfusionCell { truth: usize, predicted: usize },
    /// Suggest weights, wait, apply them.
    Suggest,
    /// Load validation outputs.
    Load { file: PathBuf, how: LoadHow },
    /// Cancel the simulator's work.
    CancelSimulation,
    /// Wait for the simulator's work to end.
    WaitSimulation,
    /// "Run again" in the simulator.
    RunSimulationAgain,
    /// Cancel the outcomes' preparation and bootstrap.
    CancelOutcomes,
    /// "Prepare again" in the Outcomes view.
    PrepareAgain,
    /// Click a check box of the Outcomes view, by its label.
    ToggleOutcomes(&'static str),
    /// Copy an export snippet.
    Copy(Target),
    /// Something with the runs (retrains).
    Runs(RunsHow),
    /// Save.
    Save(SaveHow),
    /// File > Open…, answering the unsaved-changes question if asked.
    Open { what: OpenWhat, guard: Guard },
    /// File > New preset, answering the unsaved-changes question if asked.
    New { guard: Guard },
    /// Save as a new file, then open it: the same preset.
    RoundTrip,
    /// A long session: more edits in a row than the undo history keeps, then a walk through
    /// the history (which then stops at the cap).
    LongSession(Vec<Edit>),
}

/// What the generator may look at: the preset and what the soak knows for certain.
pub struct Scene<'a> {
    /// The preset shown.
    pub preset: &'a Preset,
    /// Whether validation outputs are loaded.
    pub validation_loaded: bool,
    /// The validation files to load (some load, some are refused).
    pub validation_files: &'a [PathBuf],
}

/// Draws ops from a seeded generator.
pub struct Mix {
    rng: SplitMix64,
}

impl Mix {
    /// A generator started at `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            rng: SplitMix64::new(seed),
        }
    }

    /// A number from 0 to `n - 1` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            usize::try_from(self.rng.next_u64() % n as u64).unwrap()
        }
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        self.rng.uniform() < p
    }

    /// One of `items`.
    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    /// A number from `low` to `high`.
    fn between(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.rng.uniform()
    }

    /// An index into `n` items, past the end with probability `bad` (always when there are
    /// none); and whether it is past the end.
    fn index(&mut self, n: usize, bad: f64) -> (usize, bool) {
        if n == 0 || self.chance(bad) {
            (n + self.below(3), true)
        } else {
            (self.below(n), false)
        }
    }

    /// The next op.
    pub fn op(&mut self, scene: &Scene<'_>) -> Op {
        let roll = self.below(1000);
        match roll {
            0..=449 => {
                let (edit, refused) = self.edit(scene.preset);
                Op::Edit { edit, refused }
            }
            450..=529 => Op::Gesture(self.gesture(scene.preset)),
            530..=619 => {
                let times = if self.chance(0.1) {
                    1 + self.below(40)
                } else {
                    1 + self.below(4)
                };
                Op::Undo {
                    times,
                    keys: self.chance(0.3),
                }
            }
            620..=679 => Op::Redo {
                times: 1 + self.below(5),
                keys: self.chance(0.3),
            },
            680..=719 => {
                let n = scene.preset.scenarios.len();
                Op::Select(if self.chance(0.1) {
                    None
                } else {
                    Some(self.index(n, 0.15).0)
                })
            }
            720..=779 => {
                let workspace = self.pick(&Workspace::ALL);
                Op::Pane(self.pick(workspace.panes()))
            }
            780..=809 => match self.below(4) {
                0 | 1 => Op::Workspace(self.pick(&Workspace::ALL)),
                2 => {
                    let workspace = self.pick(&Workspace::ALL);
                    Op::Maximise(self.chance(0.7).then(|| self.pick(workspace.panes())))
                }
                _ => Op::ResetLayout,
            },
            810..=819 => Op::Beta(self.between(0.0, 0.99999)),
            820..=829 => Op::Confidence(self.between(0.05, 0.99)),
            830..=844 => {
                let c = scene.preset.classes.len();
                Op::PenaltyCell {
                    truth: self.below(c),
                    predicted: self.below(c),
                }
            }
            875..=899 => self.pick(&[
                Op::CancelSimulation,
                Op::WaitSimulation,
                Op::RunSimulationAgain,
                Op::Workspace(Workspace::Simulator),
            ]),
            900..=929 if scene.validation_loaded => {
                let c = scene.preset.classes.len();
                match self.below(6) {
                    0 => Op::ConfusionCell {
                        truth: self.below(c),
                        predicted: self.below(c),
                    },
                    1 => Op::Suggest,
                    2 => Op::CancelOutcomes,
                    3 => Op::PrepareAgain,
                    4 => Op::ToggleOutcomes(self.pick(&[
                        "prior correction",
                        "fit a temperature",
                        "the least expected cost",
                        "the weights' argmax",
                    ])),
                    _ => Op::Workspace(Workspace::Outcomes),
                }
            }
            845..=874 | 900..=929 => self.load(scene),
            930..=931 => Op::Copy(self.pick(&[Target::PyTorch, Target::NumPy])),
            932..=934 => Op::Runs(self.pick(&[
                RunsHow::Drop,
                RunsHow::Dialog,
                RunsHow::Watch,
                RunsHow::Clear,
                RunsHow::StopWatching,
            ])),
            935..=959 => Op::Save(self.pick(&[
                SaveHow::SaveAs,
                SaveHow::Save,
                SaveHow::Save,
                SaveHow::Failing,
            ])),
            960..=979 => Op::Open {
                what: self.pick(&[
                    OpenWhat::Saved,
                    OpenWhat::Notebook,
                    OpenWhat::WithValidation,
                    OpenWhat::Generated,
                    OpenWhat::Generated,
                    OpenWhat::Broken,
                    OpenWhat::Missing,
                    OpenWhat::Cancelled,
                ]),
                guard: self.guard(),
            },
            980..=987 => Op::New {
                guard: self.guard(),
            },
            988..=997 => Op::RoundTrip,
            _ => self.long_session(scene.preset),
        }
    }

    fn long_session(&mut self, preset: &Preset) -> Op {
        let mut preset = preset.clone();
        let length = history::MAX_UNDOS + 10 + self.below(50);
        let edits = (0..length)
            .map(|_| {
                let (edit, _) = self.edit(&preset);
                // What the preset becomes, for the next edit to fit it (refused: unchanged).
                let _ = preset.apply(edit.clone());
                edit
            })
            .collect();
        Op::LongSession(edits)
    }

    fn guard(&mut self) -> Guard {
        self.pick(&[Guard::Save, Guard::Discard, Guard::Discard, Guard::Cancel])
    }

    fn load(&mut self, scene: &Scene<'_>) -> Op {
        Op::Load {
            file: self.pick(scene.validation_files),
            how: self.pick(&[
                LoadHow::Dialog,
                LoadHow::Dialog,
                LoadHow::Drop,
                LoadHow::DialogCancelled,
                LoadHow::NoDialog,
                LoadHow::CancelledAtOnce,
            ]),
        }
    }

    /// A weight: mostly ordinary, sometimes extreme; bad (NaN, infinite, negative) when asked.
    fn weight(&mut self, bad: bool) -> f64 {
        if bad {
            return self.pick(&[f64::NAN, f64::INFINITY, -1.0, -1e-9, f64::NEG_INFINITY]);
        }
        match self.below(10) {
            0 => 0.0,
            // 1e12: beyond the weight field's drag range (rare: the simulator's fits crawl).
            1 if self.chance(0.2) => 1e12,
            1 => self.pick(&[1e-9, 1e6]),
            2..=5 => self.between(0.0, 2.0),
            _ => self.between(0.0, 40.0),
        }
    }

    /// A logit: mostly ordinary, sometimes extreme; bad (NaN, infinite) when asked.
    fn logit(&mut self, bad: bool) -> f64 {
        if bad {
            return self.pick(&[f64::NAN, f64::INFINITY, f64::NEG_INFINITY]);
        }
        match self.below(20) {
            // Extremes whose losses overflow leave the views with nothing to show until undone.
            0 if self.chance(0.3) => self.pick(&[1e300, -1e300, f64::MAX, -f64::MAX]),
            0 => self.pick(&[1e4, -1e4, 0.0]),
            1..=3 => self.between(-20.0, 20.0).round(),
            _ => self.rng.normal() * 5.0,
        }
    }

    fn count(&mut self) -> u64 {
        match self.below(12) {
            0 => 0,
            1 => self.pick(&[u64::MAX, u64::MAX / 3, 1 << 53]),
            2..=6 => 1 + self.rng.next_u64() % 100,
            _ => 1 + self.rng.next_u64() % 1_000_000,
        }
    }

    fn name(&mut self, taken: &[&str]) -> (String, bool) {
        if self.chance(0.08) {
            return (self.pick(&["", "   "]).to_owned(), true);
        }
        if !taken.is_empty() && self.chance(0.08) {
            return (self.pick(taken).to_owned(), true);
        }
        let base = self.pick(&[
            "rare",
            "débris ✓",
            "quote \" and \\ backslash",
            "a",
            "object (small)",
            "class",
            "ünïcode 物体",
        ]);
        (format!("{base} {}", self.below(1000)), false)
    }

    fn weights(&mut self, classes: usize) -> (Vec<f64>, bool) {
        if self.chance(0.1) {
            let length = if classes > 0 && self.chance(0.5) {
                classes - 1
            } else {
                classes + 1
            };
            return ((0..length).map(|_| self.weight(false)).collect(), true);
        }
        let bad = self.chance(0.1).then(|| self.below(classes));
        let weights = (0..classes).map(|c| self.weight(bad == Some(c))).collect();
        (weights, bad.is_some())
    }

    fn loss(&mut self, current: LossOptions) -> (LossOptions, bool) {
        let mut options = current;
        for _ in 0..=self.below(2) {
            match self.below(5) {
                0 => options.convention = self.pick(&Convention::ALL),
                1 => options.reduction = self.pick(&Reduction::ALL),
                2 => options.label_smoothing = self.pick(&[0.0, 0.0, 0.05, 0.1, 0.5, 1.0]),
                3 => options.focal_gamma = self.pick(&[0.0, 0.0, 0.5, 2.0, 5.0, 8.0]),
                _ => options.logit_adjustment = self.pick(&[0.0, 0.0, 0.5, 1.0, 2.0, -1.0, 3.0]),
            }
        }
        if self.chance(0.15) {
            match self.below(4) {
                0 => options.label_smoothing = self.pick(&[-0.1, 1.5, f64::NAN]),
                1 => options.focal_gamma = self.pick(&[-1.0, f64::NAN, f64::INFINITY]),
                2 => options.logit_adjustment = self.pick(&[f64::NAN, f64::INFINITY]),
                _ => {
                    options.convention = Convention::PyTorch;
                    options.focal_gamma = self.between(0.1, 5.0);
                    options.label_smoothing = self.between(0.01, 1.0);
                }
            }
            return (options, true);
        }
        (options, false)
    }

    fn prior(&mut self, classes: usize) -> (Vec<f64>, bool) {
        match self.below(8) {
            0 => (Vec::new(), false),
            1 => (
                (0..=classes).map(|_| 1.0 / (classes + 1) as f64).collect(),
                true,
            ),
            2 => ((0..classes).map(|_| 1.0).collect(), classes != 1),
            _ => {
                let raw: Vec<f64> = (0..classes).map(|_| self.rng.uniform() + 0.01).collect();
                let total: f64 = raw.iter().sum();
                (raw.iter().map(|x| x / total).collect(), false)
            }
        }
    }

    fn trained_with(&mut self, classes: usize) -> (Vec<f64>, bool) {
        match self.below(8) {
            0 => (Vec::new(), false),
            1 => (vec![1.0; classes + 1], true),
            2 => {
                let mut weights: Vec<f64> = (0..classes).map(|_| self.between(0.1, 30.0)).collect();
                weights[self.below(classes)] = self.pick(&[0.0, -1.0, f64::NAN]);
                (weights, true)
            }
            // Beyond the trained-with field's drag range, and still valid.
            3 => (
                (0..classes).map(|_| self.pick(&[1e-7, 1.0, 1e7])).collect(),
                false,
            ),
            _ => (
                (0..classes).map(|_| self.between(0.01, 30.0)).collect(),
                false,
            ),
        }
    }
}
