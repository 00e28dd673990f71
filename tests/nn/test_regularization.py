"""Penalties, gradient clipping and per-layer gradient norms, on both engines."""

import math

import numpy as np
import pytest

import nn
from autograd import Tensor, Value
from nn.regularization import (
    clip_grad_norm_,
    grad_norm,
    grad_norms,
    l1_penalty,
    l2_penalty,
    parameter_groups,
    weight_parameters,
)


def test_penalties_and_their_gradients_on_values():
    w = [Value(1.5), Value(-2.0), Value(0.25)]
    l1 = l1_penalty(w)
    assert l1.data == pytest.approx(3.75)
    l1.backward()
    assert [p.grad for p in w] == [1.0, -1.0, 1.0]
    for p in w:
        p.grad = 0.0
    l2 = l2_penalty(w)
    assert l2.data == pytest.approx(1.5**2 + 4 + 0.0625)
    l2.backward()
    assert [p.grad for p in w] == pytest.approx([3.0, -4.0, 0.5])


def test_penalties_on_tensors_match_values():
    rng = np.random.default_rng(0)
    arrays = [rng.normal(size=(3, 2)), rng.normal(size=4)]
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    total = l1_penalty(tensors) + 0.5 * l2_penalty(tensors)
    total.backward()
    flat = np.concatenate([a.ravel() for a in arrays])
    assert total.item() == pytest.approx(np.abs(flat).sum() + 0.5 * (flat**2).sum())
    for t, a in zip(tensors, arrays):
        np.testing.assert_allclose(t.grad, np.sign(a) + a)


def test_penalty_errors():
    with pytest.raises(ValueError, match="no parameters"):
        l2_penalty([])
    with pytest.raises(TypeError, match="parameter 1"):
        l1_penalty([Value(1.0), 2.0])


@pytest.mark.torch
@pytest.mark.parametrize("max_norm,norm_type", [(1.0, 2.0), (100.0, 2.0), (0.5, 1.0), (0.3, math.inf), (2.0, 3.0)])
def test_clip_grad_norm_matches_torch(torch, max_norm, norm_type):
    rng = np.random.default_rng(1)
    grads = [rng.normal(size=(4, 3)), rng.normal(size=5)]
    tensors = [Tensor(np.zeros_like(g), requires_grad=True) for g in grads]
    for t, g in zip(tensors, grads):
        t.grad = g.copy()
    scalar = Value(0.0)
    scalar.grad = 1.7
    theirs = [torch.zeros(g.shape, requires_grad=True) for g in [*grads, np.zeros(())]]
    for t, g in zip(theirs, [*grads, np.array(1.7)]):
        t.grad = torch.tensor(g)
    total_ours = clip_grad_norm_([*tensors, scalar], max_norm, norm_type=norm_type)
    total_theirs = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    assert total_ours == pytest.approx(total_theirs.item(), rel=1e-12)
    for ours, their in zip([*tensors], theirs):
        np.testing.assert_allclose(ours.grad, their.grad.numpy(), rtol=1e-12)
    assert scalar.grad == pytest.approx(theirs[-1].grad.item(), rel=1e-12)


def test_clip_grad_norm_errors_and_nonfinite():
    v = Value(0.0)
    v.grad = float("nan")
    with pytest.raises(FloatingPointError, match="nan"):
        clip_grad_norm_([v], 1.0, error_if_nonfinite=True)
    with pytest.raises(ValueError, match="max_norm"):
        clip_grad_norm_([v], 0.0)
    t = Tensor(np.ones(2), requires_grad=True)
    assert clip_grad_norm_([t], 1.0) == 0.0  # no grad yet: nothing to clip


def test_grad_norm_counts_none_as_zero():
    t, v = Tensor(np.ones(2), requires_grad=True), Value(1.0)
    v.grad = 3.0
    assert grad_norm([t, v]) == 3.0
    t.grad = np.array([4.0, 0.0])
    assert grad_norm([t, v]) == 5.0


def test_groups_are_layers_on_both_engines():
    scalar = nn.MLP(2, [3, 2, 1], seed=0)
    groups = parameter_groups(scalar)
    assert list(groups) == ["layers.0", "layers.1", "layers.2"]
    assert [len(g) for g in groups.values()] == [3 * 3, 2 * 4, 1 * 3]

    tensor = nn.tensor_mlp(2, [3, 2, 1], seed=0)
    groups = parameter_groups(tensor)
    assert list(groups) == ["layers.0", "layers.2", "layers.4"]
    assert all(len(g) == 2 for g in groups.values())

    named = parameter_groups({"a": Value(1.0), "b": Value(2.0)})
    assert list(named) == ["a", "b"]
    assert list(parameter_groups([Value(1.0), Value(2.0)])) == ["0", "1"]


def test_grad_norms_per_layer_agree_across_engines():
    """The same network on both engines gives the same per-layer gradient norms."""
    x, y = [0.5, -1.0], 0.3
    scalar = nn.MLP(2, [4, 3, 1], activation="tanh", seed=3)
    loss = (scalar(x) - y) ** 2
    loss.backward()
    tensor = nn.tensor_mlp(2, [4, 3, 1], activation="tanh", seed=3, dtype=np.float64)
    out = tensor(Tensor(np.array([x])))
    ((out - y) ** 2).sum().backward()
    ours_scalar, ours_tensor = grad_norms(scalar), grad_norms(tensor)
    assert list(ours_scalar.values()) == pytest.approx(list(ours_tensor.values()), rel=1e-10)
    # The layer norm is the norm over all of the layer's weights and biases.
    first = tensor.layers[0]
    expected = math.sqrt((first.weight.grad**2).sum() + (first.bias.grad**2).sum())
    assert ours_tensor["layers.0"] == pytest.approx(expected)


def test_weight_parameters_leave_out_biases():
    scalar = nn.MLP(2, [3, 1], seed=0)
    assert len(weight_parameters(scalar)) == 2 * 3 + 3
    tensor = nn.tensor_mlp(2, [3, 1], seed=0)
    assert [p.shape for p in weight_parameters(tensor)] == [(3, 2), (1, 3)]
