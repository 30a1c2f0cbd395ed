//! What every window test needs: file dialogs that answer from a script, a harness at the
//! window's default size, key and value helpers, saved-state storage, and the notebook.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use eframe::egui::accesskit::{Role, Toggled};
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{AccessKitNode, NodeT as _, Queryable as _};
use weightbench::app::{State, WeightbenchApp};
use weightbench::core::{Preset, load_preset};
use weightbench::dialog::{DialogKind, DialogOutcome, FileDialogs};

/// The notebook preset the window opens on.
pub const NOTEBOOK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/presets/notebook.ron");

/// File dialogs that answer from a script and remember what they were asked.
#[derive(Clone, Default)]
pub struct ScriptedDialogs(Arc<Mutex<(VecDeque<DialogOutcome>, Vec<DialogKind>)>>);

impl ScriptedDialogs {
    /// The next dialog returns `path` after a user-like pause.
    pub fn answer(&self, path: &Path) {
        self.0.lock().unwrap().0.push_back(DialogOutcome {
            path: Some(path.to_owned()),
            elapsed: Duration::from_secs(2),
        });
    }

    /// The next dialog returns nothing at once, as rfd does where no dialog can be shown.
    pub fn no_dialog(&self) {
        self.0.lock().unwrap().0.push_back(DialogOutcome {
            path: None,
            elapsed: Duration::ZERO,
        });
    }

    /// Every dialog asked for so far, in order.
    pub fn asked(&self) -> Vec<DialogKind> {
        self.0.lock().unwrap().1.clone()
    }
}

impl FileDialogs for ScriptedDialogs {
    fn pick(&self, kind: DialogKind, _folder: Option<PathBuf>) -> DialogOutcome {
        let mut script = self.0.lock().unwrap();
        script.1.push(kind);
        // Unscripted dialogs are cancelled by the user.
        script.0.pop_front().unwrap_or(DialogOutcome {
            path: None,
            elapsed: Duration::from_secs(3),
        })
    }
}

/// Runs frames until the window settles and no background work (a file dialog's thread)
/// is left running; fails after 10 s rather than hanging.
pub fn settle(harness: &mut Harness<'_, WeightbenchApp>) {
    let start = Instant::now();
    harness.run_ok();
    while harness.state().is_busy() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "background work did not finish"
        );
        std::thread::sleep(Duration::from_millis(1));
        harness.step();
    }
    harness.run();
}

/// The window on `state` at its default size (1600x1000), after its first frames.
pub fn harness_with(state: State) -> (Harness<'static, WeightbenchApp>, ScriptedDialogs) {
    let dialogs = ScriptedDialogs::default();
    let app = WeightbenchApp::new(state, Arc::new(dialogs.clone()));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(|_| app);
    settle(&mut harness);
    (harness, dialogs)
}

/// The window as it first opens: on the notebook.
pub fn harness() -> (Harness<'static, WeightbenchApp>, ScriptedDialogs) {
    harness_with(State::default())
}

/// Switches the class weights to the full editor (rename, reorder, add, remove), which fills
/// the workspace.
pub fn full_class_editor(harness: &mut Harness<'_, WeightbenchApp>) {
    harness.get_by_label("Full editor…").click();
    settle(harness);
}

/// Presses a key with modifiers and lets the window answer.
pub fn shortcut(harness: &mut Harness<'_, WeightbenchApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    settle(harness);
}

/// Ctrl+Shift (Cmd+Shift on macOS), as redo takes it.
pub const SHIFT_COMMAND: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

/// Sets the value of the widget with this label, as a screen reader would.
pub fn set_value(harness: &mut Harness<'_, WeightbenchApp>, label: &str, value: f64) {
    harness.get_by_label(label).set_value_accesskit(value);
    settle(harness);
}

