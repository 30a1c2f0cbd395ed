//! The fast path against the csv crate alone: the same rows, or the same error, for any text,
//! any block size and any number of threads.

use std::fmt::Write as _;
use std::io::{self, Cursor, Read};

use proptest::prelude::*;

use super::*;

fn classes() -> Vec<String> {
    ["class1", "class2", "class3", "class4 (debris)"]
        .map(str::to_owned)
        .to_vec()
}

/// Rows as comparable values (score bits), or the error's message.
type Outcome = Result<(Vec<u64>, Vec<u32>), String>;

fn outcome(rows: Result<Rows, ReadError>) -> Outcome {
    rows.map(|rows| {
        let bits = rows.scores.iter().map(|score| score.to_bits()).collect();
        (bits, rows.labels)
    })
    .map_err(|error| error.to_string())
}

/// Reads `text` with the blocks and threads of `options`.
fn read_fast(text: &[u8], options: Options) -> Outcome {
    let mut callback = |_| true;
    let mut progress = Progress::new(&mut callback, "v.csv");
    outcome(read_rows(
        Cursor::new(text),
        "v.csv",
        &classes(),
        &mut progress,
        options,
    ))
}

/// Reads `text` with the csv crate alone, as before the fast path.
fn read_csv_crate(text: &[u8]) -> Outcome {
    let mut callback = |_| true;
    let mut progress = Progress::new(&mut callback, "v.csv");
    outcome(read_whole_with_csv(
        Cursor::new(text),
        "v.csv",
        &classes(),
        &mut progress,
    ))
}

fn assert_same_as_csv_crate(text: &[u8]) {
    let expected = read_csv_crate(text);
    for block_bytes in [1, 2, 3, 5, 8, 13, 21, 64, BLOCK_BYTES] {
        for workers in [0, 1, 2] {
            let options = Options {
                block_bytes,
                workers,
            };
            assert_eq!(
                read_fast(text, options),
                expected,
                "{options:?} {:?}",
                String::from_utf8_lossy(text)
            );
        }
    }
}

#[test]
fn line_numbers_follow_the_csv_crate_with_blank_lines_and_windows_line_ends() {
    let cases: [&[u8]; 12] = [
        b"0,1,2,3,4\n1,1,2,3\n",
        b"0,1,2,3,4\r\n1,1,2,3,4\r\n2,1,2,3\r\n",
        b"0,1,2,3,4\r\n\r\n\r\n1,1,2,3,4\r\n\n\n2,1,2,x,4\r\n",
        b"\n\n0,1,2,3,4\n\n\n9,1,2,3,4\n",
        b"\xef\xbb\xbflabel,class1,class2,class3,class4 (debris)\r\n1,1,2,3,4\r\n\r\n2,5,6,7,8\r\n",
        b"label,class1,class2,class3,class4 (debris)\n1,1,2,3,4\n\"2\",5,6,7,8\n3,1,2,3\n",
        b"0,1,2,3,4\n1,1,2,3,4\n2,\"x\ny\",2,3,4\n",
        b"0,1,2,3,4\n1,1,2,3,4\r2,1,2,3,4\r\n3,1,2,3\n",
        b"0,1,2,3,4\n\xef\xbb\xbf1,1,2,3,4\n",
        b"0,1,2,3,4\n1,1,2,3,4\n\"1\",1,2,3,4\n1,1,2,3,inf\n",
        b"0,1,2,3,4\n1,1,2,3,4",
        b"0,1,2,3,4\n1,1,2,3,4\r",
    ];
    for text in cases {
        assert_same_as_csv_crate(text);
    }
}

#[test]
fn a_large_file_reads_the_same_in_blocks_on_threads() {
    let mut text = String::from("label,class3,class1,class2,class4 (debris)\n");
    for row in 0..5000 {
        let label = row % 4;
        writeln!(text, "{label},{row}.5,-{row}e-3,0.{row},{}\r", row * 7).unwrap();
    }
    let expected = read_csv_crate(text.as_bytes());
    assert_eq!(expected.as_ref().map(|(_, labels)| labels.len()), Ok(5000));
    for workers in [0, 2] {
        let options = Options {
            block_bytes: 1000,
            workers,
        };
        assert_eq!(read_fast(text.as_bytes(), options), expected);
    }
    // Cells in quotes are split by hand; a line end in quotes, late in the file, hands the
    // rest to the csv crate, with the same line numbers.
    text.push_str("\"1\",1,2,\"3\",4\n2,\"1.5\",2,3,\"4\n\"\n1,1,2,3\n");
    let expected = read_csv_crate(text.as_bytes());
    assert_eq!(
        expected,
        Err("v.csv: line 5005 has 4 fields, expected 5 (as on line 1)".to_owned())
    );
    for workers in [0, 2] {
        let options = Options {
            block_bytes: 1000,
            workers,
        };
        assert_eq!(read_fast(text.as_bytes(), options), expected);
    }
}

