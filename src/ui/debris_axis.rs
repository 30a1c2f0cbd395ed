//! What every plot along the debris weight shares: a plot that does not pan or zoom (a press
//! or drag sets the weight instead), the marker at the current debris weight, and the drag
//! that moves it to the nearest grid point.

use eframe::egui;
use egui_plot::{HoverPosition, Plot, PlotTransform, VLine};

use crate::command::Command;
use crate::core::cases::sweep::nearest_grid_point;
use crate::core::preset::Preset;
use crate::core::preset::edit::Edit;
use crate::ui::axes;

/// A plot whose presses and drags set the debris weight instead of moving the view: across,
/// the weight of `debris` (the class named); up, `y_title` (naming its unit) with ticks
/// labelled by `y_label` (`value, step` to text; `log_y` when the values are log10).
#[must_use]
pub fn plot<'a>(
    id: &str,
    debris: &str,
    y_title: &str,
    log_y: bool,
    y_label: impl Fn(f64, f64) -> String + 'a,
) -> Plot<'a> {
    let plot = Plot::new(id)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false);
    let (debris, quantity) = (debris.to_owned(), y_title.to_owned());
    axes::with_axes(
        plot,
        format!("weight of {debris} (class weight)"),
        y_title.to_owned(),
        log_y,
        axes::number,
        y_label,
    )
    // Hovering a curve shows its exact value there; elsewhere, the weight under the pointer.
    .label_formatter(move |hover| match hover {
        HoverPosition::NearDataPoint {
            plot_name,
            position,
            ..
        } if !plot_name.is_empty() => Some(format!(
            "{plot_name}\nweight of {debris}: {:.4}\n{quantity}: {}",
            position.x, position.y
        )),
        HoverPosition::NearDataPoint { position, .. } | HoverPosition::Elsewhere { position } => {
            Some(format!("weight of {debris}: {:.4}", position.x))
        }
    })
}

/// The vertical line at the current debris weight.
#[must_use]
pub fn marker(debris_weight: f64, visuals: &egui::Visuals) -> VLine {
    VLine::new("debris weight", debris_weight)
        .color(visuals.selection.stroke.color)
        .width(2.0)
}

/// A press or drag on a plot sets the debris weight to the grid point nearest the pointer
/// (grid points are exact values, so a drag lands on 1.0 exactly); no command when it is the
/// weight already set.
pub fn drag(
    response: &egui::Response,
    transform: &PlotTransform,
    grid: &[f64],
    preset: &Preset,
    commands: &mut Vec<Command>,
) {
    if !(response.dragged() || response.clicked()) {
        return;
    }
    let Some(pointer) = response.interact_pointer_pos() else {
        return;
    };
    let x = transform.value_from_position(pointer).x;
    let (Some(weight), Some(debris)) = (
        nearest_grid_point(grid, x),
        preset.classes.get(preset.debris),
    ) else {
        return;
    };
    if weight.to_bits() != debris.weight.to_bits() {
        commands.push(Command::Edit(Edit::ClassWeight(preset.debris, weight)));
    }
}
