//! Softmax regression under cross-entropy, with or without label smoothing, logit adjustment
//! and margins, as a [`SecondOrder`] objective for [`crate::core::simulator::newton`]: the fast
//! path of [`crate::core::simulator::softmax_fit::train_softmax`].
//!
//! For these losses a sample of class `y` costs `sum_c b_yc (-ln p_c)` with `b_yc = w_c t_yc`
//! (`t` the smoothed target) and `p = softmax(z + s_y)`, so its gradient with respect to the
//! logits is `B_y p - b_y` (`B_y = sum_c b_yc`) and its Hessian `B_y (diag(p) - p p^T)` (the same
//! expressions as [`crate::core::loss::sample_loss`], which the tests compare against). The
//! pass below evaluates them in one sweep over the data without allocating, on the active
//! classes only, and sums the Hessian's data term `sum_i H_i (x) x~_i x~_i^T` (`x~ = (x, 1)`)
//! over class pairs and feature pairs (60 products per sample for 4 classes in 2-D).
//!
//! The log-partition is `ln(sum exp)` here, not `sample_loss`'s `ln_1p`: a sample's loss may
//! differ by 1e-16 absolute, far below what the line search resolves; the objective a fit reports
//! is recomputed through `sample_loss`'s own arithmetic.

use crate::core::simulator::data::Dataset;
use crate::core::simulator::kernel::LossKernel;
use crate::core::simulator::linalg::dot;
use crate::core::simulator::objective::SecondOrder;

/// Samples per block of the pass.
const BLOCK: usize = 256;

/// `sum a_i b_i` with four accumulators (lanes `i mod 4`), added in a fixed order at the end.
fn dot4(a: &[f64], b: &[f64]) -> f64 {
    let mut lanes = [0.0; 4];
    let (a_chunks, b_chunks) = (a.chunks_exact(4), b.chunks_exact(4));
    let (a_tail, b_tail) = (a_chunks.remainder(), b_chunks.remainder());
    for (x, y) in a_chunks.zip(b_chunks) {
        for lane in 0..4 {
            lanes[lane] += x[lane] * y[lane];
        }
    }
    let tail = dot(a_tail, b_tail);
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + tail
}

/// Per-sample columns of a block.
struct Columns {
    max: Vec<f64>,
    sum: Vec<f64>,
    log_sum: Vec<f64>,
    /// `B_y` of each sample.
    total: Vec<f64>,
    /// Per active class, `b_yc` of each sample.
    targets: Vec<f64>,
}

impl Columns {
    fn new(classes: usize) -> Self {
        Self {
            max: vec![0.0; BLOCK],
            sum: vec![0.0; BLOCK],
            log_sum: vec![0.0; BLOCK],
            total: vec![0.0; BLOCK],
            targets: vec![0.0; classes * BLOCK],
        }
    }
}

/// The objective, gradient and Hessian of cross-entropy softmax regression on the active classes.
pub(crate) struct CrossEntropyPass<'a> {
    features: &'a [f64],
    labels: &'a [u32],
    dimensions: usize,
    classes: usize,
    /// The active classes, in order.
    active: Vec<usize>,
    /// Per truth class, per active class: `b_yc`.
    targets: Vec<f64>,
    /// Per truth class: `B_y`.
    totals: Vec<f64>,
    /// Per truth class, per active class: the logit shift.
    shifts: Vec<f64>,
    l2: f64,
}

impl<'a> CrossEntropyPass<'a> {
    /// The pass over `data` under `kernel` (cross-entropy; the caller checks), on the classes
    /// marked in `active`, with L2 strength `l2` on the weights.
    pub(crate) fn new(data: &'a Dataset, kernel: &LossKernel, active: &[bool], l2: f64) -> Self {
        let classes = active.len();
        let active: Vec<usize> = (0..classes).filter(|&c| active[c]).collect();
        let mut targets = Vec::with_capacity(classes * active.len());
        let mut totals = Vec::with_capacity(classes);
        let mut shifts = Vec::with_capacity(classes * active.len());
        for truth in 0..classes {
            let row = kernel.target_weights(truth);
            targets.extend(active.iter().map(|&c| row[c]));
            totals.push(active.iter().map(|&c| row[c]).sum());
            let shift = kernel.shifts(truth);
            shifts.extend(active.iter().map(|&c| shift[c]));
        }
        Self {
            features: &data.features,
            labels: &data.labels,
            dimensions: data.dimensions,
            classes,
            active,
            targets,
            totals,
            shifts,
            l2,
        }
    }

