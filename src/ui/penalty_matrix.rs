//! The penalty matrix as a heatmap, the pairwise margins that change it, and what the
//! weights do to a trained model's decisions.

use eframe::egui;

use crate::command::Command;
use crate::core::cases::analysis::Analysis;
use crate::core::cases::penalties::PenaltyMatrix;
use crate::core::preset::Preset;
use crate::core::preset::edit::Edit;
use crate::ui::cell_grid::CellGrid;
use crate::ui::palette;

/// Per-session choices of the view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ViewState {
    /// Show `n_t` times the loss instead of the loss per sample.
    pub count_weighted: bool,
    /// Show which scenarios the post-hoc correction would change.
    pub post_hoc: bool,
}

/// Confidence, heatmap, margins and decision rule.
pub fn ui(
    ui: &mut egui::Ui,
    preset: &Preset,
    analysis: &Analysis,
    view: &mut ViewState,
    commands: &mut Vec<Command>,
) {
    // Both ways: in a narrow panel the matrix scrolls instead of being cut off.
    egui::ScrollArea::both().show(ui, |ui| {
        ui.horizontal(|ui| {
            let mut q = analysis.inputs.confidence;
            let slider =
                egui::Slider::new(&mut q, 0.05..=0.99).text("confidence on the predicted class");
            if ui.add(slider).changed() {
                commands.push(Command::SetConfidence(q));
            }
            ui.checkbox(&mut view.count_weighted, "× class count")
                .on_hover_text("n_t times the loss: which confusions dominate the total");
        });
        let Some(penalties) = &analysis.penalties else {
            ui.label("No matrix for this preset.");
            return;
        };
        matrix_ui(ui, preset, penalties, view.count_weighted, commands);
        ui.separator();
        margins_ui(ui, preset, commands);
        ui.separator();
        decision_ui(ui, preset, analysis, &mut view.post_hoc);
    });
}

fn matrix_ui(
    ui: &mut egui::Ui,
    preset: &Preset,
    penalties: &PenaltyMatrix,
    count_weighted: bool,
    commands: &mut Vec<Command>,
) {
    let values = if count_weighted {
        &penalties.count_weighted
    } else {
        &penalties.matrix
    };
    let largest = values.iter().flatten().copied().fold(0.0, f64::max);
    let percent = penalties.confidence * 100.0;
    ui.label(format!(
        "Loss of a sample of the row's class when the model puts {percent:.0} % on the column's class \
         (the rest spread evenly). Click a cell to select or create that scenario."
    ));
    let classes = &penalties.classes;
    let grid = CellGrid {
        id: "penalty_matrix",
        shape: (values.len(), values.len()),
        cell: egui::vec2(72.0, ui.spacing().interact_size.y + 4.0),
        header_width: 150.0,
        max_height: (ui.available_height() * 0.6).max(160.0),
        corner: "truth \\ predicted",
    };
    let attention = palette::attention(ui.visuals());
    let background = ui.visuals().extreme_bg_color;
    let cell = |ui: &mut egui::Ui, t: usize, k: usize| {
        let value = values[t][k];
        #[allow(clippy::cast_possible_truncation, reason = "a colour mix in [0, 1]")]
        let heat = if largest > 0.0 {
            (value / largest) as f32
        } else {
            0.0
        };
        let fill = background.lerp_to_gamma(attention, heat * 0.8);
        let (truth, predicted) = (&classes[t], &classes[k]);
        let words = if count_weighted {
            format!(
                "{} {truth} samples called {predicted} at {percent:.0} % cost {value:.2} in all",
                preset.classes[t].count
            )
        } else {
            format!("a {truth} sample called {predicted} at {percent:.0} % costs {value:.2}")
        };
        let button = egui::Button::new(format!("{value:.3}"))
            .fill(fill)
            .min_size(egui::vec2(66.0, 0.0));
        if ui
            .add(button)
            .on_hover_text(words)
            .accessible_name(format!("penalty {truth} called {predicted}"))
            .clicked()
        {
            commands.push(Command::PenaltyCell {
                truth: t,
                predicted: k,
            });
        }
    };
    grid.show(
        ui,
        cell,
        |ui, k| {
            ui.add(
                egui::Label::new(egui::RichText::new(&classes[k]).color(palette::series(k)))
                    .truncate(),
            );
        },
        |ui, t| {
            let marker = if t == preset.debris { " *" } else { "" };
            let label = egui::Label::new(
                egui::RichText::new(format!("{}{marker}", classes[t])).color(palette::series(t)),
            )
            .truncate();
            let label = ui.add(label);
            if t == preset.debris {
                label.on_hover_text("the debris class");
            }
        },
    );
    if penalties.rows_constant_off_diagonal() {
        ui.label(
            "Every row is constant off the diagonal: with plain weighted cross-entropy a weight scales a \
             whole row, so a sample costs the same whichever class it is mistaken for. A pairwise margin \
             below punishes one confusion more than the rest of its row.",
        );
    }
}

