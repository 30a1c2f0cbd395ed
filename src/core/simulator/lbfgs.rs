//! L-BFGS (Nocedal and Wright, *Numerical Optimization*, algorithm 7.4) with an Armijo
//! backtracking line search: the general solver, safe on the non-convex focal loss because a
//! pair whose curvature `s . y` is not positive is left out of the memory.

use crate::core::simulator::linalg::dot;
use crate::core::simulator::objective::Objective;

/// Pairs kept in the memory.
const MEMORY: usize = 10;

/// The sufficient decrease the line search asks for (Armijo's `c1`).
const ARMIJO: f64 = 1e-4;

/// Halvings the line search tries before giving up on a direction.
const MAX_HALVINGS: usize = 60;

/// Where the minimiser stopped.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Minimum {
    /// The parameters.
    pub x: Vec<f64>,
    /// The objective there.
    pub value: f64,
    /// The Euclidean norm of the gradient there.
    pub gradient_norm: f64,
    /// The number of steps taken.
    pub iterations: usize,
    /// Whether the gradient norm fell to `tolerance` times its value at the start.
    pub converged: bool,
}

/// Minimises `objective` from `x0`.
pub(crate) fn minimize(
    x0: Vec<f64>,
    objective: &dyn Objective,
    tolerance: f64,
    max_iterations: usize,
) -> Minimum {
    let n = x0.len();
    let mut x = x0;
    let mut gradient = vec![0.0; n];
    let mut value = objective.value_and_gradient(&x, &mut gradient);
    let threshold = tolerance * norm(&gradient);
    let mut memory: Vec<(Vec<f64>, Vec<f64>, f64)> = Vec::with_capacity(MEMORY);
    let (mut trial, mut trial_gradient) = (vec![0.0; n], vec![0.0; n]);
    let mut iterations = 0;
    let mut converged = norm(&gradient) <= threshold;
    while !converged && iterations < max_iterations {
        let mut direction = two_loop(&gradient, &memory);
        let mut slope = dot(&gradient, &direction);
        if slope.is_nan() || slope >= 0.0 {
            memory.clear();
            direction = gradient.iter().map(|g| -g).collect();
            slope = dot(&gradient, &direction);
        }
        // Without curvature information, a first step of length 1 at most.
        let mut step = if memory.is_empty() {
            (1.0 / norm(&direction)).min(1.0)
        } else {
            1.0
        };
        let mut accepted = None;
        for _ in 0..MAX_HALVINGS {
            for ((t, &xi), &di) in trial.iter_mut().zip(&x).zip(&direction) {
                *t = xi + step * di;
            }
            let trial_value = objective.value_and_gradient(&trial, &mut trial_gradient);
            if trial_value <= value + ARMIJO * step * slope
                || flat(value, trial_value, &gradient, &trial_gradient)
            {
                accepted = Some(trial_value);
                break;
            }
            step *= 0.5;
        }
        let Some(trial_value) = accepted else {
            if memory.is_empty() {
                break;
            }
            memory.clear();
            continue;
        };
        let s: Vec<f64> = trial.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = trial_gradient
            .iter()
            .zip(&gradient)
            .map(|(a, b)| a - b)
            .collect();
        let curvature = dot(&s, &y);
        if curvature > 1e-12 * norm(&s) * norm(&y) {
            if memory.len() == MEMORY {
                memory.remove(0);
            }
            memory.push((s, y, 1.0 / curvature));
        }
        std::mem::swap(&mut x, &mut trial);
        std::mem::swap(&mut gradient, &mut trial_gradient);
        value = trial_value;
        iterations += 1;
        converged = norm(&gradient) <= threshold;
    }
    Minimum {
        gradient_norm: norm(&gradient),
        x,
        value,
        iterations,
        converged,
    }
}

/// The relative change below which an objective is taken as unchanged (rounding, not progress).
const FLAT: f64 = 1e-14;

/// Whether a step is progress although the objective cannot show it: near the optimum its
/// change is lost in rounding, and a smaller gradient is the progress that counts.
pub(crate) fn flat(value: f64, trial_value: f64, gradient: &[f64], trial_gradient: &[f64]) -> bool {
    (trial_value - value).abs() <= FLAT * value.abs() && norm(trial_gradient) < norm(gradient)
}

/// `-H g` by the two-loop recursion, with `H0 = (s . y / y . y) I` from the newest pair.
fn two_loop(gradient: &[f64], memory: &[(Vec<f64>, Vec<f64>, f64)]) -> Vec<f64> {
    let mut q: Vec<f64> = gradient.to_vec();
    let mut alphas = Vec::with_capacity(memory.len());
    for (s, y, rho) in memory.iter().rev() {
        let alpha = rho * dot(s, &q);
        for (qi, yi) in q.iter_mut().zip(y) {
            *qi -= alpha * yi;
        }
        alphas.push(alpha);
    }
    if let Some((s, y, _)) = memory.last() {
        let scale = dot(s, y) / dot(y, y);
        for qi in &mut q {
            *qi *= scale;
        }
    }
    for ((s, y, rho), alpha) in memory.iter().zip(alphas.iter().rev()) {
        let beta = rho * dot(y, &q);
        for (qi, si) in q.iter_mut().zip(s) {
            *qi += (alpha - beta) * si;
        }
    }
    for qi in &mut q {
        *qi = -*qi;
    }
    q
}

/// The Euclidean norm.
pub(crate) fn norm(values: &[f64]) -> f64 {
    dot(values, values).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(1 - a)^2 + 100 (b - a^2)^2`, smallest at (1, 1).
    struct Rosenbrock;

    impl Objective for Rosenbrock {
        fn value_and_gradient(&self, x: &[f64], g: &mut [f64]) -> f64 {
            let (a, b) = (x[0], x[1]);
            g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
            g[1] = 200.0 * (b - a * a);
            (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
        }
    }

    #[test]
    fn minimises_the_rosenbrock_function() {
        let minimum = minimize(vec![-1.2, 1.0], &Rosenbrock, 1e-10, 1000);
        assert!(minimum.converged, "{minimum:?}");
        assert!((minimum.x[0] - 1.0).abs() < 1e-8 && (minimum.x[1] - 1.0).abs() < 1e-8);
    }
}
