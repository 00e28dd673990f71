"""Neurons, layers and MLPs built from scalar ``Value``s, so that every number can be seen.

A ``Neuron`` computes ``activation(w·x + b)``; a ``Layer`` is a list of neurons that all see the
same inputs; an ``MLP`` feeds each layer's outputs to the next. The defaults are micrograd's
(and the course's): hidden neurons use ReLU, the last layer of an MLP is linear (raw scores)
unless ``output_activation`` says otherwise. micrograd's ``nonlin=True/False`` is accepted too,
meaning ``activation="relu"``/``"identity"``.

The weights come from a NumPy generator, seeded with 0 unless given: ``MLP(2, [16, 1], seed=1)``
or ``rng=np.random.default_rng(1)``. Python's ``random.seed`` has no effect on them.

What comes out, as in micrograd:

- ``Neuron`` returns one ``Value``;
- ``Layer`` returns a list of ``Value``s, or the ``Value`` itself when it has a single output;
- ``MLP`` returns what its last layer returns (a single ``Value`` for a score or a regression output).

A layer with one output passes its ``Value`` on, and a layer with one input takes it.

The weighted sum ``w·x + b`` is computed in one place, ``Neuron.weighted_sum``. By default it is
one node of the graph (``fused=True``) whose local derivatives are ∂/∂w_i = x_i, ∂/∂x_i = w_i and
∂/∂b = 1, summed in micrograd's order ``b + w1*x1 + w2*x2 + ...``; with ``fused=False`` it is
built node by node as ``w1*x1 + w2*x2 + ... + b``, which is slower but draws every
multiplication and addition of the lecture.
"""

from __future__ import annotations

import gc
import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

import autograd
from autograd import Value

from .activations import DEFAULT_ACTIVATION, ActivationLike, ActivationSpec, parse_activation
from .collector import collector_paused
from .init import Initializer, RngLike, get_initializer, make_rng
from .module import Module, layer_sizes

__all__ = ["MLP", "Layer", "Neuron", "apply_activation"]

Number = int | float


def apply_activation(spec: ActivationLike, values: list) -> list:
    """Apply an activation to a layer's weighted sums (a list of ``Value``s); returns a list.

    Element-wise activations call the ``Value`` method of the same name; ``maxout`` takes
    ``autograd.max`` of each group of ``k`` consecutive values; ``softmax`` uses ``autograd.softmax``.
    """
    spec = parse_activation(spec)
    if spec.name == "identity":
        return list(values)
    if spec.elementwise:
        method = spec.name
        return [getattr(v, method)(**spec.options) for v in values]
    if spec.name == "maxout":
        k = spec.units_per_output
        if len(values) % k:
            raise ValueError(f"maxout with k={k} needs a multiple of {k} inputs, got {len(values)}")
        return [autograd.max(values[i : i + k]) for i in range(0, len(values), k)]
    return autograd.softmax(values)  # the only layer-wide activation left


def _neuron_activation(activation: ActivationLike, nonlin: bool | None) -> ActivationLike:
    """The activation named by ``activation`` or, in micrograd's spelling, by ``nonlin`` (True: ReLU, False: none)."""
    if nonlin is None:
        return activation
    if not isinstance(nonlin, (bool, np.bool_)):
        shown = f"{type(nonlin).__name__}: {nonlin!r}"
        raise TypeError(f"nonlin is True (ReLU) or False (linear), as in micrograd; got {shown}")
    if parse_activation(activation) != parse_activation(DEFAULT_ACTIVATION):
        raise TypeError(f"give activation={activation!r} or nonlin={nonlin!r}, not both")
    return DEFAULT_ACTIVATION if nonlin else "identity"


def _as_inputs(x: Any, nin: int, who: str) -> list:
    """Check the input of a neuron/layer/MLP: ``nin`` numbers or ``Value``s (a list, tuple or 1-D array)."""
    if isinstance(x, np.ndarray):
        if x.ndim != 1:
            raise ValueError(f"{who} takes one example: a 1-D input of {nin} numbers, got an array of shape {x.shape}")
        x = x.tolist()
    elif isinstance(x, (Value, int, float)) and nin == 1:
        x = [x]
    elif not isinstance(x, (list, tuple)):
        raise TypeError(f"{who} takes a list of {nin} numbers or Values, got {type(x).__name__}")
    if len(x) != nin:
        raise ValueError(f"{who} expects {nin} inputs, got {len(x)}")
    for i, v in enumerate(x):
        if not isinstance(v, (Value, numbers.Real)):
            raise TypeError(f"{who}: input {i} must be a number or a Value, got {type(v).__name__}: {v!r}")
    inputs = [v if isinstance(v, Value) else float(v) for v in x]
    for i, v in enumerate(inputs):
        if type(v) is float and not math.isfinite(v):
            raise ValueError(f"{who}: input {i} is {v}; inputs must be finite numbers")
    return inputs


