//! Accessibility: every widget of every view, menu, popup and dialog has a name a screen
//! reader announces (kittest's check on each of them, not only the window as it opens), and
//! everything is reachable from the keyboard: Tab through the class table in reading order,
//! Enter to commit a field, Escape to close a dialog as Cancel would, and every shortcut of
//! the command table shown in its menu and working.

mod keyboard;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eframe::egui::accesskit::Role;
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use weightbench::app::{State, WeightbenchApp};
use weightbench::command::{Action, Pane, Workspace};
use weightbench::core::load_preset;
use weightbench::dialog::DialogKind;
use weightbench::ui::simulator::Settings;

use crate::large_preset::large_preset;
use crate::support::{
    NOTEBOOK, SHIFT_COMMAND, ScriptedDialogs, full_class_editor, harness, harness_with, list_shows,
    notebook, set_value, settle, shortcut,
};

/// The validation outputs the examples in docs/ use: 2000 samples of the notebook's classes.
fn validation_example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("presets/validation-example.npz")
}

/// A file written by numpy for the data readers' tests.
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// The window on the notebook with a simulator small enough for a debug build.
fn small_simulator() -> (Harness<'static, WeightbenchApp>, ScriptedDialogs) {
    harness_with(State {
        simulator: Settings {
            samples: 300,
            seeds: 2,
            ..Settings::default()
        },
        ..State::default()
    })
}

/// Runs frames until the background work is done, for work on the 2000 samples of the
/// example file (preparation, bootstrap bands) or the simulator, slow in a debug build on a
/// busy machine; fails after 5 minutes rather than hanging.
fn settle_slowly(harness: &mut Harness<'_, WeightbenchApp>) {
    let start = Instant::now();
    harness.run_ok();
    while harness.state().is_busy() {
        assert!(
            start.elapsed() < Duration::from_mins(5),
            "background work did not finish"
        );
        std::thread::sleep(Duration::from_millis(5));
        harness.step();
    }
    settle(harness);
}

/// Presses a shortcut and waits for what it starts.
fn slow_shortcut(harness: &mut Harness<'_, WeightbenchApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    settle_slowly(harness);
}

/// The name of the widget that has the keyboard, if any.
fn focused(harness: &Harness<'_, WeightbenchApp>) -> Option<String> {
    harness
        .query_all_by(|node| node.is_focused() && node.role() != Role::Window)
        .find_map(|node| node.accesskit_node().label())
}

/// Presses a key (with no modifier) and lets the window answer.
fn press(harness: &mut Harness<'_, WeightbenchApp>, key: Key) {
    harness.key_press(key);
    settle(harness);
}

/// Types `text` into the widget that has the keyboard.
fn type_text(harness: &mut Harness<'_, WeightbenchApp>, text: &str) {
    harness.event(egui::Event::Text(text.to_owned()));
    settle(harness);
}

/// Gives the keyboard to the widget with this role and name, as a screen reader would.
fn focus(harness: &mut Harness<'_, WeightbenchApp>, role: Role, name: &str) {
    harness.get_by_role_and_label(role, name).focus();
    settle(harness);
    assert_eq!(focused(harness).as_deref(), Some(name));
}

/// Presses the widget with this role and name from the keyboard: focus, then Space (the
/// Outcomes view is taller than the window, and the keyboard reaches what is scrolled away).
fn press_widget(harness: &mut Harness<'_, WeightbenchApp>, role: Role, name: &str) {
    focus(harness, role, name);
    harness.key_press(Key::Space);
    settle_slowly(harness);
}

/// Clicks the button with this name (tabs and the scenario list's rows are buttons; the
/// same words may also be a heading).
fn click_button(harness: &mut Harness<'_, WeightbenchApp>, name: &str) {
    harness.get_by_role_and_label(Role::Button, name).click();
    settle_slowly(harness);
}

/// Checks that every visible input widget has a name (kittest's check), and that these do,
/// with these roles.
#[track_caller]
fn assert_named(harness: &Harness<'_, WeightbenchApp>, view: &str, names: &[(Role, &str)]) {
    harness.check_accessibility();
    for &(role, name) in names {
        assert!(
            harness.query_by_role_and_label(role, name).is_some(),
            "{view}: no {role:?} named {name:?}"
        );
    }
}

