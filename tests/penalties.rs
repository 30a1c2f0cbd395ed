//! Issue 5's core: the penalty matrix against its closed forms, and pairwise margins against
//! the `ln(1 + sum exp)` form, plain cross-entropy, and finite differences.
#![allow(
    clippy::unwrap_used,
    reason = "a test that cannot unwrap should fail loudly, right there"
)]
#![allow(
    clippy::float_cmp,
    reason = "exact equality is what these tests assert"
)]

mod common;

use common::relative_error;
use proptest::prelude::*;
use weightbench::core::loss::sample_loss;
use weightbench::core::penalties::{PenaltyError, PenaltyMatrix};
use weightbench::core::{Edit, Evaluation, LossOptions, Preset, ValidationError};

fn notebook() -> Preset {
    Preset::notebook().unwrap()
}

#[test]
fn plain_cross_entropy_matrix_is_its_closed_form() {
    let preset = notebook();
    let q = 0.9;
    let penalties = PenaltyMatrix::of(&preset, q).unwrap();
    for (t, row) in penalties.matrix.iter().enumerate() {
        let w = preset.classes[t].weight;
        for (k, &loss) in row.iter().enumerate() {
            let expected = if t == k {
                -w * q.ln()
            } else {
                -w * ((1.0 - q) / 3.0).ln()
            };
            assert!(
                relative_error(loss, expected) < 1e-12,
                "({t}, {k}): {loss} vs {expected}"
            );
            let weighted = penalties.count_weighted[t][k];
            assert!(relative_error(weighted, preset.classes[t].count as f64 * expected) < 1e-12);
        }
    }
    // The example: a debris sample called class2 at 90 % costs 1.36.
    assert_eq!(format!("{:.2}", penalties.matrix[3][1]), "1.36");
    assert!(penalties.rows_constant_off_diagonal());
}

#[test]
fn label_smoothing_matrix_is_its_closed_form() {
    let mut preset = notebook();
    preset.loss = LossOptions {
        label_smoothing: 0.1,
        ..LossOptions::default()
    };
    let (q, eps, classes) = (0.8, 0.1, 4.0);
    let penalties = PenaltyMatrix::of(&preset, q).unwrap();
    let weights = preset.weights();
    for t in 0..4 {
        for k in 0..4 {
            let p = |c: usize| if c == k { q } else { (1.0 - q) / 3.0 };
            let expected = (1.0 - eps) * (-weights[t] * p(t).ln())
                + eps / classes * (0..4).map(|c| -weights[c] * p(c).ln()).sum::<f64>();
            assert!(
                relative_error(penalties.matrix[t][k], expected) < 1e-12,
                "({t}, {k})"
            );
        }
    }
    assert!(
        !penalties.rows_constant_off_diagonal(),
        "smoothing weighs the other classes' logs"
    );
}

#[test]
fn the_confidence_must_be_a_probability() {
    for q in [0.0, 1.0, -0.5, f64::NAN] {
        assert!(
            matches!(
                PenaltyMatrix::of(&notebook(), q),
                Err(PenaltyError::Confidence(_))
            ),
            "{q}"
        );
    }
}

fn with_margins(margins: Vec<Vec<f64>>) -> Preset {
    Preset {
        margins,
        ..notebook()
    }
}

#[test]
fn zero_margins_reproduce_plain_cross_entropy() {
    let plain = Evaluation::of(&notebook()).unwrap();
    let zeros = Evaluation::of(&with_margins(vec![vec![0.0; 4]; 4])).unwrap();
    for (a, b) in plain.scenarios.iter().zip(&zeros.scenarios) {
        assert!(relative_error(b.loss, a.loss) < 1e-12);
    }
}

