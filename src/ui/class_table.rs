//! The class table: name, sample count, weight, share of samples, and loss mass per class.

use eframe::egui;

use crate::command::{Command, Pane};
use crate::core::preset::Preset;
use crate::core::preset::edit::Edit;
use crate::ui::{layout, palette};

/// Largest weight a drag or typed value may reach.
const MAX_WEIGHT: f64 = 1e6;

/// Column widths: debris, class, samples, weight, share, loss mass, buttons.
const WIDTHS: [f32; 7] = [46.0, 128.0, 70.0, 80.0, 50.0, 116.0, 130.0];

/// Column widths of the compact class weights: debris, class, samples, weight, share.
const COMPACT_WIDTHS: [f32; 5] = [22.0, 90.0, 62.0, 70.0, 48.0];

/// The class weights, compact (name, count, weight, share) or, when `full`, the full editor;
/// a button switches between them (the full editor fills the workspace).
pub fn ui(ui: &mut egui::Ui, preset: &Preset, full: bool, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.heading("Classes");
        let (text, tip, maximise) = if full {
            (
                "Compact",
                "Back to each class's name, count, weight and share beside the other panes",
                None,
            )
        } else {
            (
                "Full editor…",
                "Fill the workspace with every column: rename, loss mass, reorder, add and remove classes",
                Some(Pane::Classes),
            )
        };
        if ui.button(text).on_hover_text(tip).clicked() {
            commands.push(Command::Maximise(maximise));
        }
    });
    // Across, the table scrolls as a whole; down, its rows scroll under the header.
    let output = egui::ScrollArea::horizontal()
        .id_salt(("class table", full))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if full {
                full_ui(ui, preset, commands);
            } else {
                compact_ui(ui, preset, commands);
            }
        });
    let rect = egui::Rect::from_min_size(output.inner_rect.min, output.content_size);
    layout::table(ui, "classes", rect, true);
}

/// Name, count, weight and share of each class, laid out only for the visible rows.
fn compact_ui(ui: &mut egui::Ui, preset: &Preset, commands: &mut Vec<Command>) {
    let totals = Totals {
        count: preset.classes.iter().map(|c| c.count as f64).sum(),
        mass: 0.0,
    };
    super::table_header(
        ui,
        &COMPACT_WIDTHS,
        &[
            ("", "Debris: the numerous background class"),
            ("class", ""),
            ("samples", ""),
            ("weight", ""),
            ("share", "Share of all training samples"),
        ],
    );
    let row_height = super::table_row_height(ui);
    egui::ScrollArea::vertical()
        .id_salt("compact class rows")
        .auto_shrink([false, true])
        .show_rows(ui, row_height, preset.classes.len(), |ui, visible| {
            for index in visible {
                let class = &preset.classes[index];
                super::table_row(ui, &COMPACT_WIDTHS, |row| {
                    row.cell(|ui| debris_radio(ui, preset, index, commands));
                    row.cell(|ui| {
                        let text = egui::RichText::new(&class.name).color(palette::series(index));
                        ui.add(egui::Label::new(text).truncate())
                            .on_hover_text(&class.name);
                    });
                    row.cell(|ui| count_field(ui, preset, index, commands));
                    row.cell(|ui| weight_field(ui, preset, index, commands));
                    row.cell(|ui| share_label(ui, class.count as f64, totals.count));
                });
            }
        });
}

/// One row per class (laid out only when visible), plus buttons to add, remove and reorder.
fn full_ui(ui: &mut egui::Ui, preset: &Preset, commands: &mut Vec<Command>) {
    let totals = Totals {
        count: preset.classes.iter().map(|c| c.count as f64).sum(),
        mass: preset
            .classes
            .iter()
            .map(|c| c.count as f64 * c.weight)
            .sum(),
    };
    super::table_header(
        ui,
        &WIDTHS,
        &[
            ("debris", "The numerous background class"),
            ("class", ""),
            ("samples", ""),
            ("weight", ""),
            ("share", "Share of all training samples"),
            (
                "loss mass",
                "samples × weight: how much of the total weighted loss the class carries",
            ),
            ("", ""),
        ],
    );
    let row_height = super::table_row_height(ui);
    let rows = preset.classes.len();
    egui::ScrollArea::vertical()
        .id_salt("class_table")
        .max_height((ui.available_height() - 1.5 * row_height).max(row_height * 2.0))
        .auto_shrink([false, true])
        .show_rows(ui, row_height, rows, |ui, visible| {
            for index in visible {
                row_ui(ui, preset, index, totals, commands);
            }
        });
    if ui
        .button("Add class")
        .on_hover_text("Append a class; every scenario gets logit 0 for it")
        .clicked()
    {
        commands.push(Command::Edit(Edit::AddClass));
    }
}

