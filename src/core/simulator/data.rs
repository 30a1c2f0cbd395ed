//! Synthetic 2-D data in the preset's class proportions: each rare class a compact Gaussian
//! blob, debris a broad Gaussian around the origin that overlaps them, and a held-out test set
//! drawn the same way (or at the preset's deployment prior).
//!
//! The geometry: the rare classes' centres sit evenly on a circle of radius
//! [`RARE_RADIUS`] (the first at angle 0), each blob with standard deviation [`RARE_SPREAD`];
//! debris has standard deviation `1 + 2 overlap` around the origin, so `overlap` 0 leaves the
//! blobs three debris deviations out and `overlap` 1 puts them at one. A linear model cannot
//! fence a compact blob inside broad debris, which is where retraining and the preview part.

use std::fmt::Write as _;

use crate::core::preset::Preset;
use crate::core::rng::SplitMix64;
use crate::core::simulator::error::{MAX_SAMPLES, SimulatorError};

/// The number of training samples by default.
pub const DEFAULT_SAMPLES: usize = 4000;

/// The fewest points any class gets, whatever its share.
pub const MIN_CLASS_POINTS: usize = 5;

/// The overlap by default: debris' standard deviation 2.
pub const DEFAULT_OVERLAP: f64 = 0.5;

/// The seed of the data by default.
pub const DEFAULT_SEED: u64 = 0x5EED_0010;

/// The distance of each rare class's centre from the debris centre (the origin).
pub const RARE_RADIUS: f64 = 3.0;

/// The standard deviation of each rare class's blob, in each coordinate.
pub const RARE_SPREAD: f64 = 0.5;

/// Labelled points: N rows of D features, row-major, and N labels.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    /// The number of features per sample, D (2 for synthetic data).
    pub dimensions: usize,
    /// N x D features, row-major: sample i, feature d at `i * D + d`.
    pub features: Vec<f64>,
    /// N labels, each a 0-based class index.
    pub labels: Vec<u32>,
}

impl Dataset {
    /// The number of samples N.
    #[must_use]
    pub fn samples(&self) -> usize {
        self.labels.len()
    }

    /// Sample `sample`'s features (empty past the end).
    #[must_use]
    pub fn point(&self, sample: usize) -> &[f64] {
        let start = sample * self.dimensions;
        self.features
            .get(start..start + self.dimensions)
            .unwrap_or(&[])
    }

    /// How many samples each of `classes` classes has (labels past the end are left out).
    #[must_use]
    pub fn class_counts(&self, classes: usize) -> Vec<usize> {
        let mut counts = vec![0; classes];
        for &label in &self.labels {
            if let Some(count) = counts.get_mut(label as usize) {
                *count += 1;
            }
        }
        counts
    }

    /// Checks that the data fits a preset of `classes` classes: at least one sample, N x D
    /// finite features, every label a class.
    ///
    /// # Errors
    /// The first problem found, naming the sample.
    pub fn check(&self, classes: usize) -> Result<(), SimulatorError> {
        if self.labels.is_empty() {
            return Err(SimulatorError::EmptyData);
        }
        let expected = self.labels.len() * self.dimensions;
        if self.dimensions == 0 || self.features.len() != expected {
            return Err(SimulatorError::FeatureShape {
                features: self.features.len(),
                samples: self.labels.len(),
                dimensions: self.dimensions,
                expected,
            });
        }
        if let Some((sample, &label)) = self
            .labels
            .iter()
            .enumerate()
            .find(|&(_, &label)| label as usize >= classes)
        {
            return Err(SimulatorError::Label {
                sample,
                label,
                last: classes.saturating_sub(1),
            });
        }
        if let Some((index, &value)) = self
            .features
            .iter()
            .enumerate()
            .find(|(_, value)| !value.is_finite())
        {
            return Err(SimulatorError::NonFiniteFeature {
                sample: index / self.dimensions,
                feature: index % self.dimensions,
                value,
            });
        }
        Ok(())
    }

    /// The data as CSV text: a header `label,x1,x2` (as many `x` columns as dimensions), then
    /// one row per sample, numbers in their shortest round-trip form.
    ///
    /// `pandas.read_csv` gives back exactly these numbers, so scikit-learn or PyTorch can
    /// reproduce any result computed here.
    #[must_use]
    pub fn to_csv(&self) -> String {
        let mut text = String::with_capacity(self.samples() * 48 + 16);
        text.push_str("label");
        for d in 1..=self.dimensions {
            let _ = write!(text, ",x{d}");
        }
        text.push('\n');
        for (sample, label) in self.labels.iter().enumerate() {
            let _ = write!(text, "{label}");
            for value in self.point(sample) {
                let _ = write!(text, ",{value}");
            }
            text.push('\n');
        }
        text
    }
}

/// What data to draw.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DataSpec {
    /// The number of training samples to aim for (the test set has as many); every class gets
    /// at least [`MIN_CLASS_POINTS`], so small data sets can come out a little larger.
    pub samples: usize,
    /// From 0 to 1: how far debris spreads over the rare classes (see the module doc).
    pub overlap: f64,
    /// The seed; the training set and the test set each draw from their own stream of it.
    pub seed: u64,
}

