"""Layers on the tensor engine: each takes a batch (a ``Tensor`` whose first axis is the example).

``Linear`` holds the parameters; ``Dropout`` and ``Flatten`` have none (nor have the activation
modules of ``nn.activations``); ``Sequential`` chains modules; ``tensor_mlp`` builds the same
network as the scalar ``nn.MLP``::

    model = nn.tensor_mlp(2, [16, 16, 1], activation="relu", seed=0)
    scores = model(Tensor(X))          # X: (examples, 2)  ->  scores: (examples, 1)

``Linear`` stores its weight as PyTorch does, (outputs × inputs), and computes
``x @ weight.T + bias`` as one node (``autograd.linear``). The weights of output unit j are the
weights of neuron j of the scalar ``Layer``.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from autograd import Tensor, linear

from .activations import DEFAULT_ACTIVATION, ActivationLike, activation_module, parse_activation
from .init import Initializer, RngLike, get_initializer, make_rng
from .module import Module, layer_sizes, tensor_input

__all__ = ["Dropout", "Flatten", "Linear", "Sequential", "mlp", "tensor_mlp"]

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _check_dtype(dtype: Any) -> np.dtype:
    dtype = np.dtype(dtype)
    if dtype not in FLOAT_DTYPES:
        raise TypeError(f"parameters must be float32 or float64, got {dtype}")
    return dtype


# ---------------------------------------------------------------------- layers with parameters
class Linear(Module):
    """A fully connected layer: ``x @ weight.T + bias`` with weight (nout × nin) and bias (nout,).

    The weights come from ``init``\\ ``((nin, nout), rng)`` (see ``nn.init``), the bias starts at 0.
    ``dtype`` is float32 (fast, the default of ``Tensor``) or float64 (for checking gradients).
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        bias: bool = True,
        *,
        init: str | Initializer = "xavier_uniform",
        rng: RngLike = None,
        dtype: Any = np.float32,
    ) -> None:
        for name, n in (("nin", nin), ("nout", nout)):
            if not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError(f"Linear needs {name} >= 1, got {n!r}")
        dtype = _check_dtype(dtype)
        drawn = get_initializer(init)((int(nin), int(nout)), make_rng(rng))
        self.weight = Tensor(np.ascontiguousarray(drawn.T, dtype=dtype), requires_grad=True, label="weight")
        self.bias = Tensor(np.zeros(nout, dtype=dtype), requires_grad=True, label="bias") if bias else None

    @classmethod
    def from_arrays(cls, weight: Any, bias: Any = None, dtype: Any = None) -> Linear:
        """A Linear layer holding copies of ``weight`` (nout × nin) and ``bias`` (nout,), or no bias."""
        if dtype is None:
            given = np.asarray(weight).dtype
            dtype = given if given in FLOAT_DTYPES else np.float64
        weight = np.array(weight, dtype=dtype)
        if weight.ndim != 2:
            raise ValueError(f"weight must be a matrix (nout × nin), got shape {weight.shape}")
        _check_dtype(weight.dtype)
        layer = cls.__new__(cls)
        layer.weight = Tensor(weight, requires_grad=True, label="weight")
        layer.bias = None
        if bias is not None:
            bias = np.array(bias, dtype=weight.dtype)
            if bias.shape != (weight.shape[0],):
                raise ValueError(f"bias must have shape {(weight.shape[0],)}, got {bias.shape}")
            layer.bias = Tensor(bias, requires_grad=True, label="bias")
        return layer

    @property
    def nin(self) -> int:
        """The number of inputs."""
        return self.weight.shape[1]

    @property
    def nout(self) -> int:
        """The number of outputs."""
        return self.weight.shape[0]

    def forward(self, x: Tensor) -> Tensor:
        """Outputs for a batch ``x`` of shape (examples, nin), or one example of shape (nin,)."""
        x = tensor_input(x, "Linear")
        try:
            return linear(x, self.weight, self.bias)
        except ValueError:
            if x.ndim == 0 or x.shape[-1] != self.nin:  # said in the layer's terms
                raise ValueError(f"Linear({self.nin}, {self.nout}) takes inputs of shape (..., {self.nin}), "
                                 f"got {x.shape}") from None
            raise

    def extra_repr(self) -> str:
        return f"{self.nin}, {self.nout}, bias={self.bias is not None}, dtype={self.weight.dtype}"


