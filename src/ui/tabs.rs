//! A row of tabs. The tabs themselves, one name for each tab, its label and its module
//! (`CentralTab::LossCurves` is "Loss curves", drawn by `ui::loss_curves`), are in the
//! command table ([`crate::command::CentralTab`], [`crate::command::RightTab`]).

use eframe::egui;

/// A row of tabs; returns the tab clicked, if it is not the current one.
pub fn tab_row<T: Copy + PartialEq>(
    ui: &mut egui::Ui,
    current: T,
    tabs: &[T],
    label: impl Fn(T) -> &'static str,
) -> Option<T> {
    let mut chosen = None;
    ui.horizontal_wrapped(|ui| {
        for &tab in tabs {
            if ui.selectable_label(tab == current, label(tab)).clicked() && tab != current {
                chosen = Some(tab);
            }
        }
    });
    chosen
}
