//! Where a sample's prediction switches to one class as that class's shift grows, every other
//! shift held: the exact breakpoints behind the debris sweep and the weight search.
//!
//! With the other classes' values fixed, raising class k's shift `s` only raises its value
//! `z_k / T + s`, so the sample is called k exactly when `s >= threshold`, and otherwise it is
//! called `other`, the class it gets when k is out of the running. The threshold is found in
//! floating point, not by algebra: it is the smallest f64 at which [`DecisionRule::decide`]'s
//! own arithmetic calls k, so counting thresholds gives the same numbers as predicting.

use crate::core::outcomes::data::ValidationData;
use crate::core::outcomes::decision::{DecisionRule, argmax_or};

/// Each sample's threshold and fallback prediction for one class.
#[derive(Clone, Debug, PartialEq)]
pub struct Switches {
    /// The class whose shift moves.
    pub class: usize,
    /// Per sample, the smallest shift of `class` at which it is predicted (`-inf`: at any
    /// shift, even `-inf`; NaN: at no shift).
    pub threshold: Vec<f64>,
    /// Per sample, the prediction while the shift is below the threshold.
    pub other: Vec<u32>,
}

impl Switches {
    /// The switches of `class` under `rule` (whose own shift for `class` is ignored).
    #[must_use]
    pub fn of(data: &ValidationData, rule: &DecisionRule, class: usize) -> Self {
        let classes = data.classes;
        let mut scores = vec![0.0; classes];
        let mut values = vec![0.0; classes];
        let mut threshold = Vec::with_capacity(data.samples());
        let mut other = Vec::with_capacity(data.samples());
        for sample in 0..data.samples() {
            data.row_into(sample, &mut scores);
            rule.values_into(&scores, &mut values);
            let scaled = scores.get(class).map_or(f64::NAN, |z| z / rule.temperature);
            let (t, o) = sample_switch(&mut values, class, scaled, rule.fallback);
            threshold.push(t);
            other.push(u32::try_from(o).unwrap_or(u32::MAX));
        }
        Self {
            class,
            threshold,
            other,
        }
    }
}

/// One sample's threshold and fallback prediction; `values` holds every class's value (the
/// entry of `class` is overwritten), `scaled` is `z_class / T`.
#[must_use]
pub fn sample_switch(
    values: &mut [f64],
    class: usize,
    scaled: f64,
    fallback: usize,
) -> (f64, usize) {
    if class >= values.len() {
        return (f64::NAN, fallback);
    }
    values[class] = f64::NEG_INFINITY;
    let other = argmax_or(values.iter().copied(), fallback);
    let best_other = values.get(other).copied().unwrap_or(f64::NEG_INFINITY);
    if best_other.is_finite() && scaled.is_finite() {
        // The same answer as `argmax_or` over every value, in two comparisons: with the other
        // values fixed, `class` is called when its value beats the best of them, or ties it
        // from a lower index (the first largest wins).
        let wins_ties = class < other;
        #[allow(
            clippy::float_cmp,
            reason = "a tie is exact equality, as argmax_or sees it"
        )]
        let mut calls = |shift: f64| {
            let value = scaled + shift;
            value > best_other || (wins_ties && value == best_other)
        };
        return (first_true(&mut calls, best_other - scaled), other);
    }
    let mut calls = |shift: f64| {
        values[class] = scaled + shift;
        argmax_or(values.iter().copied(), fallback) == class
    };
    (first_true(&mut calls, best_other - scaled), other)
}

/// The smallest f64 in `[-inf, +inf]` at which the monotone predicate `holds` is true (NaN
/// when it never is), tried first near `guess`.
fn first_true(holds: &mut impl FnMut(f64) -> bool, guess: f64) -> f64 {
    if holds(f64::NEG_INFINITY) {
        return f64::NEG_INFINITY;
    }
    if !holds(f64::INFINITY) {
        return f64::NAN;
    }
    // Invariant: holds(from_key(low)) is false, holds(from_key(high)) is true.
    let mut low = key(f64::NEG_INFINITY);
    let mut high = key(f64::INFINITY);
    if guess.is_finite() {
        // The algebraic threshold is right or off by an ulp or two: check it and its neighbours.
        let guess_key = key(guess);
        for candidate in [
            guess_key - 2,
            guess_key - 1,
            guess_key,
            guess_key + 1,
            guess_key + 2,
        ] {
            if candidate <= low || candidate >= high {
                continue;
            }
            if holds(from_key(candidate)) {
                high = candidate;
                break;
            }
            low = candidate;
        }
    }
    while high - low > 1 {
        let middle = low + (high - low) / 2;
        if holds(from_key(middle)) {
            high = middle;
        } else {
            low = middle;
        }
    }
    from_key(high)
}

/// A key that orders f64 values as numbers (`-inf` lowest, `+inf` highest; `-0` just below `+0`).
fn key(x: f64) -> i128 {
    #[allow(clippy::cast_possible_wrap, reason = "the bits, reinterpreted")]
    let bits = x.to_bits() as i64;
    i128::from(if bits < 0 { bits ^ i64::MAX } else { bits })
}

/// The f64 of a [`key`].
fn from_key(key: i128) -> f64 {
    #[allow(
        clippy::cast_possible_truncation,
        reason = "keys come from key(), in the i64 range"
    )]
    let bits = key as i64;
    #[allow(clippy::cast_sign_loss, reason = "the bits, reinterpreted")]
    f64::from_bits((if bits < 0 { bits ^ i64::MAX } else { bits }) as u64)
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "thresholds are exact values")]
mod tests {
    use super::*;

    #[test]
    fn keys_order_floats_as_numbers() {
        let xs = [
            f64::NEG_INFINITY,
            -1e300,
            -1.0,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            1e-300,
            1.0,
            f64::MAX,
            f64::INFINITY,
        ];
        for pair in xs.windows(2) {
            assert!(key(pair[0]) < key(pair[1]), "{pair:?}");
        }
        for x in xs {
            assert_eq!(from_key(key(x)).to_bits(), x.to_bits());
        }
    }

    #[test]
    fn the_threshold_is_the_first_shift_that_calls_the_class() {
        // Values of classes 0 and 2 fixed; class 1 (scaled score 0.1) competes.
        let mut values = [0.3, 0.0, 0.7];
        let (threshold, other) = sample_switch(&mut values, 1, 0.1, 0);
        assert_eq!(other, 2);
        let decide = |shift: f64| argmax_or([0.3, 0.1 + shift, 0.7], 0);
        assert_eq!(decide(threshold), 1);
        assert_eq!(decide(threshold.next_down()), 2);
        // Class 0 wins ties against class 2, so its threshold is where it reaches 0.7.
        let mut values = [0.0, 0.1, 0.7];
        let (threshold, _) = sample_switch(&mut values, 0, 0.3, 0);
        assert_eq!(argmax_or([0.3 + threshold, 0.1, 0.7], 0), 0);
        assert_eq!(argmax_or([0.3 + threshold.next_down(), 0.1, 0.7], 0), 2);
    }

    #[test]
    fn the_fallback_class_is_called_at_any_shift_when_all_others_are_out() {
        let inf = f64::NEG_INFINITY;
        let mut values = [inf, 0.0, inf];
        assert_eq!(sample_switch(&mut values, 1, 5.0, 1).0, inf);
        let mut values = [inf, 0.0, inf];
        let (threshold, other) = sample_switch(&mut values, 1, 5.0, 0);
        assert_eq!(other, 0);
        assert!(threshold > inf && argmax_or([inf, 5.0 + threshold, inf], 0) == 1);
    }
}
