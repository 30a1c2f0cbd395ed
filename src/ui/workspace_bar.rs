//! The workspace bar: one button per workspace, under the menu bar.

use eframe::egui;

use crate::command::{Action, Command, Workspace};

/// A button per workspace, the current one selected; a click shows another.
pub fn ui(ui: &mut egui::Ui, current: Workspace, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        for workspace in Workspace::ALL {
            let action = Action::ShowWorkspace(workspace);
            let shortcut = ui.ctx().format_shortcut(&action.shortcut());
            let button = ui
                .add(egui::Button::selectable(
                    workspace == current,
                    workspace.label(),
                ))
                .on_hover_text(format!("{} ({shortcut})", workspace.tooltip()));
            if button.clicked() && workspace != current {
                commands.push(Command::Action(action));
            }
        }
    });
}
