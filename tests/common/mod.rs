//! The seed notebook's printed numbers, verbatim, and reference values computed apart from
//! weightbench (mpmath at 60 digits on the exact binary value of every input, then rounded to f64).
#![allow(
    clippy::unwrap_used,
    reason = "a test that cannot unwrap should fail loudly, right there"
)]
#![allow(
    clippy::float_cmp,
    reason = "exact equality is what these tests assert"
)]
#![allow(
    clippy::unreadable_literal,
    reason = "golden values are written exactly as printed, to be compared by eye"
)]
#![allow(dead_code, reason = "each test binary uses a different part")]

pub mod writers;

/// One case the notebook evaluates before its "Ideas" section.
pub struct NotebookCase {
    pub truth: usize,
    pub logits: [f64; 4],
    /// `print(p)` as the notebook shows it.
    pub printed_probabilities: [&'static str; 4],
    /// `print(l)` as the notebook shows it.
    pub printed_loss: f64,
    /// The exact loss (mpmath), rounded to f64.
    pub exact_loss: f64,
    /// The exact gradient `w[y] (p - onehot(y))` (mpmath), rounded to f64.
    pub exact_gradient: [f64; 4],
}

pub const NOTEBOOK_WEIGHTS: [f64; 4] = [0.8, 26.0, 4.0, 0.4];

pub const NOTEBOOK_CASES: [NotebookCase; 11] = [
    NotebookCase {
        truth: 0,
        logits: [10.0, 0.1, 0.1, 0.1],
        printed_probabilities: [
            "9.99849499e-01",
            "5.01671307e-05",
            "5.01671307e-05",
            "5.01671307e-05",
        ],
        printed_loss: 0.00012041017484880806,
        exact_loss: 0.00012041017484879393,
        exact_gradient: [
            -0.00012040111367202762,
            4.013370455734254e-05,
            4.013370455734254e-05,
            4.013370455734254e-05,
        ],
    },
    NotebookCase {
        truth: 1,
        logits: [0.1, 10.0, 0.1, 0.1],
        printed_probabilities: [
            "5.01671307e-05",
            "9.99849499e-01",
            "5.01671307e-05",
            "5.01671307e-05",
        ],
        printed_loss: 0.003913330682586261,
        exact_loss: 0.003913330682585803,
        exact_gradient: [
            0.0013043453981136325,
            -0.0039130361943408975,
            0.0013043453981136325,
            0.0013043453981136325,
        ],
    },
    NotebookCase {
        truth: 2,
        logits: [0.1, 0.1, 10.0, 0.1],
        printed_probabilities: [
            "5.01671307e-05",
            "5.01671307e-05",
            "9.99849499e-01",
            "5.01671307e-05",
        ],
        printed_loss: 0.0006020508742440402,
        exact_loss: 0.0006020508742439696,
        exact_gradient: [
            0.0002006685227867127,
            0.0002006685227867127,
            -0.0006020055683601381,
            0.0002006685227867127,
        ],
    },
    NotebookCase {
        truth: 3,
        logits: [0.1, 0.1, 0.1, 10.0],
        printed_probabilities: [
            "5.01671307e-05",
            "5.01671307e-05",
            "5.01671307e-05",
            "9.99849499e-01",
        ],
        printed_loss: 6.020508742440403e-05,
        exact_loss: 6.020508742439696e-05,
        exact_gradient: [
            2.006685227867127e-05,
            2.006685227867127e-05,
            2.006685227867127e-05,
            -6.020055683601381e-05,
        ],
    },
    NotebookCase {
        truth: 0,
        logits: [10.0, 8.0, 0.1, 0.1],
        printed_probabilities: [
            "8.80719233e-01",
            "1.19192387e-01",
            "4.41898075e-05",
            "4.41898075e-05",
        ],
        printed_loss: 0.10161311565097696,
        exact_loss: 0.10161311565097693,
        exact_gradient: [
            -0.09542461322303833,
            0.09535390953100605,
            3.53518460161408e-05,
            3.53518460161408e-05,
        ],
    },
    NotebookCase {
        truth: 0,
        logits: [10.0, 0.1, 0.1, 0.8],
        printed_probabilities: [
            "9.99798652e-01",
            "5.01645795e-05",
            "5.01645795e-05",
            "1.01019058e-04",
        ],
        printed_loss: 0.00016109479196323826,
        exact_loss: 0.00016109479196328914,
        exact_gradient: [
            -0.00016107857334444843,
            4.013166357873662e-05,
            4.013166357873662e-05,
            8.081524618697519e-05,
        ],
    },
    NotebookCase {
        truth: 0,
        logits: [10.0, 8.0, 5.0, 0.1],
        printed_probabilities: [
            "8.75562129e-01",
            "1.18494449e-01",
            "5.89949122e-03",
            "4.39310514e-05",
        ],
        printed_loss: 0.10631133259521273,
        exact_loss: 0.10631133259521271,
        exact_gradient: [
            -0.09955029679335838,
            0.09479555897647214,
            0.004719592975731497,
            3.51448411547356e-05,
        ],
    },
    NotebookCase {
        truth: 0,
        logits: [10.0, 8.0, 5.0, 5.0],
        printed_probabilities: ["0.87046507", "0.11780464", "0.00586515", "0.00586515"],
        printed_loss: 0.11098211900127541,
        exact_loss: 0.11098211900127543,
        exact_gradient: [
            -0.10362794525935985,
            0.0942437092663865,
            0.004692117996486677,
            0.004692117996486677,
        ],
    },
    NotebookCase {
        truth: 0,
        logits: [10.0, 9.0, 9.0, 9.0],
        printed_probabilities: ["0.47536689", "0.1748777", "0.1748777", "0.1748777"],
        printed_loss: 0.5949347045029433,
        exact_loss: 0.5949347045029434,
        exact_gradient: [
            -0.4197064908650627,
            0.13990216362168756,
            0.13990216362168756,
            0.13990216362168756,
        ],
    },
    NotebookCase {
        truth: 3,
        logits: [10.0, 0.1, 0.1, 5.0],
        printed_probabilities: [
            "9.93208148e-01",
            "4.98339031e-05",
            "4.98339031e-05",
            "6.69218386e-03",
        ],
        printed_loss: 2.0027260085049603,
        exact_loss: 2.0027260085049603,
        exact_gradient: [
            0.3972832593325469,
            1.993356122325158e-05,
            1.993356122325158e-05,
            -0.3973231264549934,
        ],
    },
    NotebookCase {
        truth: 3,
        logits: [10.0, 0.1, 0.1, 0.1],
        printed_probabilities: [
            "9.99849499e-01",
            "5.01671307e-05",
            "5.01671307e-05",
            "5.01671307e-05",
        ],
        printed_loss: 3.9600602050874247,
        exact_loss: 3.9600602050874247,
        exact_gradient: [
            0.399939799443164,
            2.006685227867127e-05,
            2.006685227867127e-05,
            -0.39997993314772134,
        ],
    },
];

/// The "Ideas" cells: case 11's loss with the debris weight set to 1 and to 0.8.
pub const IDEAS: [(f64, f64); 2] = [(1.0, 9.900150512718561), (0.8, 7.9201204101748495)];

/// All 11 cases as one batch under the notebook weights (mpmath): sum and PyTorch mean.
pub const EXACT_BATCH_SUM: f64 = 6.881484576953859;
pub const EXACT_BATCH_MEAN: f64 = 0.19115234935982942;
/// Keras' mean of the same batch: the sum divided by the 11 samples (mpmath).
pub const EXACT_BATCH_MEAN_PER_SAMPLE: f64 = 0.6255895069958054;

/// Half a unit in the last digit of a number as printed (`9.99849499e-01`, `0.1748777`).
pub fn printed_tolerance(printed: &str) -> f64 {
    let (mantissa, exponent) = printed.split_once('e').unwrap_or((printed, "0"));
    let decimals = mantissa.split_once('.').map_or(0, |(_, d)| d.len());
    let exponent: i32 = exponent.parse().unwrap();
    0.5 * 10f64.powi(exponent - i32::try_from(decimals).unwrap())
}

/// Checks `actual` against a number as printed, to the digits printed.
pub fn assert_matches_printed(actual: f64, printed: &str, what: &str) {
    let expected: f64 = printed.parse().unwrap();
    let tolerance = printed_tolerance(printed) * (1.0 + 1e-9);
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: {actual:e} does not round to the printed {printed} (tolerance {tolerance:e})"
    );
}

