//! Softmax regression fitted to its optimum under the preset's loss:
//! minimise `sum_i l_i(W x_i + b) + (l2 / 2) ||W||^2` (biases unpenalised), where `l_i` is the
//! per-sample loss of [`crate::core::loss::sample_loss`] under the preset's weights, label
//! smoothing, focal loss, logit adjustment and margins.
//!
//! Plain and smoothed cross-entropy are convex; Newton's method with the exact Hessian
//! (`sum_i B_i (diag(p_i) - p_i p_i^T) (x) x~_i x~_i^T`, `x~ = (x, 1)`) reaches the optimum in a
//! handful of steps. Focal loss is not convex and has no Hessian here: L-BFGS solves it. With
//! plain weighted cross-entropy the optimum is scikit-learn's
//! `LogisticRegression(C = 1 / l2, class_weight = {c: w_c})`.
//!
//! The softmax is unchanged when every logit moves by the same amount, so the biases are only
//! determined up to a constant: the fit returns them centred (summing to 0 over the active
//! classes), as scikit-learn's solvers do. A class with no target mass (see
//! [`SoftmaxProblem::active`]) has its optimum at a logit of `-inf`: its weights are 0 and its
//! bias `-inf`, so it is never predicted.

use std::time::Instant;

use crate::core::preset::Preset;
use crate::core::simulator::cross_entropy::CrossEntropyPass;
use crate::core::simulator::data::Dataset;
use crate::core::simulator::error::SimulatorError;
use crate::core::simulator::kernel::LossKernel;
use crate::core::simulator::lbfgs::{self, Minimum};
use crate::core::simulator::linalg::dot;
use crate::core::simulator::newton;
use crate::core::simulator::objective::Objective;

/// The L2 strength by default (scikit-learn's `C = 1`).
pub const DEFAULT_L2: f64 = 1.0;

/// The gradient norm at which a fit stops, relative to its norm at the start (weights 0, biases
/// at [`SoftmaxProblem::start`]).
pub const DEFAULT_TOLERANCE: f64 = 1e-10;

/// A linear classifier: `logits = W x + b`.
#[derive(Clone, Debug, PartialEq)]
pub struct SoftmaxModel {
    /// The number of classes C.
    pub classes: usize,
    /// The number of features D.
    pub dimensions: usize,
    /// C x D, row-major: class c, feature d at `c * D + d`.
    pub weights: Vec<f64>,
    /// C biases; `-inf` for a class the fit never predicts.
    pub bias: Vec<f64>,
}

impl SoftmaxModel {
    /// Writes the C logits of the point `x` (D features) into `logits`.
    pub fn logits_into(&self, x: &[f64], logits: &mut [f64]) {
        let dimensions = self.dimensions;
        for (c, logit) in logits.iter_mut().enumerate().take(self.classes) {
            let row = &self.weights[c * dimensions..(c + 1) * dimensions];
            *logit = self.bias[c] + dot(row, x);
        }
    }

    /// The weights as C rows of D numbers (the `weights` of `train --format json`).
    #[must_use]
    pub fn weight_rows(&self) -> Vec<Vec<f64>> {
        self.weights
            .chunks(self.dimensions.max(1))
            .map(<[f64]>::to_vec)
            .collect()
    }
}

/// How the optimum is found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Solver {
    /// Newton for cross-entropy (with or without smoothing), L-BFGS for focal loss.
    #[default]
    Auto,
    /// Newton's method with the exact Hessian and a backtracking line search.
    Newton,
    /// L-BFGS (10 pairs) with an Armijo backtracking line search.
    Lbfgs,
}

/// The settings of a softmax fit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SoftmaxOptions {
    /// The L2 strength on the weights (`1 / C` in scikit-learn's terms), >= 0.
    pub l2: f64,
    /// The solver.
    pub solver: Solver,
    /// Stop when the gradient norm is at most this times its norm at the start.
    pub tolerance: f64,
    /// The most steps to take.
    pub max_iterations: usize,
}

