//! The one place that defines colours for classes and scenarios.

use eframe::egui::{Color32, Visuals};

/// A qualitative palette that reads on dark and light backgrounds (Tableau 10, plus two
/// so that the notebook's 11 cases all differ).
const SERIES: [Color32; 12] = [
    Color32::from_rgb(78, 121, 167),
    Color32::from_rgb(242, 142, 43),
    Color32::from_rgb(225, 87, 89),
    Color32::from_rgb(118, 183, 178),
    Color32::from_rgb(89, 161, 79),
    Color32::from_rgb(237, 201, 72),
    Color32::from_rgb(176, 122, 161),
    Color32::from_rgb(255, 157, 167),
    Color32::from_rgb(156, 117, 95),
    Color32::from_rgb(186, 176, 172),
    Color32::from_rgb(188, 189, 34),
    Color32::from_rgb(23, 190, 207),
];

/// The colour of class (or scenario) `index`, the same in every panel.
#[must_use]
pub fn series(index: usize) -> Color32 {
    SERIES[index % SERIES.len()]
}

/// The colour of a curve that is not the selected one: the series colour, faded.
#[must_use]
pub fn faded(color: Color32, visuals: &Visuals) -> Color32 {
    color.lerp_to_gamma(visuals.panel_fill, 0.45)
}

/// The colour of a change for the better (fewer errors, higher recall).
#[must_use]
pub fn better(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode {
        Color32::from_rgb(120, 200, 120)
    } else {
        Color32::from_rgb(30, 130, 50)
    }
}

/// The colour of marks that call for attention (false positives and negatives).
#[must_use]
pub fn attention(visuals: &Visuals) -> Color32 {
    visuals.warn_fg_color
}
