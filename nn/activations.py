"""The names of the activation functions, shared by the scalar and the tensor networks.

An activation is named by a string, or by a ``(name, options)`` pair for the ones with a
setting::

    "tanh"    "sigmoid"    "relu"    "identity"    "softmax"
    ("leaky_relu", {"alpha": 0.1})    ("elu", {"alpha": 1.0})    ("maxout", {"k": 3})

``identity`` (also ``"linear"`` or ``None``) leaves its input unchanged. ``maxout`` takes the
largest of each group of ``k`` consecutive units, so a Maxout layer of width ``h`` computes
``h * k`` weighted sums. ``softmax`` turns a whole layer's outputs into probabilities.
Parsing them in one place is what lets ``nn.MLP`` and ``nn.mlp`` build the same network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

__all__ = ["ACTIVATIONS", "DEFAULT_ACTIVATION", "ActivationLike", "ActivationSpec", "parse_activation"]

#: Each activation with its options and their defaults.
ACTIVATIONS: dict[str, dict[str, float]] = {
    "identity": {},
    "sigmoid": {},
    "tanh": {},
    "relu": {},
    "leaky_relu": {"alpha": 0.01},
    "elu": {"alpha": 1.0},
    "maxout": {"k": 2},
    "softmax": {},
}

#: The activation of hidden layers (and of a lone neuron) unless one is given: ReLU, as in micrograd and the course.
DEFAULT_ACTIVATION = "relu"

#: Applied to each number on its own (the others look at a whole layer).
ELEMENTWISE = ("identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu")

ActivationLike = Union[str, tuple, "ActivationSpec", None]


@dataclass(frozen=True)
class ActivationSpec:
    """An activation's name and its options (defaults filled in)."""

    name: str
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def elementwise(self) -> bool:
        """True when each unit is activated on its own (not maxout or softmax)."""
        return self.name in ELEMENTWISE

    @property
    def units_per_output(self) -> int:
        """How many weighted sums make one output: ``k`` for maxout, else 1."""
        return int(self.options["k"]) if self.name == "maxout" else 1

    def describe(self) -> str:
        """``name`` or ``name(option=value)``, for printing."""
        if not self.options:
            return self.name
        return f"{self.name}({', '.join(f'{key}={value}' for key, value in self.options.items())})"


def parse_activation(activation: ActivationLike) -> ActivationSpec:
    """Turn ``"relu"``, ``("leaky_relu", {"alpha": 0.1})``, None, ... into an ``ActivationSpec``."""
    if isinstance(activation, ActivationSpec):
        return activation
    if activation is None or activation == "linear":
        return ActivationSpec("identity")
    options: dict = {}
    if isinstance(activation, tuple):
        if len(activation) != 2 or not isinstance(activation[1], dict):
            raise TypeError(f"an activation with options is a (name, dict) pair, got {activation!r}")
        activation, options = activation
    if not isinstance(activation, str):
        raise TypeError(f"activation must be a name such as 'tanh', got {type(activation).__name__}: {activation!r}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {sorted(ACTIVATIONS)}")
    defaults = ACTIVATIONS[activation]
    unknown = sorted(set(options) - set(defaults))
    if unknown:
        raise ValueError(f"activation {activation!r} has no option {unknown}; its options are {sorted(defaults)}")
    merged = {**defaults, **options}
    if activation == "maxout" and (not float(merged["k"]).is_integer() or merged["k"] < 1):
        raise ValueError(f"maxout's k must be a positive int, got {merged['k']!r}")
    return ActivationSpec(activation, merged)
