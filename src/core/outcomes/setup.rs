//! The options of `outcomes` and `tune` (trained-with weights, deployment prior, prior
//! correction, temperature), checked against the preset and the data once, with errors that
//! name the flag or field at fault.

use crate::core::outcomes::costs::{CostMatrix, CostRule, Decision};
use crate::core::outcomes::data::ValidationData;
use crate::core::outcomes::decision::{DecisionRule, ShiftBasis};
use crate::core::outcomes::temperature::{TemperatureError, ece, fit_temperature};
use crate::core::preset::Preset;
use crate::core::preset::matrix::Place;
use crate::core::preset::validate::ValidationError;

/// Whether the scores are divided by a temperature before the decision.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum TemperatureChoice {
    /// T = 1, no calibration reported.
    #[default]
    Off,
    /// T fitted on the data (minimum mean NLL).
    Fit,
    /// A given T (> 0).
    Fixed(f64),
}

/// The options of the outcomes; `None` takes the preset's `validation` block.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OutcomeOptions {
    /// The weights the model was trained with (`--trained-with`); else the preset's.
    pub trained_with: Option<Vec<f64>>,
    /// The deployment prior (`--deploy-prior`); else the preset's, if any.
    pub deploy_prior: Option<Vec<f64>>,
    /// Whether `ln(pi_deploy / pi_train)` is added to the shift (`--prior-correction`).
    pub prior_correction: bool,
    /// The temperature (`--temperature`).
    pub temperature: TemperatureChoice,
    /// Which rule decides (`--decision`).
    pub decision: Decision,
    /// The cost matrix (`--costs`); else the preset's `costs`, if any.
    pub costs: Option<Vec<Vec<f64>>>,
}

/// Why the outcomes cannot be computed; each message names the flag, field or file at fault.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum OutcomeError {
    /// The preset itself is invalid.
    #[error("preset: {0}")]
    Preset(#[from] ValidationError),
    /// The data has another number of classes than the preset.
    #[error("{file}: {found} classes (score columns), but the preset has {expected}")]
    ClassCount {
        /// Where the data came from.
        file: String,
        /// Score columns in the data.
        found: usize,
        /// Classes in the preset.
        expected: usize,
    },
    /// The data has no samples.
    #[error("{file}: no samples, expected at least one")]
    NoSamples {
        /// Where the data came from.
        file: String,
    },
    /// A label is not a class index.
    #[error("{file}: sample {sample} has label {label}, expected a class index from 0 to {last}")]
    LabelOutOfRange {
        /// Where the data came from.
        file: String,
        /// 0-based sample index.
        sample: usize,
        /// The offending label.
        label: u32,
        /// The largest class index.
        last: usize,
    },
    /// A score is NaN or infinite.
    #[error("{file}: sample {sample}, class {class}: score {value}, expected a finite number")]
    NonFiniteScore {
        /// Where the data came from.
        file: String,
        /// 0-based sample index.
        sample: usize,
        /// 0-based class index.
        class: usize,
        /// The offending value.
        value: f64,
    },
    /// A per-class list has the wrong length.
    #[error("{field}: {found} {what}, expected {expected} (one per class)")]
    Length {
        /// The flag or field (`--trained-with`, `validation.deploy_prior`).
        field: String,
        /// What the entries are (`weights`, `shares`).
        what: &'static str,
        /// Entries given.
        found: usize,
        /// Classes in the preset.
        expected: usize,
    },
    /// One entry of a per-class list is out of range.
    #[error("{field}[{index}]: {value}, expected {expected}")]
    Entry {
        /// The flag or field.
        field: String,
        /// 0-based class index.
        index: usize,
        /// The offending value.
        value: f64,
        /// What was expected.
        expected: &'static str,
    },
    /// The deployment prior does not sum to 1.
    #[error("{field}: sums to {total}, expected shares that sum to 1")]
    PriorSum {
        /// The flag or field.
        field: String,
        /// The sum.
        total: f64,
    },
    /// The prior correction is on without a deployment prior.
    #[error(
        "--prior-correction: needs a deployment prior (--deploy-prior, or the preset's validation.deploy_prior)"
    )]
    PriorCorrectionWithoutPrior,
    /// The prior correction needs every class's training share.
    #[error(
        "--prior-correction: classes[{index}] \"{name}\" has count 0, so ln(pi_deploy / pi_train) is undefined; expected counts > 0"
    )]
    PriorCorrectionZeroCount {
        /// 0-based class index.
        index: usize,
        /// The class name.
        name: String,
    },
    /// A given temperature is not a positive number.
    #[error("--temperature: {0}, expected a finite number > 0")]
    BadTemperature(f64),
    /// No temperature could be fitted.
    #[error("--temperature: {0}")]
    Temperature(TemperatureError),
    /// `--min-recall` is not a share, or is given with another objective.
    #[error("--min-recall: {problem}")]
    MinRecall {
        /// What is wrong and what was expected.
        problem: String,
    },
    /// `--costs` is not a usable cost matrix for the preset's classes.
    #[error("--costs: {place}: {problem}")]
    Costs {
        /// Where, in the words of the typed text ("row 2, column 3 (class2 called debris)").
        place: String,
        /// What is wrong and what was expected.
        problem: String,
    },
    /// The cost rule or the least cost was asked for without a cost matrix.
    #[error(
        "{asked}: needs a cost matrix (--costs \"0,1;5,0\", rows truth, or the preset's costs)"
    )]
    NoCosts {
        /// What asked for it (`--decision cost`, `--objective min-cost`).
        asked: &'static str,
    },
    /// A sample's loss is not finite (scores too large once shifted by the logit adjustment).
    #[error(
        "{file}: sample {sample}: the loss is not finite (scores plus the logit adjustment and margins overflow)"
    )]
    LossNotFinite {
        /// Where the data came from.
        file: String,
        /// 0-based sample index.
        sample: usize,
    },
}

