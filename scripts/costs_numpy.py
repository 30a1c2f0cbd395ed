"""The numpy way to decide by costs, timed beside `cargo bench --bench outcomes -- costs`: on 1M x 4
float32 logits drawn as the bench draws them (same sizes, not the same numbers), the
probabilities with the training weights divided out, then `argmin(P @ C)` and the confusion.

    python3 scripts/costs_numpy.py

Prints the median of 20 runs of each step, in milliseconds: re-deciding from kept probabilities
(what a cost edit costs), the probabilities themselves, and both together (from the logits).
"""
import time

import numpy as np

rng = np.random.default_rng(2024)
samples = 1_000_000
labels = np.searchsorted(np.array([260, 270, 326, 826]) / 826, rng.random(samples), side="right")
logits = (1.5 * rng.standard_normal((samples, 4)) + 2.0 * np.eye(4)[labels]).astype(np.float32)
trained_with = np.array([1.0, 10.0, 3.0, 0.5])
costs = np.array([[0, 2, 2, 5], [1, 0, 1, 8], [3, 1, 0, 2], [1, 6, 3, 0]], dtype=np.float64)


def probabilities():
    z = logits.astype(np.float64) - np.log(trained_with)
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return p


def decide(p):
    predicted = np.argmin(p @ costs, axis=1)
    return np.bincount(labels * 4 + predicted, minlength=16).reshape(4, 4)


def median_ms(step, runs=20):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return 1000 * float(np.median(times))


kept = probabilities()
print(f"re-decide from kept probabilities: {median_ms(lambda: decide(kept)):.1f} ms")
print(f"probabilities: {median_ms(probabilities):.1f} ms")
print(f"from the logits: {median_ms(lambda: decide(probabilities())):.1f} ms")
