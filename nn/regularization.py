"""Regularisation and gradient diagnostics: penalties on the weights, gradient clipping, per-layer norms.

- ``l1_penalty`` / ``l2_penalty`` build Σ|w| and Σw² as part of the graph (a ``Value`` or a
  ``Tensor``), so ``loss + lam * l2_penalty(weights)`` backpropagates into the weights.
- ``clip_grad_norm_`` rescales the gradients so their overall L2 norm is at most ``max_norm``
  (as ``torch.nn.utils.clip_grad_norm_``): a remedy for exploding gradients.
- ``grad_norms`` gives the L2 norm of the gradient of each layer: the numbers that show
  gradients vanishing (first layers ≪ last layers) or exploding; ``fit`` records them each step.
- ``add_penalty_gradients`` adds the penalties' gradients directly, without a graph (for ``fit``).

Parameters may be ``Value``s (``grad`` a float) or ``Tensor``s (``grad`` an array or ``None``,
counted as zero).
"""

from __future__ import annotations

import math
import numbers
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd import is_node, is_tensor

__all__ = [
    "l1_penalty",
    "l2_penalty",
    "clip_grad_norm_",
    "grad_norm",
    "grad_norms",
    "l2_norm",
    "parameter_groups",
    "weight_parameters",
]


def _as_parameter_list(params: Any, who: str) -> list:
    if callable(getattr(params, "parameters", None)):
        params = params.parameters()
    params = list(params)
    if not params:
        raise ValueError(f"{who}: got no parameters")
    for index, p in enumerate(params):
        if not is_node(p):
            raise TypeError(f"{who}: parameter {index} is a {type(p).__name__}, not a Value or Tensor")
    return params


def l1_penalty(params: Iterable[Any]) -> Any:
    """Σ|w| over every number of every parameter, as a ``Value`` or ``Tensor`` that backprop reaches.

    Its gradient is sign(w): it pushes every weight towards 0 by the same amount, so small
    weights become exactly 0 (sparse models). Usually applied to weights, not biases.
    """
    params = _as_parameter_list(params, "l1_penalty")
    terms = [p.abs().sum() if is_tensor(p) else p.abs() for p in params]
    return sum(terms[1:], terms[0])  # a + node per parameter, no 0 to start from


def l2_penalty(params: Iterable[Any]) -> Any:
    """Σw² over every number of every parameter, as a ``Value`` or ``Tensor`` that backprop reaches.

    Its gradient is 2w: it shrinks large weights most ("weight decay": SGD's ``weight_decay=λ``
    is the gradient of (λ/2)·Σw²).
    """
    params = _as_parameter_list(params, "l2_penalty")
    terms = [(p * p).sum() if is_tensor(p) else p * p for p in params]
    return sum(terms[1:], terms[0])


def weight_parameters(model: Any) -> list:
    """The parameters of ``model`` that are weights, not biases: what penalties are usually applied to.

    A bias is a parameter whose name ends in ``b`` or ``bias`` (``layers.0.neurons.3.b``,
    ``layers.0.bias``).
    """
    return [p for name, p in model.named_parameters() if name.rsplit(".", 1)[-1] not in ("b", "bias")]


def add_penalty_gradients(weights: list, l1: float, l2: float) -> float:
    """Add the gradients of l1·Σ|w| + l2·Σw² to the weights' grads; return the penalty's value.

    The same numbers backprop through ``l1_penalty`` and ``l2_penalty`` would give (sign(w) and
    2w), added directly so that no graph is built for them (``fit`` does this every step).
    """
    penalty = 0.0
    for w in weights:
        data = w.data
        if isinstance(data, np.ndarray):
            extra = (2.0 * l2) * data if l2 else np.zeros_like(data)
            if l1:
                extra += l1 * np.sign(data)
                penalty += l1 * float(np.abs(data).sum())
            if l2:
                penalty += l2 * float(np.vdot(data, data))
            if w.grad is None:
                w.grad = extra
            else:
                w.grad += extra
        else:
            sign = (data > 0) - (data < 0)
            w.grad += l1 * sign + 2.0 * l2 * data
            penalty += l1 * abs(data) + l2 * data * data
    return penalty


# ---------------------------------------------------------------------- gradient norms
def l2_norm(array: Any) -> float:
    """√(Σ x²) of the numbers in ``array``, without overflow for huge entries (NaN if any is NaN)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return _l2_norm_quiet(array)


def _l2_norm_quiet(array: Any) -> float:
    """``l2_norm`` for callers that already silenced NumPy's overflow warnings (one context for many arrays)."""
    flat = array.reshape(-1) if isinstance(array, np.ndarray) else np.ravel(array)
    squared = float(flat @ flat)  # the usual case in one BLAS call (0 for no numbers)
    if math.isfinite(squared):
        return math.sqrt(squared)
    # Squaring overflowed (or a NaN/inf is present): scale by the largest entry first.
    largest = float(np.max(np.abs(flat)))
    if not math.isfinite(largest):
        return largest
    scaled = flat / largest
    return largest * math.sqrt(float(scaled @ scaled))


