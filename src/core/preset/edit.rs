//! Edits a user makes to a preset, applied so that the preset stays consistent:
//! adding, removing or reordering a class carries every scenario's logits, truth and
//! the debris index along with it.

use crate::core::preset::loss_options::LossOptions;
use crate::core::preset::validate::ValidationError;
use crate::core::preset::{Class, Preset, Scenario, ValidationSettings};

/// One change to a preset, as the window's widgets emit it.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Rename a class.
    ClassName(usize, String),
    /// Set a class's sample count.
    ClassCount(usize, u64),
    /// Set a class's weight.
    ClassWeight(usize, f64),
    /// Make a class the debris class.
    Debris(usize),
    /// Set every class weight at once (a weighting scheme applied), in class order.
    Weights(Vec<f64>),
    /// Set the loss options.
    Loss(LossOptions),
    /// Append a class; every scenario gets a logit of 0 for it.
    AddClass,
    /// Remove a class and its logit from every scenario.
    RemoveClass(usize),
    /// Move a class to another position, its logits with it.
    MoveClass {
        /// Current index.
        from: usize,
        /// New index.
        to: usize,
    },
    /// Rename a scenario.
    ScenarioName(usize, String),
    /// Set a scenario's true class.
    Truth(usize, usize),
    /// Set one logit of a scenario.
    Logit {
        /// Scenario index.
        scenario: usize,
        /// Class index.
        class: usize,
        /// The new logit.
        value: f64,
    },
    /// Append a scenario: a debris sample with all logits 0.
    AddScenario,
    /// Append this scenario (its name made unique).
    InsertScenario(Scenario),
    /// Set one pairwise margin (creating the all-zero matrix if the preset has none).
    Margin {
        /// True class (row).
        truth: usize,
        /// Class whose logit is shifted (column).
        class: usize,
        /// The margin.
        value: f64,
    },
    /// Set what one mistake costs (creating the all-zero matrix if the preset has none).
    Cost {
        /// True class (row).
        truth: usize,
        /// Predicted class (column).
        predicted: usize,
        /// The cost, finite and >= 0 (0 on the diagonal).
        cost: f64,
    },
    /// Set the whole cost matrix (empty: none).
    Costs(Vec<Vec<f64>>),
    /// Set every pairwise margin at once (empty: none).
    Margins(Vec<Vec<f64>>),
    /// Append a copy of a scenario.
    DuplicateScenario(usize),
    /// Remove a scenario.
    RemoveScenario(usize),
    /// Set the weights the model was trained with (empty: the preset's own).
    TrainedWith(Vec<f64>),
    /// Set the deployment prior (empty: none).
    DeployPrior(Vec<f64>),
    /// Set the whole `validation` block (the file remembered, trained-with weights, prior).
    Validation(ValidationSettings),
    /// Move a scenario to another position.
    MoveScenario {
        /// Current index.
        from: usize,
        /// New index.
        to: usize,
    },
}

/// Why an edit was refused; the preset is unchanged.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EditError {
    /// Scenarios still use the class as their truth.
    #[error(
        "cannot remove class \"{class}\": it is the truth of {}",
        quoted_list(scenarios)
    )]
    ClassInUse {
        /// The class name.
        class: String,
        /// The scenarios whose truth it is.
        scenarios: Vec<String>,
    },
    /// The class is the debris class.
    #[error("cannot remove class \"{0}\": it is the debris class; make another class debris first")]
    ClassIsDebris(String),
    /// An index that names no class or scenario.
    #[error("{what} {index} does not exist")]
    NoSuchItem {
        /// "class" or "scenario".
        what: &'static str,
        /// The index.
        index: usize,
    },
    /// Not one weight per class.
    #[error("{found} weights given, expected {expected} (one per class)")]
    WeightCount {
        /// How many weights were given.
        found: usize,
        /// The number of classes.
        expected: usize,
    },
    /// The edited preset would be invalid (a duplicate name, a negative weight, ...).
    #[error(transparent)]
    Invalid(#[from] ValidationError),
}

/// Sets one cell of a C x C matrix of the preset (`margins`, `costs`), creating the all-zero
/// matrix if the preset has none.
fn set_cell(
    matrix: &mut Vec<Vec<f64>>,
    classes: usize,
    row: usize,
    column: usize,
    value: f64,
) -> Result<(), EditError> {
    if matrix.is_empty() {
        *matrix = vec![vec![0.0; classes]; classes];
    }
    let cell = matrix.get_mut(row).and_then(|cells| cells.get_mut(column));
    *cell.ok_or(EditError::NoSuchItem {
        what: "class",
        index: row.max(column),
    })? = value;
    Ok(())
}

