//! The window driven through its widgets, headless (`egui_kittest`): what a user clicks,
//! drags and types, and what they then see.
#![allow(
    clippy::unwrap_used,
    reason = "a test that cannot unwrap should fail loudly, right there"
)]
#![allow(
    clippy::float_cmp,
    reason = "exact equality is what these tests assert"
)]
#![allow(
    clippy::unreadable_literal,
    reason = "golden values are written exactly as printed, to be compared by eye"
)]

use std::cell::RefCell;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use eframe::egui::{self, Key, Modifiers, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use weightbench::app::{State, WeightbenchApp};
use weightbench::core::{Preset, load_preset};
use weightbench::dialog::{DialogKind, DialogOutcome, FileDialogs};

const NOTEBOOK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/presets/notebook.ron");

/// File dialogs that answer from a script and remember what they were asked.
#[derive(Clone, Default)]
struct ScriptedDialogs(Rc<RefCell<(VecDeque<DialogOutcome>, Vec<DialogKind>)>>);

impl ScriptedDialogs {
    /// The next dialog returns `path` after a user-like pause.
    fn answer(&self, path: &Path) {
        self.0.borrow_mut().0.push_back(DialogOutcome {
            path: Some(path.to_owned()),
            elapsed: Duration::from_secs(2),
        });
    }

    /// The next dialog returns nothing at once, as rfd does where no dialog can be shown.
    fn no_dialog(&self) {
        self.0.borrow_mut().0.push_back(DialogOutcome {
            path: None,
            elapsed: Duration::ZERO,
        });
    }

    fn asked(&self) -> Vec<DialogKind> {
        self.0.borrow().1.clone()
    }
}

impl FileDialogs for ScriptedDialogs {
    fn start(
        &self,
        _ctx: &egui::Context,
        kind: DialogKind,
        _folder: Option<PathBuf>,
    ) -> Receiver<DialogOutcome> {
        let (sender, receiver) = channel();
        let mut script = self.0.borrow_mut();
        script.1.push(kind);
        // Unscripted dialogs are cancelled by the user.
        let outcome = script.0.pop_front().unwrap_or(DialogOutcome {
            path: None,
            elapsed: Duration::from_secs(3),
        });
        sender.send(outcome).unwrap();
        receiver
    }
}

fn harness_with(state: State) -> (Harness<'static, WeightbenchApp>, ScriptedDialogs) {
    let dialogs = ScriptedDialogs::default();
    let app = WeightbenchApp::new(state, Box::new(dialogs.clone()));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(|_| app);
    harness.run();
    (harness, dialogs)
}

fn harness() -> (Harness<'static, WeightbenchApp>, ScriptedDialogs) {
    harness_with(State::default())
}

fn shortcut(harness: &mut Harness<'_, WeightbenchApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run();
}

const SHIFT_COMMAND: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

fn set_value(harness: &mut Harness<'_, WeightbenchApp>, label: &str, value: f64) {
    harness.get_by_label(label).set_value_accesskit(value);
    harness.run();
}

/// Sets a slider (not the value field next to it, which carries the same label).
fn set_slider(harness: &mut Harness<'_, WeightbenchApp>, label: &str, value: f64) {
    harness
        .get_by_role_and_label(Role::Slider, label)
        .set_value_accesskit(value);
    harness.run();
}

/// Whether the scenario list shows a row (a button) with this name; the plot legend's
/// entries of the same name are checkboxes.
fn list_shows(harness: &Harness<'_, WeightbenchApp>, name: &str) -> bool {
    harness
        .query_by_role_and_label(Role::Button, name)
        .is_some()
}

fn notebook() -> Preset {
    load_preset(NOTEBOOK.as_ref()).unwrap()
}

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
fn raising_the_debris_weight_to_1_moves_case_11_from_3_96_to_9_90() {
    let (mut harness, _) = harness();
    set_value(&mut harness, "weight of class4 (debris)", 1.0);
    let app = harness.state();
    assert_eq!(app.preset().classes[3].weight, 1.0);
    let case_11 = &app.evaluation().scenarios[10];
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
    assert_eq!(app.sweep().batch_mean, before.batch_mean);
    assert!(
        app.title().starts_with("* "),
        "unsaved marker: {}",
        app.title()
    );
}

#[test]
fn a_class_weight_changes_scenario_losses_and_the_plot_curves() {
    let (mut harness, _) = harness();
    let before = harness.state().sweep().clone();
    set_value(&mut harness, "weight of class2", 13.0);
    let app = harness.state();
    assert!((app.evaluation().scenarios[1].loss - 0.003913330682585803 / 2.0).abs() < 1e-15);
    let (old, new) = (&before.scenarios[1].loss, &app.sweep().scenarios[1].loss);
    assert!(
        old.iter()
            .zip(new)
            .all(|(a, b)| (a / 2.0 - b).abs() < 1e-15),
        "case 2's curve halves"
    );
    assert_eq!(
        before.scenarios[0].loss,
        app.sweep().scenarios[0].loss,
        "case 1's curve stays"
    );
    assert_ne!(
        before.batch_mean,
        app.sweep().batch_mean,
        "the batch mean curve moves"
    );
}

#[test]
fn selecting_a_scenario_and_editing_a_logit_updates_its_loss_and_prediction() {
    let (mut harness, _) = harness();
    harness
        .get_by_role_and_label(Role::Button, "case 5: class1 right, class2 close behind")
        .click();
    harness.run();
    assert_eq!(harness.state().selected(), Some(4));
    set_value(&mut harness, "logit of class2", 10.0);
    let app = harness.state();
    assert_eq!(app.preset().scenarios[4].logits, [10.0, 10.0, 0.1, 0.1]);
    let sample = &app.evaluation().scenarios[4];
    // Truth class1 tied with class2: 0.8 * ln(2 + 2 e^-9.9).
    assert!(
        (sample.loss - 0.5545578831866355).abs() < 1e-14,
        "{}",
        sample.loss
    );
    assert_eq!(sample.predicted, 0, "a tie predicts the first class");
    set_value(&mut harness, "logit of class2", 11.0);
    assert_eq!(harness.state().evaluation().scenarios[4].predicted, 1);
}

#[test]
fn scenarios_are_added_renamed_and_deleted() {
    let (mut harness, _) = harness();
    harness.get_by_label("New scenario").click();
    harness.run();
    assert_eq!(harness.state().preset().scenarios.len(), 12);
    assert_eq!(harness.state().selected(), Some(11));
    harness.get_by_label("scenario name").focus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_label("scenario name")
        .type_text("debris called class3");
    harness.run();
    assert_eq!(
        harness.state().preset().scenarios[11].name,
        "debris called class3"
    );
    harness.get_by_label("Duplicate").click();
    harness.run();
    assert_eq!(
        harness.state().preset().scenarios[12].name,
        "debris called class3 (copy)"
    );
    harness.get_by_label("Delete").click();
    harness.run();
    harness.get_by_label("Delete").click();
    harness.run();
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
    harness.run();
    for step in 1..=6 {
        harness.hover_at(center + egui::vec2(12.0 * step as f32, 0.0));
        harness.run();
    }
    harness.drop_at(center + egui::vec2(72.0, 0.0));
    harness.run();
    let dragged = harness.state().preset().classes[0].weight;
    assert!(dragged > 0.8, "the drag raised the weight: {dragged}");
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
    harness.get_by_label("remove class2").click();
    harness.run();
    assert_eq!(harness.state().preset(), &notebook());
    let message = "cannot remove class \"class2\": it is the truth of scenario \"case 2: class2 right, confident\"; \
                   change their truth or delete them first";
    assert_eq!(harness.state().notice().unwrap().text, message);
    harness.get_by_label(message);
}

#[test]
fn adding_and_reordering_classes_carries_the_logits() {
    let (mut harness, _) = harness();
    harness.get_by_label("Add class").click();
    harness.run();
    assert!(
        harness
            .state()
            .preset()
            .scenarios
            .iter()
            .all(|s| s.logits.len() == 5)
    );
    harness.get_by_label("move class1 down").click();
    harness.run();
    let preset = harness.state().preset();
    assert_eq!(preset.classes[1].name, "class1");
    assert_eq!(preset.scenarios[0].logits, [0.1, 10.0, 0.1, 0.1, 0.0]);
    assert_eq!(preset.scenarios[0].truth, 1);
    harness.get_by_label("class4 (debris) is debris");
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
fn opening_an_invalid_file_shows_its_error_and_keeps_the_preset() {
    let (mut harness, dialogs) = harness();
    set_value(&mut harness, "weight of class1", 2.0);
    let edited = harness.state().preset().clone();
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.ron");
    std::fs::write(
        &broken,
        "(\n    version: 1,\n    name: \"x\"\n    classes: [],\n)",
    )
    .unwrap();
    // The guard first asks; discard goes on to the dialog, which picks the broken file.
    dialogs.answer(&broken);
    shortcut(&mut harness, Modifiers::COMMAND, Key::O);
    harness.get_by_label("Discard changes").click();
    harness.run();
    assert_eq!(dialogs.asked().last(), Some(&DialogKind::Open));
    let notice = harness.state().notice().unwrap();
    assert!(notice.is_error);
    assert!(
        notice
            .text
            .starts_with(&format!("{}:4:5: ", broken.display())),
        "{}",
        notice.text
    );
    assert!(
        notice.text.ends_with("the current preset is unchanged"),
        "{}",
        notice.text
    );
    assert_eq!(harness.state().preset(), &edited);
}

#[test]
fn the_unsaved_changes_guard_asks_before_new() {
    let (mut harness, _) = harness();
    set_value(&mut harness, "weight of class4 (debris)", 1.0);
    shortcut(&mut harness, Modifiers::COMMAND, Key::N);
    harness.get_by_label("Unsaved changes");
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(harness.query_by_label("Unsaved changes").is_none());
    assert_eq!(
        harness.state().preset().classes[3].weight,
        1.0,
        "cancel keeps the edits"
    );
    shortcut(&mut harness, Modifiers::COMMAND, Key::N);
    harness.get_by_label("Discard changes").click();
    harness.run();
    assert_eq!(harness.state().preset().name, "New preset");
    assert!(!harness.state().has_unsaved_changes());
}

#[test]
fn save_from_the_guard_asks_for_a_file_then_goes_on() {
    let (mut harness, dialogs) = harness();
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("heavier-debris");
    set_value(&mut harness, "weight of class4 (debris)", 1.0);
    dialogs.answer(&saved); // Save As: no extension given, .ron is added
    dialogs.answer(Path::new(NOTEBOOK)); // then the Open that was waiting
    shortcut(&mut harness, Modifiers::COMMAND, Key::O);
    harness.get_by_label("Save").click();
    harness.run();
    let written = load_preset(&dir.path().join("heavier-debris.ron")).unwrap();
    assert_eq!(written.classes[3].weight, 1.0);
    assert_eq!(dialogs.asked().len(), 2);
    assert!(matches!(dialogs.asked()[0], DialogKind::Save { .. }));
    assert_eq!(
        harness.state().preset(),
        &notebook(),
        "the open went on after the save"
    );
    assert_eq!(harness.state().state().recent.len(), 2);
}

#[test]
fn save_writes_the_file_and_clears_the_marker() {
    let (mut harness, dialogs) = harness();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.ron");
    set_value(&mut harness, "weight of class2", 13.0);
    dialogs.answer(&path);
    shortcut(&mut harness, Modifiers::COMMAND, Key::S); // no file yet: Save asks where
    assert_eq!(load_preset(&path).unwrap(), *harness.state().preset());
    assert!(!harness.state().has_unsaved_changes());
    assert!(
        harness
            .state()
            .title()
            .starts_with("Notebook: rare objects in debris — ")
    );
    set_value(&mut harness, "weight of class2", 14.0);
    shortcut(&mut harness, Modifiers::COMMAND, Key::S); // now it saves in place, no dialog
    assert_eq!(dialogs.asked().len(), 1);
    assert_eq!(load_preset(&path).unwrap().classes[1].weight, 14.0);
}

#[test]
fn where_no_dialog_can_be_shown_a_typed_path_opens_the_file() {
    let (mut harness, dialogs) = harness();
    dialogs.no_dialog();
    shortcut(&mut harness, Modifiers::COMMAND, Key::O);
    assert!(
        harness
            .state()
            .notice()
            .unwrap()
            .text
            .starts_with("No file dialog could be shown")
    );
    let other = tempfile::Builder::new().suffix(".ron").tempfile().unwrap();
    let text = std::fs::read_to_string(NOTEBOOK)
        .unwrap()
        .replace("weight: 0.4", "weight: 1.0");
    std::fs::write(other.path(), text).unwrap();
    // The path field has the keyboard as soon as the prompt opens; Enter confirms.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.event(egui::Event::Text(other.path().to_str().unwrap().to_owned()));
    harness.run();
    assert_eq!(
        harness.get_by_label("preset path").value().as_deref(),
        other.path().to_str()
    );
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(harness.state().preset().classes[3].weight, 1.0);
    assert_eq!(harness.state().state().path.as_deref(), Some(other.path()));
}

#[test]
fn closing_with_unsaved_changes_is_held_until_answered() {
    let (mut harness, _) = harness();
    set_value(&mut harness, "weight of class1", 2.0);
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    let sent = |harness: &Harness<'_, WeightbenchApp>, command: &egui::ViewportCommand| {
        harness
            .output()
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .is_some_and(|v| v.commands.contains(command))
    };
    harness.step();
    assert!(
        sent(&harness, &egui::ViewportCommand::CancelClose),
        "the close is held"
    );
    harness.run();
    harness
        .get_by_label("Save the changes to \"Notebook: rare objects in debris\" before closing?");
    harness.get_by_label("Discard changes").click();
    harness.step();
    assert!(
        sent(&harness, &egui::ViewportCommand::Close),
        "discard closes the window"
    );
    let mut storage = MemoryStorage::default();
    eframe::App::save(harness.state_mut(), &mut storage);
    let next_launch =
        WeightbenchApp::from_storage(Some(&storage), None, Box::new(ScriptedDialogs::default()));
    assert_eq!(
        next_launch.preset(),
        &notebook(),
        "discarded edits do not come back"
    );
}

#[test]
fn a_dropped_file_is_opened() {
    #[derive(Debug)]
    struct Dropped(PathBuf);
    impl egui::DroppedFile for Dropped {
        fn path(&self) -> &Path {
            &self.0
        }
        fn bytes(&self) -> Result<Vec<u8>, String> {
            std::fs::read(&self.0).map_err(|e| e.to_string())
        }
    }
    let mut state = State::default();
    state.preset.name = "something else".to_owned();
    state.baseline = state.preset.clone();
    let (mut harness, _) = harness_with(state);
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(PathBuf::from(NOTEBOOK))));
    harness.run();
    assert_eq!(harness.state().preset(), &notebook());
}