class _ScalarModule(Module):
    """A module of ``Value``s: a call builds its graph with the cyclic garbage collector paused.

    The graph holds no reference cycles, so the collector has nothing to free in it, yet it
    would walk every node made so far again and again (see ``nn.collector``). Only the
    outermost call pauses it: the calls inside find it paused already.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if gc.isenabled():  # asked here too: the calls inside then skip the context manager's cost
            with collector_paused():
                return self.forward(*args, **kwargs)
        return self.forward(*args, **kwargs)


class Neuron(_ScalarModule):
    """One neuron: ``activation(w·x + b)`` with ``nin`` weights ``w`` and a bias ``b``, all ``Value``s.

    ``weights`` (``nin`` numbers) and ``bias`` set the parameters directly; otherwise the
    weights come from ``init`` with the generator ``rng`` (see ``nn.init``) and the bias is 0.
    ``activation`` (ReLU unless given) must act on each number alone (``"tanh"``, ``"relu"``,
    ...); the layer-wide ones (maxout, softmax) belong to a ``Layer``. ``nonlin`` is micrograd's
    way to say it: True for ReLU, False for none (a linear neuron).
    """

    def __init__(
        self,
        nin: int,
        activation: ActivationLike = DEFAULT_ACTIVATION,
        *,
        nonlin: bool | None = None,
        weights: Sequence[Number] | None = None,
        bias: Number = 0.0,
        init: str | Initializer = "xavier_uniform",
        rng: RngLike = None,
        fused: bool = True,
    ) -> None:
        if not isinstance(nin, (int, np.integer)) or nin < 1:
            raise ValueError(f"a neuron needs at least one input, got nin={nin!r}")
        self.activation: ActivationSpec = parse_activation(_neuron_activation(activation, nonlin))
        if not self.activation.elementwise:
            raise ValueError(f"{self.activation.name} acts on a whole layer; give it to Layer or MLP, not Neuron")
        if weights is None:
            weights = get_initializer(init)((int(nin), 1), make_rng(rng))[:, 0]
        if len(weights) != nin:
            raise ValueError(f"a neuron with nin={nin} needs {nin} weights, got {len(weights)}")
        self.w = [Value(float(wi), label=f"w{i + 1}") for i, wi in enumerate(weights)]
        self.b = Value(float(bias), label="b")
        self.fused = fused

    @property
    def nin(self) -> int:
        """The number of inputs."""
        return len(self.w)

    def weighted_sum(self, x: Sequence) -> Value:
        """w·x + b: one node when ``fused``, else ``w1*x1 + w2*x2 + ... + b`` node by node."""
        if self.fused:
            return autograd.weighted_sum(self.w, x, self.b)
        total = self.w[0] * x[0]
        for w, xi in zip(self.w[1:], x[1:]):
            total = total + w * xi
        return total + self.b

    def activate(self, total: Value) -> Value:
        """The activation applied to a weighted sum (the identity adds no node)."""
        if self.activation.name == "identity":
            return total
        return getattr(total, self.activation.name)(**self.activation.options)

    def forward(self, x: Sequence[Value | Number]) -> Value:
        """The neuron's output for one example ``x`` (``nin`` numbers or ``Value``s)."""
        x = _as_inputs(x, self.nin, "Neuron")
        return self.activate(self.weighted_sum(x))

    def extra_repr(self) -> str:
        return f"{self.nin}, activation={self.activation.describe()!r}"