impl Default for SoftmaxOptions {
    fn default() -> Self {
        Self {
            l2: DEFAULT_L2,
            solver: Solver::Auto,
            tolerance: DEFAULT_TOLERANCE,
            max_iterations: 1000,
        }
    }
}

/// A fitted softmax regression and how the fit went.
#[derive(Clone, Debug, PartialEq)]
pub struct SoftmaxFit {
    /// The model at the optimum.
    pub model: SoftmaxModel,
    /// `sum_i l_i + (l2 / 2) ||W||^2` at the returned model.
    pub objective: f64,
    /// Newton or L-BFGS steps taken.
    pub iterations: usize,
    /// Whether the gradient norm fell to the tolerance (relative to its start).
    pub converged: bool,
    /// The gradient norm at the last step.
    pub gradient_norm: f64,
    /// The solver that ran (never [`Solver::Auto`]).
    pub solver: Solver,
    /// Wall-clock seconds inside the fit.
    pub seconds: f64,
}

/// The objective of a softmax fit as a function of the parameters, with its exact gradient and
/// Hessian.
///
/// Parameters are class-major: class c's D weights then its bias, at `c * (D + 1)`.
#[derive(Clone, Debug)]
pub struct SoftmaxProblem<'a> {
    data: &'a Dataset,
    kernel: LossKernel,
    l2: f64,
    classes: usize,
    active: Vec<bool>,
}

impl<'a> SoftmaxProblem<'a> {
    /// The problem of fitting `data` under `preset`'s weights and loss with L2 strength `l2`.
    ///
    /// # Errors
    /// An invalid preset, data that does not fit it, or a negative or non-finite `l2`.
    pub fn new(data: &'a Dataset, preset: &Preset, l2: f64) -> Result<Self, SimulatorError> {
        preset.validate()?;
        let classes = preset.classes.len();
        data.check(classes)?;
        if !(l2.is_finite() && l2 >= 0.0) {
            return Err(SimulatorError::L2(l2));
        }
        let active = LossKernel::active_classes(preset, &data.class_counts(classes));
        Ok(Self {
            data,
            kernel: LossKernel::new(preset, active.clone()),
            l2,
            classes,
            active,
        })
    }

    /// Per class, whether it takes part in the fit: a class of weight 0, or one without samples
    /// (unless label smoothing gives every class a target), has its optimum at `-inf`.
    #[must_use]
    pub fn active(&self) -> &[bool] {
        &self.active
    }

    /// The number of parameters, `C (D + 1)`.
    #[must_use]
    pub fn parameter_count(&self) -> usize {
        self.classes * (self.data.dimensions + 1)
    }

    /// The objective at `params`.
    #[must_use]
    pub fn objective(&self, params: &[f64]) -> f64 {
        self.pass(params, None)
    }

    /// The objective and its gradient at `params`.
    #[must_use]
    pub fn gradient(&self, params: &[f64]) -> (f64, Vec<f64>) {
        let mut gradient = vec![0.0; self.parameter_count()];
        let value = self.pass(params, Some(&mut gradient));
        (value, gradient)
    }

    /// The Hessian at `params`, P x P row-major; `None` for focal loss. The rows and columns
    /// of inactive classes are 0.
    #[must_use]
    pub fn hessian(&self, params: &[f64]) -> Option<Vec<f64>> {
        if !self.kernel.has_curvature() {
            return None;
        }
        let pass = self.cross_entropy_pass();
        let compact_hessian = pass.hessian(&pass.compact(params));
        Some(pass.expand_matrix(&compact_hessian))
    }

