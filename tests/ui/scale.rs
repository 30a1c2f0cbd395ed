//! The window at 100 classes and 2000 scenarios: long lists lay out only what is in view,
//! and a settled window asks for no more frames.

use eframe::egui::ViewportId;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use weightbench::app::{State, WeightbenchApp};

use crate::large_preset::large_preset;
use crate::support::{harness_with, settle};

fn large_window() -> Harness<'static, WeightbenchApp> {
    let preset = large_preset(100, 2000);
    let state = State {
        document: weightbench::app::state::Document::opened(preset, None),
        ..State::default()
    };
    harness_with(state).0
}

fn shows(harness: &Harness<'_, WeightbenchApp>, label: &str) -> bool {
    harness.query_by_label(label).is_some()
}

fn idle(harness: &Harness<'_, WeightbenchApp>) -> bool {
    harness.output().viewport_output[&ViewportId::ROOT].repaint_delay == std::time::Duration::MAX
}

#[test]
fn long_lists_lay_out_only_their_visible_rows() {
    let mut harness = large_window();
    // The scenario list and the legend: the first rows, not the last.
    assert!(shows(&harness, "curve of scenario 1"));
    assert!(!shows(&harness, "curve of scenario 2000"));
    assert!(harness.query_by_label("scenario 1").is_some());
    assert!(harness.query_by_label("scenario 2000").is_none());
    // The class table: class1's weight is in view, debris (row 100) is scrolled away.
    assert!(shows(&harness, "weight of class1"));
    assert!(!shows(&harness, "weight of debris"));
    // Fewer than 100 weight fields are laid out.
    let weight_fields = harness
        .query_all_by(|node| node.label().is_some_and(|l| l.starts_with("weight of ")))
        .count();
    assert!(weight_fields < 40, "{weight_fields} weight fields laid out");

    harness.get_by_label("Penalty matrix").click();
    settle(&mut harness);
    assert!(shows(&harness, "penalty class1 called class2"));
    assert!(!shows(&harness, "penalty debris called debris"));
    assert!(shows(&harness, "margin class1 called class2"));
    assert!(!shows(&harness, "margin debris called class99"));
}

#[test]
fn a_settled_window_asks_for_no_more_frames() {
    let mut harness = large_window();
    assert!(idle(&harness), "the first frames settle");
    harness.get_by_label("Penalty matrix").click();
    settle(&mut harness);
    assert!(idle(&harness), "the penalty matrix settles");
    harness.get_by_label("Loss curves").click();
    settle(&mut harness);
    assert!(idle(&harness), "back on the loss curves");
}

#[test]
fn beyond_a_dozen_scenarios_the_plot_shows_their_spread() {
    let harness = large_window();
    // The spread band and median stand for the 2000 curves, and the plot says so.
    assert!(shows(
        &harness,
        "Shaded: the middle 80 % of all 2000 scenarios' losses; line: their median; dashed: \
         the least and the largest; the selected scenario (and the one under the pointer) on top."
    ));
    assert!(shows(&harness, "2000 scenarios"));
}
