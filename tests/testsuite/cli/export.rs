//! `weightbench export`: each target's snippet exactly, parsed by Python (an ignored test: it
//! needs python3), and the export examples in docs/cli.md byte for byte.
use super::*;

/// Whether Python parses `code`; fails the test, saying what to install, where python3 does not
/// run.
fn python_accepts(code: &str) -> bool {
    let check = "import ast, sys\nast.parse(sys.stdin.read())";
    let mut child = match Command::new("python3")
        .args(["-c", check])
        .stdin(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(error) => panic!("python3 does not run here ({error}): install Python 3"),
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(code.as_bytes())
        .unwrap();
    child.wait().unwrap().success()
}

/// The notebook with a summed, smoothed loss, whose snippets the tests below check.
fn smoothed_notebook() -> String {
    std::fs::read_to_string(NOTEBOOK).unwrap().replace(
        "sweep: (from: 0.0, to: 2.0, steps: 201),",
        "sweep: (from: 0.0, to: 2.0, steps: 201),\n    loss: (reduction: Sum, label_smoothing: 0.1),",
    )
}

/// The lines that end the PyTorch (`keras: false`) and Keras snippets: `save_run`, which saves a
/// validation pass as a run file with these `class_weights`, atomically.
fn run_writer(debris: &str, weights: &str, keras: bool) -> String {
    let to_numpy = if keras {
        "keras.ops.convert_to_numpy(x)"
    } else {
        "x.detach().cpu().numpy() if hasattr(x, \"detach\") else x"
    };
    format!(
        "\n# After validation: save_run(\"runs/debris-{debris}-seed0.npz\", val_logits, val_labels, seed=0, epoch=40)
# writes a run for weightbench (weightbench runs FOLDER, or weightbench --watch FOLDER).
import os
import numpy as np
def save_run(path, logits, labels, seed=None, epoch=None):
    to_numpy = lambda x: np.asarray({to_numpy})
    extra = {{name: value for name, value in ((\"seed\", seed), (\"epoch\", epoch)) if value is not None}}
    temporary = os.path.join(os.path.dirname(path) or \".\", \".\" + os.path.basename(path) + \".tmp\")
    with open(temporary, \"wb\") as f:
        np.savez(f, logits=to_numpy(logits).astype(np.float32), labels=to_numpy(labels),
                 class_weights=np.array({weights}), **extra)
    os.replace(temporary, path)
"
    )
}

/// `weightbench export - --to target` on `text`.
fn export_of(text: &str, target: &str) -> String {
    stdout(&weightbench_with_stdin(
        &["export", "-", "--to", target],
        text,
    ))
}

#[test]
fn exported_snippets_are_exact() {
    let text = smoothed_notebook();
    let export = |target: &str| export_of(&text, target);
    let weights = "[0.8, 26.0, 4.0, 0.4]";
    assert_eq!(
        export("pytorch"),
        format!(
            "loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor([0.8, 26.0, 4.0, 0.4]), label_smoothing=0.1, reduction='sum')\n{}",
            run_writer("0.4", weights, false)
        )
    );
    // Keras has no PyTorch-style smoothing: its nearest form, and both sums on the scenarios.
    let sum_under = |convention: &str| {
        let text = text.replace("loss: (", &format!("loss: (convention: {convention}, "));
        let report: Value = serde_json::from_str(&stdout(&weightbench_with_stdin(
            &["eval", "-", "--format", "json"],
            &text,
        )))
        .unwrap();
        report["batch"]["sum"].as_f64().unwrap()
    };
    let (ours, theirs) = (sum_under("PyTorch"), sum_under("Keras"));
    assert_eq!(
        export("keras"),
        format!(
            "# weightbench follows PyTorch's convention here: label smoothing weighs each class's share of the target by\n\
             # that class's weight. No Keras loss does; the nearest, below, is Keras' loss of a sample times its class's weight.\n\
             # On this preset's 11 scenarios weightbench (PyTorch's convention) gives a sum of {ours:?}; this Keras form gives {theirs:?}.\n\
             # Targets one-hot; fit(..., class_weight=class_weight) multiplies each sample's loss by its class's weight.\n\
             class_weight = {{0: 0.8, 1: 26.0, 2: 4.0, 3: 0.4}}\n\
             loss_fn = keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1, reduction=\"sum\")\n{}",
            run_writer("0.4", weights, true)
        )
    );
    assert_eq!(
        export("sklearn"),
        "class_weight = {0: 0.8, 1: 26.0, 2: 4.0, 3: 0.4}\n"
    );
    assert_eq!(
        export("numpy"),
        "class_weights = np.array([0.8, 26.0, 4.0, 0.4])\n"
    );
}

#[test]
#[ignore = "needs python3"]
fn exported_snippets_parse_as_python() {
    let text = smoothed_notebook();
    for target in ["pytorch", "keras", "sklearn", "numpy"] {
        let snippet = export_of(&text, target);
        assert!(python_accepts(&snippet), "{target}: {snippet}");
    }
}

#[test]
fn the_cli_reference_export_examples_print_what_it_shows() {
    let examples = common::doc_examples("docs/cli.md", &["export"]);
    assert!(examples.len() >= 2, "{}", examples.len());
    for (args, expected) in examples {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(
            common::stdout_of(&args),
            expected,
            "weightbench {}",
            args.join(" ")
        );
    }
}
