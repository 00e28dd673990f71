"""Move an MLP between the engines, weights copied exactly.

``to_tensor(mlp)`` turns a scalar ``nn.MLP`` into the tensor ``Sequential`` that ``nn.mlp`` would
build, holding the same numbers; ``to_scalar(sequential)`` goes back. Because the two compute
the same function, a learner can check one engine against the other::

    scalar = nn.MLP(2, [4, 1], activation="tanh", seed=0)
    tensor = nn.to_tensor(scalar)             # float64 by default, for exact comparisons
    scalar([0.5, -1.0]).data  ==  tensor(Tensor([[0.5, -1.0]])).item()   # up to rounding

Neuron j of a scalar ``Layer`` is row j of the ``Linear`` weight (outputs × inputs).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .activations import Identity, activation_module, activation_spec, parse_activation
from .layers import Dropout, Linear, Sequential
from .scalar import MLP, Layer

__all__ = ["to_scalar", "to_tensor"]


def to_tensor(model: MLP, dtype: Any = np.float64) -> Sequential:
    """The tensor ``Sequential`` with the weights, biases and activations of the scalar ``model``."""
    if not isinstance(model, MLP):
        raise TypeError(f"to_tensor takes a scalar nn.MLP, got {type(model).__name__}")
    modules = []
    for layer in model.layers:
        modules.append(Linear.from_arrays(layer.weight_matrix().T, layer.bias_vector(), dtype=dtype))
        if layer.activation.name != "identity":
            modules.append(activation_module(layer.activation))
    return Sequential(*modules)


def to_scalar(model: Sequential, fused: bool = True) -> MLP:
    """The scalar ``nn.MLP`` with the weights, biases and activations of a tensor ``Sequential``.

    ``model`` must be ``Linear`` layers, each followed by at most one activation module
    (``Identity`` modules are skipped). Dropout has no scalar counterpart and is refused.
    Float32 weights become the float64 numbers they are exactly; a Linear without bias gets biases of 0.
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"to_scalar takes an nn.Sequential, got {type(model).__name__}")
    groups: list[list] = []  # [Linear, activation spec]
    for position, module in enumerate(model):
        if isinstance(module, Identity):
            continue
        if isinstance(module, Linear):
            groups.append([module, parse_activation("identity")])
            continue
        if isinstance(module, Dropout):
            raise ValueError(f"module {position} is Dropout, which the scalar MLP does not have; build it without")
        spec = activation_spec(module)
        if spec is None:
            raise ValueError(f"module {position} ({type(module).__name__}) has no scalar counterpart")
        if not groups or groups[-1][1].name != "identity":
            raise ValueError(f"module {position} ({type(module).__name__}) must follow a Linear layer directly")
        groups[-1][1] = spec
    if not groups:
        raise ValueError("the Sequential holds no Linear layer")
    layers = []
    for linear, spec in groups:
        units = linear.nout
        k = spec.units_per_output
        if units % k:
            raise ValueError(f"Maxout(k={k}) after a Linear layer with {units} outputs: not a multiple of {k}")
        weights = linear.weight.data.astype(np.float64).T
        biases = np.zeros(units) if linear.bias is None else linear.bias.data.astype(np.float64)
        layers.append(Layer(linear.nin, units // k, spec, weights=weights, biases=biases, fused=fused))
    return MLP.from_layers(layers)
