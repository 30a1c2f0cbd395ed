//! The per-sample loss a trainer minimises, evaluated millions of times without allocating.
//!
//! Cross-entropy with or without label smoothing (and with logit adjustment or margins, which
//! only shift the logits) follows [`sample_loss`] step by step, so it gives the same numbers
//! (the tests compare them bit for bit), and adds what Newton's method needs: the Hessian with
//! respect to the logits, `B (diag(p) - p p^T)` with `B = sum_c w_c t_c`. Focal loss calls
//! [`sample_loss`] itself.
//!
//! A class can be *inactive*: no sample puts target mass on it (weight 0, or no samples and no
//! smoothing), so the loss keeps pushing its logit down and the optimum has it at `-inf`. The
//! kernel treats such a logit as `-inf`: it is left out of the softmax and gets no gradient.

use crate::core::loss::{sample_loss, smoothed_target};
use crate::core::preset::Preset;
use crate::core::preset::loss_options::{Convention, LossOptions};

/// The loss of one preset, per sample.
#[derive(Clone, Debug)]
pub(crate) struct LossKernel {
    classes: usize,
    weights: Vec<f64>,
    active: Vec<bool>,
    /// C x C: row `y` is what is added to the logits of a sample of class `y`.
    shifts: Vec<f64>,
    /// Per truth class: whether its shifts are all 0.
    unshifted: Vec<bool>,
    options: LossOptions,
}

/// What the kernel gives besides the gradient.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct SampleTerms {
    /// The weighted loss in nats.
    pub loss: f64,
    /// `B` in the Hessian `B (diag(p) - p p^T)`; `None` for focal loss.
    pub curvature: Option<f64>,
}

impl LossKernel {
    /// The kernel of `preset`'s weights and loss, with the given classes active.
    pub(crate) fn new(preset: &Preset, active: Vec<bool>) -> Self {
        let classes = preset.classes.len();
        let mut shifts = Vec::with_capacity(classes * classes);
        let mut unshifted = Vec::with_capacity(classes);
        for truth in 0..classes {
            let row = preset.logit_shifts_for(truth);
            unshifted.push(row.iter().all(|&s| s == 0.0));
            shifts.extend(row);
        }
        Self {
            classes,
            weights: preset.weights(),
            active,
            shifts,
            unshifted,
            options: preset.loss,
        }
    }

    /// The classes that can have a finite optimum on data with `counts` samples per class:
    /// those some sample puts target mass on. Under PyTorch's convention: weight > 0, and
    /// samples of the class unless label smoothing gives every class a target. Under Keras'
    /// (the sample's weight scales its whole loss): samples of the class with weight > 0, or,
    /// with label smoothing, every class once any weighted sample exists.
    pub(crate) fn active_classes(preset: &Preset, counts: &[usize]) -> Vec<bool> {
        let options = &preset.loss;
        let smoothing = options.label_smoothing > 0.0;
        let weighted_samples =
            |class: &crate::core::preset::Class, count: usize| class.weight > 0.0 && count > 0;
        let any_weighted = preset
            .classes
            .iter()
            .zip(counts)
            .any(|(class, &count)| weighted_samples(class, count));
        preset
            .classes
            .iter()
            .zip(counts)
            .map(|(class, &count)| match options.convention {
                Convention::PyTorch => {
                    class.weight > 0.0 && (count > 0 || (smoothing && options.focal_gamma == 0.0))
                }
                Convention::Keras => weighted_samples(class, count) || (smoothing && any_weighted),
            })
            .collect()
    }

    /// The weight of class `c`'s term inside the loss of one sample: `w_c` under PyTorch's
    /// convention; 1 under Keras', whose weight scales the sample's whole loss afterwards
    /// (see [`Self::sample_weight`]).
    fn term_weight(&self, c: usize) -> f64 {
        match self.options.convention {
            Convention::PyTorch => self.weights[c],
            Convention::Keras => 1.0,
        }
    }

    /// What the whole loss of a sample of class `truth` is multiplied by: 1 under PyTorch's
    /// convention, `w_truth` under Keras'.
    fn sample_weight(&self, truth: usize) -> f64 {
        match self.options.convention {
            Convention::PyTorch => 1.0,
            Convention::Keras => self.weights[truth],
        }
    }

    /// The shifts added to the logits of a sample of class `truth`.
    pub(crate) fn shifts(&self, truth: usize) -> &[f64] {
        &self.shifts[truth * self.classes..(truth + 1) * self.classes]
    }

    /// `b_c = w_c t_c` for a sample of class `truth`: the weight of each class's `-ln p_c` in
    /// cross-entropy (`t` the smoothed target); 0 for inactive classes.
    pub(crate) fn target_weights(&self, truth: usize) -> Vec<f64> {
        let eps = if self.options.focal_gamma > 0.0 {
            0.0
        } else {
            self.options.label_smoothing
        };
        (0..self.classes)
            .map(|c| {
                let target = smoothed_target(self.classes, truth, eps, c);
                if self.active[c] {
                    self.sample_weight(truth) * self.term_weight(c) * target
                } else {
                    0.0
                }
            })
            .collect()
    }

