#!/usr/bin/env python3
"""scikit-learn's side of the softmax-fit speed comparison (benches/simulator.rs): weighted
multinomial logistic regression on a CSV written by the simulator's export (`label,x1,...`).

    python3 scripts/sklearn_fit.py DATA.csv WEIGHTS L2 [REPEATS]

WEIGHTS is comma-separated, one per class (class_weight); L2 is the simulator's l2 (C = 1 / l2).
Each fit is timed REPEATS times (default 30) with scikit-learn's default tolerance (1e-4) and
with tol=1e-12; the minimum and median wall-clock times are printed as JSON, with the
iterations and the objective sum_i w[y_i] (-ln p_i[y_i]) + (l2 / 2) ||W||^2 reached.
Unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE in the command that runs it.
"""
import json
import sys
import time

import numpy as np
from scipy.special import logsumexp
from sklearn.linear_model import LogisticRegression


def main():
    path, weights, l2 = sys.argv[1], sys.argv[2], float(sys.argv[3])
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 30
    weights = [float(w) for w in weights.split(",")]
    table = np.loadtxt(path, delimiter=",", skiprows=1)
    y, X = table[:, 0].astype(int), table[:, 1:]
    report = {"samples": len(y), "classes": len(weights), "features": X.shape[1]}
    for name, tol in [("default_tol", 1e-4), ("tol_1e-12", 1e-12)]:
        times = []
        for _ in range(repeats):
            model = LogisticRegression(C=1.0 / l2, class_weight=dict(enumerate(weights)), tol=tol,
                                       max_iter=10000)
            start = time.perf_counter()
            model.fit(X, y)
            times.append(time.perf_counter() - start)
        z = X @ model.coef_.T + model.intercept_
        nll = logsumexp(z, axis=1) - z[np.arange(len(y)), y]
        objective = float(np.sum(np.asarray(weights)[y] * nll) + 0.5 * l2 * np.sum(model.coef_**2))
        report[name] = {"min_ms": 1e3 * min(times), "median_ms": 1e3 * float(np.median(times)),
                        "iterations": int(model.n_iter_[0]), "objective": objective}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
