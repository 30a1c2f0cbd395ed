//! The loss options with their formulas, the warning where weights and smoothing fight,
//! the loss forms compared on the selected scenario, and export to training code.

use eframe::egui;
use egui_plot::{Line, Plot, PlotBounds};

use crate::command::Command;
use crate::core::cases::advice::smoothing_note;
use crate::core::cases::analysis::Analysis;
use crate::core::preset::Preset;
use crate::core::preset::edit::Edit;
use crate::core::preset::loss_options::{Convention, LossOptions, Reduction};
use crate::ui::{axes, palette};

/// Loss options, warning, comparison plot and export buttons.
pub fn ui(
    ui: &mut egui::Ui,
    preset: &Preset,
    analysis: &Analysis,
    selected: Option<usize>,
    commands: &mut Vec<Command>,
) {
    ui.heading("Loss");
    options_ui(ui, preset.loss, commands);
    for conflict in &analysis.conflicts {
        ui.colored_label(palette::attention(ui.visuals()), conflict.describe(preset));
    }
    if let Some(note) = smoothing_note(&preset.loss) {
        ui.label(note);
    }
    let batch = &analysis.evaluation.batch;
    let (name, _) = preset.loss.reduction.describe();
    match batch.reduced(preset.loss.reduction) {
        Some(value) => ui.label(format!("batch loss ({name}): {value:.6}")),
        None => ui.label(format!("batch loss ({name}): per sample, see the list")),
    };
    ui.separator();
    compare_ui(ui, preset, analysis, selected);
    ui.separator();
    export_ui(ui, analysis, commands);
}

fn options_ui(ui: &mut egui::Ui, current: LossOptions, commands: &mut Vec<Command>) {
    let mut options = current;
    egui::ComboBox::from_label("convention")
        .selected_text(options.convention.describe().0)
        .show_ui(ui, |ui| {
            for convention in Convention::ALL {
                let (name, formula) = convention.describe();
                ui.selectable_value(&mut options.convention, convention, name)
                    .on_hover_text(formula);
            }
        })
        .response
        .on_hover_text(
            "Whose weighted loss the numbers follow. They agree on plain weighted cross-entropy. With label smoothing, PyTorch weights each class's share of the smoothed target by that class's weight, while Keras' fit(class_weight=...) multiplies the sample's whole loss by its true class's weight. Keras also has focal loss with label smoothing, and clips probabilities to [1e-7, 1 - 1e-7] in its focal loss.",
        );
    egui::ComboBox::from_label("reduction")
        .selected_text(options.reduction.describe().0)
        .show_ui(ui, |ui| {
            for reduction in Reduction::ALL {
                let (name, formula) = reduction.describe();
                ui.selectable_value(&mut options.reduction, reduction, name)
                    .on_hover_text(formula);
            }
        });
    ui.add(egui::Slider::new(&mut options.label_smoothing, 0.0..=1.0).text("label smoothing"))
        .on_hover_text(match options.convention {
            Convention::PyTorch => {
                "eps: l = (1 - eps)(-w_y ln p_y) + (eps / C) sum_c (-w_c ln p_c), PyTorch's form"
            }
            Convention::Keras => {
                "eps: l = w_y ((1 - eps)(-ln p_y) + (eps / C) sum_c (-ln p_c)), Keras' form"
            }
        });
    // The ranges bound the sliders; a larger gamma or a negative tau (from a file) is shown as
    // it is, not clamped by being shown.
    let kept = egui::SliderClamping::Edits;
    ui.add(
        egui::Slider::new(&mut options.focal_gamma, 0.0..=5.0)
            .clamping(kept)
            .text("focal gamma"),
    )
        .on_hover_text(match options.convention {
            Convention::PyTorch => {
                "gamma: l = -w_y (1 - p_y)^gamma ln p_y (Lin et al. 2017); 0 is cross-entropy"
            }
            Convention::Keras => {
                "gamma: l = w_y sum_c (1 - o_c)^gamma (-t_c ln o_c), o = p clipped to [1e-7, 1 - 1e-7] (CategoricalFocalCrossentropy, alpha 1); 0 is cross-entropy"
            }
        });
    ui.add(
        egui::Slider::new(&mut options.logit_adjustment, 0.0..=2.0)
            .clamping(kept)
            .text("logit adjustment"),
    )
    .on_hover_text("tau: p = softmax(z + tau ln(n_c / N)) (Menon et al. 2021); 0 is off");
    if options != current {
        commands.push(Command::Edit(Edit::Loss(options)));
    }
}

