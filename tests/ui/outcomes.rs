//! The Outcomes view on validation outputs: the window's numbers equal the `outcomes`
//! computation at every weight, a confusion cell becomes a scenario, suggested weights apply
//! as one undo step.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use eframe::egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use weightbench::app::WeightbenchApp;
use weightbench::core::outcomes::read::load;
use weightbench::core::outcomes::{OutcomeOptions, Outcomes};

use crate::support::{harness, set_value, settle, shortcut};

/// 300 samples of the notebook's 4 classes, debris the most common, with scores that a
/// weight change can move: written as CSV (label column and one column per class).
fn validation_csv(dir: &tempfile::TempDir) -> PathBuf {
    let mut text = String::from("label,class1,class2,class3,class4 (debris)\n");
    for i in 0u32..300 {
        let label = match i % 10 {
            0..=2 => 0,
            3 => 1,
            4 => 2,
            _ => 3,
        };
        let score = |c: u32| {
            let base = f64::from((i * 7 + c * 13) % 17) / 4.0 - 2.0;
            if c == label { base + 1.5 } else { base }
        };
        let _ = writeln!(
            text,
            "{label},{},{},{},{}",
            score(0),
            score(1),
            score(2),
            score(3)
        );
    }
    let path = dir.path().join("validation.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn loaded(dir: &tempfile::TempDir) -> (Harness<'static, WeightbenchApp>, PathBuf) {
    let (mut harness, dialogs) = harness();
    let path = validation_csv(dir);
    dialogs.answer(&path);
    shortcut(&mut harness, Modifiers::COMMAND, Key::L);
    harness.get_by_label("Your model").click();
    settle(&mut harness);
    (harness, path)
}

/// What `weightbench outcomes` computes for the window's preset on the same file.
fn expected(harness: &Harness<'_, WeightbenchApp>, path: &Path) -> Outcomes {
    let preset = harness.state().preset();
    let names: Vec<String> = preset.classes.iter().map(|c| c.name.clone()).collect();
    let data = load(path, None, &names, &mut |_| true).unwrap();
    Outcomes::of(&data, preset, &OutcomeOptions::default()).unwrap()
}

#[test]
fn the_view_shows_what_the_outcomes_command_computes_at_every_debris_weight() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, path) = loaded(&dir);
    harness.get_by_label(&format!("Outcomes on {}", path.display()));
    harness.get_by_label("300 samples, 4 classes, logits");
    let now = harness.state().outcomes().expect("prepared").clone();
    let outcomes = expected(&harness, &path);
    assert_eq!(now.current, outcomes.current);
    assert_eq!(
        outcomes.current, outcomes.baseline,
        "trained with these weights"
    );
    for weight in [1.0, 0.05, 2.0] {
        set_value(&mut harness, "weight of class4 (debris)", weight);
        let now = harness.state().outcomes().unwrap().clone();
        let outcomes = expected(&harness, &path);
        assert_eq!(now.current, outcomes.current, "debris weight {weight}");
        assert_eq!(now.shift, outcomes.shift);
    }
    // A rare class's weight: one prediction pass, the same numbers.
    set_value(&mut harness, "weight of class2", 3.0);
    assert_eq!(
        harness.state().outcomes().unwrap().current,
        expected(&harness, &path).current
    );
}

#[test]
fn a_confusion_cell_adds_its_sample_nearest_the_boundary_as_a_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, _) = loaded(&dir);
    let before = harness.state().preset().scenarios.len();
    harness
        .get_by_label("confusion class4 (debris) called class1")
        .click();
    settle(&mut harness);
    let app = harness.state();
    let preset = app.preset();
    assert_eq!(preset.scenarios.len(), before + 1);
    let scenario = &preset.scenarios[before];
    assert_eq!(scenario.truth, 3);
    assert!(
        scenario.name.ends_with("class4 (debris) called class1"),
        "{}",
        scenario.name
    );
    assert_eq!(app.selected(), Some(before));
    // The scenario is a real case of that cell: debris, called class1.
    let evaluation = app.evaluation().unwrap();
    assert_eq!(evaluation.scenarios[before].predicted, 0);
}

