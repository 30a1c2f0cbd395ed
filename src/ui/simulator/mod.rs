//! The Simulator view: small models retrained for real at every debris weight, on 2-D data
//! shaped like the preset's classes, beside what the logit-shift preview predicts; the data
//! over the current model's decision regions; and where the preview and retraining part.
//!
//! A change of the view's [`Settings`] is a [`Command::SetSimulatorSettings`], never an edit
//! in place.

pub mod settings;

use eframe::egui;
use egui_plot::{FilledArea, Line, LineStyle, Plot, PlotImage, PlotPoint, Points};

use crate::command::{Command, TaskKind};
use crate::core::preset::Preset;
use crate::core::simulator::data::Dataset;
use crate::core::simulator::error::SimulatorError;
use crate::core::simulator::gap::gap_sentence;
use crate::core::simulator::model::Bounds;
use crate::core::simulator::simulate::{Curves, Simulation};
use crate::ui::{axes, debris_axis, layout, palette};

pub use settings::Settings;

/// The decision-region map: the class predicted in each cell.
pub struct RegionMap<'a> {
    /// The points drawn over it.
    pub data: &'a Dataset,
    /// The plane it covers.
    pub bounds: Bounds,
    /// The image of the regions, uploaded by the caller.
    pub texture: egui::TextureId,
}

/// What the view reads.
pub struct View<'a> {
    /// The preset.
    pub preset: &'a Preset,
    /// The sweep, or why there is none; `None` while the first one runs.
    pub simulation: Option<Result<&'a Simulation, &'a SimulatorError>>,
    /// The data over the current model's regions, once drawn.
    pub regions: Option<Result<RegionMap<'a>, &'a SimulatorError>>,
    /// Whether the results shown are for earlier settings while new ones are computed.
    pub stale: bool,
    /// Whether the decision regions are for earlier settings.
    pub regions_stale: bool,
    /// Why the sweep gave nothing (cancelled), until it runs again.
    pub stopped: Option<&'a str>,
}

/// The settings pane: what the simulator does, its settings, and the gap between retraining
/// and the preview in one sentence. The settings row changes a copy of `settings`; when it
/// differs at the end of the frame, one [`Command::SetSimulatorSettings`] carries every
/// change made in it.
pub fn settings_ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    settings: &Settings,
    commands: &mut Vec<Command>,
) {
    let mut edited = *settings;
    // Down only: the text and the settings row wrap to the pane's width.
    egui::ScrollArea::vertical()
        .id_salt("simulator")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width(ui.available_width());
            ui.heading("Training simulator");
            ui.weak(
                "Small models trained for real at every debris weight on 2-D data with the preset's \
                 class proportions (rare classes as compact blobs inside broad debris), counted on a \
                 held-out test set, beside the preview: the model trained at the preset's weights, \
                 shifted by ln(w / w_preset).",
            );
            settings_row(ui, &mut edited);
            status_ui(ui, view, edited.mlp, commands);
        });
    if edited != *settings {
        commands.push(Command::SetSimulatorSettings(edited));
    }
}

/// Why there is nothing new to show (stopped, stale), and the gap sentence.
fn status_ui(ui: &mut egui::Ui, view: &View<'_>, mlp: bool, commands: &mut Vec<Command>) {
    if let Some(reason) = view.stopped {
        ui.horizontal(|ui| {
            ui.colored_label(ui.visuals().warn_fg_color, reason);
            if ui.button("Run again").clicked() {
                commands.push(Command::RunAgain(TaskKind::Simulate));
            }
        });
    } else if view.stale {
        ui.weak("Showing the results for the previous settings while new ones are computed…");
    }
    match view.simulation {
        Some(Ok(simulation)) => {
            let model = if mlp { "MLP" } else { "Softmax regression" };
            let sentence = format!("{model}: {}", gap_sentence(simulation, view.preset));
            ui.add(egui::Label::new(egui::RichText::new(sentence).strong()).wrap());
        }
        Some(Err(error)) => {
            ui.colored_label(ui.visuals().error_fg_color, error.to_string());
        }
        None => {
            ui.label("Retraining at every debris weight…");
        }
    }
}

