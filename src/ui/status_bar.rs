//! The status bar: what runs in the background (with progress and Cancel), then the latest
//! message, else the batch reductions.

use eframe::egui;

use crate::command::{Command, TaskKind};
use crate::core::cases::evaluate::Evaluation;

/// A message for the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// What happened, in words.
    pub text: String,
    /// Shown in the theme's error colour.
    pub is_error: bool,
}

impl Notice {
    /// A message about something that went well.
    #[must_use]
    pub fn info(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            is_error: false,
        }
    }

    /// A message about something that failed.
    #[must_use]
    pub fn error(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            is_error: true,
        }
    }
}

/// Background work in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Activity {
    /// Which task, for its Cancel button.
    pub task: TaskKind,
    /// What runs ("Waiting for the file dialog").
    pub label: String,
    /// From 0 to 1, when the task can tell.
    pub fraction: Option<f32>,
    /// What it is doing now.
    pub text: String,
}

/// What the status bar shows.
pub struct View<'a> {
    /// Background work in progress.
    pub activities: &'a [Activity],
    /// The latest message.
    pub notice: Option<&'a Notice>,
    /// The batch, when the preset can be evaluated.
    pub evaluation: Option<&'a Evaluation>,
    /// Why the hand cases cannot be evaluated, when they cannot: said in every workspace.
    pub unavailable: Option<&'a str>,
}

/// Activities first, each with a progress bar and Cancel; then the notice (errors in the
/// theme's error colour), or the batch summary when there is none; and why the hand cases
/// cannot be evaluated, when they cannot.
pub fn ui(ui: &mut egui::Ui, view: &View<'_>, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        for activity in view.activities {
            activity_ui(ui, activity, commands);
            ui.separator();
        }
        match (view.notice, view.evaluation) {
            (Some(notice), _) if notice.is_error => {
                ui.colored_label(ui.visuals().error_fg_color, &notice.text);
            }
            (Some(notice), _) => {
                ui.label(&notice.text);
            }
            (None, Some(evaluation)) => batch_ui(ui, evaluation),
            (None, None) => {}
        }
        if view.evaluation.is_none()
            && let Some(why) = view.unavailable
        {
            if view.notice.is_some() {
                ui.separator();
            }
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("The hand cases cannot be evaluated: {why}"),
            );
        }
    });
}

fn activity_ui(ui: &mut egui::Ui, activity: &Activity, commands: &mut Vec<Command>) {
    ui.label(&activity.label);
    match activity.fraction {
        Some(fraction) => {
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_width(160.0)
                    .show_percentage(),
            );
        }
        // No spinner: it would repaint every frame for as long as a dialog stays open.
        None => {
            ui.weak("…");
        }
    }
    if !activity.text.is_empty() {
        ui.small(&activity.text);
    }
    let cancel = ui.small_button("Cancel");
    if cancel
        .on_hover_text("Stop this work; its result is not used")
        .accessible_name(format!("cancel {}", activity.label))
        .clicked()
    {
        commands.push(Command::Cancel(activity.task));
    }
}

fn batch_ui(ui: &mut egui::Ui, evaluation: &Evaluation) {
    // Changing numbers apart from the fixed text, so a drag re-lays out only the numbers.
    let batch = &evaluation.batch;
    ui.label(format!(
        "Batch of {} scenarios:",
        evaluation.scenarios.len()
    ));
    ui.label(format!("sum {:.6},", batch.sum));
    match batch.mean {
        Some(mean) => ui.label(format!("mean {mean:.6}")),
        None => ui.label("mean undefined (the true classes' weights sum to 0)"),
    };
    ui.label("(the sum divided by the sum of the true classes' weights: PyTorch's mean, Keras' mean_with_sample_weight)");
}
