//! The workspaces on the two most common screens: each gives its answer the room (the main
//! plot's share of the window, no table cut off without a scrollbar), switches by bar,
//! shortcut and `--workspace`, keeps its arrangement between launches, and resets.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use weightbench::app::layout_report::LayoutReport;
use weightbench::app::{State, WeightbenchApp};
use weightbench::command::{Command, Pane, Workspace};
use weightbench::ui::layout::Kind;

use crate::support::{MemoryStorage, ScriptedDialogs, settle, shortcut};

/// The screens: the most common laptop, and the most common desktop.
const LAPTOP: egui::Vec2 = egui::vec2(1366.0, 768.0);
const DESKTOP: egui::Vec2 = egui::vec2(1920.0, 1080.0);

/// The validation outputs the guide's examples use.
fn validation_example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("presets/validation-example.npz")
}

/// The window at `size` showing `workspace`, with the example outputs loaded, settled, and
/// recording its layout.
fn window(size: egui::Vec2, workspace: Workspace) -> Harness<'static, WeightbenchApp> {
    let dialogs = ScriptedDialogs::default();
    // A simulator small enough for a debug build.
    let state = State {
        simulator: weightbench::ui::simulator::Settings {
            samples: 300,
            seeds: 2,
            ..Default::default()
        },
        ..State::default()
    };
    let app = WeightbenchApp::new(state, Arc::new(dialogs.clone()))
        .loading_validation(validation_example())
        .showing(workspace)
        .recording_layout();
    let mut harness = Harness::builder()
        .with_size(size)
        .with_step_dt(0.05)
        .build_eframe(|_| app);
    settle_long(&mut harness);
    harness
}

/// Settles, allowing the simulator's first sweep and the outcomes' preparation their time in a
/// debug build.
fn settle_long(harness: &mut Harness<'_, WeightbenchApp>) {
    let start = std::time::Instant::now();
    harness.run_ok();
    while harness.state().is_busy() {
        assert!(
            start.elapsed().as_secs() < 300,
            "background work did not finish"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
        harness.step();
    }
    harness.run_ok();
}

fn report(harness: &Harness<'_, WeightbenchApp>) -> LayoutReport {
    harness.state().layout_report().unwrap().clone()
}

/// The plot that holds each workspace's answer, as the layout report names it.
fn main_plot(workspace: Workspace) -> &'static str {
    match workspace {
        Workspace::HandCases => "loss curves",
        Workspace::Outcomes => "fp/fn trade",
        Workspace::Simulator => "retrained fp",
    }
}

/// Checks what a user would see first in `workspace` at `size`: the answer at least `share`
/// of the window and the largest plot, no table cut off, every widget named.
fn check(size: egui::Vec2, workspace: Workspace, share: f32) {
    let harness = window(size, workspace);
    harness.check_accessibility();
    let report = report(&harness);
    assert_eq!(report.window, [size.x, size.y]);
    assert_eq!(report.workspace, workspace.name());
    let (largest, largest_share) = report.largest_plot().unwrap();
    assert_eq!(largest.name, main_plot(workspace), "{report:#?}");
    assert!(
        largest_share >= share,
        "{}: the {} plot takes {:.1} % of {size:?}, under {:.0} %",
        workspace.name(),
        largest.name,
        largest_share * 100.0,
        share * 100.0
    );
    let tables: Vec<_> = report
        .areas
        .iter()
        .filter(|area| area.kind == Kind::Table)
        .collect();
    assert!(!tables.is_empty(), "{report:#?}");
    for area in report.areas.iter().filter(|area| area.kind != Kind::Panel) {
        assert!(!area.clipped, "{} is cut off: {report:#?}", area.name);
    }
}

#[test]
fn hand_cases_give_the_loss_plot_the_room_on_a_laptop_and_a_desktop() {
    check(LAPTOP, Workspace::HandCases, 0.30);
    check(DESKTOP, Workspace::HandCases, 0.35);
}

#[test]
fn your_model_gives_the_trade_plot_the_room_on_a_laptop_and_a_desktop() {
    check(LAPTOP, Workspace::Outcomes, 0.30);
    check(DESKTOP, Workspace::Outcomes, 0.35);
}

#[test]
fn the_simulator_gives_its_plot_the_room_on_a_laptop_and_a_desktop() {
    check(LAPTOP, Workspace::Simulator, 0.30);
    check(DESKTOP, Workspace::Simulator, 0.35);
}

#[test]
fn the_workspace_bar_and_the_shortcuts_switch_workspaces() {
    let mut harness = window(LAPTOP, Workspace::HandCases);
    let current =
        |harness: &Harness<'_, WeightbenchApp>| harness.state().state().workspaces.current;
    harness.get_by_label("Your model").click();
    settle_long(&mut harness);
    assert_eq!(current(&harness), Workspace::Outcomes);
    harness.get_by_label("FP/FN trade");
    shortcut(&mut harness, Modifiers::COMMAND, Key::Num3);
    assert_eq!(current(&harness), Workspace::Simulator);
    harness.get_by_label("Simulator settings");
    shortcut(&mut harness, Modifiers::COMMAND, Key::Num1);
    assert_eq!(current(&harness), Workspace::HandCases);
    harness.get_by_label("Loss curves");
    assert_eq!(report(&harness).workspace, "hand-cases");
}

