//! The Costs pane: what each mistake costs (rows truth, columns predicted), the switch between
//! deciding by the weights and by the least expected cost, what each rule's decisions cost on
//! the user's outputs, and the weights closest to the costs with the margins that carry them
//! into training. Every number comes from the core ([`crate::core::outcomes::view::CostOutcomes`],
//! [`crate::core::outcomes::cost_report::Closest`]).

use eframe::egui;

use super::{Settings, View};
use crate::command::{Command, TaskKind};
use crate::core::outcomes::cost_report::Closest;
use crate::core::outcomes::costs::{CostMatrix, Decision};
use crate::core::outcomes::metrics::Metrics;
use crate::core::outcomes::view::{CostOutcomes, Prepared};
use crate::core::outcomes::words::significant;
use crate::core::preset::Preset;
use crate::core::preset::edit::Edit;
use crate::ui::cell_grid::CellGrid;
use crate::ui::palette;

/// What the pane shows of the costs, beside the outcomes.
#[derive(Clone, Copy, Default)]
pub struct CostsShown<'a> {
    /// The cost rule's outcomes, once prepared.
    pub outcomes: Option<&'a CostOutcomes>,
    /// The current weights' metrics (whatever rule the other panes show).
    pub weights: Option<&'a Metrics>,
    /// The closest weights, and whether the costs changed since they were found.
    pub closest: Option<(Result<&'a Closest, &'a str>, bool)>,
    /// They are being searched.
    pub searching: bool,
}

/// The pane's contents; the decision switch changes `settings` (the caller's copy).
pub(super) fn ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    prepared: Option<&Prepared>,
    settings: &mut Settings,
    commands: &mut Vec<Command>,
) {
    let preset = view.preset;
    ui.strong("What each mistake costs");
    ui.label(
        "Rows: the true class. Columns: the class it is called. A right call (the diagonal) costs 0. \
         * marks debris.",
    );
    grid_ui(ui, preset, commands);
    let has_costs = !preset.costs.is_empty();
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Fill from the weights")
            .on_hover_text(
                "Each row costs its class's weight: the matrix the current weights decide by",
            )
            .clicked()
        {
            commands.push(Command::Edit(Edit::Costs(CostMatrix::from_weights(
                &preset.weights(),
            ))));
        }
        if ui
            .add_enabled(has_costs, egui::Button::new("Clear the costs"))
            .clicked()
        {
            commands.push(Command::Edit(Edit::Costs(Vec::new())));
        }
    });
    ui.separator();
    ui.horizontal_wrapped(|ui| {
        ui.label("Decide by:");
        ui.selectable_value(
            &mut settings.decision,
            Decision::Weights,
            "the weights' argmax",
        );
        ui.add_enabled_ui(has_costs, |ui| {
            ui.selectable_value(
                &mut settings.decision,
                Decision::Cost,
                "the least expected cost",
            )
            .on_hover_text(
                "argmin_k sum_y p(y | x) C[y][k], with the weights the model was trained with \
                     divided out of its outputs",
            )
            .on_disabled_hover_text("Type the costs first");
        });
    });
    if !has_costs {
        ui.weak(
            "No costs yet: type what a mistake costs in a cell (the others start at 0), or fill \
             the matrix from the weights and change it.",
        );
        return;
    }
    let (Some(prepared), Some(weights)) = (prepared, view.costs.weights) else {
        ui.weak("Load your model's validation outputs to see what these costs decide.");
        return;
    };
    let Some(outcomes) = view.costs.outcomes else {
        ui.weak("Preparing the probabilities for the costs…");
        return;
    };
    totals_ui(ui, outcomes, weights, &prepared.baseline, settings.decision);
    ui.separator();
    closest_ui(ui, preset, view.costs, commands);
}

/// The matrix as editable cells, debris marked, the diagonal fixed at 0.
fn grid_ui(ui: &mut egui::Ui, preset: &Preset, commands: &mut Vec<Command>) {
    let classes = &preset.classes;
    let grid = CellGrid {
        id: "costs",
        shape: (classes.len(), classes.len()),
        cell: egui::vec2(56.0, ui.spacing().interact_size.y + 4.0),
        header_width: 112.0,
        max_height: 240.0,
        corner: "truth \\ called",
    };
    let cell = |ui: &mut egui::Ui, t: usize, k: usize| {
        if t == k {
            ui.weak("0").on_hover_text("a right call costs nothing");
            return;
        }
        let mut value = preset
            .costs
            .get(t)
            .and_then(|row| row.get(k))
            .copied()
            .unwrap_or(0.0);
        let field = egui::DragValue::new(&mut value)
            .speed(0.05)
            .range(0.0..=1e9)
            .clamp_existing_to_range(false);
        let name = format!("cost {} called {}", classes[t].name, classes[k].name);
        if ui
            .add(field)
            .on_hover_text(format!(
                "what a {} sample called {} costs",
                classes[t].name, classes[k].name
            ))
            .accessible_name(name)
            .changed()
        {
            commands.push(Command::Edit(Edit::Cost {
                truth: t,
                predicted: k,
                cost: value,
            }));
        }
    };
    let header = |ui: &mut egui::Ui, c: usize, marked: bool| {
        let marker = if marked && c == preset.debris {
            " *"
        } else {
            ""
        };
        let text =
            egui::RichText::new(format!("{}{marker}", classes[c].name)).color(palette::series(c));
        ui.add(egui::Label::new(text).truncate());
    };
    grid.show(
        ui,
        cell,
        |ui, k| header(ui, k, false),
        |ui, t| header(ui, t, true),
    );
}

