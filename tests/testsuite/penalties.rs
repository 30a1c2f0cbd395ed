//! The penalty matrix against its closed forms, and pairwise margins against
//! the `ln(1 + sum exp)` form, plain cross-entropy, and finite differences.

use crate::common;

use common::relative_error;
use proptest::prelude::*;
use weightbench::core::cases::penalties::{PenaltyError, PenaltyMatrix};
use weightbench::core::loss::sample_loss;
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
    assert_eq!(plain.scenarios.len(), 11);
    assert_eq!(zeros.scenarios.len(), plain.scenarios.len());
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
    // Classes now class2, class1, class3, debris: only debris called class2 carries a margin.
    let mut expected = vec![vec![0.0; 4]; 4];
    expected[3][0] = 2.0;
    assert_eq!(preset.margins, expected);
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

#[test]
fn balance_points_are_their_closed_forms() {
    use weightbench::core::cases::balance::balances;
    let preset = notebook();
    let balances = balances(&preset, 0.9, &preset.sweep);
    assert_eq!(
        balances.iter().map(|b| b.class).collect::<Vec<_>>(),
        [0, 1, 2]
    );
    let r = (0.1f64 / 3.0).ln();
    for balance in &balances {
        let class = &preset.classes[balance.class];
        // Plain CE: debris called c costs -w_debris ln r, c called debris -w_c ln r.
        assert!(relative_error(balance.even_per_sample.unwrap(), class.weight) < 1e-12);
        let count_weighted = class.count as f64 * class.weight / 500.0;
        assert!(relative_error(balance.even_count_weighted.unwrap(), count_weighted) < 1e-12);
        assert!(
            relative_error(balance.debris_called_class[100], -r) < 1e-12,
            "at debris weight 1"
        );
        assert!(relative_error(balance.class_called_debris[100], -class.weight * r) < 1e-12);
    }
    assert!(relative_error(balances[1].even_count_weighted.unwrap(), 0.52) < 1e-12);
}

#[test]
fn the_decision_rule_in_words() {
    use weightbench::core::cases::shifts::decision_rule;
    assert_eq!(
        decision_rule(&notebook(), 1),
        "a sample is called class2 rather than class4 (debris) when p(class2) / p(class4 (debris)) > \
         w_class4 (debris) / w_class2 = 0.015"
    );
}

proptest! {
    #[test]
    fn weights_act_as_logit_shifts_and_the_correction_undoes_them(
        probabilities in prop::collection::vec(0.01..1.0f64, 4),
        weights in prop::collection::vec(0.05..30.0f64, 4),
    ) {
        use weightbench::core::cases::shifts::corrected_predictions;
        let argmax = |values: &[f64]| values.iter().enumerate().fold(0, |best, (c, &v)| if v > values[best] { c } else { best });
        // A model at the optimum of weighted CE outputs z_c = ln p_c + ln w_c (+ a constant).
        let logits: Vec<f64> = probabilities.iter().zip(&weights).map(|(p, w)| p.ln() + w.ln() + 3.0).collect();
        let weighted: Vec<f64> = probabilities.iter().zip(&weights).map(|(p, w)| p * w).collect();
        let mut preset = notebook();
        for (class, &w) in preset.classes.iter_mut().zip(&weights) {
            class.weight = w;
        }
        preset.scenarios.truncate(1);
        preset.scenarios[0].logits = logits.clone();
        let uncorrected = Evaluation::of(&preset).unwrap().scenarios[0].predicted;
        prop_assert_eq!(uncorrected, argmax(&weighted), "argmax w p");
        prop_assert_eq!(corrected_predictions(&preset)[0], argmax(&probabilities), "argmax p");
    }
}

#[test]
fn exports_carry_the_margins_where_they_are_in_play() {
    use weightbench::core::export::{Target, snippet};
    let mut margins = vec![vec![0.0; 4]; 4];
    let zero = with_margins(margins.clone());
    for target in Target::ALL {
        assert!(!snippet(&zero, target).contains("margins"), "{target:?}");
    }
    margins[3][1] = 1.0;
    let preset = with_margins(margins);
    let text = snippet(&preset, Target::PyTorch);
    assert!(
        text.contains("\nmargins = torch.tensor([[0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]], dtype=torch.float64)\n"),
        "{text}"
    );
    assert!(
        text.contains("\n    logits = logits + margins.to(logits)[targets]\n"),
        "{text}"
    );
    let text = snippet(&preset, Target::Keras);
    assert!(text.contains("keras.ops.matmul(y_true, "), "{text}");
    // scikit-learn takes only the weights: a note says what it leaves out.
    let text = snippet(&preset, Target::Sklearn);
    assert!(
        text.starts_with("# pairwise margins: add margins[y]"),
        "{text}"
    );
}
