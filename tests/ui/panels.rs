//! Each panel of `weightbench::ui` drawn alone (egui's `demo/modals.rs` style): click, type or
//! set a value on one of its widgets, found by its label, and assert exactly what the panel
//! emitted. Flows across panels (a click whose command the app then applies) stay in the
//! whole-window tests.

mod modals;

use std::path::PathBuf;

use eframe::egui::{self, Key, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use weightbench::command::{Action, Command, TaskKind, Workspace};
use weightbench::core::export::Target;
use weightbench::core::{Analysis, AnalysisInputs, Edit, LossOptions, Preset, Scheme};
use weightbench::ui::dialogs::{self, DialogPurpose, GuardAnswer, PathPrompt, PromptAnswer};
use weightbench::ui::scenario_list::ScenarioFilter;
use weightbench::ui::status_bar::{Activity, Notice};
use weightbench::ui::{
    class_table, loss_and_export, menu_bar, scenario_list, status_bar, weights, workspace_bar,
};

/// A panel's own state (what it may change in place, such as a filter) and what it emitted:
/// commands, or the answers of a function that returns them.
struct Panel<T, O> {
    input: T,
    emitted: Vec<O>,
}

/// One panel alone in a window tall enough that nothing scrolls out of reach, after its
/// first frames; drawing it without any input must emit nothing.
fn panel<'a, T, O: std::fmt::Debug>(
    input: T,
    mut draw: impl FnMut(&mut egui::Ui, &mut T, &mut Vec<O>) + 'a,
) -> Harness<'a, Panel<T, O>> {
    let state = Panel {
        input,
        emitted: Vec::new(),
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1000.0, 1400.0))
        .build_ui_state(
            move |ui, panel: &mut Panel<T, O>| draw(ui, &mut panel.input, &mut panel.emitted),
            state,
        );
    harness.run();
    assert!(
        harness.state().emitted.is_empty(),
        "emitted without input: {:?}",
        harness.state().emitted
    );
    harness
}

/// What the panel emits in answer to `act`, alone.
fn emitted<T, O>(
    harness: &mut Harness<'_, Panel<T, O>>,
    act: impl FnOnce(&Harness<'_, Panel<T, O>>),
) -> Vec<O> {
    harness.state_mut().emitted.clear();
    act(harness);
    harness.run();
    std::mem::take(&mut harness.state_mut().emitted)
}

/// What the panel emits when the widget labelled `label` is clicked.
fn clicking<T, O>(harness: &mut Harness<'_, Panel<T, O>>, label: &str) -> Vec<O> {
    emitted(harness, |harness| harness.get_by_label(label).click())
}

/// Opens the menu (or submenu) labelled `label`.
fn open_menu<T, O>(harness: &mut Harness<'_, Panel<T, O>>, label: &str) {
    harness.get_by_label(label).click();
    harness.run();
}

fn notebook() -> Preset {
    Preset::notebook().unwrap()
}

fn notebook_analysis() -> Analysis {
    Analysis::of(&AnalysisInputs::new(notebook())).unwrap()
}

/// What a panel emits for one edit.
fn edit(edit: Edit) -> Vec<Command> {
    vec![Command::Edit(edit)]
}

// ---- menu_bar

/// The menu bar with these recent files and this undo history.
fn menu_bar_panel(
    recent: Vec<PathBuf>,
    can_undo: bool,
    can_redo: bool,
) -> Harness<'static, Panel<(), Command>> {
    panel((), move |ui, (), commands| {
        let view = menu_bar::View {
            recent: &recent,
            recent_validation: &[],
            can_undo,
            can_redo,
            workspace: Workspace::HandCases,
            maximised: false,
        };
        menu_bar::ui(ui, &view, commands);
    })
}

/// How a menu entry reads to a screen reader: its text, then its shortcut.
fn menu_entry<T, O>(harness: &Harness<'_, Panel<T, O>>, action: Action) -> String {
    let shortcut = harness.ctx.format_shortcut(&action.shortcut());
    format!("{} {shortcut}", action.label())
}

#[test]
fn menu_bar_each_file_and_edit_entry_emits_its_action() {
    let mut harness = menu_bar_panel(Vec::new(), true, true);
    let entries = [
        ("File", Action::New),
        ("File", Action::Open),
        ("File", Action::Save),
        ("File", Action::SaveAs),
        ("File", Action::Quit),
        ("Edit", Action::Undo),
        ("Edit", Action::Redo),
    ];
    for (menu, action) in entries {
        let entry = menu_entry(&harness, action);
        open_menu(&mut harness, menu);
        assert_eq!(
            clicking(&mut harness, &entry),
            [Command::Action(action)],
            "{menu} > {entry}"
        );
        assert!(
            harness.query_by_label(&entry).is_none(),
            "the menu closes after {entry}"
        );
    }
}

