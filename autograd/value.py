"""The scalar engine: a ``Value`` remembers how it was computed, and backprop runs the chain rule.

Every op does the same three things, which is the whole of backpropagation:

1. compute the result, ``out``;
2. write down the *local derivative* of ``out`` with respect to each input, ∂out/∂input;
3. record the inputs, so that ``backward`` can later apply the chain rule to each of them::

       input.grad += local_derivative * out.grad

Local derivatives are stored as plain numbers next to the inputs (no closure per node),
with the same rule in words: the rule for an op is the line that builds its ``Value``.
``autograd.backprop`` does the rest for both engines. Each node's ``_backward()`` is its own
step of the chain rule, as in micrograd.
"""

from __future__ import annotations

import builtins
import math
import numbers
from collections.abc import Iterator, Sequence

from . import backprop
from .backprop import BackwardStep, LocalRule, topological_order
from .mode import AnomalyError, state

Number = int | float


def _as_float(data: object) -> float:
    """Convert a real number to float, or raise ``TypeError`` naming what was given."""
    if isinstance(data, numbers.Real):
        return float(data)
    from .engines import is_tensor  # here: the engines module imports this one

    if is_tensor(data):
        raise TypeError("Value cannot hold a Tensor; use Tensor ops, or .item() for a number")
    raise TypeError(f"Value data must be a real number (int or float), got {type(data).__name__}: {data!r}")


