"""Draw a finite-difference gradient check on the graph: each input coloured by agreement.

``draw_gradcheck(f, inputs)`` runs ``f``, backpropagates, estimates every input's gradient by
central differences (``autograd.gradcheck.compare_grads``) and draws the graph with each input's
numeric estimate beside its backprop grad: green where they agree, red where they do not.
A wrong local derivative in a new op shows up as a red input.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import graphviz
import numpy as np

from autograd import InputCheck, compare_grads, is_node, topological_order

from .graph import CHECK_FAIL_COLOUR, CHECK_OK_COLOUR, DrawOptions, Frame, NodeMark, scene_digraph
from .messages import language as _language
from .messages import message
from .scene import format_number, value_text


def check_inputs(
    f: Callable[..., Any], inputs: Sequence[Any], eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3
) -> tuple[Any, list[InputCheck]]:
    """Run ``f(*inputs)``, backprop, and compare each input's grad with central differences.

    The comparison is ``autograd.gradcheck``'s (``compare_grads``); this adds the checks of what
    a drawing needs: a function, Values or Tensors, and one number out.
    """
    if not callable(f):
        raise TypeError(f"draw_gradcheck: f must be a function of the inputs returning a loss, got {type(f).__name__}")
    for x in inputs:
        if not is_node(x):
            raise TypeError(f"draw_gradcheck inputs must be Values or Tensors, got {type(x).__name__}")
    out = f(*inputs)
    if np.size(out.data) != 1:
        raise ValueError(f"draw_gradcheck needs f to return one number (a loss), got shape {np.shape(out.data)}")
    return compare_grads(f, list(inputs), eps, atol, rtol)


def draw_gradcheck(
    f: Callable[..., Any],
    inputs: Any,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    language: str | None = None,
    **draw_options: Any,
) -> graphviz.Digraph:
    """Draw ``f(*inputs)``'s graph with a finite-difference check of every input's grad.

    ``inputs`` is a Value, a Tensor or a list of them; ``f`` returns one number. Each input
    gets a line "finite difference ..." and is filled green (agrees within ``atol + rtol·|numeric|``)
    or red (disagrees). Other ``draw_options`` go to the drawing (``rankdir``,
    ``show_local_grads``, ...). The caption says how many inputs disagree. The picture is at op
    level unless ``level=`` says otherwise.
    """
    with _language(language):
        return _draw_gradcheck(f, inputs, eps, atol, rtol, draw_options)


def _draw_gradcheck(f: Callable[..., Any], inputs: Any, eps: float, atol: float, rtol: float, draw_options: dict):
    inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    out, checks = check_inputs(f, inputs, eps, atol, rtol)
    options = DrawOptions(**{"level": "op", **draw_options})
    order = topological_order(out)
    position = {id(node): i for i, node in enumerate(order)}
    marks = {}
    for x, check in zip(inputs, checks):
        if id(x) not in position:
            continue  # f did not use this input: nothing to draw it on
        error = format_number(check.worst_error)
        verdict = message("check_agrees") if check.ok else message("check_mismatch", error=error)
        numeric = check.numeric if check.numeric.ndim else float(check.numeric)  # a Value's estimate: a number
        text = f"{message('finite_difference')} {value_text(numeric)}\n{verdict}"
        marks[position[id(x)]] = NodeMark(text, CHECK_OK_COLOUR if check.ok else CHECK_FAIL_COLOUR)
    failures = sum(not check.ok for check in checks)
    title = message("check_title", agree=len(checks) - failures, count=len(checks))
    if failures:
        title += message("check_failures", failures=failures)
    scene = options.scene(out, order)
    return scene_digraph(scene, options, Frame(marks=marks, title=title))
