//! Loss against the debris weight, for every scenario and for the batch mean, with a
//! marker at the current debris weight that a drag on either plot moves.
//!
//! The legend is a list beside the plot, never on it. Up to [`EVERY_CURVE_UP_TO`] scenarios
//! every curve is drawn; beyond that the plot shows the spread of all of them (the band from
//! the least to the largest loss, and the median) with the selected and the hovered scenario
//! drawn on top, so it stays readable and cheap at thousands of scenarios.

use eframe::egui;
use egui_plot::{FilledArea, HoverPosition, Line, Plot, PlotBounds, PlotPoints};
use serde::{Deserialize, Serialize};

use crate::command::Command;
use crate::core::cases::sweep::Sweep;
use crate::core::cases::sweep::{Spread, nearest_grid_index};
use crate::core::preset::Preset;
use crate::ui::debris_axis;
use crate::ui::{layout, palette};

/// Up to this many scenarios every curve is drawn; beyond, their spread.
pub const EVERY_CURVE_UP_TO: usize = 12;

/// How the loss axis is drawn; saved between launches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "independent switches of the plot, saved under the names earlier versions used"
)]
pub struct PlotSettings {
    /// Plot log10 of the loss (tick labels stay in nats), when [`Self::axis_chosen`].
    pub log_axis: bool,
    /// Whether the user chose the axis; until then it is log when the curves span more than
    /// [`LOG_SPAN`].
    pub axis_chosen: bool,
    /// Fit the loss axis to the selected scenario's curve instead of all of them.
    pub fit_selected: bool,
    /// Hide the legend list beside the plot.
    pub legend_hidden: bool,
}

/// Until the user chooses, the loss axis is log when the largest loss shown is more than this
/// many times the least above 0 (three decades).
pub const LOG_SPAN: f64 = 1e3;

impl PlotSettings {
    /// Whether the loss axis is log for curves whose losses are `curves`.
    #[must_use]
    pub fn log_for(&self, curves: &[&[f64]]) -> bool {
        if self.axis_chosen {
            return self.log_axis;
        }
        let positive = || {
            curves
                .iter()
                .flat_map(|c| c.iter())
                .copied()
                .filter(|&v| v > 0.0 && v.is_finite())
        };
        match (
            positive().min_by(f64::total_cmp),
            positive().max_by(f64::total_cmp),
        ) {
            (Some(least), Some(largest)) => largest > least * LOG_SPAN,
            _ => false,
        }
    }
}

/// What the plots read.
pub struct View<'a> {
    /// The preset.
    pub preset: &'a Preset,
    /// Every scenario's loss along the debris weight.
    pub sweep: &'a Sweep,
    /// The spread of all scenarios' losses at each grid point.
    pub spread: &'a Spread,
    /// The selected scenario.
    pub selected: Option<usize>,
}

/// The loss axis: linear in nats, or log10 of the loss with a floor for losses of 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LossAxis {
    /// `None` for a linear axis; for a log axis, the log10 at which a loss of 0 (or anything
    /// below the floor) is drawn: the bottom edge.
    log_floor: Option<f64>,
}

impl LossAxis {
    /// A linear axis.
    pub const LINEAR: Self = Self { log_floor: None };

    /// A log axis whose bottom edge lies a decade under `smallest_positive` (1e-12 if none).
    #[must_use]
    pub fn log(smallest_positive: Option<f64>) -> Self {
        let floor = smallest_positive
            .filter(|v| v.is_finite() && *v > 0.0)
            .map_or(-12.0, |v| v.log10().floor() - 1.0);
        Self {
            log_floor: Some(floor),
        }
    }

    /// Where a loss (nats) is drawn; never -inf or NaN.
    #[must_use]
    pub fn to_plot(self, loss: f64) -> f64 {
        match self.log_floor {
            None => loss,
            Some(floor) if loss > 0.0 => loss.log10().max(floor),
            Some(floor) => floor,
        }
    }

