//! The runs read into one set: their summaries at their own weights, the replicates grouped,
//! and per run the exact debris sweeps its previews need.
//!
//! A run's preview at weights `w` is its outputs shifted by `ln(w / w_run)`. Along the debris
//! weight, with every other weight held, that is one [`DebrisSweep`]: exact counts at any
//! debris weight in O(C^2 log N), without the outputs. So a set keeps only the sweeps (8 bytes
//! a sample each), one for each "held" vector of the other weights it is asked about: the
//! estimate's (the preset's weights) and each group's own, for the preview errors. In the
//! usual sweep over the debris weight every run shares the preset's other weights, and each
//! run keeps one sweep.

use serde::Serialize;

use super::file::{RunError, RunInfo};
use crate::core::outcomes::data::ValidationData;
use crate::core::outcomes::debris_sweep::DebrisSweep;
use crate::core::outcomes::decision::{DecisionRule, ShiftBasis};
use crate::core::outcomes::metrics::{Confusion, Metrics};

/// Weights closer than this (relative) are the same: a run that saved its weights in float32
/// is a replicate of one that saved them in float64.
const SAME_WEIGHT: f64 = 1e-6;

/// Whether two weights are the same within [`SAME_WEIGHT`].
#[must_use]
pub fn same_weight(a: f64, b: f64) -> bool {
    (a - b).abs() <= SAME_WEIGHT * a.abs().max(b.abs())
}

/// Whether two weight vectors agree everywhere but `skip` (pass `usize::MAX` to skip none).
pub(super) fn same_except(a: &[f64], b: &[f64], skip: usize) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .enumerate()
            .all(|(c, (&x, &y))| c == skip || same_weight(x, y))
}

/// One run at its own weights: an entry of `runs` in the JSON.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunSummary {
    /// The file.
    pub file: String,
    /// The class weights it was trained with.
    pub weights: Vec<f64>,
    /// Its seed, when recorded.
    pub seed: Option<i64>,
    /// Its epoch, when recorded.
    pub epoch: Option<i64>,
    /// Validation samples.
    pub samples: usize,
    /// Per class c, debris samples called c (0 in the debris entry).
    pub false_positives_from_debris: Vec<u64>,
    /// Per class c, samples of c called debris (0 in the debris entry).
    pub false_negatives_to_debris: Vec<u64>,
    /// Per class recall; `None` for a class absent from the labels.
    pub recall: Vec<Option<f64>>,
    /// Per class precision; `None` for a class never predicted.
    pub precision: Vec<Option<f64>>,
}

/// Runs trained with the same class weights: replicates.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Their class weights (the first run's).
    pub weights: Vec<f64>,
    /// The runs, indices into [`RunSet::runs`].
    pub members: Vec<usize>,
    /// Which held vector ([`RunSet`]'s) is this group's own other weights.
    held: usize,
}

/// A run summarised and swept, ready to join a set ([`RunSetBuilder::prepare`]).
#[derive(Debug)]
pub struct PreparedRun {
    summary: RunSummary,
    own: Confusion,
    sweeps: Vec<DebrisSweep>,
}

/// Runs being read into a set, one at a time, so that each run's outputs can be dropped once
/// its sweeps are built.
#[derive(Debug)]
pub struct RunSetBuilder {
    debris: usize,
    /// The held vectors: `[0]` the estimate's, then each distinct other-weights of the runs.
    held: Vec<Vec<f64>>,
    runs: Vec<RunSummary>,
    own: Vec<Confusion>,
    sweeps: Vec<Vec<DebrisSweep>>,
    /// The first run's file and labels: every later run's must equal them.
    labels: Option<(String, Vec<u32>)>,
}

