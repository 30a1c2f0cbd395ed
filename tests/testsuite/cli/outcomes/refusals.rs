//! `weightbench outcomes` and `tune` refusing what they cannot use: a missing file is exit 1
//! naming it; bad flags and bad data files are exit 2 with the core's message, naming the file.
use super::*;

#[test]
fn a_missing_file_is_exit_1_naming_it() {
    let small = Small::new();
    let (code, stderr) =
        common::failure_of(&["outcomes", "missing.npz", "--preset", small.preset()]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "weightbench: cannot read missing.npz: No such file or directory (os error 2)\n"
    );
    let (code, stderr) = common::failure_of(&[
        "tune",
        small.csv(),
        "--preset",
        "missing.ron",
        "--objective",
        "macro-f1",
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "weightbench: cannot read missing.ron: No such file or directory (os error 2)\n"
    );
    let (code, stderr) = common::failure_of(&small.args(
        "tune",
        &[
            "--objective",
            "macro-f1",
            "--write",
            "/nonexistent/folder/out.ron",
        ],
    ));
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "weightbench: cannot write /nonexistent/folder/out.ron: No such file or directory (os error 2)\n"
    );
}

#[test]
fn bad_flags_are_exit_2_with_the_cores_message() {
    let small = Small::new();
    let cases: [(&[&str], &str); 12] = [
        (
            &["--trained-with", "1,1,1"],
            "--trained-with: 3 weights, expected 4 (one per class)",
        ),
        (
            &["--trained-with", "1,x,1,1"],
            "--trained-with[1]: \"x\", expected a number (the list is comma separated: 0.8,26,4,0.4)",
        ),
        (
            &["--trained-with", "1,0,1,1"],
            "--trained-with[1]: 0, expected a finite weight > 0",
        ),
        (
            &["--temperature", "abc"],
            "--temperature: \"abc\", expected `fit` or a finite number > 0",
        ),
        (
            &["--temperature", "-1"],
            "--temperature: -1, expected a finite number > 0",
        ),
        (
            &["--temperature", "0"],
            "--temperature: 0, expected a finite number > 0",
        ),
        (
            &["--deploy-prior", "0.5,0.25,0.125,0.0625"],
            "--deploy-prior: sums to 0.9375, expected shares that sum to 1",
        ),
        (
            &["--deploy-prior", "0.5,0.5"],
            "--deploy-prior: 2 shares, expected 4 (one per class)",
        ),
        (
            &["--prior-correction"],
            "--prior-correction: needs a deployment prior (--deploy-prior, or the preset's validation.deploy_prior)",
        ),
        (
            &["--format", "csv"],
            "--format csv: only with --sweep; the outcomes print as table or json",
        ),
        (
            &["--sweep", "--format", "table"],
            "--format table: not with --sweep; the sweep prints as csv or json",
        ),
        (
            &["--sweep", "--from", "2", "--to", "1"],
            "--to: 1 is not above from (2), expected a finite number > 2",
        ),
    ];
    for (extra, message) in cases {
        // `--trained-with` comes first in `args`; a later one would be a clap error, so these
        // cases go without it.
        let mut args = vec!["outcomes", small.csv(), "--preset", small.preset()];
        args.extend_from_slice(extra);
        let (code, stderr) = common::failure_of(&args);
        assert_eq!(
            (code, stderr),
            (2, format!("weightbench: {message}\n")),
            "{extra:?}"
        );
    }
    let tune_cases: [(&[&str], &str); 3] = [
        (
            &["--objective", "macro-f1", "--min-recall", "0.5"],
            "--min-recall: only with the objective fewest-debris-fp, not macro-f1",
        ),
        (
            &["--objective", "fewest-debris-fp", "--min-recall", "1.5"],
            "--min-recall: 1.5, expected a recall from 0 to 1",
        ),
        (
            &["--objective", "macro-f1", "--temperature", "abc"],
            "--temperature: \"abc\", expected `fit` or a finite number > 0",
        ),
    ];
    for (extra, message) in tune_cases {
        let (code, stderr) = common::failure_of(&small.args("tune", extra));
        assert_eq!(
            (code, stderr),
            (2, format!("weightbench: {message}\n")),
            "{extra:?}"
        );
    }
    let (code, stderr) = common::failure_of(&small.args("tune", &["--objective", "bogus"]));
    assert_eq!(code, 2);
    assert!(
        stderr
            .contains("[possible values: balanced-accuracy, macro-f1, fewest-debris-fp, min-cost]"),
        "{stderr}"
    );
    let (code, stderr) = common::failure_of(&small.args("outcomes", &["--from", "1"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("--sweep"), "{stderr}");
}

#[test]
fn bad_data_files_are_exit_2_naming_the_file() {
    let small = Small::new();
    let (code, stderr) = common::failure_of(&["outcomes", "-", "--preset", small.preset()]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "weightbench: DATA: `-` (standard input) is not read for validation outputs; give a file (.npz, .npy with --labels, .safetensors or .csv), whose extension tells its format\n"
    );
    // A class-count mismatch: 4 columns of logits, a preset of 5 classes.
    let five = temp_file(
        ".ron",
        &SMALL_PRESET.replace(
            "(name: \"debris\"",
            "(name: \"e\", count: 1, weight: 1.0),\n        (name: \"debris\"",
        ),
    );
    let npz = stored_npz();
    let (code, stderr) = common::failure_of(&["outcomes", &npz, "--preset", path_str(five.path())]);
    assert_eq!(
        (code, stderr),
        (
            2,
            format!("weightbench: {npz}: logits has 4 columns, the preset has 5 classes\n")
        )
    );
    let bad_label = temp_file(".csv", "label,a,b,c,debris\n5,1,2,3,4\n");
    let (code, stderr) = common::failure_of(&[
        "outcomes",
        path_str(bad_label.path()),
        "--preset",
        small.preset(),
    ]);
    assert_eq!(
        (code, stderr),
        (
            2,
            format!(
                "weightbench: {}: line 2, column 1 (label) is 5, expected a class index from 0 to 3\n",
                path_str(bad_label.path())
            )
        )
    );
    let npy = format!("{ROOT}/tests/data/logits_f32.npy");
    let (code, stderr) = common::failure_of(&["outcomes", &npy, "--preset", &notebook()]);
    assert_eq!(
        (code, stderr),
        (
            2,
            format!(
                "weightbench: {npy}: a .npy holds only the logits; the labels are missing (give them as a second .npy of integers)\n"
            )
        )
    );
    let corrupt = temp_file(".npz", "not a zip archive");
    let (code, stderr) = common::failure_of(&[
        "outcomes",
        path_str(corrupt.path()),
        "--preset",
        &notebook(),
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(&format!("weightbench: {}: ", path_str(corrupt.path()))),
        "{stderr}"
    );
    let (code, stderr) =
        common::failure_of(&["outcomes", small.preset(), "--preset", small.preset()]);
    assert_eq!(
        (code, stderr),
        (
            2,
            format!(
                "weightbench: {}: unknown file type; expected .npz, .npy, .safetensors or .csv\n",
                small.preset()
            )
        )
    );
}