def _grad_norm_quiet(p: Any) -> float:
    """The L2 norm of one parameter's gradient (None counts as 0), warnings already silenced."""
    grad = p.grad
    if grad is None:
        return 0.0
    if isinstance(grad, np.ndarray):
        return _l2_norm_quiet(grad)
    return abs(float(grad))


def grad_norm(params: Iterable[Any]) -> float:
    """The L2 norm of all the gradients together, √(Σ grad²): NaN or inf if any gradient is."""
    params = _as_parameter_list(params, "grad_norm")
    with np.errstate(over="ignore", invalid="ignore"):
        return math.hypot(*(_grad_norm_quiet(p) for p in params))


def clip_grad_norm_(
    params: Iterable[Any], max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False
) -> float:
    """Scale all gradients in place so that their overall norm is at most ``max_norm``; return the norm before.

    The norm is taken over all gradients together (the L2 norm by default; ``norm_type=inf``
    takes the largest absolute entry). When it exceeds ``max_norm``, every gradient is multiplied
    by ``max_norm / (norm + 1e-6)``: the direction is kept, only the step shrinks. Same formula as
    ``torch.nn.utils.clip_grad_norm_``.
    """
    params = _as_parameter_list(params, "clip_grad_norm_")
    if isinstance(max_norm, bool) or not isinstance(max_norm, numbers.Real) or not max_norm > 0:
        raise ValueError(f"clip_grad_norm_: max_norm must be a positive number, got {max_norm!r}")
    if not isinstance(norm_type, numbers.Real) or not norm_type > 0:
        raise ValueError(f"clip_grad_norm_: norm_type must be a positive number or inf, got {norm_type!r}")
    with_grad = [p for p in params if p.grad is not None]
    if not with_grad:
        return 0.0
    arrays = [np.abs(np.asarray(p.grad, dtype=np.float64)).ravel() for p in with_grad]
    if math.isinf(norm_type):
        total = max(float(a.max()) if a.size else 0.0 for a in arrays)
    else:
        total = math.fsum(float(np.sum(a**norm_type)) for a in arrays) ** (1.0 / norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise FloatingPointError(f"clip_grad_norm_: the total gradient norm is {total}; cannot clip it")
    coefficient = min(max_norm / (total + 1e-6), 1.0)
    if coefficient < 1.0:
        for p in with_grad:
            if isinstance(p.grad, np.ndarray):
                p.grad *= coefficient
            else:
                p.grad = p.grad * coefficient
    return total


def parameter_groups(model: Any) -> OrderedDict[str, list]:
    """The parameters of ``model`` grouped by layer, in order: ``{layer name: [parameters]}``.

    A layer is the module that holds a parameter as its own attribute (a ``Linear`` holds
    ``weight`` and ``bias``), except that a scalar ``Neuron`` counts as part of its ``Layer``.
    A parameter held by the model itself forms a group under its own name. ``model`` may also be
    a mapping or a list of ``(name, parameter)`` pairs, grouped one parameter per name, or a
    plain list of parameters (named ``"0"``, ``"1"``, ...).
    """
    from .scalar import Neuron  # here, so that this file does not need the model code to be importable

    if callable(getattr(model, "named_modules", None)):
        modules = dict(model.named_modules())
        groups: OrderedDict[str, list] = OrderedDict()
        for name, p in model.named_parameters():
            owner = _owner_name(name, modules)
            while owner and isinstance(modules[owner], Neuron):
                owner = _owner_name(owner, modules)
            groups.setdefault(owner if owner else name, []).append(p)
        return groups
    items = model.items() if hasattr(model, "items") else list(model)
    if items and not isinstance(next(iter(items)), tuple):
        items = [(str(i), p) for i, p in enumerate(items)]
    return OrderedDict((name, [p]) for name, p in items)


def _owner_name(name: str, modules: dict) -> str:
    """The longest module name that is a proper dotted prefix of ``name`` ("" for the root)."""
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in modules:
            return prefix
    return ""


def grad_norms(model: Any, groups: OrderedDict[str, list] | None = None) -> OrderedDict[str, float]:
    """The L2 norm of the gradient of each layer of ``model``: ``{layer name: norm}``, input side first.

    In a deep sigmoid network the first layers' norms are orders of magnitude below the last
    layers' (vanishing gradients); with ReLU they stay comparable. Pass ``groups`` (from
    ``parameter_groups``) to skip regrouping when calling this every step, as ``fit`` does. A
    layer's norm is the hypotenuse of its parameters' norms; huge gradients give inf, not a warning.
    """
    if groups is None:
        groups = parameter_groups(model)
    norms: OrderedDict[str, float] = OrderedDict()
    with np.errstate(over="ignore", invalid="ignore"):  # fit calls this every step: one context, a plain loop
        for name, params in groups.items():
            parts = []
            for p in params:
                grad = p.grad
                if grad is None:
                    continue
                if isinstance(grad, np.ndarray):  # the usual case inline; overflow or NaN: rescale
                    flat = grad.reshape(-1)
                    squared = float(flat @ flat)
                    parts.append(math.sqrt(squared) if math.isfinite(squared) else _l2_norm_quiet(grad))
                else:
                    parts.append(abs(float(grad)))
            norms[name] = math.hypot(*parts)
    return norms
