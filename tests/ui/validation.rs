//! Loading validation outputs into the window: from the menu (with the labels of a `.npy`
//! asked for), dropped on the window, remembered by the preset; a bad file keeps what was
//! loaded.

use std::path::{Path, PathBuf};

use eframe::egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use weightbench::app::{State, WeightbenchApp};
use weightbench::core::{Edit, ValidationSettings};
use weightbench::dialog::DialogKind;

use crate::support::{drop_files, harness, harness_with, settle, shortcut};

/// A fixture written by numpy (see `tests/data/make_fixtures.py`).
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn drop_file(harness: &mut Harness<'_, WeightbenchApp>, path: PathBuf) {
    drop_files(harness, &[path]);
}

#[test]
fn a_dropped_npz_loads_in_the_background_and_the_preset_remembers_it() {
    let (mut harness, _) = harness();
    let path = fixture("stored.npz");
    drop_file(&mut harness, path.clone());
    let app = harness.state();
    let data = app.validation().expect("loaded");
    assert_eq!((data.samples(), data.classes), (6, 4));
    // logits = (4 i + c) / 8 - 1 (make_fixtures.py): row 1 is [-0.5, -0.375, -0.25, -0.125].
    assert_eq!(data.row(1), [-0.5, -0.375, -0.25, -0.125]);
    assert_eq!(
        app.notice().unwrap().text,
        format!("Loaded 6 samples x 4 classes from {}", path.display())
    );
    assert_eq!(app.preset().validation.path, path.display().to_string());
    assert_eq!(
        app.preset().validation.trained_with,
        [0.8, 26.0, 4.0, 0.4],
        "trained with the weights shown when loaded"
    );
    assert_eq!(app.state().recent_validation, [path]);
    assert!(
        app.has_unsaved_changes(),
        "the preset now remembers the file"
    );
}

#[test]
fn a_bad_file_keeps_what_was_loaded_and_says_why() {
    let (mut harness, _) = harness();
    drop_file(&mut harness, fixture("stored.npz"));
    drop_file(&mut harness, fixture("no_labels.npz"));
    let app = harness.state();
    assert_eq!(
        app.validation().unwrap().samples(),
        6,
        "the first file stays"
    );
    let notice = app.notice().unwrap();
    assert!(notice.is_error);
    assert!(
        notice.text.contains("no_labels.npz") && notice.text.contains("labels"),
        "{}",
        notice.text
    );
    assert!(
        notice
            .text
            .ends_with("; the validation outputs loaded before are kept"),
        "{}",
        notice.text
    );
}

#[test]
fn a_npy_of_scores_asks_for_its_labels() {
    let (mut harness, dialogs) = harness();
    dialogs.answer(&fixture("logits_f32.npy"));
    dialogs.answer(&fixture("labels_u8.npy"));
    shortcut(&mut harness, Modifiers::COMMAND, Key::L);
    settle(&mut harness);
    assert_eq!(
        dialogs.asked(),
        [DialogKind::OpenValidation, DialogKind::OpenLabels]
    );
    let app = harness.state();
    let data = app.validation().expect("loaded");
    assert_eq!((data.samples(), data.classes), (6, 4));
    assert_eq!(
        app.preset().validation.labels,
        fixture("labels_u8.npy").display().to_string()
    );
}

#[test]
fn a_preset_whose_validation_file_is_missing_opens_with_a_notice() {
    let mut state = State::default();
    state
        .document
        .preset
        .apply(Edit::Validation(ValidationSettings {
            path: "/nonexistent/validation.npz".to_owned(),
            trained_with: vec![0.8, 26.0, 4.0, 0.4],
            ..ValidationSettings::default()
        }))
        .unwrap();
    state.document.baseline = state.document.preset.clone();
    let (harness, _) = harness_with(state);
    let app = harness.state();
    assert!(app.validation().is_none());
    assert_eq!(app.preset().scenarios.len(), 11, "the preset opened");
    let notice = app.notice().unwrap();
    assert!(notice.is_error);
    assert_eq!(
        notice.text,
        "The preset's validation file /nonexistent/validation.npz is missing; load it again with File > Load validation outputs…"
    );
}

#[test]
fn a_preset_that_remembers_its_validation_file_loads_it_on_start() {
    let mut state = State::default();
    let path = fixture("compressed.npz");
    state
        .document
        .preset
        .apply(Edit::Validation(ValidationSettings {
            path: path.display().to_string(),
            trained_with: vec![0.8, 26.0, 4.0, 0.4],
            ..ValidationSettings::default()
        }))
        .unwrap();
    state.document.baseline = state.document.preset.clone();
    let (harness, _) = harness_with(state);
    let app = harness.state();
    assert_eq!(
        app.validation()
            .map(weightbench::core::outcomes::data::ValidationData::samples),
        Some(6)
    );
    assert!(!app.has_unsaved_changes(), "the same file: nothing changed");
    harness.get_by_label(&format!(
        "Loaded 6 samples x 4 classes from {}",
        path.display()
    ));
}

#[test]
fn a_new_preset_starts_without_the_old_ones_validation_outputs() {
    let (mut harness, _) = harness();
    drop_file(&mut harness, fixture("stored.npz"));
    assert!(harness.state().validation().is_some());
    shortcut(&mut harness, Modifiers::COMMAND, Key::N);
    harness.get_by_label("Discard changes").click();
    settle(&mut harness);
    let app = harness.state();
    assert_eq!(app.preset().classes.len(), 2, "the blank preset");
    assert!(app.validation().is_none(), "the notebook's data is gone");
    assert!(app.outcomes().is_none());
}
