//! What every window test needs: file dialogs that answer from a script, a harness at the
//! window's default size, key and value helpers, saved-state storage, and the notebook.

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

/// The notebook preset the window opens on.
pub const NOTEBOOK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/presets/notebook.ron");

/// File dialogs that answer from a script and remember what they were asked.
#[derive(Clone, Default)]
pub struct ScriptedDialogs(Rc<RefCell<(VecDeque<DialogOutcome>, Vec<DialogKind>)>>);

impl ScriptedDialogs {
    /// The next dialog returns `path` after a user-like pause.
    pub fn answer(&self, path: &Path) {
        self.0.borrow_mut().0.push_back(DialogOutcome {
            path: Some(path.to_owned()),
            elapsed: Duration::from_secs(2),
        });
    }

    /// The next dialog returns nothing at once, as rfd does where no dialog can be shown.
    pub fn no_dialog(&self) {
        self.0.borrow_mut().0.push_back(DialogOutcome {
            path: None,
            elapsed: Duration::ZERO,
        });
    }

    /// Every dialog asked for so far, in order.
    pub fn asked(&self) -> Vec<DialogKind> {
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

/// The window on `state` at its default size (1600x1000), after its first frames.
pub fn harness_with(state: State) -> (Harness<'static, WeightbenchApp>, ScriptedDialogs) {
    let dialogs = ScriptedDialogs::default();
    let app = WeightbenchApp::new(state, Box::new(dialogs.clone()));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(|_| app);
    harness.run();
    (harness, dialogs)
}

/// The window as it first opens: on the notebook.
pub fn harness() -> (Harness<'static, WeightbenchApp>, ScriptedDialogs) {
    harness_with(State::default())
}

/// Presses a key with modifiers and lets the window answer.
pub fn shortcut(harness: &mut Harness<'_, WeightbenchApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run();
}

/// Ctrl+Shift (Cmd+Shift on macOS), as redo takes it.
pub const SHIFT_COMMAND: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

/// Sets the value of the widget with this label, as a screen reader would.
pub fn set_value(harness: &mut Harness<'_, WeightbenchApp>, label: &str, value: f64) {
    harness.get_by_label(label).set_value_accesskit(value);
    harness.run();
}

/// Sets a slider (not the value field next to it, which carries the same label).
pub fn set_slider(harness: &mut Harness<'_, WeightbenchApp>, label: &str, value: f64) {
    harness
        .get_by_role_and_label(Role::Slider, label)
        .set_value_accesskit(value);
    harness.run();
}

/// Whether the scenario list shows a row (a button) with this name; the plot legend's
/// entries of the same name are checkboxes.
pub fn list_shows(harness: &Harness<'_, WeightbenchApp>, name: &str) -> bool {
    harness
        .query_by_role_and_label(Role::Button, name)
        .is_some()
}

/// The notebook preset, read from its file.
pub fn notebook() -> Preset {
    load_preset(NOTEBOOK.as_ref()).unwrap()
}

#[derive(Default)]
/// Saved state in memory, as eframe would keep it between launches.
pub struct MemoryStorage(std::collections::HashMap<String, String>);

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
