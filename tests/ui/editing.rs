//! Editing classes, weights, logits and scenarios, and undoing it.

use eframe::egui::{self, Key, Modifiers, accesskit::Role};
use egui_kittest::kittest::Queryable as _;

use crate::common::{EXACT_BATCH_SUM, NOTEBOOK_CASES, relative_error};
use crate::support::{
    SHIFT_COMMAND, full_class_editor, harness, is_checked, notebook, rows_marked, set_value,
    settle, shortcut,
};

#[test]
fn raising_the_debris_weight_to_1_moves_case_11_from_3_96_to_9_90() {
    let (mut harness, _) = harness();
    set_value(&mut harness, "weight of class4 (debris)", 1.0);
    let app = harness.state();
    assert_eq!(app.preset().classes[3].weight, 1.0);
    let case_11 = &app.evaluation().unwrap().scenarios[10];
    assert!(
        (case_11.loss - 9.900150512718561).abs() < 1e-12,
        "{}",
        case_11.loss
    );
    harness.get_by_label("9.900151");
    assert!(
        harness.query_by_label("3.960060").is_none(),
        "the list shows the new loss"
    );
    // The batch curve moves with the weights of the other classes, not with the debris weight.
    let before = weightbench::core::Sweep::run(&notebook(), &notebook().sweep).unwrap();
    assert_eq!(app.sweep().unwrap().batch_mean, before.batch_mean);
    assert!(
        app.title().starts_with("* "),
        "unsaved marker: {}",
        app.title()
    );
}

#[test]
fn a_class_weight_changes_scenario_losses_and_the_plot_curves() {
    let (mut harness, _) = harness();
    let before = harness.state().sweep().unwrap().clone();
    set_value(&mut harness, "weight of class2", 13.0);
    let app = harness.state();
    assert!(
        (app.evaluation().unwrap().scenarios[1].loss - 0.003913330682585803 / 2.0).abs() < 1e-15
    );
    let (old, new) = (
        &before.scenarios[1].loss,
        &app.sweep().unwrap().scenarios[1].loss,
    );
    assert_eq!(old.len(), new.len());
    assert!(
        old.iter()
            .zip(new)
            .all(|(a, b)| (a / 2.0 - b).abs() < 1e-15),
        "case 2's curve halves"
    );
    assert_eq!(
        before.scenarios[0].loss,
        app.sweep().unwrap().scenarios[0].loss,
        "case 1's curve stays"
    );
    assert_ne!(
        before.batch_mean,
        app.sweep().unwrap().batch_mean,
        "the batch mean curve moves"
    );
    // The batch mean at each debris weight v, from the exact losses: case 2's halves, the
    // debris cases' (4, 10 and 11) scale with v / 0.4, and the true classes' weights sum to
    // 6 × 0.8 + 13 + 4 + 3 v.
    let loss = |case: usize| NOTEBOOK_CASES[case - 1].exact_loss;
    let debris_losses = loss(4) + loss(10) + loss(11);
    let other_losses = EXACT_BATCH_SUM - debris_losses - loss(2) / 2.0;
    let (grid, batch_mean) = (
        &app.sweep().unwrap().debris_weight,
        &app.sweep().unwrap().batch_mean,
    );
    assert_eq!(grid.len(), batch_mean.len());
    for (&v, mean) in grid.iter().zip(batch_mean) {
        let expected = (other_losses + v / 0.4 * debris_losses) / (21.8 + 3.0 * v);
        let mean = mean.unwrap();
        assert!(
            relative_error(mean, expected) < 1e-12,
            "at debris weight {v}: {mean} vs {expected}"
        );
    }
    harness.get_by_label(&format!(
        "mean {:.6}",
        (EXACT_BATCH_SUM - loss(2) / 2.0) / 23.0
    ));
}

