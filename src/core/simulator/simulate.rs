//! The debris-weight sweep, for real: at every grid weight a model is retrained and counted on
//! the test set; beside it the preview, the model trained at the preset's own weights with its
//! test logits shifted by `ln(w / w_preset)` (the outcomes' decision rule), counted the same way.
//!
//! Each seed draws its own data (and, for the MLP, its own initial weights and shuffles, shared by
//! every grid point of that seed, so a seed's curve moves only with the weight). The work is one
//! task per (seed, grid point) plus one preview fit per seed, each a pure function of its
//! index; two named workers take tasks in turn and every result lands in its own slot, so the
//! numbers never depend on the number of workers or their timing.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use serde::{Deserialize, Serialize};

use crate::core::cases::sweep::quantile;
use crate::core::outcomes::decision::{DecisionRule, ShiftBasis, predict};
use crate::core::outcomes::metrics::{Confusion, Metrics};
use crate::core::preset::Preset;
use crate::core::preset::range::SweepRange;
use crate::core::rng::SplitMix64;
use crate::core::simulator::data::{self, DataSpec, Dataset, SyntheticData, synthesize};
use crate::core::simulator::error::SimulatorError;
use crate::core::simulator::mlp::{self, MlpOptions, train_mlp_cancellable};
use crate::core::simulator::model::Model;
use crate::core::simulator::softmax_fit::{self, SoftmaxOptions, train_softmax};

/// Seeds by default.
pub const DEFAULT_SEEDS: usize = 5;

/// Grid points by default: the preset's sweep range at this many weights.
pub const DEFAULT_GRID_STEPS: usize = 21;

/// Worker threads by default.
pub const DEFAULT_WORKERS: usize = 2;

/// Which model the simulator trains.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    /// Softmax regression, fitted to its optimum.
    #[default]
    Softmax,
    /// The two-hidden-layer tanh MLP, trained with Adam for a number of epochs.
    Mlp,
}

/// The settings of a simulation (saved with the window's state: every field has a default).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SimulationOptions {
    /// The model to train.
    pub model: ModelKind,
    /// Training samples per seed (the test set has as many).
    pub samples: usize,
    /// How far debris spreads over the rare classes, 0 to 1.
    pub overlap: f64,
    /// How many seeds, each with its own data and initial weights.
    pub seeds: usize,
    /// The base seed every seed's streams derive from.
    pub seed: u64,
    /// The L2 strength on the weights.
    pub l2: f64,
    /// MLP: units per hidden layer.
    pub hidden: usize,
    /// MLP: epochs.
    pub epochs: usize,
    /// MLP: Adam's learning rate.
    pub learning_rate: f64,
    /// MLP: samples per minibatch.
    pub batch: usize,
    /// The debris weights to retrain at; `None` takes the preset's sweep range at
    /// [`DEFAULT_GRID_STEPS`] points.
    pub grid: Option<SweepRange>,
    /// Worker threads (at least 1 is used); the results do not depend on it.
    pub workers: usize,
}

impl Default for SimulationOptions {
    fn default() -> Self {
        Self {
            model: ModelKind::Softmax,
            samples: data::DEFAULT_SAMPLES,
            overlap: data::DEFAULT_OVERLAP,
            seeds: DEFAULT_SEEDS,
            seed: data::DEFAULT_SEED,
            l2: softmax_fit::DEFAULT_L2,
            hidden: mlp::DEFAULT_HIDDEN,
            epochs: mlp::DEFAULT_EPOCHS,
            learning_rate: mlp::DEFAULT_LEARNING_RATE,
            batch: mlp::DEFAULT_BATCH,
            grid: None,
            workers: DEFAULT_WORKERS,
        }
    }
}

impl SimulationOptions {
    /// The grid of debris weights for `preset`.
    ///
    /// # Errors
    /// An unusable range.
    pub fn debris_weights(&self, preset: &Preset) -> Result<Vec<f64>, SimulatorError> {
        let range = self.grid.unwrap_or(SweepRange {
            steps: DEFAULT_GRID_STEPS,
            ..preset.sweep
        });
        range.validate()?;
        Ok(range.grid())
    }

    /// The data of seed `index`.
    #[must_use]
    pub fn data_spec(&self, index: usize) -> DataSpec {
        DataSpec {
            samples: self.samples,
            overlap: self.overlap,
            seed: SplitMix64::stream(self.seed, 2 * index as u64).next_u64(),
        }
    }

