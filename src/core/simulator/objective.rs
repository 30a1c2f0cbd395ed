//! What the solvers see of a problem: an objective to minimise, its gradient and, for Newton's
//! method, its Hessian. The solvers ([`super::lbfgs`], [`super::newton`]) name no problem; a
//! problem implements these traits (as linfa's models implement argmin's `CostFunction` and
//! `Gradient`).

/// A smooth objective over `R^n`, for L-BFGS.
pub(crate) trait Objective {
    /// The objective at `x`; writes its gradient into `gradient` (as long as `x`).
    fn value_and_gradient(&self, x: &[f64], gradient: &mut [f64]) -> f64;
}

/// A smooth objective with its Hessian, for Newton's method.
pub(crate) trait SecondOrder {
    /// The objective at `x`; writes its gradient into `gradient` (as long as `x`) and its
    /// Hessian into `hessian` (`n x n`, row-major).
    fn value_gradient_and_hessian(
        &self,
        x: &[f64],
        gradient: &mut [f64],
        hessian: &mut [f64],
    ) -> f64;

    /// Adds to `hessian` a positive semidefinite matrix that acts only on directions the
    /// objective does not see (its gradient has no component there), so a Hessian that is
    /// singular along them becomes invertible without changing the Newton step.
    fn lift_flat_directions(&self, hessian: &mut [f64]);
}
