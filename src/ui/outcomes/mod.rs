//! The Outcomes view: what the current weights would do to the user's model on their own
//! validation outputs, previewed by the logit shift `ln(w / w_old)`, beside what the weights
//! it was trained with do; the FP/FN trade along the debris weight with bootstrap bands; and
//! suggested weights.

use eframe::egui;
use egui_plot::{FilledArea, Line, LineStyle};
use serde::{Deserialize, Serialize};

use crate::command::{Command, TaskKind};
use crate::core::validation::bootstrap::Bands;
use crate::core::validation::metrics::Metrics;
use crate::core::validation::view::{CurrentOutcomes, Prepared};
use crate::core::validation::{Objective, OutcomeError, ScoreKind, Suggestion, ValidationData};
use crate::core::{Edit, Preset};
use crate::ui::cell_grid::CellGrid;
use crate::ui::debris_axis;
use crate::ui::palette;

/// The view's choices; saved between launches.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Add `ln(pi_deploy / pi_train)` to the shift (needs a deployment prior).
    pub prior_correction: bool,
    /// Divide the scores by a fitted temperature.
    pub fit_temperature: bool,
    /// Which confusion matrix the heatmap shows.
    pub matrix: MatrixShown,
    /// What suggested weights maximise.
    pub objective: Objective,
    /// With `fewest-debris-fp`, the recall each rare class keeps; `None`: its recall at the
    /// trained-with weights.
    pub min_recall: Option<f64>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            prior_correction: false,
            fit_temperature: false,
            matrix: MatrixShown::Current,
            objective: Objective::FewestDebrisFp,
            min_recall: None,
        }
    }
}

/// Which confusion matrix the heatmap shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MatrixShown {
    /// At the current weights.
    #[default]
    Current,
    /// At the trained-with weights.
    TrainedWith,
    /// Current minus trained-with.
    Difference,
}

/// What the view reads.
pub struct View<'a> {
    /// The preset (its weights, classes, validation block).
    pub preset: &'a Preset,
    /// The loaded data, if any.
    pub data: Option<&'a ValidationData>,
    /// The slow part, or why there is none; `None` while the first preparation runs.
    pub prepared: Option<Result<&'a Prepared, &'a OutcomeError>>,
    /// The current weights' outcomes.
    pub current: Option<Result<&'a CurrentOutcomes, &'a OutcomeError>>,
    /// Bootstrap bands of the FP/FN curves, when ready.
    pub bands: Option<&'a Bands>,
    /// Suggested weights, and whether the inputs changed since they were computed.
    pub suggestion: Option<(Result<&'a Suggestion, &'a OutcomeError>, bool)>,
    /// A suggestion is being computed.
    pub suggesting: bool,
    /// Whether the prepared part (baseline, curve, temperature) is for the current inputs; it
    /// lags behind during a drag and while a preparation runs.
    pub prepared_current: bool,
    /// Why the preparation gave nothing (cancelled or failed), until it runs again.
    pub stopped: Option<&'a str>,
}

/// The whole view.
pub fn ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    settings: &mut Settings,
    commands: &mut Vec<Command>,
) {
    let Some(data) = view.data else {
        ui.heading("Outcomes");
        ui.label(
            "Load your model's outputs on a validation set to see what these weights would do to \
             its decisions: File > Load validation outputs… (Ctrl+L), or drop a file on the window.",
        );
        ui.label(
            "Formats: .npz (numpy savez: an array logits or probabilities, and labels), a .npy of \
             logits with a .npy of labels, .safetensors (the same tensor names), or CSV (a label \
             column and one column per class, named after the preset's classes).",
        );
        return;
    };
    egui::ScrollArea::both()
        .id_salt("outcomes")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            header_ui(ui, data);
            settings_ui(ui, view, settings, commands);
            ui.separator();
            if let Some(reason) = view.stopped {
                ui.horizontal(|ui| {
                    ui.colored_label(ui.visuals().warn_fg_color, reason);
                    if ui.button("Prepare again").clicked() {
                        commands.push(Command::RunAgain(TaskKind::PrepareOutcomes));
                    }
                });
            }
            if !view.prepared_current {
                ui.weak(
                    "Updating the trained-with column, the curves and the temperature for the latest \
                     change…",
                );
            }
            let (prepared, current) = match (view.prepared, view.current) {
                (Some(Ok(prepared)), Some(Ok(current))) => (prepared, current),
                (Some(Err(error)), _) | (_, Some(Err(error))) => {
                    ui.colored_label(ui.visuals().error_fg_color, error.to_string());
                    return;
                }
                _ => {
                    ui.label("Preparing…");
                    return;
                }
            };
            summary_ui(ui, view.preset, prepared, current);
            ui.separator();
            class_table_ui(ui, view.preset, &prepared.baseline, &current.current);
            deployed_ui(ui, view.preset, &prepared.baseline, &current.current);
            ui.separator();
            confusion_ui(ui, view.preset, prepared, current, settings, commands);
            ui.separator();
            trade_ui(ui, view, prepared, commands);
            ui.separator();
            suggest_ui(ui, view, settings, commands);
        });
}