/// The temperature and the calibration error before and after it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Calibration {
    /// The temperature T.
    pub temperature: f64,
    /// Expected calibration error at T = 1.
    pub ece_before: f64,
    /// Expected calibration error at T.
    pub ece_after: f64,
}

/// Everything the outcomes derive from the preset and the options before predicting.
#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeSetup {
    /// The current weights (the preset's).
    pub weights: Vec<f64>,
    /// The weights the model was trained with.
    pub trained_with: Vec<f64>,
    /// The deployment prior, if any.
    pub deploy_prior: Option<Vec<f64>>,
    /// Weights to shifts: trained-with weights and prior correction.
    pub basis: ShiftBasis,
    /// The temperature of the decision (1 without one).
    pub temperature: f64,
    /// The temperature and calibration errors, when a temperature was asked for.
    pub calibration: Option<Calibration>,
    /// The debris class (also called when every class is out: see
    /// [`crate::core::outcomes::decision`]).
    pub debris: usize,
    /// The cost matrix (`--costs`, else the preset's), if any.
    pub costs: Option<CostMatrix>,
    /// Which rule decides.
    pub decision: Decision,
}

impl OutcomeSetup {
    /// Checks `data` and `options` against `preset` and fits the temperature if asked.
    ///
    /// # Errors
    /// The first field, flag or sample at fault.
    pub fn new(
        data: &ValidationData,
        preset: &Preset,
        options: &OutcomeOptions,
    ) -> Result<Self, OutcomeError> {
        preset.validate()?;
        check_data(data, preset.classes.len())?;
        let mut setup = Self::for_preset(preset, options, 1.0)?;
        let calibration = calibrate(data, options.temperature)?;
        setup.temperature = calibration.map_or(1.0, |c| c.temperature);
        setup.calibration = calibration;
        Ok(setup)
    }

    /// The setup of `preset` and `options` at `temperature`, for data already checked against
    /// the preset (no pass over the data, no calibration reported).
    ///
    /// # Errors
    /// The first field or flag at fault.
    pub fn for_preset(
        preset: &Preset,
        options: &OutcomeOptions,
        temperature: f64,
    ) -> Result<Self, OutcomeError> {
        let classes = preset.classes.len();
        let (trained_with, field) = match &options.trained_with {
            Some(weights) => (weights.clone(), "--trained-with"),
            None => (preset.trained_with(), "validation.trained_with"),
        };
        check_length(field, "weights", trained_with.len(), classes)?;
        check_entries(field, &trained_with, "a finite weight > 0", |w| {
            w.is_finite() && w > 0.0
        })?;
        let deploy_prior = match &options.deploy_prior {
            Some(prior) => Some((prior.clone(), "--deploy-prior")),
            None => (!preset.validation.deploy_prior.is_empty()).then(|| {
                (
                    preset.validation.deploy_prior.clone(),
                    "validation.deploy_prior",
                )
            }),
        };
        if let Some((prior, field)) = &deploy_prior {
            check_prior(field, prior, classes)?;
        }
        let deploy_prior = deploy_prior.map(|(prior, _)| prior);
        let mut basis = ShiftBasis::new(trained_with.clone());
        if options.prior_correction {
            let Some(prior) = &deploy_prior else {
                return Err(OutcomeError::PriorCorrectionWithoutPrior);
            };
            if let Some(index) = preset.classes.iter().position(|c| c.count == 0) {
                return Err(OutcomeError::PriorCorrectionZeroCount {
                    index,
                    name: preset.classes[index].name.clone(),
                });
            }
            basis = basis.with_prior_correction(prior, &preset.counts());
        }
        let costs = cost_matrix(preset, options)?;
        if options.decision == Decision::Cost && costs.is_none() {
            return Err(OutcomeError::NoCosts {
                asked: "--decision cost",
            });
        }
        Ok(Self {
            weights: preset.weights(),
            trained_with,
            deploy_prior,
            basis,
            temperature,
            calibration: None,
            debris: preset.debris,
            costs,
            decision: options.decision,
        })
    }

    /// The decision rule at class weights `weights`.
    #[must_use]
    pub fn rule(&self, weights: &[f64]) -> DecisionRule {
        DecisionRule::new(&self.basis, weights, self.temperature, self.debris)
    }

