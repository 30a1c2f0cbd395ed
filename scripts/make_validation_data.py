#!/usr/bin/env python3
"""Writes validation outputs shaped like the notebook's problem, for trying the Outcomes view
and for the speed comparisons in docs/design-notes.md:

    python3 scripts/make_validation_data.py OUT.npz [SAMPLES] [--csv OUT.csv]

4 classes with the notebook's proportions (260, 10, 56, 500), float32 logits of a model that
was trained with the notebook's weights (0.8, 26, 4, 0.4): each class's logit is a noisy
score for it plus ln w, as the optimum of weighted cross-entropy would give. Seeded: the same
file every time.
"""
import sys

import numpy as np


def main():
    out = sys.argv[1]
    samples = int(sys.argv[2]) if len(sys.argv) > 2 and not sys.argv[2].startswith("--") else 20000
    csv = sys.argv[sys.argv.index("--csv") + 1] if "--csv" in sys.argv else None
    rng = np.random.default_rng(7)
    counts = np.array([260, 10, 56, 500], dtype=np.float64)
    weights = np.array([0.8, 26.0, 4.0, 0.4])
    labels = rng.choice(4, size=samples, p=counts / counts.sum())
    signal = np.eye(4)[labels] * rng.normal(3.0, 1.5, size=(samples, 1))
    noise = rng.normal(0.0, 1.2, size=(samples, 4))
    prior = np.log(counts / counts.sum())
    logits = (signal + noise + prior + np.log(weights)).astype(np.float32)
    np.savez(out, logits=logits, labels=labels.astype(np.int64))
    if csv:
        names = ["class1", "class2", "class3", "class4 (debris)"]
        with open(csv, "w") as f:
            f.write("label," + ",".join(f'"{n}"' if " " in n else n for n in names) + "\n")
            np.savetxt(f, np.column_stack([labels, logits]), fmt=["%d"] + ["%.9g"] * 4, delimiter=",")


if __name__ == "__main__":
    main()
