"""The one shared list of gradient test cases, and the three engines that run them.

Each case is a function written once against a tiny common API, ``ops``, and is run on:

- ``VALUE_OPS``: the scalar engine applied element by element (object arrays of ``Value``);
- ``TENSOR_OPS``: ``autograd.Tensor``;
- ``TorchOps(torch)``: PyTorch, as the outside reference.

Arithmetic (``+ - * / ** @``, unary ``-``) and indexing use Python's operators, which all three
understand; everything else goes through ``ops``. Drift between the engines therefore shows up
as a failing test rather than as two diverging copies of each case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

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


def _map(f: Callable, x: Any) -> np.ndarray:
    x = _as_object_array(x)
    out = np.empty(x.shape, dtype=object)
    for i, v in enumerate(x.flat):
        out.flat[i] = f(v)
    return out


def _map2(f: Callable, a: Any, b: Any) -> np.ndarray:
    a, b = np.broadcast_arrays(_as_object_array(a), _as_object_array(b))
    out = np.empty(a.shape, dtype=object)
    for i, (u, v) in enumerate(zip(a.flat, b.flat)):
        out.flat[i] = f(u, v)
    return out


def _reduce_along(x: Any, axis: int | None, keepdims: bool, f: Callable) -> np.ndarray:
    """Apply ``f`` (a list of Values -> one Value) to every line of ``x`` along ``axis``."""
    x = _as_object_array(x)
    if axis is None:
        out = _as_object_array(f(list(x.flat)))
        return out.reshape((1,) * x.ndim) if keepdims else out
    axes = tuple(a % x.ndim for a in (axis if isinstance(axis, (tuple, list)) else (axis,)))
    lines = np.moveaxis(x, axes, tuple(range(-len(axes), 0)))
    lines = lines.reshape(lines.shape[: x.ndim - len(axes)] + (-1,))
    out = np.empty(lines.shape[:-1], dtype=object)
    for index in np.ndindex(out.shape):
        out[index] = f(list(lines[index]))
    return np.expand_dims(out, axes) if keepdims else out


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
        out = x @ weight.T
        return out if bias is None else out + bias

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

    def cross_entropy(self, logits, targets, reduction="mean"):
        log_probs = self.log_softmax(logits, axis=-1)
        if targets.dtype.kind == "f":  # probabilities
            losses = -self.sum(log_probs * targets, axis=-1)
        else:
            losses = -log_probs[np.arange(len(targets)), targets]
        return {"mean": self.mean, "sum": self.sum, "none": lambda x: x}[reduction](losses)

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


def _index_with_arrays(ops: Any, x: Any, index: Any) -> Any:
    """``x[index]``; PyTorch wants its own tensors where NumPy index arrays are given."""
    return ops.index(x, index) if isinstance(ops, TorchOps) else x[index]


VALUE_OPS = ValueOps()
TENSOR_OPS = TensorOps()


# ---------------------------------------------------------------------- the cases
@dataclass(frozen=True)
class Case:
    """A function of one or more arrays, ``fn(ops, *inputs)``, with how to draw its inputs.

    ``domains`` (one per input) says which numbers suit it: "real" (standard normal),
    "positive" (0.5..2), "away" (±0.5..2, away from 0) or "extreme" (about ±1e4).
    """

    name: str
    fn: Callable[..., Any]
    shapes: tuple
    domains: tuple = ()

    def inputs(self, seed: int = 0) -> list:
        """The case's inputs as float64 arrays, drawn from a fixed seed."""
        rng = np.random.default_rng([seed, len(self.name), sum(map(ord, self.name))])
        domains = self.domains or ("real",) * len(self.shapes)
        return [draw(rng, shape, domain) for shape, domain in zip(self.shapes, domains)]


def draw(rng: np.random.Generator, shape: tuple, domain: str) -> np.ndarray:
    """Random float64 numbers of ``shape`` suited to ``domain`` (see ``Case``)."""
    if domain == "real":
        return rng.standard_normal(shape)
    if domain == "positive":
        return rng.uniform(0.5, 2.0, shape)
    if domain == "away":
        return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.5, 2.0, shape)
    if domain == "extreme":
        return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.5, 1.0, shape) * 1e4
    raise ValueError(f"unknown domain {domain!r}")


