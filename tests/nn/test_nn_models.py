"""Models on both engines: initialisers, scalar neurons/layers/MLPs, tensor layers, and training on moons."""

import gc
import math

import numpy as np
import pytest
from errors import expect, ones, shape_pattern

import nn
from autograd import Tensor, Value, gradcheck
from nn import MLP, Layer, Linear, Neuron, init

# ---------------------------------------------------------------------------- initialisation


@pytest.mark.parametrize("name", ["uniform", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal"])
def test_initialisers_reproduce_from_a_seed(name):
    initializer = init.get_initializer(name)
    first = initializer((4, 3), init.make_rng(5))
    assert first.shape == (4, 3) and first.dtype == np.float64
    assert np.array_equal(first, initializer((4, 3), init.make_rng(5)))
    assert not np.array_equal(first, initializer((4, 3), init.make_rng(6)))


@pytest.mark.parametrize(
    "initializer,fan_in,fan_out,bound,std",
    [
        (init.uniform, 200, 300, 1.0, 1 / math.sqrt(3)),
        (init.xavier_uniform, 200, 300, math.sqrt(6 / 500), math.sqrt(2 / 500)),
        (init.xavier_normal, 200, 300, None, math.sqrt(2 / 500)),
        (init.he_uniform, 200, 300, math.sqrt(6 / 200), math.sqrt(2 / 200)),
        (init.he_normal, 200, 300, None, math.sqrt(2 / 200)),
    ],
)
def test_initialisers_have_the_documented_spread(initializer, fan_in, fan_out, bound, std):
    weights = initializer((fan_in, fan_out), np.random.default_rng(0))
    assert weights.std() == pytest.approx(std, rel=0.02)
    assert abs(weights.mean()) < 0.01 * std * 10
    if bound is not None:
        assert np.abs(weights).max() <= bound
        assert np.abs(weights).max() > 0.99 * bound


def test_initialiser_names_and_bad_arguments():
    assert init.glorot_uniform is init.xavier_uniform and init.kaiming_normal is init.he_normal
    assert np.array_equal(init.zeros((2, 3)), np.zeros((2, 3)))
    assert np.array_equal(init.make_rng(None).uniform(size=3), np.random.default_rng(0).uniform(size=3))
    generator = np.random.default_rng(1)
    assert init.make_rng(generator) is generator
    with pytest.raises(ValueError, match="unknown initialiser 'glorot'"):
        init.get_initializer("glorot")
    with pytest.raises(TypeError, match="rng must be a np.random.Generator, an int seed or None"):
        init.make_rng("seed")
    with pytest.raises(ValueError, match=r"two positive ints, got \(3,\)"):
        init.xavier_uniform((3,), generator)


# ---------------------------------------------------------------------------- the scalar engine
def test_neuron_computes_activation_of_weighted_sum():
    neuron = Neuron(3, "tanh", weights=[0.5, -1.0, 2.0], bias=0.25)
    out = neuron([1.0, 2.0, -0.5])
    assert out.data == pytest.approx(math.tanh(0.5 - 2.0 - 1.0 + 0.25), rel=1e-15)
    assert [w.label for w in neuron.w] == ["w1", "w2", "w3"] and neuron.b.label == "b"


@pytest.mark.parametrize("fused", [True, False])
@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", ("leaky_relu", {"alpha": 0.1}), "elu", "identity"])
def test_neuron_gradients_match_finite_differences(fused, activation):
    neuron = Neuron(3, activation, weights=[0.5, -1.0, 2.0], bias=0.25, fused=fused)
    inputs = [Value(0.3), Value(-0.7), Value(0.9)]

    def f(*values):
        return neuron(list(values)) * 1.0

    assert gradcheck(f, inputs, atol=1e-8, rtol=1e-6)
    assert gradcheck(lambda *params: neuron(inputs) * 1.0, neuron.parameters(), atol=1e-8, rtol=1e-6)


def test_a_one_neuron_layer_returns_its_value_as_micrograd_and_mlp_returns_its_single_output():
    layer = Layer(2, 1, "tanh", rng=0)
    out = layer([1.0, 2.0])
    assert isinstance(out, Value) and out.data == layer.neurons[0]([1.0, 2.0]).data
    assert isinstance(Layer(2, 2, rng=0)([1.0, 2.0]), list)
    model = MLP(2, [3, 1], seed=0)
    assert isinstance(model([1.0, 2.0]), Value)
    wide = MLP(2, [3, 1, 2], seed=0)  # a one-output hidden layer feeds the next layer
    out = wide([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 2


def test_mlp_size_and_parameter_names():
    model = MLP(2, [16, 16, 1])
    assert model.num_parameters() == (2 * 16 + 16) + (16 * 16 + 16) + (16 + 1) == 337
    assert len(model.parameters()) == 337
    names = [name for name, _ in model.named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert names[-1] == "layers.2.neurons.0.b"
    maxout = MLP(2, [4, 1], activation=("maxout", {"k": 3}))
    assert maxout.sizes == [4, 1] and len(maxout.layers[0].neurons) == 12


def test_layer_wide_activations():
    layer = Layer(2, 3, "softmax", rng=1)
    probabilities = layer([0.5, -1.0])
    assert sum(p.data for p in probabilities) == pytest.approx(1.0)
    maxout = Layer(2, 2, ("maxout", {"k": 2}), weights=[[1.0, 2.0, -1.0, 0.5], [0.0, 1.0, 3.0, 0.0]])
    assert [v.data for v in maxout([1.0, 1.0])] == [3.0, 2.0]  # max(1, 3), max(2, 0.5)


def test_scalar_models_refuse_bad_input():
    model = MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match="expects 2 inputs, got 3"):
        model([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"one example: a 1-D input of 2 numbers, got an array of shape \(4, 2\)"):
        model(np.zeros((4, 2)))
    with pytest.raises(TypeError, match="list of 2 numbers or Values, got str"):
        model("xy")
    with pytest.raises(ValueError, match="acts on a whole layer"):
        Neuron(2, "softmax")
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        MLP(2, [1], activation="swish")
    with pytest.raises(ValueError, match="has no option \\['beta'\\]"):
        MLP(2, [1], activation=("elu", {"beta": 1.0}))
    with pytest.raises(ValueError, match="needs 2 weights, got 3"):
        Neuron(2, weights=[1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="either rng or seed"):
        MLP(2, [1], rng=np.random.default_rng(0), seed=0)


# ---------------------------------------------------------------------------- tensor layers
# ---------------------------------------------------------------------- the collector while a graph is built
class _WatchedMLP(MLP):
    """An MLP that notes, each time a forward pass runs, whether the cyclic collector is on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen = []

    def forward(self, x):
        self.seen.append(gc.isenabled())
        return super().forward(x)


def test_a_scalar_model_builds_its_graph_with_the_collector_paused_and_switches_it_back_on():
    model = _WatchedMLP(2, [3, 1], seed=0)
    assert gc.isenabled()
    model([1.0, 2.0])
    assert model.seen == [False] and gc.isenabled()
    with pytest.raises(ValueError, match="finite"):  # back on after a forward pass that raises
        model([1.0, math.nan])
    assert gc.isenabled()
    gc.disable()  # a collector the user switched off stays off
    try:
        model([1.0, 2.0])
        assert not gc.isenabled()
    finally:
        gc.enable()
    with nn.collector_paused(pause=False):
        assert gc.isenabled()
        with nn.collector_paused():
            assert not gc.isenabled()
            with nn.collector_paused():  # an enclosing pause stays in force
                pass
            assert not gc.isenabled()
        assert gc.isenabled()


def test_a_scalar_forward_pass_runs_no_collection_of_its_own():
    """The collector runs between forward passes, not during them: at most one collection per pass."""
    model = MLP(2, [16, 16, 1], seed=0, fused=False)  # ~650 nodes per example, ~1,600 tracked objects
    collections = []

    def count(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    thresholds = gc.get_threshold()
    gc.set_threshold(700, 10, 10)  # CPython's defaults: without the pause, 2 or 3 collections per pass
    gc.callbacks.append(count)
    try:
        outputs = [model([0.1 * i, -0.2 * i]) for i in range(30)]
    finally:
        gc.callbacks.remove(count)
        gc.set_threshold(*thresholds)
    assert len(outputs) == 30 and len(collections) <= 30


def test_linear_holds_weight_as_outputs_by_inputs_and_computes_x_w_transposed_plus_b():
    layer = nn.Linear(3, 2, rng=0)
    assert layer.weight.shape == (2, 3) and layer.bias.shape == (2,)
    assert layer.weight.dtype == np.float32 and nn.Linear(3, 2, dtype=np.float64).weight.dtype == np.float64
    exact = nn.Linear.from_arrays([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]], [0.5, -0.5])
    out = exact(Tensor(np.array([[1.0, 1.0, 1.0], [2.0, 0.0, 1.0]])))
    np.testing.assert_array_equal(out.data, [[6.5, -0.5], [5.5, 0.5]])
    assert nn.Linear(3, 2, bias=False).bias is None and len(nn.Linear(3, 2, bias=False).parameters()) == 1


def test_linear_gradients_match_finite_differences():
    layer = nn.Linear(3, 2, rng=1, dtype=np.float64)
    x = Tensor(np.random.default_rng(2).normal(size=(4, 3)), requires_grad=True)
    assert gradcheck(lambda x, w, b: layer(x).tanh().sum(), [x, layer.weight, layer.bias])


def test_tensor_layers_refuse_bad_input():
    with pytest.raises(ValueError, match=r"Linear\(3, 2\) takes inputs of shape \(\.\.\., 3\), got \(4, 2\)"):
        nn.Linear(3, 2)(Tensor(np.zeros((4, 2))))
    with pytest.raises(TypeError, match="Linear takes a Tensor"):
        nn.Linear(3, 2)([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="Linear needs nin >= 1"):
        nn.Linear(0, 2)
    with pytest.raises(ValueError, match=r"bias must have shape \(2,\)"):
        nn.Linear.from_arrays(np.zeros((2, 3)), np.zeros(3))
    with pytest.raises(ValueError, match="multiple of 3"):
        nn.Maxout(3)(Tensor(np.zeros((2, 4))))
    with pytest.raises(TypeError, match="argument 1 is int"):
        nn.Sequential(nn.ReLU(), 3)


def test_activation_modules_compute_their_functions():
    x = np.array([[-2.0, -0.5, 0.0, 1.5]])
    t = Tensor(x, dtype=np.float64)
    np.testing.assert_allclose(nn.Sigmoid()(t).data, 1 / (1 + np.exp(-x)))
    np.testing.assert_allclose(nn.Tanh()(t).data, np.tanh(x))
    np.testing.assert_allclose(nn.ReLU()(t).data, np.maximum(x, 0))
    np.testing.assert_allclose(nn.LeakyReLU(0.1)(t).data, np.where(x > 0, x, 0.1 * x))
    np.testing.assert_allclose(nn.ELU(0.5)(t).data, np.where(x > 0, x, 0.5 * (np.exp(x) - 1)))
    np.testing.assert_array_equal(nn.Identity()(t).data, x)
    np.testing.assert_array_equal(nn.Maxout(2)(t).data, [[-0.5, 1.5]])
    np.testing.assert_allclose(nn.Softmax()(t).data.sum(axis=1), [1.0])
    assert nn.Flatten()(Tensor(np.zeros((5, 2, 3)))).shape == (5, 6)


def test_dropout_in_training_and_evaluation():
    x = Tensor(np.ones((200, 50)), requires_grad=True, dtype=np.float64)
    dropout = nn.Dropout(0.3, rng=4)
    out = dropout(x)
    kept = out.data != 0
    assert kept.mean() == pytest.approx(0.7, abs=0.02)
    np.testing.assert_allclose(out.data[kept], 1 / 0.7)  # the survivors are scaled up
    out.sum().backward()
    np.testing.assert_array_equal(x.grad != 0, kept)  # no gradient through a dropped unit
    np.testing.assert_array_equal(nn.Dropout(0.3, rng=4)(x).data, out.data)  # same seed, same mask
    dropout.eval()
    assert dropout(x) is x
    assert np.all(nn.Dropout(1.0)(x).data == 0)
    with pytest.raises(ValueError, match=r"probability must be in \[0, 1\], got 1.5"):
        nn.Dropout(1.5)


def test_train_and_eval_reach_dropout_inside_a_model():
    model = nn.tensor_mlp(4, [8, 8, 1], activation="relu", seed=0, dropout=0.5, dtype=np.float64)
    x = Tensor(np.ones((3, 4)))
    assert any(isinstance(m, nn.Dropout) for m in model)
    model.eval()
    assert all(not m.training for m in model.modules())
    np.testing.assert_array_equal(model(x).data, model(x).data)
    model.train()
    assert all(m.training for m in model.modules())


def test_sequential_behaves_like_a_list_of_modules():
    model = nn.tensor_mlp(2, [4, 1], activation="relu", seed=0)
    assert len(model) == 3 and isinstance(model[0], nn.Linear) and isinstance(model[1], nn.ReLU)
    assert len(model[:2]) == 2 and model[:2][0] is model[0]
    assert [type(m) for m in model] == [nn.Linear, nn.ReLU, nn.Linear]
    model.append(nn.Sigmoid())
    assert np.all((model(Tensor(np.zeros((2, 2)))).data > 0) & (model(Tensor(np.zeros((2, 2)))).data < 1))
    assert [name for name, _ in model.named_parameters()] == [
        "layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias",
    ]
    out = model(Tensor(np.ones((2, 2)))).sum()
    out.backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    assert "Linear(2, 4" in repr(model)


def test_tensor_model_save_and_load_keeps_dtype(tmp_path):
    path = tmp_path / "tensor.npz"
    source = nn.tensor_mlp(3, [5, 2], seed=1)
    source.save(path)
    target = nn.tensor_mlp(3, [5, 2], seed=2).load(path)
    for a, b in zip(source.parameters(), target.parameters()):
        assert np.array_equal(a.data, b.data) and b.data.dtype == np.float32
    wider = nn.tensor_mlp(3, [5, 2], seed=2, dtype=np.float64)
    with pytest.raises(nn.StateDictError, match="dtype float32 in the state dict, the model has float64"):
        wider.load(path)


# ---------------------------------------------------------------------------- bad input, as the engines refuse it
# The engines refuse the same inputs (tests/autograd/test_value.py, test_tensor.py); a model must too.
def small_mlp() -> MLP:
    return MLP(2, [3, 1], seed=0)


@pytest.mark.parametrize(
    "call", [pytest.param(lambda: small_mlp()("12"), id="MLP"), pytest.param(lambda: Linear(2, 1)("12"), id="Linear")]
)
def test_a_string_is_refused(call):
    expect(TypeError, call, r"\bstr\b|<U")


@pytest.mark.parametrize(
    "call", [pytest.param(lambda: small_mlp()(None), id="MLP"), pytest.param(lambda: Linear(2, 1)(None), id="Linear")]
)
def test_none_is_refused(call):
    expect(TypeError, call, "NoneType|None")


def test_a_list_of_mixed_types_is_refused():
    expect(TypeError, lambda: small_mlp()([1.0, "a"]), "input 1.*str.*'a'")


def test_a_complex_number_is_refused():
    expect(TypeError, lambda: small_mlp()([1j, 2.0]), "complex")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
def test_a_non_finite_input_is_refused(bad):
    expect(ValueError, lambda: small_mlp()([bad, 1.0]), "finite|nan|inf")


def test_a_shape_mismatch_names_the_shape():
    expect(ValueError, lambda: Linear(3, 2)(ones(5, 2)), shape_pattern((5, 2)))


def test_an_integer_layer_dtype_is_refused():
    expect(TypeError, lambda: Linear(2, 2, dtype=np.int64), "float32 or float64", "int64")
    expect(TypeError, lambda: nn.mlp(2, [2], dtype=np.int32), "float32 or float64", "int32")


def test_an_mlp_without_layers_is_refused():
    expect(ValueError, lambda: MLP(2, []), "at least one layer")


def test_a_value_given_to_a_tensor_layer_is_refused():
    expect(TypeError, lambda: Linear(1, 1)([Value(1.0)]), "Value|Tensor")


@pytest.mark.parametrize(
    "call,patterns",
    [
        pytest.param(lambda: small_mlp()([1.0, 2.0, 3.0]), ["expects 2 inputs", "got 3"], id="MLP"),
        pytest.param(lambda: small_mlp()(np.ones((2, 2))), ["1-D", shape_pattern((2, 2))], id="MLP-2d"),
        pytest.param(lambda: nn.Neuron(3)([1.0]), ["expects 3 inputs", "got 1"], id="Neuron"),
        pytest.param(lambda: nn.Layer(3, 2)([1.0, 2.0]), ["expects 3 inputs", "got 2"], id="Layer"),
        pytest.param(lambda: Linear(3, 2)(ones(4, 2)), [r"\(\.\.\., 3\)", shape_pattern((4, 2))], id="Linear"),
        pytest.param(lambda: nn.mlp(3, [4, 1])(ones(5, 2)), [r"\(\.\.\., 3\)", shape_pattern((5, 2))], id="mlp"),
        pytest.param(lambda: Linear(0, 2), ["nin >= 1", "got 0"], id="Linear-size"),
        pytest.param(lambda: Linear(2, -1), ["nout >= 1", "got -1"], id="Linear-negative-size"),
    ],
)
def test_wrong_sizes_given_to_layers_are_refused(call, patterns):
    expect(ValueError, call, *patterns)


@pytest.mark.parametrize("build", [lambda: nn.mlp(2, 16), lambda: nn.MLP(2, 16)], ids=["mlp", "MLP"])
def test_mlp_sizes_as_int_is_a_clear_error(build):
    with pytest.raises(TypeError, match=r"sizes.*list.*\[16\]"):
        build()


def test_scalar_mlp_input_of_strings_is_named():
    model = nn.MLP(2, [3, 1], seed=0)
    with pytest.raises(TypeError, match=r"input 0 .*str"):
        model(["a", "b"])


def test_dropout_probability_must_be_a_number():
    with pytest.raises(TypeError, match=r"Dropout probability must be a number.*str"):
        nn.Dropout("0.5")


def test_maxout_of_a_zero_dimensional_tensor_is_named():
    with pytest.raises(ValueError, match=r"Maxout.*features.*\(\)"):
        nn.Maxout(2)(Tensor(1.0))


def test_softmax_axis_must_be_an_int():
    with pytest.raises(TypeError, match=r"Softmax axis must be an int.*str"):
        nn.Softmax("a")


def test_parameter_names_of_sequential_are_as_documented():
    """The docstrings name Sequential parameters like ``layers.0.weight``: check that is true."""
    names = [name for name, _ in nn.mlp(2, [3, 1], seed=0).named_parameters()]
    assert names == ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"]
    assert "layers.0.weight" in nn.Module.named_parameters.__doc__
    assert "layers.0.bias" in nn.weight_parameters.__doc__


# ---------------------------------------------------------------------------- against PyTorch
TORCH_ACTIVATIONS = [
    ("sigmoid", lambda torch, x: torch.sigmoid(x)),
    ("tanh", lambda torch, x: torch.tanh(x)),
    ("relu", lambda torch, x: torch.relu(x)),
    (("leaky_relu", {"alpha": 0.2}), lambda torch, x: torch.nn.functional.leaky_relu(x, 0.2)),
    (("elu", {"alpha": 0.7}), lambda torch, x: torch.nn.functional.elu(x, 0.7)),
    (("maxout", {"k": 2}), lambda torch, x: x.reshape(x.shape[0], -1, 2).max(dim=-1).values),
    ("softmax", lambda torch, x: torch.softmax(x, dim=-1)),
]


@pytest.mark.parametrize("activation,torch_activation", TORCH_ACTIVATIONS, ids=[str(a[0]) for a in TORCH_ACTIVATIONS])
def test_tensor_mlp_matches_pytorch(torch, activation, torch_activation):
    model = nn.tensor_mlp(3, [4, 2], activation=activation, seed=3, dtype=np.float64)
    X = np.random.default_rng(0).normal(size=(6, 3))
    ours = model(Tensor(X))
    ours.sum().backward()

    linears = [m for m in model if isinstance(m, nn.Linear)]
    weights = [torch.tensor(m.weight.data, requires_grad=True) for m in linears]
    biases = [torch.tensor(m.bias.data, requires_grad=True) for m in linears]
    hidden = torch_activation(torch, torch.tensor(X) @ weights[0].T + biases[0])
    theirs = hidden @ weights[1].T + biases[1]
    theirs.sum().backward()

    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=0, atol=1e-12)
    for layer, w, b in zip(linears, weights, biases):
        np.testing.assert_allclose(layer.weight.grad, w.grad.numpy(), rtol=0, atol=1e-12)
        np.testing.assert_allclose(layer.bias.grad, b.grad.numpy(), rtol=0, atol=1e-12)


# ---------------------------------------------------------------------------- must show: moons
def test_scalar_mlp_2_16_16_1_reaches_full_accuracy_on_moons_and_the_tensor_twin_follows_it():
    from nn.data import make_moons, to_plus_minus_one
    from nn.optim import SGD
    from nn.regularization import l2_penalty

    X, labels = make_moons(100, noise=0.1, seed=1)
    y = to_plus_minus_one(labels)

    def train(model, forward, epochs=100):
        parameters = model.parameters()
        optimizer = SGD(parameters, lr=1.0)
        losses = []
        for epoch in range(epochs):
            loss = nn.hinge_loss(forward(model), y) + 1e-4 * l2_penalty(parameters)
            optimizer.zero_grad()
            loss.backward()
            optimizer.lr = 1.0 - 0.9 * epoch / epochs
            optimizer.step()
            losses.append(float(loss.data))
        return losses

    scalar = MLP(2, [16, 16, 1], activation="relu", seed=0)
    tensor = nn.tensor_mlp(2, [16, 16, 1], activation="relu", seed=0, dtype=np.float64)
    scalar_losses = train(scalar, lambda m: [m(row) for row in X.tolist()])
    tensor_losses = train(tensor, lambda m: m(Tensor(X)))

    scalar_scores = np.array([scalar(row).data for row in X.tolist()])
    assert np.mean((scalar_scores > 0) == (y > 0)) == 1.0
    tensor_scores = tensor(Tensor(X)).data[:, 0]
    np.testing.assert_allclose(scalar_scores, tensor_scores, rtol=0, atol=1e-9)
    np.testing.assert_allclose(scalar_losses, tensor_losses, rtol=1e-10, atol=1e-12)


def test_parameters_and_modules_kept_in_a_dict_are_found_and_saved(tmp_path):
    from autograd import Value

    class Heads(nn.Module):
        def __init__(self):
            self.heads = {"left": nn.Linear(2, 1, rng=0), "right": nn.Linear(2, 1, rng=1)}
            self.scale = {"s": Value(2.0)}

    model = Heads()
    names = [name for name, _ in model.named_parameters()]
    assert names == ["heads.left.weight", "heads.left.bias", "heads.right.weight", "heads.right.bias", "scale.s"]
    model.save(tmp_path / "heads.npz")
    other = Heads()
    other.scale["s"].data = 5.0
    other.load(tmp_path / "heads.npz")
    assert other.scale["s"].data == 2.0


@pytest.mark.parametrize("activation", ["relu", "tanh", "identity"])
def test_an_unfused_neuron_gives_the_fused_neurons_output_and_grads(activation):
    """``fused=False`` draws every * and +; the numbers must be those of the one w·x+b node."""
    x = [Value(0.7), Value(-1.3), Value(2.1)]
    outputs, grads = [], []
    for fused in (True, False):
        neuron = Neuron(3, activation, weights=[0.5, -0.25, 0.1], bias=0.3, fused=fused)
        out = neuron(x)
        for v in [*neuron.parameters(), *x]:
            v.grad = 0.0
        out.backward()
        outputs.append(out.data)
        grads.append([v.grad for v in [*neuron.parameters(), *x]])
    assert outputs[1] == pytest.approx(outputs[0], abs=1e-15)
    assert grads[1] == pytest.approx(grads[0], abs=1e-15)
    assert outputs[0] == pytest.approx(
        {"relu": max, "tanh": lambda z, _: math.tanh(z), "identity": lambda z, _: z}[activation](
            0.5 * 0.7 + 0.25 * 1.3 + 0.1 * 2.1 + 0.3, 0.0
        )
    )
