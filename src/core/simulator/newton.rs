//! Newton's method with a backtracking line search, for a [`SecondOrder`] objective: the fast
//! path of [`crate::core::simulator::softmax_fit::train_softmax`] for the convex losses.

use crate::core::simulator::lbfgs::{self, Minimum, norm};
use crate::core::simulator::linalg::{cholesky_solve, dot};
use crate::core::simulator::objective::SecondOrder;

/// Minimises `objective` by Newton's method with a backtracking line search, from `start`;
/// stops when the gradient norm is `tolerance` times its start.
pub(crate) fn minimize(
    objective: &dyn SecondOrder,
    start: Vec<f64>,
    tolerance: f64,
    max_iterations: usize,
) -> Minimum {
    let size = start.len();
    let mut x = start;
    let mut gradient = vec![0.0; size];
    let mut hessian = vec![0.0; size * size];
    let mut value = objective.value_gradient_and_hessian(&x, &mut gradient, &mut hessian);
    let threshold = tolerance * norm(&gradient);
    let (mut trial_gradient, mut trial_hessian) = (vec![0.0; size], vec![0.0; size * size]);
    let mut trial = vec![0.0; size];
    let mut iterations = 0;
    while norm(&gradient) > threshold && iterations < max_iterations {
        let Some(direction) = newton_direction(objective, &hessian, &gradient) else {
            break;
        };
        let slope = dot(&gradient, &direction);
        let mut step = 1.0;
        let mut accepted = false;
        for _ in 0..60 {
            for ((t, &xi), &di) in trial.iter_mut().zip(&x).zip(&direction) {
                *t = xi + step * di;
            }
            let trial_value = objective.value_gradient_and_hessian(
                &trial,
                &mut trial_gradient,
                &mut trial_hessian,
            );
            if trial_value <= value + 1e-4 * step * slope
                || lbfgs::flat(value, trial_value, &gradient, &trial_gradient)
            {
                value = trial_value;
                accepted = true;
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            break;
        }
        std::mem::swap(&mut x, &mut trial);
        std::mem::swap(&mut gradient, &mut trial_gradient);
        std::mem::swap(&mut hessian, &mut trial_hessian);
        iterations += 1;
    }
    let gradient_norm = norm(&gradient);
    Minimum {
        x,
        value,
        gradient_norm,
        iterations,
        converged: gradient_norm <= threshold,
    }
}

/// The Newton step `-H^-1 g`.
///
/// The objective lifts the directions it does not see (see
/// [`SecondOrder::lift_flat_directions`]); should the Hessian still be numerically singular,
/// a growing Levenberg damping is added.
fn newton_direction(
    objective: &dyn SecondOrder,
    hessian: &[f64],
    gradient: &[f64],
) -> Option<Vec<f64>> {
    let size = gradient.len();
    let mut base = hessian.to_vec();
    objective.lift_flat_directions(&mut base);
    let largest = (0..size).map(|i| base[i * size + i]).fold(1.0, f64::max);
    let mut damping = 0.0;
    for _ in 0..20 {
        let mut system = base.clone();
        for i in 0..size {
            system[i * size + i] += damping;
        }
        let mut direction: Vec<f64> = gradient.iter().map(|g| -g).collect();
        if cholesky_solve(&mut system, &mut direction, size) {
            return Some(direction);
        }
        damping = if damping == 0.0 {
            1e-12 * largest
        } else {
            damping * 100.0
        };
    }
    None
}
