"""Writes RUNS run files of SAMPLES x 4 float32 logits into FOLDER, for timing `weightbench runs`
against scripts/runs_numpy.py: retrains at 1/16 to 32 times the notebook's debris weight 0.4
(two seeds each), sharing one validation set; each file has logits, labels (int64),
class_weights and seed.

    python3 scripts/make_runs_data.py FOLDER [RUNS=20] [SAMPLES=1000000]
"""
import os
import sys

import numpy as np

folder = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
samples = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
os.makedirs(folder, exist_ok=True)
rng = np.random.default_rng(1)
shares = np.array([260, 10, 56, 500], float)
labels = rng.choice(4, size=samples, p=shares / shares.sum()).astype(np.int64)
base = (np.eye(4)[labels] * 2.0 + rng.normal(0, 1.3, size=(samples, 4))).astype(np.float32)
trained = np.array([0.8, 26.0, 4.0, 0.4])
for index in range(runs):
    weights = trained.copy()
    weights[3] = 0.4 * 2.0 ** (index % 10 - 4)
    shift = (0.6 * np.log(weights / trained)).astype(np.float32)
    noise = rng.normal(0, 0.1, size=(samples, 4)).astype(np.float32)
    np.savez(os.path.join(folder, f"run{index:02d}.npz"), logits=base + shift + noise,
             labels=labels, class_weights=weights, seed=index // 10)
