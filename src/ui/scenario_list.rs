//! The scenario list: every case with its truth, prediction and loss, marks for the
//! confusions that matter, a filter, and buttons to add, copy, delete and reorder.

use eframe::egui;

use crate::command::Command;
use crate::core::cases::evaluate::Evaluation;
use crate::core::preset::Preset;
use crate::core::preset::edit::Edit;
use crate::ui::palette;

/// Which scenarios the list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScenarioFilter {
    /// Every scenario.
    All,
    /// Debris samples only.
    TruthIsDebris,
    /// Scenarios whose predicted class is not the truth.
    Misclassified,
}

/// What the list reads.
pub struct View<'a> {
    /// The preset.
    pub preset: &'a Preset,
    /// Its evaluation, one result per scenario.
    pub evaluation: &'a Evaluation,
    /// The selected scenario.
    pub selected: Option<usize>,
}

/// The confusion a scenario shows, if it is one the notebook cares about.
fn confusion(
    preset: &Preset,
    truth: usize,
    predicted: usize,
) -> Option<(&'static str, &'static str)> {
    if truth == preset.debris && predicted != preset.debris {
        Some((
            "FP",
            "Debris predicted as a rare class: a false positive for that class",
        ))
    } else if truth != preset.debris && predicted == preset.debris {
        Some(("FN", "A rare object predicted as debris: a false negative"))
    } else {
        None
    }
}

/// The filter, the list, and its buttons.
pub fn ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    filter: &mut ScenarioFilter,
    commands: &mut Vec<Command>,
) {
    ui.heading("Scenarios");
    ui.horizontal(|ui| {
        ui.label("Show:");
        ui.selectable_value(filter, ScenarioFilter::All, "all");
        ui.selectable_value(filter, ScenarioFilter::TruthIsDebris, "truth is debris");
        ui.selectable_value(filter, ScenarioFilter::Misclassified, "misclassified");
    });
    buttons(ui, view, commands);
    let shown = shown_scenarios(view.preset, view.evaluation, *filter);
    // A selection made elsewhere (Ctrl+PageDown, the plot's legend) scrolls its row into view.
    let selected_id = ui.scope_id().with("scenario_list_selected");
    let before: Option<Option<usize>> = ui.data(|d| d.get_temp(selected_id));
    ui.data_mut(|d| d.insert_temp(selected_id, view.selected));
    let reveal = view.selected.filter(|_| before != Some(view.selected));
    // Across, the table scrolls as a whole; down, its rows scroll under the header.
    let output = egui::ScrollArea::horizontal()
        .id_salt("scenario table")
        .auto_shrink([false, false])
        .show(ui, |ui| rows_ui(ui, view, &shown, reveal, commands));
    let rect = egui::Rect::from_min_size(output.inner_rect.min, output.content_size);
    super::layout::table(ui, "scenarios", rect, true);
}

/// The header and the rows shown, laid out only when visible; `reveal` scrolls to its row.
fn rows_ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    shown: &[usize],
    reveal: Option<usize>,
    commands: &mut Vec<Command>,
) {
    super::table_header(
        ui,
        &WIDTHS,
        &[
            ("", ""),
            ("scenario", ""),
            ("truth", ""),
            ("predicted", ""),
            ("loss", ""),
        ],
    );
    let row_height = super::table_row_height(ui);
    egui::ScrollArea::vertical()
        .id_salt("scenario_list")
        .auto_shrink([false, true])
        .show_rows(ui, row_height, shown.len(), |ui, rows| {
            if let Some(position) = reveal.and_then(|s| shown.iter().position(|&i| i == s)) {
                #[allow(clippy::cast_precision_loss, reason = "a row count")]
                let rows_down = position as f32 - rows.start as f32;
                let step = row_height + ui.spacing().item_spacing.y;
                let top = ui.max_rect().top() + rows_down * step;
                let row =
                    egui::Rect::from_x_y_ranges(ui.max_rect().x_range(), top..=top + row_height);
                ui.scroll_to_rect(row, None);
            }
            for &index in &shown[rows] {
                row_ui(ui, view, index, commands);
            }
        });
}

