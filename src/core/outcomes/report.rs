//! What the current weights would do to the model's decisions on the validation set, beside
//! what the trained-with weights do: the `weightbench outcomes --format json` contract.

use serde::Serialize;

use crate::core::loss::{BatchLoss, sample_loss_value};
use crate::core::outcomes::cost_report::{Closest, CostDecisions, CostSummary};
use crate::core::outcomes::costs::Decision;
use crate::core::outcomes::data::ValidationData;
pub use crate::core::outcomes::decision::metrics_of;
use crate::core::outcomes::metrics::Metrics;
use crate::core::outcomes::setup::{OutcomeError, OutcomeOptions, OutcomeSetup};
use crate::core::preset::Preset;

/// The outcomes of the preset's weights on a validation set, with the JSON contract's keys.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcomes {
    /// The number of samples N.
    pub samples: usize,
    /// The class names, in class order.
    pub classes: Vec<String>,
    /// The debris class.
    pub debris: usize,
    /// The current weights (the preset's).
    pub weights: Vec<f64>,
    /// The weights the model was trained with.
    pub trained_with: Vec<f64>,
    /// The decision shift per class, `ln(weights / trained_with)` (+ the prior correction);
    /// `-inf` (`null` in JSON) for a class of weight 0, never predicted.
    pub shift: Vec<f64>,
    /// The rule that decides `current`: the weights' argmax or the least expected cost.
    pub decision: Decision,
    /// Metrics of the chosen rule (the current weights', or the cost rule's).
    pub current: Metrics,
    /// Metrics at the trained-with weights (same prior correction and temperature).
    pub baseline: Metrics,
    /// The weighted loss of the raw scores under the preset's weights and loss options.
    pub loss: LossSummary,
    /// With a cost matrix: what the decisions cost, and the weights closest to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<CostSummary>,
    /// The temperature, when one was fitted or given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Expected calibration error at T = 1, with a temperature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ece_before: Option<f64>,
    /// Expected calibration error at the temperature, with a temperature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ece_after: Option<f64>,
}

/// A batch loss with `eval`'s three reductions (`null` for an undefined mean).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LossSummary {
    /// `sum_n l_n`.
    pub sum: f64,
    /// PyTorch's `sum_n l_n / sum_n w[y_n]`; `None` when the denominator is 0.
    pub mean: Option<f64>,
    /// Keras' `sum_n l_n / N`.
    pub mean_per_sample: Option<f64>,
}

impl From<BatchLoss> for LossSummary {
    fn from(batch: BatchLoss) -> Self {
        Self {
            sum: batch.sum,
            mean: batch.mean,
            mean_per_sample: batch.mean_per_sample,
        }
    }
}

impl Outcomes {
    /// The outcomes of `preset`'s weights on `data` under `options`.
    ///
    /// # Errors
    /// An invalid preset, data that does not fit it, or an option out of range; the message
    /// names the flag, field or sample.
    pub fn of(
        data: &ValidationData,
        preset: &Preset,
        options: &OutcomeOptions,
    ) -> Result<Self, OutcomeError> {
        let setup = OutcomeSetup::new(data, preset, options)?;
        let prior = setup.deploy_prior.as_deref();
        let current_rule = setup.current_rule();
        let baseline_rule = setup.baseline_rule();
        // The two passes of predictions side by side on two threads (each alone if the second
        // thread cannot start); the loss then uses both threads itself.
        let (current, baseline) = std::thread::scope(|scope| {
            let helper = std::thread::Builder::new()
                .name("outcomes-current".to_owned())
                .spawn_scoped(scope, || {
                    metrics_of(data, &current_rule, setup.debris, prior)
                })
                .ok();
            let baseline = metrics_of(data, &baseline_rule, setup.debris, prior);
            let current = helper
                .and_then(|helper| helper.join().ok())
                .unwrap_or_else(|| metrics_of(data, &current_rule, setup.debris, prior));
            (current, baseline)
        });
        let loss = batch_loss(data, preset)?;
        let mut current = current;
        let cost = setup.cost_rule().map(|rule| {
            let decisions = CostDecisions::of(data, &rule);
            let weights_confusion = current.confusion.clone();
            if setup.decision == Decision::Cost {
                current = Metrics::of(decisions.confusion.clone(), setup.debris, prior);
            }
            let closest = Closest::of(data, &setup, &rule.matrix, &decisions.predictions);
            CostSummary::of(
                &setup,
                &rule.matrix,
                &current,
                &weights_confusion,
                &baseline.confusion,
                &decisions.confusion,
                closest,
            )
        });
        Ok(Self {
            samples: data.samples(),
            classes: preset.classes.iter().map(|c| c.name.clone()).collect(),
            debris: setup.debris,
            weights: setup.weights.clone(),
            trained_with: setup.trained_with.clone(),
            shift: current_rule.shift,
            decision: setup.decision,
            current,
            baseline,
            loss: loss.into(),
            cost,
            temperature: setup.calibration.map(|c| c.temperature),
            ece_before: setup.calibration.map(|c| c.ece_before),
            ece_after: setup.calibration.map(|c| c.ece_after),
        })
    }
}