    /// Whether the Hessian is available (not focal loss).
    pub(crate) fn has_curvature(&self) -> bool {
        self.options.focal_gamma == 0.0
    }

    /// Whether class `class` is active.
    pub(crate) fn is_active(&self, class: usize) -> bool {
        self.active.get(class).copied().unwrap_or(false)
    }

    /// The loss of a sample of class `truth` with raw logits `logits`; writes
    /// `d loss / d logits` into `gradient` and the probabilities (of the shifted logits, 0 for
    /// inactive classes) into `probabilities`. Every slice has one entry per class.
    pub(crate) fn sample(
        &self,
        logits: &[f64],
        truth: usize,
        gradient: &mut [f64],
        probabilities: &mut [f64],
    ) -> SampleTerms {
        if self.options.focal_gamma > 0.0 {
            return SampleTerms {
                loss: self.focal(logits, truth, gradient),
                curvature: None,
            };
        }
        self.cross_entropy(logits, truth, gradient, probabilities)
    }

    /// Cross-entropy with label smoothing, as `sample_loss` computes it.
    fn cross_entropy(
        &self,
        logits: &[f64],
        truth: usize,
        gradient: &mut [f64],
        p: &mut [f64],
    ) -> SampleTerms {
        let classes = self.classes;
        let shifts = &self.shifts[truth * classes..(truth + 1) * classes];
        let unshifted = self.unshifted[truth];
        let adjusted = |c: usize| {
            if unshifted {
                logits[c]
            } else {
                logits[c] + shifts[c]
            }
        };
        // The softmax of the active adjusted logits, around the first largest one.
        let mut argmax = usize::MAX;
        let mut max = f64::NEG_INFINITY;
        for c in (0..classes).filter(|&c| self.active[c]) {
            let z = adjusted(c);
            if argmax == usize::MAX || z > max {
                argmax = c;
                max = z;
            }
        }
        if argmax == usize::MAX {
            gradient.fill(0.0);
            p.fill(0.0);
            return SampleTerms {
                loss: 0.0,
                curvature: Some(0.0),
            };
        }
        let mut others = 0.0;
        for (c, e) in p.iter_mut().enumerate() {
            *e = if self.active[c] {
                (adjusted(c) - max).exp()
            } else {
                0.0
            };
            if c != argmax && self.active[c] {
                others += *e;
            }
        }
        let log_partition = f64::ln_1p(others);
        let partition = 1.0 + others;
        let mut truth_others = 0.0;
        for (c, &e) in p.iter().enumerate() {
            if c != truth && self.active[c] {
                truth_others += e;
            }
        }
        let truth_complement = truth_others / partition;
        for value in p.iter_mut() {
            *value /= partition;
        }
        let target = |c: usize| smoothed_target(classes, truth, self.options.label_smoothing, c);
        let mut loss = 0.0;
        let mut b_others = 0.0;
        let mut b_truth = 0.0;
        for c in (0..classes).filter(|&c| self.active[c]) {
            let t = target(c);
            let w = self.term_weight(c);
            let coefficient = t * -((adjusted(c) - max) - log_partition);
            loss += w * coefficient;
            if c == truth {
                b_truth = w * t;
            } else {
                b_others += w * t;
            }
        }
        let total = b_others + b_truth;
        // Under Keras' convention, as `sample_loss`: the sample's loss and gradient with unit
        // weights, then times the sample's weight.
        let scale = self.sample_weight(truth);
        for c in 0..classes {
            let unscaled = if !self.active[c] {
                0.0
            } else if c == truth {
                b_others * p[c] - b_truth * truth_complement
            } else {
                total * p[c] - self.term_weight(c) * target(c)
            };
            gradient[c] = match self.options.convention {
                Convention::PyTorch => unscaled,
                Convention::Keras => scale * unscaled,
            };
        }
        if self.options.convention == Convention::Keras {
            loss *= scale;
        }
        SampleTerms {
            loss,
            curvature: Some(scale * total),
        }
    }

    /// Focal loss by [`sample_loss`], on the active classes only.
    fn focal(&self, logits: &[f64], truth: usize, gradient: &mut [f64]) -> f64 {
        gradient.fill(0.0);
        if !self.is_active(truth) {
            return 0.0;
        }
        let classes = self.classes;
        let shifts = &self.shifts[truth * classes..(truth + 1) * classes];
        let kept: Vec<usize> = (0..classes).filter(|&c| self.active[c]).collect();
        let pick = |values: &[f64]| kept.iter().map(|&c| values[c]).collect::<Vec<f64>>();
        let reduced_truth = kept.iter().position(|&c| c == truth).unwrap_or(0);
        let Some(sample) = sample_loss(
            &pick(logits),
            reduced_truth,
            &pick(&self.weights),
            &pick(shifts),
            &self.options,
        ) else {
            return f64::NAN;
        };
        for (&c, &g) in kept.iter().zip(&sample.gradient) {
            gradient[c] = g;
        }
        sample.loss
    }
}