class Value:
    """A scalar that records the computation graph for backpropagation.

    ``data`` is the number, ``grad`` is ∂(root)/∂(this value) after ``root.backward()``.
    ``_children`` are the inputs it was computed from (a tuple: ``a + a`` has two edges),
    ``_local_grads`` the local derivatives ∂self/∂child in the same order, ``_rule_words``
    the same rules in words, ``_op`` the op.

    Coming from micrograd: ``Value(data, _children=(), _op='', label='')`` is accepted as there
    (``Value(2.0, "x")``, a string in second place, is read as the label, as retrograd has
    always allowed). A node given ``_children`` by hand has no local derivatives: it can be
    drawn, but backprop refuses to pass through it (make nodes with ops). ``_prev`` is
    micrograd's read-only set of distinct inputs, ``_op`` the op's name and ``_backward()`` a
    node's own step of the chain rule. Op names differ where retrograd has its own node:
    micrograd writes ``-a`` as ``*`` (by -1), ``a - b`` as ``+`` (of a negation), ``a / b`` as
    ``*`` (by ``b**-1``) and relu as ``ReLU``; here they are ``neg``, ``-``, ``/`` and ``relu``.
    ``+``, ``*``, ``**n``, ``tanh`` and ``exp`` are named alike.

    ``==`` is identity, as in micrograd (Values are graph nodes, kept in sets and dicts);
    ``bool(v)`` is ``bool(v.data)``. ``copy.deepcopy`` and ``pickle`` work on graphs of any
    depth.
    """

    __slots__ = ("data", "grad", "label", "_children", "_local_grads", "_rule_words", "_op")

    # For autograd.backprop: an intermediate node's grad starts at 0.0, and local grads are numbers.
    _EMPTY_GRAD = 0.0
    _LOCAL_GRADS_ARE_NUMBERS = True

    def __init__(self, data: Number, _children: Sequence[Value] | str = (), _op: str = "", label: str = "") -> None:
        if type(data) is not float:
            data = _as_float(data)
        if not math.isfinite(data):
            raise ValueError(f"Value data must be finite, got {data}")
        self.data = data
        self.grad = 0.0
        self.label = label
        self._children: tuple = ()
        self._local_grads: tuple | None = ()
        self._rule_words: tuple = ()
        self._op = _op
        if _children:
            if isinstance(_children, str):  # Value(2.0, "x"): the label, in second place
                if label or _op:
                    raise TypeError("Value(data, _children=(), _op='', label=''): _children must be Values, "
                                    f"got the string {_children!r}")
                self.label = _children
            else:
                self._set_children_by_hand(_children)

    def _set_children_by_hand(self, children: Sequence[Value]) -> None:
        children = tuple(children)
        for child in children:
            if not isinstance(child, Value):
                raise TypeError(f"Value: _children must be Values, got {type(child).__name__}: {child!r}")
        self._children = children
        self._local_grads = None  # unknown: backward refuses to pass through this node
        self._rule_words = ("",) * len(children)

    @staticmethod
    def _from_op(data: float, children: tuple, local_grads: tuple, op: str, words: tuple = ()) -> Value:
        """Build the result of an op: ``children[i]`` with local derivative ``local_grads[i]``.

        ``words[i]`` is that rule written out (for the stepper and the pictures). Every op
        makes a node through here, so it skips ``__init__``'s checks of user input.
        """
        out = _new_object(Value)
        out.data = data
        out.grad = 0.0
        out.label = ""
        out._op = op
        out._children = children
        out._local_grads = local_grads
        out._rule_words = words
        if not state.just_recording:  # under no_grad, or in anomaly mode
            _apply_mode(out)
        return out

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"

    # ------------------------------------------------------------------ arithmetic
    # Each op: the result, then for each input the local derivative ∂out/∂input and its words.
    def __add__(self, other: Value | Number) -> Value:
        other = other if type(other) is Value else _as_value(other)
        return Value._from_op(self.data + other.data, (self, other), (1.0, 1.0), "+",
                              ("d(a+b)/da = 1", "d(a+b)/db = 1"))

    def __mul__(self, other: Value | Number) -> Value:
        other = other if type(other) is Value else _as_value(other)
        a, b = self.data, other.data
        return Value._from_op(a * b, (self, other), (b, a), "*",
                              ("d(a*b)/da = b", "d(a*b)/db = a"))

    def __pow__(self, exponent: Value | Number) -> Value:
        if isinstance(exponent, Value):
            return _pow_values(self, exponent)
        n = _as_float(exponent)
        x = self.data
        return Value._from_op(_checked_pow(x, n), (self,), (_power_rule(x, n),), f"**{n:g}",
                              ("d(x^n)/dx = n*x^(n-1)",))

    def __rpow__(self, base: Number) -> Value:
        return _pow_values(_as_value(base), self)

    def __neg__(self) -> Value:
        return Value._from_op(-self.data, (self,), (-1.0,), "neg", ("d(-a)/da = -1",))

    def __sub__(self, other: Value | Number) -> Value:
        other = other if type(other) is Value else _as_value(other)
        return Value._from_op(self.data - other.data, (self, other), (1.0, -1.0), "-",
                              ("d(a-b)/da = 1", "d(a-b)/db = -1"))

    def __truediv__(self, other: Value | Number) -> Value:
        other = other if type(other) is Value else _as_value(other)
        a, b = self.data, other.data
        if b == 0.0:
            raise ZeroDivisionError(f"/: division by zero ({a} / {b})")
        return Value._from_op(a / b, (self, other), (1.0 / b, -(a / b) / b), "/",
                              ("d(a/b)/da = 1/b", "d(a/b)/db = -a/b^2"))

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
        """eˣ (inf when it overflows a float, as in NumPy and PyTorch)."""
        try:
            out = math.exp(self.data)
        except OverflowError:
            out = math.inf
        return Value._from_op(out, (self,), (out,), "exp", ("d(e^x)/dx = e^x",))

    def log(self) -> Value:
        """ln x, the natural logarithm (x must be positive)."""
        x = self.data
        if x <= 0.0:
            raise ValueError(f"log: input must be positive, got {x}")
        return Value._from_op(math.log(x), (self,), (1.0 / x,), "log", ("d(ln x)/dx = 1/x",))

    def sqrt(self) -> Value:
        """√x (x must be non-negative); at 0 its derivative is inf."""
        x = self.data
        if x < 0.0:
            raise ValueError(f"sqrt: input must be non-negative, got {x}")
        out = math.sqrt(x)
        return Value._from_op(out, (self,), (0.5 / out if out > 0.0 else math.inf,), "sqrt",
                              ("d(sqrt x)/dx = 1/(2 sqrt x)",))

    def tanh(self) -> Value:
        """tanh x = (eˣ - e⁻ˣ) / (eˣ + e⁻ˣ), between -1 and 1."""
        t = math.tanh(self.data)
        return Value._from_op(t, (self,), (1.0 - t * t,), "tanh", ("d(tanh x)/dx = 1 - tanh^2 x",))

    def sigmoid(self) -> Value:
        """σ(x) = 1 / (1 + e⁻ˣ), between 0 and 1."""
        s = _sigmoid(self.data)
        return Value._from_op(s, (self,), (s * (1.0 - s),), "sigmoid", ("d(sigmoid x)/dx = s(1-s)",))

    def relu(self) -> Value:
        """max(0, x)."""
        x = self.data
        return Value._from_op(x if x > 0.0 else 0.0, (self,), (1.0 if x > 0.0 else 0.0,), "relu",
                              ("d(relu x)/dx = 1 if x > 0 else 0",))

    def leaky_relu(self, alpha: float = 0.01) -> Value:
        """x for x > 0, else alpha·x."""
        x = self.data
        positive = x > 0.0
        return Value._from_op(x if positive else alpha * x, (self,), (1.0 if positive else alpha,), "leaky_relu",
                              ("d(leaky_relu x)/dx = 1 if x > 0 else alpha",))

    def elu(self, alpha: float = 1.0) -> Value:
        """x for x > 0, else alpha·(eˣ - 1)."""
        x = self.data
        words = ("d(elu x)/dx = 1 if x > 0 else alpha*e^x",)
        if x > 0.0:
            return Value._from_op(x, (self,), (1.0,), "elu", words)
        e = alpha * math.exp(x)
        return Value._from_op(e - alpha, (self,), (e,), "elu", words)

    def abs(self) -> Value:
        """|x|; its derivative at 0 is 0, as in PyTorch."""
        x = self.data
        sign = 1.0 if x > 0.0 else (-1.0 if x < 0.0 else 0.0)
        return Value._from_op(abs(x), (self,), (sign,), "abs", ("d|x|/dx = sign(x)",))

    def __abs__(self) -> Value:
        return self.abs()

    def identity(self) -> Value:
        """The identity activation: returns ``self`` (no node is added)."""
        return self

    # ------------------------------------------------------------------ comparing
    # ``==`` stays identity (no __eq__), as in micrograd: Values are graph nodes, kept in sets
    # and dicts. ``bool`` is the truth of the number.
    def __bool__(self) -> bool:
        return self.data != 0.0

    # ------------------------------------------------------------------ backpropagation
    def backward(self, grad: Number | None = None) -> None:
        """Fill ``grad`` of every node this value depends on with ∂self/∂node.

        Visits nodes in reverse topological order (found without recursion) and applies
        the chain rule ``child.grad += local * node.grad`` along every edge. ``grad`` seeds
        ∂self/∂self (1 when not given). As in PyTorch, grads of leaves *accumulate* across
        calls: call ``zero_grad`` (or set ``grad = 0.0``) between steps. Grads of
        intermediate nodes are recomputed.
        """
        backprop.backward(self, self._seed(grad))

    def backward_steps(self, grad: Number | None = None) -> Iterator[BackwardStep]:
        """Run backprop one node at a time, yielding a ``BackwardStep`` record for each node.

        Each record holds the node, its upstream grad ∂root/∂node, each input's local
        derivative and the contribution added to that input's grad. Consuming every step
        leaves exactly the grads that ``backward()`` gives.
        """
        return backprop.backward_steps(self, self._seed(grad))

    def _seed(self, grad: Number | None) -> float:
        if self._op and not self._children:
            raise RuntimeError(
                f"backward() on a Value computed by {self._op!r} under no_grad: no graph was recorded, so no "
                "gradient can reach its inputs; compute the loss outside `with no_grad():`"
            )
        if grad is None:
            return 1.0
        if isinstance(grad, Value):
            grad = grad.data
        backprop.check_seed(grad)
        return float(grad)

    def _backward(self) -> None:
        """This node's turn in backprop, as in micrograd: ``child.grad += local * self.grad`` for each input.

        Called on every node from the root down (after ``root.grad = 1.0``), it gives the
        grads of ``backward()``; each node must come after every node that uses it.
        """
        self._apply_chain_rule()

    def _apply_chain_rule(self) -> tuple[float, ...]:
        """``_backward``, returning the contribution added to each input's grad."""
        if self._local_grads is None:
            raise RuntimeError(backprop.NO_RULES.format(node=self))
        upstream = self.grad
        contributions = []
        for child, local in zip(self._children, self._local_grads):
            contribution = local * upstream  # the chain rule, along one edge
            child.grad += contribution
            contributions.append(contribution)
        return tuple(contributions)

    def zero_grad(self) -> None:
        """Set the grad of this value and of everything it depends on to 0."""
        for node in topological_order(self):
            node.grad = 0.0

    # ------------------------------------------------------------------ copying and pickling
    # Python's own copy and pickle recurse along the inputs, so a graph deeper than ~1,000 nodes
    # would raise RecursionError; these walk the graph with the iterative topological order.
    def __copy__(self) -> Value:
        """A new node with the same number, grad, label, op and inputs (the inputs are shared)."""
        out = _new_object(type(self))
        for name in Value.__slots__:
            setattr(out, name, getattr(self, name))
        return out

    def __deepcopy__(self, memo: dict) -> Value:
        """A copy of the whole graph under this value (shared nodes stay shared), of any depth."""
        for node in topological_order(self):  # each node after its inputs
            if id(node) not in memo:
                copy = node.__copy__()
                copy._children = tuple(memo[id(child)] for child in node._children)
                memo[id(node)] = copy
        return memo[id(self)]

    def __reduce__(self) -> tuple:
        """Pickle the graph under this value as a flat list of records (no recursion, any depth).

        Leaves are pickled as themselves, so leaves shared by several pickled Values (the
        parameters of a model, say) stay one object when loaded; intermediate nodes are
        rebuilt for each pickled graph.
        """
        if not self._children:
            return (_leaf_from_pickle, (type(self), self.data, self.grad, self.label, self._op))
        order = topological_order(self)
        position = {id(node): i for i, node in enumerate(order)}
        records = [
            (type(node), node.data, node.grad, node.label, node._op, node._local_grads, node._rule_words,
             tuple(position[id(child)] for child in node._children))
            if node._children else node
            for node in order
        ]
        return (_graph_from_pickle, (records,))

    # ------------------------------------------------------------------ the node protocol (autograd.Node)
    @property
    def children(self) -> tuple[Value, ...]:
        """The inputs this value was computed from, in order, repeats kept (``a + a``: two)."""
        return self._children

    @property
    def _prev(self) -> set[Value]:
        """micrograd's name: the set of distinct inputs (read-only; ``children`` keeps order and repeats)."""
        return set(self._children)

    @property
    def op(self) -> str:
        """The op that made this value ("" for a leaf)."""
        return self._op

    @property
    def local_rules(self) -> tuple[LocalRule, ...]:
        """For each input, the local derivative ∂self/∂input and the rule in words."""
        locals_ = self._local_grads
        if locals_ is None:
            locals_ = (None,) * len(self._children)
        words = self._rule_words or ("",) * len(self._children)
        return tuple(LocalRule(w, local) for w, local in zip(words, locals_))

    @property
    def shape(self) -> tuple:
        """Always ``()``: a Value is one number (the same attribute as ``Tensor.shape``)."""
        return ()

    def item(self) -> float:
        """The number held, as a Python float."""
        return self.data


