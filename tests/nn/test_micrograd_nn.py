"""Coming from micrograd's ``nn``: the same defaults, ``nonlin=``, and its demo notebook giving the same numbers.

micrograd draws its weights with Python's ``random``; retrograd with a NumPy generator. So the
comparisons copy micrograd's initial weights into the retrograd model ("given the same initial
weights") and then run the same code on both.
"""

import copy
import pickle
import random

import numpy as np
import pytest

import nn
from autograd import Tensor, Value

micrograd_nn = pytest.importorskip("micrograd.nn")
micrograd_engine = pytest.importorskip("micrograd.engine")


def _same_weights(ours, theirs):
    """Copy micrograd's parameters into ours (both list each neuron's weights, then its bias)."""
    ours_p, theirs_p = ours.parameters(), theirs.parameters()
    assert len(ours_p) == len(theirs_p)
    for p, q in zip(ours_p, theirs_p):
        p.data = float(q.data)
    return ours


def _inputs(count, nin, seed=0):
    return np.random.default_rng(seed).uniform(-2, 2, size=(count, nin)).tolist()


# ---------------------------------------------------------------------------- defaults and nonlin
def test_default_mlp_is_micrograds_network_relu_hidden_and_linear_output():
    random.seed(0)
    theirs = micrograd_nn.MLP(2, [16, 16, 1])
    ours = _same_weights(nn.MLP(2, [16, 16, 1]), theirs)
    assert [layer.activation.name for layer in ours.layers] == ["relu", "relu", "identity"]
    for x in _inputs(50, 2):
        assert ours(x).data == theirs([micrograd_engine.Value(v) for v in x]).data  # bit for bit


def test_tensor_mlp_has_the_same_defaults():
    assert nn.to_scalar(nn.mlp(2, [4, 4, 1], dtype=np.float64)).sizes == [4, 4, 1]
    scalar, tensor = nn.MLP(2, [4, 4, 1], seed=3), nn.mlp(2, [4, 4, 1], seed=3, dtype=np.float64)
    x = [-1.5, 0.25]
    assert tensor(Tensor(np.array([x]))).item() == pytest.approx(scalar(x).data, rel=1e-12)
    assert [type(m).__name__ for m in tensor] == ["Linear", "ReLU", "Linear", "ReLU", "Linear"]


@pytest.mark.parametrize("nonlin", [True, False])
def test_nonlin_has_micrograds_meaning(nonlin):
    random.seed(1)
    their_neuron = micrograd_nn.Neuron(3, nonlin=nonlin)
    neuron = _same_weights(nn.Neuron(3, nonlin=nonlin), their_neuron)
    their_layer = micrograd_nn.Layer(3, 1, nonlin=nonlin)
    layer = _same_weights(nn.Layer(3, 1, nonlin=nonlin), their_layer)
    assert neuron.activation.name == ("relu" if nonlin else "identity")
    for x in _inputs(20, 3, seed=1):
        their_x = [micrograd_engine.Value(v) for v in x]
        assert neuron(x).data == their_neuron(their_x).data
        out = layer(x)  # one neuron: the Value itself, as in micrograd
        assert isinstance(out, Value) and out.data == their_layer(their_x).data
    assert nn.Neuron(3).activation.name == "relu" and nn.Layer(3, 2).activation.name == "relu"


def test_nonlin_and_activation_together_are_refused():
    with pytest.raises(TypeError, match="activation='tanh' or nonlin=False, not both"):
        nn.Neuron(2, "tanh", nonlin=False)
    with pytest.raises(TypeError, match="not both"):
        nn.Layer(2, 3, "sigmoid", nonlin=True)
    with pytest.raises(TypeError, match="nonlin is True .* or False"):
        nn.Neuron(2, nonlin="relu")
    assert nn.Neuron(2, "relu", nonlin=True).activation.name == "relu"  # saying it twice is fine


def test_a_neuron_given_the_wrong_number_of_inputs_names_both_counts():
    with pytest.raises(ValueError, match="Neuron expects 2 inputs, got 3"):
        nn.Neuron(2)([1, 2, 3])
    with pytest.raises(ValueError, match="Layer expects 3 inputs, got 1"):
        nn.Layer(3, 2)([1.0])


def test_layers_of_one_output_feed_the_next_layer():
    model = nn.MLP(2, [3, 1, 2], seed=0)
    out = model([0.5, -0.5])
    assert isinstance(out, list) and len(out) == 2
    hidden = model.layers[1](model.layers[0]([0.5, -0.5]))
    assert isinstance(hidden, Value)
    assert [v.data for v in model.layers[2](hidden)] == [v.data for v in out]


