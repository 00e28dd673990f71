"""The playground without a browser: its state, what each control does to the model, the widget's two-way sync."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import nn
from autograd import Tensor
from viz.playground import Playground, PlaygroundRun, PlaygroundState, StateError
from viz.playground.run import feature_matrix, grid_points
from viz.playground.state import FEATURES


# ---------------------------------------------------------------------- the state
def test_defaults_are_the_tensorflow_playgrounds():
    state = PlaygroundState()
    assert (state.data_set, state.hidden, state.activation, state.learning_rate) == ("circle", (4, 2), "tanh", 0.03)
    assert (state.batch_size, state.train_ratio, state.noise, state.features) == (10, 50, 0, ("x1", "x2"))


def test_json_round_trip_and_missing_fields_take_defaults():
    state = PlaygroundState(data_set="spiral", hidden=(8, 8, 5), features=("sin_x1", "x1"), learning_rate=0.1,
                            regularization="l2", regularization_rate=0.003, seed=7, show_test_data=True)
    text = state.to_json()
    assert "\n" not in text and len(text) < 400
    assert PlaygroundState.from_json(text) == state
    assert state.features == ("x1", "sin_x1")  # one order, whatever order was given
    assert PlaygroundState.from_json('{"data_set": "xor"}') == PlaygroundState(data_set="xor")


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"hidden": [9]}, "hidden layers cannot be [9]"),
        ({"hidden": [2] * 7}, "at most 6 layers"),
        ({"noise": 7}, "Noise cannot be 7"),
        ({"learning_rate": 0.05}, "Learning rate cannot be 0.05"),
        ({"features": []}, "at least one input feature"),
        ({"data_set": "plane"}, "Data cannot be plane"),
        ({"batch_size": 0}, "Batch size cannot be 0"),
        ({"colour": "red"}, "no setting named colour"),
    ],
)
def test_bad_values_are_refused_with_a_sentence(changes, words):
    with pytest.raises(StateError) as caught:
        PlaygroundState().replace(**changes)
    assert words in str(caught.value)
    assert caught.value.sentence("es") != str(caught.value)  # and the page can say it in Spanish


def test_bad_json_is_refused():
    with pytest.raises(StateError, match="not a playground state"):
        PlaygroundState.from_json("{not json")
    with pytest.raises(StateError, match="not a playground state"):
        PlaygroundState.from_json("[1, 2]")


def test_switching_problem_picks_a_data_set_of_that_problem():
    assert PlaygroundState().replace(problem="regression").data_set == "plane"


# ---------------------------------------------------------------------- each control's effect on the model
def test_features_are_the_first_layers_fan_in():
    chosen = ("x1", "x1_squared", "x1_x2", "sin_x2")
    run = PlaygroundRun(PlaygroundState(features=chosen))
    assert run.model[0].nin == len(chosen) == run.X_train.shape[1]
    x1, x2 = run.points_train[:, 0], run.points_train[:, 1]
    np.testing.assert_allclose(run.X_train, np.column_stack([x1, x1**2, x1 * x2, np.sin(x2)]))


@pytest.mark.parametrize("batch_size, ratio, steps", [(10, 50, 25), (30, 50, 9), (1, 10, 50), (7, 90, 65)])
def test_batch_size_sets_the_optimiser_steps_per_epoch(batch_size, ratio, steps):
    run = PlaygroundRun(PlaygroundState(batch_size=batch_size, train_ratio=ratio))
    counted = []
    step = run.optimizer.step
    run.optimizer.step = lambda *args: (counted.append(1), step(*args))[1]
    run.step()
    assert len(counted) == steps == run.steps_per_epoch()


@pytest.mark.parametrize("ratio", [10, 30, 50, 90])
def test_ratio_sets_the_split(ratio):
    run = PlaygroundRun(PlaygroundState(train_ratio=ratio))
    assert len(run.X_train) == round(500 * ratio / 100)
    assert len(run.X_train) + len(run.X_test) == 500
    train = {tuple(p) for p in run.points_train.round(12)}
    assert not train & {tuple(p) for p in run.points_test.round(12)}


def test_learning_rate_and_regularisation_reach_the_training():
    plain = PlaygroundRun(PlaygroundState(seed=3))
    penalised = PlaygroundRun(PlaygroundState(seed=3, regularization="l2", regularization_rate=0.3))
    plain.step(5)
    penalised.step(5)
    size = [float(np.abs(run.model[0].weight.data).sum()) for run in (plain, penalised)]
    assert size[1] < 0.8 * size[0]  # L2 keeps the weights small
    fast = PlaygroundRun(PlaygroundState(seed=3, learning_rate=1.0))
    fast.update(fast.state.replace(learning_rate=0.001))
    assert fast.optimizer.lr == 0.001


def test_noise_and_seed_change_the_points():
    quiet = PlaygroundRun(PlaygroundState(data_set="xor"))
    noisy = PlaygroundRun(PlaygroundState(data_set="xor", noise=50))
    other = PlaygroundRun(PlaygroundState(data_set="xor", seed=1))
    wrong_side = [np.mean((run.points_train.prod(axis=1) > 0) != (run.y_train == 1)) for run in (quiet, noisy)]
    assert wrong_side[0] == 0 and wrong_side[1] > 0.1
    assert not np.allclose(quiet.points_train, other.points_train)


def test_regression_trains_on_the_mean_squared_error():
    run = PlaygroundRun(PlaygroundState(problem="regression", data_set="plane", learning_rate=0.01))
    first = run.train_loss[-1]
    run.step(20)
    assert run.loss_fn is nn.mse_loss and run.train_loss[-1] < 0.5 * first


def test_heatmaps_are_the_networks_outputs_on_the_grid():
    run = PlaygroundRun(PlaygroundState(hidden=(3, 2), features=("x1", "x2", "x1_x2")))
    run.step(3)
    maps = run.heatmaps(12)
    points = grid_points(12)
    logits = run.model(Tensor(feature_matrix(points, run.state.features))).data.reshape(12, 12)
    np.testing.assert_allclose(maps.output, 2 / (1 + np.exp(-logits)) - 1, atol=1e-12)
    first_hidden = np.tanh(run.model[0](Tensor(feature_matrix(points, run.state.features))).data)
    np.testing.assert_allclose(maps.hidden[0], first_hidden.T.reshape(3, 12, 12))
    assert [m.shape for m in maps.hidden] == [(3, 12, 12), (2, 12, 12)] and maps.inputs.shape == (len(FEATURES), 12, 12)
    assert points[0, 0] < 0 < points[0, 1]  # the first row is the top of the picture


def test_gradients_are_the_full_training_set_gradient():
    run = PlaygroundRun(PlaygroundState(hidden=(3,)))
    grads = run.gradients()
    model = run.model
    model.zero_grad()
    nn.binary_cross_entropy_with_logits(model(Tensor(run.X_train)), run.y_train).backward()
    np.testing.assert_allclose(grads[0], model[0].weight.grad)
    w = model[0].weight.data
    w[0, 0] += 1e-6
    up = run.loss(run.X_train, run.y_train)
    w[0, 0] -= 2e-6
    down = run.loss(run.X_train, run.y_train)
    w[0, 0] += 1e-6
    assert math.isclose(grads[0][0, 0], (up - down) / 2e-6, rel_tol=1e-4, abs_tol=1e-8)


# ---------------------------------------------------------------------- the widget: state and controls agree
def page_sets(widget: Playground, **changes) -> None:
    """What the page does when a control changes: it writes the whole controls dict."""
    widget.set_state({"controls": {**widget.controls, **changes}})


def test_a_control_changed_in_the_page_changes_the_state():
    widget = Playground()
    page_sets(widget, data_set="spiral", hidden=[5, 3])
    assert widget.state.data_set == "spiral" and widget.state.hidden == (5, 3)
    assert [m.nout for m in widget.model if isinstance(m, nn.Linear)] == [5, 3, 1]
    assert widget.frame["layers"] == [2, 5, 3, 1] and widget.notice == ""


def test_switching_the_problem_in_the_page_picks_its_first_data_set():
    widget = Playground()
    page_sets(widget, problem="regression")
    assert (widget.state.problem, widget.state.data_set, widget.notice) == ("regression", "plane", "")
    assert widget.run.loss_fn is nn.mse_loss and widget.points["classification"] is False


def test_a_bad_value_from_the_page_is_refused_and_the_old_network_kept():
    widget = Playground()
    widget.step(2)
    model = widget.model
    page_sets(widget, hidden=[4, 9])
    assert "cannot be [4, 9]" in widget.notice
    assert widget.controls["hidden"] == [4, 2] and widget.model is model and widget.epoch == 2


def test_changes_from_code_update_the_controls():
    widget = Playground()
    widget.set(data_set="xor", learning_rate=0.1)
    assert widget.controls["data_set"] == "xor" and widget.controls["learning_rate"] == 0.1
    widget.state = PlaygroundState(data_set="gauss", hidden=())
    assert widget.controls["hidden"] == [] and widget.frame["layers"] == [2, 1]
    widget.model = nn.mlp(2, [6, 1], activation="relu", seed=1, dtype=np.float64)
    assert widget.controls["hidden"] == [6] and widget.controls["activation"] == "relu"
    assert widget.frame["layers"] == [2, 6, 1]
    with pytest.raises(StateError, match="2 chosen features"):
        widget.model = nn.mlp(3, [1])
    assert widget.controls["hidden"] == [6]


def test_training_settings_keep_the_run_and_data_settings_start_again():
    widget = Playground()
    widget.step(3)
    page_sets(widget, learning_rate=0.3, batch_size=20)
    assert widget.epoch == 3 and widget.run.optimizer.lr == 0.3
    page_sets(widget, noise=10)
    assert widget.epoch == 0


def test_state_travels_as_json():
    widget = Playground(data_set="spiral", hidden=[8, 8], noise=20, seed=4)
    text = widget.to_json()
    other = Playground(text)
    assert other.state == widget.state
    np.testing.assert_array_equal(other.model[0].weight.data, Playground(text).model[0].weight.data)
    assert json.loads(text)["hidden"] == [8, 8]
    third = Playground().load_json(text)
    assert third.controls == widget.controls


def test_ticks_train_only_while_playing():
    widget = Playground()
    widget._on_page_message(widget, {"type": "tick"}, [])
    assert widget.epoch == 0
    widget.play()
    for _ in range(3):
        widget._on_page_message(widget, {"type": "tick"}, [])
    assert widget.epoch == 3 and widget.frame["epoch"] == 3
    widget._on_page_message(widget, {"type": "step"}, [])
    assert widget.epoch == 4 and not widget.playing
    widget._on_page_message(widget, {"type": "reset"}, [])
    assert widget.epoch == 0 and len(widget.frame["curve"]["train"]) == 1


def test_grids_hold_every_neuron():
    widget = Playground(hidden=[3, 2], resolution=10)
    grids = np.frombuffer(widget.grids, dtype=np.float32)
    assert grids.size == (len(FEATURES) + 3 + 2 + 1) * 100
    maps = widget.run.heatmaps(10)
    np.testing.assert_allclose(grids[-100:], maps.output.ravel(), atol=1e-6)


def test_divergence_pauses_with_a_sentence():
    widget = Playground(problem="regression", data_set="plane", activation="linear", learning_rate=10.0,
                        features=list(FEATURES))
    widget.play()
    for _ in range(30):
        widget.step()
        if widget.notice:
            break
    assert "diverged" in widget.notice and not widget.playing


def test_inspect_steps_through_the_current_network_on_one_point():
    widget = Playground(hidden=[3])
    widget.step(2)
    stepper = widget.inspect(5)
    run = widget.run
    model = run.model
    model.zero_grad()
    point = Tensor(run.X_train[5:6], requires_grad=True)
    loss = nn.binary_cross_entropy_with_logits(model(point), run.y_train[5:6])
    loss.backward()
    assert math.isclose(stepper.root.data, loss.item(), rel_tol=1e-12)
    leaves = {node.label: node.grad for node in stepper.order if node.label in ("x1", "x2")}
    np.testing.assert_allclose([leaves["x1"], leaves["x2"]], point.grad[0], rtol=1e-10)
    assert 'id="rg-data"' in widget.inspection and "epoch 2" in widget.inspection  # the stepper's viewer
    with pytest.raises(IndexError):
        widget.inspect(len(run.X_train))


def test_the_page_is_sent_every_label_in_the_widgets_language(monkeypatch):
    """What reaches the page is what was sent; a dict changed in place after sending never arrives."""
    import copy

    sent = []
    send_state = Playground.send_state

    def recording(self, key=None):
        state = self.get_state(key)
        if "labels" in state:
            sent.append(copy.deepcopy(state["labels"]))
        return send_state(self, key)

    monkeypatch.setattr(Playground, "send_state", recording)
    Playground(language="es")
    assert sent and sent[-1]["epoch"] == "época"
    assert all(isinstance(text, str) and text for text in sent[-1].values())
