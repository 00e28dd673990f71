"""The same MLP on both engines: same seed or same weights → same outputs and gradients, for every activation."""

import numpy as np
import pytest

import nn
from autograd import Tensor, Value
from nn import MLP, to_scalar, to_tensor

# Every activation the networks know, with non-default options where they have some.
ACTIVATIONS = [
    "identity",
    "sigmoid",
    "tanh",
    "relu",
    ("leaky_relu", {"alpha": 0.2}),
    ("elu", {"alpha": 0.7}),
    ("maxout", {"k": 3}),
    "softmax",
]
IDS = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "maxout", "softmax"]
SIZES = [5, 4, 3]
TOLERANCE = 1e-10


def _inputs(examples=6, features=3, seed=11):
    return np.random.default_rng(seed).normal(size=(examples, features))


def _scalar_outputs_and_grads(model, X, weights):
    """Outputs (examples × outputs) and d(Σ weights·outputs)/d parameter, on the scalar engine."""
    model.zero_grad()
    outputs = [model(list(x)) for x in X]
    rows = [out if isinstance(out, list) else [out] for out in outputs]
    objective = Value(0.0)
    for row, w_row in zip(rows, weights):
        for out, w in zip(row, w_row):
            objective = objective + out * float(w)
    objective.backward()
    return np.array([[v.data for v in row] for row in rows]), [p.grad for p in model.parameters()]


def _tensor_outputs_and_grads(model, X, weights):
    model.zero_grad()
    outputs = model(Tensor(X))
    (outputs * weights).sum().backward()
    return outputs.data, [p.grad for p in model.parameters()]


def _scalar_grads_as_tensor_layout(scalar_model, scalar_grads):
    """Regroup the scalar grads (one per Value) into the tensor model's (weight, bias) arrays."""
    grads = iter(scalar_grads)
    arrays = []
    for layer in scalar_model.layers:
        per_neuron = [([next(grads) for _ in neuron.w], next(grads)) for neuron in layer.neurons]
        arrays.append(np.array([w for w, _ in per_neuron]))
        arrays.append(np.array([b for _, b in per_neuron]))
    return arrays


def _assert_same_network(scalar_model, tensor_model, X):
    width = SIZES[-1]
    weights = np.random.default_rng(5).normal(size=(len(X), width))
    scalar_out, scalar_grads = _scalar_outputs_and_grads(scalar_model, X, weights)
    tensor_out, tensor_grads = _tensor_outputs_and_grads(tensor_model, X, weights)
    np.testing.assert_allclose(scalar_out, tensor_out, rtol=0, atol=TOLERANCE)
    expected = _scalar_grads_as_tensor_layout(scalar_model, scalar_grads)
    assert len(expected) == len(tensor_grads)
    for from_scalar, from_tensor in zip(expected, tensor_grads):
        assert np.abs(from_scalar).max() > 0, "a zero gradient would make the comparison empty"
        np.testing.assert_allclose(from_scalar, from_tensor, rtol=0, atol=TOLERANCE)


@pytest.mark.parametrize("activation", ACTIVATIONS, ids=IDS)
def test_same_seed_gives_the_same_network_on_both_engines(activation):
    scalar_model = MLP(3, SIZES, activation=activation, seed=7)
    tensor_model = nn.mlp(3, SIZES, activation=activation, seed=7, dtype=np.float64)
    _assert_same_network(scalar_model, tensor_model, _inputs())


@pytest.mark.parametrize("activation", ACTIVATIONS, ids=IDS)
@pytest.mark.parametrize("init", ["uniform", "he_normal"])
def test_same_generator_and_output_activation_give_the_same_network(activation, init):
    scalar_model = MLP(3, SIZES, activation="tanh", output_activation=activation, init=init,
                       rng=np.random.default_rng(3))
    tensor_model = nn.mlp(3, SIZES, activation="tanh", output_activation=activation, init=init,
                          rng=np.random.default_rng(3), dtype=np.float64)
    _assert_same_network(scalar_model, tensor_model, _inputs(seed=2))


@pytest.mark.parametrize("activation", ACTIVATIONS, ids=IDS)
def test_to_tensor_copies_the_weights_exactly(activation):
    scalar_model = MLP(3, SIZES, activation=activation, seed=1)
    tensor_model = to_tensor(scalar_model)
    scalar_numbers = np.array([p.data for p in scalar_model.parameters()])
    regrouped = _scalar_grads_as_tensor_layout(scalar_model, scalar_numbers)
    for expected, p in zip(regrouped, tensor_model.parameters()):
        assert np.array_equal(expected, p.data)  # exact: copied, not recomputed
    _assert_same_network(scalar_model, tensor_model, _inputs(seed=4))


@pytest.mark.parametrize("activation", ACTIVATIONS, ids=IDS)
def test_to_scalar_copies_the_weights_exactly(activation):
    tensor_model = nn.mlp(3, SIZES, activation=activation, seed=9, dtype=np.float64)
    scalar_model = to_scalar(tensor_model)
    back = to_tensor(scalar_model)
    for a, b in zip(tensor_model.parameters(), back.parameters()):
        assert np.array_equal(a.data, b.data)
    assert [type(m) for m in back] == [type(m) for m in tensor_model]
    _assert_same_network(scalar_model, tensor_model, _inputs(seed=8))


def test_the_unfused_teaching_graph_gives_the_same_grads_with_more_nodes():
    from autograd import topological_order

    fused = MLP(3, SIZES, activation="relu", seed=2)
    unfused = MLP(3, SIZES, activation="relu", seed=2, fused=False)
    tensor_model = nn.mlp(3, SIZES, activation="relu", seed=2, dtype=np.float64)
    _assert_same_network(unfused, tensor_model, _inputs())
    x = [0.1, -0.4, 0.9]
    nodes_fused = len(topological_order(fused(x)[0]))
    nodes_unfused = len(topological_order(unfused(x)[0]))
    assert nodes_unfused > 2 * nodes_fused


def test_float32_tensor_model_converts_to_the_same_numbers():
    tensor_model = nn.mlp(2, [4, 1], activation="tanh", seed=0)  # float32 by default
    assert tensor_model[0].weight.dtype == np.float32
    scalar_model = to_scalar(tensor_model)
    assert scalar_model.layers[0].neurons[2].w[1].data == float(tensor_model[0].weight.data[2, 1])


def test_to_scalar_refuses_what_the_scalar_mlp_cannot_hold():
    with pytest.raises(ValueError, match="Dropout"):
        to_scalar(nn.mlp(2, [4, 1], seed=0, dropout=0.5))
    with pytest.raises(ValueError, match="must follow a Linear"):
        to_scalar(nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Tanh()))
    with pytest.raises(ValueError, match="no scalar counterpart"):
        to_scalar(nn.Sequential(nn.Flatten(), nn.Linear(2, 3)))
    with pytest.raises(TypeError, match="nn.Sequential"):
        to_scalar(MLP(2, [1]))
    with pytest.raises(TypeError, match="scalar nn.MLP"):
        to_tensor(nn.mlp(2, [1]))