#[test]
fn selecting_a_scenario_and_editing_a_logit_updates_its_loss_and_prediction() {
    let (mut harness, _) = harness();
    harness
        .get_by_role_and_label(Role::Button, "case 5: class1 right, class2 close behind")
        .click();
    settle(&mut harness);
    assert_eq!(harness.state().selected(), Some(4));
    set_value(&mut harness, "logit of class2", 10.0);
    let app = harness.state();
    assert_eq!(app.preset().scenarios[4].logits, [10.0, 10.0, 0.1, 0.1]);
    let sample = &app.evaluation().unwrap().scenarios[4];
    // Truth class1 tied with class2: 0.8 * ln(2 + 2 e^-9.9).
    assert!(
        (sample.loss - 0.5545578831866355).abs() < 1e-14,
        "{}",
        sample.loss
    );
    assert_eq!(sample.predicted, 0, "a tie predicts the first class");
    set_value(&mut harness, "logit of class2", 11.0);
    assert_eq!(
        harness.state().evaluation().unwrap().scenarios[4].predicted,
        1
    );
}

#[test]
fn scenarios_are_added_renamed_and_deleted() {
    let (mut harness, _) = harness();
    harness.get_by_label("New scenario").click();
    settle(&mut harness);
    assert_eq!(harness.state().preset().scenarios.len(), 12);
    assert_eq!(harness.state().selected(), Some(11));
    harness.get_by_label("scenario name").focus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_label("scenario name")
        .type_text("debris called class3");
    settle(&mut harness);
    assert_eq!(
        harness.state().preset().scenarios[11].name,
        "debris called class3"
    );
    harness.get_by_label("Duplicate").click();
    settle(&mut harness);
    assert_eq!(
        harness.state().preset().scenarios[12].name,
        "debris called class3 (copy)"
    );
    harness.get_by_label("Delete").click();
    settle(&mut harness);
    harness.get_by_label("Delete").click();
    settle(&mut harness);
    assert_eq!(harness.state().preset().scenarios, notebook().scenarios);
}

#[test]
fn undo_and_redo_walk_the_edits() {
    let (mut harness, _) = harness();
    set_value(&mut harness, "weight of class4 (debris)", 1.0);
    set_value(&mut harness, "weight of class1", 2.0);
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().preset().weights(), [0.8, 26.0, 4.0, 1.0]);
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().preset(), &notebook());
    assert!(!harness.state().has_unsaved_changes());
    shortcut(&mut harness, SHIFT_COMMAND, Key::Z);
    assert_eq!(harness.state().preset().weights(), [0.8, 26.0, 4.0, 1.0]);
    shortcut(&mut harness, SHIFT_COMMAND, Key::Z);
    assert_eq!(harness.state().preset().weights(), [2.0, 26.0, 4.0, 1.0]);
    shortcut(&mut harness, SHIFT_COMMAND, Key::Z); // nothing left to redo
    assert_eq!(harness.state().preset().weights(), [2.0, 26.0, 4.0, 1.0]);
    // A new edit after an undo drops what could have been redone.
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    set_value(&mut harness, "weight of class3", 5.0);
    shortcut(&mut harness, SHIFT_COMMAND, Key::Z);
    assert_eq!(harness.state().preset().weights(), [0.8, 26.0, 5.0, 1.0]);
}

#[test]
fn one_drag_of_a_weight_is_one_undo_step() {
    let (mut harness, _) = harness();
    let center = harness.get_by_label("weight of class1").rect().center();
    harness.drag_at(center);
    settle(&mut harness);
    for step in 1..=6 {
        harness.hover_at(center + egui::vec2(12.0 * step as f32, 0.0));
        settle(&mut harness);
    }
    harness.drop_at(center + egui::vec2(72.0, 0.0));
    settle(&mut harness);
    let dragged = harness.state().preset().classes[0].weight;
    assert!(dragged > 0.8, "the drag raised the weight: {dragged}");
    assert_eq!(dragged, 1.52, "72 points at the field's 0.01 per point");
    set_value(&mut harness, "weight of class2", 20.0);
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().preset().classes[0].weight, dragged);
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(
        harness.state().preset(),
        &notebook(),
        "one undo takes back the whole drag"
    );
}