#[test]
fn suggested_weights_apply_as_one_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, _) = loaded(&dir);
    let before = harness.state().preset().weights();
    harness.get_by_label("Suggested weights").click();
    settle(&mut harness);
    // The panel scrolls: a screen reader's click reaches the button wherever it is.
    harness.get_by_label("Suggest weights").click_accesskit();
    settle(&mut harness);
    let suggestion = harness.state().suggestion().expect("suggested").clone();
    assert_eq!(suggestion.weights.len(), 4);
    assert_eq!(
        suggestion.weights[3], before[3],
        "debris keeps its trained weight"
    );
    assert!(
        suggestion.value <= suggestion.baseline_value,
        "fewest FP: never worse"
    );
    // Counts of samples are shown as whole numbers.
    let sentence = format!(
        "fewest-debris-fp: {} at the trained-with weights, {} at the suggested ones",
        suggestion.baseline_value, suggestion.value
    );
    assert!(
        harness.query_by_label(&sentence).is_some(),
        "no label reads {sentence:?}"
    );
    harness
        .get_by_label("Apply the suggested weights")
        .click_accesskit();
    settle(&mut harness);
    assert_eq!(harness.state().preset().weights(), suggestion.weights);
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().preset().weights(), before);
}

#[test]
fn the_deployment_prior_its_correction_and_the_temperature_follow_the_command() {
    use weightbench::core::outcomes::TemperatureChoice;
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, path) = loaded(&dir);
    harness
        .get_by_label("Set a deployment prior")
        .click_accesskit();
    settle(&mut harness);
    let prior = harness.state().preset().validation.deploy_prior.clone();
    // The training counts' proportions: 260, 10, 56, 500 of 826.
    let expected_prior = [260.0 / 826.0, 10.0 / 826.0, 56.0 / 826.0, 500.0 / 826.0];
    assert_eq!(prior.len(), 4);
    for (p, e) in prior.iter().zip(expected_prior) {
        assert!((p - e).abs() < 1e-15, "{prior:?}");
    }
    set_value(&mut harness, "deployment share of class4 (debris)", 0.9);
    let prior = harness.state().preset().validation.deploy_prior.clone();
    assert!((prior[3] - 0.9).abs() < 1e-12 && (prior.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    harness.get_by_label("prior correction").click_accesskit();
    harness.get_by_label("fit a temperature").click_accesskit();
    settle(&mut harness);
    let settings = harness.state().state().outcomes;
    assert!(settings.prior_correction && settings.fit_temperature);
    let preset = harness.state().preset();
    let names: Vec<String> = preset.classes.iter().map(|c| c.name.clone()).collect();
    let data = load(&path, None, &names, &mut |_| true).unwrap();
    let options = OutcomeOptions {
        prior_correction: true,
        temperature: TemperatureChoice::Fit,
        ..OutcomeOptions::default()
    };
    let outcomes = Outcomes::of(&data, preset, &options).unwrap();
    let now = harness.state().outcomes().unwrap();
    assert_eq!(now.current, outcomes.current);
    assert_eq!(now.shift, outcomes.shift);
    let deployed = outcomes
        .current
        .deployed
        .as_ref()
        .expect("a prior gives the deployed block");
    harness.get_by_label("Expected among 10,000 deployed samples (at the deployment shares):");
    for c in 0..3 {
        let shown = format!("{:.1}", deployed.false_positives_from_debris[c]);
        assert!(harness.query_all_by_label(&shown).count() >= 1, "{shown}");
    }
    let (t, before, after) = (
        outcomes.temperature.unwrap(),
        outcomes.ece_before.unwrap(),
        outcomes.ece_after.unwrap(),
    );
    harness.get_by_label(&format!(
        "T = {t:.4}; expected calibration error (15 bins) {before:.4} before, {after:.4} after"
    ));
}

/// The costs typed in the Costs pane: the grid creates the matrix, the decision switch puts the
/// cost rule's decisions in the confusion and per-class tables (as `outcomes --decision cost`
/// computes them), and the nearest weights apply as one undo step.
#[test]
fn costs_typed_in_the_window_decide_as_the_command_line() {
    use weightbench::core::outcomes::costs::Decision;
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, path) = loaded(&dir);
    harness.get_by_label("Costs").click();
    settle(&mut harness);
    // The diagonal is no field; every other cell is, debris marked.
    assert!(
        harness
            .query_by_label("cost class1 called class1")
            .is_none()
    );
    harness.get_by_label("class4 (debris) *");
    let typed = [
        ("cost class1 called class2", 5.0),
        ("cost class1 called class4 (debris)", 8.0),
        ("cost class4 (debris) called class2", 10.0),
        ("cost class4 (debris) called class1", 1.0),
        ("cost class2 called class4 (debris)", 6.0),
        ("cost class3 called class1", 2.0),
    ];
    for (label, value) in typed {
        set_value(&mut harness, label, value);
    }
    let costs = harness.state().preset().costs.clone();
    assert_eq!(costs[0], [0.0, 5.0, 0.0, 8.0]);
    assert_eq!(costs[3], [1.0, 10.0, 0.0, 0.0]);
    // Deciding by cost: the window's current outcomes are the command's.
    harness
        .get_by_label("the least expected cost")
        .click_accesskit();
    settle(&mut harness);
    let names: Vec<String> = harness
        .state()
        .preset()
        .classes
        .iter()
        .map(|c| c.name.clone())
        .collect();
    let data = load(&path, None, &names, &mut |_| true).unwrap();
    let options = OutcomeOptions {
        decision: Decision::Cost,
        ..OutcomeOptions::default()
    };
    let by_cost = Outcomes::of(&data, harness.state().preset(), &options).unwrap();
    let shown = harness.state().shown_outcomes().expect("prepared").clone();
    assert_eq!(shown.current, by_cost.current);
    let cost = by_cost.cost.unwrap();
    harness.get_by_label(&format!("{:.2}", cost.cost_rule_total));
    harness
        .query_by_label("least expected cost (shown)")
        .unwrap();
    // The trade plot says what the cost rule gives, as it is no point of its curves.
    let false_positives: u64 = by_cost.current.false_positives_from_debris.iter().sum();
    let false_negatives: u64 = by_cost.current.false_negatives_to_debris.iter().sum();
    harness.get_by_label(&format!(
        "Deciding by the least expected cost (Costs pane): {false_positives} false positives from \
         debris and {false_negatives} false negatives to debris. The curves are the weights' rule \
         along the debris weight; the cost rule does not move with it."
    ));
    // The nearest weights, once found, apply as one step; undo brings the weights back.
    let before = harness.state().preset().weights();
    until_shown(&mut harness, "Apply the nearest weights");
    settle(&mut harness);
    harness
        .get_by_label("Apply the nearest weights")
        .click_accesskit();
    settle(&mut harness);
    assert_eq!(harness.state().preset().weights(), cost.nearest_weights);
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().preset().weights(), before);
    // Back to the weights: the weights' outcomes again.
    harness
        .get_by_label("the weights' argmax")
        .click_accesskit();
    settle(&mut harness);
    let by_weights =
        Outcomes::of(&data, harness.state().preset(), &OutcomeOptions::default()).unwrap();
    assert_eq!(
        harness.state().shown_outcomes().unwrap().current,
        by_weights.current
    );
}

