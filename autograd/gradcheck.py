"""Check backprop against central finite differences, for Values and Tensors alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .engines import is_node, is_tensor


class GradcheckError(AssertionError):
    """The analytic gradient of some input disagrees with finite differences."""


def _as_list(inputs: Any) -> list:
    if isinstance(inputs, (list, tuple)):
        return list(inputs)
    return [inputs]


def _scalar_output(out: Any, weights: dict) -> Any:
    """Reduce a non-scalar Tensor output to a scalar with fixed random weights (a VJP check)."""
    if is_tensor(out) and out.data.size != 1:
        key = out.data.shape
        if key not in weights:
            weights[key] = np.random.default_rng(0).standard_normal(key)
        return (out * weights[key]).sum()
    return out


def _output_number(out: Any) -> float:
    return float(out.data.reshape(()) if is_tensor(out) else out.data)


@dataclass(frozen=True)
class InputCheck:
    """One input's check: backprop's grad, the finite-difference estimate, and whether they agree.

    ``worst_error`` is the absolute error at the element furthest outside the tolerance.
    """

    analytic: np.ndarray
    numeric: np.ndarray
    worst_error: float
    worst_index: int
    ok: bool


def compare_grads(
    f: Callable[..., Any],
    inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> tuple[Any, list[InputCheck]]:
    """Run ``f(*inputs)``, backprop, and compare each input's grad with central differences.

    Returns the output (its graph holds the grads) and one ``InputCheck`` per input. An input
    agrees when its grad is finite and ``|analytic - numeric| <= atol + rtol * |numeric|`` for
    every element. A non-scalar Tensor output is reduced by a fixed random weighted sum.
    """
    xs = _as_list(inputs)
    weights: dict = {}
    for x in xs:
        x.grad = None if is_tensor(x) else 0.0
    out = _scalar_output(f(*xs), weights)
    out.backward()
    numerics = numerical_grads(f, xs, eps, _weights=weights)
    checks = []
    for x, numeric in zip(xs, numerics):
        analytic = np.zeros(np.shape(x.data)) if x.grad is None else np.array(x.grad, dtype=np.float64)
        numeric = np.asarray(numeric, dtype=np.float64)
        error = np.abs(analytic - numeric)
        allowed = atol + rtol * np.abs(numeric)
        worst = int(np.argmax(error - allowed)) if error.size else 0
        ok = bool(np.all(error <= allowed)) and bool(np.all(np.isfinite(analytic)))
        worst_error = float(error.reshape(-1)[worst]) if error.size else 0.0
        checks.append(InputCheck(analytic, numeric, worst_error, worst, ok))
    return out, checks


def gradcheck(
    f: Callable[..., Any],
    inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Compare the grads backprop gives with central finite differences of ``f``.

    ``inputs`` is a Value, a Tensor, or a sequence of them; ``f(*inputs)`` must return a
    scalar (a non-scalar Tensor output is checked through a fixed random weighted sum).
    Each input element x gets the estimate (f(x + eps) - f(x - eps)) / (2 eps); it passes
    when ``|analytic - numeric| <= atol + rtol * |numeric|``. Tensors must be float64.

    Returns True, or raises ``GradcheckError`` listing the worst error of every input.
    """
    xs = _as_list(inputs)
    for i, x in enumerate(xs):
        if is_tensor(x) and x.data.dtype != np.float64:
            raise TypeError(f"gradcheck needs float64 tensors for accuracy; input {i} is {x.data.dtype}")
        if not is_node(x):
            raise TypeError(f"gradcheck inputs must be Values or Tensors, input {i} is {type(x).__name__}")

    _, checks = compare_grads(f, xs, eps, atol, rtol)
    report = []
    for i, check in enumerate(checks):
        if check.analytic.size:
            a = check.analytic.reshape(-1)[check.worst_index]
            n = check.numeric.reshape(-1)[check.worst_index]
            verdict = "" if check.ok else "  <-- FAIL"
            error = check.worst_error
            report.append(f"input {i}: worst abs error {error:.3g} (analytic {a:.10g}, numeric {n:.10g}){verdict}")
    if not all(check.ok for check in checks):
        raise GradcheckError("gradient check failed:\n" + "\n".join(report))
    return True


def numerical_grads(f: Callable[..., Any], inputs: Any, eps: float = 1e-6, _weights: dict | None = None) -> list:
    """Central-difference estimates of d f / d input for each input (a float or an array each).

    Inputs are perturbed in place and restored. A non-scalar Tensor output is reduced with
    the same fixed random weights that ``gradcheck`` uses.
    """
    xs = _as_list(inputs)
    weights = {} if _weights is None else _weights

    def evaluate() -> float:
        return _output_number(_scalar_output(f(*xs), weights))

    grads = []
    for x in xs:
        if is_tensor(x):
            g = np.zeros(x.data.shape, dtype=np.float64)
            given = x.data
            if not given.flags.writeable:  # e.g. a broadcast view: perturb a copy, put the array back after
                x.data = given.copy()
            data = x.data
            # Element by element through its own index, so any strides work (a transposed or
            # sliced array too: a reshape of it would be a copy, and perturbing it would do nothing).
            for index in np.ndindex(data.shape):
                original = data[index]
                data[index] = original + eps
                plus = evaluate()
                data[index] = original - eps
                minus = evaluate()
                data[index] = original
                g[index] = (plus - minus) / (2 * eps)
            x.data = given
            grads.append(g)
        else:
            original = x.data
            x.data = original + eps
            plus = evaluate()
            x.data = original - eps
            minus = evaluate()
            x.data = original
            grads.append((plus - minus) / (2 * eps))
    return grads
