//! Keeping the Outcomes view in step: the slow preparation (and then the bootstrap bands) on
//! background tasks whenever what they depend on changes, never during a drag; the current
//! weights' outcomes at once on every change; suggested weights on request.

use std::sync::Arc;

use eframe::egui;

use crate::core::outcomes::bootstrap::{Bands, BootstrapOptions, bootstrap};
use crate::core::outcomes::setup::{OutcomeError, OutcomeOptions, TemperatureChoice};
use crate::core::outcomes::tune::{Suggestion, TuneOptions, suggest};
use crate::core::outcomes::view::{CurrentOutcomes, PreparationInputs, Prepared};

use super::WeightbenchApp;
use super::tasks::{Repaint, TaskError};

/// The Outcomes view's numbers and the work that produces them.
#[derive(Default)]
pub struct OutcomesState {
    /// Counts the loads, so a preparation knows which data it was for.
    pub data_generation: u64,
    /// The preparation for the latest inputs, or why there is none.
    pub prepared: Option<Result<Arc<Prepared>, OutcomeError>>,
    /// A preparation is due (started once no drag is under way).
    pub preparation_due: bool,
    /// What the preparation in flight is for.
    pub preparing_for: Option<PreparationInputs>,
    /// Why the last preparation gave nothing (cancelled, or failed), with what it was for:
    /// those inputs are not prepared again until asked.
    pub stopped: Option<(PreparationInputs, String)>,
    /// The preparation in flight.
    pub preparing: super::tasks::TaskSlot<Result<Prepared, OutcomeError>>,
    /// The bootstrap bands of the prepared curves, with the preparation they belong to.
    pub bands: Option<(PreparationInputs, Bands)>,
    /// The bootstrap in flight.
    pub bootstrapping: super::tasks::TaskSlot<(PreparationInputs, Bands)>,
    /// What the current weights do.
    pub current: Option<Result<CurrentOutcomes, OutcomeError>>,
    /// What `current` was computed from: the preset (weights included), the options and the
    /// preparation it read, so an unrelated change (a selection) does not predict again.
    pub current_for: Option<(
        crate::core::preset::Preset,
        OutcomeOptions,
        PreparationInputs,
    )>,
    /// Suggested weights, with the inputs they were computed for.
    pub suggestion: Option<(PreparationInputs, Result<Suggestion, OutcomeError>)>,
    /// The suggestion in flight.
    pub suggesting: super::tasks::TaskSlot<(PreparationInputs, Result<Suggestion, OutcomeError>)>,
}

impl WeightbenchApp {
    /// The outcome options the view's settings and the preset make.
    pub(super) fn outcome_options(&self) -> OutcomeOptions {
        let settings = &self.state.outcomes;
        OutcomeOptions {
            trained_with: None,
            deploy_prior: None,
            prior_correction: settings.prior_correction
                && !self.state.preset.validation.deploy_prior.is_empty(),
            temperature: if settings.fit_temperature {
                TemperatureChoice::Fit
            } else {
                TemperatureChoice::Off
            },
        }
    }

    /// Recomputes the current weights' outcomes and marks the preparation due if its inputs
    /// changed; call after every change of the preset, the data or the view's settings.
    pub(super) fn refresh_outcomes(&mut self) {
        let Some(loaded) = &self.session.validation else {
            return;
        };
        let data = Arc::clone(&loaded.data);
        let options = self.outcome_options();
        let preset = &self.state.preset;
        let outcomes = &mut self.session.outcomes;
        let wanted = PreparationInputs::new(outcomes.data_generation, preset, &options);
        let prepared_for = match &outcomes.prepared {
            Some(Ok(prepared)) => Some(&prepared.inputs),
            _ => None,
        };
        let running_for = outcomes.preparing_for.as_ref();
        let stopped_for = outcomes.stopped.as_ref().map(|(inputs, _)| inputs);
        if prepared_for != Some(&wanted)
            && running_for != Some(&wanted)
            && stopped_for != Some(&wanted)
        {
            outcomes.preparation_due = true;
        }
        outcomes.current = match &outcomes.prepared {
            Some(Ok(prepared)) => {
                let key = (preset.without_scenarios(), options, prepared.inputs.clone());
                if outcomes.current_for.as_ref() == Some(&key) && outcomes.current.is_some() {
                    return;
                }
                let current = CurrentOutcomes::of(&data, preset, &key.1, prepared);
                outcomes.current_for = Some(key);
                Some(current)
            }
            Some(Err(error)) => Some(Err(error.clone())),
            None => None,
        };
    }

