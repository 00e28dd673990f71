"""Which engine made a node: the one place the library asks "is this a Tensor or a Value?"."""

from __future__ import annotations

from typing import Any, Literal

from .tensor import Tensor
from .value import Value

Engine = Literal["scalar", "tensor"]


def is_tensor(x: Any) -> bool:
    """True for a ``Tensor`` (the array engine)."""
    return isinstance(x, Tensor)


def is_value(x: Any) -> bool:
    """True for a ``Value`` (the scalar engine)."""
    return isinstance(x, Value)


def is_node(x: Any) -> bool:
    """True for a node of either engine (a ``Value`` or a ``Tensor``)."""
    return isinstance(x, (Value, Tensor))


def engine_of(x: Any) -> Engine:
    """``"scalar"`` for a Value, ``"tensor"`` for a Tensor; a TypeError naming anything else."""
    if isinstance(x, Tensor):
        return "tensor"
    if isinstance(x, Value):
        return "scalar"
    raise TypeError(f"expected a Value or a Tensor, got {type(x).__name__}")