/// Sets a slider (not the value field next to it, which carries the same label).
pub fn set_slider(harness: &mut Harness<'_, WeightbenchApp>, label: &str, value: f64) {
    harness
        .get_by_role_and_label(Role::Slider, label)
        .set_value_accesskit(value);
    settle(harness);
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

/// The text a widget shows: a label's value, a button's label (selectable labels are buttons).
fn shown_text(node: &AccessKitNode<'_>) -> Option<String> {
    match node.role() {
        Role::Label => node.value(),
        Role::Button => node.label(),
        _ => None,
    }
}

/// The rows of the table whose header row reads `headers` (left to right), as the window
/// shows them: for each row under the header, the text in each of those columns.
///
/// A cell is a label or button that starts where its column's header starts; a row is the
/// cells level with a cell of the first column. A missing cell reads `"(no cell)"`; the
/// table ends before the first row with nothing but its first cell (text below the table).
pub fn table_rows(harness: &Harness<'_, WeightbenchApp>, headers: &[&str]) -> Vec<Vec<String>> {
    let cells: Vec<(String, egui::Rect)> = harness
        .query_all_by(|node| shown_text(node).is_some())
        .filter_map(|node| Some((shown_text(&node.accesskit_node())?, node.rect())))
        .collect();
    let level = |a: egui::Rect, b: egui::Rect| a.y_range().contains(b.center().y);
    let header_rows: Vec<Vec<egui::Rect>> = cells
        .iter()
        .filter(|(text, _)| text == headers[0])
        .filter_map(|&(_, first)| {
            headers
                .iter()
                .map(|header| {
                    cells
                        .iter()
                        .find(|(text, rect)| text == header && level(*rect, first))
                        .map(|&(_, rect)| rect)
                })
                .collect()
        })
        .collect();
    assert_eq!(
        header_rows.len(),
        1,
        "one header row reads {headers:?}: {header_rows:?}"
    );
    let columns = &header_rows[0];
    let in_column = |rect: egui::Rect, column: usize| {
        (rect.left() - columns[column].left()).abs() < 1.0 && rect.top() >= columns[column].bottom()
    };
    let mut first_cells: Vec<egui::Rect> = cells
        .iter()
        .filter(|&&(_, rect)| in_column(rect, 0))
        .map(|&(_, rect)| rect)
        .collect();
    first_cells.sort_by(|a, b| a.top().total_cmp(&b.top()));
    let cell = |column: usize, anchor: egui::Rect| {
        cells
            .iter()
            .find(|&&(_, rect)| in_column(rect, column) && level(rect, anchor))
            .map(|(text, _)| text.clone())
    };
    first_cells
        .into_iter()
        .map(|anchor| {
            (0..columns.len())
                .map(|column| cell(column, anchor))
                .collect::<Vec<_>>()
        })
        .take_while(|row| columns.len() == 1 || row[1..].iter().any(Option::is_some))
        .map(|row| {
            row.into_iter()
                .map(|text| text.unwrap_or_else(|| "(no cell)".to_owned()))
                .collect()
        })
        .collect()
}

/// The scenarios whose list row carries `mark` ("FP" or "FN"), top to bottom.
pub fn rows_marked(harness: &Harness<'_, WeightbenchApp>, mark: &str) -> Vec<String> {
    let mut marked: Vec<(f32, String)> = harness
        .query_all_by_label(mark)
        .map(|mark| {
            let row = mark.rect();
            let name = harness
                .query_all_by_role(Role::Button)
                .find(|button| button.rect().y_range().contains(row.center().y))
                .and_then(|button| button.accesskit_node().label())
                .unwrap_or_default();
            (row.top(), name)
        })
        .collect();
    marked.sort_by(|a, b| a.0.total_cmp(&b.0));
    marked.into_iter().map(|(_, name)| name).collect()
}

/// Whether the check box or radio button with this label is checked.
pub fn is_checked(harness: &Harness<'_, WeightbenchApp>, label: &str) -> bool {
    harness.get_by_label(label).accesskit_node().toggled() == Some(Toggled::True)
}

/// A file dropped on the window.
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

/// Drops `paths` on the window at once, as a desktop does, and settles.
pub fn drop_files(harness: &mut Harness<'_, WeightbenchApp>, paths: &[PathBuf]) {
    for path in paths {
        harness
            .input_mut()
            .dropped_files
            .push(Arc::new(Dropped(path.clone())));
    }
    settle(harness);
}
