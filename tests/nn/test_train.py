"""The training loop on both engines: what networks can fit, what the gradients show, and how training fails."""

import builtins
import gc
import math
import re
import warnings

import numpy as np
import pytest

import nn
from autograd import Value
from nn import History, TrainingDiverged, accuracy, evaluate, fit, predict
from nn.data import (
    DataLoader,
    make_gaussian,
    make_moons,
    make_plane,
    make_spiral,
    make_xor,
    to_plus_minus_one,
    train_test_split,
)


# ---------------------------------------------------------------------- what networks can fit
def test_perceptron_cannot_fit_xor_but_one_hidden_layer_can():
    X, y = make_xor(200, seed=0)
    perceptron = nn.tensor_mlp(2, [1], seed=0)
    flat = fit(perceptron, "bce_with_logits", nn.Adam(perceptron.parameters(), lr=0.05), (X, y),
               epochs=60, batch_size=32, progress=False)
    hidden = nn.tensor_mlp(2, [8, 1], activation="tanh", seed=0)
    deep = fit(hidden, "bce_with_logits", nn.Adam(hidden.parameters(), lr=0.05), (X, y),
               epochs=60, batch_size=32, progress=False)
    # A line gets at most about 3 of the 4 quadrants right.
    assert max(flat.train_accuracy) < 0.8
    assert deep.train_accuracy[-1] >= 0.99
    assert accuracy(predict(hidden, X), y, threshold=0.0) >= 0.99


def test_spiral_needs_two_hidden_layers():
    """Same width, same training: one hidden ReLU layer stays far from the spiral; two fit it."""
    X, y = make_spiral(500, seed=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, seed=0, stratify=y)
    test_accuracy = {}
    for hidden in ([8], [8, 8]):
        model = nn.tensor_mlp(2, [*hidden, 1], activation="relu", seed=0)
        history = fit(model, "bce_with_logits", nn.Adam(model.parameters(), lr=0.02), (X_train, y_train),
                      epochs=300, batch_size=64, validation=(X_test, y_test), seed=0, progress=False,
                      track_grad_norms=False, blas_threads=1)
        test_accuracy[len(hidden)] = history.val_accuracy[-1]
    # Over model seeds 0-9 one layer reached 49-69% and two layers 88-100% (seed 0: 56% and 97%).
    assert test_accuracy[1] < 0.75
    assert test_accuracy[2] > 0.85
    assert test_accuracy[2] - test_accuracy[1] > 0.2


def test_scalar_mlp_fits_100_moons_points():
    """The lecture's network: a 2-16-16-1 MLP of Values reaches 100% training accuracy (hinge loss, Adam)."""
    X, y = make_moons(100, noise=0.1, seed=0)
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=1)
    fit(model, "hinge", nn.Adam(model.parameters(), lr=0.02), (X, to_plus_minus_one(y)), epochs=40, batch_size=10,
        seed=1, progress=False, track_grad_norms=False)
    predictions = np.sign(predict(model, X)).ravel()
    assert np.all(predictions == to_plus_minus_one(y))


def test_scalar_and_tensor_runs_agree_step_by_step():
    """The same MLP on both engines, trained the same way, gives the same history and weights."""
    X, y = make_gaussian(40, noise=0.2, seed=2)
    scalar = nn.MLP(2, [4, 1], activation="tanh", seed=5)
    tensor = nn.tensor_mlp(2, [4, 1], activation="tanh", seed=5, dtype=np.float64)
    runs = [
        fit(m, "bce_with_logits", nn.SGD(m.parameters(), lr=0.1, momentum=0.9), (X, y), epochs=3, batch_size=16,
            seed=4, progress=False, l2=0.01, clip_grad_norm=0.5)
        for m in (scalar, tensor)
    ]
    np.testing.assert_allclose(runs[0].step_loss, runs[1].step_loss, rtol=1e-10)
    # Layer names differ (the tensor MLP interleaves activation modules); the layers line up in order.
    for scalar_norms, tensor_norms in zip(runs[0].grad_norms.values(), runs[1].grad_norms.values(), strict=True):
        np.testing.assert_allclose(scalar_norms, tensor_norms, rtol=1e-9)
    np.testing.assert_allclose(predict(scalar, X).ravel(), predict(tensor, X).ravel(), rtol=1e-9)


