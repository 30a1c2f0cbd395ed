//! A small multilayer perceptron (D -> H -> H -> C, tanh hidden layers) trained with Adam on
//! minibatches, under the preset's loss.
//!
//! The objective is the softmax fit's, `sum_i l_i + (l2 / 2) ||W||^2` (weights penalised,
//! biases not); each step follows the minibatch estimate of its gradient divided by N,
//! `(1 / B) sum_batch d l_i + (l2 / N) W`, which Adam then scales. Inputs are standardised with
//! the training set's mean and standard deviation (kept in the model). The weights start
//! Glorot-uniform and the biases at 0, from the seed; the minibatches are reshuffled every
//! epoch, from the seed. One thread, one fixed order: the same seed gives the same bits.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::core::preset::Preset;
use crate::core::rng::SplitMix64;
use crate::core::simulator::data::{Dataset, below};
use crate::core::simulator::error::SimulatorError;
use crate::core::simulator::kernel::LossKernel;

/// Hidden units per layer by default.
pub const DEFAULT_HIDDEN: usize = 16;

/// Epochs by default.
pub const DEFAULT_EPOCHS: usize = 100;

/// Adam's learning rate by default.
pub const DEFAULT_LEARNING_RATE: f64 = 1e-2;

/// Samples per minibatch by default.
pub const DEFAULT_BATCH: usize = 256;

/// The widest hidden layer allowed.
pub const MAX_HIDDEN: usize = 1024;

/// Adam's decay rates and epsilon (Kingma and Ba 2015; PyTorch's defaults).
const BETA1: f64 = 0.9;
const BETA2: f64 = 0.999;
const ADAM_EPSILON: f64 = 1e-8;

/// The settings of an MLP fit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MlpOptions {
    /// Units in each of the two hidden layers.
    pub hidden: usize,
    /// Passes over the training set.
    pub epochs: usize,
    /// The L2 strength on the weights, >= 0 (as in the softmax fit).
    pub l2: f64,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Samples per minibatch (the last one of an epoch may be smaller).
    pub batch: usize,
    /// The seed of the initial weights and the shuffles.
    pub seed: u64,
}

impl Default for MlpOptions {
    fn default() -> Self {
        Self {
            hidden: DEFAULT_HIDDEN,
            epochs: DEFAULT_EPOCHS,
            l2: crate::core::simulator::softmax_fit::DEFAULT_L2,
            learning_rate: DEFAULT_LEARNING_RATE,
            batch: DEFAULT_BATCH,
            seed: crate::core::simulator::data::DEFAULT_SEED,
        }
    }
}

impl MlpOptions {
    /// Checks every setting.
    ///
    /// # Errors
    /// The first setting out of range.
    pub fn validate(&self) -> Result<(), SimulatorError> {
        let setting = |field, value: String, expected| {
            Err(SimulatorError::Setting {
                field,
                value,
                expected,
            })
        };
        if !(1..=MAX_HIDDEN).contains(&self.hidden) {
            return setting("hidden", self.hidden.to_string(), "1 to 1024 units");
        }
        if self.batch == 0 {
            return setting("batch", "0".to_owned(), "at least 1 sample");
        }
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
            return setting(
                "learning_rate",
                self.learning_rate.to_string(),
                "a finite number > 0",
            );
        }
        if !(self.l2.is_finite() && self.l2 >= 0.0) {
            return Err(SimulatorError::L2(self.l2));
        }
        Ok(())
    }
}

/// Where each layer's parameters sit in [`MlpModel::params`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Layout {
    w1: usize,
    b1: usize,
    w2: usize,
    b2: usize,
    w3: usize,
    b3: usize,
    total: usize,
}

impl Layout {
    fn of(dimensions: usize, hidden: usize, classes: usize) -> Self {
        let w1 = 0;
        let b1 = w1 + hidden * dimensions;
        let w2 = b1 + hidden;
        let b2 = w2 + hidden * hidden;
        let w3 = b2 + hidden;
        let b3 = w3 + classes * hidden;
        Self {
            w1,
            b1,
            w2,
            b2,
            w3,
            b3,
            total: b3 + classes,
        }
    }

    /// Whether parameter `index` is a weight (penalised), not a bias.
    fn is_weight(&self, index: usize) -> bool {
        index < self.b1
            || (self.w2..self.b2).contains(&index)
            || (self.w3..self.b3).contains(&index)
    }
}

