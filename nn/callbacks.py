"""Callbacks: what ``fit`` asks at the end of every epoch, such as whether to stop.

``fit(callback=...)`` takes a ``Callback``, a plain function ``f(epoch, history)`` that returns
True to stop, or a list of them. ``EarlyStopping`` is the one early-stopping rule of the
library: ``fit(early_stopping=patience)`` builds one, and the estimators use it for
scikit-learn's rule.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any

from .history import History

__all__ = ["Callback", "EarlyStopping"]


class Callback:
    """Hooks ``fit`` calls: ``on_train_begin``, ``on_epoch_end`` (True stops training), ``on_train_end``."""

    def on_train_begin(self, model: Any, history: History) -> None:
        """Called once before the first epoch."""

    def on_epoch_end(self, epoch: int, history: History, model: Any) -> bool:
        """Called after each epoch (``epoch`` from 1, its numbers already in ``history``); True stops training."""
        return False

    def on_train_end(self, model: Any, history: History) -> None:
        """Called once after the last epoch, also when training stopped early."""


class _FunctionCallback(Callback):
    """A plain function ``f(epoch, history)`` as a callback: training stops when it returns True."""

    def __init__(self, function: Callable[[int, History], bool | None]) -> None:
        self.function = function

    def on_epoch_end(self, epoch: int, history: History, model: Any) -> bool:
        return self.function(epoch, history) is True


def as_callbacks(callback: Any) -> list[Callback]:
    """``fit``'s ``callback`` argument (None, a Callback, a function or a list of them) as a list of Callbacks."""
    if callback is None:
        return []
    items = list(callback) if isinstance(callback, Sequence) else [callback]
    callbacks = []
    for item in items:
        if isinstance(item, Callback):
            callbacks.append(item)
        elif callable(item):
            callbacks.append(_FunctionCallback(item))
        else:
            raise TypeError(f"callback must be a Callback or a function (epoch, history), got {type(item).__name__}")
    return callbacks


class EarlyStopping(Callback):
    """Stop once ``monitor`` (``"val_loss"`` or ``"train_loss"``) has stopped improving.

    An epoch improves when the value is below the best so far by more than ``min_delta``.
    ``rule`` says how patience is counted:

    - ``"keras"`` (``fit(early_stopping=patience)``): the best moves only on an improvement; stop
      after ``patience`` epochs in a row without one.
    - ``"scikit-learn"`` (``MLPClassifier``'s ``n_iter_no_change`` and ``tol``): the best is the
      lowest value seen, and an epoch at least ``min_delta`` below it improves; stop after more
      than ``patience`` epochs in a row without one.

    With ``restore_best_weights`` (and a model with ``state_dict``), stopping early puts back the
    weights of the best epoch (``best_epoch``).
    """

    RULES = ("keras", "scikit-learn")

    def __init__(self, patience: int, min_delta: float = 0.0, monitor: str = "val_loss",
                 restore_best_weights: bool = True, rule: str = "keras") -> None:
        if isinstance(patience, bool) or not isinstance(patience, numbers.Integral) or patience < 0:
            raise ValueError(f"patience must be an integer >= 0, got {patience!r}")
        if monitor not in ("val_loss", "train_loss"):
            raise ValueError(f"monitor must be 'val_loss' or 'train_loss', got {monitor!r}")
        if rule not in self.RULES:
            raise ValueError(f"rule must be one of {self.RULES}, got {rule!r}")
        self.patience, self.min_delta, self.monitor = int(patience), float(min_delta), monitor
        self.restore_best_weights, self.rule = restore_best_weights, rule
        self.on_train_begin(None, History())

    def on_train_begin(self, model: Any, history: History) -> None:
        self.best, self.waited, self.best_epoch, self.best_weights, self.stopped = math.inf, 0, None, None, False

    def on_epoch_end(self, epoch: int, history: History, model: Any) -> bool:
        values = getattr(history, self.monitor)
        if not values:
            raise ValueError(f"EarlyStopping watches {self.monitor}, which fit does not record here: "
                             "pass validation=(X_val, y_val) to fit, or monitor='train_loss'")
        value = values[-1]
        if self.rule == "keras":
            improved = value < self.best - self.min_delta
        else:
            improved = not value > self.best - self.min_delta
        if improved:
            self.waited, self.best_epoch = 0, epoch
            if self.restore_best_weights and callable(getattr(model, "state_dict", None)):
                self.best_weights = model.state_dict()
        else:
            self.waited += 1
        if improved or self.rule == "scikit-learn":
            self.best = min(self.best, value)
        out_of_patience = self.waited >= self.patience if self.rule == "keras" else self.waited > self.patience
        if out_of_patience:
            self.stopped = history.stopped_early = True
        return out_of_patience

    def on_train_end(self, model: Any, history: History) -> None:
        if self.stopped and self.best_weights is not None:
            model.load_state_dict(self.best_weights)
