//! The layout report: where the current workspace put its plots, tables and panes, for checks
//! outside the project (`WEIGHTBENCH_REPORT_LAYOUT=PATH`) and for the tests. Off unless asked
//! for: then each frame records its areas ([`crate::ui::layout`]), and the file is written once,
//! after the first frame drawn with no background work running.

use std::path::PathBuf;

use eframe::egui;
use serde::Serialize;

use crate::command::Workspace;
use crate::ui::layout::{self, Area};

/// The window's size, the workspace shown, and every visible plot, table and pane, in points.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayoutReport {
    /// The window's width and height.
    pub window: [f32; 2],
    /// The workspace shown, by its command-line name.
    pub workspace: &'static str,
    /// Each plot, table and pane drawn, in the order drawn.
    pub areas: Vec<Area>,
}

impl LayoutReport {
    /// The largest plot, and its share of the window's area.
    #[must_use]
    pub fn largest_plot(&self) -> Option<(&Area, f32)> {
        let window = self.window[0] * self.window[1];
        self.areas
            .iter()
            .filter(|area| area.kind == layout::Kind::Plot)
            .max_by(|a, b| a.size().total_cmp(&b.size()))
            .map(|area| (area, area.size() / window))
    }

    /// The report as JSON.
    ///
    /// # Errors
    /// Never in practice: the report holds only strings and finite numbers.
    pub fn to_json(&self) -> serde_json::Result<String> {
        serde_json::to_string_pretty(self)
    }
}

/// Whether, and where, the layout is reported.
#[derive(Debug, Default)]
pub(super) struct Reporting {
    /// Recording frames at all.
    pub on: bool,
    /// The file to write once, if any.
    pub path: Option<PathBuf>,
    /// The last frame's report.
    pub last: Option<LayoutReport>,
}

impl Reporting {
    /// Starts recording a frame's areas, when on.
    pub fn start(&self, ctx: &egui::Context) {
        if self.on {
            layout::start(ctx);
        }
    }

    /// Ends the frame's recording; with `settled` (no background work), writes the file if
    /// one was asked for and not yet written.
    pub fn finish(&mut self, ctx: &egui::Context, workspace: Workspace, settled: bool) {
        if !self.on {
            return;
        }
        let size = ctx.content_rect().size();
        let report = LayoutReport {
            window: [size.x, size.y],
            workspace: workspace.name(),
            areas: layout::finish(ctx),
        };
        if settled && let Some(path) = self.path.take() {
            let written = report
                .to_json()
                .map_err(|error| error.to_string())
                .and_then(|json| std::fs::write(&path, json).map_err(|error| error.to_string()));
            if let Err(error) = written {
                eprintln!(
                    "weightbench: cannot write the layout report to {}: {error}",
                    path.display()
                );
            }
        }
        self.last = Some(report);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_is_written_once_after_a_settled_frame_as_the_contract_says() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("layout.json");
        let mut reporting = Reporting {
            on: true,
            path: Some(path.clone()),
            last: None,
        };
        let ctx = egui::Context::default();
        let input = || egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1366.0, 768.0),
            )),
            ..Default::default()
        };
        let frame = |reporting: &mut Reporting, settled: bool| {
            let mut output = ctx.run_ui(input(), |ui| {
                reporting.start(ui.ctx());
                let rect =
                    egui::Rect::from_min_size(egui::pos2(10.0, 20.0), egui::vec2(300.0, 200.0));
                layout::plot(ui, "fp/fn trade", rect);
                let wide =
                    egui::Rect::from_min_size(egui::pos2(0.0, 0.0), egui::vec2(5000.0, 10.0));
                layout::table(ui, "per class", wide, false);
                reporting.finish(ui.ctx(), Workspace::Outcomes, settled);
            });
            output.textures_delta.clear();
        };
        frame(&mut reporting, false);
        assert!(!path.exists(), "not while work runs");
        frame(&mut reporting, true);
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(json["window"], serde_json::json!([1366.0, 768.0]));
        assert_eq!(json["workspace"], "outcomes");
        assert_eq!(
            json["areas"][0],
            serde_json::json!({"name": "fp/fn trade", "kind": "plot", "rect": [10.0, 20.0, 300.0, 200.0], "clipped": false})
        );
        // Wider than the window, with no scrollbar: cut off, and reported as seen.
        assert_eq!(json["areas"][1]["kind"], "table");
        assert_eq!(json["areas"][1]["clipped"], true);
        assert_eq!(json["areas"][1]["rect"][2], 1366.0);
        std::fs::remove_file(&path).unwrap();
        frame(&mut reporting, true);
        assert!(!path.exists(), "written once");
        assert_eq!(reporting.last.as_ref().unwrap().areas.len(), 2);
    }

    #[test]
    fn nothing_is_recorded_unless_asked_for() {
        let ctx = egui::Context::default();
        let mut reporting = Reporting::default();
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            reporting.start(ui.ctx());
            layout::plot(ui, "loss curves", ui.max_rect());
            reporting.finish(ui.ctx(), Workspace::HandCases, true);
            assert!(layout::finish(ui.ctx()).is_empty());
        });
        output.textures_delta.clear();
        assert!(reporting.last.is_none());
    }
}