# ---------------------------------------------------------------------- helpers
_new_object = object.__new__


def _apply_mode(out: Value) -> None:
    """What ``no_grad`` and ``detect_anomaly`` change for an op's result ``out``."""
    if state.detect_anomaly and not math.isfinite(out.data):
        inputs = ", ".join(repr(c.data) for c in out._children)
        raise AnomalyError(f"{out._op}: result is {out.data} for inputs ({inputs}) (anomaly detected)")
    if not state.grad_enabled:  # nothing recorded: the inputs can be freed
        out._children = out._local_grads = out._rule_words = ()


def _leaf_from_pickle(cls: type, data: float, grad: float, label: str, op: str) -> Value:
    leaf = _new_object(cls)
    leaf.data, leaf.grad, leaf.label, leaf._op = data, grad, label, op
    leaf._children = leaf._local_grads = leaf._rule_words = ()
    return leaf


def _graph_from_pickle(records: list) -> Value:
    """Rebuild a pickled graph: each record is a leaf, or a node whose inputs came before it."""
    nodes: list[Value] = []
    for record in records:
        if not isinstance(record, tuple):
            nodes.append(record)
            continue
        cls, data, grad, label, op, local_grads, words, children = record
        node = _new_object(cls)
        node.data, node.grad, node.label, node._op = data, grad, label, op
        node._local_grads, node._rule_words = local_grads, words
        node._children = tuple(nodes[i] for i in children)
        nodes.append(node)
    return nodes[-1]


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
    """``x ** n`` for floats: a domain error raises, overflow gives ±inf (IEEE, as NumPy and PyTorch)."""
    if x == 0.0 and n < 0:
        raise ZeroDivisionError(f"**: 0.0 ** {n:g} is a division by zero")
    if x < 0.0 and not float(n).is_integer():
        raise ValueError(f"**: negative base {x} to the non-integer power {n:g} is not a real number")
    try:
        return x**n
    except OverflowError:
        odd = float(n).is_integer() and int(n) % 2 == 1
        return -math.inf if x < 0.0 and odd else math.inf