impl Default for DataSpec {
    fn default() -> Self {
        Self {
            samples: DEFAULT_SAMPLES,
            overlap: DEFAULT_OVERLAP,
            seed: DEFAULT_SEED,
        }
    }
}

impl DataSpec {
    /// Checks the sample count and the overlap.
    ///
    /// # Errors
    /// The first option out of range.
    pub fn validate(&self) -> Result<(), SimulatorError> {
        if !(1..=MAX_SAMPLES).contains(&self.samples) {
            return Err(SimulatorError::Samples(self.samples));
        }
        if !(0.0..=1.0).contains(&self.overlap) {
            return Err(SimulatorError::Overlap(self.overlap));
        }
        Ok(())
    }
}

/// A training set and its held-out test set.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntheticData {
    /// Drawn in the preset's class proportions.
    pub train: Dataset,
    /// Drawn the same way, or in the proportions of the preset's deployment prior when set.
    pub test: Dataset,
}

/// Draws the training and test sets of `preset` as `spec` says.
///
/// ```
/// use weightbench::core::Preset;
/// use weightbench::core::simulator::{DataSpec, synthesize};
///
/// let notebook = Preset::notebook()?;
/// let data = synthesize(&notebook, &DataSpec::default())?;
/// // 260 : 10 : 56 : 500 scaled to 4000 points.
/// assert_eq!(data.train.class_counts(4), [1259, 49, 271, 2421]);
/// assert_eq!(data.train.to_csv().lines().next(), Some("label,x1,x2"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// An invalid preset, or a sample count or overlap out of range.
pub fn synthesize(preset: &Preset, spec: &DataSpec) -> Result<SyntheticData, SimulatorError> {
    preset.validate()?;
    spec.validate()?;
    let counts: Vec<f64> = preset.counts().iter().map(|&n| n as f64).collect();
    let test_shares = if preset.validation.deploy_prior.is_empty() {
        counts.clone()
    } else {
        preset.validation.deploy_prior.clone()
    };
    let geometry = Geometry::of(preset.classes.len(), preset.debris, spec.overlap);
    let draw = |shares: &[f64], stream: u64| {
        let mut rng = SplitMix64::stream(spec.seed, stream);
        geometry.draw(&class_sizes(shares, spec.samples), &mut rng)
    };
    Ok(SyntheticData {
        train: draw(&counts, 0),
        test: draw(&test_shares, 1),
    })
}

/// Points per class for `samples` points in proportion to `shares` (largest remainders, so
/// they add up to `samples`), then each raised to at least [`MIN_CLASS_POINTS`]; equal shares
/// when `shares` sum to 0.
#[must_use]
pub fn class_sizes(shares: &[f64], samples: usize) -> Vec<usize> {
    let total: f64 = shares.iter().sum();
    let classes = shares.len().max(1) as f64;
    let exact: Vec<f64> = shares
        .iter()
        .map(|&share| {
            let fraction = if total > 0.0 {
                share / total
            } else {
                1.0 / classes
            };
            fraction * samples as f64
        })
        .collect();
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a share of at most MAX_SAMPLES points, >= 0"
    )]
    let mut sizes: Vec<usize> = exact.iter().map(|&x| x.floor() as usize).collect();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    // Largest remainder first; ties to the lower class index (a stable sort).
    order.sort_by(|&a, &b| {
        let remainder = |c: usize| exact[c] - exact[c].floor();
        remainder(b).total_cmp(&remainder(a))
    });
    let missing = samples.saturating_sub(sizes.iter().sum());
    for &c in order.iter().cycle().take(missing) {
        sizes[c] += 1;
    }
    for size in &mut sizes {
        *size = (*size).max(MIN_CLASS_POINTS);
    }
    sizes
}

/// Where each class's points come from.
struct Geometry {
    /// Per class: the centre.
    centres: Vec<[f64; 2]>,
    /// Per class: the standard deviation in each coordinate.
    spreads: Vec<f64>,
}

impl Geometry {
    fn of(classes: usize, debris: usize, overlap: f64) -> Self {
        let rare = classes.saturating_sub(1).max(1) as f64;
        let mut centres = Vec::with_capacity(classes);
        let mut spreads = Vec::with_capacity(classes);
        let mut k = 0.0;
        for c in 0..classes {
            if c == debris {
                centres.push([0.0, 0.0]);
                spreads.push(1.0 + 2.0 * overlap);
            } else {
                let angle = std::f64::consts::TAU * k / rare;
                centres.push([RARE_RADIUS * angle.cos(), RARE_RADIUS * angle.sin()]);
                spreads.push(RARE_SPREAD);
                k += 1.0;
            }
        }
        Self { centres, spreads }
    }