# ---------------------------------------------------------------------- gradients, per layer
def grad_ratio(activation, init):
    X, y = make_moons(200, noise=0.1, seed=0)
    model = nn.tensor_mlp(2, [32] * 8 + [1], activation=activation, init=init, seed=0)
    history = fit(model, "bce_with_logits", nn.SGD(model.parameters(), lr=0.01), (X, y), epochs=2, batch_size=50,
                  progress=False)
    names, norms = history.grad_norm_matrix()
    assert norms.shape == (8, 9) and names[0] == "layers.0" and names[-1] == "layers.16"
    return norms


def test_deep_sigmoid_net_has_vanishing_gradients_relu_does_not():
    sigmoid = grad_ratio("sigmoid", "xavier_uniform")
    relu = grad_ratio("relu", "kaiming_uniform")
    # Each sigmoid layer multiplies the gradient by at most σ' = 1/4: the first layer gets ~10^-5 of the last's.
    assert np.all(sigmoid[:, 0] / sigmoid[:, -1] < 1e-3)
    assert np.all(np.diff(np.log(sigmoid[:, :-1]), axis=1) > 0)  # shrinking layer after layer towards the input
    assert np.all(relu[:, 0] / relu[:, -1] > 0.05)


# ---------------------------------------------------------------------- divergence
class SquareRootModel(nn.Module):
    """A scalar model whose second layer has an infinite gradient: d√w/dw at w = 0."""

    def __init__(self):
        self.first = nn.Neuron(2, activation="identity", weights=[0.5, -0.5])
        self.second = nn.Neuron(1, activation="identity", weights=[1.0])
        self.scale = Value(0.0)

    def forward(self, x):
        return self.second([self.first(x)]) * self.scale.sqrt()


def test_infinite_gradient_stops_training_naming_the_layer():
    X, y = make_plane(8, seed=0)
    model = SquareRootModel()
    with pytest.raises(TrainingDiverged, match=r"epoch 1, step 1: the loss is .* but a gradient") as caught:
        fit(model, "mse", nn.SGD(model.parameters(), lr=0.1), (X, y), epochs=2, batch_size=4, progress=False)
    assert caught.value.layer == "scale" and "'scale'" in str(caught.value)
    assert (caught.value.epoch, caught.value.step) == (1, 1)


def test_exploding_training_names_epoch_step_and_layer():
    """SGD with far too large a step on unscaled inputs blows up; the error says when and where."""
    X, y = make_plane(64, seed=0)
    X = X * 100.0
    model = nn.tensor_mlp(2, [8, 1], activation="relu", seed=0, dtype=np.float64)
    with pytest.raises(TrainingDiverged) as caught, np.errstate(over="ignore", invalid="ignore"), \
            pytest.warns(nn.TrainingDivergenceWarning):  # while still finite, the growth is reported first
        fit(model, "mse", nn.SGD(model.parameters(), lr=1.0), (X, y), epochs=50, batch_size=16, progress=False)
    error = caught.value
    steps_per_epoch = 4
    history = error.history
    # Everything before the failing step was finite and recorded.
    assert len(history.step_loss) == (error.epoch - 1) * steps_per_epoch + error.step
    assert all(math.isfinite(v) for v in history.step_loss[:-1])
    assert not math.isfinite(error.loss) or error.layer is not None
    assert f"epoch {error.epoch}, step {error.step}" in str(error)
    assert error.layer in ("layers.0", "layers.2") and repr(error.layer) in str(error)


def test_nan_weights_are_found():
    X, y = make_plane(8, seed=0)
    model = nn.tensor_mlp(2, [3, 1], seed=0, dtype=np.float64)
    model.layers[0].weight.data[0, 0] = np.nan
    with pytest.raises(TrainingDiverged, match=r"epoch 1, step 1: the loss is nan; layer 'layers.2'.*'layers.0'"):
        fit(model, "mse", nn.Adam(model.parameters()), (X, y), epochs=1, progress=False)


