"""The one shared list of gradient test cases, each written once against the common API of tests/engines.py.

Each case is a function ``fn(ops, *inputs)``; ``run`` runs it on one engine (``VALUE_OPS``,
``TENSOR_OPS`` or ``TorchOps(torch)``) and returns the output and every input's grad, so the
parity tests can compare the engines, finite differences and PyTorch case by case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from engines import TENSOR_OPS, VALUE_OPS, TorchOps, index_with_arrays, to_values

__all__ = ["CASES", "TENSOR_OPS", "VALUE_OPS", "Case", "TorchOps", "case", "output_weights", "run", "to_values"]

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
SOFT_TARGETS = np.array([[0.1, 0.5, 0.2, 0.4], [0.0, 0.3, 0.3, 0.1], [0.7, 0.0, 0.0, 0.6]])  # rows sum to anything
REGRESSION_TARGETS = np.array([[0.5, -1.0, 2.0, 0.0], [1.5, 0.25, -0.5, 3.0], [-2.0, 0.0, 1.0, 0.75]])
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
case("cross_entropy_soft_targets_sum", ((3, 4),))(lambda ops, a: ops.cross_entropy(a, SOFT_TARGETS, reduction="sum"))
case("cross_entropy_one_row", ((4,),))(lambda ops, a: ops.cross_entropy(a, 2) * 3.0)
case("cross_entropy_extreme", ((3, 4),), ("extreme",))(
    lambda ops, a: ops.cross_entropy(a, LABELS)
)

case("mse_loss_mean", ((3, 4),))(lambda ops, a: ops.mse_loss(a, REGRESSION_TARGETS))
case("mse_loss_sum", ((3, 4),))(lambda ops, a: ops.mse_loss(a, REGRESSION_TARGETS, reduction="sum"))
case("mse_loss_none", ((3, 4),))(lambda ops, a: ops.mse_loss(a, REGRESSION_TARGETS, reduction="none"))
case("mse_loss_row_target", ((3, 4),))(lambda ops, a: ops.mse_loss(a, REGRESSION_TARGETS[0:1]))  # broadcast over rows
case("mse_loss_target_with_grad", ((3, 4), (3, 4)))(lambda ops, a, b: ops.mse_loss(ops.tanh(a), b))

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
case("index_int_array_repeats", ((3, 4),))(lambda ops, a: index_with_arrays(ops, a, (REPEATS,)) * 2.0)
case("index_int_arrays_pairs", ((3, 4),))(
    lambda ops, a: index_with_arrays(ops, a, (np.array([0, 2, 2, 0]), np.array([1, 3, 3, 1]))) * 2.0
)
case("index_rows_with_repeats_columns_slice", ((3, 4),))(
    lambda ops, a: index_with_arrays(ops, a, (np.array([1, 1, 0]), slice(1, 3))) * 2.0
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