#[test]
fn a_debris_margin_raises_its_row_most_in_its_own_cell_and_leaves_other_rows() {
    let mut margins = vec![vec![0.0; 4]; 4];
    margins[3][1] = 1.0; // debris called class2
    let plain = PenaltyMatrix::of(&notebook(), 0.9).unwrap();
    let marked = PenaltyMatrix::of(&with_margins(margins), 0.9).unwrap();
    for t in 0..3 {
        assert_eq!(plain.matrix[t], marked.matrix[t], "row {t} is untouched");
    }
    let rise: Vec<f64> = (0..4)
        .map(|k| marked.matrix[3][k] - plain.matrix[3][k])
        .collect();
    // Debris called class2 rises most; the rest of the row rises by one small equal amount,
    // since the margin also enters every debris sample's softmax denominator.
    assert!(rise[1] > 10.0 * rise[0], "{rise:?}");
    for k in [0, 2, 3] {
        assert!(
            rise[k] > 0.0 && (rise[k] - rise[0]).abs() < 1e-12,
            "{rise:?}"
        );
    }
    // Closed form: w ln(1 + sum_k exp(m_k + z_k - z_y)) with p = (q on class2, 0.1/3 elsewhere).
    let (q, rest) = (0.9f64, 0.1f64 / 3.0);
    let expected = 0.4 * (1.0 + (1.0 + (q / rest).ln()).exp() + 1.0 + 1.0).ln();
    assert!(relative_error(marked.matrix[3][1], expected) < 1e-12);
}

#[test]
fn margins_are_validated_with_their_place() {
    let cases = [
        (
            vec![vec![0.0; 4]; 3],
            "margins: 3 rows, expected 4 (one per class)",
        ),
        (
            vec![vec![0.0; 4], vec![0.0; 3], vec![0.0; 4], vec![0.0; 4]],
            "margins[1]: 3 entries, expected 4 (one per class)",
        ),
        (
            {
                let mut m = vec![vec![0.0; 4]; 4];
                m[2][2] = 0.5;
                m
            },
            "margins[2][2]: 0.5, expected 0 on the diagonal",
        ),
    ];
    for (margins, message) in cases {
        let error = with_margins(margins).validate().unwrap_err();
        assert!(matches!(error, ValidationError::Margins { .. }));
        assert_eq!(error.to_string(), message);
    }
}

#[test]
fn class_edits_carry_the_margins() {
    let mut margins = vec![vec![0.0; 4]; 4];
    margins[3][1] = 2.0;
    let mut preset = with_margins(margins);
    preset.apply(Edit::AddClass).unwrap();
    assert_eq!(
        (
            preset.margins.len(),
            preset.margins[4].len(),
            preset.margins[3][1]
        ),
        (5, 5, 2.0)
    );
    preset.apply(Edit::MoveClass { from: 1, to: 0 }).unwrap();
    assert_eq!(
        preset.margins[3][0], 2.0,
        "the class2 column moved with class2"
    );
    preset.apply(Edit::RemoveClass(4)).unwrap();
    assert_eq!(preset.margins.len(), 4);
    assert!(preset.validate().is_ok());
}

fn margin_case() -> impl Strategy<Value = (Vec<f64>, usize, Vec<f64>, Vec<f64>)> {
    (2usize..6).prop_flat_map(|classes| {
        (
            prop::collection::vec(-6.0..6.0f64, classes),
            0..classes,
            prop::collection::vec(0.1..10.0f64, classes),
            prop::collection::vec(-2.0..2.0f64, classes),
        )
    })
}

proptest! {
    #[test]
    fn margins_match_the_log_sum_exp_form_and_finite_differences((logits, truth, weights, mut row) in margin_case()) {
        row[truth] = 0.0;
        let options = LossOptions::default();
        let sample = sample_loss(&logits, truth, &weights, &row, &options).unwrap();
        let sum: f64 = (0..logits.len())
            .filter(|&k| k != truth)
            .map(|k| (row[k] + logits[k] - logits[truth]).exp())
            .sum();
        let expected = weights[truth] * sum.ln_1p();
        prop_assert!(relative_error(sample.loss, expected) < 1e-12, "{} vs {}", sample.loss, expected);
        let h = 1e-6;
        for k in 0..logits.len() {
            let (mut up, mut down) = (logits.clone(), logits.clone());
            up[k] += h;
            down[k] -= h;
            let loss = |z: &[f64]| sample_loss(z, truth, &weights, &row, &options).unwrap().loss;
            let numeric = (loss(&up) - loss(&down)) / (2.0 * h);
            prop_assert!((numeric - sample.gradient[k]).abs() <= 1e-6 * (1.0 + weights[truth]));
        }
    }
}
