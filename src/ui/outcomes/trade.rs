//! The FP/FN trade: false positives from debris and false negatives to debris per rare class
//! along the debris weight, with their bootstrap bands; a press or drag sets the debris weight.

use eframe::egui;
use egui_plot::{FilledArea, Line, LineStyle};

use super::View;
use crate::command::Command;
use crate::core::outcomes::view::Prepared;
use crate::ui::debris_axis;
use crate::ui::{axes, layout, palette};

/// FP from debris and FN to debris per rare class along the debris weight, exact step
/// functions with their 10th-90th percentile bootstrap bands; a press or drag sets the debris
/// weight.
pub(super) fn ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    prepared: &Prepared,
    commands: &mut Vec<Command>,
) {
    let preset = view.preset;
    let debris = &preset.classes[preset.debris];
    let curve = &prepared.curve;
    let grid = &curve.debris_weight;
    let visuals = ui.visuals().clone();
    let names = axes::rare_classes(preset);
    let false_positives = format!("{} called c (false positives)", debris.name);
    let false_negatives = format!("c called {} (false negatives)", debris.name);
    let style = ui.visuals().strong_text_color();
    let mut entries = axes::entries(&names);
    entries.push(axes::Entry {
        text: &false_positives,
        color: style,
        dashed: false,
    });
    entries.push(axes::Entry {
        text: &false_negatives,
        color: style,
        dashed: true,
    });
    ui.horizontal_wrapped(|ui| {
        axes::legend_entries(ui, &entries);
        match view.bands {
            Some(_) => ui
                .weak("shaded: 10th-90th percentile")
                .on_hover_text("The 10th to 90th percentile over 200 bootstrap resamples"),
            None => ui.weak("bootstrap bands: computing…"),
        };
    });
    let plot = debris_axis::plot(
        "outcome_trade",
        &debris.name,
        "errors (samples)",
        false,
        axes::number,
    )
    .height(ui.available_height().max(200.0))
    .include_y(0.0)
    .show(ui, |plot_ui| {
        for c in (0..preset.classes.len()).filter(|&c| c != preset.debris) {
            let color = palette::series(c);
            let name = &preset.classes[c].name;
            if let Some(bands) = view.bands {
                let column = |rows: &[Vec<f64>]| -> Vec<f64> {
                    rows.iter()
                        .map(|row| row.get(c).copied().unwrap_or(0.0))
                        .collect()
                };
                for (low, high) in [
                    (
                        &bands.false_positives_from_debris_p10,
                        &bands.false_positives_from_debris_p90,
                    ),
                    (
                        &bands.false_negatives_to_debris_p10,
                        &bands.false_negatives_to_debris_p90,
                    ),
                ] {
                    plot_ui.add(
                        FilledArea::new(format!("{name} band"), grid, &column(low), &column(high))
                            .fill_color(color.gamma_multiply(0.2))
                            .allow_hover(false),
                    );
                }
            }
            #[allow(clippy::cast_precision_loss, reason = "sample counts")]
            let steps = |rows: &[Vec<u64>]| -> Vec<[f64; 2]> {
                grid.iter()
                    .zip(rows)
                    .map(|(&x, row)| [x, row.get(c).copied().unwrap_or(0) as f64])
                    .collect()
            };
            plot_ui.line(
                Line::new(
                    format!("{} called {name}", debris.name),
                    steps(&curve.false_positives_from_debris),
                )
                .color(color)
                .width(2.0),
            );
            plot_ui.line(
                Line::new(
                    format!("{name} called {}", debris.name),
                    steps(&curve.false_negatives_to_debris),
                )
                .color(color)
                .style(LineStyle::dashed_loose())
                .width(2.0),
            );
        }
        plot_ui.vline(debris_axis::marker(debris.weight, &visuals));
    });
    layout::plot(ui, "fp/fn trade", plot.response.rect);
    debris_axis::drag(&plot.response, &plot.transform, grid, preset, commands);
}
