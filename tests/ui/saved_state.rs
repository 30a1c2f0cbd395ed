//! The state saved between launches: kept in a file of its own, replaced whole; a damaged,
//! foreign or unreadable one never stops the window, which starts from what it can restore and
//! says once what it could not; a failed save says so once. And validation outputs given on
//! the command line (`weightbench val.npz`, as a file manager starts it).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use weightbench::app::store::{MemoryStore, StateFile, StateStore};
use weightbench::app::{State, WeightbenchApp};
use weightbench::core::{Edit, ValidationSettings};

use crate::support::{MemoryStorage, NOTEBOOK, ScriptedDialogs, notebook, set_value, settle};

/// The window as eframe starts it on `store` (and eframe's own `storage`), after its first
/// frames.
fn launch(
    store: &Arc<dyn StateStore>,
    storage: Option<&MemoryStorage>,
) -> Harness<'static, WeightbenchApp> {
    let storage = storage.map(|s| s as &dyn eframe::Storage);
    let app = WeightbenchApp::from_store(
        Arc::clone(store),
        storage,
        None,
        Arc::new(ScriptedDialogs::default()),
    );
    started(app)
}

fn started(app: WeightbenchApp) -> Harness<'static, WeightbenchApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(|_| app);
    settle(&mut harness);
    harness
}

/// A fixture written by numpy (see `tests/data/make_fixtures.py`).
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Replaces the status bar's message with another one.
fn copy_a_snippet(harness: &mut Harness<'_, WeightbenchApp>) {
    harness.get_by_label("Loss & export").click();
    settle(harness);
    harness.get_by_label("Copy PyTorch").click_accesskit(); // the pane scrolls: a screen reader reaches it wherever it is
    settle(harness);
    assert_eq!(
        harness.state().notice().unwrap().text,
        "Copied the PyTorch snippet to the clipboard"
    );
}

/// A saved state with an edited preset and settings, as RON.
fn saved_text() -> String {
    let mut state = State {
        recent: vec![PathBuf::from(NOTEBOOK)],
        ..State::default()
    };
    state.document.preset.classes[1].weight = 13.0;
    state.loss_curves.log_axis = true;
    let mut harness = started(WeightbenchApp::new(
        state,
        Arc::new(ScriptedDialogs::default()),
    ));
    eframe::App::save(harness.state_mut(), &mut MemoryStorage::default());
    eframe::App::on_exit(harness.state_mut());
    let bytes = harness.state().store().read().unwrap().unwrap();
    String::from_utf8(bytes).unwrap()
}

