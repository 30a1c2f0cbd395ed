//! Files: open, save, the unsaved-changes guard, recent files, dropped files, closing, and the state saved between launches.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use weightbench::app::store::MemoryStore;
use weightbench::app::{State, WeightbenchApp};
use weightbench::core::load_preset;
use weightbench::dialog::DialogKind;

use crate::support::{
    MemoryStorage, NOTEBOOK, ScriptedDialogs, drop_files, harness, harness_with, notebook,
    set_value, settle, shortcut,
};

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
    settle(&mut harness);
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
    // The missing comma after `name: "x"`, where `classes` starts on line 4.
    let message = format!(
        "{}:4:5: Expected comma; the current preset is unchanged",
        broken.display()
    );
    assert_eq!(notice.text, message);
    harness.get_by_label(&message); // in the status bar
    assert_eq!(harness.state().preset(), &edited);
}

#[test]
fn the_unsaved_changes_guard_asks_before_new() {
    let (mut harness, _) = harness();
    set_value(&mut harness, "weight of class4 (debris)", 1.0);
    shortcut(&mut harness, Modifiers::COMMAND, Key::N);
    harness.get_by_label("Unsaved changes");
    harness.get_by_label("Cancel").click();
    settle(&mut harness);
    assert!(harness.query_by_label("Unsaved changes").is_none());
    assert_eq!(
        harness.state().preset().classes[3].weight,
        1.0,
        "cancel keeps the edits"
    );
    shortcut(&mut harness, Modifiers::COMMAND, Key::N);
    harness.get_by_label("Discard changes").click();
    settle(&mut harness);
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
    settle(&mut harness);
    let written_path = dir.path().join("heavier-debris.ron");
    let written = load_preset(&written_path).unwrap();
    assert_eq!(written.classes[3].weight, 1.0);
    let mut heavier_debris = notebook();
    heavier_debris.classes[3].weight = 1.0;
    assert_eq!(written, heavier_debris, "the edited preset, all of it");
    assert_eq!(dialogs.asked().len(), 2);
    assert!(matches!(dialogs.asked()[0], DialogKind::Save { .. }));
    assert_eq!(
        dialogs.asked(),
        [
            DialogKind::Save {
                file_name: "preset.ron".to_owned()
            },
            DialogKind::Open
        ]
    );
    assert_eq!(
        harness.state().preset(),
        &notebook(),
        "the open went on after the save"
    );
    assert_eq!(harness.state().state().recent.len(), 2);
    assert_eq!(
        harness.state().state().recent,
        [PathBuf::from(NOTEBOOK), written_path],
        "the latest file first"
    );
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
fn a_failed_save_is_a_notice_and_the_changes_stay_unsaved() {
    let (mut harness, dialogs) = harness();
    let dir = tempfile::tempdir().unwrap();
    // A file where the folder should be: the write is refused, even to root.
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "x").unwrap();
    set_value(&mut harness, "weight of class2", 13.0);
    dialogs.answer(&blocker.join("mine.ron"));
    shortcut(&mut harness, Modifiers::COMMAND, Key::O);
    harness.get_by_label("Save").click();
    settle(&mut harness);
    let app = harness.state();
    let notice = app.notice().unwrap();
    assert!(notice.is_error);
    assert!(
        notice.text.contains("mine.ron") && notice.text.ends_with("; nothing was changed"),
        "{}",
        notice.text
    );
    assert!(app.has_unsaved_changes());
    assert!(app.title().starts_with("* "));
    assert_eq!(app.state().document.path, None);
    assert_eq!(app.preset().classes[1].weight, 13.0);
    assert!(app.state().recent.is_empty());
    assert_eq!(
        dialogs.asked().len(),
        1,
        "the Open waiting on the save did not go on"
    );
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
    harness.get_by_label(
        "No file dialog could be shown on this desktop (no portal or zenity); type the path instead",
    );
    let other = tempfile::Builder::new().suffix(".ron").tempfile().unwrap();
    let text = std::fs::read_to_string(NOTEBOOK)
        .unwrap()
        .replace("weight: 0.4", "weight: 1.0");
    std::fs::write(other.path(), text).unwrap();
    // The path field has the keyboard as soon as the prompt opens; Enter confirms.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.event(egui::Event::Text(other.path().to_str().unwrap().to_owned()));
    settle(&mut harness);
    assert_eq!(
        harness.get_by_label("preset path").value().as_deref(),
        other.path().to_str()
    );
    harness.key_press(Key::Enter);
    settle(&mut harness);
    assert_eq!(harness.state().preset().classes[3].weight, 1.0);
    assert_eq!(
        harness.state().state().document.path.as_deref(),
        Some(other.path())
    );
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
    settle(&mut harness);
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(
        harness.state().preset(),
        &notebook(),
        "shortcuts work again once answered"
    );
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
    settle(&mut harness);
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
    eframe::App::on_exit(harness.state_mut());
    let next_launch = WeightbenchApp::from_store(
        harness.state().store(),
        Some(&storage),
        None,
        Arc::new(ScriptedDialogs::default()),
    );
    assert_eq!(
        next_launch.preset(),
        &notebook(),
        "discarded edits do not come back"
    );
}

