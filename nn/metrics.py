"""Metrics: which class a model's outputs predict, and how often that is the right one.

One rule turns outputs into classes, used by ``fit``, ``evaluate``, the estimators, the demo and
the pictures of ``viz`` alike, so a plotted decision boundary always agrees with the accuracy
that training reports:

- several outputs per example: the class is the column of the largest output (targets are
  labels, or one-hot rows);
- one output per example, targets coded -1/+1: the class is +1 where the output is ``>= 0``
  (the midpoint of the two codes), else -1;
- one output per example, targets coded 0/1: the class is 1 where the output is
  ``>= threshold``. The threshold is 0.5 when the output is a probability or a 0/1 regression
  value (the loss is ``binary_cross_entropy``, ``mse_loss`` or ``l1_loss``; with no loss
  named, when every output lies in [0, 1]) and 0 when it is a logit or a score (σ(0) = 0.5).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import losses

__all__ = ["accuracy", "decision_threshold", "looks_like_labels", "predicted_classes"]

# Losses whose single output is a probability or a regression value: class 1 from 0.5 up.
_PROBABILITY_LOSSES = (losses.binary_cross_entropy, losses.mse_loss, losses.l1_loss)


def looks_like_labels(targets: Any) -> bool:
    """True for integer class labels, -1/+1 or 0/1 codes and one-hot rows: targets that make accuracy mean something."""
    y = np.asarray(targets)
    if y.dtype.kind in "iub":
        return True
    if y.dtype.kind != "f" or not np.all(np.isfinite(y)):
        return False
    if y.ndim == 2 and y.shape[1] > 1:
        return bool(np.all((y == 0) | (y == 1)))
    return bool(np.all((y == -1) | (y == 1) | (y == 0)))


def _signed(labels: np.ndarray) -> bool:
    """Targets coded -1/+1 (any negative label) rather than 0/1; targets that are not numbers are not."""
    return labels.dtype.kind in "iuf" and labels.size > 0 and bool((labels < 0).any())


def decision_threshold(targets: Any, loss_fn: Callable | None = None, outputs: Any = None,
                       threshold: float | None = None) -> float:
    """Where one output per example splits two classes (the rule of the module's docstring).

    -1/+1 targets: 0. 0/1 targets: ``threshold`` when given; else by ``loss_fn`` (a loss of
    ``nn.losses`` or its object), which says what the output is; else 0.5 when every one of
    ``outputs`` lies in [0, 1] (probabilities), 0 otherwise (and 0.5 with nothing to go by).
    """
    return _threshold(_signed(np.asarray(targets)), loss_fn, outputs, threshold)


def _threshold(signed: bool, loss_fn: Callable | None, outputs: Any, threshold: float | None) -> float:
    if signed:
        return 0.0
    if threshold is not None:
        return float(threshold)
    if loss_fn is not None:
        function = getattr(loss_fn, "function", loss_fn)  # loss objects keep their function
        return 0.5 if function in _PROBABILITY_LOSSES else 0.0
    if outputs is not None:
        out = np.asarray(outputs, dtype=np.float64)
        return 0.5 if out.size and bool(((out >= 0.0) & (out <= 1.0)).all()) else 0.0
    return 0.5


def predicted_classes(outputs: Any, targets: Any, threshold: float | None = None) -> np.ndarray:
    """The class each row of ``outputs`` predicts, coded as ``targets`` are (a column index, ±1 or 0/1).

    One output per example: the class above is chosen from ``decision_threshold(targets,
    outputs=outputs, threshold=threshold)`` up (-1/+1 targets always split at 0).
    """
    out = _as_float_array(outputs)
    labels = np.asarray(targets)
    if out.ndim == 2 and out.shape[1] > 1:
        return out.argmax(axis=1)
    out = out.reshape(-1)
    signed = _signed(labels)
    above = out >= _threshold(signed, None, out, threshold)
    return np.where(above, 1, -1) if signed else above.astype(np.int64)


def _as_float_array(outputs: Any) -> np.ndarray:
    out = np.asarray(outputs)
    return out if out.dtype.kind == "f" else out.astype(np.float64)


def accuracy(outputs: Any, targets: Any, threshold: float | None = None) -> float:
    """The fraction of examples whose predicted class (``predicted_classes``) is the target class.

    ``targets`` are labels, -1/+1 or 0/1 codes, or one-hot rows against several outputs.
    """
    out = _as_float_array(outputs)
    y = np.asarray(targets)
    predicted = predicted_classes(out, y, threshold)
    several = out.ndim == 2 and out.shape[1] > 1
    labels = y.argmax(axis=1) if several and y.ndim == 2 else y.reshape(-1)
    if len(predicted) != len(labels):
        raise ValueError(f"accuracy: {len(predicted)} outputs but {len(labels)} targets")
    return float(np.mean(predicted == labels))
