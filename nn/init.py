"""Weight initialisation: where a network's first numbers come from.

Every initialiser has the same shape: ``initialiser(shape, rng) -> np.ndarray`` of float64, with
``shape = (fan_in, fan_out)`` for a layer's weight matrix (inputs × outputs). All randomness
comes from the ``np.random.Generator`` passed in, so the same seed gives the same network,
on the scalar engine and the tensor engine alike.

=================  =====================================  ==================================
name               distribution                           keeps steady through a layer ...
=================  =====================================  ==================================
uniform            U(-1, 1) (micrograd's choice)          (nothing: a teaching baseline)
xavier_uniform     U(-a, a), a = gain·√(6 / (in + out))   the variance, for tanh and sigmoid
xavier_normal      N(0, σ²), σ = gain·√(2 / (in + out))   the variance, for tanh and sigmoid
he_uniform         U(-a, a), a = √(6 / in)                the variance, for ReLU
he_normal          N(0, σ²), σ = √(2 / in)                the variance, for ReLU
zeros              0                                      (biases; weights need asymmetry)
=================  =====================================  ==================================

``glorot_*`` and ``kaiming_*`` are the same functions under their other names.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = [
    "Initializer",
    "get_initializer",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "kaiming_normal",
    "kaiming_uniform",
    "make_rng",
    "uniform",
    "xavier_normal",
    "xavier_uniform",
    "zeros",
]

Initializer = Callable[[tuple, np.random.Generator], np.ndarray]
RngLike = np.random.Generator | int | None

#: The seed used when none is given, so that a run reproduces exactly by default.
DEFAULT_SEED = 0


def make_rng(rng: RngLike = None) -> np.random.Generator:
    """A ``np.random.Generator``: ``rng`` itself, a new one seeded with the int ``rng``, or seed 0 for None."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng(DEFAULT_SEED)
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be a np.random.Generator, an int seed or None, got {type(rng).__name__}: {rng!r}")


def _fans(shape: tuple) -> tuple[int, int]:
    shape = tuple(shape)
    if len(shape) != 2 or not all(isinstance(n, (int, np.integer)) and n > 0 for n in shape):
        raise ValueError(f"initialisers take a weight shape (fan_in, fan_out) of two positive ints, got {shape}")
    return int(shape[0]), int(shape[1])


def uniform(shape: tuple, rng: np.random.Generator, low: float = -1.0, high: float = 1.0) -> np.ndarray:
    """Weights drawn uniformly from [low, high); the default U(-1, 1) is micrograd's."""
    _fans(shape)
    return rng.uniform(low, high, size=shape)


def xavier_uniform(shape: tuple, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    """Glorot & Bengio (2010): U(-a, a) with a = gain·√(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _fans(shape)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound, size=shape)


def xavier_normal(shape: tuple, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    """Glorot & Bengio (2010): N(0, σ²) with σ = gain·√(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _fans(shape)
    return rng.normal(0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), size=shape)


def he_uniform(shape: tuple, rng: np.random.Generator) -> np.ndarray:
    """He et al. (2015), for ReLU: U(-a, a) with a = √(6 / fan_in)."""
    fan_in, _ = _fans(shape)
    bound = math.sqrt(6.0 / fan_in)
    return rng.uniform(-bound, bound, size=shape)


def he_normal(shape: tuple, rng: np.random.Generator) -> np.ndarray:
    """He et al. (2015), for ReLU: N(0, σ²) with σ = √(2 / fan_in)."""
    fan_in, _ = _fans(shape)
    return rng.normal(0.0, math.sqrt(2.0 / fan_in), size=shape)


def zeros(shape: tuple, rng: np.random.Generator | None = None) -> np.ndarray:
    """All zeros (the usual bias); ``rng`` is accepted for a uniform signature and not used."""
    return np.zeros(tuple(shape))


glorot_uniform = xavier_uniform
glorot_normal = xavier_normal
kaiming_uniform = he_uniform
kaiming_normal = he_normal

_BY_NAME: dict[str, Initializer] = {
    "uniform": uniform,
    "xavier_uniform": xavier_uniform,
    "xavier_normal": xavier_normal,
    "glorot_uniform": glorot_uniform,
    "glorot_normal": glorot_normal,
    "he_uniform": he_uniform,
    "he_normal": he_normal,
    "kaiming_uniform": kaiming_uniform,
    "kaiming_normal": kaiming_normal,
    "zeros": zeros,
}


def get_initializer(init: str | Initializer) -> Initializer:
    """Look an initialiser up by name (``"xavier_uniform"``, ...) or return a callable unchanged."""
    if callable(init):
        return init
    if isinstance(init, str) and init in _BY_NAME:
        return _BY_NAME[init]
    raise ValueError(f"unknown initialiser {init!r}; choose one of {sorted(_BY_NAME)} or pass a function")
