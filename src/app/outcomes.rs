//! The Outcomes view's derived numbers: the slow preparation and then the bootstrap bands on
//! background tasks whenever what they read changes (never during a drag), the current weights'
//! outcomes at once, and suggested weights on request. All of it is synced in `App::logic`.

use std::sync::Arc;

use crate::core::outcomes::bootstrap::{Bands, BootstrapOptions, bootstrap};
use crate::core::outcomes::cost_report::{Closest, CostDecisions};
use crate::core::outcomes::costs::{CostMatrix, CostRule, Decision};
use crate::core::outcomes::setup::{OutcomeError, OutcomeOptions, TemperatureChoice};
use crate::core::outcomes::tune::{Suggestion, TuneOptions, suggest};
use crate::core::outcomes::view::{CostOutcomes, CurrentOutcomes, PreparationInputs, Prepared};
use crate::core::preset::Preset;
use crate::ui::outcomes::Settings;

use super::memo::{Background, Memo, Start};
use super::registry::Tasks;
use super::tasks::{Repaint, TaskError};

/// The Outcomes view's numbers, each with the key of what it was computed from.
#[derive(Default)]
pub struct OutcomeResults {
    /// What the results are keyed on, derived from the cheap keys.
    keys: Memo<(u64, u64, Settings), Keys>,
    /// The slow part: thresholds, baseline, curves, temperature, loss.
    pub prepared: Background<PreparationInputs, Result<Arc<Prepared>, OutcomeError>>,
    /// The bootstrap bands of the prepared curves.
    pub bands: Background<PreparationInputs, Bands>,
    /// What the current weights do, on the latest preparation.
    pub current: Memo<CurrentKey, Result<CurrentOutcomes, OutcomeError>>,
    /// Suggested weights, computed on request.
    pub suggestion: Background<SuggestionKey, Result<Suggestion, OutcomeError>>,
    /// The user asked for suggested weights; they start at the next sync.
    pub suggestion_asked: bool,
    /// The cost rule's outcomes, from the prepared probabilities, for the preset's costs.
    pub costs: Memo<CostKey, Option<CostOutcomes>>,
    /// The weights closest to the preset's costs, on a background task.
    pub closest: Background<CostKey, Result<Closest, String>>,
    /// What a suggestion asked for now would be computed from.
    suggestion_wanted: Option<SuggestionKey>,
    /// The current outcomes shown: the weights', or the cost rule's metrics in their place
    /// when the settings decide by cost and the costs' outcomes are ready.
    shown: Option<CurrentOutcomes>,
}

/// What the costs' results read: the costs and the preparation.
pub type CostKey = (Vec<Vec<f64>>, PreparationInputs);

/// What the current outcomes read: the preset without its scenarios, the options, and the
/// preparation.
pub type CurrentKey = (Preset, OutcomeOptions, PreparationInputs);

/// What suggested weights read: the preparation's inputs and the objective's settings.
pub type SuggestionKey = (PreparationInputs, TuneOptionsKey);

/// The objective and its recall floor (the rest of [`TuneOptions`] is in the preparation).
#[derive(Clone, Debug, PartialEq)]
pub struct TuneOptionsKey {
    objective: crate::core::outcomes::tune::Objective,
    min_recall: Option<f64>,
    /// The preset's costs, for `min-cost` (empty for the other objectives).
    costs: Vec<Vec<f64>>,
}

/// The keys of the results, for the current document, data and settings.
struct Keys {
    options: OutcomeOptions,
    preparation: PreparationInputs,
    preset: Preset,
}

/// What the outcomes are computed from, borrowed for one sync.
pub struct Inputs<'a> {
    /// The preset.
    pub preset: &'a Preset,
    /// Its revision.
    pub revision: u64,
    /// The loaded data and its generation, if any.
    pub data: Option<(&'a Arc<crate::core::outcomes::data::ValidationData>, u64)>,
    /// The view's settings.
    pub settings: &'a Settings,
    /// Whether slow work may start now (no drag under way).
    pub may_start: bool,
}

/// The outcome options the view's settings and the preset make.
#[must_use]
pub fn outcome_options(preset: &Preset, settings: &Settings) -> OutcomeOptions {
    OutcomeOptions {
        trained_with: None,
        deploy_prior: None,
        prior_correction: settings.prior_correction && !preset.validation.deploy_prior.is_empty(),
        temperature: if settings.fit_temperature {
            TemperatureChoice::Fit
        } else {
            TemperatureChoice::Off
        },
        decision: Decision::Weights,
        costs: None,
    }
}

