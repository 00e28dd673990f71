"""Activation functions: their names, shared by the scalar and the tensor networks, and their modules.

An activation is named by a string, or by a ``(name, options)`` pair for the ones with a
setting::

    "tanh"    "sigmoid"    "relu"    "identity"    "softmax"
    ("leaky_relu", {"alpha": 0.1})    ("elu", {"alpha": 1.0})    ("maxout", {"k": 3})

``identity`` (also ``"linear"`` or ``None``) leaves its input unchanged. ``maxout`` takes the
largest of each group of ``k`` consecutive units, so a Maxout layer of width ``h`` computes
``h * k`` weighted sums. ``softmax`` turns a whole layer's outputs into probabilities.
Parsing them in one place is what lets ``nn.MLP`` and ``nn.tensor_mlp`` build the same network.

On the tensor engine each activation is also a module (``ReLU()``, ``Maxout(3)``, ...), made from
its name by ``activation_module`` and named back by ``activation_spec``. (The scalar engine's
neurons apply theirs directly: ``nn.scalar``.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

import numpy as np

from autograd import Tensor

from .module import Module, tensor_input

__all__ = [
    "ACTIVATIONS",
    "DEFAULT_ACTIVATION",
    "ELU",
    "ActivationLike",
    "ActivationSpec",
    "Identity",
    "LeakyReLU",
    "Maxout",
    "ReLU",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "activation_module",
    "activation_spec",
    "parse_activation",
]

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


# ---------------------------------------------------------------------- the modules (tensor engine)
class Identity(Module):
    """Returns its input unchanged."""

    def forward(self, x: Tensor) -> Tensor:
        return x


class Sigmoid(Module):
    """σ(x) = 1 / (1 + e⁻ˣ), element-wise."""

    def forward(self, x: Tensor) -> Tensor:
        return tensor_input(x, "Sigmoid").sigmoid()


class Tanh(Module):
    """tanh(x), element-wise."""

    def forward(self, x: Tensor) -> Tensor:
        return tensor_input(x, "Tanh").tanh()


class ReLU(Module):
    """max(0, x), element-wise."""

    def forward(self, x: Tensor) -> Tensor:
        return tensor_input(x, "ReLU").relu()


class LeakyReLU(Module):
    """x for x > 0, else alpha·x."""

    def __init__(self, alpha: float = 0.01) -> None:
        self.alpha = float(alpha)

    def forward(self, x: Tensor) -> Tensor:
        return tensor_input(x, "LeakyReLU").leaky_relu(self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class ELU(Module):
    """x for x > 0, else alpha·(eˣ - 1)."""

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = float(alpha)

    def forward(self, x: Tensor) -> Tensor:
        return tensor_input(x, "ELU").elu(self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class Maxout(Module):
    """The largest of each group of ``k`` consecutive features: (…, m·k) → (…, m).

    Put it after a ``Linear`` layer with ``k`` times as many outputs as the Maxout layer has.
    """

    def __init__(self, k: int = 2) -> None:
        if not isinstance(k, (int, np.integer)) or k < 1:
            raise ValueError(f"Maxout needs a group size k >= 1, got {k!r}")
        self.k = int(k)

    def forward(self, x: Tensor) -> Tensor:
        x = tensor_input(x, "Maxout")
        if x.ndim == 0:
            raise ValueError(f"Maxout(k={self.k}) groups the features on the last axis; got a Tensor of shape ()")
        width = x.shape[-1]
        if width % self.k:
            raise ValueError(f"Maxout(k={self.k}) needs a last axis that is a multiple of {self.k}, got {x.shape}")
        groups = x.reshape(x.shape[:-1] + (width // self.k, self.k))
        return groups.max(axis=-1)

    def extra_repr(self) -> str:
        return f"k={self.k}"


class Softmax(Module):
    """exp(x_i) / Σ_j exp(x_j) along ``axis`` (the features, by default): probabilities that add up to 1."""

    def __init__(self, axis: int = -1) -> None:
        if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
            raise TypeError(f"Softmax axis must be an int, got {type(axis).__name__}: {axis!r}")
        self.axis = int(axis)

    def forward(self, x: Tensor) -> Tensor:
        return tensor_input(x, "Softmax").softmax(axis=self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


def activation_module(activation: ActivationLike) -> Module:
    """The module of an activation named as in ``nn.activations`` (``"relu"``, ``("maxout", {"k": 3})``, ...)."""
    spec = parse_activation(activation)
    modules = {
        "identity": Identity,
        "sigmoid": Sigmoid,
        "tanh": Tanh,
        "relu": ReLU,
        "leaky_relu": lambda: LeakyReLU(spec.options["alpha"]),
        "elu": lambda: ELU(spec.options["alpha"]),
        "maxout": lambda: Maxout(int(spec.options["k"])),
        "softmax": Softmax,
    }
    return modules[spec.name]()


def activation_spec(module: Module) -> ActivationSpec | None:
    """The ``ActivationSpec`` of an activation module (None for any other module); the inverse of the above."""
    simple = {Identity: "identity", Sigmoid: "sigmoid", Tanh: "tanh", ReLU: "relu"}
    if type(module) in simple:
        return parse_activation(simple[type(module)])
    if isinstance(module, LeakyReLU):
        return parse_activation(("leaky_relu", {"alpha": module.alpha}))
    if isinstance(module, ELU):
        return parse_activation(("elu", {"alpha": module.alpha}))
    if isinstance(module, Maxout):
        return parse_activation(("maxout", {"k": module.k}))
    if isinstance(module, Softmax) and module.axis == -1:
        return parse_activation("softmax")
    return None
