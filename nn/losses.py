"""Loss functions for both engines: the number that training makes small.

Every loss takes the model's output first and the targets second, and a ``reduction``:
``"mean"`` (the default) averages over the examples, ``"sum"`` adds them up, ``"none"`` returns
one loss per example. The output may be

- scalar engine: a ``Value``, a list of ``Value``s (one per example), or a list of lists
  (examples × outputs); the loss is a ``Value`` (``"none"``: a list of ``Value``s);
- tensor engine: a ``Tensor``; the loss is a ``Tensor`` (a scalar unless ``"none"``).

Targets are plain numbers (lists or NumPy arrays); their shape must match the output's. This
file is where targets are checked (labels, one-hot rows, ±1 codes, ranges) and where losses are
reduced; the cross-entropy itself is autograd's op (``autograd.cross_entropy``, either engine).

Each loss of one output x with target t (the class in parentheses is the same as an object):

- ``l1_loss`` / ``mae_loss`` (``L1Loss``, ``MAELoss``): |x - t|;
- ``mse_loss`` (``MSELoss``): (x - t)²;
- ``binary_cross_entropy`` (``BCELoss``): -(t·log p + (1 - t)·log(1 - p)) for a probability
  p = x and t in [0, 1];
- ``binary_cross_entropy_with_logits`` (``BCEWithLogitsLoss``): log(1 + eˣ) - t·x, the same
  loss for p = σ(x), computed stably;
- ``cross_entropy`` (``CrossEntropyLoss``): logsumexp(z) - z_y for a row z of logits and its
  integer label y (or -Σ t_c log softmax(z)_c for one-hot or probability rows t);
- ``hinge_loss`` (``HingeLoss``): max(0, 1 - t·x) for t = -1 or +1.

The losses on logits never compute ``exp`` of a large number: logits of ±1e4 give finite losses
and gradients. ``binary_cross_entropy`` on probabilities clamps its logs at -100, as PyTorch
does, so a probability of exactly 0 or 1 gives a large but finite loss.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import autograd
from autograd import Tensor, Value, is_tensor, is_value, stack

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "HingeLoss",
    "LOSSES",
    "L1Loss",
    "MAELoss",
    "MSELoss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "get_loss",
    "hinge_loss",
    "l1_loss",
    "mae_loss",
    "mse_loss",
]

REDUCTIONS = ("mean", "sum", "none")

#: log(p) is never taken below this, as in PyTorch's BCELoss.
LOG_CLAMP = -100.0
_SMALLEST_PROBABILITY = math.exp(LOG_CLAMP)


# ---------------------------------------------------------------------- checking inputs
def _check_reduction(reduction: str) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {REDUCTIONS}, got {reduction!r}")


def _flatten_values(output: Any, loss: str) -> tuple[list, tuple]:
    """A Value, a list of Values or a list of lists of Values as a flat list, with its shape."""
    if is_value(output):
        return [output], ()
    if not isinstance(output, (list, tuple)) or not output:
        raise TypeError(f"{loss}: the output must be a Value, a list of Values or a Tensor, got {_describe(output)}")
    if isinstance(output[0], (list, tuple)):
        width = len(output[0])
        if any(not isinstance(row, (list, tuple)) or len(row) != width for row in output):
            raise ValueError(f"{loss}: every row of the output must have {width} entries")
        flat, shape = [v for row in output for v in row], (len(output), width)
    else:
        flat, shape = list(output), (len(output),)
    for v in flat:
        if not is_value(v):
            raise TypeError(f"{loss}: the output must hold Values, found {_describe(v)}")
    return flat, shape


def _target_array(target: Any, shape: tuple, loss: str) -> np.ndarray:
    """The targets as a float64 array of the output's ``shape`` (a clear error if they differ)."""
    if is_tensor(target):
        target = target.data
    if is_value(target) or (isinstance(target, (list, tuple)) and _holds_values(target)):
        raise TypeError(f"{loss}: targets must be numbers, not Values (they get no gradient)")
    try:
        array = np.asarray(target)
    except (TypeError, ValueError):  # ragged lists
        raise TypeError(f"{loss}: targets must be numbers, got {_describe(target)}") from None
    if array.dtype.kind not in "fiub":
        raise TypeError(f"{loss}: targets must be numbers, got {_describe(target)} (dtype {array.dtype})")
    return _fit_target(array.astype(np.float64), shape, loss)