    /// The loss (nats) a plot coordinate stands for.
    #[must_use]
    pub fn to_loss(self, y: f64) -> f64 {
        match self.log_floor {
            None => y,
            Some(_) => 10f64.powf(y),
        }
    }

    /// The lowest coordinate the axis shows: 0 nats, or the log floor.
    #[must_use]
    pub fn bottom(self) -> f64 {
        self.log_floor.unwrap_or(0.0)
    }

    /// A tick label, in nats, for a tick at `y` with `step` to the next tick of its size:
    /// as many decimals as the step needs (`0.7`, not `0.7000000000000001`).
    #[must_use]
    pub fn tick_label(self, y: f64, step: f64) -> String {
        let loss = self.to_loss(y);
        if self.log_floor.is_some() {
            return format!("{loss:.0e}");
        }
        super::axes::number(loss, step)
    }
}

/// Controls, both plots (sharing the axis of debris weights) and the legend beside them.
pub fn ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    settings: &mut PlotSettings,
    commands: &mut Vec<Command>,
) {
    let preset = view.preset;
    let Some(debris) = preset.classes.get(preset.debris) else {
        return;
    };
    ui.heading("Loss against the debris weight");
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("weight of {}: {:?}", debris.name, debris.weight));
        ui.label("(press or drag on a plot to set it)");
        ui.separator();
        let mut log = settings.log_for(&fitted_curves(view, *settings));
        let toggled = ui
            .checkbox(&mut log, "log loss axis")
            .on_hover_text(
                "Plot log10 of the loss, labelled in nats; a loss of 0 sits on the bottom edge. \
                 Until you choose, the axis is log when the losses span more than three decades.",
            )
            .changed();
        if toggled {
            settings.log_axis = log;
            settings.axis_chosen = true;
        }
        ui.add_enabled(
            view.selected.is_some(),
            egui::Checkbox::new(&mut settings.fit_selected, "fit to the selected scenario"),
        )
        .on_hover_text("Scale the loss axis to the selected scenario's curve");
        let mut legend_shown = !settings.legend_hidden;
        ui.checkbox(&mut legend_shown, "legend");
        settings.legend_hidden = !legend_shown;
    });
    let legend_width = if settings.legend_hidden { 0.0 } else { 180.0 };
    let plots_width = (ui.available_width() - legend_width).max(200.0);
    let hovered_id = ui.scope_id().with("hovered_curve");
    let hovered: Option<usize> = ui.data(|d| d.get_temp(hovered_id)).flatten();
    let mut hovered_now = None;
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(plots_width);
            hovered_now = plots_ui(ui, view, *settings, hovered, commands);
        });
        if !settings.legend_hidden {
            ui.vertical(|ui| {
                if let Some(index) = legend_ui(ui, view, hovered, commands) {
                    hovered_now = Some(index);
                }
            });
        }
    });
    ui.data_mut(|d| d.insert_temp(hovered_id, hovered_now));
}

