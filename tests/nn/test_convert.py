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


# ---------------------------------------------------------------------------- PyTorch and back
def _torch_outputs_and_grads(torch, module, X, weights):
    module.zero_grad()
    outputs = module(torch.from_numpy(X))
    (outputs * torch.from_numpy(weights)).sum().backward()
    return outputs.detach().numpy(), [p.grad.numpy() for p in module.parameters()]


def _assert_same_as_torch(torch, ours, theirs, X, width):
    weights = np.random.default_rng(5).normal(size=(len(X), width))
    our_out, our_grads = _tensor_outputs_and_grads(ours, X, weights)
    their_out, their_grads = _torch_outputs_and_grads(torch, theirs, X, weights)
    np.testing.assert_allclose(our_out, their_out, rtol=0, atol=TOLERANCE)
    assert len(our_grads) == len(their_grads)
    for mine, yours in zip(our_grads, their_grads):
        assert np.abs(mine).max() > 0, "a zero gradient would make the comparison empty"
        np.testing.assert_allclose(mine, yours, rtol=0, atol=TOLERANCE)


@pytest.mark.torch
@pytest.mark.parametrize("activation", ACTIVATIONS, ids=IDS)
def test_to_torch_and_back_keeps_outputs_and_grads(torch, activation):
    tensor_model = nn.mlp(3, SIZES, activation=activation, seed=4, dtype=np.float64)
    torch_model = nn.to_torch(tensor_model)
    assert isinstance(torch_model, torch.nn.Sequential)
    assert all(p.dtype == torch.float64 for p in torch_model.parameters())
    X = _inputs()
    _assert_same_as_torch(torch, tensor_model, torch_model, X, SIZES[-1])
    back = nn.from_torch(torch_model)
    _assert_same_as_torch(torch, back, torch_model, X, SIZES[-1])
    for (name, ours), theirs in zip(back.state_dict().items(), torch_model.state_dict().values()):
        np.testing.assert_array_equal(ours, theirs.numpy(), err_msg=name)  # copied exactly


@pytest.mark.torch
@pytest.mark.parametrize("activation", ["relu", ("maxout", {"k": 2}), ("leaky_relu", {"alpha": 0.3})],
                         ids=["relu", "maxout", "leaky_relu"])
def test_a_scalar_mlp_goes_to_torch(torch, activation):
    scalar_model = MLP(3, SIZES, activation=activation, output_activation="tanh", seed=8)
    torch_model = nn.to_torch(scalar_model)
    X = _inputs()
    weights = np.random.default_rng(5).normal(size=(len(X), SIZES[-1]))
    scalar_out, scalar_grads = _scalar_outputs_and_grads(scalar_model, X, weights)
    their_out, their_grads = _torch_outputs_and_grads(torch, torch_model, X, weights)
    np.testing.assert_allclose(scalar_out, their_out, rtol=0, atol=TOLERANCE)
    for mine, yours in zip(_scalar_grads_as_tensor_layout(scalar_model, scalar_grads), their_grads):
        np.testing.assert_allclose(mine, yours, rtol=0, atol=TOLERANCE)
    round_trip = to_scalar(nn.from_torch(torch_model))
    assert [p.data for p in round_trip.parameters()] == [p.data for p in scalar_model.parameters()]
    layer = nn.Layer(3, 2, "sigmoid", rng=0)  # a single scalar layer converts too
    torch_layer = nn.to_torch(layer)
    np.testing.assert_allclose(torch_layer(torch.tensor([[0.1, 0.2, 0.3]])).detach().numpy()[0],
                               [v.data for v in layer([0.1, 0.2, 0.3])], rtol=0, atol=TOLERANCE)