#[test]
fn the_command_line_opens_the_workspace_named_and_outputs_in_your_model() {
    assert_eq!(
        Workspace::from_name("hand-cases"),
        Some(Workspace::HandCases)
    );
    assert_eq!(Workspace::from_name("outcomes"), Some(Workspace::Outcomes));
    assert_eq!(
        Workspace::from_name("simulator"),
        Some(Workspace::Simulator)
    );
    assert_eq!(Workspace::from_name("Outcomes"), None);
    for workspace in Workspace::ALL {
        assert_eq!(Workspace::from_name(workspace.name()), Some(workspace));
    }
    // Validation outputs open in Your model, unless a workspace is named.
    assert_eq!(Workspace::to_open(None, true), Some(Workspace::Outcomes));
    assert_eq!(
        Workspace::to_open(Some(Workspace::Simulator), true),
        Some(Workspace::Simulator)
    );
    assert_eq!(Workspace::to_open(None, false), None);
    // A name the window does not know is refused before any window opens, listing the names.
    let output = crate::common::run_weightbench(&["--workspace", "spreadsheet"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("spreadsheet") && stderr.contains("hand-cases, outcomes, simulator"),
        "{stderr}"
    );
}

#[test]
fn a_pane_is_maximised_from_its_tab_and_restored() {
    let mut harness = window(DESKTOP, Workspace::HandCases);
    // A double-click on a tab fills the workspace with its pane.
    let tab = harness.get_by_label("Penalty matrix").rect().center();
    harness.event(egui::Event::PointerMoved(tab));
    harness.step();
    for _ in 0..2 {
        for pressed in [true, false] {
            harness.event(egui::Event::PointerButton {
                pos: tab,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: Modifiers::NONE,
            });
            harness.step();
        }
    }
    settle(&mut harness);
    let maximised = |harness: &Harness<'_, WeightbenchApp>| {
        harness.state().state().workspaces.hand_cases.maximised
    };
    assert_eq!(maximised(&harness), Some(Pane::PenaltyMatrix));
    assert!(harness.query_by_label("Loss curves").is_none(), "alone");
    let panel = report(&harness)
        .areas
        .into_iter()
        .find(|area| area.kind == Kind::Panel)
        .unwrap();
    assert_eq!(panel.name, "Penalty matrix");
    assert!(panel.rect[2] > 0.95 * DESKTOP.x, "{panel:?}");
    harness.get_by_label("Restore layout").click();
    settle(&mut harness);
    assert_eq!(maximised(&harness), None);
    harness.get_by_label("Loss curves");
}

#[test]
fn the_arrangement_is_kept_between_launches_and_reset_from_the_view_menu() {
    let mut harness = window(LAPTOP, Workspace::HandCases);
    let ctx = harness.ctx.clone();
    // Moved by the user: the penalty matrix in front, the class weights maximised elsewhere.
    harness
        .state_mut()
        .apply(&ctx, Command::ShowPane(Pane::PenaltyMatrix));
    harness.state_mut().apply(
        &ctx,
        Command::Action(weightbench::command::Action::ShowWorkspace(
            Workspace::Simulator,
        )),
    );
    harness
        .state_mut()
        .apply(&ctx, Command::Maximise(Some(Pane::Regions)));
    settle_long(&mut harness);
    let arranged = harness.state().state().workspaces.clone();
    // The next launch reads what this one saved.
    let mut storage = MemoryStorage::default();
    eframe::App::save(harness.state_mut(), &mut storage);
    eframe::App::on_exit(harness.state_mut());
    let next = WeightbenchApp::from_store(
        harness.state().store(),
        Some(&storage),
        None,
        Arc::new(ScriptedDialogs::default()),
    );
    assert_eq!(next.state().workspaces, arranged);
    assert!(next.state().workspaces.is_shown(Pane::Regions));
    let mut relaunched = Harness::builder()
        .with_size(LAPTOP)
        .build_eframe(|_| next.recording_layout());
    settle_long(&mut relaunched);
    relaunched.get_by_label("Restore layout");
    shortcut(&mut relaunched, Modifiers::COMMAND, Key::Num1);
    assert!(
        relaunched
            .state()
            .state()
            .workspaces
            .is_shown(Pane::PenaltyMatrix)
    );
    // View > Reset layout puts the hand cases back; the simulator keeps its arrangement.
    relaunched.get_by_label("View").click();
    relaunched.run_ok();
    relaunched.get_by_label("Reset layout").click();
    settle(&mut relaunched);
    let workspaces = &relaunched.state().state().workspaces;
    assert!(workspaces.is_shown(Pane::LossCurves));
    assert!(!workspaces.is_shown(Pane::PenaltyMatrix));
    assert_eq!(workspaces.simulator, arranged.simulator);
    assert_eq!(
        relaunched.state().notice().unwrap().text,
        "The Hand cases workspace's panes are back where they start"
    );
}