    /// The decision rule at the current weights.
    #[must_use]
    pub fn current_rule(&self) -> DecisionRule {
        self.rule(&self.weights)
    }

    /// The decision rule at the trained-with weights (the same prior correction and temperature).
    #[must_use]
    pub fn baseline_rule(&self) -> DecisionRule {
        self.rule(&self.trained_with)
    }

    /// The rule at unit weights, whose values' softmax is the model's probabilities with the
    /// trained-with weights divided out (and the prior correction applied).
    #[must_use]
    pub fn probability_rule(&self) -> DecisionRule {
        self.rule(&vec![1.0; self.trained_with.len()])
    }

    /// The cost rule, with a cost matrix.
    #[must_use]
    pub fn cost_rule(&self) -> Option<CostRule> {
        Some(CostRule {
            values: self.probability_rule(),
            matrix: self.costs.clone()?,
        })
    }
}

/// The cost matrix of `--costs`, else the preset's (already checked with the preset).
fn cost_matrix(
    preset: &Preset,
    options: &OutcomeOptions,
) -> Result<Option<CostMatrix>, OutcomeError> {
    let classes = preset.classes.len();
    match &options.costs {
        Some(rows) => CostMatrix::new(rows, classes).map(Some).map_err(|error| {
            let name = |c: usize| preset.classes.get(c).map_or("?", |c| c.name.as_str());
            let place = match error.place {
                Place::Matrix => "the matrix".to_owned(),
                Place::Row(t) => format!("row {} (true {})", t + 1, name(t)),
                Place::Entry(t, k) => format!(
                    "row {}, column {} ({} called {})",
                    t + 1,
                    k + 1,
                    name(t),
                    name(k)
                ),
            };
            OutcomeError::Costs {
                place,
                problem: error.problem,
            }
        }),
        None if preset.costs.is_empty() => Ok(None),
        None => Ok(CostMatrix::new(&preset.costs, classes).ok()),
    }
}

/// The data fits a preset of `classes` classes: same columns, samples, labels in range,
/// finite scores.
fn check_data(data: &ValidationData, classes: usize) -> Result<(), OutcomeError> {
    let file = || data.source.clone();
    if data.classes != classes {
        return Err(OutcomeError::ClassCount {
            file: file(),
            found: data.classes,
            expected: classes,
        });
    }
    if data.samples() == 0 {
        return Err(OutcomeError::NoSamples { file: file() });
    }
    if let Some((sample, &label)) = data
        .labels
        .iter()
        .enumerate()
        .find(|&(_, &label)| label as usize >= classes)
    {
        return Err(OutcomeError::LabelOutOfRange {
            file: file(),
            sample,
            label,
            last: classes - 1,
        });
    }
    let finite = (0..data.scores.len()).find_map(|index| {
        let value = data.scores.get(index)?;
        (!value.is_finite()).then_some((index, value))
    });
    if let Some((index, value)) = finite {
        return Err(OutcomeError::NonFiniteScore {
            file: file(),
            sample: index / classes,
            class: index % classes,
            value,
        });
    }
    Ok(())
}

fn check_length(
    field: &str,
    what: &'static str,
    found: usize,
    expected: usize,
) -> Result<(), OutcomeError> {
    if found == expected {
        return Ok(());
    }
    Err(OutcomeError::Length {
        field: field.to_owned(),
        what,
        found,
        expected,
    })
}

fn check_entries(
    field: &str,
    values: &[f64],
    expected: &'static str,
    valid: impl Fn(f64) -> bool,
) -> Result<(), OutcomeError> {
    match values.iter().position(|&v| !valid(v)) {
        None => Ok(()),
        Some(index) => Err(OutcomeError::Entry {
            field: field.to_owned(),
            index,
            value: values[index],
            expected,
        }),
    }
}

fn check_prior(field: &str, prior: &[f64], classes: usize) -> Result<(), OutcomeError> {
    check_length(field, "shares", prior.len(), classes)?;
    check_entries(field, prior, "a share from 0 to 1", |p| {
        (0.0..=1.0).contains(&p)
    })?;
    let total: f64 = prior.iter().sum();
    if (total - 1.0).abs() > 1e-6 {
        return Err(OutcomeError::PriorSum {
            field: field.to_owned(),
            total,
        });
    }
    Ok(())
}

/// The temperature asked for, with the calibration errors before and after it.
fn calibrate(
    data: &ValidationData,
    choice: TemperatureChoice,
) -> Result<Option<Calibration>, OutcomeError> {
    let temperature = match choice {
        TemperatureChoice::Off => return Ok(None),
        TemperatureChoice::Fixed(t) if t.is_finite() && t > 0.0 => t,
        TemperatureChoice::Fixed(t) => return Err(OutcomeError::BadTemperature(t)),
        TemperatureChoice::Fit => fit_temperature(data).map_err(OutcomeError::Temperature)?,
    };
    Ok(Some(Calibration {
        temperature,
        ece_before: ece(data, 1.0).unwrap_or(0.0),
        ece_after: ece(data, temperature).unwrap_or(0.0),
    }))
}
