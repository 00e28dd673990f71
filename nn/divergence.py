"""How training goes wrong, and how ``fit`` says so: naming the epoch, the step and the layer.

- A NaN or infinite loss or gradient stops training with ``TrainingDiverged``; the layer named
  is the first, going backwards from the output, whose gradient or weights are not finite.
- A loss that stays finite but grows ``DIVERGENCE_FACTOR`` times past the run's first loss is
  running away too (Adam at a learning rate of 10⁶ takes 0.86 to 10¹³ without a NaN). It gives
  a ``TrainingDivergenceWarning`` (or, on request, ``TrainingDiverged``) naming the layer whose
  gradient norm grew most since the first step.
"""

from __future__ import annotations

import math
import warnings
from collections import OrderedDict

import numpy as np

from .history import History

__all__ = ["DIVERGENCE_FACTOR", "TrainingDiverged", "TrainingDivergenceWarning"]

#: A step loss this many times the run's first one counts as divergence (about 1 at the start, 1000 means lost).
DIVERGENCE_FACTOR = 1e3

#: What ``fit(on_divergence=...)`` may do about a finite runaway loss.
ON_DIVERGENCE = ("warn", "raise", "ignore")

_ADVICE = "Try a smaller learning rate, clip_grad_norm, or standardised inputs."


class TrainingDiverged(FloatingPointError):
    """Training produced a NaN or infinite loss or gradient (or, with ``on_divergence="raise"``, a
    loss grown ``DIVERGENCE_FACTOR`` times).

    ``epoch`` and ``step`` (both counted from 1) say when, ``layer`` where (the first layer,
    going backwards from the output, whose gradient or weights are not finite; None if every
    layer is finite), ``loss`` the loss at that step and ``history`` what was recorded up to it.
    """

    def __init__(self, message: str, epoch: int, step: int, layer: str | None, loss: float, history: History):
        super().__init__(message)
        self.epoch, self.step, self.layer, self.loss, self.history = epoch, step, layer, loss, history


class TrainingDivergenceWarning(RuntimeWarning):
    """The loss grew by orders of magnitude while staying finite: training is running away."""


# ---------------------------------------------------------------------- NaN and inf
def check_finite_step(epoch: int, step: int, loss: float, norms: dict[str, float],
                      groups: OrderedDict[str, list], history: History) -> None:
    """Raise ``TrainingDiverged`` if the step's loss or any layer's gradient norm is not finite."""
    if math.isfinite(loss + sum(norms.values())):  # one check covers every number
        return
    history.step_loss.append(loss)
    bad_layers = _nonfinite_layers(groups, norms)
    what = f"the loss is {loss}" if not math.isfinite(loss) else f"the loss is {loss:.6g} but a gradient is not finite"
    if bad_layers:
        where = f"layer {bad_layers[0]!r} has a non-finite gradient or weights"
        if len(bad_layers) > 1:
            where += f" (so do {', '.join(repr(name) for name in bad_layers[1:])}; output side first)"
    else:
        where = "every layer's gradient is finite (the loss itself overflowed)"
    message = f"training diverged at epoch {epoch}, step {step}: {what}; {where}. {_ADVICE}"
    raise TrainingDiverged(message, epoch, step, bad_layers[0] if bad_layers else None, loss, history)


def _nonfinite_layers(groups: OrderedDict[str, list], norms: dict[str, float]) -> list[str]:
    """Layers whose gradient norm or weights are not finite, from the output side back (backprop's order)."""
    bad = []
    for name in reversed(list(groups)):
        weights_bad = any(not np.all(np.isfinite(p.data)) for p in groups[name])
        if weights_bad or not math.isfinite(norms[name]):
            bad.append(name)
    return bad


# ---------------------------------------------------------------------- finite runaway
class DivergenceWatch:
    """Notices a loss that stays finite but grows ``DIVERGENCE_FACTOR`` times past the run's first loss.

    ``action`` is ``"warn"`` (once per run), ``"raise"`` or ``"ignore"``. The layer named is the
    one whose gradient norm grew most since the first step: where the blow-up is.
    """

    def __init__(self, action: str = "warn") -> None:
        if action not in ON_DIVERGENCE:
            raise ValueError(f"on_divergence must be one of {ON_DIVERGENCE}, got {action!r}")
        self.action = action
        self.first_loss: float | None = None
        self.first_norms: dict[str, float] = {}
        self.reported = False

    def check(self, epoch: int, step: int, loss: float, norms: dict[str, float], history: History,
              stacklevel: int = 2) -> None:
        """Look at one step's loss and gradient norms; ``stacklevel`` points the warning at the caller to blame."""
        if self.action == "ignore" or self.reported:
            return
        if self.first_loss is None:
            if loss > 0.0:
                self.first_loss, self.first_norms = loss, dict(norms)
            return
        if not loss > DIVERGENCE_FACTOR * self.first_loss:
            return
        self.reported = True
        growth = {name: _ratio(norm, self.first_norms.get(name, 0.0)) for name, norm in norms.items()}
        layer = max(growth, key=growth.get) if growth else None
        where = f"; the gradient of layer {layer!r} grew most (×{growth[layer]:.3g})" if layer is not None else ""
        message = (
            f"training is diverging at epoch {epoch}, step {step}: the loss grew from {self.first_loss:.4g} to "
            f"{loss:.4g} (×{loss / self.first_loss:.3g}){where}. {_ADVICE}"
        )
        if self.action == "raise":
            raise TrainingDiverged(message, epoch, step, layer, loss, history)
        warnings.warn(message, TrainingDivergenceWarning, stacklevel=stacklevel + 1)


def _ratio(now: float, first: float) -> float:
    if first > 0.0:
        return now / first
    return math.inf if now > 0.0 else 1.0

