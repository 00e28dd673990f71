"""Cross-entropy targets for both engines, checked in one place: class labels or class probabilities."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["class_probabilities"]


def class_probabilities(targets: Any, shape: tuple[int, ...]) -> np.ndarray:
    """The targets for logits of ``shape`` ((N, C), or (C,) for one example) as an (N, C) float64 array.

    ``targets`` are probabilities shaped like the logits (a float array, e.g. one-hot), returned
    as they are; or one class label per example (integers, or floats that are whole numbers),
    returned one-hot. A label outside 0 … C-1, a fractional label or targets of another shape
    are a ValueError naming the label, its example and the class count (or both shapes).
    """
    target = np.asarray(targets)
    examples, classes = (1, shape[0]) if len(shape) == 1 else shape
    if target.dtype.kind not in "fiub":
        raise TypeError(f"cross_entropy: targets must be class labels or probabilities, got dtype {target.dtype}")
    if target.shape == tuple(shape) and target.dtype.kind == "f":
        return target.reshape(examples, classes).astype(np.float64)
    labels = target.reshape(-1)
    if labels.shape != (examples,):
        raise ValueError(f"cross_entropy: targets of shape {target.shape} do not fit logits of shape {tuple(shape)}: "
                         f"expected {examples} labels or probabilities of shape {tuple(shape)}")
    if not np.all(np.isfinite(labels)) or not np.all(labels == np.round(labels)):
        raise ValueError(f"cross_entropy: class labels must be whole numbers, got {labels[:5].tolist()}")
    labels = labels.astype(np.int64)
    wrong = np.flatnonzero((labels < 0) | (labels >= classes))
    if wrong.size:
        i = int(wrong[0])
        raise ValueError(f"cross_entropy: label {labels[i]} of example {i} is out of range for {classes} classes "
                         f"(0..{classes - 1}); the labels out of range: {labels[wrong][:5].tolist()}")
    one_hot = np.zeros((examples, classes))
    one_hot[np.arange(examples), labels] = 1.0
    return one_hot
