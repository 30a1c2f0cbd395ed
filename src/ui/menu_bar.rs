//! The menu bar: File and Edit, built from the command table.

use std::path::PathBuf;

use eframe::egui;

use crate::command::{Action, Command};

/// The File and Edit menus; a chosen entry becomes a command.
pub fn ui(
    ui: &mut egui::Ui,
    recent: &[PathBuf],
    can_undo: bool,
    can_redo: bool,
    commands: &mut Vec<Command>,
) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            action_button(ui, Action::New, true, commands);
            action_button(ui, Action::Open, true, commands);
            ui.add_enabled_ui(!recent.is_empty(), |ui| {
                ui.menu_button("Open recent", |ui| {
                    for path in recent {
                        if ui.button(path.display().to_string()).clicked() {
                            commands.push(Command::OpenPath(path.clone()));
                            ui.close();
                        }
                    }
                });
            });
            ui.separator();
            action_button(ui, Action::Save, true, commands);
            action_button(ui, Action::SaveAs, true, commands);
            ui.separator();
            action_button(ui, Action::Quit, true, commands);
        });
        ui.menu_button("Edit", |ui| {
            action_button(ui, Action::Undo, can_undo, commands);
            action_button(ui, Action::Redo, can_redo, commands);
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