fn quoted_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("\"{name}\"")).collect();
    let noun = if quoted.len() == 1 {
        "scenario"
    } else {
        "scenarios"
    };
    format!(
        "{noun} {}; change their truth or delete them first",
        quoted.join(", ")
    )
}

impl Preset {
    /// Applies `edit` if the result is a valid preset; otherwise leaves `self` unchanged.
    ///
    /// Returns the index of a scenario the edit created, so the window can select it.
    ///
    /// # Errors
    /// The reason the edit was refused.
    pub fn apply(&mut self, edit: Edit) -> Result<Option<usize>, EditError> {
        let mut edited = self.clone();
        let created = edited.apply_unchecked(edit)?;
        edited.validate()?;
        *self = edited;
        Ok(created)
    }

    fn apply_unchecked(&mut self, edit: Edit) -> Result<Option<usize>, EditError> {
        match edit {
            Edit::ClassName(index, name) => self.class_mut(index)?.name = name,
            Edit::ClassCount(index, count) => self.class_mut(index)?.count = count,
            Edit::ClassWeight(index, weight) => self.class_mut(index)?.weight = weight,
            Edit::Debris(index) => {
                self.class_mut(index)?;
                self.debris = index;
            }
            Edit::Weights(weights) => {
                if weights.len() != self.classes.len() {
                    return Err(EditError::WeightCount {
                        found: weights.len(),
                        expected: self.classes.len(),
                    });
                }
                for (class, weight) in self.classes.iter_mut().zip(weights) {
                    class.weight = weight;
                }
            }
            Edit::Loss(options) => self.loss = options,
            Edit::TrainedWith(weights) => self.validation.trained_with = weights,
            Edit::DeployPrior(prior) => self.validation.deploy_prior = prior,
            Edit::Validation(settings) => self.validation = settings,
            Edit::AddClass => self.add_class(),
            Edit::RemoveClass(index) => self.remove_class(index)?,
            Edit::MoveClass { from, to } => self.move_class(from, to)?,
            Edit::ScenarioName(index, name) => self.scenario_mut(index)?.name = name,
            Edit::Truth(index, truth) => self.scenario_mut(index)?.truth = truth,
            Edit::Logit {
                scenario,
                class,
                value,
            } => {
                let logit = self.scenario_mut(scenario)?.logits.get_mut(class);
                *logit.ok_or(EditError::NoSuchItem {
                    what: "class",
                    index: class,
                })? = value;
            }
            Edit::AddScenario => {
                let name = self.unused_scenario_name("new scenario");
                self.scenarios.push(Scenario {
                    name,
                    truth: self.debris,
                    logits: vec![0.0; self.classes.len()],
                });
                return Ok(Some(self.scenarios.len() - 1));
            }
            Edit::InsertScenario(mut scenario) => {
                scenario.name = self.unused_scenario_name(&scenario.name);
                self.scenarios.push(scenario);
                return Ok(Some(self.scenarios.len() - 1));
            }
            Edit::Margin {
                truth,
                class,
                value,
            } => set_cell(&mut self.margins, self.classes.len(), truth, class, value)?,
            Edit::Cost {
                truth,
                predicted,
                cost,
            } => set_cell(&mut self.costs, self.classes.len(), truth, predicted, cost)?,
            Edit::Costs(costs) => self.costs = costs,
            Edit::Margins(margins) => self.margins = margins,
            Edit::DuplicateScenario(index) => {
                let mut copy = self.scenario_mut(index)?.clone();
                copy.name = self.unused_scenario_name(&format!("{} (copy)", copy.name));
                self.scenarios.insert(index + 1, copy);
                return Ok(Some(index + 1));
            }
            Edit::RemoveScenario(index) => {
                self.scenario_mut(index)?;
                self.scenarios.remove(index);
            }
            Edit::MoveScenario { from, to } => {
                self.scenario_mut(from)?;
                self.scenario_mut(to)?;
                let scenario = self.scenarios.remove(from);
                self.scenarios.insert(to, scenario);
                return Ok(Some(to));
            }
        }
        Ok(None)
    }

    fn class_mut(&mut self, index: usize) -> Result<&mut Class, EditError> {
        self.classes.get_mut(index).ok_or(EditError::NoSuchItem {
            what: "class",
            index,
        })
    }

