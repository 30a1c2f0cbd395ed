#!/usr/bin/env python3
"""The numpy equivalent of `weightbench outcomes DATA.npz --preset PRESET --format json`, for the
speed comparison in docs/design-notes.md: load, shifted argmax, confusion matrix, precision and
recall, FP from debris and FN to debris, and the weighted cross-entropy of the raw scores
(PyTorch's sum, mean and Keras' mean per sample), for the current and the trained-with weights.

    python3 scripts/outcomes_numpy.py DATA.npz WEIGHTS TRAINED_WITH DEBRIS

WEIGHTS and TRAINED_WITH are comma-separated; DEBRIS is the debris class index.
"""
import json
import sys

import numpy as np


def metrics(labels, predicted, classes, debris):
    confusion = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(confusion, (labels, predicted), 1)
    support = confusion.sum(axis=1)
    called = confusion.sum(axis=0)
    hits = np.diag(confusion)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(called > 0, hits / called, np.nan)
        recall = np.where(support > 0, hits / support, np.nan)
    fp = confusion[debris].copy()
    fp[debris] = 0
    fn = confusion[:, debris].copy()
    fn[debris] = 0
    return {
        "confusion": confusion.tolist(),
        "precision": [None if np.isnan(p) else float(p) for p in precision],
        "recall": [None if np.isnan(r) else float(r) for r in recall],
        "accuracy": float(hits.sum() / len(labels)),
        "false_positives_from_debris": fp.tolist(),
        "false_negatives_to_debris": fn.tolist(),
    }


def main():
    path, weights, trained, debris = sys.argv[1:5]
    weights = np.array([float(w) for w in weights.split(",")])
    trained = np.array([float(w) for w in trained.split(",")])
    debris = int(debris)
    archive = np.load(path)
    logits = archive["logits"].astype(np.float64)
    labels = archive["labels"].astype(np.int64)
    classes = logits.shape[1]
    shift = np.log(weights / trained)
    current = np.argmax(logits + shift, axis=1)
    baseline = np.argmax(logits, axis=1)
    m = logits.max(axis=1, keepdims=True)
    log_p = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    losses = -weights[labels] * log_p[np.arange(len(labels)), labels]
    total = losses.sum()
    print(
        json.dumps(
            {
                "samples": len(labels),
                "current": metrics(labels, current, classes, debris),
                "baseline": metrics(labels, baseline, classes, debris),
                "loss": {
                    "sum": float(total),
                    "mean": float(total / weights[labels].sum()),
                    "mean_per_sample": float(total / len(labels)),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
