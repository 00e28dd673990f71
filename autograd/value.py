"""The scalar engine: a ``Value`` remembers how it was computed, and backprop runs the chain rule.

Every op does the same three things, which is the whole of backpropagation:

1. compute the result, ``out``;
2. write down the *local derivative* of ``out`` with respect to each input, ∂out/∂input;
3. record the inputs, so that ``backward`` can later apply the chain rule to each of them::

       input.grad += local_derivative * out.grad

Local derivatives are stored as plain numbers next to the inputs (no closure per node):
the rule for an op is the one line that builds its ``Value``.
"""

from __future__ import annotations

import builtins
import math
import numbers
from collections.abc import Iterator, Sequence

from .graph import BackwardStep, topological_order
from .mode import AnomalyError, state

Number = int | float


def _as_float(data: object) -> float:
    """Convert a real number to float, or raise ``TypeError`` naming what was given."""
    if isinstance(data, numbers.Real):
        return float(data)
    if hasattr(data, "_children") and hasattr(data, "shape"):
        raise TypeError("Value cannot hold a Tensor; use Tensor ops, or .item() for a number")
    raise TypeError(f"Value data must be a real number (int or float), got {type(data).__name__}: {data!r}")


class Value:
    """A scalar that records the computation graph for backpropagation.

    ``data`` is the number, ``grad`` is ∂(root)/∂(this value) after ``root.backward()``.
    ``_children`` are the inputs it was computed from (a tuple: ``a + a`` has two edges),
    ``_local_grads`` the local derivatives ∂self/∂child in the same order, ``_op`` the op.
    """

    __slots__ = ("data", "grad", "label", "_children", "_local_grads", "_op")

    def __init__(self, data: Number, label: str = "") -> None:
        if type(data) is not float:
            data = _as_float(data)
        if not math.isfinite(data):
            raise ValueError(f"Value data must be finite, got {data}")
        self.data = data
        self.grad = 0.0
        self.label = label
        self._children: tuple = ()
        self._local_grads: tuple = ()
        self._op = ""

    @staticmethod
    def _from_op(data: float, children: tuple, local_grads: tuple, op: str) -> Value:
        """Build the result of an op: ``children[i]`` with local derivative ``local_grads[i]``.

        Every op makes a node through here, so it skips ``__init__``'s checks of user input.
        """
        out = _new_object(Value)
        out.data = data
        out.grad = 0.0
        out.label = ""
        out._op = op
        if state.grad_enabled:
            out._children = children
            out._local_grads = local_grads
        else:
            out._children = out._local_grads = ()
        if state.detect_anomaly and not math.isfinite(data):
            inputs = ", ".join(repr(c.data) for c in children)
            raise AnomalyError(f"{op}: result is {data} for inputs ({inputs}) (anomaly detected)")
        return out

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"

    # ------------------------------------------------------------------ arithmetic
    def __add__(self, other: Value | Number) -> Value:
        other = _as_value(other)
        # d(a + b)/da = 1, d(a + b)/db = 1
        return Value._from_op(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other: Value | Number) -> Value:
        other = _as_value(other)
        # d(a * b)/da = b, d(a * b)/db = a
        return Value._from_op(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __pow__(self, exponent: Value | Number) -> Value:
        if isinstance(exponent, Value):
            return _pow_values(self, exponent)
        n = _as_float(exponent)
        x = self.data
        out = _checked_pow(x, n)
        # d(x^n)/dx = n * x^(n-1)   (infinite at x = 0 for 0 < n < 1, as for √x)
        if n == 0:
            local = 0.0
        elif x == 0.0 and n < 1:
            local = math.inf
        else:
            local = n * _checked_pow(x, n - 1)
        return Value._from_op(out, (self,), (local,), f"**{n:g}")

    def __rpow__(self, base: Number) -> Value:
        return _pow_values(_as_value(base), self)

    def __neg__(self) -> Value:
        # d(-a)/da = -1
        return Value._from_op(-self.data, (self,), (-1.0,), "neg")

    def __sub__(self, other: Value | Number) -> Value:
        other = _as_value(other)
        # d(a - b)/da = 1, d(a - b)/db = -1
        return Value._from_op(self.data - other.data, (self, other), (1.0, -1.0), "-")

    def __truediv__(self, other: Value | Number) -> Value:
        other = _as_value(other)
        a, b = self.data, other.data
        if b == 0.0:
            raise ZeroDivisionError(f"/: division by zero ({a} / {b})")
        # d(a / b)/da = 1/b, d(a / b)/db = -a/b²
        return Value._from_op(a / b, (self, other), (1.0 / b, -a / (b * b)), "/")

    def __radd__(self, other: Number) -> Value:
        return _as_value(other) + self

    def __rsub__(self, other: Number) -> Value:
        return _as_value(other) - self

    def __rmul__(self, other: Number) -> Value:
        return _as_value(other) * self

    def __rtruediv__(self, other: Number) -> Value:
        return _as_value(other) / self

    # ------------------------------------------------------------------ functions of one input
    def exp(self) -> Value:
        """eˣ."""
        try:
            out = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp: result overflows a float for input {self.data}") from None
        # d(e^x)/dx = e^x
        return Value._from_op(out, (self,), (out,), "exp")

    def log(self) -> Value:
        """ln x, the natural logarithm (x must be positive)."""
        x = self.data
        if x <= 0.0:
            raise ValueError(f"log: input must be positive, got {x}")
        # d(ln x)/dx = 1/x
        return Value._from_op(math.log(x), (self,), (1.0 / x,), "log")

    def sqrt(self) -> Value:
        """√x (x must be non-negative)."""
        x = self.data
        if x < 0.0:
            raise ValueError(f"sqrt: input must be non-negative, got {x}")
        out = math.sqrt(x)
        # d(√x)/dx = 1 / (2√x)   (infinite at 0)
        return Value._from_op(out, (self,), (0.5 / out if out > 0.0 else math.inf,), "sqrt")

    def tanh(self) -> Value:
        """tanh x = (eˣ - e⁻ˣ) / (eˣ + e⁻ˣ), between -1 and 1."""
        t = math.tanh(self.data)
        # d(tanh x)/dx = 1 - tanh²x
        return Value._from_op(t, (self,), (1.0 - t * t,), "tanh")

    def sigmoid(self) -> Value:
        """σ(x) = 1 / (1 + e⁻ˣ), between 0 and 1."""
        s = _sigmoid(self.data)
        # dσ/dx = σ(x)(1 - σ(x))
        return Value._from_op(s, (self,), (s * (1.0 - s),), "sigmoid")

    def relu(self) -> Value:
        """max(0, x)."""
        x = self.data
        # d relu/dx = 1 if x > 0 else 0
        return Value._from_op(x if x > 0.0 else 0.0, (self,), (1.0 if x > 0.0 else 0.0,), "relu")

    def leaky_relu(self, alpha: float = 0.01) -> Value:
        """x for x > 0, else alpha·x."""
        x = self.data
        # d/dx = 1 if x > 0 else alpha
        if x > 0.0:
            return Value._from_op(x, (self,), (1.0,), "leaky_relu")
        return Value._from_op(alpha * x, (self,), (alpha,), "leaky_relu")

    def elu(self, alpha: float = 1.0) -> Value:
        """x for x > 0, else alpha·(eˣ - 1)."""
        x = self.data
        if x > 0.0:
            # d/dx = 1 for x > 0
            return Value._from_op(x, (self,), (1.0,), "elu")
        e = alpha * math.exp(x)
        # elu = alpha(e^x - 1), so d/dx = alpha e^x for x <= 0
        return Value._from_op(e - alpha, (self,), (e,), "elu")

    def abs(self) -> Value:
        """|x|."""
        x = self.data
        # d|x|/dx = sign(x)   (0 at 0, as in PyTorch)
        sign = 1.0 if x > 0.0 else (-1.0 if x < 0.0 else 0.0)
        return Value._from_op(abs(x), (self,), (sign,), "abs")

    def __abs__(self) -> Value:
        return self.abs()

    def identity(self) -> Value:
        """The identity activation: returns ``self`` (no node is added)."""
        return self

    # ------------------------------------------------------------------ backpropagation
    def _prepare_backward(self) -> list:
        if self._op and not self._children:
            raise RuntimeError(
                f"backward() on a Value computed by {self._op!r} under no_grad: no graph was recorded, so no "
                "gradient can reach its inputs; compute the loss outside `with no_grad():`"
            )
        order = topological_order(self)
        # Gradients of intermediate nodes are recomputed on every call; leaves accumulate.
        for node in order:
            if node._children:
                node.grad = 0.0
        if self._children:
            self.grad = 1.0
        else:
            self.grad += 1.0
        return order

    def backward(self) -> None:
        """Fill ``grad`` of every node this value depends on with ∂self/∂node.

        Visits nodes in reverse topological order (found without recursion) and applies
        the chain rule ``child.grad += local * node.grad`` along every edge. As in PyTorch,
        grads of leaves *accumulate* across calls: call ``zero_grad`` (or set
        ``grad = 0.0``) between steps. Grads of intermediate nodes are recomputed.
        """
        order = self._prepare_backward()
        if state.detect_anomaly:
            _backward_checking_anomalies(order)
            return
        for node in reversed(order):
            upstream = node.grad  # complete: every node that uses this one came earlier
            local_grads = node._local_grads
            for i, child in enumerate(node._children):
                child.grad += local_grads[i] * upstream  # the chain rule, along one edge

    def backward_steps(self) -> Iterator[BackwardStep]:
        """Run backprop one node at a time, yielding a ``BackwardStep`` record for each node.

        Each record holds the node, its upstream grad ∂root/∂node, each input's local
        derivative and the contribution added to that input's grad. Consuming every step
        leaves exactly the grads that ``backward()`` gives.
        """
        order = self._prepare_backward()
        for index, node in enumerate(reversed(order)):
            upstream = node.grad
            contributions = tuple(local * upstream for local in node._local_grads)
            for child, contribution in zip(node._children, contributions):
                child.grad += contribution
            yield BackwardStep(index, node, upstream, node._children, node._local_grads, contributions)

    def zero_grad(self) -> None:
        """Set the grad of this value and of everything it depends on to 0."""
        for node in topological_order(self):
            node.grad = 0.0

    # Node interface shared with Tensor (used by viz).
    @property
    def shape(self) -> tuple:
        """Always ``()``: a Value is one number (the same attribute as ``Tensor.shape``)."""
        return ()

    def item(self) -> float:
        """The number held, as a Python float."""
        return self.data


# ---------------------------------------------------------------------- helpers
_new_object = object.__new__


def _backward_checking_anomalies(order: list) -> None:
    """``backward``'s loop in anomaly mode: stop at the first gradient that is NaN or infinite."""
    for node in reversed(order):
        upstream = node.grad
        for child, local in zip(node._children, node._local_grads):
            child.grad += local * upstream
            if not math.isfinite(child.grad):
                raise AnomalyError(f"{node._op}: gradient flowing to its input is {child.grad} (anomaly detected)")


def _as_value(x: Value | Number) -> Value:
    if isinstance(x, Value):
        return x
    return Value(x)


def _sigmoid(x: float) -> float:
    # Two forms so that exp never overflows.
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _checked_pow(x: float, n: float) -> float:
    if x == 0.0 and n < 0:
        raise ZeroDivisionError(f"**: 0.0 ** {n:g} is a division by zero")
    if x < 0.0 and not float(n).is_integer():
        raise ValueError(f"**: negative base {x} to the non-integer power {n:g} is not a real number")
    try:
        return x**n
    except OverflowError:
        raise OverflowError(f"**: {x} ** {n:g} overflows a float") from None


def _pow_values(base: Value, exponent: Value) -> Value:
    """``base ** exponent`` when the exponent is itself a Value (so it gets a grad too)."""
    b, e = base.data, exponent.data
    if b <= 0.0:
        raise ValueError(f"**: base must be positive when the exponent is a Value (d/dw b^w = b^w·ln b), got {b}")
    out = _checked_pow(b, e)
    # d(b^w)/db = w * b^(w-1),  d(b^w)/dw = b^w * ln b
    return Value._from_op(out, (base, exponent), (e * _checked_pow(b, e - 1), out * math.log(b)), "**")


def _as_values(values: Sequence[Value | Number]) -> tuple:
    values = tuple(_as_value(v) for v in values)
    if not values:
        raise ValueError("expected at least one Value, got an empty sequence")
    return values


# ---------------------------------------------------------------------- functions of several inputs
def max(values: Sequence[Value | Number]) -> Value:  # noqa: A001 - mirrors torch.max
    """The largest of ``values`` (Maxout's op). The gradient flows only to the first maximum."""
    values = _as_values(values)
    best = builtins.max(range(len(values)), key=lambda i: values[i].data)
    # d max/dx_i = 1 for the winner, 0 for the others
    local = tuple(1.0 if i == best else 0.0 for i in range(len(values)))
    return Value._from_op(values[best].data, values, local, "max")


def logsumexp(values: Sequence[Value | Number]) -> Value:
    """log(Σ exp(x_i)), computed as m + log Σ exp(x_i - m) so large inputs do not overflow."""
    values = _as_values(values)
    m = builtins.max(v.data for v in values)
    out = m + math.log(math.fsum(math.exp(v.data - m) for v in values))
    # d lse/dx_i = exp(x_i - lse) = softmax_i
    local = tuple(math.exp(v.data - out) for v in values)
    return Value._from_op(out, values, local, "logsumexp")


def softmax(values: Sequence[Value | Number]) -> list[Value]:
    """exp(x_i) / Σ exp(x_j) for each i, stable for large inputs."""
    values = _as_values(values)
    m = builtins.max(v.data for v in values)
    exps = [math.exp(v.data - m) for v in values]
    total = math.fsum(exps)
    probs = [e / total for e in exps]
    outs = []
    for i, p_i in enumerate(probs):
        # d s_i/dx_j = s_i (δ_ij - s_j)
        local = tuple(p_i * ((1.0 if i == j else 0.0) - p_j) for j, p_j in enumerate(probs))
        outs.append(Value._from_op(p_i, values, local, "softmax"))
    return outs


def log_softmax(values: Sequence[Value | Number]) -> list[Value]:
    """x_i - logsumexp(x) for each i, stable for large inputs."""
    values = _as_values(values)
    m = builtins.max(v.data for v in values)
    lse = m + math.log(math.fsum(math.exp(v.data - m) for v in values))
    probs = [math.exp(v.data - lse) for v in values]
    outs = []
    for i, v in enumerate(values):
        # d (x_i - lse)/dx_j = δ_ij - s_j
        local = tuple((1.0 if i == j else 0.0) - p_j for j, p_j in enumerate(probs))
        outs.append(Value._from_op(v.data - lse, values, local, "log_softmax"))
    return outs
