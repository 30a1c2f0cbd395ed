//! The Runs pane: the user's retrains at their own weights, how far a single preview missed on
//! them, where to retrain next, and the buttons that add runs and watch a folder.

use std::path::Path;

use eframe::egui;

use crate::command::{Action, Command, TaskKind};
use crate::core::outcomes::runs::preview_error::factor_text;
use crate::core::outcomes::runs::{RunSet, RunsView};
use crate::core::preset::Preset;
use crate::core::preset::edit::Edit;
use crate::ui::layout;

/// What the pane reads of the runs (the default: none).
#[derive(Default)]
pub struct RunsShown<'a> {
    /// Run files read.
    pub loaded: usize,
    /// The set prepared from them (perhaps for earlier runs while a new one prepares), or why
    /// there is none.
    pub set: Option<Result<&'a RunSet, &'a str>>,
    /// What is derived from the set.
    pub view: Option<&'a RunsView>,
    /// Files not read: the file, why, and whether it is still being retried.
    pub refused: Vec<(&'a Path, &'a str, bool)>,
    /// The folder watched.
    pub watch: Option<&'a Path>,
    /// Files are being read.
    pub reading: bool,
    /// The set is being prepared.
    pub preparing: bool,
}

/// A weight as the user typed it: the shortest text that reads back the same.
fn weight(value: f64) -> String {
    format!("{value}")
}

/// A striped table of text under a header row.
/// It scrolls across when the pane is narrower than the table.
fn text_table(ui: &mut egui::Ui, id: &str, header: &[String], rows: &[Vec<String>]) {
    egui::ScrollArea::horizontal().id_salt(id).show(ui, |ui| {
        egui::Grid::new(id).striped(true).show(ui, |ui| {
            for title in header {
                ui.strong(title);
            }
            ui.end_row();
            for row in rows {
                for cell in row {
                    ui.label(cell);
                }
                ui.end_row();
            }
        });
    });
}

/// The Runs pane.
pub fn ui(ui: &mut egui::Ui, preset: &Preset, runs: &RunsShown<'_>, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        for action in [Action::AddRuns, Action::WatchRunsFolder] {
            let text = action.label();
            if ui.button(text).on_hover_text(action.tooltip()).clicked() {
                commands.push(Command::Action(action));
            }
        }
        if runs.watch.is_some() && ui.button("Stop watching").clicked() {
            commands.push(Command::WatchRuns(None));
        }
        if runs.loaded > 0 && ui.button("Clear runs").clicked() {
            commands.push(Command::ClearRuns);
        }
    });
    if let Some(folder) = runs.watch {
        ui.weak(format!(
            "Watching {}: a run written there appears by itself",
            folder.display()
        ));
    }
    if runs.reading {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Reading runs…");
            if ui.button("Cancel").clicked() {
                commands.push(Command::Cancel(TaskKind::ReadRuns));
            }
        });
    }
    for (path, why, retrying) in &runs.refused {
        if *retrying {
            ui.weak(format!(
                "{}: not readable yet (being written?); trying again",
                path.display()
            ));
        } else {
            ui.colored_label(ui.visuals().error_fg_color, *why);
        }
    }
    let set = match runs.set {
        None if runs.loaded == 0 && !runs.reading => {
            ui.label(
                "Add your retrains to see where each landed, what a retrain in between would \
                 likely give, and how far a single preview can be trusted on your model. A run is \
                 validation outputs (.npz or .safetensors: logits or probabilities, and labels) \
                 with the array class_weights it was trained with; drop several on the window, \
                 or watch the folder your training writes them to.",
            );
            return;
        }
        None => {
            ui.label("Preparing the runs…");
            return;
        }
        Some(Err(why)) => {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(ui.visuals().error_fg_color, why);
                if ui.button("Prepare again").clicked() {
                    commands.push(Command::RunAgain(TaskKind::PrepareRuns));
                }
            });
            return;
        }
        Some(Ok(set)) if set.classes() == preset.classes.len() => set,
        Some(Ok(set)) => {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!(
                    "The runs have {} classes, the preset has {}: clear them (Clear runs) and \
                     add runs of the preset's classes.",
                    set.classes(),
                    preset.classes.len()
                ),
            );
            return;
        }
    };
    if runs.preparing {
        ui.weak("Updating the runs for the latest change…");
    }
    let drawn = ui.scope(|ui| runs_table(ui, preset, set));
    layout::table(ui, "runs", drawn.response.rect, true);
    let Some(view) = runs.view else {
        return;
    };
    ui.separator();
    ui.label(&view.preview_error.sentence);
    if !view.preview_error.pairs.is_empty() {
        egui::CollapsingHeader::new("Each run previewed from each other run")
            .id_salt("runs preview errors")
            .show(ui, |ui| {
                let drawn = ui.scope(|ui| errors_table(ui, view));
                layout::table(ui, "preview errors", drawn.response.rect, true);
            });
    }
    ui.separator();
    ui.strong("Where to retrain next");
    let debris = preset.debris;
    let weight_text = weight;
    for (weight, why, what) in [
        (
            view.next.objective,
            &view.next.why.objective,
            "best by the estimate",
        ),
        (
            view.next.widest_band,
            &view.next.why.widest_band,
            "widest band",
        ),
    ] {
        ui.horizontal_wrapped(|ui| {
            if let Some(value) = weight
                && ui
                    .button(format!("Set debris weight {}", weight_text(value)))
                    .on_hover_text(format!("Set the debris weight to this one ({what})"))
                    .clicked()
            {
                commands.push(Command::Edit(Edit::ClassWeight(debris, value)));
            }
            ui.label(why.as_str());
        });
    }
}