#[derive(Default)]
struct MemoryStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn the_last_preset_comes_back_on_the_next_launch_unless_a_file_is_given() {
    let (mut harness, _) = harness();
    set_value(&mut harness, "weight of class4 (debris)", 1.0);
    harness.get_by_label("New scenario").click();
    harness.run();
    let mut storage = MemoryStorage::default();
    eframe::App::save(harness.state_mut(), &mut storage);
    let edited = harness.state().preset().clone();

    let restored =
        WeightbenchApp::from_storage(Some(&storage), None, Box::new(ScriptedDialogs::default()));
    assert_eq!(restored.preset(), &edited, "content, not just a path");
    assert!(
        restored.has_unsaved_changes(),
        "still unsaved after a restart"
    );

    let given = (PathBuf::from(NOTEBOOK), notebook());
    let opened = WeightbenchApp::from_storage(
        Some(&storage),
        Some(given),
        Box::new(ScriptedDialogs::default()),
    );
    assert_eq!(opened.preset(), &notebook());
    assert!(!opened.has_unsaved_changes());
    assert_eq!(opened.state().recent, [PathBuf::from(NOTEBOOK)]);
}

#[test]
fn a_corrupt_saved_state_falls_back_to_the_notebook() {
    let mut storage = MemoryStorage::default();
    let mut broken = State::default();
    broken.preset.scenarios[0].logits.pop();
    eframe::set_value(&mut storage, eframe::APP_KEY, &broken);
    let app =
        WeightbenchApp::from_storage(Some(&storage), None, Box::new(ScriptedDialogs::default()));
    assert_eq!(app.preset(), &notebook());
}

