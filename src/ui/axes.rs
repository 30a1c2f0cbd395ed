//! What every plot's axes share: ticks at 1, 2 or 5 times a power of ten, spaced so that a
//! plot 300 points wide (or tall) labels at least 4 of them on each axis; axis titles that
//! name their units; and a legend drawn beside the plot, never over the data.

use eframe::egui;
use egui_plot::{AxisHints, GridInput, GridMark, Plot};

/// The least distance between two labelled ticks across, in points (a label such as `0.25`
/// is about 28 points wide).
const LABEL_SPACING_X: f64 = 36.0;
/// The least distance between two labelled ticks up, in points.
const LABEL_SPACING_Y: f64 = 24.0;

/// The step between labelled ticks: the least of 1, 2, 2.5 or 5 times a power of ten that
/// puts them at least `spacing` points apart on an axis that shows `range` in `points`.
/// Because the steps grow by at most 2 times, labels are at most 2 `spacing` apart: an axis of
/// 300 points at `spacing` 36 has at least 4 of them.
#[must_use]
pub fn label_step(range: f64, points: f64, spacing: f64) -> f64 {
    if !(range.is_finite() && range > 0.0 && points.is_finite() && points > 0.0) {
        return 1.0;
    }
    let least = range * spacing / points;
    let decade = 10f64.powf(least.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * decade)
        .find(|&step| step >= least * (1.0 - 1e-9))
        .unwrap_or(10.0 * decade)
}

/// Grid marks for an axis: a labelled tick every [`label_step`], and lighter lines at a fifth
/// of it (a half for steps of 2).
fn marks(input: &GridInput, spacing: f64, log_decades: bool) -> Vec<GridMark> {
    let (low, high) = input.bounds;
    // egui_plot's base step is the value across 8 points.
    let points = (high - low) / input.base_step_size * 8.0;
    let mut step = label_step(high - low, points, spacing);
    if log_decades && step < 1.0 && high - low >= 4.0 {
        // On a log axis (values are log10) of four decades or more, label whole decades.
        step = 1.0;
    }
    let mantissa = step / 10f64.powf(step.log10().floor());
    let minor = if (mantissa - 2.0).abs() < 1e-6 {
        step / 2.0
    } else {
        step / 5.0
    };
    let mut marks = Vec::new();
    for (size, every) in [(minor, minor), (step, step)] {
        if !(every.is_finite() && every > 0.0) || (high - low) / every > 10_000.0 {
            continue;
        }
        let first = (low / every).ceil();
        let last = (high / every).floor();
        let mut k = first;
        while k <= last {
            let value = k * every;
            let on_label =
                size < step && ((value / step).round() * step - value).abs() < every * 1e-6;
            if !on_label {
                marks.push(GridMark {
                    value,
                    step_size: size,
                });
            }
            k += 1.0;
        }
    }
    marks
}

/// `plot` with ticks from [`label_step`] on both axes, titled `x_title` and `y_title` (each
/// naming its unit), and tick labels from `x_label`/`y_label` (`value, step` to text).
/// `log_y` when the y values are log10 of what the labels show.
pub fn with_axes<'a>(
    plot: Plot<'a>,
    x_title: impl Into<egui::WidgetText>,
    y_title: impl Into<egui::WidgetText>,
    log_y: bool,
    x_label: impl Fn(f64, f64) -> String + 'a,
    y_label: impl Fn(f64, f64) -> String + 'a,
) -> Plot<'a> {
    #[allow(clippy::cast_possible_truncation, reason = "a few points")]
    let (spacing_x, spacing_y) = (LABEL_SPACING_X as f32, LABEL_SPACING_Y as f32);
    plot.x_grid_spacer(|input| marks(&input, LABEL_SPACING_X, false))
        .y_grid_spacer(move |input| marks(&input, LABEL_SPACING_Y, log_y))
        .custom_x_axes(vec![
            AxisHints::new_x()
                .label(x_title)
                .label_spacing(spacing_x - 1.0..=spacing_x)
                .formatter(move |mark, _| x_label(mark.value, mark.step_size)),
        ])
        .custom_y_axes(vec![
            AxisHints::new_y()
                .label(y_title)
                .label_spacing(spacing_y - 1.0..=spacing_y)
                .formatter(move |mark, _| y_label(mark.value, mark.step_size)),
        ])
}

/// A tick label with as many decimals as the step needs (`0.7`, not `0.7000000000000001`).
#[must_use]
pub fn number(value: f64, step: f64) -> String {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a small count of decimals"
    )]
    let decimals = if step > 0.0 && step.is_finite() {
        (-step.log10().floor()).clamp(0.0, 12.0) as usize
    } else {
        0
    };
    let text = format!("{value:.decimals$}");
    // No "-0" at the origin.
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        text.trim_start_matches('-').to_owned()
    } else {
        text
    }
}