def _fit_target(array: np.ndarray, shape: tuple, loss: str) -> np.ndarray:
    """``array`` in the output's ``shape``; (N,) and (N, 1) are taken as the same, other shapes are an error.

    Letting NumPy broadcast an (N,) target against (N, 1) outputs would silently compare every
    output with every target, which is why no other difference is tolerated.
    """
    if not np.all(np.isfinite(array)):
        bad = array[~np.isfinite(array)].reshape(-1)[0]
        raise ValueError(f"{loss}: targets must be finite numbers, got {bad}")
    if array.shape == shape:
        return array
    if array.size == int(np.prod(shape)) and [n for n in array.shape if n != 1] == [n for n in shape if n != 1]:
        return array.reshape(shape)
    raise ValueError(f"{loss}: output has shape {shape} but target has shape {array.shape}")


def _holds_values(items: Sequence) -> bool:
    return any(is_value(v) or (isinstance(v, (list, tuple)) and _holds_values(v)) for v in items)


def _describe(x: Any) -> str:
    return f"{type(x).__name__}" + (f" of shape {x.shape}" if isinstance(x, np.ndarray) else "")


def _check_binary_targets(target: np.ndarray, loss: str) -> None:
    if np.any((target < 0.0) | (target > 1.0)) or not np.all(np.isfinite(target)):
        raise ValueError(f"{loss}: targets must lie in [0, 1], got values from {target.min()} to {target.max()}")


def _check_sign_targets(target: np.ndarray, loss: str) -> None:
    bad = ~np.isin(target, (-1.0, 1.0))
    if np.any(bad):
        raise ValueError(f"{loss}: targets must be -1 or +1, got {float(target[bad].reshape(-1)[0])}")


def _class_targets(target: Any, shape: tuple, loss: str) -> np.ndarray:
    """Cross-entropy targets for logits of ``shape`` (examples × classes).

    One label per example (shape (N,)), passed on as they are: autograd's cross-entropy checks
    labels for both engines. Or one row of class probabilities (one-hot) per example, checked to
    lie in [0, 1] and returned as float64.
    """
    array = np.asarray(target.data if is_tensor(target) else target)
    if array.dtype.kind not in "fiub":
        raise TypeError(f"{loss}: targets must be class labels or probabilities, got dtype {array.dtype}")
    if array.shape == shape:
        array = array.astype(np.float64)
        _check_binary_targets(array, loss)
        return array
    if array.shape == shape[:1]:
        return array
    raise ValueError(
        f"{loss}: logits have shape {shape}; targets must be labels of shape {shape[:1]} "
        f"or one-hot of shape {shape}, got {array.shape}"
    )


# ---------------------------------------------------------------------- the scalar engine
def _reduce_values(terms: list[Value], reduction: str) -> Value | list[Value]:
    if reduction == "none":
        return terms
    total = sum(terms[1:], terms[0])  # a + node per term, no 0 to start from
    return total if reduction == "sum" else total / len(terms)


def _log_clamped(p: Value) -> Value:
    """log p, never below -100: the max holds p up so that log(0) does not occur."""
    if p.data > _SMALLEST_PROBABILITY:
        return p.log()
    return autograd.max([p, _SMALLEST_PROBABILITY]).log()


def _values_elementwise(output: Any, target: Any, reduction: str, loss: str, term, check=None) -> Any:
    values, shape = _flatten_values(output, loss)
    targets = _target_array(target, shape, loss).reshape(-1)
    if check is not None:
        check(targets, loss)
    return _reduce_values([term(x, float(t)) for x, t in zip(values, targets)], reduction)


def _bce_term(p: Value, t: float) -> Value:
    # Terms with weight 0 are skipped: a probability of exactly 1 with target 1 needs no log(1 - p).
    loss = None
    if t != 0.0:
        loss = -t * _log_clamped(p)
    if t != 1.0:
        other = -(1.0 - t) * _log_clamped(1.0 - p)
        loss = other if loss is None else loss + other
    return loss


def _bce_logits_term(x: Value, t: float) -> Value:
    # log(1 + e^x) = logsumexp(0, x): stable for any x, and its derivative is σ(x) even at x = 0.
    softplus = autograd.logsumexp([0.0, x])
    return softplus - t * x if t != 0.0 else softplus


def _cross_entropy_values(logits: Any, target: Any, reduction: str) -> Any:
    loss = "cross_entropy"
    if isinstance(logits, (list, tuple)) and logits and is_value(logits[0]):
        logits = [logits]  # one example's logits
        target = [target] if np.ndim(target) == 0 else [target]
    values, shape = _flatten_values(logits, loss)
    if len(shape) != 2:
        raise ValueError(f"{loss}: logits must be examples × classes, got shape {shape}")
    examples, classes = shape
    rows = [values[i * classes : (i + 1) * classes] for i in range(examples)]
    return autograd.cross_entropy(rows, _class_targets(target, shape, loss), reduction=reduction)


