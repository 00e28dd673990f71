"""Property tests: random shapes and random chains of ops agree on Tensor, Value and finite differences.

Hypothesis draws a starting shape and a chain of ops from the common API of tests/cases.py
(element-wise functions, broadcasting arithmetic with new inputs, reductions over a random axis
or a list or tuple of axes with or without keepdims, softmax and friends along a random axis,
matmul, transposes, indexing of every kind NumPy reads (ints, slices, tuples, lists, integer
arrays, boolean masks, repeated positions), concatenation). The chain runs on the Tensor engine
and, element by element, on the Value engine: outputs and grads must agree to 1e-10. Chains
without kinks (relu, abs, max, ...) are also checked against finite differences, and against
PyTorch in float64 and in float32.

The default run draws 100 chains per test; set RETROGRAD_HYPOTHESIS_EXAMPLES to draw more.
"""

from __future__ import annotations

import math
import os

import numpy as np
import pytest
from cases import TENSOR_OPS, VALUE_OPS, Case, TorchOps, output_weights, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd import Tensor, gradcheck

settings.register_profile(
    "retrograd-properties",
    max_examples=int(os.environ.get("RETROGRAD_HYPOTHESIS_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile("retrograd-properties")
PARITY = {"rtol": 1e-10, "atol": 1e-10}

# Element-wise functions; "kink" ones have a corner where finite differences do not apply.
SMOOTH_UNARY = {
    "tanh": lambda ops, x: ops.tanh(x),
    "sigmoid": lambda ops, x: ops.sigmoid(x),
    "exp_of_tanh": lambda ops, x: ops.exp(ops.tanh(x)),
    "log1p_square": lambda ops, x: ops.log(x * x + 1.0),
    "sqrt_shifted": lambda ops, x: ops.sqrt(x * x + 0.5),
    "half_square": lambda ops, x: x**2 * 0.5,
    "neg_scaled": lambda ops, x: -x * 0.5 + 1.0,
    "rpow": lambda ops, x: 1.5 ** ops.tanh(x),
}
KINKED_UNARY = {
    "relu": lambda ops, x: ops.relu(x),
    "abs": lambda ops, x: ops.abs(x),
    "leaky_relu": lambda ops, x: ops.leaky_relu(x, 0.1),
    "elu": lambda ops, x: ops.elu(x, 0.8),
    "clip": lambda ops, x: ops.clip(x, -0.5, 0.7),
}
SMOOTH_BINARY = {
    "add": lambda ops, x, y: x + y,
    "sub": lambda ops, x, y: y - x,
    "mul": lambda ops, x, y: x * y,
    "div": lambda ops, x, y: x / (y * y + 1.0),
    "pow": lambda ops, x, y: (y * y + 0.5) ** ops.tanh(x),
    "where": lambda ops, x, y: ops.where(np.arange(np.shape(x)[-1]) % 2 == 0, x, y),
}
KINKED_BINARY = {
    "maximum": lambda ops, x, y: ops.maximum(x, y),
    "minimum": lambda ops, x, y: ops.minimum(y, x),
}
REDUCTIONS = {"sum": False, "mean": False, "logsumexp": False, "max": True}  # name: kinked
ALONG_AXIS = ("softmax", "log_softmax")

MAX_SIDE = 3
numbers = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False, width=64)


def draw_array(data: st.DataObject, shape: tuple) -> np.ndarray:
    return data.draw(hnp.arrays(np.float64, shape, elements=numbers), label=f"input of shape {shape}")


def broadcastable_to(data: st.DataObject, shape: tuple) -> tuple:
    """A shape that broadcasts against ``shape``: some axes become 1, some leading axes are dropped."""
    drop = data.draw(st.integers(0, len(shape) - 1), label="leading axes dropped")
    return tuple(n if data.draw(st.booleans()) else 1 for n in shape[drop:])


class Chain:
    """A chain of ops drawn step by step; ``apply`` replays it on any engine of tests/cases.py."""

    def __init__(self, data: st.DataObject, smooth: bool = False) -> None:
        self.data = data
        self.smooth = smooth  # only ops without corners, so finite differences apply
        shape = tuple(data.draw(st.lists(st.integers(1, MAX_SIDE), min_size=1, max_size=3), label="shape"))
        self.inputs = [draw_array(data, shape)]
        self.steps: list = []
        self.kinked = False
        self.shape = shape

    def new_input(self, shape: tuple) -> int:
        self.inputs.append(draw_array(self.data, shape))
        return len(self.inputs) - 1

    def grow(self, length: int) -> None:
        draw = self.data.draw
        for _ in range(length):
            kind = draw(st.sampled_from(
                ["unary", "unary", "binary", "binary", "reduce", "reduce_axes", "along", "matmul", "transpose",
                 "index", "index_any", "concat"]
            ))
            ndim = len(self.shape)
            axis = draw(st.integers(-ndim, ndim - 1), label="axis")
            if kind == "unary":
                name = draw(st.sampled_from(sorted(SMOOTH_UNARY) + ([] if self.smooth else sorted(KINKED_UNARY))))
                self.kinked |= name in KINKED_UNARY
                self.steps.append(("unary", name))
            elif kind == "binary":
                name = draw(st.sampled_from(sorted(SMOOTH_BINARY) + ([] if self.smooth else sorted(KINKED_BINARY))))
                self.kinked |= name in KINKED_BINARY
                other_shape = broadcastable_to(self.data, self.shape)
                self.steps.append(("binary", name, self.new_input(other_shape)))
                self.shape = np.broadcast_shapes(self.shape, other_shape)
            elif kind == "reduce":
                allowed = [r for r, kinked in REDUCTIONS.items() if not (kinked and self.smooth)]
                name = draw(st.sampled_from(sorted(allowed)))
                self.kinked |= REDUCTIONS[name]
                self.steps.append(("reduce", name, axis))  # keepdims, so later steps still broadcast
                self.shape = tuple(1 if i == axis % ndim else n for i, n in enumerate(self.shape))
            elif kind == "reduce_axes":
                self.grow_reduction_over_axes()
            elif kind == "along":
                self.steps.append(("along", draw(st.sampled_from(ALONG_AXIS)), axis))
            elif kind == "matmul":
                columns = draw(st.integers(1, MAX_SIDE), label="matmul columns")
                self.steps.append(("matmul", self.new_input((self.shape[-1], columns))))
                self.shape = self.shape[:-1] + (columns,)
            elif kind == "transpose":
                self.steps.append(("transpose",))
                self.shape = self.shape[::-1]
            elif kind == "index":
                rows = draw(st.lists(st.integers(0, self.shape[0] - 1), min_size=1, max_size=4), label="rows")
                self.steps.append(("index", np.array(rows)))  # repeated rows accumulate in backward
                self.shape = (len(rows),) + self.shape[1:]
            elif kind == "index_any":
                self.grow_index()
            else:
                self.steps.append(("concat", axis))
                self.shape = tuple(2 * n if i == axis % ndim else n for i, n in enumerate(self.shape))

    def grow_reduction_over_axes(self) -> None:
        """A reduction over an int, list or tuple of axes, with keepdims or not (never down to 0-d)."""
        draw, ndim = self.data.draw, len(self.shape)
        allowed = [r for r, kinked in REDUCTIONS.items() if not (kinked and self.smooth)]
        name = draw(st.sampled_from(sorted(allowed)))
        self.kinked |= REDUCTIONS[name]
        axes = draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True), label="axes")
        axes = [a - ndim if draw(st.booleans(), label="negative") else a for a in axes]
        kinds = ["int", "list", "tuple"] if len(axes) == 1 else ["list", "tuple"]
        as_given = draw(st.sampled_from(kinds), label="axis given as")
        axis = axes[0] if as_given == "int" else list(axes) if as_given == "list" else tuple(axes)
        keepdims = len(axes) == ndim or draw(st.booleans(), label="keepdims")
        reduced = {a % ndim for a in axes}
        self.steps.append(("reduce_axes", name, axis, keepdims))
        self.shape = tuple(1 if i in reduced else n for i, n in enumerate(self.shape)) if keepdims else \
            tuple(n for i, n in enumerate(self.shape) if i not in reduced)

    def grow_index(self) -> None:
        """One index of a kind NumPy reads; positions may repeat (their grads must add up)."""
        draw, shape = self.data.draw, self.shape
        ndim, first = len(shape), shape[0]
        position = st.integers(-first, first - 1)
        kinds = ["slice", "list", "array", "tuple_of_tuple", "mask_rows"] + (["int", "int_and_slice", "pairs",
                                                                              "full_mask"] if ndim >= 2 else [])
        kind = draw(st.sampled_from(kinds), label="index kind")
        if kind == "int":
            index, new = draw(position), shape[1:]
        elif kind == "slice":
            start = draw(st.integers(0, first - 1))
            index = slice(start, None, draw(st.sampled_from([1, 2])))  # PyTorch has no negative steps
            new = (len(range(first)[index]),) + shape[1:]
        elif kind in ("list", "array", "tuple_of_tuple"):
            rows = draw(st.lists(position, min_size=1, max_size=4), label="rows")
            index = {"list": rows, "array": np.array(rows), "tuple_of_tuple": (tuple(rows),)}[kind]
            new = (len(rows),) + shape[1:]
        elif kind == "mask_rows":
            mask = np.array(draw(st.lists(st.booleans(), min_size=first, max_size=first), label="mask"))
            mask[draw(st.integers(0, first - 1))] = True  # never empty
            index, new = mask, (int(mask.sum()),) + shape[1:]
        elif kind == "int_and_slice":
            index, new = (slice(None), draw(st.integers(0, shape[1] - 1))), (first,) + shape[2:]
        elif kind == "pairs":
            count = draw(st.integers(1, 4), label="pairs")
            rows = draw(st.lists(st.integers(0, first - 1), min_size=count, max_size=count))
            columns = draw(st.lists(st.integers(0, shape[1] - 1), min_size=count, max_size=count))
            index, new = (np.array(rows), np.array(columns)), (count,) + shape[2:]
        else:
            flat = draw(st.lists(st.booleans(), min_size=math.prod(shape), max_size=math.prod(shape)), label="mask")
            mask = np.array(flat).reshape(shape)
            mask.reshape(-1)[0] = True
            index, new = mask, (int(mask.sum()),)
        self.steps.append(("index_any", index))
        self.shape = new

    def apply(self, ops, *inputs):
        x = inputs[0]
        for step in self.steps:
            kind = step[0]
            if kind == "unary":
                x = {**SMOOTH_UNARY, **KINKED_UNARY}[step[1]](ops, x)
            elif kind == "binary":
                x = {**SMOOTH_BINARY, **KINKED_BINARY}[step[1]](ops, x, inputs[step[2]])
            elif kind == "reduce":
                x = getattr(ops, step[1])(x, axis=step[2], keepdims=True)
            elif kind == "along":
                x = getattr(ops, step[1])(x, axis=step[2])
            elif kind == "matmul":
                x = x @ inputs[step[1]]
            elif kind == "transpose":
                x = ops.transpose(x)
            elif kind == "index":
                x = x[(step[1],)]
            elif kind == "reduce_axes":
                axis = tuple(step[2]) if isinstance(step[2], list) and ops is VALUE_OPS else step[2]
                x = getattr(ops, step[1])(x, axis=axis, keepdims=step[3])
            elif kind == "index_any":
                x = ops.index(x, step[1]) if isinstance(ops, TorchOps) else x[step[1]]
            else:
                x = ops.concatenate([x, x * 0.5], axis=step[1])
        return x

    def as_case(self) -> Case:
        return Case("random chain", self.apply, tuple(a.shape for a in self.inputs))