# ---------------------------------------------------------------------- the rest of the loop
def test_history_records_per_epoch_and_per_step():
    X, y = make_moons(90, noise=0.1, seed=0)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=30, seed=0)
    model = nn.tensor_mlp(2, [8, 1], activation="tanh", seed=0)
    optimizer = nn.Adam(model.parameters(), lr=0.1)
    calls = []
    history = fit(model, "bce_with_logits", optimizer, (X_train, y_train), epochs=5, batch_size=16,
                  validation=(X_val, y_val), scheduler=nn.StepLR(optimizer, step_size=2, gamma=0.5),
                  callback=lambda epoch, h: calls.append((epoch, h.epochs)), progress=False)
    assert isinstance(history, History) and history.epochs == 5
    assert len(history.step_loss) == 5 * 4  # 60 examples in batches of 16
    assert history.lr == [0.1, 0.1, 0.05, 0.05, 0.025]  # the rate each epoch trained with
    assert calls == [(e, e) for e in range(1, 6)]
    for series in (history.train_loss, history.train_accuracy, history.val_loss, history.val_accuracy):
        assert len(series) == 5
    assert list(history.grad_norms) == ["layers.0", "layers.2"]
    assert all(len(v) == 20 for v in history.grad_norms.values())
    # The epoch's training loss is the example-weighted mean of its steps' losses.
    weights = [16, 16, 16, 12]
    assert history.train_loss[0] == pytest.approx(np.average(history.step_loss[:4], weights=weights))
    # Validation numbers are the model's after the last epoch.
    assert (history.val_loss[-1], history.val_accuracy[-1]) == pytest.approx(
        evaluate(model, "bce_with_logits", (X_val, y_val))
    )
    as_dict = history.to_dict()
    assert as_dict["train_loss"] == history.train_loss and as_dict["grad_norms"]["layers.0"] == history.grad_norms[
        "layers.0"
    ]
    assert "epochs=5" in repr(history)


def test_early_stopping_restores_the_best_weights():
    X, y = make_moons(60, noise=0.3, seed=1)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.5, seed=0)
    model = nn.tensor_mlp(2, [64, 64, 1], activation="relu", seed=0, dtype=np.float64)
    # A large learning rate on few noisy points: the validation loss soon rises (over-fitting).
    history = fit(model, "bce_with_logits", nn.Adam(model.parameters(), lr=0.05), (X_train, y_train), epochs=300,
                  batch_size=10, validation=(X_val, y_val), early_stopping=5, progress=False)
    assert history.stopped_early and history.epochs < 300
    assert history.epochs - history.best_epoch == 5
    best = history.val_loss[history.best_epoch - 1]
    assert best == min(history.val_loss)
    assert evaluate(model, "bce_with_logits", (X_val, y_val))[0] == pytest.approx(best, rel=1e-12)


def test_penalty_per_example_divides_by_each_batch_size():
    """Batches of 3 then 2: the same steps as l1/3, l2/3 on the first batch and l1/2, l2/2 on the second."""
    X, y = make_plane(5, seed=0)
    per_example = nn.tensor_mlp(2, [4, 1], seed=0, dtype=np.float64)
    by_hand = nn.tensor_mlp(2, [4, 1], seed=0, dtype=np.float64)
    fit(per_example, "mse", nn.SGD(per_example.parameters(), lr=0.1), (X, y.reshape(-1, 1)), epochs=1,
        batch_size=3, shuffle=False, l1=0.03, l2=0.6, penalty_per_example=True, progress=False)
    optimizer = nn.SGD(by_hand.parameters(), lr=0.1)
    for rows in (slice(0, 3), slice(3, 5)):
        n = len(X[rows])
        fit(by_hand, "mse", optimizer, (X[rows], y[rows].reshape(-1, 1)), epochs=1, batch_size=None,
            l1=0.03 / n, l2=0.6 / n, progress=False)
    for a, b in zip(per_example.parameters(), by_hand.parameters()):
        np.testing.assert_allclose(a.data, b.data, rtol=1e-12, atol=1e-15)  # l1·(1/n) and l1/n round apart
    unscaled = nn.tensor_mlp(2, [4, 1], seed=0, dtype=np.float64)
    fit(unscaled, "mse", nn.SGD(unscaled.parameters(), lr=0.1), (X, y.reshape(-1, 1)), epochs=1,
        batch_size=3, shuffle=False, l1=0.03, l2=0.6, progress=False)
    assert not np.array_equal(unscaled.parameters()[0].data, per_example.parameters()[0].data)