/// The rare classes of `preset` (every class but debris), each with its colour, for a legend.
#[must_use]
pub fn rare_classes(preset: &crate::core::preset::Preset) -> Vec<(String, egui::Color32)> {
    (0..preset.classes.len())
        .filter(|&c| c != preset.debris)
        .map(|c| (preset.classes[c].name.clone(), super::palette::series(c)))
        .collect()
}

/// Legend entries, solid lines, for `(name, colour)` pairs.
#[must_use]
pub fn entries(named: &[(String, egui::Color32)]) -> Vec<Entry<'_>> {
    named
        .iter()
        .map(|(text, color)| Entry {
            text,
            color: *color,
            dashed: false,
        })
        .collect()
}

/// One entry of a legend row: a swatch in `color` (dashed when `dashed`) and its text.
pub struct Entry<'a> {
    /// What the line shows.
    pub text: &'a str,
    /// Its colour.
    pub color: egui::Color32,
    /// Whether the line is dashed.
    pub dashed: bool,
}

/// A legend laid out in rows above or below a plot, so it never covers the data.
pub fn legend_row(ui: &mut egui::Ui, entries: &[Entry<'_>]) {
    ui.horizontal_wrapped(|ui| legend_entries(ui, entries));
}

/// The entries of a legend, left to right in `ui` (for a row that goes on with a note).
pub fn legend_entries(ui: &mut egui::Ui, entries: &[Entry<'_>]) {
    {
        for entry in entries {
            let (rect, swatch) =
                ui.allocate_exact_size(egui::vec2(22.0, 10.0), egui::Sense::hover());
            let name = format!("legend: {}", entry.text);
            swatch.widget_info(|| {
                egui::WidgetInfo::labeled(egui::accesskit::Role::Label, true, name.clone())
            });
            let y = rect.center().y;
            let stroke = egui::Stroke::new(2.0, entry.color);
            if entry.dashed {
                ui.painter().extend(egui::Shape::dashed_line(
                    &[egui::pos2(rect.left(), y), egui::pos2(rect.right(), y)],
                    stroke,
                    5.0,
                    3.0,
                ));
            } else {
                ui.painter().line_segment(
                    [egui::pos2(rect.left(), y), egui::pos2(rect.right(), y)],
                    stroke,
                );
            }
            ui.label(entry.text);
            ui.add_space(6.0);
        }
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "steps of 1, 2, 2.5 and 5 are exact")]
mod tests {
    use super::*;

    /// How many labelled ticks an axis from `low` to `high` drawn over `points` shows.
    fn labelled(low: f64, high: f64, points: f64, spacing: f64, log: bool) -> usize {
        let input = GridInput {
            bounds: (low, high),
            base_step_size: (high - low) / points * 8.0,
        };
        let step = marks(&input, spacing, log)
            .iter()
            .map(|m| m.step_size)
            .fold(0.0, f64::max);
        marks(&input, spacing, log)
            .iter()
            .filter(|m| m.step_size.to_bits() == step.to_bits())
            .filter(|_| step / (high - low) * points >= spacing - 1.0)
            .count()
    }

    #[test]
    fn an_axis_of_300_points_labels_at_least_4_ticks_whatever_its_range() {
        let mut range = 1e-6;
        while range < 1e7 {
            for offset in [0.0, 0.37, -2.5] {
                let low = offset * range;
                for points in [300.0, 301.0, 457.0, 1200.0] {
                    for spacing in [LABEL_SPACING_X, LABEL_SPACING_Y] {
                        let n = labelled(low, low + range, points, spacing, false);
                        assert!(
                            n >= 4,
                            "{n} labels for {range} over {points} points (spacing {spacing})"
                        );
                        // Never so many that they crowd: at least `spacing` apart.
                        assert!(n as f64 <= points / (spacing - 1.0) + 1.0);
                    }
                }
            }
            range *= 1.7;
        }
    }

    #[test]
    fn the_notebook_sweep_from_0_to_2_is_labelled_every_quarter_or_half() {
        // 300 points across 0..2 at 36 points apart: steps of 0.25 (0, 0.25, .., 2).
        assert_eq!(label_step(2.0, 300.0, 36.0), 0.25);
        assert_eq!(labelled(0.0, 2.0, 300.0, LABEL_SPACING_X, false), 9);
        assert_eq!(label_step(2.0, 1000.0, 36.0), 0.1);
    }

    #[test]
    fn a_log_axis_over_more_than_three_decades_labels_whole_decades() {
        // log10 of losses from 1e-6 to 10 over 300 points: 7 decades, every decade labelled.
        assert_eq!(labelled(-6.0, 1.0, 300.0, LABEL_SPACING_Y, true), 8);
    }

    #[test]
    fn tick_labels_carry_the_digits_their_step_needs() {
        assert_eq!(number(0.1 * 7.0, 0.1), "0.7");
        assert_eq!(number(15.0, 5.0), "15");
        assert_eq!(number(0.25, 0.05), "0.25");
        assert_eq!(number(-0.0, 0.5), "0.0");
        assert_eq!(number(-1e-17, 0.5), "0.0");
    }
}
