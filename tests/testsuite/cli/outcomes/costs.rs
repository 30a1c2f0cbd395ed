//! `outcomes --decision cost --costs`, `tune --objective min-cost` and `export --to numpy` with
//! costs, as a script calls them: the numbers of `tests/data/costs.npz` (numpy's, from
//! `tests/data/make_costs.py`), the JSON keys, and every bad matrix with the place it names.

use std::path::Path;

use super::{ROOT, path_str, temp_file};
use crate::common;

/// The fixture's classes and trained-with weights; `extra` is added to the preset (a `costs`
/// block).
fn preset(extra: &str) -> tempfile::NamedTempFile {
    temp_file(
        ".ron",
        &format!(
            r#"(
    version: 1,
    name: "costs",
    classes: [
        (name: "a", count: 260, weight: 1.0),
        (name: "b", count: 10, weight: 2.0),
        (name: "c", count: 56, weight: 1.5),
        (name: "debris", count: 500, weight: 0.5),
    ],
    debris: 3,
    {extra}
)"#
        ),
    )
}

const COSTS: &str = "0,2,2,4;2,0,3,6;1,1,0,3;1,6,2,0";

/// The same costs as a preset's block.
const COSTS_BLOCK: &str = "costs: [[0, 2, 2, 4], [2, 0, 3, 6], [1, 1, 0, 3], [1, 6, 2, 0]],";

fn data() -> String {
    format!("{ROOT}/tests/data/costs.npz")
}