/// Relative difference `|a - b| / |b|` (absolute when `b` is 0).
pub fn relative_error(actual: f64, expected: f64) -> f64 {
    if expected == 0.0 {
        actual.abs()
    } else {
        ((actual - expected) / expected).abs()
    }
}

/// Distance in units in the last place between two finite doubles of the same sign.
pub fn ulps(a: f64, b: f64) -> u64 {
    assert_eq!(
        a.is_sign_negative(),
        b.is_sign_negative(),
        "{a} and {b} differ in sign"
    );
    a.abs().to_bits().abs_diff(b.abs().to_bits())
}

/// The `$ weightbench COMMAND ...` examples of the document at `doc` (relative to the project's
/// root) in ```` ```text ```` blocks whose COMMAND is one of `commands`, each with the output
/// printed under it.
pub fn doc_examples(doc: &str, commands: &[&str]) -> Vec<(Vec<String>, String)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(doc);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    let mut examples: Vec<(Vec<String>, String)> = Vec::new();
    let mut in_text = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_text = line == "```text";
            continue;
        }
        if !in_text {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ weightbench ") {
            let args: Vec<String> = command.split_whitespace().map(str::to_owned).collect();
            examples.push((args, String::new()));
        } else if line.starts_with("$ ") {
            in_text = false;
        } else if let Some((_, output)) = examples.last_mut() {
            output.push_str(line);
            output.push('\n');
        }
    }
    examples
        .into_iter()
        .filter(|(args, _)| commands.contains(&args[0].as_str()))
        .collect()
}