/// A cell: labels, numbers, class names, quotes, spaces and junk.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[0-4]",
        4 => "-?[0-9]{1,3}(\\.[0-9]{1,4})?(e-?[0-9])?",
        1 => Just(String::new()),
        1 => Just(" 1 ".to_owned()),
        1 => Just("inf".to_owned()),
        1 => Just("x".to_owned()),
        1 => Just("\"2\"".to_owned()),
        1 => Just("\"a,\nb\"".to_owned()),
        1 => Just("a\"b".to_owned()),
        1 => prop::sample::select(vec![
            "\"\"", "\"", "\"0.5\"", " \"1\"", "\"1\" ", "\"1\"x", "\"a\"\"b\"", "\"class3\"", "\"\r\"",
            "\" 2 \"", "x\"", "\"1,2\"",
        ])
        .prop_map(str::to_owned),
        1 => Just("\u{feff}".to_owned()),
        1 => prop::sample::select(vec!["label", "class1", "class2", "class3", "class4 (debris)", "cat"])
            .prop_map(str::to_owned),
    ]
}

/// A valid row: a label, then four numbers.
fn valid_row() -> impl Strategy<Value = Vec<String>> {
    let number = "-?[0-9]{1,2}\\.[0-9]{1,17}(e-0[1-9])?";
    ("[0-3]", prop::collection::vec(number, 4)).prop_map(|(label, mut numbers)| {
        numbers.insert(0, label);
        numbers
    })
}

/// A line: mostly five cells, often a valid row, and its end.
fn line() -> impl Strategy<Value = String> {
    let cells = prop_oneof![
        8 => valid_row(),
        8 => prop::collection::vec(cell(), 5),
        1 => prop::collection::vec(cell(), 0..8),
    ];
    let end = prop_oneof![8 => Just("\n"), 4 => Just("\r\n"), 1 => Just("\r"), 1 => Just("")];
    (cells, end).prop_map(|(cells, end)| format!("{}{end}", cells.join(",")))
}

/// A file: an optional byte order mark and header, then lines.
fn csv_text() -> impl Strategy<Value = String> {
    let header = prop_oneof![
        Just(String::new()),
        Just("label,class1,class2,class3,class4 (debris)\n".to_owned()),
        Just("class2,label,class1,class3,class4 (debris)\r\n".to_owned()),
    ];
    let bom = prop_oneof![4 => Just(""), 1 => Just("\u{feff}")];
    (bom, header, prop::collection::vec(line(), 0..10))
        .prop_map(|(bom, header, lines)| format!("{bom}{header}{}", lines.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_reads_as_the_csv_crate_reads_it(text in csv_text()) {
        let expected = read_csv_crate(text.as_bytes());
        for (block_bytes, workers) in [(1, 0), (7, 2), (16, 1), (BLOCK_BYTES, 0)] {
            let options = Options { block_bytes, workers };
            prop_assert_eq!(read_fast(text.as_bytes(), options), expected.clone(), "{:?}", options);
        }
    }
}

/// A stream that fails, as corrupt data, after its first `good` bytes.
struct FailingAfter<'a> {
    text: &'a [u8],
    good: usize,
}

impl Read for FailingAfter<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        if self.good == 0 {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "bad sector"));
        }
        let count = buffer.len().min(self.good).min(self.text.len());
        buffer[..count].copy_from_slice(&self.text[..count]);
        self.text = &self.text[count..];
        self.good -= count;
        Ok(count)
    }
}

#[test]
fn a_read_failure_names_the_line_it_stopped_at_after_the_blocks_before_it() {
    let mut text = String::new();
    for row in 0..100 {
        writeln!(text, "{},1,2,3,4", row % 4).unwrap();
    }
    let read = |text: &str, good: usize, workers: usize| {
        let mut callback = |_| true;
        let mut progress = Progress::new(&mut callback, "v.csv");
        let input = FailingAfter {
            text: text.as_bytes(),
            good,
        };
        let options = Options {
            block_bytes: 64,
            workers,
        };
        outcome(read_rows(
            input,
            "v.csv",
            &classes(),
            &mut progress,
            options,
        ))
    };
    // Lines of 10 bytes in blocks of 64 bytes: blocks of 6 lines, the 4 bytes after them
    // carried to the next block. The read that fails fills the block after line 54.
    for workers in [0, 2] {
        assert_eq!(
            read(&text, 600, workers),
            Err("v.csv: line 55 is corrupt: bad sector".to_owned())
        );
    }
    // A wrong record before the failure comes first in the file, so it is the one reported.
    let wrong = text.replacen("3,1,2,3,4\n", "3,1,2,x,4\n", 1);
    for workers in [0, 2] {
        assert_eq!(
            read(&wrong, 600, workers),
            Err("v.csv: line 4, column 4 (class3): 'x' is not a number".to_owned())
        );
    }
}