LABELS = np.array([2, 0, 3])
ONE_HOT = np.eye(4)[LABELS]
MASK = np.array([[True, False, True, True], [False, False, True, False], [True, True, False, True]])
CONDITION = np.array([[True], [False], [True]])
REPEATS = np.array([0, 2, 2, 1, 0])


def case(name: str, shapes: tuple, domains: tuple = ()) -> Callable:
    """Register ``fn`` in ``CASES``."""

    def register(fn: Callable) -> Callable:
        CASES.append(Case(name, fn, shapes, domains))
        return fn

    return register


CASES: list[Case] = []

# arithmetic, with broadcasting
case("add", ((3, 4), (3, 4)))(lambda ops, a, b: a + b)
case("add_broadcast_column_row", ((3, 1), (1, 4)))(lambda ops, a, b: a + b)
case("add_number_both_sides", ((2, 3),))(lambda ops, a: (a + 1.5) + (2.0 + a))
case("sub_broadcast_leading", ((2, 3, 4), (4,)))(lambda ops, a, b: a - b)
case("rsub", ((3,),))(lambda ops, a: 1.0 - a)
case("mul_broadcast", ((2, 1, 4), (3, 1)))(lambda ops, a, b: a * b)
case("mul_self", ((2, 3),))(lambda ops, a: a * a)
case("mul_scalar_tensor", ((), (2, 3)))(lambda ops, s, b: s * b)
case("div_broadcast", ((3, 4), (4,)), ("real", "away"))(lambda ops, a, b: a / b)
case("rdiv", ((2, 3),), ("away",))(lambda ops, a: 2.0 / a)
case("neg", ((2, 3),))(lambda ops, a: -a)
case("pow_square", ((2, 3),))(lambda ops, a: a**2)
case("pow_cube", ((4,),))(lambda ops, a: a**3)
case("pow_half", ((2, 3),), ("positive",))(lambda ops, a: a**0.5)
case("pow_negative", ((2, 3),), ("positive",))(lambda ops, a: a**-1.5)
case("rpow", ((2, 3),))(lambda ops, a: 2.0**a)
case("pow_tensor_tensor", ((2, 3), (3,)), ("positive", "real"))(lambda ops, a, b: a**b)

# functions of one input
case("exp", ((2, 3),))(lambda ops, a: ops.exp(a))
case("log", ((2, 3),), ("positive",))(lambda ops, a: ops.log(a))
case("sqrt", ((2, 3),), ("positive",))(lambda ops, a: ops.sqrt(a))
case("tanh", ((2, 3),))(lambda ops, a: ops.tanh(a))
case("sigmoid", ((2, 3),))(lambda ops, a: ops.sigmoid(a))
case("sigmoid_large", ((2, 3),), ("away",))(lambda ops, a: ops.sigmoid(a * 20.0))
case("relu", ((3, 4),), ("away",))(lambda ops, a: ops.relu(a))
case("leaky_relu", ((3, 4),), ("away",))(lambda ops, a: ops.leaky_relu(a, 0.1))
case("elu", ((3, 4),), ("away",))(lambda ops, a: ops.elu(a, 0.7))
case("abs", ((3, 4),), ("away",))(lambda ops, a: ops.abs(a))
case("clip", ((3, 4),), ("away",))(lambda ops, a: ops.clip(a, -1.0, 1.2))

# functions of two inputs
case("maximum_broadcast", ((3, 4), (4,)))(lambda ops, a, b: ops.maximum(a, b))
case("minimum_broadcast", ((3, 1), (1, 4)))(lambda ops, a, b: ops.minimum(a, b))
case("maximum_number", ((3, 4),), ("away",))(lambda ops, a: ops.maximum(a, 0.0))
case("maximum_minimum_ties_split", ((3,),))(lambda ops, a: ops.maximum(a, a * 1.0) + ops.minimum(a * 2.0, a + a))

