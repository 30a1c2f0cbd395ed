//! Where the preview and retraining part most: the grid weight, class and kind of error with
//! the largest difference between the two medians.

use crate::core::preset::Preset;
use crate::core::simulator::simulate::Simulation;

/// A kind of error the simulator counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Debris samples called the class.
    FalsePositivesFromDebris,
    /// Samples of the class called debris.
    FalseNegativesToDebris,
}

impl ErrorKind {
    /// The words for it, plural.
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            Self::FalsePositivesFromDebris => "false positives from debris",
            Self::FalseNegativesToDebris => "false negatives to debris",
        }
    }
}

/// The largest difference between retraining and the preview along the grid.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gap {
    /// The class whose count differs.
    pub class: usize,
    /// The grid point's index.
    pub point: usize,
    /// The debris weight there.
    pub debris_weight: f64,
    /// Which count.
    pub error: ErrorKind,
    /// The retrained median.
    pub retrained: f64,
    /// The preview's median.
    pub preview: f64,
}

impl Gap {
    /// The largest `|retrained - preview|` over the grid, the classes and both counts (the first
    /// one on a tie, false positives before false negatives); `None` when they agree everywhere.
    #[must_use]
    pub fn largest(simulation: &Simulation) -> Option<Self> {
        let mut best: Option<Self> = None;
        for (point, &debris_weight) in simulation.debris_weight.iter().enumerate() {
            for (error, retrained, preview) in [
                (
                    ErrorKind::FalsePositivesFromDebris,
                    &simulation.retrained.false_positives_from_debris,
                    &simulation.preview.false_positives_from_debris,
                ),
                (
                    ErrorKind::FalseNegativesToDebris,
                    &simulation.retrained.false_negatives_to_debris,
                    &simulation.preview.false_negatives_to_debris,
                ),
            ] {
                let (Some(retrained), Some(preview)) = (retrained.get(point), preview.get(point))
                else {
                    continue;
                };
                for (class, (&r, &p)) in retrained.iter().zip(preview).enumerate() {
                    let size = (r - p).abs();
                    let larger = best.is_none_or(|b| size > (b.retrained - b.preview).abs());
                    if size > 0.0 && larger {
                        best = Some(Self {
                            class,
                            point,
                            debris_weight,
                            error,
                            retrained: r,
                            preview: p,
                        });
                    }
                }
            }
        }
        best
    }

    /// The gap in one sentence, naming the class as `preset` does.
    #[must_use]
    pub fn sentence(&self, preset: &Preset) -> String {
        let name = preset.classes.get(self.class).map_or_else(
            || format!("class {}", self.class),
            |class| class.name.clone(),
        );
        format!(
            "Largest gap between the preview and retraining: at debris weight {}, {name} has {} {} when retrained and {} in the preview (medians over the seeds).",
            self.debris_weight,
            self.retrained,
            self.error.words(),
            self.preview,
        )
    }
}

/// The largest gap as a sentence, or that the two agree at every weight.
#[must_use]
pub fn gap_sentence(simulation: &Simulation, preset: &Preset) -> String {
    Gap::largest(simulation).map_or_else(
        || "The preview and retraining agree at every debris weight.".to_owned(),
        |gap| gap.sentence(preset),
    )
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "small exact counts")]
mod tests {
    use super::*;
    use crate::core::simulator::simulate::Curves;

    fn curves(fp: Vec<Vec<f64>>, fn_: Vec<Vec<f64>>) -> Curves {
        Curves {
            false_positives_from_debris: fp,
            false_negatives_to_debris: fn_,
            ..Curves::default()
        }
    }

    #[test]
    fn the_largest_gap_names_the_weight_the_class_and_the_count() {
        let simulation = Simulation {
            debris_weight: vec![0.5, 1.0],
            retrained: curves(
                vec![vec![3.0, 1.0, 0.0], vec![2.0, 0.0, 0.0]],
                vec![vec![0.0, 4.0, 0.0], vec![1.0, 9.0, 0.0]],
            ),
            preview: curves(
                vec![vec![7.0, 1.0, 0.0], vec![2.0, 0.0, 0.0]],
                vec![vec![0.0, 4.0, 0.0], vec![1.0, 3.5, 0.0]],
            ),
        };
        let gap = Gap::largest(&simulation).unwrap();
        assert_eq!(
            gap,
            Gap {
                class: 1,
                point: 1,
                debris_weight: 1.0,
                error: ErrorKind::FalseNegativesToDebris,
                retrained: 9.0,
                preview: 3.5,
            }
        );
        let mut preset = Preset::blank();
        preset.classes.insert(1, preset.classes[0].clone());
        preset.classes[1].name = "rare".to_owned();
        assert_eq!(
            gap.sentence(&preset),
            "Largest gap between the preview and retraining: at debris weight 1, rare has 9 false negatives to debris when retrained and 3.5 in the preview (medians over the seeds)."
        );
        let agreeing = Simulation {
            preview: simulation.retrained.clone(),
            ..simulation
        };
        assert_eq!(Gap::largest(&agreeing), None);
        assert_eq!(
            gap_sentence(&agreeing, &preset),
            "The preview and retraining agree at every debris weight."
        );
    }
}