def test_l1_penalty_makes_weights_sparse():
    """Least squares gives the noise features small weights; the L1 penalty drives them to about 0."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 5))
    y = X[:, 0] - 0.5 * X[:, 1] + 0.3 * rng.normal(size=200)  # features 2, 3, 4 are noise
    weights = {}
    for l1 in (0.0, 0.05):
        model = nn.tensor_mlp(5, [1], seed=0, dtype=np.float64)
        fit(model, "mse", nn.SGD(model.parameters(), lr=0.02), (X, y), epochs=200, batch_size=None, l1=l1,
            progress=False)
        weights[l1] = model.layers[0].weight.data[0]
    assert np.abs(weights[0.05][2:]).sum() < 0.2 * np.abs(weights[0.0][2:]).sum()
    assert np.abs(weights[0.05][2:]).max() < 0.005
    assert weights[0.05][0] > 0.9 and weights[0.05][1] < -0.4  # the useful weights stay


def test_lbfgs_full_batch_and_data_loader_input():
    X, y = make_gaussian(100, noise=0.1, seed=0)
    model = nn.tensor_mlp(2, [1], seed=0, dtype=np.float64)
    history = fit(model, "bce_with_logits", nn.LBFGS(model.parameters(), line_search_fn="strong_wolfe"),
                  (X, y), epochs=3, progress=False)
    assert len(history.step_loss) == 3 and history.train_accuracy[-1] == 1.0
    model = nn.tensor_mlp(2, [4, 1], seed=0)
    history = fit(model, "bce_with_logits", nn.Adam(model.parameters(), lr=0.05), DataLoader(X, y, batch_size=25),
                  epochs=2, progress=False)
    assert len(history.step_loss) == 8


def test_scalar_model_takes_lists_of_floats_or_values():
    """The lecture's way of writing data: plain lists, even of Values."""
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    histories = []
    for inputs in (xs, [[Value(x) for x in row] for row in xs]):
        model = nn.MLP(3, [4, 4, 1], activation="tanh", seed=0)  # the lecture's network
        histories.append(fit(model, "mse", nn.SGD(model.parameters(), lr=0.05), (inputs, ys), epochs=20,
                             batch_size=None, progress=False))
    assert histories[0].step_loss == histories[1].step_loss
    assert histories[0].train_loss[-1] < 0.2 * histories[0].train_loss[0]


def test_regression_history_has_no_accuracy():
    X, y = make_plane(50, seed=0)
    model = nn.tensor_mlp(2, [1], seed=0)
    history = fit(model, "mse", nn.Adam(model.parameters(), lr=0.1), (X, y), epochs=20, validation=(X, y),
                  progress=False)
    assert history.train_accuracy == [] and history.val_accuracy == []
    assert history.train_loss[-1] < 0.1 * history.train_loss[0]


def test_progress_bar_and_plain_fallback(monkeypatch, capsys):
    X, y = make_gaussian(20, seed=0)
    model = nn.tensor_mlp(2, [1], seed=0)
    fit(model, "bce_with_logits", nn.Adam(model.parameters()), (X, y), epochs=2, progress=True)
    assert "training" in capsys.readouterr().err
    real_import = builtins.__import__

    def without_tqdm(name, *args, **kwargs):
        if name.startswith("tqdm"):
            raise ImportError("No module named 'tqdm'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_tqdm)
    fit(model, "bce_with_logits", nn.Adam(model.parameters()), (X, y), epochs=2, progress=True)
    err = capsys.readouterr().err
    assert "epoch 1/2: loss" in err and "epoch 2/2" in err


def test_accuracy_rules():
    assert accuracy([[0.1, 0.9], [0.8, 0.2]], [1, 1]) == 0.5
    assert accuracy([[0.1, 0.9], [0.8, 0.2]], [[0, 1], [1, 0]]) == 1.0
    assert accuracy([0.7, 0.2], [1, 0]) == 1.0
    assert accuracy([-0.3, 0.2], [1, 0], threshold=0.0) == 0.0
    assert accuracy([-0.3, 0.2], [-1, 1]) == 1.0
    with pytest.raises(ValueError, match="3 outputs but 2 targets"):
        accuracy([1, 2, 3], [0, 1])


@pytest.mark.parametrize(
    "kwargs,error,match",
    [
        ({"epochs": 0}, ValueError, "epochs"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"l1": -1.0}, ValueError, "l1"),
        ({"clip_grad_norm": 0}, ValueError, "clip_grad_norm"),
        ({"early_stopping": 3}, ValueError, "validation"),
        ({"loss_fn": "squared"}, ValueError, "unknown loss"),
        ({"optimizer": "adam"}, TypeError, "optimizer"),
        ({"data": (np.zeros((4, 2)), np.zeros(3))}, ValueError, "4 examples but y has 3"),
        ({"data": np.zeros((4, 2))}, TypeError, r"pair \(X, y\)"),
        ({"data": (np.zeros(4), np.zeros(4))}, ValueError, "2-D"),
        ({"data": (np.zeros((0, 2)), np.zeros(0))}, ValueError, "no examples"),
    ],
)
def test_fit_checks_its_arguments(kwargs, error, match):
    model = nn.tensor_mlp(2, [1], seed=0)
    arguments = {"model": model, "loss_fn": "mse", "optimizer": nn.SGD(model.parameters(), lr=0.1),
                 "data": (np.zeros((4, 2)), np.zeros(4)), "progress": False}
    arguments.update(kwargs)
    with pytest.raises(error, match=match):
        fit(**arguments)


