"""Learning-rate schedules: a large step size early to move fast, a small one later to settle.

A schedule wraps an optimiser and, on every ``step()``, sets ``optimizer.lr`` to the schedule's
value for the new step count. Call it once per epoch after the optimiser's steps (as in
PyTorch; ``fit(..., scheduler=...)`` does this), or once per batch if the schedule is meant in
batches. Every schedule is a closed formula ``lr_at(step)``, so ``preview(n)`` lists the
learning rates of the next ``n`` steps without training, ready to plot.

The classes and arguments mirror ``torch.optim.lr_scheduler``, and the tests check each
sequence of learning rates against PyTorch's.
"""

from __future__ import annotations

import bisect
import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any

__all__ = [
    "LRScheduler",
    "LambdaLR",
    "StepLR",
    "MultiStepLR",
    "ExponentialLR",
    "CosineAnnealingLR",
    "LinearWarmup",
    "SequentialLR",
    "warmup_cosine",
]


def _check_positive_int(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _check_factor(name: str, value: float, allow_zero: bool = True) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name} must be {'>= 0' if allow_zero else '> 0'}, got {value!r}")
    return float(value)


class LRScheduler:
    """Base class: ``lr_at(step)`` gives the learning rate after ``step`` calls of ``step()``.

    ``base_lr`` is the optimiser's learning rate when the first schedule was attached to it
    (kept as ``optimizer.initial_lr``, so schedules chained by ``SequentialLR`` share it).
    """

    def __init__(self, optimizer: Any) -> None:
        if not hasattr(optimizer, "lr"):
            raise TypeError(f"a schedule needs an optimizer with an lr attribute, got {type(optimizer).__name__}")
        if getattr(optimizer, "initial_lr", None) is None:
            optimizer.initial_lr = optimizer.lr
        self.optimizer = optimizer
        self.base_lr: float = optimizer.initial_lr
        self.last_step = 0
        self.optimizer.lr = self.lr_at(0)

    def lr_at(self, step: int) -> float:
        """The learning rate after ``step`` steps of the schedule."""
        raise NotImplementedError

    def step(self) -> None:
        """Advance the schedule by one and set the optimiser's learning rate."""
        self.last_step += 1
        self.optimizer.lr = self.lr_at(self.last_step)

    def get_last_lr(self) -> float:
        """The learning rate this schedule set last."""
        return self.lr_at(self.last_step)

    def preview(self, steps: int) -> list[float]:
        """The learning rates for steps 0, 1, ..., ``steps - 1`` (nothing is changed)."""
        return [self.lr_at(i) for i in range(steps)]

    def state_dict(self) -> dict[str, Any]:
        """What is needed to resume: the step count and the base learning rate."""
        return {"last_step": self.last_step, "base_lr": self.base_lr}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Resume from ``state_dict()``, setting the optimiser's learning rate to match."""
        self.last_step = int(state["last_step"])
        self.base_lr = float(state["base_lr"])
        self.optimizer.lr = self.lr_at(self.last_step)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_lr={self.base_lr:g}, last_step={self.last_step})"


class LambdaLR(LRScheduler):
    """``lr = base_lr · lr_lambda(step)`` for any function ``lr_lambda`` of the step count."""

    def __init__(self, optimizer: Any, lr_lambda: Callable[[int], float]) -> None:
        if not callable(lr_lambda):
            raise TypeError(f"lr_lambda must be a function of the step, got {type(lr_lambda).__name__}")
        self.lr_lambda = lr_lambda
        super().__init__(optimizer)

    def lr_at(self, step: int) -> float:
        return self.base_lr * self.lr_lambda(step)