#[test]
fn a_damaged_or_foreign_saved_state_opens_the_window_and_says_once_what_was_lost() {
    let saved = saved_text();
    let cut = |field: &str| saved.as_bytes()[..saved.find(field).unwrap() + 20].to_vec();
    // (case, saved bytes, what the notice says, whether the edited preset is restored)
    let cases: Vec<(&str, Vec<u8>, &str, bool)> = vec![
        (
            "cut short in the outcomes settings",
            cut("    outcomes:"),
            "is damaged (line ",
            true,
        ),
        (
            "cut short in the preset's saved copy",
            cut("    baseline:"),
            // The preset's part comes first: cut there, nothing of the state is readable.
            "Could not read the saved state in memory (line ",
            false,
        ),
        (
            "wrong types and unknown fields",
            saved
                .replace("log_axis: true", "log_axis: \"yes\"")
                .replacen("(\n", "(\n    theme: (dark: true),\n", 1)
                .into_bytes(),
            "Could not restore the loss plot's settings (loss_curves: ",
            true,
        ),
        (
            "a preset that fails validation",
            saved
                .replacen("weight: 13.0", "weight: -13.0", 1)
                .into_bytes(),
            "Could not restore the preset (preset: ",
            false,
        ),
        ("empty", Vec::new(), "(it is empty)", false),
        (
            "binary",
            std::fs::read(fixture("stored.npz")).unwrap(),
            "(it is not text: ",
            false,
        ),
    ];
    for (case, bytes, says, keeps_preset) in cases {
        let store: Arc<dyn StateStore> = Arc::new(MemoryStore::holding(bytes));
        let mut harness = launch(&store, None);
        let app = harness.state();
        let notice = app.notice().unwrap_or_else(|| panic!("{case}: no notice"));
        assert!(notice.is_error, "{case}");
        assert!(notice.text.contains(says), "{case}: {}", notice.text);
        assert!(
            notice
                .text
                .to_lowercase()
                .contains("the saved state in memory"),
            "{case}: names the store: {}",
            notice.text
        );
        // Shown, once: one label in the window.
        harness.get_by_label(&notice.text.clone());
        if keeps_preset {
            assert_eq!(
                app.preset().classes[1].weight,
                13.0,
                "{case}: the rest restored"
            );
            assert_eq!(app.state().recent, [PathBuf::from(NOTEBOOK)], "{case}");
        } else {
            assert_eq!(
                app.preset(),
                &notebook(),
                "{case}: starts from the notebook"
            );
            assert!(!app.has_unsaved_changes(), "{case}");
        }
        // Replaced by the next message, it does not come back.
        copy_a_snippet(&mut harness);
        for _ in 0..3 {
            harness.step();
        }
        assert_eq!(
            harness.state().notice().unwrap().text,
            "Copied the PyTorch snippet to the clipboard",
            "{case}"
        );
        // Once saved, the next launch restores without a word.
        eframe::App::save(harness.state_mut(), &mut MemoryStorage::default());
        eframe::App::on_exit(harness.state_mut());
        let relaunched = launch(&store, None);
        assert_eq!(relaunched.state().notice(), None, "{case}");
        assert_eq!(
            relaunched.state().state(),
            harness.state().state(),
            "{case}"
        );
    }
}

#[test]
fn the_state_goes_to_its_own_file_and_comes_back() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("weightbench").join("state.ron");
    let store: Arc<dyn StateStore> = Arc::new(StateFile::new(&path));
    let mut storage = MemoryStorage::default();
    let mut harness = launch(&store, Some(&storage));
    set_value(&mut harness, "weight of class4 (debris)", 1.0);
    eframe::App::save(harness.state_mut(), &mut storage);
    eframe::App::on_exit(harness.state_mut());
    assert!(path.is_file(), "written, folder and all");
    assert_eq!(
        eframe::Storage::get_string(&storage, eframe::APP_KEY),
        None,
        "eframe's storage keeps no state of weightbench's"
    );
    let relaunched = launch(&store, Some(&storage));
    assert_eq!(relaunched.state().state(), harness.state().state());
    assert_eq!(relaunched.state().notice(), None);
    assert!(
        relaunched.state().has_unsaved_changes(),
        "still an unsaved edit"
    );
}

#[test]
fn the_state_an_earlier_weightbench_kept_in_eframes_storage_is_read_once_and_moved() {
    let mut earlier = State {
        recent: vec![PathBuf::from(NOTEBOOK)],
        ..State::default()
    };
    earlier.document.preset.classes[0].weight = 2.0;
    let mut storage = MemoryStorage::default();
    eframe::set_value(&mut storage, eframe::APP_KEY, &earlier);
    let store: Arc<dyn StateStore> = Arc::new(MemoryStore::default());
    let mut harness = launch(&store, Some(&storage));
    // The workspace shown is laid out for the window on its first frame.
    let laid_out = |state: &State| State {
        workspaces: weightbench::app::workspace::Workspaces::default(),
        ..state.clone()
    };
    assert_eq!(laid_out(harness.state().state()), earlier);
    assert_eq!(harness.state().notice(), None);
    // The first save moves it, unchanged as it is, and drops eframe's copy.
    eframe::App::save(harness.state_mut(), &mut storage);
    eframe::App::on_exit(harness.state_mut());
    assert_eq!(eframe::Storage::get_string(&storage, eframe::APP_KEY), None);
    let relaunched = launch(&store, None);
    assert_eq!(relaunched.state().state(), harness.state().state());
}

