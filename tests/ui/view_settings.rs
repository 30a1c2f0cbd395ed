//! The Outcomes and Simulator views drawn alone: changing one of their settings emits the
//! command that carries the new settings (`SetOutcomeSettings`, `SetSimulatorSettings`), and
//! the panel never changes the settings it is given.

use eframe::egui::{self, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use weightbench::command::Command;
use weightbench::core::outcomes::data::{ScoreKind, Scores, ValidationData};
use weightbench::core::outcomes::view::{CurrentOutcomes, Prepared};
use weightbench::core::outcomes::{Objective, OutcomeOptions};
use weightbench::core::{Edit, Preset};
use weightbench::ui::outcomes::{self, MatrixShown};
use weightbench::ui::simulator;

/// A view's settings as the app holds them, and what the view emitted.
struct Drawn<S> {
    settings: S,
    emitted: Vec<Command>,
}

/// A view alone in a window tall enough to reach every widget, after its first frames;
/// drawing it without any input must emit nothing.
fn view<S: 'static>(
    settings: S,
    mut draw: impl FnMut(&mut egui::Ui, &S, &mut Vec<Command>) + 'static,
) -> Harness<'static, Drawn<S>> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1000.0, 2000.0))
        .build_ui_state(
            move |ui, drawn: &mut Drawn<S>| draw(ui, &drawn.settings, &mut drawn.emitted),
            Drawn {
                settings,
                emitted: Vec::new(),
            },
        );
    harness.run();
    assert!(
        harness.state().emitted.is_empty(),
        "emitted without input: {:?}",
        harness.state().emitted
    );
    harness
}

/// What the view emits in answer to `act`, alone; the settings it was given stay as they were.
fn emitted<S: Clone + PartialEq + std::fmt::Debug>(
    harness: &mut Harness<'_, Drawn<S>>,
    act: impl FnOnce(&Harness<'_, Drawn<S>>),
) -> Vec<Command> {
    let before = harness.state().settings.clone();
    harness.state_mut().emitted.clear();
    act(harness);
    harness.run();
    assert_eq!(
        harness.state().settings,
        before,
        "the view changed its settings"
    );
    std::mem::take(&mut harness.state_mut().emitted)
}

// ---- outcomes

/// 40 samples x 4 classes with every class present and debris (3) the most common.
fn validation_data() -> ValidationData {
    let labels: Vec<u32> = (0..40u32)
        .map(|i| if i % 3 == 0 { i % 4 } else { 3 })
        .collect();
    let scores: Vec<f64> = (0..160u32)
        .map(|k| f64::from((k * 37 + 11) % 23) / 4.0 - 2.0)
        .collect();
    ValidationData {
        source: "validation.npz".to_owned(),
        classes: 4,
        kind: ScoreKind::Logits,
        scores: Scores::F64(scores),
        labels,
    }
}

/// The Outcomes view of the notebook, trained with its own weights, with a deployment prior
/// of equal shares, prepared at the default options.
fn outcomes_view(settings: outcomes::Settings) -> Harness<'static, Drawn<outcomes::Settings>> {
    let data = validation_data();
    let mut preset = Preset::notebook().unwrap();
    preset.validation.trained_with = preset.weights();
    preset.validation.deploy_prior = vec![0.25; 4];
    let options = OutcomeOptions::default();
    let prepared = Prepared::of(1, &data, &preset, &options).unwrap();
    let current = CurrentOutcomes::of(&data, &preset, &options, &prepared).unwrap();
    view(settings, move |ui, settings, commands| {
        let view = outcomes::View {
            preset: &preset,
            data: Some(&data),
            prepared: Some(Ok(&prepared)),
            current: Some(Ok(&current)),
            by_cost: false,
            bands: None,
            suggestion: None,
            suggesting: false,
            prepared_current: true,
            stopped: None,
            runs: outcomes::runs::RunsShown::default(),
            costs: outcomes::costs::CostsShown::default(),
        };
        // The panes with settings, each in a part of the window as tall as it needs.
        for pane in [
            outcomes::setup_ui,
            outcomes::confusion_ui,
            outcomes::suggestions_ui,
        ] {
            ui.allocate_ui(egui::vec2(1000.0, 640.0), |ui| {
                pane(ui, &view, settings, commands);
            });
        }
    })
}

fn set_outcomes(settings: outcomes::Settings) -> Vec<Command> {
    vec![Command::SetOutcomeSettings(settings)]
}

#[test]
fn outcomes_the_prior_correction_and_the_temperature_emit_their_settings() {
    let defaults = outcomes::Settings::default();
    let mut harness = outcomes_view(defaults);
    let prior_correction = outcomes::Settings {
        prior_correction: true,
        ..defaults
    };
    assert_eq!(
        emitted(&mut harness, |harness| harness
            .get_by_label("prior correction")
            .click_accesskit()),
        set_outcomes(prior_correction)
    );
    let fitted = outcomes::Settings {
        fit_temperature: true,
        ..defaults
    };
    assert_eq!(
        emitted(&mut harness, |harness| harness
            .get_by_label("fit a temperature")
            .click_accesskit()),
        set_outcomes(fitted)
    );
}

#[test]
fn outcomes_dropping_the_prior_also_turns_its_correction_off() {
    let corrected = outcomes::Settings {
        prior_correction: true,
        ..outcomes::Settings::default()
    };
    let mut harness = outcomes_view(corrected);
    assert_eq!(
        emitted(&mut harness, |harness| harness
            .get_by_label("No deployment prior")
            .click_accesskit()),
        [
            Command::Edit(Edit::DeployPrior(Vec::new())),
            Command::SetOutcomeSettings(outcomes::Settings {
                prior_correction: false,
                ..corrected
            }),
        ]
    );
}