#[test]
fn a_dropped_file_is_opened() {
    let mut state = State::default();
    state.document.preset.name = "something else".to_owned();
    state.document.baseline = state.document.preset.clone();
    let (mut harness, _) = harness_with(state);
    drop_files(&mut harness, &[PathBuf::from(NOTEBOOK)]);
    assert_eq!(harness.state().preset(), &notebook());
    assert_eq!(
        harness.state().state().document.path.as_deref(),
        Some(Path::new(NOTEBOOK))
    );
    assert_eq!(
        harness.state().title(),
        format!("Notebook: rare objects in debris — {NOTEBOOK} — weightbench")
    );
    assert_eq!(harness.state().state().recent, [PathBuf::from(NOTEBOOK)]);
    harness.get_by_label(&format!("Opened {NOTEBOOK}"));
}

#[test]
fn a_recent_file_opens_from_the_menu() {
    let mut state = State {
        recent: vec![PathBuf::from(NOTEBOOK)],
        ..State::default()
    };
    state.document.preset.classes[0].weight = 5.0;
    state.document.baseline = state.document.preset.clone();
    let (mut harness, _) = harness_with(state);
    harness.get_by_label("File").click();
    settle(&mut harness);
    harness.get_by_label("Open recent").hover();
    settle(&mut harness);
    harness.get_by_label(NOTEBOOK).click();
    settle(&mut harness);
    assert_eq!(harness.state().preset(), &notebook());
    assert_eq!(
        harness.state().state().document.path.as_deref(),
        Some(Path::new(NOTEBOOK))
    );
}

#[test]
fn the_last_preset_comes_back_on_the_next_launch_unless_a_file_is_given() {
    let (mut harness, _) = harness();
    set_value(&mut harness, "weight of class4 (debris)", 1.0);
    harness.get_by_label("New scenario").click();
    settle(&mut harness);
    let mut storage = MemoryStorage::default();
    eframe::App::save(harness.state_mut(), &mut storage);
    eframe::App::on_exit(harness.state_mut());
    let edited = harness.state().preset().clone();

    let restored = WeightbenchApp::from_store(
        harness.state().store(),
        Some(&storage),
        None,
        Arc::new(ScriptedDialogs::default()),
    );
    assert_eq!(restored.preset(), &edited, "content, not just a path");
    assert!(
        restored.has_unsaved_changes(),
        "still unsaved after a restart"
    );

    let given = (PathBuf::from(NOTEBOOK), notebook());
    let opened = WeightbenchApp::from_store(
        harness.state().store(),
        Some(&storage),
        Some(given),
        Arc::new(ScriptedDialogs::default()),
    );
    assert_eq!(opened.preset(), &notebook());
    assert!(!opened.has_unsaved_changes());
    assert_eq!(opened.state().recent, [PathBuf::from(NOTEBOOK)]);
}

#[test]
fn a_corrupt_saved_state_falls_back_to_the_notebook() {
    let mut storage = MemoryStorage::default();
    let mut broken = State {
        recent: vec![PathBuf::from(NOTEBOOK)],
        ..State::default()
    };
    broken.document.preset.scenarios[0].logits.pop();
    // Where an earlier weightbench kept it: eframe's storage, read when the store is empty.
    eframe::set_value(&mut storage, eframe::APP_KEY, &broken);
    let app = WeightbenchApp::from_store(
        Arc::new(MemoryStore::default()),
        Some(&storage),
        None,
        Arc::new(ScriptedDialogs::default()),
    );
    assert_eq!(app.preset(), &notebook());
    assert!(!app.has_unsaved_changes());
    assert_eq!(
        app.state().recent,
        [PathBuf::from(NOTEBOOK)],
        "the recent files survive"
    );
}
