//! Decimal text to f64, bit for bit as `str::parse::<f64>`: the `fast-float2` crate, which
//! takes Clinger's fast path itself (a decimal of at most 19 digits whose digits fit in 53 bits
//! and whose exponent is small: one exact IEEE operation), then Eisel-Lemire, then exact
//! big-decimal arithmetic, correctly rounded as the standard library's own parser (which follows
//! the same design). A hand-written Clinger path in front of it saved 2 ns on short fields but
//! parsed the 17- to 19-digit fields NumPy writes twice, a quarter slower (the "csv floats" group
//! of `benches/outcomes.rs`). The tests check that it agrees with `str::parse` bit for bit.

/// `text` as an f64, exactly as `str::parse::<f64>` reads it (`inf` and `nan` included);
/// `None` where it refuses it.
pub(super) fn parse_f64(text: &[u8]) -> Option<f64> {
    fast_float2::parse(text).ok()
}

/// The finite number at the start of `text` and its length in bytes; `None` where `text` does
/// not start with one. What is not finite (`inf`, `nan`, `1e400`) is left to [`parse_f64`] and
/// the reader's slow path, which names its place.
#[inline]
pub(super) fn fast_prefix(text: &[u8]) -> Option<(f64, usize)> {
    fast_float2::parse_partial::<f64, _>(text)
        .ok()
        .filter(|(value, _)| value.is_finite())
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
    fn prefixes_take_plain_decimals_to_their_end_and_only_finite_ones() {
        let plain = [
            "0.34558418",
            "-1.3031572",
            "1.2345e-05",
            "3",
            "-0.125",
            "1e22",
            "0.33043707618338714",
            "1e23",
            "12345678901234567890",
            "9007199254740993",
            "-1.303157210350036621e+00",
        ];
        for text in plain {
            assert_eq!(
                fast_prefix(text.as_bytes()).map(|(_, length)| length),
                Some(text.len())
            );
        }
        assert_eq!(fast_prefix(b"1.5,2"), Some((1.5, 3)));
        // An `e` without digits is not part of the number: the reader's fast path, which wants
        // a comma or line end next, leaves the cell to its slow path.
        assert_eq!(fast_prefix(b"1e,"), Some((1.0, 1)));
        for text in [
            "inf",
            "nan",
            "-infinity,",
            "1e400,",
            "1e12345",
            ".",
            "-",
            "x1",
            "",
        ] {
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