fn header_ui(ui: &mut egui::Ui, data: &ValidationData) {
    let kind = match data.kind {
        ScoreKind::Logits => "logits",
        ScoreKind::LogProbabilities => "probabilities (as ln p)",
    };
    ui.heading(format!("Outcomes on {}", data.source));
    ui.label(format!(
        "{} samples, {} classes, {kind}",
        data.samples(),
        data.classes
    ));
    ui.weak(
        "A preview: a model at the optimum of weighted cross-entropy predicts argmax_c w_c p(c | x), so \
         new weights act as ln(w / w_old) added to the logits. It is exact for a calibrated model that \
         fits the data, and drifts from retraining when the model cannot (see the training simulator).",
    );
}

/// Trained-with weights, deployment prior with the prior correction, temperature.
fn settings_ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    settings: &mut Settings,
    commands: &mut Vec<Command>,
) {
    let preset = view.preset;
    let classes = preset.classes.len();
    let trained = preset.trained_with();
    let prior = &preset.validation.deploy_prior;
    let has_prior = !prior.is_empty();
    egui::Grid::new("outcome_weights")
        .striped(true)
        .show(ui, |ui| {
            ui.strong("class");
            ui.strong("trained with").on_hover_text(
                "The weights the model was trained with: the shift is ln(weight / trained with)",
            );
            ui.strong("weight now");
            ui.strong("deployment share")
                .on_hover_text("How common each class is where the model will be used (sums to 1)");
            ui.end_row();
            for (c, class) in preset.classes.iter().enumerate() {
                ui.colored_label(palette::series(c), &class.name);
                let mut w = trained.get(c).copied().unwrap_or(1.0);
                let field = egui::DragValue::new(&mut w)
                    .speed(0.01)
                    .range(1e-6..=1e6)
                    .clamp_existing_to_range(false);
                if ui
                    .add(field)
                    .accessible_name(format!("trained weight of {}", class.name))
                    .changed()
                {
                    let mut weights = trained.clone();
                    weights.resize(classes, 1.0);
                    weights[c] = w;
                    commands.push(Command::Edit(Edit::TrainedWith(weights)));
                }
                ui.label(format!("{:?}", class.weight));
                if has_prior {
                    let mut share = prior.get(c).copied().unwrap_or(0.0);
                    let field = egui::DragValue::new(&mut share)
                        .speed(0.001)
                        .range(0.0..=1.0)
                        .clamp_existing_to_range(false);
                    if ui
                        .add(field)
                        .accessible_name(format!("deployment share of {}", class.name))
                        .changed()
                    {
                        commands.push(Command::Edit(Edit::DeployPrior(with_share(
                            prior, c, share,
                        ))));
                    }
                } else {
                    ui.label("");
                }
                ui.end_row();
            }
        });
    ui.horizontal_wrapped(|ui| {
        if has_prior {
            if ui.button("No deployment prior").clicked() {
                commands.push(Command::Edit(Edit::DeployPrior(Vec::new())));
                settings.prior_correction = false;
            }
        } else if ui
            .button("Set a deployment prior")
            .on_hover_text("Start from the training counts' proportions")
            .clicked()
        {
            let total: f64 = preset.classes.iter().map(|c| c.count as f64).sum();
            let shares = preset
                .classes
                .iter()
                .map(|c| if total > 0.0 { c.count as f64 / total } else { 1.0 / classes as f64 })
                .collect();
            commands.push(Command::Edit(Edit::DeployPrior(shares)));
        }
        ui.add_enabled(
            has_prior,
            egui::Checkbox::new(&mut settings.prior_correction, "prior correction"),
        )
        .on_hover_text("Also add ln(deployment share / training share) to each class's shift");
        ui.checkbox(&mut settings.fit_temperature, "fit a temperature")
            .on_hover_text(
                "Divide the scores by the T that minimises their mean NLL (Guo et al. 2017): the shift assumes calibrated scores",
            );
    });
    if let Some(Ok(prepared)) = view.prepared
        && let Some(calibration) = prepared.setup.calibration
    {
        ui.label(format!(
            "T = {:.4}; expected calibration error (15 bins) {:.4} before, {:.4} after",
            calibration.temperature, calibration.ece_before, calibration.ece_after
        ));
    }
}

