"""Benchmarks: retrograd measured against micrograd, PyTorch, scikit-learn and the machine's GEMM rate.

Run ``python -m bench``; see ``bench/README.md`` for the cases and the latest table.
"""

from .report import Row
from .run import CASES, run

__all__ = ["CASES", "Row", "run"]