# ---------------------------------------------------------------------------- seeding
def test_the_docs_say_how_to_seed_and_random_seed_changes_nothing():
    first_lines = "\n".join(nn.__doc__.splitlines()[:8])
    assert "seed" in first_lines and "random.seed" in first_lines and "NumPy" in first_lines
    random.seed(1)
    one = [p.data for p in nn.MLP(2, [4, 1]).parameters()]
    random.seed(2)
    two = [p.data for p in nn.MLP(2, [4, 1]).parameters()]
    assert one == two == [p.data for p in nn.MLP(2, [4, 1], seed=0).parameters()]
    assert one != [p.data for p in nn.MLP(2, [4, 1], seed=1).parameters()]


# ---------------------------------------------------------------------------- pickle and copy
@pytest.mark.parametrize(
    "build",
    [
        lambda: nn.Neuron(3, "tanh", rng=0),
        lambda: nn.Layer(3, 2, ("leaky_relu", {"alpha": 0.1}), rng=0),
        lambda: nn.Layer(3, 2, ("maxout", {"k": 2}), rng=0),
        lambda: nn.MLP(3, [4, 4, 1], seed=0),
        lambda: nn.MLP(3, [4, 2], activation="elu", output_activation="softmax", seed=0),
    ],
    ids=["Neuron", "Layer", "maxout Layer", "MLP", "softmax MLP"],
)
def test_scalar_models_pickle_and_deepcopy(build):
    model = build()
    x = [0.3, -1.2, 2.0]
    expected = model(x)
    expected = [v.data for v in expected] if isinstance(expected, list) else expected.data
    for restored in (pickle.loads(pickle.dumps(model)), copy.deepcopy(model)):
        got = restored(x)
        got = [v.data for v in got] if isinstance(got, list) else got.data
        assert got == expected
        assert restored.parameters()[0] is not model.parameters()[0]


# ---------------------------------------------------------------------------- demo.ipynb
def demo_notebook(Value, MLP, steps, batch_size=None, initial_weights=None):
    """micrograd's demo notebook: its data, model, loss and optimisation loop as written there.

    Returns the model and each step's (loss, accuracy). ``initial_weights`` (a list of numbers)
    replaces the model's first weights, the one line added to the notebook.
    """
    from sklearn.datasets import make_moons

    np.random.seed(1337)
    random.seed(1337)
    X, y = make_moons(n_samples=100, noise=0.1)
    y = y * 2 - 1  # make y be -1 or 1

    model = MLP(2, [16, 16, 1])  # 2-layer neural network
    if initial_weights is not None:
        for p, w in zip(model.parameters(), initial_weights, strict=True):
            p.data = w

    def loss(batch_size=None):
        # inline DataLoader :)
        if batch_size is None:
            Xb, yb = X, y
        else:
            ri = np.random.permutation(X.shape[0])[:batch_size]
            Xb, yb = X[ri], y[ri]
        inputs = [list(map(Value, xrow)) for xrow in Xb]

        # forward the model to get scores
        scores = list(map(model, inputs))

        # svm "max-margin" loss
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(yb, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        # L2 regularization
        alpha = 1e-4
        reg_loss = alpha * sum((p * p for p in model.parameters()))  # noqa: UP034
        total_loss = data_loss + reg_loss

        # also get accuracy
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    history = []
    for k in range(steps):
        # forward
        total_loss, acc = loss(batch_size)

        # backward
        model.zero_grad()
        total_loss.backward()

        # update (sgd)
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad

        history.append((float(total_loss.data), float(acc)))
    return model, history


def _micrograds_initial_weights():
    random.seed(1337)
    return [p.data for p in micrograd_nn.MLP(2, [16, 16, 1]).parameters()]


def test_the_demo_notebook_trains_the_same_network_with_the_same_numbers():
    # micrograd is slow on the notebook's numpy floats: a few mini-batch steps (the notebook's own option).
    theirs_model, theirs = demo_notebook(micrograd_engine.Value, micrograd_nn.MLP, steps=4, batch_size=20)
    ours_model, ours = demo_notebook(Value, nn.MLP, steps=4, batch_size=20,
                                     initial_weights=_micrograds_initial_weights())
    assert str(ours_model.num_parameters()) == str(len(theirs_model.parameters())) == "337"
    assert [acc for _, acc in ours] == [acc for _, acc in theirs]
    assert [loss for loss, _ in ours] == pytest.approx([loss for loss, _ in theirs], rel=1e-13, abs=0)
    for p, q in zip(ours_model.parameters(), theirs_model.parameters()):
        assert p.data == pytest.approx(q.data, rel=1e-12, abs=1e-15)


@pytest.mark.slow
def test_the_demo_notebook_reaches_100_percent_on_retrograd():
    _, history = demo_notebook(Value, nn.MLP, steps=100, initial_weights=_micrograds_initial_weights())
    assert history[-1][1] == 1.0
    assert history[-1][0] < 0.02 < history[0][0]
