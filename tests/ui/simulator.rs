//! The Simulator view: the sweep it shows is the simulator's for the current preset and
//! settings, restarted when they change.

use eframe::egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;
use weightbench::app::State;
use weightbench::core::simulator::{gap_sentence, simulate};
use weightbench::ui::simulator::Settings;

use crate::support::{harness_with, set_value, settle};

/// A small simulation, quick in a debug build.
fn small() -> State {
    State {
        simulator: Settings {
            samples: 300,
            seeds: 2,
            ..Settings::default()
        },
        ..State::default()
    }
}

#[test]
fn the_view_shows_the_simulation_of_the_current_preset_and_restarts_on_an_edit() {
    let (mut harness, _) = harness_with(small());
    harness.get_by_label("Simulator").click();
    settle(&mut harness);
    let app = harness.state();
    let expected = simulate(app.preset(), &app.state().simulator.options(), &mut |_| {
        true
    })
    .unwrap()
    .unwrap();
    assert_eq!(app.simulation(), Some(&expected));
    // The sentence names the model and where the preview and retraining part most.
    let sentence = format!(
        "Softmax regression: {}",
        gap_sentence(&expected, app.preset())
    );
    assert!(sentence.contains("at debris weight"), "{sentence}");
    harness.get_by_label(&sentence);
    // Editing a weight restarts it; the result is for the new preset.
    set_value(&mut harness, "weight of class2", 13.0);
    settle(&mut harness);
    let app = harness.state();
    let expected = simulate(app.preset(), &app.state().simulator.options(), &mut |_| {
        true
    })
    .unwrap()
    .unwrap();
    assert_eq!(app.preset().classes[1].weight, 13.0);
    assert_eq!(app.simulation(), Some(&expected));
}

#[test]
fn the_settings_pane_wraps_within_its_width() {
    let (mut harness, _) = harness_with(small());
    harness.get_by_label("Simulator").click();
    settle(&mut harness);
    // The plots' pane starts where its first tab does; nothing of the settings pane may reach
    // under it (a long settings row once widened every plot past the panel's edge).
    let right_panel = harness
        .get_by_role_and_label(Role::Button, "FP: retrained vs preview")
        .rect()
        .left();
    let app = harness.state();
    let simulation = app.simulation().unwrap().clone();
    let sentence = format!(
        "Softmax regression: {}",
        gap_sentence(&simulation, app.preset())
    );
    let overlap = harness
        .get_by_role_and_label(Role::Slider, "overlap")
        .rect();
    for (label, right) in [
        (
            sentence.as_str(),
            harness.get_by_label(&sentence).rect().right(),
        ),
        ("overlap", overlap.right()),
    ] {
        assert!(
            right <= right_panel,
            "{label:?} ends at x = {right}, under the plots (x = {right_panel})"
        );
    }
}
