"""The engines the shared tests run on, behind one small common API: the one adapter module.

- ``VALUE_OPS``: the scalar engine applied element by element (object arrays of ``Value``);
- ``TENSOR_OPS``: ``autograd.Tensor``;
- ``TorchOps(torch)``: PyTorch, as the outside reference.

Arithmetic (``+ - * / ** @``, unary ``-``) and indexing use Python's operators, which all three
understand; everything else goes through the adapter (``ops.exp(x)``, ``ops.sum(x, axis=0)``,
...). A test written once against ``ops`` runs on every engine, so drift between the engines
shows up as a failing test rather than as two diverging copies of the test.
tests/autograd/test_parity.py checks that every name of the API the cases use is an op of the
engines (or a composition it lists), and that every op the engines record is used by a case.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import autograd
import autograd.value as scalar
from autograd import Tensor, Value
from autograd import functional as F

# ---------------------------------------------------------------------- object arrays of Values


def to_values(array: np.ndarray) -> np.ndarray:
    """An object array of fresh ``Value`` leaves holding ``array``'s numbers (same shape)."""
    array = np.asarray(array, dtype=np.float64)
    out = np.empty(array.shape, dtype=object)
    for i, number in enumerate(array.flat):
        out.flat[i] = Value(float(number))
    return out


def _as_object_array(x: Any) -> np.ndarray:
    """A Value or an object array as an object array (NumPy turns 0-d object results into scalars)."""
    if isinstance(x, np.ndarray):
        return x
    out = np.empty((), dtype=object)
    out[()] = x
    return out


def values_data(values: Any) -> np.ndarray:
    """The numbers held by an object array of Values, as a float64 array."""
    values = _as_object_array(values)
    return np.array([v.data for v in values.flat], dtype=np.float64).reshape(values.shape)


def values_grad(values: Any) -> np.ndarray:
    """The grads of an object array of Values, as a float64 array."""
    values = _as_object_array(values)
    return np.array([v.grad for v in values.flat], dtype=np.float64).reshape(values.shape)


def _map(f: Callable, x: Any) -> Any:
    """``f`` applied to every Value of ``x``; a single Value gives a single Value, as NumPy's scalars do."""
    if not isinstance(x, np.ndarray):
        return f(x)
    out = np.empty(x.shape, dtype=object)
    for i, v in enumerate(x.flat):
        out.flat[i] = f(v)
    return out


def _map2(f: Callable, a: Any, b: Any) -> Any:
    if not isinstance(a, np.ndarray) and not isinstance(b, np.ndarray):
        return f(a, b)
    a, b = np.broadcast_arrays(_as_object_array(a), _as_object_array(b))
    out = np.empty(a.shape, dtype=object)
    for i, (u, v) in enumerate(zip(a.flat, b.flat)):
        out.flat[i] = f(u, v)
    return out


def _reduce_along(x: Any, axis: int | None, keepdims: bool, f: Callable) -> Any:
    """Apply ``f`` (a list of Values -> one Value) to every line of ``x`` along ``axis``.

    A reduction to no axes at all gives the Value itself, as NumPy gives a scalar.
    """
    x = _as_object_array(x)
    if axis is None:
        total = f(list(x.flat))
        return _as_object_array(total).reshape((1,) * x.ndim) if keepdims else total
    axes = tuple(a % x.ndim for a in (axis if isinstance(axis, (tuple, list)) else (axis,)))
    lines = np.moveaxis(x, axes, tuple(range(-len(axes), 0)))
    lines = lines.reshape(lines.shape[: x.ndim - len(axes)] + (-1,))
    out = np.empty(lines.shape[:-1], dtype=object)
    for index in np.ndindex(out.shape):
        out[index] = f(list(lines[index]))
    if keepdims:
        return np.expand_dims(out, axes)
    return out[()] if out.ndim == 0 else out


