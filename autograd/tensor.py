"""The tensor engine: ``Tensor`` is ``Value`` on NumPy arrays.

API summary
-----------
``Tensor(data, requires_grad=False, dtype=None, label="")``
    ``data`` is anything ``np.asarray`` accepts. Kept as float32 unless ``dtype=np.float64`` is asked
    for or a float64 NumPy array is given. Integers and booleans become float32 (or ``dtype``);
    complex numbers, strings, objects and ``Value``\\ s raise ``TypeError``. An array that already has
    the right dtype is shared, not copied (as ``np.asarray`` does).
Attributes
    ``data`` (np.ndarray), ``grad`` (None, or an array shaped like ``data``), ``requires_grad``,
    ``label``, ``shape``, ``ndim``, ``size``, ``dtype``, ``T``, ``is_leaf``.
Methods
    ``item()``, ``numpy()``, ``detach()``, ``backward(grad=None)``, ``backward_steps(grad=None)``,
    ``zero_grad()``.
Arithmetic (NumPy broadcasting; Tensors, numbers or arrays on either side)
    ``+ - * / ** @``, unary ``-``. Numbers and arrays take the dtype of the Tensor they meet.
Functions of one input (the names of ``Value``)
    ``exp log sqrt tanh sigmoid relu leaky_relu(alpha) elu(alpha) abs identity clip(low, high)``
    (bounds: numbers, arrays or Tensors, as ``torch.clamp``); two inputs: ``maximum(other)
    minimum(other)`` (a tie splits the grad in half, as PyTorch).
Reductions and functions along an axis
    ``sum/mean/max(axis=None, keepdims=False)``, ``logsumexp(axis=-1, keepdims=False)``,
    ``softmax(axis=-1)``, ``log_softmax(axis=-1)``, ``cross_entropy(targets, reduction="mean")``,
    ``mse_loss(targets, reduction="mean")``.
    ``axis`` is an int or a list or tuple of ints; a 0-d Tensor takes 0 and -1; ``()`` reduces
    nothing (NumPy's rule). Long float32 sums are added pairwise (PyTorch's accuracy).
Shape
    ``reshape(*shape)``, ``flatten(start_axis=0)``, ``transpose(*axes)``, ``T``, ``t[index]`` (ints,
    slices, None, ..., boolean masks, integer arrays, lists and tuples of positions; repeated
    positions accumulate; a Tensor is not an index).
Truth value
    ``bool(t)`` as NumPy: the truth of a one-element Tensor; with more elements a ValueError.
Module functions (also in ``autograd`` and ``autograd.functional``)
    ``concatenate(tensors, axis=0)``, ``stack(tensors, axis=0)``, ``where(condition, a, b)``.
``autograd.functional``
    ``linear(x, weight, bias=None)`` (fused ``x @ weight.T + bias``, weight (out, in)),
    ``cross_entropy(logits, targets, reduction="mean")``, and ``softmax``, ``log_softmax``,
    ``logsumexp``, ``max`` for a Tensor or a sequence of Values alike.

How it works
------------
Each op computes its result with NumPy and records, for every input, a *backward rule*: a
function taking the upstream grad ∂root/∂out to the input's share of ∂root/∂input, the
vector-Jacobian product (the Jacobian itself is never built), and the same rule in words
(``_result(out, inputs, op, rules, words)``); ``autograd.backprop`` runs them for both engines.
A rule may return its grad in the broadcast shape the op worked in; ``backward`` then sums it
down to the input's shape in one place (``unbroadcast``), so no rule has to know about broadcasting.

Grads are accumulated in place, and only for tensors that need them: when no input requires
grad (or inside ``no_grad``), an op records nothing.

Bad input raises as in ``Value``: log of a number <= 0, sqrt of a negative number, a negative
base to a non-integer power or to an exponent that requires grad, division by zero, shapes that
do not broadcast (both shapes named). Overflow gives inf, as IEEE arithmetic in NumPy and PyTorch,
with no RuntimeWarning; √x at 0 is 0 with an infinite slope; ``b ** w`` at b = 0 gives w the grad
0 (as PyTorch). Inside ``autograd.detect_anomaly()`` the first op whose result or grad is NaN/inf
raises ``AnomalyError``. ``backward(grad)`` refuses a NaN, infinite or complex grad. A grad set
by hand to the number 0 (micrograd's ``p.grad = 0.0``) counts as no grad yet.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Union

import numpy as np

from . import backprop
from .backprop import BackwardStep, LocalRule, topological_order
from .mode import AnomalyError, state
from .targets import class_probabilities
from .value import Value

ArrayLike = Union["Tensor", np.ndarray, float, int, Sequence]
Rule = Callable[[np.ndarray], np.ndarray]

# Overflow gives inf and 0·inf NaN, as IEEE arithmetic (NumPy, PyTorch) does, but without NumPy's
# RuntimeWarnings for the arithmetic of the engine: ``detect_anomaly()`` is how to be told. A filter
# on warnings raised from autograd's own lines costs nothing per op (np.errstate around every op
# would add about a quarter to a small op). Sums go through np.add.reduce, not ndarray.sum, whose
# warnings would come from NumPy's own lines.
_IEEE_FILTER_ARGS = ("ignore", r"(overflow|invalid value|divide by zero|underflow) encountered", RuntimeWarning,
                     r"autograd\.")
warnings.filterwarnings(*_IEEE_FILTER_ARGS)
_IEEE_FILTER = warnings.filters[0]


def _keep_numpy_quiet() -> None:
    """Put the filter above back if a ``warnings.catch_warnings`` block (pytest runs each test in one) dropped it."""
    if _IEEE_FILTER not in warnings.filters:
        warnings.filterwarnings(*_IEEE_FILTER_ARGS)


# ---------------------------------------------------------------------- converting inputs
def _to_array(data: Any, dtype: Any = None) -> np.ndarray:
    """``data`` as a float array: float32 unless float64 is given or asked for (see the module docstring)."""
    if isinstance(data, Tensor):
        data = data._data
    elif isinstance(data, Value):
        raise TypeError("cannot mix a Value with a Tensor: use Tensor ops throughout, or Value.item() for a number")
    elif isinstance(data, (list, tuple)) and any(isinstance(x, Tensor) for x in data):
        raise TypeError("a list of Tensors would lose their graph: join them with autograd.stack or concatenate")
    array = np.asarray(data)
    kind = array.dtype.kind
    if kind == "c":
        raise TypeError(f"Tensor does not support complex numbers, got dtype {array.dtype}")
    if kind not in "fiub":
        if kind == "O" and any(isinstance(x, Value) for x in array.reshape(-1)):
            raise TypeError("cannot mix a Value with a Tensor: a Tensor holds numbers, not Values")
        raise TypeError(f"Tensor data must be real numbers, got {type(data).__name__} with dtype {array.dtype}")
    if dtype is not None:
        dtype = np.dtype(dtype)
        if dtype not in (np.float32, np.float64):
            raise TypeError(f"Tensor dtype must be float32 or float64, got {dtype}")
    elif array.dtype == np.float64 and isinstance(data, (np.ndarray, np.generic)):
        dtype = array.dtype
    else:
        dtype = np.float32
    array = array if array.dtype == dtype else array.astype(dtype)
    if not np.isfinite(array).all():
        bad = int((~np.isfinite(array)).sum())
        raise ValueError(f"Tensor data must be finite, got {bad} NaN or infinite value(s) in shape {array.shape}")
    return array


def _reduced_count(shape: tuple, axis: Any) -> int:
    """How many elements each output of a reduction over ``axis`` combines."""
    if axis is None:
        return math.prod(shape)
    axes = (axis,) if isinstance(axis, (int, np.integer)) else axis
    return math.prod(shape[a] for a in axes)


def _refuse_empty_reduction(x: np.ndarray, axis: Any, op: str) -> None:
    """An empty reduction has no mean or log-sum-exp: refuse it instead of answering NaN or -inf."""
    if x.ndim and _reduced_count(x.shape, axis) == 0:
        raise ValueError(f"{op} over an empty axis of a Tensor of shape {x.shape} has no value")


# In-place changes of a tensor's numbers are counted on one clock: ``t._version`` is the tick of
# t's last change, ``node._made_at`` the tick when an op made the node. A node whose input changed
# after it was made holds stale numbers in its backward rules (PyTorch raises then too).
_data_changes = 0


def _constant(data: np.ndarray) -> Tensor:
    """A Tensor that needs no grad, built without the checks of ``__init__``."""
    out = object.__new__(Tensor)
    out._data = data
    out._version = 0
    out.grad = None
    out.requires_grad = False
    out.label = ""
    out._children = out._vjps = out._rule_words = ()
    out._op = ""
    out._owns_grad = False
    return out


def _lift(x: Any, like: Tensor) -> Tensor:
    """An operand as a Tensor: numbers and arrays take the dtype of the Tensor ``like``."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (float, int)) and not isinstance(x, bool):
        return _constant(np.asarray(x, dtype=like._data.dtype))
    return _constant(_to_array(x, like._data.dtype))