/// The false positives (or negatives) of retrained models beside the preview's, filling the
/// pane.
pub fn retrained_ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    false_positives: bool,
    commands: &mut Vec<Command>,
) {
    match view.simulation {
        Some(Ok(simulation)) => {
            if view.stale {
                ui.weak("Previous settings' results (updating)…");
            }
            let pick = if false_positives {
                Error::FalsePositives
            } else {
                Error::FalseNegatives
            };
            curves_ui(ui, view.preset, simulation, pick, commands);
        }
        Some(Err(error)) => {
            ui.colored_label(ui.visuals().error_fg_color, error.to_string());
        }
        None => {
            ui.label(view.stopped.unwrap_or("Retraining at every debris weight…"));
        }
    }
}

/// The model and the data's settings, changed on the caller's copy.
fn settings_row(ui: &mut egui::Ui, settings: &mut Settings) {
    ui.horizontal_wrapped(|ui| {
        egui::ComboBox::from_label("model")
            .selected_text(if settings.mlp {
                "MLP (2 tanh layers)"
            } else {
                "softmax regression"
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut settings.mlp, false, "softmax regression");
                ui.selectable_value(&mut settings.mlp, true, "MLP (2 tanh layers)");
            });
        if settings.mlp {
            ui.add(
                egui::DragValue::new(&mut settings.epochs)
                    .range(1..=2000)
                    .prefix("epochs "),
            )
            .accessible_name("epochs");
            ui.add(
                egui::DragValue::new(&mut settings.hidden)
                    .range(1..=256)
                    .prefix("hidden "),
            )
            .accessible_name("hidden units");
        }
    });
    // The data's settings on a row of their own: a slider at the end of one long wrapped row
    // overflowed the panel and widened every plot below it past the panel's edge.
    ui.horizontal_wrapped(|ui| {
        ui.add(
            egui::DragValue::new(&mut settings.l2)
                .range(0.0..=100.0)
                .speed(0.01)
                .prefix("L2 "),
        )
        .accessible_name("L2")
        .on_hover_text("sum_i l_i + (L2 / 2) ||W||^2, biases unpenalised");
        ui.add(
            egui::DragValue::new(&mut settings.samples)
                .range(100..=100_000)
                .speed(10)
                .prefix("samples "),
        )
        .accessible_name("samples");
        ui.add(
            egui::DragValue::new(&mut settings.seeds)
                .range(1..=50)
                .prefix("seeds "),
        )
        .accessible_name("seeds");
    });
    // The slider alone on its line: beside the fields it overflowed a narrow pane.
    ui.add(
        egui::Slider::new(&mut settings.overlap, 0.0..=1.0)
            .text("overlap")
            .max_decimals(2),
    )
    .accessible_name("overlap")
    .on_hover_text("How far debris spreads over the rare classes");
}

/// The first seed's training points over the regions its model predicts at the current
/// weights, filling the pane.
pub fn regions_ui(ui: &mut egui::Ui, view: &View<'_>) {
    let map = match &view.regions {
        Some(Ok(map)) => map,
        Some(Err(error)) => {
            ui.colored_label(ui.visuals().error_fg_color, error.to_string());
            return;
        }
        None => {
            ui.label("Training the model at the current weights…");
            return;
        }
    };
    ui.label(if view.regions_stale {
        "The data (first seed) over the model's decision regions at the previous settings (updating):"
    } else {
        "The data (first seed) over the model's decision regions at the current weights:"
    });
    let bounds = map.bounds;
    let center = PlotPoint::new(
        f64::midpoint(bounds.min[0], bounds.max[0]),
        f64::midpoint(bounds.min[1], bounds.max[1]),
    );
    #[allow(clippy::cast_possible_truncation, reason = "a plot size in points")]
    let size = egui::vec2(
        (bounds.max[0] - bounds.min[0]) as f32,
        (bounds.max[1] - bounds.min[1]) as f32,
    );
    let preset = view.preset;
    let plot = Plot::new("simulator_regions")
        .height(ui.available_height().max(200.0))
        .data_aspect(1.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false);
    let drawn = axes::with_axes(
        plot,
        "feature x1 (data units)",
        "feature x2 (data units)",
        false,
        axes::number,
        axes::number,
    )
    .show(ui, |plot_ui| {
        plot_ui.image(PlotImage::new(
            "decision regions",
            map.texture,
            center,
            size,
        ));
        for (c, class) in preset.classes.iter().enumerate() {
            let points: Vec<[f64; 2]> = map
                .data
                .labels
                .iter()
                .enumerate()
                .filter(|&(_, &label)| label as usize == c)
                .map(|(i, _)| {
                    let p = map.data.point(i);
                    [p[0], p[1]]
                })
                .collect();
            plot_ui.points(
                Points::new(class.name.as_str(), points)
                    .color(palette::series(c))
                    .radius(if c == preset.debris { 1.2 } else { 2.0 }),
            );
        }
    });
    layout::plot(ui, "decision regions", drawn.response.rect);
}

