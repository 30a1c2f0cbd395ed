//! Loss against the debris weight, for every scenario and for the batch mean, with a
//! marker at the current debris weight that a drag on either plot moves.

use eframe::egui;
use egui_plot::{Corner, HoverPosition, Legend, Line, Plot, PlotPoints, VLine};

use crate::command::Command;
use crate::core::{Edit, Preset, Sweep};
use crate::ui::palette;

/// Both plots, stacked, sharing the axis of debris weights.
pub fn ui(
    ui: &mut egui::Ui,
    preset: &Preset,
    sweep: &Sweep,
    selected: Option<usize>,
    commands: &mut Vec<Command>,
) {
    let Some(debris) = preset.classes.get(preset.debris) else {
        return;
    };
    ui.heading("Loss against the debris weight");
    ui.horizontal(|ui| {
        ui.label(format!("weight of {}: {:?}", debris.name, debris.weight));
        ui.label("(press or drag on a plot to set it)");
    });
    let visuals = ui.visuals().clone();
    let axis_group = egui::Id::unique("debris_weight_axis");
    let scenario_height = (ui.available_height() * 0.62).max(160.0);
    let scenarios = base_plot("scenario_losses", sweep, axis_group)
        .height(scenario_height)
        .legend(
            Legend::default()
                .position(Corner::LeftTop)
                .follow_insertion_order(true)
                .background_alpha(0.6)
                .text_style(egui::TextStyle::Small),
        )
        .y_axis_label("weighted loss (nats)")
        .show(ui, |plot_ui| {
            for (index, curve) in sweep.scenarios.iter().enumerate() {
                let is_selected = selected == Some(index);
                let color = palette::series(index);
                let line = Line::new(
                    curve.name.as_str(),
                    points(&sweep.debris_weight, &curve.loss),
                )
                .color(if is_selected {
                    color
                } else {
                    palette::faded(color, &visuals)
                })
                .width(if is_selected { 3.0 } else { 1.5 })
                .highlight(is_selected);
                plot_ui.line(line);
            }
            plot_ui.vline(marker(debris.weight, &visuals));
        });
    drag_marker(
        &scenarios.response,
        &scenarios.transform,
        preset,
        sweep,
        commands,
    );

    ui.label("Batch mean (PyTorch): raising the debris weight also shrinks every other class's share of it");
    let batch_points: Vec<[f64; 2]> = sweep
        .debris_weight
        .iter()
        .zip(&sweep.batch_mean)
        .filter_map(|(&weight, mean)| mean.map(|mean| [weight, mean]))
        .collect();
    let batch = base_plot("batch_mean", sweep, axis_group)
        .height(ui.available_height().max(120.0))
        .x_axis_label("debris weight")
        .y_axis_label("batch mean loss")
        .show(ui, |plot_ui| {
            plot_ui.line(
                Line::new("batch mean", PlotPoints::from(batch_points))
                    .color(visuals.strong_text_color())
                    .width(2.0),
            );
            plot_ui.vline(marker(debris.weight, &visuals));
        });
    drag_marker(&batch.response, &batch.transform, preset, sweep, commands);
}

/// A plot over the sweep range whose drags move the marker instead of the view.
fn base_plot<'a>(id: &'a str, sweep: &Sweep, axis_group: egui::Id) -> Plot<'a> {
    let (first, last) = (
        sweep.debris_weight.first().copied().unwrap_or(0.0),
        sweep.debris_weight.last().copied().unwrap_or(1.0),
    );
    Plot::new(id)
        .link_axis(axis_group, [true, false])
        .default_x_bounds(first, last)
        .include_y(0.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .label_formatter(|hover| match hover {
            HoverPosition::NearDataPoint {
                plot_name,
                position,
                ..
            } if !plot_name.is_empty() => Some(format!(
                "{plot_name}\ndebris weight {:.3}\nloss {:.6}",
                position.x, position.y
            )),
            HoverPosition::NearDataPoint { position, .. }
            | HoverPosition::Elsewhere { position } => {
                Some(format!("debris weight {:.3}", position.x))
            }
        })
}

fn points(xs: &[f64], ys: &[f64]) -> PlotPoints<'static> {
    xs.iter()
        .zip(ys)
        .map(|(&x, &y)| [x, y])
        .collect::<Vec<_>>()
        .into()
}

fn marker(debris_weight: f64, visuals: &egui::Visuals) -> VLine {
    VLine::new("debris weight", debris_weight)
        .color(visuals.selection.stroke.color)
        .width(2.0)
}

/// A press or drag on the plot sets the debris weight to the nearest grid point under the pointer.
fn drag_marker(
    response: &egui::Response,
    transform: &egui_plot::PlotTransform,
    preset: &Preset,
    sweep: &Sweep,
    commands: &mut Vec<Command>,
) {
    if !(response.dragged() || response.clicked()) {
        return;
    }
    let Some(pointer) = response.interact_pointer_pos() else {
        return;
    };
    let x = transform.value_from_position(pointer).x;
    let Some(weight) = nearest_grid_point(&sweep.debris_weight, x) else {
        return;
    };
    // Grid points are exact values: any difference is a real change of weight.
    if weight.to_bits() != preset.classes[preset.debris].weight.to_bits() {
        commands.push(Command::Edit(Edit::ClassWeight(preset.debris, weight)));
    }
}

/// The grid point closest to `x` (grid points are the exact decimal values, 0.8 and 1.0 included).
#[must_use]
pub fn nearest_grid_point(grid: &[f64], x: f64) -> Option<f64> {
    grid.iter()
        .copied()
        .min_by(|a, b| (a - x).abs().total_cmp(&(b - x).abs()))
}
