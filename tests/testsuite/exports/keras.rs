//! Every exported Keras snippet run in Keras 3 on jax, as `fit(class_weight=...)` calls it.
use super::*;

/// Runs each case's Keras snippet after `import keras`, as `fit(class_weight=...)` would:
/// `loss_fn(onehot, logits, sample_weight=[class_weight[y] for y in labels])`.
const KERAS_SCRIPT: &str = r#"
import json, sys, traceback
import numpy as np
import keras

def run(snippet, logits, labels, classes, floatx):
    keras.config.set_floatx(floatx)
    namespace = {"keras": keras}
    exec(snippet, namespace)
    loss_fn, class_weight = namespace["loss_fn"], namespace["class_weight"]
    assert isinstance(loss_fn, keras.losses.Loss), type(loss_fn)
    onehot = np.eye(classes, dtype=floatx)[labels]
    out = loss_fn(onehot, np.array(logits, dtype=floatx), sample_weight=[class_weight[y] for y in labels])
    assert str(out.dtype) == floatx, f"{out.dtype} under floatx {floatx}"
    values = [repr(float(v)) for v in np.asarray(out, dtype=np.float64).reshape(-1)]
    return values, [repr(class_weight[c]) for c in range(classes)]

for index, line in enumerate(open(sys.argv[1])):
    case = json.loads(line)
    try:
        values, class_weight = run(case["snippet"], case["logits"], case["truths"], case["classes"], "float64")
        values32, _ = run(case["snippet"], case["logits"], case["truths"], case["classes"], "float32")
        result = {"values": values, "values32": values32, "class_weight": class_weight}
    except Exception:
        result = {"error": traceback.format_exc()}
    result["index"] = index
    print("RESULT " + json.dumps(result), flush=True)
"#;

/// The preset under Keras' convention: what the Keras snippet computes where weightbench
/// follows PyTorch's and no Keras loss does.
fn as_keras(preset: &Preset) -> Preset {
    let mut keras = preset.clone();
    keras.loss.convention = Convention::Keras;
    keras
}

fn differs_from_keras(options: &LossOptions) -> bool {
    options.convention == Convention::PyTorch
        && (options.label_smoothing > 0.0 || options.focal_gamma > 0.0)
}

#[test]
#[ignore = "needs keras: pip install keras jax"]
fn every_keras_snippet_gives_weightbenchs_loss_in_keras() {
    let env = [("KERAS_BACKEND", "jax"), ("JAX_ENABLE_X64", "1")];
    require("import keras", &env, "pip install keras jax");
    let cases = cases();
    let mut nearest = 0;
    let prepared: Vec<Prepared> = cases
        .iter()
        .map(|case| {
            let snippet = exported(&case.preset, "keras");
            let expected = if differs_from_keras(&case.preset.loss) {
                nearest += 1;
                check_difference_note(case, &snippet);
                evaluated(&as_keras(&case.preset))
            } else {
                evaluated(&case.preset)
            };
            prepare(case, &snippet, expected)
        })
        .collect();
    let inputs: Vec<Value> = prepared.iter().map(|p| p.input.clone()).collect();
    let results = run_python(KERAS_SCRIPT, &inputs, &env);
    let mut agreement = Agreement::default();
    for ((case, prepared), result) in cases.iter().zip(&prepared).zip(&results) {
        agreement.add(&check(case, prepared, result));
        assert_eq!(
            floats(&result["class_weight"]),
            case.preset.weights(),
            "{}: class_weight",
            case.name
        );
    }
    eprintln!(
        "keras: {} snippets run ({nearest} of them the nearest Keras form to PyTorch's convention); {}",
        cases.len(),
        agreement.describe()
    );
}

/// Under PyTorch's convention with smoothing or focal loss, the Keras snippet's comment gives
/// weightbench's batch loss and the Keras form's (sums for reduction `None`).
fn check_difference_note(case: &Case, snippet: &str) {
    let preset = &case.preset;
    let line = snippet
        .lines()
        .find(|line| line.starts_with("# On this preset's"))
        .unwrap_or_else(|| panic!("{}: no numbers in\n{snippet}", case.name));
    let numbers: Vec<f64> = line
        .split_whitespace()
        .filter_map(|word| word.trim_end_matches(['.', ';', ',']).parse().ok())
        .collect();
    let batch = |preset: &Preset| {
        let values = evaluated(preset);
        if preset.loss.reduction == Reduction::None {
            eval(preset)["batch"]["sum"].as_f64().unwrap()
        } else {
            values[0]
        }
    };
    let said = [numbers[numbers.len() - 2], numbers[numbers.len() - 1]];
    let evaluations = [batch(preset), batch(&as_keras(preset))];
    // The comment prints shortest round-trip doubles; serde_json may read the report's one
    // ulp off, so one ulp is allowed.
    for (said, evaluated) in said.into_iter().zip(evaluations) {
        assert!(
            common::ulps(said, evaluated) <= 1,
            "{}: the comment says {said:?}, eval {evaluated:?}\n{line}",
            case.name
        );
    }
    let count = preset.scenarios.len();
    assert!(
        line.starts_with(&format!("# On this preset's {count} scenario")),
        "{}: {line}",
        case.name
    );
}
