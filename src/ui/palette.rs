//! The one place that defines colours for classes and scenarios.

use eframe::egui::{Color32, Visuals};

/// A qualitative palette that reads on egui's dark and light themes alike: Tableau 10 plus two,
/// so that the notebook's 11 cases all differ, each darkened where needed to a luminance
/// between 0.18 and 0.26, which keeps at least 3:1 contrast against both themes' panels and
/// plot backgrounds (the WCAG minimum for lines and marks; tested below).
const SERIES: [Color32; 12] = [
    Color32::from_rgb(78, 121, 167),
    Color32::from_rgb(181, 105, 29),
    Color32::from_rgb(225, 87, 89),
    Color32::from_rgb(84, 132, 128),
    Color32::from_rgb(75, 138, 67),
    Color32::from_rgb(145, 122, 40),
    Color32::from_rgb(176, 122, 161),
    Color32::from_rgb(173, 105, 111),
    Color32::from_rgb(156, 117, 95),
    Color32::from_rgb(129, 122, 119),
    Color32::from_rgb(127, 128, 20),
    Color32::from_rgb(13, 136, 149),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG's relative luminance of an sRGB colour.
    fn luminance(color: Color32) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.040_45 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(color.r()) + 0.7152 * linear(color.g()) + 0.0722 * linear(color.b())
    }

    fn contrast(a: Color32, b: Color32) -> f64 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    #[test]
    fn every_series_colour_reads_on_the_dark_and_the_light_theme() {
        for visuals in [Visuals::dark(), Visuals::light()] {
            for background in [visuals.panel_fill, visuals.extreme_bg_color] {
                for (index, &color) in SERIES.iter().enumerate() {
                    let ratio = contrast(color, background);
                    assert!(
                        ratio >= 3.0,
                        "series {index} {color:?} on {background:?}: {ratio:.2}:1"
                    );
                }
            }
        }
        // Sanity of the measure: black on white is 21:1.
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 1e-9);
    }
}