class StepLR(LRScheduler):
    """Step decay: multiply the learning rate by ``gamma`` every ``step_size`` steps."""

    def __init__(self, optimizer: Any, step_size: int, gamma: float = 0.1) -> None:
        self.step_size = _check_positive_int("step_size", step_size)
        self.gamma = _check_factor("gamma", gamma)
        super().__init__(optimizer)

    def lr_at(self, step: int) -> float:
        return self.base_lr * self.gamma ** (step // self.step_size)


class MultiStepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` at each of the given ``milestones`` (step counts)."""

    def __init__(self, optimizer: Any, milestones: Sequence[int], gamma: float = 0.1) -> None:
        milestones = [_check_positive_int("milestones", m) for m in milestones]
        if milestones != sorted(milestones):
            raise ValueError(f"milestones must be increasing, got {milestones}")
        self.milestones = milestones
        self.gamma = _check_factor("gamma", gamma)
        super().__init__(optimizer)

    def lr_at(self, step: int) -> float:
        return self.base_lr * self.gamma ** bisect.bisect_right(self.milestones, step)


class ExponentialLR(LRScheduler):
    """Exponential decay: ``lr = base_lr · gammaˢᵗᵉᵖ``."""

    def __init__(self, optimizer: Any, gamma: float) -> None:
        self.gamma = _check_factor("gamma", gamma)
        super().__init__(optimizer)

    def lr_at(self, step: int) -> float:
        return self.base_lr * self.gamma**step


class CosineAnnealingLR(LRScheduler):
    """Half a cosine from ``base_lr`` down to ``eta_min`` over ``T_max`` steps (then back up, as in PyTorch).

    ``lr = eta_min + (base_lr - eta_min) · (1 + cos(π · step / T_max)) / 2``
    """

    def __init__(self, optimizer: Any, T_max: int, eta_min: float = 0.0) -> None:  # noqa: N803 - PyTorch's name
        self.T_max = _check_positive_int("T_max", T_max)
        self.eta_min = _check_factor("eta_min", eta_min)
        super().__init__(optimizer)

    def lr_at(self, step: int) -> float:
        return self.eta_min + (self.base_lr - self.eta_min) * (1 + math.cos(math.pi * step / self.T_max)) / 2


class LinearWarmup(LRScheduler):
    """Warm-up: grow the learning rate linearly from ``start_factor · base_lr`` to ``base_lr``.

    Over ``warmup_steps`` steps, then stay at ``base_lr`` (PyTorch's ``LinearLR`` with
    ``end_factor=1``). Small steps first keep the early, badly-scaled updates of a fresh network
    (and Adam's first noisy moment estimates) from throwing the weights far off.
    """

    def __init__(self, optimizer: Any, warmup_steps: int, start_factor: float = 0.1) -> None:
        self.warmup_steps = _check_positive_int("warmup_steps", warmup_steps)
        if not (isinstance(start_factor, numbers.Real) and 0 < start_factor <= 1):
            raise ValueError(f"start_factor must be in (0, 1], got {start_factor!r}")
        self.start_factor = float(start_factor)
        super().__init__(optimizer)

    def lr_at(self, step: int) -> float:
        progress = min(step, self.warmup_steps) / self.warmup_steps
        return self.base_lr * (self.start_factor + (1.0 - self.start_factor) * progress)


class SequentialLR(LRScheduler):
    """Run ``schedulers`` one after another, switching at the step counts in ``milestones``.

    Each schedule starts counting from 0 when its turn comes, as in PyTorch's ``SequentialLR``:
    ``SequentialLR(opt, [LinearWarmup(opt, 5), CosineAnnealingLR(opt, 45)], milestones=[5])``
    warms up for 5 steps, then anneals over the next 45.
    """

    def __init__(self, optimizer: Any, schedulers: Sequence[LRScheduler], milestones: Sequence[int]) -> None:
        schedulers = list(schedulers)
        if not schedulers:
            raise ValueError("SequentialLR needs at least one schedule")
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(
                f"SequentialLR needs one milestone fewer than schedules: got {len(schedulers)} schedules "
                f"and {len(milestones)} milestones"
            )
        for index, scheduler in enumerate(schedulers):
            if scheduler.optimizer is not optimizer:
                raise ValueError(f"schedule {index} belongs to a different optimizer")
        milestones = [_check_positive_int("milestones", m) for m in milestones]
        if milestones != sorted(milestones):
            raise ValueError(f"milestones must be increasing, got {milestones}")
        self.schedulers = schedulers
        self.milestones = milestones
        super().__init__(optimizer)

    def lr_at(self, step: int) -> float:
        index = bisect.bisect_right(self.milestones, step)
        start = self.milestones[index - 1] if index > 0 else 0
        return self.schedulers[index].lr_at(step - start)


def warmup_cosine(optimizer: Any, warmup_steps: int, total_steps: int, start_factor: float = 0.1,
                  eta_min: float = 0.0) -> SequentialLR:
    """Linear warm-up for ``warmup_steps``, then cosine annealing to ``eta_min`` at ``total_steps``."""
    _check_positive_int("warmup_steps", warmup_steps)
    if _check_positive_int("total_steps", total_steps) <= warmup_steps:
        raise ValueError(f"total_steps ({total_steps}) must be larger than warmup_steps ({warmup_steps})")
    warmup = LinearWarmup(optimizer, warmup_steps, start_factor)
    decay = CosineAnnealingLR(optimizer, total_steps - warmup_steps, eta_min)
    return SequentialLR(optimizer, [warmup, decay], milestones=[warmup_steps])