/// How a menu entry reads to a screen reader: its text, then its shortcut.
fn menu_entry(harness: &Harness<'_, WeightbenchApp>, action: Action) -> String {
    let shortcut = harness.ctx.format_shortcut(&action.shortcut());
    format!("{} {shortcut}", action.label())
}

/// Whether the window asked to close during the last frame.
fn asked_to_close(harness: &Harness<'_, WeightbenchApp>) -> bool {
    harness
        .output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.commands.contains(&egui::ViewportCommand::Close))
}

// ---- names

#[test]
fn every_central_view_names_its_widgets_with_and_without_validation_outputs() {
    let (mut harness, dialogs) = small_simulator();
    let views = [
        (
            Pane::LossCurves,
            vec![
                (Role::CheckBox, "log loss axis"),
                (Role::CheckBox, "fit to the selected scenario"),
                (Role::CheckBox, "legend"),
                (
                    Role::Button,
                    "curve of case 11: debris called class1, confident",
                ),
            ],
        ),
        (
            Pane::PenaltyMatrix,
            vec![
                (Role::Slider, "confidence on the predicted class"),
                (Role::SpinButton, "confidence on the predicted class"),
                (Role::CheckBox, "× class count"),
                (Role::Button, "penalty class4 (debris) called class2"),
                (Role::SpinButton, "margin class4 (debris) called class2"),
                (
                    Role::CheckBox,
                    "post-hoc correction: subtract ln w_c at inference",
                ),
            ],
        ),
        (Pane::FpVsFn, vec![(Role::CheckBox, "× class count")]),
        (Pane::Trade, vec![]),
        (
            Pane::SimulatorSettings,
            vec![
                (Role::ComboBox, "model"),
                (Role::SpinButton, "L2"),
                (Role::SpinButton, "samples"),
                (Role::Slider, "overlap"),
                (Role::SpinButton, "seeds"),
            ],
        ),
    ];
    for (pane, names) in &views {
        show_pane(&mut harness, *pane);
        assert_eq!(harness.state().state().workspaces.current, pane.workspace());
        assert_named(&harness, pane.label(), names);
    }
    assert!(harness.state().simulation().is_some(), "settled on results");
    harness.get_by_label("Training simulator");
    // The MLP's own fields.
    press_widget(&mut harness, Role::ComboBox, "model");
    click_button(&mut harness, "MLP (2 tanh layers)");
    assert_named(
        &harness,
        "Simulator, MLP",
        &[
            (Role::SpinButton, "epochs"),
            (Role::SpinButton, "hidden units"),
        ],
    );

    // The Outcomes view: first without data, then on the example file, settled.
    shortcut(&mut harness, Modifiers::COMMAND, Key::Num2);
    harness.get_by_label_contains("Formats: .npz (numpy savez");
    dialogs.answer(&validation_example());
    slow_shortcut(&mut harness, Modifiers::COMMAND, Key::L);
    assert!(harness.state().outcomes().is_some(), "prepared");
    assert_named(
        &harness,
        "Outcomes",
        &[
            (Role::SpinButton, "trained weight of class1"),
            (Role::SpinButton, "trained weight of class4 (debris)"),
            (Role::Button, "Set a deployment prior"),
            (Role::CheckBox, "prior correction"),
            (Role::CheckBox, "fit a temperature"),
            (Role::Button, "current weights"),
            (Role::Button, "difference"),
            (Role::Button, "confusion class4 (debris) called class2"),
        ],
    );
    show_pane(&mut harness, Pane::Suggestions);
    assert_named(
        &harness,
        "Suggested weights",
        &[
            (Role::ComboBox, "objective"),
            (Role::CheckBox, "minimum recall"),
            (Role::Button, "Suggest weights"),
        ],
    );
    show_pane(&mut harness, Pane::OutcomeSetup);
    harness.get_by_label(&format!("Outcomes on {}", validation_example().display()));
    // Every other view again, now that validation outputs are loaded.
    for (pane, names) in &views {
        show_pane(&mut harness, *pane);
        assert_named(&harness, pane.label(), names);
    }
}