/// A trained MLP: standardised inputs, two tanh layers, linear logits.
#[derive(Clone, Debug, PartialEq)]
pub struct MlpModel {
    /// The number of classes C.
    pub classes: usize,
    /// The number of features D.
    pub dimensions: usize,
    /// Units per hidden layer H.
    pub hidden: usize,
    /// Per feature, the training mean subtracted from the input.
    pub input_mean: Vec<f64>,
    /// Per feature, the training standard deviation the input is divided by (1 where it is 0).
    pub input_scale: Vec<f64>,
    /// Every parameter, layer by layer, weights row-major `[out][in]` then biases:
    /// W1 (H x D), b1, W2 (H x H), b2, W3 (C x H), b3.
    pub params: Vec<f64>,
}

/// Per-sample buffers, reused.
struct Scratch {
    input: Vec<f64>,
    first: Vec<f64>,
    second: Vec<f64>,
    logits: Vec<f64>,
    gradient: Vec<f64>,
    probabilities: Vec<f64>,
    delta_second: Vec<f64>,
    delta_first: Vec<f64>,
}

impl Scratch {
    fn new(model: &MlpModel) -> Self {
        Self {
            input: vec![0.0; model.dimensions],
            first: vec![0.0; model.hidden],
            second: vec![0.0; model.hidden],
            logits: vec![0.0; model.classes],
            gradient: vec![0.0; model.classes],
            probabilities: vec![0.0; model.classes],
            delta_second: vec![0.0; model.hidden],
            delta_first: vec![0.0; model.hidden],
        }
    }
}

impl MlpModel {
    fn layout(&self) -> Layout {
        Layout::of(self.dimensions, self.hidden, self.classes)
    }

    /// Writes the C logits of the point `x` (D features) into `logits`.
    pub fn logits_into(&self, x: &[f64], logits: &mut [f64]) {
        let mut scratch = Scratch::new(self);
        self.forward(x, &mut scratch);
        for (out, &z) in logits.iter_mut().zip(&scratch.logits) {
            *out = z;
        }
    }

    /// Writes the logits of every point of `points` (rows of D features) into `logits`
    /// (N x C, row-major).
    pub fn batch_logits_into(&self, points: &[f64], logits: &mut [f64]) {
        let mut scratch = Scratch::new(self);
        for (x, out) in points
            .chunks_exact(self.dimensions.max(1))
            .zip(logits.chunks_mut(self.classes.max(1)))
        {
            self.forward(x, &mut scratch);
            out.copy_from_slice(&scratch.logits);
        }
    }

    /// The forward pass of one point, leaving the activations and logits in `scratch`.
    fn forward(&self, x: &[f64], s: &mut Scratch) {
        let l = self.layout();
        let (d_count, h_count) = (self.dimensions, self.hidden);
        let p = &self.params;
        for (d, u) in s.input.iter_mut().enumerate() {
            *u = (x[d] - self.input_mean[d]) / self.input_scale[d];
        }
        for (h, a) in s.first.iter_mut().enumerate() {
            let row = &p[l.w1 + h * d_count..l.w1 + (h + 1) * d_count];
            let sum = row
                .iter()
                .zip(&s.input)
                .fold(p[l.b1 + h], |t, (w, u)| t + w * u);
            *a = tanh(sum);
        }
        for (h, a) in s.second.iter_mut().enumerate() {
            let row = &p[l.w2 + h * h_count..l.w2 + (h + 1) * h_count];
            let sum = row
                .iter()
                .zip(&s.first)
                .fold(p[l.b2 + h], |t, (w, u)| t + w * u);
            *a = tanh(sum);
        }
        for (c, z) in s.logits.iter_mut().enumerate() {
            let row = &p[l.w3 + c * h_count..l.w3 + (c + 1) * h_count];
            *z = row
                .iter()
                .zip(&s.second)
                .fold(p[l.b3 + c], |t, (w, u)| t + w * u);
        }
    }

