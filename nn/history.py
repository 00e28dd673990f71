"""``History``: what ``fit`` recorded, per epoch and per step, as plain lists ready to plot."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["History"]


@dataclass
class History:
    """What ``fit`` recorded; every field is a plain list (or a dict of lists), ready to plot.

    Per epoch: ``train_loss``, ``train_accuracy`` (averaged over the epoch's batches, while the
    weights were changing), ``val_loss``, ``val_accuracy`` (after the epoch), ``lr``. Accuracy
    lists stay empty when the targets are not class labels. Per step: ``step_loss`` and
    ``grad_norms`` (``{layer name: [norm at each step]}``, the input-side layer first).
    ``best_epoch`` is the epoch of the lowest validation loss, ``stopped_early`` tells whether
    early stopping ended training.
    """

    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    step_loss: list[float] = field(default_factory=list)
    grad_norms: dict[str, list[float]] = field(default_factory=OrderedDict)
    best_epoch: int | None = None
    stopped_early: bool = False

    @property
    def epochs(self) -> int:
        """How many epochs were completed."""
        return len(self.train_loss)

    def grad_norm_matrix(self) -> tuple[list[str], np.ndarray]:
        """The layer names and a (steps × layers) array of gradient norms, e.g. for a log-scale plot."""
        names = list(self.grad_norms)
        if not names:
            return names, np.zeros((0, 0))
        return names, np.column_stack([self.grad_norms[name] for name in names])

    def to_dict(self) -> dict[str, Any]:
        """Everything as a dict of plain lists and numbers (for JSON, pandas or plotting)."""
        return {
            "train_loss": list(self.train_loss),
            "train_accuracy": list(self.train_accuracy),
            "val_loss": list(self.val_loss),
            "val_accuracy": list(self.val_accuracy),
            "lr": list(self.lr),
            "step_loss": list(self.step_loss),
            "grad_norms": {name: list(norms) for name, norms in self.grad_norms.items()},
            "best_epoch": self.best_epoch,
            "stopped_early": self.stopped_early,
        }

    def __repr__(self) -> str:
        last = f", train_loss={self.train_loss[-1]:.4g}" if self.train_loss else ""
        val = f", val_loss={self.val_loss[-1]:.4g}" if self.val_loss else ""
        return f"History(epochs={self.epochs}, steps={len(self.step_loss)}{last}{val})"
