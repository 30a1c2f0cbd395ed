//! Checks that a preset can be evaluated, with messages that name the offending field.

use crate::core::preset::Preset;
use crate::core::preset::loss_options::LossOptionsError;
use crate::core::preset::matrix::{EXPECTED_COST, MatrixProblem, check_square, valid_cost};
use crate::core::preset::range::SweepRangeError;

/// Why a preset cannot be evaluated. Each message names the field and what was expected.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ValidationError {
    /// A classifier needs at least two classes.
    #[error("classes: {found} given, expected at least 2")]
    TooFewClasses {
        /// How many classes the preset has.
        found: usize,
    },
    /// A class has an empty (or all-blank) name.
    #[error("classes[{index}].name: empty, expected a name")]
    EmptyClassName {
        /// 0-based class index.
        index: usize,
    },
    /// Two classes share a name.
    #[error(
        "classes[{index}].name: \"{name}\" is already the name of classes[{first}], expected a unique name"
    )]
    DuplicateClassName {
        /// 0-based index of the second class with the name.
        index: usize,
        /// The shared name.
        name: String,
        /// 0-based index of the first class with the name.
        first: usize,
    },
    /// A class weight is negative, NaN or infinite.
    #[error("classes[{index}] \"{name}\": weight is {value}, expected a finite number >= 0")]
    BadWeight {
        /// 0-based class index.
        index: usize,
        /// The class name.
        name: String,
        /// The offending weight.
        value: f64,
    },
    /// `debris` does not name a class.
    #[error("debris: {debris} is not a class index, expected 0 to {last} (0-based)")]
    DebrisOutOfRange {
        /// The offending index.
        debris: usize,
        /// The largest valid index.
        last: usize,
    },
    /// A scenario's logits do not have one entry per class.
    #[error(
        "scenarios[{index}] \"{name}\": logits has {found} entries, expected {expected} (one per class)"
    )]
    LogitsLength {
        /// 0-based scenario index.
        index: usize,
        /// The scenario name.
        name: String,
        /// How many logits the scenario has.
        found: usize,
        /// The number of classes.
        expected: usize,
    },
    /// A scenario's truth does not name a class.
    #[error(
        "scenarios[{index}] \"{name}\": truth is {truth}, expected a class index from 0 to {last} (0-based)"
    )]
    TruthOutOfRange {
        /// 0-based scenario index.
        index: usize,
        /// The scenario name.
        name: String,
        /// The offending index.
        truth: usize,
        /// The largest valid index.
        last: usize,
    },
    /// A logit is NaN or infinite.
    #[error(
        "scenarios[{index}] \"{name}\": logits[{position}] is {value}, expected a finite number"
    )]
    NonFiniteLogit {
        /// 0-based scenario index.
        index: usize,
        /// The scenario name.
        name: String,
        /// 0-based position within the logits.
        position: usize,
        /// The offending value.
        value: f64,
    },
    /// A scenario's logits are finite, but adding the logit adjustment or margins overflows.
    #[error(
        "scenarios[{index}] \"{name}\": logits plus the logit adjustment and margins are not finite, expected logits of a moderate size"
    )]
    ShiftedLogitNotFinite {
        /// 0-based scenario index.
        index: usize,
        /// The scenario name.
        name: String,
    },
    /// The preset's sweep range is unusable.
    #[error("sweep.{0}")]
    Sweep(SweepRangeError),
    /// The preset's loss options are unusable.
    #[error("loss.{0}")]
    Loss(LossOptionsError),
    /// The `validation` block's weights or prior do not fit the classes.
    #[error("validation.{field}: {problem}")]
    Validation {
        /// The field, with the index where one entry is at fault (`trained_with[2]`).
        field: String,
        /// What is wrong and what was expected.
        problem: String,
    },
    /// The margins are not a C x C matrix of finite numbers with a zero diagonal.
    #[error("margins{place}: {problem}")]
    Margins {
        /// Where: empty for the whole matrix, `[t]` for a row, `[t][k]` for an entry.
        place: String,
        /// What is wrong and what was expected.
        problem: String,
    },
    /// The costs are not a C x C matrix of finite numbers >= 0 with a zero diagonal.
    #[error("costs{place}: {problem}")]
    Costs {
        /// Where: empty for the whole matrix, `[t]` for a row, `[t][k]` for an entry.
        place: String,
        /// What is wrong and what was expected.
        problem: String,
    },
}