def _map_along(x: Any, axis: int, f: Callable) -> np.ndarray:
    """Apply ``f`` (a list of Values -> a list of Values) to every line of ``x`` along ``axis``."""
    lines = np.moveaxis(_as_object_array(x), axis, -1)
    out = np.empty(lines.shape, dtype=object)
    for index in np.ndindex(lines.shape[:-1]):
        out[index] = f(list(lines[index]))
    return np.moveaxis(out, -1, axis)


def _number(x: Any) -> float:
    return x.data if isinstance(x, Value) else x


def _value_min(values: list) -> Value:
    return -scalar.max([-v for v in values])


# ---------------------------------------------------------------------- the common API, three times
class ValueOps:
    """The scalar engine, element by element, on object arrays of Values."""

    name = "value"

    def wrap(self, array: np.ndarray) -> np.ndarray:
        return to_values(array)

    def data(self, x: Any) -> np.ndarray:
        return values_data(x)

    def grad(self, x: Any) -> np.ndarray:
        return values_grad(x)

    def weighted_sum(self, out: Any, weights: np.ndarray) -> Value:
        out = _as_object_array(out)
        total = Value(0.0)
        for v, w in zip(out.flat, weights.flat):
            total = total + v * float(w)
        return total

    def backward(self, loss: Value) -> None:
        loss.backward()

    # one input
    def exp(self, x):
        return _map(lambda v: v.exp(), x)

    def log(self, x):
        return _map(lambda v: v.log(), x)

    def sqrt(self, x):
        return _map(lambda v: v.sqrt(), x)

    def tanh(self, x):
        return _map(lambda v: v.tanh(), x)

    def sigmoid(self, x):
        return _map(lambda v: v.sigmoid(), x)

    def relu(self, x):
        return _map(lambda v: v.relu(), x)

    def leaky_relu(self, x, alpha):
        return _map(lambda v: v.leaky_relu(alpha), x)

    def elu(self, x, alpha):
        return _map(lambda v: v.elu(alpha), x)

    def abs(self, x):
        return _map(lambda v: v.abs(), x)

    def clip(self, x, low, high):
        return _map(lambda v: _value_min([scalar.max([v, low]), high]), x)

    # two inputs: at a tie each input gets half the grad, as Tensor.maximum and torch.maximum
    def maximum(self, a, b):
        return _map2(lambda u, v: (u + v) * 0.5 if _number(u) == _number(v) else scalar.max([u, v]), a, b)

    def minimum(self, a, b):
        return _map2(lambda u, v: (u + v) * 0.5 if _number(u) == _number(v) else _value_min([u, v]), a, b)

    def linear(self, x, weight, bias=None):
        # The scalar engine's fused w·x+b (``autograd.weighted_sum``), once per row and output.
        x = _as_object_array(x)
        rows = x.reshape(-1, x.shape[-1])
        out = np.empty((len(rows), len(weight)), dtype=object)
        for i, row in enumerate(rows):
            for j, w in enumerate(weight):
                b = Value(0.0) if bias is None else bias[j]
                out[i, j] = autograd.weighted_sum(list(w), list(row), b)
        return out.reshape(x.shape[:-1] + (len(weight),))

    # reductions and functions along an axis
    def sum(self, x, axis=None, keepdims=False):
        return _reduce_along(x, axis, keepdims, _value_sum)

    def mean(self, x, axis=None, keepdims=False):
        return _reduce_along(x, axis, keepdims, lambda vs: _value_sum(vs) / len(vs))

    def max(self, x, axis=None, keepdims=False):
        return _reduce_along(x, axis, keepdims, scalar.max)

    def logsumexp(self, x, axis=-1, keepdims=False):
        return _reduce_along(x, axis, keepdims, F.logsumexp)

    def softmax(self, x, axis=-1):
        return _map_along(x, axis, F.softmax)

    def log_softmax(self, x, axis=-1):
        return _map_along(x, axis, F.log_softmax)

    def mse_loss(self, x, targets, reduction="mean"):
        squares = (x - targets) ** 2  # NumPy applies Value's - and ** to each entry
        if reduction == "none":
            return squares
        total = _value_sum(list(squares.flat))
        return total / squares.size if reduction == "mean" else total

    def cross_entropy(self, logits, targets, reduction="mean"):
        # The library's own scalar cross-entropy, one row of Values at a time.
        rows = [list(row) for row in _as_object_array(logits).reshape(-1, logits.shape[-1])]
        out = autograd.cross_entropy(rows if logits.ndim == 2 else rows[0], targets, reduction=reduction)
        return np.array(out, dtype=object) if isinstance(out, list) else out

    # shape
    def reshape(self, x, shape):
        return x.reshape(shape)

    def flatten(self, x, start_axis=0):
        return x.reshape(x.shape[:start_axis] + (-1,))

    def transpose(self, x, axes=None):
        return x.transpose(axes)

    def concatenate(self, xs, axis=0):
        return np.concatenate(xs, axis=axis)

    def stack(self, xs, axis=0):
        return np.stack(xs, axis=axis)

    def where(self, condition, a, b):
        picked = np.where(condition, a, b)
        return _map(lambda v: v if isinstance(v, Value) else Value(v), picked)

    def broadcast_to(self, x, shape):
        return np.broadcast_to(_as_object_array(x), shape)  # the same Value read at every copy


