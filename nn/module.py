"""``Module``: the base class of every model, on either engine.

A module holds its parameters (``Value``s or ``Tensor``s) and its sub-modules as ordinary
attributes. ``named_parameters`` finds them by walking those attributes in the order they were
set, so a model needs no registration code::

    class Affine(Module):
        def __init__(self):
            self.w = Value(0.5)
            self.b = Value(0.0)

        def forward(self, x):
            return self.w * x + self.b

Every leaf ``Value`` and every leaf ``Tensor`` with ``requires_grad`` stored on a module
(directly, or inside a list, tuple or dict) counts as a parameter (``is_parameter``), and every
``Module`` stored there as a sub-module. Results of ops kept on ``self`` and Tensors that need
no gradient (constants) are not parameters: they are neither trained nor saved.

Saving and loading use NumPy's ``.npz`` format, one array per parameter name, written and read
by ``nn.serialization``: writing is atomic, and loading never unpickles anything; a damaged or
mismatched file raises ``StateDictError`` and leaves the model unchanged.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from autograd import Tensor, Value

from .serialization import StateDictError, describe_names, load_state, save_state

__all__ = ["Module", "StateDictError", "is_parameter"]


def is_parameter(x: Any) -> bool:
    """A number the model learns: a leaf ``Value``, or a leaf ``Tensor`` with ``requires_grad``.

    A Value or Tensor computed by an op (an intermediate kept on ``self``) or a Tensor that needs
    no gradient (a constant, a mask, running statistics) is not a parameter.
    """
    if isinstance(x, Value):
        return not x.children
    return isinstance(x, Tensor) and x.requires_grad and not x.children


def tensor_input(x: Any, who: str) -> Tensor:
    """The input of a tensor-engine module as a ``Tensor`` (a NumPy array is wrapped), or a clear error."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray):
        return Tensor(x)
    raise TypeError(f"{who} takes a Tensor (or a NumPy array), got {type(x).__name__}")


def layer_sizes(sizes: Any, builder: str) -> list[int]:
    """The ``sizes`` argument of ``MLP``/``tensor_mlp`` as a non-empty list, or a clear error.

    ``tensor_mlp(2, 16)`` (an int where a list of layer widths belongs) is a common slip: name it.
    """
    if isinstance(sizes, (int, np.integer)):
        raise TypeError(f"{builder}: sizes must be a list of layer widths such as [{sizes}], got the int {sizes}")
    try:
        sizes = list(sizes)
    except TypeError:
        raise TypeError(f"{builder}: sizes must be a list of layer widths, got {type(sizes).__name__}") from None
    if not sizes:
        raise ValueError(f"an MLP needs at least one layer size, e.g. {builder}(2, [16, 16, 1])")
    return sizes