    /// The MLP settings of seed `index`.
    #[must_use]
    pub fn mlp_options(&self, index: usize) -> MlpOptions {
        MlpOptions {
            hidden: self.hidden,
            epochs: self.epochs,
            l2: self.l2,
            learning_rate: self.learning_rate,
            batch: self.batch,
            seed: SplitMix64::stream(self.seed, 2 * index as u64 + 1).next_u64(),
        }
    }

    /// Checks every setting.
    ///
    /// # Errors
    /// The first setting out of range.
    pub fn validate(&self) -> Result<(), SimulatorError> {
        self.data_spec(0).validate()?;
        if self.seeds == 0 {
            return Err(SimulatorError::Seeds(0));
        }
        if !(self.l2.is_finite() && self.l2 >= 0.0) {
            return Err(SimulatorError::L2(self.l2));
        }
        if self.model == ModelKind::Mlp {
            self.mlp_options(0).validate()?;
        }
        Ok(())
    }

    /// Trains the chosen model on `data` under `preset`'s weights, with seed `index`'s MLP
    /// settings.
    ///
    /// # Errors
    /// As the trainer's, and [`SimulatorError::Cancelled`] once `cancel` is set (MLP).
    pub fn train(
        &self,
        data: &Dataset,
        preset: &Preset,
        index: usize,
        cancel: &AtomicBool,
    ) -> Result<Model, SimulatorError> {
        Ok(match self.model {
            ModelKind::Softmax => {
                let options = SoftmaxOptions {
                    l2: self.l2,
                    ..SoftmaxOptions::default()
                };
                Model::Softmax(train_softmax(data, preset, &options)?.model)
            }
            ModelKind::Mlp => {
                let options = self.mlp_options(index);
                Model::Mlp(train_mlp_cancellable(data, preset, &options, cancel)?.model)
            }
        })
    }
}

/// Counts and rates along the grid: medians over the seeds, with 10th-90th percentile bands of
/// the counts (NumPy's linear interpolation). Every list has one entry per grid point, each one
/// entry per class.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Curves {
    /// Debris test samples called each class (0 in the debris entry).
    pub false_positives_from_debris: Vec<Vec<f64>>,
    /// Each class's test samples called debris (0 in the debris entry).
    pub false_negatives_to_debris: Vec<Vec<f64>>,
    /// Recall per class; `None` when no seed has the class in its test set.
    pub recall: Vec<Vec<Option<f64>>>,
    /// Precision per class; `None` when no seed's model predicts the class.
    pub precision: Vec<Vec<Option<f64>>>,
    /// 10th percentile of the false positives from debris.
    pub false_positives_from_debris_p10: Vec<Vec<f64>>,
    /// 90th percentile of the false positives from debris.
    pub false_positives_from_debris_p90: Vec<Vec<f64>>,
    /// 10th percentile of the false negatives to debris.
    pub false_negatives_to_debris_p10: Vec<Vec<f64>>,
    /// 90th percentile of the false negatives to debris.
    pub false_negatives_to_debris_p90: Vec<Vec<f64>>,
}

/// The result of `weightbench simulate`: retraining and the preview along the debris weight.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Simulation {
    /// The grid of debris weights.
    pub debris_weight: Vec<f64>,
    /// A model retrained at each weight.
    pub retrained: Curves,
    /// The model trained at the preset's weights, shifted by `ln(w / w_preset)`.
    pub preview: Curves,
}

/// One seed's counts at one grid point.
#[derive(Clone, Debug, PartialEq)]
struct PointStats {
    false_positives: Vec<u64>,
    false_negatives: Vec<u64>,
    recall: Vec<Option<f64>>,
    precision: Vec<Option<f64>>,
}

impl PointStats {
    fn of(labels: &[u32], predictions: &[u32], classes: usize, debris: usize) -> Self {
        let metrics = Metrics::of(Confusion::of(labels, predictions, classes), debris, None);
        Self {
            false_positives: metrics.false_positives_from_debris,
            false_negatives: metrics.false_negatives_to_debris,
            recall: metrics.recall,
            precision: metrics.precision,
        }
    }
}

