//! Every exported PyTorch snippet run in torch.
use super::*;

/// Runs each case's PyTorch snippet after `import torch`; prints one result line per case.
///
/// The default dtype is float64 so that the plain `CrossEntropyLoss(weight=torch.tensor([...]))`
/// holds the very doubles written, as it does in a float64 training; the float32 run is
/// made under float32, as a float32 training has it.
const TORCH_SCRIPT: &str = r#"
import json, sys, traceback
import torch

def run(snippet, logits, targets, dtype):
    torch.set_default_dtype(dtype)
    namespace = {"torch": torch}
    exec(snippet, namespace)
    loss_fn = namespace["loss_fn"]
    if isinstance(loss_fn, torch.nn.Module) and dtype == torch.float64:
        loss_fn = loss_fn.double()
    out = loss_fn(torch.tensor(logits, dtype=dtype), torch.tensor(targets, dtype=torch.int64))
    assert out.dtype == dtype, f"{out.dtype} from {dtype} logits"
    return [repr(v) for v in out.reshape(-1).tolist()]

for index, line in enumerate(open(sys.argv[1])):
    case = json.loads(line)
    try:
        result = {
            "values": run(case["snippet"], case["logits"], case["truths"], torch.float64),
            "values32": run(case["snippet"], case["logits"], case["truths"], torch.float32),
        }
    except Exception:
        result = {"error": traceback.format_exc()}
    result["index"] = index
    print("RESULT " + json.dumps(result), flush=True)
"#;

#[test]
#[ignore = "needs torch: pip install torch"]
fn every_pytorch_snippet_gives_weightbenchs_loss_in_torch() {
    require("import torch", &[], "pip install torch");
    let cases = cases();
    let prepared: Vec<Prepared> = cases
        .iter()
        .map(|case| {
            prepare(
                case,
                &exported(&case.preset, "pytorch"),
                evaluated(&case.preset),
            )
        })
        .collect();
    let inputs: Vec<Value> = prepared.iter().map(|p| p.input.clone()).collect();
    let results = run_python(TORCH_SCRIPT, &inputs, &[]);
    let mut agreement = Agreement::default();
    for ((case, prepared), result) in cases.iter().zip(&prepared).zip(&results) {
        agreement.add(&check(case, prepared, result));
    }
    let plain = inputs
        .iter()
        .filter(|input| {
            input["snippet"]
                .as_str()
                .unwrap()
                .starts_with("loss_fn = torch.nn.CrossEntropyLoss(")
        })
        .count();
    eprintln!(
        "torch: {} snippets run ({plain} CrossEntropyLoss, {} functions); {}",
        cases.len(),
        cases.len() - plain,
        agreement.describe()
    );
}
