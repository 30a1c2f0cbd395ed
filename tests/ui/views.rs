//! The scenario list with its filter and marks, and the Weights and Loss & export tabs.

use eframe::egui::{self, Key, Modifiers, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use weightbench::app::WeightbenchApp;
use weightbench::command::{Command, Pane};
use weightbench::core::export::Target;

use crate::common::{EXACT_BATCH_MEAN, EXACT_BATCH_SUM, NOTEBOOK_CASES};
use crate::support::{
    harness, list_shows, notebook, rows_marked, set_slider, set_value, settle, shortcut, table_rows,
};

/// The notebook's classes, in order.
const CLASS_NAMES: [&str; 4] = ["class1", "class2", "class3", "class4 (debris)"];

#[test]
fn the_window_opens_on_the_notebook_with_every_case_listed() {
    let (harness, _) = harness();
    for scenario in &notebook().scenarios {
        assert!(list_shows(&harness, &scenario.name), "{}", scenario.name);
        // ... and each has its curve in the plot's legend.
        harness.get_by_label(&format!("curve of {}", scenario.name));
    }
    harness.get_by_label("3.960060"); // case 11's loss in the list
    assert_eq!(
        harness.state().title(),
        "Notebook: rare objects in debris — not saved to a file — weightbench"
    );
    // Row by row: name, truth, predicted (the largest logit), and the loss to 6 decimals,
    // from the notebook's cases and their exact losses (mpmath).
    let names: Vec<String> = notebook().scenarios.into_iter().map(|s| s.name).collect();
    assert_eq!(names.len(), NOTEBOOK_CASES.len());
    let expected: Vec<[String; 4]> = names
        .into_iter()
        .zip(&NOTEBOOK_CASES)
        .map(|(name, case)| {
            let predicted = (0..4).fold(0, |best, c| {
                if case.logits[c] > case.logits[best] {
                    c
                } else {
                    best
                }
            });
            [
                name,
                CLASS_NAMES[case.truth].to_owned(),
                CLASS_NAMES[predicted].to_owned(),
                format!("{:.6}", case.exact_loss),
            ]
        })
        .collect();
    assert_eq!(
        table_rows(&harness, &["scenario", "truth", "predicted", "loss"]),
        expected
    );
    // The status bar sums the batch: 6.881484576953859, and PyTorch's mean divides it by 36.
    harness.get_by_label("Batch of 11 scenarios:");
    harness.get_by_label(&format!("sum {EXACT_BATCH_SUM:.6},"));
    harness.get_by_label(&format!("mean {EXACT_BATCH_MEAN:.6}"));
}

#[test]
fn the_filter_shows_debris_cases_or_misclassified_ones() {
    let (mut harness, _) = harness();
    harness.get_by_label("truth is debris").click();
    settle(&mut harness);
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
    settle(&mut harness);
    assert_eq!(
        shown(&harness),
        [9, 10],
        "cases 10 and 11 are debris called class1"
    );
    harness.get_by_label("all").click();
    settle(&mut harness);
    assert_eq!(shown(&harness), (0..11).collect::<Vec<_>>());
    assert_eq!(
        harness.query_all_by_label("FP").count(),
        2,
        "both debris-called-class1 cases are marked"
    );
    assert_eq!(
        rows_marked(&harness, "FP"),
        [
            "case 10: debris called class1, debris second",
            "case 11: debris called class1, confident"
        ]
    );
}

#[test]
fn a_rare_object_predicted_as_debris_is_marked_fn() {
    let (mut harness, _) = harness();
    assert_eq!(harness.query_all_by_label("FN").count(), 0);
    set_value(&mut harness, "logit of class4 (debris)", 20.0); // case 1 is selected
    assert_eq!(
        harness.state().evaluation().unwrap().scenarios[0].predicted,
        3
    );
    assert_eq!(harness.query_all_by_label("FN").count(), 1);
    assert_eq!(
        rows_marked(&harness, "FN"),
        ["case 1: class1 right, confident"]
    );
}

/// The Weights tab's table on the notebook: each scheme on the counts 260, 10, 56, 500 (the
/// mpmath values in `tests/testsuite/loss/family.rs` to 4 decimals), effective with beta 0.999.
#[rustfmt::skip]
const SCHEME_TABLE: [[&str; 7]; 4] = [
    // class            current    inverse    sqrt      effective  median     uniform
    ["class1",          "0.8000",  "0.7942",  "0.4457", "0.1389",  "0.6077",  "1.0000"],
    ["class2",          "26.0000", "20.6500", "2.2726", "3.1963",  "15.8000", "1.0000"],
    ["class3",          "4.0000",  "3.6875",  "0.9603", "0.5840",  "2.8214",  "1.0000"],
    ["class4 (debris)", "0.4000",  "0.4130",  "0.3214", "0.0808",  "0.3160",  "1.0000"],
];

#[test]
fn the_weights_table_shows_every_scheme_and_applying_one_is_one_undo_step() {
    let (mut harness, _) = harness();
    harness.get_by_label("Weights").click();
    settle(&mut harness);
    // The table is wider than its pane: maximised, the workspace shows all of it.
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, Command::Maximise(Some(Pane::Weights)));
    settle(&mut harness);
    assert!(harness.state().state().workspaces.is_shown(Pane::Weights));
    assert!(harness.query_by_label("Restore layout").is_some());
    let headers = [
        "class",
        "current",
        "inverse",
        "sqrt",
        "effective",
        "median",
        "uniform",
    ];
    let column = |harness: &Harness<'_, WeightbenchApp>, name: &str| -> Vec<String> {
        let index = headers.iter().position(|&h| h == name).unwrap();
        let rows = table_rows(harness, &headers);
        rows[..4].iter().map(|row| row[index].clone()).collect()
    };
    let rows = table_rows(&harness, &headers);
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert_eq!(rows[..4], SCHEME_TABLE);
    assert_eq!(
        rows[4],
        [
            "",
            "",
            "apply inverse",
            "apply sqrt",
            "apply effective",
            "apply median",
            "apply uniform"
        ]
    );
    harness.get_by_label("apply inverse").click();
    settle(&mut harness);
    assert_eq!(
        harness.state().preset().weights(),
        [0.7942307692307692, 20.65, 3.6875, 0.413]
    );
    assert_eq!(
        column(&harness, "current"),
        ["0.7942", "20.6500", "3.6875", "0.4130"]
    );
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().preset(), &notebook());
    assert_eq!(
        column(&harness, "current"),
        ["0.8000", "26.0000", "4.0000", "0.4000"]
    );
    // beta moves the effective-number column, and applying it uses the new beta.
    set_slider(&mut harness, "beta", 0.0);
    assert_eq!(column(&harness, "effective"), ["1.0000"; 4]);
    harness.get_by_label("apply effective").click();
    settle(&mut harness);
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
    settle(&mut harness);
    assert!(
        harness
            .query_by_label_contains("work against each other")
            .is_none()
    );
    set_slider(&mut harness, "label smoothing", 0.1);
    let app = harness.state();
    assert_eq!(app.preset().loss.label_smoothing, 0.1);
    assert!((app.evaluation().unwrap().scenarios[10].loss - 11.08817158449916).abs() < 1e-12);
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
    // The comparison plot's legend, above it, names each form with its value.
    harness.get_by_label("legend: label smoothing 0.1");
    harness.get_by_label("legend: cross-entropy");
}

