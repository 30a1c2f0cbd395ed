//! The menu bar: File and Edit, built from the command table.

use std::path::PathBuf;

use eframe::egui;

use crate::command::{Action, Command};

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
}

/// The File and Edit menus; a chosen entry becomes a command.
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
    if ui
        .add_enabled(enabled, button)
        .on_hover_text(action.tooltip())
        .clicked()
    {
        commands.push(Command::Action(action));
        ui.close();
    }
}
