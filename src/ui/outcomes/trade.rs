//! The FP/FN trade: false positives from debris and false negatives to debris per rare class
//! along the debris weight; a press or drag sets the debris weight.
//!
//! From the loaded validation outputs alone: the preview's exact step functions with their
//! bootstrap bands. With the user's runs: each run where it landed (circles for the false
//! positives, diamonds for the false negatives, a bar over replicates' range), the estimate
//! between them as the lines with their band, and a single run's preview dotted; the readout
//! above the plot gives the estimate at the current weight.

use eframe::egui;
use egui_plot::{FilledArea, Line, LineStyle, MarkerShape, PlotUi, Points};

use super::View;
use crate::command::Command;
use crate::core::outcomes::runs::{RunSet, RunsView};
use crate::core::outcomes::view::Prepared;
use crate::core::preset::Preset;
use crate::ui::debris_axis;
use crate::ui::{axes, layout, palette};

/// One count per class along the grid: column `c` of `rows`, as plot points.
fn column<T: Copy + Into<f64>>(grid: &[f64], rows: &[Vec<T>], c: usize) -> Vec<[f64; 2]> {
    grid.iter()
        .zip(rows)
        .map(|(&x, row)| [x, row.get(c).map_or(0.0, |&v| v.into())])
        .collect()
}

/// The `u64` counts of `rows` as f64 rows.
#[allow(clippy::cast_precision_loss, reason = "sample counts")]
fn as_f64(rows: &[Vec<u64>]) -> Vec<Vec<f64>> {
    rows.iter()
        .map(|row| row.iter().map(|&n| n as f64).collect())
        .collect()
}

/// The FP/FN trade pane's plot; `prepared` is the loaded outputs' part, when loaded.
pub(super) fn ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    prepared: Option<&Prepared>,
    commands: &mut Vec<Command>,
) {
    let preset = view.preset;
    let debris = &preset.classes[preset.debris];
    let runs = match (view.runs.view, view.runs.set) {
        (Some(shown), Some(Ok(set))) if set.classes() == preset.classes.len() => Some((shown, set)),
        _ => None,
    };
    let visuals = ui.visuals().clone();
    legend(ui, view, runs.is_some());
    if let Some((shown, set)) = runs {
        readout(ui, preset, shown, set);
    }
    if view.by_cost {
        cost_readout(ui, view);
    }
    let grid: &[f64] = match (prepared, runs) {
        (Some(prepared), _) => &prepared.curve.debris_weight,
        (None, Some((shown, _))) => &shown.estimate.debris_weight,
        (None, None) => &[],
    };
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
            match runs {
                Some((shown, set)) => runs_class(plot_ui, preset, shown, set, prepared, c),
                None => {
                    if let Some(prepared) = prepared {
                        preview_class(plot_ui, view, prepared, c);
                    }
                }
            }
        }
        plot_ui.vline(debris_axis::marker(debris.weight, &visuals));
    });
    layout::plot(ui, "fp/fn trade", plot.response.rect);
    debris_axis::drag(&plot.response, &plot.transform, grid, preset, commands);
}

/// The legend row: the classes' colours, and what each kind of line means.
fn legend(ui: &mut egui::Ui, view: &View<'_>, with_runs: bool) {
    let preset = view.preset;
    let debris = &preset.classes[preset.debris];
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
        if with_runs {
            ui.weak("lines: the estimate from your runs, shaded: its band; circles (FP) and diamonds (FN): your runs, bars: replicates; dotted: a preview from one run")
                .on_hover_text(
                    "Each run is exact at its own weights; between them the estimate blends the previews of the runs on either side by their distance in ln w. The band spans the runs' disagreement and the replicates' spread, and widens beyond the outermost runs by how far previews missed on your runs.",
                );
        } else {
            match view.bands {
                Some(_) => ui
                    .weak("shaded: 10th-90th percentile")
                    .on_hover_text("The 10th to 90th percentile over 200 bootstrap resamples"),
                None => ui.weak("bootstrap bands: computing…"),
            };
        }
    });
}