def _power_rule(x: float, n: float) -> float:
    """d(xⁿ)/dx = n·xⁿ⁻¹, with 0 for n = 0 and inf at x = 0 for n < 1 (as for √x at 0)."""
    if n == 0:
        return 0.0
    if x == 0.0 and n < 1:
        return math.inf
    return n * _checked_pow(x, n - 1)


def _pow_values(base: Value, exponent: Value) -> Value:
    """``base ** exponent`` when the exponent is itself a Value (so it gets a grad too)."""
    b, w = base.data, exponent.data
    if b < 0.0:
        raise ValueError(f"**: base must be positive or 0 when the exponent is a Value (d/dw b^w = b^w·ln b), got {b}")
    out = _checked_pow(b, w)
    d_base = _power_rule(b, w)
    d_exponent = out * math.log(b) if b > 0.0 else 0.0  # at b = 0 the grad is 0, as in PyTorch
    return Value._from_op(out, (base, exponent), (d_base, d_exponent), "**",
                          ("d(b^w)/db = w*b^(w-1)", "d(b^w)/dw = b^w*ln(b)"))


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
    local = tuple(1.0 if i == best else 0.0 for i in range(len(values)))
    return Value._from_op(values[best].data, values, local, "max",
                          ("d max/dx_i = 1 for the first maximum, else 0",) * len(values))