/// `prior` with class `c`'s share set, the others scaled to keep the sum at 1.
fn with_share(prior: &[f64], c: usize, share: f64) -> Vec<f64> {
    let others: f64 = prior
        .iter()
        .enumerate()
        .filter(|&(k, _)| k != c)
        .map(|(_, &p)| p)
        .sum();
    let rest = (1.0 - share).max(0.0);
    prior
        .iter()
        .enumerate()
        .map(|(k, &p)| {
            if k == c {
                share
            } else if others > 0.0 {
                p * rest / others
            } else {
                rest / (prior.len() - 1).max(1) as f64
            }
        })
        .collect()
}

fn summary_ui(ui: &mut egui::Ui, preset: &Preset, prepared: &Prepared, current: &CurrentOutcomes) {
    let baseline = &prepared.baseline;
    let now = &current.current;
    let trained_loss = prepared.loss.at(&preset.trained_with());
    egui::Grid::new("outcome_summary")
        .striped(true)
        .show(ui, |ui| {
            ui.strong("");
            ui.strong("trained with");
            ui.strong("current weights");
            ui.strong("change");
            ui.end_row();
            let rows = [
                ("accuracy", baseline.accuracy, now.accuracy, true),
                (
                    "balanced accuracy",
                    baseline.balanced_accuracy,
                    now.balanced_accuracy,
                    true,
                ),
                ("macro-F1", baseline.macro_f1, now.macro_f1, true),
                (
                    "weighted loss, mean (PyTorch)",
                    trained_loss.mean,
                    current.loss.mean,
                    false,
                ),
            ];
            for (name, before, after, higher_is_better) in rows {
                ui.label(name);
                ui.label(number(before));
                ui.label(number(after));
                delta_ui(ui, before, after, higher_is_better);
                ui.end_row();
            }
        });
}

fn number(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.4}"))
}

/// The change from `before` to `after`, green when better, red when worse.
fn delta_ui(ui: &mut egui::Ui, before: Option<f64>, after: Option<f64>, higher_is_better: bool) {
    let (Some(before), Some(after)) = (before, after) else {
        ui.label("");
        return;
    };
    let change = after - before;
    let better = if higher_is_better {
        change > 0.0
    } else {
        change < 0.0
    };
    let color = if change == 0.0 {
        ui.visuals().weak_text_color()
    } else if better {
        palette::better(ui.visuals())
    } else {
        ui.visuals().error_fg_color
    };
    ui.colored_label(color, format!("{change:+.4}"));
}

