//! The preset's C x C matrices (`margins`, `costs`): one check of their shape, entries and
//! diagonal, which says where the first problem is.

/// Where in a C x C matrix a problem lies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// The whole matrix (its number of rows).
    Matrix,
    /// Row `t` (its number of entries).
    Row(usize),
    /// The entry at row `t`, column `k`.
    Entry(usize, usize),
}

impl Place {
    /// The place as an index suffix: nothing, `[t]` or `[t][k]` (0-based).
    #[must_use]
    pub fn suffix(self) -> String {
        match self {
            Self::Matrix => String::new(),
            Self::Row(t) => format!("[{t}]"),
            Self::Entry(t, k) => format!("[{t}][{k}]"),
        }
    }
}

/// The first problem of a C x C matrix: where, and what is wrong with what was expected.
#[derive(Clone, Debug, PartialEq)]
pub struct MatrixProblem {
    /// Where it is.
    pub place: Place,
    /// What is wrong and what was expected.
    pub problem: String,
}

/// Checks that `matrix` is `classes` x `classes`, that every entry off the diagonal passes
/// `valid` (described by `expected`, as in "a finite cost >= 0"), and that the diagonal is 0.
///
/// # Errors
/// The first problem, rows first, then entries in reading order.
pub fn check_square(
    matrix: &[Vec<f64>],
    classes: usize,
    valid: impl Fn(f64) -> bool,
    expected: &str,
) -> Result<(), MatrixProblem> {
    let problem = |place, problem| Err(MatrixProblem { place, problem });
    if matrix.len() != classes {
        return problem(
            Place::Matrix,
            format!(
                "{} {}, expected {classes} (one per class)",
                matrix.len(),
                if matrix.len() == 1 { "row" } else { "rows" }
            ),
        );
    }
    for (t, row) in matrix.iter().enumerate() {
        if row.len() != classes {
            return problem(
                Place::Row(t),
                format!(
                    "{} {}, expected {classes} (one per class)",
                    row.len(),
                    if row.len() == 1 { "entry" } else { "entries" }
                ),
            );
        }
        for (k, &value) in row.iter().enumerate() {
            if !valid(value) {
                return problem(Place::Entry(t, k), format!("{value}, expected {expected}"));
            }
            if t == k && value != 0.0 {
                return problem(
                    Place::Entry(t, k),
                    format!("{value}, expected 0 on the diagonal"),
                );
            }
        }
    }
    Ok(())
}

/// Whether a cost is usable: finite and >= 0.
#[must_use]
pub fn valid_cost(cost: f64) -> bool {
    cost.is_finite() && cost >= 0.0
}

/// What a cost is expected to be, for messages.
pub const EXPECTED_COST: &str = "a finite cost >= 0";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_problem_is_named_where_it_is() {
        let check = |m: &[Vec<f64>]| check_square(m, 2, valid_cost, EXPECTED_COST);
        assert_eq!(check(&[vec![0.0, 1.0], vec![2.0, 0.0]]), Ok(()));
        assert_eq!(check(&[vec![0.0, 1.0]]).unwrap_err().place, Place::Matrix);
        let row = check(&[vec![0.0, 1.0], vec![2.0]]).unwrap_err();
        assert_eq!(row.place, Place::Row(1));
        assert_eq!(row.problem, "1 entry, expected 2 (one per class)");
        let negative = check(&[vec![0.0, -1.0], vec![2.0, 0.0]]).unwrap_err();
        assert_eq!(negative.place, Place::Entry(0, 1));
        assert_eq!(negative.problem, "-1, expected a finite cost >= 0");
        let diagonal = check(&[vec![0.0, 1.0], vec![2.0, 3.0]]).unwrap_err();
        assert_eq!(diagonal.place, Place::Entry(1, 1));
        assert_eq!(diagonal.problem, "3, expected 0 on the diagonal");
        for bad in [f64::NAN, f64::INFINITY] {
            let error = check(&[vec![0.0, 1.0], vec![bad, 0.0]]).unwrap_err();
            assert_eq!(error.place, Place::Entry(1, 0));
        }
        assert_eq!(Place::Entry(1, 0).suffix(), "[1][0]");
    }
}