/// One row per run: its weights, seed, epoch, and its counts and recall at its own weights.
fn runs_table(ui: &mut egui::Ui, preset: &Preset, set: &RunSet) {
    let debris = preset.debris;
    let rare: Vec<usize> = (0..preset.classes.len()).filter(|&c| c != debris).collect();
    let mut header = vec![
        "run".to_owned(),
        "seed".to_owned(),
        "epoch".to_owned(),
        format!("weight of {}", preset.classes[debris].name),
        "FP from debris".to_owned(),
        "FN to debris".to_owned(),
    ];
    header.extend(
        rare.iter()
            .map(|&c| format!("recall {}", preset.classes[c].name)),
    );
    let rows: Vec<Vec<String>> = set
        .runs()
        .iter()
        .map(|run| {
            let name = Path::new(&run.file)
                .file_name()
                .map_or_else(|| run.file.clone(), |n| n.to_string_lossy().into_owned());
            let optional = |v: Option<i64>| v.map_or_else(|| "-".to_owned(), |v| v.to_string());
            let mut row = vec![
                name,
                optional(run.seed),
                optional(run.epoch),
                weight(run.weights[debris]),
                run.false_positives_from_debris
                    .iter()
                    .sum::<u64>()
                    .to_string(),
                run.false_negatives_to_debris
                    .iter()
                    .sum::<u64>()
                    .to_string(),
            ];
            row.extend(
                rare.iter()
                    .map(|&c| run.recall[c].map_or_else(|| "-".to_owned(), |r| format!("{r:.3}"))),
            );
            row
        })
        .collect();
    text_table(ui, "runs table", &header, &rows);
}

/// Each ordered pair of runs: how far the preview from one missed the other.
fn errors_table(ui: &mut egui::Ui, view: &RunsView) {
    let percent =
        |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{:.0} %", v * 100.0));
    let header = [
        "from debris weight",
        "to",
        "apart",
        "FP missed by",
        "FN missed by",
    ]
    .map(str::to_owned);
    let mut rows: Vec<Vec<String>> = view
        .preview_error
        .pairs
        .iter()
        .map(|pair| {
            vec![
                weight(pair.from_debris_weight),
                weight(pair.to_debris_weight),
                factor_text(pair.factor),
                percent(pair.false_positives_from_debris),
                percent(pair.false_negatives_to_debris),
            ]
        })
        .collect();
    rows.extend(view.preview_error.blended.iter().map(|blend| {
        vec![
            format!(
                "blend of {} and {}",
                weight(blend.between[0]),
                weight(blend.between[1])
            ),
            weight(blend.debris_weight),
            "-".to_owned(),
            percent(blend.false_positives_from_debris),
            percent(blend.false_negatives_to_debris),
        ]
    }));
    text_table(ui, "preview errors table", &header, &rows);
}
