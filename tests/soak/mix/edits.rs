//! The edits the mix draws: one edit of every kind the panels send (bad values among them, each
//! marked as one the app must refuse), and gestures: the edits of a drag or of typing a value,
//! frame after frame.
use super::*;

impl Mix {
    #[allow(
        clippy::too_many_lines,
        reason = "one arm per kind of edit reads best as one table"
    )]
    pub(super) fn edit(&mut self, preset: &Preset) -> (Edit, bool) {
        let classes = preset.classes.len();
        let scenarios = preset.scenarios.len();
        let names: Vec<&str> = preset.classes.iter().map(|c| c.name.as_str()).collect();
        // Keep the preset a size a user works with: adding grows less likely as it grows.
        let add_class = classes < 10 || self.chance(0.05);
        let add_scenario = scenarios < 40 || self.chance(0.05);
        match self.below(26) {
            0 => {
                let (index, bad_index) = self.index(classes, 0.05);
                let taken: Vec<&str> = names
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| i != index)
                    .map(|(_, name)| *name)
                    .collect();
                let (name, bad_name) = self.name(&taken);
                (Edit::ClassName(index, name), bad_index || bad_name)
            }
            1 => {
                let (index, bad) = self.index(classes, 0.05);
                (Edit::ClassCount(index, self.count()), bad)
            }
            2..=4 => {
                let (index, bad_index) = self.index(classes, 0.05);
                let bad = self.chance(0.12);
                (Edit::ClassWeight(index, self.weight(bad)), bad || bad_index)
            }
            5 => {
                let (index, bad) = self.index(classes, 0.1);
                (Edit::Debris(index), bad)
            }
            6 => {
                let (weights, bad) = self.weights(classes);
                (Edit::Weights(weights), bad)
            }
            7 | 8 => {
                let (options, bad) = self.loss(preset.loss);
                (Edit::Loss(options), bad)
            }
            9 if add_class => (Edit::AddClass, false),
            9 | 10 => {
                let (index, bad) = self.index(classes, 0.05);
                (Edit::RemoveClass(index), bad)
            }
            11 => {
                let (from, bad_from) = self.index(classes, 0.05);
                let (to, bad_to) = self.index(classes, 0.05);
                (Edit::MoveClass { from, to }, bad_from || bad_to)
            }
            12 => {
                let (index, bad) = self.index(scenarios, 0.05);
                let (name, _) = self.name(&[]);
                (Edit::ScenarioName(index, name), bad)
            }
            13 => {
                let (index, bad_index) = self.index(scenarios, 0.05);
                let (truth, bad_truth) = self.index(classes, 0.1);
                (Edit::Truth(index, truth), bad_index || bad_truth)
            }
            14..=16 => {
                let (scenario, bad_scenario) = self.index(scenarios, 0.03);
                let (class, bad_class) = self.index(classes, 0.03);
                let bad = self.chance(0.1);
                let value = self.logit(bad);
                let edit = Edit::Logit {
                    scenario,
                    class,
                    value,
                };
                (edit, bad || bad_scenario || bad_class)
            }
            17 if add_scenario => {
                if self.chance(0.5) {
                    (Edit::AddScenario, false)
                } else {
                    let bad_length = self.chance(0.08);
                    let length = if bad_length { classes + 1 } else { classes };
                    let (truth, bad_truth) = self.index(classes, 0.08);
                    let bad_logit = self.chance(0.05).then(|| self.below(length));
                    let logits = (0..length)
                        .map(|c| self.logit(bad_logit == Some(c)))
                        .collect();
                    let scenario = Scenario {
                        name: self.name(&[]).0,
                        truth,
                        logits,
                    };
                    let bad = bad_length || bad_truth || bad_logit.is_some();
                    (Edit::InsertScenario(scenario), bad)
                }
            }
            17 | 18 => {
                let (index, bad) = self.index(scenarios, 0.05);
                if add_scenario && self.chance(0.5) {
                    (Edit::DuplicateScenario(index), bad)
                } else {
                    (Edit::RemoveScenario(index), bad)
                }
            }
            19 => {
                let (from, bad_from) = self.index(scenarios, 0.05);
                let (to, bad_to) = self.index(scenarios, 0.05);
                (Edit::MoveScenario { from, to }, bad_from || bad_to)
            }
            20 => {
                let (truth, bad_truth) = self.index(classes, 0.05);
                let (class, bad_class) = self.index(classes, 0.05);
                let bad_value = self.chance(0.08);
                let value = if bad_value {
                    self.pick(&[f64::NAN, f64::INFINITY])
                } else if self.chance(0.5) {
                    0.0
                } else {
                    self.between(-20.0, 20.0)
                };
                let diagonal = truth == class && value != 0.0;
                let edit = Edit::Margin {
                    truth,
                    class,
                    value,
                };
                (edit, bad_truth || bad_class || bad_value || diagonal)
            }
            21 => {
                let (weights, bad) = self.trained_with(classes);
                (Edit::TrainedWith(weights), bad)
            }
            22 => {
                let (prior, bad) = self.prior(classes);
                (Edit::DeployPrior(prior), bad)
            }
            24 => {
                let (truth, bad_truth) = self.index(classes, 0.05);
                let (predicted, bad_predicted) = self.index(classes, 0.05);
                let bad_value = self.chance(0.08);
                let cost = if bad_value {
                    self.pick(&[f64::NAN, f64::INFINITY, -1.0])
                } else {
                    self.between(0.0, 20.0)
                };
                let diagonal = truth == predicted && cost != 0.0;
                let edit = Edit::Cost {
                    truth,
                    predicted,
                    cost,
                };
                (edit, bad_truth || bad_predicted || bad_value || diagonal)
            }
            25 => match self.below(3) {
                0 => (Edit::Costs(Vec::new()), false),
                1 => {
                    let weights: Vec<f64> = preset.classes.iter().map(|c| c.weight).collect();
                    let rows = (0..classes)
                        .map(|y| {
                            (0..classes)
                                .map(|k| if k == y { 0.0 } else { weights[y] })
                                .collect()
                        })
                        .collect();
                    (Edit::Costs(rows), false)
                }
                _ => {
                    let bad = self.chance(0.1);
                    let size = if bad { classes + 1 } else { classes };
                    let rows = (0..size)
                        .map(|y| {
                            (0..classes)
                                .map(|k| if k == y { 0.0 } else { self.between(0.0, 10.0) })
                                .collect()
                        })
                        .collect();
                    (Edit::Costs(rows), bad)
                }
            },
            _ => {
                let (trained_with, bad_weights) = self.trained_with(classes);
                let (deploy_prior, bad_prior) = self.prior(classes);
                let settings = ValidationSettings {
                    path: if self.chance(0.5) {
                        String::new()
                    } else {
                        "/nowhere/validation.npz".to_owned()
                    },
                    labels: String::new(),
                    trained_with,
                    deploy_prior,
                };
                (Edit::Validation(settings), bad_weights || bad_prior)
            }
        }
    }

    /// Edits of one value, as a drag or typing emits them frame after frame (some bad).
    pub(super) fn gesture(&mut self, preset: &Preset) -> Vec<Edit> {
        let classes = preset.classes.len();
        let scenarios = preset.scenarios.len();
        let length = 2 + self.below(6);
        let class = self.below(classes);
        let scenario = self.below(scenarios.max(1));
        let kind = self.below(8);
        let mut typed = String::new();
        let mut options = preset.loss;
        (0..length)
            .map(|_| {
                let bad = self.chance(0.08);
                match kind {
                    0 => Edit::ClassWeight(class, self.weight(bad)),
                    1 if scenarios > 0 => Edit::Logit {
                        scenario,
                        class,
                        value: self.logit(bad),
                    },
                    1 | 2 => {
                        typed.push(self.pick(&['a', 'b', ' ', 'é', '7']));
                        Edit::ClassName(class, typed.clone())
                    }
                    3 if scenarios > 0 => {
                        typed.push(self.pick(&['x', 'y', ' ', 'ß']));
                        Edit::ScenarioName(scenario, typed.clone())
                    }
                    3 | 4 => Edit::ClassCount(class, self.count()),
                    5 => Edit::TrainedWith(self.trained_with(classes).0),
                    6 => {
                        options = self.loss(options).0;
                        Edit::Loss(options)
                    }
                    _ => Edit::Margin {
                        truth: class,
                        class: (class + 1) % classes,
                        value: if bad {
                            f64::NAN
                        } else {
                            self.between(-5.0, 5.0)
                        },
                    },
                }
            })
            .collect()
    }
}