#[test]
fn dragging_on_the_plot_sets_the_debris_weight_to_grid_points() {
    let (mut harness, _) = harness();
    let heading = harness
        .get_by_label("Loss against the debris weight")
        .rect();
    let start = heading.left_bottom() + egui::vec2(200.0, 250.0);
    harness.drag_at(start);
    harness.run();
    for step in 1..=5 {
        harness.hover_at(start + egui::vec2(20.0 * step as f32, 0.0));
        harness.run();
    }
    harness.drop_at(start + egui::vec2(100.0, 0.0));
    harness.run();
    let dragged = harness.state().preset().classes[3].weight;
    let grid = notebook().sweep.grid();
    assert!(
        dragged > 0.4 && grid.contains(&dragged),
        "dragged to {dragged}"
    );
    let case_11 = harness.state().evaluation().scenarios[10].loss;
    assert!((case_11 - dragged * 9.900150512718561).abs() < 1e-12);

    // A click (press and release in place) sets it too, to the left of where the drag ended.
    harness.drag_at(start);
    harness.drop_at(start);
    harness.run();
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
    use weightbench::ui::loss_plot::nearest_grid_point;
    let grid = weightbench::core::SweepRange::default().grid();
    assert_eq!(nearest_grid_point(&grid, 0.9987), Some(1.0));
    assert_eq!(nearest_grid_point(&grid, 0.7961), Some(0.8));
    assert_eq!(nearest_grid_point(&grid, -3.0), Some(0.0));
    assert_eq!(nearest_grid_point(&grid, 7.0), Some(2.0));
    assert_eq!(nearest_grid_point(&[], 1.0), None);
}