/// FP from debris and FN to debris per rare class along the debris weight: retrained (median
/// over the seeds, 10th-90th percentile shaded) solid, the preview dashed.
fn curves_ui(
    ui: &mut egui::Ui,
    preset: &Preset,
    simulation: &Simulation,
    pick: Error,
    commands: &mut Vec<Command>,
) {
    let debris = &preset.classes[preset.debris];
    let grid = &simulation.debris_weight;
    let visuals = ui.visuals().clone();
    {
        let title = match pick {
            Error::FalsePositives => {
                format!("{} test samples called c (false positives)", debris.name)
            }
            Error::FalseNegatives => {
                format!("c test samples called {} (false negatives)", debris.name)
            }
        };
        ui.label(format!(
            "{title}: retrained solid (median over the seeds, 10th-90th percentile shaded), preview dashed"
        ));
        axes::legend_row(ui, &axes::entries(&axes::rare_classes(preset)));
        let plot = debris_axis::plot(
            &format!("simulator_{pick:?}"),
            &debris.name,
            "test samples (count)",
            false,
            axes::number,
        )
        .height(ui.available_height().max(200.0))
        .include_y(0.0)
        .show(ui, |plot_ui| {
            for c in (0..preset.classes.len()).filter(|&c| c != preset.debris) {
                let color = palette::series(c);
                let name = &preset.classes[c].name;
                let (median, low, high) = pick.of(&simulation.retrained);
                plot_ui.add(
                    FilledArea::new(
                        format!("{name} retrained band"),
                        grid,
                        &column(low, c),
                        &column(high, c),
                    )
                    .fill_color(color.gamma_multiply(0.2))
                    .allow_hover(false),
                );
                plot_ui.line(
                    Line::new(format!("{name} retrained"), points(grid, median, c))
                        .color(color)
                        .width(2.0),
                );
                let (preview, _, _) = pick.of(&simulation.preview);
                plot_ui.line(
                    Line::new(format!("{name} preview"), points(grid, preview, c))
                        .color(color)
                        .style(LineStyle::dashed_loose())
                        .width(2.0),
                );
            }
            plot_ui.vline(debris_axis::marker(debris.weight, &visuals));
        });
        let name = match pick {
            Error::FalsePositives => "retrained fp",
            Error::FalseNegatives => "retrained fn",
        };
        layout::plot(ui, name, plot.response.rect);
        debris_axis::drag(&plot.response, &plot.transform, grid, preset, commands);
    }
}

/// Which error a plot shows.
#[derive(Clone, Copy, Debug)]
enum Error {
    FalsePositives,
    FalseNegatives,
}

/// Per grid point, one value per class.
type Rows = [Vec<f64>];

impl Error {
    /// The median and the band of this error in `curves`.
    fn of(self, curves: &Curves) -> (&Rows, &Rows, &Rows) {
        match self {
            Self::FalsePositives => (
                &curves.false_positives_from_debris,
                &curves.false_positives_from_debris_p10,
                &curves.false_positives_from_debris_p90,
            ),
            Self::FalseNegatives => (
                &curves.false_negatives_to_debris,
                &curves.false_negatives_to_debris_p10,
                &curves.false_negatives_to_debris_p90,
            ),
        }
    }
}

fn column(rows: &[Vec<f64>], c: usize) -> Vec<f64> {
    rows.iter()
        .map(|row| row.get(c).copied().unwrap_or(0.0))
        .collect()
}

fn points(grid: &[f64], rows: &[Vec<f64>], c: usize) -> Vec<[f64; 2]> {
    grid.iter()
        .zip(rows)
        .map(|(&x, row)| [x, row.get(c).copied().unwrap_or(0.0)])
        .collect()
}
