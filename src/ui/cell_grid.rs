//! A grid of equal cells with row and column headers that stay in view, scrolling both ways;
//! only the visible cells are laid out, so a 100 x 100 matrix costs what fits on screen.

use std::ops::Range;

use eframe::egui;

/// The grid's shape and sizes.
pub struct CellGrid<'a> {
    /// Identifies the scroll area.
    pub id: &'a str,
    /// Number of rows and of columns.
    pub shape: (usize, usize),
    /// The size of one cell.
    pub cell: egui::Vec2,
    /// The width of the row headers.
    pub header_width: f32,
    /// The height the grid may take at most.
    pub max_height: f32,
    /// The text in the top-left corner ("truth \\ predicted").
    pub corner: &'a str,
}

impl CellGrid<'_> {
    /// Draws the grid: `cell(ui, row, column)` for each visible cell, then the headers over
    /// the edges: `column_header(ui, column)` on top, `row_header(ui, row)` on the left.
    pub fn show(
        &self,
        ui: &mut egui::Ui,
        mut cell: impl FnMut(&mut egui::Ui, usize, usize),
        mut column_header: impl FnMut(&mut egui::Ui, usize),
        mut row_header: impl FnMut(&mut egui::Ui, usize),
    ) {
        let (rows, columns) = self.shape;
        let header_height = self.cell.y;
        let content = egui::vec2(
            self.header_width + self.cell.x * columns as f32,
            header_height + self.cell.y * rows as f32,
        );
        egui::ScrollArea::both()
            .id_salt(self.id)
            .max_height(self.max_height)
            .auto_shrink([false, true])
            .show_viewport(ui, |ui, viewport| {
                let (_, area) = ui.allocate_space(content);
                let origin = area.min;
                let visible_rows = visible(
                    viewport.min.y - header_height,
                    viewport.max.y - header_height,
                    self.cell.y,
                    rows,
                );
                let visible_columns = visible(
                    viewport.min.x - self.header_width,
                    viewport.max.x - self.header_width,
                    self.cell.x,
                    columns,
                );
                let at = |x: f32, y: f32, size: egui::Vec2| {
                    egui::Rect::from_min_size(origin + egui::vec2(x, y), size)
                };
                for row in visible_rows.clone() {
                    for column in visible_columns.clone() {
                        let rect = at(
                            self.header_width + self.cell.x * column as f32,
                            header_height + self.cell.y * row as f32,
                            self.cell,
                        );
                        in_rect(ui, rect, |ui| cell(ui, row, column));
                    }
                }
                // Headers last, over the cells scrolled under them.
                let fill = ui.visuals().panel_fill;
                let top = viewport.min.y;
                let left = viewport.min.x;
                for column in visible_columns {
                    let x = self.header_width + self.cell.x * column as f32;
                    let rect = at(x, top, egui::vec2(self.cell.x, header_height));
                    ui.painter().rect_filled(rect, 0.0, fill);
                    in_rect(ui, rect, |ui| column_header(ui, column));
                }
                for row in visible_rows {
                    let y = header_height + self.cell.y * row as f32;
                    let rect = at(left, y, egui::vec2(self.header_width, self.cell.y));
                    ui.painter().rect_filled(rect, 0.0, fill);
                    in_rect(ui, rect, |ui| row_header(ui, row));
                }
                let corner = at(left, top, egui::vec2(self.header_width, header_height));
                ui.painter().rect_filled(corner, 0.0, fill);
                in_rect(ui, corner, |ui| {
                    ui.label(self.corner);
                });
            });
    }
}

/// The indices of cells of `size` that overlap `from..to` (content coordinates), of `count`.
fn visible(from: f32, to: f32, size: f32, count: usize) -> Range<usize> {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "cell indices from clamped, non-negative positions"
    )]
    let index = |position: f32| ((position / size).max(0.0) as usize).min(count);
    index(from)..index(to + size).min(count)
}

fn in_rect(ui: &mut egui::Ui, rect: egui::Rect, add_contents: impl FnOnce(&mut egui::Ui)) {
    let builder = egui::UiBuilder::new()
        .max_rect(rect)
        .layout(egui::Layout::left_to_right(egui::Align::Center));
    ui.scope_builder(builder, add_contents);
}

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn only_the_cells_in_view_are_visible() {
        assert_eq!(visible(0.0, 100.0, 50.0, 10), 0..3);
        assert_eq!(visible(120.0, 180.0, 50.0, 10), 2..4);
        assert_eq!(visible(-40.0, 10.0, 50.0, 10), 0..1);
        assert_eq!(visible(0.0, 1e6, 50.0, 10), 0..10);
        assert_eq!(visible(0.0, 100.0, 50.0, 0), 0..0);
    }
}
