//! The scenario list with its filter and marks, and the Weights and Loss & export tabs.

use eframe::egui::{self, Key, Modifiers, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use weightbench::app::WeightbenchApp;

use crate::support::{harness, list_shows, notebook, set_slider, set_value, shortcut};

#[test]
fn the_window_opens_on_the_notebook_with_every_case_listed() {
    let (harness, _) = harness();
    for scenario in &notebook().scenarios {
        assert!(list_shows(&harness, &scenario.name), "{}", scenario.name);
        // ... and each has its curve in the plot's legend.
        harness.get_by_role_and_label(Role::CheckBox, &scenario.name);
    }
    harness.get_by_label("3.960060"); // case 11's loss in the list
    assert_eq!(
        harness.state().title(),
        "Notebook: rare objects in debris — not saved to a file — weightbench"
    );
}

#[test]
fn the_filter_shows_debris_cases_or_misclassified_ones() {
    let (mut harness, _) = harness();
    harness.get_by_label("truth is debris").click();
    harness.run();
    let shown = |harness: &Harness<'_, WeightbenchApp>| -> Vec<usize> {
        (0..11)
            .filter(|&i| list_shows(harness, &notebook().scenarios[i].name))
            .collect()
    };
    assert_eq!(
        shown(&harness),
        [3, 9, 10],
        "cases 4, 10 and 11 are debris samples"
    );
    harness.get_by_label("misclassified").click();
    harness.run();
    assert_eq!(
        shown(&harness),
        [9, 10],
        "cases 10 and 11 are debris called class1"
    );
    harness.get_by_label("all").click();
    harness.run();
    assert_eq!(shown(&harness).len(), 11);
    assert_eq!(
        harness.query_all_by_label("FP").count(),
        2,
        "both debris-called-class1 cases are marked"
    );
}

#[test]
fn a_rare_object_predicted_as_debris_is_marked_fn() {
    let (mut harness, _) = harness();
    assert_eq!(harness.query_all_by_label("FN").count(), 0);
    set_value(&mut harness, "logit of class4 (debris)", 20.0); // case 1 is selected
    assert_eq!(harness.state().evaluation().scenarios[0].predicted, 3);
    assert_eq!(harness.query_all_by_label("FN").count(), 1);
}

#[test]
fn a_weighting_scheme_is_applied_as_one_undo_step() {
    let (mut harness, _) = harness();
    harness.get_by_label("Weights").click();
    harness.run();
    harness.get_by_label("apply inverse").click();
    harness.run();
    assert_eq!(
        harness.state().preset().weights(),
        [0.7942307692307692, 20.65, 3.6875, 0.413]
    );
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().preset(), &notebook());
    // beta moves the effective-number column, and applying it uses the new beta.
    set_slider(&mut harness, "beta", 0.0);
    harness.get_by_label("apply effective").click();
    harness.run();
    assert_eq!(
        harness.state().preset().weights(),
        [1.0; 4],
        "beta 0 is uniform"
    );
}

#[test]
fn label_smoothing_changes_every_loss_and_warns_where_it_fights_the_weights() {
    let (mut harness, _) = harness();
    harness.get_by_label("Loss & export").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("work against each other")
            .is_none()
    );
    set_slider(&mut harness, "label smoothing", 0.1);
    let app = harness.state();
    assert_eq!(app.preset().loss.label_smoothing, 0.1);
    assert!((app.evaluation().scenarios[10].loss - 11.08817158449916).abs() < 1e-12);
    harness.get_by_label("11.088172"); // the list shows it at once
    // Debris (weight 0.4) against class2 (weight 26): w t = [0.02, 0.65, 0.1, 0.37] / 1.14.
    harness.get_by_label(
        "With label smoothing 0.1, a class4 (debris) sample's loss is lowest when the model puts 57.0 % \
         on class2 and only 32.5 % on class4 (debris): the weights and the smoothing work against each other.",
    );
    assert_eq!(
        harness
            .query_all_by_label_contains("work against each other")
            .count(),
        1
    );
    // The comparison plot's legend names each form with its value.
    harness.get_by_role_and_label(Role::CheckBox, "label smoothing 0.1");
    harness.get_by_role_and_label(Role::CheckBox, "cross-entropy");
}

#[test]
fn focal_loss_with_label_smoothing_is_refused_with_a_reason() {
    let (mut harness, _) = harness();
    harness.get_by_label("Loss & export").click();
    harness.run();
    set_slider(&mut harness, "label smoothing", 0.1);
    set_slider(&mut harness, "focal gamma", 2.0);
    assert_eq!(harness.state().preset().loss.focal_gamma, 0.0);
    let notice = harness.state().notice().unwrap();
    assert!(
        notice.is_error
            && notice
                .text
                .contains("no library defines focal loss with label smoothing")
    );
}

#[test]
fn export_copies_the_exact_snippet() {
    let (mut harness, _) = harness();
    harness.get_by_label("Loss & export").click();
    harness.run();
    harness.get_by_label("Copy PyTorch").click();
    harness.step();
    let copied =
        harness
            .output()
            .platform_output
            .commands
            .iter()
            .find_map(|command| match command {
                egui::OutputCommand::CopyText(text) => Some(text.clone()),
                _ => None,
            });
    assert_eq!(
        copied.as_deref(),
        Some("torch.nn.CrossEntropyLoss(weight=torch.tensor([0.8, 26.0, 4.0, 0.4]))")
    );
    harness.get_by_label("torch.nn.CrossEntropyLoss(weight=torch.tensor([0.8, 26.0, 4.0, 0.4]))");
}