@pytest.mark.torch
def test_dropout_flatten_float32_and_modes_convert(torch):
    model = nn.Sequential(nn.Flatten(), nn.Linear(6, 4, rng=0), nn.ReLU(), nn.Dropout(0.25), nn.Linear(4, 2, rng=1))
    model.eval()
    torch_model = nn.to_torch(model)
    assert not torch_model.training and torch_model[0].start_dim == 1 and torch_model[3].p == 0.25
    assert torch_model[1].weight.dtype == torch.float32
    X = np.random.default_rng(0).normal(size=(5, 2, 3)).astype(np.float32)
    np.testing.assert_allclose(model(Tensor(X)).data, torch_model(torch.from_numpy(X)).detach().numpy(), rtol=1e-6)
    back = nn.from_torch(torch_model.train())
    assert back.training and [type(m).__name__ for m in back] == ["Flatten", "Linear", "ReLU", "Dropout", "Linear"]
    assert back[1].weight.dtype == np.float32
    assert nn.from_torch(torch_model, dtype=np.float64)[1].weight.dtype == np.float64
    nested = torch.nn.Sequential(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ELU(0.5)), torch.nn.Softmax(-1))
    ours = nn.from_torch(nested)
    x = torch.tensor([[0.3, -0.2]])
    np.testing.assert_allclose(ours(Tensor(x.numpy())).data, nested(x).detach().numpy(), rtol=0, atol=TOLERANCE)


@pytest.mark.torch
def test_what_has_no_counterpart_is_named(torch):
    with pytest.raises(ValueError, match=r"module 1 \(Conv1d\) has no counterpart in nn"):
        nn.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Conv1d(1, 1, 1)))
    with pytest.raises(ValueError, match=r"module 0.1 \(GELU\)"):
        nn.from_torch(torch.nn.Sequential(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.GELU())))
    with pytest.raises(ValueError, match="has no dim"):
        nn.from_torch(torch.nn.Softmax())
    with pytest.raises(TypeError, match="takes a torch.nn.Module, got MLP"):
        nn.from_torch(MLP(2, [1]))
    with pytest.raises(TypeError, match="to_torch takes an nn.MLP or a tensor-engine module"):
        nn.to_torch(torch.nn.Linear(2, 2))
    with pytest.raises(TypeError, match="float64 or pass dtype|float32 or float64"):
        nn.from_torch(torch.nn.Linear(2, 2, dtype=torch.float16))


def _train_here(model, X, y, steps, optimizer):
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((model(Tensor(X)) - Tensor(y)) ** 2).mean()
        loss.backward()
        optimizer.step()
    return loss.item()


def _train_in_torch(torch, model, X, y, steps, optimizer):
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((model(torch.from_numpy(X)) - torch.from_numpy(y)) ** 2).mean()
        loss.backward()
        optimizer.step()
    return loss.item()


@pytest.mark.torch
@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_training_continued_in_torch_matches_training_continued_here(torch, optimizer):
    X = np.random.default_rng(0).normal(size=(32, 2))
    y = np.sin(X[:, :1]) + 0.5 * X[:, 1:] ** 2
    model = nn.mlp(2, [8, 8, 1], activation="tanh", seed=0, dtype=np.float64)
    first = _train_here(model, X, y, 20, nn.Adam(model.parameters(), lr=0.01))  # trained here first
    torch_model = nn.to_torch(model)
    settings = {"SGD": {"lr": 0.1, "momentum": 0.9}, "Adam": {"lr": 0.01}}[optimizer]
    ours = _train_here(model, X, y, 15, getattr(nn, optimizer)(model.parameters(), **settings))
    theirs = _train_in_torch(torch, torch_model, X, y, 15,
                             getattr(torch.optim, optimizer)(torch_model.parameters(), **settings))
    assert ours < first
    assert ours == pytest.approx(theirs, rel=1e-10)
    for mine, yours in zip(model.parameters(), torch_model.parameters()):
        np.testing.assert_allclose(mine.data, yours.detach().numpy(), rtol=0, atol=1e-10)


def test_torch_stays_optional(monkeypatch):
    import subprocess
    import sys

    imported = subprocess.run([sys.executable, "-c", "import sys, nn; print('torch' in sys.modules)"],
                              capture_output=True, text=True, check=True)
    assert imported.stdout.strip() == "False"
    monkeypatch.setitem(sys.modules, "torch", None)  # as if not installed
    with pytest.raises(ImportError, match="need PyTorch: pip install torch"):
        nn.to_torch(nn.mlp(2, [1]))