/// Filling the matrix from the weights gives the weights' own rule: the window says the
/// weights express it exactly, and deciding by it changes no count.
#[test]
fn costs_filled_from_the_weights_are_the_weights_rule() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, _) = loaded(&dir);
    harness.get_by_label("Costs").click();
    settle(&mut harness);
    harness
        .get_by_label("Fill from the weights")
        .click_accesskit();
    settle(&mut harness);
    let weights = harness.state().preset().weights();
    assert_eq!(
        harness.state().preset().costs[1],
        [weights[1], 0.0, weights[1], weights[1]]
    );
    let before = harness.state().outcomes().unwrap().current.clone();
    harness
        .get_by_label("the least expected cost")
        .click_accesskit();
    settle(&mut harness);
    assert_eq!(harness.state().shown_outcomes().unwrap().current, before);
    until_shown(&mut harness, "Apply these weights");
    // Undo takes the whole matrix back in one step.
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert!(harness.state().preset().costs.is_empty());
}

/// Steps the window until `label` shows (background work finishing), for at most 20 s.
fn until_shown(harness: &mut Harness<'_, WeightbenchApp>, label: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while harness.query_by_label(label).is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "{label:?} never showed"
        );
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// `min-cost` without costs: the Suggested weights pane says where to type them, and offers no
/// search that could only fail.
#[test]
fn min_cost_suggestions_ask_for_the_costs_first() {
    use egui_kittest::kittest::NodeT as _;
    use weightbench::command::{Command, Pane};
    use weightbench::core::outcomes::Objective;
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, _) = loaded(&dir);
    let ctx = harness.ctx.clone();
    let settings = weightbench::ui::outcomes::Settings {
        objective: Objective::MinCost,
        ..weightbench::ui::outcomes::Settings::default()
    };
    harness
        .state_mut()
        .apply(&ctx, Command::SetOutcomeSettings(settings));
    harness
        .state_mut()
        .apply(&ctx, Command::ShowPane(Pane::Suggestions));
    settle(&mut harness);
    harness.get_by_label(
        "min-cost suggests the weights whose decisions cost least: type what each mistake costs in the Costs pane first.",
    );
    assert!(
        harness
            .get_by_label("Suggest weights")
            .accesskit_node()
            .is_disabled()
    );
}
