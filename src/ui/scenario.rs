//! The scenario editor: logits, truth, the softmax probabilities, the loss and its gradient.

use eframe::egui;

use crate::command::Command;
use crate::core::cases::evaluate::Evaluation;
use crate::core::loss::SampleLoss;
use crate::core::preset::Preset;
use crate::core::preset::edit::Edit;
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
            .max_decimals(4);
        // The class's name beside the slider, not as its text: a screen reader hears
        // "logit of class2" on the slider and on its number field alike.
        let changed = ui
            .horizontal(|ui| {
                let slider = ui
                    .add(slider)
                    .accessible_name(format!("logit of {}", class_info.name));
                ui.label(&class_info.name);
                slider.changed()
            })
            .inner;
        if changed {
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
        .on_hover_text("w[y] (p - onehot(y)) for plain cross-entropy; exact for the loss options chosen");
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
                .on_hover_text(format!(
                    "the loss with every weight 1: {:?}",
                    sample.unweighted_loss
                ));
            ui.end_row();
            ui.label("weight of truth");
            ui.label(format!("{:?}", sample.truth_weight));
            ui.end_row();
        });
}

/// One bar per class in the class's colour, from a zero line, each named under it.
///
/// Probabilities are drawn on a fixed 0..1 scale; signed values (the gradient) scale to their
/// largest magnitude, above and below the zero line. Hovering a bar shows its class and value.
fn bar_chart_ui(ui: &mut egui::Ui, id: &str, preset: &Preset, values: &[f64], signed: bool) {
    let height = 96.0;
    let label_height = ui.text_style_height(&egui::TextStyle::Small) + 2.0;
    let (rect, response) = ui.allocate_exact_size(
        egui::vec2(ui.available_width(), height + label_height),
        egui::Sense::hover(),
    );
    let response = response.accessible_name(id);
    let plot =
        egui::Rect::from_min_max(rect.min, egui::pos2(rect.max.x, rect.max.y - label_height));
    let scale = if signed {
        values
            .iter()
            .fold(0.0_f64, |largest, v| largest.max(v.abs()))
            .max(f64::MIN_POSITIVE)
    } else {
        1.0
    };
    let zero_y = if signed {
        plot.center().y
    } else {
        plot.bottom()
    };
    let half_span = if signed {
        plot.height() / 2.0
    } else {
        plot.height()
    };
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    painter.rect_filled(plot, 2.0, visuals.extreme_bg_color);
    let slot = plot.width() / values.len().max(1) as f32;
    let mut hovered = None;
    for (class, &value) in values.iter().enumerate() {
        #[allow(clippy::cast_possible_truncation, reason = "a bar length in points")]
        let length = (value / scale) as f32 * half_span;
        let left = plot.left() + slot * class as f32;
        let bar = egui::Rect::from_two_pos(
            egui::pos2(left + slot * 0.15, zero_y),
            egui::pos2(left + slot * 0.85, zero_y - length),
        );
        painter.rect_filled(bar, 1.0, palette::series(class));
        let name = &preset.classes[class].name;
        painter.text(
            egui::pos2(left + slot / 2.0, plot.bottom() + 1.0),
            egui::Align2::CENTER_TOP,
            name,
            egui::FontId::proportional(ui.text_style_height(&egui::TextStyle::Small)),
            visuals.weak_text_color(),
        );
        let column = egui::Rect::from_x_y_ranges(left..=left + slot, rect.y_range());
        if response
            .hover_pos()
            .is_some_and(|pointer| column.contains(pointer))
        {
            hovered = Some(format!("{name}: {value:?}"));
        }
    }
    painter.hline(
        plot.x_range(),
        zero_y,
        visuals.widgets.noninteractive.bg_stroke,
    );
    if let Some(text) = hovered {
        response.on_hover_text(text);
    }
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