fn outcomes(preset: &Path, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = ["outcomes", &data(), "--preset", path_str(preset)]
        .map(str::to_owned)
        .to_vec();
    args.extend(extra.iter().map(|&a| a.to_owned()));
    args
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn the_json_has_the_decision_and_the_cost_block() {
    let file = preset("");
    let args = outcomes(
        file.path(),
        &[
            "--costs",
            COSTS,
            "--decision",
            "cost",
            "--temperature",
            "1.3",
            "--format",
            "json",
        ],
    );
    let json = common::json_of(&strs(&args));
    assert_eq!(json["decision"], "cost");
    let cost = &json["cost"];
    // numpy: argmin(P @ C) at T = 1.3 costs 18 on the 60 samples.
    assert_eq!(cost["total"], 18.0);
    assert_eq!(cost["cost_rule_total"], 18.0);
    assert_eq!(cost["mean"], 0.3);
    assert_eq!(cost["matrix"][3], serde_json::json!([1.0, 6.0, 2.0, 0.0]));
    assert!(cost["weights_equivalent"].is_null());
    assert_eq!(cost["nearest_weights"].as_array().unwrap().len(), 4);
    assert!(cost["agreement"].as_f64().unwrap() > 0.5);
    assert!(cost.get("deployed").is_none(), "no deployment prior");
    for key in [
        "baseline_total",
        "weights_total",
        "agreeing_samples",
        "margins",
    ] {
        assert!(cost.get(key).is_some(), "{key}");
    }
    // `current` holds the cost rule's metrics: its confusion sums to the 60 samples.
    let total: u64 = json["current"]["confusion"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap().iter().map(|v| v.as_u64().unwrap()))
        .sum();
    assert_eq!(total, 60);
    // Without --decision the weights decide, and the costs are still reported.
    let args = outcomes(file.path(), &["--costs", COSTS, "--format", "json"]);
    let weights = common::json_of(&strs(&args));
    assert_eq!(weights["decision"], "weights");
    assert_eq!(weights["cost"]["total"], weights["cost"]["weights_total"]);
}

#[test]
fn the_presets_costs_decide_by_default_and_row_constant_costs_have_their_weights() {
    let file = preset(COSTS_BLOCK);
    let args = outcomes(
        file.path(),
        &[
            "--decision",
            "cost",
            "--temperature",
            "1.3",
            "--format",
            "json",
        ],
    );
    assert_eq!(common::json_of(&strs(&args))["cost"]["total"], 18.0);
    // Each row constant: the weights 3, 1, 2, 4 scaled so debris keeps 0.5.
    let args = outcomes(
        file.path(),
        &[
            "--costs",
            "0,3,3,3;1,0,1,1;2,2,0,2;4,4,4,0",
            "--format",
            "json",
        ],
    );
    let json = common::json_of(&strs(&args));
    assert_eq!(
        json["cost"]["weights_equivalent"],
        serde_json::json!([0.375, 0.125, 0.25, 0.5])
    );
    assert_eq!(json["cost"]["agreement"], 1.0);
    let table = common::stdout_of(&strs(&outcomes(
        file.path(),
        &["--costs", "0,3,3,3;1,0,1,1;2,2,0,2;4,4,4,0"],
    )));
    assert!(
        table.contains("Every row is constant off the diagonal: the weights 0.375,0.125,0.25,0.5 decide exactly as the costs"),
        "{table}"
    );
}

#[test]
fn every_bad_matrix_is_exit_2_naming_the_row_and_column() {
    let file = preset("");
    for (costs, expected) in [
        (
            "0,1,1,1;1,0,1,1;1,1,0,1",
            "--costs: the matrix: 3 rows, expected 4 (one per class)",
        ),
        (
            "0,1,1,1;1,0,1;1,1,0,1;1,1,1,0",
            "--costs: row 2 (true b): 3 entries, expected 4 (one per class)",
        ),
        (
            "0,1,1,1;1,0,-2,1;1,1,0,1;1,1,1,0",
            "--costs: row 2, column 3 (b called c): -2, expected a finite cost >= 0",
        ),
        (
            "0,1,1,1;1,0,1,1;1,1,0,NaN;1,1,1,0",
            "--costs: row 3, column 4 (c called debris): NaN, expected a finite cost >= 0",
        ),
        (
            "0,1,1,1;1,0,1,1;1,1,0,1;inf,1,1,0",
            "--costs: row 4, column 1 (debris called a): inf, expected a finite cost >= 0",
        ),
        (
            "0,1,1,1;1,5,1,1;1,1,0,1;1,1,1,0",
            "--costs: row 2, column 2 (b called b): 5, expected 0 on the diagonal",
        ),
        (
            "0,1,1,1;1,0,1,1;1,1,0,x;1,1,1,0",
            "--costs: row 3, column 4: \"x\", expected a number",
        ),
    ] {
        refused(&strs(&outcomes(file.path(), &["--costs", costs])), expected);
    }
    let bad = preset("costs: [[0, 1, 1, 1], [1, 0, 1, 1], [1, 1, 0, 1], [1, 1, -1, 0]],");
    refused(
        &strs(&outcomes(bad.path(), &[])),
        "costs[3][2]: -1, expected a finite cost >= 0",
    );
    refused(
        &strs(&outcomes(file.path(), &["--decision", "cost"])),
        "--decision cost: needs a cost matrix",
    );
    refused(
        &strs(&outcomes(
            file.path(),
            &["--costs", COSTS, "--decision", "cost", "--sweep"],
        )),
        "--decision cost: not with --sweep",
    );
}

/// `args` fails with exit 2 and a message that says `expected`.
#[track_caller]
fn refused(args: &[&str], expected: &str) {
    let (code, stderr) = common::failure_of(args);
    assert_eq!(code, 2, "{args:?}: {stderr}");
    assert!(stderr.contains(expected), "{args:?}: {stderr}");
}

#[test]
fn tune_min_cost_and_its_refusal_without_costs() {
    let file = preset("");
    let args = [
        "tune",
        &data(),
        "--preset",
        path_str(file.path()),
        "--objective",
        "min-cost",
        "--costs",
        COSTS,
        "--temperature",
        "1.3",
        "--format",
        "json",
    ];
    let json = common::json_of(&args);
    assert_eq!(json["objective"], "min-cost");
    let (value, baseline) = (
        json["value"].as_f64().unwrap(),
        json["baseline_value"].as_f64().unwrap(),
    );
    assert!(value <= baseline, "{value} > {baseline}");
    refused(&args[..6], "--objective min-cost: needs a cost matrix");
}

#[test]
fn numpy_export_carries_the_cost_rule() {
    let file = preset(COSTS_BLOCK);
    let code = common::stdout_of(&["export", path_str(file.path()), "--to", "numpy"]);
    assert!(code.contains("costs = np.array([[0.0, 2.0, 2.0, 4.0], [2.0, 0.0, 3.0, 6.0], [1.0, 1.0, 0.0, 3.0], [1.0, 6.0, 2.0, 0.0]])"), "{code}");
    assert!(
        code.contains("trained_with = np.array([1.0, 2.0, 1.5, 0.5])"),
        "{code}"
    );
    assert!(
        code.contains("return np.argmin(p @ costs, axis=1)"),
        "{code}"
    );
    let plain = preset("");
    let code = common::stdout_of(&["export", path_str(plain.path()), "--to", "numpy"]);
    assert!(!code.contains("decide_by_cost"), "{code}");
    // With a deployment prior, the training shares are summed by numpy in floats: counts that
    // would overflow an integer sum (the soak found it) export as they are.
    let huge = temp_file(
        ".ron",
        r#"(
    version: 1,
    name: "huge counts",
    classes: [
        (name: "a", count: 18446744073709551615, weight: 1.0),
        (name: "debris", count: 18446744073709551615, weight: 1.0),
    ],
    debris: 1,
    validation: (deploy_prior: [0.5, 0.5]),
    costs: [[0, 1], [2, 0]],
)"#,
    );
    let code = common::stdout_of(&["export", path_str(huge.path()), "--to", "numpy"]);
    assert!(
        code.contains("train_share = np.array([18446744073709551615, 18446744073709551615], dtype=np.float64)\ntrain_share /= train_share.sum()"),
        "{code}"
    );
    assert!(code.contains("def decide_by_cost(logits, temperature=1.0, prior_correction=False):"));
}

/// The exported `decide_by_cost` run by numpy on the fixture decides as numpy's reference, with
/// and without the prior correction.
#[test]
#[ignore = "needs numpy: pip install numpy"]
fn the_exported_cost_rule_runs_in_numpy() {
    let file = preset(&format!(
        "{COSTS_BLOCK} validation: (deploy_prior: [0.2, 0.1, 0.2, 0.5], trained_with: [1.0, 2.0, 1.5, 0.5]),"
    ));
    let code = common::stdout_of(&["export", path_str(file.path()), "--to", "numpy"]);
    let script = format!(
        "import numpy as np\n{code}\nd = np.load({:?})\nprint(decide_by_cost(d['logits'], temperature=1.3).tolist())\nprint(decide_by_cost(d['logits'], prior_correction=True).tolist())\n",
        data()
    );
    let output = std::process::Command::new("python3")
        .args(["-c", &script])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8(output.stdout).unwrap();
    let list = |values: &[u32]| {
        let items: Vec<String> = values.iter().map(u32::to_string).collect();
        format!("[{}]", items.join(", "))
    };
    let expected = format!(
        "{}\n{}\n",
        list(&crate::outcomes::costs::NUMPY_T13),
        list(&crate::outcomes::costs::NUMPY_PRIOR)
    );
    assert_eq!(printed, expected);
}