# matmul, like NumPy's
case("matmul_2d", ((3, 4), (4, 2)))(lambda ops, a, b: a @ b)
case("matmul_1d_2d", ((4,), (4, 3)))(lambda ops, a, b: a @ b)
case("matmul_2d_1d", ((3, 4), (4,)))(lambda ops, a, b: a @ b)
case("matmul_1d_1d", ((4,), (4,)))(lambda ops, a, b: a @ b)
case("matmul_batched_2d", ((2, 3, 4), (4, 2)))(lambda ops, a, b: a @ b)
case("matmul_batched_batched", ((2, 3, 4), (2, 4, 2)))(lambda ops, a, b: a @ b)
case("matmul_broadcast_batches", ((2, 1, 3, 2), (3, 2, 2)))(lambda ops, a, b: a @ b)
case("matmul_1d_batched", ((3,), (2, 3, 2)))(lambda ops, a, b: a @ b)
case("matmul_batched_1d", ((2, 2, 3), (3,)))(lambda ops, a, b: a @ b)
case("linear", ((5, 3), (4, 3), (4,)))(lambda ops, x, w, b: ops.linear(x, w, b))
case("linear_no_bias", ((5, 3), (4, 3)))(lambda ops, x, w: ops.linear(x, w))
case("linear_batched", ((2, 3, 3), (2, 3), (2,)))(lambda ops, x, w, b: ops.linear(x, w, b))

# reductions
case("sum_all", ((2, 3, 2),))(lambda ops, a: ops.sum(a))
case("sum_axis0", ((3, 4),))(lambda ops, a: ops.sum(a, axis=0))
case("sum_last_keepdims", ((2, 3, 4),))(lambda ops, a: ops.sum(a, axis=-1, keepdims=True))
case("sum_axes_tuple", ((2, 3, 4),))(lambda ops, a: ops.sum(a, axis=(0, 2)))
case("mean_all", ((3, 4),))(lambda ops, a: ops.mean(a))
case("mean_axis1", ((3, 4),))(lambda ops, a: ops.mean(a, axis=1))
case("mean_keepdims_broadcast_back", ((3, 4),))(lambda ops, a: a - ops.mean(a, axis=0, keepdims=True))
case("max_all", ((3, 4),))(lambda ops, a: ops.max(a))
case("max_axis0", ((3, 4),))(lambda ops, a: ops.max(a, axis=0))
case("max_axis1_keepdims", ((3, 4),))(lambda ops, a: a - ops.max(a, axis=1, keepdims=True))

# softmax and friends, numerically stable
case("softmax_last", ((3, 4),))(lambda ops, a: ops.softmax(a))
case("softmax_axis0", ((3, 4),))(lambda ops, a: ops.softmax(a, axis=0))
case("log_softmax_last", ((3, 4),))(lambda ops, a: ops.log_softmax(a))
case("log_softmax_axis0", ((3, 4),))(lambda ops, a: ops.log_softmax(a, axis=0))
case("logsumexp_last", ((3, 4),))(lambda ops, a: ops.logsumexp(a))
case("logsumexp_axis0_keepdims", ((3, 4),))(lambda ops, a: ops.logsumexp(a, axis=0, keepdims=True))
case("logsumexp_all", ((3, 4),))(lambda ops, a: ops.logsumexp(a, axis=None))
case("softmax_extreme", ((3, 4),), ("extreme",))(lambda ops, a: ops.softmax(a))
case("log_softmax_extreme", ((3, 4),), ("extreme",))(lambda ops, a: ops.log_softmax(a))
case("logsumexp_extreme", ((3, 4),), ("extreme",))(lambda ops, a: ops.logsumexp(a))
case("cross_entropy_labels_mean", ((3, 4),))(lambda ops, a: ops.cross_entropy(a, LABELS))
case("cross_entropy_labels_sum", ((3, 4),))(lambda ops, a: ops.cross_entropy(a, LABELS, reduction="sum"))
case("cross_entropy_labels_none", ((3, 4),))(lambda ops, a: ops.cross_entropy(a, LABELS, reduction="none"))
case("cross_entropy_one_hot", ((3, 4),))(lambda ops, a: ops.cross_entropy(a, ONE_HOT))
case("cross_entropy_extreme", ((3, 4),), ("extreme",))(
    lambda ops, a: ops.cross_entropy(a, LABELS)
)

# shape
case("reshape", ((2, 3, 2),))(lambda ops, a: ops.reshape(a, (3, 4)) * ops.reshape(a, (3, 4)))
case("flatten_keep_batch", ((2, 3, 2),))(lambda ops, a: ops.flatten(a, 1) * 2.0)
case("transpose_reverse", ((2, 3, 4),))(lambda ops, a: ops.transpose(a) * ops.transpose(a))
case("transpose_axes", ((2, 3, 4),), ())(lambda ops, a: ops.transpose(a, (1, 2, 0)) * 3.0)
case("transpose_negative_axes", ((2, 3, 4),))(lambda ops, a: ops.transpose(a, (-1, 0, 1)) * 3.0)
case("transpose_matmul", ((3, 2),))(lambda ops, a: ops.transpose(a) @ a)