def test_fit_train_and_validation_loss_agree_for_a_sum_reduction():
    """On the same data, with weights that barely move, the recorded training and validation losses agree."""
    X, y = make_moons(40, seed=0)
    model = nn.mlp(2, [4, 1], seed=0, dtype=np.float64)
    history = fit(model, nn.MSELoss(reduction="sum"), nn.SGD(model.parameters(), lr=1e-12), (X, y),
                  epochs=1, batch_size=10, validation=(X, y), progress=False, shuffle=False)
    assert history.train_loss[0] == pytest.approx(history.val_loss[0], rel=1e-6)


def test_fit_train_and_validation_loss_agree_for_a_mean_reduction():
    X, y = make_moons(40, seed=0)
    model = nn.mlp(2, [4, 1], seed=0, dtype=np.float64)
    history = fit(model, nn.MSELoss(), nn.SGD(model.parameters(), lr=1e-12), (X, y),
                  epochs=1, batch_size=10, validation=(X, y), progress=False, shuffle=False)
    assert history.train_loss[0] == pytest.approx(history.val_loss[0], rel=1e-6)


# ---------------------------------------------------------------------- the garbage collector
def _collector_watch(model):
    """``model`` as a function that also notes, each time it runs, whether the cyclic collector is on."""
    seen = []

    def watched(x):
        seen.append(gc.isenabled())
        return model(x)

    watched.parameters = model.parameters
    return watched, seen


@pytest.mark.parametrize("engine", ["scalar", "tensor"])
def test_fit_pauses_the_collector_during_each_step_only(engine):
    X, y = make_moons(12, seed=0)
    model = nn.MLP(2, [4, 1], seed=0) if engine == "scalar" else nn.tensor_mlp(2, [4, 1], seed=0)
    watched, seen = _collector_watch(model)
    between = []
    fit(watched, "bce_with_logits", nn.SGD(model.parameters(), lr=0.1), (X, y), epochs=2, batch_size=4,
        progress=False, callback=lambda epoch, history: between.append(gc.isenabled()))
    assert seen and not any(seen)  # paused in every step
    assert between == [True, True] and gc.isenabled()  # on between steps and after

    seen.clear()
    fit(watched, "bce_with_logits", nn.SGD(model.parameters(), lr=0.1), (X, y), epochs=1, batch_size=4,
        progress=False, pause_collector=False)
    assert seen and all(seen)


def test_fit_leaves_a_collector_the_user_paused_off_and_restores_it_after_an_error():
    X, y = make_moons(8, seed=0)
    model = nn.MLP(2, [1], seed=0)
    gc.disable()
    try:
        fit(model, "mse", nn.SGD(model.parameters(), lr=0.1), (X, y), epochs=1, progress=False)
        assert not gc.isenabled()
    finally:
        gc.enable()

    def broken(x):
        raise RuntimeError("the model failed")

    broken.parameters = model.parameters
    with pytest.raises(RuntimeError, match="the model failed"):
        fit(broken, "mse", nn.SGD(model.parameters(), lr=0.1), (X, y), epochs=1, progress=False)
    assert gc.isenabled()
    with pytest.raises(TypeError, match="pause_collector must be True or False"):
        fit(model, "mse", nn.SGD(model.parameters(), lr=0.1), (X, y), progress=False, pause_collector="yes")