#[cfg(test)]
#[allow(
    clippy::float_cmp,
    reason = "bit-for-bit agreement is what these tests assert"
)]
mod tests {
    use super::*;
    use crate::core::rng::SplitMix64;

    fn preset_with(options: LossOptions, margins: bool) -> Preset {
        let mut preset = Preset::notebook().unwrap();
        preset.loss = options;
        if margins {
            preset.margins = vec![
                vec![0.0, 0.3, -0.2, 0.5],
                vec![0.1, 0.0, 0.0, -0.4],
                vec![0.0, 0.2, 0.0, 0.0],
                vec![0.7, -0.1, 0.25, 0.0],
            ];
        }
        preset
    }

    fn option_cases() -> Vec<(LossOptions, bool)> {
        let base = LossOptions::default();
        vec![
            (base, false),
            (
                LossOptions {
                    label_smoothing: 0.1,
                    ..base
                },
                false,
            ),
            (
                LossOptions {
                    focal_gamma: 2.0,
                    ..base
                },
                false,
            ),
            (
                LossOptions {
                    logit_adjustment: 1.0,
                    ..base
                },
                false,
            ),
            (
                LossOptions {
                    label_smoothing: 0.2,
                    logit_adjustment: 0.5,
                    ..base
                },
                true,
            ),
        ]
    }

    /// Keras' convention: smoothing alone, focal with smoothing, and with every shift.
    fn keras_cases() -> Vec<(LossOptions, bool)> {
        let keras = LossOptions {
            convention: Convention::Keras,
            ..LossOptions::default()
        };
        vec![
            (
                LossOptions {
                    label_smoothing: 0.1,
                    ..keras
                },
                false,
            ),
            (
                LossOptions {
                    label_smoothing: 0.1,
                    focal_gamma: 2.0,
                    ..keras
                },
                false,
            ),
            (
                LossOptions {
                    label_smoothing: 0.2,
                    logit_adjustment: 0.5,
                    ..keras
                },
                true,
            ),
        ]
    }

    #[test]
    fn keras_makes_every_class_active_once_smoothing_is_on() {
        let mut preset = preset_with(keras_cases()[0].0, false);
        preset.classes[1].weight = 0.0;
        // Class 1 has weight 0 and class 2 no samples: smoothing still gives both a target.
        let counts = [10, 10, 0, 10];
        assert_eq!(LossKernel::active_classes(&preset, &counts), [true; 4]);
        preset.loss.convention = Convention::PyTorch;
        assert_eq!(
            LossKernel::active_classes(&preset, &counts),
            [true, false, true, true]
        );
        preset.loss.label_smoothing = 0.0;
        preset.loss.convention = Convention::Keras;
        assert_eq!(
            LossKernel::active_classes(&preset, &counts),
            [true, false, false, true]
        );
    }

    #[test]
    fn the_kernel_gives_sample_loss_bit_for_bit() {
        let mut rng = SplitMix64::new(11);
        for (options, margins) in option_cases().into_iter().chain(keras_cases()) {
            let preset = preset_with(options, margins);
            let kernel = LossKernel::new(&preset, vec![true; 4]);
            let (mut gradient, mut p) = (vec![0.0; 4], vec![0.0; 4]);
            for i in 0..200 {
                let logits: Vec<f64> = (0..4).map(|_| 4.0 * rng.normal()).collect();
                let truth = i % 4;
                let terms = kernel.sample(&logits, truth, &mut gradient, &mut p);
                let expected = sample_loss(
                    &logits,
                    truth,
                    &preset.weights(),
                    &preset.logit_shifts_for(truth),
                    &preset.loss,
                )
                .unwrap();
                assert_eq!(terms.loss.to_bits(), expected.loss.to_bits(), "{options:?}");
                for (a, b) in gradient.iter().zip(&expected.gradient) {
                    assert_eq!(a.to_bits(), b.to_bits(), "{options:?} {logits:?}");
                }
            }
        }
    }

    #[test]
    fn an_inactive_class_is_a_logit_of_minus_infinity() {
        for (options, margins) in option_cases() {
            let mut preset = preset_with(options, margins);
            preset.classes[3].weight = 0.0;
            let kernel = LossKernel::new(&preset, vec![true, true, true, false]);
            let (mut gradient, mut p) = (vec![0.0; 4], vec![0.0; 4]);
            // A logit so low that exp underflows to 0 stands for -inf in sample_loss.
            let logits = [0.3, -1.2, 2.0, 5.0];
            let mut low = logits;
            low[3] = -1e4;
            for truth in 0..3 {
                let terms = kernel.sample(&logits, truth, &mut gradient, &mut p);
                let expected = sample_loss(
                    &low,
                    truth,
                    &preset.weights(),
                    &preset.logit_shifts_for(truth),
                    &preset.loss,
                )
                .unwrap();
                assert!((terms.loss - expected.loss).abs() < 1e-14 * expected.loss.abs());
                for (a, b) in gradient.iter().zip(&expected.gradient) {
                    assert!(
                        (a - b).abs() < 1e-14,
                        "{options:?}: {gradient:?} {expected:?}"
                    );
                }
                assert_eq!(gradient[3], 0.0);
            }
        }
    }
}
