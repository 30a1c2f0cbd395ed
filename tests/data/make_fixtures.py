"""Writes the validation-output fixtures of tests/testsuite/data_readers.rs with numpy and safetensors.

Run once from the repository root: `python3 tests/data/make_fixtures.py` (needs `numpy` and
`safetensors`). The test suite reads the files it wrote and never runs Python. The values are
exact in binary, so the tests compare them with `==`:

    logits[i, c] = (4 * i + c) / 8 - 1      6 rows x 4 classes
    labels       = [0, 1, 2, 3, 3, 1]

The classes are the notebook's: class1, class2, class3, "class4 (debris)".
"""

import csv
import os

import numpy as np
from safetensors.numpy import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
CLASSES = ["class1", "class2", "class3", "class4 (debris)"]

LOGITS = np.arange(24, dtype=np.float64).reshape(6, 4) / 8 - 1
LABELS = np.array([0, 1, 2, 3, 3, 1])
# Each row sums to 1 exactly; rows 0 and 1 hold zeros.
PROBABILITIES = np.array(
    [
        [0.5, 0.25, 0.25, 0.0],
        [1.0, 0.0, 0.0, 0.0],
        [0.125, 0.125, 0.25, 0.5],
        [0.0625, 0.0625, 0.375, 0.5],
        [0.25, 0.25, 0.25, 0.25],
        [0.75, 0.125, 0.0625, 0.0625],
    ]
)


def path(name):
    return os.path.join(HERE, name)


def main():
    f32, f64 = LOGITS.astype(np.float32), LOGITS.astype(np.float64)

    # .npz: stored (savez) and deflated (savez_compressed); one of probabilities.
    np.savez(path("stored.npz"), logits=f32, labels=LABELS.astype(np.int64))
    np.savez_compressed(path("compressed.npz"), logits=f64, labels=LABELS.astype(np.int32))
    np.savez_compressed(
        path("probabilities.npz"),
        probabilities=PROBABILITIES.astype(np.float32),
        labels=LABELS.astype(np.uint8),
        class_names=np.array(CLASSES),
    )
    # No `labels` member: the reader names what it found.
    np.savez(path("no_labels.npz"), logits=f32, y=LABELS)

    # .npy pairs: float32 + int64, float64 + uint8, big-endian, Fortran order, version 2.0.
    np.save(path("logits_f32.npy"), f32)
    np.save(path("labels_i64.npy"), LABELS.astype(np.int64))
    np.save(path("logits_f64.npy"), f64)
    np.save(path("labels_u8.npy"), LABELS.astype(np.uint8))
    np.save(path("logits_be.npy"), f64.astype(">f8"))
    np.save(path("labels_be.npy"), LABELS.astype(">i4"))
    np.save(path("logits_fortran.npy"), np.asfortranarray(f32))
    with open(path("logits_v2.npy"), "wb") as out:
        np.lib.format.write_array(out, f32, version=(2, 0))
    # Refused: a label of -1 (row 4) and float labels.
    np.save(path("labels_negative.npy"), np.array([0, 1, 2, 3, -1, 1], dtype=np.int16))
    np.save(path("labels_float.npy"), LABELS.astype(np.float64))

    # .safetensors, with the package's numpy API.
    save_file(
        {"logits": f32, "labels": LABELS.astype(np.int64)},
        path("outputs.safetensors"),
        metadata={"written_by": "make_fixtures.py"},
    )
    save_file(
        {"probabilities": PROBABILITIES.astype(np.float64), "labels": LABELS.astype(np.uint8)},
        path("probabilities.safetensors"),
    )

    # CSV with a header in shuffled class order and the labels as names, every text quoted.
    order = [2, 0, 3, 1]
    with open(path("header_shuffled.csv"), "w", newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow([CLASSES[order[0]], "label"] + [CLASSES[c] for c in order[1:]])
        for row, label in zip(f64, LABELS):
            writer.writerow([float(row[order[0]]), CLASSES[label]] + [float(row[c]) for c in order[1:]])
    # CSV without a header: the label first (a name, unquoted, on the first line; then indices),
    # then the scores in class order.
    with open(path("no_header.csv"), "w", newline="") as out:
        writer = csv.writer(out)
        for i, (row, label) in enumerate(zip(f64, LABELS)):
            writer.writerow([CLASSES[label] if i == 0 else int(label)] + [repr(float(v)) for v in row])

if __name__ == "__main__":
    main()