/// All samples, and all samples times their weights.
#[derive(Clone, Copy)]
struct Totals {
    count: f64,
    mass: f64,
}

fn row_ui(
    ui: &mut egui::Ui,
    preset: &Preset,
    index: usize,
    totals: Totals,
    commands: &mut Vec<Command>,
) {
    let Some(class) = preset.classes.get(index) else {
        return;
    };
    super::table_row(ui, &WIDTHS, |row| {
        row.cell(|ui| debris_radio(ui, preset, index, commands));
        row.cell(|ui| {
            let mut name = class.name.clone();
            let field = egui::TextEdit::singleline(&mut name)
                .desired_width(120.0)
                .text_color(palette::series(index));
            if ui
                .add(field)
                .accessible_name(format!("name of class {}", index + 1))
                .changed()
            {
                commands.push(Command::Edit(Edit::ClassName(index, name)));
            }
        });
        row.cell(|ui| count_field(ui, preset, index, commands));
        row.cell(|ui| weight_field(ui, preset, index, commands));
        row.cell(|ui| share_label(ui, class.count as f64, totals.count));
        row.cell(|ui| {
            let mass = class.count as f64 * class.weight;
            let mass_share = share(mass, totals.mass);
            ui.add(
                #[allow(
                    clippy::cast_possible_truncation,
                    reason = "a share in [0, 1] drawn as a bar"
                )]
                egui::ProgressBar::new(mass_share as f32)
                    .desired_width(110.0)
                    .fill(palette::series(index))
                    .text(format!("{mass:.1} ({:.0} %)", mass_share * 100.0)),
            );
        });
        row.cell(|ui| reorder_buttons(ui, preset, index, commands));
    });
}

/// The radio button that makes class `index` the debris class.
fn debris_radio(ui: &mut egui::Ui, preset: &Preset, index: usize, commands: &mut Vec<Command>) {
    if ui
        .radio(preset.debris == index, "")
        .accessible_name(format!("{} is debris", preset.classes[index].name))
        .clicked()
    {
        commands.push(Command::Edit(Edit::Debris(index)));
    }
}

/// The sample count of class `index`, dragged or typed.
fn count_field(ui: &mut egui::Ui, preset: &Preset, index: usize, commands: &mut Vec<Command>) {
    let class = &preset.classes[index];
    let mut count = class.count;
    let field = egui::DragValue::new(&mut count)
        .speed(1.0)
        .range(0..=u64::MAX);
    if ui
        .add(field)
        .accessible_name(format!("samples of {}", class.name))
        .changed()
    {
        commands.push(Command::Edit(Edit::ClassCount(index, count)));
    }
}

/// The weight of class `index`, dragged or typed.
fn weight_field(ui: &mut egui::Ui, preset: &Preset, index: usize, commands: &mut Vec<Command>) {
    let class = &preset.classes[index];
    let mut weight = class.weight;
    let field = egui::DragValue::new(&mut weight)
        .speed(0.01)
        .range(0.0..=MAX_WEIGHT)
        // The range bounds dragging and typing; a larger weight (from a file, a scheme) is
        // shown as it is, not clamped by being shown.
        .clamp_existing_to_range(false)
        .max_decimals(6);
    if ui
        .add(field)
        .accessible_name(format!("weight of {}", class.name))
        .changed()
    {
        commands.push(Command::Edit(Edit::ClassWeight(index, weight)));
    }
}

/// A class's share of all training samples, right-aligned.
fn share_label(ui: &mut egui::Ui, count: f64, total: f64) {
    let text = format!("{:.1} %", share(count, total) * 100.0);
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        ui.label(text);
    });
}

fn reorder_buttons(ui: &mut egui::Ui, preset: &Preset, index: usize, commands: &mut Vec<Command>) {
    let name = &preset.classes[index].name;
    if let Some((from, to)) = super::move_buttons(ui, index, preset.classes.len(), name) {
        commands.push(Command::Edit(Edit::MoveClass { from, to }));
    }
    let remove = ui.add(egui::Button::new("remove").small());
    if remove
        .on_hover_text("Remove the class and its logit from every scenario")
        .accessible_name(format!("remove {name}"))
        .clicked()
    {
        commands.push(Command::Edit(Edit::RemoveClass(index)));
    }
}

/// `part / whole`, 0 when the whole is 0.
fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 { part / whole } else { 0.0 }
}