#[test]
fn focal_loss_with_label_smoothing_is_refused_with_a_reason() {
    let (mut harness, _) = harness();
    harness.get_by_label("Loss & export").click();
    settle(&mut harness);
    set_slider(&mut harness, "label smoothing", 0.1);
    set_slider(&mut harness, "focal gamma", 2.0);
    assert_eq!(harness.state().preset().loss.focal_gamma, 0.0);
    let notice = harness.state().notice().unwrap();
    assert!(
        notice.is_error
            && notice
                .text
                .contains("PyTorch defines no focal loss with label smoothing")
    );
}

#[test]
fn the_keras_convention_allows_focal_loss_with_smoothing_and_shows_keras_numbers() {
    let (mut harness, _) = harness();
    harness.get_by_label("Loss & export").click();
    settle(&mut harness);
    harness.get_by_label("convention").click();
    settle(&mut harness);
    harness.get_by_role_and_label(Role::Button, "Keras").click();
    settle(&mut harness);
    assert_eq!(
        harness.state().preset().loss.convention,
        weightbench::core::Convention::Keras
    );
    set_slider(&mut harness, "label smoothing", 0.1);
    set_slider(&mut harness, "focal gamma", 2.0);
    let loss = harness.state().preset().loss;
    assert_eq!((loss.label_smoothing, loss.focal_gamma), (0.1, 2.0));
    assert!(harness.state().notice().is_none_or(|n| !n.is_error));
    // Under Keras' convention smoothing and weights cannot fight; the panel says so.
    assert!(harness.query_by_label_contains("do not fight").is_some());
    // The batch loss shown is the Keras convention's, per sample of case 1 (truth 0): the
    // weight 0.8 times Keras' focal loss of the smoothed target (closed form below).
    let p: Vec<f64> = {
        let z = [10.0f64, 0.1, 0.1, 0.1];
        let sum: f64 = z.iter().map(|z| (z - 10.0).exp()).sum();
        z.iter().map(|z| (z - 10.0).exp() / sum).collect()
    };
    let t = |c: usize| if c == 0 { 0.9 + 0.025 } else { 0.025 };
    let k: f64 = (0..4)
        .map(|c| (1.0 - p[c]).powi(2) * -t(c) * p[c].ln())
        .sum();
    let shown = &harness.state().evaluation().unwrap().scenarios[0];
    assert!(
        (shown.loss - 0.8 * k).abs() < 1e-14 * k,
        "{} vs {}",
        shown.loss,
        0.8 * k
    );
}