    fn stride(&self) -> usize {
        self.dimensions + 1
    }

    /// The number of parameters of the active classes.
    pub(crate) fn size(&self) -> usize {
        self.active.len() * self.stride()
    }

    /// The active classes' parameters out of all of them.
    pub(crate) fn compact(&self, params: &[f64]) -> Vec<f64> {
        let stride = self.stride();
        self.active
            .iter()
            .flat_map(|&c| params[c * stride..(c + 1) * stride].iter().copied())
            .collect()
    }

    /// All parameters from the active classes' (0 for the others).
    pub(crate) fn expand(&self, compact: &[f64]) -> Vec<f64> {
        let stride = self.stride();
        let mut params = vec![0.0; self.classes * stride];
        for (k, &c) in self.active.iter().enumerate() {
            params[c * stride..(c + 1) * stride]
                .copy_from_slice(&compact[k * stride..(k + 1) * stride]);
        }
        params
    }

    /// A matrix over all parameters from one over the active classes' (0 elsewhere).
    pub(crate) fn expand_matrix(&self, compact: &[f64]) -> Vec<f64> {
        let stride = self.stride();
        let (size, full) = (self.size(), self.classes * stride);
        let index = |i: usize| self.active[i / stride] * stride + i % stride;
        let mut matrix = vec![0.0; full * full];
        for i in 0..size {
            for j in 0..size {
                matrix[index(i) * full + index(j)] = compact[i * size + j];
            }
        }
        matrix
    }

    /// The Hessian at the active classes' parameters `params`.
    pub(crate) fn hessian(&self, params: &[f64]) -> Vec<f64> {
        let size = self.size();
        let mut gradient = vec![0.0; size];
        let mut hessian = vec![0.0; size * size];
        self.evaluate(params, &mut gradient, &mut hessian);
        hessian
    }

    /// The objective at the active classes' parameters `params`; writes the gradient and the
    /// Hessian (`size x size`, row-major).
    ///
    /// The samples go by blocks of [`BLOCK`], feature-major within a block: the per-sample work
    /// (softmax, loss, the gradient and Hessian coefficients) fills columns, and the sums over
    /// the samples are dot products of columns with four fixed accumulators, in a fixed order
    /// (so the result does not depend on anything but the inputs).
    pub(crate) fn evaluate(
        &self,
        params: &[f64],
        gradient: &mut [f64],
        hessian: &mut [f64],
    ) -> f64 {
        let (count, stride, dimensions) = (self.active.len(), self.stride(), self.dimensions);
        let feature_pairs = stride * (stride + 1) / 2;
        let class_pairs = count * (count + 1) / 2;
        let mut packed = vec![0.0; class_pairs * feature_pairs];
        // Feature columns, the last all ones; then per block: logits, probabilities, gradient
        // and Hessian coefficients, and the products of feature pairs.
        let mut x = vec![1.0; stride * BLOCK];
        let mut logits = vec![0.0; count * BLOCK];
        let mut coefficients = vec![0.0; count * BLOCK];
        let mut pairs = vec![0.0; class_pairs * BLOCK];
        let mut columns = Columns::new(count);
        let mut outer = vec![0.0; feature_pairs * BLOCK];
        gradient.fill(0.0);
        let mut loss = 0.0;
        for (block, labels) in self
            .features
            .chunks(dimensions * BLOCK)
            .zip(self.labels.chunks(BLOCK))
        {
            let len = labels.len();
            for (j, point) in block.chunks_exact(dimensions).enumerate() {
                for (d, &value) in point.iter().enumerate() {
                    x[d * BLOCK + j] = value;
                }
            }
            for (k, row) in params.chunks_exact(stride).enumerate() {
                let z = &mut logits[k * BLOCK..k * BLOCK + len];
                z.fill(row[dimensions]);
                for (d, &w) in row[..dimensions].iter().enumerate() {
                    for (zj, xj) in z.iter_mut().zip(&x[d * BLOCK..d * BLOCK + len]) {
                        *zj += w * xj;
                    }
                }
            }
            loss += self.block(
                labels,
                &mut columns,
                &mut logits,
                &mut coefficients,
                &mut pairs,
            );
            let mut q = 0;
            for d in 0..stride {
                for d2 in d..stride {
                    let column = &mut outer[q * BLOCK..q * BLOCK + len];
                    let (a, b) = (
                        &x[d * BLOCK..d * BLOCK + len],
                        &x[d2 * BLOCK..d2 * BLOCK + len],
                    );
                    for ((o, ai), bi) in column.iter_mut().zip(a).zip(b) {
                        *o = ai * bi;
                    }
                    q += 1;
                }
            }
            for (k, row) in gradient.chunks_exact_mut(stride).enumerate() {
                let g = &coefficients[k * BLOCK..k * BLOCK + len];
                for (d, entry) in row.iter_mut().enumerate() {
                    *entry += dot4(g, &x[d * BLOCK..d * BLOCK + len]);
                }
            }
            for (pair, block) in packed.chunks_exact_mut(feature_pairs).enumerate() {
                let a = &pairs[pair * BLOCK..pair * BLOCK + len];
                for (q, entry) in block.iter_mut().enumerate() {
                    *entry += dot4(a, &outer[q * BLOCK..q * BLOCK + len]);
                }
            }
        }
        let mut penalty = 0.0;
        for (row, grad) in params
            .chunks_exact(stride)
            .zip(gradient.chunks_exact_mut(stride))
        {
            let weights = &row[..dimensions];
            penalty += dot(weights, weights);
            for (entry, w) in grad.iter_mut().zip(weights) {
                *entry += self.l2 * w;
            }
        }
        self.unpack(&packed, hessian);
        loss + 0.5 * self.l2 * penalty
    }

