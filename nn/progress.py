"""A progress display for loops over epochs: a tqdm bar, or a few printed lines where tqdm is missing.

::

    with Progress(epochs) as bar:
        for epoch in range(1, epochs + 1):
            ...
            bar.update(epoch, {"loss": loss})

Used by ``fit`` and by the demo of the command line, so both look alike.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

__all__ = ["Progress"]


class Progress:
    """A tqdm bar over ``epochs`` epochs (or about ten printed lines without tqdm); nothing when not ``enabled``.

    ``update(epoch, summary)`` moves it on and shows ``summary`` (name → a number, or text as it
    should appear, e.g. ``"93%"``).
    Lines go to ``out`` (standard error by default).
    """

    def __init__(
        self, epochs: int, enabled: bool = True, out: TextIO | None = None, desc: str = "training", unit: str = "epoch"
    ) -> None:
        self.epochs, self.enabled, self.out, self.unit = epochs, enabled, out, unit
        self.bar: Any = None
        self.every = max(1, epochs // 10)
        if not enabled:
            return
        try:
            from tqdm.auto import tqdm
        except ImportError:
            return
        self.bar = tqdm(total=epochs, desc=desc, unit=unit, leave=True, file=out)

    def update(self, epoch: int, summary: dict[str, float | str]) -> None:
        """Epoch ``epoch`` (from 1) is done; ``summary`` holds the numbers to show."""
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.set_postfix({name: _short(value) for name, value in summary.items()}, refresh=False)
            self.bar.update(1)
        elif epoch % self.every == 0 or epoch == self.epochs:
            text = ", ".join(f"{name} {_short(value)}" for name, value in summary.items())
            print(f"{self.unit} {epoch}/{self.epochs}: {text}", file=self.out if self.out is not None else sys.stderr)

    def close(self) -> None:
        """End the bar (a no-op for printed lines)."""
        if self.bar is not None:
            self.bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


def _short(value: float | str) -> str:
    return value if isinstance(value, str) else f"{value:.4g}"
