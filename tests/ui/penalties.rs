//! The Penalty matrix and FP vs FN tabs: cells, margins, the decision rule and where trades even out.

use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;

use crate::support::{harness, notebook, set_value, settle, shortcut, table_rows};

#[test]
fn a_penalty_cell_click_creates_then_selects_its_scenario() {
    let (mut harness, _) = harness();
    harness.get_by_label("Penalty matrix").click();
    settle(&mut harness);
    harness
        .get_by_label("penalty class4 (debris) called class2")
        .click();
    settle(&mut harness);
    let app = harness.state();
    assert_eq!(app.preset().scenarios.len(), 12);
    let created = &app.preset().scenarios[11];
    assert_eq!(
        (created.name.as_str(), created.truth),
        ("class4 (debris) called class2 at 90 %", 3)
    );
    assert_eq!(app.selected(), Some(11));
    let sample = &app.evaluation().unwrap().scenarios[11];
    assert_eq!(sample.predicted, 1);
    assert!((sample.probabilities[1] - 0.9).abs() < 1e-12);
    let cell = -0.4 * (0.1f64 / 3.0).ln(); // -w_debris ln((1 - q) / (C - 1))
    assert!(
        (sample.loss - cell).abs() < 1e-12,
        "the cell's value: {}",
        sample.loss
    );
    // A second click selects the scenario instead of creating another.
    harness.get_by_label("New scenario").hover();
    harness
        .get_by_label("penalty class4 (debris) called class2")
        .click();
    settle(&mut harness);
    assert_eq!(harness.state().preset().scenarios.len(), 12);
}

#[test]
fn a_margin_raises_its_cell_most_and_touches_no_other_row() {
    let (mut harness, _) = harness();
    harness.get_by_label("Penalty matrix").click();
    settle(&mut harness);
    set_value(&mut harness, "margin class4 (debris) called class2", 1.0);
    let preset = harness.state().preset();
    assert_eq!(preset.margins[3][1], 1.0);
    let after = weightbench::core::cases::penalties::PenaltyMatrix::of(preset, 0.9).unwrap();
    let before = weightbench::core::cases::penalties::PenaltyMatrix::of(&notebook(), 0.9).unwrap();
    for t in 0..3 {
        assert_eq!(after.matrix[t], before.matrix[t]);
    }
    assert!(
        after.matrix[3][1] - before.matrix[3][1]
            > 10.0 * (after.matrix[3][0] - before.matrix[3][0])
    );
    // A debris sample called class2 at 90 % (0.1 / 3 on each other class), with the margin 1
    // on class2: 0.4 ln(1 + e^(1 + ln 27) + 1 + 1).
    let expected = 0.4 * (3.0 + (1.0 + 27f64.ln()).exp()).ln();
    assert!(
        (after.matrix[3][1] - expected).abs() < 1e-12 * expected,
        "{} vs {expected}",
        after.matrix[3][1]
    );
    assert!(
        harness
            .query_by_label_contains("Every row is constant")
            .is_none(),
        "no longer constant"
    );
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().preset(), &notebook());
}

#[test]
fn the_decision_rule_and_the_post_hoc_correction() {
    let (mut harness, _) = harness();
    harness.get_by_label("Penalty matrix").click();
    settle(&mut harness);
    harness.get_by_label(
        "a sample is called class2 rather than class4 (debris) when p(class2) / p(class4 (debris)) > \
         w_class4 (debris) / w_class2 = 0.015",
    );
    // 0.4 / 0.8 and 0.4 / 4 for the other two rare classes.
    harness.get_by_label(
        "a sample is called class1 rather than class4 (debris) when p(class1) / p(class4 (debris)) > \
         w_class4 (debris) / w_class1 = 0.500",
    );
    harness.get_by_label(
        "a sample is called class3 rather than class4 (debris) when p(class3) / p(class4 (debris)) > \
         w_class4 (debris) / w_class3 = 0.100",
    );
    // ln 0.8, ln 26, ln 4, ln 0.4.
    for shift in [
        "  class1: ln w = -0.223",
        "  class2: ln w = +3.258",
        "  class3: ln w = +1.386",
        "  class4 (debris): ln w = -0.916",
    ] {
        harness.get_by_label(shift);
    }
    harness
        .get_by_label("post-hoc correction: subtract ln w_c at inference")
        .click();
    settle(&mut harness);
    // Case 10: logits [10, 0.1, 0.1, 5] minus ln w = [-0.22, 3.26, 1.39, -0.92]: 10.22 vs 5.92, still class1.
    harness.get_by_label("No scenario would change its predicted class.");
    set_value(&mut harness, "weight of class1", 200.0); // ln 200 = 5.3: case 10 becomes debris
    harness.get_by_label("case 10: debris called class1, debris second: class1 -> class4 (debris)");
    harness.get_by_label("  class1: ln w = +5.298");
    // Every class1 prediction now loses 5.30: z - ln w = [10 - 5.30, z_2 - 3.26, z_3 - 1.39, z_4 + 0.92]
    // leaves class1 only where the others are at 0.1 (cases 1, 6 and 11).
    let changes: Vec<String> = harness
        .query_all_by_label_contains(" -> ")
        .filter_map(|node| node.value())
        .collect();
    assert_eq!(
        changes,
        [
            "case 5: class1 right, class2 close behind: class1 -> class2",
            "case 7: class1 right, class2 and class3 up: class1 -> class2",
            "case 8: class1 right, every other class up: class1 -> class4 (debris)",
            "case 9: class1 barely right: class1 -> class4 (debris)",
            "case 10: debris called class1, debris second: class1 -> class4 (debris)",
        ]
    );
}

#[test]
fn the_balance_table_gives_each_rare_class_the_debris_weights_where_its_trade_evens_out() {
    let (mut harness, _) = harness();
    harness.get_by_label("FP vs FN").click();
    settle(&mut harness);
    // Plain cross-entropy at confidence q puts q on the predicted class and (1 - q) / (C - 1)
    // on each other, so a debris sample called c costs w_debris L and a c sample called debris
    // costs w_c L, with the same L = -ln((1 - q) / (C - 1)). Per sample they even out at
    // w_debris = w_c; times the counts (n_debris = 500, n_c) at w_debris = n_c w_c / 500.
    let headers = [
        "class",
        "evens out at debris weight (per sample)",
        "(× class counts)",
    ];
    assert_eq!(
        table_rows(&harness, &headers),
        [
            ["class1", "0.8000", "0.4160"],  // 260 × 0.8 / 500
            ["class2", "26.0000", "0.5200"], // 10 × 26 / 500
            ["class3", "4.0000", "0.4480"],  // 56 × 4 / 500
        ]
    );
    // The legend above the plot names each rare class.
    harness.get_by_label("legend: class2");
    // The table follows the weights: class2 at 13 evens out at 13 per sample, 10 × 13 / 500 by count.
    set_value(&mut harness, "weight of class2", 13.0);
    assert_eq!(
        table_rows(&harness, &headers)[1],
        ["class2", "13.0000", "0.2600"]
    );
}