/// What one task computes.
enum Output {
    /// A model retrained at one grid weight.
    Retrained(PointStats),
    /// The preview at every grid weight.
    Preview(Vec<PointStats>),
}

/// Everything a task reads.
struct Job<'a> {
    preset: &'a Preset,
    options: &'a SimulationOptions,
    grid: &'a [f64],
    data: &'a [SyntheticData],
}

impl Job<'_> {
    /// Task `task`: seed `task / (G + 1)`, grid point `task % (G + 1)` (G: the preview).
    fn run(&self, task: usize, cancel: &AtomicBool) -> Result<Output, SimulatorError> {
        let points = self.grid.len();
        let (seed, point) = (task / (points + 1), task % (points + 1));
        let data = &self.data[seed];
        let (classes, debris) = (self.preset.classes.len(), self.preset.debris);
        let plain = DecisionRule {
            shift: vec![0.0; classes],
            temperature: 1.0,
            fallback: debris,
        };
        if let Some(&weight) = self.grid.get(point) {
            let mut preset = self.preset.clone();
            preset.classes[debris].weight = weight;
            let model = self.options.train(&data.train, &preset, seed, cancel)?;
            let predictions = predict(&model.scores(&data.test), &plain);
            return Ok(Output::Retrained(PointStats::of(
                &data.test.labels,
                &predictions,
                classes,
                debris,
            )));
        }
        let model = self.options.train(&data.train, self.preset, seed, cancel)?;
        let scores = model.scores(&data.test);
        let trained_with = self.preset.weights();
        let basis = ShiftBasis::new(trained_with.clone());
        let stats = self
            .grid
            .iter()
            .map(|&weight| {
                let mut weights = trained_with.clone();
                weights[debris] = weight;
                let rule = DecisionRule::new(&basis, &weights, 1.0, debris);
                let predictions = predict(&scores, &rule);
                PointStats::of(&data.test.labels, &predictions, classes, debris)
            })
            .collect();
        Ok(Output::Preview(stats))
    }
}

/// Runs the debris-weight sweep of `preset` as `options` say.
///
/// `progress` is called on the calling thread after each task with the share done, and returns
/// `true` to go on; `false` cancels (the workers stop after their current task, an MLP after its
/// current epoch) and the result is then `Ok(None)`. The call blocks until the workers are
/// done: run it on a background thread, never on a UI thread.
///
/// # Errors
/// An invalid preset or option, or a worker thread that could not be started.
pub fn simulate(
    preset: &Preset,
    options: &SimulationOptions,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<Option<Simulation>, SimulatorError> {
    preset.validate()?;
    options.validate()?;
    let grid = options.debris_weights(preset)?;
    let data = (0..options.seeds)
        .map(|seed| synthesize(preset, &options.data_spec(seed)))
        .collect::<Result<Vec<_>, _>>()?;
    let job = Job {
        preset,
        options,
        grid: &grid,
        data: &data,
    };
    let tasks = options.seeds * (grid.len() + 1);
    let Some(outputs) = run_tasks(
        tasks,
        options.workers,
        &|task, cancel| job.run(task, cancel),
        progress,
    )?
    else {
        return Ok(None);
    };
    let mut retrained = vec![Vec::with_capacity(grid.len()); options.seeds];
    let mut preview = Vec::with_capacity(options.seeds);
    for (task, output) in outputs.into_iter().enumerate() {
        match output {
            Output::Retrained(stats) => retrained[task / (grid.len() + 1)].push(stats),
            Output::Preview(stats) => preview.push(stats),
        }
    }
    let classes = preset.classes.len();
    Ok(Some(Simulation {
        retrained: curves(&retrained, grid.len(), classes),
        preview: curves(&preview, grid.len(), classes),
        debris_weight: grid,
    }))
}

/// A task runner: `work(task, cancel)` for every task in `0..tasks`, on `workers` named
/// threads; results by task index. `Ok(None)` when `progress` cancels.
fn run_tasks<T: Send>(
    tasks: usize,
    workers: usize,
    work: &(dyn Fn(usize, &AtomicBool) -> Result<T, SimulatorError> + Sync),
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<Option<Vec<T>>, SimulatorError> {
    let next = AtomicUsize::new(0);
    let cancel = AtomicBool::new(false);
    let mut slots: Vec<Option<T>> = std::iter::repeat_with(|| None).take(tasks).collect();
    let mut failure = None;
    let mut cancelled = false;
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::channel();
        let mut spawned = 0;
        let mut spawn_error = None;
        for worker in 0..workers.clamp(1, tasks.max(1)) {
            let sender = sender.clone();
            let (next, cancel) = (&next, &cancel);
            let started = std::thread::Builder::new()
                .name(format!("simulator-{worker}"))
                .spawn_scoped(scope, move || {
                    while !cancel.load(Ordering::Relaxed) {
                        let task = next.fetch_add(1, Ordering::Relaxed);
                        if task >= tasks || sender.send((task, work(task, cancel))).is_err() {
                            break;
                        }
                    }
                });
            match started {
                Ok(_) => spawned += 1,
                Err(error) => spawn_error = Some(error.to_string()),
            }
        }
        drop(sender);
        // Fewer workers than asked only slow the run; none at all is an error.
        if spawned == 0 {
            failure = spawn_error.map(SimulatorError::Thread);
        }
        let mut done = 0usize;
        for (task, result) in receiver {
            match result {
                Ok(output) => slots[task] = Some(output),
                Err(SimulatorError::Cancelled) => {}
                Err(error) => {
                    failure.get_or_insert(error);
                    cancel.store(true, Ordering::Relaxed);
                }
            }
            done += 1;
            #[allow(
                clippy::cast_possible_truncation,
                reason = "a share from 0 to 1 for a progress bar"
            )]
            let share = (done as f64 / tasks as f64) as f32;
            if !cancelled && !progress(share) {
                cancelled = true;
                cancel.store(true, Ordering::Relaxed);
            }
        }
    });
    if let Some(error) = failure {
        return Err(error);
    }
    if cancelled {
        return Ok(None);
    }
    slots
        .into_iter()
        .collect::<Option<Vec<T>>>()
        .map(Some)
        .ok_or_else(|| {
            SimulatorError::Thread("a worker stopped before its tasks were done".to_owned())
        })
}

