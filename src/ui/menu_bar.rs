//! The menu bar: File, Edit and View, built from the command table; every entry shows its
//! shortcut.

use std::path::PathBuf;

use eframe::egui;

use crate::command::{Action, Command, Workspace};

/// What the menus show besides the command table.
pub struct View<'a> {
    /// Recently opened or saved presets, newest first.
    pub recent: &'a [PathBuf],
    /// Recently loaded validation outputs, newest first.
    pub recent_validation: &'a [PathBuf],
    /// Whether there is an edit to undo.
    pub can_undo: bool,
    /// Whether there is an edit to redo.
    pub can_redo: bool,
    /// The workspace shown.
    pub workspace: Workspace,
    /// Whether a pane fills the workspace.
    pub maximised: bool,
}

/// The File, Edit and View menus; a chosen entry becomes a command.
pub fn ui(ui: &mut egui::Ui, view: &View<'_>, commands: &mut Vec<Command>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            action_button(ui, Action::New, true, commands);
            action_button(ui, Action::Open, true, commands);
            recent_menu(ui, "Open recent", view.recent, commands);
            ui.separator();
            action_button(ui, Action::LoadValidation, true, commands);
            recent_menu(
                ui,
                "Recent validation outputs",
                view.recent_validation,
                commands,
            );
            action_button(ui, Action::AddRuns, true, commands);
            action_button(ui, Action::WatchRunsFolder, true, commands);
            ui.separator();
            action_button(ui, Action::Save, true, commands);
            action_button(ui, Action::SaveAs, true, commands);
            ui.separator();
            action_button(ui, Action::Quit, true, commands);
        });
        ui.menu_button("Edit", |ui| {
            action_button(ui, Action::Undo, view.can_undo, commands);
            action_button(ui, Action::Redo, view.can_redo, commands);
        });
        ui.menu_button("View", |ui| {
            for workspace in Workspace::ALL {
                let shown = workspace == view.workspace;
                view_button(ui, Action::ShowWorkspace(workspace), shown, commands);
            }
            ui.separator();
            ui.menu_button("Show pane", |ui| {
                for &pane in view.workspace.panes() {
                    let button = ui
                        .button(pane.label())
                        .on_hover_text("Bring this pane to the front of its stack");
                    if button.clicked() {
                        commands.push(Command::ShowPane(pane));
                        ui.close();
                    }
                }
            });
            view_button(ui, Action::MaximisePane, view.maximised, commands);
            let reset = ui
                .button("Reset layout")
                .on_hover_text("Put this workspace's panes back where they start");
            if reset.clicked() {
                commands.push(Command::ResetLayout);
                ui.close();
            }
            ui.separator();
            action_button(ui, Action::NextScenario, true, commands);
            action_button(ui, Action::PreviousScenario, true, commands);
        });
    });
}

/// A submenu of recent files; disabled when there are none.
fn recent_menu(ui: &mut egui::Ui, title: &str, recent: &[PathBuf], commands: &mut Vec<Command>) {
    ui.add_enabled_ui(!recent.is_empty(), |ui| {
        ui.menu_button(title, |ui| {
            for path in recent {
                if ui.button(path.display().to_string()).clicked() {
                    commands.push(Command::OpenPath(path.clone()));
                    ui.close();
                }
            }
        });
    });
}

fn action_button(ui: &mut egui::Ui, action: Action, enabled: bool, commands: &mut Vec<Command>) {
    let shortcut = ui.ctx().format_shortcut(&action.shortcut());
    let button = egui::Button::new(action.label()).shortcut_text(shortcut);
    let response = ui.add_enabled(enabled, button);
    entry(ui, action, response, commands);
}

/// An entry that shows a view, marked (and announced as checked) while it is the one shown.
fn view_button(ui: &mut egui::Ui, action: Action, shown: bool, commands: &mut Vec<Command>) {
    let shortcut = ui.ctx().format_shortcut(&action.shortcut());
    let button = egui::Button::selectable(shown, action.label()).shortcut_text(shortcut);
    let response = ui.add(button);
    entry(ui, action, response, commands);
}

fn entry(ui: &egui::Ui, action: Action, response: egui::Response, commands: &mut Vec<Command>) {
    if response.on_hover_text(action.tooltip()).clicked() {
        commands.push(Command::Action(action));
        ui.close();
    }
}