impl OutcomeResults {
    /// Brings every result in step with `inputs`: takes finished work, starts what is due.
    pub fn sync(&mut self, inputs: &Inputs<'_>, tasks: &mut Tasks, repaint: &Repaint) {
        let Some((data, generation)) = inputs.data else {
            *self = Self::default();
            return;
        };
        let keys = self
            .keys
            .sync((inputs.revision, generation, *inputs.settings), |_, _| {
                let options = outcome_options(inputs.preset, inputs.settings);
                Keys {
                    preparation: PreparationInputs::new(generation, inputs.preset, &options),
                    preset: inputs.preset.without_scenarios(),
                    options,
                }
            });
        let wanted = keys.preparation.clone();
        let (preset_key, options) = (keys.preset.clone(), keys.options.clone());
        let start = Start {
            slot: &mut tasks.preparing,
            repaint: Arc::clone(repaint),
            allowed: inputs.may_start,
        };
        let work_data = Arc::clone(data);
        let (preset, work_options) = (inputs.preset.clone(), options.clone());
        let prepared_now = self.prepared.sync(
            &wanted,
            start,
            ("prepare-outcomes", "Preparing the outcomes".to_owned()),
            move |key, reporter| {
                reporter.progress(0.0, "thresholds, baseline, loss");
                Some(Prepared::of(key.data, &work_data, &preset, &work_options).map(Arc::new))
            },
            |error| {
                if *error == TaskError::Cancelled {
                    "Preparing the outcomes was cancelled.".to_owned()
                } else {
                    format!("Preparing the outcomes failed: {error}")
                }
            },
        );
        if prepared_now {
            tasks.bootstrapping.cancel();
            // A failure is not prepared again for the same inputs until asked (it would fail
            // again); the view offers to.
            if let Some((key, Err(error))) = self.prepared.latest() {
                let stop = (key.clone(), error.to_string());
                self.prepared.stop(stop.0, stop.1);
            }
        }
        self.sync_bands(tasks, repaint, inputs.may_start);
        self.sync_current(data, preset_key, options);
        self.sync_costs(data, inputs, tasks, repaint);
        self.sync_suggestion(data, inputs, tasks, repaint);
    }

    /// The cost rule's outcomes (at once: no `exp`, the probabilities are prepared) and the
    /// closest weights (on a background task), for the preset's costs.
    fn sync_costs(
        &mut self,
        data: &Arc<crate::core::outcomes::data::ValidationData>,
        inputs: &Inputs<'_>,
        tasks: &mut Tasks,
        repaint: &Repaint,
    ) {
        let preset = inputs.preset;
        let prepared = match self.prepared.latest() {
            Some((key, Ok(prepared))) if !preset.costs.is_empty() => {
                Some((key.clone(), Arc::clone(prepared)))
            }
            _ => None,
        };
        let Some((prepared_key, prepared)) = prepared else {
            self.costs.clear();
            self.shown = None;
            return;
        };
        let key: CostKey = (preset.costs.clone(), prepared_key);
        let outcomes = self.costs.sync(key.clone(), |_, _| {
            CostOutcomes::of(data, preset, &prepared)
        });
        self.shown = match (inputs.settings.decision, outcomes, self.current.get()) {
            (Decision::Cost, Some(costs), Some(Ok(current))) => Some(CurrentOutcomes {
                current: costs.metrics.clone(),
                ..current.clone()
            }),
            _ => None,
        };
        let start = Start {
            slot: &mut tasks.nearest,
            repaint: Arc::clone(repaint),
            allowed: inputs.may_start,
        };
        let data = Arc::clone(data);
        self.closest.sync(
            &key,
            start,
            (
                "nearest-weights",
                "Finding the weights nearest the costs".to_owned(),
            ),
            move |(costs, _), reporter| {
                reporter.progress(0.0, "the cost rule's decisions");
                let setup = &prepared.setup;
                let matrix = match CostMatrix::new(&costs, data.classes) {
                    Ok(matrix) => matrix,
                    Err(problem) => return Some(Err(problem.problem)),
                };
                let rule = CostRule {
                    values: setup.probability_rule(),
                    matrix,
                };
                let decisions = CostDecisions::of(&data, &rule);
                if reporter.is_cancelled() {
                    return None;
                }
                reporter.progress(0.1, "searching the weights");
                Some(Ok(Closest::of(
                    &data,
                    setup,
                    &rule.matrix,
                    &decisions.predictions,
                )))
            },
            |error| format!("Finding the nearest weights stopped: {error}"),
        );
    }

    /// The current outcomes the panes show: the cost rule's metrics in the weights' place
    /// when deciding by cost.
    #[must_use]
    pub fn shown_current(&self) -> Option<Result<&CurrentOutcomes, &OutcomeError>> {
        match &self.shown {
            Some(shown) => Some(Ok(shown)),
            None => self.current.get().map(Result::as_ref),
        }
    }

    /// Whether the current outcomes shown are the cost rule's.
    #[must_use]
    pub fn by_cost(&self) -> bool {
        self.shown.is_some()
    }

    /// The cost rule's outcomes for the preset's costs, when prepared.
    #[must_use]
    pub fn cost_outcomes(&self) -> Option<&CostOutcomes> {
        self.costs.get().and_then(Option::as_ref)
    }

