//! Decimal text to f64, bit for bit as `str::parse::<f64>`, faster for the numbers that CSV
//! writers print.
//!
//! A plain decimal, `[+-]digits[.digits][(e|E)[+-]digits]`, of at most 19 digits whose digits
//! fit in 53 bits and whose decimal exponent is within ±22 is the digits as an f64 (exact)
//! times or divided by a power of ten (exact): one IEEE operation, so correctly rounded
//! (Clinger's fast path). Any other plain decimal (17-digit float64 output, say) goes to the
//! `fast-float2` crate (Eisel-Lemire, correctly rounded, as the standard library's own
//! parser). Anything else, including `inf`, `nan` and text that is not a number, goes to
//! `str::parse`. The tests check that all three agree with `str::parse` bit for bit.

/// The powers of ten that f64 holds exactly.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The largest integer below which every integer is an exact f64.
const EXACT_INTEGER_LIMIT: u64 = 1 << 53;

/// Digits a u64 holds without overflowing.
const MAX_DIGITS: usize = 19;

/// Exponent digits read by the fast path (more goes to `str::parse`).
const MAX_EXPONENT_DIGITS: usize = 4;

/// `text` as an f64, exactly as `str::parse::<f64>` reads it; `None` where it refuses it.
pub(super) fn parse_f64(text: &[u8]) -> Option<f64> {
    match fast_prefix(text) {
        Some((value, length)) if length == text.len() => Some(value),
        _ => std::str::from_utf8(text).ok()?.parse().ok(),
    }
}

/// Whether the 8 bytes of `word` (little-endian) are all ASCII digits.
fn eight_digits(word: u64) -> bool {
    let above_nine = word.wrapping_add(0x4646_4646_4646_4646);
    let below_zero = word.wrapping_sub(0x3030_3030_3030_3030);
    (above_nine | below_zero) & 0x8080_8080_8080_8080 == 0
}

/// The value of 8 ASCII digits read as a little-endian word (the first digit the most
/// significant), three multiplications instead of eight.
fn value_of_eight_digits(word: u64) -> u64 {
    const MASK: u64 = 0x0000_00FF_0000_00FF;
    const MUL1: u64 = 0x000F_4240_0000_0064;
    const MUL2: u64 = 0x0000_2710_0000_0001;
    let word = word - 0x3030_3030_3030_3030;
    let pairs = word.wrapping_mul(10).wrapping_add(word >> 8);
    let high = (pairs & MASK).wrapping_mul(MUL1);
    let low = ((pairs >> 16) & MASK).wrapping_mul(MUL2);
    (high.wrapping_add(low) >> 32) & 0xFFFF_FFFF
}

/// Digits from `text[start..]` on, added to `value`: the new value (wrapping past 19 digits)
/// and the index after the last digit.
fn digits(text: &[u8], start: usize, mut value: u64) -> (u64, usize) {
    let mut index = start;
    while let Some(chunk) = text.get(index..index + 8) {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(chunk);
        let word = u64::from_le_bytes(bytes);
        if !eight_digits(word) {
            break;
        }
        value = value
            .wrapping_mul(100_000_000)
            .wrapping_add(value_of_eight_digits(word));
        index += 8;
    }
    while let Some(&byte) = text.get(index) {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        value = value.wrapping_mul(10).wrapping_add(u64::from(digit));
        index += 1;
    }
    (value, index)
}

/// The number at the start of `text` and its length in bytes, when it has the form
/// `[+-]digits[.digits][(e|E)[+-]digits]` with at most 4 exponent digits; `None` otherwise
/// (the text may still start with a number: ask `str::parse`).
#[inline]
pub(super) fn fast_prefix(text: &[u8]) -> Option<(f64, usize)> {
    let (negative, start) = match text.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let (mantissa, mut index) = digits(text, start, 0);
    let integer_digits = index - start;
    let mut fraction_digits = 0;
    let mut mantissa = mantissa;
    if text.get(index) == Some(&b'.') {
        let (with_fraction, end) = digits(text, index + 1, mantissa);
        mantissa = with_fraction;
        fraction_digits = end - (index + 1);
        index = end;
    }
    let all_digits = integer_digits + fraction_digits;
    if all_digits == 0 {
        return None;
    }
    let mut exponent = 0;
    if let Some(b'e' | b'E') = text.get(index) {
        let (value, end) = parse_exponent(text, index + 1)?;
        exponent = value;
        index = end;
    }
    let power = exponent - i64::try_from(fraction_digits).ok()?;
    let scale = usize::try_from(power.unsigned_abs())
        .ok()
        .and_then(|power| EXACT_POWERS_OF_TEN.get(power))
        .filter(|_| all_digits <= MAX_DIGITS && mantissa <= EXACT_INTEGER_LIMIT);
    let Some(scale) = scale else {
        let value = fast_float2::parse::<f64, _>(text.get(..index)?).ok()?;
        return Some((value, index));
    };
    #[allow(
        clippy::cast_precision_loss,
        reason = "the mantissa is at most 2^53, exact in f64"
    )]
    let magnitude = mantissa as f64;
    let value = if power < 0 {
        magnitude / scale
    } else {
        magnitude * scale
    };
    Some((if negative { -value } else { value }, index))
}