/// Medians and bands over the seeds of `stats[seed][point]`.
fn curves(stats: &[Vec<PointStats>], points: usize, classes: usize) -> Curves {
    let mut curves = Curves::default();
    for point in 0..points {
        let rows: Vec<&PointStats> = stats.iter().filter_map(|seed| seed.get(point)).collect();
        let fp = |row: &PointStats, c: usize| row.false_positives[c];
        let fn_ = |row: &PointStats, c: usize| row.false_negatives[c];
        let curve = &mut curves;
        curve
            .false_positives_from_debris
            .push(counts(&rows, classes, 0.5, fp));
        curve
            .false_positives_from_debris_p10
            .push(counts(&rows, classes, 0.1, fp));
        curve
            .false_positives_from_debris_p90
            .push(counts(&rows, classes, 0.9, fp));
        curve
            .false_negatives_to_debris
            .push(counts(&rows, classes, 0.5, fn_));
        curve
            .false_negatives_to_debris_p10
            .push(counts(&rows, classes, 0.1, fn_));
        curve
            .false_negatives_to_debris_p90
            .push(counts(&rows, classes, 0.9, fn_));
        curve
            .recall
            .push(rates(&rows, classes, |row, c| row.recall[c]));
        curve
            .precision
            .push(rates(&rows, classes, |row, c| row.precision[c]));
    }
    curves
}

/// The `q` quantile over the seeds of a count, per class.
fn counts(
    rows: &[&PointStats],
    classes: usize,
    q: f64,
    pick: impl Fn(&PointStats, usize) -> u64,
) -> Vec<f64> {
    let mut column = Vec::with_capacity(rows.len());
    (0..classes)
        .map(|c| {
            column.clear();
            column.extend(rows.iter().map(|row| pick(row, c) as f64));
            quantile(&mut column, q)
        })
        .collect()
}

/// The median over the seeds where a rate is defined, per class; `None` where it is nowhere.
fn rates(
    rows: &[&PointStats],
    classes: usize,
    pick: impl Fn(&PointStats, usize) -> Option<f64>,
) -> Vec<Option<f64>> {
    let mut column = Vec::with_capacity(rows.len());
    (0..classes)
        .map(|c| {
            column.clear();
            column.extend(rows.iter().filter_map(|row| pick(row, c)));
            (!column.is_empty()).then(|| quantile(&mut column, 0.5))
        })
        .collect()
}