/// The scenario plot and the batch plot; returns the scenario whose curve is under the pointer.
fn plots_ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    settings: PlotSettings,
    hovered: Option<usize>,
    commands: &mut Vec<Command>,
) -> Option<usize> {
    let sweep = view.sweep;
    let visuals = ui.visuals().clone();
    let debris = &view.preset.classes[view.preset.debris];
    let debris_weight = debris.weight;
    let every_curve = sweep.scenarios.len() <= EVERY_CURVE_UP_TO;
    let fitted = fitted_curves(view, settings);
    let log = settings.log_for(&fitted);
    let axis = if log {
        LossAxis::log(smallest_positive(&fitted))
    } else {
        LossAxis::LINEAR
    };
    let (low, high) = loss_range(&fitted, axis);
    if !every_curve {
        ui.label(format!(
            "Shaded: the middle 80 % of all {} scenarios' losses; line: their median; dashed: \
             the least and the largest; the selected scenario (and the one under the pointer) on top.",
            sweep.scenarios.len()
        ));
    }
    let axis_group = egui::Id::unique("debris_weight_axis");
    let scenario_height = (ui.available_height() * 0.72).max(160.0);
    let y_title = if log {
        "weighted loss (nats, log scale)"
    } else {
        "weighted loss (nats)"
    };
    let scenarios = base_plot(
        "scenario_losses",
        &debris.name,
        y_title,
        sweep,
        axis_group,
        axis,
    )
    .height(scenario_height)
    .show(ui, |plot_ui| {
        plot_ui.set_plot_bounds(bounds(sweep, low, high));
        if !every_curve {
            spread_ui(plot_ui, sweep, view.spread, axis, &visuals);
        }
        for (index, curve) in sweep.scenarios.iter().enumerate() {
            let is_selected = view.selected == Some(index);
            let is_hovered = hovered == Some(index);
            if !(every_curve || is_selected || is_hovered) {
                continue;
            }
            let color = palette::series(index);
            let line = Line::new(
                curve.name.as_str(),
                points(&sweep.debris_weight, &curve.loss, axis),
            )
            .color(if is_selected || is_hovered {
                color
            } else {
                palette::faded(color, &visuals)
            })
            .width(if is_selected { 3.0 } else { 1.5 })
            .highlight(is_selected || is_hovered);
            plot_ui.line(line);
        }
        plot_ui.vline(debris_axis::marker(debris_weight, &visuals));
    });
    layout::plot(ui, "loss curves", scenarios.response.rect);
    debris_axis::drag(
        &scenarios.response,
        &scenarios.transform,
        &sweep.debris_weight,
        view.preset,
        commands,
    );
    let hovered_now = scenarios
        .response
        .hover_pos()
        .map(|pointer| scenarios.transform.value_from_position(pointer))
        .and_then(|at| nearest_curve(sweep, axis, at.x, at.y));

    ui.label("Batch mean (sum / sum of the true classes' weights, PyTorch's mean): raising the debris weight also shrinks every other class's share of it");
    let batch_points: Vec<[f64; 2]> = sweep
        .debris_weight
        .iter()
        .zip(&sweep.batch_mean)
        .filter_map(|(&weight, mean)| mean.map(|mean| [weight, axis.to_plot(mean)]))
        .collect();
    let batch = base_plot(
        "batch_mean",
        &debris.name,
        "batch mean loss (nats)",
        sweep,
        axis_group,
        axis,
    )
    .height(ui.available_height().max(120.0))
    .include_y(axis.bottom())
    .show(ui, |plot_ui| {
        plot_ui.line(
            Line::new("batch mean", PlotPoints::from(batch_points))
                .color(visuals.strong_text_color())
                .width(2.0),
        );
        plot_ui.vline(debris_axis::marker(debris_weight, &visuals));
    });
    layout::plot(ui, "batch mean", batch.response.rect);
    debris_axis::drag(
        &batch.response,
        &batch.transform,
        &sweep.debris_weight,
        view.preset,
        commands,
    );
    hovered_now
}

/// The band from the least to the largest loss of all scenarios, and their median.
fn spread_ui(
    plot_ui: &mut egui_plot::PlotUi<'_>,
    sweep: &Sweep,
    spread: &Spread,
    axis: LossAxis,
    visuals: &egui::Visuals,
) {
    let scaled = |values: &[f64]| -> Vec<f64> { values.iter().map(|&v| axis.to_plot(v)).collect() };
    let color = visuals.weak_text_color();
    plot_ui.add(
        FilledArea::new(
            "10th to 90th percentile",
            &sweep.debris_weight,
            &scaled(&spread.p10),
            &scaled(&spread.p90),
        )
        .fill_color(color.gamma_multiply(0.35))
        .allow_hover(false),
    );
    for (name, values) in [("least", &spread.min), ("largest", &spread.max)] {
        plot_ui.line(
            Line::new(name, points(&sweep.debris_weight, values, axis))
                .color(color)
                .style(egui_plot::LineStyle::dashed_loose())
                .width(1.0)
                .allow_hover(false),
        );
    }
    plot_ui.line(
        Line::new(
            "median of all scenarios",
            points(&sweep.debris_weight, &spread.median, axis),
        )
        .color(color)
        .width(1.5)
        .allow_hover(false),
    );
}