#[test]
fn menu_bar_undo_and_redo_without_history_are_disabled_and_emit_nothing() {
    let mut harness = menu_bar_panel(Vec::new(), false, false);
    for action in [Action::Undo, Action::Redo] {
        let entry = menu_entry(&harness, action);
        open_menu(&mut harness, "Edit");
        assert!(
            harness.get_by_label(&entry).accesskit_node().is_disabled(),
            "{entry} is disabled"
        );
        assert_eq!(clicking(&mut harness, &entry), [], "{entry}");
        harness.key_press(Key::Escape);
        harness.run();
    }
}

#[test]
fn menu_bar_a_recent_file_emits_open_path() {
    let recent = vec![
        PathBuf::from("/presets/first.ron"),
        PathBuf::from("/presets/second.ron"),
    ];
    let mut harness = menu_bar_panel(recent, false, false);
    open_menu(&mut harness, "File");
    harness.get_by_label("Open recent").hover();
    harness.run();
    assert_eq!(
        clicking(&mut harness, "/presets/second.ron"),
        [Command::OpenPath(PathBuf::from("/presets/second.ron"))]
    );
}

// ---- status_bar

/// The status bar over the notebook's batch, with these activities and this notice.
fn status_bar_panel(
    activities: Vec<Activity>,
    notice: Option<Notice>,
) -> Harness<'static, Panel<(), Command>> {
    let analysis = notebook_analysis();
    panel((), move |ui, (), commands| {
        let view = status_bar::View {
            activities: &activities,
            notice: notice.as_ref(),
            evaluation: Some(&analysis.evaluation),
            unavailable: None,
        };
        status_bar::ui(ui, &view, commands);
    })
}

#[test]
fn status_bar_cancel_on_an_activity_emits_cancel_of_its_task() {
    let activity = Activity {
        task: TaskKind::FileDialog,
        label: "Waiting for the file dialog".to_owned(),
        fraction: None,
        text: String::new(),
    };
    let mut harness = status_bar_panel(vec![activity], None);
    harness.get_by_label("Waiting for the file dialog");
    assert_eq!(
        clicking(&mut harness, "cancel Waiting for the file dialog"),
        [Command::Cancel(TaskKind::FileDialog)]
    );
}

/// The colour the last frame drew `text` in, if it drew it.
fn text_colour<T, O>(harness: &Harness<'_, Panel<T, O>>, text: &str) -> Option<egui::Color32> {
    harness
        .output()
        .shapes
        .iter()
        .find_map(|clipped| match &clipped.shape {
            egui::Shape::Text(shape) if shape.galley.text() == text => {
                let colour = shape.galley.job.sections.first()?.format.color;
                let colour = if colour == egui::Color32::PLACEHOLDER {
                    shape.fallback_color
                } else {
                    colour
                };
                Some(shape.override_text_color.unwrap_or(colour))
            }
            _ => None,
        })
}

#[test]
fn status_bar_an_error_notice_is_shown_in_the_error_colour_instead_of_the_batch_summary() {
    let error = "Could not open /nowhere.ron: No such file or directory";
    let harness = status_bar_panel(Vec::new(), Some(Notice::error(error)));
    harness.get_by_label(error);
    let error_colour = harness.ctx.global_style().visuals.error_fg_color;
    assert_eq!(text_colour(&harness, error), Some(error_colour));
    assert!(
        harness.query_by_label_contains("sum ").is_none(),
        "the notice takes the batch summary's place"
    );

    let info = "Saved /tmp/notebook.ron";
    let harness = status_bar_panel(Vec::new(), Some(Notice::info(info)));
    harness.get_by_label(info);
    assert_ne!(text_colour(&harness, info), Some(error_colour));
    assert!(text_colour(&harness, info).is_some());
}

#[test]
fn status_bar_without_a_notice_shows_the_notebook_batch_sum_and_mean() {
    let harness = status_bar_panel(Vec::new(), None);
    harness.get_by_label("Batch of 11 scenarios:");
    harness.get_by_label("sum 6.881485,");
    harness.get_by_label("mean 0.191152");
}

// ---- scenario_list

/// The scenario list over the notebook with this scenario selected; its filter is the state.
fn scenario_list_panel(
    selected: Option<usize>,
) -> Harness<'static, Panel<ScenarioFilter, Command>> {
    let preset = notebook();
    let analysis = notebook_analysis();
    panel(ScenarioFilter::All, move |ui, filter, commands| {
        let view = scenario_list::View {
            preset: &preset,
            evaluation: &analysis.evaluation,
            selected,
        };
        scenario_list::ui(ui, &view, filter, commands);
    })
}