/// The exponent from `text[start..]` on, after the `e`: an optional sign and 1 to 4 digits;
/// its value and the index after it.
fn parse_exponent(text: &[u8], start: usize) -> Option<(i64, usize)> {
    let (negative, start) = match text.get(start) {
        Some(b'-') => (true, start + 1),
        Some(b'+') => (false, start + 1),
        _ => (false, start),
    };
    let (value, end) = digits(text, start, 0);
    if end == start || end - start > MAX_EXPONENT_DIGITS {
        return None;
    }
    let value = i64::try_from(value).ok()?;
    Some((if negative { -value } else { value }, end))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The bits `str::parse` gives, or `None` where it refuses the text.
    fn std_bits(text: &str) -> Option<u64> {
        text.parse::<f64>().ok().map(f64::to_bits)
    }

    fn assert_same(text: &str) {
        assert_eq!(
            parse_f64(text.as_bytes()).map(f64::to_bits),
            std_bits(text),
            "{text:?}"
        );
    }

    #[test]
    fn edge_cases_match_the_standard_parser() {
        let cases = [
            "",
            "+",
            "-",
            ".",
            "-.",
            "e",
            "e5",
            "1e",
            "1e+",
            "1e-",
            "1.e",
            ".e1",
            "0",
            "-0",
            "+0",
            "-0.0",
            "0.",
            ".0",
            "-.5",
            "1.",
            "00000000000000000001",
            "0000000000000000001",
            "9007199254740992",
            "9007199254740993",
            "9007199254740991",
            "1e22",
            "1e23",
            "1e-22",
            "1e-23",
            "123456789e-22",
            "4.9e-324",
            "1.7976931348623157e308",
            "1e308",
            "1e309",
            "2.2250738585072014e-308",
            "0.1",
            "0.3",
            "-1.3031572",
            "0.34558418",
            "1E5",
            "1e+05",
            "1e0005",
            "1e00005",
            "1.0e-5",
            "inf",
            "-inf",
            "+infinity",
            "NaN",
            "nan",
            "Inf",
            " 1",
            "1 ",
            "1,5",
            "1_0",
            "0x10",
            "1e5.0",
            "1..2",
            "--1",
            "+-1",
            "١",
            "1\u{0}",
            "12345678901234567890",
            "1234567890123456789",
            "0.1234567890123456789",
            "123456789012345678.9e-3",
            "3.14159265358979323846",
            "-9007199254740992e22",
            "9007199254740992e-22",
            "5e-324",
            "1e-400",
            "0e999",
            "-0e-999",
        ];
        for case in cases {
            assert_same(case);
        }
    }

    #[test]
    fn the_fast_path_takes_plain_decimals_to_their_end() {
        let plain = [
            "0.34558418",
            "-1.3031572",
            "1.2345e-05",
            "3",
            "-0.125",
            "1e22",
            // Past Clinger's path: to fast-float2.
            "0.33043707618338714",
            "1e23",
            "12345678901234567890",
            "9007199254740993",
        ];
        for text in plain {
            assert_eq!(
                fast_prefix(text.as_bytes()).map(|(_, length)| length),
                Some(text.len())
            );
        }
        assert_eq!(fast_prefix(b"1.5,2"), Some((1.5, 3)));
        for text in ["inf", "nan", "1e", ".", "-", "1e12345", "x1"] {
            assert_eq!(fast_prefix(text.as_bytes()), None, "{text}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn decimal_strings_parse_bit_for_bit_as_the_standard_parser(
            text in "[+-]?[0-9]{0,22}(\\.[0-9]{0,22})?([eE][+-]?[0-9]{0,5})?"
        ) {
            prop_assert_eq!(parse_f64(text.as_bytes()).map(f64::to_bits), std_bits(&text));
        }

        #[test]
        fn short_decimals_with_exponents_parse_bit_for_bit(
            text in "-?[0-9]{1,9}\\.[0-9]{1,10}([eE][+-]?[0-2]?[0-9])?"
        ) {
            prop_assert_eq!(parse_f64(text.as_bytes()).map(f64::to_bits), std_bits(&text));
        }

        #[test]
        fn printed_floats_parse_back_bit_for_bit(bits in any::<u64>(), single in any::<u32>()) {
            let value = f64::from_bits(bits);
            let single = f32::from_bits(single);
            for text in [
                format!("{value}"),
                format!("{value:e}"),
                format!("{value:.6}"),
                format!("{single}"),
                format!("{single:e}"),
                format!("{}", f64::from(single)),
            ] {
                prop_assert_eq!(parse_f64(text.as_bytes()).map(f64::to_bits), std_bits(&text));
            }
        }

        #[test]
        fn long_decimals_parse_bit_for_bit(
            text in "-?[0-9]{1,3}\\.[0-9]{14,40}([eE][+-]?[0-9]{1,3})?"
        ) {
            prop_assert_eq!(parse_f64(text.as_bytes()).map(f64::to_bits), std_bits(&text));
        }

        #[test]
        fn prefixes_end_where_the_number_ends(
            number in "-?[0-9]{1,20}(\\.[0-9]{0,20})?([eE]-?[0-9]{1,3})?",
            tail in "[,0-9a-z. ]{0,3}",
        ) {
            let text = format!("{number}{tail}");
            if let Some((value, length)) = fast_prefix(text.as_bytes()) {
                prop_assert_eq!(Some(value.to_bits()), std_bits(&text[..length]));
                let next = text.as_bytes().get(length);
                prop_assert!(next.is_none_or(|byte| !byte.is_ascii_digit()));
            }
        }

        #[test]
        fn any_bytes_parse_as_the_standard_parser(bytes in proptest::collection::vec(any::<u8>(), 0..24)) {
            let expected = std::str::from_utf8(&bytes).ok().and_then(std_bits);
            prop_assert_eq!(parse_f64(&bytes).map(f64::to_bits), expected);
        }
    }
}