# ---------------------------------------------------------------------- the tensor engine
def _check_not_empty(output: Tensor, loss: str) -> None:
    if output.size == 0:
        raise ValueError(f"{loss}: the batch is empty (output of shape {output.shape}), so there is no loss")


def _tensor_target(output: Tensor, target: Any, loss: str) -> np.ndarray:
    _check_not_empty(output, loss)
    array = np.asarray(target.data if is_tensor(target) else target)
    if array.dtype.kind not in "fiub":
        raise TypeError(f"{loss}: targets must be numbers, got an array of dtype {array.dtype}")
    return _fit_target(array.astype(output.dtype), output.shape, loss)


def _reduce_tensor(losses: Tensor, reduction: str) -> Tensor:
    if reduction == "none":
        return losses
    return losses.sum() if reduction == "sum" else losses.mean()


def _tensor_l1(output: Tensor, target: Any, reduction: str) -> Tensor:
    return _reduce_tensor((output - _tensor_target(output, target, "l1_loss")).abs(), reduction)


def _tensor_mse(output: Tensor, target: Any, reduction: str) -> Tensor:
    return output.mse_loss(_tensor_target(output, target, "mse_loss"), reduction)  # one fused node


def _tensor_bce(probability: Tensor, target: Any, reduction: str) -> Tensor:
    loss = "binary_cross_entropy"
    t = _tensor_target(probability, target, loss)
    _check_binary_targets(t, loss)
    p = probability.data
    if not np.all((p >= 0.0) & (p <= 1.0)):
        raise ValueError(f"{loss}: inputs must be probabilities in [0, 1], got values from {p.min()} to {p.max()}")
    # clip(…, e^-100) then log is max(log …, -100): PyTorch's clamp, without log(0).
    log_p = probability.clip(low=_SMALLEST_PROBABILITY).log()
    log_not_p = (1.0 - probability).clip(low=_SMALLEST_PROBABILITY).log()
    return _reduce_tensor(-(t * log_p + (1.0 - t) * log_not_p), reduction)


def _tensor_bce_logits(logits: Tensor, target: Any, reduction: str) -> Tensor:
    loss = "binary_cross_entropy_with_logits"
    t = _tensor_target(logits, target, loss)
    _check_binary_targets(t, loss)
    # log(1 + e^x) = logsumexp(0, x) along a new last axis: stable, with derivative σ(x) everywhere.
    softplus = stack([np.zeros(logits.shape, dtype=logits.dtype), logits], axis=-1).logsumexp(axis=-1)
    return _reduce_tensor(softplus - t * logits, reduction)


def _tensor_cross_entropy(logits: Tensor, target: Any, reduction: str) -> Tensor:
    loss = "cross_entropy"
    if logits.ndim != 2:
        raise ValueError(f"{loss}: logits must be examples × classes, got shape {logits.shape}")
    _check_not_empty(logits, loss)
    target = _class_targets(target, logits.shape, loss)
    if target.dtype.kind == "f" and target.shape == logits.shape:
        target = target.astype(logits.dtype)
    return autograd.cross_entropy(logits, target, reduction=reduction)  # fused: stable log-softmax, one backward rule


def _tensor_hinge(scores: Tensor, target: Any, reduction: str) -> Tensor:
    t = _tensor_target(scores, target, "hinge_loss")
    _check_sign_targets(t, "hinge_loss")
    return _reduce_tensor((1.0 - t * scores).relu(), reduction)


# ---------------------------------------------------------------------- the losses
def l1_loss(output: Any, target: Any, reduction: str = "mean") -> Any:
    """Mean absolute error: |output - target|, averaged (or summed) over every entry."""
    _check_reduction(reduction)
    if is_tensor(output):
        return _tensor_l1(output, target, reduction)
    return _values_elementwise(output, target, reduction, "l1_loss", lambda x, t: (x - t).abs())


mae_loss = l1_loss


def mse_loss(output: Any, target: Any, reduction: str = "mean") -> Any:
    """Mean squared error: (output - target)², averaged (or summed) over every entry."""
    _check_reduction(reduction)
    if is_tensor(output):
        return _tensor_mse(output, target, reduction)
    return _values_elementwise(output, target, reduction, "mse_loss", lambda x, t: (x - t) ** 2)