#[test]
fn a_failed_save_says_so_once_and_the_window_carries_on() {
    let folder = tempfile::tempdir().unwrap();
    // A file where the state's folder should be: refused even to root.
    let blocker = folder.path().join("weightbench");
    std::fs::write(&blocker, "").unwrap();
    let store: Arc<dyn StateStore> = Arc::new(StateFile::new(blocker.join("state.ron")));
    let mut storage = MemoryStorage::default();
    let mut harness = launch(&store, Some(&storage));
    // The folder cannot be read either: the window opens on the notebook and says so.
    assert!(
        harness
            .state()
            .notice()
            .unwrap()
            .text
            .contains("(Not a directory (os error 20))"),
        "{:?}",
        harness.state().notice()
    );
    harness.get_by_label("log loss axis").click();
    settle(&mut harness);
    eframe::App::save(harness.state_mut(), &mut storage);
    eframe::App::on_exit(harness.state_mut());
    settle(&mut harness);
    let notice = harness.state().notice().unwrap().clone();
    assert!(notice.is_error);
    assert!(
        notice.text.starts_with(&format!(
            "Could not save the window's state to {} (",
            blocker.join("state.ron").display()
        )) && notice
            .text
            .ends_with("); it is tried again every 30 s and on quitting"),
        "{}",
        notice.text
    );
    harness.get_by_label(&notice.text);
    copy_a_snippet(&mut harness);
    eframe::App::save(harness.state_mut(), &mut storage);
    eframe::App::on_exit(harness.state_mut());
    settle(&mut harness);
    assert_eq!(
        harness.state().notice().unwrap().text,
        "Copied the PyTorch snippet to the clipboard",
        "the same failure is not said again"
    );
    assert!(
        harness.state().state().loss_curves.axis_chosen,
        "the window carries on"
    );
}

#[test]
fn validation_outputs_given_at_start_up_load_into_the_saved_preset() {
    // The saved preset remembers other outputs; the file given wins.
    let mut state = State::default();
    state.document.preset.classes[1].weight = 13.0;
    state
        .document
        .preset
        .apply(Edit::Validation(ValidationSettings {
            path: fixture("compressed.npz").display().to_string(),
            trained_with: vec![0.8, 26.0, 4.0, 0.4],
            ..ValidationSettings::default()
        }))
        .unwrap();
    state.document.baseline = state.document.preset.clone();
    let mut saving = started(WeightbenchApp::new(
        state,
        Arc::new(ScriptedDialogs::default()),
    ));
    eframe::App::save(saving.state_mut(), &mut MemoryStorage::default());
    eframe::App::on_exit(saving.state_mut());

    let given = fixture("stored.npz");
    let app = WeightbenchApp::from_store(
        saving.state().store(),
        None,
        None,
        Arc::new(ScriptedDialogs::default()),
    )
    .loading_validation(given.clone());
    let harness = started(app);
    let app = harness.state();
    assert_eq!(app.preset().classes[1].weight, 13.0, "the saved preset");
    let data = app.validation().expect("loaded");
    assert_eq!((data.samples(), data.classes), (6, 4));
    assert_eq!(app.preset().validation.path, given.display().to_string());
    harness.get_by_label(&format!(
        "Loaded 6 samples x 4 classes from {}",
        given.display()
    ));
}

#[test]
fn what_could_not_be_restored_is_said_after_the_start_up_load() {
    let store: Arc<dyn StateStore> = Arc::new(MemoryStore::holding(*b"(recent: 5)"));
    let app = WeightbenchApp::from_store(
        Arc::clone(&store),
        None,
        None,
        Arc::new(ScriptedDialogs::default()),
    )
    .loading_validation(fixture("stored.npz"));
    let harness = started(app);
    assert!(harness.state().validation().is_some());
    let notice = harness.state().notice().unwrap();
    assert!(
        notice
            .text
            .starts_with("Could not restore the recent presets (recent: "),
        "{}",
        notice.text
    );
}
