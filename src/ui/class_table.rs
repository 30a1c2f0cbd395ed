//! The class table: name, sample count, weight, share of samples, and loss mass per class.

use eframe::egui;

use crate::command::Command;
use crate::core::preset::Preset;
use crate::core::preset::edit::Edit;
use crate::ui::palette;

/// Largest weight a drag or typed value may reach.
const MAX_WEIGHT: f64 = 1e6;

/// Column widths: debris, class, samples, weight, share, loss mass, buttons.
const WIDTHS: [f32; 7] = [46.0, 128.0, 70.0, 80.0, 50.0, 116.0, 130.0];

/// One row per class (laid out only when visible), plus buttons to add, remove and reorder.
pub fn ui(ui: &mut egui::Ui, preset: &Preset, commands: &mut Vec<Command>) {
    ui.heading("Classes");
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
        .max_height((ui.available_height() * 0.4).max(row_height * 4.0))
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
        row.cell(|ui| {
            if ui
                .radio(preset.debris == index, "")
                .accessible_name(format!("{} is debris", class.name))
                .clicked()
            {
                commands.push(Command::Edit(Edit::Debris(index)));
            }
        });
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
        row.cell(|ui| {
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
        });
        row.cell(|ui| {
            let mut weight = class.weight;
            let field = egui::DragValue::new(&mut weight)
                .speed(0.01)
                .range(0.0..=MAX_WEIGHT)
                // The range bounds dragging and typing; a larger weight (from a file, a
                // scheme) is shown as it is, not clamped by being shown.
                .clamp_existing_to_range(false)
                .max_decimals(6);
            if ui
                .add(field)
                .accessible_name(format!("weight of {}", class.name))
                .changed()
            {
                commands.push(Command::Edit(Edit::ClassWeight(index, weight)));
            }
        });
        row.cell(|ui| {
            let count_share = share(class.count as f64, totals.count);
            ui.label(format!("{:.1} %", count_share * 100.0));
        });
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
