"""Reference numbers for tests/testsuite/outcomes.rs, computed apart from weightbench.

Run: python3 tests/data/outcomes_reference.py  (numpy, scikit-learn, scipy)
It prints Rust constants; tests/testsuite/outcomes/reference.rs holds a copy of them. The test suite itself never
runs Python.

The data: 60 samples x 4 classes, logits on a grid of halves (so argmax ties are exact),
class 1 absent from the labels, class 3 debris. The current weights give class 2 weight 0 (never
predicted) and keep classes 0 and 1 at their trained weight, so their ties survive the shift.
"""
import numpy as np
from scipy.optimize import brentq, minimize_scalar
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, confusion_matrix, f1_score,
                             precision_recall_fscore_support)

C, N, DEBRIS = 4, 60, 3
labels = np.array([[0, 2, 3, 3, 0, 3][i % 6] for i in range(N)])
z = np.zeros((N, C))
for i in range(N):
    for c in range(C):
        z[i, c] = (((i * (c + 3) * 7) % 9) - 4) * 0.5 + (1.5 if c == labels[i] else 0.0)
        if i % 7 == 3:  # confidently wrong rows, so that no temperature is 0
            z[i, c] = 2.0 if c == (labels[i] + 1) % C else -1.0

weights = np.array([1.0, 1.0, 0.0, 0.5])
trained_with = np.array([1.0, 1.0, 1.0, 1.0])
counts = np.array([260, 10, 56, 500])
deploy_prior = np.array([0.2, 0.05, 0.05, 0.7])
with np.errstate(divide="ignore"):
    shift = np.log(weights / trained_with)
prior_shift = np.log(deploy_prior / (counts / counts.sum()))


def predict(shift, t=1.0):
    return np.argmax(z / t + shift, axis=1)  # numpy: ties to the first index


def metrics(pred):
    lab = list(range(C))
    cm = confusion_matrix(labels, pred, labels=lab)
    p, r, f, _ = precision_recall_fscore_support(labels, pred, labels=lab, zero_division=np.nan)
    # The issue's F1 is undefined when precision or recall is (scikit-learn gives 0 there).
    f = np.where(np.isnan(p) | np.isnan(r), np.nan, f)
    return dict(confusion=cm, precision=p, recall=r, f1=f,
                accuracy=accuracy_score(labels, pred),
                balanced=balanced_accuracy_score(labels, pred),
                macro_f1=f1_score(labels, pred, average="macro", zero_division=0))


def nll(t):
    x = z / t
    m = x.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(x - m).sum(axis=1))
    return np.mean(lse - x[np.arange(N), labels])


def nll_slope(t):  # d nll / dT, for the root that pins T beyond minimize_scalar's sqrt(eps)
    x = z / t
    p = np.exp(x - x.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return np.mean(-((p * z).sum(axis=1) - z[np.arange(N), labels]) / t**2)


def ece(t, bins=15):
    x = z / t
    p = np.exp(x - x.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    conf = p.max(axis=1)
    right = np.argmax(z, axis=1) == labels
    edges = np.arange(bins + 1) / bins
    total = 0.0
    for b in range(bins):
        inside = (conf > edges[b]) & (conf <= edges[b + 1])
        if inside.any():
            total += inside.sum() / N * abs(right[inside].mean() - conf[inside].mean())
    return total


rough = minimize_scalar(nll, bounds=(0.05, 20.0), method="bounded", options={"xatol": 1e-10}).x
t_fit = brentq(nll_slope, rough * 0.9, rough * 1.1, xtol=1e-15, rtol=4 * np.finfo(float).eps)
assert abs(t_fit - rough) < 1e-6 * t_fit

# Weighted cross-entropy of the raw logits under the current weights (PyTorch's reductions).
x = z - z.max(axis=1, keepdims=True)
log_p = x - np.log(np.exp(x).sum(axis=1, keepdims=True))
per_sample = -weights[labels] * log_p[np.arange(N), labels]


def rust_f(v):
    return "None" if np.isnan(v) else f"Some({float(v)!r})"


def rust_list(vs):
    return "[" + ", ".join(rust_f(v) for v in vs) + "]"


def dump(name, m):
    print(f"pub mod {name} {{")
    print("    use super::{C, N};")
    print(f"    pub const PREDICTIONS: [u32; N] = {list(map(int, m['pred']))};")
    print(f"    pub const CONFUSION: [[u64; C]; C] = {m['confusion'].tolist()};")
    print(f"    pub const PRECISION: [Option<f64>; C] = {rust_list(m['precision'])};")
    print(f"    pub const RECALL: [Option<f64>; C] = {rust_list(m['recall'])};")
    print(f"    pub const F1: [Option<f64>; C] = {rust_list(m['f1'])};")
    print(f"    pub const ACCURACY: f64 = {float(m['accuracy'])!r};")
    print(f"    pub const BALANCED_ACCURACY: f64 = {float(m['balanced'])!r};")
    print(f"    pub const MACRO_F1: f64 = {float(m['macro_f1'])!r};")
    print("}")


print("pub const C: usize = 4;")
print("pub const N: usize = 60;")
print(f"pub const LABELS: [u32; N] = {labels.tolist()};")
print("pub const LOGITS: [[f64; C]; N] = [")
for row in z:
    print("    [" + ", ".join(repr(float(v)) for v in row) + "],")
print("];")
for name, s, t in [("current", shift, 1.0), ("baseline", np.zeros(C), 1.0),
                   ("corrected", shift + prior_shift, 1.0), ("calibrated", shift, t_fit)]:
    pred = predict(s, t)
    m = metrics(pred)
    m["pred"] = pred
    dump(name, m)

cm = confusion_matrix(labels, predict(shift), labels=list(range(C)))
support = cm.sum(axis=1)
with np.errstate(invalid="ignore", divide="ignore"):
    deployed = np.where(support[:, None] > 0, 1e4 * deploy_prior[:, None] * cm / support[:, None], 0.0)
col = deployed.sum(axis=0)
with np.errstate(invalid="ignore", divide="ignore"):
    deployed_precision = np.where(col > 0, np.diag(deployed) / col, np.nan)
print(f"pub const DEPLOYED_CONFUSION: [[f64; C]; C] = {[[float(v) for v in r] for r in deployed]};")
print(f"pub const DEPLOYED_PRECISION: [Option<f64>; C] = {rust_list(deployed_precision)};")
print(f"pub const LOSS_SUM: f64 = {float(per_sample.sum())!r};")
print(f"pub const LOSS_MEAN: f64 = {float(per_sample.sum() / weights[labels].sum())!r};")
print(f"pub const LOSS_MEAN_PER_SAMPLE: f64 = {float(per_sample.mean())!r};")
print(f"pub const TEMPERATURE: f64 = {float(t_fit)!r};")
print(f"pub const ECE_BEFORE: f64 = {float(ece(1.0))!r};")
print(f"pub const ECE_AFTER: f64 = {float(ece(t_fit))!r};")