    /// Adds `scale` times the gradient of the loss whose logit gradient is in
    /// `scratch.gradient` to `grad`, after [`Self::forward`] of the same point.
    fn backward(&self, s: &mut Scratch, scale: f64, grad: &mut [f64]) {
        let l = self.layout();
        let (d_count, h_count) = (self.dimensions, self.hidden);
        let p = &self.params;
        s.delta_second.fill(0.0);
        for (c, &gc) in s.gradient.iter().enumerate() {
            let dz = scale * gc;
            grad[l.b3 + c] += dz;
            let row = l.w3 + c * h_count;
            for k in 0..h_count {
                grad[row + k] += dz * s.second[k];
                s.delta_second[k] += p[row + k] * dz;
            }
        }
        s.delta_first.fill(0.0);
        for h in 0..h_count {
            let delta = s.delta_second[h] * (1.0 - s.second[h] * s.second[h]);
            grad[l.b2 + h] += delta;
            let row = l.w2 + h * h_count;
            for k in 0..h_count {
                grad[row + k] += delta * s.first[k];
                s.delta_first[k] += p[row + k] * delta;
            }
        }
        for h in 0..h_count {
            let delta = s.delta_first[h] * (1.0 - s.first[h] * s.first[h]);
            grad[l.b1 + h] += delta;
            let row = l.w1 + h * d_count;
            for d in 0..d_count {
                grad[row + d] += delta * s.input[d];
            }
        }
    }
}

/// A trained MLP and how the training went.
#[derive(Clone, Debug, PartialEq)]
pub struct MlpFit {
    /// The model after the last epoch.
    pub model: MlpModel,
    /// `sum_i l_i + (l2 / 2) ||W||^2` on the training set at the returned model.
    pub objective: f64,
    /// Epochs run.
    pub epochs: usize,
    /// Adam steps taken (minibatches).
    pub steps: usize,
    /// Wall-clock seconds inside the fit.
    pub seconds: f64,
}

/// Trains an MLP on `data` under `preset`'s weights and loss options.
///
/// # Errors
/// An invalid preset, data that does not fit it, or an option out of range.
pub fn train_mlp(
    data: &Dataset,
    preset: &Preset,
    options: &MlpOptions,
) -> Result<MlpFit, SimulatorError> {
    train_mlp_cancellable(data, preset, options, &AtomicBool::new(false))
}