    /// Where the solvers start: weights 0, biases at `ln` of each class's total target weight
    /// (centred), the optimum of a model without features when no logit is shifted.
    #[must_use]
    pub fn start(&self) -> Vec<f64> {
        let stride = self.data.dimensions + 1;
        let mut params = vec![0.0; self.parameter_count()];
        let counts = self.data.class_counts(self.classes);
        let mut mass = vec![0.0; self.classes];
        for (truth, &count) in counts.iter().enumerate() {
            for (m, b) in mass.iter_mut().zip(self.kernel.target_weights(truth)) {
                *m += count as f64 * b;
            }
        }
        let active: Vec<usize> = (0..self.classes)
            .filter(|&c| self.active[c] && mass[c] > 0.0)
            .collect();
        let mean = active.iter().map(|&c| mass[c].ln()).sum::<f64>() / active.len().max(1) as f64;
        for &c in &active {
            params[c * stride + stride - 1] = mass[c].ln() - mean;
        }
        params
    }

    /// The fast pass of this problem on its active classes (cross-entropy; the caller checks).
    pub(crate) fn cross_entropy_pass(&self) -> CrossEntropyPass<'a> {
        CrossEntropyPass::new(self.data, &self.kernel, &self.active, self.l2)
    }

    /// Minimises the objective (cross-entropy) by Newton's method on the active classes'
    /// parameters, from `start` (all parameters).
    fn minimize_by_newton(&self, start: &[f64], tolerance: f64, max_iterations: usize) -> Minimum {
        let pass = self.cross_entropy_pass();
        if pass.size() == 0 {
            // No class takes part (every sample weighs 0): the objective is 0 whatever the
            // parameters, so the start is the optimum.
            return Minimum {
                x: start.to_vec(),
                value: self.objective(start),
                gradient_norm: 0.0,
                iterations: 0,
                converged: true,
            };
        }
        let minimum = newton::minimize(&pass, pass.compact(start), tolerance, max_iterations);
        Minimum {
            x: pass.expand(&minimum.x),
            ..minimum
        }
    }

    /// The parameters of `model`, in this problem's layout.
    #[must_use]
    pub fn params_of(model: &SoftmaxModel) -> Vec<f64> {
        let mut params = Vec::with_capacity(model.classes * (model.dimensions + 1));
        for c in 0..model.classes {
            params.extend_from_slice(&model.weights[c * model.dimensions..][..model.dimensions]);
            params.push(model.bias[c]);
        }
        params
    }

    /// The model of `params`: biases centred over the active classes, inactive classes at
    /// weights 0 and bias `-inf`.
    #[must_use]
    pub fn model(&self, params: &[f64]) -> SoftmaxModel {
        let (classes, dimensions) = (self.classes, self.data.dimensions);
        let stride = dimensions + 1;
        let active_count = self.active.iter().filter(|&&a| a).count().max(1) as f64;
        let mean_bias = (0..classes)
            .filter(|&c| self.active[c])
            .map(|c| params[c * stride + dimensions])
            .sum::<f64>()
            / active_count;
        let mut weights = Vec::with_capacity(classes * dimensions);
        let mut bias = Vec::with_capacity(classes);
        for c in 0..classes {
            if self.active[c] {
                weights.extend_from_slice(&params[c * stride..c * stride + dimensions]);
                bias.push(params[c * stride + dimensions] - mean_bias);
            } else {
                weights.extend(std::iter::repeat_n(0.0, dimensions));
                bias.push(f64::NEG_INFINITY);
            }
        }
        SoftmaxModel {
            classes,
            dimensions,
            weights,
            bias,
        }
    }

    /// One pass over the data: the objective, and the gradient when asked for (through the
    /// kernel, so every sample's loss and gradient are `sample_loss`'s to the bit).
    pub(crate) fn pass(&self, params: &[f64], mut gradient: Option<&mut [f64]>) -> f64 {
        let (classes, dimensions) = (self.classes, self.data.dimensions);
        let stride = dimensions + 1;
        let mut logits = vec![0.0; classes];
        let mut sample_gradient = vec![0.0; classes];
        let mut probabilities = vec![0.0; classes];
        let mut augmented = vec![1.0; stride];
        if let Some(gradient) = gradient.as_deref_mut() {
            gradient.fill(0.0);
        }
        let mut loss = 0.0;
        for (sample, &label) in self.data.labels.iter().enumerate() {
            augmented[..dimensions].copy_from_slice(self.data.point(sample));
            for (c, logit) in logits.iter_mut().enumerate() {
                *logit = dot(&params[c * stride..(c + 1) * stride], &augmented);
            }
            let terms = self.kernel.sample(
                &logits,
                label as usize,
                &mut sample_gradient,
                &mut probabilities,
            );
            loss += terms.loss;
            if let Some(gradient) = gradient.as_deref_mut() {
                for (c, &gc) in sample_gradient.iter().enumerate() {
                    let row = &mut gradient[c * stride..(c + 1) * stride];
                    for (entry, &xd) in row.iter_mut().zip(&augmented) {
                        *entry += gc * xd;
                    }
                }
            }
        }
        let mut penalty = 0.0;
        for c in (0..classes).filter(|&c| self.active[c]) {
            let row = &params[c * stride..c * stride + dimensions];
            penalty += dot(row, row);
            if let Some(gradient) = gradient.as_deref_mut() {
                for (entry, &w) in gradient[c * stride..].iter_mut().zip(row) {
                    *entry += self.l2 * w;
                }
            }
        }
        loss + 0.5 * self.l2 * penalty
    }
}