/// Clicks *Copy PyTorch* and returns what went to the clipboard.
fn copy_pytorch(harness: &mut Harness<'_, WeightbenchApp>) -> Option<String> {
    harness.get_by_label("Copy PyTorch").click_accesskit(); // the pane scrolls: a screen reader reaches it wherever it is
    harness.step();
    harness
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|command| match command {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
}

#[test]
fn export_copies_the_exact_snippet() {
    let (mut harness, _) = harness();
    harness.get_by_label("Loss & export").click();
    settle(&mut harness);
    let copied = copy_pytorch(&mut harness).unwrap();
    let notebook = weightbench::core::Preset::notebook().unwrap();
    let exact = weightbench::core::export::snippet(&notebook, Target::PyTorch);
    assert_eq!(
        copied,
        exact.trim_end(),
        "the copy is the command line's snippet"
    );
    assert!(copied.starts_with(
        "loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor([0.8, 26.0, 4.0, 0.4]))\n"
    ));
    assert!(copied.contains("class_weights=np.array([0.8, 26.0, 4.0, 0.4])"));
    harness.get_by_label(&copied);
}

#[test]
fn a_long_snippet_is_shown_whole_and_copied_whole() {
    let (mut harness, _) = harness();
    harness.get_by_label("Loss & export").click();
    settle(&mut harness);
    set_slider(&mut harness, "focal gamma", 2.0);
    set_slider(&mut harness, "logit adjustment", 1.0);
    let expected = weightbench::core::export::snippet(
        harness.state().preset(),
        weightbench::core::export::Target::PyTorch,
    );
    assert!(
        expected.contains("\ndef loss_fn(logits, targets):\n"),
        "{expected}"
    );
    // The whole function is one label, in its scroll area, though it is taller than the area.
    harness.get_by_label(&expected);
    let copied = copy_pytorch(&mut harness);
    assert_eq!(copied, Some(expected));
}

#[test]
fn when_the_views_have_nothing_to_show_they_say_why() {
    let (mut harness, _) = harness();
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, weightbench::command::Command::SetConfidence(1.5));
    settle(&mut harness);
    // Each pane of the hand cases says it.
    let why = "Nothing to show: confidence: 1.5, expected a probability strictly between 0 and 1";
    assert_eq!(harness.query_all_by_label(why).count(), 3, "{why}");
    assert!(harness.state().evaluation().is_none());
    // The status bar says it in every workspace, also where no hand-case pane is shown.
    let status = "The hand cases cannot be evaluated: confidence: 1.5, expected a probability \
                  strictly between 0 and 1";
    for key in [Key::Num2, Key::Num3, Key::Num1] {
        shortcut(&mut harness, Modifiers::COMMAND, key);
        harness.get_by_label(status);
    }
    // A valid confidence brings the views back.
    harness
        .state_mut()
        .apply(&ctx, weightbench::command::Command::SetConfidence(0.9));
    settle(&mut harness);
    assert!(harness.state().evaluation().is_some());
    harness.get_by_label("Loss against the debris weight");
}