/// With the decision by cost, what the cost rule's decisions give, in one line above the plot:
/// the rule does not move with the debris weight, so it is no point of these curves.
fn cost_readout(ui: &mut egui::Ui, view: &View<'_>) {
    let Some(outcomes) = view.costs.outcomes else {
        return;
    };
    let metrics = &outcomes.metrics;
    let false_positives: u64 = metrics.false_positives_from_debris.iter().sum();
    let false_negatives: u64 = metrics.false_negatives_to_debris.iter().sum();
    ui.label(format!(
        "Deciding by the least expected cost (Costs pane): {false_positives} false positives from \
         debris and {false_negatives} false negatives to debris. The curves are the weights' rule \
         along the debris weight; the cost rule does not move with it."
    ));
}

/// The estimate at the current debris weight, in one line above the plot.
fn readout(ui: &mut egui::Ui, preset: &Preset, shown: &RunsView, set: &RunSet) {
    let Some(point) = &shown.current else {
        return;
    };
    let (fp, fn_) = point.counts.totals();
    let (low, high) = (point.low.totals(), point.high.totals());
    let weight = |g: usize| format!("{}", set.groups()[g].weights[set.debris()]);
    let from = match point.groups {
        (a, Some(b)) => {
            let debris = set.debris();
            let (low, high) = if set.groups()[a].weights[debris] <= set.groups()[b].weights[debris]
            {
                (a, b)
            } else {
                (b, a)
            };
            format!("between the runs at {} and {}", weight(low), weight(high))
        }
        (a, None) => format!("from the run at {}", weight(a)),
    };
    ui.label(format!(
        "At {} weight {}, the estimate: {fp:.1} false positives from debris ({:.1} to {:.1}) and {fn_:.1} false negatives to debris ({:.1} to {:.1}), {from}",
        preset.classes[preset.debris].name, shown.debris_weight, low.0, high.0, low.1, high.1
    ));
}

/// One class from the loaded outputs alone: the preview's steps with their bootstrap bands.
fn preview_class(plot_ui: &mut PlotUi<'_>, view: &View<'_>, prepared: &Prepared, c: usize) {
    let preset = view.preset;
    let debris = &preset.classes[preset.debris];
    let curve = &prepared.curve;
    let grid = &curve.debris_weight;
    let color = palette::series(c);
    let name = &preset.classes[c].name;
    if let Some(bands) = view.bands {
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
            band(plot_ui, &format!("{name} band"), grid, low, high, c);
        }
    }
    plot_ui.line(
        Line::new(
            format!("{} called {name}", debris.name),
            column(grid, &as_f64(&curve.false_positives_from_debris), c),
        )
        .color(color)
        .width(2.0),
    );
    plot_ui.line(
        Line::new(
            format!("{name} called {}", debris.name),
            column(grid, &as_f64(&curve.false_negatives_to_debris), c),
        )
        .color(color)
        .style(LineStyle::dashed_loose())
        .width(2.0),
    );
}

/// A shaded band of class `c` between `low` and `high` along `grid`.
fn band(
    plot_ui: &mut PlotUi<'_>,
    name: &str,
    grid: &[f64],
    low: &[Vec<f64>],
    high: &[Vec<f64>],
    c: usize,
) {
    let pick = |rows: &[Vec<f64>]| -> Vec<f64> {
        rows.iter()
            .map(|row| row.get(c).copied().unwrap_or(0.0))
            .collect()
    };
    plot_ui.add(
        FilledArea::new(name, grid, &pick(low), &pick(high))
            .fill_color(palette::series(c).gamma_multiply(0.2))
            .allow_hover(false),
    );
}