/// Column widths: mark, scenario, truth, predicted, loss.
const WIDTHS: [f32; 5] = [24.0, 230.0, 100.0, 100.0, 80.0];

/// The scenarios the list shows with `filter`, top to bottom.
#[must_use]
pub fn shown_scenarios(
    preset: &Preset,
    evaluation: &Evaluation,
    filter: ScenarioFilter,
) -> Vec<usize> {
    preset
        .scenarios
        .iter()
        .zip(&evaluation.scenarios)
        .enumerate()
        .filter(|(_, (scenario, sample))| match filter {
            ScenarioFilter::All => true,
            ScenarioFilter::TruthIsDebris => scenario.truth == preset.debris,
            ScenarioFilter::Misclassified => sample.predicted != scenario.truth,
        })
        .map(|(index, _)| index)
        .collect()
}

fn row_ui(ui: &mut egui::Ui, view: &View<'_>, index: usize, commands: &mut Vec<Command>) {
    let preset = view.preset;
    let class_name = |index: usize| preset.classes.get(index).map_or("?", |c| c.name.as_str());
    let (Some(scenario), Some(sample)) = (
        preset.scenarios.get(index),
        view.evaluation.scenarios.get(index),
    ) else {
        return;
    };
    super::table_row(ui, &WIDTHS, |row| {
        row.cell(|ui| {
            if let Some((mark, meaning)) = confusion(preset, scenario.truth, sample.predicted) {
                ui.colored_label(palette::attention(ui.visuals()), mark)
                    .on_hover_text(meaning);
            }
        });
        row.cell(|ui| {
            let selected = view.selected == Some(index);
            let label = egui::RichText::new(&scenario.name).color(palette::series(index));
            let button = egui::Button::selectable(selected, label).truncate();
            let mut response = ui.add(button);
            if scenario.name.trim().is_empty() {
                // Names are free text: a blank one leaves the button nothing to be read as.
                response = response.accessible_name(format!("scenario {} (no name)", index + 1));
            }
            if response.on_hover_text(&scenario.name).clicked() {
                commands.push(Command::Select(Some(index)));
            }
        });
        row.cell(|ui| ui.add(egui::Label::new(class_name(scenario.truth)).truncate()));
        row.cell(|ui| ui.add(egui::Label::new(class_name(sample.predicted)).truncate()));
        row.cell(|ui| {
            ui.label(format!("{:.6}", sample.loss))
                .on_hover_text(format!(
                    "{:?} (w[y] = {:?})",
                    sample.loss, sample.truth_weight
                ));
        });
    });
}

fn buttons(ui: &mut egui::Ui, view: &View<'_>, commands: &mut Vec<Command>) {
    let count = view.preset.scenarios.len();
    ui.horizontal(|ui| {
        if ui
            .button("New scenario")
            .on_hover_text("Add a debris sample with all logits 0")
            .clicked()
        {
            commands.push(Command::Edit(Edit::AddScenario));
        }
        let selected = view.selected.filter(|&index| index < count);
        ui.add_enabled_ui(selected.is_some(), |ui| {
            let index = selected.unwrap_or_default();
            if ui
                .button("Duplicate")
                .on_hover_text("Copy the selected scenario")
                .clicked()
            {
                commands.push(Command::Edit(Edit::DuplicateScenario(index)));
            }
            if ui
                .button("Delete")
                .on_hover_text("Delete the selected scenario")
                .clicked()
            {
                commands.push(Command::Edit(Edit::RemoveScenario(index)));
            }
            if let Some((from, to)) = super::move_buttons(ui, index, count, "scenario") {
                commands.push(Command::Edit(Edit::MoveScenario { from, to }));
            }
        });
    });
}