def binary_cross_entropy(probability: Any, target: Any, reduction: str = "mean") -> Any:
    """-(t·log p + (1 - t)·log(1 - p)) for probabilities p (after a sigmoid) and targets t in [0, 1].

    Logs are clamped at -100 as in PyTorch. Prefer ``binary_cross_entropy_with_logits`` on the raw
    scores: it is exact where this one has to clamp.
    """
    _check_reduction(reduction)
    if is_tensor(probability):
        return _tensor_bce(probability, target, reduction)
    values, _ = _flatten_values(probability, "binary_cross_entropy")
    outside = [v.data for v in values if not 0.0 <= v.data <= 1.0]
    if outside:
        raise ValueError(f"binary_cross_entropy: inputs must be probabilities in [0, 1], got {outside[0]}")
    return _values_elementwise(
        probability, target, reduction, "binary_cross_entropy", _bce_term, _check_binary_targets
    )


def binary_cross_entropy_with_logits(logits: Any, target: Any, reduction: str = "mean") -> Any:
    """Binary cross-entropy of σ(logits), computed stably as log(1 + eˣ) - t·x."""
    _check_reduction(reduction)
    if is_tensor(logits):
        return _tensor_bce_logits(logits, target, reduction)
    return _values_elementwise(
        logits, target, reduction, "binary_cross_entropy_with_logits", _bce_logits_term, _check_binary_targets
    )


def cross_entropy(logits: Any, target: Any, reduction: str = "mean") -> Any:
    """Cross-entropy of softmax(logits), computed stably as logsumexp(z) - z_label.

    ``logits`` is examples × classes; ``target`` holds one integer label per example, or one
    row of class probabilities (one-hot) per example. ``"mean"`` averages over examples.
    """
    _check_reduction(reduction)
    if is_tensor(logits):
        return _tensor_cross_entropy(logits, target, reduction)
    return _cross_entropy_values(logits, target, reduction)


def hinge_loss(scores: Any, target: Any, reduction: str = "mean") -> Any:
    """max(0, 1 - t·score) with targets t of -1 or +1: zero once an example is on the right side by 1."""
    _check_reduction(reduction)
    if is_tensor(scores):
        return _tensor_hinge(scores, target, reduction)
    return _values_elementwise(
        scores, target, reduction, "hinge_loss", lambda x, t: (1.0 - t * x).relu(), _check_sign_targets
    )


# ---------------------------------------------------------------------- loss objects
class _Loss:
    """A loss as an object, as in PyTorch: ``loss_fn = MSELoss(); loss = loss_fn(output, target)``."""

    function = staticmethod(mse_loss)

    def __init__(self, reduction: str = "mean") -> None:
        _check_reduction(reduction)
        self.reduction = reduction

    def __call__(self, output: Any, target: Any) -> Any:
        return type(self).function(output, target, self.reduction)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(reduction={self.reduction!r})"


class L1Loss(_Loss):
    """Mean absolute error (``l1_loss``)."""

    function = staticmethod(l1_loss)


MAELoss = L1Loss


class MSELoss(_Loss):
    """Mean squared error (``mse_loss``)."""

    function = staticmethod(mse_loss)


class BCELoss(_Loss):
    """Binary cross-entropy on probabilities (``binary_cross_entropy``)."""

    function = staticmethod(binary_cross_entropy)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy on logits, stable (``binary_cross_entropy_with_logits``)."""

    function = staticmethod(binary_cross_entropy_with_logits)


class CrossEntropyLoss(_Loss):
    """Cross-entropy on logits with integer or one-hot targets (``cross_entropy``)."""

    function = staticmethod(cross_entropy)


class HingeLoss(_Loss):
    """Hinge loss with ±1 targets (``hinge_loss``)."""

    function = staticmethod(hinge_loss)


# ---------------------------------------------------------------------- losses by name
#: Loss names ``fit`` (and ``evaluate``) accept in place of a function.
LOSSES: dict[str, Callable] = {
    "mse": mse_loss,
    "mae": l1_loss,
    "l1": l1_loss,
    "bce": binary_cross_entropy,
    "bce_with_logits": binary_cross_entropy_with_logits,
    "cross_entropy": cross_entropy,
    "hinge": hinge_loss,
}


def get_loss(loss_fn: Callable | str) -> Callable:
    """The loss named ``loss_fn`` (a key of ``LOSSES``), or ``loss_fn`` itself when it is a function or loss object."""
    if isinstance(loss_fn, str):
        if loss_fn not in LOSSES:
            raise ValueError(f"unknown loss {loss_fn!r}; choose one of {sorted(LOSSES)} or pass a function")
        return LOSSES[loss_fn]
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be a loss function or its name, got {type(loss_fn).__name__}")
    return loss_fn