def _result(data: Any, children: tuple, op: str, rules: tuple[Rule, ...], words: tuple[str, ...]) -> Tensor:
    """The Tensor made by an op; it records ``children``, their backward ``rules`` and the rules'
    ``words`` if any child needs grad.

    ``rules[i]`` takes the upstream grad ∂root/∂out to ``children[i]``'s share (a
    vector-Jacobian product); ``words[i]`` is the same rule written out, e.g. "d(a*b)/da = b".
    """
    if type(data) is not np.ndarray:  # NumPy returns 0-d results as scalars
        data = np.asarray(data)
    out = object.__new__(Tensor)
    out._data = data
    out._version = 0
    out.grad = None
    out.label = ""
    out._op = op
    out.requires_grad = False
    out._owns_grad = False
    out._children = out._vjps = out._rule_words = ()
    if state.grad_enabled:
        for child in children:
            if child.requires_grad:
                out.requires_grad = True
                out._children = children
                out._vjps = rules
                out._rule_words = words
                out._made_at = _data_changes
                break
    if state.detect_anomaly and not np.isfinite(data).all():
        shapes = ", ".join(str(c._data.shape) for c in children)
        bad = data.size - int(np.isfinite(data).sum())
        raise AnomalyError(f"{op}: result has {bad} NaN/inf value(s), inputs of shapes ({shapes}) (anomaly detected)")
    return out


# Along an axis that is not the array's fastest-varying one NumPy adds entries one after another,
# so in float32 the error grows with the length (1e-4 of a sum of 10^4 rows of 0.1, 1e-2 at 10^6).
# A longer line is added pairwise instead, as PyTorch's cascade sum does: its two halves are added
# again and again until _PAIRWISE_LEAF entries are left, and those are added in float64. The error
# then stays near 2e-7 whatever the length; lines up to _PAIRWISE_LEAF (a usual batch) cost no more.
_PAIRWISE_LEAF = 128


def _sum(x: np.ndarray, axes: tuple | None, keepdims: bool = False) -> np.ndarray:
    """``x.sum(axis=axes, keepdims=keepdims)``, a long line along a slow axis added pairwise (see above)."""
    if axes is None:
        axes = tuple(range(x.ndim))
    dtype = x.dtype
    halved = False
    for axis in axes:
        if x.shape[axis] > _PAIRWISE_LEAF and axis not in _summed_pairwise_by_numpy(x, axes):
            x, halved = _halve(x, axis), True
    if not halved:
        return np.add.reduce(x, axis=axes, keepdims=keepdims)
    return np.add.reduce(x, axis=axes, keepdims=keepdims, dtype=np.float64).astype(dtype, copy=False)


def _summed_pairwise_by_numpy(x: np.ndarray, axes: tuple) -> set:
    """The reduced axes NumPy already sums pairwise: those its innermost loop runs along."""
    if not x.flags.c_contiguous:
        return {a for a in axes if x.strides[a] == x.itemsize}
    inner, a = set(), x.ndim - 1
    while a >= 0 and (a in axes or x.shape[a] == 1):  # the trailing reduced axes merge into one loop
        inner.add(a)
        a -= 1
    return inner