/// Per class: precision, recall and F1 then and now; FP from debris and FN to debris.
fn class_table_ui(ui: &mut egui::Ui, preset: &Preset, baseline: &Metrics, now: &Metrics) {
    egui::Grid::new("outcome_classes")
        .striped(true)
        .show(ui, |ui| {
            for title in [
                "class",
                "support",
                "precision",
                "change",
                "recall",
                "change",
                "F1",
                "change",
                "FP from debris",
                "change",
                "FN to debris",
                "change",
            ] {
                ui.strong(title);
            }
            ui.end_row();
            for (c, class) in preset.classes.iter().enumerate() {
                ui.colored_label(palette::series(c), &class.name);
                ui.label(now.confusion.support(c).to_string());
                for (then, current) in [
                    (baseline.precision[c], now.precision[c]),
                    (baseline.recall[c], now.recall[c]),
                    (baseline.f1[c], now.f1[c]),
                ] {
                    ui.label(number(current));
                    delta_ui(ui, then, current, true);
                }
                let errors = [
                    (
                        baseline.false_positives_from_debris[c],
                        now.false_positives_from_debris[c],
                    ),
                    (
                        baseline.false_negatives_to_debris[c],
                        now.false_negatives_to_debris[c],
                    ),
                ];
                error_cells(ui, c == preset.debris, errors, |ui, then, current| {
                    ui.label(current.to_string());
                    count_delta_ui(ui, then, current);
                });
                ui.end_row();
            }
        });
}

/// With a deployment prior: precision and error counts expected among 10,000 deployed samples.
fn deployed_ui(ui: &mut egui::Ui, preset: &Preset, baseline: &Metrics, now: &Metrics) {
    let (Some(then), Some(deployed)) = (&baseline.deployed, &now.deployed) else {
        return;
    };
    ui.add_space(6.0);
    ui.strong("Expected among 10,000 deployed samples (at the deployment shares):");
    egui::Grid::new("outcome_deployed")
        .striped(true)
        .show(ui, |ui| {
            for title in [
                "class",
                "precision",
                "change",
                "FP from debris",
                "change",
                "FN to debris",
                "change",
            ] {
                ui.strong(title);
            }
            ui.end_row();
            for (c, class) in preset.classes.iter().enumerate() {
                ui.colored_label(palette::series(c), &class.name);
                ui.label(number(deployed.precision[c]));
                delta_ui(ui, then.precision[c], deployed.precision[c], true);
                let errors = [
                    (
                        then.false_positives_from_debris[c],
                        deployed.false_positives_from_debris[c],
                    ),
                    (
                        then.false_negatives_to_debris[c],
                        deployed.false_negatives_to_debris[c],
                    ),
                ];
                error_cells(ui, c == preset.debris, errors, |ui, before, after| {
                    ui.label(format!("{after:.1}"));
                    delta_ui(ui, Some(before), Some(after), false);
                });
                ui.end_row();
            }
        });
}

/// The FP-from-debris and FN-to-debris cells of a class's row (`(then, now)` each, drawn by
/// `cell` as a value and its change); blank in the debris row, which has neither.
fn error_cells<T: Copy>(
    ui: &mut egui::Ui,
    is_debris: bool,
    errors: [(T, T); 2],
    mut cell: impl FnMut(&mut egui::Ui, T, T),
) {
    if is_debris {
        for _ in 0..2 * errors.len() {
            ui.label("");
        }
        return;
    }
    for (then, now) in errors {
        cell(ui, then, now);
    }
}

/// The change of an error count: fewer is better.
fn count_delta_ui(ui: &mut egui::Ui, before: u64, after: u64) {
    #[allow(clippy::cast_possible_wrap, reason = "sample counts far below 2^63")]
    let change = after as i64 - before as i64;
    let color = match change.cmp(&0) {
        std::cmp::Ordering::Equal => ui.visuals().weak_text_color(),
        std::cmp::Ordering::Less => palette::better(ui.visuals()),
        std::cmp::Ordering::Greater => ui.visuals().error_fg_color,
    };
    ui.colored_label(color, format!("{change:+}"));
}