def weighted_sum(weights: Sequence[Value], inputs: Sequence[Value | Number], bias: Value) -> Value:
    """w·x + b = Σ w_i x_i + b as one node, a neuron before its activation.

    The local derivatives are those of the ``*`` and ``+`` nodes it replaces: x_i for w_i, w_i
    for x_i and 1 for b, so the grads are the same numbers with 2n fewer nodes. Inputs that are
    plain numbers get no edge (nothing to backpropagate into).
    """
    if len(weights) != len(inputs):
        raise ValueError(f"w·x+b: {len(weights)} weights for {len(inputs)} inputs")
    total = bias.data
    children: list = []
    local_grads: list = []
    for w, x in zip(weights, inputs):
        if isinstance(x, Value):
            total += w.data * x.data
            children += (w, x)
            local_grads += (x.data, w.data)
        else:
            total += w.data * x
            children.append(w)
            local_grads.append(x)
    children.append(bias)
    local_grads.append(1.0)
    return Value._from_op(total, tuple(children), tuple(local_grads), "w·x+b", _WEIGHTED_SUM_WORDS * len(children))


_WEIGHTED_SUM_WORDS = ("d(w·x+b)/dw_i = x_i, d(w·x+b)/dx_i = w_i, d(w·x+b)/db = 1",)