# ---------------------------------------------------------------------- other modules
class Dropout(Module):
    """In training, zero each number with probability ``p`` and scale the rest by 1/(1 - p); in eval, do nothing.

    The scaling keeps the expected output the same in both modes. The masks are drawn from
    ``rng`` (a ``np.random.Generator``, or a seed), so a run reproduces exactly.
    """

    def __init__(self, p: float = 0.5, rng: RngLike = None) -> None:
        if isinstance(p, bool) or not isinstance(p, numbers.Real):
            raise TypeError(f"Dropout probability must be a number in [0, 1], got {type(p).__name__}: {p!r}")
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout probability must be in [0, 1], got {p}")
        self.p = float(p)
        self.rng = make_rng(rng)

    def forward(self, x: Tensor) -> Tensor:
        x = tensor_input(x, "Dropout")
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return x * 0.0
        keep = self.rng.random(x.shape) >= self.p
        return x * (keep.astype(x.dtype) / (1.0 - self.p))

    def extra_repr(self) -> str:
        return f"p={self.p}"


class Flatten(Module):
    """Merge every axis after the first into one: (examples, 8, 8) → (examples, 64)."""

    def __init__(self, start_axis: int = 1) -> None:
        self.start_axis = int(start_axis)

    def forward(self, x: Tensor) -> Tensor:
        return tensor_input(x, "Flatten").flatten(self.start_axis)

    def extra_repr(self) -> str:
        return f"start_axis={self.start_axis}"


class Sequential(Module):
    """Modules applied one after the other: ``Sequential(Linear(2, 16), ReLU(), Linear(16, 1))``."""

    def __init__(self, *modules: Module) -> None:
        for i, module in enumerate(modules):
            if not isinstance(module, Module):
                raise TypeError(f"Sequential takes modules, argument {i} is {type(module).__name__}")
        self.layers = list(modules)

    def forward(self, x: Tensor) -> Tensor:
        for module in self.layers:
            x = module(x)
        return x

    def append(self, module: Module) -> Sequential:
        """Add a module at the end; returns the Sequential."""
        if not isinstance(module, Module):
            raise TypeError(f"Sequential takes modules, got {type(module).__name__}")
        self.layers.append(module)
        return self

    def __getitem__(self, index: int | slice) -> Module | Sequential:
        if isinstance(index, slice):
            return Sequential(*self.layers[index])
        return self.layers[index]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)


# ---------------------------------------------------------------------- the MLP builder
def tensor_mlp(
    nin: int,
    sizes: Sequence[int],
    activation: ActivationLike = DEFAULT_ACTIVATION,
    output_activation: ActivationLike = None,
    *,
    init: str | Initializer = "xavier_uniform",
    rng: RngLike = None,
    seed: int | None = None,
    dtype: Any = np.float32,
    dropout: float = 0.0,
) -> Sequential:
    """An MLP on the tensor engine, a ``Sequential`` of ``Linear`` layers and activation modules:
    ``tensor_mlp(2, [16, 16, 1])``.

    The arguments mean what they mean for the scalar ``nn.MLP``, and with the same ``init`` and
    seed (or generator) the weights are the same numbers (in float64; float32 rounds them).
    No module is added for an identity activation. ``dropout > 0`` puts a ``Dropout`` after
    every hidden activation, drawing its masks from the same generator (after the weights).
    """
    if rng is not None and seed is not None:
        raise TypeError("give either rng or seed, not both")
    sizes = layer_sizes(sizes, "tensor_mlp")
    activation, output_activation = parse_activation(activation), parse_activation(output_activation)
    generator = make_rng(seed if rng is None else rng)
    modules: list[Module] = []
    n_in = nin
    for i, n_out in enumerate(sizes):
        last = i == len(sizes) - 1
        spec = parse_activation(output_activation if last else activation)
        modules.append(Linear(n_in, n_out * spec.units_per_output, init=init, rng=generator, dtype=dtype))
        if spec.name != "identity":
            modules.append(activation_module(spec))
        if dropout and not last:
            modules.append(Dropout(dropout, rng=generator))
        n_in = n_out
    return Sequential(*modules)


#: The tensor MLP builder under its first, shorter name (the course notebooks use it).
mlp = tensor_mlp