/// What each rule's decisions cost: on the data, per sample, and among 10,000 deployed.
fn totals_ui(
    ui: &mut egui::Ui,
    outcomes: &CostOutcomes,
    weights: &Metrics,
    baseline: &Metrics,
    decision: Decision,
) {
    let totals = outcomes.totals(weights, baseline);
    let samples = totals.samples.max(1) as f64;
    let deployed = totals.cost_rule_deployed.is_some();
    egui::Grid::new("cost totals").striped(true).show(ui, |ui| {
        ui.strong("decisions by");
        ui.strong("total cost");
        ui.strong("per sample");
        if deployed {
            ui.strong("per 10,000 deployed");
        }
        ui.end_row();
        let rows = [
            (
                "least expected cost",
                totals.cost_rule,
                totals.cost_rule_deployed,
                decision == Decision::Cost,
            ),
            (
                "current weights",
                totals.weights,
                totals.weights_deployed,
                decision == Decision::Weights,
            ),
            ("trained-with weights", totals.baseline, None, false),
        ];
        for (name, total, per_deployed, shown) in rows {
            if shown {
                ui.strong(format!("{name} (shown)"));
            } else {
                ui.label(name);
            }
            ui.label(format!("{total:.2}"));
            ui.label(format!("{:.4}", total / samples));
            if deployed {
                ui.label(per_deployed.map_or_else(String::new, |c| format!("{c:.1}")));
            }
            ui.end_row();
        }
    });
    let shown = match decision {
        Decision::Weights => "the current weights' argmax",
        Decision::Cost => "the least expected cost",
    };
    ui.weak(format!(
        "The confusion, the per-class table and the counts follow {shown}."
    ));
}

/// The equivalent or nearest weights, with Apply; the margins that carry the costs into
/// training.
fn closest_ui(
    ui: &mut egui::Ui,
    preset: &Preset,
    shown: CostsShown<'_>,
    commands: &mut Vec<Command>,
) {
    let Some((closest, stale)) = shown.closest else {
        if shown.searching {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Finding the weights nearest these costs…");
            });
        }
        return;
    };
    let closest = match closest {
        Ok(closest) => closest,
        Err(why) => {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(ui.visuals().warn_fg_color, why);
                if ui.button("Search again").clicked() {
                    commands.push(Command::RunAgain(TaskKind::NearestWeights));
                }
            });
            return;
        }
    };
    if stale {
        ui.weak("For the costs before the last change; updating…");
    }
    let names = |weights: &[f64]| {
        preset
            .classes
            .iter()
            .zip(weights)
            .map(|(class, w)| format!("{} {}", class.name, significant(*w)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let samples = shown
        .outcomes
        .map_or(0, |outcomes| outcomes.metrics.confusion.total());
    let share = 100.0 * closest.agreeing as f64 / samples.max(1) as f64;
    match &closest.equivalent {
        Some(weights) => {
            ui.label(format!(
                "Every row is constant off the diagonal, so class weights express these costs \
                 exactly: {} decide as the least expected cost ({} of {samples} samples here).",
                names(weights),
                closest.agreeing
            ));
        }
        None => {
            ui.label(format!(
                "No class weights decide as these costs: a row is not constant off the diagonal. \
                 The nearest weights, {}, agree with the least expected cost on {} of {samples} \
                 samples ({share:.1} %).",
                names(&closest.nearest),
                closest.agreeing
            ));
        }
    }
    let label = if closest.equivalent.is_some() {
        "Apply these weights"
    } else {
        "Apply the nearest weights"
    };
    if ui
        .add_enabled(!stale, egui::Button::new(label))
        .on_hover_text("Sets every class weight at once: one step to undo")
        .clicked()
    {
        commands.push(Command::Edit(Edit::Weights(closest.nearest.clone())));
    }
    match &closest.margins {
        Some(margins) if margins.iter().flatten().any(|&m| m != 0.0) => {
            ui.label(
                "To train for these costs, the preset's pairwise margins can weigh each mistake in \
                 the loss by its cost, with the nearest weights (export them on Loss & export; a \
                 retrain, read as a run, tells how close its decisions come).",
            );
            if ui
                .add_enabled(!stale, egui::Button::new("Apply the margins"))
                .on_hover_text("Sets every pairwise margin at once: one step to undo")
                .clicked()
            {
                commands.push(Command::Edit(Edit::Margins(margins.clone())));
            }
        }
        Some(_) => {}
        None => {
            ui.weak(
                "No pairwise margins weigh the loss by these costs: a mistake that costs 0 cannot be \
                 weighed down to nothing by a margin (the weights carry only whole rows).",
            );
        }
    }
}