/// The confusion matrix as a heatmap: counts and row percentages; a click adds the sample of
/// that cell nearest the decision boundary as a scenario.
fn confusion_ui(
    ui: &mut egui::Ui,
    preset: &Preset,
    prepared: &Prepared,
    current: &CurrentOutcomes,
    settings: &mut Settings,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.strong("Confusion matrix (rows: truth, columns: predicted):");
        ui.selectable_value(
            &mut settings.matrix,
            MatrixShown::Current,
            "current weights",
        );
        ui.selectable_value(
            &mut settings.matrix,
            MatrixShown::TrainedWith,
            "trained with",
        );
        ui.selectable_value(&mut settings.matrix, MatrixShown::Difference, "difference");
    });
    ui.weak("Click a cell to add its sample nearest the decision boundary as a scenario.");
    let now = &current.current.confusion;
    let then = &prepared.baseline.confusion;
    let classes = preset.classes.len();
    #[allow(clippy::cast_possible_wrap, reason = "sample counts far below 2^63")]
    let value = |t: usize, k: usize| -> i64 {
        match settings.matrix {
            MatrixShown::Current => now.get(t, k) as i64,
            MatrixShown::TrainedWith => then.get(t, k) as i64,
            MatrixShown::Difference => now.get(t, k) as i64 - then.get(t, k) as i64,
        }
    };
    let largest = (0..classes)
        .flat_map(|t| (0..classes).map(move |k| (t, k)))
        .map(|(t, k)| value(t, k).unsigned_abs())
        .max()
        .unwrap_or(0)
        .max(1);
    let grid = CellGrid {
        id: "outcome_confusion",
        shape: (classes, classes),
        cell: egui::vec2(96.0, ui.spacing().interact_size.y + 4.0),
        header_width: 150.0,
        max_height: 360.0,
        corner: "truth \\ predicted",
    };
    let attention = palette::attention(ui.visuals());
    let better = palette::better(ui.visuals());
    let background = ui.visuals().extreme_bg_color;
    let cell = |ui: &mut egui::Ui, t: usize, k: usize| {
        let v = value(t, k);
        #[allow(
            clippy::cast_precision_loss,
            clippy::cast_possible_truncation,
            reason = "a colour mix"
        )]
        let heat = (v.unsigned_abs() as f64 / largest as f64) as f32;
        let tint = if settings.matrix == MatrixShown::Difference && (v < 0) == (t != k) {
            better
        } else {
            attention
        };
        let support = match settings.matrix {
            MatrixShown::TrainedWith => then.support(t),
            _ => now.support(t),
        };
        #[allow(clippy::cast_precision_loss, reason = "counts, shown as a percentage")]
        let percent = if support > 0 {
            v as f64 / support as f64 * 100.0
        } else {
            0.0
        };
        let text = if settings.matrix == MatrixShown::Difference {
            format!("{v:+} ({percent:+.1} %)")
        } else {
            format!("{v} ({percent:.1} %)")
        };
        let button = egui::Button::new(text)
            .fill(background.lerp_to_gamma(tint, heat * 0.8))
            .min_size(egui::vec2(90.0, 0.0));
        let (truth, predicted) = (&preset.classes[t].name, &preset.classes[k].name);
        if ui
            .add(button)
            .on_hover_text(format!("{truth} samples called {predicted}"))
            .accessible_name(format!("confusion {truth} called {predicted}"))
            .clicked()
        {
            commands.push(Command::ConfusionCell {
                truth: t,
                predicted: k,
            });
        }
    };
    let header = |ui: &mut egui::Ui, c: usize| {
        let text = egui::RichText::new(&preset.classes[c].name).color(palette::series(c));
        ui.add(egui::Label::new(text).truncate());
    };
    grid.show(ui, cell, header, header);
}

/// FP from debris and FN to debris per rare class along the debris weight, exact step
/// functions with their 10th-90th percentile bootstrap bands; a press or drag sets the debris
/// weight.
fn trade_ui(ui: &mut egui::Ui, view: &View<'_>, prepared: &Prepared, commands: &mut Vec<Command>) {
    let preset = view.preset;
    let debris = &preset.classes[preset.debris];
    ui.strong(format!(
        "Solid: {} samples called c (false positives); dashed: c samples called {} (false negatives)",
        debris.name, debris.name
    ));
    match view.bands {
        Some(_) => ui.weak("Shaded: the 10th to 90th percentile over 200 bootstrap resamples."),
        None => ui.weak("Bootstrap bands: computing…"),
    };
    let curve = &prepared.curve;
    let grid = &curve.debris_weight;
    let visuals = ui.visuals().clone();
    let plot = debris_axis::plot("outcome_trade")
        .height(280.0)
        .x_axis_label(format!("weight of {}", debris.name))
        .y_axis_label("samples")
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
                            FilledArea::new(
                                format!("{name} band"),
                                grid,
                                &column(low),
                                &column(high),
                            )
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
    debris_axis::drag(&plot.response, &plot.transform, grid, preset, commands);
}

