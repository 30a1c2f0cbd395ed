"""The numpy way to look at runs, for timing beside `weightbench runs`: read each run file of
FOLDER and count the false positives from debris and the false negatives to debris (class 3) at
5 debris weights, each run's logits shifted by ln(w / w_run).

    python3 scripts/runs_numpy.py FOLDER
"""
import os
import sys

import numpy as np

folder = sys.argv[1]
debris = 3
grid = np.array([0.1, 0.2, 0.4, 0.8, 1.6])
counts = []
for name in sorted(os.listdir(folder)):
    if not name.endswith(".npz"):
        continue
    with np.load(os.path.join(folder, name)) as run:
        logits, labels, weights = run["logits"], run["labels"], run["class_weights"]
    for debris_weight in grid:
        shift = np.log(np.r_[weights[:debris], debris_weight] / weights)
        predicted = np.argmax(logits + shift.astype(logits.dtype), axis=1)
        false_positives = np.bincount(predicted[labels == debris], minlength=4)
        false_negatives = np.bincount(labels[predicted == debris], minlength=4)
        counts.append((false_positives, false_negatives))
print(len(counts))