/// The legend: one entry per scenario in its colour, laid out only for the visible rows;
/// clicking an entry selects the scenario. Returns the entry under the pointer.
fn legend_ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    hovered: Option<usize>,
    commands: &mut Vec<Command>,
) -> Option<usize> {
    let curves = &view.sweep.scenarios;
    ui.label(format!("{} scenarios", curves.len()));
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    let mut pointed = None;
    egui::ScrollArea::vertical()
        .id_salt("loss_legend")
        .auto_shrink([false, false])
        .max_height(ui.available_height())
        .show_rows(ui, row_height, curves.len(), |ui, rows| {
            for index in rows {
                let curve = &curves[index];
                let emphasised = view.selected == Some(index) || hovered == Some(index);
                let text = egui::RichText::new(&curve.name)
                    .color(palette::series(index))
                    .small();
                let entry = ui.selectable_label(emphasised, text);
                if entry.hovered() {
                    pointed = Some(index);
                }
                if entry
                    .on_hover_text("Select this scenario")
                    .accessible_name(format!("curve of {}", curve.name))
                    .clicked()
                {
                    commands.push(Command::Select(Some(index)));
                }
            }
        });
    pointed
}

/// A plot over the sweep range whose drags move the marker instead of the view.
fn base_plot<'a>(
    id: &str,
    debris: &str,
    y_title: &str,
    sweep: &Sweep,
    axis_group: egui::Id,
    axis: LossAxis,
) -> Plot<'a> {
    let (first, last) = (
        sweep.debris_weight.first().copied().unwrap_or(0.0),
        sweep.debris_weight.last().copied().unwrap_or(1.0),
    );
    let log = axis.log_floor.is_some();
    debris_axis::plot(id, debris, y_title, log, move |value, step| {
        axis.tick_label(value, step)
    })
    .link_axis(axis_group, [true, false])
    .default_x_bounds(first, last)
    .include_y(axis.bottom())
    .label_formatter(move |hover| match hover {
        HoverPosition::NearDataPoint {
            plot_name,
            position,
            ..
        } if !plot_name.is_empty() => Some(format!(
            "{plot_name}\ndebris weight {:.3}\nloss {:.6}",
            position.x,
            axis.to_loss(position.y)
        )),
        HoverPosition::NearDataPoint { position, .. } | HoverPosition::Elsewhere { position } => {
            Some(format!("debris weight {:.3}", position.x))
        }
    })
}

/// The curves the loss axis is fitted to: the selected one (when fitted to it), every
/// scenario's, or the spread's least and largest.
fn fitted_curves<'a>(view: &View<'a>, settings: PlotSettings) -> Vec<&'a [f64]> {
    let sweep = view.sweep;
    let fit = view
        .selected
        .filter(|_| settings.fit_selected)
        .and_then(|s| sweep.scenarios.get(s));
    match fit {
        Some(curve) => vec![&curve.loss],
        None if sweep.scenarios.len() <= EVERY_CURVE_UP_TO => {
            sweep.scenarios.iter().map(|c| c.loss.as_slice()).collect()
        }
        None => vec![&view.spread.min, &view.spread.max],
    }
}

/// The plot's bounds: the sweep's range across, `low` to `high` up, with a little room.
fn bounds(sweep: &Sweep, low: f64, high: f64) -> PlotBounds {
    let first = sweep.debris_weight.first().copied().unwrap_or(0.0);
    let last = sweep.debris_weight.last().copied().unwrap_or(1.0);
    let room = ((high - low) * 0.05).max(1e-9);
    PlotBounds::from_min_max([first, low], [last, high + room])
}