def _value_sum(values: list) -> Value:
    total = values[0]
    for v in values[1:]:
        total = total + v
    return total


class TensorOps:
    """The tensor engine, ``autograd.Tensor``, in float64."""

    name = "tensor"

    def wrap(self, array: np.ndarray) -> Tensor:
        return Tensor(np.array(array, dtype=np.float64), requires_grad=True)

    def data(self, x: Tensor) -> np.ndarray:
        return np.asarray(x.data, dtype=np.float64)

    def grad(self, x: Tensor) -> np.ndarray:
        return np.zeros(x.shape) if x.grad is None else np.asarray(x.grad, dtype=np.float64)

    def weighted_sum(self, out: Tensor, weights: np.ndarray) -> Tensor:
        return (out * weights).sum()

    def backward(self, loss: Tensor) -> None:
        loss.backward()

    def __getattr__(self, name: str) -> Callable:
        # exp, sum, softmax, ...: the Tensor method of the same name, looked up at call time.
        return lambda x, *args, **kwargs: getattr(x, name)(*args, **kwargs)

    linear = staticmethod(F.linear)
    cross_entropy = staticmethod(F.cross_entropy)
    concatenate = staticmethod(F.concatenate)
    stack = staticmethod(F.stack)
    where = staticmethod(F.where)

    def transpose(self, x, axes=None):
        return x.transpose() if axes is None else x.transpose(axes)

    def broadcast_to(self, x, shape):
        return x + Tensor(np.zeros(shape, dtype=x.dtype))  # the backward of the add sums the copies


