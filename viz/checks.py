"""Draw a finite-difference gradient check on the graph: each input coloured by agreement.

``draw_gradcheck(f, inputs)`` runs ``f``, backpropagates, estimates every input's gradient by
central differences (``autograd.numerical_grads``) and draws the graph with each input's
numeric estimate beside its backprop grad: green where they agree, red where they do not.
A wrong local derivative in a new op shows up as a red input.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import graphviz
import numpy as np

from autograd.gradcheck import numerical_grads
from autograd.graph import topological_order

from .graph import (
    CHECK_FAIL_COLOUR,
    CHECK_OK_COLOUR,
    DrawOptions,
    Frame,
    NodeMark,
    _note_text,
    build_digraph,
    format_number,
)


@dataclass(frozen=True)
class InputCheck:
    """One input's check: backprop's grad, the finite-difference estimate, and whether they agree."""

    analytic: Any
    numeric: Any
    worst_error: float
    ok: bool


def check_inputs(
    f: Callable[..., Any], inputs: Sequence[Any], eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3
) -> tuple[Any, list[InputCheck]]:
    """Run ``f(*inputs)``, backprop, and compare each input's grad with central differences.

    Returns the output (its graph holds the grads) and one ``InputCheck`` per input. An input
    agrees when ``|analytic - numeric| <= atol + rtol * |numeric|`` for every element.
    """
    if not callable(f):
        raise TypeError(f"draw_gradcheck: f must be a function of the inputs returning a loss, got {type(f).__name__}")
    for x in inputs:
        if not (hasattr(x, "_children") and hasattr(x, "grad")):
            raise TypeError(f"draw_gradcheck inputs must be Values or Tensors, got {type(x).__name__}")
        x.grad = None if isinstance(x.data, np.ndarray) else 0.0
    out = f(*inputs)
    if np.size(out.data) != 1:
        raise ValueError(f"draw_gradcheck needs f to return one number (a loss), got shape {np.shape(out.data)}")
    out.backward()
    numerics = numerical_grads(f, list(inputs), eps)
    checks = []
    for x, numeric in zip(inputs, numerics):
        analytic = np.zeros(np.shape(x.data)) if x.grad is None else np.asarray(x.grad, dtype=np.float64)
        numeric = np.asarray(numeric, dtype=np.float64)
        error = np.abs(analytic - numeric)
        ok = bool(np.all(error <= atol + rtol * np.abs(numeric)))
        worst = float(error.max()) if error.size else 0.0
        checks.append(InputCheck(x.grad, numeric if numeric.ndim else float(numeric), worst, ok))
    return out, checks


def draw_gradcheck(
    f: Callable[..., Any],
    inputs: Any,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    **draw_options: Any,
) -> graphviz.Digraph:
    """Draw ``f(*inputs)``'s graph with a finite-difference check of every input's grad.

    ``inputs`` is a Value, a Tensor or a list of them; ``f`` returns one number. Each input
    gets a line "finite difference ..." and is filled green (agrees within ``atol + rtol·|numeric|``)
    or red (disagrees). Other ``draw_options`` go to the drawing (``rankdir``,
    ``show_local_grads``, ...). The caption says how many inputs disagree.
    """
    inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    out, checks = check_inputs(f, inputs, eps, atol, rtol)
    options = DrawOptions(**draw_options)
    order = topological_order(out)
    position = {id(node): i for i, node in enumerate(order)}
    marks = {}
    for x, check in zip(inputs, checks):
        if id(x) not in position:
            continue  # f did not use this input: nothing to draw it on
        verdict = "agrees" if check.ok else f"MISMATCH (error {format_number(check.worst_error)})"
        text = f"finite difference {_note_text(check.numeric)}\n{verdict}"
        marks[position[id(x)]] = NodeMark(text, CHECK_OK_COLOUR if check.ok else CHECK_FAIL_COLOUR)
    failures = sum(not check.ok for check in checks)
    title = f"gradient check: {len(checks) - failures} of {len(checks)} inputs agree with finite differences"
    if failures:
        title += f", {failures} disagree (red)"
    return build_digraph(out, options, Frame(marks=marks, title=title), order)