class Module:
    """Base class of models: parameters, train/eval mode, state dicts and ``.npz`` files.

    Subclasses set their parameters and sub-modules as attributes and define ``forward``;
    calling the module calls ``forward``.
    """

    #: True in training mode (``train()``), False in evaluation mode (``eval()``); Dropout reads it.
    training: bool = True

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """Compute the output; every model defines this."""
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    # ------------------------------------------------------------------ walking the model
    def _named_members(self) -> Iterator[tuple[str, Any]]:
        """The attributes that hold parameters or modules; lists, tuples and dicts opened up (``layers.0``)."""
        for name, attribute in vars(self).items():
            if isinstance(attribute, (list, tuple)):
                items = enumerate(attribute)
            elif isinstance(attribute, dict):
                items = attribute.items()
            else:
                items = None
            if items is not None:
                for key, item in items:
                    if is_parameter(item) or isinstance(item, Module):
                        yield f"{name}.{key}", item
            elif is_parameter(attribute) or isinstance(attribute, Module):
                yield name, attribute

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """Yield ``(name, module)`` for this module ("" for itself) and every sub-module, depth first."""
        yield prefix, self
        for name, member in self._named_members():
            if isinstance(member, Module):
                yield from member.named_modules(f"{prefix}.{name}" if prefix else name)

    def modules(self) -> Iterator[Module]:
        """This module and every sub-module, depth first."""
        for _, module in self.named_modules():
            yield module

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Any]]:
        """Yield ``(name, parameter)`` for every parameter, in the order the attributes were set.

        Names are dotted paths such as ``layers.0.neurons.3.w.1`` or ``layers.0.weight``. A parameter
        reachable twice (shared weights) is yielded once, under its first name.
        """
        seen: set[int] = set()

        def walk(module: Module, module_name: str) -> Iterator[tuple[str, Any]]:
            for name, member in module._named_members():
                full_name = f"{module_name}.{name}" if module_name else name
                if isinstance(member, Module):
                    yield from walk(member, full_name)
                elif id(member) not in seen:
                    seen.add(id(member))
                    yield full_name, member

        yield from walk(self, prefix)

    def parameters(self) -> list:
        """All parameters as a list (what optimisers take)."""
        return [p for _, p in self.named_parameters()]

    def num_parameters(self) -> int:
        """How many numbers the model learns."""
        return sum(1 if isinstance(p, Value) else int(p.data.size) for p in self.parameters())

    def zero_grad(self) -> None:
        """Reset every parameter's grad: 0.0 for a ``Value``, ``None`` for a ``Tensor`` (as in PyTorch)."""
        for p in self.parameters():
            p.grad = 0.0 if isinstance(p, Value) else None

    # ------------------------------------------------------------------ modes
    def train(self, mode: bool = True) -> Module:
        """Put this module and all sub-modules in training mode (or evaluation mode if ``mode`` is False)."""
        for module in self.modules():
            module.training = mode
        return self

    def eval(self) -> Module:
        """Evaluation mode: Dropout passes its input through unchanged."""
        return self.train(False)

    # ------------------------------------------------------------------ state dicts
    def state_dict(self) -> OrderedDict[str, np.ndarray]:
        """A copy of every parameter's numbers, by name: a 0-d float64 array for a ``Value``."""
        state: OrderedDict[str, np.ndarray] = OrderedDict()
        for name, p in self.named_parameters():
            state[name] = np.array(p.data, dtype=np.float64) if isinstance(p, Value) else p.data.copy()
        return state

    def _expected_layout(self) -> dict[str, tuple[tuple, np.dtype]]:
        """The shape and dtype each parameter's array must have, by name."""
        return {
            name: ((), np.dtype(np.float64)) if isinstance(p, Value) else (p.data.shape, p.data.dtype)
            for name, p in self.named_parameters()
        }

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Copy the numbers of ``state`` into the parameters.

        Every name must match, and each array must have its parameter's shape and dtype.
        Everything is checked before anything is written, so on error the model is unchanged.
        """
        if not isinstance(state, Mapping):
            raise TypeError(f"load_state_dict takes a dict of arrays by name, got {type(state).__name__}")
        params = OrderedDict(self.named_parameters())
        layout = self._expected_layout()
        missing = [name for name in params if name not in state]
        unexpected = [name for name in state if name not in params]
        if missing or unexpected:
            raise StateDictError(f"state dict does not fit {type(self).__name__}: missing "
                                 f"{describe_names(missing)}, unexpected {describe_names(unexpected)}")
        arrays = {}
        for name in params:
            array = np.asarray(state[name])
            expected_shape, expected_dtype = layout[name]
            if array.shape != expected_shape:
                raise StateDictError(f"{name}: shape {array.shape} in the state dict, the model has {expected_shape}")
            if array.dtype != expected_dtype:
                raise StateDictError(f"{name}: dtype {array.dtype} in the state dict, the model has {expected_dtype}")
            if not np.all(np.isfinite(array)):
                raise StateDictError(f"{name}: holds NaN or infinite numbers")
            if isinstance(p := params[name], Tensor) and not p.data.flags.writeable:
                raise StateDictError(f"{name}: the model's array is read-only, so it cannot take the new numbers")
            arrays[name] = array
        for name, p in params.items():
            if isinstance(p, Value):
                p.data = float(arrays[name])
            else:
                p.data[...] = arrays[name]  # in place: anything holding this array sees the new numbers

    # ------------------------------------------------------------------ files
    def save(self, path: str | os.PathLike) -> None:
        """Write the state dict to an ``.npz`` file, atomically (``nn.serialization.save_state``).

        The arrays go to a temporary file in the same folder, which is flushed to disk and then
        renamed over ``path``: a crash mid-write leaves the previous file as it was.
        """
        save_state(self.state_dict(), path)

    def load(self, path: str | os.PathLike) -> Module:
        """Read parameters saved by ``save``; returns the module.

        The file can hold only plain arrays (nothing is unpickled). A file that is missing,
        damaged, not a regular file, holds objects or does not fit this model raises
        ``StateDictError`` (``FileNotFoundError`` if absent) and the model is left unchanged.
        """
        state = load_state(path, self._expected_layout())
        try:
            self.load_state_dict(state)
        except StateDictError as error:
            raise StateDictError(f"{os.fspath(path)}: {error}") from None
        return self

    # ------------------------------------------------------------------ printing
    def extra_repr(self) -> str:
        """The settings shown between the parentheses of ``repr`` (sizes, options)."""
        return ""

    def __repr__(self) -> str:
        children = [(name, member) for name, member in self._named_members() if isinstance(member, Module)]
        if not children:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"{type(self).__name__}("]
        for name, child in children:
            body = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {body}")
        lines.append(")")
        return "\n".join(lines)