    /// The weights closest to the costs: the latest answer, and whether the costs or the
    /// preparation changed since.
    #[must_use]
    pub fn closest(&self, preset: &Preset) -> Option<(Result<&Closest, &str>, bool)> {
        let (key, result) = self.closest.latest()?;
        let stale = key.0 != preset.costs || Some(&key.1) != self.wanted();
        Some((result.as_ref().map_err(String::as_str), stale))
    }

    /// The bands of the latest good preparation, on a background task.
    fn sync_bands(&mut self, tasks: &mut Tasks, repaint: &Repaint, may_start: bool) {
        let Some((key, Ok(prepared))) = self.prepared.latest() else {
            return;
        };
        let prepared = Arc::clone(prepared);
        let start = Start {
            slot: &mut tasks.bootstrapping,
            repaint: Arc::clone(repaint),
            allowed: may_start,
        };
        self.bands.sync(
            key,
            start,
            (
                "bootstrap-outcomes",
                "Bootstrap bands (200 resamples)".to_owned(),
            ),
            move |_, reporter| {
                let mut progress = |fraction: f32| {
                    reporter.progress(fraction, "");
                    !reporter.is_cancelled()
                };
                let grid = &prepared.curve.debris_weight;
                let basis = &prepared.setup.basis;
                let options = BootstrapOptions::default();
                bootstrap(&prepared.sweep, basis, grid, &options, &mut progress)
            },
            TaskError::to_string,
        );
    }

    /// The current weights' outcomes on the latest preparation.
    fn sync_current(
        &mut self,
        data: &crate::core::outcomes::data::ValidationData,
        preset: Preset,
        options: OutcomeOptions,
    ) {
        let Some((prepared_key, prepared)) = self.prepared.latest() else {
            self.current.clear();
            return;
        };
        let key = (preset, options, prepared_key.clone());
        self.current
            .sync(key, |(preset, options, _), _| match prepared {
                Ok(prepared) => CurrentOutcomes::of(data, preset, options, prepared),
                Err(error) => Err(error.clone()),
            });
    }

    /// Suggested weights, when asked for.
    fn sync_suggestion(
        &mut self,
        data: &Arc<crate::core::outcomes::data::ValidationData>,
        inputs: &Inputs<'_>,
        tasks: &mut Tasks,
        repaint: &Repaint,
    ) {
        let Some(keys) = self.keys.get() else {
            return;
        };
        let settings = inputs.settings;
        let key = (
            keys.preparation.clone(),
            TuneOptionsKey {
                objective: settings.objective,
                min_recall: settings.min_recall,
                costs: if settings.objective == crate::core::outcomes::tune::Objective::MinCost {
                    inputs.preset.costs.clone()
                } else {
                    Vec::new()
                },
            },
        );
        self.suggestion_wanted = Some(key.clone());
        if self.suggestion_asked {
            self.suggestion.run_again();
        }
        let start = Start {
            slot: &mut tasks.suggesting,
            repaint: Arc::clone(repaint),
            allowed: std::mem::take(&mut self.suggestion_asked),
        };
        let data = Arc::clone(data);
        let preset = inputs.preset.clone();
        let options = TuneOptions {
            objective: settings.objective,
            min_recall: settings.min_recall,
            outcome: keys.options.clone(),
        };
        self.suggestion.sync(
            &key,
            start,
            ("suggest-weights", "Suggesting weights".to_owned()),
            move |_, _| Some(suggest(&data, &preset, &options)),
            |error| format!("Suggesting weights failed: {error}"),
        );
    }

    /// The preparation the results are wanted for.
    #[must_use]
    pub fn wanted(&self) -> Option<&PreparationInputs> {
        self.keys.get().map(|keys| &keys.preparation)
    }

    /// The prepared part shown: the latest, current or not.
    #[must_use]
    pub fn prepared(&self) -> Option<Result<&Prepared, &OutcomeError>> {
        self.prepared
            .latest()
            .map(|(_, result)| result.as_ref().map(AsRef::as_ref))
    }

    /// Whether the prepared part is for the current inputs (it lags during a drag).
    #[must_use]
    pub fn prepared_current(&self) -> bool {
        match (self.prepared.latest(), self.wanted()) {
            (Some((key, Ok(_))), Some(wanted)) => key == wanted,
            _ => true,
        }
    }

    /// The bands of the prepared part shown, when ready.
    #[must_use]
    pub fn bands(&self) -> Option<&Bands> {
        let (key, _) = self.prepared.latest()?;
        self.bands.current(key)
    }

    /// Why the preparation for the current inputs gave nothing, if it stopped.
    #[must_use]
    pub fn stopped(&self) -> Option<&str> {
        self.prepared.stopped(self.wanted()?)
    }

    /// The latest suggestion, and whether the inputs changed since it was computed.
    #[must_use]
    pub fn suggestion(&self) -> Option<(Result<&Suggestion, &OutcomeError>, bool)> {
        let (key, result) = self.suggestion.latest()?;
        let stale = Some(key) != self.suggestion_wanted.as_ref();
        Some((result.as_ref(), stale))
    }
}
