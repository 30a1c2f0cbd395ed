//! The text the subcommands print: aligned tables, CSV rows, NumPy-like scientific notation and
//! pretty JSON.
//!
//! Each writer returns whole lines ending in `\n`, so a subcommand builds its output by
//! concatenating them. Numbers the writers are given as text keep whatever form the caller
//! chose; the contracts in DESIGN.md want f64s in shortest round-trip form (`format!("{x:?}")`).

use std::ops::Range;

use serde::Serialize;

/// `rows` as columns padded to their widest cell, two spaces apart, one line per row.
///
/// Cells in the columns `text_columns` are left-aligned, the others (numbers) right-aligned;
/// trailing spaces are trimmed from every line. Rows may differ in length. Widths count
/// `char`s, which is right for the text presets hold (no wide or combining characters).
///
/// For example, `[["class", "weight"], ["class1", "0.8"], ["class2", "26.0"]]` with text
/// column `0..1` gives
/// ```text
/// class   weight
/// class1     0.8
/// class2    26.0
/// ```
#[must_use]
pub fn aligned(rows: &[Vec<String>], text_columns: Range<usize>) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (cell, &width))| {
                if text_columns.contains(&c) {
                    format!("{cell:<width$}")
                } else {
                    format!("{cell:>width$}")
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// One CSV line (RFC 4180 quoting), ending in `\n` rather than the RFC's CRLF.
///
/// A field holding a comma, a double quote or a line break is put in double quotes, its own
/// double quotes doubled: `a,"b ""c""",d`. Every other field is written as it is.
#[must_use]
pub fn csv_row<S: AsRef<str>>(fields: impl IntoIterator<Item = S>) -> String {
    let mut line = String::new();
    for (index, field) in fields.into_iter().enumerate() {
        if index > 0 {
            line.push(',');
        }
        let field = field.as_ref();
        if field.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&field.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(field);
        }
    }
    line.push('\n');
    line
}

/// `x` in scientific notation with 7 significant digits, as NumPy prints probabilities.
///
/// The exponent has a sign and at least two digits: `9.998762e-01`, `1.000000e+00`,
/// `1.000000e-100`. NaN and the infinities print as Rust writes them (`NaN`, `inf`, `-inf`).
#[must_use]
pub fn scientific(x: f64) -> String {
    let text = format!("{x:.6e}");
    match text.split_once('e') {
        Some((mantissa, exponent)) => {
            let (sign, digits) = exponent
                .strip_prefix('-')
                .map_or(("+", exponent), |d| ("-", d));
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => text,
    }
}

/// A share or ratio with 4 decimals for a person to read (`0.9123`); `-` when undefined.
#[must_use]
pub fn rounded(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.4}"))
}

/// `value` as JSON indented by two spaces, with a newline at the end.
///
/// f64s are written in shortest round-trip form; a NaN or infinite one becomes `null`.
#[must_use]
pub fn pretty_json(value: &impl Serialize) -> String {
    // Serialising plain structs of numbers, strings and lists cannot fail (serde_json fails
    // only on maps with non-string keys, or on a `Serialize` impl that fails by itself).
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|&cell| cell.to_owned()).collect()
    }

    #[test]
    fn aligned_pads_text_left_and_numbers_right() {
        let rows = [
            row(&["class", "weight"]),
            row(&["class1", "0.8"]),
            row(&["class2", "26.0"]),
        ];
        assert_eq!(
            aligned(&rows, 0..1),
            "class   weight\nclass1     0.8\nclass2    26.0\n"
        );
    }

    #[test]
    fn aligned_takes_ragged_rows_and_trims_line_ends() {
        let rows = [row(&["#", "name", "x"]), row(&["10", "ab"]), row(&[])];
        assert_eq!(aligned(&rows, 1..2), " #  name  x\n10  ab\n\n");
        assert_eq!(aligned(&[], 0..1), "");
    }

    #[test]
    fn csv_row_quotes_only_what_needs_it() {
        assert_eq!(csv_row(["a", "b c", "1.5"]), "a,b c,1.5\n");
        assert_eq!(
            csv_row(["x,y", "say \"hi\"", "two\nlines", "cr\r"]),
            "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\"\n"
        );
        assert_eq!(csv_row(Vec::<String>::new()), "\n");
        assert_eq!(csv_row([String::new(), String::new()]), ",\n");
    }

    #[test]
    fn scientific_writes_numpys_exponents() {
        assert_eq!(scientific(0.999_876_17), "9.998762e-01");
        assert_eq!(scientific(1.0), "1.000000e+00");
        assert_eq!(scientific(123.45), "1.234500e+02");
        assert_eq!(scientific(0.0), "0.000000e+00");
        assert_eq!(scientific(1e-100), "1.000000e-100");
        assert_eq!(scientific(-2.5e-7), "-2.500000e-07");
        assert_eq!(scientific(f64::NAN), "NaN");
        assert_eq!(scientific(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn rounded_has_four_decimals_or_a_dash() {
        assert_eq!(rounded(Some(0.912_345)), "0.9123");
        assert_eq!(rounded(Some(1.0)), "1.0000");
        assert_eq!(rounded(None), "-");
    }

    #[test]
    fn pretty_json_ends_in_a_newline_and_writes_nan_as_null() {
        #[derive(Serialize)]
        struct Report {
            loss: f64,
            mean: Option<f64>,
            weights: Vec<f64>,
        }
        let report = Report {
            loss: f64::NAN,
            mean: None,
            weights: vec![0.8, 26.0],
        };
        assert_eq!(
            pretty_json(&report),
            "{\n  \"loss\": null,\n  \"mean\": null,\n  \"weights\": [\n    0.8,\n    26.0\n  ]\n}\n"
        );
    }
}
