//! False positives against false negatives along the debris weight, for each rare class.

use eframe::egui;
use egui_plot::{Line, LineStyle, Plot, VLine};

use crate::core::cases::analysis::Analysis;
use crate::core::preset::Preset;
use crate::ui::{axes, layout, palette};

/// The balance plot and the table of debris weights where each trade evens out.
pub fn ui(ui: &mut egui::Ui, preset: &Preset, analysis: &Analysis, count_weighted: &mut bool) {
    let Some(debris) = preset.classes.get(preset.debris) else {
        return;
    };
    ui.label(format!(
        "Solid: a {} sample called c (false positive for c). Dashed: a c sample called {} (false negative).",
        debris.name, debris.name
    ));
    ui.checkbox(count_weighted, "× class count");
    let grid = &analysis.sweep.debris_weight;
    let scale = |count: u64| if *count_weighted { count as f64 } else { 1.0 };
    let names: Vec<(String, egui::Color32)> = analysis
        .balances
        .iter()
        .map(|b| {
            (
                preset.classes[b.class].name.clone(),
                palette::series(b.class),
            )
        })
        .collect();
    let entries = axes::entries(&names);
    axes::legend_row(ui, &entries);
    let plot = Plot::new("balance");
    let y_title = if *count_weighted {
        "class count × loss (nats)"
    } else {
        "loss per sample (nats)"
    };
    let table_height = ui.spacing().interact_size.y * (analysis.balances.len() as f32 + 2.0);
    let drawn = axes::with_axes(
        plot,
        format!("weight of {} (class weight)", debris.name),
        y_title,
        false,
        axes::number,
        axes::number,
    )
    .height((ui.available_height() - table_height).max(180.0))
    .allow_drag(false)
    .allow_zoom(false)
    .allow_scroll(false)
    .show(ui, |plot_ui| {
        for balance in &analysis.balances {
            let class = &preset.classes[balance.class];
            let color = palette::series(balance.class);
            let points = |values: &[f64], n: f64| -> Vec<[f64; 2]> {
                grid.iter().zip(values).map(|(&x, &y)| [x, n * y]).collect()
            };
            let false_positive = points(&balance.debris_called_class, scale(debris.count));
            let false_negative = points(&balance.class_called_debris, scale(class.count));
            plot_ui.line(
                Line::new(
                    format!("{} called {}", debris.name, class.name),
                    false_positive,
                )
                .color(color)
                .width(2.0),
            );
            plot_ui.line(
                Line::new(
                    format!("{} called {}", class.name, debris.name),
                    false_negative,
                )
                .color(color)
                .style(LineStyle::dashed_loose())
                .width(2.0),
            );
            let even = if *count_weighted {
                balance.even_count_weighted
            } else {
                balance.even_per_sample
            };
            if let Some(weight) = even.filter(|w| grid.last().is_some_and(|last| w <= last)) {
                plot_ui.vline(VLine::new(format!("{} evens out", class.name), weight).color(color));
            }
        }
    });
    layout::plot(ui, "fp vs fn", drawn.response.rect);
    egui::Grid::new("balance_table")
        .striped(true)
        .show(ui, |ui| {
            ui.label("class");
            ui.label("evens out at debris weight (per sample)");
            ui.label("(× class counts)");
            ui.end_row();
            let show = |w: Option<f64>| w.map_or_else(|| "never".to_owned(), |w| format!("{w:.4}"));
            for balance in &analysis.balances {
                ui.colored_label(
                    palette::series(balance.class),
                    &preset.classes[balance.class].name,
                );
                ui.label(show(balance.even_per_sample));
                ui.label(show(balance.even_count_weighted));
                ui.end_row();
            }
        });
}