def logsumexp(values: Sequence[Value | Number]) -> Value:
    """log(Σ exp(x_i)), computed as m + log Σ exp(x_i - m) so large inputs do not overflow."""
    values = _as_values(values)
    m = builtins.max(v.data for v in values)
    out = m + math.log(math.fsum(math.exp(v.data - m) for v in values))
    local = tuple(math.exp(v.data - out) for v in values)
    return Value._from_op(out, values, local, "logsumexp",
                          ("d lse/dx_i = exp(x_i - lse) = softmax_i",) * len(values))


def softmax(values: Sequence[Value | Number]) -> list[Value]:
    """exp(x_i) / Σ exp(x_j) for each i, stable for large inputs."""
    values = _as_values(values)
    m = builtins.max(v.data for v in values)
    exps = [math.exp(v.data - m) for v in values]
    total = math.fsum(exps)
    probs = [e / total for e in exps]
    words = ("d s_i/dx_j = s_i (delta_ij - s_j)",) * len(values)
    outs = []
    for i, p_i in enumerate(probs):
        local = tuple(p_i * ((1.0 if i == j else 0.0) - p_j) for j, p_j in enumerate(probs))
        outs.append(Value._from_op(p_i, values, local, "softmax", words))
    return outs


def log_softmax(values: Sequence[Value | Number]) -> list[Value]:
    """x_i - logsumexp(x) for each i, stable for large inputs."""
    values = _as_values(values)
    m = builtins.max(v.data for v in values)
    lse = m + math.log(math.fsum(math.exp(v.data - m) for v in values))
    probs = [math.exp(v.data - lse) for v in values]
    words = ("d(x_i - lse)/dx_j = delta_ij - s_j",) * len(values)
    outs = []
    for i, v in enumerate(values):
        local = tuple((1.0 if i == j else 0.0) - p_j for j, p_j in enumerate(probs))
        outs.append(Value._from_op(v.data - lse, values, local, "log_softmax", words))
    return outs


def cross_entropy(logits: Sequence[Value | Number], target: Sequence[float]) -> Value:
    """-Σ_c t_c log softmax(z)_c for one row of logits z and target probabilities t, as one node.

    For a class label y, t is one-hot and the loss is logsumexp(z) - z_y. The local derivative
    for z_i is softmax(z)_i · Σ_c t_c - t_i: the softmax less 1 at the label. The targets are
    numbers, checked by ``autograd.cross_entropy`` (labels become one-hot rows there).
    """
    values = _as_values(logits)
    if len(target) != len(values):
        raise ValueError(f"cross_entropy: {len(values)} logits but {len(target)} target probabilities")
    m = builtins.max(v.data for v in values)
    lse = m + math.log(math.fsum(math.exp(v.data - m) for v in values))
    probs = [math.exp(v.data - lse) for v in values]
    mass = math.fsum(target)
    loss = math.fsum(t * (lse - v.data) for v, t in zip(values, target) if t != 0.0)
    local = tuple(p_i * mass - t_i for p_i, t_i in zip(probs, target))
    return Value._from_op(loss, values, local, "cross_entropy",
                          ("d CE/dz_i = softmax(z)_i - t_i",) * len(values))
