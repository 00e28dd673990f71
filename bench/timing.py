"""Timing that is fair to every contender: warm-up, repeats taken in turn, medians of paired ratios.

Each repeat runs every contender once, in an order that rotates from repeat to repeat, so
that a slow moment of the machine (other programs, a frequency change) hits all of them
alike. The ratio ours/peer is the median over repeats of the two times of the *same* repeat.
Garbage left by the previous run is collected before each timed call, outside the timer.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

#: The clock every timing reads: wall time by default; ``use_clock("cpu")`` switches to this
#: process's CPU time, which a busy machine disturbs less (use it with one thread per library,
#: or the CPU time of every thread is added up).
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
_clock = {"now": time.perf_counter}


def use_clock(name: str) -> None:
    """Time with the ``"wall"`` clock (the default) or the ``"cpu"`` time of this process."""
    if name not in CLOCKS:
        raise ValueError(f"clock must be one of {sorted(CLOCKS)}, got {name!r}")
    _clock["now"] = CLOCKS[name]


def limit_threads(threads: int) -> None:
    """Give every library the same number of threads: NumPy's BLAS (via threadpoolctl), PyTorch, JAX and tinygrad."""
    if threads < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    # JAX (XLA) and tinygrad read their thread counts from the environment when first imported.
    if "jax" in sys.modules or "tinygrad" in sys.modules:
        raise RuntimeError("limit_threads must run before JAX or tinygrad is imported")
    if threads == 1:
        xla_flags = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
        os.environ["XLA_FLAGS"] = f"{os.environ.get('XLA_FLAGS', '')} {xla_flags}".strip()
    os.environ["NUM_CPU_THREADS"] = str(threads)
    # XLA keeps helper threads whatever its flags say (a JAX step at batch 1,024: 6.7 ms of wall time,
    # 10.9 ms of CPU time). Keeping the process on ``threads`` cores holds every library to them.
    if hasattr(os, "sched_setaffinity"):
        cores = sorted(os.sched_getaffinity(0))
        if len(cores) > threads:
            os.sched_setaffinity(0, set(cores[:threads]))
    try:
        from threadpoolctl import threadpool_limits
    except ImportError as error:
        raise RuntimeError("limiting threads needs threadpoolctl (pip install threadpoolctl)") from error
    import numpy  # noqa: F401 - load the BLAS library before limiting it

    try:
        import sklearn.neural_network  # noqa: F401 - scikit-learn may bring a BLAS library of its own
    except ImportError:
        pass
    threadpool_limits(threads)
    try:
        import torch
    except ImportError:
        return
    torch.set_num_threads(threads)


@contextlib.contextmanager
def garbage_collector_paused() -> Iterator[None]:
    """Inside: Python's cyclic garbage collector does not run (it is switched back on after)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def one_thread_each(with_torch: bool = True) -> Iterator[None]:
    """Inside: one thread for the BLAS libraries and PyTorch; the previous settings come back after.

    Quick runs use it: on a busy machine a BLAS thread that waits for a core can stall a tiny
    matrix product for milliseconds, which would make a smoke test slow for no reason.
    ``with_torch=False`` leaves PyTorch alone unless it is already imported (importing it is slow).
    """
    with contextlib.ExitStack() as stack:
        try:
            from threadpoolctl import threadpool_limits

            stack.enter_context(threadpool_limits(1))
        except ImportError:
            pass
        torch = sys.modules.get("torch")
        if torch is None and with_torch:
            try:
                import torch
            except ImportError:
                torch = None
        if torch is not None:
            previous = torch.get_num_threads()
            torch.set_num_threads(1)
            stack.callback(torch.set_num_threads, previous)
        yield


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


def time_once(fn: Callable[[], object], clock: Callable[[], float] | None = None) -> float:
    """Seconds one call of ``fn`` takes (on ``clock``, else the chosen one); its result is freed after."""
    gc.collect()
    now = clock or _clock["now"]
    start = now()
    result = fn()
    elapsed = now() - start
    del result
    return elapsed


def time_paired(
    contenders: dict[str, Callable[[], object]],
    repeats: int,
    warmup: int = 1,
    clock: Callable[[], float] | None = None,
) -> Timings:
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
            timings.seconds[name].append(time_once(contenders[name], clock))
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
    now = _clock["now"]
    for _ in range(repeats):
        start = now()
        fn()
        best = min(best, now() - start)
    return best
