//! The little dense linear algebra Newton's method needs: a Cholesky solve of a small
//! symmetric positive definite system (12 x 12 for 4 classes in 2-D).

/// Solves `a x = b` for a symmetric positive definite `n x n` matrix `a` (row-major, only its
/// lower triangle read), overwriting `a` with its Cholesky factor and `b` with `x`.
///
/// Returns `false`, leaving `b` unusable, when `a` is not numerically positive definite.
pub(crate) fn cholesky_solve(a: &mut [f64], b: &mut [f64], n: usize) -> bool {
    if a.len() != n * n || b.len() != n {
        return false;
    }
    for j in 0..n {
        let mut diagonal = a[j * n + j];
        for k in 0..j {
            diagonal -= a[j * n + k] * a[j * n + k];
        }
        if !(diagonal > 0.0 && diagonal.is_finite()) {
            return false;
        }
        let pivot = diagonal.sqrt();
        a[j * n + j] = pivot;
        for i in j + 1..n {
            let mut value = a[i * n + j];
            for k in 0..j {
                value -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = value / pivot;
        }
    }
    // L y = b, then L^T x = y.
    for i in 0..n {
        let mut value = b[i];
        for k in 0..i {
            value -= a[i * n + k] * b[k];
        }
        b[i] = value / a[i * n + i];
    }
    for i in (0..n).rev() {
        let mut value = b[i];
        for k in i + 1..n {
            value -= a[k * n + i] * b[k];
        }
        b[i] = value / a[i * n + i];
    }
    true
}

/// The dot product of two equally long slices, summed in order.
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).fold(0.0, |sum, (x, y)| sum + x * y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_small_system_and_refuses_an_indefinite_one() {
        let mut a = vec![4.0, 2.0, 0.0, 2.0, 5.0, 1.0, 0.0, 1.0, 3.0];
        let original = a.clone();
        let x = [1.0, -2.0, 0.5];
        let mut b: Vec<f64> = (0..3)
            .map(|i| dot(&original[i * 3..i * 3 + 3], &x))
            .collect();
        assert!(cholesky_solve(&mut a, &mut b, 3));
        for (got, want) in b.iter().zip(x) {
            assert!((got - want).abs() < 1e-14);
        }
        let mut indefinite = vec![1.0, 2.0, 2.0, 1.0];
        assert!(!cholesky_solve(&mut indefinite, &mut [1.0, 1.0], 2));
    }
}
