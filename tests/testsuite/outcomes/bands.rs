//! Bootstrap bands of the outcomes: the same bands for the same seed, cancelled when asked, and
//! each band holding its point estimate with about the binomial width.
use super::*;

struct SweepCase {
    data: ValidationData,
    basis: ShiftBasis,
    sweep: DebrisSweep,
    grid: Vec<f64>,
}

fn sweep_case(samples: usize) -> SweepCase {
    let data = random_data(11, samples, 4, true, false);
    let basis = ShiftBasis::new(vec![1.0, 5.0, 3.0, 0.5]);
    let rule = DecisionRule::new(&basis, &[1.0, 5.0, 3.0, 0.5], 1.0, 3);
    let sweep = DebrisSweep::new(&data, &rule, 3);
    let grid = (0..41).map(|k| 0.05 * f64::from(k)).collect();
    SweepCase {
        data,
        basis,
        sweep,
        grid,
    }
}

#[test]
fn the_bootstrap_is_deterministic_and_cancellable() {
    let case = sweep_case(2_000);
    let options = BootstrapOptions::default();
    let mut calls = Vec::new();
    let first = bootstrap(
        &case.sweep,
        &case.basis,
        &case.grid,
        &options,
        &mut |done| {
            calls.push(done);
            true
        },
    )
    .unwrap();
    assert_eq!(calls.len(), 200);
    assert_eq!(calls.last(), Some(&1.0));
    let again = bootstrap(&case.sweep, &case.basis, &case.grid, &options, &mut |_| {
        true
    });
    assert_eq!(again.as_ref(), Some(&first));
    let other_seed = BootstrapOptions { seed: 1, ..options };
    let other = bootstrap(
        &case.sweep,
        &case.basis,
        &case.grid,
        &other_seed,
        &mut |_| true,
    );
    assert_ne!(other.as_ref(), Some(&first));
    let mut left = 3;
    let cancelled = bootstrap(&case.sweep, &case.basis, &case.grid, &options, &mut |_| {
        left -= 1;
        left > 0
    });
    assert_eq!((cancelled, left), (None, 0));
}

#[test]
fn bands_hold_the_point_estimate_and_have_the_binomial_width() {
    let case = sweep_case(5_000);
    let options = BootstrapOptions {
        resamples: 1_000,
        seed: 5,
    };
    let bands = bootstrap(&case.sweep, &case.basis, &case.grid, &options, &mut |_| {
        true
    })
    .unwrap();
    let curve = case.sweep.curve(&case.basis, &case.grid);
    let (mut inside, mut entries, mut wide) = (0usize, 0usize, 0usize);
    for k in 0..case.grid.len() {
        for c in 0..4 {
            for (point, p10, p90) in [
                (
                    curve.false_positives_from_debris[k][c],
                    bands.false_positives_from_debris_p10[k][c],
                    bands.false_positives_from_debris_p90[k][c],
                ),
                (
                    curve.false_negatives_to_debris[k][c],
                    bands.false_negatives_to_debris_p10[k][c],
                    bands.false_negatives_to_debris_p90[k][c],
                ),
            ] {
                entries += 1;
                inside += usize::from(p10 <= point as f64 && point as f64 <= p90);
                // A count of m out of N resamples as Binomial(N, m / N): the 10-90 band spans
                // 2.563 standard deviations.
                if point >= 100 {
                    wide += 1;
                    let n = case.data.samples() as f64;
                    let q = point as f64 / n;
                    let width = 2.563 * (n * q * (1.0 - q)).sqrt();
                    assert!(
                        ((p90 - p10) / width - 1.0).abs() < 0.2,
                        "{p10}..{p90} vs {width}"
                    );
                }
            }
        }
    }
    assert!(
        inside as f64 >= 0.95 * entries as f64,
        "{inside} of {entries}"
    );
    assert!(wide >= 20, "only {wide} counts of 100 or more");
}