impl RunSetBuilder {
    /// A set whose estimate holds every weight of `weights` but `debris`'s, for runs trained
    /// with `planned` (the weights of every run to come, from [`super::read_run_info`]).
    #[must_use]
    pub fn new(weights: &[f64], debris: usize, planned: &[Vec<f64>]) -> Self {
        let mut held = vec![weights.to_vec()];
        for run in planned {
            if !held.iter().any(|h| same_except(h, run, debris)) {
                held.push(run.clone());
            }
        }
        Self {
            debris,
            held,
            runs: Vec::new(),
            own: Vec::new(),
            sweeps: Vec::new(),
            labels: None,
        }
    }

    /// Adds a run: checks that it shares the first run's validation set, summarises it at its
    /// own weights and builds its sweeps.
    ///
    /// # Errors
    /// As [`Self::prepare`].
    pub fn add(&mut self, info: RunInfo, data: &ValidationData) -> Result<(), RunError> {
        let prepared = self.prepare(info, data)?;
        if self.labels.is_none() {
            self.labels = Some((prepared.summary.file.clone(), data.labels.clone()));
        }
        self.push(prepared);
        Ok(())
    }

    /// The work of [`Self::add`] that needs only the builder's plan and the first run's labels,
    /// so that runs after the first can be prepared on several threads and then
    /// [`Self::push`]ed in order.
    ///
    /// # Errors
    /// [`RunError::LabelsDiffer`] or [`RunError::SampleCount`] when its labels are not the
    /// first run's; [`RunError::BadField`] when its weights have the wrong length or their other
    /// weights were not among the builder's plan.
    pub fn prepare(&self, info: RunInfo, data: &ValidationData) -> Result<PreparedRun, RunError> {
        if info.weights.len() != data.classes {
            return Err(RunError::BadField {
                file: info.file,
                field: "class_weights".to_owned(),
                message: format!(
                    "has {} numbers, the outputs have {} classes",
                    info.weights.len(),
                    data.classes
                ),
            });
        }
        if let Some((first_file, first)) = &self.labels {
            check_labels(&info.file, &data.labels, first_file, first)?;
        }
        let Some(own_held) = self
            .held
            .iter()
            .position(|h| same_except(h, &info.weights, self.debris))
        else {
            return Err(RunError::BadField {
                file: info.file,
                field: "class_weights".to_owned(),
                message: "changed since the runs were listed; read them again".to_owned(),
            });
        };
        let basis = ShiftBasis::new(info.weights.clone());
        let sweeps: Vec<DebrisSweep> = self
            .held
            .iter()
            .map(|held| {
                let rule = DecisionRule::new(&basis, held, 1.0, self.debris);
                DebrisSweep::new(data, &rule, self.debris)
            })
            .collect();
        let own = sweeps[own_held].confusion_at(0.0);
        let metrics = Metrics::of(own.clone(), self.debris, None);
        Ok(PreparedRun {
            summary: RunSummary {
                file: info.file,
                weights: info.weights,
                seed: info.seed,
                epoch: info.epoch,
                samples: data.samples(),
                false_positives_from_debris: metrics.false_positives_from_debris,
                false_negatives_to_debris: metrics.false_negatives_to_debris,
                recall: metrics.recall,
                precision: metrics.precision,
            },
            own,
            sweeps,
        })
    }

    /// Adds a run prepared by [`Self::prepare`] (after the first run was added).
    pub fn push(&mut self, run: PreparedRun) {
        self.runs.push(run.summary);
        self.own.push(run.own);
        self.sweeps.push(run.sweeps);
    }

    /// The set of the runs added.
    #[must_use]
    pub fn finish(self) -> RunSet {
        let mut groups: Vec<Group> = Vec::new();
        for (index, run) in self.runs.iter().enumerate() {
            match groups
                .iter_mut()
                .find(|g| same_except(&g.weights, &run.weights, usize::MAX))
            {
                Some(group) => group.members.push(index),
                None => groups.push(Group {
                    weights: run.weights.clone(),
                    members: vec![index],
                    held: self
                        .held
                        .iter()
                        .position(|h| same_except(h, &run.weights, self.debris))
                        .unwrap_or_default(),
                }),
            }
        }
        // By debris weight, so that tables and the estimate read in order.
        groups.sort_by(|a, b| a.weights[self.debris].total_cmp(&b.weights[self.debris]));
        RunSet {
            debris: self.debris,
            held: self.held,
            runs: self.runs,
            own: self.own,
            sweeps: self.sweeps,
            groups,
        }
    }
}

