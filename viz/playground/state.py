"""Everything a playground is set to, in one small object that travels as a JSON string.

The names and ranges follow the TensorFlow Playground: noise and the training ratio are
percentages, the learning and regularisation rates are chosen from the same short lists, at
most six hidden layers of at most eight neurons. ``PlaygroundState`` checks every field, so
a state built from a JSON string a teacher hands out is either valid or refused with a
sentence naming what is wrong.
"""

from __future__ import annotations

import dataclasses
import json
import math
import numbers
from typing import Any

from ..messages import message

#: Data sets per problem type: the name in the state -> the generator in ``nn.data``.
DATA_SETS = {
    "classification": ("circle", "xor", "gauss", "spiral"),
    "regression": ("plane", "multi_gauss"),
}
#: The input features, in the order of the first layer's inputs.
FEATURES = ("x1", "x2", "x1_squared", "x2_squared", "x1_x2", "sin_x1", "sin_x2")
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
REGULARIZATIONS = ("none", "l1", "l2")
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
EDGE_MODES = ("weight", "gradient")
MAX_LAYERS = 6
MAX_NEURONS = 8
MAX_BATCH_SIZE = 30
N_POINTS = 500

#: Fields that change the data or the network: changing one starts a new run at epoch 0.
REBUILDING_FIELDS = frozenset(
    {"problem", "data_set", "noise", "train_ratio", "features", "hidden", "activation", "seed"}
)


class StateError(ValueError):
    """A playground setting that is refused; ``key`` and ``fields`` give the sentence in any language."""

    def __init__(self, key: str, **fields: Any) -> None:
        self.key, self.fields = key, fields
        super().__init__(self.sentence("en"))

    def sentence(self, language: str | None = None) -> str:
        """The refusal as a sentence in ``language`` (default: viz's current language)."""
        fields = dict(self.fields)
        if "field" in fields:  # the control's label, in the same language
            fields["field"] = message(f"playground_{fields['field']}", language)
        return message(self.key, language, **fields)


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def _choice(name: str, value: Any, options: tuple) -> Any:
    if value not in options:
        raise StateError("playground_refused_choice", field=name, value=value, options=", ".join(map(str, options)))
    return value


def _integer(name: str, value: Any, low: int, high: int, step: int = 1) -> int:
    if not _is_int(value) or not low <= value <= high or (value - low) % step:
        raise StateError("playground_refused_integer", field=name, value=value, low=low, high=high, step=step)
    return int(value)


def _rate(name: str, value: Any, options: tuple) -> float:
    if _is_number(value):
        for option in options:
            if math.isclose(value, option, rel_tol=1e-9, abs_tol=1e-12):
                return option
    raise StateError("playground_refused_choice", field=name, value=value, options=", ".join(map(str, options)))


def _hidden(value: Any) -> tuple[int, ...]:
    if not isinstance(value, (list, tuple)):
        raise StateError("playground_refused_hidden", value=value, layers=MAX_LAYERS, neurons=MAX_NEURONS)
    if len(value) > MAX_LAYERS or not all(_is_int(n) and 1 <= n <= MAX_NEURONS for n in value):
        raise StateError("playground_refused_hidden", value=list(value), layers=MAX_LAYERS, neurons=MAX_NEURONS)
    return tuple(int(n) for n in value)


def _features(value: Any) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not value:
        raise StateError("playground_refused_no_feature")
    for name in value:
        _choice("features", name, FEATURES)
    return tuple(name for name in FEATURES if name in value)  # one order, whatever order was given


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise StateError("playground_refused_flag", field=name, value=value)
    return value


@dataclasses.dataclass(frozen=True)
class PlaygroundState:
    """All the controls of a playground and the seed of its data and weights (defaults: the TF Playground's)."""

    problem: str = "classification"
    data_set: str = "circle"
    noise: int = 0  # percent, 0 to 50
    train_ratio: int = 50  # percent of the points used for training, 10 to 90
    batch_size: int = 10
    features: tuple[str, ...] = ("x1", "x2")
    hidden: tuple[int, ...] = (4, 2)
    activation: str = "tanh"
    learning_rate: float = 0.03
    regularization: str = "none"
    regularization_rate: float = 0.0
    show_test_data: bool = False
    discretize: bool = False
    edges: str = "weight"  # what an edge's colour shows: the weight or its gradient
    seed: int = 0

    def __post_init__(self) -> None:
        checked = {
            "problem": _choice("problem", self.problem, tuple(DATA_SETS)),
            "noise": _integer("noise", self.noise, 0, 50, 5),
            "train_ratio": _integer("train_ratio", self.train_ratio, 10, 90, 10),
            "batch_size": _integer("batch_size", self.batch_size, 1, MAX_BATCH_SIZE),
            "features": _features(self.features),
            "hidden": _hidden(self.hidden),
            "activation": _choice("activation", self.activation, ACTIVATIONS),
            "learning_rate": _rate("learning_rate", self.learning_rate, LEARNING_RATES),
            "regularization": _choice("regularization", self.regularization, REGULARIZATIONS),
            "regularization_rate": _rate("regularization_rate", self.regularization_rate, REGULARIZATION_RATES),
            "show_test_data": _flag("show_test_data", self.show_test_data),
            "discretize": _flag("discretize", self.discretize),
            "edges": _choice("edges", self.edges, EDGE_MODES),
            "seed": _integer("seed", self.seed, 0, 2**31 - 1),
        }
        checked["data_set"] = _choice("data_set", self.data_set, DATA_SETS[checked["problem"]])
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    # ------------------------------------------------------------------ conversions
    def to_dict(self) -> dict[str, Any]:
        """The state as plain JSON types (tuples as lists)."""
        return {
            field.name: list(value) if isinstance(value, tuple) else value
            for field in dataclasses.fields(self)
            for value in [getattr(self, field.name)]
        }

    def to_json(self) -> str:
        """The state as one short line of JSON, to hand out or to keep: ``PlaygroundState.from_json`` reads it."""
        return json.dumps(self.to_dict(), separators=(",", ":"))

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> PlaygroundState:
        """A state from a dict of fields; missing fields take their defaults, unknown ones are refused."""
        if not isinstance(values, dict):
            raise StateError("playground_refused_json", reason=f"expected an object, got {type(values).__name__}")
        unknown = sorted(set(values) - {field.name for field in dataclasses.fields(cls)})
        if unknown:
            raise StateError("playground_refused_unknown", names=", ".join(map(str, unknown)))
        return cls(**values)

    @classmethod
    def from_json(cls, text: str) -> PlaygroundState:
        """The state written by ``to_json`` (or by hand: missing fields take their defaults)."""
        try:
            values = json.loads(text)
        except (TypeError, json.JSONDecodeError) as error:
            raise StateError("playground_refused_json", reason=str(error)) from None
        return cls.from_dict(values)

    def replace(self, **changes: Any) -> PlaygroundState:
        """A copy with ``changes`` applied and checked; switching the problem picks its first data set."""
        unknown = sorted(set(changes) - {field.name for field in dataclasses.fields(self)})
        if unknown:
            raise StateError("playground_refused_unknown", names=", ".join(map(str, unknown)))
        problem = changes.get("problem", self.problem)
        if problem != self.problem and "data_set" not in changes and problem in DATA_SETS:
            changes["data_set"] = DATA_SETS[problem][0]
        return dataclasses.replace(self, **changes)

    def rebuilds(self, other: PlaygroundState) -> bool:
        """Whether going from this state to ``other`` needs new data or a new network."""
        return any(getattr(self, name) != getattr(other, name) for name in REBUILDING_FIELDS)