/// A block's loss sum, weight sum and count ([`BatchLoss::totals`]), or the first of its
/// samples whose loss is not finite.
type BlockTotals = Result<(f64, f64, usize), usize>;

/// Samples per block of [`batch_loss`]: a batch up to this size is summed in sample order,
/// exactly as [`BatchLoss::reduce`] sums it.
pub const LOSS_BLOCK: usize = 1 << 16;

/// The batch loss of `data`'s scores as `eval` reduces a batch: each sample's loss under the
/// preset's weights, loss options and logit shifts ([`sample_loss_value`], the same bits as
/// [`crate::core::loss::sample_loss`] without its allocations). Blocks of [`LOSS_BLOCK`]
/// samples are summed in sample order on two threads, and their totals added in block order:
/// the same bits whatever the threads' timing, and, up to one block, the same as
/// [`BatchLoss::reduce`] over every sample.
///
/// # Errors
/// The first sample whose shifted scores overflow.
pub fn batch_loss(data: &ValidationData, preset: &Preset) -> Result<BatchLoss, OutcomeError> {
    let weights = preset.weights();
    let shifts: Vec<Vec<f64>> = (0..data.classes)
        .map(|truth| preset.logit_shifts_for(truth))
        .collect();
    // One block's totals, or the first sample whose loss is not finite.
    let block = |index: usize| -> BlockTotals {
        let range = index * LOSS_BLOCK..((index + 1) * LOSS_BLOCK).min(data.samples());
        let mut row = vec![0.0; data.classes];
        let mut exps = Vec::with_capacity(data.classes);
        let mut failed = None;
        let totals = BatchLoss::totals(range.map_while(|sample| {
            data.row_into(sample, &mut row);
            let truth = data.labels[sample] as usize;
            let loss = shifts.get(truth).and_then(|shift| {
                sample_loss_value(&row, truth, &weights, shift, &preset.loss, &mut exps)
            });
            if loss.is_none() {
                failed = Some(sample);
            }
            loss
        }));
        failed.map_or(Ok(totals), Err)
    };
    let blocks = data.samples().div_ceil(LOSS_BLOCK);
    let mut results: Vec<Option<BlockTotals>> = vec![None; blocks];
    std::thread::scope(|scope| {
        let (odd, even): (Vec<_>, Vec<_>) = results
            .iter_mut()
            .enumerate()
            .partition(|(index, _)| index % 2 == 1);
        let helper = (blocks > 1)
            .then(|| {
                std::thread::Builder::new()
                    .name("outcomes-loss".to_owned())
                    .spawn_scoped(scope, || {
                        for (index, slot) in odd {
                            *slot = Some(block(index));
                        }
                    })
                    .ok()
            })
            .flatten();
        for (index, slot) in even {
            *slot = Some(block(index));
        }
        if let Some(helper) = helper {
            let _ = helper.join();
        }
    });
    let (mut sum, mut weight_sum, mut count) = (0.0, 0.0, 0);
    for (index, result) in results.into_iter().enumerate() {
        // A block left undone (no second thread) is summed here.
        match result.unwrap_or_else(|| block(index)) {
            Ok((block_sum, block_weight, block_count)) => {
                sum += block_sum;
                weight_sum += block_weight;
                count += block_count;
            }
            Err(sample) => {
                return Err(OutcomeError::LossNotFinite {
                    file: data.source.clone(),
                    sample,
                });
            }
        }
    }
    Ok(BatchLoss::of_totals(sum, weight_sum, count))
}