    fn scenario_mut(&mut self, index: usize) -> Result<&mut Scenario, EditError> {
        self.scenarios.get_mut(index).ok_or(EditError::NoSuchItem {
            what: "scenario",
            index,
        })
    }

    fn add_class(&mut self) {
        // Of these len + 1 candidates at least one is free.
        let first = self.classes.len() + 1;
        let number = (first..=2 * first)
            .find(|n| !self.classes.iter().any(|c| c.name == format!("class{n}")))
            .unwrap_or(self.classes.len() + 1);
        self.classes.push(Class {
            name: format!("class{number}"),
            count: 1,
            weight: 1.0,
        });
        for scenario in &mut self.scenarios {
            scenario.logits.push(0.0);
        }
        let validation = &mut self.validation;
        if !validation.trained_with.is_empty() {
            validation.trained_with.push(1.0);
        }
        if !validation.deploy_prior.is_empty() {
            validation.deploy_prior.push(0.0);
        }
        let classes = self.classes.len();
        for matrix in [&mut self.margins, &mut self.costs] {
            if !matrix.is_empty() {
                for row in matrix.iter_mut() {
                    row.push(0.0);
                }
                matrix.push(vec![0.0; classes]);
            }
        }
    }

    fn remove_class(&mut self, index: usize) -> Result<(), EditError> {
        let name = self.class_mut(index)?.name.clone();
        if index == self.debris {
            return Err(EditError::ClassIsDebris(name));
        }
        let users: Vec<String> = self
            .scenarios
            .iter()
            .filter(|s| s.truth == index)
            .map(|s| s.name.clone())
            .collect();
        if !users.is_empty() {
            return Err(EditError::ClassInUse {
                class: name,
                scenarios: users,
            });
        }
        self.classes.remove(index);
        let validation = &mut self.validation;
        if index < validation.trained_with.len() {
            validation.trained_with.remove(index);
        }
        if index < validation.deploy_prior.len() {
            validation.deploy_prior.remove(index);
            // The other classes keep their proportions among themselves.
            let total: f64 = validation.deploy_prior.iter().sum();
            if total > 0.0 {
                for share in &mut validation.deploy_prior {
                    *share /= total;
                }
            }
        }
        for matrix in [&mut self.margins, &mut self.costs] {
            if !matrix.is_empty() {
                matrix.remove(index);
                for row in matrix.iter_mut() {
                    row.remove(index);
                }
            }
        }
        for scenario in &mut self.scenarios {
            scenario.logits.remove(index);
            if scenario.truth > index {
                scenario.truth -= 1;
            }
        }
        if self.debris > index {
            self.debris -= 1;
        }
        Ok(())
    }

    fn move_class(&mut self, from: usize, to: usize) -> Result<(), EditError> {
        self.class_mut(from)?;
        self.class_mut(to)?;
        // Where each old index ends up once the class at `from` is moved to `to`.
        let new_index = |old: usize| {
            if old == from {
                to
            } else if from < to && (from + 1..=to).contains(&old) {
                old - 1
            } else if to < from && (to..from).contains(&old) {
                old + 1
            } else {
                old
            }
        };
        let class = self.classes.remove(from);
        self.classes.insert(to, class);
        for values in [
            &mut self.validation.trained_with,
            &mut self.validation.deploy_prior,
        ] {
            if from < values.len() && to < values.len() {
                let value = values.remove(from);
                values.insert(to, value);
            }
        }
        for matrix in [&mut self.margins, &mut self.costs] {
            if !matrix.is_empty() {
                let row = matrix.remove(from);
                matrix.insert(to, row);
                for row in matrix.iter_mut() {
                    let value = row.remove(from);
                    row.insert(to, value);
                }
            }
        }
        for scenario in &mut self.scenarios {
            let logit = scenario.logits.remove(from);
            scenario.logits.insert(to, logit);
            scenario.truth = new_index(scenario.truth);
        }
        self.debris = new_index(self.debris);
        Ok(())
    }

    fn unused_scenario_name(&self, base: &str) -> String {
        if !self.scenarios.iter().any(|s| s.name == base) {
            return base.to_owned();
        }
        // Of these len + 1 candidates at least one is free.
        (2..=self.scenarios.len() + 2)
            .map(|n| format!("{base} {n}"))
            .find(|name| !self.scenarios.iter().any(|s| &s.name == name))
            .unwrap_or_else(|| base.to_owned())
    }
}
