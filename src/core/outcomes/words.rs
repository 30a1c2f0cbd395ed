//! Numbers written for sentences the user reads.

/// A weight for a sentence: 4 significant digits, trailing zeros dropped (`0.26`, `1234`).
#[must_use]
pub fn significant(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return format!("{value}");
    }
    let magnitude = value.abs().log10().floor().clamp(-300.0, 300.0);
    #[allow(
        clippy::cast_possible_truncation,
        reason = "the magnitude is a whole number within +-300"
    )]
    let digits = usize::try_from((3 - magnitude as i32).max(0)).unwrap_or(0);
    let text = format!("{value:.digits$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_significant_digits_without_trailing_zeros() {
        assert_eq!(significant(0.26), "0.26");
        assert_eq!(significant(2.001_475_569), "2.001");
        assert_eq!(significant(1234.6), "1235");
        assert_eq!(significant(0.000_123_456), "0.0001235");
        assert_eq!(significant(0.0), "0");
    }
}