impl Preset {
    /// Checks everything the loss needs; returns the first problem found.
    ///
    /// # Errors
    /// The first field that is out of range, malformed or inconsistent.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.validate_classes()?;
        self.validate_scenarios()?;
        self.sweep.validate().map_err(ValidationError::Sweep)?;
        self.validate_margins()?;
        self.validate_costs()?;
        self.validate_validation()?;
        self.loss
            .validate(&self.counts())
            .map_err(ValidationError::Loss)
    }

    fn validate_classes(&self) -> Result<(), ValidationError> {
        let class_count = self.classes.len();
        if class_count < 2 {
            return Err(ValidationError::TooFewClasses { found: class_count });
        }
        for (index, class) in self.classes.iter().enumerate() {
            if class.name.trim().is_empty() {
                return Err(ValidationError::EmptyClassName { index });
            }
            if let Some(first) = self.classes[..index]
                .iter()
                .position(|c| c.name == class.name)
            {
                return Err(ValidationError::DuplicateClassName {
                    index,
                    name: class.name.clone(),
                    first,
                });
            }
            if !(class.weight.is_finite() && class.weight >= 0.0) {
                return Err(ValidationError::BadWeight {
                    index,
                    name: class.name.clone(),
                    value: class.weight,
                });
            }
        }
        if self.debris >= class_count {
            return Err(ValidationError::DebrisOutOfRange {
                debris: self.debris,
                last: class_count - 1,
            });
        }
        Ok(())
    }

    fn validate_margins(&self) -> Result<(), ValidationError> {
        if self.margins.is_empty() {
            return Ok(());
        }
        check_square(
            &self.margins,
            self.classes.len(),
            f64::is_finite,
            "a finite number",
        )
        .map_err(
            |MatrixProblem { place, problem }| ValidationError::Margins {
                place: place.suffix(),
                problem,
            },
        )
    }

    fn validate_costs(&self) -> Result<(), ValidationError> {
        if self.costs.is_empty() {
            return Ok(());
        }
        check_square(&self.costs, self.classes.len(), valid_cost, EXPECTED_COST).map_err(
            |MatrixProblem { place, problem }| ValidationError::Costs {
                place: place.suffix(),
                problem,
            },
        )
    }

    fn validate_validation(&self) -> Result<(), ValidationError> {
        let classes = self.classes.len();
        let error =
            |field: String, problem: String| Err(ValidationError::Validation { field, problem });
        let settings = &self.validation;
        for (name, values) in [
            ("trained_with", &settings.trained_with),
            ("deploy_prior", &settings.deploy_prior),
        ] {
            if !values.is_empty() && values.len() != classes {
                return error(
                    name.to_owned(),
                    format!(
                        "{} entries, expected {classes} (one per class)",
                        values.len()
                    ),
                );
            }
        }
        for (c, &w) in settings.trained_with.iter().enumerate() {
            if !(w.is_finite() && w > 0.0) {
                return error(
                    format!("trained_with[{c}]"),
                    format!(
                        "{w}, expected a finite weight > 0 (the shift is ln(w / trained_with))"
                    ),
                );
            }
        }
        for (c, &p) in settings.deploy_prior.iter().enumerate() {
            if !(p.is_finite() && p >= 0.0) {
                return error(
                    format!("deploy_prior[{c}]"),
                    format!("{p}, expected a share from 0 to 1"),
                );
            }
        }
        let total: f64 = settings.deploy_prior.iter().sum();
        if !settings.deploy_prior.is_empty() && (total - 1.0).abs() > 1e-6 {
            return error(
                "deploy_prior".to_owned(),
                format!("sums to {total}, expected shares that sum to 1"),
            );
        }
        Ok(())
    }

    fn validate_scenarios(&self) -> Result<(), ValidationError> {
        let class_count = self.classes.len();
        for (index, scenario) in self.scenarios.iter().enumerate() {
            if scenario.logits.len() != class_count {
                return Err(ValidationError::LogitsLength {
                    index,
                    name: scenario.name.clone(),
                    found: scenario.logits.len(),
                    expected: class_count,
                });
            }
            if scenario.truth >= class_count {
                return Err(ValidationError::TruthOutOfRange {
                    index,
                    name: scenario.name.clone(),
                    truth: scenario.truth,
                    last: class_count - 1,
                });
            }
            if let Some((position, &value)) = scenario
                .logits
                .iter()
                .enumerate()
                .find(|(_, logit)| !logit.is_finite())
            {
                return Err(ValidationError::NonFiniteLogit {
                    index,
                    name: scenario.name.clone(),
                    position,
                    value,
                });
            }
        }
        Ok(())
    }
}