/// The objective, the recall floor, a button to suggest weights, and the suggestion to apply.
fn suggest_ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    settings: &mut Settings,
    commands: &mut Vec<Command>,
) {
    ui.strong("Weights for an objective");
    ui.horizontal_wrapped(|ui| {
        egui::ComboBox::from_label("objective")
            .selected_text(settings.objective.name())
            .show_ui(ui, |ui| {
                for objective in Objective::ALL {
                    ui.selectable_value(&mut settings.objective, objective, objective.name());
                }
            });
        if settings.objective == Objective::FewestDebrisFp {
            let mut floor = settings.min_recall.is_some();
            ui.checkbox(&mut floor, "minimum recall").on_hover_text(
                "Without it, every rare class keeps its recall at the trained-with weights",
            );
            if floor {
                let mut recall = settings.min_recall.unwrap_or(0.9);
                ui.add(egui::Slider::new(&mut recall, 0.0..=1.0).max_decimals(3))
                    .accessible_name("minimum recall");
                settings.min_recall = Some(recall);
            } else {
                settings.min_recall = None;
            }
        }
        let button = ui.add_enabled(!view.suggesting, egui::Button::new("Suggest weights"));
        if button
            .on_hover_text("Search per-class shifts over the exact points where decisions change")
            .clicked()
        {
            commands.push(Command::SuggestWeights);
        }
    });
    let Some((suggestion, stale)) = view.suggestion else {
        return;
    };
    let suggestion = match suggestion {
        Ok(suggestion) => suggestion,
        Err(error) => {
            ui.colored_label(ui.visuals().error_fg_color, error.to_string());
            return;
        }
    };
    let preset = view.preset;
    // The fewest false positives is a count of samples; the other objectives are fractions.
    let decimals = if suggestion.objective == Objective::FewestDebrisFp {
        0
    } else {
        4
    };
    ui.label(format!(
        "{}: {:.decimals$} at the trained-with weights, {:.decimals$} at the suggested ones{}",
        suggestion.objective.name(),
        suggestion.baseline_value,
        suggestion.value,
        if stale {
            " (computed before the last change)"
        } else {
            ""
        }
    ));
    egui::Grid::new("suggested_weights")
        .striped(true)
        .show(ui, |ui| {
            ui.strong("class");
            ui.strong("weight now");
            ui.strong("suggested");
            ui.end_row();
            for ((c, class), weight) in preset.classes.iter().enumerate().zip(&suggestion.weights) {
                ui.colored_label(palette::series(c), &class.name);
                ui.label(format!("{:.6}", class.weight));
                ui.label(format!("{weight:.6}"))
                    .on_hover_text(format!("{weight:?}"));
                ui.end_row();
            }
        });
    let apply = ui.add_enabled(!stale, egui::Button::new("Apply the suggested weights"));
    if apply
        .on_hover_text("Set these weights (Ctrl+Z takes it back)")
        .on_disabled_hover_text("Computed before the last change: suggest again")
        .clicked()
    {
        commands.push(Command::Edit(Edit::Weights(suggestion.weights.clone())));
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "exact values are what these tests assert")]
mod tests {
    use super::with_share;

    #[test]
    fn a_share_changes_and_the_others_keep_their_proportions() {
        let prior = with_share(&[0.1, 0.3, 0.6], 0, 0.5);
        assert_eq!(prior[0], 0.5);
        assert!((prior[1] - 0.5 * 1.0 / 3.0).abs() < 1e-15, "{prior:?}");
        assert!((prior[2] - 0.5 * 2.0 / 3.0).abs() < 1e-15, "{prior:?}");
        assert!((prior.iter().sum::<f64>() - 1.0).abs() < 1e-15);
        // All the rest at 0: spread evenly.
        assert_eq!(with_share(&[1.0, 0.0, 0.0], 0, 0.5), [0.5, 0.25, 0.25]);
    }
}
