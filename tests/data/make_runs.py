"""Writes tests/data/runs/: four small run files (validation outputs of "retrains" at debris
weights 0.1, 0.4 twice and 1.6, each with the class_weights it was trained with), the example
that docs/cli.md's `weightbench runs` commands read. The logits are synthetic: a model whose
debris logit moves by 0.6 ln(w / 0.4), less than the shift ln(w / 0.4) a preview assumes, as real
networks do (see the research notes). Run from the repository root: python3 tests/data/make_runs.py
"""
import os

import numpy as np

folder = os.path.join(os.path.dirname(__file__), "runs")
os.makedirs(folder, exist_ok=True)
rng = np.random.default_rng(2026)
n = 900
shares = np.array([260, 10, 56, 500], float)
labels = rng.choice(4, size=n, p=shares / shares.sum()).astype(np.int64)
base = np.eye(4)[labels] * 2.2 + rng.normal(0, 1.2, size=(n, 4))
trained = np.array([0.8, 26.0, 4.0, 0.4])
for name, debris, seed in [("a-0.1", 0.1, 0), ("b-0.4", 0.4, 0), ("c-0.4", 0.4, 1), ("d-1.6", 1.6, 0)]:
    weights = trained.copy()
    weights[3] = debris
    noise = np.random.default_rng(seed).normal(0, 0.2, size=(n, 4))
    logits = base + noise
    logits[:, 3] += 0.6 * np.log(debris / 0.4)
    path = os.path.join(folder, f"{name}.npz")
    temporary = os.path.join(folder, f".{name}.npz.tmp")
    with open(temporary, "wb") as f:
        np.savez(f, logits=logits.astype(np.float32), labels=labels, class_weights=weights, seed=seed, epoch=40)
    os.replace(temporary, path)
