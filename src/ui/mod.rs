//! The panels of the window, one per file. Each draws from the preset and its
//! [`crate::core::Analysis`] and reports what the user did as [`crate::command::Command`]s;
//! none computes a loss, and none reaches into the app.

pub mod class_table;
pub mod dialogs;
pub mod fp_vs_fn;
pub mod loss_and_export;
pub mod loss_curves;
pub mod menu_bar;
pub mod palette;
pub mod penalty_matrix;
pub mod scenario;
pub mod scenario_list;
pub mod status_bar;
pub mod tabs;
pub mod weights;

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

/// One row of a table whose rows are laid out only when visible: each cell gets the width
/// given in `widths` (the last one takes what is left), so columns line up from row to row
/// without measuring rows that are scrolled away.
pub fn table_row(ui: &mut egui::Ui, widths: &[f32], cells: &mut [&mut dyn FnMut(&mut egui::Ui)]) {
    let height = ui.spacing().interact_size.y;
    ui.horizontal(|ui| {
        for (index, cell) in cells.iter_mut().enumerate() {
            let width = widths
                .get(index)
                .copied()
                .unwrap_or_else(|| ui.available_width());
            ui.allocate_ui_with_layout(
                egui::vec2(width, height),
                egui::Layout::left_to_right(egui::Align::Center),
                |ui| {
                    ui.set_width(width);
                    cell(ui);
                },
            );
        }
    });
}

/// The header of a [`table_row`] table: one strong title per column.
pub fn table_header(ui: &mut egui::Ui, widths: &[f32], titles: &[&str]) {
    let mut cells: Vec<_> = titles
        .iter()
        .map(|&title| {
            move |ui: &mut egui::Ui| {
                ui.strong(title);
            }
        })
        .collect();
    let mut cells: Vec<&mut dyn FnMut(&mut egui::Ui)> = cells
        .iter_mut()
        .map(|cell| cell as &mut dyn FnMut(&mut egui::Ui))
        .collect();
    table_row(ui, widths, &mut cells);
}

/// The height of one [`table_row`], for `ScrollArea::show_rows`.
#[must_use]
pub fn table_row_height(ui: &egui::Ui) -> f32 {
    ui.spacing().interact_size.y + ui.spacing().item_spacing.y
}
