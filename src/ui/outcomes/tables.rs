//! The Outcomes view's tables: the summary, the per-class table, and the deployed counts,
//! each value at the current weights beside its change since the trained-with weights.

use eframe::egui;

use crate::core::outcomes::compared::{
    self, Change, ClassRow, Compared, ComparedCount, CountChange, DeployedRow, Summary, Verdict,
};
use crate::core::outcomes::metrics::Metrics;
use crate::core::outcomes::view::{CurrentOutcomes, Prepared};
use crate::core::preset::Preset;
use crate::ui::palette;

/// Accuracy, balanced accuracy, macro-F1 and the loss, trained-with against current.
pub(super) fn summary_ui(
    ui: &mut egui::Ui,
    preset: &Preset,
    prepared: &Prepared,
    (current, by_cost): (&CurrentOutcomes, bool),
) {
    let summary = Summary::of(preset, prepared, current);
    egui::Grid::new("outcome_summary")
        .striped(true)
        .show(ui, |ui| {
            ui.strong("");
            ui.strong("trained with");
            ui.strong(if by_cost {
                "least expected cost"
            } else {
                "current weights"
            });
            ui.strong("change");
            ui.end_row();
            let rows = [
                ("accuracy", summary.accuracy),
                ("balanced accuracy", summary.balanced_accuracy),
                ("macro-F1", summary.macro_f1),
                ("weighted loss, mean (PyTorch)", summary.loss_mean),
            ];
            for (name, row) in rows {
                ui.label(name);
                ui.label(number(row.trained_with));
                ui.label(number(row.current));
                change_ui(ui, row.change);
                ui.end_row();
            }
        });
}

fn number(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.4}"))
}

/// The colour of a change: green when better, red when worse, weak when none.
fn verdict_color(ui: &egui::Ui, verdict: Verdict) -> egui::Color32 {
    match verdict {
        Verdict::Unchanged => ui.visuals().weak_text_color(),
        Verdict::Better => palette::better(ui.visuals()),
        Verdict::Worse => ui.visuals().error_fg_color,
    }
}

/// A change to four decimals, coloured by its verdict; blank when undefined.
fn change_ui(ui: &mut egui::Ui, change: Option<Change>) {
    let Some(change) = change else {
        ui.label("");
        return;
    };
    let color = verdict_color(ui, change.verdict);
    ui.colored_label(color, format!("{:+.4}", change.amount));
}

/// The change of an error count, coloured by its verdict.
fn count_change_ui(ui: &mut egui::Ui, change: CountChange) {
    let color = verdict_color(ui, change.verdict);
    ui.colored_label(color, format!("{:+}", change.amount));
}

/// Per class: precision, recall and F1 then and now; FP from debris and FN to debris.
pub(super) fn class_table_ui(
    ui: &mut egui::Ui,
    preset: &Preset,
    baseline: &Metrics,
    now: &Metrics,
) {
    let rows = compared::class_rows(preset.debris, baseline, now);
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
            for (c, (class, row)) in preset.classes.iter().zip(&rows).enumerate() {
                let ClassRow {
                    support,
                    precision,
                    recall,
                    f1,
                    false_positives_from_debris,
                    false_negatives_to_debris,
                } = *row;
                ui.colored_label(palette::series(c), &class.name);
                ui.label(support.to_string());
                for metric in [precision, recall, f1] {
                    ui.label(number(metric.current));
                    change_ui(ui, metric.change);
                }
                let errors = [false_positives_from_debris, false_negatives_to_debris];
                error_cells(ui, errors, |ui, count: ComparedCount| {
                    ui.label(count.current.to_string());
                    count_change_ui(ui, count.change);
                });
                ui.end_row();
            }
        });
}

/// With a deployment prior: precision and error counts expected among 10,000 deployed samples.
pub(super) fn deployed_ui(ui: &mut egui::Ui, preset: &Preset, baseline: &Metrics, now: &Metrics) {
    let Some(rows) = compared::deployed_rows(preset.debris, baseline, now) else {
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
            for (c, (class, row)) in preset.classes.iter().zip(&rows).enumerate() {
                let DeployedRow {
                    precision,
                    false_positives_from_debris,
                    false_negatives_to_debris,
                } = *row;
                ui.colored_label(palette::series(c), &class.name);
                ui.label(number(precision.current));
                change_ui(ui, precision.change);
                let errors = [false_positives_from_debris, false_negatives_to_debris];
                error_cells(ui, errors, |ui, expected: Compared| {
                    ui.label(format!("{:.1}", expected.current.unwrap_or_default()));
                    change_ui(ui, expected.change);
                });
                ui.end_row();
            }
        });
}

/// The FP-from-debris and FN-to-debris cells of a class's row, each drawn by `cell` as a value
/// and its change; blank in the debris row, which has neither.
fn error_cells<T: Copy>(
    ui: &mut egui::Ui,
    errors: [Option<T>; 2],
    mut cell: impl FnMut(&mut egui::Ui, T),
) {
    for error in errors {
        if let Some(error) = error {
            cell(ui, error);
        } else {
            ui.label("");
            ui.label("");
        }
    }
}
