//! The class table: name, sample count, weight, share of samples, and loss mass per class.

use eframe::egui;

use crate::command::Command;
use crate::core::{Edit, Preset};
use crate::ui::palette;

/// Largest weight a drag or typed value may reach.
const MAX_WEIGHT: f64 = 1e6;

/// One row per class, plus buttons to add, remove and reorder classes.
pub fn ui(ui: &mut egui::Ui, preset: &Preset, commands: &mut Vec<Command>) {
    ui.heading("Classes");
    let total_count: u64 = preset.classes.iter().map(|c| c.count).sum();
    let total_mass: f64 = preset
        .classes
        .iter()
        .map(|c| c.count as f64 * c.weight)
        .sum();
    egui::Grid::new("class_table")
        .striped(true)
        .num_columns(7)
        .show(ui, |ui| {
            ui.label("debris")
                .on_hover_text("The numerous background class");
            ui.label("class");
            ui.label("samples");
            ui.label("weight");
            ui.label("share")
                .on_hover_text("Share of all training samples");
            ui.label("loss mass").on_hover_text(
                "samples × weight: how much of the total weighted loss the class carries",
            );
            ui.label("");
            ui.end_row();
            for (index, class) in preset.classes.iter().enumerate() {
                let edit = |edit: Edit| Command::Edit(edit);
                if ui
                    .radio(preset.debris == index, "")
                    .accessible_name(format!("{} is debris", class.name))
                    .clicked()
                {
                    commands.push(edit(Edit::Debris(index)));
                }
                let mut name = class.name.clone();
                let name_field = ui.add(
                    egui::TextEdit::singleline(&mut name)
                        .min_size(egui::vec2(120.0, 0.0))
                        .desired_width(120.0)
                        .text_color(palette::series(index)),
                );
                if name_field
                    .accessible_name(format!("name of class {}", index + 1))
                    .changed()
                {
                    commands.push(edit(Edit::ClassName(index, name)));
                }
                let mut count = class.count;
                let count_field = ui.add(
                    egui::DragValue::new(&mut count)
                        .speed(1.0)
                        .range(0..=u64::MAX),
                );
                if count_field
                    .accessible_name(format!("samples of {}", class.name))
                    .changed()
                {
                    commands.push(edit(Edit::ClassCount(index, count)));
                }
                let mut weight = class.weight;
                let weight_field = ui.add(
                    egui::DragValue::new(&mut weight)
                        .speed(0.01)
                        .range(0.0..=MAX_WEIGHT)
                        .max_decimals(6),
                );
                if weight_field
                    .accessible_name(format!("weight of {}", class.name))
                    .changed()
                {
                    commands.push(edit(Edit::ClassWeight(index, weight)));
                }
                ui.label(format!(
                    "{:.1} %",
                    share(class.count as f64, total_count as f64) * 100.0
                ));
                let mass = class.count as f64 * class.weight;
                let mass_share = share(mass, total_mass);
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
                reorder_buttons(ui, preset, index, commands);
                ui.end_row();
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

fn reorder_buttons(ui: &mut egui::Ui, preset: &Preset, index: usize, commands: &mut Vec<Command>) {
    let name = &preset.classes[index].name;
    ui.horizontal(|ui| {
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
    });
}

/// `part / whole`, 0 when the whole is 0.
fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 { part / whole } else { 0.0 }
}
