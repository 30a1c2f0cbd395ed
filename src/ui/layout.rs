//! Where the plots and tables landed on screen, for the layout report
//! (`WEIGHTBENCH_REPORT_LAYOUT`) and the tests that check the answers get the room.
//!
//! Panels call [`plot`] and [`table`] with what they drew; nothing is kept unless the app
//! turned recording on for the frame ([`start`]), so it costs one lookup per plot otherwise.

use std::sync::{Arc, Mutex};

use eframe::egui;
use serde::Serialize;

/// What an area shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A plot.
    Plot,
    /// A table.
    Table,
    /// A pane of the workspace.
    Panel,
}

/// One plot, table or pane as drawn: its visible rectangle in points, and whether its content
/// is cut off with no way to scroll to it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Area {
    /// What it shows, as its title says ("loss curves", "per class").
    pub name: String,
    /// Plot, table or pane.
    pub kind: Kind,
    /// `[x, y, width, height]` of the part on screen, in points.
    pub rect: [f32; 4],
    /// Content cut off with no scrollbar to reach it.
    pub clipped: bool,
}

impl Area {
    /// The area's size on screen, in square points.
    #[must_use]
    pub fn size(&self) -> f32 {
        self.rect[2] * self.rect[3]
    }
}

/// The areas recorded during a frame.
type Recording = Arc<Mutex<Vec<Area>>>;

fn id() -> egui::Id {
    egui::Id::unique("weightbench layout recording")
}

/// Records the areas drawn until [`finish`].
pub fn start(ctx: &egui::Context) {
    ctx.data_mut(|d| d.insert_temp(id(), Recording::default()));
}

/// The areas recorded since [`start`]; recording stops.
#[must_use]
pub fn finish(ctx: &egui::Context) -> Vec<Area> {
    let recording: Option<Recording> = ctx.data_mut(|d| {
        let recording = d.get_temp(id());
        d.remove_temp::<Recording>(id());
        recording
    });
    recording
        .and_then(|r| r.lock().ok().map(|areas| areas.clone()))
        .unwrap_or_default()
}

/// Records an area drawn at `rect` in `ui`; the part outside what `ui` shows is off screen,
/// and counts as cut off unless `scrollable` (it sits in a scroll area that reaches it).
pub fn record(ui: &egui::Ui, name: &str, kind: Kind, rect: egui::Rect, scrollable: bool) {
    let Some(recording) = ui.ctx().data(|d| d.get_temp::<Recording>(id())) else {
        return;
    };
    let visible = rect.intersect(ui.clip_rect());
    if !visible.is_positive() {
        return;
    }
    let cut = rect.width() > visible.width() + 0.5 || rect.height() > visible.height() + 0.5;
    let area = Area {
        name: name.to_owned(),
        kind,
        rect: [
            visible.min.x,
            visible.min.y,
            visible.width(),
            visible.height(),
        ],
        clipped: cut && !scrollable,
    };
    if let Ok(mut areas) = recording.lock() {
        areas.push(area);
    }
}

/// Records a plot drawn at `rect`, not in a scroll area.
pub fn plot(ui: &egui::Ui, name: &str, rect: egui::Rect) {
    record(ui, name, Kind::Plot, rect, false);
}

/// Records a table drawn at `rect`; `scrollable` when it sits in a scroll area both ways.
pub fn table(ui: &egui::Ui, name: &str, rect: egui::Rect, scrollable: bool) {
    record(ui, name, Kind::Table, rect, scrollable);
}
