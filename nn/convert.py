"""Move a model between the engines, and to PyTorch and back, weights copied exactly.

``to_tensor(mlp)`` turns a scalar ``nn.MLP`` into the tensor ``Sequential`` that ``nn.tensor_mlp`` would
build, holding the same numbers; ``to_scalar(sequential)`` goes back. Because the two compute
the same function, a learner can check one engine against the other::

    scalar = nn.MLP(2, [4, 1], activation="tanh", seed=0)
    tensor = nn.to_tensor(scalar)             # float64 by default, for exact comparisons
    scalar([0.5, -1.0]).data  ==  tensor(Tensor([[0.5, -1.0]])).item()   # up to rounding

Neuron j of a scalar ``Layer`` is row j of the ``Linear`` weight (outputs × inputs).

``to_torch(model)`` gives the ``torch.nn.Sequential`` of the same layers and weights (either
engine's model), ``from_torch(module)`` the tensor ``Sequential`` of a PyTorch one: training
can go on in PyTorch from weights learnt here, or come back. PyTorch is needed only by these two.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .activations import (
    ELU,
    Identity,
    LeakyReLU,
    Maxout,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
    activation_module,
    activation_spec,
    parse_activation,
)
from .layers import Dropout, Flatten, Linear, Sequential
from .module import Module
from .scalar import MLP, Layer

__all__ = ["from_torch", "to_scalar", "to_tensor", "to_torch", "torch_maxout"]


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


# ---------------------------------------------------------------------- PyTorch
# torch is optional: it is imported inside these functions, never when nn is imported.
def _torch() -> Any:
    try:
        import torch
    except ImportError:
        raise ImportError("to_torch/from_torch need PyTorch: pip install torch") from None
    return torch


_TORCH_MAXOUT: dict[str, type] = {}


def torch_maxout() -> type:
    """The ``torch.nn.Module`` class standing for ``nn.Maxout`` (PyTorch has none): the max of each group of ``k``.

    ``to_torch`` uses it, and ``from_torch`` reads it back. It groups the last axis as ``Maxout``
    does, so ``Maxout(k)(x)`` and ``torch_maxout()(k)(x)`` are the same numbers.
    """
    if "class" not in _TORCH_MAXOUT:
        torch = _torch()

        class Maxout(torch.nn.Module):
            """The largest of each group of ``k`` consecutive features: (…, m·k) → (…, m)."""

            def __init__(self, k: int = 2) -> None:
                super().__init__()
                self.k = int(k)

            def forward(self, x: Any) -> Any:
                return x.unflatten(-1, (x.shape[-1] // self.k, self.k)).max(dim=-1).values

            def extra_repr(self) -> str:
                return f"k={self.k}"

        _TORCH_MAXOUT["class"] = Maxout
    return _TORCH_MAXOUT["class"]


def _module_to_torch(module: Module, position: str) -> Any:
    torch = _torch()
    if isinstance(module, Sequential):
        return torch.nn.Sequential(
            *(_module_to_torch(m, f"{position}.{i}" if position else str(i)) for i, m in enumerate(module))
        )
    if isinstance(module, Linear):
        weight = module.weight.data
        converted = torch.nn.Linear(
            module.nin, module.nout, bias=module.bias is not None, dtype=getattr(torch, str(weight.dtype))
        )
        with torch.no_grad():
            converted.weight.copy_(torch.from_numpy(np.array(weight)))
            if module.bias is not None:
                converted.bias.copy_(torch.from_numpy(np.array(module.bias.data)))
        return converted
    if isinstance(module, Dropout):
        return torch.nn.Dropout(module.p)
    if isinstance(module, Flatten):
        return torch.nn.Flatten(start_dim=module.start_axis)
    if isinstance(module, Softmax):
        return torch.nn.Softmax(dim=module.axis)
    spec = activation_spec(module)
    if spec is None:
        where = f"module {position} ({type(module).__name__})" if position else type(module).__name__
        raise ValueError(f"{where} has no PyTorch counterpart; to_torch converts the layers of nn.layers")
    simple = {"identity": torch.nn.Identity, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}
    if spec.name in simple:
        return simple[spec.name]()
    if spec.name == "leaky_relu":
        return torch.nn.LeakyReLU(negative_slope=spec.options["alpha"])
    if spec.name == "elu":
        return torch.nn.ELU(alpha=spec.options["alpha"])
    return torch_maxout()(int(spec.options["k"]))  # the only one left


def to_torch(model: MLP | Module) -> Any:
    """A ``torch.nn.Module`` computing what ``model`` computes, holding copies of its weights.

    ``model`` is a scalar ``nn.MLP`` (it becomes float64 weights) or a tensor-engine model: a
    ``Sequential`` of ``Linear``, activations (``Maxout`` as ``nn.torch_maxout()``),
    ``Dropout`` and ``Flatten``, or one such module. The result is a ``torch.nn.Sequential``
    (or the one module), with the weights' dtype and the model's train/eval mode. Linear's
    weight is (outputs × inputs) in both libraries, so ``state_dict`` numbers line up.
    """
    if isinstance(model, Layer):
        model = MLP.from_layers([model])
    if isinstance(model, MLP):
        model = to_tensor(model)
    if not isinstance(model, Module):
        raise TypeError(
            f"to_torch takes an nn.MLP or a tensor-engine module such as nn.Sequential, got {type(model).__name__}"
        )
    converted = _module_to_torch(model, "")
    converted.train(model.training)
    return converted


def _module_from_torch(module: Any, position: str, dtype: Any) -> Module:
    torch = _torch()
    where = f"module {position} ({type(module).__name__})" if position else type(module).__name__
    if isinstance(module, torch.nn.Sequential):
        return Sequential(
            *(_module_from_torch(m, f"{position}.{i}" if position else str(i), dtype) for i, m in enumerate(module))
        )
    if isinstance(module, torch.nn.Linear):
        weight = module.weight.detach().cpu().numpy()
        bias = None if module.bias is None else module.bias.detach().cpu().numpy()
        if weight.dtype not in (np.float32, np.float64) and dtype is None:
            raise TypeError(f"{where} holds {weight.dtype} weights; nn keeps float32 or float64 (pass dtype=)")
        return Linear.from_arrays(weight, bias, dtype=dtype or weight.dtype)
    simple = {torch.nn.Identity: Identity, torch.nn.Sigmoid: Sigmoid, torch.nn.Tanh: Tanh, torch.nn.ReLU: ReLU}
    if type(module) in simple:
        return simple[type(module)]()
    if isinstance(module, torch.nn.LeakyReLU):
        return LeakyReLU(module.negative_slope)
    if isinstance(module, torch.nn.ELU):
        return ELU(module.alpha)
    if isinstance(module, torch.nn.Softmax):
        if module.dim is None:
            raise ValueError(f"{where} has no dim; give it one, e.g. torch.nn.Softmax(dim=-1)")
        return Softmax(module.dim)
    if isinstance(module, torch.nn.Dropout):
        return Dropout(module.p)
    if isinstance(module, torch.nn.Flatten):
        if module.end_dim != -1:
            raise ValueError(f"{where} ends at dim {module.end_dim}; nn.Flatten merges every axis after start_dim")
        return Flatten(module.start_dim)
    if isinstance(module, torch_maxout()):
        return Maxout(module.k)
    raise ValueError(
        f"{where} has no counterpart in nn; from_torch reads Sequential, Linear, Identity, Sigmoid, Tanh, ReLU, "
        "LeakyReLU, ELU, Softmax, Dropout, Flatten and nn.torch_maxout()"
    )


def from_torch(module: Any, dtype: Any = None) -> Module:
    """The tensor-engine model of a ``torch.nn.Module``, holding copies of its weights: the way back from ``to_torch``.

    ``module`` is a ``torch.nn.Sequential`` (nested ones too) of the layer types nn has, or one
    of them; anything else is refused, naming it. The weights keep their dtype unless ``dtype``
    is given (float32 or float64), and the train/eval mode is kept. For the scalar engine, follow
    with ``nn.to_scalar``: ``nn.to_scalar(nn.from_torch(module))``.
    """
    torch = _torch()
    if not isinstance(module, torch.nn.Module):
        raise TypeError(f"from_torch takes a torch.nn.Module, got {type(module).__name__}")
    converted = _module_from_torch(module, "", dtype)
    converted.train(module.training)
    return converted