# ---------------------------------------------------------------------- mistakes fit names
def test_an_optimizer_over_another_models_parameters_is_refused():
    X, y = make_plane(16, seed=0)
    model, other = nn.tensor_mlp(2, [3, 1], seed=0), nn.tensor_mlp(2, [3, 1], seed=1)
    with pytest.raises(ValueError, match=r"optimizer holds 4 of its 4 parameters that are not this model's"):
        fit(model, "mse", nn.Adam(other.parameters()), (X, y), epochs=1, progress=False)
    scalar = nn.MLP(2, [2, 1], seed=0)
    mixed = [*scalar.parameters()[:2], *nn.MLP(2, [2, 1], seed=1).parameters()]
    with pytest.raises(ValueError, match="parameter 2 first"):
        fit(scalar, "mse", nn.SGD(mixed, lr=0.1), (X, y), epochs=1, progress=False)
    # A part of the model's own parameters (the rest frozen) is fine.
    fit(model, "mse", nn.SGD(model.parameters()[:2], lr=0.1), (X, y), epochs=1, progress=False)


@pytest.mark.parametrize("where", ["data", "validation", "loader"])
def test_nan_in_X_is_named_with_its_row(where):
    X, y = make_plane(16, seed=0)
    bad = X.copy()
    bad[5, 1] = np.nan
    model = nn.tensor_mlp(2, [1], seed=0)
    data = {"data": (bad, y), "validation": (X, y), "loader": DataLoader(bad, y, batch_size=4)}[where]
    validation = (bad, y) if where == "validation" else None
    with pytest.raises(ValueError, match=r"X holds nan at row 5, column 1") as error:
        fit(model, "mse", nn.SGD(model.parameters(), lr=0.1), data, epochs=1, validation=validation, progress=False)
    assert str(error.value).startswith("validation" if where == "validation" else "data")


def test_nan_in_y_is_named_with_its_row():
    X, y = make_plane(16, seed=0)
    y = y.astype(np.float64)
    y[3] = np.inf
    model = nn.tensor_mlp(2, [1], seed=0)
    with pytest.raises(ValueError, match=r"y holds inf at row 3"):
        fit(model, "mse", nn.SGD(model.parameters(), lr=0.1), (X, y), epochs=1, progress=False)


def _run_away(model, on_divergence="warn", epochs=5):
    X, y = make_moons(64, noise=0.1, seed=0)
    return fit(model, "bce_with_logits", nn.Adam(model.parameters(), lr=1e6), (X, y), epochs=epochs,
               batch_size=16, progress=False, on_divergence=on_divergence)


def test_a_loss_growing_by_orders_of_magnitude_is_reported_with_epoch_and_layer():
    model = nn.tensor_mlp(2, [8, 1], activation="tanh", seed=0, dtype=np.float64)
    expected = r"diverging at epoch \d+, step \d+: the loss grew from"
    with pytest.warns(nn.TrainingDivergenceWarning, match=expected) as seen:
        history = _run_away(model)
    assert len(seen) == 1, "reported once"
    assert re.search(r"layer 'layers\.\d'", str(seen[0].message))
    assert max(history.step_loss) > 1e3 * history.step_loss[0] and all(map(math.isfinite, history.step_loss))
    assert seen[0].filename == __file__, "the warning points at the call of fit"

    with pytest.raises(TrainingDiverged, match="diverging") as caught:
        _run_away(nn.tensor_mlp(2, [8, 1], activation="tanh", seed=0, dtype=np.float64), on_divergence="raise")
    assert caught.value.layer in ("layers.0", "layers.2") and caught.value.epoch >= 1
    assert caught.value.loss > 1e3 * caught.value.history.step_loss[0]


def test_the_scalar_engine_reports_divergence_too():
    X, y = make_moons(12, noise=0.1, seed=0)
    model = nn.MLP(2, [4, 2], seed=0)
    with pytest.warns(nn.TrainingDivergenceWarning, match="layer 'layers"):
        fit(model, "cross_entropy", nn.Adam(model.parameters(), lr=1e6), (X, y), epochs=5, batch_size=4,
            progress=False)


def test_ordinary_training_is_not_reported_and_the_check_can_be_ignored():
    X, y = make_moons(64, noise=0.1, seed=0)
    model = nn.tensor_mlp(2, [8, 1], activation="tanh", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", nn.TrainingDivergenceWarning)
        fit(model, "bce_with_logits", nn.Adam(model.parameters(), lr=0.05), (X, y), epochs=20, progress=False)
        _run_away(nn.tensor_mlp(2, [8, 1], activation="tanh", seed=0), on_divergence="ignore")
    with pytest.raises(ValueError, match="on_divergence must be one of"):
        _run_away(model, on_divergence="stop")