def _halve(x: np.ndarray, axis: int) -> np.ndarray:
    """Add the second half of ``x`` along ``axis`` onto the first until at most _PAIRWISE_LEAF entries are left."""
    x = np.swapaxes(x, 0, axis)
    n, half = len(x), len(x) // 2
    work = x[:half] + x[half : 2 * half]  # a new array: ``x`` itself is never written
    if n % 2:
        work[0] += x[-1]
    n = half
    while n > _PAIRWISE_LEAF:
        half = n // 2
        if n % 2:
            work[0] += work[n - 1]
        np.add(work[:half], work[half : 2 * half], out=work[:half])
        n = half
    return np.swapaxes(work[:n], 0, axis)


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``grad`` down to ``shape``: the backward of NumPy broadcasting, done here for every op.

    Broadcasting copies an input along new leading axes and along axes of length 1, so each
    copy's grad is added back: sum over the leading axes, and over the axes that were 1.
    """
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1)
    if axes:
        grad = np.asarray(_sum(grad, axes))  # a sum (a 0-d one is a NumPy scalar: keep an array)
    return grad if grad.shape == shape else grad.reshape(shape)


def _broadcast(func: Callable, a: np.ndarray, b: np.ndarray, op: str) -> np.ndarray:
    """``func(a, b)`` with NumPy broadcasting, or a ValueError naming the op and both shapes."""
    try:
        return func(a, b)
    except ValueError:
        raise ValueError(f"{op}: shapes {a.shape} and {b.shape} do not broadcast together") from None


def _axes(axis: Any, ndim: int, op: str) -> tuple | None:
    """``axis`` (None, an int, or a list or tuple of ints; negatives count from the end) as None or a tuple.

    As in PyTorch, a 0-d Tensor accepts axis 0 and -1, which reduce nothing. ``()`` also reduces
    nothing (NumPy's rule; PyTorch reduces everything).
    """
    if axis is None:
        return None
    if isinstance(axis, (int, np.integer)) and not isinstance(axis, bool):
        axes = (int(axis),)
    elif isinstance(axis, (list, tuple)) and all(isinstance(a, (int, np.integer)) and not isinstance(a, bool)
                                                 for a in axis):
        axes = tuple(int(a) for a in axis)
    else:
        raise TypeError(f"{op}: axis must be None, an int or a list or tuple of ints, got {axis!r}")
    size = max(ndim, 1)
    for a in axes:
        if not -size <= a < size:
            raise ValueError(f"{op}: axis {a} is out of range for a Tensor with {ndim} axes")
    axes = tuple(a % size for a in axes)
    if len(set(axes)) != len(axes):
        raise ValueError(f"{op}: axis {axis!r} names an axis twice")
    return () if ndim == 0 else axes


def _expand(grad: np.ndarray, axis: Any, keepdims: bool) -> np.ndarray:
    """Put back the axes a reduction removed, so ``grad`` broadcasts against the input."""
    if keepdims or axis is None:
        return grad
    return np.expand_dims(grad, axis)


def _check_positive(x: np.ndarray, op: str, strict: bool = True) -> None:
    bad = x <= 0 if strict else x < 0
    if bad.any():
        need = "positive" if strict else "non-negative"
        raise ValueError(f"{op}: input must be {need}, got {int(bad.sum())} value(s) that are not, e.g. {x[bad][0]}")


class Tensor:
    """An array that records the computation graph for backpropagation (``Value`` for arrays).

    ``data`` is the array, ``grad`` is ∂(root)/∂(this tensor) after ``root.backward()``, or
    None. ``_children`` are the inputs it was computed from (a tuple: ``a + a`` has two edges),
    ``_vjps`` the backward rule of each child in the same order (upstream grad to the child's
    share), ``_rule_words`` the same rules in words, ``_op`` the op.
    """

    __slots__ = (
        "_data", "grad", "requires_grad", "label", "_children", "_vjps", "_rule_words", "_op", "_owns_grad",
        "_version", "_made_at",
        "__weakref__",
    )
    # Make NumPy defer to Tensor: ``array * tensor`` calls ``Tensor.__rmul__``.
    __array_ufunc__ = None
    # For autograd.backprop: an intermediate node's grad starts at None; local grads are rules, not numbers.
    _EMPTY_GRAD = None
    _LOCAL_GRADS_ARE_NUMBERS = False

    def __init__(self, data: ArrayLike, requires_grad: bool = False, dtype: Any = None, label: str = "") -> None:
        self._data = _to_array(data, dtype)
        self._version = 0
        _keep_numpy_quiet()
        self.grad: np.ndarray | None = None
        self.requires_grad = bool(requires_grad)
        self.label = label
        self._children: tuple = ()
        self._vjps: tuple = ()
        self._rule_words: tuple = ()
        self._op = ""
        self._owns_grad = False

    # ------------------------------------------------------------------ describing
    @property
    def data(self) -> np.ndarray:
        """The numbers, a NumPy array (shared, not copied).

        Assigning it (``t.data = ...``, ``t.data -= lr * t.grad``, an optimiser's ``step()``) is a
        change a graph built earlier cannot follow: its ``backward()`` then raises, as PyTorch does
        after an in-place change. Writing into the array itself (``t.data[...] = ...``) is not
        seen, like PyTorch's ``.data``.
        """
        return self._data

    @data.setter
    def data(self, value: ArrayLike) -> None:
        # Assigning (``t.data = ...``, ``t.data += ...``, an optimiser's step) counts as a change:
        # a graph built before it then refuses to backpropagate instead of using the new numbers.
        global _data_changes
        self._data = value if type(value) is np.ndarray else _to_array(value, self._data.dtype)
        _data_changes += 1
        self._version = _data_changes

    @property
    def shape(self) -> tuple:
        """The shape of ``data``."""
        return self._data.shape

    @property
    def ndim(self) -> int:
        """The number of axes of ``data``."""
        return self._data.ndim

    @property
    def size(self) -> int:
        """The number of elements of ``data``."""
        return self._data.size

    @property
    def dtype(self) -> np.dtype:
        """float32 or float64."""
        return self._data.dtype

    @property
    def is_leaf(self) -> bool:
        """True for a tensor made by the user rather than by an op."""
        return not self._children

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d Tensor")
        return len(self._data)

    def __bool__(self) -> bool:
        """The truth of a one-element Tensor (0-d included), as NumPy; with more elements it is ambiguous."""
        if self._data.size != 1:
            raise ValueError(f"the truth value of a Tensor of shape {self.data.shape} is ambiguous: "
                             "compare its data, e.g. (t.data > 0).any() or .all()")
        return bool(self._data.reshape(()))

    def __repr__(self) -> str:
        values = np.array2string(self._data, precision=4, threshold=6, edgeitems=2, separator=", ", prefix="Tensor(")
        extra = f", dtype={self.data.dtype}" if self._data.dtype != np.float32 else ""
        if self.requires_grad:
            extra += f", op={self._op!r}" if self._op else ", requires_grad=True"
        if self.label:
            extra += f", label={self.label!r}"
        return f"Tensor({values}{extra})"

    def item(self) -> float:
        """The number held by a one-element Tensor, as a Python float."""
        if self._data.size != 1:
            raise ValueError(f"item() needs a Tensor with one element, got shape {self.data.shape}")
        return float(self._data.reshape(()))

    def numpy(self) -> np.ndarray:
        """The data array itself (shared, not copied)."""
        return self._data

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """``np.asarray(t)`` (plotting, printing): the data, outside the graph."""
        if dtype is None and not copy:
            return self._data
        return np.array(self._data, dtype=dtype, copy=True)

    def detach(self) -> Tensor:
        """A Tensor sharing this data, with no history and no grad."""
        return _constant(self._data)

    # ------------------------------------------------------------------ arithmetic
    def __add__(self, other: ArrayLike) -> Tensor:
        other = _lift(other, self)
        return _result(_broadcast(np.add, self._data, other._data, "+"), (self, other), "+", (
            lambda g: g,
            lambda g: g,
        ), ("d(a+b)/da = 1", "d(a+b)/db = 1"))

    def __mul__(self, other: ArrayLike) -> Tensor:
        other = _lift(other, self)
        a, b = self._data, other._data
        return _result(_broadcast(np.multiply, a, b, "*"), (self, other), "*", (
            lambda g: g * b,
            lambda g: g * a,
        ), ("d(a*b)/da = b", "d(a*b)/db = a"))

    def __pow__(self, exponent: ArrayLike) -> Tensor:
        if isinstance(exponent, numbers.Real) and not isinstance(exponent, bool):
            n = float(exponent)
            x = self._data
            if n < 0 and (x == 0).any():
                raise ZeroDivisionError(f"**: 0.0 ** {n:g} is a division by zero")
            if not n.is_integer() and (x < 0).any():
                raise ValueError(f"**: negative base to the non-integer power {n:g} is not a real number")
            return _result(x**n, (self,), f"**{n:g}", (
                lambda g: g * (n * x ** (n - 1)) if n else g * 0,
            ), ("d(x^n)/dx = n*x^(n-1)",))
        return _pow_tensors(self, _lift(exponent, self))

    def __rpow__(self, base: ArrayLike) -> Tensor:
        return _pow_tensors(_lift(base, self), self)

    def __neg__(self) -> Tensor:
        return _result(-self._data, (self,), "neg", (
            lambda g: -g,
        ), ("d(-a)/da = -1",))

    def __sub__(self, other: ArrayLike) -> Tensor:
        other = _lift(other, self)
        return _result(_broadcast(np.subtract, self._data, other._data, "-"), (self, other), "-", (
            lambda g: g,
            lambda g: -g,
        ), ("d(a-b)/da = 1", "d(a-b)/db = -1"))

    def __truediv__(self, other: ArrayLike) -> Tensor:
        other = _lift(other, self)
        a, b = self._data, other._data
        if (b == 0).any():
            raise ZeroDivisionError(f"/: division by zero ({int((b == 0).sum())} zero(s) in the divisor)")
        return _result(_broadcast(np.divide, a, b, "/"), (self, other), "/", (
            lambda g: g / b,
            lambda g: -g * a / (b * b),
        ), ("d(a/b)/da = 1/b", "d(a/b)/db = -a/b^2"))

    def __radd__(self, other: ArrayLike) -> Tensor:
        return _lift(other, self) + self

    def __rsub__(self, other: ArrayLike) -> Tensor:
        return _lift(other, self) - self

    def __rmul__(self, other: ArrayLike) -> Tensor:
        return _lift(other, self) * self

    def __rtruediv__(self, other: ArrayLike) -> Tensor:
        return _lift(other, self) / self

    # ------------------------------------------------------------------ functions of one input
    def exp(self) -> Tensor:
        """e^x, element-wise."""
        out = np.exp(self._data)
        return _result(out, (self,), "exp", (
            lambda g: g * out,
        ), ("d(e^x)/dx = e^x",))

    def log(self) -> Tensor:
        """Natural logarithm, element-wise; every element must be positive."""
        x = self._data
        _check_positive(x, "log")
        return _result(np.log(x), (self,), "log", (
            lambda g: g / x,
        ), ("d(ln x)/dx = 1/x",))

    def sqrt(self) -> Tensor:
        """Square root, element-wise; every element must be non-negative."""
        x = self._data
        _check_positive(x, "sqrt", strict=False)
        out = np.sqrt(x)
        return _result(out, (self,), "sqrt", (
            lambda g: g * 0.5 / out,
        ), ("d(sqrt x)/dx = 1/(2 sqrt x)",))

    def tanh(self) -> Tensor:
        """Hyperbolic tangent, element-wise."""
        t = np.tanh(self._data)
        return _result(t, (self,), "tanh", (
            lambda g: g * (1 - t * t),
        ), ("d(tanh x)/dx = 1 - tanh^2 x",))

    def sigmoid(self) -> Tensor:
        """1 / (1 + e^-x), element-wise, without overflow for large |x|."""
        x = self._data
        e = np.exp(-np.abs(x))  # two forms, as in Value, so exp never overflows
        s = np.where(x >= 0, 1, e) / (1 + e)
        return _result(s, (self,), "sigmoid", (
            lambda g: g * s * (1 - s),
        ), ("d(sigmoid x)/dx = s(1-s)",))

    def relu(self) -> Tensor:
        """max(x, 0), element-wise."""
        x = self._data
        return _result(np.maximum(x, 0), (self,), "relu", (
            lambda g: g * (x > 0),
        ), ("d(relu x)/dx = 1 if x > 0 else 0",))

    def leaky_relu(self, alpha: float = 0.01) -> Tensor:
        """x where x > 0, else alpha·x."""
        x = self._data
        positive = x > 0
        return _result(np.where(positive, x, alpha * x), (self,), "leaky_relu", (
            lambda g: np.where(positive, g, alpha * g),
        ), ("d(leaky_relu x)/dx = 1 if x > 0 else alpha",))

    def elu(self, alpha: float = 1.0) -> Tensor:
        """x where x > 0, else alpha·(e^x - 1)."""
        x = self._data
        positive = x > 0
        scaled_exp = alpha * np.exp(np.minimum(x, 0))  # alpha e^x where x <= 0 (clamped: no overflow)
        return _result(np.where(positive, x, scaled_exp - alpha), (self,), "elu", (
            lambda g: g * np.where(positive, 1, scaled_exp),
        ), ("d(elu x)/dx = 1 if x > 0 else alpha*e^x",))

    def abs(self) -> Tensor:
        """|x|, element-wise."""
        x = self._data
        return _result(np.abs(x), (self,), "abs", (
            lambda g: g * np.sign(x),
        ), ("d|x|/dx = sign(x)",))

    def __abs__(self) -> Tensor:
        return self.abs()

    def identity(self) -> Tensor:
        """The identity activation: returns ``self`` (no node is added)."""
        return self

    def clip(self, low: ArrayLike | None = None, high: ArrayLike | None = None) -> Tensor:
        """Limit values to [low, high] (None: no limit), as ``torch.clamp``: min(max(x, low), high).

        The bounds may be numbers, arrays or Tensors (broadcast against x); the grad flows to x
        where low <= x <= high, to a Tensor ``low`` where x < low < high, and to a Tensor ``high``
        where x > high or high < low (there the result is ``high``).
        """
        x = self._data
        bounds = [b if b is None or isinstance(b, Tensor) else _lift(b, self) for b in (low, high)]
        lo, hi = (None if b is None else b._data for b in bounds)
        out = x if lo is None else _broadcast(np.maximum, x, lo, "clip")
        out = out if hi is None else _broadcast(np.minimum, out, hi, "clip")
        inside = (True if lo is None else x >= lo) & (True if hi is None else x <= hi)
        children, rules = [self], [lambda g: g * inside]  # d clip/dx = 1 inside [low, high], 0 outside
        if lo is not None:
            below = x < lo if hi is None else (x < lo) & (lo < hi)
            children.append(bounds[0])
            rules.append(lambda g: g * below)  # d clip/dlow = 1 where the result is low
        if hi is not None:
            above = x > hi if lo is None else (x > hi) | (hi < lo)
            children.append(bounds[1])
            rules.append(lambda g: g * above)  # d clip/dhigh = 1 where the result is high
        words = ("d(clip x)/dx = 1 inside [low, high] else 0", "d(clip x)/dlow = 1 where x < low < high",
                 "d(clip x)/dhigh = 1 where x > high or high < low")
        words = words[:1] + (words[1:2] if lo is not None else ()) + (words[2:] if hi is not None else ())
        return _result(out if out is not x else x.copy(), tuple(children), "clip", tuple(rules), words)

    # ------------------------------------------------------------------ functions of two inputs
    def maximum(self, other: ArrayLike) -> Tensor:
        """Element-wise larger of two; at a tie each gets half the grad, as ``torch.maximum``.

        (``max`` along an axis, and ``max`` over Values, give a tie's grad to the first maximum.)
        """
        other = _lift(other, self)
        a, b = self._data, other._data
        out = _broadcast(np.maximum, a, b, "maximum")
        share = np.where(a == b, 0.5, (a > b).astype(a.dtype))  # a's share of the grad: 1, 1/2 at a tie, 0
        return _result(out, (self, other), "maximum", (
            lambda g: g * share,
            lambda g: g * (1 - share),
        ), ("d max(a,b)/da = 1 where a > b, 1/2 at a tie", "d max(a,b)/db = 1 where b > a, 1/2 at a tie"))

    def minimum(self, other: ArrayLike) -> Tensor:
        """Element-wise smaller of two; at a tie each gets half the grad, as ``torch.minimum``."""
        other = _lift(other, self)
        a, b = self._data, other._data
        out = _broadcast(np.minimum, a, b, "minimum")
        share = np.where(a == b, 0.5, (a < b).astype(a.dtype))  # a's share of the grad: 1, 1/2 at a tie, 0
        return _result(out, (self, other), "minimum", (
            lambda g: g * share,
            lambda g: g * (1 - share),
        ), ("d min(a,b)/da = 1 where a < b, 1/2 at a tie", "d min(a,b)/db = 1 where b < a, 1/2 at a tie"))

    def __matmul__(self, other: ArrayLike) -> Tensor:
        """Matrix product, as ``np.matmul``: 1-D operands act as vectors, leading axes are batches."""
        return _matmul(self, _lift(other, self))

    def __rmatmul__(self, other: ArrayLike) -> Tensor:
        return _matmul(_lift(other, self), self)

    # ------------------------------------------------------------------ reductions
    def sum(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Sum of the elements (along ``axis``: an int, or a list or tuple of ints), as ``np.sum``.

        ``axis=()`` sums over no axis and returns the elements unchanged (NumPy's rule; PyTorch's
        ``sum(dim=())`` sums everything). On a 0-d Tensor, axis 0 and -1 are accepted (as PyTorch).
        Long sums are added pairwise, so float32 keeps PyTorch's accuracy over large batches.
        """
        x = self._data
        axes = _axes(axis, x.ndim, "sum")
        return _result(_sum(x, axes, keepdims), (self,), "sum", (
            lambda g: np.full(x.shape, _expand(g, axes, keepdims)),
        ), ("d(sum x)/dx_i = 1",))

    def mean(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Mean of the elements (along ``axis``, as in ``sum``); an empty reduction is refused."""
        x = self._data
        axes = _axes(axis, x.ndim, "mean")
        _refuse_empty_reduction(x, axes, "mean")
        count = _reduced_count(x.shape, axes)
        out = _sum(x, axes, keepdims) / count
        return _result(out, (self,), "mean", (
            lambda g: np.full(x.shape, _expand(g, axes, keepdims) / count),
        ), ("d(mean x)/dx_i = 1/n",))

    def max(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """The largest element (along ``axis``, as in ``sum``).

        The grad flows to the first maximum only, as ``max`` over Values does (PyTorch's full
        ``max()`` shares it among tied maxima; ``maximum`` of two Tensors splits ties in half).
        """
        x = self._data
        axes = _axes(axis, x.ndim, "max")
        if _reduced_count(x.shape, axes) == 0:
            raise ValueError(f"max of an empty Tensor of shape {x.shape} has no value")
        if axes is not None and 1 < len(axes) < x.ndim:
            return self._max_over_axes(axes, keepdims)
        if axes is not None and len(axes) == x.ndim:
            axes = None  # every axis: the same as no axis
        single = None if axes is None else axes[0] if axes else ()
        if single == ():
            # Over no axis each element is its own maximum.
            return _result(x.copy(), (self,), "max", (lambda g: g,), ("d(max x)/dx_i = 1 over no axis",))
        winner = np.argmax(x, axis=single, keepdims=single is not None)
        return _result(x.max(axis=single, keepdims=keepdims), (self,), "max", (
            lambda g: _scatter_max(g, x.shape, winner, single, keepdims),
        ), ("d(max x)/dx_i = 1 at the first maximum, else 0",))

    def _max_over_axes(self, axes: tuple, keepdims: bool) -> Tensor:
        """``max`` over several (not all) axes: move them to the end, merge them into one, take its max."""
        kept = tuple(a for a in range(self._data.ndim) if a not in axes)
        moved = self.transpose(kept + axes)
        merged = moved.reshape(moved.shape[: len(kept)] + (-1,)).max(axis=-1)
        if keepdims:
            merged = merged.reshape(tuple(1 if a in axes else n for a, n in enumerate(self._data.shape)))
        return merged

    def logsumexp(self, axis: int | Sequence[int] | None = -1, keepdims: bool = False) -> Tensor:
        """log Σ exp(x) along ``axis``, computed as m + log Σ exp(x - m) so large inputs do not overflow."""
        x = self._data
        axes = _axes(axis, x.ndim, "logsumexp")
        _refuse_empty_reduction(x, axes, "logsumexp")
        m = x.max(axis=axes, keepdims=True) if x.size else np.zeros((1,) * x.ndim, x.dtype)
        lse = m + np.log(_sum(np.exp(x - m), axes, keepdims=True))
        return _result(lse if keepdims else np.squeeze(lse, axis=axes), (self,), "logsumexp", (
            lambda g: _expand(g, axes, keepdims) * np.exp(x - lse),
        ), ("d(lse x)/dx_i = softmax(x)_i",))

    def softmax(self, axis: int | Sequence[int] = -1) -> Tensor:
        """exp(x_i) / Σ exp(x_j) along ``axis``, stable for large inputs (an empty axis gives an empty result)."""
        x = self._data
        axes = _axes(axis, x.ndim, "softmax")
        e = np.exp(x - x.max(axis=axes, keepdims=True, initial=-np.inf))
        s = e / _sum(e, axes, keepdims=True)
        return _result(s, (self,), "softmax", (
            lambda g: s * (g - _sum(g * s, axes, keepdims=True)),
        ), ("d s_i/dx_j = s_i (delta_ij - s_j)",))

    def log_softmax(self, axis: int | Sequence[int] = -1) -> Tensor:
        """x_i - logsumexp(x) along ``axis``, stable for large inputs (an empty axis gives an empty result)."""
        x = self._data
        axes = _axes(axis, x.ndim, "log_softmax")
        shifted = x - x.max(axis=axes, keepdims=True, initial=-np.inf)
        out = shifted - np.log(_sum(np.exp(shifted), axes, keepdims=True))
        return _result(out, (self,), "log_softmax", (
            lambda g: g - np.exp(out) * _sum(g, axes, keepdims=True),
        ), ("d(x_i - lse)/dx_j = delta_ij - s_j",))

    def cross_entropy(self, targets: Any, reduction: str = "mean") -> Tensor:
        """Cross-entropy of these logits, shape (N, C) or (C,), against class labels or probabilities.

        ``targets``: integer labels of shape (N,) (or a single int for 1-D logits), or target
        probabilities (e.g. one-hot) shaped like the logits. One fused node: stable log-softmax
        then the negative log-likelihood, with the single backward rule (softmax - target) / N.
        ``reduction``: "mean" (over the N rows), "sum" or "none" (one loss per row).
        """
        return _cross_entropy(self, targets, reduction)

    def mse_loss(self, targets: ArrayLike, reduction: str = "mean") -> Tensor:
        """Mean squared error (x - t)² of this tensor against ``targets`` (shaped like it, or broadcast to it).

        One fused node, as PyTorch's ``mse_loss``: its backward rule is 2(x - t)/N (N entries for
        "mean"; "sum" adds them, "none" keeps one per entry). A Tensor target that requires grad
        gets -2(x - t)/N.
        """
        return _mse_loss(self, targets, reduction)

    # ------------------------------------------------------------------ shape
    def reshape(self, *shape: int | Sequence[int]) -> Tensor:
        """The same elements in a new shape: ``t.reshape(2, 3)`` or ``t.reshape((2, 3))``, -1 allowed."""
        x = self._data
        if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
            shape = tuple(shape[0])
        try:
            out = x.reshape(shape)
        except ValueError:
            raise ValueError(f"reshape: cannot reshape a Tensor of shape {x.shape} into shape {shape}") from None
        return _result(out, (self,), "reshape", (
            lambda g: g.reshape(x.shape),
        ), ("grad reshaped back",))

    def flatten(self, start_axis: int = 0) -> Tensor:
        """Merge the axes from ``start_axis`` on into one (``flatten(1)`` keeps the batch axis)."""
        shape = self._data.shape
        start = start_axis % len(shape) if shape else 0
        return self.reshape(shape[:start] + (math.prod(shape[start:]),))  # not -1: a zero-size shape is ambiguous

    def transpose(self, *axes: int | Sequence[int]) -> Tensor:
        """Permute the axes (reverse them when none are given), as ``np.transpose``."""
        x = self._data
        if len(axes) == 1 and not isinstance(axes[0], (int, np.integer)):
            axes = tuple(axes[0])
        axes = tuple(int(a) % max(x.ndim, 1) for a in axes) if axes else tuple(range(x.ndim))[::-1]
        inverse = tuple(int(i) for i in np.argsort(axes))
        return _result(x.transpose(axes), (self,), "transpose", (
            lambda g: g.transpose(inverse),
        ), ("grad transposed back",))

    @property
    def T(self) -> Tensor:
        """The transpose (axes reversed)."""
        return self.transpose()

    def __getitem__(self, index: Any) -> Tensor:
        """``t[index]`` as in NumPy: ints, slices, None, ..., boolean masks and integer arrays."""
        x = self._data
        index = _as_index(index)
        basic = _is_basic_index(index)
        return _result(x[index], (self,), "index", (
            lambda g: _scatter_index(g, x.shape, index, basic),
        ), ("grad scattered back to the picked positions (repeats add)",))

    # ------------------------------------------------------------------ backpropagation
    def backward(self, grad: ArrayLike | None = None) -> None:
        """Fill ``grad`` of every tensor this one depends on that requires grad, with ∂self/∂tensor.

        A one-element tensor (a loss) needs no argument; otherwise pass ``grad``, the upstream
        gradient shaped like this tensor. Nodes are visited in reverse topological order (found
        without recursion). As in PyTorch, grads of leaves *accumulate* across calls: call
        ``zero_grad`` (or set ``grad = None``) between steps. Grads of intermediate nodes are recomputed.
        """
        backprop.backward(self, self._seed(grad))

    def backward_steps(self, grad: ArrayLike | None = None) -> Iterator[BackwardStep]:
        """Run backprop one node at a time, yielding a ``BackwardStep`` for each node.

        ``local_grads[i]`` describes the rule used for input i (a Jacobian is never built) and
        ``contributions[i]`` is the array added to that input's grad (None for an input that
        needs no grad). Consuming every step leaves exactly the grads that ``backward()`` gives.
        """
        return backprop.backward_steps(self, self._seed(grad))

    def _seed(self, grad: ArrayLike | None) -> np.ndarray:
        if not self.requires_grad:
            raise RuntimeError("backward() on a Tensor that does not require grad (no input had requires_grad=True)")
        if grad is None:
            if self._data.size != 1:
                raise RuntimeError(
                    f"backward() without a grad needs a one-element Tensor, this one has shape {self.data.shape}: "
                    "reduce it to a scalar loss first (e.g. .sum() or .mean()), or pass grad=<array of that shape>"
                )
            return np.ones(self._data.shape, dtype=self._data.dtype)
        if isinstance(grad, Tensor):
            grad = grad._data
        backprop.check_seed(grad)
        seed = np.array(grad, dtype=self._data.dtype)  # a copy
        if seed.shape != self._data.shape:
            raise ValueError(f"backward: grad has shape {seed.shape} but the Tensor has shape {self.data.shape}")
        return seed

    def _backward(self) -> None:
        """This node's turn in backprop: each rule takes ``self.grad`` to its input's share, added to its grad."""
        self._apply_chain_rule()

    def _apply_chain_rule(self) -> tuple:
        """``_backward``, returning what was added to each input's grad (None where nothing was)."""
        upstream, children = self.grad, self._children
        if upstream is None or not children:  # no path from the root reaches this node, or a leaf
            return (None,) * len(children)
        if self._made_at < _data_changes:  # a tensor changed since this node was made
            _refuse_changed_inputs(self)
        return tuple([_accumulate(child, rule(upstream), upstream) if child.requires_grad else None
                      for child, rule in zip(children, self._vjps)])

    def zero_grad(self) -> None:
        """Set the grad of this tensor and of everything it depends on to None."""
        for node in topological_order(self):
            node.grad = None

    # ------------------------------------------------------------------ the node protocol (autograd.Node)
    @property
    def children(self) -> tuple[Tensor, ...]:
        """The inputs this tensor was computed from, in order, repeats kept (``a + a``: two)."""
        return self._children

    @property
    def op(self) -> str:
        """The op that made this tensor ("" for a leaf or a constant)."""
        return self._op

    @property
    def local_rules(self) -> tuple[LocalRule, ...]:
        """For each input, its backward rule in words (the local derivative, a Jacobian, is never built)."""
        return tuple(LocalRule(words, None) for words in self._rule_words)


# ---------------------------------------------------------------------- the one place grads reach inputs
def _accumulate(child: Tensor, contribution: Any, upstream: np.ndarray) -> np.ndarray:
    """Add one rule's output to ``child.grad``: unbroadcast, cast, then add in place when safe.

    A leaf's grad must be a writable array of its own (optimisers update it in place), so a
    contribution that is a view (of the upstream grad, or a read-only broadcast) is copied. An
    intermediate node may borrow the array until a second contribution arrives (``_owns_grad``
    says when its grad is its own). Returns what was added.
    """
    if type(contribution) is not np.ndarray:
        contribution = np.asarray(contribution)
    data = child._data
    if contribution.shape != data.shape:
        contribution = unbroadcast(contribution, data.shape)
    if contribution.dtype != data.dtype:
        contribution = contribution.astype(data.dtype)
    grad = child.grad
    if grad is not None and (type(grad) is not np.ndarray or grad.shape != data.shape):
        grad = _grad_so_far(child)
    if grad is None:
        if child._children:
            child.grad = contribution
            child._owns_grad = False
        elif contribution.base is None and contribution is not upstream:
            child.grad = contribution  # a fresh array: adopt it
        else:
            child.grad = contribution.copy()  # a view (of the upstream grad, or a read-only broadcast)
    elif not child._children or child._owns_grad:
        grad += contribution
    else:
        # asarray: for 0-d arrays NumPy returns a scalar, which a later in-place += would not update.
        child.grad = np.asarray(grad + contribution)
        child._owns_grad = True
    return contribution


def _refuse_changed_inputs(node: Tensor) -> None:
    """Raise if an input of ``node`` had its data changed after ``node`` was made (see ``_data_changes``)."""
    for child in node._children:
        if child._version > node._made_at:
            name = f"Tensor {child.label!r}" if child.label else "a Tensor"
            raise RuntimeError(
                f"backward: the data of {name} of shape {child._data.shape} was changed (e.g. by optimizer.step() "
                f"or t.data = ...) after the op {node._op!r} used it, so the graph holds its old numbers and the "
                "gradients would be wrong: compute the forward pass again, then call backward()"
            )


def _grad_so_far(t: Tensor) -> np.ndarray | None:
    """``t.grad`` as backward may add into it: None, or an array of ``t``'s shape.

    A number 0 set by hand (micrograd's ``p.grad = 0.0``) counts as no grad yet. Any other number,
    or an array of another shape, is refused: adding into it would lose the gradient.
    """
    grad = t.grad
    if grad is None or (type(grad) is np.ndarray and grad.shape == t._data.shape):
        return grad
    if isinstance(grad, numbers.Real) and not isinstance(grad, (bool, np.ndarray)) and grad == 0:
        t.grad = None
        return None
    what = f"an array of shape {grad.shape}" if isinstance(grad, np.ndarray) else repr(grad)
    name = f"Tensor {t.label!r}" if t.label else "a Tensor"
    raise ValueError(f"the grad of {name} of shape {t.data.shape} was set to {what}: a Tensor's grad is None "
                     f"or an array of shape {t.data.shape}; set it to None (or 0.0) to clear it")


# ---------------------------------------------------------------------- ops with more machinery
def _pow_tensors(base: Tensor, exponent: Tensor) -> Tensor:
    """``base ** exponent`` when the exponent is a Tensor too (so it may get a grad)."""
    b, w = base._data, exponent._data
    if exponent.requires_grad and (b < 0).any():
        raise ValueError("**: a negative base has no real logarithm, and the exponent requires grad "
                         "(d/dw b^w = b^w·ln b)")
    out = _broadcast(np.power, b, w, "**")
    if np.any((b < 0) & (np.floor(w) != w)):
        raise ValueError("**: negative base to a non-integer power is not a real number")
    if np.any((b == 0) & (w < 0)):
        raise ZeroDivisionError("**: 0 to a negative power is a division by zero")
    return _result(out, (base, exponent), "**", (
        lambda g: g * np.where(w == 0, 0, w * b ** (w - 1)),  # 0 where w = 0, as torch
        lambda g: g * np.where(b == 0, 0, out * np.log(b)),  # 0 where b = 0, as torch
    ), ("d(b^w)/db = w*b^(w-1)", "d(b^w)/dw = b^w*ln(b)"))


def _transposed_product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a.T @ b`` for matrices with the same number of rows: the weight grad of a product or a layer.

    With one row (a batch of one example) it is the outer product of two vectors, every entry a
    single product, which a broadcast multiply gives exactly as the GEMM would, ~4× faster
    (OpenBLAS 310 µs against 76 µs for a 256 × 784 weight).
    """
    if a.shape[0] == 1:
        return a.reshape(-1, 1) * b
    return a.T @ b


def _matmul(a: Tensor, b: Tensor) -> Tensor:
    """``a @ b`` as ``np.matmul``: 1-D operands act as a row (left) or a column (right)."""
    x, y = a._data, b._data
    if x.ndim == 0 or y.ndim == 0:
        raise ValueError(f"@: operands need at least one axis, got shapes {x.shape} and {y.shape}; use * for scalars")
    inner = y.shape[-2] if y.ndim > 1 else y.shape[0]
    if x.shape[-1] != inner:
        raise ValueError(f"@: shapes {x.shape} and {y.shape} do not match ({x.shape[-1]} != {inner})")
    if x.ndim == 2 and y.ndim == 2:
        return _result(x @ y, (a, b), "@", (
            lambda g: g @ y.T,
            lambda g: _transposed_product(x, g),  # xᵀ @ g
        ), ("d(A@B)/dA: g @ B^T", "d(A@B)/dB: A^T @ g"))
    # 1-D operands become matrices (a row on the left, a column on the right), and g gets those axes back.
    x2 = x[None, :] if x.ndim == 1 else x
    y2 = y[:, None] if y.ndim == 1 else y

    def as_matrix(g: np.ndarray) -> np.ndarray:
        if x.ndim == 1:
            g = g[..., None, :] if y.ndim > 1 else g[..., None]
        if y.ndim == 1:
            g = g[..., None]
        return g

    def grad_a(g: np.ndarray) -> np.ndarray:
        ga = as_matrix(g) @ np.swapaxes(y2, -1, -2)  # g @ Bᵀ
        return ga[..., 0, :] if x.ndim == 1 else ga

    def grad_b(g: np.ndarray) -> np.ndarray:
        gb = np.swapaxes(x2, -1, -2) @ as_matrix(g)  # Aᵀ @ g
        return gb[..., 0] if y.ndim == 1 else gb

    return _result(x @ y, (a, b), "@", (grad_a, grad_b), ("d(A@B)/dA: g @ B^T", "d(A@B)/dB: A^T @ g"))


def _scatter_max(g: np.ndarray, shape: tuple, winner: np.ndarray, axis: int | None, keepdims: bool) -> np.ndarray:
    """The grad of ``max``: ``g`` placed at each winner's position, zeros elsewhere."""
    full = np.zeros(shape, dtype=g.dtype)
    if axis is None:
        full.reshape(-1)[winner] = g.reshape(())
    else:
        np.put_along_axis(full, winner, _expand(g, axis, keepdims), axis=axis)
    return full


def _as_index(index: Any) -> Any:
    """An index as NumPy reads it, with every list or tuple of positions made an array.

    Inside an index tuple, ``x[(0, 0),]`` picks element 0 twice, as in NumPy: made an array, the
    picks are seen as such, so their grads add up. Tensors and Values are refused as indices.
    """
    if isinstance(index, tuple):
        return tuple(_index_part(part) for part in index)
    return _index_part(index)


def _index_part(part: Any) -> Any:
    if isinstance(part, Tensor):
        raise TypeError("a Tensor cannot be an index (it holds floats: a mask made a Tensor has lost its booleans); "
                        "index with a NumPy array or a list, e.g. t[mask.data > 0] or t[positions.data.astype(int)]")
    if isinstance(part, Value):
        raise TypeError("cannot index a Tensor with a Value; use an int")
    if isinstance(part, (list, tuple)):
        array = np.asarray(part)
        if array.size == 0:
            return array.astype(np.intp)  # [] picks nothing, as in NumPy
        if array.dtype.kind not in "iub":
            raise IndexError(f"an index list must hold ints or booleans, got {part!r}")
        return array
    return part


def _is_basic_index(index: Any) -> bool:
    """True when no integer array is involved, so no element can be picked twice."""
    parts = index if isinstance(index, tuple) else (index,)
    for part in parts:
        if isinstance(part, np.ndarray) and part.dtype != bool:
            return False
    return True


def _scatter_index(g: np.ndarray, shape: tuple, index: Any, basic: bool) -> np.ndarray:
    """The grad of ``x[index]``: ``g`` put back where the elements came from, adding repeats."""
    full = np.zeros(shape, dtype=g.dtype)
    if basic:
        full[index] = g
    else:
        np.add.at(full, index, g)
    return full


def _cross_entropy(logits: Tensor, targets: Any, reduction: str) -> Tensor:
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"cross_entropy: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    x = logits._data
    if x.ndim not in (1, 2):
        raise ValueError(f"cross_entropy: logits must have shape (N, C) or (C,), got {x.shape}")
    x2 = x[None, :] if x.ndim == 1 else x
    n = x2.shape[0]
    target_probs = class_probabilities(targets._data if isinstance(targets, Tensor) else targets, x.shape)
    target_probs = target_probs.astype(x.dtype, copy=False)
    shifted = x2 - x2.max(axis=1, keepdims=True)
    exps = np.exp(shifted)
    sums = np.add.reduce(exps, axis=1, keepdims=True)
    log_probs = shifted - np.log(sums)
    probs = exps / sums
    losses = -np.add.reduce(target_probs * log_probs, axis=1)
    total_target = np.add.reduce(target_probs, axis=1, keepdims=True)  # 1 per row for labels and one-hot rows
    if reduction == "mean":
        out, scale = np.add.reduce(losses) / n if n else np.asarray(np.nan, x.dtype), 1.0 / max(n, 1)
    elif reduction == "sum":
        out, scale = np.add.reduce(losses), 1.0
    else:
        out, scale = (losses if x.ndim == 2 else losses[0]), None

    def rule(g: np.ndarray) -> np.ndarray:
        per_row = g.reshape(-1, 1) if scale is None else g * scale
        grad = (probs * total_target - target_probs) * per_row  # d CE/dx = softmax - target (per row, / N for mean)
        return grad.reshape(x.shape)

    return _result(out, (logits,), "cross_entropy", (rule,), ("d CE/dx = (softmax(x) - target) / N",))


def _broadcast_shape(*shapes: tuple) -> tuple | None:
    """The shape NumPy broadcasts ``shapes`` to, or None where they do not broadcast."""
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        return None


def _mse_loss(x: Tensor, targets: ArrayLike, reduction: str) -> Tensor:
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"mse_loss: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    target = targets if isinstance(targets, Tensor) else _constant(_to_array(targets, x._data.dtype))
    a, t = x._data, target._data
    if t.shape != a.shape and _broadcast_shape(a.shape, t.shape) != a.shape:
        raise ValueError(f"mse_loss: targets of shape {t.shape} do not fit an input of shape {a.shape}")
    n = a.size
    if n == 0 and reduction == "mean":
        raise ValueError("mse_loss: the mean over an empty Tensor has no value")
    difference = a - t
    squares = difference * difference
    if reduction == "none":
        out = squares
    else:
        out = _sum(squares, None)
        if reduction == "mean":
            out = out / n

    def grad_x(g: np.ndarray) -> np.ndarray:
        # The grad of (x - t)·(x - t): g·d along each of its two edges, doubled exactly by the 2.
        return (difference * (g / n if reduction == "mean" else g)) * 2.0

    return _result(out, (x, target), "mse_loss", (grad_x, lambda g: -grad_x(g)),
                   ("d mse/dx = 2(x - t)/N", "d mse/dt = -2(x - t)/N"))


# ---------------------------------------------------------------------- functions of several tensors
def concatenate(tensors: Sequence[ArrayLike], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis, as ``np.concatenate``."""
    parts = _as_tensors(tensors, "concatenate")
    arrays = [t._data for t in parts]
    try:
        out = np.concatenate(arrays, axis=axis)
    except ValueError as error:
        shapes = ", ".join(str(a.shape) for a in arrays)
        raise ValueError(f"concatenate: shapes {shapes} do not fit along axis {axis}: {error}") from None
    axis = axis % out.ndim
    rules = []
    start = 0
    for array in arrays:
        where = (slice(None),) * axis + (slice(start, start + array.shape[axis]),)
        rules.append(lambda g, where=where: g[where])  # each input gets back its own slice of the grad
        start += array.shape[axis]
    return _result(out, tuple(parts), "concatenate", tuple(rules), ("this input's slice of the grad",) * len(parts))


def stack(tensors: Sequence[ArrayLike], axis: int = 0) -> Tensor:
    """Join same-shaped tensors along a new axis, as ``np.stack``."""
    parts = _as_tensors(tensors, "stack")
    shapes = {t._data.shape for t in parts}
    if len(shapes) > 1:
        raise ValueError(f"stack: all tensors must have the same shape, got {', '.join(str(s) for s in shapes)}")
    out = np.stack([t._data for t in parts], axis=axis)
    rules = tuple(
        (lambda g, i=i: np.moveaxis(g, axis, 0)[i])  # each input gets back its own slice of the grad
        for i in range(len(parts))
    )
    return _result(out, tuple(parts), "stack", rules, ("this input's slice of the grad",) * len(parts))


def where(condition: Any, a: ArrayLike, b: ArrayLike) -> Tensor:
    """``a`` where ``condition`` is true, else ``b`` (broadcast together, as ``np.where``)."""
    if isinstance(condition, Tensor):
        condition = condition._data
    condition = np.asarray(condition, dtype=bool)
    like = a if isinstance(a, Tensor) else b if isinstance(b, Tensor) else Tensor(0.0)
    a, b = _lift(a, like), _lift(b, like)
    try:
        out = np.where(condition, a._data, b._data)
    except ValueError:
        raise ValueError(
            f"where: shapes {condition.shape}, {a.data.shape} and {b.data.shape} do not broadcast together"
        ) from None
    return _result(out, (a, b), "where", (
        lambda g: np.where(condition, g, 0),
        lambda g: np.where(condition, 0, g),
    ), ("d/da = 1 where condition", "d/db = 1 where not condition"))


def _as_tensors(tensors: Any, op: str) -> list:
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{op}: expected a list or tuple of Tensors, got {type(tensors).__name__}")
    if not tensors:
        raise ValueError(f"{op}: expected at least one Tensor, got an empty sequence")
    like = next((t for t in tensors if isinstance(t, Tensor)), None)
    if like is None:
        like = Tensor(tensors[0])
    return [_lift(t, like) for t in tensors]