#[test]
fn what_the_outcomes_view_shows_after_a_choice_is_named_too() {
    // A small file: a suggestion on the example's 2000 samples takes minutes in a debug build.
    let (mut harness, dialogs) = harness();
    dialogs.answer(&fixture("stored.npz"));
    shortcut(&mut harness, Modifiers::COMMAND, Key::L);
    shortcut(&mut harness, Modifiers::COMMAND, Key::Num2);
    show_pane(&mut harness, Pane::Suggestions);
    press_widget(&mut harness, Role::Button, "Suggest weights");
    assert!(harness.state().suggestion().is_some());
    show_pane(&mut harness, Pane::OutcomeSetup);
    press_widget(&mut harness, Role::Button, "Set a deployment prior");
    // The button pressed from the keyboard still has it; the view has caught up all the same.
    assert_eq!(focused(&harness).as_deref(), Some("No deployment prior"));
    assert!(
        harness
            .state()
            .outcomes()
            .unwrap()
            .current
            .deployed
            .is_some()
    );
    assert_named(
        &harness,
        "Outcomes, with a deployment prior",
        &[
            (Role::SpinButton, "deployment share of class2"),
            (Role::Button, "No deployment prior"),
            (Role::CheckBox, "prior correction"),
        ],
    );
    show_pane(&mut harness, Pane::Suggestions);
    press_widget(&mut harness, Role::CheckBox, "minimum recall");
    assert_named(
        &harness,
        "Suggested weights, with a recall floor",
        &[
            (Role::Slider, "minimum recall"),
            (Role::Button, "Apply the suggested weights"),
        ],
    );
}

/// Shows `pane` as View > Show pane does, and lets slow work settle.
fn show_pane(harness: &mut Harness<'_, WeightbenchApp>, pane: Pane) {
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, weightbench::command::Command::ShowPane(pane));
    settle_slowly(harness);
}

#[test]
fn every_right_hand_view_names_its_widgets() {
    let (mut harness, _) = harness();
    assert_named(
        &harness,
        "Scenario",
        &[
            (Role::TextInput, "scenario name"),
            (Role::ComboBox, "truth"),
            (Role::Slider, "logit of class2"),
            (Role::SpinButton, "logit of class2"),
        ],
    );
    show_pane(&mut harness, Pane::Weights);
    assert!(harness.state().state().workspaces.is_shown(Pane::Weights));
    assert_named(
        &harness,
        "Weights",
        &[
            (Role::Slider, "beta"),
            (Role::Button, "apply inverse"),
            (Role::Button, "apply effective"),
        ],
    );
    show_pane(&mut harness, Pane::LossAndExport);
    assert_named(
        &harness,
        "Loss & export",
        &[
            (Role::ComboBox, "convention"),
            (Role::ComboBox, "reduction"),
            (Role::Slider, "label smoothing"),
            (Role::Slider, "focal gamma"),
            (Role::Slider, "logit adjustment"),
            (Role::Button, "Copy PyTorch"),
        ],
    );
    // The class weights, compact (names elided, with a tooltip) and in full, with the scenario
    // list's buttons that only work on a selection, and with none.
    assert_named(
        &harness,
        "compact class weights",
        &[
            (Role::RadioButton, "class4 (debris) is debris"),
            (Role::SpinButton, "samples of class2"),
            (Role::SpinButton, "weight of class2"),
            (Role::Button, "Full editor…"),
        ],
    );
    full_class_editor(&mut harness);
    assert_named(
        &harness,
        "the full class editor",
        &[
            (Role::RadioButton, "class4 (debris) is debris"),
            (Role::TextInput, "name of class 2"),
            (Role::SpinButton, "samples of class2"),
            (Role::SpinButton, "weight of class2"),
            (Role::Button, "move class2 up"),
            (Role::Button, "remove class2"),
            (Role::Button, "Add class"),
        ],
    );
    click_button(&mut harness, "Compact");
    assert_named(
        &harness,
        "the scenario list",
        &[
            (Role::Button, "misclassified"),
            (Role::Button, "Duplicate"),
            (Role::Button, "move scenario down"),
        ],
    );
    // Without scenarios, nothing is selected.
    let mut preset = notebook();
    preset.scenarios.clear();
    let (harness, _) = harness_with(State {
        document: weightbench::app::state::Document {
            preset: preset.clone(),
            baseline: preset,
            path: None,
        },
        ..State::default()
    });
    harness.get_by_label("Select a scenario in the list to edit it.");
    assert_named(
        &harness,
        "no scenario selected",
        &[(Role::Button, "New scenario")],
    );
}