#[test]
fn outcomes_each_matrix_button_emits_the_matrix_shown() {
    let defaults = outcomes::Settings::default();
    let mut harness = outcomes_view(defaults);
    for (label, matrix) in [
        ("trained with", MatrixShown::TrainedWith),
        ("difference", MatrixShown::Difference),
    ] {
        assert_eq!(
            emitted(&mut harness, |harness| harness
                .get_by_role_and_label(Role::Button, label)
                .click_accesskit()),
            set_outcomes(outcomes::Settings { matrix, ..defaults }),
            "{label}"
        );
    }
    // The matrix already shown: nothing to change.
    assert_eq!(
        emitted(&mut harness, |harness| harness
            .get_by_role_and_label(Role::Button, "current weights")
            .click_accesskit()),
        []
    );
}

#[test]
fn outcomes_the_objective_emits_its_settings() {
    let defaults = outcomes::Settings::default();
    let mut harness = outcomes_view(defaults);
    harness
        .get_by_role_and_label(Role::ComboBox, "objective")
        .click_accesskit();
    harness.run();
    assert_eq!(
        emitted(&mut harness, |harness| harness
            .get_by_label(Objective::MacroF1.name())
            .click_accesskit()),
        set_outcomes(outcomes::Settings {
            objective: Objective::MacroF1,
            ..defaults
        })
    );
}

#[test]
fn outcomes_the_recall_floor_emits_its_settings() {
    let defaults = outcomes::Settings::default();
    assert_eq!(defaults.objective, Objective::FewestDebrisFp);
    let mut harness = outcomes_view(defaults);
    // Checked, the floor starts at 0.9.
    let floor = outcomes::Settings {
        min_recall: Some(0.9),
        ..defaults
    };
    assert_eq!(
        emitted(&mut harness, |harness| harness
            .get_by_role_and_label(Role::CheckBox, "minimum recall")
            .click_accesskit()),
        set_outcomes(floor)
    );
    // The app applies it; the slider then moves the floor, and unchecking drops it.
    harness.state_mut().settings = floor;
    harness.run();
    assert_eq!(
        emitted(&mut harness, |harness| harness
            .get_by_role_and_label(Role::Slider, "minimum recall")
            .set_value_accesskit(0.5)),
        set_outcomes(outcomes::Settings {
            min_recall: Some(0.5),
            ..defaults
        })
    );
    assert_eq!(
        emitted(&mut harness, |harness| harness
            .get_by_role_and_label(Role::CheckBox, "minimum recall")
            .click_accesskit()),
        set_outcomes(defaults)
    );
}

// ---- simulator

/// The Simulator view of the notebook before its first sweep.
fn simulator_view(settings: simulator::Settings) -> Harness<'static, Drawn<simulator::Settings>> {
    let preset = Preset::notebook().unwrap();
    view(settings, move |ui, settings, commands| {
        let view = simulator::View {
            preset: &preset,
            simulation: None,
            regions: None,
            stale: false,
            regions_stale: false,
            stopped: None,
        };
        simulator::settings_ui(ui, &view, settings, commands);
    })
}

fn set_simulator(settings: simulator::Settings) -> Vec<Command> {
    vec![Command::SetSimulatorSettings(settings)]
}

#[test]
fn simulator_the_model_emits_its_settings() {
    let defaults = simulator::Settings::default();
    assert!(!defaults.mlp);
    let mut harness = simulator_view(defaults);
    harness
        .get_by_role_and_label(Role::ComboBox, "model")
        .click_accesskit();
    harness.run();
    assert_eq!(
        emitted(&mut harness, |harness| harness
            .get_by_label("MLP (2 tanh layers)")
            .click_accesskit()),
        set_simulator(simulator::Settings {
            mlp: true,
            ..defaults
        })
    );
}

#[test]
fn simulator_each_value_field_emits_its_settings() {
    let mlp = simulator::Settings {
        mlp: true,
        ..simulator::Settings::default()
    };
    let mut harness = simulator_view(mlp);
    let fields: [(Role, &str, f64, simulator::Settings); 6] = [
        (
            Role::SpinButton,
            "epochs",
            40.0,
            simulator::Settings { epochs: 40, ..mlp },
        ),
        (
            Role::SpinButton,
            "hidden units",
            12.0,
            simulator::Settings { hidden: 12, ..mlp },
        ),
        (
            Role::SpinButton,
            "L2",
            0.5,
            simulator::Settings { l2: 0.5, ..mlp },
        ),
        (
            Role::SpinButton,
            "samples",
            700.0,
            simulator::Settings {
                samples: 700,
                ..mlp
            },
        ),
        (
            Role::Slider,
            "overlap",
            0.25,
            simulator::Settings {
                overlap: 0.25,
                ..mlp
            },
        ),
        (
            Role::SpinButton,
            "seeds",
            3.0,
            simulator::Settings { seeds: 3, ..mlp },
        ),
    ];
    for (role, label, value, expected) in fields {
        assert_ne!(expected, mlp, "{label}: a change");
        assert_eq!(
            emitted(&mut harness, |harness| harness
                .get_by_role_and_label(role, label)
                .set_value_accesskit(value)),
            set_simulator(expected),
            "{label}"
        );
    }
}