/// The range of `curves` in plot coordinates, from the axis's bottom up.
fn loss_range(curves: &[&[f64]], axis: LossAxis) -> (f64, f64) {
    let bottom = axis.bottom();
    let top = curves
        .iter()
        .flat_map(|c| c.iter())
        .map(|&v| axis.to_plot(v))
        .fold(bottom, f64::max);
    let top = if top > bottom { top } else { bottom + 1.0 };
    (bottom, top)
}

/// The smallest loss above 0 among `curves`.
fn smallest_positive(curves: &[&[f64]]) -> Option<f64> {
    curves
        .iter()
        .flat_map(|c| c.iter())
        .copied()
        .filter(|&v| v > 0.0)
        .min_by(f64::total_cmp)
}

/// The scenario whose curve passes closest to (`x`, `y`) at the grid point nearest `x`.
fn nearest_curve(sweep: &Sweep, axis: LossAxis, x: f64, y: f64) -> Option<usize> {
    let point = nearest_grid_index(&sweep.debris_weight, x)?;
    sweep
        .scenarios
        .iter()
        .enumerate()
        .filter_map(|(index, curve)| {
            Some((index, (axis.to_plot(*curve.loss.get(point)?) - y).abs()))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(index, _)| index)
}

fn points(xs: &[f64], ys: &[f64], axis: LossAxis) -> PlotPoints<'static> {
    xs.iter()
        .zip(ys)
        .map(|(&x, &y)| [x, axis.to_plot(y)])
        .collect::<Vec<_>>()
        .into()
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "exact values are what these tests assert")]
mod tests {
    use super::*;

    #[test]
    fn a_log_axis_puts_zero_on_the_bottom_edge_and_labels_in_nats() {
        // The notebook's smallest loss is case 4's 6.02e-5; its largest case 11's 3.96.
        let axis = LossAxis::log(Some(6.020_508_742_439_696e-5));
        assert_eq!(axis.bottom(), -6.0);
        assert_eq!(axis.to_plot(0.0), -6.0);
        assert_eq!(axis.to_plot(1e-300), -6.0);
        assert!((axis.to_plot(3.96) - 3.96_f64.log10()).abs() < 1e-15);
        assert!((axis.to_loss(axis.to_plot(20.0)) - 20.0).abs() < 1e-12);
        assert_eq!(axis.tick_label(1.0, 1.0), "1e1");
        assert_eq!(axis.tick_label(-2.0, 1.0), "1e-2");
        assert!(axis.to_plot(0.0).is_finite());
    }

    #[test]
    fn a_linear_axis_is_the_loss_itself() {
        let axis = LossAxis::LINEAR;
        assert_eq!(
            (axis.to_plot(3.5), axis.to_loss(3.5), axis.bottom()),
            (3.5, 3.5, 0.0)
        );
        assert_eq!(LossAxis::log(None).bottom(), -12.0);
        assert_eq!(axis.tick_label(0.1 * 7.0, 0.1), "0.7");
        assert_eq!(axis.tick_label(15.0, 5.0), "15");
        assert_eq!(axis.tick_label(0.25, 0.05), "0.25");
    }

    #[test]
    fn the_range_covers_every_curve_from_the_bottom() {
        let a = [0.0, 1.0, 20.0];
        let b = [0.5, 0.25, 0.125];
        assert_eq!(loss_range(&[&a, &b], LossAxis::LINEAR), (0.0, 20.0));
        let axis = LossAxis::log(smallest_positive(&[&a, &b]));
        assert_eq!(axis.bottom(), -2.0);
        let (low, high) = loss_range(&[&b], axis);
        assert_eq!(low, -2.0);
        assert!((high - 0.5_f64.log10()).abs() < 1e-15);
    }
}