    /// One block of samples of classes `labels`, column by column: shifts the logits, turns
    /// them into the gradient coefficients `B p_k - b_k` and the Hessian's
    /// `B (p_k [k = k2] - p_k p_k2)`, and returns the block's loss (summed sample by sample).
    fn block(
        &self,
        labels: &[u32],
        columns: &mut Columns,
        logits: &mut [f64],
        coefficients: &mut [f64],
        pairs: &mut [f64],
    ) -> f64 {
        let count = self.active.len();
        let len = labels.len();
        let Columns {
            max,
            sum,
            log_sum,
            total,
            targets,
        } = columns;
        for (j, &label) in labels.iter().enumerate() {
            let truth = label as usize;
            total[j] = self.totals[truth];
            for k in 0..count {
                targets[k * BLOCK + j] = self.targets[truth * count + k];
                logits[k * BLOCK + j] += self.shifts[truth * count + k];
            }
        }
        max[..len].copy_from_slice(&logits[..len]);
        for k in 1..count {
            for (m, &z) in max[..len]
                .iter_mut()
                .zip(&logits[k * BLOCK..k * BLOCK + len])
            {
                *m = m.max(z);
            }
        }
        sum[..len].fill(0.0);
        for k in 0..count {
            let range = k * BLOCK..k * BLOCK + len;
            let e = &mut coefficients[range.clone()];
            for ((e, &z), &m) in e.iter_mut().zip(&logits[range]).zip(&max[..len]) {
                let shifted = z - m;
                // exp(0) is 1 exactly: the largest logit needs no call.
                *e = if shifted == 0.0 { 1.0 } else { shifted.exp() };
            }
            for (s, &e) in sum[..len].iter_mut().zip(e.iter()) {
                *s += e;
            }
        }
        for (l, &s) in log_sum[..len].iter_mut().zip(&sum[..len]) {
            *l = s.ln();
        }
        let mut loss = 0.0;
        for j in 0..len {
            for k in 0..count {
                let z = logits[k * BLOCK + j] - max[j];
                loss += targets[k * BLOCK + j] * (log_sum[j] - z);
            }
        }
        for k in 0..count {
            let range = k * BLOCK..k * BLOCK + len;
            for (e, &s) in coefficients[range].iter_mut().zip(&sum[..len]) {
                *e /= s;
            }
        }
        let mut pair = 0;
        for k in 0..count {
            for k2 in k..count {
                let out = &mut pairs[pair * BLOCK..pair * BLOCK + len];
                let p = &coefficients[k * BLOCK..k * BLOCK + len];
                let q = &coefficients[k2 * BLOCK..k2 * BLOCK + len];
                for (((a, &pk), &qk), &b) in out.iter_mut().zip(p).zip(q).zip(&total[..len]) {
                    let scaled = b * pk;
                    *a = if k == k2 {
                        scaled - scaled * qk
                    } else {
                        -scaled * qk
                    };
                }
                pair += 1;
            }
        }
        for k in 0..count {
            let range = k * BLOCK..k * BLOCK + len;
            let g = coefficients[range.clone()].iter_mut().zip(&targets[range]);
            for ((g, &t), &b) in g.zip(&total[..len]) {
                *g = b * *g - t;
            }
        }
        loss
    }

