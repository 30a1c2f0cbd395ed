//! The panels of the window, one per file. Each draws from the preset and its
//! [`crate::core::cases::analysis::Analysis`] and reports what the user did as [`crate::command::Command`]s;
//! none computes a loss, and none reaches into the app.

pub mod axes;
pub mod cell_grid;
pub mod class_table;
pub mod debris_axis;
pub mod dialogs;
pub mod fp_vs_fn;
pub mod layout;
pub mod loss_and_export;
pub mod loss_curves;
pub mod menu_bar;
pub mod outcomes;
pub mod palette;
pub mod penalty_matrix;
pub mod scenario;
pub mod scenario_list;
pub mod simulator;
pub mod status_bar;
pub mod weights;
pub mod workspace_bar;

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
/// given in `widths` (past the last, what is left), so columns line up from row to row
/// without measuring rows that are scrolled away.
pub fn table_row<R>(
    ui: &mut egui::Ui,
    widths: &[f32],
    add_cells: impl FnOnce(&mut TableRow<'_>) -> R,
) -> R {
    ui.horizontal(|ui| {
        let mut row = TableRow {
            ui,
            widths,
            column: 0,
        };
        add_cells(&mut row)
    })
    .inner
}

/// The cells of one [`table_row`], added left to right.
pub struct TableRow<'a> {
    ui: &'a mut egui::Ui,
    widths: &'a [f32],
    column: usize,
}

impl TableRow<'_> {
    /// The next cell, `add_contents` drawn into it.
    pub fn cell<R>(&mut self, add_contents: impl FnOnce(&mut egui::Ui) -> R) -> R {
        let width = self
            .widths
            .get(self.column)
            .copied()
            .unwrap_or_else(|| self.ui.available_width());
        self.column += 1;
        let height = self.ui.spacing().interact_size.y;
        self.ui
            .allocate_ui_with_layout(
                egui::vec2(width, height),
                egui::Layout::left_to_right(egui::Align::Center),
                |ui| {
                    ui.set_width(width);
                    add_contents(ui)
                },
            )
            .inner
    }
}

/// The header of a [`table_row`] table: per column a strong title and, unless empty, what
/// it means on hover.
pub fn table_header(ui: &mut egui::Ui, widths: &[f32], titles: &[(&str, &str)]) {
    table_row(ui, widths, |row| {
        for &(title, meaning) in titles {
            row.cell(|ui| {
                let label = ui.strong(title);
                if !meaning.is_empty() {
                    label.on_hover_text(meaning);
                }
            });
        }
    });
}

/// The height of one [`table_row`], for `ScrollArea::show_rows`.
#[must_use]
pub fn table_row_height(ui: &egui::Ui) -> f32 {
    ui.spacing().interact_size.y + ui.spacing().item_spacing.y
}