/// Runs every example of `doc` for `commands` (at least `minimum` of them) and checks that each
/// prints what the document shows: standard output, or for an example whose output starts
/// with `weightbench: `, the error on standard error (exit 1 or 2).
#[track_caller]
pub fn assert_doc_examples(doc: &str, commands: &[&str], minimum: usize) {
    let examples = doc_examples(doc, commands);
    assert!(examples.len() >= minimum, "{}", examples.len());
    for (args, expected) in examples {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        if expected.starts_with("weightbench: ") {
            let (code, stderr) = failure_of(&args);
            assert!(code == 1 || code == 2, "{code}");
            assert_eq!(stderr, expected, "weightbench {}", args.join(" "));
        } else {
            assert_eq!(stdout_of(&args), expected, "weightbench {}", args.join(" "));
        }
    }
}

/// Runs the `weightbench` binary from the project's root with `args` and no standard input.
pub fn run_weightbench(args: &[&str]) -> std::process::Output {
    weightbench_command(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

/// Runs the `weightbench` binary from the project's root with `args`, `stdin` as its standard
/// input (for `PRESET` `-`).
pub fn run_weightbench_with_stdin(args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write as _;
    let mut child = weightbench_command(args)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The binary, from the project's root, with backtraces on (a test asserts none is printed)
/// and its output captured.
fn weightbench_command(args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_weightbench"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("RUST_BACKTRACE", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    command
}

/// What a successful command prints; fails the test with its stderr otherwise.
pub fn stdout_of(args: &[&str]) -> String {
    let output = run_weightbench(args);
    assert!(
        output.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// A successful command's JSON output.
pub fn json_of(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout_of(args)).unwrap()
}

/// A failing command's exit code and stderr: never a panic or a backtrace, nothing on stdout.
pub fn failure_of(args: &[&str]) -> (i32, String) {
    let output = run_weightbench(args);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty(), "nothing on stdout when failing");
    (output.status.code().unwrap(), stderr)
}

/// What a successful command prints when `stdin` is its standard input (for `PRESET` `-`);
/// fails the test with its stderr otherwise.
pub fn stdout_with_stdin(args: &[&str], stdin: &str) -> String {
    let output = run_weightbench_with_stdin(args, stdin);
    assert!(
        output.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}