#[test]
fn shortcuts_wait_while_a_question_is_open() {
    let (mut harness, dialogs) = harness();
    set_value(&mut harness, "weight of class1", 2.0);
    shortcut(&mut harness, Modifiers::COMMAND, Key::N);
    harness.get_by_label("Unsaved changes");
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    shortcut(&mut harness, Modifiers::COMMAND, Key::O);
    assert_eq!(
        harness.state().preset().classes[0].weight,
        2.0,
        "no undo behind the question"
    );
    assert!(dialogs.asked().is_empty(), "no dialog behind the question");
    harness.get_by_label("Cancel").click();
    harness.run();
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(
        harness.state().preset(),
        &notebook(),
        "shortcuts work again once answered"
    );
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

#[test]
fn choosing_another_debris_class_moves_the_marks_and_the_sweep() {
    let (mut harness, _) = harness();
    harness.get_by_label("class1 is debris").click();
    harness.run();
    let app = harness.state();
    assert_eq!(app.preset().debris, 0);
    // Now class1's weight is the one swept: case 1's curve moves, case 11's does not.
    let sweep = app.sweep();
    assert_ne!(sweep.scenarios[0].loss[0], sweep.scenarios[0].loss[200]);
    assert_eq!(sweep.scenarios[10].loss[0], sweep.scenarios[10].loss[200]);
    // Cases 10 and 11 (truth class4, predicted class1) are now rare objects called debris.
    assert_eq!(harness.query_all_by_label("FN").count(), 2);
    assert_eq!(harness.query_all_by_label("FP").count(), 0);
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
fn a_recent_file_opens_from_the_menu() {
    let mut state = State {
        recent: vec![PathBuf::from(NOTEBOOK)],
        ..State::default()
    };
    state.preset.classes[0].weight = 5.0;
    state.baseline = state.preset.clone();
    let (mut harness, _) = harness_with(state);
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Open recent").hover();
    harness.run();
    harness.get_by_label(NOTEBOOK).click();
    harness.run();
    assert_eq!(harness.state().preset(), &notebook());
    assert_eq!(
        harness.state().state().path.as_deref(),
        Some(Path::new(NOTEBOOK))
    );
}

#[test]
fn a_penalty_cell_click_creates_then_selects_its_scenario() {
    let (mut harness, _) = harness();
    harness.get_by_label("Penalty matrix").click();
    harness.run();
    harness
        .get_by_label("penalty class4 (debris) called class2")
        .click();
    harness.run();
    let app = harness.state();
    assert_eq!(app.preset().scenarios.len(), 12);
    let created = &app.preset().scenarios[11];
    assert_eq!(
        (created.name.as_str(), created.truth),
        ("class4 (debris) called class2 at 90 %", 3)
    );
    assert_eq!(app.selected(), Some(11));
    let sample = &app.evaluation().scenarios[11];
    assert_eq!(sample.predicted, 1);
    assert!((sample.probabilities[1] - 0.9).abs() < 1e-12);
    let cell = -0.4 * (0.1f64 / 3.0).ln(); // -w_debris ln((1 - q) / (C - 1))
    assert!(
        (sample.loss - cell).abs() < 1e-12,
        "the cell's value: {}",
        sample.loss
    );
    // A second click selects the scenario instead of creating another.
    harness.get_by_label("Scenarios").hover();
    harness
        .get_by_label("penalty class4 (debris) called class2")
        .click();
    harness.run();
    assert_eq!(harness.state().preset().scenarios.len(), 12);
}

#[test]
fn a_margin_raises_its_cell_most_and_touches_no_other_row() {
    let (mut harness, _) = harness();
    harness.get_by_label("Penalty matrix").click();
    harness.run();
    set_value(&mut harness, "margin class4 (debris) called class2", 1.0);
    let preset = harness.state().preset();
    assert_eq!(preset.margins[3][1], 1.0);
    let after = weightbench::core::penalties::PenaltyMatrix::of(preset, 0.9).unwrap();
    let before = weightbench::core::penalties::PenaltyMatrix::of(&notebook(), 0.9).unwrap();
    for t in 0..3 {
        assert_eq!(after.matrix[t], before.matrix[t]);
    }
    assert!(
        after.matrix[3][1] - before.matrix[3][1]
            > 10.0 * (after.matrix[3][0] - before.matrix[3][0])
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
    harness.run();
    harness.get_by_label(
        "a sample is called class2 rather than class4 (debris) when p(class2) / p(class4 (debris)) > \
         w_class4 (debris) / w_class2 = 0.015",
    );
    harness
        .get_by_label("post-hoc correction: subtract ln w_c at inference")
        .click();
    harness.run();
    // Case 10: logits [10, 0.1, 0.1, 5] minus ln w = [-0.22, 3.26, 1.39, -0.92]: 10.22 vs 5.92, still class1.
    harness.get_by_label("No scenario would change its predicted class.");
    set_value(&mut harness, "weight of class1", 200.0); // ln 200 = 5.3: case 10 becomes debris
    harness.get_by_label("case 10: debris called class1, debris second: class1 -> class4 (debris)");
}

#[test]
fn the_balance_view_lists_where_each_trade_evens_out() {
    let (mut harness, _) = harness();
    harness.get_by_label("FP vs FN").click();
    harness.run();
    // Plain CE: per sample at w_debris = w_c; times counts at n_c w_c / n_debris.
    harness.get_by_label("26.0000");
    harness.get_by_label("0.5200");
    harness.get_by_label("0.4160");
    harness.get_by_role_and_label(Role::CheckBox, "class4 (debris) called class2");
}