def assert_tensor_matches_value(chain: Chain) -> None:
    case = chain.as_case()
    (out_v, grads_v), (out_t, grads_t) = run(case, VALUE_OPS, chain.inputs), run(case, TENSOR_OPS, chain.inputs)
    np.testing.assert_allclose(out_t, out_v, **PARITY)
    for i, (gv, gt) in enumerate(zip(grads_v, grads_t)):
        np.testing.assert_allclose(gt, gv, **PARITY, err_msg=f"grad of input {i}, steps {chain.steps}")


@PROFILE
@given(st.data())
def test_random_chains_agree_on_tensor_and_value(data: st.DataObject) -> None:
    chain = Chain(data)
    chain.grow(data.draw(st.integers(1, 5), label="length"))
    assert_tensor_matches_value(chain)


@PROFILE
@given(st.data())
def test_smooth_random_chains_match_finite_differences(data: st.DataObject) -> None:
    chain = Chain(data, smooth=True)
    chain.grow(data.draw(st.integers(1, 4), label="length"))
    assert not chain.kinked
    inputs = [Tensor(a.copy(), requires_grad=True) for a in chain.inputs]
    assert gradcheck(lambda *xs: chain.apply(TENSOR_OPS, *xs), inputs)
    assert_tensor_matches_value(chain)


