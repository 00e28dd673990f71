"""Random expression graphs: Value, Tensor, finite differences and PyTorch must agree on every gradient.

Hypothesis draws a small program: leaves of random broadcastable shapes, then ops, each reading
any earlier node, so nodes are reused (diamonds, a node read by several later ops, ``a * a``).
The output is the sum of every node nothing else reads, so each op counts. The same program runs

- on the ``Tensor`` engine (NumPy broadcasting) and its grads are compared with central finite
  differences and with PyTorch in float64;
- on the ``Value`` engine, once per element of the broadcast shape, all adding into one loss,
  so that each element of a broadcast leaf collects its grad from every copy: exactly what
  ``unbroadcast`` must reproduce.

CI runs ``RETROGRAD_HYPOTHESIS_EXAMPLES`` examples (200 by default); ``python bench/stress.py``
runs 10,000 and reports the count and any failure.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import numpy as np
import pytest
from engines import TENSOR_OPS, VALUE_OPS, TorchOps, to_values, values_grad
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd import Tensor, Value, numerical_grads

EXAMPLES = int(os.environ.get("RETROGRAD_HYPOTHESIS_EXAMPLES", "200"))

# Counts kept for bench/stress.py: examples checked to the end, and examples discarded.
STATS = {"checked": 0}

# Inputs this close to a kink (relu at 0, a tie in max) make finite differences meaningless.
KINK_MARGIN = 1e-3
# Intermediate results beyond this make finite differences too coarse to compare.
MAGNITUDE_LIMIT = 1e4


# ---------------------------------------------------------------------------- the ops, written once for every engine
def stacked(E, xs: list):
    """The inputs broadcast to one shape and stacked along a new axis 0 (for max, logsumexp, softmax)."""
    shape = np.broadcast_shapes(*(tuple(x.shape) for x in xs))
    return E.stack([E.broadcast_to(x, shape) for x in xs])


# Each op: (number of inputs, function of the engine adapter ``E`` of tests/engines.py and the inputs).
# Domains are kept safe by construction (log and sqrt of x² + c, division by b² + c), so every drawn
# program is defined.
OPS = {
    "add": (2, lambda E, a, b: a + b),
    "sub": (2, lambda E, a, b: a - b),
    "mul": (2, lambda E, a, b: a * b),
    "div": (2, lambda E, a, b: a / (b * b + 0.5)),
    "pow_values": (2, lambda E, a, b: (a * a + 0.5) ** b),
    "neg": (1, lambda E, a: -a),
    "add_const": (1, lambda E, a: a + 0.3),
    "rsub_const": (1, lambda E, a: 1.0 - a),
    "scale": (1, lambda E, a: 1.5 * a),
    "rdiv_const": (1, lambda E, a: 1.0 / (a * a + 0.5)),
    "square": (1, lambda E, a: a**2),
    "cube": (1, lambda E, a: a**3),
    "pow_frac": (1, lambda E, a: (a * a + 0.5) ** 1.5),
    "rpow": (1, lambda E, a: 2.0**a),
    "exp": (1, lambda E, a: E.exp(a)),
    "log": (1, lambda E, a: E.log(a * a + 0.5)),
    "sqrt": (1, lambda E, a: E.sqrt(a * a + 0.1)),
    "tanh": (1, lambda E, a: E.tanh(a)),
    "sigmoid": (1, lambda E, a: E.sigmoid(a)),
    "relu": (1, lambda E, a: E.relu(a)),
    "abs": (1, lambda E, a: E.abs(a)),
    "leaky_relu": (1, lambda E, a: E.leaky_relu(a, 0.1)),
    "elu": (1, lambda E, a: E.elu(a, 0.7)),
    "max": (3, lambda E, a, b, c: E.max(stacked(E, [a, b, c]), axis=0)),
    "logsumexp": (3, lambda E, a, b, c: E.logsumexp(stacked(E, [a, b, c]), axis=0)),
    "softmax_first": (2, lambda E, a, b: E.softmax(stacked(E, [a, b]), axis=0)[0]),
}
# Ops with a kink at 0 (finite differences straddle it there); ``max`` has one wherever two inputs tie.
KINKED_AT_ZERO = {"relu", "abs", "leaky_relu", "elu"}


@dataclass
class Program:
    """Leaves (float64 arrays) and ops ``(name, input node indices)``; node i > leaves is op i - leaves."""

    broadcast_shape: tuple
    leaves: list
    ops: list = field(default_factory=list)

    def sinks(self) -> list[int]:
        """Nodes that no op reads: their sum is the output."""
        read = {i for _, inputs in self.ops for i in inputs}
        return [i for i in range(len(self.leaves) + len(self.ops)) if i not in read]

    def run(self, E, leaves: list, nodes: list | None = None):
        """Evaluate with adapter ``E`` on the given leaf objects; returns the (elementwise) output node.

        ``nodes``, if given, receives every node in order (the leaves, then each op's result).
        """
        nodes = [] if nodes is None else nodes
        nodes.extend(leaves)
        for name, inputs in self.ops:
            _, function = OPS[name]
            nodes.append(function(E, *(nodes[i] for i in inputs)))
        total = None
        for i in self.sinks():
            total = nodes[i] if total is None else total + nodes[i]
        return total

    def comparable(self) -> bool:
        """False where finite differences cannot be trusted: a result beyond ``MAGNITUDE_LIMIT``
        (or not finite), or a kinked op evaluated within ``KINK_MARGIN`` of its kink."""
        nodes: list = []
        self.run(TENSOR_OPS, [Tensor(leaf.copy()) for leaf in self.leaves], nodes)
        numbers = [TENSOR_OPS.data(node) for node in nodes]
        if any(not np.all(np.abs(n) < MAGNITUDE_LIMIT) for n in numbers[len(self.leaves) :]):
            return False
        for name, inputs in self.ops:
            if name in KINKED_AT_ZERO and np.any(np.abs(numbers[inputs[0]]) <= KINK_MARGIN):
                return False
            if name == "max":
                top = -np.sort(-np.stack(np.broadcast_arrays(*(numbers[i] for i in inputs))), axis=0)
                if np.any(top[0] - top[1] <= KINK_MARGIN):
                    return False
        return True

    def __repr__(self) -> str:
        leaves = ", ".join(f"{leaf.shape}" for leaf in self.leaves)
        ops = "; ".join(f"n{len(self.leaves) + k} = {name}{tuple(inputs)}" for k, (name, inputs) in enumerate(self.ops))
        return f"Program(broadcast to {self.broadcast_shape}; leaves {leaves}; {ops})"


# ---------------------------------------------------------------------------- drawing programs
BROADCAST_SHAPES = [(), (1,), (3,), (2, 3), (3, 1), (2, 1, 2)]


@st.composite
def leaf_shapes(draw, shape: tuple) -> tuple:
    """A shape that broadcasts to ``shape``: some leading axes dropped, some axes set to 1."""
    dropped = draw(st.integers(0, len(shape)))
    kept = shape[dropped:]
    return tuple(draw(st.sampled_from([n, 1])) for n in kept)


@st.composite
def programs(draw, max_ops: int = 10) -> Program:
    shape = draw(st.sampled_from(BROADCAST_SHAPES))
    count = draw(st.integers(1, 4))
    elements = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)
    leaves = [draw(hnp.arrays(np.float64, draw(leaf_shapes(shape)), elements=elements)) for _ in range(count)]
    # Every leaf reaches the output, so the output has the leaves' broadcast shape.
    program = Program(np.broadcast_shapes(*(leaf.shape for leaf in leaves)), leaves)
    for _ in range(draw(st.integers(1, max_ops))):
        name = draw(st.sampled_from(sorted(OPS)))
        arity, _ = OPS[name]
        last = count + len(program.ops) - 1
        # Half of the inputs come from the newest node, so chains and diamonds are common.
        node = st.one_of(st.just(last), st.integers(0, last))
        program.ops.append((name, tuple(draw(node) for _ in range(arity))))
    return program


# ---------------------------------------------------------------------------- running and comparing
def value_grads(program: Program) -> tuple[float, list[np.ndarray]]:
    """Run on Values, once per element of the broadcast shape; return the output and each leaf's grads.

    Each element of a broadcast leaf collects its grad from every copy: exactly what the
    Tensor's ``unbroadcast`` must reproduce.
    """
    grids = [to_values(leaf) for leaf in program.leaves]
    total = None
    for position in np.ndindex(program.broadcast_shape):
        inputs = [np.broadcast_to(grid, program.broadcast_shape)[position] for grid in grids]
        out = program.run(VALUE_OPS, inputs)
        total = out if total is None else total + out
    total.backward()
    return total.data, [values_grad(grid) for grid in grids]


def engine_grads(program: Program, E) -> tuple[float, list[np.ndarray]]:
    """Run on a whole-array engine of tests/engines.py; return the output's total and each leaf's grads."""
    leaves = [E.wrap(leaf) for leaf in program.leaves]
    out = program.run(E, leaves)
    total = E.weighted_sum(out, np.ones(program.broadcast_shape))
    E.backward(total)
    return float(E.data(total)), [E.grad(leaf) for leaf in leaves]


def finite_difference_grads(program: Program) -> list[np.ndarray]:
    leaves = [Tensor(leaf.copy()) for leaf in program.leaves]
    return numerical_grads(lambda *ts: program.run(TENSOR_OPS, ts).sum(), leaves)


def check_program(program: Program, torch) -> bool:
    """Raise AssertionError unless all four agree; return False for a program outside the comparable domain.

    Outside means: an op overflowed, an intermediate result is huge, or a kinked op was evaluated
    within ``KINK_MARGIN`` of its kink (finite differences straddle it there).
    """
    if not program.comparable():
        return False
    value_out, by_value = value_grads(program)
    tensor_out, by_tensor = engine_grads(program, TENSOR_OPS)
    torch_out, by_torch = engine_grads(program, TorchOps(torch))
    by_differences = finite_difference_grads(program)

    scale = max(1.0, abs(torch_out))
    assert tensor_out == pytest.approx(torch_out, rel=1e-10, abs=1e-10 * scale), f"Tensor output, {program}"
    assert value_out == pytest.approx(torch_out, rel=1e-10, abs=1e-10 * scale), f"Value output, {program}"
    for i, expected in enumerate(by_torch):
        where = f"leaf {i} of {program}"
        np.testing.assert_allclose(by_tensor[i], expected, rtol=1e-9, atol=1e-9 * scale, err_msg=f"Tensor, {where}")
        np.testing.assert_allclose(by_value[i], expected, rtol=1e-9, atol=1e-9 * scale, err_msg=f"Value, {where}")
        np.testing.assert_allclose(
            by_differences[i], expected, rtol=1e-4, atol=1e-6 * scale, err_msg=f"finite differences, {where}"
        )
    STATS["checked"] += 1
    return True


# ---------------------------------------------------------------------------- the tests
@pytest.mark.torch
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(program=programs())
def test_random_graphs_agree_across_engines_differences_and_pytorch(program, torch):
    assume(check_program(program, torch))


@pytest.mark.torch
def test_a_diamond_with_broadcasting_agrees(torch):
    # n4 = x·y, n5 = tanh(n4), n6 = n4 + n5 (a diamond on n4), n7 = max(n6, x, z); x is read three times.
    program = Program(
        (2, 3),
        [np.array([[0.3, -1.2, 0.9], [1.4, -0.2, 0.5]]), np.array([0.7, -0.4, 1.1]), np.array([[0.2], [-1.5]])],
        [("mul", (0, 1)), ("tanh", (3,)), ("add", (3, 4)), ("max", (5, 0, 2))],
    )
    assert check_program(program, torch)
    assert program.sinks() == [6]


@pytest.mark.torch
def test_the_check_catches_a_wrong_gradient_rule(torch, monkeypatch):
    """A wrong local derivative in one engine must fail the comparison, so the suite can fail."""
    program = Program((3,), [np.array([0.3, -0.8, 1.1])], [("tanh", (0,)), ("mul", (1, 0))])
    assert check_program(program, torch)

    def wrong_tanh(self):
        t = math.tanh(self.data)
        return (self - self.data) * (1.0 - t) + t  # the value tanh(x), the local derivative 1 - t (not 1 - t²)

    monkeypatch.setattr(Value, "tanh", wrong_tanh)
    with pytest.raises(AssertionError, match="Value, leaf 0"):
        check_program(program, torch)


# Programs this suite found (shrunk by Hypothesis), kept as fixed regression cases.
FOUND = {
    # A 0-d node read three times: its grad became a NumPy scalar and one in-place add was lost.
    "zero_dim_node_read_three_times": Program(
        (),
        [np.array(0.0), np.array(1.0)],
        [
            ("abs", (1,)),
            ("abs", (2,)),
            ("abs", (3,)),
            ("add", (4, 4)),
            ("abs", (5,)),
            ("abs", (6,)),
            ("abs", (7,)),
            ("abs", (4,)),
        ],
    ),
    # A 0-d leaf broadcast into a (3,) sum: unbroadcast returned a NumPy scalar, and a later add was lost.
    "zero_dim_leaf_broadcast_and_reused": Program(
        (2, 3),
        [np.zeros(3), np.zeros((2, 3)), np.array(1.0)],
        [("abs", (2,)), ("abs", (3,)), ("add", (0, 2))],
    ),
}


@pytest.mark.torch
@pytest.mark.parametrize("name", list(FOUND))
def test_programs_found_by_the_search_agree(torch, name):
    assert check_program(FOUND[name], torch)
