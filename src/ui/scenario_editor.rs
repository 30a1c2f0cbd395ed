//! The scenario editor: logits, truth, the softmax probabilities, the loss and its gradient.

use eframe::egui;
use egui_plot::{Bar, BarChart, Plot};

use crate::command::Command;
use crate::core::{Edit, Evaluation, Preset, SampleLoss};
use crate::ui::palette;

/// Slider range for logits; typed values beyond it are kept.
const LOGIT_RANGE: std::ops::RangeInclusive<f64> = -20.0..=20.0;

/// Edits the selected scenario and shows what the loss makes of it.
pub fn ui(
    ui: &mut egui::Ui,
    preset: &Preset,
    evaluation: &Evaluation,
    selected: Option<usize>,
    commands: &mut Vec<Command>,
) {
    ui.heading("Scenario");
    let Some((index, scenario, sample)) = selected.and_then(|index| {
        Some((
            index,
            preset.scenarios.get(index)?,
            evaluation.scenarios.get(index)?,
        ))
    }) else {
        ui.label("Select a scenario in the list to edit it.");
        return;
    };
    let mut name = scenario.name.clone();
    let name_field = ui.add(egui::TextEdit::singleline(&mut name).desired_width(f32::INFINITY));
    if name_field.accessible_name("scenario name").changed() {
        commands.push(Command::Edit(Edit::ScenarioName(index, name)));
    }
    let mut truth = scenario.truth;
    egui::ComboBox::from_label("truth")
        .selected_text(&preset.classes[truth].name)
        .show_ui(ui, |ui| {
            for (class_index, class) in preset.classes.iter().enumerate() {
                ui.selectable_value(&mut truth, class_index, &class.name);
            }
        });
    if truth != scenario.truth {
        commands.push(Command::Edit(Edit::Truth(index, truth)));
    }
    ui.label("Logits (the network's raw outputs):");
    for (class, (&logit, class_info)) in scenario.logits.iter().zip(&preset.classes).enumerate() {
        let mut value = logit;
        let slider = egui::Slider::new(&mut value, LOGIT_RANGE)
            .clamping(egui::SliderClamping::Never)
            .text(&class_info.name)
            .max_decimals(4);
        if ui
            .add(slider)
            .accessible_name(format!("logit of {}", class_info.name))
            .changed()
        {
            commands.push(Command::Edit(Edit::Logit {
                scenario: index,
                class,
                value,
            }));
        }
    }
    ui.separator();
    loss_summary_ui(ui, preset, sample);
    ui.label("Probabilities p = softmax(logits):");
    bar_chart_ui(ui, "probabilities", preset, &sample.probabilities, false);
    ui.label("Gradient d loss / d logit: a gradient step lowers the logits of bars above 0 and raises those below")
        .on_hover_text("w[y] (p - onehot(y))");
    bar_chart_ui(ui, "gradient", preset, &sample.gradient, true);
    numbers_ui(ui, preset, sample);
}

fn loss_summary_ui(ui: &mut egui::Ui, preset: &Preset, sample: &SampleLoss) {
    let predicted = &preset.classes[sample.predicted].name;
    egui::Grid::new("loss_summary")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label("predicted");
            ui.label(predicted);
            ui.end_row();
            ui.label("weighted loss");
            ui.label(format!("{:.6}", sample.loss))
                .on_hover_text(format!("{:?}", sample.loss));
            ui.end_row();
            ui.label("unweighted loss");
            ui.label(format!("{:.6}", sample.unweighted_loss))
                .on_hover_text(format!("-ln p[truth] = {:?}", sample.unweighted_loss));
            ui.end_row();
            ui.label("weight of truth");
            ui.label(format!("{:?}", sample.truth_weight));
            ui.end_row();
        });
}

/// One bar per class in the class's colour; the table below names them.
fn bar_chart_ui(ui: &mut egui::Ui, id: &str, preset: &Preset, values: &[f64], signed: bool) {
    let bars: Vec<Bar> = values
        .iter()
        .enumerate()
        .map(|(class, &value)| {
            Bar::new(class as f64, value)
                .name(&preset.classes[class].name)
                .fill(palette::series(class))
                .width(0.7)
        })
        .collect();
    let mut plot = Plot::new(id)
        .height(110.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_axes([false, true])
        .include_x(-0.5)
        .include_x(values.len() as f64 - 0.5)
        .include_y(0.0);
    if !signed {
        plot = plot.include_y(1.0);
    }
    plot.show(ui, |plot_ui| plot_ui.bar_chart(BarChart::new(id, bars)));
}

fn numbers_ui(ui: &mut egui::Ui, preset: &Preset, sample: &SampleLoss) {
    egui::Grid::new("scenario_numbers")
        .striped(true)
        .num_columns(3)
        .show(ui, |ui| {
            ui.label("class");
            ui.label("p");
            ui.label("gradient");
            ui.end_row();
            for (class, name) in preset.classes.iter().map(|c| &c.name).enumerate() {
                ui.colored_label(palette::series(class), name);
                ui.label(format!("{:.6e}", sample.probabilities[class]));
                ui.label(format!("{:+.6e}", sample.gradient[class]));
                ui.end_row();
            }
        });
}