    /// Starts the preparation when due and no drag is under way; takes finished work.
    pub(super) fn poll_outcomes(&mut self, ctx: &egui::Context) {
        let repaint: Repaint = {
            let ctx = ctx.clone();
            Arc::new(move || ctx.request_repaint())
        };
        if self.session.outcomes.preparation_due && self.session.gesture.is_none() {
            self.start_preparation(Arc::clone(&repaint));
        }
        if let Some(answer) = self.session.outcomes.preparing.poll() {
            let asked_for = self.session.outcomes.preparing_for.take();
            match answer {
                Ok(result) => {
                    // A failure is not retried for the same inputs (it would fail again).
                    if let (Err(error), Some(inputs)) = (&result, asked_for) {
                        self.session.outcomes.stopped = Some((inputs, error.to_string()));
                    }
                    let prepared = result.map(Arc::new);
                    if let Ok(prepared) = &prepared {
                        self.start_bootstrap(prepared, Arc::clone(&repaint));
                    }
                    self.session.outcomes.prepared = Some(prepared);
                    self.refresh_outcomes();
                }
                Err(error) => {
                    let text = if error == TaskError::Cancelled {
                        "Preparing the outcomes was cancelled.".to_owned()
                    } else {
                        format!("Preparing the outcomes failed: {error}")
                    };
                    if let Some(inputs) = asked_for {
                        self.session.outcomes.stopped = Some((inputs, text));
                    }
                }
            }
        }
        if let Some(Ok(bands)) = self.session.outcomes.bootstrapping.poll() {
            self.session.outcomes.bands = Some(bands);
        }
        match self.session.outcomes.suggesting.poll() {
            Some(Ok(suggestion)) => self.session.outcomes.suggestion = Some(suggestion),
            Some(Err(TaskError::Cancelled)) | None => {}
            Some(Err(error)) => self.error(format!("Suggesting weights failed: {error}")),
        }
    }

    fn start_preparation(&mut self, repaint: Repaint) {
        let Some(loaded) = &self.session.validation else {
            return;
        };
        let outcomes = &mut self.session.outcomes;
        outcomes.preparation_due = false;
        outcomes.bootstrapping.cancel();
        let data = Arc::clone(&loaded.data);
        let preset = self.state.preset.clone();
        let options = self.outcome_options();
        let generation = self.session.outcomes.data_generation;
        self.session.outcomes.preparing_for =
            Some(PreparationInputs::new(generation, &preset, &options));
        self.session.outcomes.preparing.start(
            "prepare-outcomes",
            "Preparing the outcomes",
            repaint,
            move |reporter| {
                reporter.progress(0.0, "thresholds, baseline, loss");
                Some(Prepared::of(generation, &data, &preset, &options))
            },
        );
    }

    fn start_bootstrap(&mut self, prepared: &Arc<Prepared>, repaint: Repaint) {
        let prepared = Arc::clone(prepared);
        let grid = prepared.curve.debris_weight.clone();
        self.session.outcomes.bootstrapping.start(
            "bootstrap-outcomes",
            "Bootstrap bands (200 resamples)",
            repaint,
            move |reporter| {
                let mut progress = |fraction: f32| {
                    reporter.progress(fraction, "");
                    !reporter.is_cancelled()
                };
                let bands = bootstrap(
                    &prepared.sweep,
                    &prepared.setup.basis,
                    &grid,
                    &BootstrapOptions::default(),
                    &mut progress,
                )?;
                Some((prepared.inputs.clone(), bands))
            },
        );
    }

    /// Suggests weights for the view's objective on a background task.
    pub(super) fn start_suggestion(&mut self, ctx: &egui::Context) {
        let Some(loaded) = &self.session.validation else {
            return;
        };
        let data = Arc::clone(&loaded.data);
        let preset = self.state.preset.clone();
        let settings = &self.state.outcomes;
        let options = TuneOptions {
            objective: settings.objective,
            min_recall: settings.min_recall,
            outcome: self.outcome_options(),
        };
        let inputs = PreparationInputs::new(
            self.session.outcomes.data_generation,
            &preset,
            &options.outcome,
        );
        let ctx = ctx.clone();
        self.session.outcomes.suggesting.start(
            "suggest-weights",
            "Suggesting weights",
            Arc::new(move || ctx.request_repaint()),
            move |_| Some((inputs, suggest(&data, &preset, &options))),
        );
    }
}