/// One class with runs: the estimate and its band, a single run's preview dotted, and the runs.
fn runs_class(
    plot_ui: &mut PlotUi<'_>,
    preset: &Preset,
    shown: &RunsView,
    set: &RunSet,
    prepared: Option<&Prepared>,
    c: usize,
) {
    let debris_name = &preset.classes[preset.debris].name;
    let name = &preset.classes[c].name;
    let color = palette::series(c);
    let estimate = &shown.estimate;
    let grid = &estimate.debris_weight;
    band(
        plot_ui,
        &format!("{name} band"),
        grid,
        &estimate.low.false_positives_from_debris,
        &estimate.high.false_positives_from_debris,
        c,
    );
    band(
        plot_ui,
        &format!("{name} band"),
        grid,
        &estimate.low.false_negatives_to_debris,
        &estimate.high.false_negatives_to_debris,
        c,
    );
    plot_ui.line(
        Line::new(
            format!("{debris_name} called {name}, estimated"),
            column(grid, &estimate.false_positives_from_debris, c),
        )
        .color(color)
        .width(2.0),
    );
    plot_ui.line(
        Line::new(
            format!("{name} called {debris_name}, estimated"),
            column(grid, &estimate.false_negatives_to_debris, c),
        )
        .color(color)
        .style(LineStyle::dashed_loose())
        .width(2.0),
    );
    // The single-run preview: the loaded outputs', else the nearest run's.
    let single = match (prepared, &shown.preview) {
        (Some(prepared), _) => Some((
            "preview of the loaded outputs".to_owned(),
            &prepared.curve.debris_weight,
            as_f64(&prepared.curve.false_positives_from_debris),
            as_f64(&prepared.curve.false_negatives_to_debris),
        )),
        (None, Some(single)) => Some((
            format!("preview from {}", set.runs()[single.run].file),
            grid,
            as_f64(&single.false_positives_from_debris),
            as_f64(&single.false_negatives_to_debris),
        )),
        (None, None) => None,
    };
    if let Some((label, x, fp, fn_)) = single {
        for rows in [&fp, &fn_] {
            plot_ui.line(
                Line::new(format!("{name}: {label}"), column(x, rows, c))
                    .color(color.gamma_multiply(0.7))
                    .style(LineStyle::dotted_dense())
                    .width(1.0),
            );
        }
    }
    runs_points(plot_ui, set, c, name, debris_name);
}

/// The runs of class `c`: each group of replicates at its debris weight, at the mean of its
/// counts, with a bar over their range.
fn runs_points(plot_ui: &mut PlotUi<'_>, set: &RunSet, c: usize, name: &str, debris_name: &str) {
    let color = palette::series(c);
    let debris = set.debris();
    let mut false_positives = Vec::new();
    let mut false_negatives = Vec::new();
    for group in set.groups() {
        let x = group.weights[debris];
        #[allow(clippy::cast_precision_loss, reason = "sample counts")]
        let counts = |pick: fn(&crate::core::outcomes::runs::RunSummary) -> &Vec<u64>| -> Vec<f64> {
            group
                .members
                .iter()
                .map(|&run| pick(&set.runs()[run]).get(c).copied().unwrap_or(0) as f64)
                .collect()
        };
        for (values, points) in [
            (
                counts(|r| &r.false_positives_from_debris),
                &mut false_positives,
            ),
            (
                counts(|r| &r.false_negatives_to_debris),
                &mut false_negatives,
            ),
        ] {
            let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
            points.push([x, mean]);
            let low = values.iter().copied().fold(f64::INFINITY, f64::min);
            let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if high > low {
                plot_ui.line(
                    Line::new(
                        format!("{name}: replicates at {x}"),
                        vec![[x, low], [x, high]],
                    )
                    .color(color)
                    .width(1.5),
                );
            }
        }
    }
    plot_ui.points(
        Points::new(
            format!("{debris_name} called {name}, your runs"),
            false_positives,
        )
        .shape(MarkerShape::Circle)
        .filled(true)
        .radius(4.0)
        .color(color),
    );
    plot_ui.points(
        Points::new(
            format!("{name} called {debris_name}, your runs"),
            false_negatives,
        )
        .shape(MarkerShape::Diamond)
        .filled(true)
        .radius(4.5)
        .color(color),
    );
}