#[test]
fn every_menu_and_popup_names_its_entries_and_escape_closes_it() {
    let (mut harness, _) = harness_with(State {
        recent: vec![PathBuf::from(NOTEBOOK)],
        recent_validation: vec![validation_example()],
        ..State::default()
    });
    for (menu, first) in [
        ("File", Action::New),
        ("Edit", Action::Undo),
        ("View", Action::ShowWorkspace(Workspace::HandCases)),
    ] {
        click_button(&mut harness, menu);
        let entry = menu_entry(&harness, first);
        assert_named(&harness, menu, &[(Role::Button, &entry)]);
        press(&mut harness, Key::Escape);
        assert!(
            harness.query_by_label(&entry).is_none(),
            "Escape closes {menu}"
        );
    }
    for (submenu, entry) in [
        ("Open recent", NOTEBOOK.to_owned()),
        (
            "Recent validation outputs",
            validation_example().display().to_string(),
        ),
    ] {
        click_button(&mut harness, "File");
        harness.get_by_label(submenu).hover();
        settle(&mut harness);
        assert_named(&harness, submenu, &[(Role::Button, &entry)]);
        press(&mut harness, Key::Escape);
        assert!(harness.query_by_label(&entry).is_none(), "{submenu} closes");
    }
    // Combo boxes: the truth of the scenario, and the loss options.
    let combos = [
        (Pane::Scenario, "truth", "class4 (debris)"),
        (Pane::LossAndExport, "convention", "Keras"),
        (Pane::LossAndExport, "reduction", "sum"),
    ];
    for (pane, combo, option) in combos {
        show_pane(&mut harness, pane);
        harness.get_by_role_and_label(Role::ComboBox, combo).click();
        settle(&mut harness);
        assert_named(&harness, combo, &[(Role::Button, option)]);
        press(&mut harness, Key::Escape);
        assert!(
            harness
                .query_by_role_and_label(Role::Button, option)
                .is_none(),
            "Escape closes {combo}"
        );
    }
}

#[test]
fn the_outcomes_and_simulator_combo_boxes_name_their_options() {
    let (mut harness, dialogs) = small_simulator();
    dialogs.answer(&validation_example());
    slow_shortcut(&mut harness, Modifiers::COMMAND, Key::L);
    slow_shortcut(&mut harness, Modifiers::COMMAND, Key::Num2);
    show_pane(&mut harness, Pane::Suggestions);
    press_widget(&mut harness, Role::ComboBox, "objective");
    assert_named(&harness, "objective", &[(Role::Button, "macro-f1")]);
    press(&mut harness, Key::Escape);
    slow_shortcut(&mut harness, Modifiers::COMMAND, Key::Num3);
    press_widget(&mut harness, Role::ComboBox, "model");
    assert_named(&harness, "model", &[(Role::Button, "softmax regression")]);
    press(&mut harness, Key::Escape);
    assert!(harness.query_by_label("MLP (2 tanh layers)").is_none());
}

// ---- dialogs

/// The window with an unsaved edit (class1 weighs 2).
fn edited() -> (Harness<'static, WeightbenchApp>, ScriptedDialogs) {
    let (mut harness, dialogs) = harness();
    set_value(&mut harness, "weight of class1", 2.0);
    (harness, dialogs)
}

/// The unsaved-changes question is open; its buttons are named, the keyboard cycles
/// through them only, and Escape answers Cancel: the edit stays, nothing goes on.
#[track_caller]
fn escape_cancels_the_guard(harness: &mut Harness<'_, WeightbenchApp>, before: &str) {
    harness.get_by_label(&format!(
        "Save the changes to \"Notebook: rare objects in debris\" before {before}?"
    ));
    assert_named(
        harness,
        "unsaved changes",
        &[
            (Role::Button, "Save"),
            (Role::Button, "Discard changes"),
            (Role::Button, "Cancel"),
        ],
    );
    assert_eq!(
        focused(harness).as_deref(),
        Some("Save"),
        "the question has the keyboard"
    );
    let mut order = Vec::new();
    for _ in 0..3 {
        press(harness, Key::Tab);
        order.push(focused(harness).unwrap_or_default());
    }
    assert_eq!(order, ["Discard changes", "Cancel", "Save"]);
    press(harness, Key::Escape);
    assert!(harness.query_by_label("Unsaved changes").is_none());
    assert_eq!(harness.state().preset().classes[0].weight, 2.0);
    assert!(harness.state().has_unsaved_changes());
}