/// Checks a run's labels against the first run's: the same labels in the same order.
///
/// # Errors
/// [`RunError::LabelsDiffer`] at the first differing row, [`RunError::SampleCount`] when one
/// is a prefix of the other.
pub fn check_labels(
    file: &str,
    labels: &[u32],
    first_file: &str,
    first: &[u32],
) -> Result<(), RunError> {
    if let Some(row) = labels.iter().zip(first).position(|(a, b)| a != b) {
        return Err(RunError::LabelsDiffer {
            file: file.to_owned(),
            first_file: first_file.to_owned(),
            row,
            label: labels[row],
            first_label: first[row],
        });
    }
    if labels.len() != first.len() {
        return Err(RunError::SampleCount {
            file: file.to_owned(),
            samples: labels.len(),
            first_file: first_file.to_owned(),
            first_samples: first.len(),
            row: labels.len().min(first.len()),
        });
    }
    Ok(())
}

/// Runs of one validation set, with what their previews need.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSet {
    pub(super) debris: usize,
    /// `[0]`: the weights the estimate holds; then each group's own.
    pub(super) held: Vec<Vec<f64>>,
    runs: Vec<RunSummary>,
    own: Vec<Confusion>,
    /// Per run, per held vector.
    sweeps: Vec<Vec<DebrisSweep>>,
    groups: Vec<Group>,
}

impl RunSet {
    /// The runs, in the order added.
    #[must_use]
    pub fn runs(&self) -> &[RunSummary] {
        &self.runs
    }

    /// The replicate groups, by debris weight.
    #[must_use]
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// The debris class.
    #[must_use]
    pub fn debris(&self) -> usize {
        self.debris
    }

    /// The number of classes.
    #[must_use]
    pub fn classes(&self) -> usize {
        self.held[0].len()
    }

    /// The weights the estimate holds (its debris entry is the caller's).
    #[must_use]
    pub fn held(&self) -> &[f64] {
        &self.held[0]
    }

    /// Run `run`'s confusion at its own weights.
    #[must_use]
    pub fn own_confusion(&self, run: usize) -> &Confusion {
        &self.own[run]
    }

    /// The held vector of `group`'s own other weights.
    pub(super) fn group_held(&self, group: usize) -> usize {
        self.groups[group].held
    }

    /// Run `run`'s preview at the debris weight `debris_weight`, every other weight at held
    /// vector `held`.
    #[must_use]
    pub(super) fn preview(&self, run: usize, held: usize, debris_weight: f64) -> Confusion {
        let trained = self.runs[run].weights[self.debris];
        // The shift exactly as `ShiftBasis::shift` takes it, so a preview at a run's own
        // weight is its own decisions to the bit; a weight within float32's rounding of the
        // run's own is the run's own.
        let shift = if same_weight(debris_weight, trained) {
            0.0
        } else {
            (debris_weight / trained).ln()
        };
        self.sweeps[run][held].confusion_at(shift)
    }

    /// Run `run`'s preview at debris weight `debris_weight`, every other weight the estimate's:
    /// the single-run preview the window draws dotted.
    #[must_use]
    pub fn preview_at(&self, run: usize, debris_weight: f64) -> Confusion {
        self.preview(run, 0, debris_weight)
    }

    /// Bytes held by the sweeps.
    #[must_use]
    pub fn bytes(&self) -> usize {
        self.sweeps.iter().flatten().map(DebrisSweep::bytes).sum()
    }
}