fn margins_ui(ui: &mut egui::Ui, preset: &Preset, commands: &mut Vec<Command>) {
    ui.label(
        "Pairwise margins: added to class k's logit for a sample of class t (Menon et al. 2021).",
    )
    .on_hover_text("l = w_y ln(1 + sum_{k != y} exp(m[y][k] + z_k - z_y)) for cross-entropy");
    let classes = &preset.classes;
    let grid = CellGrid {
        id: "margins",
        shape: (classes.len(), classes.len()),
        cell: egui::vec2(72.0, ui.spacing().interact_size.y + 4.0),
        header_width: 150.0,
        max_height: 320.0,
        corner: "t \\ k",
    };
    let cell = |ui: &mut egui::Ui, t: usize, k: usize| {
        if t == k {
            ui.label("0");
            return;
        }
        let mut value = preset
            .margins
            .get(t)
            .and_then(|row| row.get(k))
            .copied()
            .unwrap_or(0.0);
        let field = egui::DragValue::new(&mut value)
            .speed(0.01)
            .range(-20.0..=20.0)
            .clamp_existing_to_range(false);
        let name = format!("margin {} called {}", classes[t].name, classes[k].name);
        if ui.add(field).accessible_name(name).changed() {
            commands.push(Command::Edit(Edit::Margin {
                truth: t,
                class: k,
                value,
            }));
        }
    };
    let header = |ui: &mut egui::Ui, c: usize| {
        let text = egui::RichText::new(&classes[c].name).color(palette::series(c));
        ui.add(egui::Label::new(text).truncate());
    };
    grid.show(ui, cell, header, header);
}

fn decision_ui(ui: &mut egui::Ui, preset: &Preset, analysis: &Analysis, post_hoc: &mut bool) {
    ui.strong("What the weights do to decisions");
    ui.label("A model trained to the optimum of weighted cross-entropy predicts argmax_c w_c p(c | x): each weight acts like adding ln w_c to its class's logit.");
    for (class, shift) in preset.classes.iter().zip(&analysis.decision_shifts) {
        let shift = shift.map_or_else(|| "never predicted".to_owned(), |s| format!("{s:+.3}"));
        ui.label(format!("  {}: ln w = {shift}", class.name));
    }
    for (_, rule) in &analysis.rules {
        ui.label(rule);
    }
    ui.checkbox(
        post_hoc,
        "post-hoc correction: subtract ln w_c at inference",
    );
    if *post_hoc {
        let changes: Vec<String> = preset
            .scenarios
            .iter()
            .zip(&analysis.evaluation.scenarios)
            .zip(&analysis.corrected)
            .filter(|((_, sample), corrected)| sample.predicted != **corrected)
            .map(|((scenario, sample), &corrected)| {
                format!(
                    "{}: {} -> {}",
                    scenario.name,
                    preset.classes[sample.predicted].name,
                    preset.classes[corrected].name
                )
            })
            .collect();
        if changes.is_empty() {
            ui.label("No scenario would change its predicted class.");
        }
        for change in changes {
            ui.label(change);
        }
    }
}