    /// `sizes[c]` points of each class, then shuffled (Fisher-Yates).
    fn draw(&self, sizes: &[usize], rng: &mut SplitMix64) -> Dataset {
        let total: usize = sizes.iter().sum();
        let mut features = Vec::with_capacity(total * 2);
        let mut labels = Vec::with_capacity(total);
        let classes = (0u32..).zip(sizes).zip(&self.centres).zip(&self.spreads);
        for (((label, &size), centre), &spread) in classes {
            for _ in 0..size {
                features.push(centre[0] + spread * rng.normal());
                features.push(centre[1] + spread * rng.normal());
                labels.push(label);
            }
        }
        let mut data = Dataset {
            dimensions: 2,
            features,
            labels,
        };
        shuffle(&mut data, rng);
        data
    }
}

/// Shuffles the samples in place (Fisher-Yates, indices by multiply-shift of 64 random bits).
fn shuffle(data: &mut Dataset, rng: &mut SplitMix64) {
    let dimensions = data.dimensions;
    for i in (1..data.samples()).rev() {
        let j = below(rng, i + 1);
        data.labels.swap(i, j);
        for d in 0..dimensions {
            data.features.swap(i * dimensions + d, j * dimensions + d);
        }
    }
}

/// A random index below `bound` (Lemire's multiply-shift, without the rejection step: the
/// bias is below `bound / 2^64`).
pub(crate) fn below(rng: &mut SplitMix64, bound: usize) -> usize {
    let wide = u128::from(rng.next_u64()) * bound as u128;
    #[allow(
        clippy::cast_possible_truncation,
        reason = "the high 64 bits of a product with a usize bound are below the bound"
    )]
    let index = (wide >> 64) as usize;
    index
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "exact values are what these tests assert")]
mod tests {
    use super::*;

    #[test]
    fn class_sizes_add_up_and_keep_five_points_per_class() {
        assert_eq!(
            class_sizes(&[260.0, 10.0, 56.0, 500.0], 4000),
            [1259, 49, 271, 2421]
        );
        assert_eq!(
            class_sizes(&[260.0, 10.0, 56.0, 500.0], 100),
            [31, 5, 7, 61]
        );
        assert_eq!(class_sizes(&[0.0, 0.0], 10), [5, 5]);
        assert_eq!(class_sizes(&[1.0, 1.0, 1.0], 31), [11, 10, 10]);
    }

    #[test]
    fn the_test_set_follows_the_deployment_prior() {
        let mut preset = Preset::notebook().unwrap();
        preset.validation.deploy_prior = vec![0.1, 0.1, 0.1, 0.7];
        let data = synthesize(&preset, &DataSpec::default()).unwrap();
        assert_eq!(data.test.class_counts(4), [400, 400, 400, 2800]);
        assert_eq!(data.train.class_counts(4), [1259, 49, 271, 2421]);
        assert_ne!(data.train.features[..20], data.test.features[..20]);
    }

    #[test]
    fn the_same_seed_draws_the_same_points_and_another_seed_others() {
        let preset = Preset::notebook().unwrap();
        let spec = DataSpec::default();
        let again = synthesize(&preset, &spec).unwrap();
        assert_eq!(synthesize(&preset, &spec).unwrap(), again);
        let other = synthesize(&preset, &DataSpec { seed: 7, ..spec }).unwrap();
        assert_ne!(other.train.features, again.train.features);
    }

    #[test]
    fn blobs_sit_where_the_geometry_puts_them() {
        let preset = Preset::notebook().unwrap();
        let spec = DataSpec {
            samples: 100_000,
            ..DataSpec::default()
        };
        let data = synthesize(&preset, &spec).unwrap().train;
        let mean_of = |class: u32, d: usize| {
            let (sum, n) = (0..data.samples())
                .filter(|&i| data.labels[i] == class)
                .fold((0.0, 0.0), |(s, n), i| (s + data.point(i)[d], n + 1.0));
            sum / n
        };
        // class1 at angle 0, class2 at 120 degrees, class3 at 240; debris at the origin.
        assert!((mean_of(0, 0) - 3.0).abs() < 0.01);
        assert!((mean_of(1, 1) - 3.0 * (std::f64::consts::TAU / 3.0).sin()).abs() < 0.05);
        assert!(mean_of(3, 0).abs() < 0.03 && mean_of(3, 1).abs() < 0.03);
    }

    #[test]
    fn csv_has_a_header_and_one_row_per_sample() {
        let data = Dataset {
            dimensions: 2,
            features: vec![0.1, -2.5, 1e-3, 4.0],
            labels: vec![3, 0],
        };
        assert_eq!(data.to_csv(), "label,x1,x2\n3,0.1,-2.5\n0,0.001,4\n");
    }

    #[test]
    fn bad_data_is_refused_with_the_sample_named() {
        let data = Dataset {
            dimensions: 2,
            features: vec![0.0, 1.0, f64::NAN, 0.0],
            labels: vec![0, 1],
        };
        assert!(matches!(
            data.check(2),
            Err(SimulatorError::NonFiniteFeature {
                sample: 1,
                feature: 0,
                ..
            })
        ));
        assert_eq!(
            data.check(1),
            Err(SimulatorError::Label {
                sample: 1,
                label: 1,
                last: 0
            })
        );
    }
}