class Layer(_ScalarModule):
    """``nout`` neurons that see the same inputs: a list of ``nout`` ``Value``s, one ``Value`` if ``nout == 1``.

    A single output comes back as the ``Value`` itself, as in micrograd. Element-wise
    activations (ReLU unless given; ``nonlin`` as for ``Neuron``) are applied by each neuron.
    For ``maxout`` the layer holds ``nout * k`` linear neurons and returns the max of each group
    of ``k``; for ``softmax`` it holds ``nout`` linear neurons and returns their softmax.

    ``weights`` (an ``nin × units`` array, one column per neuron) and ``biases`` set the
    parameters directly; otherwise weights come from ``init``\\ ``((nin, units), rng)``.
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: ActivationLike = DEFAULT_ACTIVATION,
        *,
        nonlin: bool | None = None,
        weights: Any = None,
        biases: Sequence[Number] | None = None,
        init: str | Initializer = "xavier_uniform",
        rng: RngLike = None,
        fused: bool = True,
    ) -> None:
        if not isinstance(nout, (int, np.integer)) or nout < 1:
            raise ValueError(f"a layer needs at least one output, got nout={nout!r}")
        self.activation = parse_activation(_neuron_activation(activation, nonlin))
        units = int(nout) * self.activation.units_per_output
        if weights is None:
            weights = get_initializer(init)((int(nin), units), make_rng(rng))
        weights = np.asarray(weights, dtype=np.float64)
        if weights.shape != (nin, units):
            raise ValueError(f"layer weights must have shape (nin, units) = {(nin, units)}, got {weights.shape}")
        biases = np.zeros(units) if biases is None else np.asarray(biases, dtype=np.float64)
        if biases.shape != (units,):
            raise ValueError(f"layer biases must have shape {(units,)}, got {biases.shape}")
        neuron_activation = self.activation if self.activation.elementwise else "identity"
        self.neurons = [
            Neuron(nin, neuron_activation, weights=weights[:, j], bias=biases[j], fused=fused) for j in range(units)
        ]

    @property
    def nin(self) -> int:
        """The number of inputs."""
        return self.neurons[0].nin

    @property
    def nout(self) -> int:
        """The number of outputs (after maxout's grouping)."""
        return len(self.neurons) // self.activation.units_per_output

    def weight_matrix(self) -> np.ndarray:
        """The weights as an ``nin × units`` array of floats (column j is neuron j's)."""
        return np.array([[w.data for w in neuron.w] for neuron in self.neurons]).T

    def bias_vector(self) -> np.ndarray:
        """The biases as an array of floats."""
        return np.array([neuron.b.data for neuron in self.neurons])

    def forward(self, x: Sequence[Value | Number]) -> Value | list[Value]:
        """The layer's outputs for one example: a list, or the ``Value`` itself for a single output."""
        x = _as_inputs(x, self.nin, "Layer")
        outputs = [neuron.activate(neuron.weighted_sum(x)) for neuron in self.neurons]  # x checked once
        if not self.activation.elementwise:
            outputs = apply_activation(self.activation, outputs)
        return outputs[0] if len(outputs) == 1 else outputs

    def extra_repr(self) -> str:
        return f"{self.nin}, {self.nout}, activation={self.activation.describe()!r}"

    def __repr__(self) -> str:  # a layer's neurons are many and alike: one line is clearer
        return f"Layer({self.extra_repr()})"


class MLP(_ScalarModule):
    """A multi-layer perceptron of ``Value``s: ``MLP(2, [16, 16, 1])`` is the network 2-16-16-1.

    ``activation`` (ReLU unless given) is used by every hidden layer, ``output_activation`` by the
    last (None: the identity, i.e. raw scores), as micrograd's ``MLP`` does. ``init`` draws the
    weights (biases start at 0) from ``rng`` (a ``np.random.Generator``) or from a generator made
    from ``seed``: the same seed and the same arguments give the same weights as ``nn.tensor_mlp`` on the
    tensor engine.

    Returns a list of outputs, or a single ``Value`` when the last layer has one output.
    Python's ``random.seed`` does not change the weights: pass ``seed`` or ``rng``.
    """

    def __init__(
        self,
        nin: int,
        sizes: Sequence[int],
        activation: ActivationLike = DEFAULT_ACTIVATION,
        output_activation: ActivationLike = None,
        *,
        init: str | Initializer = "xavier_uniform",
        rng: RngLike = None,
        seed: int | None = None,
        fused: bool = True,
    ) -> None:
        if rng is not None and seed is not None:
            raise TypeError("give either rng or seed, not both")
        sizes = layer_sizes(sizes, "MLP")
        activation, output_activation = parse_activation(activation), parse_activation(output_activation)
        generator = make_rng(seed if rng is None else rng)
        ins = [nin] + sizes[:-1]
        last = len(sizes) - 1
        self.layers = [
            Layer(n_in, n_out, output_activation if i == last else activation, init=init, rng=generator, fused=fused)
            for i, (n_in, n_out) in enumerate(zip(ins, sizes))
        ]

    @classmethod
    def from_layers(cls, layers: Sequence[Layer]) -> MLP:
        """An MLP made of the given ``Layer``\\ s (each layer's nout must be the next one's nin)."""
        layers = list(layers)
        if not layers or not all(isinstance(layer, Layer) for layer in layers):
            raise TypeError("MLP.from_layers takes a non-empty list of Layer objects")
        for i, (before, after) in enumerate(zip(layers, layers[1:])):
            if before.nout != after.nin:
                raise ValueError(f"layer {i} has {before.nout} outputs but layer {i + 1} takes {after.nin} inputs")
        model = cls.__new__(cls)
        model.layers = layers
        return model

    @property
    def nin(self) -> int:
        """The number of inputs."""
        return self.layers[0].nin

    @property
    def sizes(self) -> list[int]:
        """The output width of each layer."""
        return [layer.nout for layer in self.layers]

    def forward(self, x: Sequence[Value | Number]) -> Value | list[Value]:
        """The network's output for one example ``x``."""
        for layer in self.layers:
            x = layer(x)
        return x

    def extra_repr(self) -> str:
        return f"{self.nin}, {self.sizes}"