#[test]
fn removing_a_class_that_is_a_truth_is_refused_with_the_scenarios_named() {
    let (mut harness, _) = harness();
    full_class_editor(&mut harness);
    harness.get_by_label("remove class2").click();
    settle(&mut harness);
    assert_eq!(harness.state().preset(), &notebook());
    let message = "cannot remove class \"class2\": it is the truth of scenario \"case 2: class2 right, confident\"; \
                   change their truth or delete them first";
    assert_eq!(harness.state().notice().unwrap().text, message);
    harness.get_by_label(message);
}

#[test]
fn adding_and_reordering_classes_carries_the_logits() {
    let (mut harness, _) = harness();
    full_class_editor(&mut harness);
    harness.get_by_label("Add class").click();
    settle(&mut harness);
    assert!(
        harness
            .state()
            .preset()
            .scenarios
            .iter()
            .all(|s| s.logits.len() == 5)
    );
    let (before, after) = (notebook(), harness.state().preset());
    assert_eq!(after.scenarios.len(), before.scenarios.len());
    for (new, old) in after.scenarios.iter().zip(&before.scenarios) {
        assert_eq!(
            new.logits,
            [&old.logits[..], &[0.0]].concat(),
            "{}",
            new.name
        );
    }
    harness.get_by_label("move class1 down").click();
    settle(&mut harness);
    let preset = harness.state().preset();
    assert_eq!(preset.classes[1].name, "class1");
    assert_eq!(preset.scenarios[0].logits, [0.1, 10.0, 0.1, 0.1, 0.0]);
    assert_eq!(preset.scenarios[0].truth, 1);
    let names: Vec<&str> = preset.classes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["class2", "class1", "class3", "class4 (debris)", "class5"]
    );
    assert_eq!(preset.debris, 3, "debris moved with its class");
    assert!(is_checked(&harness, "class4 (debris) is debris"));
    for name in ["class2", "class1", "class3", "class5"] {
        assert!(
            !is_checked(&harness, &format!("{name} is debris")),
            "{name}"
        );
    }
}

#[test]
fn choosing_another_debris_class_moves_the_marks_and_the_sweep() {
    let (mut harness, _) = harness();
    harness.get_by_label("class1 is debris").click();
    settle(&mut harness);
    let app = harness.state();
    assert_eq!(app.preset().debris, 0);
    assert!(is_checked(&harness, "class1 is debris"));
    assert!(!is_checked(&harness, "class4 (debris) is debris"));
    // Now class1's weight is the one swept: case 1's curve moves, case 11's does not.
    let sweep = app.sweep().unwrap();
    assert_ne!(sweep.scenarios[0].loss[0], sweep.scenarios[0].loss[200]);
    assert_eq!(sweep.scenarios[10].loss[0], sweep.scenarios[10].loss[200]);
    // Case 1 (a class1 sample) costs its weight times -ln p: nothing at weight 0, and at
    // weight 2 two and a half times its loss at the notebook's 0.8.
    assert_eq!(
        (sweep.debris_weight[0], sweep.debris_weight[200]),
        (0.0, 2.0)
    );
    let case_1 = &sweep.scenarios[0].loss;
    assert_eq!(case_1[0], 0.0);
    let at_2 = 2.0 / 0.8 * NOTEBOOK_CASES[0].exact_loss;
    assert!(relative_error(case_1[200], at_2) < 1e-12, "{}", case_1[200]);
    // Case 11 (a class4 sample) keeps its notebook loss at every class1 weight.
    for &loss in &sweep.scenarios[10].loss {
        assert!(
            relative_error(loss, NOTEBOOK_CASES[10].exact_loss) < 1e-12,
            "{loss}"
        );
    }
    // Cases 10 and 11 (truth class4, predicted class1) are now rare objects called debris.
    assert_eq!(harness.query_all_by_label("FN").count(), 2);
    assert_eq!(harness.query_all_by_label("FP").count(), 0);
    assert_eq!(
        rows_marked(&harness, "FN"),
        [
            "case 10: debris called class1, debris second",
            "case 11: debris called class1, confident"
        ]
    );
}
