"""Timing that is fair to every contender: warm-up, repeats taken in turn, medians of paired ratios.

Each repeat runs every contender once, in an order that rotates from repeat to repeat, so
that a slow moment of the machine (other programs, a frequency change) hits all of them
alike. The ratio ours/peer is the median over repeats of the two times of the *same* repeat.
Garbage left by the previous run is collected before each timed call, outside the timer.
"""

from __future__ import annotations

import functools
import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Timings:
    """Seconds taken by each contender, one entry per repeat (repeat ``r`` of all taken together)."""

    seconds: dict[str, list[float]] = field(default_factory=dict)

    def median(self, name: str) -> float:
        """The median time of one contender, in seconds."""
        return statistics.median(self.seconds[name])

    def ratio(self, ours: str, peer: str) -> float:
        """ours/peer: the median over repeats of the ratio of the two times of the same repeat."""
        return statistics.median(a / b for a, b in zip(self.seconds[ours], self.seconds[peer]))


def time_once(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes; what it returns is freed after the clock stops."""
    gc.collect()
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    del result
    return elapsed


def time_paired(contenders: dict[str, Callable[[], object]], repeats: int, warmup: int = 1) -> Timings:
    """Time every contender ``repeats`` times, taking turns, after ``warmup`` untimed calls each."""
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    names = list(contenders)
    for name in names:
        for _ in range(warmup):
            contenders[name]()
    timings = Timings({name: [] for name in names})
    for r in range(repeats):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            timings.seconds[name].append(time_once(contenders[name]))
    return timings


def gemm_flops_per_second(size: int = 1024, repeats: int = 5) -> dict[str, float]:
    """The machine's float32 matrix-multiply rate, FLOP/s, measured with NumPy (and PyTorch if installed).

    Square ``size × size`` products, best of ``repeats``: the fastest the BLAS library gets,
    which is what a GEMM-bound lower limit for a training step should divide by.
    """
    import numpy as np

    rng = np.random.default_rng(0)
    a = rng.standard_normal((size, size), dtype=np.float32)
    b = rng.standard_normal((size, size), dtype=np.float32)
    flops = 2.0 * size**3
    rates = {}
    a @ b
    rates["NumPy"] = flops / _best_time(lambda: a @ b, repeats)
    try:
        import torch
    except ImportError:
        return rates
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    ta @ tb
    rates["PyTorch"] = flops / _best_time(lambda: ta @ tb, repeats)
    return rates


@functools.lru_cache(maxsize=2)
def machine_gemm_rate(quick: bool = False) -> float:
    """The best float32 GEMM rate of the machine (FLOP/s), measured once per run and kept."""
    return max(gemm_flops_per_second(256 if quick else 1024, 2 if quick else 5).values())


def _best_time(fn: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best
