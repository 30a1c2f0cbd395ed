"""Writes tests/data/costs.npz and prints numpy's cost-rule decisions on it, which
tests/testsuite/outcomes/costs.rs holds as hard-coded values.

Run from the project root: python3 tests/data/make_costs.py
The cost rule: P = softmax(logits / T - log(trained_with) [+ log(deploy_prior / train_share)]),
pred = argmin(P @ C, axis=1) (numpy's argmin: ties to the lowest index).
"""
import json

import numpy as np

rng = np.random.default_rng(19)
samples, classes = 60, 4
labels = rng.choice(classes, size=samples, p=[0.15, 0.1, 0.15, 0.6]).astype(np.int64)
logits = rng.normal(0.0, 1.5, size=(samples, classes))
logits[np.arange(samples), labels] += 2.5
logits = np.round(logits, 3)
np.savez("tests/data/costs.npz", logits=logits, labels=labels)

trained_with = np.array([1.0, 2.0, 1.5, 0.5])
counts = np.array([260, 10, 56, 500])
costs = np.array([[0, 2, 2, 4], [2, 0, 3, 6], [1, 1, 0, 3], [1, 6, 2, 0]], dtype=np.float64)


def decide(temperature, prior=None):
    z = logits / temperature - np.log(trained_with)
    if prior is not None:
        z = z + np.log(prior / (counts / counts.sum()))
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return np.argmin(p @ costs, axis=1)


def total(pred):
    return float(costs[labels, pred].sum())


plain = decide(1.3)
prior = decide(1.0, np.array([0.2, 0.1, 0.2, 0.5]))
print(json.dumps({
    "labels": labels.tolist(),
    "t1.3": plain.tolist(), "t1.3_total": total(plain),
    "prior": prior.tolist(), "prior_total": total(prior),
}))
