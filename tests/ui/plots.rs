//! The loss curves plot: dragging or clicking on it sets the debris weight, snapped to the grid.

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::kittest::Queryable as _;

use std::sync::Arc;

use weightbench::app::WeightbenchApp;

use crate::support::{
    MemoryStorage, ScriptedDialogs, harness, harness_with, is_checked, notebook, settle, shortcut,
};

#[test]
fn dragging_on_the_plot_sets_the_debris_weight_to_grid_points() {
    let (mut harness, _) = harness();
    let heading = harness
        .get_by_label("Loss against the debris weight")
        .rect();
    let start = heading.left_bottom() + egui::vec2(200.0, 250.0);
    harness.drag_at(start);
    settle(&mut harness);
    for step in 1..=5 {
        harness.hover_at(start + egui::vec2(20.0 * step as f32, 0.0));
        settle(&mut harness);
    }
    harness.drop_at(start + egui::vec2(100.0, 0.0));
    settle(&mut harness);
    let dragged = harness.state().preset().classes[3].weight;
    let grid = notebook().sweep.grid();
    assert!(
        dragged > 0.4 && grid.contains(&dragged),
        "dragged to {dragged}"
    );
    let case_11 = harness.state().evaluation().unwrap().scenarios[10].loss;
    assert!((case_11 - dragged * 9.900150512718561).abs() < 1e-12);

    // A click (press and release in place) sets it too, to the left of where the drag ended.
    harness.drag_at(start);
    harness.drop_at(start);
    settle(&mut harness);
    let clicked = harness.state().preset().classes[3].weight;
    assert!(
        clicked < dragged && grid.contains(&clicked),
        "clicked at {clicked}"
    );

    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().preset().classes[3].weight, dragged);
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(
        harness.state().preset(),
        &notebook(),
        "the whole drag is one undo step"
    );
}

#[test]
fn the_marker_snaps_to_the_nearest_grid_point() {
    use weightbench::core::cases::sweep::nearest_grid_point;
    let grid = weightbench::core::SweepRange::default().grid();
    assert_eq!(nearest_grid_point(&grid, 0.9987), Some(1.0));
    assert_eq!(nearest_grid_point(&grid, 0.7961), Some(0.8));
    assert_eq!(nearest_grid_point(&grid, -3.0), Some(0.0));
    assert_eq!(nearest_grid_point(&grid, 7.0), Some(2.0));
    assert_eq!(nearest_grid_point(&[], 1.0), None);
}

#[test]
fn the_log_axis_and_the_fit_are_remembered_between_launches() {
    let (mut harness, _) = harness();
    // The notebook's losses span 6.0e-5 to 3.96 nats, more than three decades: the loss axis
    // starts on the log scale until the user chooses.
    assert!(!harness.state().state().loss_curves.axis_chosen);
    assert!(is_checked(&harness, "log loss axis"));
    harness.get_by_label("log loss axis").click();
    settle(&mut harness);
    assert!(!is_checked(&harness, "log loss axis"));
    harness.get_by_label("fit to the selected scenario").click();
    settle(&mut harness);
    let settings = harness.state().state().loss_curves;
    assert!(
        settings.axis_chosen && !settings.log_axis && settings.fit_selected,
        "{settings:?}"
    );
    // The next launch starts from what eframe saved.
    let mut storage = MemoryStorage::default();
    eframe::App::save(harness.state_mut(), &mut storage);
    eframe::App::on_exit(harness.state_mut());
    let next = WeightbenchApp::from_store(
        harness.state().store(),
        Some(&storage),
        None,
        Arc::new(ScriptedDialogs::default()),
    );
    assert_eq!(next.state().loss_curves, settings);
    // The legend beside the plot can be hidden, and stays so.
    let (mut relaunched, _) = harness_with(next.state().clone());
    relaunched.get_by_label("legend").click();
    settle(&mut relaunched);
    assert!(relaunched.state().state().loss_curves.legend_hidden);
    assert!(
        relaunched
            .query_by_label("curve of case 1: class1 right, confident")
            .is_none()
    );
}
