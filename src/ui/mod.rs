//! The panels of the window, one per file. Each draws from the preset and its analysis
//! and reports what the user did as [`crate::command::Command`]s; none computes a loss.

pub mod balance_view;
pub mod class_table;
pub mod dialogs;
pub mod loss_plot;
pub mod loss_settings;
pub mod menu_bar;
pub mod palette;
pub mod penalty_view;
pub mod scenario_editor;
pub mod scenario_list;
pub mod status_bar;
pub mod weights_view;

pub use dialogs::{GuardAnswer, PromptAnswer};
pub use scenario_list::ScenarioFilter;

use eframe::egui;

/// "Up" and "Down" buttons for item `index` of `count`; returns the move asked for as `(from, to)`.
///
/// `what` names the item for tooltips and screen readers ("class2", "scenario").
pub fn move_buttons(
    ui: &mut egui::Ui,
    index: usize,
    count: usize,
    what: &str,
) -> Option<(usize, usize)> {
    let mut requested = None;
    let up = ui.add_enabled(index > 0, egui::Button::new("up").small());
    if up
        .on_hover_text(format!("Move {what} up"))
        .accessible_name(format!("move {what} up"))
        .clicked()
    {
        requested = Some((index, index - 1));
    }
    let down = ui.add_enabled(index + 1 < count, egui::Button::new("down").small());
    if down
        .on_hover_text(format!("Move {what} down"))
        .accessible_name(format!("move {what} down"))
        .clicked()
    {
        requested = Some((index, index + 1));
    }
    requested
}
