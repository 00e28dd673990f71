"""How many threads NumPy's matrix products may use while a block runs.

For the small matrices of a course network one thread is fastest, and it does not stall when
other programs keep the cores busy: threads that wait on each other lose far more than they gain.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["limit_blas_threads"]


@contextmanager
def limit_blas_threads(limit: int | None) -> Iterator[None]:
    """Run the block with at most ``limit`` BLAS threads; ``None`` leaves NumPy's setting.

    Needs threadpoolctl (scikit-learn brings it); without it there is no limit.
    """
    if limit is None:
        yield
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(limits=limit, user_api="blas"):
        yield
