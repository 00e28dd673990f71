"""Global switches read by both engines: recording the graph, and anomaly detection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class _State:
    """Module-wide flags; a class so the engines can read them with one attribute lookup."""

    grad_enabled: bool = True
    detect_anomaly: bool = False
    #: ``grad_enabled and not detect_anomaly``: an op only has to record itself. Kept in step
    #: with the two flags on every change, so that an op's common path reads one flag, not two.
    just_recording: bool = True

    def __setattr__(self, name: str, value: bool) -> None:
        object.__setattr__(self, name, value)
        object.__setattr__(self, "just_recording", self.grad_enabled and not self.detect_anomaly)


state = _State()


class AnomalyError(FloatingPointError):
    """Raised in anomaly mode by the first op whose result or gradient is NaN or infinite."""


@contextmanager
def no_grad() -> Iterator[None]:
    """Compute without recording the graph (for evaluation and optimiser updates)."""
    previous = state.grad_enabled
    state.grad_enabled = False
    try:
        yield
    finally:
        state.grad_enabled = previous


@contextmanager
def enable_grad() -> Iterator[None]:
    """Record the graph again inside a ``no_grad`` block."""
    previous = state.grad_enabled
    state.grad_enabled = True
    try:
        yield
    finally:
        state.grad_enabled = previous


def is_grad_enabled() -> bool:
    """Whether new ops record their inputs for backprop."""
    return state.grad_enabled


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Raise ``AnomalyError`` at the first op whose result or gradient is NaN or infinite.

    Off by default because it checks every result; turn it on to find where a NaN loss
    comes from.
    """
    previous = state.detect_anomaly
    state.detect_anomaly = True
    try:
        yield
    finally:
        state.detect_anomaly = previous