class TorchOps:
    """PyTorch in float64, the outside reference."""

    name = "torch"

    def __init__(self, torch: Any) -> None:
        self.torch = torch
        self.nnf = torch.nn.functional

    def wrap(self, array: np.ndarray):
        return self.torch.tensor(np.array(array, dtype=np.float64), requires_grad=True)

    def data(self, x) -> np.ndarray:
        return x.detach().numpy().astype(np.float64)

    def grad(self, x) -> np.ndarray:
        return np.zeros(tuple(x.shape)) if x.grad is None else x.grad.numpy().astype(np.float64)

    def weighted_sum(self, out, weights: np.ndarray):
        return (out * self.torch.tensor(weights)).sum()

    def backward(self, loss) -> None:
        loss.backward()

    def _index(self, index):
        """NumPy's index in PyTorch's terms: arrays, lists and tuples of positions become tensors."""
        if isinstance(index, tuple):
            return tuple(self.torch.tensor(i) if isinstance(i, (tuple, list)) else self._index(i) for i in index)
        if isinstance(index, list):
            return self.torch.tensor(index)
        return self.torch.from_numpy(index) if isinstance(index, np.ndarray) else index

    def exp(self, x):
        return x.exp()

    def log(self, x):
        return x.log()

    def sqrt(self, x):
        return x.sqrt()

    def tanh(self, x):
        return x.tanh()

    def sigmoid(self, x):
        return x.sigmoid()

    def relu(self, x):
        return x.relu()

    def leaky_relu(self, x, alpha):
        return self.nnf.leaky_relu(x, alpha)

    def elu(self, x, alpha):
        return self.nnf.elu(x, alpha)

    def abs(self, x):
        return x.abs()

    def clip(self, x, low, high):
        return x.clamp(low, high)

    def maximum(self, a, b):
        return self.torch.maximum(a, self._lift(b))

    def minimum(self, a, b):
        return self.torch.minimum(a, self._lift(b))

    def _lift(self, x):
        return x if isinstance(x, self.torch.Tensor) else self.torch.tensor(np.asarray(x, dtype=np.float64))

    def linear(self, x, weight, bias=None):
        return self.nnf.linear(x, weight, bias)

    def sum(self, x, axis=None, keepdims=False):
        return x.sum() if axis is None else x.sum(dim=axis, keepdim=keepdims)

    def mean(self, x, axis=None, keepdims=False):
        return x.mean() if axis is None else x.mean(dim=axis, keepdim=keepdims)

    def max(self, x, axis=None, keepdims=False):
        if axis is None:
            out = x.max()
            return out.reshape((1,) * x.ndim) if keepdims else out
        if isinstance(axis, (tuple, list)):
            return x.amax(dim=tuple(axis), keepdim=keepdims)
        return x.max(dim=axis, keepdim=keepdims).values

    def logsumexp(self, x, axis=-1, keepdims=False):
        dims = tuple(range(x.ndim)) if axis is None else axis
        return self.torch.logsumexp(x, dim=dims, keepdim=keepdims)

    def softmax(self, x, axis=-1):
        return self.torch.softmax(x, dim=axis)

    def log_softmax(self, x, axis=-1):
        return self.torch.log_softmax(x, dim=axis)

    def cross_entropy(self, logits, targets, reduction="mean"):
        return self.nnf.cross_entropy(logits, self.torch.from_numpy(np.asarray(targets)), reduction=reduction)

    def mse_loss(self, x, targets, reduction="mean"):
        if not isinstance(targets, self.torch.Tensor):
            targets = self.torch.as_tensor(np.asarray(targets), dtype=x.dtype)
        return self.nnf.mse_loss(x, targets.expand_as(x), reduction=reduction)

    def reshape(self, x, shape):
        return x.reshape(shape)

    def flatten(self, x, start_axis=0):
        return self.torch.flatten(x, start_axis)

    def transpose(self, x, axes=None):
        return x.permute(tuple(range(x.ndim))[::-1] if axes is None else axes)

    def concatenate(self, xs, axis=0):
        return self.torch.cat(xs, dim=axis)

    def stack(self, xs, axis=0):
        return self.torch.stack(xs, dim=axis)

    def where(self, condition, a, b):
        return self.torch.where(self.torch.from_numpy(np.asarray(condition)), a, self._lift(b))

    def index(self, x, index):
        return x[self._index(index)]

    def broadcast_to(self, x, shape):
        return self.torch.broadcast_to(x, shape)


def index_with_arrays(ops: Any, x: Any, index: Any) -> Any:
    """``x[index]``; PyTorch wants its own tensors where NumPy index arrays are given."""
    return ops.index(x, index) if isinstance(ops, TorchOps) else x[index]


VALUE_OPS = ValueOps()
TENSOR_OPS = TensorOps()