impl Objective for SoftmaxProblem<'_> {
    fn value_and_gradient(&self, x: &[f64], gradient: &mut [f64]) -> f64 {
        self.pass(x, Some(gradient))
    }
}

/// Fits softmax regression to `data` under `preset`'s weights and loss options.
///
/// ```
/// use weightbench::core::Preset;
/// use weightbench::core::simulator::{DataSpec, SoftmaxOptions, synthesize, train_softmax};
///
/// let notebook = Preset::notebook()?;
/// let data = synthesize(&notebook, &DataSpec { samples: 500, ..DataSpec::default() })?;
/// let fit = train_softmax(&data.train, &notebook, &SoftmaxOptions::default())?;
/// assert!(fit.converged && fit.iterations < 20);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// An invalid preset, data that does not fit it, an unusable option, or Newton asked for with
/// focal loss (which has no Hessian here).
pub fn train_softmax(
    data: &Dataset,
    preset: &Preset,
    options: &SoftmaxOptions,
) -> Result<SoftmaxFit, SimulatorError> {
    let start = Instant::now();
    let problem = SoftmaxProblem::new(data, preset, options.l2)?;
    if !(options.tolerance.is_finite() && options.tolerance >= 0.0) {
        return Err(SimulatorError::Setting {
            field: "tolerance",
            value: options.tolerance.to_string(),
            expected: "a finite number >= 0",
        });
    }
    let solver = match (options.solver, problem.kernel.has_curvature()) {
        (Solver::Auto | Solver::Newton, true) => Solver::Newton,
        (Solver::Auto | Solver::Lbfgs, false) | (Solver::Lbfgs, true) => Solver::Lbfgs,
        (Solver::Newton, false) => {
            return Err(SimulatorError::Setting {
                field: "solver",
                value: "newton".to_owned(),
                expected: "lbfgs or auto with focal loss (it has no Hessian here)",
            });
        }
    };
    let start_params = problem.start();
    let minimum = if solver == Solver::Newton {
        problem.minimize_by_newton(&start_params, options.tolerance, options.max_iterations)
    } else {
        lbfgs::minimize(
            start_params,
            &problem,
            options.tolerance,
            options.max_iterations,
        )
    };
    let model = problem.model(&minimum.x);
    let objective = problem.objective(&SoftmaxProblem::params_of(&model));
    Ok(SoftmaxFit {
        model,
        objective,
        iterations: minimum.iterations,
        converged: minimum.converged,
        gradient_norm: minimum.gradient_norm,
        solver,
        seconds: start.elapsed().as_secs_f64(),
    })
}