/// The scenarios the list shows, top to bottom (their rows are buttons named after them).
fn rows(harness: &Harness<'_, Panel<ScenarioFilter, Command>>) -> Vec<String> {
    let mut rows: Vec<(f32, String)> = harness
        .query_all_by_role(Role::Button)
        .filter_map(|button| Some((button.rect().top(), button.accesskit_node().label()?)))
        .filter(|(_, label)| label.starts_with("case "))
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    rows.into_iter().map(|(_, label)| label).collect()
}

#[test]
fn scenario_list_clicking_a_row_selects_its_scenario() {
    let mut harness = scenario_list_panel(Some(0));
    assert_eq!(
        clicking(&mut harness, "case 3: class3 right, confident"),
        [Command::Select(Some(2))]
    );
    assert_eq!(
        clicking(&mut harness, "case 11: debris called class1, confident"),
        [Command::Select(Some(10))]
    );
}

#[test]
fn scenario_list_buttons_edit_the_selected_scenario() {
    let mut harness = scenario_list_panel(Some(4));
    assert_eq!(
        clicking(&mut harness, "New scenario"),
        edit(Edit::AddScenario)
    );
    assert_eq!(
        clicking(&mut harness, "Duplicate"),
        edit(Edit::DuplicateScenario(4))
    );
    assert_eq!(
        clicking(&mut harness, "Delete"),
        edit(Edit::RemoveScenario(4))
    );
    assert_eq!(
        clicking(&mut harness, "move scenario up"),
        edit(Edit::MoveScenario { from: 4, to: 3 })
    );
    assert_eq!(
        clicking(&mut harness, "move scenario down"),
        edit(Edit::MoveScenario { from: 4, to: 5 })
    );
}

#[test]
fn scenario_list_without_a_selection_only_new_scenario_emits() {
    let mut harness = scenario_list_panel(None);
    for label in [
        "Duplicate",
        "Delete",
        "move scenario up",
        "move scenario down",
    ] {
        assert!(
            harness.get_by_label(label).accesskit_node().is_disabled(),
            "{label} is disabled"
        );
        assert_eq!(clicking(&mut harness, label), [], "{label}");
    }
    assert_eq!(
        clicking(&mut harness, "New scenario"),
        edit(Edit::AddScenario)
    );
}

#[test]
fn scenario_list_the_filter_hides_rows_and_emits_nothing() {
    let mut harness = scenario_list_panel(None);
    assert_eq!(rows(&harness).len(), 11);
    assert_eq!(clicking(&mut harness, "truth is debris"), []);
    assert_eq!(harness.state().input, ScenarioFilter::TruthIsDebris);
    assert_eq!(
        rows(&harness),
        [
            "case 4: debris right, confident",
            "case 10: debris called class1, debris second",
            "case 11: debris called class1, confident",
        ]
    );
    assert_eq!(clicking(&mut harness, "misclassified"), []);
    assert_eq!(harness.state().input, ScenarioFilter::Misclassified);
    assert_eq!(
        rows(&harness),
        [
            "case 10: debris called class1, debris second",
            "case 11: debris called class1, confident",
        ]
    );
    assert_eq!(clicking(&mut harness, "all"), []);
    assert_eq!(rows(&harness).len(), 11);
}

// ---- class_table

/// The class table over the notebook.
fn class_table_panel() -> Harness<'static, Panel<(), Command>> {
    let preset = notebook();
    panel((), move |ui, (), commands| {
        class_table::ui(ui, &preset, true, commands);
    })
}

#[test]
fn class_table_editing_a_weight_emits_class_weight() {
    let mut harness = class_table_panel();
    assert_eq!(
        emitted(&mut harness, |harness| harness
            .get_by_label("weight of class2")
            .set_value_accesskit(13.0)),
        edit(Edit::ClassWeight(1, 13.0))
    );
    assert_eq!(
        emitted(&mut harness, |harness| harness
            .get_by_label("weight of class4 (debris)")
            .set_value_accesskit(1.0)),
        edit(Edit::ClassWeight(3, 1.0))
    );
}

#[test]
fn class_table_count_and_name_edits_name_their_class() {
    let mut harness = class_table_panel();
    assert_eq!(
        emitted(&mut harness, |harness| harness
            .get_by_label("samples of class3")
            .set_value_accesskit(60.0)),
        edit(Edit::ClassCount(2, 60))
    );
    harness.get_by_label("name of class 2").focus();
    harness.run();
    assert_eq!(
        emitted(&mut harness, |harness| harness
            .get_by_label("name of class 2")
            .type_text(" (rare)")),
        edit(Edit::ClassName(1, "class2 (rare)".to_owned()))
    );
}