fn compare_ui(ui: &mut egui::Ui, preset: &Preset, analysis: &Analysis, selected: Option<usize>) {
    let Some(index) = selected.filter(|_| !analysis.comparison.is_empty()) else {
        ui.label("Select a scenario to compare the loss forms on it.");
        return;
    };
    let curves = &analysis.comparison;
    ui.label(format!(
        "\"{}\" under each loss form:",
        preset.scenarios[index].name
    ));
    let grid = &analysis.sweep.debris_weight;
    // The bounds are set here: egui_plot's own margin around losses near f64::MAX (logits typed
    // far beyond the sliders) is infinite, and it panics on infinite bounds.
    let top = curves
        .iter()
        .flat_map(|curve| curve.loss.iter())
        .copied()
        .fold(0.0, f64::max);
    let top = if top > 0.0 {
        (top * 1.05).min(f64::MAX)
    } else {
        1.0
    };
    let (first, last) = (
        grid.first().copied().unwrap_or(0.0),
        grid.last().copied().unwrap_or(1.0),
    );
    let entries: Vec<axes::Entry<'_>> = curves
        .iter()
        .enumerate()
        .map(|(variant, curve)| axes::Entry {
            text: &curve.label,
            color: palette::series(variant),
            dashed: false,
        })
        .collect();
    axes::legend_row(ui, &entries);
    let debris = &preset.classes[preset.debris].name;
    axes::with_axes(
        Plot::new("compare_loss_forms"),
        format!("weight of {debris} (class weight)"),
        "loss (nats)",
        false,
        axes::number,
        axes::number,
    )
    .height(200.0)
    .allow_drag(false)
    .allow_zoom(false)
    .allow_scroll(false)
    .show(ui, |plot_ui| {
        plot_ui.set_plot_bounds(PlotBounds::from_min_max([first, 0.0], [last, top]));
        for (variant, curve) in curves.iter().enumerate() {
            let points: Vec<[f64; 2]> = grid
                .iter()
                .zip(&curve.loss)
                .map(|(&x, &y)| [x, y])
                .collect();
            plot_ui.line(
                Line::new(curve.label.as_str(), points)
                    .color(palette::series(variant))
                    .width(2.0),
            );
        }
    });
}

/// Lines of a snippet shown before it scrolls: a short `loss_fn` fits whole.
const SNIPPET_LINES: f32 = 14.0;

fn export_ui(ui: &mut egui::Ui, analysis: &Analysis, commands: &mut Vec<Command>) {
    ui.heading("Export to training code");
    let max_height = ui.text_style_height(&egui::TextStyle::Monospace) * SNIPPET_LINES;
    for (target, snippet) in &analysis.snippets {
        ui.horizontal(|ui| {
            let button = ui.button(format!("Copy {}", target.name()));
            if button
                .on_hover_text("Copy this code to the clipboard")
                .clicked()
            {
                commands.push(Command::Copy(*target));
            }
        });
        // Long lines wrap so all of the code shows in the narrow panel (Copy takes it exactly as
        // written); long snippets scroll.
        egui::ScrollArea::vertical()
            .id_salt(("export snippet", target.name()))
            .max_height(max_height)
            .show(ui, |ui| {
                ui.add(egui::Label::new(egui::RichText::new(snippet).monospace()).wrap());
            });
    }
}
