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
from .targets import class_probabilities
from .tensor import Tensor, _lift, _result, _sum, _transposed_product, concatenate, stack, where

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


def cross_entropy(logits: Any, targets: Any, reduction: str = "mean") -> Tensor | _value.Value | list:
    """Cross-entropy from logits against class labels or target probabilities, on either engine.

    ``logits``: a Tensor of shape (N, C) or (C,), or for the scalar engine one row of Values
    or a list of rows. ``targets``: one integer label per row (an int for one row), or target
    probabilities (e.g. one-hot) shaped like the logits; both engines check them with
    ``autograd.targets.class_probabilities``. Each engine has one fused rule: the Tensor's
    ``cross_entropy`` and, per row, the scalar ``autograd.value.cross_entropy`` (local
    derivative softmax - target). ``reduction``: "mean" over the rows, "sum", or "none" (one
    loss per row: a Tensor, or a list of Values; the Value itself for a single row).
    """
    if isinstance(logits, Tensor):
        return logits.cross_entropy(targets, reduction=reduction)
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"cross_entropy: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    rows = list(logits)
    single = not rows or not isinstance(rows[0], (list, tuple))
    if single:
        rows = [rows]
    widths = {len(row) for row in rows}
    if len(widths) != 1:
        raise ValueError(f"cross_entropy: every row of logits needs the same number of classes, got {sorted(widths)}")
    shape = (len(rows[0]),) if single else (len(rows), len(rows[0]))
    probabilities = class_probabilities(targets, shape)
    losses = [_value.cross_entropy(row, target.tolist()) for row, target in zip(rows, probabilities)]
    if reduction == "none":
        return losses[0] if single else losses
    if len(losses) == 1:
        return losses[0]  # the mean of one loss is itself: no extra node to draw
    total = sum(losses[1:], losses[0])  # a + node per row, no 0 to start from
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
    rows = a if a.ndim == 2 else a.reshape(-1, a.shape[-1])

    def grad_x(g: np.ndarray) -> np.ndarray:
        return g @ w

    def grad_w(g: np.ndarray) -> np.ndarray:  # gᵀ @ x, batch axes summed
        return _transposed_product(g if g.ndim == 2 else g.reshape(-1, w.shape[0]), rows)

    if bias is None:
        return _result(out, (x, weight), "linear", (grad_x, grad_w), _LINEAR_WORDS[:2])
    if bias._data.shape != (w.shape[0],):
        raise ValueError(f"linear: bias of shape {bias.data.shape} does not fit a weight of shape {w.shape}")
    out += bias._data
    batch_axes = tuple(range(a.ndim - 1))

    def grad_b(g: np.ndarray) -> np.ndarray:  # summed over every row the bias was added to
        return _sum(g, batch_axes)

    return _result(out, (x, weight, bias), "linear", (grad_x, grad_w, grad_b), _LINEAR_WORDS)


_LINEAR_WORDS = ("d(x@W^T+b)/dx: g @ W", "d(x@W^T+b)/dW: g^T @ x", "d(x@W^T+b)/db = sum of g over rows")
