"""Reference numbers for tests/testsuite/simulator.rs: weighted softmax regression fitted by scikit-learn.

Run: python3 tests/data/simulator_sklearn.py  (numpy, scipy, scikit-learn)
It prints Rust constants; tests/testsuite/simulator/reference.rs holds a copy of them. The test suite
itself never runs Python.

The data: tests/data/simulator_small.csv, written by the simulator's own CSV export
(`cargo run --example simulator_data -- 200 tests/data/simulator_small.csv`): 203 points of the
notebook's 4 classes, class 3 debris. Each case fits
`LogisticRegression(C=1/l2, class_weight=dict, tol=1e-12, max_iter=10000)` (lbfgs, multinomial),
which minimises sum_i w[y_i] (-ln softmax(W x_i + b)[y_i]) + (l2 / 2) ||W||^2, the simulator's
objective; the objective is evaluated here at scikit-learn's coefficients. As a check on
scikit-learn's own precision, the same fit by newton-cholesky is compared (printed to stderr).
"""
import sys
from pathlib import Path

import numpy as np
from scipy.special import logsumexp
from sklearn.linear_model import LogisticRegression

HERE = Path(__file__).resolve().parent
table = np.loadtxt(HERE / "simulator_small.csv", delimiter=",", skiprows=1)
y = table[:, 0].astype(int)
X = table[:, 1:]

CASES = [
    ("NOTEBOOK", [0.8, 26.0, 4.0, 0.4], 1.0),
    ("LOW_DEBRIS", [1.0, 10.0, 3.0, 0.05], 0.1),
]


def objective(coef, intercept, weights, l2):
    z = X @ coef.T + intercept
    nll = logsumexp(z, axis=1) - z[np.arange(len(y)), y]
    return float(np.sum(np.asarray(weights)[y] * nll) + 0.5 * l2 * np.sum(coef**2))


def fit(weights, l2, solver):
    model = LogisticRegression(C=1.0 / l2, class_weight=dict(enumerate(weights)), tol=1e-12,
                               max_iter=10000, solver=solver)
    model.fit(X, y)
    return model


def rust(values):
    return "[" + ", ".join(repr(float(v)) for v in values) + "]"


print(f"// scikit-learn {__import__('sklearn').__version__}, numpy {np.__version__}")
for name, weights, l2 in CASES:
    model = fit(weights, l2, "lbfgs")
    check = fit(weights, l2, "newton-cholesky")
    coef_gap = np.max(np.abs(model.coef_ - check.coef_)) / np.max(np.abs(check.coef_))
    print(f"{name}: lbfgs vs newton-cholesky, coefficients differ by {coef_gap:.2e} relative, "
          f"intercept sums {model.intercept_.sum():.1e} and {check.intercept_.sum():.1e}",
          file=sys.stderr)
    print(f"pub const {name}_WEIGHTS: [f64; 4] = {rust(weights)};")
    print(f"pub const {name}_L2: f64 = {l2!r};")
    print(f"pub const {name}_COEF: [[f64; 2]; 4] = [")
    for row in model.coef_:
        print(f"    {rust(row)},")
    print("];")
    print(f"pub const {name}_INTERCEPT: [f64; 4] = {rust(model.intercept_)};")
    print(f"pub const {name}_OBJECTIVE: f64 = {objective(model.coef_, model.intercept_, weights, l2)!r};")