# indexing
case("index_int", ((3, 4),))(lambda ops, a: a[1] * 2.0)
case("index_negative_int", ((3, 4),))(lambda ops, a: a[-1] * a[0])
case("index_slices_step", ((5, 4),))(lambda ops, a: a[1::2, :3] * 2.0)
case("index_int_and_slice", ((3, 4, 2),))(lambda ops, a: a[2, 1:, 0] * 3.0)
case("index_bool_mask", ((3, 4),))(lambda ops, a: a[MASK] * 2.0)
case("index_int_array_repeats", ((3, 4),))(lambda ops, a: _index_with_arrays(ops, a, (REPEATS,)) * 2.0)
case("index_int_arrays_pairs", ((3, 4),))(
    lambda ops, a: _index_with_arrays(ops, a, (np.array([0, 2, 2, 0]), np.array([1, 3, 3, 1]))) * 2.0
)
case("index_rows_with_repeats_columns_slice", ((3, 4),))(
    lambda ops, a: _index_with_arrays(ops, a, (np.array([1, 1, 0]), slice(1, 3))) * 2.0
)

# several tensors
case("concatenate_axis0", ((2, 3), (1, 3), (3, 3)))(lambda ops, a, b, c: ops.concatenate([a, b, c], axis=0) * 2.0)
case("concatenate_axis1_same_input", ((2, 3), (2, 1)))(lambda ops, a, b: ops.concatenate([a, b, a], axis=1) * 2.0)
case("stack_axis0", ((2, 3), (2, 3)))(lambda ops, a, b: ops.stack([a, b]) * 2.0)
case("stack_last", ((2, 3), (2, 3)))(lambda ops, a, b: ops.stack([a, b, a], axis=-1) * 2.0)
case("where_broadcast", ((3, 4), (4,)))(lambda ops, a, b: ops.where(CONDITION, a, b) * 2.0)
case("where_number", ((3, 4),))(lambda ops, a: ops.where(MASK, a, 0.0) * 2.0)

# compositions: reuse of nodes, a layer, a normalisation
case("reuse_node", ((2, 3),))(lambda ops, a: (lambda y: y * y + y / (y * y + 1.0))(a * 2.0 - 1.0))
case("tanh_layer", ((4, 3), (3, 2), (2,)))(lambda ops, x, w, b: ops.tanh(x @ w + b))
case("two_layer_mlp_cross_entropy", ((3, 2), (4, 2), (4,), (4, 4)))(
    lambda ops, x, w1, b1, w2: ops.cross_entropy(ops.relu(ops.linear(x, w1, b1)) @ w2, LABELS)
)
case("normalise_rows", ((3, 4),))(
    lambda ops, a: (a - ops.mean(a, axis=1, keepdims=True))
    / ops.sqrt(ops.mean((a - ops.mean(a, axis=1, keepdims=True)) ** 2, axis=1, keepdims=True) + 1e-3)
)
case("softmax_attention", ((3, 2), (4, 2), (4, 2)))(
    lambda ops, q, k, v: ops.softmax(q @ ops.transpose(k) * 0.5) @ v
)
case("sigmoid_of_exp_of_log", ((2, 3),), ("positive",))(lambda ops, a: ops.sigmoid(ops.exp(ops.log(a)) - 1.0))


def run(test_case: Case, ops: Any, arrays: list, weights: np.ndarray | None = None) -> tuple:
    """Run ``test_case`` on one engine: returns (output, grads of every input), float64 arrays.

    The output is reduced to a scalar with fixed ``weights`` (shaped like the output) before
    backprop, so every output element's grad path is checked.
    """
    inputs = [ops.wrap(a) for a in arrays]
    out = test_case.fn(ops, *inputs)
    data = ops.data(out)
    if weights is None:
        weights = output_weights(data.shape)
    ops.backward(ops.weighted_sum(out, weights))
    return data, [ops.grad(x) for x in inputs]


def output_weights(shape: tuple) -> np.ndarray:
    """Fixed random weights that turn an output of ``shape`` into a scalar loss."""
    return np.random.default_rng(12345).uniform(0.5, 1.5, shape)