#[test]
fn escape_closes_the_unsaved_changes_question_at_new_open_and_quit() {
    let (mut harness, dialogs) = edited();
    shortcut(&mut harness, Modifiers::COMMAND, Key::N);
    escape_cancels_the_guard(&mut harness, "starting a new preset");
    shortcut(&mut harness, Modifiers::COMMAND, Key::O);
    escape_cancels_the_guard(&mut harness, "opening another preset");
    assert!(dialogs.asked().is_empty(), "no file dialog after Cancel");
    // Closing the window (the title bar's button, or Ctrl+Q): held, then asked.
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    settle(&mut harness);
    escape_cancels_the_guard(&mut harness, "closing");
    assert!(!asked_to_close(&harness), "the window stays open");
    // The keyboard answers too: Tab to Discard changes, Enter.
    shortcut(&mut harness, Modifiers::COMMAND, Key::N);
    press(&mut harness, Key::Tab);
    press(&mut harness, Key::Enter);
    assert_eq!(harness.state().preset().name, "New preset");
}

#[test]
fn typing_behind_the_question_changes_nothing() {
    let (mut harness, _) = edited();
    focus(&mut harness, Role::SpinButton, "weight of class2");
    shortcut(&mut harness, Modifiers::COMMAND, Key::N);
    type_text(&mut harness, "7");
    press(&mut harness, Key::Escape);
    assert_eq!(harness.state().preset().classes[1].weight, 26.0);
}

/// The typed-path prompt is open with this heading; its field and buttons are named, the
/// field has the keyboard, and Escape closes it as Cancel would.
#[track_caller]
fn escape_cancels_the_prompt(
    harness: &mut Harness<'_, WeightbenchApp>,
    heading: &str,
    field: &str,
    confirm: &str,
) {
    harness.get_by_label(heading);
    assert_named(
        harness,
        heading,
        &[
            (Role::TextInput, field),
            (Role::Button, confirm),
            (Role::Button, "Cancel"),
        ],
    );
    assert_eq!(focused(harness).as_deref(), Some(field));
    type_text(harness, "typed");
    press(harness, Key::Escape);
    assert!(
        harness.query_by_label(heading).is_none(),
        "{heading} closed"
    );
}

#[test]
fn escape_closes_each_typed_path_prompt_and_loses_nothing() {
    let (mut harness, dialogs) = edited();
    let edited_preset = harness.state().preset().clone();
    dialogs.no_dialog();
    shortcut(&mut harness, Modifiers::COMMAND, Key::L);
    escape_cancels_the_prompt(
        &mut harness,
        "Load validation outputs",
        "validation file path",
        "Load",
    );
    assert!(harness.state().validation().is_none());
    dialogs.no_dialog();
    shortcut(&mut harness, SHIFT_COMMAND, Key::S);
    escape_cancels_the_prompt(&mut harness, "Save preset as", "preset path", "Save");
    assert_eq!(harness.state().state().document.path, None, "nothing saved");
    // A .npy of scores asks for its labels; no dialog: a prompt.
    dialogs.answer(&fixture("logits_f32.npy"));
    dialogs.no_dialog();
    shortcut(&mut harness, Modifiers::COMMAND, Key::L);
    escape_cancels_the_prompt(
        &mut harness,
        "Labels for the scores",
        "labels file path",
        "Load",
    );
    assert!(harness.state().validation().is_none());
    assert_eq!(harness.state().preset(), &edited_preset);
    // Open asks about the unsaved edit first.
    dialogs.no_dialog();
    shortcut(&mut harness, Modifiers::COMMAND, Key::O);
    click_button(&mut harness, "Discard changes");
    escape_cancels_the_prompt(&mut harness, "Open preset", "preset path", "Open");
    assert_eq!(
        dialogs.asked(),
        [
            DialogKind::OpenValidation,
            DialogKind::Save {
                file_name: "preset.ron".to_owned()
            },
            DialogKind::OpenValidation,
            DialogKind::OpenLabels,
            DialogKind::Open,
        ]
    );
}