@PROFILE
@given(st.data())
def test_every_broadcast_pair_reduces_grads_to_each_input_shape(data: st.DataObject) -> None:
    shape = tuple(data.draw(st.lists(st.integers(1, MAX_SIDE), min_size=1, max_size=3), label="shape"))
    other = broadcastable_to(data, shape)
    if data.draw(st.booleans(), label="swap"):
        shape, other = other, shape
    a, b = draw_array(data, shape), draw_array(data, other)
    name = data.draw(st.sampled_from(sorted(SMOOTH_BINARY)), label="op")
    case = Case(name, lambda ops, x, y: SMOOTH_BINARY[name](ops, x, y), (shape, other))
    (_, grads_v), (_, grads_t) = run(case, VALUE_OPS, [a, b]), run(case, TENSOR_OPS, [a, b])
    for gv, gt, array in zip(grads_v, grads_t, (a, b)):
        assert gt.shape == array.shape
        np.testing.assert_allclose(gt, gv, **PARITY)


# float32 agrees with PyTorch's float32 to about this, relative to the largest value compared.
FLOAT32 = {"rtol": 2e-4, "atol": 2e-5}


def assert_tensor_matches_torch(chain: Chain, torch, dtype) -> None:
    """Run the chain on Tensor and on PyTorch in ``dtype`` and compare outputs and every grad."""
    weights = None
    leaves = [Tensor(a.astype(dtype), requires_grad=True) for a in chain.inputs]
    out = chain.apply(TENSOR_OPS, *leaves)
    weights = output_weights(out.shape)
    (out * weights).sum().backward()
    torch_dtype = {np.float64: torch.float64, np.float32: torch.float32}[dtype]
    theirs = [torch.tensor(a, dtype=torch_dtype, requires_grad=True) for a in chain.inputs]
    expected = chain.apply(TorchOps(torch), *theirs)
    (expected * torch.tensor(weights, dtype=torch_dtype)).sum().backward()
    tolerance = PARITY if dtype == np.float64 else FLOAT32
    assert out.dtype == dtype and all(t.grad is None or t.grad.dtype == dtype for t in leaves)
    scale = max(1.0, float(np.max(np.abs(expected.detach().numpy()), initial=0.0)))
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=tolerance["rtol"],
                               atol=tolerance["atol"] * scale, err_msg=f"output, steps {chain.steps}")
    for i, (ours, their) in enumerate(zip(leaves, theirs)):
        ours_grad = np.zeros(ours.shape) if ours.grad is None else ours.grad
        their_grad = np.zeros(ours.shape) if their.grad is None else their.grad.numpy()
        scale = max(1.0, float(np.max(np.abs(their_grad), initial=0.0)))
        np.testing.assert_allclose(ours_grad, their_grad, rtol=tolerance["rtol"], atol=tolerance["atol"] * scale,
                                   err_msg=f"grad of input {i}, steps {chain.steps}")


@pytest.mark.torch
@PROFILE
@given(data=st.data())
def test_smooth_random_chains_match_pytorch_in_float64_and_float32(data: st.DataObject, torch) -> None:
    chain = Chain(data, smooth=True)
    chain.grow(data.draw(st.integers(1, 5), label="length"))
    for dtype in (np.float64, np.float32):
        assert_tensor_matches_torch(chain, torch, dtype)


@pytest.mark.torch
@PROFILE
@given(data=st.data())
def test_every_index_kind_and_axis_set_matches_pytorch_and_value(data: st.DataObject, torch) -> None:
    """Chains of indexing and reductions alone, the places where repeats and axes go wrong."""
    chain = Chain(data, smooth=True)
    for _ in range(data.draw(st.integers(1, 3), label="length")):
        chain.grow_index() if data.draw(st.booleans(), label="index") else chain.grow_reduction_over_axes()
    assert_tensor_matches_value(chain)
    for dtype in (np.float64, np.float32):
        assert_tensor_matches_torch(chain, torch, dtype)