    /// Fills the Hessian from the packed data term and adds the penalty's `l2 I` on the weights.
    fn unpack(&self, packed: &[f64], hessian: &mut [f64]) {
        let (count, stride) = (self.active.len(), self.stride());
        let size = count * stride;
        let feature_pairs = stride * (stride + 1) / 2;
        let mut blocks = packed.chunks_exact(feature_pairs);
        for k in 0..count {
            for (k2, block) in (k..count).zip(&mut blocks) {
                let mut q = 0;
                for d in 0..stride {
                    for d2 in d..stride {
                        let value = block[q];
                        for (i, j) in [
                            (k * stride + d, k2 * stride + d2),
                            (k * stride + d2, k2 * stride + d),
                        ] {
                            hessian[i * size + j] = value;
                            hessian[j * size + i] = value;
                        }
                        q += 1;
                    }
                }
            }
        }
        for k in 0..count {
            for d in 0..stride - 1 {
                let i = k * stride + d;
                hessian[i * size + i] += self.l2;
            }
        }
    }
}

impl SecondOrder for CrossEntropyPass<'_> {
    fn value_gradient_and_hessian(
        &self,
        x: &[f64],
        gradient: &mut [f64],
        hessian: &mut [f64],
    ) -> f64 {
        self.evaluate(x, gradient, hessian)
    }

    /// The softmax does not see a move of one parameter of every class alike (and the
    /// gradient has no component there): adds the projector on those directions.
    fn lift_flat_directions(&self, hessian: &mut [f64]) {
        let (size, stride) = (self.size(), self.stride());
        let classes = (size / stride.max(1)).max(1) as f64;
        for i in 0..size {
            for j in (i % stride..size).step_by(stride) {
                hessian[i * size + j] += 1.0 / classes;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::preset::Preset;
    use crate::core::preset::loss_options::LossOptions;
    use crate::core::rng::SplitMix64;
    use crate::core::simulator::data::{DataSpec, synthesize};
    use crate::core::simulator::softmax_fit::SoftmaxProblem;

    /// The fast pass and the `sample_loss` pass give the same objective and gradient.
    #[test]
    fn the_fast_pass_agrees_with_the_sample_loss_pass() {
        let cases = [
            (LossOptions::default(), false, 0.4),
            (
                LossOptions {
                    label_smoothing: 0.15,
                    logit_adjustment: 0.7,
                    ..LossOptions::default()
                },
                true,
                0.4,
            ),
            (LossOptions::default(), true, 0.0),
        ];
        for (loss, margins, debris_weight) in cases {
            let mut preset = Preset::notebook().unwrap();
            preset.loss = loss;
            preset.classes[3].weight = debris_weight;
            if margins {
                preset.margins = vec![
                    vec![0.0, 0.3, -0.2, 0.5],
                    vec![0.1, 0.0, 0.0, -0.4],
                    vec![0.0, 0.2, 0.0, 0.0],
                    vec![0.7, -0.1, 0.25, 0.0],
                ];
            }
            // 700 samples: two full blocks and a partial one.
            let spec = DataSpec {
                samples: 700,
                ..DataSpec::default()
            };
            let data = synthesize(&preset, &spec).unwrap().train;
            let problem = SoftmaxProblem::new(&data, &preset, 0.3).unwrap();
            let pass = problem.cross_entropy_pass();
            let mut rng = SplitMix64::new(3);
            let params: Vec<f64> = (0..problem.parameter_count())
                .map(|_| rng.normal())
                .collect();
            let (expected_value, expected_gradient) = problem.gradient(&params);
            let compact = pass.compact(&params);
            let mut gradient = vec![0.0; pass.size()];
            let mut hessian = vec![0.0; pass.size() * pass.size()];
            let value = pass.evaluate(&compact, &mut gradient, &mut hessian);
            assert!(
                (value - expected_value).abs() < 1e-12 * expected_value,
                "{loss:?}"
            );
            for (a, b) in pass.expand(&gradient).iter().zip(&expected_gradient) {
                assert!(
                    (a - b).abs() < 1e-10 * b.abs().max(1.0),
                    "{loss:?}: {a} vs {b}"
                );
            }
        }
    }
}
