//! `weightbench simulate` and `weightbench train` as a script calls them: the JSON contracts,
//! identical bytes for identical arguments, exported data refitted by `train`, exit codes and
//! messages, and the examples in docs/cli.md byte for byte. Small arguments keep a debug build
//! fast.

use crate::common;

use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const NOTEBOOK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/presets/notebook.ron");
const SMALL: [&str; 6] = ["--samples", "300", "--seeds", "2", "--steps", "5"];

fn simulate_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["simulate", NOTEBOOK];
    args.extend(SMALL);
    args.extend(extra);
    args
}

/// An object's keys, sorted (`serde_json`'s map keeps them sorted).
fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

fn sorted(mut names: Vec<&str>) -> Vec<&str> {
    names.sort_unstable();
    names
}

#[test]
fn simulate_json_has_the_contracts_keys_and_the_same_bytes_twice() {
    let args = simulate_args(&["--format", "json"]);
    let text = common::stdout_of(&args);
    assert_eq!(
        common::stdout_of(&args),
        text,
        "identical arguments, identical bytes"
    );
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        keys(&json),
        sorted(vec!["debris_weight", "retrained", "preview"])
    );
    assert_eq!(
        json["debris_weight"],
        serde_json::json!([0.0, 0.5, 1.0, 1.5, 2.0])
    );
    for curves in ["retrained", "preview"] {
        for key in [
            "false_positives_from_debris",
            "false_negatives_to_debris",
            "recall",
            "precision",
        ] {
            let points = json[curves][key].as_array().unwrap();
            assert_eq!(points.len(), 5, "{curves}.{key}");
            assert!(
                points.iter().all(|p| p.as_array().unwrap().len() == 4),
                "{curves}.{key}"
            );
        }
    }
}

#[test]
fn simulate_csv_has_one_row_per_grid_point_and_named_columns() {
    let text = common::stdout_of(&simulate_args(&[]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "debris_weight,retrained_fp_class1,retrained_fp_class2,retrained_fp_class3,\
         retrained_fn_class1,retrained_fn_class2,retrained_fn_class3,preview_fp_class1,\
         preview_fp_class2,preview_fp_class3,preview_fn_class1,preview_fn_class2,preview_fn_class3"
    );
    assert_eq!(lines.len(), 6);
    assert!(lines[1..].iter().all(|line| line.split(',').count() == 13));
    // The CSV's retrained counts are the JSON's medians.
    let json = common::json_of(&simulate_args(&["--format", "json"]));
    let first: Vec<&str> = lines[2].split(',').collect();
    assert_eq!(
        first[1].parse::<f64>().unwrap(),
        json["retrained"]["false_positives_from_debris"][1][0]
            .as_f64()
            .unwrap()
    );
}

#[test]
fn written_data_refits_with_train() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("sim.csv");
    let path = path.to_str().unwrap();
    common::stdout_of(&simulate_args(&["--write-data", path]));
    let written = std::fs::read_to_string(path).unwrap();
    assert!(written.starts_with("label,x1,x2\n"));
    let rows = written.lines().count() - 1;
    // The example file in docs/cli.md is this file.
    assert_eq!(
        written,
        std::fs::read_to_string(format!("{ROOT}/presets/simulator-example.csv")).unwrap()
    );

    let json = common::json_of(&["train", path, "--preset", NOTEBOOK, "--format", "json"]);
    assert_eq!(
        keys(&json),
        sorted(vec![
            "model",
            "classes",
            "features",
            "weights",
            "bias",
            "objective",
            "iterations",
            "converged",
            "fit_seconds",
            "train"
        ])
    );
    assert_eq!(json["model"], "softmax");
    assert_eq!(json["features"], 2);
    assert_eq!(json["converged"], true);
    let weights = json["weights"].as_array().unwrap();
    assert_eq!(weights.len(), 4);
    assert!(weights.iter().all(|row| row.as_array().unwrap().len() == 2));
    assert_eq!(json["bias"].as_array().unwrap().len(), 4);
    assert!(json["fit_seconds"].as_f64().unwrap() >= 0.0);
    let confusion_total: u64 = json["train"]["confusion"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap())
        .map(|count| count.as_u64().unwrap())
        .sum();
    assert_eq!(usize::try_from(confusion_total).unwrap(), rows);
    for key in [
        "precision",
        "recall",
        "f1",
        "accuracy",
        "balanced_accuracy",
        "macro_f1",
        "false_positives_from_debris",
        "false_negatives_to_debris",
    ] {
        assert!(json["train"].get(key).is_some(), "train.{key}");
    }

    let mlp = common::json_of(&[
        "train", path, "--preset", NOTEBOOK, "--model", "mlp", "--epochs", "3", "--hidden", "4",
        "--format", "json",
    ]);
    assert_eq!(mlp["model"], "mlp");
    assert!(mlp["weights"].is_null() && mlp["converged"].is_null());
    assert_eq!(mlp["layers"].as_array().unwrap().len(), 3);
    assert_eq!(mlp["layers"][2]["weights"].as_array().unwrap().len(), 4);
}

#[test]
fn errors_name_the_flag_or_the_file_with_their_exit_codes() {
    for (extra, message) in [
        (
            ["--samples", "0"],
            "weightbench: --samples: 0, expected 1 to 1000000\n",
        ),
        (
            ["--seeds", "0"],
            "weightbench: --seeds: 0, expected at least 1\n",
        ),
        (
            ["--overlap", "2"],
            "weightbench: --overlap: 2, expected a number from 0 to 1\n",
        ),
        (
            ["--l2", "-1"],
            "weightbench: --l2: -1, expected a finite number >= 0\n",
        ),
    ] {
        let mut args = vec!["simulate", NOTEBOOK];
        args.extend(extra);
        assert_eq!(
            common::failure_of(&args),
            (2, message.to_owned()),
            "{extra:?}"
        );
    }
    assert_eq!(
        common::failure_of(&["train", "nope.csv", "--preset", NOTEBOOK]),
        (
            1,
            "weightbench: cannot read nope.csv: No such file or directory (os error 2)\n"
                .to_owned()
        )
    );
    let folder = tempfile::tempdir().unwrap();
    let bad = folder.path().join("bad.csv");
    std::fs::write(&bad, "label,x1\n0,1.5\n7,2\n").unwrap();
    let (code, stderr) =
        common::failure_of(&["train", bad.to_str().unwrap(), "--preset", NOTEBOOK]);
    assert_eq!(code, 2);
    assert!(
        stderr.ends_with(
            "bad.csv: line 3, column 1 (label): \"7\", expected a class index from 0 to 3 or a \
             class name (class1, class2, class3, class4 (debris))\n"
        ),
        "{stderr}"
    );
    let missing = folder.path().join("no/such/folder/out.csv");
    let (code, stderr) =
        common::failure_of(&simulate_args(&["--write-data", missing.to_str().unwrap()]));
    assert_eq!(code, 1);
    assert!(stderr.starts_with("weightbench: cannot write "), "{stderr}");
}

#[test]
fn the_cli_reference_examples_print_what_it_shows() {
    let examples = common::doc_examples("docs/cli.md", &["simulate", "train"]);
    assert!(examples.len() >= 4, "{}", examples.len());
    for (args, expected) in examples {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        if expected.starts_with("weightbench: ") {
            let (code, stderr) = common::failure_of(&args);
            assert!(code == 1 || code == 2, "{code}");
            assert_eq!(stderr, expected, "weightbench {}", args.join(" "));
        } else {
            assert_eq!(
                common::stdout_of(&args),
                expected,
                "weightbench {}",
                args.join(" ")
            );
        }
    }
}
