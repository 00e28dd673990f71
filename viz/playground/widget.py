"""``Playground``: the TensorFlow Playground as a Jupyter widget over a real ``nn`` network.

The kernel trains and sends numbers; the browser draws. The widget's synced traits are:

- ``controls``: every setting (a ``PlaygroundState`` as a dict). The page writes it when a
  control changes; code writes it through ``set``/``state``. Either way it is checked here,
  and a refused value is put back (so the controls show the settings in use) with a sentence
  in ``notice``.
- ``playing``: while true the page asks for one epoch per animation frame (a ``tick``
  message) and draws the answer before asking again; the kernel is idle between ticks, so
  cells still run while it plays.
- ``frame``: epoch, losses and their curves, weights, biases and their gradients, and the
  layout of ``grids``: every neuron's heatmap as float32 numbers, one block per neuron.
- ``points``: the training and test points, sent when the data change.
- ``labels`` and ``options``: the texts of the controls (viz.messages) and their choices.
- ``inspection``: the backprop stepper's page for one training point, after "inspect".
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import anywidget
import numpy as np
import traitlets

import nn
from autograd import Value

from .. import messages
from ..plots import NEGATIVE_WEIGHT_COLOUR, POSITIVE_WEIGHT_COLOUR
from ..stepper import BackpropStepper
from .run import PlaygroundRun
from .state import (
    ACTIVATIONS,
    DATA_SETS,
    EDGE_MODES,
    FEATURES,
    LEARNING_RATES,
    MAX_BATCH_SIZE,
    MAX_LAYERS,
    MAX_NEURONS,
    REGULARIZATION_RATES,
    REGULARIZATIONS,
    PlaygroundState,
    StateError,
)

_HERE = Path(__file__).resolve().parent
#: Points of the loss curves sent to the page at most (longer runs are thinned evenly).
CURVE_POINTS = 400
_ACTIVATION_OF_MODULE = {nn.Tanh: "tanh", nn.ReLU: "relu", nn.Sigmoid: "sigmoid"}


def _label_keys() -> list[str]:
    return sorted(key[len("playground_"):] for key in messages.MESSAGES["en"] if key.startswith("playground_"))


def _thinned(values: list[float]) -> list[float]:
    if len(values) > CURVE_POINTS:
        keep = np.linspace(0, len(values) - 1, CURVE_POINTS).round().astype(int)
        values = [values[i] for i in keep]
    return [float(v) if math.isfinite(v) else None for v in values]


def _json_numbers(array: np.ndarray) -> list:
    """An array as nested lists for JSON, with None where a number is not finite (JSON has no NaN)."""
    return np.where(np.isfinite(array), array, None).tolist()


def _as_state(state: PlaygroundState | dict | str | None) -> PlaygroundState:
    if state is None:
        return PlaygroundState()
    if isinstance(state, PlaygroundState):
        return state
    if isinstance(state, str):
        return PlaygroundState.from_json(state)
    return PlaygroundState.from_dict(state)


class Playground(anywidget.AnyWidget):
    """The TensorFlow Playground's controls over an ``nn`` MLP, trained live by the kernel.

    ``Playground()`` starts from the TF Playground's defaults (circle, 2-4-2-1, tanh, learning
    rate 0.03); ``Playground(state)`` from a ``PlaygroundState``, a dict or a JSON string,
    and keyword arguments change single settings: ``Playground(data_set="xor", hidden=[])``.
    ``language`` ("en" or "es") picks the language of the controls (default: viz's).
    """

    _esm = _HERE / "playground.js"
    _css = _HERE / "playground.css"

    controls = traitlets.Dict().tag(sync=True)
    playing = traitlets.Bool(False).tag(sync=True)
    frame = traitlets.Dict().tag(sync=True)
    grids = traitlets.Bytes(b"").tag(sync=True)
    points = traitlets.Dict().tag(sync=True)
    notice = traitlets.Unicode("").tag(sync=True)
    labels = traitlets.Dict().tag(sync=True)
    options = traitlets.Dict().tag(sync=True)
    inspection = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self,
        state: PlaygroundState | dict | str | None = None,
        *,
        language: str | None = None,
        resolution: int = 40,
        **changes: Any,
    ) -> None:
        first = _as_state(state)
        if changes:
            first = first.replace(**changes)
        if not isinstance(resolution, int) or not 8 <= resolution <= 200:
            raise ValueError(f"resolution must be an integer from 8 to 200, got {resolution!r}")
        self.language = messages.get_language() if language is None else language
        self.resolution = resolution
        self._state = first
        self.run = PlaygroundRun(first)
        self.update_ms = 0.0  # the kernel's time for the last update (training and the numbers for the page)
        super().__init__()
        # One assignment: the page is sent the dict when it is assigned, not when it is changed in place.
        self.labels = {**{key: messages.message(f"playground_{key}", self.language) for key in _label_keys()},
                       "epoch": messages.message("epoch", self.language)}
        self.options = {
            "problems": list(DATA_SETS),
            "data_sets": {problem: list(names) for problem, names in DATA_SETS.items()},
            "features": list(FEATURES),
            "activations": list(ACTIVATIONS),
            "regularizations": list(REGULARIZATIONS),
            "learning_rates": list(LEARNING_RATES),
            "regularization_rates": list(REGULARIZATION_RATES),
            "edge_modes": list(EDGE_MODES),
            "max_layers": MAX_LAYERS,
            "max_neurons": MAX_NEURONS,
            "max_batch_size": MAX_BATCH_SIZE,
            "colours": {"positive": POSITIVE_WEIGHT_COLOUR, "negative": NEGATIVE_WEIGHT_COLOUR},
        }
        self.on_msg(self._on_page_message)
        self._publish(points=True)

    # ------------------------------------------------------------------ the state, both ways
    @property
    def state(self) -> PlaygroundState:
        """The settings in use now (a ``PlaygroundState``); assign one (or a dict, or JSON) to change them all."""
        return self._state

    @state.setter
    def state(self, state: PlaygroundState | dict | str) -> None:
        self._apply(_as_state(state))

    def set(self, **changes: Any) -> Playground:
        """Change some settings from code, as the controls would: ``playground.set(data_set="xor")``.

        A refused value raises ``StateError`` and changes nothing.
        """
        self._apply(self._state.replace(**changes))
        return self

    def to_json(self) -> str:
        """Every setting and the seed as one line of JSON (``Playground(text)`` or ``load_json`` reads it)."""
        return self._state.to_json()

    def load_json(self, text: str) -> Playground:
        """Take every setting from a JSON line written by ``to_json``; the run starts again at epoch 0."""
        self._apply(PlaygroundState.from_json(text), rebuild=True)
        return self

    @traitlets.observe("controls")
    def _controls_changed(self, change: dict[str, Any]) -> None:
        if change["new"] == self._state.to_dict():
            return
        values = dict(change["new"])
        problem = values.get("problem")
        if problem != self._state.problem and problem in DATA_SETS and values.get("data_set") == self._state.data_set:
            values["data_set"] = DATA_SETS[problem][0]  # a new problem type starts on its first data set
        try:
            new = PlaygroundState.from_dict(values)
        except StateError as error:
            self.notice = error.sentence(self.language)
            self.controls = self._state.to_dict()  # the page shows again what is in use
            return
        except TypeError as error:
            self.notice = messages.message("playground_refused_json", self.language, reason=str(error))
            self.controls = self._state.to_dict()
            return
        self._apply(new)

    def _apply(self, new: PlaygroundState, rebuild: bool = False) -> None:
        rebuild = rebuild or self._state.rebuilds(new)
        self._state = new
        if rebuild:
            self.run = PlaygroundRun(new)
            self.inspection = ""
        else:
            self.run.update(new)
        self.notice = ""
        self._publish(points=rebuild)

    # ------------------------------------------------------------------ the network
    @property
    def model(self) -> nn.Sequential:
        """The network being trained (an ``nn.Sequential``: save, load, call it as any other)."""
        return self.run.model

    @model.setter
    def model(self, model: nn.Sequential) -> None:
        """Train ``model`` from now on; the hidden-layer and activation controls follow it."""
        hidden, activation = self._describe(model)
        state = self._state.replace(hidden=hidden, activation=activation)
        self._state = state
        self.run.adopt(model, state)
        self._publish()

    def _describe(self, model: Any) -> tuple[list[int], str]:
        """The hidden sizes and activation of a network the playground can show, or a StateError."""
        def refuse(reason: str) -> StateError:
            return StateError("playground_refused_model", reason=reason)

        if not isinstance(model, nn.Sequential):
            raise refuse(f"the playground trains an nn.Sequential, got {type(model).__name__}")
        linears = [m for m in model if isinstance(m, nn.Linear)]
        others = [m for m in model if not isinstance(m, (nn.Linear, nn.Identity))]
        if not linears or linears[0].nin != len(self._state.features) or linears[-1].nout != 1:
            raise refuse(f"it must take the {len(self._state.features)} chosen features and give one output")
        kinds = {_ACTIVATION_OF_MODULE.get(type(m)) for m in others}
        if None in kinds or len(kinds) > 1 or len(others) not in (0, len(linears) - 1):
            raise refuse("every hidden layer must end in the same Tanh, ReLU or Sigmoid, and the output in none")
        if any(a.nout != b.nin for a, b in zip(linears, linears[1:])):
            raise refuse("the layers' sizes do not chain")
        activation = kinds.pop() if kinds else "linear"
        return [layer.nout for layer in linears[:-1]], activation

    # ------------------------------------------------------------------ training
    @property
    def epoch(self) -> int:
        """Epochs trained since the last reset."""
        return self.run.epoch

    def step(self, epochs: int = 1) -> Playground:
        """Train ``epochs`` epochs and show the result (what the step button does, once)."""
        start = time.perf_counter()
        try:
            self.run.step(epochs)
        except nn.TrainingDiverged:
            self.playing = False
            self._publish()
            self.notice = messages.message("playground_diverged", self.language, epoch=self.run.epoch + 1)
            return self
        self._publish(started=start)
        return self

    def reset(self) -> Playground:
        """Back to epoch 0: the same data and the starting weights the seed gives."""
        self._apply(self._state, rebuild=True)
        return self

    def play(self) -> Playground:
        """Start training continuously (the page asks for one epoch per frame)."""
        self.playing = True
        return self

    def pause(self) -> Playground:
        """Stop training continuously."""
        self.playing = False
        return self

    def _on_page_message(self, _widget: Any, content: dict[str, Any], _buffers: list) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "tick":
            if self.playing:
                self.step()
        elif kind == "step":
            self.playing = False
            self.step()
        elif kind == "reset":
            self.reset()
        elif kind == "inspect":
            self.inspect(int(content.get("index", 0)))

    # ------------------------------------------------------------------ inspecting one point
    def inspect(self, index: int = 0) -> BackpropStepper:
        """The backprop stepper on training point ``index`` with the current weights.

        The network is copied onto the scalar engine (``nn.to_scalar``), so every weighted sum,
        activation and the loss is one node; the page shows the stepper below the playground.
        """
        run = self.run
        if not isinstance(index, int) or not 0 <= index < len(run.X_train):
            raise IndexError(f"training point index must be from 0 to {len(run.X_train) - 1}, got {index!r}")
        scalar = nn.to_scalar(run.model)
        inputs = [Value(float(v), label=name) for v, name in zip(run.X_train[index], self._state.features)]
        target = float(run.y_train[index])
        output = scalar(inputs)
        loss = run.loss_fn(output, target, reduction="sum")  # one point: the mean's "/ 1" node adds nothing
        loss.label = "loss"
        stepper = BackpropStepper(loss, model=scalar, language=self.language)
        x1, x2 = run.points_train[index]
        title = messages.message("playground_inspected", self.language, index=index, x1=f"{x1:.2f}",
                                 x2=f"{x2:.2f}", target=f"{target:g}", epoch=run.epoch)
        self.inspection = stepper.html(title)
        return stepper

    # ------------------------------------------------------------------ what the page draws
    def _publish(self, points: bool = False, started: float | None = None) -> None:
        """Send the controls, the numbers of the current frame and, after new data, the points."""
        start = time.perf_counter() if started is None else started
        run = self.run
        with np.errstate(all="ignore"):  # a diverged network still gets drawn (its numbers as they are)
            maps = run.heatmaps(self.resolution)
            gradients = run.gradients()
        blocks = [maps.inputs, *maps.hidden, maps.output[None]]
        # The page's colour scale is [-1, 1]: clip there, and draw what is not a number as 0.
        grids = np.clip(np.nan_to_num(np.concatenate([b.reshape(-1) for b in blocks])), -1, 1).astype(np.float32)
        layers = run.linear_layers()
        frame = {
            "epoch": run.epoch,
            "train_loss": run.train_loss[-1],
            "test_loss": run.test_loss[-1],
            "curve": {"train": _thinned(run.train_loss), "test": _thinned(run.test_loss),
                      "epochs": run.epoch},
            "features": list(self._state.features),
            "layers": [len(self._state.features), *[layer.nout for layer in layers]],
            "weights": [_json_numbers(layer.weight.data) for layer in layers],
            "biases": [_json_numbers(layer.bias.data) for layer in layers],
            "gradients": [_json_numbers(g) for g in gradients],
            "resolution": self.resolution,
            "accuracy": run.accuracy("test") if run.classification else None,
        }
        if not all(math.isfinite(v) for v in (frame["train_loss"], frame["test_loss"])):
            frame["train_loss"] = frame["test_loss"] = None
        self.update_ms = (time.perf_counter() - start) * 1000
        frame["update_ms"] = round(self.update_ms, 2)
        with self.hold_sync():
            if points:
                self.points = {
                    "train": np.column_stack([run.points_train, run.y_train]).round(4).tolist(),
                    "test": np.column_stack([run.points_test, run.y_test]).round(4).tolist(),
                    "classification": run.classification,
                }
            self.controls = self._state.to_dict()
            self.grids = grids.tobytes()
            self.frame = frame

    def __repr__(self) -> str:
        state = self._state
        sizes = "-".join(map(str, [len(state.features), *state.hidden, 1]))
        return (f"Playground({state.data_set}, {sizes} {state.activation}, epoch {self.run.epoch}, "
                f"test loss {self.run.test_loss[-1]:.3f})")