/// [`train_mlp`], checking `cancel` before every epoch.
///
/// # Errors
/// As [`train_mlp`], and [`SimulatorError::Cancelled`] once `cancel` is set.
pub fn train_mlp_cancellable(
    data: &Dataset,
    preset: &Preset,
    options: &MlpOptions,
    cancel: &AtomicBool,
) -> Result<MlpFit, SimulatorError> {
    let start = Instant::now();
    preset.validate()?;
    let classes = preset.classes.len();
    data.check(classes)?;
    options.validate()?;
    let kernel = LossKernel::new(preset, vec![true; classes]);
    let mut model = initial_model(data, classes, options);
    let layout = model.layout();
    let samples = data.samples();
    let mut shuffle_rng = SplitMix64::stream(options.seed, 1);
    let mut order: Vec<usize> = (0..samples).collect();
    let mut adam = Adam::new(layout.total);
    let mut grad = vec![0.0; layout.total];
    let mut scratch = Scratch::new(&model);
    let decay = options.l2 / samples as f64;
    for _ in 0..options.epochs {
        if cancel.load(Ordering::Relaxed) {
            return Err(SimulatorError::Cancelled);
        }
        for i in (1..samples).rev() {
            order.swap(i, below(&mut shuffle_rng, i + 1));
        }
        for batch in order.chunks(options.batch) {
            grad.fill(0.0);
            let scale = 1.0 / batch.len() as f64;
            for &sample in batch {
                model.forward(data.point(sample), &mut scratch);
                kernel.sample(
                    &scratch.logits,
                    data.labels[sample] as usize,
                    &mut scratch.gradient,
                    &mut scratch.probabilities,
                );
                model.backward(&mut scratch, scale, &mut grad);
            }
            for (index, g) in grad.iter_mut().enumerate() {
                if layout.is_weight(index) {
                    *g += decay * model.params[index];
                }
            }
            adam.step(&mut model.params, &grad, options.learning_rate);
        }
    }
    let objective = mlp_objective(&model, &kernel, data, options.l2);
    Ok(MlpFit {
        model,
        objective,
        epochs: options.epochs,
        steps: adam.steps,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// The model before training: the inputs' standardisation, Glorot-uniform weights, zero biases.
fn initial_model(data: &Dataset, classes: usize, options: &MlpOptions) -> MlpModel {
    let dimensions = data.dimensions;
    let samples = data.samples().max(1) as f64;
    let mut input_mean = vec![0.0; dimensions];
    for sample in 0..data.samples() {
        for (mean, &x) in input_mean.iter_mut().zip(data.point(sample)) {
            *mean += x;
        }
    }
    for mean in &mut input_mean {
        *mean /= samples;
    }
    let mut variance = vec![0.0; dimensions];
    for sample in 0..data.samples() {
        for ((v, &x), mean) in variance.iter_mut().zip(data.point(sample)).zip(&input_mean) {
            *v += (x - mean) * (x - mean);
        }
    }
    let input_scale = variance
        .iter()
        .map(|v| {
            let deviation = (v / samples).sqrt();
            if deviation > 0.0 { deviation } else { 1.0 }
        })
        .collect();
    let hidden = options.hidden;
    let layout = Layout::of(dimensions, hidden, classes);
    let mut params = vec![0.0; layout.total];
    let mut rng = SplitMix64::stream(options.seed, 0);
    for (start, fan_out, fan_in) in [
        (layout.w1, hidden, dimensions),
        (layout.w2, hidden, hidden),
        (layout.w3, classes, hidden),
    ] {
        let limit = (6.0 / (fan_in + fan_out) as f64).sqrt();
        for w in &mut params[start..start + fan_in * fan_out] {
            *w = limit * (2.0 * rng.uniform() - 1.0);
        }
    }
    MlpModel {
        classes,
        dimensions,
        hidden,
        input_mean,
        input_scale,
        params,
    }
}

/// `sum_i l_i + (l2 / 2) ||W||^2` of `model` on `data`.
fn mlp_objective(model: &MlpModel, kernel: &LossKernel, data: &Dataset, l2: f64) -> f64 {
    let mut scratch = Scratch::new(model);
    let mut loss = 0.0;
    for (sample, &label) in data.labels.iter().enumerate() {
        model.forward(data.point(sample), &mut scratch);
        loss += kernel
            .sample(
                &scratch.logits,
                label as usize,
                &mut scratch.gradient,
                &mut scratch.probabilities,
            )
            .loss;
    }
    let layout = model.layout();
    let penalty: f64 = (0..layout.total)
        .filter(|&i| layout.is_weight(i))
        .map(|i| model.params[i] * model.params[i])
        .sum();
    loss + 0.5 * l2 * penalty
}

/// `tanh x = 1 - 2 / (e^(2|x|) + 1)`, with the sign of x: one `exp`, where the library's
/// `tanh` costs about three times as much (it was half of an epoch). The absolute error stays
/// within a few 1e-16 (the relative error grows for |x| below 1e-8, which no layer feels).
fn tanh(x: f64) -> f64 {
    let e = (2.0 * x.abs()).exp();
    (1.0 - 2.0 / (e + 1.0)).copysign(x)
}

/// Adam's moments and step count.
struct Adam {
    first: Vec<f64>,
    second: Vec<f64>,
    steps: usize,
    beta1_power: f64,
    beta2_power: f64,
}

impl Adam {
    fn new(size: usize) -> Self {
        Self {
            first: vec![0.0; size],
            second: vec![0.0; size],
            steps: 0,
            beta1_power: 1.0,
            beta2_power: 1.0,
        }
    }

    /// One step, as PyTorch's `Adam`: `p -= lr m^ / (sqrt(v^) + eps)`.
    fn step(&mut self, params: &mut [f64], grad: &[f64], learning_rate: f64) {
        self.steps += 1;
        self.beta1_power *= BETA1;
        self.beta2_power *= BETA2;
        let first_correction = 1.0 - self.beta1_power;
        let second_correction = 1.0 - self.beta2_power;
        for (((p, &g), m), v) in params
            .iter_mut()
            .zip(grad)
            .zip(&mut self.first)
            .zip(&mut self.second)
        {
            *m = BETA1 * *m + (1.0 - BETA1) * g;
            *v = BETA2 * *v + (1.0 - BETA2) * g * g;
            let m_hat = *m / first_correction;
            let v_hat = *v / second_correction;
            *p -= learning_rate * m_hat / (v_hat.sqrt() + ADAM_EPSILON);
        }
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "the saturated ends and 0 are exact")]
mod tests {
    use super::*;

    #[test]
    fn tanh_by_exp_is_within_a_few_ulps_of_one() {
        let mut x = -30.0;
        while x < 30.0 {
            assert!((tanh(x) - x.tanh()).abs() < 4e-16, "{x}");
            x += 0.001_3;
        }
        assert_eq!(tanh(1e3), 1.0);
        assert_eq!(tanh(-1e3), -1.0);
        assert_eq!(tanh(0.0), 0.0);
    }
}