#[test]
fn class_table_the_debris_radio_emits_debris() {
    let mut harness = class_table_panel();
    assert_eq!(
        clicking(&mut harness, "class1 is debris"),
        edit(Edit::Debris(0))
    );
    assert_eq!(
        clicking(&mut harness, "class3 is debris"),
        edit(Edit::Debris(2))
    );
}

#[test]
fn class_table_remove_add_and_move_emit_their_edits() {
    let mut harness = class_table_panel();
    assert_eq!(
        clicking(&mut harness, "remove class2"),
        edit(Edit::RemoveClass(1))
    );
    assert_eq!(clicking(&mut harness, "Add class"), edit(Edit::AddClass));
    assert_eq!(
        clicking(&mut harness, "move class3 up"),
        edit(Edit::MoveClass { from: 2, to: 1 })
    );
    assert_eq!(
        clicking(&mut harness, "move class3 down"),
        edit(Edit::MoveClass { from: 2, to: 3 })
    );
}

// ---- weights

/// The weights view over the notebook, at the analysis's beta.
fn weights_panel(analysis: Analysis) -> Harness<'static, Panel<(), Command>> {
    panel((), move |ui, (), commands| {
        let (preset, beta) = (&analysis.inputs.preset, analysis.inputs.beta);
        weights::ui(ui, preset, &analysis, beta, commands);
    })
}

#[test]
fn weights_each_apply_button_emits_its_schemes_weights() {
    let analysis = notebook_analysis();
    let schemes = analysis.scheme_weights.clone();
    assert_eq!(schemes.len(), 5);
    let mut harness = weights_panel(analysis);
    for (scheme, weights) in schemes {
        assert_eq!(
            clicking(&mut harness, &format!("apply {}", scheme.name())),
            edit(Edit::Weights(weights.unwrap())),
            "{scheme:?}"
        );
    }
}

#[test]
fn weights_apply_inverse_sets_n_over_c_n_c() {
    let analysis = notebook_analysis();
    assert_eq!(analysis.scheme_weights[0].0, Scheme::Inverse);
    let mut harness = weights_panel(analysis);
    // The notebook's counts: 260, 10, 56 and 500 samples, N = 826, C = 4.
    let inverse = [260.0, 10.0, 56.0, 500.0].map(|count| 826.0 / (4.0 * count));
    assert_eq!(
        clicking(&mut harness, "apply inverse"),
        edit(Edit::Weights(inverse.to_vec()))
    );
}

#[test]
fn weights_the_beta_slider_emits_set_beta() {
    let mut harness = weights_panel(notebook_analysis());
    assert_eq!(
        emitted(&mut harness, |harness| harness
            .get_by_role_and_label(Role::Slider, "beta")
            .set_value_accesskit(0.5)),
        [Command::SetBeta(0.5)]
    );
}

// ---- loss_and_export

/// The loss and export view over the notebook, with its first scenario selected.
fn loss_and_export_panel() -> Harness<'static, Panel<(), Command>> {
    let analysis = notebook_analysis();
    panel((), move |ui, (), commands| {
        let preset = &analysis.inputs.preset;
        loss_and_export::ui(ui, preset, &analysis, Some(0), commands);
    })
}

#[test]
fn loss_and_export_label_smoothing_emits_loss_keeping_the_other_options() {
    let mut harness = loss_and_export_panel();
    assert_eq!(
        emitted(&mut harness, |harness| harness
            .get_by_role_and_label(Role::Slider, "label smoothing")
            .set_value_accesskit(0.25)),
        edit(Edit::Loss(LossOptions {
            label_smoothing: 0.25,
            ..notebook().loss
        }))
    );
}

#[test]
fn loss_and_export_each_copy_button_emits_copy_of_its_target() {
    let mut harness = loss_and_export_panel();
    for target in Target::ALL {
        assert_eq!(
            clicking(&mut harness, &format!("Copy {}", target.name())),
            [Command::Copy(target)]
        );
    }
}

// ---- workspace_bar

/// The workspace bar with `current` shown.
fn workspace_bar(current: Workspace) -> Harness<'static, Panel<(), Command>> {
    panel((), move |ui, (), commands| {
        workspace_bar::ui(ui, current, commands);
    })
}

#[test]
fn workspace_bar_emits_the_workspace_clicked() {
    let mut harness = workspace_bar(Workspace::HandCases);
    assert_eq!(
        clicking(&mut harness, "Your model"),
        [Command::Action(Action::ShowWorkspace(Workspace::Outcomes))]
    );
    assert_eq!(
        clicking(&mut harness, "Simulator"),
        [Command::Action(Action::ShowWorkspace(Workspace::Simulator))]
    );
}

#[test]
fn workspace_bar_emits_nothing_for_the_current_workspace() {
    let mut harness = workspace_bar(Workspace::Simulator);
    assert_eq!(clicking(&mut harness, "Simulator"), []);
}
