"""Functions that work on either engine: a ``Tensor``, or a sequence of ``Value``\\ s.

``softmax``, ``log_softmax``, ``logsumexp``, ``max`` and ``cross_entropy`` look at what they are
given: a Tensor calls the Tensor method (along ``axis``); anything else is treated as a sequence
of Values (or numbers) and goes to the scalar engine's functions. ``linear`` is Tensor-only: a
fused ``x @ weightᵀ + bias`` with a single backward node.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import value as _value
from .tensor import Tensor, _lift, _result, _transposed_product, concatenate, stack, where

__all__ = ["concatenate", "cross_entropy", "linear", "log_softmax", "logsumexp", "max", "softmax", "stack", "where"]


def _check_sequence_axis(axis: Any, name: str) -> None:
    if axis not in (-1, 0, None):
        raise ValueError(f"{name}: a sequence of Values has one axis; axis must be -1, 0 or None, got {axis}")


def softmax(x: Tensor | Sequence[Any], axis: int = -1) -> Tensor | list:
    """exp(x_i) / Σ exp(x_j): along ``axis`` of a Tensor, or over a sequence of Values (a list back)."""
    if isinstance(x, Tensor):
        return x.softmax(axis=axis)
    _check_sequence_axis(axis, "softmax")
    return _value.softmax(x)


def log_softmax(x: Tensor | Sequence[Any], axis: int = -1) -> Tensor | list:
    """x_i - logsumexp(x): along ``axis`` of a Tensor, or over a sequence of Values (a list back)."""
    if isinstance(x, Tensor):
        return x.log_softmax(axis=axis)
    _check_sequence_axis(axis, "log_softmax")
    return _value.log_softmax(x)


def logsumexp(x: Tensor | Sequence[Any], axis: int | None = -1, keepdims: bool = False) -> Tensor | _value.Value:
    """log Σ exp(x_i): along ``axis`` of a Tensor, or over a sequence of Values (one Value back)."""
    if isinstance(x, Tensor):
        return x.logsumexp(axis=axis, keepdims=keepdims)
    _check_sequence_axis(axis, "logsumexp")
    return _value.logsumexp(x)


def max(x: Tensor | Sequence[Any], axis: int | None = None, keepdims: bool = False) -> Tensor | _value.Value:  # noqa: A001
    """The largest element: of a Tensor (along ``axis``), or of a sequence of Values."""
    if isinstance(x, Tensor):
        return x.max(axis=axis, keepdims=keepdims)
    _check_sequence_axis(axis, "max")
    return _value.max(x)


def cross_entropy(logits: Any, targets: Any, reduction: str = "mean") -> Tensor | _value.Value:
    """Cross-entropy from logits against integer class labels (or target probabilities for Tensors).

    A Tensor of shape (N, C) or (C,) uses the fused ``Tensor.cross_entropy``: stable
    log-softmax and the single backward rule (softmax - onehot) / N. For the scalar engine,
    ``logits`` is one row of Values or a list of rows, ``targets`` an int or a list of ints;
    ``reduction`` is "mean" or "sum" over the rows.
    """
    if isinstance(logits, Tensor):
        return logits.cross_entropy(targets, reduction=reduction)
    if reduction not in ("mean", "sum"):
        raise ValueError(f"cross_entropy: reduction must be 'mean' or 'sum' for Values, got {reduction!r}")
    rows = list(logits)
    single = not rows or not isinstance(rows[0], (list, tuple))
    if single:
        rows = [rows]
    labels = [targets] if np.ndim(targets) == 0 else list(targets)
    if len(labels) != len(rows):
        raise ValueError(f"cross_entropy: {len(rows)} rows of logits but {len(labels)} labels")
    losses = []
    for row, label in zip(rows, labels):
        if int(label) != label or not 0 <= label < len(row):
            raise ValueError(f"cross_entropy: label {label} is not a class index in 0..{len(row) - 1}")
        losses.append(-_value.log_softmax(row)[int(label)])
    total = losses[0]
    for loss in losses[1:]:
        total = total + loss
    return total / len(losses) if reduction == "mean" else total


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``x @ weight.T + bias`` as one node, with ``weight`` of shape (out_features, in_features).

    The layout of ``torch.nn.functional.linear``. Fused so that a layer costs one node: the
    backward gives x the grad ``g @ W``, W the grad ``gᵀ @ x`` and b the row sums of g.
    """
    if not isinstance(x, Tensor):
        x = _lift(x, weight)
    a, w = x._data, weight._data
    if w.ndim != 2 or a.ndim == 0 or a.shape[-1] != w.shape[1]:
        raise ValueError(f"linear: input of shape {a.shape} does not fit a weight of shape {w.shape} "
                         "(expected input (..., in_features) and weight (out_features, in_features))")
    out = a @ w.T
    children: tuple = (x, weight)
    if bias is not None:
        if bias._data.shape != (w.shape[0],):
            raise ValueError(f"linear: bias of shape {bias.data.shape} does not fit a weight of shape {w.shape}")
        out += bias._data
        children += (bias,)
    a2 = a.reshape(-1, a.shape[-1])
    rules = (
        lambda g: g @ w,
        lambda g: _transposed_product(g.reshape(-1, w.shape[0]), a2),  # gᵀ @ x, batch axes summed
        lambda g: g,  # summed over rows where the grad reaches b
    )
    words = ("d(x@W^T+b)/dx: g @ W", "d(x@W^T+b)/dW: g^T @ x", "d(x@W^T+b)/db = sum of g over rows")
    return _result(out, children, "linear", rules[: len(children)], words[: len(children)])
